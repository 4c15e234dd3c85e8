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
//! Cancelling is `worker.terminate()` on the main thread. The worker yields to its event loop
//! between chunks (a `MessageChannel` round trip, no timer clamping): without it a terminated
//! worker keeps a core busy until Chromium kills it about two seconds later.

use ballast_core::mc_batch::{BatchRunner, McBatch};
use js_sys::{Float64Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent};

/// Let the worker's event loop run (so `terminate()` takes effect at once).
async fn yield_now(channel: &MessageChannel) {
    let p = Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
        let _ = channel.port2().post_message(&JsValue::NULL);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

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

async fn handle(scope: &DedicatedWorkerGlobalScope, event: &MessageEvent) -> Result<(), String> {
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
    let channel = MessageChannel::new().map_err(|e| format!("{e:?}"))?;
    let mut runner = BatchRunner::new(&returns, &batch);
    let total = runner.total();
    while !runner.is_done() {
        let done = runner.step();
        let msg = message("progress");
        set(&msg, "done", &(done as f64).into());
        set(&msg, "total", &(total as f64).into());
        post(scope, &msg);
        yield_now(&channel).await;
    }
    let estimates = runner.into_estimates();
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
        let scope = for_cb.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = handle(&scope, &event).await {
                let msg = message("error");
                set(&msg, "message", &e.into());
                post(&scope, &msg);
            }
        });
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    onmessage.forget();
    post(&scope, &message("ready"));
}
