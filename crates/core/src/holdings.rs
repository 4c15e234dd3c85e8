//! Holdings import: plain `symbol,shares|weight|value` files and broker position exports
//! (Fidelity, Schwab, IBKR Flex, Vanguard).
//! (STUB — being implemented.)

use crate::error::ImportError;
use crate::model::Holdings;

/// Read a holdings file.
pub fn parse_holdings(file_name: &str, bytes: &[u8]) -> Result<Holdings, ImportError> {
    let _ = bytes;
    Err(ImportError::new(file_name, crate::error::ImportErrorKind::Other("not implemented".into())))
}
