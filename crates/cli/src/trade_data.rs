//! What `ballast size` and `ballast check` share: the loaded data (the aligned portfolio and
//! the price series, for ATRs and instruments that are not held), option parsers, the mapping of
//! core field names to options, and number formatting.

use crate::DataArgs;
use ballast_core::align::{align, levels, Aligned};
use ballast_core::analysis::AnalysisParams;
use ballast_core::pipeline::load;
use ballast_core::trading::TradingError;
use ballast_core::{PriceSet, Series, ValueKind};
use serde_json::Value;

/// The aligned portfolio and every loaded price series (held or not).
pub(crate) struct TradingData {
    pub aligned: Aligned,
    pub prices: PriceSet,
}

impl DataArgs {
    /// Read, parse and align the files, keeping the price series (their high/low/close
    /// columns give ATRs; a series that is not held can be traded, sized or hedged with).
    pub(crate) fn load_trading(&self) -> Result<TradingData, String> {
        let files = self.read()?;
        let input = files.input(self, AnalysisParams::default());
        let loaded = load(&input).map_err(|e| e.to_string())?;
        let aligned = align(
            &loaded.prices,
            loaded.holdings.as_ref(),
            loaded.benchmark.as_ref(),
        )
        .map_err(|e| e.to_string())?;
        Ok(TradingData {
            aligned,
            prices: loaded.prices,
        })
    }
}

impl TradingData {
    /// Index of a held symbol (case-insensitive).
    pub(crate) fn held(&self, symbol: &str) -> Option<usize> {
        self.aligned
            .symbols
            .iter()
            .position(|s| s.eq_ignore_ascii_case(symbol.trim()))
    }

    /// A loaded price series (case-insensitive).
    pub(crate) fn series(&self, symbol: &str) -> Option<&Series> {
        self.prices
            .series
            .iter()
            .find(|s| s.symbol.eq_ignore_ascii_case(symbol.trim()))
    }

    /// Whether the holdings give money amounts (shares or market values), not weights only.
    pub(crate) fn in_money(&self) -> bool {
        self.aligned.positions.iter().any(|p| p.quantity.is_some())
    }

    /// The last price of a symbol: a held one's last price in the window, else the last price
    /// of its series, with a note when that date is not the window's end.
    pub(crate) fn last_price(&self, symbol: &str) -> Option<(f64, Option<String>)> {
        if let Some(i) = self.held(symbol) {
            return self.aligned.positions.get(i).map(|p| (p.price, None));
        }
        let s = self.series(symbol)?;
        if s.kind != ValueKind::Price {
            return None;
        }
        let (date, price) = s
            .dates
            .iter()
            .zip(&s.values)
            .rev()
            .find(|(_, v)| v.is_finite() && **v > 0.0)?;
        let end = self.aligned.report.end;
        let note = (*date != end).then(|| {
            format!(
                "{}: last price {} on {date}, not the window's end {end}",
                s.symbol,
                plain(*price, 4)
            )
        });
        Some((*price, note))
    }

    /// Simple returns of a loaded series on the portfolio's calendar (one per period of the
    /// window, ending on its last date); `None` when the series lacks a calendar date.
    pub(crate) fn returns_on_calendar(&self, symbol: &str) -> Option<Vec<f64>> {
        if let Some(i) = self.held(symbol) {
            return self.aligned.returns.get(i).cloned();
        }
        let s = self.series(symbol)?;
        // Level series, as the aligner makes them.
        let (dates, levels) = levels(s);
        let mut on = Vec::with_capacity(self.aligned.dates.len());
        for d in &self.aligned.dates {
            let i = dates.binary_search(d).ok()?;
            let v = levels[i];
            if !(v.is_finite() && v > 0.0) {
                return None;
            }
            on.push(v);
        }
        Some(on.windows(2).map(|w| w[1] / w[0] - 1.0).collect())
    }

    /// The aligned portfolio worth `equity`: positions given by weight only are valued at
    /// `weight × equity` (quantities at that value over the last price), cash at its weight.
    pub(crate) fn scale_weights_to(&mut self, equity: f64) {
        let a = &mut self.aligned;
        for p in a.positions.iter_mut() {
            if p.quantity.is_none() {
                p.value = p.weight * equity;
                p.quantity = Some(p.value / p.price);
            }
        }
        a.cash = a.cash_weight * equity;
        a.total_value = equity;
    }
}

/// A number that is finite (`inf` and `NaN` are refused).
pub(crate) fn finite(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("expected a number, found \"{s}\""))?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err(format!("expected a finite number, found \"{s}\""))
    }
}

/// `SYM=X`.
pub(crate) fn parse_pair(s: &str) -> Result<(String, f64), String> {
    let (name, x) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("expected SYM=NUMBER, e.g. AAPL=0.5, found \"{s}\""))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("a symbol is missing before '=' in \"{s}\""));
    }
    Ok((name.to_string(), finite(x)?))
}

/// Two levels `LOW:HIGH` (a warning and a critical or halt level), fractions.
pub(crate) fn parse_levels(s: &str) -> Result<(f64, f64), String> {
    let syntax = || {
        format!(
            "expected WARNING:CRITICAL as fractions, e.g. 0.2:0.3 (= 20% and 30%), found \"{s}\""
        )
    };
    let (a, b) = s.split_once(':').ok_or_else(syntax)?;
    let (a, b) = (
        finite(a).map_err(|_| syntax())?,
        finite(b).map_err(|_| syntax())?,
    );
    Ok((a, b))
}

/// An error unless `given` options fit the choice (`--atr applies to --method atr only`).
pub(crate) fn only_with(
    given: bool,
    option: &str,
    applies_to: &str,
    chosen: &str,
) -> Result<(), String> {
    if given {
        return Err(format!(
            "{option} applies to {applies_to} only (not {chosen})"
        ));
    }
    Ok(())
}

/// A core error in words, with the option named where an input was refused.
pub(crate) fn describe(e: &TradingError, option_of: impl Fn(&str) -> Option<String>) -> String {
    match e {
        TradingError::InvalidInput { field, message } => match option_of(field) {
            Some(option) => format!("{option}: {message}"),
            None => e.to_string(),
        },
        _ => e.to_string(),
    }
}

/// A JSON number, `null` when not finite.
pub(crate) fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// `x` with `decimals` decimals, `n/a` when not finite.
pub(crate) fn plain(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        format!("{x:.decimals$}")
    } else {
        "n/a".into()
    }
}

/// Money with thousands separators and two decimals: `-1,234,567.89`.
pub(crate) fn money(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let s = format!("{:.2}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if x < 0.0 && s != "0.00" { "-" } else { "" };
    format!("{sign}{grouped}.{frac}")
}

/// A share count: whole numbers without decimals, others with four.
pub(crate) fn shares(x: f64) -> String {
    if !x.is_finite() {
        "n/a".into()
    } else if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.4}")
    }
}

/// A fraction as a percentage.
pub(crate) fn pct(x: f64, decimals: usize) -> String {
    crate::optimize::pct(x, decimals)
}
