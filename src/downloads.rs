//! Downloads: every table as CSV and JSON, every chart as PNG (issue 7).
//!
//! - [`TableDownloads`]: two small buttons, "CSV" and "JSON", next to a table. A click reads the
//!   rendered `<table>` ([`read_table`]) and writes it with `ballast_core::export` (RFC 4180
//!   CSV guarded against spreadsheet formulas; JSON, an array of objects keyed by header).
//! - [`PngDownload`]: a "PNG" button next to a canvas chart (`HTMLCanvasElement.toBlob`).
//!
//! A file is a `Blob` offered through a clicked `<a download>` with a `blob:` URL that is
//! revoked shortly after: nothing is sent anywhere. File names are
//! `ballast-<data-testid>.<csv|json|png>` (`export::file_name`).
//!
//! Reading a table: the rows of `<thead>` are the header (several rows are combined per
//! column, see `export::Table::from_spans`); without a `<thead>`, a first row made only of
//! column headers (`<th>` without `scope="row"`) is the header, else the columns are named
//! `column_1`, `column_2`, …. Every other row (`<tbody>`, `<tfoot>`) is one record; row headers
//! (`<th scope="row">`) are cells like any other. A cell's value is its `data-value` attribute
//! when it has one (the raw number behind a formatted cell; an empty `data-value` means "no
//! value"), else its text, trimmed, with white space collapsed and a space between elements.
//! Rows with the `hidden` attribute are left out.

use crate::app::AppState;
use crate::io::js_err;
use ballast_core::export::{self, SpanCell, Table};
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Element, HtmlCanvasElement, HtmlTableCellElement, HtmlTableElement, HtmlTableRowElement,
};

/// How long a download's `blob:` URL stays valid (the browser reads it when the download
/// starts; some need it a moment after the click).
const REVOKE_AFTER: Duration = Duration::from_secs(20);

/// A number as a `data-value` attribute (shortest text that reads back to the same `f64`);
/// empty for NaN and infinities (no value).
pub fn raw(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// An optional number as a `data-value` attribute (empty when absent).
pub fn raw_opt(x: Option<f64>) -> String {
    x.map(raw).unwrap_or_default()
}

/// The text a cell shows: text nodes as they are, a space around every element, the value of
/// form fields; buttons, scripts and styles left out; white space collapsed and trimmed.
fn cell_text(el: &Element) -> String {
    fn walk(node: &web_sys::Node, out: &mut String) {
        let children = node.child_nodes();
        for i in 0..children.length() {
            let Some(child) = children.item(i) else {
                continue;
            };
            match child.node_type() {
                web_sys::Node::TEXT_NODE => out.push_str(&child.node_value().unwrap_or_default()),
                web_sys::Node::ELEMENT_NODE => {
                    let Some(el) = child.dyn_ref::<Element>() else {
                        continue;
                    };
                    let tag = el.tag_name().to_ascii_lowercase();
                    out.push(' ');
                    match tag.as_str() {
                        "button" | "script" | "style" | "template" => {}
                        "input" => {
                            if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
                                out.push_str(&i.value());
                            }
                        }
                        "select" => {
                            if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
                                out.push_str(&s.value());
                            }
                        }
                        "textarea" => {
                            if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                                out.push_str(&t.value());
                            }
                        }
                        _ => walk(&child, out),
                    }
                    out.push(' ');
                }
                _ => {}
            }
        }
    }
    let mut out = String::new();
    walk(el, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One row's cells with their spans.
fn read_row(row: &HtmlTableRowElement) -> Vec<SpanCell> {
    let cells = row.cells();
    (0..cells.length())
        .filter_map(|i| cells.item(i))
        .map(|el| {
            let text = match el.get_attribute("data-value") {
                Some(v) => v.trim().to_string(),
                None => cell_text(&el),
            };
            let (colspan, rowspan) = match el.dyn_ref::<HtmlTableCellElement>() {
                Some(c) => (c.col_span() as usize, c.row_span() as usize),
                None => (1, 1),
            };
            SpanCell {
                text,
                colspan,
                rowspan,
            }
        })
        .collect()
}

/// Whether a row can serve as a header when the table has no `<thead>`: every cell is a `<th>`
/// that is not a row header.
fn is_header_row(row: &HtmlTableRowElement) -> bool {
    let cells = row.cells();
    cells.length() > 0
        && (0..cells.length()).filter_map(|i| cells.item(i)).all(|c| {
            c.tag_name().eq_ignore_ascii_case("th")
                && !c
                    .get_attribute("scope")
                    .is_some_and(|s| s.eq_ignore_ascii_case("row"))
        })
}

/// Read a rendered table into a header and records (see the module notes).
pub fn read_table(table: &HtmlTableElement) -> Table {
    let rows = table.rows();
    let mut head: Vec<Vec<SpanCell>> = Vec::new();
    let mut body: Vec<Vec<SpanCell>> = Vec::new();
    let mut first_body: Option<HtmlTableRowElement> = None;
    for i in 0..rows.length() {
        let Some(row) = rows
            .item(i)
            .and_then(|e| e.dyn_into::<HtmlTableRowElement>().ok())
        else {
            continue;
        };
        if row.has_attribute("hidden") {
            continue;
        }
        let in_head = row
            .parent_element()
            .is_some_and(|p| p.tag_name().eq_ignore_ascii_case("thead"));
        if in_head {
            head.push(read_row(&row));
        } else {
            if first_body.is_none() {
                first_body = Some(row.clone());
            }
            body.push(read_row(&row));
        }
    }
    if head.is_empty() && first_body.as_ref().is_some_and(is_header_row) && !body.is_empty() {
        head.push(body.remove(0));
    }
    Table::from_spans(&head, &body)
}

/// The table with `data-testid="<id>"` nearest to `from`: searched in `from`'s ancestors,
/// innermost first.
fn find_table(from: &Element, id: &str) -> Option<HtmlTableElement> {
    let mut node = Some(from.clone());
    while let Some(el) = node {
        let tables = el.get_elements_by_tag_name("table");
        for i in 0..tables.length() {
            if let Some(t) = tables.item(i) {
                if t.get_attribute("data-testid").as_deref() == Some(id) {
                    return t.dyn_into().ok();
                }
            }
        }
        node = el.parent_element();
    }
    None
}

/// Offer `blob` as a download named `name` (a clicked `<a download>`; its `blob:` URL is
/// revoked after [`REVOKE_AFTER`]).
pub fn save_blob(blob: &web_sys::Blob, name: &str) -> Result<(), String> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(js_err)?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "not an anchor".to_string())?;
    a.set_href(&url);
    a.set_download(name);
    a.set_rel("noopener");
    let _ = a.set_attribute("hidden", "");
    let body = doc.body().ok_or("no document body")?;
    body.append_child(&a).map_err(js_err)?;
    a.click();
    a.remove();
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        REVOKE_AFTER,
    );
    Ok(())
}

/// Offer `text` as a download of type `mime`.
pub fn save_text(text: &str, mime: &str, name: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(js_err)?;
    save_blob(&blob, name)
}

/// The two table formats.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

/// Download the table `id` near `from` as `format`.
fn download_table(from: &Element, id: &str, format: Format) -> Result<(), String> {
    let table = find_table(from, id).ok_or_else(|| format!("no table \"{id}\" on the page"))?;
    let t = read_table(&table);
    match format {
        Format::Csv => {
            let csv = export::to_csv(&t).map_err(|e| e.to_string())?;
            save_text(
                &csv,
                "text/csv;charset=utf-8",
                &export::file_name(id, "csv"),
            )
        }
        Format::Json => {
            let json = export::to_json(&t).map_err(|e| e.to_string())?;
            save_text(&json, "application/json", &export::file_name(id, "json"))
        }
    }
}

/// "CSV" and "JSON" buttons that download the table with `data-testid=table` (the nearest
/// one to the buttons). `what` names the table for screen readers ("the VaR table").
#[component]
pub fn TableDownloads(#[prop(into)] table: String, #[prop(into)] what: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let bar = NodeRef::<leptos::html::Div>::new();
    let id = StoredValue::new(table.clone());
    let click = move |format: Format| {
        move |ev: leptos::ev::MouseEvent| {
            ev.stop_propagation();
            let Some(el) = bar.get_untracked() else {
                return;
            };
            let result = id.with_value(|id| download_table(&el, id, format));
            if let Err(e) = result {
                state.fail(format!("The table could not be downloaded: {e}"));
            }
        }
    };
    view! {
        <div class="dl-bar" node_ref=bar on:mousemove=|ev: leptos::ev::MouseEvent| ev.stop_propagation()>
            <button type="button" class="dl-btn" data-testid=format!("dl-csv-{table}")
                aria-label=format!("Download {what} as CSV") title="Download as CSV (spreadsheets)"
                on:click=click(Format::Csv)>"CSV"</button>
            <button type="button" class="dl-btn" data-testid=format!("dl-json-{table}")
                aria-label=format!("Download {what} as JSON") title="Download as JSON"
                on:click=click(Format::Json)>"JSON"</button>
        </div>
    }
}

/// Download the canvas as a PNG image named after `id`.
fn download_png(canvas: &HtmlCanvasElement, id: &str, state: AppState) -> Result<(), String> {
    if canvas.width() == 0 || canvas.height() == 0 {
        return Err("the chart is not drawn yet".into());
    }
    let name = export::file_name(id, "png");
    let done = Closure::once_into_js(move |blob: JsValue| {
        let result = match blob.dyn_into::<web_sys::Blob>() {
            Ok(b) => save_blob(&b, &name),
            Err(_) => Err("the browser made no image".into()),
        };
        if let Err(e) = result {
            state.fail(format!("The chart could not be downloaded: {e}"));
        }
    });
    canvas
        .to_blob_with_type(done.unchecked_ref(), "image/png")
        .map_err(js_err)
}

/// A "PNG" button that downloads `canvas` (with `data-testid=id`) as an image. `what` names
/// the chart for screen readers ("the equity curve").
#[component]
pub fn PngDownload(
    canvas: NodeRef<leptos::html::Canvas>,
    #[prop(into)] id: String,
    #[prop(into)] what: String,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = StoredValue::new(id.clone());
    view! {
        <div class="dl-bar" on:mousemove=|ev: leptos::ev::MouseEvent| ev.stop_propagation()>
            <button type="button" class="dl-btn" data-testid=format!("dl-png-{id}")
                aria-label=format!("Download {what} as a PNG image") title="Download the chart as a PNG image"
                on:click=move |ev: leptos::ev::MouseEvent| {
                    ev.stop_propagation();
                    let Some(c) = canvas.get_untracked() else { return };
                    if let Err(e) = name.with_value(|id| download_png(&c, id, state)) {
                        state.fail(format!("The chart could not be downloaded: {e}"));
                    }
                }>"PNG"</button>
        </div>
    }
}
