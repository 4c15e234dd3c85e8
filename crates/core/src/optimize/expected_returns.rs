//! Expected (annual) returns `μ` of the assets, the other input of a mean-variance optimisation.
//!
//! Every model reads the per-period simple returns `r_it = p_it/p_i,t−1 − 1` of `T` aligned
//! periods (asset-major, `returns[i][t]`) and returns one **annual** figure per asset; `P` is
//! the number of periods per year (252 for daily data):
//!
//! - **Arithmetic** (the default, used by every optimisation unless changed):
//!   `μ_i = (Σ_t r_it / T)·P`, PyPortfolioOpt `mean_historical_return(compounding=False)`,
//!   Riskfolio-Lib `method_mu='hist'` and skfolio `EmpiricalMu` (both daily, ×P here).
//! - **Geometric** (the compound annual growth rate): `μ_i = (Π_t (1 + r_it))^(P/T) − 1`,
//!   PyPortfolioOpt's default `mean_historical_return(prices)`.
//! - **Exponentially weighted** with span `s`: the pandas `ewm(span=s, adjust=True).mean()` of
//!   the returns at the last period, `m_i = Σ_t λ^(T−1−t) r_it / Σ_t λ^(T−1−t)`,
//!   `λ = 1 − α`, `α = 1/(1 + (s − 1)/2) = 2/(s + 1)`; annualised as `m_i·P` or, compounded,
//!   `(1 + m_i)^P − 1` (PyPortfolioOpt `ema_historical_return(span, compounding)`).
//! - **CAPM**: `μ_i = r_f + β_i (E[R_m] − r_f)`, `β_i = cov(r_i, r_m)/var(r_m)` (sample
//!   moments, ddof 1), with `r_m` the benchmark's returns when one is given, else the
//!   equal-weight average of the assets' returns each period; `E[R_m]` is the market's
//!   geometric annual return when compounding, else its arithmetic mean × P (PyPortfolioOpt
//!   `capm_return(prices, market_prices, risk_free_rate, compounding)`; Sharpe 1964).
//! - **User**: one annual figure per asset, typed by the user.
//!
//! Sums follow numpy's pairwise summation (what pandas' `mean` calls) and the exponentially
//! weighted mean follows pandas' recursion, so the figures agree with PyPortfolioOpt 1.6.0 to
//! about 1e-15 relative (`tests/optim_estimates.rs`). References: PyPortfolioOpt
//! `expected_returns` module (Martin 2021, JOSS 6(61), 3066); pandas `DataFrame.ewm`.

use super::OptError;
use serde::{Deserialize, Serialize};

/// How the expected returns are estimated; named next to every optimised portfolio.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReturnModel {
    /// `mean(r)·P` (no compounding).
    #[default]
    Arithmetic,
    /// `(Π(1 + r))^(P/T) − 1` (compound annual growth rate).
    Geometric,
    /// pandas `ewm(span, adjust=True)` mean of the returns at the last period, `× P`, or
    /// `(1 + m)^P − 1` when `compounding`.
    Ewma {
        /// Span in periods (≥ 1); `λ = 1 − 2/(span + 1)`.
        span: f64,
        #[serde(default)]
        compounding: bool,
    },
    /// `r_f + β_i (E[R_m] − r_f)`; the market is the benchmark, or the equal-weight average
    /// of the assets without one. `E[R_m]` geometric when `compounding`, else `mean·P`.
    Capm {
        #[serde(default)]
        compounding: bool,
    },
    /// Annual expected returns typed by the user, one per asset in the assets' order.
    User { values: Vec<f64> },
}

impl ReturnModel {
    /// PyPortfolioOpt's default span for `ema_historical_return`.
    pub const DEFAULT_EWMA_SPAN: f64 = 500.0;

    /// Every key [`ReturnModel::from_key`] accepts, in the order a menu lists them.
    pub const KEYS: [&'static str; 5] = ["arithmetic", "geometric", "ewma", "capm", "user"];

    /// Stable machine key: `"arithmetic"`, `"geometric"`, `"ewma"`, `"capm"`, `"user"`.
    pub fn key(&self) -> &'static str {
        match self {
            ReturnModel::Arithmetic => "arithmetic",
            ReturnModel::Geometric => "geometric",
            ReturnModel::Ewma { .. } => "ewma",
            ReturnModel::Capm { .. } => "capm",
            ReturnModel::User { .. } => "user",
        }
    }

    /// The model of a key with its default parameters: span
    /// [`ReturnModel::DEFAULT_EWMA_SPAN`], no compounding, and no user values yet (they must
    /// be filled in, one per asset, before [`expected_returns`] accepts the model).
    pub fn from_key(key: &str) -> Option<ReturnModel> {
        Some(match key {
            "arithmetic" => ReturnModel::Arithmetic,
            "geometric" => ReturnModel::Geometric,
            "ewma" => ReturnModel::Ewma {
                span: Self::DEFAULT_EWMA_SPAN,
                compounding: false,
            },
            "capm" => ReturnModel::Capm { compounding: false },
            "user" => ReturnModel::User { values: Vec::new() },
            _ => return None,
        })
    }

    /// Name shown to the user, e.g. `"Exponentially weighted mean (span 500)"`.
    pub fn label(&self) -> String {
        match self {
            ReturnModel::Arithmetic => "Historical mean (arithmetic)".to_string(),
            ReturnModel::Geometric => "Historical growth rate (geometric, CAGR)".to_string(),
            ReturnModel::Ewma { span, compounding } => format!(
                "Exponentially weighted mean (span {}{})",
                trim_number(*span, 2),
                if *compounding { ", compounded" } else { "" }
            ),
            ReturnModel::Capm { compounding } => format!(
                "CAPM (beta × market return{})",
                if *compounding { ", compounded" } else { "" }
            ),
            ReturnModel::User { .. } => "Your own estimates".to_string(),
        }
    }

    /// One plain-language sentence with the formula, shown next to the numbers.
    pub fn convention(&self) -> String {
        match self {
            ReturnModel::Arithmetic => {
                "The average return per period times the periods in a year (252 for daily data), \
                 without compounding: μ = mean(r)·P."
                    .to_string()
            }
            ReturnModel::Geometric => {
                "The compound annual growth rate over the window: μ = (Π(1 + r))^(P/T) − 1, \
                 lower than the arithmetic mean the more volatile the asset."
                    .to_string()
            }
            ReturnModel::Ewma { span, compounding } => format!(
                "A weighted average of the returns in which each older period counts λ = {} \
                 times the next newer one (span {}), {}.",
                trim_number(1.0 - 2.0 / (span + 1.0), 5),
                trim_number(*span, 2),
                if *compounding {
                    "compounded over a year: μ = (1 + m)^P − 1"
                } else {
                    "times the periods in a year: μ = m·P"
                }
            ),
            ReturnModel::Capm { compounding } => format!(
                "μ = r_f + β·(E[R_m] − r_f): each asset earns the risk-free rate plus its beta \
                 times the market's excess return; the market is the benchmark if one is \
                 loaded, otherwise the equal-weight average of the assets, and E[R_m] is its {}.",
                if *compounding {
                    "compound annual growth rate"
                } else {
                    "average return per period times the periods in a year"
                }
            ),
            ReturnModel::User { .. } => {
                "The annual expected returns you typed, used as they are.".to_string()
            }
        }
    }
}

/// A number with at most `decimals` decimals and no trailing zeros (`500`, `0.99601`).
fn trim_number(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Annual expected returns of each asset under `model` (module docs for the formulas).
///
/// `returns` are asset-major per-period simple returns of equal length `T`, `periods_per_year`
/// is `P`, `benchmark` the market's returns over the same `T` periods (CAPM only; without one
/// the market is the equal-weight average of the assets) and `rf_annual` the annual risk-free
/// rate (CAPM only).
///
/// Errors (never a panic): no assets, no periods, unequal lengths, a non-finite return, a
/// return of −100% or worse for the compounded models, `P` not positive, a span below 1,
/// fewer than 2 periods or a market without variance for CAPM, user values that are not one
/// finite number per asset, and returns so large that a figure overflows.
pub fn expected_returns(
    returns: &[Vec<f64>],
    periods_per_year: f64,
    model: &ReturnModel,
    benchmark: Option<&[f64]>,
    rf_annual: f64,
) -> Result<Vec<f64>, OptError> {
    if let ReturnModel::User { values } = model {
        return user_values(values, returns.len());
    }
    validate_returns(returns)?;
    if !(periods_per_year.is_finite() && periods_per_year > 0.0) {
        return Err(OptError::invalid(
            "periods per year",
            format!("must be a positive number (got {periods_per_year})"),
        ));
    }
    let p = periods_per_year;
    let mu: Vec<f64> = match model {
        ReturnModel::Arithmetic => Ok(returns.iter().map(|r| mean(r) * p).collect()),
        ReturnModel::Geometric => returns
            .iter()
            .enumerate()
            .map(|(i, r)| cagr(r, p, &format!("asset {}", i + 1)))
            .collect(),
        ReturnModel::Ewma { span, compounding } => {
            if !(span.is_finite() && *span >= 1.0) {
                return Err(OptError::invalid(
                    "span",
                    format!(
                        "the exponential weighting span must be at least 1 period (got {span})"
                    ),
                ));
            }
            returns
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let m = ewm_last(r, *span);
                    if *compounding {
                        if m <= -1.0 {
                            return Err(OptError::invalid(
                                "returns",
                                format!(
                                    "asset {}: the weighted mean return is −100% or worse, so it cannot be compounded",
                                    i + 1
                                ),
                            ));
                        }
                        Ok((1.0 + m).powf(p) - 1.0)
                    } else {
                        Ok(m * p)
                    }
                })
                .collect()
        }
        ReturnModel::Capm { compounding } => capm(returns, p, *compounding, benchmark, rf_annual),
        ReturnModel::User { values } => user_values(values, returns.len()),
    }?;
    if let Some(i) = mu.iter().position(|m| !m.is_finite()) {
        return Err(OptError::invalid(
            "returns",
            format!(
                "asset {}: the returns are too large, its expected return overflows",
                i + 1
            ),
        ));
    }
    Ok(mu)
}

fn user_values(values: &[f64], n_assets: usize) -> Result<Vec<f64>, OptError> {
    if values.len() != n_assets {
        return Err(OptError::invalid(
            "expected returns",
            format!(
                "{} value(s) typed for {n_assets} asset(s): give one annual expected return per asset",
                values.len()
            ),
        ));
    }
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(OptError::invalid(
            "expected returns",
            format!("asset {}: the value is not a finite number", i + 1),
        ));
    }
    Ok(values.to_vec())
}

/// Non-empty, equally long (≥ 1 period), finite series.
fn validate_returns(returns: &[Vec<f64>]) -> Result<(), OptError> {
    let Some(first) = returns.first() else {
        return Err(OptError::invalid(
            "returns",
            "no assets: expected returns need at least one return series",
        ));
    };
    let t = first.len();
    if t == 0 {
        return Err(OptError::TooFewObservations {
            what: "an expected return".to_string(),
            need: 1,
            got: 0,
        });
    }
    for (i, r) in returns.iter().enumerate() {
        if r.len() != t {
            return Err(OptError::invalid(
                "returns",
                format!(
                    "asset {} has {} returns but asset 1 has {t}: the series must be aligned to the same dates",
                    i + 1,
                    r.len()
                ),
            ));
        }
        if let Some(k) = r.iter().position(|x| !x.is_finite()) {
            return Err(OptError::invalid(
                "returns",
                format!(
                    "asset {} has a missing or non-finite return at period {}",
                    i + 1,
                    k + 1
                ),
            ));
        }
    }
    Ok(())
}

/// numpy's pairwise summation of `float64` (`pairwise_sum_DOUBLE`): blocks of at most 128
/// values summed with eight interleaved accumulators, halves (rounded down to a multiple of 8)
/// summed recursively. Error `O(ε log n)` instead of `O(ε n)`.
fn pairwise_sum(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        a.iter().fold(-0.0, |s, x| s + x)
    } else if n <= 128 {
        let mut r = [0.0; 8];
        r.copy_from_slice(&a[..8]);
        let whole = n - n % 8;
        for chunk in a[8..whole].chunks_exact(8) {
            for (acc, x) in r.iter_mut().zip(chunk) {
                *acc += x;
            }
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for x in &a[whole..] {
            res += x;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise_sum(&a[..n2]) + pairwise_sum(&a[n2..])
    }
}

/// pandas' `Series.mean()`: pairwise sum over the count (`NaN` when empty).
fn mean(a: &[f64]) -> f64 {
    pairwise_sum(a) / a.len() as f64
}

/// `(Π(1 + r))^(P/T) − 1`; `who` names the series in the error for a return of −100% or worse.
fn cagr(r: &[f64], p: f64, who: &str) -> Result<f64, OptError> {
    if let Some(k) = r.iter().position(|&x| x <= -1.0) {
        return Err(OptError::invalid(
            "returns",
            format!(
                "{who} loses 100% or more at period {}, so its returns cannot be compounded",
                k + 1
            ),
        ));
    }
    let growth = r.iter().fold(1.0, |g, x| g * (1.0 + x));
    Ok(growth.powf(p / r.len() as f64) - 1.0)
}

/// pandas `Series.ewm(span, adjust=True).mean().iloc[-1]` for a finite, non-empty series, by
/// pandas' own recursion (`window/aggregations.pyx::ewm`): with `α = 1/(1 + com)`,
/// `com = (span − 1)/2`, `m_0 = r_0`, `w_0 = 1` and for `t ≥ 1`:
/// `w ← w(1 − α)`, `m ← (w·m + r_t)/(w + 1)` (skipped when `m = r_t`), `w ← w + 1`.
fn ewm_last(r: &[f64], span: f64) -> f64 {
    let com = (span - 1.0) / 2.0;
    let alpha = 1.0 / (1.0 + com);
    let old_wt_factor = 1.0 - alpha;
    let new_wt = 1.0;
    let Some((&first, rest)) = r.split_first() else {
        return f64::NAN;
    };
    let mut weighted = first;
    let mut old_wt = 1.0;
    for &cur in rest {
        old_wt *= old_wt_factor;
        if weighted != cur {
            weighted = old_wt * weighted + new_wt * cur;
            weighted /= old_wt + new_wt;
        }
        old_wt += new_wt;
    }
    weighted
}

/// `x − m`, exact zeros for a constant series (whose floating-point mean need not equal its
/// value), so that a flat market has exactly zero variance.
fn centred(x: &[f64], m: f64) -> Vec<f64> {
    match x.split_first() {
        Some((&first, rest)) if rest.iter().all(|&v| v == first) => vec![0.0; x.len()],
        _ => x.iter().map(|v| v - m).collect(),
    }
}

/// CAPM expected returns (module docs).
fn capm(
    returns: &[Vec<f64>],
    p: f64,
    compounding: bool,
    benchmark: Option<&[f64]>,
    rf_annual: f64,
) -> Result<Vec<f64>, OptError> {
    if !rf_annual.is_finite() {
        return Err(OptError::invalid(
            "risk-free rate",
            format!("must be a finite number (got {rf_annual})"),
        ));
    }
    let t = returns.first().map_or(0, Vec::len);
    if t < 2 {
        return Err(OptError::TooFewObservations {
            what: "CAPM expected returns (a beta)".to_string(),
            need: 2,
            got: t,
        });
    }
    let (market, market_name): (Vec<f64>, &str) = match benchmark {
        Some(b) => {
            if b.len() != t {
                return Err(OptError::invalid(
                    "benchmark",
                    format!(
                        "the benchmark has {} returns but the assets have {t}: align it to the same dates",
                        b.len()
                    ),
                ));
            }
            if let Some(k) = b.iter().position(|x| !x.is_finite()) {
                return Err(OptError::invalid(
                    "benchmark",
                    format!("missing or non-finite return at period {}", k + 1),
                ));
            }
            (b.to_vec(), "the benchmark")
        }
        None => {
            let n = returns.len() as f64;
            let market = (0..t)
                .map(|k| returns.iter().map(|r| r[k]).sum::<f64>() / n)
                .collect();
            (market, "the equal-weight market proxy")
        }
    };
    let mean_m = mean(&market);
    let dm = centred(&market, mean_m);
    let denom = (t - 1) as f64;
    let var_m = pairwise_sum(&dm.iter().map(|d| d * d).collect::<Vec<_>>()) / denom;
    if !(var_m > 0.0 && var_m.is_finite()) {
        return Err(OptError::ZeroVariance {
            symbol: market_name.to_string(),
        });
    }
    let market_return = if compounding {
        cagr(&market, p, market_name)?
    } else {
        mean_m * p
    };
    let premium = market_return - rf_annual;
    Ok(returns
        .iter()
        .map(|r| {
            let di = centred(r, mean(r));
            let products: Vec<f64> = di.iter().zip(&dm).map(|(x, d)| x * d).collect();
            let beta = pairwise_sum(&products) / denom / var_m;
            rf_annual + beta * premium
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_sum_is_exact_on_integers() {
        for n in [0usize, 1, 7, 8, 9, 127, 128, 129, 300, 1000] {
            let a: Vec<f64> = (1..=n).map(|k| k as f64).collect();
            assert_eq!(pairwise_sum(&a), (n * (n + 1) / 2) as f64, "n = {n}");
        }
    }

    #[test]
    fn ewm_matches_the_closed_form() {
        let r: Vec<f64> = (0..50)
            .map(|k| ((k * 7919) % 23) as f64 / 100.0 - 0.1)
            .collect();
        let span = 10.0;
        let lambda = 1.0 - 2.0 / (span + 1.0);
        let (mut num, mut den) = (0.0, 0.0);
        for (k, x) in r.iter().enumerate() {
            let w = f64::powi(lambda, (r.len() - 1 - k) as i32);
            num += w * x;
            den += w;
        }
        assert!((ewm_last(&r, span) - num / den).abs() < 1e-15);
    }
}
