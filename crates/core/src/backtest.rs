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

use crate::var::historical_var;
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

/// A rolling historical VaR backtest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    pub window: usize,
    pub confidence: f64,
    /// `var[k]`: VaR forecast (positive loss) for return `window + k`, from the `window`
    /// returns before it.
    pub var: Vec<f64>,
    /// `hits[k]`: the return `window + k` lost more than its forecast.
    pub hits: Vec<bool>,
    pub kupiec: LrTest,
    pub christoffersen: LrTest,
}

/// Backtest a one-period historical VaR estimated on a rolling `window` of past returns.
pub fn rolling_historical_backtest(returns: &[f64], window: usize, confidence: f64) -> Backtest {
    let mut var = Vec::new();
    let mut hits = Vec::new();
    if window > 0 {
        for t in window..returns.len() {
            let v = historical_var(&returns[t - window..t], confidence);
            var.push(v);
            hits.push(returns[t] < -v);
        }
    }
    let x = hits.iter().filter(|h| **h).count();
    Backtest {
        window,
        confidence,
        kupiec: kupiec(hits.len(), x, confidence),
        christoffersen: christoffersen(&hits),
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
