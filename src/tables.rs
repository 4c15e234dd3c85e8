//! Tables of figures: each row shows the label, the value with its unit and the convention.

use ballast_core::figures::{format_value, Figure, FigureGroup};
use leptos::prelude::*;

/// A figure group as a table; rows carry `data-testid="fig-<key>"` and the raw value. With a
/// benchmark, a second value column shows the benchmark's figure (same convention).
pub fn figure_table(group: &FigureGroup, benchmark: Option<&str>) -> impl IntoView {
    let with_bench =
        benchmark.is_some() && group.figures.iter().any(|f| f.benchmark_value.is_some());
    let head = with_bench.then(|| {
        view! {
            <thead><tr><th></th><th class="num">"Portfolio"</th><th class="num">{benchmark.unwrap_or_default().to_string()}</th><th></th></tr></thead>
        }
    });
    let rows = group
        .figures
        .iter()
        .map(|f| {
            let raw = f.value.map(|v| format!("{v}")).unwrap_or_default();
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
                    <td class="num val">{format_value(f)}</td>
                    {bench}
                    <td class="conv">{f.convention.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="panel figs" data-testid=format!("group-{}", group.id)>
            <h2>{group.title.clone()}</h2>
            <div class="table-scroll">
                <table class="fig-table">
                    {head}
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}
