// Loads the Monte Carlo web worker (see src/bin/worker.rs): the wasm-bindgen no-modules
// build, initialised with the object form (the positional form logs a deprecation warning).
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" });
