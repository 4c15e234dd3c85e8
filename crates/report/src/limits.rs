//! Limits and alerts: the alerts of the risk limits, the heat map table and the sector view.

use crate::html::{notes, num, pct, table, Cell};
use crate::{ReportInput, Section};
use ballast_core::trading::limits::{AlertKind, Severity};

fn severity(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::Info => ("info", "sev-info"),
        Severity::Warning => ("warning", "sev-warning"),
        Severity::Critical => ("critical", "sev-critical"),
        Severity::Halt => ("halt", "sev-halt"),
    }
}

fn kind(k: AlertKind) -> &'static str {
    match k {
        AlertKind::Position => "position",
        AlertKind::Sector => "sector",
        AlertKind::Cluster => "cluster",
        AlertKind::Var => "VaR",
        AlertKind::Leverage => "leverage",
        AlertKind::Drawdown => "drawdown",
    }
}

pub(crate) fn section(input: &ReportInput<'_>) -> Section {
    let mut body = String::new();
    if let Some(alerts) = input.alerts {
        body.push_str("<h3>Alerts</h3>\n");
        let rows = alerts
            .iter()
            .map(|a| {
                let (label, class) = severity(a.severity);
                let figure = if a.kind == AlertKind::Leverage {
                    format!("{}×", num(a.figure, 2))
                } else {
                    pct(a.figure)
                };
                let limit = if a.kind == AlertKind::Leverage {
                    format!("{}×", num(a.limit, 2))
                } else {
                    pct(a.limit)
                };
                vec![
                    Cell::html(format!("<span class=\"{class}\">{label}</span>")),
                    Cell::text(kind(a.kind)),
                    Cell::text(&a.subject),
                    Cell::num(&figure),
                    Cell::num(&limit),
                    Cell::text(&a.level_name),
                    Cell::text(&a.message),
                ]
            })
            .collect::<Vec<_>>();
        if rows.is_empty() {
            body.push_str(&crate::html::note("No limit is approached or crossed."));
        } else {
            body.push_str(&table(
                "",
                "Limits approached or crossed (the 80/90/100% ladder)",
                &[
                    ("Severity", false),
                    ("Kind", false),
                    ("Subject", false),
                    ("Figure", true),
                    ("Limit", true),
                    ("Level", false),
                    ("Message", false),
                ],
                rows,
            ));
        }
    }
    if let Some(h) = input.heat {
        body.push_str("<h3>Heat map</h3>\n");
        body.push_str(&crate::html::note(&format!(
            "Heat score from exposure |w| and share of the 1-day 95% historical VaR ({}).",
            pct(h.var_1d)
        )));
        let rows = h
            .positions
            .iter()
            .map(|c| {
                vec![
                    Cell::text(&c.symbol),
                    Cell::text(c.sector.as_deref().unwrap_or("—")),
                    Cell::num(&format!("{}%", num(c.exposure_pct, 2))),
                    Cell::num(&format!("{}%", num(c.risk_pct, 2))),
                    Cell::num(&num(c.score, 2)),
                ]
            })
            .collect();
        body.push_str(&table(
            "",
            "Positions, hottest first",
            &[
                ("Symbol", false),
                ("Sector", false),
                ("Exposure", true),
                ("Share of VaR", true),
                ("Heat score", true),
            ],
            rows,
        ));
        let rows = h
            .sectors
            .iter()
            .map(|s| {
                vec![
                    Cell::text(&s.sector),
                    Cell::num(&pct(s.weight)),
                    Cell::num(&pct(s.gross)),
                    Cell::num(&s.positions.to_string()),
                    Cell::num(&format!("{}%", num(s.risk_pct, 2))),
                    Cell::text(if s.concentrated { "concentrated" } else { "" }),
                ]
            })
            .collect();
        body.push_str(&table(
            "",
            "Sectors, largest gross exposure first",
            &[
                ("Sector", false),
                ("Net weight", true),
                ("Gross", true),
                ("Positions", true),
                ("Share of VaR", true),
                ("", false),
            ],
            rows,
        ));
        body.push_str(&notes(&h.callouts));
    }
    Section {
        id: "limits",
        title: "Limits and alerts".into(),
        body,
    }
}
