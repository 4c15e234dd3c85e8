//! Is a file a price history or a holdings file? Decided from its header row, so the app can
//! route dropped files without asking.

use crate::dates::looks_like_date;
use crate::prices::is_date_header;
use crate::text::{normalize_header, read_table};
use serde::{Deserialize, Serialize};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileRole {
    Prices,
    Holdings,
}

/// Classify a file: a date column (by name, or dates in the first column) means prices; a
/// symbol column with a quantity, value or weight column and no date column means holdings.
/// Unreadable files are classed as prices (the price reader then reports the problem).
pub fn classify(file_name: &str, bytes: &[u8]) -> FileRole {
    let Ok(table) = read_table(file_name, bytes) else {
        return FileRole::Prices;
    };
    for (i, r) in table.records.iter().enumerate().take(60) {
        if r.width() < 2 {
            continue;
        }
        if is_date_header(r.get(0)) || looks_like_date(r.get(0)) {
            return FileRole::Prices;
        }
        if table
            .records
            .get(i + 1)
            .is_some_and(|n| looks_like_date(n.get(0)))
        {
            return FileRole::Prices;
        }
        let norm: Vec<String> = r.fields.iter().map(|h| normalize_header(h)).collect();
        let has_symbol = norm
            .iter()
            .any(|h| ["symbol", "ticker", "sym", "symbolcusip"].contains(&h.as_str()));
        let has_amount = norm.iter().any(|h| {
            [
                "quantity",
                "qty",
                "shares",
                "qtyquantity",
                "weight",
                "marketvalue",
                "currentvalue",
                "mktvalmarketvalue",
                "positionvalue",
                "totalvalue",
                "value",
                "units",
                "allocation",
            ]
            .contains(&h.as_str())
                || h.contains("weight")
        });
        let has_date = norm.iter().any(|h| is_date_header(h));
        if has_symbol && has_amount && !has_date {
            return FileRole::Holdings;
        }
    }
    FileRole::Prices
}
