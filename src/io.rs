//! Browser I/O: fetching the built-in sample and reading user files.

use ballast_core::pipeline::InputFile;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A JavaScript exception or value as text (an `Error`'s message when it is one).
pub fn js_err(e: wasm_bindgen::JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Fetch a file relative to the page (works under any sub-path).
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(js_err)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(js_err)?;
    if !resp.ok() {
        return Err(format!("could not load {url} (HTTP {})", resp.status()));
    }
    let buf = JsFuture::from(resp.array_buffer().map_err(js_err)?)
        .await
        .map_err(js_err)?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// The built-in sample: prices, holdings and benchmark.
pub async fn sample() -> Result<(Vec<InputFile>, InputFile, InputFile), String> {
    let prices = fetch_bytes("sample/sp500_prices.csv").await?;
    let holdings = fetch_bytes("sample/holdings.csv").await?;
    let index = fetch_bytes("sample/sp500_index.csv").await?;
    Ok((
        vec![InputFile::new("sp500_prices.csv", prices)],
        InputFile::new("holdings.csv", holdings),
        InputFile::new("sp500_index.csv", index),
    ))
}

/// The files of a FileList, taken out synchronously (resetting the input empties the list).
pub fn files_of(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

/// Read files into memory.
pub async fn read_files(files: Vec<web_sys::File>) -> Result<Vec<InputFile>, String> {
    let mut out = Vec::new();
    for f in files {
        let name = f.name();
        let file = gloo_file::File::from(f);
        let bytes = gloo_file::futures::read_as_bytes(&file)
            .await
            .map_err(|e| format!("{name}: could not read the file ({e})"))?;
        out.push(InputFile::new(name, bytes));
    }
    Ok(out)
}

/// Record on `<body>` that an analysis has been shown (the browser tests and the timing script
/// wait on these).
pub fn mark_rendered(count: u64) {
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    let now = web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now());
    let ds = body.dataset();
    let _ = ds.set("analysisCount", &count.to_string());
    let _ = ds.set("ready", "1");
    let _ = ds.set("readyAtMs", &format!("{now:.1}"));
}

/// Milliseconds since the page started (`performance.now()`).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Record how long the last analysis took on `<body data-analyze-ms>` (the timing script
/// reads it).
pub fn record_analyze_ms(ms: f64) {
    record_ms("analyzeMs", ms);
}

/// Record a duration on `<body data-…>` (camel-case key).
pub fn record_ms(key: &str, ms: f64) {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.dataset().set(key, &format!("{ms:.2}"));
    }
}

/// Let the browser run its event loop and paint (e.g. a "Preparing…" message) before a
/// long computation on the main thread.
pub async fn yield_to_browser() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20);
        }
    });
    let _ = JsFuture::from(p).await;
}

/// `N` bytes from the browser's cryptographic random source (`crypto.getRandomValues`).
pub fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let mut out = [0u8; N];
    web_sys::window()
        .ok_or("no window")?
        .crypto()
        .map_err(js_err)?
        .get_random_values_with_u8_array(&mut out)
        .map_err(js_err)?;
    Ok(out)
}

/// The page's address without its fragment (the base of a share link).
pub fn base_url() -> String {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    let href = loc.href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// The page's fragment without `#` (empty when there is none).
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Drop the fragment from the address bar and the history entry (the workspace it carried
/// is now autosaved; the data does not linger in the history).
pub fn clear_fragment() {
    let Some(w) = web_sys::window() else { return };
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&base_url()));
    }
}

/// The current UTC date and time, e.g. `2026-11-23 14:05 UTC`.
pub fn utc_now() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    // 2026-11-23T14:05:09.123Z
    match (iso.get(..10), iso.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t} UTC"),
        _ => iso,
    }
}
