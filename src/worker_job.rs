//! Jobs in the web worker (`src/bin/worker.rs`, loaded through `public/worker_loader.js`):
//! start the worker, send a job when it says it is ready (the parameters as JSON and the
//! return data as a transferred `Float64Array`), and hand every message back as a
//! [`WorkerEvent`]. Dropping the [`Job`] terminates the worker (that is how a job is
//! cancelled); its handlers are detached first so a late event never reaches a dropped closure.
//! An idle worker can take another job.

use js_sys::{Array, Float64Array, Object, Reflect};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker};

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

fn get_str(obj: &JsValue, key: &str) -> Option<String> {
    Reflect::get(obj, &JsValue::from_str(key)).ok()?.as_string()
}

fn get_f64(obj: &JsValue, key: &str) -> Option<f64> {
    Reflect::get(obj, &JsValue::from_str(key)).ok()?.as_f64()
}

type Handler = Rc<dyn Fn(WorkerEvent)>;

/// A message waiting for the worker to be ready: job, parameters, data.
type Pending = (&'static str, String, Vec<f64>);

/// A worker and its callbacks. It runs one job at a time and can be given another once the
/// previous one has answered ([`Job::is_busy`]), which saves starting a new worker (about
/// 150 ms for the wasm module).
pub struct Job {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    busy: Rc<Cell<bool>>,
    pending: Rc<RefCell<Option<Pending>>>,
    handler: Rc<RefCell<Handler>>,
    _onmessage: Closure<dyn Fn(MessageEvent)>,
    _onerror: Closure<dyn Fn(Event)>,
}

impl Drop for Job {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
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

impl Job {
    /// Start a worker (it says when it is ready; jobs given before wait for that).
    pub fn new() -> Result<Job, JsValue> {
        // Relative to the page, so it works under any sub-path (trunk writes the shim next to
        // index.html; worker file names are not hashed).
        let worker = Worker::new("worker_loader.js")?;
        let ready = Rc::new(Cell::new(false));
        let busy = Rc::new(Cell::new(false));
        let pending: Rc<RefCell<Option<Pending>>> = Rc::new(RefCell::new(None));
        let handler: Rc<RefCell<Handler>> = Rc::new(RefCell::new(Rc::new(|_| {})));
        let (w, r, b, p, h) = (
            worker.clone(),
            ready.clone(),
            busy.clone(),
            pending.clone(),
            handler.clone(),
        );
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            let data = ev.data();
            let ms = get_f64(&data, "ms");
            // The handler may give the worker its next job: never call it while borrowed.
            let on = h.borrow().clone();
            let event = match get_str(&data, "kind").as_deref() {
                Some("ready") => {
                    r.set(true);
                    let next = p.borrow_mut().take();
                    match next.map(|(job, params, flat)| post(&w, job, params, flat)) {
                        Some(Err(e)) => WorkerEvent::Error(format!(
                            "could not send the data to the worker: {e:?}"
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
                b.set(false);
            }
            on(event);
        });
        let (b, h) = (busy.clone(), handler.clone());
        let onerror = Closure::<dyn Fn(Event)>::new(move |ev: Event| {
            let msg = ev
                .dyn_ref::<ErrorEvent>()
                .map_or_else(|| "the worker failed to load".to_string(), |e| e.message());
            b.set(false);
            let on = h.borrow().clone();
            on(WorkerEvent::Error(msg));
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        Ok(Job {
            worker,
            ready,
            busy,
            pending,
            handler,
            _onmessage: onmessage,
            _onerror: onerror,
        })
    }

    /// Whether a job is running (its answer has not come yet).
    pub fn is_busy(&self) -> bool {
        self.busy.get()
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
        *self.handler.borrow_mut() = Rc::new(on_event);
        self.busy.set(true);
        if self.ready.get() {
            post(&self.worker, job, params, data)
        } else {
            *self.pending.borrow_mut() = Some((job, params, data));
            Ok(())
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
