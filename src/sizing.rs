//! The Sizing page's state and the core calls behind it: the position size calculator
//! (`trading::sizing::size`, ATR from `trading::atr::atr_of_series` on the loaded prices), the
//! pre-trade check (`trading::pretrade::check`), leverage and margin
//! (`trading::exposure::exposure_of`) and the hedges (`trading::hedge`). The forms are kept in
//! [`SizingSignals`] while the page is closed; the page turns them into core calls in memos.

use crate::app::AppState;
use crate::workspace::Computed;
use ballast_core::model::ValueKind;
use ballast_core::trading::atr::{atr_of_series, Atr, DEFAULT_ATR_PERIOD};
use ballast_core::trading::exposure::{exposure_of, Exposure};
use ballast_core::trading::hedge::{beta_hedge_of, min_variance_hedge_of, Hedge};
use ballast_core::trading::pretrade::{check, AccountState, PreTradeCheck, Side, TradeProposal};
use ballast_core::trading::sizing::{
    size, AccountConstraints, InstrumentQuote, SizingData, SizingMethod, SizingRequest,
    SizingResult,
};
use leptos::prelude::*;

/// The symbol select's value for an instrument that is not in the data.
pub const NEW_SYMBOL: &str = "__new__";

/// Confidence of the hedges' VaR (the limits' 1-day VaR uses the same).
pub const HEDGE_CONFIDENCE: f64 = 0.95;

/// The sizing methods: select value and label.
pub const METHODS: [(&str, &str); 7] = [
    ("atr", "Volatility (ATR): risk $ / (ATR × multiple)"),
    (
        "fixed_fractional",
        "Fixed fractional: equity × risk % / stop distance",
    ),
    ("fixed_amount", "Fixed amount: $ / price"),
    ("kelly", "Kelly: fraction × (μ − r_f)/σ², capped"),
    ("var_budget", "VaR budget: largest addition within a $ VaR"),
    (
        "vol_target",
        "Volatility target: scale every position (portfolio)",
    ),
    (
        "risk_budget",
        "Risk budget: $ risk shared by ATR (portfolio)",
    ),
];

/// An entry with a default taken from the data: the default, blank (none), or a typed value.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub enum Entry {
    #[default]
    Default,
    Blank,
    Value(f64),
}

impl Entry {
    /// The entry as typed (`None`: blank).
    pub fn from_typed(v: Option<f64>) -> Entry {
        v.map_or(Entry::Blank, Entry::Value)
    }
    /// The value in force: the default, nothing, or the typed value.
    pub fn resolve(self, default: Option<f64>) -> Option<f64> {
        match self {
            Entry::Default => default,
            Entry::Blank => None,
            Entry::Value(v) => Some(v),
        }
    }
}

/// The calculator's form (saved with the workspace).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CalcSettings {
    /// A held symbol, or [`NEW_SYMBOL`]; empty: the first held symbol.
    pub symbol: String,
    pub new_symbol: String,
    pub new_price: Option<f64>,
    pub new_atr: Option<f64>,
    /// A key of [`METHODS`].
    pub method: String,
    pub risk_amount: f64,
    pub atr_multiple: f64,
    /// A typed ATR replacing the data's (held symbols).
    pub atr: Option<f64>,
    pub atr_period: usize,
    /// Fraction of equity.
    pub risk_pct: f64,
    /// $ per share; `None`: one ATR.
    pub stop_distance: Option<f64>,
    pub amount: f64,
    pub kelly_fraction: f64,
    pub kelly_cap: f64,
    pub var_budget: f64,
    pub var_confidence: f64,
    pub target_vol: f64,
    pub total_risk: f64,
    /// Shares of the total risk by symbol (missing: an equal share).
    pub budgets: Vec<(String, f64)>,
    /// `None`: the portfolio's net value.
    pub equity: Option<f64>,
    pub max_position_pct: Option<f64>,
    pub buying_power: Option<f64>,
    /// Default: the portfolio's cash.
    pub cash: Entry,
}

impl Default for CalcSettings {
    fn default() -> Self {
        CalcSettings {
            symbol: String::new(),
            new_symbol: String::new(),
            new_price: None,
            new_atr: None,
            method: "atr".into(),
            risk_amount: 1000.0,
            atr_multiple: 2.0,
            atr: None,
            atr_period: DEFAULT_ATR_PERIOD,
            risk_pct: 0.01,
            stop_distance: None,
            amount: 10_000.0,
            kelly_fraction: 0.5,
            kelly_cap: 0.25,
            var_budget: 20_000.0,
            var_confidence: 0.95,
            target_vol: 0.10,
            total_risk: 10_000.0,
            budgets: Vec::new(),
            equity: None,
            max_position_pct: Some(0.20),
            buying_power: None,
            cash: Entry::Default,
        }
    }
}

/// The pre-trade check's form (saved with the workspace).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TradeSettings {
    pub side: Side,
    /// Empty: the first held symbol.
    pub symbol: String,
    pub quantity: f64,
    /// `None`: the last price.
    pub price: Option<f64>,
    pub stop: Option<f64>,
    pub atr: Option<f64>,
    /// `None`: the portfolio's cash.
    pub buying_power: Option<f64>,
}

impl Default for TradeSettings {
    fn default() -> Self {
        TradeSettings {
            side: Side::Buy,
            symbol: String::new(),
            quantity: 100.0,
            price: None,
            stop: None,
            atr: None,
            buying_power: None,
        }
    }
}

/// The hedge calculator's form (saved with the workspace).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct HedgeSettings {
    /// The minimum-variance hedge's instrument; empty: the benchmark, else the first symbol.
    pub instrument: String,
    /// Price of one unit of the benchmark (default: its last price in the file).
    pub beta_price: Entry,
    /// Price of one unit of the instrument (`None`: its last price; the benchmark's in $).
    pub mv_price: Option<f64>,
}

/// The maintenance margin rate by default (25% of gross, Reg T's minimum for long stock).
pub const DEFAULT_MAINTENANCE: f64 = 0.25;

/// The Sizing page's forms.
#[derive(Clone, Copy)]
pub struct SizingSignals {
    pub calc: RwSignal<CalcSettings>,
    pub trade: RwSignal<TradeSettings>,
    /// Maintenance margin rate (fraction of gross).
    pub maintenance: RwSignal<f64>,
    pub hedge: RwSignal<HedgeSettings>,
}

impl SizingSignals {
    pub fn new() -> Self {
        SizingSignals {
            calc: RwSignal::new(CalcSettings::default()),
            trade: RwSignal::new(TradeSettings::default()),
            maintenance: RwSignal::new(DEFAULT_MAINTENANCE),
            hedge: RwSignal::new(HedgeSettings::default()),
        }
    }
}

/// A held symbol's last price in the window.
pub fn last_price(c: &Computed, symbol: &str) -> Option<f64> {
    c.aligned
        .positions
        .iter()
        .find(|p| p.symbol == symbol)
        .map(|p| p.price)
}

/// `symbol` when held, else the first held symbol.
pub fn held_or_first(c: &Computed, symbol: &str) -> Option<String> {
    if c.aligned.symbols.iter().any(|s| s == symbol) {
        Some(symbol.to_string())
    } else {
        c.aligned.symbols.first().cloned()
    }
}

/// The ATR of a loaded price series (high/low/close when loaded, else close-to-close).
pub fn data_atr(c: &Computed, symbol: &str, period: usize) -> Result<Atr, String> {
    let series = c
        .loaded
        .prices
        .series
        .iter()
        .find(|s| s.symbol == symbol)
        .ok_or_else(|| format!("{symbol} has no price series loaded"))?;
    atr_of_series(series, period).map_err(|e| e.to_string())
}

/// What the calculator shows.
#[derive(Debug, Clone, PartialEq)]
pub struct CalcOutcome {
    pub symbol: String,
    pub price: Option<f64>,
    /// The data's ATR of a held symbol (`None` for a new symbol).
    pub data_atr: Option<Result<Atr, String>>,
    /// The ATR used and whether it was typed.
    pub atr_used: Option<(f64, bool)>,
    pub equity: f64,
    pub cash: Option<f64>,
    pub results: Result<Vec<SizingResult>, String>,
}

/// The sizing request of the form, and the results.
pub fn run_calc(c: &Computed, s: &CalcSettings, risk_free_annual: f64) -> CalcOutcome {
    let a = &c.aligned;
    let is_new = s.symbol == NEW_SYMBOL;
    let symbol = if is_new {
        s.new_symbol.trim().to_uppercase()
    } else {
        held_or_first(c, &s.symbol).unwrap_or_default()
    };
    let (price, own_atr) = if is_new {
        (s.new_price, None)
    } else {
        (
            last_price(c, &symbol),
            Some(data_atr(c, &symbol, s.atr_period)),
        )
    };
    let atr_used = if is_new {
        s.new_atr.map(|v| (v, true))
    } else {
        match s.atr {
            Some(v) => Some((v, true)),
            None => own_atr
                .as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|x| (x.value, false)),
        }
    };
    let equity = s.equity.unwrap_or(a.total_value);
    let cash = s.cash.resolve(Some(a.cash));
    let mut out = CalcOutcome {
        symbol: symbol.clone(),
        price,
        data_atr: own_atr,
        atr_used,
        equity,
        cash,
        results: Err(String::new()),
    };
    let portfolio_wide = matches!(s.method.as_str(), "vol_target" | "risk_budget");
    if !portfolio_wide {
        if symbol.is_empty() {
            out.results = Err("enter the new symbol's name".into());
            return out;
        }
        if price.is_none() {
            out.results = Err(format!("enter {symbol}'s price"));
            return out;
        }
    }
    let need_atr = || {
        atr_used
            .map(|(v, _)| v)
            .ok_or_else(|| format!("enter {symbol}'s ATR ($ per share)"))
    };
    let mut quotes = Vec::new();
    let method = match s.method.as_str() {
        "atr" => match need_atr() {
            Ok(atr) => SizingMethod::VolatilityAtr {
                risk_amount: s.risk_amount,
                atr,
                multiple: s.atr_multiple,
            },
            Err(e) => {
                out.results = Err(e);
                return out;
            }
        },
        "fixed_fractional" => {
            let stop = match s.stop_distance {
                Some(d) => d,
                None => match need_atr() {
                    Ok(atr) => atr,
                    Err(_) => {
                        out.results = Err("enter the stop distance ($ per share)".into());
                        return out;
                    }
                },
            };
            SizingMethod::FixedFractional {
                risk_pct: s.risk_pct,
                stop_distance: stop,
            }
        }
        "fixed_amount" => SizingMethod::FixedAmount { amount: s.amount },
        "kelly" => SizingMethod::Kelly {
            fraction: s.kelly_fraction,
            cap: s.kelly_cap,
        },
        "var_budget" => SizingMethod::VarBudget {
            budget: s.var_budget,
            confidence: s.var_confidence,
        },
        "vol_target" => SizingMethod::VolatilityTarget {
            target_vol: s.target_vol,
        },
        _ => {
            let mut skipped = Vec::new();
            for p in &a.positions {
                match data_atr(c, &p.symbol, s.atr_period) {
                    Ok(x) => quotes.push(InstrumentQuote {
                        symbol: p.symbol.clone(),
                        price: p.price,
                        atr: x.value,
                    }),
                    Err(e) => skipped.push(e),
                }
            }
            if !skipped.is_empty() {
                out.results = Err(format!("no ATR: {}", skipped.join("; ")));
                return out;
            }
            SizingMethod::RiskBudget {
                total_risk: s.total_risk,
                budgets: budgets_of(s, &a.symbols),
                atr_multiple: s.atr_multiple,
            }
        }
    };
    let request = SizingRequest {
        symbol: symbol.clone(),
        price: price.unwrap_or(1.0),
        method,
        account: AccountConstraints {
            equity,
            max_position_pct: s.max_position_pct,
            buying_power: s.buying_power,
            cash,
        },
    };
    let rf = ballast_core::metrics::per_period_rate(risk_free_annual, a.report.periods_per_year);
    let data = SizingData {
        returns: None,
        risk_free_per_period: rf,
        portfolio: Some(a),
        quotes: &quotes,
    };
    let t0 = crate::io::now_ms();
    out.results = size(&request, &data).map_err(|e| e.to_string());
    crate::io::record_ms("sizingMs", crate::io::now_ms() - t0);
    out
}

/// The risk budgets of the form: every held symbol, an equal share unless typed.
pub fn budgets_of(s: &CalcSettings, symbols: &[String]) -> Vec<(String, f64)> {
    let equal = 1.0 / symbols.len().max(1) as f64;
    symbols
        .iter()
        .map(|sym| {
            let b = crate::opt::lookup(&s.budgets, sym).unwrap_or(equal);
            (sym.clone(), b)
        })
        .filter(|(_, b)| *b > 0.0)
        .collect()
}

/// The proposal of the form (`None` without data).
pub fn proposal(c: &Computed, t: &TradeSettings) -> Option<TradeProposal> {
    let symbol = held_or_first(c, &t.symbol)?;
    let price = t.price.or_else(|| last_price(c, &symbol))?;
    Some(TradeProposal {
        symbol,
        side: t.side,
        quantity: t.quantity,
        price,
        stop: t.stop,
        atr: t.atr,
        sector: None,
        returns: None,
    })
}

/// The pre-trade check of the form under the workspace's limits.
pub fn run_check(state: AppState) -> Option<Result<PreTradeCheck, String>> {
    let limits = state.workspace.with(|w| w.limits);
    let t = state.sizing.trade.get();
    state.computed.with(|c| {
        let c = c.as_ref()?;
        let p = proposal(c, &t)?;
        let account = AccountState {
            buying_power: t.buying_power,
        };
        let t0 = crate::io::now_ms();
        let out = check(&c.aligned, &limits, &p, &account).map_err(|e| e.to_string());
        crate::io::record_ms("pretradeMs", crate::io::now_ms() - t0);
        Some(out)
    })
}

/// Exposure, leverage and margin at the form's maintenance rate.
pub fn run_exposure(state: AppState) -> Option<Result<Exposure, String>> {
    let m = state.sizing.maintenance.get();
    state.computed.with(|c| {
        c.as_ref()
            .map(|c| exposure_of(&c.aligned, m).map_err(|e| e.to_string()))
    })
}

/// The benchmark's price on the window's last date when the file gives prices (for the beta
/// hedge's units).
pub fn benchmark_price(c: &Computed) -> Option<f64> {
    let b = c.loaded.benchmark.as_ref()?;
    if b.kind != ValueKind::Price {
        return None;
    }
    let end = c.aligned.report.end;
    let i = b.dates.iter().position(|d| *d == end)?;
    b.values.get(i).copied()
}

/// The instrument of the minimum-variance hedge: the form's, else the first held symbol (the
/// beta hedge already uses the benchmark).
pub fn hedge_instrument(c: &Computed, h: &HedgeSettings) -> Option<String> {
    let a = &c.aligned;
    let bench = a.benchmark.as_ref().map(|b| b.symbol.clone());
    if !h.instrument.is_empty()
        && (a.symbols.contains(&h.instrument) || bench.as_ref() == Some(&h.instrument))
    {
        return Some(h.instrument.clone());
    }
    a.symbols.first().cloned().or(bench)
}

/// The beta hedge (when there is a benchmark) and the minimum-variance hedge.
pub type Hedges = (Option<Result<Hedge, String>>, Option<Result<Hedge, String>>);

pub fn run_hedges(state: AppState) -> Hedges {
    let h = state.sizing.hedge.get();
    state.computed.with(|c| {
        let Some(c) = c.as_ref() else {
            return (None, None);
        };
        let a = &c.aligned;
        let beta = a.benchmark.as_ref().map(|_| {
            beta_hedge_of(
                a,
                h.beta_price.resolve(benchmark_price(c)),
                HEDGE_CONFIDENCE,
            )
            .map_err(|e| e.to_string())
        });
        let mv = hedge_instrument(c, &h).map(|sym| {
            min_variance_hedge_of(a, &sym, h.mv_price, HEDGE_CONFIDENCE).map_err(|e| e.to_string())
        });
        (beta, mv)
    })
}
