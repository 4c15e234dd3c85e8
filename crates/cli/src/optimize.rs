//! `ballast optimize`: portfolio optimisation over the same inputs as `analyze` (see
//! `docs/cli.md`, "ballast optimize"). Options are checked here and every refusal names the
//! option; the numerics are `ballast_core::optimize`.

use crate::trade_data::finite;
use crate::{parse_linkage, CovArgs, DataArgs, Failure};
use ballast_core::align::Aligned;
use ballast_core::clustering::Linkage;
use ballast_core::optimize::expected_returns::ReturnModel;
use ballast_core::optimize::frontier::{self, Frontier, FrontierKind, FrontierPoint};
use ballast_core::optimize::objective::{self, Objective};
use ballast_core::optimize::stats::PortfolioStats;
use ballast_core::optimize::{
    estimates, fallback, optimize_with, sector_groups, AssetBound, Constraints, Estimates,
    GroupLimit, Market, OptError, OptResult, OptimizeSpec,
};
use clap::builder::PossibleValuesParser;
use serde_json::{json, Map, Value};
use std::path::PathBuf;

/// Exit status of a failed optimisation (options and files that cannot be read exit 1).
pub(crate) const EXIT_OPTIMISATION_FAILED: u8 = 2;

#[derive(clap::Args, Debug)]
pub(crate) struct OptimizeArgs {
    #[command(flatten)]
    data: DataArgs,
    /// What to optimise.
    #[arg(long, default_value = "max_sharpe", value_name = "KEY",
          value_parser = PossibleValuesParser::new(objective::KEYS))]
    objective: String,
    /// efficient_return: the annual expected return to reach, a fraction (0.2 = 20%; default 0.10).
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "RETURN")]
    target_return: Option<f64>,
    /// efficient_risk: the annual volatility allowed, a fraction (default 0.15).
    #[arg(long, value_parser = finite, value_name = "VOL")]
    target_vol: Option<f64>,
    /// max_utility: the risk aversion δ of μ'w − (δ/2)w'Σw (default 1).
    #[arg(long, value_parser = finite, value_name = "DELTA")]
    risk_aversion: Option<f64>,
    /// risk_budget: one positive budget per asset, SYM=B separated by commas (normalised to sum to 1).
    #[arg(long, value_parser = parse_pair, value_delimiter = ',', value_name = "SYM=B")]
    budgets: Vec<(String, f64)>,
    /// hrp: linkage of the clustering: single (default), average, complete or ward.
    #[arg(long, value_parser = parse_linkage, value_name = "LINKAGE")]
    linkage: Option<Linkage>,
    /// Expected-return model μ.
    #[arg(long, default_value = "arithmetic", value_name = "MODEL",
          value_parser = PossibleValuesParser::new(ReturnModel::KEYS))]
    mu: String,
    /// With --mu ewma: span in periods (λ = 1 − 2/(span+1); default 500).
    #[arg(long, value_parser = finite, value_name = "PERIODS")]
    mu_span: Option<f64>,
    /// With --mu ewma or capm: compound the annualisation instead of × periods per year.
    #[arg(long)]
    mu_compounding: bool,
    /// With --mu user: one annual expected return per asset, SYM=X separated by commas (0.08 = 8%).
    #[arg(long, value_parser = parse_pair, value_delimiter = ',', value_name = "SYM=X")]
    mu_values: Vec<(String, f64)>,
    #[command(flatten)]
    covariance: CovArgs,
    /// Annual risk-free rate as a fraction (0.02 = 2%).
    #[arg(long, alias = "risk-free", default_value_t = 0.0, value_parser = finite,
          allow_negative_numbers = true, value_name = "RATE")]
    rf: f64,
    /// Level β of CVaR and CDaR (0.5 < β < 1; 0.95 = the worst 5%).
    #[arg(long, default_value_t = 0.95, value_parser = finite, value_name = "LEVEL")]
    beta: f64,
    /// Lower bound of every weight (default 0; −1 with --allow-short).
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "W")]
    min_weight: Option<f64>,
    /// Upper bound of every weight (default 1).
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "W")]
    max_weight: Option<f64>,
    /// Bounds of one asset, overriding --min-weight/--max-weight (repeatable; either side may be empty).
    #[arg(long, value_parser = parse_bound, value_name = "SYM=MIN:MAX")]
    bound: Vec<AssetBound>,
    /// Cap on the total weight of a sector of the holdings file (repeatable).
    #[arg(long, value_parser = parse_pair, value_name = "SECTOR=X")]
    sector_cap: Vec<(String, f64)>,
    /// Floor on the total weight of a sector of the holdings file (repeatable).
    #[arg(long, value_parser = parse_pair, value_name = "SECTOR=X")]
    sector_floor: Vec<(String, f64)>,
    /// A custom group with a floor and/or cap on its total weight (repeatable).
    #[arg(long, value_parser = parse_group, value_name = "NAME=SYM+SYM:MIN:MAX")]
    group: Vec<GroupLimit>,
    /// Allow negative weights (short positions).
    #[arg(long)]
    allow_short: bool,
    /// Cap on the gross exposure Σ|w| (e.g. 1.5 with shorts).
    #[arg(long, value_parser = finite, value_name = "L")]
    gross_leverage: Option<f64>,
    /// Cap on the one-way turnover ½Σ|w − w_current| from the current weights.
    #[arg(long, value_parser = finite, value_name = "T")]
    max_turnover: Option<f64>,
    /// L2 regularisation γ: adds γ‖w‖² to the variance objectives (spreads the weights).
    #[arg(long, default_value_t = 0.0, value_parser = finite, value_name = "GAMMA")]
    l2: f64,
    /// Also compute an efficient frontier of N points (2–200).
    #[arg(long, value_name = "N")]
    frontier: Option<usize>,
    /// Kind of frontier.
    #[arg(long, default_value = "mean_variance", value_name = "KIND",
          value_parser = PossibleValuesParser::new(["mean_variance", "mean_cvar"]))]
    frontier_kind: String,
    /// When the optimisation fails, print the reason and fallback weights (inverse volatility) and exit 0.
    #[arg(long)]
    fallback: bool,
    /// Print the trades from the current holdings to the optimised weights.
    #[arg(long)]
    rebalance: bool,
    /// With --rebalance: proportional cost in basis points of each trade's value.
    #[arg(long, default_value_t = 0.0, value_parser = finite, value_name = "BPS")]
    cost_bps: f64,
    /// With --rebalance: fixed fee per trade (currency of the prices).
    #[arg(long, default_value_t = 0.0, value_parser = finite, value_name = "FEE")]
    fixed_fee: f64,
    /// With --rebalance: skip trades worth less than this (currency).
    #[arg(long, default_value_t = 0.0, value_parser = finite, value_name = "VALUE")]
    min_trade: f64,
    /// With --rebalance: trade a position only when its weight is off target by more than this (0.02 = 2 points).
    #[arg(long, default_value_t = 0.0, value_parser = finite, value_name = "BAND")]
    drift_band: f64,
    /// With --rebalance: fractional shares (default: whole shares).
    #[arg(long)]
    fractional: bool,
    /// With --rebalance: also write the trades as CSV to PATH.
    #[arg(long, value_name = "PATH")]
    trades_csv: Option<PathBuf>,
    /// With --rebalance: the portfolio's value when the holdings give weights only (or without holdings).
    #[arg(long, value_parser = finite, value_name = "VALUE")]
    portfolio_value: Option<f64>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// `NAME=X`.
fn parse_pair(s: &str) -> Result<(String, f64), String> {
    let (name, x) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("expected NAME=NUMBER, e.g. AAPL=0.1, found \"{s}\""))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("a name is missing before '=' in \"{s}\""));
    }
    Ok((name.to_string(), finite(x)?))
}

/// An optional bound: empty is none.
fn side(s: &str) -> Result<Option<f64>, String> {
    let s = s.trim();
    if s.is_empty() {
        Ok(None)
    } else {
        finite(s).map(Some)
    }
}

/// `SYM=MIN:MAX`, either side may be empty.
fn parse_bound(s: &str) -> Result<AssetBound, String> {
    let syntax = || {
        format!(
            "expected SYM=MIN:MAX with either side empty, e.g. AAPL=0.05:0.2 or AAPL=:0.1, found \"{s}\""
        )
    };
    let (sym, range) = s.split_once('=').ok_or_else(syntax)?;
    let (min, max) = range.split_once(':').ok_or_else(syntax)?;
    let sym = sym.trim();
    if sym.is_empty() {
        return Err(syntax());
    }
    let (min, max) = (side(min)?, side(max)?);
    if min.is_none() && max.is_none() {
        return Err(format!("{sym}: give a minimum, a maximum or both"));
    }
    Ok(AssetBound {
        symbol: sym.to_string(),
        min,
        max,
    })
}

/// `NAME=SYM1+SYM2:MIN:MAX`, either limit may be empty.
fn parse_group(s: &str) -> Result<GroupLimit, String> {
    let syntax = || {
        format!(
            "expected NAME=SYM1+SYM2:MIN:MAX with either limit empty, e.g. banks=BAC+JPM::0.15, found \"{s}\""
        )
    };
    let (name, rest) = s.split_once('=').ok_or_else(syntax)?;
    let mut parts = rest.rsplitn(3, ':');
    let (max, min, members) = match (parts.next(), parts.next(), parts.next()) {
        (Some(max), Some(min), Some(members)) => (max, min, members),
        _ => return Err(syntax()),
    };
    let name = name.trim();
    let members: Vec<String> = members.split('+').map(|m| m.trim().to_string()).collect();
    if name.is_empty() || members.iter().any(String::is_empty) {
        return Err(syntax());
    }
    let (min, max) = (side(min)?, side(max)?);
    if min.is_none() && max.is_none() {
        return Err(format!("group {name}: give a floor, a cap or both"));
    }
    Ok(GroupLimit {
        name: name.to_string(),
        members,
        min,
        max,
    })
}

/// The asset called `s` (case-insensitively), or a message naming the option.
fn asset(option: &str, s: &str, symbols: &[String]) -> Result<String, String> {
    symbols
        .iter()
        .find(|x| x.eq_ignore_ascii_case(s))
        .cloned()
        .ok_or_else(|| {
            format!(
                "{option}: {s} is not one of the assets ({})",
                symbols.join(", ")
            )
        })
}

/// One value per asset from `SYM=X` pairs: every asset once.
fn per_asset(
    option: &str,
    pairs: &[(String, f64)],
    symbols: &[String],
) -> Result<Vec<f64>, String> {
    let mut values: Vec<Option<f64>> = vec![None; symbols.len()];
    for (s, x) in pairs {
        let sym = asset(option, s, symbols)?;
        let i = symbols.iter().position(|x| *x == sym).unwrap_or(0);
        if values[i].replace(*x).is_some() {
            return Err(format!("{option}: {sym} is given twice"));
        }
    }
    let missing: Vec<&str> = symbols
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(s, _)| s.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{option}: give one value per asset; missing {}",
            missing.join(", ")
        ));
    }
    Ok(values.into_iter().map(|v| v.unwrap_or(0.0)).collect())
}

fn only_with(
    given: bool,
    option: &str,
    chosen: &str,
    allowed: &[&str],
    what: &str,
) -> Result<(), String> {
    if given && !allowed.contains(&chosen) {
        return Err(format!(
            "{option} applies to {what} {} only (not {chosen})",
            allowed.join(" or ")
        ));
    }
    Ok(())
}

fn objective_of(args: &OptimizeArgs, symbols: &[String]) -> Result<Objective, String> {
    let key = args.objective.as_str();
    let obj = "--objective";
    only_with(
        args.target_return.is_some(),
        "--target-return",
        key,
        &["efficient_return"],
        obj,
    )?;
    only_with(
        args.target_vol.is_some(),
        "--target-vol",
        key,
        &["efficient_risk"],
        obj,
    )?;
    only_with(
        args.risk_aversion.is_some(),
        "--risk-aversion",
        key,
        &["max_utility"],
        obj,
    )?;
    only_with(
        !args.budgets.is_empty(),
        "--budgets",
        key,
        &["risk_budget"],
        obj,
    )?;
    only_with(args.linkage.is_some(), "--linkage", key, &["hrp"], obj)?;
    if let Some(v) = args.target_vol.filter(|v| *v <= 0.0) {
        return Err(format!("--target-vol must be positive, got {v}"));
    }
    if let Some(v) = args.risk_aversion.filter(|v| *v <= 0.0) {
        return Err(format!("--risk-aversion must be positive, got {v}"));
    }
    let param = match key {
        "efficient_return" => args.target_return,
        "efficient_risk" => args.target_vol,
        "max_utility" => args.risk_aversion,
        _ => None,
    };
    let budgets = if key == "risk_budget" {
        if args.budgets.is_empty() {
            return Err(
                "--objective risk_budget needs --budgets SYM=B,… (one positive budget per asset)"
                    .into(),
            );
        }
        let b = per_asset("--budgets", &args.budgets, symbols)?;
        if let Some((s, x)) = symbols.iter().zip(&b).find(|(_, x)| **x <= 0.0) {
            return Err(format!(
                "--budgets: the budget of {s} must be positive, got {x}"
            ));
        }
        Some(b)
    } else {
        None
    };
    let mut objective = Objective::from_key(key, param, budgets)
        .ok_or_else(|| format!("--objective: unknown key {key}"))?;
    if let (Objective::Hrp { linkage }, Some(l)) = (&mut objective, args.linkage) {
        *linkage = l;
    }
    Ok(objective)
}

fn return_model(args: &OptimizeArgs, symbols: &[String]) -> Result<ReturnModel, String> {
    let key = args.mu.as_str();
    only_with(args.mu_span.is_some(), "--mu-span", key, &["ewma"], "--mu")?;
    only_with(
        args.mu_compounding,
        "--mu-compounding",
        key,
        &["ewma", "capm"],
        "--mu",
    )?;
    only_with(
        !args.mu_values.is_empty(),
        "--mu-values",
        key,
        &["user"],
        "--mu",
    )?;
    Ok(match key {
        "ewma" => {
            let span = args.mu_span.unwrap_or(ReturnModel::DEFAULT_EWMA_SPAN);
            if span < 1.0 {
                return Err(format!("--mu-span must be at least 1 period, got {span}"));
            }
            ReturnModel::Ewma {
                span,
                compounding: args.mu_compounding,
            }
        }
        "capm" => ReturnModel::Capm {
            compounding: args.mu_compounding,
        },
        "user" => {
            if args.mu_values.is_empty() {
                return Err(
                    "--mu user needs --mu-values SYM=X,… (one annual expected return per asset)"
                        .into(),
                );
            }
            ReturnModel::User {
                values: per_asset("--mu-values", &args.mu_values, symbols)?,
            }
        }
        _ => ReturnModel::from_key(key).ok_or_else(|| format!("--mu: unknown model {key}"))?,
    })
}

fn constraints_of(args: &OptimizeArgs, aligned: &Aligned) -> Result<Constraints, String> {
    let symbols = &aligned.symbols;
    let short = args.allow_short;
    let min_weight = args.min_weight.unwrap_or(if short { -1.0 } else { 0.0 });
    if !short && min_weight < 0.0 {
        return Err(format!(
            "--min-weight {min_weight} is negative, which needs --allow-short"
        ));
    }
    let max_weight = args.max_weight.unwrap_or(1.0);
    if max_weight < min_weight {
        return Err(format!(
            "--max-weight {max_weight} is below --min-weight {min_weight}"
        ));
    }
    let mut bounds: Vec<AssetBound> = Vec::new();
    for b in &args.bound {
        let symbol = asset("--bound", &b.symbol, symbols)?;
        if bounds.iter().any(|x| x.symbol == symbol) {
            return Err(format!("--bound: {symbol} is given twice"));
        }
        if let Some(m) = b.min.filter(|m| !short && *m < 0.0) {
            return Err(format!(
                "--bound {symbol}: the minimum {m} is negative, which needs --allow-short"
            ));
        }
        if let (Some(lo), Some(hi)) = (b.min, b.max) {
            if lo > hi {
                return Err(format!(
                    "--bound {symbol}: the minimum {lo} is above the maximum {hi}"
                ));
            }
        }
        bounds.push(AssetBound {
            symbol,
            min: b.min,
            max: b.max,
        });
    }
    let mut groups: Vec<GroupLimit> = Vec::new();
    if !args.sector_cap.is_empty() || !args.sector_floor.is_empty() {
        let sectors = sector_groups(aligned);
        let names: Vec<&str> = sectors.iter().map(|g| g.name.as_str()).collect();
        for (option, limits, is_cap) in [
            ("--sector-cap", &args.sector_cap, true),
            ("--sector-floor", &args.sector_floor, false),
        ] {
            for (name, x) in limits {
                if sectors.is_empty() {
                    return Err(format!(
                        "{option} needs a holdings file with a sector column (--holdings)"
                    ));
                }
                let sector = sectors
                    .iter()
                    .find(|g| g.name.eq_ignore_ascii_case(name.trim()))
                    .ok_or_else(|| {
                        format!(
                            "{option}: no holding is in the sector \"{name}\" (sectors: {})",
                            names.join(", ")
                        )
                    })?;
                let g = match groups.iter_mut().find(|g| g.name == sector.name) {
                    Some(g) => g,
                    None => {
                        groups.push(sector.clone());
                        let last = groups.len() - 1;
                        &mut groups[last]
                    }
                };
                let slot = if is_cap { &mut g.max } else { &mut g.min };
                if slot.replace(*x).is_some() {
                    return Err(format!(
                        "{option}: the sector {} is given twice",
                        sector.name
                    ));
                }
            }
        }
    }
    for g in &args.group {
        if groups.iter().any(|x| x.name == g.name) {
            return Err(format!("--group: the name {} is used twice", g.name));
        }
        let mut members = Vec::with_capacity(g.members.len());
        for m in &g.members {
            let sym = asset(&format!("--group {}", g.name), m, symbols)?;
            if !members.contains(&sym) {
                members.push(sym);
            }
        }
        if let (Some(lo), Some(hi)) = (g.min, g.max) {
            if lo > hi {
                return Err(format!(
                    "--group {}: the floor {lo} is above the cap {hi}",
                    g.name
                ));
            }
        }
        groups.push(GroupLimit {
            name: g.name.clone(),
            members,
            min: g.min,
            max: g.max,
        });
    }
    if let Some(l) = args.gross_leverage.filter(|l| *l <= 0.0) {
        return Err(format!("--gross-leverage must be positive, got {l}"));
    }
    if let Some(t) = args.max_turnover.filter(|t| *t < 0.0) {
        return Err(format!("--max-turnover must not be negative, got {t}"));
    }
    if args.l2 < 0.0 {
        return Err(format!("--l2 must not be negative, got {}", args.l2));
    }
    Ok(Constraints {
        allow_short: short,
        min_weight,
        max_weight,
        bounds,
        groups,
        gross_leverage: args.gross_leverage,
        max_turnover: args.max_turnover,
        l2_gamma: args.l2,
    })
}

/// Checks that need no data.
fn check_options(args: &OptimizeArgs) -> Result<(), String> {
    if args.rf <= -1.0 {
        return Err(format!("--rf must be a fraction above -1, got {}", args.rf));
    }
    if !(args.beta > 0.5 && args.beta < 1.0) {
        return Err(format!(
            "--beta must be between 0.5 and 1 (exclusive), got {}",
            args.beta
        ));
    }
    if let Some(n) = args.frontier {
        if !(frontier::MIN_POINTS..=frontier::MAX_POINTS).contains(&n) {
            return Err(format!(
                "--frontier must be between {} and {} points, got {n}",
                frontier::MIN_POINTS,
                frontier::MAX_POINTS
            ));
        }
    }
    let rebalance_only: [(&str, bool); 7] = [
        ("--cost-bps", args.cost_bps != 0.0),
        ("--fixed-fee", args.fixed_fee != 0.0),
        ("--min-trade", args.min_trade != 0.0),
        ("--drift-band", args.drift_band != 0.0),
        ("--fractional", args.fractional),
        ("--trades-csv", args.trades_csv.is_some()),
        ("--portfolio-value", args.portfolio_value.is_some()),
    ];
    if !args.rebalance {
        if let Some((option, _)) = rebalance_only.iter().find(|(_, given)| *given) {
            return Err(format!("{option} applies to --rebalance only"));
        }
    }
    if !(0.0..10_000.0).contains(&args.cost_bps) {
        return Err(format!(
            "--cost-bps must be between 0 and 10000 basis points, got {}",
            args.cost_bps
        ));
    }
    for (option, v) in [
        ("--fixed-fee", args.fixed_fee),
        ("--min-trade", args.min_trade),
        ("--drift-band", args.drift_band),
    ] {
        if v < 0.0 {
            return Err(format!("{option} must be zero or positive, got {v}"));
        }
    }
    if let Some(v) = args.portfolio_value.filter(|v| *v <= 0.0) {
        return Err(format!("--portfolio-value must be positive, got {v}"));
    }
    Ok(())
}

/// The option that sets a core input field, for messages.
fn option_of(field: &str) -> Option<&'static str> {
    let f = field.to_ascii_lowercase();
    Some(match f.as_str() {
        "minimum weight" => "--min-weight",
        "maximum weight" => "--max-weight",
        "gross leverage" => "--gross-leverage",
        "maximum turnover" => "--max-turnover",
        "l2 regularisation" => "--l2",
        "cvar level" => "--beta",
        "risk-free rate" => "--rf",
        "target return" => "--target-return",
        "target volatility" => "--target-vol",
        "risk aversion" => "--risk-aversion",
        "frontier points" => "--frontier",
        "covariance" => "--estimator",
        "cost_bps" => "--cost-bps",
        "fixed_fee" => "--fixed-fee",
        "min_trade_value" => "--min-trade",
        "drift_band" => "--drift-band",
        _ if f.starts_with("risk budget") => "--budgets",
        _ if f.starts_with("asset bounds") || f.contains("weight of ") => "--bound",
        _ if f.starts_with("group ") || f.contains("of group ") => {
            "--group/--sector-cap/--sector-floor"
        }
        _ if f.contains("expected return") || f.starts_with("user") => "--mu-values",
        _ => return None,
    })
}

/// A core error in words, with the option named where an input was refused.
pub(crate) fn describe(e: &OptError) -> String {
    match e {
        OptError::InvalidInput { field, message } => match option_of(field) {
            Some(option) => format!("{option} ({field}): {message}"),
            None => e.to_string(),
        },
        _ => e.to_string(),
    }
}

fn failed(message: String) -> Failure {
    Failure {
        message,
        code: EXIT_OPTIMISATION_FAILED,
    }
}

/// What `optimize` prints: stdout text and warnings for stderr.
pub(crate) struct Report {
    pub text: String,
    pub warnings: Vec<String>,
}

/// Everything computed, for the two printers.
struct Outcome<'a> {
    aligned: &'a Aligned,
    market: &'a Market,
    spec: &'a OptimizeSpec,
    result: OptResult,
    /// The optimisation's error when `result` is the fallback.
    error: Option<String>,
    frontier: Option<Result<Frontier, String>>,
    rebalance: Option<crate::rebalance_cmd::Rebalanced>,
}

pub(crate) fn optimize(args: &OptimizeArgs) -> Result<Report, Failure> {
    check_options(args)?;
    let cov = args.covariance.estimator()?;
    let aligned = args.data.load_aligned()?;
    let market = Market::from_aligned(&aligned);
    let spec = OptimizeSpec {
        objective: objective_of(args, &aligned.symbols)?,
        expected_returns: return_model(args, &aligned.symbols)?,
        covariance: cov,
        constraints: constraints_of(args, &aligned)?,
        risk_free: args.rf,
        beta: args.beta,
    };
    let mut warnings = Vec::new();
    let est: Result<Estimates, OptError> = estimates(&market, &spec);
    let solved = est
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|est| optimize_with(&market, est, &spec, None));
    let (result, error) = match solved {
        Ok(r) => (r, None),
        Err(e) if args.fallback => {
            let reason = describe(&e);
            match fallback(&market, &spec, &e) {
                Ok(r) => {
                    warnings.push(format!(
                        "the optimisation failed: {reason}; printing fallback weights (--fallback)"
                    ));
                    (r, Some(reason))
                }
                Err(e2) => {
                    return Err(failed(format!(
                        "{reason}; no fallback weights either: {}",
                        describe(&e2)
                    )))
                }
            }
        }
        Err(e) => return Err(failed(describe(&e))),
    };
    let frontier = match args.frontier {
        None => None,
        Some(points) => {
            let kind =
                FrontierKind::from_key(&args.frontier_kind).unwrap_or(FrontierKind::MeanVariance);
            match frontier::frontier(&market, &spec, kind, points) {
                Ok(f) => Some(Ok(f)),
                Err(e) if args.fallback => {
                    let msg = format!("no frontier: {}", describe(&e));
                    warnings.push(msg.clone());
                    Some(Err(msg))
                }
                Err(e) => return Err(failed(format!("--frontier: {}", describe(&e)))),
            }
        }
    };
    let rebalance = if args.rebalance {
        let est = est.map_err(|e| failed(describe(&e)))?;
        let r = crate::rebalance_cmd::plan(
            args.rebalance_options(),
            &aligned,
            &market,
            &spec,
            &est,
            &result.weights,
        )?;
        Some(r)
    } else {
        None
    };
    let outcome = Outcome {
        aligned: &aligned,
        market: &market,
        spec: &spec,
        result,
        error,
        frontier,
        rebalance,
    };
    let text = if args.json {
        json(&outcome)
    } else {
        table(&outcome)
    };
    Ok(Report { text, warnings })
}

impl OptimizeArgs {
    fn rebalance_options(&self) -> crate::rebalance_cmd::Options<'_> {
        crate::rebalance_cmd::Options {
            cost_bps: self.cost_bps,
            fixed_fee: self.fixed_fee,
            min_trade: self.min_trade,
            drift_band: self.drift_band,
            fractional: self.fractional,
            trades_csv: self.trades_csv.as_deref(),
            portfolio_value: self.portfolio_value,
        }
    }
}

fn num(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        Value::Null
    }
}

/// `{symbol: value}`.
pub(crate) fn by_symbol(symbols: &[String], values: &[f64]) -> Value {
    let mut m = Map::new();
    for (s, v) in symbols.iter().zip(values) {
        m.insert(s.clone(), num(*v));
    }
    Value::Object(m)
}

fn stats_json(s: &PortfolioStats, symbols: &[String]) -> Value {
    json!({
        "expected_return": num(s.expected_return),
        "volatility": num(s.volatility),
        "sharpe": num(s.sharpe),
        "var": num(s.var),
        "cvar": num(s.cvar),
        "cdar": num(s.cdar),
        "max_drawdown": num(s.max_drawdown),
        "mad": num(s.mad),
        "risk_contributions": by_symbol(symbols, &s.risk_contributions),
        "diversification_ratio": num(s.diversification_ratio),
        "gross_exposure": num(s.gross_exposure),
        "assets_held": s.assets_held,
    })
}

fn point_json(p: &FrontierPoint, symbols: &[String]) -> Value {
    json!({
        "target_return": num(p.target_return),
        "expected_return": num(p.stats.expected_return),
        "volatility": num(p.stats.volatility),
        "cvar": num(p.stats.cvar),
        "sharpe": num(p.stats.sharpe),
        "weights": by_symbol(symbols, &p.weights),
    })
}

fn json(o: &Outcome<'_>) -> String {
    let r = &o.result;
    let syms = &o.market.symbols;
    let rep = &o.aligned.report;
    let mut v = json!({
        "objective": r.objective,
        "label": r.label,
        "status": r.status,
        "iterations": r.iterations,
        "objective_name": r.objective_name,
        "objective_value": num(r.objective_value),
        "weights": by_symbol(syms, &r.weights),
        "current_weights": by_symbol(syms, &o.market.current),
        "stats": stats_json(&r.stats, syms),
        "notes": r.notes,
        "fallback": r.fallback,
        "error": o.error,
        "inputs": {
            "expected_returns": o.spec.expected_returns.key(),
            "expected_returns_label": o.spec.expected_returns.label(),
            "covariance": o.spec.covariance.key(),
            "covariance_label": o.spec.covariance.label(),
            "risk_free": o.spec.risk_free,
            "beta": o.spec.beta,
            "start": rep.start.to_string(),
            "end": rep.end.to_string(),
            "observations": rep.observations,
            "periods_per_year": rep.periods_per_year,
        },
    });
    if let (Some(f), Value::Object(m)) = (&o.frontier, &mut v) {
        let value = match f {
            Ok(f) => json!({
                "kind": f.kind.key(),
                "points": f.points.iter().map(|p| point_json(p, syms)).collect::<Vec<_>>(),
                "max_sharpe": f.max_sharpe.as_ref().map(|p| point_json(p, syms)),
                "notes": f.notes,
            }),
            Err(_) => Value::Null,
        };
        m.insert("frontier".into(), value);
    }
    if let (Some(rb), Value::Object(m)) = (&o.rebalance, &mut v) {
        m.insert("rebalance".into(), rb.plan_json(syms));
        m.insert("cost_benefit".into(), rb.cost_benefit_json());
    }
    serde_json::to_string_pretty(&v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

pub(crate) fn pct(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        format!("{:.*}%", decimals, x * 100.0)
    } else {
        "n/a".into()
    }
}

fn plain(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        format!("{x:.decimals$}")
    } else {
        "n/a".into()
    }
}

fn table(o: &Outcome<'_>) -> String {
    let r = &o.result;
    let syms = &o.market.symbols;
    let rep = &o.aligned.report;
    let mut s = String::new();
    if let Some(err) = &o.error {
        s.push_str(&format!("Optimisation failed: {err}\n"));
        if let Some(fb) = &r.fallback {
            s.push_str(&format!("{fb}\n"));
        }
        s.push('\n');
    }
    s.push_str(&format!("{} ({})\n", r.label, r.objective));
    s.push_str(&format!(
        "Window {} – {} · {} {} returns · {}/yr\n",
        rep.start,
        rep.end,
        rep.observations,
        rep.frequency.label(),
        rep.periods_per_year
    ));
    s.push_str(&format!(
        "Expected returns: {}; covariance: {}; risk-free {}\n\n",
        o.spec.expected_returns.label(),
        o.spec.covariance.label(),
        pct(o.spec.risk_free, 2)
    ));
    let w = syms
        .iter()
        .map(|x| x.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    s.push_str(&format!(
        "{:<w$}  {:>9}  {:>9}  {:>9}\n",
        "Symbol", "Current", "Optimised", "Change"
    ));
    for (i, sym) in syms.iter().enumerate() {
        let cur = o.market.current.get(i).copied().unwrap_or(f64::NAN);
        let new = r.weights.get(i).copied().unwrap_or(f64::NAN);
        let change = if (new - cur).abs() < 5e-5 {
            "·".to_string()
        } else {
            format!("{:+.2}%", (new - cur) * 100.0)
        };
        s.push_str(&format!(
            "{sym:<w$}  {:>9}  {:>9}  {:>9}\n",
            pct(cur, 2),
            pct(new, 2),
            change
        ));
    }
    let cash = o.aligned.cash_weight;
    if cash != 0.0 {
        s.push_str(&format!(
            "{:<w$}  {:>9}  {:>9}  {:>9}\n",
            "Cash",
            pct(cash, 2),
            pct(0.0, 2),
            format!("{:+.2}%", -cash * 100.0)
        ));
    }
    let total_cur: f64 = o.market.current.iter().sum::<f64>() + cash;
    let total_new: f64 = r.weights.iter().sum();
    s.push_str(&format!(
        "{:<w$}  {:>9}  {:>9}\n\n",
        "Total",
        pct(total_cur, 2),
        pct(total_new, 2)
    ));
    let st = &r.stats;
    let b = pct(o.spec.beta, 0);
    let rows: Vec<(String, String)> = vec![
        (
            "Expected return (annualised)".into(),
            pct(st.expected_return, 2),
        ),
        ("Volatility (annualised)".into(), pct(st.volatility, 2)),
        ("Sharpe ratio".into(), plain(st.sharpe, 3)),
        (format!("VaR {b} (per period)"), pct(st.var, 3)),
        (format!("CVaR {b} (per period)"), pct(st.cvar, 3)),
        (format!("CDaR {b} (uncompounded)"), pct(st.cdar, 2)),
        (
            "Maximum drawdown (uncompounded)".into(),
            pct(st.max_drawdown, 2),
        ),
        (
            "Mean absolute deviation (per period)".into(),
            pct(st.mad, 3),
        ),
        (
            "Diversification ratio".into(),
            plain(st.diversification_ratio, 3),
        ),
        ("Gross exposure".into(), pct(st.gross_exposure, 1)),
        (
            "Assets held".into(),
            format!("{} of {}", st.assets_held, syms.len()),
        ),
    ];
    let lw = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    for (l, v) in &rows {
        s.push_str(&format!("{l:<lw$}  {v:>10}\n"));
    }
    s.push_str(&format!(
        "\n{}: {}\nStatus: {}{}\n",
        r.objective_name,
        plain(r.objective_value, 6),
        r.status,
        if r.iterations > 0 {
            format!(" ({} iterations)", r.iterations)
        } else {
            String::new()
        }
    ));
    for n in &r.notes {
        s.push_str(&format!("  note: {n}\n"));
    }
    match &o.frontier {
        Some(Ok(f)) => {
            s.push_str(&format!(
                "\nFrontier ({}, {} points)\n{:>8}  {:>9}  {:>10}  {:>9}  {:>7}\n",
                f.kind.key(),
                f.points.len(),
                "Target",
                "Return",
                "Volatility",
                "CVaR",
                "Sharpe"
            ));
            for p in &f.points {
                s.push_str(&format!(
                    "{:>8}  {:>9}  {:>10}  {:>9}  {:>7}\n",
                    pct(p.target_return, 2),
                    pct(p.stats.expected_return, 2),
                    pct(p.stats.volatility, 2),
                    pct(p.stats.cvar, 3),
                    plain(p.stats.sharpe, 3)
                ));
            }
            if let Some(m) = &f.max_sharpe {
                s.push_str(&format!(
                    "Maximum Sharpe on this frontier: return {}, volatility {}, Sharpe {}\n",
                    pct(m.stats.expected_return, 2),
                    pct(m.stats.volatility, 2),
                    plain(m.stats.sharpe, 3)
                ));
            }
            for n in &f.notes {
                s.push_str(&format!("  note: {n}\n"));
            }
        }
        Some(Err(msg)) => s.push_str(&format!("\nFrontier: {msg}\n")),
        None => {}
    }
    if let Some(rb) = &o.rebalance {
        s.push('\n');
        s.push_str(&rb.table());
    }
    s.push_str("\nWeights are fractions of the portfolio's net value; VaR, CVaR and drawdowns are positive losses.\n");
    s
}
