//! The whole first analysis in one call: read the files, merge, pick the benchmark, align,
//! analyse. The app and the CLI both go through here, so they show the same figures for the
//! same files.

use crate::align::{align, Aligned};
use crate::analysis::{analyze, Analysis, AnalysisParams};
use crate::error::{BallastError, ImportError, ImportErrorKind};
use crate::holdings::parse_holdings;
use crate::model::{Holdings, PriceImport, PriceSet, Series};
use crate::prices::{parse_prices, PriceOptions};
use serde::{Deserialize, Serialize};

/// One input file: its name (for messages; Yahoo exports take their symbol from it) and bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl InputFile {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        InputFile {
            name: name.into(),
            bytes: bytes.into(),
        }
    }
}

/// Everything needed for an analysis.
#[derive(Debug, Clone, Default)]
pub struct PipelineInput<'a> {
    pub prices: &'a [InputFile],
    pub holdings: Option<&'a InputFile>,
    pub benchmark: Option<&'a InputFile>,
    /// Which series is the benchmark: in the benchmark file (default: its first series), or,
    /// without a benchmark file, one of the price series (which then leaves the portfolio,
    /// unless the holdings hold it).
    pub benchmark_symbol: Option<&'a str>,
    pub price_options: PriceOptions,
    pub params: AnalysisParams,
}

/// Parsed inputs, ready to align. Kept separately so the app can re-analyse (new parameters)
/// without re-reading files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Loaded {
    pub imports: Vec<PriceImport>,
    pub prices: PriceSet,
    pub holdings: Option<Holdings>,
    pub benchmark: Option<Series>,
}

/// The result of [`run`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineOutput {
    pub loaded: Loaded,
    pub aligned: Aligned,
    pub analysis: Analysis,
}

/// Read every file of `input` (the first error stops, naming its file, line and column).
pub fn load(input: &PipelineInput<'_>) -> Result<Loaded, ImportError> {
    let mut imports = Vec::with_capacity(input.prices.len());
    for f in input.prices {
        imports.push(parse_prices(&f.name, &f.bytes, &input.price_options)?);
    }
    let mut prices = PriceSet::from_imports(imports.clone())?;
    let holdings = match input.holdings {
        Some(f) => Some(parse_holdings(&f.name, &f.bytes)?),
        None => None,
    };
    let benchmark = match (input.benchmark, input.benchmark_symbol) {
        (Some(f), sym) => Some(pick_benchmark(f, sym, &input.price_options)?),
        (None, Some(sym)) => {
            let idx = prices
                .series
                .iter()
                .position(|s| s.symbol.eq_ignore_ascii_case(sym))
                .ok_or_else(|| {
                    ImportError::new(
                        "benchmark",
                        ImportErrorKind::Other(format!(
                            "benchmark symbol {sym} is not among the loaded price series ({})",
                            prices.symbols().join(", ")
                        )),
                    )
                })?;
            // A held series stays in the portfolio and is also the benchmark; otherwise it
            // leaves the price set (it would join an equal-weight portfolio).
            let held = holdings.as_ref().is_some_and(|h: &Holdings| {
                h.positions
                    .iter()
                    .any(|p| p.symbol.eq_ignore_ascii_case(sym))
            });
            if held {
                prices.series.get(idx).cloned()
            } else {
                Some(prices.series.remove(idx))
            }
        }
        (None, None) => None,
    };
    Ok(Loaded {
        imports,
        prices,
        holdings,
        benchmark,
    })
}

fn pick_benchmark(
    file: &InputFile,
    symbol: Option<&str>,
    options: &PriceOptions,
) -> Result<Series, ImportError> {
    let import = parse_prices(&file.name, &file.bytes, options)?;
    let available: Vec<String> = import.series.iter().map(|s| s.symbol.clone()).collect();
    let mut series = import.series;
    let idx = match symbol {
        Some(sym) => series
            .iter()
            .position(|s| s.symbol.eq_ignore_ascii_case(sym))
            .ok_or_else(|| {
                ImportError::new(
                    &file.name,
                    ImportErrorKind::Other(format!(
                        "benchmark symbol {sym} is not in this file (it has {})",
                        available.join(", ")
                    )),
                )
            })?,
        None => 0,
    };
    if idx >= series.len() {
        return Err(ImportError::new(&file.name, ImportErrorKind::HeaderOnly));
    }
    Ok(series.swap_remove(idx))
}

/// Align and analyse already-loaded inputs.
pub fn analyze_loaded(
    loaded: &Loaded,
    params: &AnalysisParams,
) -> Result<(Aligned, Analysis), BallastError> {
    let aligned = align(
        &loaded.prices,
        loaded.holdings.as_ref(),
        loaded.benchmark.as_ref(),
    )?;
    let analysis = analyze(&aligned, params);
    Ok((aligned, analysis))
}

/// Load, align and analyse.
pub fn run(input: &PipelineInput<'_>) -> Result<PipelineOutput, BallastError> {
    let loaded = load(input)?;
    let (aligned, analysis) = analyze_loaded(&loaded, &input.params)?;
    Ok(PipelineOutput {
        loaded,
        aligned,
        analysis,
    })
}
