//! Alignment: from loaded price series and holdings to one analysis window of returns.
//!
//! - Each asset's history starts at its first price; a missing price is never a zero return.
//! - The window is the longest span where every held asset has prices: from the latest first
//!   date to the earliest last date. Inside it the calendar is the intersection of the held
//!   assets' dates; a date where some asset has no price is dropped and the next return spans
//!   the gap (`p_t / p_prev − 1`), with a note.
//! - A returns table is turned into a level index `L = Π(1+r)` with base 1 placed one period
//!   before its first date ([`Frequency::previous`]), so no return is lost.
//! - Weights come from market value on the last date of the window: quantity × last price, a
//!   given market value, or a given weight (weight-only positions take that fraction of the net
//!   value). Cash is part of the net value and earns zero; shorts have negative weights. Weights
//!   are held constant over the window: the risk of today's portfolio.
//! - The frequency is detected from the calendar and sets the periods per year.

use crate::error::AlignError;
use crate::frequency::Frequency;
use crate::model::ValueKind;
use crate::model::{Holdings, PriceSet, Series};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One held asset after valuation on the last date of the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValuedPosition {
    pub symbol: String,
    pub quantity: Option<f64>,
    /// Last price in the window (from the price history).
    pub price: f64,
    /// Market value on the last date (negative for shorts).
    pub value: f64,
    /// Fraction of net portfolio value (cash included in the denominator).
    pub weight: f64,
    pub sector: Option<String>,
}

/// What the aligner decided, in words and numbers, for display in the app and CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlignmentReport {
    /// First date of the window (the base date: the close before the first return).
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Number of returns in the window.
    pub observations: usize,
    pub frequency: Frequency,
    pub periods_per_year: f64,
    /// Plain-language notes: what limits the window, what was left out.
    pub notes: Vec<String>,
    /// Loaded symbols that are not held (not part of the portfolio).
    pub unused_symbols: Vec<String>,
}

/// The aligned data: one calendar, a return per asset per date, weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aligned {
    /// `dates[0]` is the base date; `dates[t]` (t ≥ 1) is the date of return `t-1`.
    pub dates: Vec<NaiveDate>,
    /// Held symbols, in holdings order.
    pub symbols: Vec<String>,
    /// `returns[i][t]`: simple return of asset `i` ending on `dates[t+1]`.
    pub returns: Vec<Vec<f64>>,
    /// `prices[i][t]`: price of asset `i` on `dates[t]` (len = dates.len()).
    pub prices: Vec<Vec<f64>>,
    pub positions: Vec<ValuedPosition>,
    /// Weight of each held asset (same order as `symbols`), fraction of net value.
    pub weights: Vec<f64>,
    pub cash: f64,
    pub cash_weight: f64,
    /// Net portfolio value on the last date (positions + cash); 1.0 when only weights are known.
    pub total_value: f64,
    /// Benchmark returns on the same calendar, when a benchmark is given.
    pub benchmark: Option<BenchmarkReturns>,
    pub report: AlignmentReport,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkReturns {
    pub symbol: String,
    pub returns: Vec<f64>,
}

/// How a held position's size is known.
#[derive(Clone, Copy)]
enum Amount {
    Quantity(f64),
    Value(f64),
    Weight(f64),
}

struct Held<'a> {
    symbol: String,
    series: &'a Series,
    amount: Amount,
    sector: Option<String>,
}

/// Level series (dates, levels) of a price or returns series: the prices, or the returns
/// compounded from 1 one period (of the series' detected frequency) before the first date.
pub fn levels(s: &Series) -> (Vec<NaiveDate>, Vec<f64>) {
    match s.kind {
        ValueKind::Price => (s.dates.clone(), s.values.clone()),
        ValueKind::Return => {
            let freq = Frequency::detect(&s.dates);
            let mut d = Vec::with_capacity(s.dates.len() + 1);
            let mut v = Vec::with_capacity(s.dates.len() + 1);
            if let Some(&first) = s.dates.first() {
                d.push(freq.previous(first));
                v.push(1.0);
            }
            let mut level = 1.0;
            for (&date, &r) in s.dates.iter().zip(&s.values) {
                level *= 1.0 + r;
                d.push(date);
                v.push(level);
            }
            (d, v)
        }
    }
}

/// Keep the dates of `common` that are also in `other` (both ascending).
fn intersect(common: &[NaiveDate], other: &[NaiveDate]) -> Vec<NaiveDate> {
    let mut out = Vec::with_capacity(common.len());
    let mut j = 0;
    for &d in common {
        while j < other.len() && other[j] < d {
            j += 1;
        }
        if j < other.len() && other[j] == d {
            out.push(d);
        }
    }
    out
}

/// Values of a level series on the calendar dates (every calendar date must be present).
fn on_calendar(calendar: &[NaiveDate], dates: &[NaiveDate], values: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(calendar.len());
    let mut j = 0;
    for &d in calendar {
        while j < dates.len() && dates[j] < d {
            j += 1;
        }
        out.push(values.get(j).copied().unwrap_or(f64::NAN));
    }
    out
}

fn simple_returns(levels: &[f64]) -> Vec<f64> {
    levels.windows(2).map(|w| w[1] / w[0] - 1.0).collect()
}

fn held_assets<'a>(
    prices: &'a PriceSet,
    holdings: Option<&Holdings>,
    notes: &mut Vec<String>,
) -> Result<Vec<Held<'a>>, AlignError> {
    let Some(h) = holdings else {
        let n = prices.series.len() as f64;
        notes.push(format!(
            "no holdings loaded: an equal-weight portfolio of all {} series (1/{} each, held constant)",
            prices.series.len(),
            prices.series.len()
        ));
        return Ok(prices
            .series
            .iter()
            .map(|s| Held {
                symbol: s.symbol.clone(),
                series: s,
                amount: Amount::Weight(1.0 / n),
                sector: None,
            })
            .collect());
    };
    let mut out = Vec::with_capacity(h.positions.len());
    let mut zero = Vec::new();
    for p in &h.positions {
        let series = prices
            .get(&p.symbol)
            .ok_or_else(|| AlignError::HoldingWithoutPrices {
                symbol: p.symbol.clone(),
                line: p.line,
            })?;
        let amount = match (p.quantity, p.market_value, p.weight) {
            (Some(q), _, _) => Amount::Quantity(q),
            (None, Some(v), _) => Amount::Value(v),
            (None, None, Some(w)) => Amount::Weight(w),
            (None, None, None) => Amount::Weight(0.0),
        };
        if matches!(amount, Amount::Quantity(x) | Amount::Value(x) | Amount::Weight(x) if x == 0.0)
        {
            zero.push(p.symbol.clone());
            continue;
        }
        out.push(Held {
            symbol: series.symbol.clone(),
            series,
            amount,
            sector: p.sector.clone(),
        });
    }
    if !zero.is_empty() {
        notes.push(format!("zero positions left out: {}", zero.join(", ")));
    }
    if out.is_empty() {
        return Err(AlignError::ZeroPortfolioValue(
            "the holdings have no non-zero position".into(),
        ));
    }
    Ok(out)
}

/// Align prices, holdings and an optional benchmark series. Without holdings the portfolio is
/// an equal-weight (constant-weight) mix of every loaded series.
pub fn align(
    prices: &PriceSet,
    holdings: Option<&Holdings>,
    benchmark: Option<&Series>,
) -> Result<Aligned, AlignError> {
    if prices.series.is_empty() {
        return Err(AlignError::NoPrices);
    }
    let mut notes = Vec::new();
    let held = held_assets(prices, holdings, &mut notes)?;
    let lv: Vec<(Vec<NaiveDate>, Vec<f64>)> = held.iter().map(|h| levels(h.series)).collect();
    // Window: latest first date .. earliest last date.
    let firsts: Vec<NaiveDate> = lv
        .iter()
        .map(|l| l.0.first().copied().unwrap_or(NaiveDate::MIN))
        .collect();
    let lasts: Vec<NaiveDate> = lv
        .iter()
        .map(|l| l.0.last().copied().unwrap_or(NaiveDate::MAX))
        .collect();
    let (si, &start) = firsts
        .iter()
        .enumerate()
        .max_by_key(|(_, d)| **d)
        .ok_or(AlignError::NoPrices)?;
    let (ei, &end) = lasts
        .iter()
        .enumerate()
        .min_by_key(|(_, d)| **d)
        .ok_or(AlignError::NoPrices)?;
    if start >= end {
        return Err(AlignError::NoOverlap(format!(
            "{} starts on {} but {} ends on {}",
            held[si].symbol, start, held[ei].symbol, end
        )));
    }
    let earlier = firsts.iter().filter(|d| **d < start).count();
    if earlier > 0 {
        notes.push(format!(
            "{} has no prices before {start}; earlier history of {earlier} asset(s) unused",
            held[si].symbol
        ));
    }
    let later = lasts.iter().filter(|d| **d > end).count();
    if later > 0 {
        notes.push(format!(
            "{} has no prices after {end}; later history of {later} asset(s) unused",
            held[ei].symbol
        ));
    }
    let mut calendar: Vec<NaiveDate> = lv[0]
        .0
        .iter()
        .copied()
        .filter(|d| *d >= start && *d <= end)
        .collect();
    let union_len = lv
        .iter()
        .map(|l| l.0.iter().filter(|d| **d >= start && **d <= end).count())
        .max()
        .unwrap_or(0);
    for l in &lv[1..] {
        calendar = intersect(&calendar, &l.0);
    }
    if calendar.len() < union_len {
        notes.push(format!(
            "{} date(s) inside the window dropped because not every asset has a price on them; returns span the gap (never a zero return)",
            union_len - calendar.len()
        ));
    }
    // Benchmark on the same calendar, if it covers the window.
    let mut bench = None;
    if let Some(b) = benchmark {
        let (bd, bv) = levels(b);
        let covers =
            bd.first().is_some_and(|f| *f <= start) && bd.last().is_some_and(|l| *l >= end);
        let common = intersect(&calendar, &bd);
        if covers && common.len() >= 2 {
            if common.len() < calendar.len() {
                notes.push(format!(
                    "{} date(s) without a {} price dropped from the window",
                    calendar.len() - common.len(),
                    b.symbol
                ));
                calendar = common;
            }
            bench = Some((b.symbol.clone(), bd, bv));
        } else {
            notes.push(format!(
                "benchmark {} ({} – {}) does not cover the window {start} – {end}: figures against it are left out",
                b.symbol,
                bd.first().map_or("?".into(), |d| d.to_string()),
                bd.last().map_or("?".into(), |d| d.to_string()),
            ));
        }
    }
    if calendar.len() < 2 {
        return Err(AlignError::TooFewObservations(calendar.len()));
    }
    let frequency = Frequency::detect(&calendar);
    let asset_prices: Vec<Vec<f64>> = lv
        .iter()
        .map(|l| on_calendar(&calendar, &l.0, &l.1))
        .collect();
    let returns: Vec<Vec<f64>> = asset_prices.iter().map(|p| simple_returns(p)).collect();
    let benchmark = bench.map(|(symbol, bd, bv)| BenchmarkReturns {
        symbol,
        returns: simple_returns(&on_calendar(&calendar, &bd, &bv)),
    });

    // Valuation on the last date.
    let last = calendar.len() - 1;
    let cash = holdings.map_or(0.0, |h| h.cash);
    let currency_sum: f64 = held
        .iter()
        .zip(&asset_prices)
        .map(|(h, p)| match h.amount {
            Amount::Quantity(q) => q * p[last],
            Amount::Value(v) => v,
            Amount::Weight(_) => 0.0,
        })
        .sum::<f64>()
        + cash;
    let weight_only: f64 = held
        .iter()
        .map(|h| {
            if let Amount::Weight(w) = h.amount {
                w
            } else {
                0.0
            }
        })
        .sum();
    let all_weights = held.iter().all(|h| matches!(h.amount, Amount::Weight(_)));
    // Weight mode (every position by weight): net value 1, weights scaled to sum to 1 with the
    // cash weight. Currency mode: values from quantities and market values; weight-only
    // positions take their fraction of the net value.
    let (total_value, cash, weight_scale) = if all_weights {
        let cw = holdings.and_then(|h| h.cash_weight).unwrap_or(0.0);
        let sum = weight_only + cw;
        if !(sum.is_finite() && sum > 0.0) {
            return Err(AlignError::ZeroPortfolioValue(format!(
                "weights sum to {sum}"
            )));
        }
        if (sum - 1.0).abs() > 1e-6 {
            notes.push(format!(
                "weights sum to {:.4}%; scaled to 100%",
                sum * 100.0
            ));
        }
        (1.0, cw / sum, 1.0 / sum)
    } else {
        if weight_only >= 1.0 {
            return Err(AlignError::ZeroPortfolioValue(format!(
                "positions given by weight already add up to {:.2}% besides positions given by quantity or value",
                weight_only * 100.0
            )));
        }
        if weight_only > 0.0 {
            notes.push("positions given by weight take that fraction of the net value".into());
        }
        (currency_sum / (1.0 - weight_only), cash, 1.0)
    };
    if !(total_value.is_finite() && total_value > 0.0) {
        return Err(AlignError::ZeroPortfolioValue(format!(
            "net value {total_value:.2} (positions plus cash) on {}",
            calendar[last]
        )));
    }
    let cash_weight = cash / total_value;
    let mut positions = Vec::with_capacity(held.len());
    let mut weights = Vec::with_capacity(held.len());
    for (h, p) in held.iter().zip(&asset_prices) {
        let price = p[last];
        let (value, quantity) = match h.amount {
            Amount::Quantity(q) => (q * price, Some(q)),
            Amount::Value(v) => (v, Some(v / price)),
            Amount::Weight(w) => (w * weight_scale * total_value, None),
        };
        let weight = value / total_value;
        weights.push(weight);
        positions.push(ValuedPosition {
            symbol: h.symbol.clone(),
            quantity,
            price,
            value,
            weight,
            sector: h.sector.clone(),
        });
    }
    let held_symbols: Vec<String> = held.iter().map(|h| h.symbol.clone()).collect();
    let unused_symbols: Vec<String> = prices
        .series
        .iter()
        .map(|s| s.symbol.clone())
        .filter(|s| !held_symbols.iter().any(|h| h.eq_ignore_ascii_case(s)))
        .collect();
    if !unused_symbols.is_empty() {
        notes.push(format!(
            "loaded but not held (not in the portfolio): {}",
            unused_symbols.join(", ")
        ));
    }
    let observations = calendar.len() - 1;
    notes.insert(
        0,
        format!(
            "window {} – {end}: {observations} {} returns, {} periods per year",
            calendar[0],
            frequency.label(),
            frequency.periods_per_year()
        ),
    );
    let report = AlignmentReport {
        start: calendar[0],
        end: calendar[last],
        observations,
        frequency,
        periods_per_year: frequency.periods_per_year(),
        notes,
        unused_symbols,
    };
    Ok(Aligned {
        dates: calendar,
        symbols: held_symbols,
        returns,
        prices: asset_prices,
        positions,
        weights,
        cash,
        cash_weight,
        total_value,
        benchmark,
        report,
    })
}
