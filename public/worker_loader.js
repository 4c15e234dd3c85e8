// Loads the web worker (see src/bin/worker.rs: Monte Carlo, optimisation and frontier jobs): the
// wasm-bindgen no-modules build, initialised with the object form (the positional form logs a
// deprecation warning). A failed initialisation inside a worker never reaches the page's
// `onerror`, so it is posted instead.
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" }).catch((e) => {
  postMessage({ kind: "error", message: "the background worker could not start: " + e });
});
