//! The correlation structure of the holdings in one call: the covariance estimate (the active
//! estimator is named with every figure), the clustered correlation matrix and its dendrogram,
//! the threshold clusters with their share of portfolio value (the largest is an Overview
//! figure), the diversification figures, the average pairwise correlation over time, a chosen
//! pair's rolling correlation, and the breakdown events.

use crate::align::Aligned;
use crate::clustering::{hierarchical, threshold_clusters, Dendrogram, Linkage, ThresholdCluster};
use crate::correlation_dynamics::{
    average_pairwise_correlation, correlation_breakdowns, volatility_spikes, Breakdown,
    BreakdownSettings,
};
use crate::diversification::{diversification, Diversification};
use crate::estimators::{estimate_named, CovError, CovEstimate, CovEstimator};
use crate::rolling::Rolling;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Settings of the correlation analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CorrelationParams {
    pub estimator: CovEstimator,
    pub linkage: Linkage,
    /// Assets are linked when `|ρ| ≥ threshold` (0.7).
    pub threshold: f64,
    /// The pair whose rolling correlation is drawn (indices into the holdings); `None`: the
    /// most correlated pair.
    pub pair: Option<(usize, usize)>,
    /// Window of the pair's rolling correlation (63).
    pub pair_window: usize,
    pub breakdown: BreakdownSettings,
}

impl Default for CorrelationParams {
    fn default() -> Self {
        CorrelationParams {
            estimator: CovEstimator::Sample,
            linkage: Linkage::Ward,
            threshold: 0.7,
            pair: None,
            pair_window: 63,
            breakdown: BreakdownSettings::default(),
        }
    }
}

/// A dated series (two parallel vectors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatedSeries {
    pub dates: Vec<NaiveDate>,
    pub values: Vec<f64>,
}

/// Everything the Correlation page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrelationAnalysis {
    pub params: CorrelationParams,
    pub symbols: Vec<String>,
    pub estimate: CovEstimate,
    pub dendrogram: Dendrogram,
    /// Threshold clusters, largest share of value first (singletons included).
    pub clusters: Vec<ThresholdCluster>,
    /// The multi-asset cluster with the largest share of portfolio value.
    pub largest_cluster: Option<ThresholdCluster>,
    pub diversification: Diversification,
    /// Mean off-diagonal correlation of the estimate.
    pub average_correlation: f64,
    pub average_correlation_short: Rolling,
    pub average_correlation_long: Rolling,
    /// Dates between two evaluations of the average correlation (1 unless there are many
    /// assets).
    pub average_correlation_stride: usize,
    /// The pair drawn and its rolling correlation.
    pub pair: Option<(usize, usize)>,
    pub pair_correlation: Option<Rolling>,
    /// `ρ̄_short − ρ̄_long`.
    pub correlation_excess: DatedSeries,
    /// Short / long portfolio volatility.
    pub volatility_ratio: DatedSeries,
    /// Correlation breakdowns and volatility spikes, in date order.
    pub breakdowns: Vec<Breakdown>,
}

/// The most correlated pair (largest off-diagonal ρ), if any.
fn most_correlated_pair(corr: &crate::covariance::Matrix) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize, f64)> = None;
    for i in 0..corr.n {
        for j in i + 1..corr.n {
            let r = corr.get(i, j);
            if r.is_finite() && best.is_none_or(|b| r > b.2) {
                best = Some((i, j, r));
            }
        }
    }
    best.map(|(i, j, _)| (i, j))
}

/// Analyse the correlation structure of the aligned holdings.
pub fn analyze_correlation(
    aligned: &Aligned,
    params: &CorrelationParams,
) -> Result<CorrelationAnalysis, CovError> {
    let est = estimate_named(&aligned.returns, params.estimator, &aligned.symbols)?;
    let corr = &est.correlation;
    let dendrogram = hierarchical(corr, params.linkage);
    let clusters = threshold_clusters(corr, params.threshold, &aligned.weights);
    let largest_cluster = clusters
        .iter()
        .filter(|c| c.members.len() > 1)
        .max_by(|a, b| a.weight.total_cmp(&b.weight))
        .cloned();
    let div = diversification(&aligned.weights, &est.covariance);
    let n = corr.n;
    let (mut sum, mut count) = (0.0, 0usize);
    for i in 0..n {
        for j in i + 1..n {
            let r = corr.get(i, j);
            if r.is_finite() {
                sum += r;
                count += 1;
            }
        }
    }
    let dates = aligned.dates.get(1..).unwrap_or(&[]);
    let b = &params.breakdown;
    let (short, stride) = average_pairwise_correlation(dates, &aligned.returns, b.short_window);
    let (long, _) = average_pairwise_correlation(dates, &aligned.returns, b.long_window);
    let ((cd, cv), mut breakdowns) =
        correlation_breakdowns(&short, &long, b.correlation_jump, b.merge_gap);
    let portfolio = crate::analysis::portfolio_returns(aligned);
    let ((vd, vv), spikes) = volatility_spikes(dates, &portfolio, b);
    breakdowns.extend(spikes);
    breakdowns.sort_by_key(|x| x.start);
    let pair = params
        .pair
        .filter(|(i, j)| *i < n && *j < n && i != j)
        .or_else(|| most_correlated_pair(corr));
    let pair_correlation = pair.map(|(i, j)| {
        crate::rolling::rolling_correlation(
            dates,
            &aligned.returns[i],
            &aligned.returns[j],
            params.pair_window,
        )
    });
    Ok(CorrelationAnalysis {
        params: *params,
        symbols: aligned.symbols.clone(),
        dendrogram,
        clusters,
        largest_cluster,
        diversification: div,
        average_correlation: if count > 0 {
            sum / count as f64
        } else {
            f64::NAN
        },
        average_correlation_short: short,
        average_correlation_long: long,
        average_correlation_stride: stride,
        pair,
        pair_correlation,
        correlation_excess: DatedSeries {
            dates: cd,
            values: cv,
        },
        volatility_ratio: DatedSeries {
            dates: vd,
            values: vv,
        },
        breakdowns,
        estimate: est,
    })
}
