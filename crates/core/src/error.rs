//! Typed errors. Every message names the file and, where known, the line and the column or
//! field, and says what was expected, in words a user can act on.

use thiserror::Error;

/// An error reading one input file.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{}", self.render())]
pub struct ImportError {
    pub file: String,
    /// 1-based line number in the file, when the problem is on one line.
    pub line: Option<usize>,
    /// Column header or field name, when the problem is in one column.
    pub column: Option<String>,
    pub kind: ImportErrorKind,
}

impl ImportError {
    pub fn new(file: &str, kind: ImportErrorKind) -> Self {
        ImportError {
            file: file.to_string(),
            line: None,
            column: None,
            kind,
        }
    }
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }
    pub fn in_column(mut self, column: &str) -> Self {
        self.column = Some(column.to_string());
        self
    }
    fn render(&self) -> String {
        let mut s = self.file.clone();
        if let Some(l) = self.line {
            s.push_str(&format!(", line {l}"));
        }
        if let Some(c) = &self.column {
            s.push_str(&format!(", column \"{c}\""));
        }
        format!("{s}: {}", self.kind)
    }
}

/// What went wrong while reading a file.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ImportErrorKind {
    #[error("the file is empty")]
    Empty,
    #[error("this does not look like a text CSV file ({0})")]
    NotText(String),
    #[error("the file has a header but no data rows")]
    HeaderOnly,
    #[error("could not find a header row: {0}")]
    NoHeader(String),
    #[error("expected {expected} fields like the header, found {found}")]
    RaggedRow { expected: usize, found: usize },
    #[error("expected a number, found \"{0}\"")]
    NotANumber(String),
    #[error("a price must be greater than zero, found {0}")]
    NonPositivePrice(String),
    #[error("a return must be greater than -100%, found {0}")]
    ReturnBelowMinusOne(String),
    #[error("unrecognised date \"{0}\" (expected YYYY-MM-DD, MM/DD/YYYY, DD/MM/YYYY, DD.MM.YYYY or YYYYMMDD)")]
    BadDate(String),
    #[error("dates like \"{example}\" could be day/month or month/day and nothing in the file tells which; choose the date order")]
    AmbiguousDateOrder { example: String },
    #[error("date {date} appears twice, on lines {first_line} and {second_line}")]
    DuplicateDate {
        date: String,
        first_line: usize,
        second_line: usize,
    },
    #[error("symbol {symbol} appears twice (columns {first} and {second})")]
    DuplicateSymbolColumn {
        symbol: String,
        first: usize,
        second: usize,
    },
    #[error("symbol {symbol} is also in {other_file}; each symbol may come from one file only")]
    DuplicateSymbolAcrossFiles { symbol: String, other_file: String },
    #[error("the column has no values at all")]
    AllBlankColumn,
    #[error("only one row of prices; at least two dates are needed to compute a return")]
    SinglePriceRow,
    #[error("missing column: {0}")]
    MissingColumn(String),
    #[error("holdings need a quantity/shares, market value or weight column; found columns: {0}")]
    NoQuantityColumn(String),
    #[error("no quantity, market value or weight for {0}")]
    PositionWithoutAmount(String),
    #[error("symbol {symbol} is listed twice, on lines {first_line} and {second_line}")]
    DuplicateHolding {
        symbol: String,
        first_line: usize,
        second_line: usize,
    },
    #[error("empty symbol")]
    EmptySymbol,
    #[error("{0}")]
    Csv(String),
    #[error("{0}")]
    Other(String),
}

/// An error combining the loaded files into an analysis window.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AlignError {
    #[error("no price series loaded")]
    NoPrices,
    #[error("holding {symbol} (holdings line {line}) has no price history in the loaded files")]
    HoldingWithoutPrices { symbol: String, line: usize },
    #[error("the price histories of the held assets do not overlap: {0}")]
    NoOverlap(String),
    #[error("the common window has only {0} date(s); at least 2 are needed for a return")]
    TooFewObservations(usize),
    #[error("the portfolio's total value is zero or not finite ({0}); weights cannot be formed")]
    ZeroPortfolioValue(String),
    #[error("the benchmark {symbol} does not overlap the analysis window")]
    BenchmarkNoOverlap { symbol: String },
    #[error("benchmark symbol {0} is not among the loaded price series")]
    UnknownBenchmark(String),
}

/// Any error of the core, for callers that do not need to distinguish.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum BallastError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Align(#[from] AlignError),
}
