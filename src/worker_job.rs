//! Jobs in the web worker (`src/bin/worker.rs`): start the worker, send a job when it says it
//! is ready (the parameters as JSON and the return data as a transferred `Float64Array`), and
//! hand every message back as a [`WorkerEvent`]. Dropping the [`Job`] terminates the worker
//! (that is how a job is cancelled); its handlers are detached first so a late event never
//! reaches a dropped closure. An idle worker can take another job.
//!
//! No request after start-up: [`prefetch`] (called once from `main`) downloads the worker's
//! wasm-bindgen glue (`worker.js`) and module (`worker_bg.wasm`), compiles the module once
//! (`WebAssembly.compile`) and makes a `blob:` URL of a bootstrap script: the glue followed by
//! [`BOOTSTRAP`]. Every worker is started from that URL and is first posted the compiled
//! `WebAssembly.Module` (modules can be posted to workers), so a new worker (after a cancel or a
//! superseded job) fetches nothing. A job asked for before the prefetch has finished waits for
//! it; if the prefetch failed, the job reports it as [`WorkerEvent::Error`]. When the prefetch
//! has finished, `<body data-worker-ready>` is `"1"` (or `"error"`), `data-worker-ready-ms` the
//! time since navigation and `data-worker-prefetch-ms` the prefetch's own duration.

use crate::io::js_err;
use js_sys::{Array, Float64Array, Object, Reflect, WebAssembly};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, ErrorEvent, Event, MessageEvent, Response, Url, Worker};

/// What the worker reported.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkerEvent {
    Progress {
        done: usize,
        total: usize,
    },
    /// The job's answer as JSON, and the milliseconds it took in the worker (when known).
    Result {
        json: String,
        ms: Option<f64>,
    },
    /// An optimisation failed: the user-facing message, the fallback weights and today's
    /// figures (JSON).
    OptError {
        message: String,
        fallback: Option<String>,
        current: Option<String>,
        ms: Option<f64>,
    },
    /// The job or the worker failed.
    Error(String),
}

/// Appended to the worker's wasm-bindgen glue (no-modules build: it defines `wasm_bindgen`) in
/// the bootstrap `blob:` script. The first message is the compiled `WebAssembly.Module`; the
/// module's start function then installs the job handler and posts `{kind: "ready"}`. A failed
/// initialisation inside a worker never reaches the page's `onerror`, so it is posted instead.
const BOOTSTRAP: &str = r#"
;self.addEventListener("message", (event) => {
  wasm_bindgen({ module_or_path: event.data }).catch((e) => {
    postMessage({ kind: "error", message: "the background worker could not start: " + e });
  });
}, { once: true });
"#;

/// The worker's code, downloaded and compiled once.
struct Code {
    /// `blob:` URL of the bootstrap script (glue + [`BOOTSTRAP`]).
    url: String,
    /// The compiled `WebAssembly.Module`, posted to every new worker.
    module: JsValue,
}

type Loaded = Result<Rc<Code>, String>;
type Waiter = Box<dyn FnOnce(&Loaded)>;

enum Boot {
    NotStarted,
    Loading(Vec<Waiter>),
    Done(Loaded),
}

thread_local! {
    static BOOT: RefCell<Boot> = const { RefCell::new(Boot::NotStarted) };
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Fetch `url` (relative to the page, so any sub-path works) and check the status.
async fn fetch(url: &str) -> Result<Response, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp: Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("could not load {url}: {}", js_err(e)))?
        .dyn_into()
        .map_err(js_err)?;
    if !resp.ok() {
        return Err(format!("could not load {url} (HTTP {})", resp.status()));
    }
    Ok(resp)
}

/// Download the glue and the module (both at once), compile the module, make the blob URL.
async fn load() -> Result<Code, String> {
    let glue = fetch("worker.js");
    let wasm = fetch("worker_bg.wasm");
    let (glue, wasm) = (glue.await?, wasm.await?);
    let text = JsFuture::from(glue.text().map_err(js_err)?)
        .await
        .map_err(js_err)?;
    let bytes = JsFuture::from(wasm.array_buffer().map_err(js_err)?)
        .await
        .map_err(js_err)?;
    let module = JsFuture::from(WebAssembly::compile(&bytes))
        .await
        .map_err(|e| format!("the worker's module does not compile: {}", js_err(e)))?;
    let opts = BlobPropertyBag::new();
    opts.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(
        &Array::of2(&text, &JsValue::from_str(BOOTSTRAP)),
        &opts,
    )
    .map_err(js_err)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(js_err)?;
    Ok(Code { url, module })
}

/// Record the prefetch's outcome on `<body>` (the browser tests wait on `data-worker-ready`).
fn mark_body(ok: bool, started_ms: f64) {
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    let ds = body.dataset();
    let now = now_ms();
    let _ = ds.set("workerReadyMs", &format!("{now:.0}"));
    let _ = ds.set("workerPrefetchMs", &format!("{:.0}", now - started_ms));
    let _ = ds.set("workerReady", if ok { "1" } else { "error" });
}

/// Download and compile the worker's code once, at start-up (call before mounting the app).
/// Later calls do nothing.
pub fn prefetch() {
    let first = BOOT.with(|b| {
        let mut b = b.borrow_mut();
        if matches!(*b, Boot::NotStarted) {
            *b = Boot::Loading(Vec::new());
            true
        } else {
            false
        }
    });
    if !first {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        let started = now_ms();
        let loaded: Loaded = load().await.map(Rc::new).map_err(|e| {
            format!("the background worker could not be loaded when the page opened ({e}); reload the page to try again")
        });
        mark_body(loaded.is_ok(), started);
        let waiters = BOOT.with(|b| {
            match std::mem::replace(&mut *b.borrow_mut(), Boot::Done(loaded.clone())) {
                Boot::Loading(w) => w,
                _ => Vec::new(),
            }
        });
        for w in waiters {
            w(&loaded);
        }
    });
}

/// Call `f` with the worker's code once it is loaded (at once when it already is).
fn when_loaded(f: impl FnOnce(&Loaded) + 'static) {
    prefetch();
    let mut f = Some(f);
    let done = BOOT.with(|b| match &mut *b.borrow_mut() {
        Boot::Done(loaded) => Some(loaded.clone()),
        Boot::Loading(waiters) => {
            if let Some(f) = f.take() {
                waiters.push(Box::new(f));
            }
            None
        }
        Boot::NotStarted => Some(Err("the background worker was never loaded".into())),
    });
    if let (Some(loaded), Some(f)) = (done, f) {
        f(&loaded);
    }
}

fn get_str(obj: &JsValue, key: &str) -> Option<String> {
    Reflect::get(obj, &JsValue::from_str(key)).ok()?.as_string()
}

fn get_f64(obj: &JsValue, key: &str) -> Option<f64> {
    Reflect::get(obj, &JsValue::from_str(key)).ok()?.as_f64()
}

type Handler = Rc<dyn Fn(WorkerEvent)>;

/// A message waiting for the worker to be ready: job, parameters, data.
type Pending = (&'static str, String, Vec<f64>);

type Handlers = (Closure<dyn Fn(MessageEvent)>, Closure<dyn Fn(Event)>);

/// A job's state, shared with the worker's handlers (which hold it weakly).
struct Shared {
    /// The worker, once the code is loaded and it has been started.
    worker: RefCell<Option<Worker>>,
    ready: Cell<bool>,
    busy: Cell<bool>,
    /// Why the worker cannot start (the prefetch failed, or `new Worker` did).
    failed: RefCell<Option<String>>,
    pending: RefCell<Option<Pending>>,
    handler: RefCell<Handler>,
    handlers: RefCell<Option<Handlers>>,
}

/// A worker and its callbacks. It runs one job at a time and can be given another once the
/// previous one has answered ([`Job::is_busy`]), which saves starting a new worker (about
/// 150 ms for the wasm module).
pub struct Job {
    shared: Rc<Shared>,
}

impl Drop for Job {
    fn drop(&mut self) {
        if let Some(worker) = self.shared.worker.borrow_mut().take() {
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.terminate();
        }
    }
}

/// Post a job to the worker (the data's buffer is transferred, not copied).
fn post(worker: &Worker, job: &str, params: String, data: Vec<f64>) -> Result<(), JsValue> {
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"job".into(), &job.into());
    let _ = Reflect::set(&msg, &"params".into(), &params.into());
    let arr = Float64Array::from(data.as_slice());
    let _ = Reflect::set(&msg, &"data".into(), &arr);
    worker.post_message_with_transfer(&msg, &Array::of1(&arr.buffer()))
}

/// Tell the job's handler (later, never inside the caller's borrows) that the worker cannot
/// start, if a job is waiting.
fn report_failure(weak: Weak<Shared>) {
    wasm_bindgen_futures::spawn_local(async move {
        let Some(sh) = weak.upgrade() else { return };
        let Some(message) = sh.failed.borrow().clone() else {
            return;
        };
        if !sh.busy.get() {
            return;
        }
        sh.busy.set(false);
        sh.pending.borrow_mut().take();
        let on = sh.handler.borrow().clone();
        on(WorkerEvent::Error(message));
    });
}

/// Start the worker from the loaded code: handlers first, then the module.
fn launch(sh: &Rc<Shared>, code: &Code) -> Result<(), JsValue> {
    let worker = Worker::new(&code.url)?;
    let weak = Rc::downgrade(sh);
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(sh) = weak.upgrade() else { return };
        let data = ev.data();
        let ms = get_f64(&data, "ms");
        // The handler may give the worker its next job: never call it while borrowed.
        let on = sh.handler.borrow().clone();
        let event = match get_str(&data, "kind").as_deref() {
            Some("ready") => {
                sh.ready.set(true);
                let next = sh.pending.borrow_mut().take();
                let worker = sh.worker.borrow().clone();
                match next
                    .zip(worker)
                    .map(|((job, params, flat), w)| post(&w, job, params, flat))
                {
                    Some(Err(e)) => WorkerEvent::Error(format!(
                        "could not send the data to the worker: {}",
                        js_err(e)
                    )),
                    _ => return,
                }
            }
            Some("progress") => WorkerEvent::Progress {
                done: get_f64(&data, "done").unwrap_or(0.0) as usize,
                total: get_f64(&data, "total").unwrap_or(0.0) as usize,
            },
            Some("result") => WorkerEvent::Result {
                json: get_str(&data, "json").unwrap_or_default(),
                ms,
            },
            Some("opt_error") => WorkerEvent::OptError {
                message: get_str(&data, "message").unwrap_or_default(),
                fallback: get_str(&data, "fallback"),
                current: get_str(&data, "current"),
                ms,
            },
            Some("error") => WorkerEvent::Error(get_str(&data, "message").unwrap_or_default()),
            _ => return,
        };
        if !matches!(event, WorkerEvent::Progress { .. }) {
            sh.busy.set(false);
        }
        on(event);
    });
    let weak = Rc::downgrade(sh);
    let onerror = Closure::<dyn Fn(Event)>::new(move |ev: Event| {
        let Some(sh) = weak.upgrade() else { return };
        let msg = ev
            .dyn_ref::<ErrorEvent>()
            .map_or_else(|| "the worker failed to start".to_string(), |e| e.message());
        sh.busy.set(false);
        let on = sh.handler.borrow().clone();
        on(WorkerEvent::Error(msg));
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    *sh.handlers.borrow_mut() = Some((onmessage, onerror));
    *sh.worker.borrow_mut() = Some(worker.clone());
    worker.post_message(&code.module)
}

impl Job {
    /// Start a worker (it says when it is ready; jobs given before wait for that). Before the
    /// prefetch has finished, the worker starts when it does.
    pub fn new() -> Result<Job, JsValue> {
        let shared = Rc::new(Shared {
            worker: RefCell::new(None),
            ready: Cell::new(false),
            busy: Cell::new(false),
            failed: RefCell::new(None),
            pending: RefCell::new(None),
            handler: RefCell::new(Rc::new(|_| {})),
            handlers: RefCell::new(None),
        });
        let weak = Rc::downgrade(&shared);
        when_loaded(move |loaded| {
            let Some(sh) = weak.upgrade() else { return };
            let started = match loaded {
                Ok(code) => launch(&sh, code)
                    .map_err(|e| format!("the background worker could not start: {}", js_err(e))),
                Err(e) => Err(e.clone()),
            };
            if let Err(message) = started {
                if let Some(w) = sh.worker.borrow_mut().take() {
                    w.set_onmessage(None);
                    w.set_onerror(None);
                    w.terminate();
                }
                *sh.failed.borrow_mut() = Some(message);
                report_failure(weak);
            }
        });
        Ok(Job { shared })
    }

    /// Whether a job is running (its answer has not come yet).
    pub fn is_busy(&self) -> bool {
        self.shared.busy.get()
    }

    /// Give the worker `job` (`"mc"`, `"optimize"` or `"frontier"`) with `params` (JSON) and
    /// `data` (returns); `on_event` sees its messages. Call only when not busy.
    pub fn run(
        &self,
        job: &'static str,
        params: String,
        data: Vec<f64>,
        on_event: impl Fn(WorkerEvent) + 'static,
    ) -> Result<(), JsValue> {
        let sh = &self.shared;
        *sh.handler.borrow_mut() = Rc::new(on_event);
        sh.busy.set(true);
        if sh.failed.borrow().is_some() {
            report_failure(Rc::downgrade(sh));
            return Ok(());
        }
        let worker = sh.worker.borrow().clone();
        match worker {
            Some(w) if sh.ready.get() => post(&w, job, params, data),
            _ => {
                *sh.pending.borrow_mut() = Some((job, params, data));
                Ok(())
            }
        }
    }
}

/// Start a new worker for one job.
pub fn spawn(
    job: &'static str,
    params: String,
    data: Vec<f64>,
    on_event: impl Fn(WorkerEvent) + 'static,
) -> Result<Job, JsValue> {
    let j = Job::new()?;
    j.run(job, params, data, on_event)?;
    Ok(j)
}
