//! `ballast check`: a pre-trade check of "buy or sell N of SYMBOL at PRICE" against the risk
//! limits, with the portfolio before and after, exposure and margin, and optional hedges; or,
//! with `--alerts-only`, the current alerts, heat map and sector exposures (see `docs/cli.md`,
//! "ballast check"). The numerics are `ballast_core::trading`.

use crate::optimize::Report;
use crate::trade_data::{
    describe, finite, money, num, parse_levels, pct, plain, shares, TradingData,
};
use crate::{DataArgs, Failure};
use ballast_core::analysis::portfolio_returns;
use ballast_core::trading::exposure::{exposure, exposure_of, Exposure};
use ballast_core::trading::heat::{heat_map, HeatMap};
use ballast_core::trading::hedge::{
    beta_hedge_of, min_variance_hedge, min_variance_hedge_of, Hedge,
};
use ballast_core::trading::limits::{evaluate, snapshot, Alert, Limits, Severity, VAR_CONFIDENCE};
use ballast_core::trading::pretrade::{
    check, AccountState, PortfolioView, PreTradeCheck, Side, TradeProposal, ATR_STOP_MULTIPLE,
};
use clap::ValueEnum;
use serde_json::{json, Value};

/// Exit status of a rejected trade (the verdict is printed; 0 is approved).
pub(crate) const EXIT_REJECTED: u8 = 3;
/// Default maintenance margin rate of the exposure section (Reg T / FINRA 4210 minimum).
const DEFAULT_MAINTENANCE_MARGIN: f64 = 0.25;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum SideArg {
    Buy,
    Sell,
}

#[derive(clap::Args, Debug)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Print the current alerts, heat map and sector exposures only (no trade options).
    #[arg(long)]
    alerts_only: bool,
    /// Buy or sell (a sell beyond the holding is a short sale).
    #[arg(long, value_enum, value_name = "SIDE")]
    side: Option<SideArg>,
    /// Shares or units to trade (positive).
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "N")]
    quantity: Option<f64>,
    /// The symbol to trade: held, or loaded with --prices.
    #[arg(long, value_name = "SYMBOL")]
    symbol: Option<String>,
    /// Trade price per share (default: the symbol's last price in the data).
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "PRICE")]
    price: Option<f64>,
    /// Stop price (below the price for a buy, above for a sell): the money at risk is reported.
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "STOP")]
    stop: Option<f64>,
    /// Average true range per share: without --stop, the stop is 2 ATRs away.
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "ATR")]
    atr: Option<f64>,
    /// Sector of a symbol that is not held (a held one keeps its own).
    #[arg(long, value_name = "NAME")]
    sector: Option<String>,
    /// Money available for buys [default: the portfolio's cash].
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "MONEY")]
    buying_power: Option<f64>,
    /// Single position |w| warning and critical levels, fractions [default: 0.2:0.3].
    #[arg(long, value_parser = parse_levels, value_name = "W:C")]
    limit_position: Option<(f64, f64)>,
    /// Sector |Σw| warning and critical levels [default: 0.4:0.6].
    #[arg(long, value_parser = parse_levels, value_name = "W:C")]
    limit_sector: Option<(f64, f64)>,
    /// Correlated cluster |Σw| warning and critical levels [default: 0.3:0.5].
    #[arg(long, value_parser = parse_levels, value_name = "W:C")]
    limit_cluster: Option<(f64, f64)>,
    /// Assets are one cluster when linked by |ρ| ≥ X [default: 0.7].
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "X")]
    cluster_threshold: Option<f64>,
    /// Limit on the 1-day 95% historical VaR, fraction of net value [default: 0.02].
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "X")]
    limit_var: Option<f64>,
    /// Maximum gross leverage Σ|value| / net value [default: 1.5].
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "X")]
    max_leverage: Option<f64>,
    /// Drawdown from peak warning and halt levels [default: 0.05:0.1].
    #[arg(long, value_parser = parse_levels, value_name = "W:H")]
    limit_drawdown: Option<(f64, f64)>,
    /// Maintenance margin rate of the exposure section, fraction of gross [default: 0.25].
    #[arg(long, value_parser = finite, allow_negative_numbers = true, value_name = "X")]
    maintenance_margin: Option<f64>,
    /// Also report the minimum-variance hedge of the portfolio with this instrument.
    #[arg(long, value_name = "SYMBOL")]
    hedge_instrument: Option<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// The option that sets a core input field, for messages.
fn option_of(field: &str) -> Option<String> {
    let o = match field {
        "position_warning" | "position_critical" => "--limit-position",
        "sector_warning" | "sector_critical" => "--limit-sector",
        "cluster_warning" | "cluster_critical" => "--limit-cluster",
        "cluster_threshold" => "--cluster-threshold",
        "var_limit" => "--limit-var",
        "max_gross_leverage" => "--max-leverage",
        "drawdown_warning" | "drawdown_halt" => "--limit-drawdown",
        "symbol" | "returns" => "--symbol",
        "quantity" => "--quantity",
        "price" => "--price",
        "stop" => "--stop",
        "atr" => "--atr",
        "buying_power" => "--buying-power",
        "maintenance_margin" => "--maintenance-margin",
        _ => return None,
    };
    Some(o.to_string())
}

fn err(e: &ballast_core::trading::TradingError) -> String {
    describe(e, option_of)
}

impl CheckArgs {
    /// The limits: the defaults with the options' overrides, validated.
    fn limits(&self) -> Result<Limits, String> {
        let pairs = [
            ("--limit-position", self.limit_position, "critical"),
            ("--limit-sector", self.limit_sector, "critical"),
            ("--limit-cluster", self.limit_cluster, "critical"),
            ("--limit-drawdown", self.limit_drawdown, "halt"),
        ];
        for (option, pair, second) in pairs {
            let Some((w, c)) = pair else { continue };
            if w <= 0.0 || c <= 0.0 {
                return Err(format!(
                    "{option}: both levels must be positive fractions (0.2 = 20%), got {w}:{c}"
                ));
            }
            if w > c {
                return Err(format!(
                    "{option}: the warning level {w} is above the {second} level {c} (give WARNING:{} with WARNING ≤ {})",
                    second.to_uppercase(),
                    second.to_uppercase()
                ));
            }
        }
        let mut l = Limits::default();
        if let Some((w, c)) = self.limit_position {
            (l.position_warning, l.position_critical) = (w, c);
        }
        if let Some((w, c)) = self.limit_sector {
            (l.sector_warning, l.sector_critical) = (w, c);
        }
        if let Some((w, c)) = self.limit_cluster {
            (l.cluster_warning, l.cluster_critical) = (w, c);
        }
        if let Some((w, h)) = self.limit_drawdown {
            (l.drawdown_warning, l.drawdown_halt) = (w, h);
        }
        if let Some(x) = self.cluster_threshold {
            l.cluster_threshold = x;
        }
        if let Some(x) = self.limit_var {
            l.var_limit = x;
        }
        if let Some(x) = self.max_leverage {
            l.max_gross_leverage = x;
        }
        l.validate().map_err(|e| err(&e))?;
        Ok(l)
    }

    /// The trade options given (refused with --alerts-only).
    fn trade_options(&self) -> Vec<&'static str> {
        [
            (self.side.is_some(), "--side"),
            (self.quantity.is_some(), "--quantity"),
            (self.symbol.is_some(), "--symbol"),
            (self.price.is_some(), "--price"),
            (self.stop.is_some(), "--stop"),
            (self.atr.is_some(), "--atr"),
            (self.sector.is_some(), "--sector"),
            (self.buying_power.is_some(), "--buying-power"),
            (self.maintenance_margin.is_some(), "--maintenance-margin"),
            (self.hedge_instrument.is_some(), "--hedge-instrument"),
        ]
        .into_iter()
        .filter(|(given, _)| *given)
        .map(|(_, o)| o)
        .collect()
    }
}

/// `ballast check`: the report and the exit status (0 approved, [`EXIT_REJECTED`] rejected).
pub(crate) fn check_cmd(args: &CheckArgs) -> Result<(Report, u8), Failure> {
    if args.alerts_only {
        let given = args.trade_options();
        if !given.is_empty() {
            return Err(format!(
                "{} {} not apply with --alerts-only (it checks no trade)",
                given.join(", "),
                if given.len() == 1 { "does" } else { "do" }
            )
            .into());
        }
        let limits = args.limits()?;
        let d = args.data.load_trading()?;
        let text = alerts_only(&d, &limits, args.json)?;
        return Ok((
            Report {
                text,
                warnings: Vec::new(),
            },
            0,
        ));
    }
    let (Some(side), Some(quantity), Some(symbol)) = (args.side, args.quantity, &args.symbol)
    else {
        let missing: Vec<&str> = [
            (args.side.is_none(), "--side buy|sell"),
            (args.quantity.is_none(), "--quantity N"),
            (args.symbol.is_none(), "--symbol SYM"),
        ]
        .into_iter()
        .filter(|(m, _)| *m)
        .map(|(_, o)| o)
        .collect();
        return Err(format!(
            "a pre-trade check needs {} (or --alerts-only)",
            missing.join(", ")
        )
        .into());
    };
    let m = args
        .maintenance_margin
        .unwrap_or(DEFAULT_MAINTENANCE_MARGIN);
    if !(0.0..=1.0).contains(&m) {
        return Err(format!(
            "--maintenance-margin must be a fraction between 0 and 1, e.g. 0.25, got {m}"
        )
        .into());
    }
    let limits = args.limits()?;
    let d = args.data.load_trading()?;
    let mut warnings = Vec::new();
    let mut notes = Vec::new();

    if symbol.trim().is_empty() {
        return Err("--symbol: enter the symbol to trade".to_string().into());
    }
    let held = d.held(symbol);
    let (symbol, returns) = match held {
        Some(i) => (d.aligned.symbols[i].clone(), None),
        None => match d.series(symbol) {
            Some(s) => {
                let r = d.returns_on_calendar(&s.symbol).ok_or_else(|| {
                    format!(
                        "--symbol: {} has no price on some dates of the window ({} – {}); the check needs its returns on every date",
                        s.symbol, d.aligned.report.start, d.aligned.report.end
                    )
                })?;
                (s.symbol.clone(), Some(r))
            }
            None => {
                return Err(format!(
                    "--symbol: {} is neither held nor loaded; load its prices with --prices (the check needs its return history)",
                    symbol.trim()
                )
                .into())
            }
        },
    };
    if held.is_some() && args.sector.is_some() {
        warnings.push(format!(
            "--sector is ignored: {symbol} is held and keeps the holdings' sector"
        ));
    }
    let price = match args.price {
        Some(p) => p,
        None => {
            let (p, note) = d.last_price(&symbol).ok_or_else(|| {
                format!("--price: {symbol} has no price in the data; give --price")
            })?;
            notes.push(format!(
                "price {} from the data (the last price)",
                plain(p, 4)
            ));
            notes.extend(note);
            p
        }
    };
    let proposal = TradeProposal {
        symbol: symbol.clone(),
        side: match side {
            SideArg::Buy => Side::Buy,
            SideArg::Sell => Side::Sell,
        },
        quantity,
        price,
        stop: args.stop,
        atr: args.atr,
        sector: args.sector.clone(),
        returns,
    };
    let account = AccountState {
        buying_power: args.buying_power,
    };
    let verdict = check(&d.aligned, &limits, &proposal, &account).map_err(|e| err(&e))?;
    let exposure_now = exposure_of(&d.aligned, m).map_err(|e| err(&e))?;
    let after_values: Vec<f64> = verdict
        .after
        .weights
        .iter()
        .map(|(_, w)| w * verdict.after.equity)
        .collect();
    let exposure_after = exposure(&after_values, verdict.after.cash, m).ok();
    let heat = heat_map(&d.aligned, &limits).map_err(|e| err(&e))?;
    let hedges = hedges(&d, args.hedge_instrument.as_deref())?;
    let out = Checked {
        trade: &proposal,
        verdict: &verdict,
        limits: &limits,
        exposure: &exposure_now,
        exposure_after: exposure_after.as_ref(),
        heat: &heat,
        hedges: &hedges,
        notes: &notes,
    };
    let text = if args.json {
        pretty(&check_json(&out))
    } else {
        check_text(&out)
    };
    let code = if verdict.approved { 0 } else { EXIT_REJECTED };
    Ok((Report { text, warnings }, code))
}

/// The beta hedge (when a benchmark is loaded) and the minimum-variance hedge with
/// `--hedge-instrument`.
struct Hedges {
    beta: Option<Hedge>,
    min_variance: Option<Hedge>,
}

fn hedges(d: &TradingData, instrument: Option<&str>) -> Result<Hedges, String> {
    let a = &d.aligned;
    let beta = match &a.benchmark {
        Some(b) => Some(
            beta_hedge_of(a, None, VAR_CONFIDENCE)
                .map_err(|e| format!("beta hedge against {}: {}", b.symbol, err(&e)))?,
        ),
        None => None,
    };
    let min_variance = match instrument {
        None => None,
        Some(s) => {
            let fail = |e: ballast_core::trading::TradingError| {
                format!("--hedge-instrument: {}", describe(&e, |_| None))
            };
            let bench = a
                .benchmark
                .as_ref()
                .filter(|b| b.symbol.eq_ignore_ascii_case(s.trim()))
                .map(|b| b.symbol.clone());
            if let Some(i) = d.held(s) {
                Some(min_variance_hedge_of(a, &a.symbols[i], None, VAR_CONFIDENCE).map_err(fail)?)
            } else if let Some(b) = bench {
                Some(min_variance_hedge_of(a, &b, None, VAR_CONFIDENCE).map_err(fail)?)
            } else if let Some(series) = d.series(s) {
                let sym = series.symbol.clone();
                let r = d.returns_on_calendar(&sym).ok_or_else(|| {
                    format!(
                        "--hedge-instrument: {sym} has no price on some dates of the window ({} – {})",
                        a.report.start, a.report.end
                    )
                })?;
                let price = d.last_price(&sym).map(|(p, _)| p);
                let mut h = min_variance_hedge(
                    &portfolio_returns(a),
                    &r,
                    a.total_value,
                    price,
                    a.report.periods_per_year,
                    VAR_CONFIDENCE,
                )
                .map_err(fail)?;
                h.method_label = format!("minimum-variance hedge with {sym}");
                Some(h)
            } else {
                return Err(format!(
                    "--hedge-instrument: {} is neither held, the benchmark nor a loaded price series",
                    s.trim()
                ));
            }
        }
    };
    Ok(Hedges { beta, min_variance })
}

struct Checked<'a> {
    trade: &'a TradeProposal,
    verdict: &'a PreTradeCheck,
    limits: &'a Limits,
    exposure: &'a Exposure,
    exposure_after: Option<&'a Exposure>,
    heat: &'a HeatMap,
    hedges: &'a Hedges,
    notes: &'a [String],
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn to_value<T: serde::Serialize>(x: &T) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}

fn side_key(s: Side) -> &'static str {
    match s {
        Side::Buy => "buy",
        Side::Sell => "sell",
    }
}

fn check_json(o: &Checked<'_>) -> Value {
    let mut v = to_value(o.verdict);
    let t = o.trade;
    if let Value::Object(m) = &mut v {
        if let Some(Value::Array(n)) = m.get_mut("notes") {
            n.extend(o.notes.iter().map(|x| Value::String(x.clone())));
        }
        m.insert(
            "trade".into(),
            json!({
                "symbol": t.symbol,
                "side": side_key(t.side),
                "quantity": num(t.quantity),
                "price": num(t.price),
                "stop": t.stop.map(num),
                "atr": t.atr.map(num),
                "sector": t.sector,
            }),
        );
        m.insert("limits".into(), to_value(o.limits));
        m.insert("exposure".into(), to_value(o.exposure));
        m.insert(
            "exposure_after".into(),
            o.exposure_after.map_or(Value::Null, to_value),
        );
        m.insert("alerts".into(), to_value(&o.verdict.before.alerts));
        m.insert("heat_map".into(), to_value(o.heat));
        m.insert(
            "hedge".into(),
            json!({
                "beta": o.hedges.beta.as_ref().map(to_value),
                "min_variance": o.hedges.min_variance.as_ref().map(to_value),
            }),
        );
    }
    v
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Info => "INFO",
        Severity::Warning => "WARNING",
        Severity::Critical => "CRITICAL",
        Severity::Halt => "HALT",
    }
}

fn alert_lines(s: &mut String, alerts: &[Alert]) {
    if alerts.is_empty() {
        s.push_str("  none\n");
    }
    for a in alerts {
        s.push_str(&format!("  {:<9} {}\n", severity(a.severity), a.message));
    }
}

fn weight_of(v: &PortfolioView, symbol: &str) -> f64 {
    v.weights
        .iter()
        .find(|(s, _)| s == symbol)
        .map_or(0.0, |(_, w)| *w)
}

fn cluster(v: &PortfolioView) -> String {
    match &v.largest_cluster {
        Some((members, w)) => format!("{} {}", members.join(", "), pct(*w, 2)),
        None => "none".into(),
    }
}

fn limits_line(l: &Limits) -> String {
    let p = |x: f64| pct(x, 0);
    format!(
        "Limits: position {}/{}, sector {}/{}, cluster {}/{} (|ρ| ≥ {}), 1-day 95% VaR {}, gross leverage {}×, drawdown {}/{} (warning/critical levels; the drawdown's second level halts trading)",
        p(l.position_warning),
        p(l.position_critical),
        p(l.sector_warning),
        p(l.sector_critical),
        p(l.cluster_warning),
        p(l.cluster_critical),
        l.cluster_threshold,
        pct(l.var_limit, 1),
        l.max_gross_leverage,
        p(l.drawdown_warning),
        p(l.drawdown_halt)
    )
}

fn rows(s: &mut String, rows: &[(String, String, String)], head: (&str, &str)) {
    let lw = rows
        .iter()
        .map(|(l, _, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .max(20);
    let vw = rows
        .iter()
        .flat_map(|(_, a, b)| [a.chars().count(), b.chars().count()])
        .max()
        .unwrap_or(0)
        .max(12);
    s.push_str(&format!("{:<lw$}  {:>vw$}  {:>vw$}\n", "", head.0, head.1));
    for (l, a, b) in rows {
        s.push_str(&format!("{l:<lw$}  {a:>vw$}  {b:>vw$}\n"));
    }
}

fn fall(x: Option<f64>) -> String {
    x.map_or_else(|| "none".into(), |x| pct(x, 2))
}

fn exposure_rows(now: &Exposure, after: Option<&Exposure>) -> Vec<(String, String, String)> {
    let f = |g: &dyn Fn(&Exposure) -> String| -> (String, String) {
        (g(now), after.map_or_else(|| "n/a".into(), g))
    };
    let items: Vec<(&str, (String, String))> = vec![
        ("Long", f(&|e| money(e.long))),
        ("Short", f(&|e| money(e.short))),
        ("Gross", f(&|e| money(e.gross))),
        ("Net", f(&|e| money(e.net))),
        ("Cash", f(&|e| money(e.cash))),
        ("Equity", f(&|e| money(e.equity))),
        (
            "Gross leverage",
            f(&|e| format!("{}×", plain(e.gross_leverage, 3))),
        ),
        (
            "Net leverage",
            f(&|e| format!("{}×", plain(e.net_leverage, 3))),
        ),
        ("Margin requirement", f(&|e| money(e.margin_requirement))),
        ("Margin use", f(&|e| pct(e.margin_use, 2))),
        ("Excess margin", f(&|e| money(e.excess_margin))),
        ("Fall to a margin call", f(&|e| fall(e.margin_call_fall))),
        ("Rise to a margin call", f(&|e| fall(e.margin_call_rise))),
    ];
    items
        .into_iter()
        .map(|(l, (a, b))| (l.to_string(), a, b))
        .collect()
}

fn hedge_line(h: &Hedge) -> String {
    format!(
        "{}: ratio {}, notional {} ({} units at {}); volatility {} → {}; 1-day {} VaR {} → {} ({} → {}); variance reduction {}, correlation {}",
        h.method_label,
        plain(h.ratio, 4),
        money(h.notional),
        money(h.units),
        plain(h.hedge_price, 2),
        pct(h.vol_before, 2),
        pct(h.vol_after, 2),
        pct(h.confidence, 0),
        pct(h.var_before, 2),
        pct(h.var_after, 2),
        money(h.var_before_amount),
        money(h.var_after_amount),
        pct(h.variance_reduction, 1),
        plain(h.correlation, 3)
    )
}

fn check_text(o: &Checked<'_>) -> String {
    let (v, t) = (o.verdict, o.trade);
    let mut s = String::new();
    s.push_str(&format!(
        "{}: {} {} {} at {}\n",
        if v.approved { "APPROVED" } else { "REJECTED" },
        side_key(t.side),
        shares(t.quantity),
        t.symbol,
        plain(t.price, 4)
    ));
    if !v.reasons.is_empty() {
        s.push_str("Reasons:\n");
        for r in &v.reasons {
            s.push_str(&format!("  - {}\n", r.message));
        }
        match v.suggested_quantity {
            Some(q) => s.push_str(&format!(
                "Suggested quantity: {} (the largest quantity up to {} that passes every check)\n",
                shares(q),
                shares(t.quantity)
            )),
            None => s.push_str("Suggested quantity: none (even the smallest size tried fails)\n"),
        }
    }
    s.push('\n');
    let (b, a) = (&v.before, &v.after);
    let table: Vec<(String, String, String)> = vec![
        (
            format!("{} weight", t.symbol),
            pct(weight_of(b, &t.symbol), 2),
            pct(weight_of(a, &t.symbol), 2),
        ),
        (
            "Volatility (annualised)".into(),
            pct(b.volatility, 2),
            pct(a.volatility, 2),
        ),
        ("1-day 95% VaR".into(), pct(b.var_1d, 2), pct(a.var_1d, 2)),
        (
            "1-day 95% VaR (money)".into(),
            money(b.var_1d_money),
            money(a.var_1d_money),
        ),
        ("Largest cluster".into(), cluster(b), cluster(a)),
        (
            "Gross leverage".into(),
            format!("{}×", plain(b.gross_leverage, 3)),
            format!("{}×", plain(a.gross_leverage, 3)),
        ),
        ("Net value".into(), money(b.equity), money(a.equity)),
        ("Cash".into(), money(b.cash), money(a.cash)),
    ];
    rows(&mut s, &table, ("Before", "After"));
    if let Some(r) = &v.stop_risk {
        s.push_str(&format!(
            "\nStop {} ({}): {} per share, {} if hit ({} of net value)\n",
            plain(r.stop, 4),
            if r.from_atr {
                format!("{ATR_STOP_MULTIPLE} × ATR from the price")
            } else {
                "given".to_string()
            },
            money(r.per_share),
            money(r.money),
            pct(r.fraction_of_equity, 2)
        ));
    }
    s.push_str("\nAlerts now:\n");
    alert_lines(&mut s, &b.alerts);
    s.push_str("Alerts after the trade:\n");
    alert_lines(&mut s, &a.alerts);
    s.push_str(&format!(
        "\nExposure and margin (maintenance margin {} of gross)\n",
        pct(o.exposure.maintenance_margin, 0)
    ));
    rows(
        &mut s,
        &exposure_rows(o.exposure, o.exposure_after),
        ("Now", "After"),
    );
    for n in &o.exposure.notes {
        s.push_str(&format!("  - now: {n}\n"));
    }
    for n in o.exposure_after.iter().flat_map(|e| &e.notes) {
        s.push_str(&format!("  - after: {n}\n"));
    }
    if o.hedges.beta.is_some() || o.hedges.min_variance.is_some() {
        s.push_str("\nHedge (held at today's notional over the window)\n");
        for h in [&o.hedges.beta, &o.hedges.min_variance]
            .into_iter()
            .flatten()
        {
            s.push_str(&format!("  - {}\n", hedge_line(h)));
        }
    }
    let notes: Vec<&String> = v.notes.iter().chain(o.notes).collect();
    if !notes.is_empty() {
        s.push_str("\nNotes\n");
        for n in notes {
            s.push_str(&format!("  - {n}\n"));
        }
    }
    s.push_str(&format!("\n{}\n", limits_line(o.limits)));
    s.push_str(
        "Weights are fractions of the net value (positions plus cash); VaR is a positive loss.",
    );
    s
}

/// `--alerts-only`: the alerts, heat map and sector view of the current portfolio.
fn alerts_only(d: &TradingData, limits: &Limits, json_out: bool) -> Result<String, String> {
    let snap = snapshot(&d.aligned, limits).map_err(|e| err(&e))?;
    let alerts = evaluate(&snap, limits);
    let heat = heat_map(&d.aligned, limits).map_err(|e| err(&e))?;
    if json_out {
        return Ok(pretty(&json!({
            "limits": to_value(limits),
            "alerts": to_value(&alerts),
            "heat_map": to_value(&heat),
            "notes": snap.notes,
        })));
    }
    let mut s = String::new();
    s.push_str(&format!(
        "Risk alerts ({} on {})\n",
        if alerts.is_empty() {
            "none".to_string()
        } else {
            alerts.len().to_string()
        },
        d.aligned.report.end
    ));
    alert_lines(&mut s, &alerts);
    s.push_str(&format!(
        "\nHeat map (score = min(1, 0.6 × exposure%/30 + 0.4 × risk%/30); risk% = share of the 1-day 95% VaR of {})\n",
        pct(heat.var_1d, 2)
    ));
    let w = heat
        .positions
        .iter()
        .map(|c| c.symbol.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let sw = heat
        .positions
        .iter()
        .map(|c| c.sector.as_deref().unwrap_or("").chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    s.push_str(&format!(
        "{:<w$}  {:<sw$}  {:>9}  {:>7}  {:>5}\n",
        "Symbol", "Sector", "Exposure%", "Risk%", "Score"
    ));
    for c in &heat.positions {
        s.push_str(&format!(
            "{:<w$}  {:<sw$}  {:>9}  {:>7}  {:>5}\n",
            c.symbol,
            c.sector.as_deref().unwrap_or(""),
            plain(c.exposure_pct, 2),
            plain(c.risk_pct, 2),
            plain(c.score, 2)
        ));
    }
    let secw = heat
        .sectors
        .iter()
        .map(|x| x.sector.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    s.push_str(&format!(
        "\nSectors\n{:<secw$}  {:>8}  {:>8}  {:>9}  {:>7}  Concentrated\n",
        "Sector", "Net", "Gross", "Positions", "Risk%"
    ));
    for x in &heat.sectors {
        s.push_str(&format!(
            "{:<secw$}  {:>8}  {:>8}  {:>9}  {:>7}  {}\n",
            x.sector,
            pct(x.weight, 2),
            pct(x.gross, 2),
            x.positions,
            plain(x.risk_pct, 2),
            if x.concentrated { "yes" } else { "no" }
        ));
    }
    s.push_str("\nCallouts\n");
    if heat.callouts.is_empty() {
        s.push_str("  none\n");
    }
    for c in &heat.callouts {
        s.push_str(&format!("  - {c}\n"));
    }
    for n in &snap.notes {
        s.push_str(&format!("  note: {n}\n"));
    }
    s.push_str(&format!("\n{}\n", limits_line(limits)));
    s.push_str(
        "Weights are fractions of the net value (positions plus cash); VaR is a positive loss.",
    );
    Ok(s)
}
