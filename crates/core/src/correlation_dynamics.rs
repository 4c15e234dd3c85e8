//! Correlation and volatility over time: the rolling correlation of a chosen pair, the average
//! pairwise correlation of the holdings, and "breakdown" events.
//!
//! - **Average pairwise correlation** over a window `w` ending on each date:
//!   `ρ̄_t = (2 / (p(p−1))) Σ_{i<j} ρ_ij,t`, each `ρ_ij,t` the Pearson correlation of the last
//!   `w` returns (the same as the full-sample convention, ddof cancels). Computed with sliding
//!   sums of deviations from each asset's full-sample mean, re-summed every `w` steps (up to
//!   [`SLIDING_MAX_ASSETS`] assets). With more assets it uses the identity
//!   `Σ_{i≠j} ρ_ij = Σ_t (Σ_i z_it)² / (w−1) − q` on the window's standardised returns `z`
//!   (`q` assets with variance), `O(p·w)` per date, evaluated every `stride` dates so that the
//!   whole series costs about [`STRIDED_BUDGET`] operations, and held in between; the series says
//!   which stride it used. Assets with no variance in a window are left out of that window's
//!   average.
//! - **Correlation breakdown**: dates where the short-window average correlation exceeds the
//!   long-window one by more than `jump` (`ρ̄_short − ρ̄_long > jump`): correlations rising
//!   together, when diversification fails.
//! - **Volatility spike**: dates where the portfolio's short-window volatility is more than
//!   `ratio` times its long-window volatility.
//!
//! Dates meeting a condition form one [`Breakdown`] event (start, end, the date and value of its
//! peak) when they are consecutive or separated by at most `merge_gap` dates that do not (so one
//! turbulent month is one event, not a dozen one-day blips). Defaults: 21-day short and 252-day
//! long windows, jump 0.20, ratio 1.5, merge gap 10.

use crate::rolling::{rolling_volatility, Rolling};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a breakdown event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BreakdownKind {
    /// Short-window average correlation above the long-window level by more than the jump.
    Correlation,
    /// Short-window volatility above the long-window volatility times the ratio.
    Volatility,
}

/// One event: a run of consecutive dates meeting the condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub kind: BreakdownKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub peak: NaiveDate,
    /// The largest excess correlation (`ρ̄_short − ρ̄_long`) or volatility ratio of the run.
    pub peak_value: f64,
    /// Dates in the run.
    pub days: usize,
}

/// Windows and thresholds of the detection.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BreakdownSettings {
    pub short_window: usize,
    pub long_window: usize,
    pub correlation_jump: f64,
    pub volatility_ratio: f64,
    /// Flagged dates at most this many dates apart belong to the same event.
    pub merge_gap: usize,
}

impl Default for BreakdownSettings {
    fn default() -> Self {
        BreakdownSettings {
            short_window: 21,
            long_window: 252,
            correlation_jump: 0.2,
            volatility_ratio: 1.5,
            merge_gap: 10,
        }
    }
}

/// Up to this many assets the average correlation slides pairwise sums every date.
pub const SLIDING_MAX_ASSETS: usize = 60;
/// Operation budget of the strided average correlation (more assets).
pub const STRIDED_BUDGET: usize = 15_000_000;

/// Average pairwise correlation over a rolling window; also returns the stride used.
pub fn average_pairwise_correlation(
    dates: &[NaiveDate],
    returns: &[Vec<f64>],
    window: usize,
) -> (Rolling, usize) {
    let p = returns.len();
    let n = returns
        .iter()
        .map(Vec::len)
        .min()
        .unwrap_or(0)
        .min(dates.len());
    let mut out = Rolling::empty(window);
    let stride = if p <= SLIDING_MAX_ASSETS {
        1
    } else {
        (2 * p * window * n.saturating_sub(window) / STRIDED_BUDGET).max(1)
    };
    if p < 2 || window < 2 || n < window {
        return (out, stride);
    }
    if stride > 1 || p > SLIDING_MAX_ASSETS {
        return (
            standardised_average(dates, returns, window, n, stride),
            stride,
        );
    }
    let centres: Vec<f64> = returns
        .iter()
        .map(|r| crate::stats::mean(&r[..n]))
        .collect();
    // Deviations from the centres, date-major (row t holds the p assets), so the sliding
    // updates read contiguous memory.
    let mut devs = vec![0.0; n * p];
    for (i, r) in returns.iter().enumerate() {
        for (t, x) in r[..n].iter().enumerate() {
            devs[t * p + i] = x - centres[i];
        }
    }
    let row = |t: usize| &devs[t * p..(t + 1) * p];
    let w = window as f64;
    let mut s1 = vec![0.0; p];
    let mut s2 = vec![0.0; p];
    let mut cross = vec![0.0; p * p];
    let mut inv = vec![0.0; p];
    let fill = |s1: &mut [f64], s2: &mut [f64], cross: &mut [f64], end: usize| {
        s1.iter_mut().for_each(|x| *x = 0.0);
        s2.iter_mut().for_each(|x| *x = 0.0);
        cross.iter_mut().for_each(|x| *x = 0.0);
        for t in end - window..end {
            let a = row(t);
            for i in 0..p {
                let ai = a[i];
                s1[i] += ai;
                s2[i] += ai * ai;
                let c = &mut cross[i * p..(i + 1) * p];
                for j in i + 1..p {
                    c[j] += ai * a[j];
                }
            }
        }
    };
    for end in window..=n {
        let k = end - window;
        if k.is_multiple_of(window) {
            fill(&mut s1, &mut s2, &mut cross, end);
        } else {
            let (a, d) = (row(end - 1), row(end - 1 - window));
            for i in 0..p {
                let (ai, di) = (a[i], d[i]);
                s1[i] += ai - di;
                s2[i] += ai * ai - di * di;
                let c = &mut cross[i * p..(i + 1) * p];
                for j in i + 1..p {
                    c[j] += ai * a[j] - di * d[j];
                }
            }
        }
        // ρ_ij = (C_ij − S_i S_j / w) · g_i g_j with g_i = 1/√(Σ (x−x̄)²) (the w−1 cancels);
        // assets without variance get g = 0 and are not counted.
        let mut q = 0usize;
        for i in 0..p {
            let ss = s2[i] - s1[i] * s1[i] / w;
            inv[i] = if ss > 0.0 {
                q += 1;
                1.0 / ss.sqrt()
            } else {
                0.0
            };
        }
        let mut sum = 0.0;
        for i in 0..p {
            if inv[i] == 0.0 {
                continue;
            }
            let c = &cross[i * p..(i + 1) * p];
            let (si, gi) = (s1[i] / w, inv[i]);
            let mut row_sum = 0.0;
            for j in i + 1..p {
                row_sum += (c[j] - si * s1[j]) * inv[j];
            }
            sum += row_sum * gi;
        }
        out.dates.push(dates[end - 1]);
        out.values.push(if q < 2 {
            f64::NAN
        } else {
            (sum / (q * (q - 1) / 2) as f64).clamp(-1.0, 1.0)
        });
    }
    (out, stride)
}

/// The average pairwise correlation from the standardised-sum identity, every `stride` dates
/// (held in between; the last date is always evaluated).
fn standardised_average(
    dates: &[NaiveDate],
    returns: &[Vec<f64>],
    window: usize,
    n: usize,
    stride: usize,
) -> Rolling {
    let p = returns.len();
    let w = window as f64;
    let mut out = Rolling {
        window,
        dates: Vec::with_capacity(n + 1 - window),
        values: Vec::with_capacity(n + 1 - window),
    };
    let mut mean = vec![0.0; p];
    let mut inv_sd = vec![0.0; p];
    let mut sum_z = vec![0.0; window];
    let mut last = f64::NAN;
    for end in window..=n {
        let k = end - window;
        if k.is_multiple_of(stride) || end == n {
            let start = end - window;
            let mut q = 0usize;
            for (i, r) in returns.iter().enumerate() {
                let x = &r[start..end];
                let m = x.iter().sum::<f64>() / w;
                let v = x.iter().map(|y| (y - m) * (y - m)).sum::<f64>() / (w - 1.0);
                mean[i] = m;
                inv_sd[i] = if v > 0.0 {
                    q += 1;
                    1.0 / v.sqrt()
                } else {
                    0.0
                };
            }
            sum_z.iter_mut().for_each(|z| *z = 0.0);
            for (i, r) in returns.iter().enumerate() {
                if inv_sd[i] == 0.0 {
                    continue;
                }
                for (z, y) in sum_z.iter_mut().zip(&r[start..end]) {
                    *z += (y - mean[i]) * inv_sd[i];
                }
            }
            last = if q >= 2 {
                let ss: f64 = sum_z.iter().map(|z| z * z).sum();
                let qf = q as f64;
                ((ss / (w - 1.0) - qf) / (qf * (qf - 1.0))).clamp(-1.0, 1.0)
            } else {
                f64::NAN
            };
        }
        out.dates.push(dates[end - 1]);
        out.values.push(last);
    }
    out
}

/// Merge flagged dates into events: a flagged date within `gap` dates after the last flagged
/// date of an event extends it. `values[k]` is the statistic on `dates[k]`; `flag(v)` decides
/// whether the date counts. `days` counts the flagged dates of the event.
fn events(
    kind: BreakdownKind,
    dates: &[NaiveDate],
    values: &[f64],
    gap: usize,
    flag: impl Fn(f64) -> bool,
) -> Vec<Breakdown> {
    let mut out: Vec<Breakdown> = Vec::new();
    let mut last_flagged: Option<usize> = None;
    for (k, (d, v)) in dates.iter().zip(values).enumerate() {
        if !(v.is_finite() && flag(*v)) {
            continue;
        }
        let extend = last_flagged.is_some_and(|l| k - l <= gap + 1);
        match out.last_mut() {
            Some(e) if extend => {
                e.end = *d;
                e.days += 1;
                if *v > e.peak_value {
                    e.peak_value = *v;
                    e.peak = *d;
                }
            }
            _ => out.push(Breakdown {
                kind,
                start: *d,
                end: *d,
                peak: *d,
                peak_value: *v,
                days: 1,
            }),
        }
        last_flagged = Some(k);
    }
    out
}

/// `short − long` on the dates of `short` where `long` has a value (both dated by window end).
fn aligned_difference(short: &Rolling, long: &Rolling, ratio: bool) -> (Vec<NaiveDate>, Vec<f64>) {
    let offset = short.dates.len().saturating_sub(long.dates.len());
    let dates = short.dates.get(offset..).unwrap_or(&[]).to_vec();
    let values = short
        .values
        .get(offset..)
        .unwrap_or(&[])
        .iter()
        .zip(&long.values)
        .map(|(s, l)| if ratio { s / l } else { s - l })
        .collect();
    (dates, values)
}

/// The correlation-breakdown series (`ρ̄_short − ρ̄_long`, dated) and its events.
pub fn correlation_breakdowns(
    short: &Rolling,
    long: &Rolling,
    jump: f64,
    merge_gap: usize,
) -> ((Vec<NaiveDate>, Vec<f64>), Vec<Breakdown>) {
    let (dates, excess) = aligned_difference(short, long, false);
    let ev = events(
        BreakdownKind::Correlation,
        &dates,
        &excess,
        merge_gap,
        |v| v > jump,
    );
    ((dates, excess), ev)
}

/// The volatility-ratio series (short / long portfolio volatility, dated) and its spikes.
pub fn volatility_spikes(
    dates: &[NaiveDate],
    returns: &[f64],
    settings: &BreakdownSettings,
) -> ((Vec<NaiveDate>, Vec<f64>), Vec<Breakdown>) {
    let short = rolling_volatility(dates, returns, settings.short_window, 1.0);
    let long = rolling_volatility(dates, returns, settings.long_window, 1.0);
    let (d, ratio) = aligned_difference(&short, &long, true);
    let ev = events(
        BreakdownKind::Volatility,
        &d,
        &ratio,
        settings.merge_gap,
        |v| v > settings.volatility_ratio,
    );
    ((d, ratio), ev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relative::correlation;

    fn days(n: usize) -> Vec<NaiveDate> {
        (0..n)
            .map(|i| {
                NaiveDate::from_ymd_opt(2001, 1, 1).unwrap_or_default()
                    + chrono::Duration::days(i as i64)
            })
            .collect()
    }

    /// Sliding and recomputed averages against the pairwise definition.
    const AVG_CORR_ABS_TOL: f64 = 1e-12;

    #[test]
    fn average_pairwise_correlation_matches_the_definition() {
        let n = 200;
        let r: Vec<Vec<f64>> = (0..4)
            .map(|a| {
                (0..n)
                    .map(|t| {
                        let common = ((t * 7919 % 97) as f64 - 48.0) / 4000.0;
                        let own = (((t + 13 * a) * 104_729 % 89) as f64 - 44.0) / 3000.0;
                        common * (a as f64 + 1.0) / 2.0 + own
                    })
                    .collect()
            })
            .collect();
        let d = days(n);
        let (avg, stride) = average_pairwise_correlation(&d, &r, 30);
        assert_eq!(stride, 1);
        assert_eq!(avg.values.len(), n - 29);
        for (k, end) in (30..=n).enumerate() {
            let mut sum = 0.0;
            for i in 0..4 {
                for j in i + 1..4 {
                    sum += correlation(&r[i][end - 30..end], &r[j][end - 30..end]);
                }
            }
            assert!((avg.values[k] - sum / 6.0).abs() < AVG_CORR_ABS_TOL, "{k}");
        }
    }

    #[test]
    fn the_standardised_identity_equals_the_pairwise_average() {
        let n = 120;
        let r: Vec<Vec<f64>> = (0..7)
            .map(|a| {
                (0..n)
                    .map(|t| {
                        let common = ((t * 7919 % 97) as f64 - 48.0) / 4000.0;
                        let own = (((t + 11 * a) * 104_729 % 89) as f64 - 44.0) / 3000.0;
                        common * (a as f64 + 1.0) / 3.0 + own
                    })
                    .collect()
            })
            .collect();
        let d = days(n);
        let (sliding, _) = average_pairwise_correlation(&d, &r, 25);
        let strided = standardised_average(&d, &r, 25, n, 1);
        for (a, b) in sliding.values.iter().zip(&strided.values) {
            assert!((a - b).abs() < AVG_CORR_ABS_TOL, "{a} vs {b}");
        }
        let held = standardised_average(&d, &r, 25, n, 10);
        assert_eq!(held.values[0], strided.values[0]);
        assert_eq!(held.values[5], strided.values[0]);
        assert_eq!(held.values.last(), strided.values.last());
    }

    #[test]
    fn events_merge_close_dates() {
        let d = days(8);
        let v = [0.0, 0.3, 0.5, 0.1, 0.0, 0.25, f64::NAN, 0.4];
        let e = events(BreakdownKind::Correlation, &d, &v, 0, |x| x > 0.2);
        assert_eq!(e.len(), 3);
        assert_eq!(
            (e[0].start, e[0].end, e[0].peak, e[0].days),
            (d[1], d[2], d[2], 2)
        );
        assert_eq!(e[2].start, d[7]);
        // A gap of up to two dates is bridged: flagged 1, 2, 5, 7 → one event.
        let e = events(BreakdownKind::Correlation, &d, &v, 2, |x| x > 0.2);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!((e[0].start, e[0].end, e[0].days), (d[1], d[7], 4));
    }

    #[test]
    fn a_volatility_spike_is_found() {
        let n = 400;
        let r: Vec<f64> = (0..n)
            .map(|t| {
                let base = ((t * 7919 % 97) as f64 - 48.0) / 10_000.0;
                if (300..320).contains(&t) {
                    base * 5.0
                } else {
                    base
                }
            })
            .collect();
        let s = BreakdownSettings::default();
        let (_, ev) = volatility_spikes(&days(n), &r, &s);
        assert_eq!(ev.len(), 1, "{ev:?}");
        assert!(ev[0].start >= days(n)[300] && ev[0].peak_value > 1.5);
    }
}
