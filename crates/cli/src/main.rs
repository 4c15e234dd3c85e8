//! `ballast`: the command-line tool over `ballast-core`. See `docs/cli.md`.

mod output;

use ballast_core::analysis::AnalysisParams;
use ballast_core::dates::DateOrder;
use ballast_core::pipeline::{run, InputFile, PipelineInput};
use ballast_core::prices::{PriceField, PriceLayout, PriceOptions};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "ballast",
    version,
    about = "Portfolio risk analytics from CSV files"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyse a portfolio: headline risk and performance figures.
    Analyze(AnalyzeArgs),
}

#[derive(clap::Args, Debug)]
struct AnalyzeArgs {
    /// Price (or returns) files: wide, long/tidy, Yahoo Finance exports, or a wide returns table.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    prices: Vec<PathBuf>,
    /// Holdings file (symbol plus shares, market value or weight; broker exports recognised).
    /// Without it, the portfolio is an equal-weight mix of every price series.
    #[arg(long, value_name = "FILE")]
    holdings: Option<PathBuf>,
    /// Benchmark price file (its first series unless --benchmark-symbol names another).
    #[arg(long, value_name = "FILE")]
    benchmark: Option<PathBuf>,
    /// Benchmark series: in the --benchmark file, or else one of the --prices series (which
    /// then leaves the portfolio, unless the holdings hold it).
    #[arg(long, value_name = "SYMBOL")]
    benchmark_symbol: Option<String>,
    /// Table layout of the price files.
    #[arg(long, value_enum, default_value_t = LayoutArg::Auto)]
    layout: LayoutArg,
    /// Use Close instead of Adj Close when a file has both.
    #[arg(long)]
    close: bool,
    /// Day/month order of slash dates when the files cannot tell.
    #[arg(long, value_enum, default_value_t = DateOrderArg::Auto)]
    date_order: DateOrderArg,
    /// Annual risk-free rate as a fraction (0.02 = 2%).
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    risk_free: f64,
    /// VaR/CVaR confidence level (0.5 < c < 1).
    #[arg(long, default_value_t = 0.95, value_name = "LEVEL")]
    confidence: f64,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LayoutArg {
    Auto,
    Wide,
    Long,
    Yahoo,
    Returns,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum DateOrderArg {
    Auto,
    /// day/month/year
    Dmy,
    /// month/day/year
    Mdy,
}

fn read(path: &Path) -> Result<InputFile, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(InputFile::new(name, bytes))
}

fn analyze(args: &AnalyzeArgs) -> Result<String, String> {
    if !(args.confidence > 0.5 && args.confidence < 1.0) {
        return Err(format!(
            "--confidence must be between 0.5 and 1 (exclusive), got {}",
            args.confidence
        ));
    }
    if !args.risk_free.is_finite() || args.risk_free <= -1.0 {
        return Err(format!(
            "--risk-free must be a fraction above -1, got {}",
            args.risk_free
        ));
    }
    let prices = args
        .prices
        .iter()
        .map(|p| read(p))
        .collect::<Result<Vec<_>, _>>()?;
    let holdings = args.holdings.as_deref().map(read).transpose()?;
    let benchmark = args.benchmark.as_deref().map(read).transpose()?;
    let price_options = PriceOptions {
        layout: match args.layout {
            LayoutArg::Auto => PriceLayout::Auto,
            LayoutArg::Wide => PriceLayout::Wide,
            LayoutArg::Long => PriceLayout::Long,
            LayoutArg::Yahoo => PriceLayout::Yahoo,
            LayoutArg::Returns => PriceLayout::WideReturns,
        },
        field: if args.close {
            PriceField::Close
        } else {
            PriceField::AdjClose
        },
        date_order: match args.date_order {
            DateOrderArg::Auto => DateOrder::Auto,
            DateOrderArg::Dmy => DateOrder::DayFirst,
            DateOrderArg::Mdy => DateOrder::MonthFirst,
        },
    };
    let input = PipelineInput {
        prices: &prices,
        holdings: holdings.as_ref(),
        benchmark: benchmark.as_ref(),
        benchmark_symbol: args.benchmark_symbol.as_deref(),
        price_options,
        params: AnalysisParams {
            risk_free_annual: args.risk_free,
            confidence: args.confidence,
            ..Default::default()
        },
    };
    let out = run(&input).map_err(|e| e.to_string())?;
    if args.json {
        Ok(output::json(&out))
    } else {
        Ok(output::table(&out))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Analyze(args) => analyze(args),
    };
    match result {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}
