//! Ballast: the browser app (Leptos CSR). It only wires user actions to `ballast-core` calls
//! and draws with `ballast-charts`; no math lives here.

mod app;
mod canvas;
mod controls;
mod correlation_page;
mod data_page;
mod drawdowns_page;
mod format;
mod inputs;
mod io;
mod mc;
mod overview;
mod performance_page;
mod risk_page;
mod tables;
mod workspace;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
