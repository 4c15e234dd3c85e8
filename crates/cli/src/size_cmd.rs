//! `ballast size`: how many shares to trade under a sizing rule and the account's caps (see
//! `docs/cli.md`, "ballast size"). Options are checked here and every refusal names the option;
//! the numerics are `ballast_core::trading::{sizing, atr}`.

use crate::optimize::Report;
use crate::trade_data::{
    describe, finite, money, only_with, parse_pair, pct, plain, shares, TradingData,
};
use crate::{DataArgs, Failure};
use ballast_core::trading::atr::{atr_of_series, Atr, AtrSource, DEFAULT_ATR_PERIOD};
use ballast_core::trading::sizing::{
    size, AccountConstraints, InstrumentQuote, SizingData, SizingMethod, SizingRequest,
    SizingResult,
};
use ballast_core::trading::TradingError;
use clap::ValueEnum;

/// Default stop distance in ATRs (`--atr-multiple`).
const DEFAULT_ATR_MULTIPLE: f64 = 2.0;
/// Longest ATR period accepted (far beyond any price history).
const MAX_ATR_PERIOD: usize = 100_000;
/// Default share of the full Kelly bet (half Kelly).
const DEFAULT_KELLY_FRACTION: f64 = 0.5;
/// Default largest Kelly weight.
const DEFAULT_KELLY_CAP: f64 = 0.25;
/// Default VaR confidence of the VaR budget.
const DEFAULT_CONFIDENCE: f64 = 0.95;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum MethodArg {
    /// shares = risk-amount / (ATR × atr-multiple)
    Atr,
    /// shares = equity × risk-pct / stop-distance
    FixedFractional,
    /// shares = amount / price
    FixedAmount,
    /// weight = clamp(kelly-fraction × f*, 0, kelly-cap), f* = (μ − r_f)/σ²
    Kelly,
    /// largest addition keeping the portfolio's 1-day historical VaR within var-budget
    VarBudget,
    /// scale every held position to an annualised volatility of target-vol
    VolTarget,
    /// shares_i = budget_i × total-risk / (ATR_i × atr-multiple)
    RiskBudget,
}

impl MethodArg {
    fn key(self) -> &'static str {
        match self {
            MethodArg::Atr => "atr",
            MethodArg::FixedFractional => "fixed-fractional",
            MethodArg::FixedAmount => "fixed-amount",
            MethodArg::Kelly => "kelly",
            MethodArg::VarBudget => "var-budget",
            MethodArg::VolTarget => "vol-target",
            MethodArg::RiskBudget => "risk-budget",
        }
    }

    /// Whether the method sizes one instrument (`--symbol`) rather than the whole portfolio.
    fn single(self) -> bool {
        !matches!(self, MethodArg::VolTarget | MethodArg::RiskBudget)
    }
}

#[derive(clap::Args, Debug)]
pub(crate) struct SizeArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The instrument to size (every method but vol-target and risk-budget).
    #[arg(long, value_name = "SYMBOL")]
    symbol: Option<String>,
    /// Entry price per share (default: the symbol's last price in the data).
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "PRICE")]
    price: Option<f64>,
    /// Sizing rule.
    #[arg(long, value_enum, value_name = "METHOD")]
    method: MethodArg,
    /// atr: money risked if the stop (atr-multiple ATRs away) is hit.
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "MONEY")]
    risk_amount: Option<f64>,
    /// atr: the average true range in price units per share (default: Wilder ATR of the data).
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "ATR")]
    atr: Option<f64>,
    /// atr, risk-budget: stop distance in ATRs [default: 2].
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "M")]
    atr_multiple: Option<f64>,
    /// atr (without --atr), risk-budget: Wilder ATR period in bars [default: 14].
    #[arg(long, value_name = "N")]
    atr_period: Option<usize>,
    /// fixed-fractional: fraction of equity risked (0.01 = 1%).
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "X")]
    risk_pct: Option<f64>,
    /// fixed-fractional: distance from entry to stop, money per share.
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "MONEY")]
    stop_distance: Option<f64>,
    /// fixed-amount: money to invest.
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "MONEY")]
    amount: Option<f64>,
    /// kelly: share of the full Kelly bet, in (0, 1] [default: 0.5].
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "F")]
    kelly_fraction: Option<f64>,
    /// kelly: largest weight, fraction of equity [default: 0.25].
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "X")]
    kelly_cap: Option<f64>,
    /// kelly: annual risk-free rate as a fraction [default: 0].
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "RATE")]
    rf: Option<f64>,
    /// var-budget: the most the portfolio's 1-day historical VaR may be, money.
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "MONEY")]
    var_budget: Option<f64>,
    /// var-budget: VaR confidence level [default: 0.95].
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "LEVEL")]
    confidence: Option<f64>,
    /// vol-target: annualised volatility to reach (0.1 = 10%).
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "VOL")]
    target_vol: Option<f64>,
    /// risk-budget: money at risk over every budgeted position.
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "MONEY")]
    total_risk: Option<f64>,
    /// risk-budget: a symbol's share of --total-risk (repeatable; shares sum to at most 1).
    #[arg(long, value_parser = parse_pair, value_name = "SYM=SHARE")]
    budget: Vec<(String, f64)>,
    /// Account net value (default: the portfolio's net value, positions plus cash).
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "MONEY")]
    equity: Option<f64>,
    /// Largest position, fraction of equity (0.2 = 20%).
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "X")]
    max_position_pct: Option<f64>,
    /// The most a purchase may cost (margin account).
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "MONEY")]
    buying_power: Option<f64>,
    /// Cash available (cash account: the most a purchase may cost).
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "MONEY")]
    cash: Option<f64>,
    /// Print the sizing results as a JSON array instead of text.
    #[arg(long)]
    json: bool,
}

/// The option that sets a core input field, for messages.
fn option_of(field: &str) -> Option<String> {
    let o = match field {
        "price" => "--price",
        "risk_amount" => "--risk-amount",
        "atr" => "--atr",
        "multiple" | "atr_multiple" => "--atr-multiple",
        "period" => "--atr-period",
        "risk_pct" => "--risk-pct",
        "stop_distance" => "--stop-distance",
        "amount" => "--amount",
        "fraction" => "--kelly-fraction",
        "cap" => "--kelly-cap",
        "risk_free_per_period" => "--rf",
        "budget" => "--var-budget",
        "confidence" => "--confidence",
        "target_vol" => "--target-vol",
        "total_risk" => "--total-risk",
        "equity" => "--equity",
        "max_position_pct" => "--max-position-pct",
        "buying_power" => "--buying-power",
        "cash" => "--cash",
        "returns" => "--symbol",
        f if f.starts_with("budgets") || f.starts_with("quotes[") => "--budget",
        _ => return None,
    };
    Some(o.to_string())
}

/// Refuse the options of other methods.
fn check_applicable(a: &SizeArgs) -> Result<(), String> {
    let m = a.method;
    let chosen = format!("--method {}", m.key());
    let is = |ms: &[MethodArg]| ms.contains(&m);
    use MethodArg::*;
    let rules: [(bool, &str, &str, bool); 17] = [
        (
            a.symbol.is_some(),
            "--symbol",
            "the single-position methods (every --method but vol-target and risk-budget)",
            m.single(),
        ),
        (
            a.price.is_some(),
            "--price",
            "the single-position methods (every --method but vol-target and risk-budget)",
            m.single(),
        ),
        (
            a.risk_amount.is_some(),
            "--risk-amount",
            "--method atr",
            is(&[Atr]),
        ),
        (a.atr.is_some(), "--atr", "--method atr", is(&[Atr])),
        (
            a.atr_multiple.is_some(),
            "--atr-multiple",
            "--method atr or risk-budget",
            is(&[Atr, RiskBudget]),
        ),
        (
            a.atr_period.is_some(),
            "--atr-period",
            "--method atr or risk-budget",
            is(&[Atr, RiskBudget]),
        ),
        (
            a.risk_pct.is_some(),
            "--risk-pct",
            "--method fixed-fractional",
            is(&[FixedFractional]),
        ),
        (
            a.stop_distance.is_some(),
            "--stop-distance",
            "--method fixed-fractional",
            is(&[FixedFractional]),
        ),
        (
            a.amount.is_some(),
            "--amount",
            "--method fixed-amount",
            is(&[FixedAmount]),
        ),
        (
            a.kelly_fraction.is_some(),
            "--kelly-fraction",
            "--method kelly",
            is(&[Kelly]),
        ),
        (
            a.kelly_cap.is_some(),
            "--kelly-cap",
            "--method kelly",
            is(&[Kelly]),
        ),
        (a.rf.is_some(), "--rf", "--method kelly", is(&[Kelly])),
        (
            a.var_budget.is_some(),
            "--var-budget",
            "--method var-budget",
            is(&[VarBudget]),
        ),
        (
            a.confidence.is_some(),
            "--confidence",
            "--method var-budget",
            is(&[VarBudget]),
        ),
        (
            a.target_vol.is_some(),
            "--target-vol",
            "--method vol-target",
            is(&[VolTarget]),
        ),
        (
            a.total_risk.is_some(),
            "--total-risk",
            "--method risk-budget",
            is(&[RiskBudget]),
        ),
        (
            !a.budget.is_empty(),
            "--budget",
            "--method risk-budget",
            is(&[RiskBudget]),
        ),
    ];
    for (given, option, applies_to, fits) in rules {
        only_with(given && !fits, option, applies_to, &chosen)?;
    }
    if a.atr.is_some() && a.atr_period.is_some() {
        return Err(
            "--atr-period applies when the ATR is computed from the data (not with --atr)".into(),
        );
    }
    if m.single() && a.symbol.is_none() {
        return Err(format!("{chosen} needs --symbol"));
    }
    let required: [(bool, &str, MethodArg); 7] = [
        (a.risk_amount.is_none(), "--risk-amount", Atr),
        (a.risk_pct.is_none(), "--risk-pct", FixedFractional),
        (
            a.stop_distance.is_none(),
            "--stop-distance",
            FixedFractional,
        ),
        (a.amount.is_none(), "--amount", FixedAmount),
        (a.var_budget.is_none(), "--var-budget", VarBudget),
        (a.target_vol.is_none(), "--target-vol", VolTarget),
        (a.total_risk.is_none(), "--total-risk", RiskBudget),
    ];
    for (missing, option, method) in required {
        if missing && m == method {
            return Err(format!("{chosen} needs {option}"));
        }
    }
    if m == RiskBudget && a.budget.is_empty() {
        return Err(format!(
            "{chosen} needs --budget SYM=SHARE (repeatable, shares of --total-risk)"
        ));
    }
    if let Some(n) = a.atr_period.filter(|n| !(1..=MAX_ATR_PERIOD).contains(n)) {
        return Err(format!(
            "--atr-period must be between 1 and {MAX_ATR_PERIOD} bars, got {n}"
        ));
    }
    if let Some(c) = a.confidence.filter(|c| !(*c > 0.0 && *c < 1.0)) {
        return Err(format!(
            "--confidence must be between 0 and 1 (exclusive), got {c}"
        ));
    }
    if let Some(rf) = a.rf.filter(|r| *r <= -1.0) {
        return Err(format!("--rf must be a fraction above -1, got {rf}"));
    }
    Ok(())
}

/// An ATR in words for the notes.
fn atr_note(a: &Atr) -> Vec<String> {
    let source = match a.source {
        AtrSource::HighLowClose => "high/low/close true ranges",
        AtrSource::CloseToClose => "close-to-close ranges |C − C_prev|",
    };
    let mut notes = vec![format!(
        "ATR({}) of {} = {} from {source}, Wilder-smoothed over {} ranges to {}",
        a.period,
        a.symbol,
        plain(a.value, 4),
        a.observations,
        a.as_of
    )];
    notes.extend(a.notes.iter().map(|n| format!("ATR: {n}")));
    notes
}

/// The symbol as the data spells it (held, then loaded), else as typed.
fn canonical(d: &TradingData, s: &str) -> String {
    match d.held(s) {
        Some(i) => d.aligned.symbols[i].clone(),
        None => d
            .series(s)
            .map_or_else(|| s.trim().to_string(), |x| x.symbol.clone()),
    }
}

/// The ATR of a loaded symbol, the error naming `option`.
fn data_atr(d: &TradingData, symbol: &str, period: usize, option: &str) -> Result<Atr, String> {
    let s = d.series(symbol).ok_or_else(|| {
        format!("{option}: {symbol} has no price series loaded; give its ATR with --atr")
    })?;
    atr_of_series(s, period).map_err(|e| match e {
        TradingError::TooLittleHistory { .. } => {
            format!("--atr-period: {}", describe(&e, |_| None))
        }
        _ => format!("{option}: {}", describe(&e, |_| None)),
    })
}

/// Everything computed, for the printers.
struct Sized {
    method: MethodArg,
    label: &'static str,
    equity: f64,
    equity_note: &'static str,
    results: Vec<SizingResult>,
    /// Single-position methods: symbol and price.
    entry: Option<(String, f64)>,
}

pub(crate) fn size_cmd(args: &SizeArgs) -> Result<Report, Failure> {
    check_applicable(args)?;
    let mut d = args.data.load_trading()?;
    let (equity, equity_note) = match args.equity {
        Some(e) => {
            if e <= 0.0 {
                return Err(format!("--equity must be positive, got {e}").into());
            }
            if !d.in_money() {
                d.scale_weights_to(e);
            }
            (e, "--equity")
        }
        None if d.in_money() => (d.aligned.total_value, "the portfolio's net value"),
        None => {
            return Err(
                "--equity: the holdings give weights only (or no --holdings were given): give the account's net value with --equity"
                    .to_string()
                    .into(),
            )
        }
    };
    let account = AccountConstraints {
        equity,
        max_position_pct: args.max_position_pct,
        buying_power: args.buying_power,
        cash: args.cash,
    };
    let period = args.atr_period.unwrap_or(DEFAULT_ATR_PERIOD);
    let multiple = args.atr_multiple.unwrap_or(DEFAULT_ATR_MULTIPLE);
    let ppy = d.aligned.report.periods_per_year;
    let mut notes: Vec<String> = Vec::new();
    let mut per_symbol_notes: Vec<(String, Vec<String>)> = Vec::new();
    let mut quotes: Vec<InstrumentQuote> = Vec::new();
    let mut own_returns: Option<Vec<f64>> = None;

    // The instrument of the single-position methods: its symbol and price.
    let (symbol, price) = if args.method.single() {
        let typed = args.symbol.as_deref().unwrap_or_default();
        if typed.trim().is_empty() {
            return Err("--symbol: enter the symbol to size".to_string().into());
        }
        let symbol = canonical(&d, typed);
        let price = match args.price {
            Some(p) => p,
            None => match d.last_price(&symbol) {
                Some((p, note)) => {
                    notes.push(format!(
                        "price {} from the data (the last price)",
                        plain(p, 4)
                    ));
                    notes.extend(note);
                    p
                }
                None => {
                    return Err(format!(
                        "--price: {symbol} has no price in the loaded data; give its price with --price"
                    )
                    .into())
                }
            },
        };
        (symbol, price)
    } else {
        (String::new(), 0.0)
    };

    let method = match args.method {
        MethodArg::Atr => {
            let atr = match args.atr {
                Some(a) => a,
                None => {
                    let a = data_atr(&d, &symbol, period, "--symbol")?;
                    notes.extend(atr_note(&a));
                    a.value
                }
            };
            SizingMethod::VolatilityAtr {
                risk_amount: args.risk_amount.unwrap_or_default(),
                atr,
                multiple,
            }
        }
        MethodArg::FixedFractional => SizingMethod::FixedFractional {
            risk_pct: args.risk_pct.unwrap_or_default(),
            stop_distance: args.stop_distance.unwrap_or_default(),
        },
        MethodArg::FixedAmount => SizingMethod::FixedAmount {
            amount: args.amount.unwrap_or_default(),
        },
        MethodArg::Kelly => {
            if d.held(&symbol).is_none() {
                let r = d.returns_on_calendar(&symbol).or_else(|| {
                    d.series(&symbol)
                        .filter(|s| s.kind == ballast_core::ValueKind::Price)
                        .map(|s| s.values.windows(2).map(|w| w[1] / w[0] - 1.0).collect())
                });
                match r {
                    Some(r) => own_returns = Some(r),
                    None => {
                        return Err(format!(
                            "--symbol: Kelly sizing needs {symbol}'s return history: load its prices with --prices"
                        )
                        .into())
                    }
                }
            }
            SizingMethod::Kelly {
                fraction: args.kelly_fraction.unwrap_or(DEFAULT_KELLY_FRACTION),
                cap: args.kelly_cap.unwrap_or(DEFAULT_KELLY_CAP),
            }
        }
        MethodArg::VarBudget => {
            if d.held(&symbol).is_none() {
                match d.returns_on_calendar(&symbol) {
                    Some(r) => own_returns = Some(r),
                    None => {
                        return Err(format!(
                            "--symbol: VaR budget sizing needs {symbol}'s prices on every date of the window ({} – {}): load them with --prices",
                            d.aligned.report.start, d.aligned.report.end
                        )
                        .into())
                    }
                }
            }
            SizingMethod::VarBudget {
                budget: args.var_budget.unwrap_or_default(),
                confidence: args.confidence.unwrap_or(DEFAULT_CONFIDENCE),
            }
        }
        MethodArg::VolTarget => SizingMethod::VolatilityTarget {
            target_vol: args.target_vol.unwrap_or_default(),
        },
        MethodArg::RiskBudget => {
            let mut budgets = Vec::with_capacity(args.budget.len());
            for (s, b) in &args.budget {
                let sym = canonical(&d, s);
                let (price, price_note) = d.last_price(&sym).ok_or_else(|| {
                    format!("--budget: {sym} has no price series loaded (load it with --prices)")
                })?;
                let a = data_atr(&d, &sym, period, "--budget")?;
                let mut n = atr_note(&a);
                n.extend(price_note);
                per_symbol_notes.push((sym.clone(), n));
                quotes.push(InstrumentQuote {
                    symbol: sym.clone(),
                    price,
                    atr: a.value,
                });
                budgets.push((sym, *b));
            }
            SizingMethod::RiskBudget {
                total_risk: args.total_risk.unwrap_or_default(),
                budgets,
                atr_multiple: multiple,
            }
        }
    };
    let label = method.label();
    let request = SizingRequest {
        symbol: symbol.clone(),
        price,
        method,
        account,
    };
    let rf_per_period = (1.0 + args.rf.unwrap_or(0.0)).powf(1.0 / ppy) - 1.0;
    let data = SizingData {
        returns: own_returns.as_deref(),
        risk_free_per_period: if rf_per_period.is_finite() {
            rf_per_period
        } else {
            0.0
        },
        portfolio: Some(&d.aligned),
        quotes: &quotes,
    };
    let mut results = size(&request, &data).map_err(|e| describe(&e, option_of))?;
    if let Some(r) = results
        .iter()
        .find(|r| !(r.shares.is_finite() && r.value.is_finite()))
    {
        return Err(format!(
            "the size of {} is not a finite number (the inputs overflow): check --price and the method's amounts",
            r.symbol
        )
        .into());
    }
    for r in results.iter_mut() {
        let mut extra = notes.clone();
        if let Some((_, n)) = per_symbol_notes.iter().find(|(s, _)| *s == r.symbol) {
            extra.extend(n.iter().cloned());
        }
        r.notes.extend(extra);
    }
    let out = Sized {
        method: args.method,
        label,
        equity,
        equity_note,
        results,
        entry: args.method.single().then_some((symbol, price)),
    };
    let text = if args.json {
        serde_json::to_string_pretty(&out.results)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    } else {
        table(&out)
    };
    Ok(Report {
        text,
        warnings: Vec::new(),
    })
}

fn capped(r: &SizingResult) -> String {
    match &r.capped_by {
        Some(c) => format!("{c} (the rule alone: {} shares)", shares(r.uncapped_shares)),
        None => "none (the rule's own size)".into(),
    }
}

fn table(o: &Sized) -> String {
    let mut s = String::new();
    let mut head = format!("Position sizing: {} (--method {})", o.label, o.method.key());
    if let Some((sym, price)) = &o.entry {
        head.push_str(&format!(", {sym} at {}", plain(*price, 4)));
    }
    s.push_str(&head);
    s.push('\n');
    s.push_str(&format!(
        "Equity {} ({})\n\n",
        money(o.equity),
        o.equity_note
    ));
    if o.method.single() {
        if let Some(r) = o.results.first() {
            let rows: Vec<(&str, String)> = vec![
                ("Shares", shares(r.shares)),
                ("Whole shares", shares(r.whole_shares)),
                ("Value", money(r.value)),
                ("% of equity", pct(r.pct_of_equity, 2)),
                ("Risk", money(r.risk_amount)),
                ("Risk % of equity", pct(r.risk_pct_of_equity, 3)),
                ("Binding cap", capped(r)),
            ];
            for (l, v) in rows {
                s.push_str(&format!("{l:<18}{v}\n"));
            }
            if !r.notes.is_empty() {
                s.push_str("\nNotes\n");
                for n in &r.notes {
                    s.push_str(&format!("  - {n}\n"));
                }
            }
        }
    } else {
        let w = o
            .results
            .iter()
            .map(|r| r.symbol.chars().count())
            .max()
            .unwrap_or(0)
            .max(6);
        s.push_str(&format!(
            "{:<w$}  {:>14}  {:>10}  {:>16}  {:>9}  {:>14}  {:>8}  Binding cap\n",
            "Symbol", "Shares", "Whole", "Value", "% equity", "Risk", "Risk %"
        ));
        for r in &o.results {
            s.push_str(&format!(
                "{:<w$}  {:>14}  {:>10}  {:>16}  {:>9}  {:>14}  {:>8}  {}\n",
                r.symbol,
                shares(r.shares),
                shares(r.whole_shares),
                money(r.value),
                pct(r.pct_of_equity, 2),
                money(r.risk_amount),
                pct(r.risk_pct_of_equity, 3),
                r.capped_by.as_deref().unwrap_or("none")
            ));
        }
        // Notes every result shares once, the others under their symbol.
        let mut lines: Vec<String> = Vec::new();
        for r in &o.results {
            for n in &r.notes {
                let common = o.results.iter().all(|x| x.notes.contains(n));
                let line = if common {
                    n.clone()
                } else {
                    format!("{}: {n}", r.symbol)
                };
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
        }
        if !lines.is_empty() {
            s.push_str("\nNotes\n");
            for n in lines {
                s.push_str(&format!("  - {n}\n"));
            }
        }
    }
    s.push_str(
        "\nShares to buy (negative: to sell); whole shares round toward zero; percentages are of equity.",
    );
    s
}
