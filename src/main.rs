//! Ballast: the browser app (Leptos CSR). It only wires user actions to `ballast-core` calls
//! and draws with `ballast-charts`; no math lives here.

mod app;
mod canvas;
mod controls;
mod correlation_page;
mod data_page;
mod downloads;
mod drawdowns_page;
mod format;
mod frontier_panel;
mod hedge_panel;
mod inputs;
mod io;
mod limits_editor;
mod link_open;
mod mc;
mod opt;
mod optimize_controls;
mod optimize_page;
mod overview;
mod performance_page;
mod pretrade_panel;
mod rebalance_panel;
mod report;
mod risk_page;
mod risk_panels;
mod saved;
mod settings;
mod share_dialog;
mod sizing;
mod sizing_page;
mod tables;
mod worker_job;
mod workspace;
mod workspace_menu;

fn main() {
    console_error_panic_hook::set_once();
    worker_job::prefetch();
    leptos::mount::mount_to_body(app::App);
}
