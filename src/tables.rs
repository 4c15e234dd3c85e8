//! Tables of figures: each row shows the label, the value with its unit and the convention.

use ballast_core::figures::{format_value, FigureGroup};
use leptos::prelude::*;

/// A figure group as a table; rows carry `data-testid="fig-<key>"` and the raw value.
pub fn figure_table(group: &FigureGroup) -> impl IntoView {
    let rows = group
        .figures
        .iter()
        .map(|f| {
            let raw = f.value.map(|v| format!("{v}")).unwrap_or_default();
            view! {
                <tr data-testid=format!("fig-{}", f.key) data-value=raw class:loss=f.loss>
                    <th scope="row">{f.label.clone()}</th>
                    <td class="num val">{format_value(f)}</td>
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
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}
