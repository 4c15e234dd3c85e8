//! One job in the web worker (`src/bin/worker.rs`, loaded through `public/worker_loader.js`):
//! start the worker, send the job when it says it is ready (the parameters as JSON and the
//! return data as a transferred `Float64Array`), and hand every message back as a
//! [`WorkerEvent`]. Dropping the [`Job`] terminates the worker (that is how a job is
//! cancelled); its handlers are detached first so a late event never reaches a dropped closure.

use js_sys::{Array, Float64Array, Object, Reflect};
use std::cell::RefCell;
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

/// A running worker and its callbacks.
pub struct Job {
    worker: Worker,
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

/// Start a worker for `job` (`"mc"`, `"optimize"` or `"frontier"`) with `params` (JSON) and
/// `data` (returns). `on_event` sees every message; after a result or an error the worker is
/// terminated (the [`Job`] may still be held; dropping it then does nothing more).
pub fn spawn(
    job: &'static str,
    params: String,
    data: Vec<f64>,
    on_event: impl Fn(WorkerEvent) + 'static,
) -> Result<Job, JsValue> {
    // Relative to the page, so it works under any sub-path (trunk writes the shim next to
    // index.html; worker file names are not hashed).
    let worker = Worker::new("worker_loader.js")?;
    let pending = Rc::new(RefCell::new(Some((params, data))));
    let on_event = Rc::new(on_event);
    let w = worker.clone();
    let on_msg = on_event.clone();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        let ms = get_f64(&data, "ms");
        match get_str(&data, "kind").as_deref() {
            Some("ready") => {
                if let Some((params, flat)) = pending.borrow_mut().take() {
                    let msg = Object::new();
                    let _ = Reflect::set(&msg, &"job".into(), &job.into());
                    let _ = Reflect::set(&msg, &"params".into(), &params.into());
                    let arr = Float64Array::from(flat.as_slice());
                    let _ = Reflect::set(&msg, &"data".into(), &arr);
                    if let Err(e) = w.post_message_with_transfer(&msg, &Array::of1(&arr.buffer())) {
                        on_msg(WorkerEvent::Error(format!(
                            "could not send the data to the worker: {e:?}"
                        )));
                    }
                }
            }
            Some("progress") => on_msg(WorkerEvent::Progress {
                done: get_f64(&data, "done").unwrap_or(0.0) as usize,
                total: get_f64(&data, "total").unwrap_or(0.0) as usize,
            }),
            Some("result") => {
                w.terminate();
                on_msg(WorkerEvent::Result {
                    json: get_str(&data, "json").unwrap_or_default(),
                    ms,
                });
            }
            Some("opt_error") => {
                w.terminate();
                on_msg(WorkerEvent::OptError {
                    message: get_str(&data, "message").unwrap_or_default(),
                    fallback: get_str(&data, "fallback"),
                    current: get_str(&data, "current"),
                    ms,
                });
            }
            Some("error") => {
                w.terminate();
                on_msg(WorkerEvent::Error(
                    get_str(&data, "message").unwrap_or_default(),
                ));
            }
            _ => {}
        }
    });
    let onerror = Closure::<dyn Fn(Event)>::new(move |ev: Event| {
        let msg = ev
            .dyn_ref::<ErrorEvent>()
            .map_or_else(|| "the worker failed to load".to_string(), |e| e.message());
        on_event(WorkerEvent::Error(msg));
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    Ok(Job {
        worker,
        _onmessage: onmessage,
        _onerror: onerror,
    })
}
