//! VaR backtesting: a rolling-window historical VaR over history, its exceedances, and the
//! standard tests.
//!
//! - **Kupiec (1995) proportion of failures**: with `x` exceedances in `n` days at expected rate
//!   `p = 1 − c`, `LR_pof = −2 ln[(1−p)^{n−x} p^x] + 2 ln[(1−x/n)^{n−x} (x/n)^x]`, χ²(1).
//! - **Christoffersen (1998) independence**: from the transition counts `n_ij` of the
//!   exceedance indicator (i → j), `π0 = n01/(n00+n01)`, `π1 = n11/(n10+n11)`,
//!   `π = (n01+n11)/Σn`, `LR_ind = −2 ln[(1−π)^{n00+n10} π^{n01+n11}] + 2 ln[(1−π0)^{n00} π0^{n01}
//!   (1−π1)^{n10} π1^{n11}]`, χ²(1). `0·ln 0 = 0`.
//! - **Basel traffic light** (99% VaR, 250 days): green 0–4 exceedances, yellow 5–9, red 10+.
//!
//! Forecasts: historical = type-7 quantile of the last `window` returns; Gaussian = mean and sd
//! (ddof 1) of the window; Cornish-Fisher = the window's population moments; EWMA = the
//! RiskMetrics variance of all earlier returns (zero mean), starting at the same date.

use crate::ewma::RISKMETRICS_LAMBDA;
use crate::var_models::VarModel;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// A likelihood-ratio statistic with its χ²(1) p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LrTest {
    pub statistic: f64,
    pub p_value: f64,
}

fn xlny(x: f64, y: f64) -> f64 {
    if x == 0.0 {
        0.0
    } else {
        x * y.ln()
    }
}

fn chi2_1(statistic: f64) -> LrTest {
    let p_value = match ChiSquared::new(1.0) {
        Ok(d) if statistic.is_finite() => 1.0 - d.cdf(statistic.max(0.0)),
        _ => f64::NAN,
    };
    LrTest { statistic, p_value }
}

/// Kupiec's proportion-of-failures test for `exceedances` out of `n` at confidence `c`.
pub fn kupiec(n: usize, exceedances: usize, confidence: f64) -> LrTest {
    if n == 0 || exceedances > n {
        return LrTest {
            statistic: f64::NAN,
            p_value: f64::NAN,
        };
    }
    let (n, x, p) = (n as f64, exceedances as f64, 1.0 - confidence);
    let observed = x / n;
    let stat = -2.0 * (xlny(n - x, 1.0 - p) + xlny(x, p))
        + 2.0 * (xlny(n - x, 1.0 - observed) + xlny(x, observed));
    chi2_1(stat)
}

/// Christoffersen's independence test on an exceedance indicator sequence.
pub fn christoffersen(hits: &[bool]) -> LrTest {
    let (mut n00, mut n01, mut n10, mut n11) = (0.0, 0.0, 0.0, 0.0);
    for w in hits.windows(2) {
        match (w[0], w[1]) {
            (false, false) => n00 += 1.0,
            (false, true) => n01 += 1.0,
            (true, false) => n10 += 1.0,
            (true, true) => n11 += 1.0,
        }
    }
    let total = n00 + n01 + n10 + n11;
    if total == 0.0 {
        return LrTest {
            statistic: f64::NAN,
            p_value: f64::NAN,
        };
    }
    let pi0 = if n00 + n01 > 0.0 {
        n01 / (n00 + n01)
    } else {
        0.0
    };
    let pi1 = if n10 + n11 > 0.0 {
        n11 / (n10 + n11)
    } else {
        0.0
    };
    let pi = (n01 + n11) / total;
    let restricted = xlny(n00 + n10, 1.0 - pi) + xlny(n01 + n11, pi);
    let free = xlny(n00, 1.0 - pi0) + xlny(n01, pi0) + xlny(n10, 1.0 - pi1) + xlny(n11, pi1);
    chi2_1(-2.0 * restricted + 2.0 * free)
}

/// Basel traffic-light zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BaselZone {
    Green,
    Yellow,
    Red,
}

/// Zone for the number of 99% VaR exceedances in the last 250 days.
pub fn basel_zone(exceedances_in_250: usize) -> BaselZone {
    match exceedances_in_250 {
        0..=4 => BaselZone::Green,
        5..=9 => BaselZone::Yellow,
        _ => BaselZone::Red,
    }
}

/// A rolling VaR backtest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    /// The model forecasting the VaR (historical, Gaussian, Cornish-Fisher or EWMA).
    pub model: VarModel,
    pub window: usize,
    pub confidence: f64,
    /// `var[k]`: VaR forecast (positive loss) for return `window + k`, from the returns before
    /// it (the last `window` of them; EWMA uses all of them, weighted).
    pub var: Vec<f64>,
    /// `hits[k]`: the return `window + k` lost more than its forecast.
    pub hits: Vec<bool>,
    pub exceedances: usize,
    pub kupiec: LrTest,
    pub christoffersen: LrTest,
    /// Basel traffic light: exceedances of the same model's **99%** VaR over the last 250
    /// forecasts (`None` with fewer than 250 forecasts).
    pub basel: Option<BaselResult>,
}

/// The Basel traffic-light result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BaselResult {
    pub days: usize,
    pub exceedances: usize,
    pub zone: BaselZone,
}

/// Days the Basel traffic light looks back.
pub const BASEL_DAYS: usize = 250;

/// Backtest a one-period historical VaR estimated on a rolling `window` of past returns.
pub fn rolling_historical_backtest(returns: &[f64], window: usize, confidence: f64) -> Backtest {
    rolling_backtest(
        returns,
        window,
        confidence,
        VarModel::Historical,
        RISKMETRICS_LAMBDA,
    )
}

/// Sums of powers of `x − shift` over a sliding window, for the window's central moments.
struct SlidingMoments {
    shift: f64,
    n: f64,
    s: [f64; 4],
}

impl SlidingMoments {
    fn new(shift: f64) -> Self {
        SlidingMoments {
            shift,
            n: 0.0,
            s: [0.0; 4],
        }
    }
    fn add(&mut self, x: f64, sign: f64) {
        let d = x - self.shift;
        let mut p = d;
        for k in 0..4 {
            self.s[k] += sign * p;
            p *= d;
        }
        self.n += sign;
    }
    /// (mean, central m2, m3, m4) with 1/n.
    fn moments(&self) -> (f64, f64, f64, f64) {
        let n = self.n;
        let (e1, e2, e3, e4) = (self.s[0] / n, self.s[1] / n, self.s[2] / n, self.s[3] / n);
        let m2 = e2 - e1 * e1;
        let m3 = e3 - 3.0 * e1 * e2 + 2.0 * e1.powi(3);
        let m4 = e4 - 4.0 * e1 * e3 + 6.0 * e1 * e1 * e2 - 3.0 * e1.powi(4);
        (self.shift + e1, m2.max(0.0), m3, m4.max(0.0))
    }
}

/// One-period VaR forecasts of `model` for returns `window..N`, each from the returns before it.
fn forecasts(
    returns: &[f64],
    window: usize,
    confidence: f64,
    model: VarModel,
    lambda: f64,
) -> Vec<f64> {
    let n = returns.len();
    if window < 2 || n <= window {
        return Vec::new();
    }
    let z = statrs::distribution::Normal::standard().inverse_cdf(1.0 - confidence);
    match model {
        VarModel::Ewma => {
            let path = crate::ewma::ewma_variance_path(returns, lambda);
            path[window..].iter().map(|v| -z * v.sqrt()).collect()
        }
        VarModel::Gaussian | VarModel::CornishFisher => {
            let mut acc = SlidingMoments::new(crate::stats::mean(&returns[..window]));
            for x in &returns[..window] {
                acc.add(*x, 1.0);
            }
            let wn = window as f64;
            let mut out = Vec::with_capacity(n - window);
            for t in window..n {
                let (mu, m2, m3, m4) = acc.moments();
                let v = if model == VarModel::Gaussian {
                    // ddof 1, as the full-sample Gaussian VaR.
                    -(mu + z * (m2 * wn / (wn - 1.0)).sqrt())
                } else {
                    let (sk, ku) = if m2 > 0.0 {
                        (m3 / m2.powf(1.5), m4 / (m2 * m2) - 3.0)
                    } else {
                        (0.0, 0.0)
                    };
                    let h = z + (z * z - 1.0) * sk / 6.0 + (z.powi(3) - 3.0 * z) * ku / 24.0
                        - (2.0 * z.powi(3) - 5.0 * z) * sk * sk / 36.0;
                    -(mu + h * m2.sqrt())
                };
                out.push(v);
                acc.add(returns[t], 1.0);
                acc.add(returns[t - window], -1.0);
            }
            out
        }
        _ => {
            // Historical (and the fallback for Monte Carlo models): a sorted sliding window.
            let mut win: Vec<f64> = crate::stats::sorted(&returns[..window]);
            let mut out = Vec::with_capacity(n - window);
            for t in window..n {
                out.push(crate::var::historical_var_sorted(&win, confidence));
                let old = returns[t - window];
                if let Ok(k) = win.binary_search_by(|p| p.total_cmp(&old)) {
                    win.remove(k);
                }
                let new = returns[t];
                let k = win.partition_point(|p| p.total_cmp(&new).is_lt());
                win.insert(k, new);
            }
            out
        }
    }
}

/// Backtest a one-period VaR of `model` (Monte Carlo models fall back to historical) on a
/// rolling `window` of past returns, with Kupiec, Christoffersen and the Basel zone.
pub fn rolling_backtest(
    returns: &[f64],
    window: usize,
    confidence: f64,
    model: VarModel,
    ewma_lambda: f64,
) -> Backtest {
    let model = if model.is_monte_carlo() {
        VarModel::Historical
    } else {
        model
    };
    let var = forecasts(returns, window, confidence, model, ewma_lambda);
    let hits: Vec<bool> = var
        .iter()
        .zip(&returns[window.min(returns.len())..])
        .map(|(v, r)| *r < -*v)
        .collect();
    let x = hits.iter().filter(|h| **h).count();
    let basel = if var.len() >= BASEL_DAYS {
        let var99 = if (confidence - 0.99).abs() < 1e-12 {
            var.clone()
        } else {
            forecasts(returns, window, 0.99, model, ewma_lambda)
        };
        let start = var99.len() - BASEL_DAYS;
        let exceed = var99[start..]
            .iter()
            .zip(&returns[window + start..])
            .filter(|(v, r)| **r < -**v)
            .count();
        Some(BaselResult {
            days: BASEL_DAYS,
            exceedances: exceed,
            zone: basel_zone(exceed),
        })
    } else {
        None
    };
    Backtest {
        model,
        window,
        confidence,
        exceedances: x,
        kupiec: kupiec(hits.len(), x, confidence),
        christoffersen: christoffersen(&hits),
        basel,
        var,
        hits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-computed with Python's math module (xlogy, erfc) — see the doc formulas.
    const HAND_TOL: f64 = 1e-12;

    #[test]
    fn kupiec_hand_case() {
        let t = kupiec(250, 5, 0.99);
        assert!((t.statistic - 1.956809788230622).abs() < HAND_TOL, "{t:?}");
        assert!((t.p_value - 0.16185491719604272).abs() < 1e-9, "{t:?}");
        assert!(kupiec(250, 0, 0.99).statistic > 0.0);
        assert_eq!(basel_zone(4), BaselZone::Green);
        assert_eq!(basel_zone(5), BaselZone::Yellow);
        assert_eq!(basel_zone(10), BaselZone::Red);
    }

    #[test]
    fn christoffersen_hand_case() {
        let mut seq = vec![false; 10];
        seq.extend([true, true]);
        seq.extend(vec![false; 20]);
        seq.push(true);
        seq.extend(vec![false; 17]);
        let t = christoffersen(&seq);
        assert!((t.statistic - 2.2988900261171565).abs() < HAND_TOL, "{t:?}");
        assert!((t.p_value - 0.12946648849671843).abs() < 1e-9, "{t:?}");
    }

    #[test]
    fn sliding_models_match_direct_window_formulas() {
        let r: Vec<f64> = (0..400)
            .map(|i| {
                ((i * 37 % 101) as f64 - 50.0) / 2000.0 + if i % 29 == 0 { -0.04 } else { 0.0 }
            })
            .collect();
        let w = 120;
        for model in [
            VarModel::Historical,
            VarModel::Gaussian,
            VarModel::CornishFisher,
        ] {
            let b = rolling_backtest(&r, w, 0.975, model, 0.94);
            for (k, v) in b.var.iter().enumerate() {
                let past = &r[k..k + w];
                let direct = match model {
                    VarModel::Historical => crate::var::historical_var(past, 0.975),
                    VarModel::Gaussian => crate::var::gaussian_var(past, 0.975),
                    _ => crate::var::cornish_fisher_var(past, 0.975).var,
                };
                assert!(
                    (v - direct).abs() < 1e-12,
                    "{model:?} day {k}: {v} vs {direct}"
                );
            }
        }
        let e = rolling_backtest(&r, w, 0.99, VarModel::Ewma, 0.94);
        let direct = -statrs::distribution::Normal::standard().inverse_cdf(0.01)
            * crate::ewma::ewma_variance(&r[..w], 0.94).sqrt();
        assert!((e.var[0] - direct).abs() < 1e-15);
        // 280 forecasts: the Basel zone looks at the last 250 (at 99%, as asked here).
        let basel = e.basel.expect("250 forecasts or more");
        let last: usize = e.hits[e.hits.len() - 250..].iter().filter(|h| **h).count();
        assert_eq!((basel.days, basel.exceedances), (250, last));
        assert!(rolling_backtest(&r[..300], w, 0.99, VarModel::Ewma, 0.94)
            .basel
            .is_none());
    }

    #[test]
    fn backtest_counts_exceedances() {
        let r: Vec<f64> = (0..300)
            .map(|i| {
                if i % 50 == 49 {
                    -0.2
                } else {
                    ((i * 7) % 11) as f64 / 1000.0 - 0.005
                }
            })
            .collect();
        let b = rolling_historical_backtest(&r, 100, 0.95);
        assert_eq!(b.var.len(), 200);
        assert_eq!(b.hits.iter().filter(|h| **h).count(), 4);
    }
}
