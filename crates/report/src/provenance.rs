//! Data provenance: the files and their roles, the window, the observations and frequency, and
//! the alignment notes (what was left out).

use crate::html::{money, notes, num, table, Cell};
use crate::{ReportInput, Section};

pub(crate) fn section(input: &ReportInput<'_>) -> Section {
    let a = input.aligned;
    let r = &a.report;
    let mut body = String::new();
    let rows = input
        .files
        .iter()
        .map(|(name, role)| vec![Cell::text(name), Cell::text(role)])
        .collect();
    body.push_str(&table(
        "files",
        "Files",
        &[("File", false), ("Role", false)],
        rows,
    ));
    let mut rows = vec![
        vec![
            Cell::text("Window"),
            Cell::text(&format!("{} – {}", r.start, r.end)),
        ],
        vec![
            Cell::text("Observations"),
            Cell::text(&format!("{} returns", r.observations)),
        ],
        vec![
            Cell::text("Frequency"),
            Cell::text(&format!(
                "{} ({} periods per year)",
                r.frequency.label(),
                num(r.periods_per_year, 0)
            )),
        ],
        vec![
            Cell::text("Positions"),
            Cell::text(&format!("{}: {}", a.symbols.len(), a.symbols.join(", "))),
        ],
        vec![
            Cell::text("Benchmark"),
            Cell::text(a.benchmark.as_ref().map_or("none", |b| b.symbol.as_str())),
        ],
        vec![
            Cell::text("Net value"),
            Cell::text(&format!(
                "{} (cash {})",
                money(a.total_value),
                money(a.cash)
            )),
        ],
    ];
    if !r.unused_symbols.is_empty() {
        rows.push(vec![
            Cell::text("Loaded but not held"),
            Cell::text(&r.unused_symbols.join(", ")),
        ]);
    }
    body.push_str(&table(
        "provenance",
        "Window and data",
        &[("", false), ("", false)],
        rows,
    ));
    body.push_str("<h3>Alignment notes</h3>\n");
    if r.notes.is_empty() {
        body.push_str(&crate::html::note("Nothing was left out."));
    } else {
        body.push_str(&notes(&r.notes));
    }
    Section {
        id: "provenance",
        title: "Data provenance".into(),
        body,
    }
}
