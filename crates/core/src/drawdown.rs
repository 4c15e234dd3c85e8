//! Drawdowns of compounded wealth.
//!
//! Wealth starts from a base point `W_0 = 1` on the base date (the close before the first
//! return) and compounds: `W_t = Π_{s≤t}(1 + r_s)`. The high-water mark is `HWM_t = max_{s≤t} W_s`
//! and the drawdown `dd_t = W_t / HWM_t − 1 ≤ 0`. Keeping the base point means a loss on the first
//! day counts (as in QuantStats, empyrical and ffn; pyfolio drops it).
//!
//! A value within [`AT_HIGH_TOLERANCE`] of the high counts as at the high: computed from returns,
//! a price that comes back exactly to its high can leave `dd = −2.2e−16`, which must not merge
//! two episodes. Episodes follow the reference definition of `CONVENTIONS.md` §3: `peak` is the
//! last date at the high before the run under water, `start` the first date under water,
//! `trough` the date of the deepest point, `recovery` the first date back at the high (none if
//! the series ends under water); lengths are counted in return observations from the peak to the
//! recovery (or the last date) and in calendar days over the same span.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// `dd_t > −1e−12` counts as "at the high-water mark".
pub const AT_HIGH_TOLERANCE: f64 = 1e-12;

/// Growth of 1: `W_0 = 1`, `W_t = W_{t−1}(1 + r_t)`; length `returns.len() + 1`.
pub fn wealth(returns: &[f64]) -> Vec<f64> {
    let mut w = Vec::with_capacity(returns.len() + 1);
    let mut x = 1.0;
    w.push(x);
    for r in returns {
        x *= 1.0 + r;
        w.push(x);
    }
    w
}

/// Drawdown series `W_t/HWM_t − 1` (≤ 0) of a wealth series; values within the tolerance of the
/// high are set to exactly 0.
pub fn drawdown_series(wealth: &[f64]) -> Vec<f64> {
    let mut hwm = f64::NEG_INFINITY;
    wealth
        .iter()
        .map(|&w| {
            if w > hwm {
                hwm = w;
            }
            let dd = if hwm > 0.0 { w / hwm - 1.0 } else { -1.0 };
            if dd > -AT_HIGH_TOLERANCE {
                0.0
            } else {
                dd
            }
        })
        .collect()
}

/// One drawdown episode. Indices refer to the wealth/date series (index 0 = base date).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    pub peak: NaiveDate,
    pub start: NaiveDate,
    pub trough: NaiveDate,
    pub recovery: Option<NaiveDate>,
    /// Depth as a positive fraction (0.48 = a 48% fall).
    pub depth: f64,
    /// Return observations from the peak to the recovery (or to the last date).
    pub trading_days: usize,
    /// Calendar days from the peak to the recovery (or to the last date).
    pub calendar_days: i64,
    /// Observations under water (the run's length).
    pub days_underwater: usize,
}

/// Every episode, in time order, from a drawdown series and its dates (same length).
pub fn episodes(dates: &[NaiveDate], dd: &[f64]) -> Vec<Episode> {
    let n = dd.len().min(dates.len());
    let mut out = Vec::new();
    let mut t = 0;
    while t < n {
        if dd[t] >= 0.0 || t == 0 {
            t += 1;
            continue;
        }
        let peak = t - 1;
        let start = t;
        let mut trough = t;
        while t < n && dd[t] < 0.0 {
            if dd[t] < dd[trough] {
                trough = t;
            }
            t += 1;
        }
        let recovery = if t < n { Some(t) } else { None };
        let end = recovery.unwrap_or(n - 1);
        out.push(Episode {
            peak: dates[peak],
            start: dates[start],
            trough: dates[trough],
            recovery: recovery.map(|r| dates[r]),
            depth: -dd[trough],
            trading_days: end - peak,
            calendar_days: (dates[end] - dates[peak]).num_days(),
            days_underwater: t - start,
        });
    }
    out
}

/// The `k` deepest episodes, deepest first (ties: earlier first).
pub fn top_episodes(mut all: Vec<Episode>, k: usize) -> Vec<Episode> {
    all.sort_by(|a, b| b.depth.total_cmp(&a.depth).then(a.peak.cmp(&b.peak)));
    all.truncate(k);
    all
}

/// Maximum drawdown (positive fraction) of a drawdown series; 0 when never under water.
pub fn max_drawdown(dd: &[f64]) -> f64 {
    -dd.iter().copied().fold(0.0, f64::min)
}

/// Current drawdown (positive fraction): the last value of the series.
pub fn current_drawdown(dd: &[f64]) -> f64 {
    dd.last().map_or(0.0, |d| -d)
}

/// Average drawdown: the mean depth (positive) over all episodes, however shallow
/// (QuantStats "Avg. Drawdown", ffn `avg_drawdown`); 0 without episodes.
pub fn average_drawdown(episodes: &[Episode]) -> f64 {
    if episodes.is_empty() {
        0.0
    } else {
        episodes.iter().map(|e| e.depth).sum::<f64>() / episodes.len() as f64
    }
}

/// Ulcer index `√(mean(dd_t²))` over the return dates (Martin 1987; the base point is not
/// counted), as a fraction. `dd` is a [`drawdown_series`] including the base point.
pub fn ulcer_index(dd: &[f64]) -> f64 {
    let body = dd.get(1..).unwrap_or(&[]);
    if body.is_empty() {
        return f64::NAN;
    }
    (body.iter().map(|d| d * d).sum::<f64>() / body.len() as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residue_at_the_high_does_not_merge_episodes() {
        // Up 10%, down to 100 (−9.09%), back exactly to 110, down again, back.
        let prices = [100.0, 110.0, 100.0, 110.0, 99.0, 110.0];
        let r: Vec<f64> = prices.windows(2).map(|w| w[1] / w[0] - 1.0).collect();
        let w = wealth(&r);
        let dd = drawdown_series(&w);
        let d: Vec<NaiveDate> = (0..6)
            .map(|i| NaiveDate::from_ymd_opt(2020, 1, 1 + i).unwrap_or_default())
            .collect();
        let e = episodes(&d, &dd);
        assert_eq!(e.len(), 2, "{dd:?}");
        assert!((e[1].depth - 0.1).abs() < 1e-12);
        assert_eq!(e[0].recovery, Some(d[3]));
    }
}
