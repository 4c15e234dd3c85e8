//! Tables of figures: each row shows the label, the value with its unit and the convention.

use crate::downloads::TableDownloads;
use ballast_core::figures::{format_value, Figure, FigureGroup};
use leptos::prelude::*;

/// A figure group as a table (`data-testid="figures-<group id>"`, with CSV and JSON download
/// buttons); rows carry `data-testid="fig-<key>"` and the raw value (on the row and on the value
/// cell). With a benchmark, a second value column shows the benchmark's figure (same
/// convention).
pub fn figure_table(group: &FigureGroup, benchmark: Option<&str>) -> impl IntoView {
    let with_bench =
        benchmark.is_some() && group.figures.iter().any(|f| f.benchmark_value.is_some());
    // The header names every column for the downloads; without a benchmark it is read by
    // screen readers and the downloads only.
    let head = if with_bench {
        view! {
            <thead><tr><th><span class="sr-only">"Figure"</span></th><th class="num">"Portfolio"</th><th class="num">{benchmark.unwrap_or_default().to_string()}</th><th><span class="sr-only">"Convention"</span></th></tr></thead>
        }
        .into_any()
    } else {
        view! {
            <thead class="sr-only"><tr><th>"Figure"</th><th>"Value"</th><th>"Convention"</th></tr></thead>
        }
        .into_any()
    };
    let rows = group
        .figures
        .iter()
        .map(|f| {
            let raw = f.value.map(|v| format!("{v}")).unwrap_or_default();
            let cell_raw = raw.clone();
            let bench = with_bench.then(|| {
                let shown = Figure { value: f.benchmark_value, ..f.clone() };
                view! {
                    <td class="num bench" data-testid=format!("bench-{}", f.key) title=f.benchmark_note.clone().unwrap_or_default()
                        data-value=f.benchmark_value.map(|v| format!("{v}")).unwrap_or_default()>{format_value(&shown)}</td>
                }
            });
            view! {
                <tr data-testid=format!("fig-{}", f.key) data-value=raw class:loss=f.loss>
                    <th scope="row">{f.label.clone()}</th>
                    <td class="num val" data-value=cell_raw>{format_value(f)}</td>
                    {bench}
                    <td class="conv">{f.convention.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let table_id = format!("figures-{}", group.id);
    view! {
        <div class="panel figs" data-testid=format!("group-{}", group.id)>
            <h2>{group.title.clone()}</h2>
            <div class="table-scroll">
                <table class="fig-table" data-testid=table_id.clone()>
                    {head}
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <TableDownloads table=table_id what=format!("the figures \"{}\"", group.title) />
        </div>
    }
}
