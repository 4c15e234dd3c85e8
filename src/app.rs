//! The application shell: state, tabs, the error banner, and the first load of the sample.

use crate::controls::Controls;
use crate::correlation_page::CorrelationPage;
use crate::data_page::DataPage;
use crate::drawdowns_page::DrawdownsPage;
use crate::io;
use crate::link_open::{LinkPrompt, PassphrasePrompt};
use crate::mc::McState;
use crate::opt::OptSignals;
use crate::optimize_page::OptimizePage;
use crate::overview::Overview;
use crate::performance_page::PerformancePage;
use crate::risk_page::RiskPage;
use crate::share_dialog::ShareDialog;
use crate::sizing::SizingSignals;
use crate::sizing_page::SizingPage;
use crate::workspace::{
    compute, date_order_from, reanalyze, recorrelate, relimit, with_batch, Computed, Role,
    Workspace,
};
use crate::workspace_menu::{ConfirmNew, WorkspaceActions};
use ballast_core::analysis::AnalysisParams;
use ballast_core::correlation_analysis::CorrelationParams;
use ballast_core::error::{BallastError, ImportErrorKind};
use ballast_core::pipeline::InputFile;
use ballast_core::trading::limits::Limits;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Overview,
    Risk,
    Drawdowns,
    Performance,
    Correlation,
    Optimize,
    Sizing,
    Data,
}

impl Page {
    /// Every page, in tab order.
    pub const ALL: [Page; 8] = [
        Page::Overview,
        Page::Risk,
        Page::Drawdowns,
        Page::Performance,
        Page::Correlation,
        Page::Optimize,
        Page::Sizing,
        Page::Data,
    ];

    /// The page's key (tabs' `data-page`, saved workspaces and links).
    pub fn key(self) -> &'static str {
        match self {
            Page::Overview => "overview",
            Page::Risk => "risk",
            Page::Drawdowns => "drawdowns",
            Page::Performance => "performance",
            Page::Correlation => "correlation",
            Page::Optimize => "optimize",
            Page::Sizing => "sizing",
            Page::Data => "data",
        }
    }

    pub fn from_key(key: &str) -> Option<Page> {
        Page::ALL.into_iter().find(|p| p.key() == key)
    }

    /// Pages that show the analysis parameters bar.
    pub fn has_controls(self) -> bool {
        matches!(self, Page::Risk | Page::Drawdowns | Page::Performance)
    }
}

/// An error shown in the banner. `candidate` is the workspace that failed, kept so that a
/// date-order choice can retry it.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub message: String,
    pub ambiguous_dates: bool,
    pub candidate: Option<Workspace>,
}

/// Application state shared through the Leptos context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub workspace: RwSignal<Workspace>,
    pub computed: RwSignal<Option<Computed>>,
    pub error: RwSignal<Option<Failure>>,
    pub batch_notes: RwSignal<Vec<String>>,
    pub page: RwSignal<Page>,
    pub loading: RwSignal<bool>,
    /// Counts window resizes (charts redraw on it).
    pub resized: RwSignal<u32>,
    /// The Monte Carlo run in the web worker.
    pub mc: RwSignal<McState>,
    /// Log scale of the Performance page's equity chart (kept while the page is closed).
    pub perf_log_scale: RwSignal<bool>,
    /// Counts correlation-only updates (the browser tests wait on it).
    pub correlation_count: RwSignal<u32>,
    /// The Optimise page: settings, jobs and results (kept while the page is closed).
    pub opt: OptSignals,
    /// The Sizing page's forms (kept while the page is closed).
    pub sizing: SizingSignals,
    /// An information notice under the header (a link's notes, a saved workspace set aside).
    pub notice: RwSignal<Option<String>>,
    /// The Share dialog is open.
    pub share_open: RwSignal<bool>,
    /// A protected link or workspace file waiting for its passphrase.
    pub link_prompt: RwSignal<Option<LinkPrompt>>,
    /// "New workspace" is asking for confirmation.
    pub confirm_new: RwSignal<bool>,
}

impl AppState {
    /// Compute `ws` in full; on success it replaces the workspace and the analysis, on failure
    /// the banner explains and everything on screen stays as it was.
    pub fn apply(&self, ws: Workspace, notes: Vec<String>) {
        match compute(&ws, self.next_generation()) {
            Ok(c) => {
                self.workspace.set(ws);
                self.computed.set(Some(c));
                self.batch_notes.set(notes);
                self.error.set(None);
            }
            Err(e) => {
                let ambiguous = matches!(&e, BallastError::Import(i) if matches!(i.kind, ImportErrorKind::AmbiguousDateOrder { .. }));
                self.error.set(Some(Failure {
                    message: plain_message(&e),
                    ambiguous_dates: ambiguous,
                    candidate: Some(ws),
                }));
            }
        }
    }

    /// Change analysis parameters: re-analyse the loaded data (no file is read again). Invalid
    /// parameters never reach here (the controls check them first).
    pub fn set_params(&self, change: impl FnOnce(&mut AnalysisParams)) {
        let mut ws = self.workspace.get_untracked();
        change(&mut ws.params);
        let prev = self.computed.get_untracked();
        let Some(prev) = prev else {
            self.apply(ws, vec![]);
            return;
        };
        let t0 = io::now_ms();
        let result = reanalyze(&prev, &ws.params, &ws.limits);
        io::record_analyze_ms(io::now_ms() - t0);
        match result {
            Ok(c) => {
                self.workspace.set(ws);
                self.computed.set(Some(c));
                self.error.set(None);
            }
            Err(e) => self.fail(plain_message(&e)),
        }
    }

    /// Change the Correlation page's settings: only the correlation analysis is redone.
    pub fn set_correlation(&self, change: impl FnOnce(&mut CorrelationParams)) {
        let mut ws = self.workspace.get_untracked();
        change(&mut ws.correlation);
        let params = ws.correlation;
        self.workspace.set(ws);
        self.computed.update(|c| {
            if let Some(c) = c {
                recorrelate(c, &params);
            }
        });
        self.correlation_count.update(|n| *n += 1);
    }

    /// Change the risk limits (already validated): only the alerts and the heat map are redone.
    pub fn set_limits(&self, limits: Limits) {
        self.workspace.update(|w| w.limits = limits);
        self.computed.update(|c| {
            if let Some(c) = c {
                relimit(c, &limits);
            }
        });
    }

    /// Load a batch of files (from the picker, a drop or the paste box).
    pub fn load_batch(&self, files: Vec<(InputFile, Role)>) {
        let (ws, notes) = with_batch(&self.workspace.get_untracked(), files);
        self.apply(ws, notes);
    }

    pub fn fail(&self, message: String) {
        self.error.set(Some(Failure {
            message,
            ambiguous_dates: false,
            candidate: None,
        }));
    }
}

/// The core's message, prefixed for context: it already names the file, line and column.
fn plain_message(e: &BallastError) -> String {
    match e {
        BallastError::Import(_) => format!("Could not read your data — {e}. Nothing was changed."),
        BallastError::Align(_) => {
            format!("Could not combine your data — {e}. Nothing was changed.")
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState {
        workspace: RwSignal::new(Workspace::default()),
        computed: RwSignal::new(None),
        error: RwSignal::new(None),
        batch_notes: RwSignal::new(Vec::new()),
        page: RwSignal::new(Page::Overview),
        loading: RwSignal::new(true),
        resized: RwSignal::new(0),
        mc: RwSignal::new(McState::default()),
        perf_log_scale: RwSignal::new(true),
        correlation_count: RwSignal::new(0),
        opt: OptSignals::new(),
        sizing: SizingSignals::new(),
        notice: RwSignal::new(None),
        share_open: RwSignal::new(false),
        link_prompt: RwSignal::new(None),
        confirm_new: RwSignal::new(false),
    };
    provide_context(state);
    let listener = window_event_listener(leptos::ev::resize, move |_| {
        state.resized.update(|n| *n += 1)
    });
    on_cleanup(move || listener.remove());
    // A share link pasted into the address bar of the open app.
    let hash_listener = window_event_listener(leptos::ev::hashchange, move |_| {
        crate::link_open::on_hash_change(state)
    });
    on_cleanup(move || hash_listener.remove());
    // Escape closes the open dialog (a protected link's prompt is cancelled).
    let key_listener = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            state.share_open.set(false);
            state.confirm_new.set(false);
            state.link_prompt.set(None);
        }
    });
    on_cleanup(move || key_listener.remove());
    // A page opens at its top (a link from far down the Overview would otherwise land mid-page).
    Effect::new(move |prev: Option<Page>| {
        let page = state.page.get();
        if prev.is_some_and(|p| p != page) {
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
        page
    });
    crate::mc::auto_run(state);
    crate::saved::autosave(state);
    // A link in the address bar, else the saved workspace, else the sample.
    spawn_local(crate::link_open::start(state));
    let tab = move |p: Page, label: &'static str| {
        let key = p.key();
        view! {
            <button
                class="tab"
                class:active=move || state.page.get() == p
                data-page=key
                aria-selected=move || (state.page.get() == p).to_string()
                on:click=move |_| state.page.set(p)
            >
                {label}
            </button>
        }
    };
    view! {
        <header class="top">
            <div class="brand">
                <span class="logo">"⚓"</span>
                <span class="name">"Ballast"</span>
                <span class="tagline">"portfolio risk, privately in your browser"</span>
            </div>
            <nav class="tabs" role="tablist">
                {tab(Page::Overview, "Overview")}
                {tab(Page::Risk, "Risk")}
                {tab(Page::Drawdowns, "Drawdowns")}
                {tab(Page::Performance, "Performance")}
                {tab(Page::Correlation, "Correlation")}
                {tab(Page::Optimize, "Optimise")}
                {tab(Page::Sizing, "Sizing")}
                {tab(Page::Data, "Data")}
            </nav>
            <WorkspaceActions />
        </header>
        <ErrorBanner />
        <NoticeBanner />
        <ShareDialog />
        <PassphrasePrompt />
        <ConfirmNew />
        <main>
            <Show when=move || state.loading.get() && state.computed.with(Option::is_none)>
                <p class="loading">"Loading the sample portfolio…"</p>
            </Show>
            <Show when=move || state.page.get().has_controls() && state.computed.with(Option::is_some)>
                <Controls />
            </Show>
            <Overview />
            // The analysis pages are built when shown (their tables and charts are not needed
            // for the first render).
            <Show when=move || state.page.get() == Page::Risk><RiskPage /></Show>
            <Show when=move || state.page.get() == Page::Drawdowns><DrawdownsPage /></Show>
            <Show when=move || state.page.get() == Page::Performance><PerformancePage /></Show>
            <Show when=move || state.page.get() == Page::Correlation><CorrelationPage /></Show>
            <Show when=move || state.page.get() == Page::Optimize><OptimizePage /></Show>
            <Show when=move || state.page.get() == Page::Sizing><SizingPage /></Show>
            <DataPage />
        </main>
        <footer class="foot">
            "Your files are read in this tab and never uploaded. "
            "Figures follow the conventions written next to them."
        </footer>
    }
}

/// An information notice (not an error): dismissable.
#[component]
fn NoticeBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.notice.get().map(|n| {
            view! {
                <div class="notice" role="status" data-testid="notice">
                    <p class="msg">{n}</p>
                    <button class="dismiss" aria-label="Dismiss" on:click=move |_| state.notice.set(None)>"Dismiss"</button>
                </div>
            }
        })
    }
}

#[component]
fn ErrorBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.error.get().map(|f| {
            let ambiguous = f.ambiguous_dates;
            let candidate = f.candidate.clone();
            view! {
                <div class="banner" role="alert" data-testid="error-banner">
                    <p class="msg">{f.message.clone()}</p>
                    <Show when=move || ambiguous>
                        {
                            let candidate = candidate.clone();
                            view! {
                                <label class="inline">
                                    "Read the dates as "
                                    <select data-testid="date-order-choice" on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        if let (Some(mut ws), Some(order)) = (candidate.clone(), date_order_from(&v)) {
                                            ws.options.date_order = order;
                                            state.apply(ws, vec![]);
                                        }
                                    }>
                                        <option value="">"choose…"</option>
                                        <option value="dmy">"day/month/year"</option>
                                        <option value="mdy">"month/day/year"</option>
                                    </select>
                                </label>
                            }
                        }
                    </Show>
                    <button class="dismiss" aria-label="Dismiss" on:click=move |_| state.error.set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}
