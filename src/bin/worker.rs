//! The web worker (built by trunk with `data-type="worker"`; the page downloads and compiles it
//! once and starts every worker from memory, see `src/worker_job.rs`). It runs the heavy jobs
//! off the main thread: the Monte Carlo batch (`ballast_core::mc_batch`), one portfolio
//! optimisation (`ballast_core::optimize::optimize`) and an efficient frontier point by point
//! (`optimize::frontier::FrontierRunner`).
//!
//! Protocol:
//! - main → worker, first, the compiled `WebAssembly.Module` (taken by the bootstrap script
//!   in `src/worker_job.rs`, which initialises this module with it);
//! - worker → main `{kind: "ready"}` once `onmessage` is installed (messages posted before
//!   that would be lost: the wasm is instantiated asynchronously);
//! - main → worker `{job, params, data: Float64Array}`; `job` is `"mc"` (also when absent),
//!   `"optimize"` or `"frontier"`:
//!   - `mc`: `params` is the `McBatch` JSON, `data` the asset returns flattened asset by asset
//!     (each `len / weights.len()` long);
//!   - `optimize` / `frontier`: `params` is `{spec: OptimizeSpec, symbols, periods_per_year,
//!     current, has_benchmark, kind?, points?}` (JSON), `data` the asset returns flattened
//!     asset by asset, followed by the benchmark's returns when `has_benchmark`;
//! - worker → main `{kind: "progress", done, total}` after every chunk of paths (mc) or every
//!   frontier point, then `{kind: "result", json, ms}` or `{kind: "error", message}`; `json`
//!   is `[VarEstimate]` (mc), `{result: OptResult, current: PortfolioStats}` (optimize; today's
//!   weights under the same estimates) or `Frontier`, `ms` the time spent in the worker; a
//!   failed optimisation posts `{kind: "opt_error", message, fallback?, current?, ms}` with the
//!   labelled fallback weights (`optimize::fallback`, `OptResult` JSON) and today's figures
//!   (`PortfolioStats` JSON) when they exist.
//!
//! Cancelling is `worker.terminate()` on the main thread. The worker yields to its event loop
//! between chunks (a `MessageChannel` round trip, no timer clamping): without it a terminated
//! worker keeps a core busy until Chromium kills it about two seconds later.

use ballast_core::mc_batch::{BatchRunner, McBatch};
use ballast_core::optimize::frontier::{FrontierKind, FrontierRunner, DEFAULT_POINTS};
use ballast_core::optimize::stats::portfolio_stats;
use ballast_core::optimize::{estimates, fallback, optimize_with, Market, OptimizeSpec};
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

/// Milliseconds from the worker's clock.
fn now_ms(scope: &DedicatedWorkerGlobalScope) -> f64 {
    scope.performance().map_or(0.0, |p| p.now())
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
    let job = Reflect::get(&data, &"job".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "mc".into());
    match job.as_str() {
        "optimize" => run_optimize(scope, &params, flat),
        "frontier" => run_frontier(scope, &params, flat).await,
        _ => run_mc(scope, &params, flat).await,
    }
}

/// The market and the spec of an optimisation or frontier message.
fn market_of(params: &str, flat: Vec<f64>) -> Result<(Market, serde_json::Value), String> {
    let v: serde_json::Value =
        serde_json::from_str(params).map_err(|e| format!("bad parameters: {e}"))?;
    let symbols: Vec<String> =
        serde_json::from_value(v["symbols"].clone()).map_err(|e| format!("bad symbols: {e}"))?;
    let current: Vec<f64> = serde_json::from_value(v["current"].clone())
        .map_err(|e| format!("bad current weights: {e}"))?;
    let periods_per_year = v["periods_per_year"]
        .as_f64()
        .ok_or("the message has no periods per year")?;
    let has_benchmark = v["has_benchmark"].as_bool().unwrap_or(false);
    let series = symbols.len() + usize::from(has_benchmark);
    if series == 0 || !flat.len().is_multiple_of(series) {
        return Err(format!(
            "{} return values do not split into {series} series",
            flat.len()
        ));
    }
    let t = flat.len() / series;
    let mut all: Vec<Vec<f64>> = flat.chunks(t.max(1)).map(<[f64]>::to_vec).collect();
    let benchmark = if has_benchmark { all.pop() } else { None };
    Ok((
        Market {
            symbols,
            returns: all,
            periods_per_year,
            current,
            benchmark,
        },
        v,
    ))
}

fn spec_of(v: &serde_json::Value) -> Result<OptimizeSpec, String> {
    serde_json::from_value(v["spec"].clone()).map_err(|e| format!("bad optimisation settings: {e}"))
}

fn post_result(scope: &DedicatedWorkerGlobalScope, json: String, ms: f64) {
    let msg = message("result");
    set(&msg, "json", &json.into());
    set(&msg, "ms", &ms.into());
    post(scope, &msg);
}

/// One optimisation; a failure posts the user-facing message and the fallback weights.
fn run_optimize(
    scope: &DedicatedWorkerGlobalScope,
    params: &str,
    flat: Vec<f64>,
) -> Result<(), String> {
    let (market, v) = market_of(params, flat)?;
    let spec = spec_of(&v)?;
    let t0 = now_ms(scope);
    let est = estimates(&market, &spec);
    // Today's portfolio under the same estimates, for the comparison column.
    let today = est.as_ref().ok().map(|est| {
        portfolio_stats(
            &market.current,
            &est.mu,
            &est.sigma,
            &market.returns,
            spec.risk_free,
            spec.beta,
        )
    });
    let answer = est.and_then(|est| optimize_with(&market, &est, &spec, None));
    match answer {
        Ok(result) => {
            let ms = now_ms(scope) - t0;
            let json = serde_json::json!({ "result": result, "current": today });
            post_result(scope, json.to_string(), ms);
        }
        Err(e) => {
            let msg = message("opt_error");
            set(&msg, "message", &e.to_string().into());
            if let Some(json) = fallback(&market, &spec, &e)
                .ok()
                .and_then(|f| serde_json::to_string(&f).ok())
            {
                set(&msg, "fallback", &json.into());
            }
            if let Some(json) = today.and_then(|t| serde_json::to_string(&t).ok()) {
                set(&msg, "current", &json.into());
            }
            set(&msg, "ms", &(now_ms(scope) - t0).into());
            post(scope, &msg);
        }
    }
    Ok(())
}

/// A frontier, point by point, with progress after each point.
async fn run_frontier(
    scope: &DedicatedWorkerGlobalScope,
    params: &str,
    flat: Vec<f64>,
) -> Result<(), String> {
    let (market, v) = market_of(params, flat)?;
    let spec = spec_of(&v)?;
    let kind = v["kind"]
        .as_str()
        .and_then(FrontierKind::from_key)
        .unwrap_or(FrontierKind::MeanVariance);
    let points = v["points"].as_u64().map_or(DEFAULT_POINTS, |p| p as usize);
    let t0 = now_ms(scope);
    let channel = MessageChannel::new().map_err(|e| format!("{e:?}"))?;
    let mut runner =
        FrontierRunner::new(&market, &spec, kind, points).map_err(|e| e.to_string())?;
    loop {
        let done = runner.step().map_err(|e| e.to_string())?;
        let (k, total) = runner.progress();
        let msg = message("progress");
        set(&msg, "done", &(k as f64).into());
        set(&msg, "total", &(total as f64).into());
        post(scope, &msg);
        yield_now(&channel).await;
        if done {
            break;
        }
    }
    let frontier = runner.finish();
    let ms = now_ms(scope) - t0;
    post_result(
        scope,
        serde_json::to_string(&frontier).map_err(|e| e.to_string())?,
        ms,
    );
    Ok(())
}

/// Every Monte Carlo model, with progress after each chunk of paths.
async fn run_mc(
    scope: &DedicatedWorkerGlobalScope,
    params: &str,
    flat: Vec<f64>,
) -> Result<(), String> {
    let batch: McBatch =
        serde_json::from_str(params).map_err(|e| format!("bad parameters: {e}"))?;
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
