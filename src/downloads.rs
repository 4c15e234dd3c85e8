//! Downloads: every table as CSV and JSON, every chart as PNG (issue 7). Filled in by the downloads work.
