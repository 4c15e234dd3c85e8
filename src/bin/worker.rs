//! The Monte Carlo web worker (built by trunk with `data-type="worker"`, loaded through its
//! `worker_loader.js` shim). It runs `ballast_core::mc_batch::run_batch` off the main thread.
//!
//! Protocol:
//! - worker → main `{kind: "ready"}` once `onmessage` is installed (messages posted before
//!   that would be lost: the wasm is instantiated asynchronously);
//! - main → worker `{params: "<McBatch JSON>", data: Float64Array}` with the asset returns
//!   flattened asset by asset (each `len / weights.len()` long);
//! - worker → main `{kind: "progress", done, total}` after every chunk of paths, then
//!   `{kind: "result", json: "<[VarEstimate] JSON>"}` or `{kind: "error", message}`.
//!
//! Cancelling is `worker.terminate()` on the main thread (the loop never yields).

use ballast_core::mc_batch::{run_batch, McBatch};
use js_sys::{Float64Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn post(scope: &DedicatedWorkerGlobalScope, msg: &Object) {
    let _ = scope.post_message(msg);
}

fn message(kind: &str) -> Object {
    let msg = Object::new();
    set(&msg, "kind", &kind.into());
    msg
}

fn handle(scope: &DedicatedWorkerGlobalScope, event: &MessageEvent) -> Result<(), String> {
    let data = event.data();
    let params = Reflect::get(&data, &"params".into())
        .ok()
        .and_then(|v| v.as_string())
        .ok_or("the message has no parameters")?;
    let flat: Vec<f64> = Reflect::get(&data, &"data".into())
        .ok()
        .and_then(|v| v.dyn_into::<Float64Array>().ok())
        .ok_or("the message has no return data")?
        .to_vec();
    let batch: McBatch =
        serde_json::from_str(&params).map_err(|e| format!("bad parameters: {e}"))?;
    let n = batch.weights.len();
    if n == 0 || !flat.len().is_multiple_of(n) {
        return Err(format!(
            "{} return values do not split into {n} assets",
            flat.len()
        ));
    }
    let t = flat.len() / n;
    let returns: Vec<Vec<f64>> = flat.chunks(t.max(1)).map(<[f64]>::to_vec).collect();
    let estimates = run_batch(&returns, &batch, |done, total| {
        let msg = message("progress");
        set(&msg, "done", &(done as f64).into());
        set(&msg, "total", &(total as f64).into());
        post(scope, &msg);
    });
    let json = serde_json::to_string(&estimates).map_err(|e| e.to_string())?;
    let msg = message("result");
    set(&msg, "json", &json.into());
    post(scope, &msg);
    Ok(())
}

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let for_cb = scope.clone();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        if let Err(e) = handle(&for_cb, &event) {
            let msg = message("error");
            set(&msg, "message", &e.into());
            post(&for_cb, &msg);
        }
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    onmessage.forget();
    post(&scope, &message("ready"));
}
