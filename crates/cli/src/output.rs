//! Output of `ballast analyze`: a readable table, or one JSON object (keys documented in
//! `docs/cli.md`; later versions add keys but never rename one without a note).

use ballast_core::figures::{format_value, headline_figures};
use ballast_core::pipeline::PipelineOutput;
use serde_json::{json, Map, Value};

fn num(x: Option<f64>) -> Value {
    match x {
        Some(v) if v.is_finite() => json!(v),
        _ => Value::Null,
    }
}

/// The `--json` object.
pub fn json(out: &PipelineOutput) -> String {
    let a = &out.aligned;
    let r = &a.report;
    let m = &out.analysis.metrics;
    let mut metrics = Map::new();
    for f in headline_figures(&out.analysis, a) {
        metrics.insert(f.key.clone(), num(f.value));
    }
    let positions: Vec<Value> = a
        .positions
        .iter()
        .map(|p| {
            json!({"symbol": p.symbol, "quantity": num(p.quantity), "price": p.price,
                   "value": p.value, "weight": p.weight, "sector": p.sector})
        })
        .collect();
    let files: Vec<Value> = out
        .loaded
        .imports
        .iter()
        .map(|i| json!({"file": i.file, "layout": format!("{:?}", i.layout), "series": i.series.len(), "notes": i.notes}))
        .collect();
    let v = json!({
        "window": {
            "start": r.start.to_string(),
            "end": r.end.to_string(),
            "observations": r.observations,
            "periods_per_year": r.periods_per_year,
            "frequency": r.frequency.label(),
            "notes": r.notes,
            "unused_symbols": r.unused_symbols,
        },
        "params": {
            "risk_free_annual": out.analysis.params.risk_free_annual,
            "confidence": out.analysis.params.confidence,
        },
        "metrics": Value::Object(metrics),
        "drawdown": {
            "max_drawdown_peak": m.max_drawdown_peak.to_string(),
            "max_drawdown_trough": m.max_drawdown_trough.to_string(),
            "max_drawdown_recovery": m.max_drawdown_recovery.map(|d| d.to_string()),
        },
        "benchmark": a.benchmark.as_ref().map(|b| b.symbol.clone()),
        "portfolio": {
            "total_value": a.total_value,
            "cash": a.cash,
            "cash_weight": a.cash_weight,
            "positions": positions,
        },
        "files": files,
    });
    serde_json::to_string_pretty(&v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The human-readable table.
pub fn table(out: &PipelineOutput) -> String {
    let a = &out.aligned;
    let r = &a.report;
    let mut s = String::new();
    s.push_str(&format!(
        "Window {} – {} · {} {} returns · {}/yr\n",
        r.start,
        r.end,
        r.observations,
        r.frequency.label(),
        r.periods_per_year
    ));
    for n in &r.notes {
        s.push_str(&format!("  note: {n}\n"));
    }
    s.push('\n');
    let figs = headline_figures(&out.analysis, a);
    let w = figs
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0);
    for f in &figs {
        s.push_str(&format!(
            "{:<w$}  {:>10}   {}\n",
            f.label,
            format_value(f),
            f.convention,
            w = w
        ));
    }
    s.push_str("\nLosses (VaR, CVaR, drawdowns) are shown as positive percentages.\n");
    s
}
