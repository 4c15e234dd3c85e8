//! The workspace document that a share link carries.

use serde::{Deserialize, Serialize};

/// Role of a file holding asset prices.
pub const ROLE_PRICES: &str = "prices";
/// Role of a file holding the portfolio's holdings.
pub const ROLE_HOLDINGS: &str = "holdings";
/// Role of a file holding benchmark prices.
pub const ROLE_BENCHMARK: &str = "benchmark";

/// One data file of the workspace, carried byte for byte (usually CSV text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocFile {
    /// The file's name as the user loaded it (display only: never used as a path).
    pub name: String,
    /// What the file is: [`ROLE_PRICES`], [`ROLE_HOLDINGS`], [`ROLE_BENCHMARK`] or any other
    /// text the app understands.
    pub role: String,
    /// The file's raw bytes.
    pub bytes: Vec<u8>,
}

/// Everything needed to reopen a workspace exactly as it was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceDoc {
    /// The data files, in the order the app loaded them.
    pub files: Vec<DocFile>,
    /// The app's settings (analysis parameters, correlation, optimisation, limits, …), opaque
    /// to this module and carried as JSON.
    pub settings: serde_json::Value,
    /// The page that was open (the app's route or tab name).
    pub page: String,
    /// The version of Ballast that made the document (informational; the link's format
    /// version is separate, see [`super::format`]).
    pub app_version: String,
}
