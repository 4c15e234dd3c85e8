//! Hedging the portfolio with one instrument: the benchmark (beta hedge) or any instrument in
//! the data (minimum-variance hedge), and the risk before and after.
//!
//! - Ratio: `h = Cov(r_p, r_h) / Var(r_h)`, sample moments (ddof 1; the ddof cancels). Against
//!   the benchmark this is the OLS beta `β_p` of the portfolio returns on the benchmark returns
//!   (as [`crate::metrics::beta`]); against any instrument it is the minimum-variance hedge ratio
//!   (Johnson 1960; Ederington 1979) — the same formula, the two methods differ by instrument
//!   and label.
//! - Hedge position: notional `−h·V` ($, negative = short), units `notional / price` (negative =
//!   units to sell short; with only returns the price is 1, i.e. units are $ of notional).
//! - Hedged returns `r_p,t − h·r_h,t`: the hedge is a zero-cost overlay (a future, or a short
//!   whose proceeds earn nothing), held at today's notional over the history.
//! - Volatility `std(r, ddof 1)·√P`; VaR the 1-period historical VaR
//!   ([`crate::var::historical_var`], type-7 quantile, positive loss fraction of the portfolio
//!   value) as on the Risk page; the `_amount` fields are the same in $ (`× V`).
//! - Variance reduction `1 − Var(hedged)/Var(r_p)`; at the minimum-variance ratio it equals
//!   `ρ²`, `ρ` the correlation of `r_p` and `r_h` (Ederington's hedging effectiveness).

use super::TradingError;
use crate::align::Aligned;
use crate::stats::{covariance, variance};
use crate::var::historical_var;
use serde::{Deserialize, Serialize};

/// A one-instrument hedge and its effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hedge {
    /// "beta hedge against SPY" / "minimum-variance hedge with GLD".
    pub method_label: String,
    /// `h = Cov(r_p, r_h)/Var(r_h)`.
    pub ratio: f64,
    /// `−h·V` in $ (negative: short the instrument).
    pub notional: f64,
    /// `notional / price` (negative: units to sell short).
    pub units: f64,
    /// Price used for `units` (1 when only returns are known).
    pub hedge_price: f64,
    pub portfolio_value: f64,
    /// Annualised volatility before and after the hedge.
    pub vol_before: f64,
    pub vol_after: f64,
    /// 1-period historical VaR at `confidence`, positive loss fraction of the portfolio value.
    pub var_before: f64,
    pub var_after: f64,
    /// The same VaR figures in $.
    pub var_before_amount: f64,
    pub var_after_amount: f64,
    pub confidence: f64,
    /// `1 − Var(hedged)/Var(unhedged)`.
    pub variance_reduction: f64,
    /// Correlation of the portfolio and instrument returns.
    pub correlation: f64,
    pub observations: usize,
    pub notes: Vec<String>,
}

fn check_returns(field: &str, r: &[f64]) -> Result<(), TradingError> {
    match r.iter().position(|x| !x.is_finite()) {
        Some(i) => Err(TradingError::invalid(
            field,
            format!("return {} of {} is missing or not a number", i + 1, r.len()),
        )),
        None => Ok(()),
    }
}

#[allow(clippy::too_many_arguments)]
fn hedge(
    label: String,
    portfolio_returns: &[f64],
    instrument_field: &str,
    instrument_returns: &[f64],
    portfolio_value: f64,
    hedge_price: Option<f64>,
    periods_per_year: f64,
    confidence: f64,
) -> Result<Hedge, TradingError> {
    check_returns("portfolio_returns", portfolio_returns)?;
    check_returns(instrument_field, instrument_returns)?;
    if instrument_returns.len() != portfolio_returns.len() {
        return Err(TradingError::invalid(
            instrument_field,
            format!(
                "has {} returns; the portfolio has {} (they must share the calendar)",
                instrument_returns.len(),
                portfolio_returns.len()
            ),
        ));
    }
    if !(portfolio_value.is_finite() && portfolio_value > 0.0) {
        return Err(TradingError::invalid(
            "portfolio_value",
            format!("must be a positive number (got {portfolio_value})"),
        ));
    }
    let price = match hedge_price {
        Some(p) if p.is_finite() && p > 0.0 => p,
        Some(p) => {
            return Err(TradingError::invalid(
                "hedge_price",
                format!("must be a positive number (got {p})"),
            ))
        }
        None => 1.0,
    };
    if !(periods_per_year.is_finite() && periods_per_year > 0.0) {
        return Err(TradingError::invalid(
            "periods_per_year",
            format!("must be a positive number (got {periods_per_year})"),
        ));
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(TradingError::invalid(
            "confidence",
            format!("must be between 0 and 1, e.g. 0.95 (got {confidence})"),
        ));
    }
    let n = portfolio_returns.len();
    if n < 2 {
        return Err(TradingError::TooLittleHistory {
            what: "a hedge ratio".into(),
            symbol: "the portfolio".into(),
            need: 2,
            got: n,
        });
    }
    let var_h = variance(instrument_returns, 1);
    let var_p = variance(portfolio_returns, 1);
    if !(var_h > 0.0 && var_h.is_finite()) {
        return Err(TradingError::Undefined(
            "the hedge instrument's returns do not vary: no hedge ratio".into(),
        ));
    }
    if !(var_p > 0.0 && var_p.is_finite()) {
        return Err(TradingError::Undefined(
            "the portfolio's returns do not vary: there is nothing to hedge".into(),
        ));
    }
    let cov = covariance(portfolio_returns, instrument_returns);
    let ratio = cov / var_h;
    let correlation = cov / (var_p * var_h).sqrt();
    let hedged: Vec<f64> = portfolio_returns
        .iter()
        .zip(instrument_returns)
        .map(|(p, h)| p - ratio * h)
        .collect();
    let var_after_p = variance(&hedged, 1);
    let ann = periods_per_year.sqrt();
    let var_before = historical_var(portfolio_returns, confidence);
    let var_after = historical_var(&hedged, confidence);
    let notional = -ratio * portfolio_value;
    let mut notes = vec![format!(
        "{n} periods; hedged returns r_p − {ratio:.4}·r_h, the hedge held at today's notional"
    )];
    if hedge_price.is_none() {
        notes.push("no price given: units are $ of notional".into());
    }
    if ratio < 0.0 {
        notes.push("the ratio is negative: the hedge is a long position".into());
    }
    Ok(Hedge {
        method_label: label,
        ratio,
        notional,
        units: notional / price,
        hedge_price: price,
        portfolio_value,
        vol_before: var_p.sqrt() * ann,
        vol_after: var_after_p.max(0.0).sqrt() * ann,
        var_before,
        var_after,
        var_before_amount: var_before * portfolio_value,
        var_after_amount: var_after * portfolio_value,
        confidence,
        variance_reduction: 1.0 - var_after_p / var_p,
        correlation,
        observations: n,
        notes,
    })
}

/// Beta hedge: short `β_p·V` of the benchmark, `β_p` the OLS beta of the portfolio returns on
/// the benchmark returns. `hedge_price` is the benchmark's price (`None`: units are $).
pub fn beta_hedge(
    portfolio_returns: &[f64],
    benchmark_returns: &[f64],
    portfolio_value: f64,
    hedge_price: Option<f64>,
    periods_per_year: f64,
    confidence: f64,
) -> Result<Hedge, TradingError> {
    hedge(
        "beta hedge against the benchmark".into(),
        portfolio_returns,
        "benchmark_returns",
        benchmark_returns,
        portfolio_value,
        hedge_price,
        periods_per_year,
        confidence,
    )
}

/// Minimum-variance hedge with an instrument: `h* = Cov(r_p, r_h)/Var(r_h)`.
pub fn min_variance_hedge(
    portfolio_returns: &[f64],
    instrument_returns: &[f64],
    portfolio_value: f64,
    hedge_price: Option<f64>,
    periods_per_year: f64,
    confidence: f64,
) -> Result<Hedge, TradingError> {
    hedge(
        "minimum-variance hedge".into(),
        portfolio_returns,
        "instrument_returns",
        instrument_returns,
        portfolio_value,
        hedge_price,
        periods_per_year,
        confidence,
    )
}

/// [`beta_hedge`] of an aligned portfolio against its benchmark (value = net value).
pub fn beta_hedge_of(
    aligned: &Aligned,
    hedge_price: Option<f64>,
    confidence: f64,
) -> Result<Hedge, TradingError> {
    let b = aligned.benchmark.as_ref().ok_or_else(|| {
        TradingError::invalid("benchmark", "load a benchmark to compute a beta hedge")
    })?;
    let r = crate::analysis::portfolio_returns(aligned);
    let mut h = beta_hedge(
        &r,
        &b.returns,
        aligned.total_value,
        hedge_price,
        aligned.report.periods_per_year,
        confidence,
    )?;
    h.method_label = format!("beta hedge against {}", b.symbol);
    Ok(h)
}

/// [`min_variance_hedge`] of an aligned portfolio with a held symbol or the benchmark; the
/// price defaults to the held symbol's last price (the benchmark's is not known: units in $).
pub fn min_variance_hedge_of(
    aligned: &Aligned,
    instrument: &str,
    hedge_price: Option<f64>,
    confidence: f64,
) -> Result<Hedge, TradingError> {
    let held = aligned.symbols.iter().position(|s| s == instrument);
    let (returns, price) = match held {
        Some(i) => (
            aligned
                .returns
                .get(i)
                .ok_or_else(|| TradingError::UnknownSymbol {
                    symbol: instrument.to_string(),
                })?,
            hedge_price.or_else(|| aligned.positions.get(i).map(|p| p.price)),
        ),
        None => match &aligned.benchmark {
            Some(b) if b.symbol == instrument => (&b.returns, hedge_price),
            _ => {
                return Err(TradingError::UnknownSymbol {
                    symbol: instrument.to_string(),
                })
            }
        },
    };
    let r = crate::analysis::portfolio_returns(aligned);
    let mut h = min_variance_hedge(
        &r,
        returns,
        aligned.total_value,
        price,
        aligned.report.periods_per_year,
        confidence,
    )?;
    h.method_label = format!("minimum-variance hedge with {instrument}");
    Ok(h)
}
