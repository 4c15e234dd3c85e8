// Browser end-to-end tests: drive the release build in headless Chromium as a user would.
// Run from the repository root after `trunk build --release --public-url /ballast/` and
// `cargo build --release -p ballast-cli`: `node tests/e2e/run.mjs`.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
// BALLAST_DIST / BALLAST_CLI point the tests at another build (default: dist/ and the release CLI).
const DIST = process.env.BALLAST_DIST || path.join(ROOT, 'dist');
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
const CLI = process.env.BALLAST_CLI || path.join(ROOT, 'target', 'release', 'ballast');
const FIX = path.join(ROOT, 'tests', 'e2e', 'fixtures');
const SAMPLE = path.join(ROOT, 'data', 'sample');
// The app (wasm) and the CLI (native) run the same core code; only libm's last bits may differ.
const CLI_AGREEMENT_REL_TOL = 1e-12;
const READY_TIMEOUT_MS = 20000;
const METRIC_KEYS = ['cumulative_return', 'cagr', 'annualized_volatility', 'sharpe', 'sortino',
  'max_drawdown', 'current_drawdown', 'var_historical_95', 'cvar_historical_95', 'beta'];

fs.mkdirSync(SHOTS, { recursive: true });
const failures = [];
const results = [];
// BALLAST_E2E_ONLY=<regex> runs only the tests whose names match.
const ONLY = process.env.BALLAST_E2E_ONLY ? new RegExp(process.env.BALLAST_E2E_ONLY) : null;
async function test(name, fn) {
  if (ONLY && !ONLY.test(name)) return;
  const t0 = Date.now();
  try { await fn(); results.push(`ok   ${name} (${Date.now() - t0} ms)`); }
  catch (e) { failures.push(name); results.push(`FAIL ${name}: ${e && e.stack || e}`); }
  console.log(results[results.length - 1]);
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }
function close(a, b, rel) { return a === b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)); }

function cli(args) {
  return JSON.parse(execFileSync(CLI, ['analyze', ...args, '--json'], { encoding: 'utf8' }));
}

async function newPage(browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // Workers are started from memory (src/worker_job.rs), so no fetch is ever aborted by a
  // cancelled job: any failed request is an error.
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText || ''}`));
  return { context, page, errors };
}

async function waitReady(page, count = 1) {
  await page.waitForFunction((n) => Number(document.body.dataset.analysisCount || 0) >= n,
    count, { timeout: READY_TIMEOUT_MS });
}

async function readMetrics(page) {
  return page.evaluate((keys) => {
    const out = {};
    for (const k of keys) {
      const el = document.querySelector(`[data-testid="metric-${k}"]`);
      out[k] = el ? { value: el.dataset.value, text: el.innerText } : null;
    }
    const w = document.querySelector('[data-testid="window"]');
    out._window = w ? { start: w.dataset.start, end: w.dataset.end, observations: Number(w.dataset.observations), text: w.innerText } : null;
    return out;
  }, METRIC_KEYS);
}

function compareWithCli(shown, json, label) {
  assert(shown._window, `${label}: no window element`);
  assert(shown._window.start === json.window.start && shown._window.end === json.window.end,
    `${label}: window ${JSON.stringify(shown._window)} vs CLI ${json.window.start}..${json.window.end}`);
  assert(shown._window.observations === json.window.observations, `${label}: observations differ`);
  for (const k of METRIC_KEYS) {
    const c = json.metrics[k];
    const s = shown[k];
    assert(s !== null, `${label}: metric card ${k} missing`);
    if (c === null || c === undefined) { assert(s.value === '' || s.value === undefined, `${label}: ${k} shown but CLI has none`); continue; }
    const v = Number(s.value);
    assert(Number.isFinite(v), `${label}: ${k} data-value not a number: ${s.value}`);
    assert(close(v, c, CLI_AGREEMENT_REL_TOL), `${label}: ${k} app ${v} vs CLI ${c}`);
  }
}

async function canvasDrawn(page, testid) {
  return page.evaluate((id) => {
    const c = document.querySelector(`canvas[data-testid="${id}"]`);
    if (!c || c.width === 0 || c.height === 0) return { ok: false, why: 'no canvas or zero size' };
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const colours = new Set();
    let nonBg = 0;
    const r0 = d[0], g0 = d[1], b0 = d[2], a0 = d[3];
    for (let i = 0; i < d.length; i += 4 * 7) {
      colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      if (d[i] !== r0 || d[i + 1] !== g0 || d[i + 2] !== b0 || d[i + 3] !== a0) nonBg++;
    }
    return { ok: colours.size > 3 && nonBg > 200, colours: colours.size, nonBg, w: c.width, h: c.height };
  }, testid);
}

async function showPage(page, name) {
  await page.click(`button[data-page="${name}"]`);
  await page.waitForSelector(`section[data-testid="page-${name}"]:not([hidden])`, { timeout: 5000 });
}

const srv = await startServer(DIST);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-sync', '--disable-quic'],
});

const sampleJson = ONLY ? null : cli(['--prices', path.join(SAMPLE, 'sp500_prices.csv'), '--holdings', path.join(SAMPLE, 'holdings.csv'),
  '--benchmark', path.join(SAMPLE, 'sp500_index.csv')]);

await test('sample loads with no console error; figures equal the CLI; charts drawn', async () => {
  const { context, page, errors } = await newPage(browser);
  const t0 = Date.now();
  await page.goto(srv.url);
  await waitReady(page);
  const readyMs = Date.now() - t0;
  const shown = await readMetrics(page);
  compareWithCli(shown, sampleJson, 'sample');
  for (const id of ['chart-equity', 'chart-underwater']) {
    const r = await canvasDrawn(page, id);
    assert(r.ok, `${id} looks blank: ${JSON.stringify(r)}`);
  }
  await page.screenshot({ path: path.join(SHOTS, 'overview-1280.png'), fullPage: true });
  await showPage(page, 'data');
  const rows = await page.locator('table[data-testid="holdings-table"] tbody tr').count();
  assert(rows >= 20, `holdings table has ${rows} rows`);
  const report = await page.locator('[data-testid="alignment-report"]').innerText();
  assert(report.includes(sampleJson.window.start), `alignment report lacks the window start: ${report}`);
  await page.screenshot({ path: path.join(SHOTS, 'data-1280.png'), fullPage: true });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  console.log(`     sample ready ${readyMs} ms after navigation`);
  await context.close();
});

await test('phone width (390 px): no horizontal page overflow, screenshots', async () => {
  const { context, page, errors } = await newPage(browser, { width: 390, height: 844 });
  await page.goto(srv.url);
  await waitReady(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 1, `page is ${overflow}px wider than the phone viewport`);
  const r = await canvasDrawn(page, 'chart-equity');
  assert(r.ok, `equity chart blank on phone: ${JSON.stringify(r)}`);
  await page.screenshot({ path: path.join(SHOTS, 'overview-390.png'), fullPage: true });
  await showPage(page, 'data');
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow2 <= 1, `data page is ${overflow2}px wider than the phone viewport`);
  await page.screenshot({ path: path.join(SHOTS, 'data-390.png'), fullPage: true });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('uploading a wide price CSV and a holdings CSV changes the figures (and matches the CLI)', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(srv.url);
  await waitReady(page, 1);
  const before = await readMetrics(page);
  await showPage(page, 'data');
  await page.setInputFiles('input[type=file][data-testid="file-input"]',
    [path.join(FIX, 'upload_prices.csv'), path.join(FIX, 'upload_holdings.csv')]);
  await waitReady(page, 2);
  const after = await readMetrics(page);
  assert(after.cagr.value !== before.cagr.value, 'CAGR did not change after upload');
  assert(after._window.start !== before._window.start, 'window did not change after upload');
  const banner = await page.locator('[data-testid="error-banner"]').count();
  assert(banner === 0 || !(await page.locator('[data-testid="error-banner"]').isVisible()), 'an error banner appeared');
  const json = cli(['--prices', path.join(FIX, 'upload_prices.csv'), '--holdings', path.join(FIX, 'upload_holdings.csv'),
    '--benchmark', path.join(SAMPLE, 'sp500_index.csv')]);
  compareWithCli(after, json, 'upload');
  const rows = await page.locator('table[data-testid="holdings-table"] tbody tr').count();
  assert(rows >= 5, `holdings table shows ${rows} rows after upload`);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('pasting a broken CSV shows a banner naming the line; the previous analysis stays', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(srv.url);
  await waitReady(page, 1);
  const before = await readMetrics(page);
  await showPage(page, 'data');
  await page.fill('textarea[data-testid="paste-box"]', 'date,AAA,BBB\n2021-01-04,10,20\n2021-01-05,10.5,abc\n2021-01-06,11,21\n');
  await page.selectOption('select[data-testid="paste-role"]', 'prices');
  await page.click('button[data-testid="paste-load"]');
  const banner = page.locator('[data-testid="error-banner"]');
  await banner.waitFor({ state: 'visible', timeout: 5000 });
  const text = await banner.innerText();
  assert(/line 3/.test(text), `banner does not name line 3: ${text}`);
  assert(/BBB/.test(text), `banner does not name the column: ${text}`);
  await page.screenshot({ path: path.join(SHOTS, 'error-banner-1280.png'), fullPage: false });
  await showPage(page, 'overview');
  const after = await readMetrics(page);
  for (const k of METRIC_KEYS) assert(after[k].value === before[k].value, `${k} changed after a failed paste`);
  const r = await canvasDrawn(page, 'chart-equity');
  assert(r.ok, 'equity chart blank after a failed paste');
  const count = await page.evaluate(() => document.body.dataset.analysisCount);
  assert(count === '1', `analysis re-ran after a failed paste (count ${count})`);
  // Binary garbage through the file input: a message, never a crash.
  await showPage(page, 'data');
  const garbage = path.join(ROOT, 'test-results', 'garbage.csv');
  fs.writeFileSync(garbage, Buffer.from([0, 159, 146, 150, 0, 1, 2, 255, 254, 10, 0, 0, 7]));
  await page.setInputFiles('input[type=file][data-testid="file-input"]', [garbage]);
  await page.waitForFunction(() => /garbage\.csv/.test(document.querySelector('[data-testid="error-banner"]')?.innerText || ''), null, { timeout: 5000 });
  const after2 = await readMetrics(page);
  assert(after2.sharpe.value === before.sharpe.value, 'figures changed after a garbage upload');
  const unexpected = errors.filter((e) => !/error-banner/.test(e));
  assert(unexpected.length === 0, `console errors: ${unexpected.join(' | ')}`);
  await context.close();
});

await test('ambiguous day/month dates ask for the order; choosing it loads the file', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(srv.url);
  await waitReady(page, 1);
  await showPage(page, 'data');
  await page.fill('textarea[data-testid="paste-box"]', 'date,AAA\n04/01/2021,10\n05/01/2021,10.5\n06/01/2021,10.2\n07/01/2021,10.8\n');
  await page.click('button[data-testid="paste-load"]');
  const banner = page.locator('[data-testid="error-banner"]');
  await banner.waitFor({ state: 'visible', timeout: 5000 });
  assert(/choose the date order/.test(await banner.innerText()), 'banner does not ask for the date order');
  await page.selectOption('select[data-testid="date-order-choice"]', 'dmy');
  await waitReady(page, 2);
  const m = await readMetrics(page);
  assert(m._window.start === '2021-01-04' && m._window.end === '2021-01-07', `window ${JSON.stringify(m._window)}`);
  assert(await page.locator('[data-testid="error-banner"]').count() === 0, 'banner still shown');
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('changing the risk-free rate re-analyses (Sharpe changes, CAGR does not)', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(srv.url);
  await waitReady(page, 1);
  const before = await readMetrics(page);
  await showPage(page, 'data');
  await page.fill('input[data-testid="risk-free"]', '3');
  await page.locator('input[data-testid="risk-free"]').dispatchEvent('change');
  await waitReady(page, 2);
  const after = await readMetrics(page);
  assert(Number(after.sharpe.value) < Number(before.sharpe.value), `Sharpe ${before.sharpe.value} -> ${after.sharpe.value}`);
  assert(after.cagr.value === before.cagr.value, 'CAGR changed with the risk-free rate');
  const json = cli(['--prices', path.join(SAMPLE, 'sp500_prices.csv'), '--holdings', path.join(SAMPLE, 'holdings.csv'),
    '--benchmark', path.join(SAMPLE, 'sp500_index.csv'), '--risk-free', '0.03']);
  compareWithCli(after, json, 'rf 3%');
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('a loaded price series can be the benchmark, matching the CLI', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(srv.url);
  await waitReady(page, 1);
  await showPage(page, 'data');
  await page.selectOption('select[data-testid="benchmark-choice"]', 'sym:KO');
  await waitReady(page, 2);
  const m = await readMetrics(page);
  const json = cli(['--prices', path.join(SAMPLE, 'sp500_prices.csv'), '--holdings', path.join(SAMPLE, 'holdings.csv'),
    '--benchmark-symbol', 'KO']);
  compareWithCli(m, json, 'benchmark KO');
  const conv = await page.locator('[data-testid="metric-beta"]').innerText();
  assert(/vs KO/.test(conv), `beta convention does not name KO: ${conv}`);
  await page.selectOption('select[data-testid="benchmark-choice"]', 'none');
  await page.waitForFunction(() => (document.querySelector('[data-testid="metric-beta"]')?.dataset.value ?? 'x') === '', null, { timeout: 5000 });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

const SAMPLE_ARGS = ['--prices', path.join(SAMPLE, 'sp500_prices.csv'), '--holdings', path.join(SAMPLE, 'holdings.csv'),
  '--benchmark', path.join(SAMPLE, 'sp500_index.csv')];
const CLOSED_FORM = ['historical', 'gaussian', 'cornish_fisher', 'ewma'];
const MONTE_CARLO = ['mc_normal', 'mc_t', 'mc_bootstrap'];
// Monte Carlo in wasm and natively: the same seeded stream; only libm's last bits may differ.
const MC_AGREEMENT_REL_TOL = 1e-9;

async function readVarTable(page) {
  return page.evaluate(() => {
    const out = {};
    for (const tr of document.querySelectorAll('[data-testid="var-table"] tbody tr[data-testid^="var-"]')) {
      out[tr.dataset.testid.slice(4)] = { var: Number(tr.dataset.var), cvar: Number(tr.dataset.cvar), text: tr.innerText };
    }
    return out;
  });
}

function compareVar(shown, json, models, label, tol = CLI_AGREEMENT_REL_TOL) {
  for (const key of models) {
    const m = json.var.models.find((e) => e.model === key);
    assert(m, `${label}: CLI has no model ${key}`);
    assert(shown[key], `${label}: the app shows no row for ${key}`);
    assert(close(shown[key].var, m.var, tol), `${label}: ${key} VaR app ${shown[key].var} vs CLI ${m.var}`);
    assert(close(shown[key].cvar, m.cvar, tol), `${label}: ${key} CVaR app ${shown[key].cvar} vs CLI ${m.cvar}`);
  }
}

async function setInput(page, testid, value) {
  await page.fill(`input[data-testid="${testid}"]`, String(value));
  await page.locator(`input[data-testid="${testid}"]`).dispatchEvent('change');
}

async function waitMcDone(page, timeout = 30000) {
  await page.waitForFunction(() => document.querySelector('[data-testid="mc-panel"]')?.dataset.phase === 'done', null, { timeout });
}

async function chartsDrawn(page, ids) {
  for (const id of ids) {
    await page.waitForFunction((i) => Number(document.querySelector(`canvas[data-testid="${i}"]`)?.dataset.drawn || 0) >= 1, id, { timeout: 10000 });
    const r = await canvasDrawn(page, id);
    assert(r.ok, `${id} looks blank: ${JSON.stringify(r)}`);
  }
}

await test('Risk, Drawdowns and Performance render with no console error; charts drawn; figures equal the CLI', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(srv.url);
  await waitReady(page, 1);
  const json = cli([...SAMPLE_ARGS, '--mc-paths', '100000', '--seed', '42']);
  await page.click('button[data-testid="goto-risk"]');
  await page.waitForSelector('section[data-testid="page-risk"]:not([hidden])');
  await chartsDrawn(page, ['chart-risk-histogram', 'chart-decomposition', 'chart-decomposition-sectors', 'chart-backtest']);
  await waitMcDone(page);
  const shown = await readVarTable(page);
  compareVar(shown, json, CLOSED_FORM, 'risk 95% 1d');
  compareVar(shown, json, MONTE_CARLO, 'risk MC 95% 1d', MC_AGREEMENT_REL_TOL);
  assert(/outside the range/.test(shown.cornish_fisher.text), 'the Cornish-Fisher row does not carry its domain flag');
  // Decomposition: components add up to the decomposed VaR; one row per position.
  const comp = await page.$$eval('[data-testid="decomposition-row"]', (rows) => rows.map((r) => Number(r.dataset.componentVar)));
  assert(comp.length === json.decomposition.positions.length, `decomposition rows ${comp.length}`);
  const sum = comp.reduce((a, b) => a + b, 0);
  assert(close(sum, json.decomposition.var, 1e-9), `components sum ${sum} vs VaR ${json.decomposition.var}`);
  const bt = await page.locator('[data-testid="backtest-stats"]').getAttribute('data-exceedances');
  assert(Number(bt) === json.backtest.exceedances, `backtest exceedances ${bt} vs CLI ${json.backtest.exceedances}`);
  const zone = await page.locator('[data-testid="basel-zone"]').getAttribute('data-zone');
  assert(zone === json.backtest.basel.zone, `Basel zone ${zone} vs CLI ${json.backtest.basel.zone}`);
  await page.screenshot({ path: path.join(SHOTS, 'risk-1280.png'), fullPage: true });

  await showPage(page, 'drawdowns');
  await chartsDrawn(page, ['chart-drawdowns-underwater']);
  const depths = await page.$$eval('[data-testid="episode-row"]', (rows) => rows.map((r) => Number(r.dataset.depth)));
  assert(depths.length === json.drawdown.episodes.length, `episode rows ${depths.length} vs ${json.drawdown.episodes.length}`);
  depths.forEach((d, i) => assert(close(d, json.drawdown.episodes[i].depth, CLI_AGREEMENT_REL_TOL), `episode ${i} depth ${d}`));
  await page.selectOption('select[data-testid="top-episodes"]', '5');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="episode-row"]').length === 5, null, { timeout: 5000 });
  await page.screenshot({ path: path.join(SHOTS, 'drawdowns-1280.png'), fullPage: true });

  await showPage(page, 'performance');
  await chartsDrawn(page, ['chart-perf-equity', 'chart-rolling-vol', 'chart-rolling-sharpe', 'chart-rolling-beta', 'chart-perf-histogram', 'chart-contributions']);
  const figs = await page.$$eval('tr[data-testid^="fig-"]', (rows) => rows.map((r) => [r.dataset.testid.slice(4), r.dataset.value]));
  assert(figs.length >= 30, `only ${figs.length} figures on the Performance page`);
  for (const [key, value] of figs) {
    const c = json.metrics[key];
    assert(c !== undefined, `figure ${key} has no CLI key`);
    if (c === null) { assert(value === '', `${key}: shown ${value}, CLI null`); continue; }
    assert(close(Number(value), c, CLI_AGREEMENT_REL_TOL), `${key}: app ${value} vs CLI ${c}`);
  }
  const bench = await page.$$eval('td[data-testid^="bench-"]', (cells) => cells.map((c) => [c.dataset.testid.slice(6), c.dataset.value]));
  assert(bench.length >= 20, `only ${bench.length} benchmark figures on the Performance page`);
  for (const [key, value] of bench) {
    const c = json.benchmark_metrics[key];
    assert(c !== undefined, `benchmark figure ${key} has no CLI key`);
    if (c === null) { assert(value === '', `benchmark ${key}: shown ${value}, CLI null`); continue; }
    assert(close(Number(value), c, CLI_AGREEMENT_REL_TOL), `benchmark ${key}: app ${value} vs CLI ${c}`);
  }
  const years = await page.locator('[data-testid="monthly-row"]').count();
  assert(years === json.monthly_returns.length, `monthly table has ${years} years, CLI ${json.monthly_returns.length}`);
  await page.screenshot({ path: path.join(SHOTS, 'performance-1280.png'), fullPage: true });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('changing confidence, horizon and model updates the VaR figures, matching the CLI', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(srv.url);
  await waitReady(page, 1);
  await showPage(page, 'risk');
  const before = await readVarTable(page);
  await setInput(page, 'confidence', '99');
  await waitReady(page, 2);
  const at99 = await readVarTable(page);
  assert(at99.historical.var > before.historical.var, `historical VaR did not rise with the confidence: ${before.historical.var} -> ${at99.historical.var}`);
  compareVar(at99, cli([...SAMPLE_ARGS, '--confidence', '0.99', '--mc-paths', '0']), CLOSED_FORM, '99% 1d');
  await setInput(page, 'horizon', '10');
  await waitReady(page, 3);
  await waitMcDone(page);
  const h10 = await readVarTable(page);
  const json10 = cli([...SAMPLE_ARGS, '--confidence', '0.99', '--horizon', '10', '--mc-paths', '100000', '--seed', '42']);
  compareVar(h10, json10, CLOSED_FORM, '99% 10d');
  compareVar(h10, json10, MONTE_CARLO, 'MC 99% 10d', MC_AGREEMENT_REL_TOL);
  assert(/10 days/.test(await page.locator('[data-testid="risk-header"]').innerText()), 'the header does not say 10 days');
  await page.selectOption('select[data-testid="var-model"]', 'gaussian');
  await waitReady(page, 4);
  assert(/Gaussian/.test(await page.locator('[data-testid="decomposition-model"]').innerText()), 'decomposition does not use the Gaussian model');
  assert(/Gaussian/.test(await page.locator('[data-testid="backtest-stats"]').innerText()), 'backtest does not use the Gaussian model');
  const sel = await page.locator('tr[data-testid="var-gaussian"]').getAttribute('class');
  assert(/selected/.test(sel || ''), 'the Gaussian row is not highlighted');
  // An invalid confidence is refused with a message; the figures stay.
  await setInput(page, 'confidence', '80');
  const banner = page.locator('[data-testid="error-banner"]');
  await banner.waitFor({ state: 'visible', timeout: 5000 });
  assert(/between 90% and 99.9%/.test(await banner.innerText()), 'no message for confidence 80%');
  assert(await page.inputValue('input[data-testid="confidence"]') === '99', 'the refused value stayed in the input');
  const still = await readVarTable(page);
  assert(still.historical.var === h10.historical.var, 'figures changed after a refused entry');
  const unexpected = errors.filter((e) => !/error-banner/.test(e));
  assert(unexpected.length === 0, `console errors: ${unexpected.join(' | ')}`);
  await context.close();
});

await test('Monte Carlo runs off the main thread: progress, cancel, rerun', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(srv.url);
  await waitReady(page, 1);
  await showPage(page, 'risk');
  await waitMcDone(page);
  // A long job: 1,000,000 paths × 20 days per model (several seconds even off the main thread).
  await setInput(page, 'horizon', '20');
  await waitReady(page, 2);
  await setInput(page, 'mc-paths', '1000000');
  await page.click('button[data-testid="mc-run"]');
  await page.waitForFunction(() => {
    const p = document.querySelector('[data-testid="mc-progress"]');
    return p && p.value > 0 && p.value < 1;
  }, null, { timeout: 20000, polling: 20 });
  assert(/running/.test(await page.locator('[data-testid="mc-status"]').innerText()), 'status does not say running');
  // The page stays responsive while the worker computes: animation frames keep coming.
  const frames = await page.evaluate(() => new Promise((resolve) => {
    let n = 0; const t0 = performance.now();
    const tick = () => { n++; if (performance.now() - t0 < 500) requestAnimationFrame(tick); else resolve(n); };
    requestAnimationFrame(tick);
  }));
  assert(frames >= 10, `only ${frames} animation frames in 500 ms during Monte Carlo: the page froze`);
  assert(await page.locator('[data-testid="mc-panel"]').getAttribute('data-phase') === 'running', 'the job ended before it could be cancelled');
  await page.click('button[data-testid="mc-cancel"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="mc-panel"]')?.dataset.phase === 'cancelled', null, { timeout: 5000 });
  await setInput(page, 'mc-paths', '100000');
  await page.click('button[data-testid="mc-run"]');
  await waitMcDone(page);
  const rows = await readVarTable(page);
  for (const k of MONTE_CARLO) assert(Number.isFinite(rows[k]?.var) && rows[k].var > 0, `${k} has no VaR after the rerun`);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('Correlation page: clustered heat map with hover, clusters follow the threshold, figures equal the CLI', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(srv.url);
  await waitReady(page, 1);
  const json = cli([...SAMPLE_ARGS, '--mc-paths', '0']);
  const card = await page.locator('[data-testid="metric-largest_cluster"]').getAttribute('data-value');
  assert(close(Number(card), json.correlation.largest_cluster.weight, CLI_AGREEMENT_REL_TOL), `Overview largest cluster ${card} vs CLI ${json.correlation.largest_cluster.weight}`);
  await page.click('button[data-testid="goto-correlation"]');
  await page.waitForSelector('section[data-testid="page-correlation"]');
  await chartsDrawn(page, ['chart-heatmap', 'chart-dendrogram', 'chart-avg-corr', 'chart-pair-corr', 'chart-vol-ratio']);
  const box = await page.locator('canvas[data-testid="chart-heatmap"]').boundingBox();
  await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.45);
  await page.waitForFunction(() => /ρ = -?\d/.test(document.querySelector('[data-testid="heatmap-hover"]')?.innerText || ''), null, { timeout: 5000 });
  const dr = await page.locator('tr[data-testid="fig-diversification_ratio"]').getAttribute('data-value');
  assert(close(Number(dr), json.correlation.diversification.diversification_ratio, CLI_AGREEMENT_REL_TOL), `diversification ratio ${dr}`);
  const sizes = async () => page.$$eval('[data-testid="cluster-row"]', (rows) => rows.map((r) => Number(r.dataset.size)).filter((n) => n > 1));
  const before = await sizes();
  assert(JSON.stringify(before) === JSON.stringify(json.correlation.clusters.map((c) => c.members.length).filter((n) => n > 1)), `clusters ${before}`);
  const breakdowns = await page.locator('[data-testid="breakdown-row"]').count();
  assert(breakdowns === json.correlation.breakdowns.length, `breakdowns ${breakdowns} vs CLI ${json.correlation.breakdowns.length}`);
  await page.screenshot({ path: path.join(SHOTS, 'correlation-1280.png'), fullPage: true });
  await setInput(page, 'threshold', '0.5');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="page-correlation"]')?.dataset.correlationCount) >= 1, null, { timeout: 10000 });
  const after = await sizes();
  const json5 = cli([...SAMPLE_ARGS, '--mc-paths', '0', '--threshold', '0.5']);
  assert(JSON.stringify(after) !== JSON.stringify(before), 'the cluster table did not change with the threshold');
  assert(JSON.stringify(after) === JSON.stringify(json5.correlation.clusters.map((c) => c.members.length).filter((n) => n > 1)), `clusters at 0.5: ${after}`);
  await page.selectOption('select[data-testid="estimator"]', 'ledoit_wolf');
  await page.waitForFunction(() => /Ledoit-Wolf/.test(document.querySelector('[data-testid="estimator-line"]')?.innerText || ''), null, { timeout: 10000 });
  const jsonLw = cli([...SAMPLE_ARGS, '--mc-paths', '0', '--threshold', '0.5', '--estimator', 'ledoit-wolf']);
  const drLw = await page.locator('tr[data-testid="fig-diversification_ratio"]').getAttribute('data-value');
  assert(close(Number(drLw), jsonLw.correlation.diversification.diversification_ratio, CLI_AGREEMENT_REL_TOL), `Ledoit-Wolf diversification ratio ${drLw}`);
  await setInput(page, 'threshold', '1.5');
  const banner = page.locator('[data-testid="error-banner"]');
  await banner.waitFor({ state: 'visible', timeout: 5000 });
  assert(/between 0.05 and 0.99/.test(await banner.innerText()), 'no message for a threshold of 1.5');
  const unexpected = errors.filter((e) => !/error-banner/.test(e));
  assert(unexpected.length === 0, `console errors: ${unexpected.join(' | ')}`);
  await context.close();
});

await test('analysis pages at phone width (390 px): no horizontal page overflow', async () => {
  const { context, page, errors } = await newPage(browser, { width: 390, height: 844 });
  await page.goto(srv.url);
  await waitReady(page);
  for (const p of ['risk', 'drawdowns', 'performance', 'correlation']) {
    await showPage(page, p);
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 1, `${p} page is ${overflow}px wider than the phone viewport`);
    await page.screenshot({ path: path.join(SHOTS, `${p}-390.png`), fullPage: true });
  }
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

// Optimise page. The app (wasm) and the CLI (native) run the same optimiser; Clarabel's
// iterations may differ in the last bits of libm, so weights agree to 1e-6.
const OPT_WEIGHT_ABS_TOL = 1e-6;
const OPT_FIGURE_REL_TOL = 1e-5;

function cliOptimize(args) {
  try {
    return JSON.parse(execFileSync(CLI, ['optimize', ...SAMPLE_ARGS, ...args, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (e) {
    if (e.stdout) return JSON.parse(e.stdout);
    throw e;
  }
}

async function optCount(page) {
  return Number(await page.locator('[data-testid="page-optimize"]').getAttribute('data-opt-count') || 0);
}

// Wait for the optimisation after `before` finished ones to end with `status`.
async function waitOpt(page, before, status = 'done', timeout = 30000) {
  await page.waitForFunction(([n, s]) => {
    const el = document.querySelector('[data-testid="page-optimize"]');
    return el && Number(el.dataset.optCount || 0) > n && el.dataset.optStatus === s;
  }, [before, status], { timeout });
}

async function waitFrontier(page, phase = 'done', timeout = 60000) {
  await page.waitForFunction((p) => document.querySelector('[data-testid="frontier-panel"]')?.dataset.phase === p, phase, { timeout });
}

async function readWeights(page) {
  return page.$$eval('[data-testid="opt-weight-row"]', (rows) => Object.fromEntries(rows.map((r) => [r.dataset.symbol, Number(r.dataset.weight)])));
}

function compareWeights(shown, cliWeights, label, tol = OPT_WEIGHT_ABS_TOL) {
  const syms = Object.keys(cliWeights);
  assert(syms.length > 0 && syms.length === Object.keys(shown).length, `${label}: ${Object.keys(shown).length} weights shown, CLI has ${syms.length}`);
  for (const s of syms) {
    assert(Math.abs(shown[s] - cliWeights[s]) <= tol, `${label}: ${s} app ${shown[s]} vs CLI ${cliWeights[s]}`);
  }
}

function sum(obj) { return Object.values(obj).reduce((a, b) => a + b, 0); }

async function openOptimize(page) {
  await page.goto(srv.url);
  await waitReady(page, 1);
  await showPage(page, 'optimize');
  await waitOpt(page, 0);
}

await test('Optimise page: maximum Sharpe weights sum to 100% and equal the CLI; the frontier is drawn with 50 points', async () => {
  const { context, page, errors } = await newPage(browser);
  await openOptimize(page);
  const weights = await readWeights(page);
  assert(Math.abs(sum(weights) - 1) < 1e-9, `weights sum to ${sum(weights)}`);
  assert(Object.values(weights).every((w) => w >= -1e-9 && w <= 1 + 1e-9), 'a weight is outside [0, 1]');
  assert(/100\.00%/.test(await page.locator('[data-testid="opt-weight-total"]').innerText()), 'the total row does not show 100.00%');
  const json = cliOptimize(['--objective', 'max_sharpe', '--frontier', '50']);
  compareWeights(weights, json.weights, 'max Sharpe');
  for (const k of ['expected_return', 'volatility', 'sharpe', 'cvar']) {
    const v = Number(await page.locator(`[data-testid="opt-fig-${k}"]`).getAttribute('data-value'));
    assert(close(v, json.stats[k], OPT_FIGURE_REL_TOL), `${k}: app ${v} vs CLI ${json.stats[k]}`);
  }
  assert(/Maximum Sharpe ratio/.test(await page.locator('[data-testid="opt-target-label"]').innerText()), 'the target is not labelled');
  assert(/solved/.test(await page.locator('[data-testid="opt-solver-status"]').innerText()), 'no solver status');
  await waitFrontier(page);
  const panel = page.locator('[data-testid="frontier-panel"]');
  assert(await panel.getAttribute('data-points') === '50', `frontier has ${await panel.getAttribute('data-points')} points`);
  assert(await panel.getAttribute('data-done') === '50' && await panel.getAttribute('data-total') === '50', 'progress did not reach 50/50');
  assert(/50 points/.test(await page.locator('[data-testid="frontier-status"]').innerText()), 'the status does not say 50 points');
  await chartsDrawn(page, ['chart-frontier', 'chart-opt-weights']);
  const px = (await page.locator('canvas[data-testid="chart-frontier"]').getAttribute('data-point-px')).split(';');
  assert(px.length === 50, `${px.length} point positions`);
  assert(json.frontier.points.length === 50, `CLI frontier has ${json.frontier.points.length} points`);
  console.log(`     optimise ${await page.evaluate(() => document.body.dataset.optimizeMs)} ms (worker ${await page.evaluate(() => document.body.dataset.optimizeWorkerMs)} ms); frontier 50 points ${await panel.getAttribute('data-ms')} ms (worker ${await panel.getAttribute('data-worker-ms')} ms)`);
  await page.screenshot({ path: path.join(SHOTS, 'optimize-1280.png'), fullPage: true });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('Optimise page: minimum variance and other objectives change the weights, matching the CLI', async () => {
  const { context, page, errors } = await newPage(browser);
  await openOptimize(page);
  const sharpe = await readWeights(page);
  for (const [key, extra] of [['min_variance', []], ['min_cvar', []], ['risk_parity', []], ['hrp', []]]) {
    const n = await optCount(page);
    const t0 = Date.now();
    await page.selectOption('select[data-testid="opt-objective"]', key);
    await waitOpt(page, n);
    const w = await readWeights(page);
    assert(Math.abs(sum(w) - 1) < 1e-9, `${key}: weights sum to ${sum(w)}`);
    assert(Object.keys(w).some((s) => Math.abs(w[s] - sharpe[s]) > 1e-3), `${key}: the weights did not change from maximum Sharpe`);
    compareWeights(w, cliOptimize(['--objective', key, ...extra]).weights, key);
    console.log(`     ${key}: ${await page.evaluate(() => document.body.dataset.optimizeMs)} ms round trip, ${await page.evaluate(() => document.body.dataset.optimizeWorkerMs)} ms in the worker (${Date.now() - t0} ms seen by the test)`);
  }
  // A parameter: efficient return at 15% a year.
  let n = await optCount(page);
  await page.selectOption('select[data-testid="opt-objective"]', 'efficient_return');
  await waitOpt(page, n);
  n = await optCount(page);
  await setInput(page, 'opt-target-return', '15');
  await waitOpt(page, n);
  const er = Number(await page.locator('[data-testid="opt-fig-expected_return"]').getAttribute('data-value'));
  assert(Math.abs(er - 0.15) < 1e-6, `efficient return 15%: expected return ${er}`);
  compareWeights(await readWeights(page), cliOptimize(['--objective', 'efficient_return', '--target-return', '0.15']).weights, 'efficient return 15%');
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('Optimise page: an impossible maximum weight is explained, results go stale, fallback weights work; a refused entry keeps the old value', async () => {
  const { context, page, errors } = await newPage(browser);
  await openOptimize(page);
  const before = await readWeights(page);
  const n = await optCount(page);
  await setInput(page, 'opt-max-weight', '2');
  await waitOpt(page, n, 'failed');
  const msg = await page.locator('[data-testid="opt-error"]').innerText();
  assert(/maximum weights add up to 40\.0%/.test(msg), `no explanation: ${msg}`);
  assert(await page.locator('[data-testid="opt-target"]').getAttribute('data-stale') === 'true', 'the previous results are not marked stale');
  assert(await page.locator('[data-testid="opt-stale"]').isVisible(), 'no stale tag');
  const still = await readWeights(page);
  assert(JSON.stringify(still) === JSON.stringify(before), 'the previous weights did not stay');
  await page.click('button[data-testid="opt-use-fallback"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="opt-target"]')?.dataset.source === 'fallback', null, { timeout: 5000 });
  assert(/^Fallback/.test(await page.locator('[data-testid="opt-target-label"]').innerText()), 'the fallback is not labelled');
  assert(/Fallback: Inverse volatility/.test(await page.locator('[data-testid="opt-fallback-note"]').innerText()), 'no fallback note');
  const fb = await readWeights(page);
  assert(Math.abs(sum(fb) - 1) < 1e-9, `fallback weights sum to ${sum(fb)}`);
  const json = cliOptimize(['--objective', 'max_sharpe', '--max-weight', '0.02', '--fallback']);
  assert(/maximum weights add up to 40\.0%/.test(json.error || ''), `CLI error: ${json.error}`);
  compareWeights(fb, json.weights, 'fallback', 1e-12);
  await page.screenshot({ path: path.join(SHOTS, 'optimize-fallback-1280.png'), fullPage: false });
  // A refused entry: explained next to the field, the old value stays.
  await setInput(page, 'opt-max-weight', 'abc');
  const err = page.locator('[data-testid="opt-max-weight-error"]');
  await err.waitFor({ state: 'visible', timeout: 5000 });
  assert(/expected a number/.test(await err.innerText()), `refusal text: ${await err.innerText()}`);
  assert(await page.inputValue('input[data-testid="opt-max-weight"]') === '2', 'the refused value stayed in the input');
  // Back to a feasible cap: a fresh optimum replaces the fallback.
  const m = await optCount(page);
  await setInput(page, 'opt-max-weight', '20');
  await waitOpt(page, m);
  assert(await page.locator('[data-testid="opt-target"]').getAttribute('data-source') === 'optimised', 'the fallback stayed after a successful run');
  assert(await page.locator('[data-testid="opt-max-weight-error"]').count() === 0, 'the refusal message stayed after a valid entry');
  const capped = await readWeights(page);
  assert(Object.values(capped).every((w) => w <= 0.2 + 1e-7), 'a weight is above the 20% cap');
  compareWeights(capped, cliOptimize(['--objective', 'max_sharpe', '--max-weight', '0.2']).weights, 'max weight 20%');
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('Frontier: hovering a point shows a tooltip, clicking selects it as the target; a mean-CVaR frontier can be cancelled', async () => {
  const { context, page, errors } = await newPage(browser);
  await openOptimize(page);
  await waitFrontier(page);
  await chartsDrawn(page, ['chart-frontier']);
  const canvas = page.locator('canvas[data-testid="chart-frontier"]');
  const drawnMv = Number(await canvas.getAttribute('data-drawn'));
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const px = (await canvas.getAttribute('data-point-px')).split(';').map((p) => p.split(',').map(Number));
  const k = 30;
  await page.mouse.move(box.x + px[k][0], box.y + px[k][1]);
  const tip = page.locator('[data-testid="frontier-tooltip"]');
  await tip.waitFor({ state: 'visible', timeout: 5000 });
  const text = await tip.innerText();
  assert(/Point 31 of 50/.test(text) && /Return/.test(text) && /volatility/.test(text) && /Largest weights/.test(text), `tooltip: ${text}`);
  await page.screenshot({ path: path.join(SHOTS, 'optimize-frontier-hover-1280.png'), clip: { x: box.x - 10, y: box.y - 10, width: box.width + 20, height: box.height + 20 } });
  await page.mouse.click(box.x + px[k][0], box.y + px[k][1]);
  await page.waitForFunction(() => document.querySelector('[data-testid="opt-target"]')?.dataset.source === 'frontier', null, { timeout: 5000 });
  assert(await page.locator('[data-testid="frontier-selected"]').getAttribute('data-point') === String(k), 'the wrong point is selected');
  assert(/Selected from the frontier: point 31/.test(await page.locator('[data-testid="opt-target-label"]').innerText()), 'the target label does not name the point');
  const json = cliOptimize(['--objective', 'max_sharpe', '--frontier', '50']);
  compareWeights(await readWeights(page), json.frontier.points[k].weights, 'frontier point 31');
  await page.click('button[data-testid="opt-back"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="opt-target"]')?.dataset.source === 'optimised', null, { timeout: 5000 });
  // Mean-CVaR: progress, cancel, then a short one to the end.
  await page.selectOption('select[data-testid="frontier-kind"]', 'mean_cvar');
  await page.waitForFunction(() => {
    const p = document.querySelector('[data-testid="frontier-panel"]');
    return p && p.dataset.phase === 'running' && Number(p.dataset.done) >= 1;
  }, null, { timeout: 30000, polling: 20 });
  await page.click('button[data-testid="frontier-cancel"]');
  await waitFrontier(page, 'cancelled', 5000);
  assert(/Cancelled/.test(await page.locator('[data-testid="frontier-status"]').innerText()), 'the status does not say cancelled');
  await setInput(page, 'frontier-points', '8');
  await waitFrontier(page, 'done', 120000);
  const panel = page.locator('[data-testid="frontier-panel"]');
  assert(await panel.getAttribute('data-points') === '8', `mean-CVaR frontier has ${await panel.getAttribute('data-points')} points`);
  console.log(`     mean-CVaR frontier, 8 points: ${await panel.getAttribute('data-ms')} ms (worker ${await panel.getAttribute('data-worker-ms')} ms)`);
  // Redrawn (the pixels were checked above: a second readback makes Chromium warn).
  await page.waitForFunction((n) => Number(document.querySelector('canvas[data-testid="chart-frontier"]')?.dataset.drawn) > n, drawnMv, { timeout: 5000 });
  assert((await canvas.getAttribute('data-point-px')).split(';').length === 8, 'the chart does not show 8 points');
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('Rebalance: the trades equal the CLI, costs change them, the CSV downloads', async () => {
  const { context, page, errors } = await newPage(browser);
  await openOptimize(page);
  const readTrades = () => page.$$eval('[data-testid="trade-row"]', (rows) => rows.map((r) => [r.dataset.symbol, r.dataset.side, Number(r.dataset.shares)]));
  await page.waitForSelector('[data-testid="trade-row"]', { timeout: 10000 });
  const trades = await readTrades();
  const json = cliOptimize(['--objective', 'max_sharpe', '--rebalance']);
  const cliTrades = json.rebalance.trades.map((t) => [t.symbol, t.side, t.shares]);
  assert(JSON.stringify(trades) === JSON.stringify(cliTrades), `trades ${JSON.stringify(trades)} vs CLI ${JSON.stringify(cliTrades)}`);
  assert(/Sharpe/.test(await page.locator('[data-testid="cost-benefit"]').innerText()), 'no cost-benefit line');
  await setInput(page, 'rb-cost-bps', '10');
  await setInput(page, 'rb-drift-band', '2');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="rebalance-summary"]')?.dataset.totalCost) > 0, null, { timeout: 5000 });
  const json2 = cliOptimize(['--objective', 'max_sharpe', '--rebalance', '--cost-bps', '10', '--drift-band', '0.02']);
  const t2 = await readTrades();
  assert(JSON.stringify(t2) === JSON.stringify(json2.rebalance.trades.map((t) => [t.symbol, t.side, t.shares])), `trades with costs ${JSON.stringify(t2)}`);
  const cost = Number(await page.locator('[data-testid="rebalance-summary"]').getAttribute('data-total-cost'));
  assert(close(cost, json2.rebalance.total_cost, 1e-9), `total cost ${cost} vs CLI ${json2.rebalance.total_cost}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-testid="trades-download"]')]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert(csv.startsWith('symbol,side,shares,price,value,cost'), `CSV header: ${csv.slice(0, 60)}`);
  assert(csv.trim().split(/\r?\n/).length === t2.length + 1, 'the CSV does not have one row per trade');
  await setInput(page, 'rb-cost-bps', '-5');
  await page.locator('[data-testid="rb-cost-bps-error"]').waitFor({ state: 'visible', timeout: 5000 });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('Optimise page at phone width (390 px): no horizontal overflow, frontier drawn', async () => {
  const { context, page, errors } = await newPage(browser, { width: 390, height: 844 });
  await openOptimize(page);
  await waitFrontier(page);
  await chartsDrawn(page, ['chart-frontier', 'chart-opt-weights']);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 1, `optimize page is ${overflow}px wider than the phone viewport`);
  await page.screenshot({ path: path.join(SHOTS, 'optimize-390.png'), fullPage: true });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

// ---- Risk limits, heat map, sizing, pre-trade checks (the Overview panels and the Sizing page)

// The sample without its benchmark (the trading commands take the benchmark only for the hedge).
const TRADE_ARGS = ['--prices', path.join(SAMPLE, 'sp500_prices.csv'), '--holdings', path.join(SAMPLE, 'holdings.csv')];
const BENCH_ARGS = ['--benchmark', path.join(SAMPLE, 'sp500_index.csv')];

// `ballast check`/`ballast size` with --json (check exits 3 on a rejection, with the JSON on stdout).
function cliTrading(cmd, args) {
  try {
    return JSON.parse(execFileSync(CLI, [cmd, ...args, '--json'], { encoding: 'utf8' }));
  } catch (e) {
    if (e.status === 3 && e.stdout) return JSON.parse(e.stdout);
    throw e;
  }
}

async function readAlerts(page, testid = 'alert') {
  return page.$$eval(`[data-testid="${testid}"]`, (els) => els.map((e) => ({
    kind: e.dataset.kind, severity: e.dataset.severity, subject: e.dataset.subject,
    figure: Number(e.dataset.figure), limit: Number(e.dataset.limit), text: e.innerText,
  })));
}

function compareAlerts(shown, json, label) {
  assert(shown.length === json.length, `${label}: ${shown.length} alerts shown, CLI has ${json.length}`);
  json.forEach((a, i) => {
    const s = shown[i];
    assert(s.kind === a.kind.toLowerCase() && s.severity === a.severity.toLowerCase() && s.subject === a.subject,
      `${label}: alert ${i} is ${s.kind}/${s.severity}/${s.subject}, CLI ${a.kind}/${a.severity}/${a.subject}`);
    assert(close(s.figure, a.figure, CLI_AGREEMENT_REL_TOL) && close(s.limit, a.limit, CLI_AGREEMENT_REL_TOL),
      `${label}: alert ${i} figure ${s.figure} / limit ${s.limit} vs CLI ${a.figure} / ${a.limit}`);
    assert(s.text.includes(a.message), `${label}: alert ${i} does not show the message "${a.message}"`);
  });
}

// Wait until the alerts panel shows `n` alerts of a kind (the limits apply at once).
async function waitAlertKind(page, kind, n) {
  await page.waitForFunction(([k, m]) => document.querySelectorAll(`[data-testid="alert"][data-kind="${k}"]`).length === m,
    [kind, n], { timeout: 5000 });
}

async function openSizing(page) {
  await page.goto(srv.url);
  await waitReady(page);
  await showPage(page, 'sizing');
  await page.waitForSelector('[data-testid="size-results"], [data-testid="size-error"]', { timeout: 10000 });
}

async function sizeCell(page, testid, row = 0) {
  return Number(await page.locator(`[data-testid="size-row"]`).nth(row).locator(`[data-testid="${testid}"]`).getAttribute('data-value'));
}

async function waitSize(page, testid, value) {
  await page.waitForFunction(([id, v]) => {
    const c = document.querySelector(`[data-testid="size-row"] [data-testid="${id}"]`);
    return c && Math.abs(Number(c.dataset.value) - v) < 1e-9 * Math.max(1, Math.abs(v));
  }, [testid, value], { timeout: 5000 });
}

async function waitVerdict(page, approved) {
  await page.waitForFunction((a) => document.querySelector('[data-testid="pt-verdict"]')?.dataset.approved === String(a), approved, { timeout: 10000 });
}

await test('Overview: alerts panel, heat map and sectors for the sample equal the CLI (ballast check --alerts-only)', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(srv.url);
  await waitReady(page);
  const json = cliTrading('check', [...TRADE_ARGS, '--alerts-only']);
  await page.waitForSelector('[data-testid="alerts-panel"]', { timeout: 5000 });
  const alerts = await readAlerts(page);
  assert(alerts.length > 0, 'the sample shows no alert (the CLI has some)');
  compareAlerts(alerts, json.alerts, 'sample');
  for (const a of alerts) assert(['info', 'warning', 'critical', 'halt'].includes(a.severity), `unknown severity ${a.severity}`);
  // Badges are coloured by severity.
  const colours = await page.$$eval('[data-testid="alert"] .badge', (bs) => bs.map((b) => getComputedStyle(b).backgroundColor));
  assert(new Set(colours).size === new Set(alerts.map((a) => a.severity)).size, `badge colours ${colours} do not follow the severities`);
  const tiles = await page.$$eval('[data-testid="heat-tile"]', (ts) => ts.map((t) => ({ symbol: t.dataset.symbol, score: Number(t.dataset.score),
    exposure: Number(t.dataset.exposure), risk: Number(t.dataset.risk), bg: t.style.background, text: t.innerText })));
  const cliTiles = json.heat_map.positions;
  assert(tiles.length === cliTiles.length && tiles.length === 20, `${tiles.length} heat tiles, CLI ${cliTiles.length}`);
  cliTiles.forEach((c, i) => {
    const t = tiles[i];
    assert(t.symbol === c.symbol, `tile ${i} is ${t.symbol}, CLI ${c.symbol} (hottest first)`);
    assert(close(t.score, c.score, CLI_AGREEMENT_REL_TOL) && close(t.exposure, c.exposure_pct, CLI_AGREEMENT_REL_TOL) && close(t.risk, c.risk_pct, 1e-9),
      `${c.symbol}: score ${t.score} exposure ${t.exposure} risk ${t.risk} vs CLI ${c.score} ${c.exposure_pct} ${c.risk_pct}`);
    assert(t.text.includes(c.symbol) && /of value/.test(t.text) && /of risk/.test(t.text) && /heat \d\.\d\d/.test(t.text), `tile text: ${t.text}`);
    assert(t.score >= 0 && t.score <= 1, `${c.symbol}: score ${t.score} outside [0, 1]`);
  });
  assert(new Set(tiles.map((t) => t.bg)).size > 5, 'the tiles are not coloured by their scores');
  const formula = await page.locator('[data-testid="heat-formula"]').innerText();
  assert(formula.includes('heat = 0.6 × exposure%/30 + 0.4 × risk%/30, capped at 1'), `formula: ${formula}`);
  const sectors = await page.$$eval('[data-testid="sector-row"]', (rs) => rs.map((r) => [r.dataset.sector, Number(r.dataset.weight), r.dataset.concentrated]));
  assert(sectors.length === json.heat_map.sectors.length, `${sectors.length} sectors, CLI ${json.heat_map.sectors.length}`);
  json.heat_map.sectors.forEach((c, i) => assert(sectors[i][0] === c.sector && close(sectors[i][1], c.weight, CLI_AGREEMENT_REL_TOL) && sectors[i][2] === String(c.concentrated),
    `sector ${i}: ${sectors[i]} vs CLI ${c.sector} ${c.weight} ${c.concentrated}`));
  const callouts = await page.$$eval('[data-testid="heat-callout"]', (cs) => cs.map((c) => c.innerText));
  assert(JSON.stringify(callouts) === JSON.stringify(json.heat_map.callouts), `callouts ${JSON.stringify(callouts)} vs CLI ${JSON.stringify(json.heat_map.callouts)}`);
  assert(callouts.some((c) => /BAC, JPM move together/.test(c)), 'the BAC/JPM cluster is not called out');
  console.log(`     alerts + heat map computed in ${await page.evaluate(() => document.body.dataset.limitsMs)} ms in the browser (${alerts.length} alerts, ${tiles.length} tiles)`);
  const panel = page.locator('[data-testid="alerts-panel"]');
  await panel.scrollIntoViewIfNeeded();
  const box = await panel.boundingBox();
  const heat = await page.locator('[data-testid="risk-heat"]').boundingBox();
  await page.screenshot({ path: path.join(SHOTS, 'overview-limits-1280.png'), clip: { x: 0, y: box.y - 10, width: 1280, height: heat.y + heat.height - box.y + 20 }, fullPage: true });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('Limits: a 5% position warning adds position alerts (as the CLI), a refused level keeps the old value, reset removes them', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(srv.url);
  await waitReady(page);
  const before = await readAlerts(page);
  assert(before.every((a) => a.kind !== 'position'), 'the sample already has position alerts');
  await page.click('[data-testid="goto-limits"]');
  await page.waitForSelector('section[data-testid="page-sizing"]:not([hidden]) [data-testid="limits-editor"]', { timeout: 5000 });
  // The link lands on the editor (scrolled into view).
  await page.waitForFunction(() => {
    const r = document.querySelector('[data-testid="limits-editor"]').getBoundingClientRect();
    return r.top >= -1 && r.top < window.innerHeight;
  }, null, { timeout: 5000 });
  await setInput(page, 'limit-position_warning', '5');
  const json = cliTrading('check', [...TRADE_ARGS, '--alerts-only', '--limit-position', '0.05:0.3']);
  const nPos = json.alerts.filter((a) => a.kind === 'Position').length;
  assert(nPos > 5, `the CLI has only ${nPos} position alerts at 5%`);
  await showPage(page, 'overview');
  await waitAlertKind(page, 'position', nPos);
  compareAlerts(await readAlerts(page), json.alerts, 'position warning 5%');
  assert(/position 5% \/ 30%/.test(await page.locator('[data-testid="alerts-panel"]').innerText()), 'the limits line does not show the new level');
  // A warning above the critical level is refused: explained, and the old value stays.
  await showPage(page, 'sizing');
  await setInput(page, 'limit-position_warning', '40');
  const err = page.locator('[data-testid="limit-position_warning-error"]');
  await err.waitFor({ state: 'visible', timeout: 5000 });
  assert(/above the position_critical level 30%/.test(await err.innerText()), `refusal: ${await err.innerText()}`);
  assert(await page.inputValue('input[data-testid="limit-position_warning"]') === '5', 'the refused value stayed in the input');
  await setInput(page, 'limit-var_limit', 'abc');
  await page.locator('[data-testid="limit-var_limit-error"]').waitFor({ state: 'visible', timeout: 5000 });
  assert(await page.inputValue('input[data-testid="limit-var_limit"]') === '2', 'the refused VaR limit stayed in the input');
  await page.click('button[data-testid="limits-reset"]');
  await page.waitForFunction(() => document.querySelector('input[data-testid="limit-position_warning"]')?.value === '20', null, { timeout: 5000 });
  assert(await page.locator('[data-testid="limit-position_warning-error"], [data-testid="limit-var_limit-error"]').count() === 0, 'refusals stayed after the reset');
  await showPage(page, 'overview');
  await waitAlertKind(page, 'position', 0);
  compareAlerts(await readAlerts(page), before.length ? cliTrading('check', [...TRADE_ARGS, '--alerts-only']).alerts : [], 'after reset');
  // A tighter VaR limit makes the VaR alert critical.
  await showPage(page, 'sizing');
  await setInput(page, 'limit-var_limit', '1.5');
  await showPage(page, 'overview');
  await page.waitForSelector('[data-testid="alert"][data-kind="var"][data-severity="critical"]', { timeout: 5000 });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('Sizing calculator: the worked example (risk 100, multiple 2, ATR 5 → 10 shares; ATR 20 → 2.5), the ATR source, a new symbol, Kelly as the CLI', async () => {
  const { context, page, errors } = await newPage(browser);
  await openSizing(page);
  // The data's ATR (close-to-close: the sample has closes only), as the CLI's.
  const src = page.locator('[data-testid="atr-source"]');
  assert(await src.getAttribute('data-source') === 'close_to_close', `ATR source ${await src.getAttribute('data-source')}`);
  assert(/closes only/.test(await src.innerText()), `the ATR source is not said: ${await src.innerText()}`);
  await setInput(page, 'size-risk-amount', '100');
  const cliAtr = cliTrading('size', [...TRADE_ARGS, '--method', 'atr', '--symbol', 'AAPL', '--risk-amount', '100'])[0];
  await waitSize(page, 'size-risk', 100);
  assert(close(await sizeCell(page, 'size-shares'), cliAtr.shares, CLI_AGREEMENT_REL_TOL), `ATR shares ${await sizeCell(page, 'size-shares')} vs CLI ${cliAtr.shares}`);
  // The worked example.
  await setInput(page, 'size-atr-multiple', '2');
  await setInput(page, 'size-atr', '5');
  await waitSize(page, 'size-shares', 10);
  assert(await sizeCell(page, 'size-whole') === 10, 'whole shares ≠ 10');
  assert(Math.abs(await sizeCell(page, 'size-risk') - 100) < 1e-9, 'risk ≠ 100');
  assert(/using your ATR/.test(await src.innerText()), 'a typed ATR is not said');
  await setInput(page, 'size-atr', '20');
  await waitSize(page, 'size-shares', 2.5);
  assert(await sizeCell(page, 'size-whole') === 2, 'whole shares of 2.5 ≠ 2');
  console.log(`     sizing (ATR): ${await page.evaluate(() => document.body.dataset.sizingMs)} ms in the browser`);
  // A binding cap is named: buying power $200.
  await setInput(page, 'size-buying-power', '200');
  await page.waitForFunction(() => /buying power/.test(document.querySelector('[data-testid="size-capped"]')?.dataset.value || ''), null, { timeout: 5000 });
  await setInput(page, 'size-buying-power', '');
  // A new symbol with a typed price and ATR.
  await page.selectOption('select[data-testid="size-symbol"]', '__new__');
  await page.fill('input[data-testid="size-new-symbol"]', 'acme');
  await page.locator('input[data-testid="size-new-symbol"]').dispatchEvent('change');
  await setInput(page, 'size-new-price', '50');
  await setInput(page, 'size-new-atr', '2');
  await waitSize(page, 'size-shares', 25);
  assert(await page.locator('[data-testid="size-row"]').getAttribute('data-symbol') === 'ACME', 'the new symbol is not named');
  assert(await src.getAttribute('data-source') === 'typed', 'the typed ATR is not said');
  // Kelly on AAPL without the account caps equals the CLI.
  await page.selectOption('select[data-testid="size-symbol"]', 'AAPL');
  await page.selectOption('select[data-testid="size-method"]', 'kelly');
  await setInput(page, 'size-max-position', '');
  await setInput(page, 'size-cash', '');
  const kelly = cliTrading('size', [...TRADE_ARGS, '--method', 'kelly', '--symbol', 'AAPL', '--kelly-fraction', '0.5', '--kelly-cap', '0.25'])[0];
  await waitSize(page, 'size-shares', kelly.shares);
  assert(await page.locator('[data-testid="size-capped"]').getAttribute('data-value') === kelly.capped_by, `Kelly cap ${await page.locator('[data-testid="size-capped"]').getAttribute('data-value')} vs CLI ${kelly.capped_by}`);
  assert(/f\* = 1\.50/.test(await page.locator('[data-testid="size-detail"]').innerText()), 'no Kelly detail');
  // Every method gives a result or a reason, never a blank.
  for (const m of ['fixed_fractional', 'fixed_amount', 'var_budget', 'vol_target', 'risk_budget']) {
    await page.selectOption('select[data-testid="size-method"]', m);
    await page.waitForSelector('[data-testid="size-row"], [data-testid="size-error"]', { timeout: 5000 });
    const rows = await page.locator('[data-testid="size-row"]').count();
    assert(rows >= 1, `${m}: no result (${await page.locator('[data-testid="sizing-calc"]').innerText()})`);
    if (m === 'vol_target' || m === 'risk_budget') assert(rows === 20, `${m}: ${rows} rows`);
  }
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('Pre-trade check: a large buy is REJECTED with a position reason naming the symbol; the suggested size is APPROVED (both as the CLI)', async () => {
  const { context, page, errors } = await newPage(browser);
  await openSizing(page);
  await waitVerdict(page, true);
  await page.selectOption('select[data-testid="pt-symbol"]', 'AAPL');
  await setInput(page, 'pt-quantity', '5000');
  await waitVerdict(page, false);
  assert(await page.locator('[data-testid="pt-verdict"]').innerText() === 'REJECTED', 'the verdict does not say REJECTED');
  const reasons = await page.$$eval('[data-testid="pt-reason"]', (rs) => rs.map((r) => [r.dataset.kind, r.innerText]));
  const pos = reasons.find((r) => r[0] === 'position');
  assert(pos && /AAPL/.test(pos[1]) && /30% critical position limit/.test(pos[1]), `no position reason naming AAPL: ${JSON.stringify(reasons)}`);
  const json = cliTrading('check', [...TRADE_ARGS, '--side', 'buy', '--quantity', '5000', '--symbol', 'AAPL']);
  assert(json.approved === false, 'the CLI approves');
  const kinds = { Position: 'position', Sector: 'sector', Cluster: 'cluster', Var: 'var', Leverage: 'leverage', BuyingPower: 'buying_power', Halted: 'halted' };
  assert(JSON.stringify(reasons.map((r) => r[0])) === JSON.stringify(json.reasons.map((r) => kinds[r.kind])), `reasons ${reasons.map((r) => r[0])} vs CLI ${json.reasons.map((r) => r.kind)}`);
  json.reasons.forEach((r, i) => assert(reasons[i][1] === r.message, `reason ${i}: "${reasons[i][1]}" vs CLI "${r.message}"`));
  const suggested = Number(await page.locator('[data-testid="pt-suggested"]').getAttribute('data-value'));
  console.log(`     pre-trade check of 5000 AAPL with the suggested-size search: ${await page.evaluate(() => document.body.dataset.pretradeMs)} ms in the browser`);
  assert(suggested === json.suggested_quantity && suggested > 0 && suggested < 5000, `suggested ${suggested} vs CLI ${json.suggested_quantity}`);
  for (const [k, key] of [['weight', null], ['var', 'var_1d'], ['volatility', 'volatility'], ['gross_leverage', 'gross_leverage'], ['cash', 'cash']]) {
    const row = page.locator(`[data-testid="pt-${k}"]`);
    const after = Number(await row.getAttribute('data-after'));
    const cliAfter = key ? json.after[key] : json.after.weights.find((w) => w[0] === 'AAPL')[1];
    assert(close(after, cliAfter, 1e-9), `${k} after: ${after} vs CLI ${cliAfter}`);
  }
  await page.screenshot({ path: path.join(SHOTS, 'pretrade-rejected-1280.png'), clip: await page.locator('[data-testid="pretrade"]').boundingBox(), fullPage: true });
  await page.click('button[data-testid="pt-use-suggested"]');
  await waitVerdict(page, true);
  assert(await page.inputValue('input[data-testid="pt-quantity"]') === String(suggested), 'the suggested size is not in the quantity field');
  assert(await page.locator('[data-testid="pt-reason"]').count() === 0, 'reasons remain after approval');
  console.log(`     pre-trade check of ${suggested} AAPL (approved): ${await page.evaluate(() => document.body.dataset.pretradeMs)} ms in the browser`);
  const ok = cliTrading('check', [...TRADE_ARGS, '--side', 'buy', '--quantity', String(suggested), '--symbol', 'AAPL']);
  assert(ok.approved === true, 'the CLI rejects the suggested size');
  // A stop gives the money at risk; a sell of more than the holding (a short) is checked too.
  await setInput(page, 'pt-stop', '120');
  await page.waitForSelector('[data-testid="pt-stop-risk"]', { timeout: 5000 });
  assert(await page.locator('[data-testid="pt-stop-risk"]').getAttribute('data-value') !== '', 'no stop risk');
  await setInput(page, 'pt-stop', '');
  await page.selectOption('select[data-testid="pt-side"]', 'sell');
  await setInput(page, 'pt-quantity', '100');
  await waitVerdict(page, true);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('Sizing page: leverage and margin and the hedges equal the CLI; screenshots', async () => {
  const { context, page, errors } = await newPage(browser);
  await openSizing(page);
  const json = cliTrading('check', [...TRADE_ARGS, ...BENCH_ARGS, '--side', 'buy', '--quantity', '1', '--symbol', 'KO', '--hedge-instrument', 'KO']);
  for (const [k, key] of [['gross', 'gross'], ['net', 'net'], ['equity', 'equity'], ['gross_leverage', 'gross_leverage'], ['margin_use', 'margin_use'], ['excess', 'excess_margin']]) {
    const v = Number(await page.locator(`[data-testid="exp-${k}"]`).getAttribute('data-value'));
    assert(close(v, json.exposure[key], CLI_AGREEMENT_REL_TOL), `exposure ${k}: ${v} vs CLI ${json.exposure[key]}`);
  }
  assert(/none/.test(await page.locator('[data-testid="exp-call_fall"]').innerText()), 'the sample (no borrowing) shows a margin-call fall');
  // The margin use follows the editable maintenance rate (25% → 50%: twice the use).
  await setInput(page, 'margin-maintenance', '50');
  await page.waitForFunction((u) => Math.abs(Number(document.querySelector('[data-testid="exp-margin_use"]')?.dataset.value) - u) < 1e-9,
    2 * json.exposure.margin_use, { timeout: 5000 });
  const beta = Number(await page.locator('[data-testid="hedge-ratio"] td[data-which="beta"]').getAttribute('data-value'));
  assert(close(beta, json.hedge.beta.ratio, 1e-9), `beta hedge ratio ${beta} vs CLI ${json.hedge.beta.ratio}`);
  const vr = Number(await page.locator('[data-testid="hedge-variance_reduction"] td[data-which="beta"]').getAttribute('data-value'));
  assert(close(vr, json.hedge.beta.variance_reduction, 1e-9), `variance reduction ${vr} vs CLI ${json.hedge.beta.variance_reduction}`);
  await page.selectOption('select[data-testid="hedge-instrument"]', 'KO');
  await page.waitForFunction(() => /KO/.test(document.querySelector('[data-testid="hedge-table"] thead')?.innerText || ''), null, { timeout: 5000 });
  const mv = Number(await page.locator('[data-testid="hedge-ratio"] td[data-which="mv"]').getAttribute('data-value'));
  assert(close(mv, json.hedge.min_variance.ratio, 1e-9), `minimum-variance ratio with KO ${mv} vs CLI ${json.hedge.min_variance.ratio}`);
  const units = Number(await page.locator('[data-testid="hedge-units"] td[data-which="mv"]').getAttribute('data-value'));
  assert(close(units, json.hedge.min_variance.units, 1e-9), `KO units ${units} vs CLI ${json.hedge.min_variance.units}`);
  await page.screenshot({ path: path.join(SHOTS, 'sizing-1280.png'), fullPage: true });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

await test('Overview and Sizing page at phone width (390 px): no horizontal overflow, screenshots', async () => {
  const { context, page, errors } = await newPage(browser, { width: 390, height: 844 });
  await page.goto(srv.url);
  await waitReady(page);
  await page.waitForSelector('[data-testid="heat-tile"]', { timeout: 5000 });
  let overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 1, `overview is ${overflow}px wider than the phone viewport`);
  await page.screenshot({ path: path.join(SHOTS, 'overview-limits-390.png'), fullPage: true });
  await showPage(page, 'sizing');
  await page.waitForSelector('[data-testid="size-results"]', { timeout: 5000 });
  await setInput(page, 'pt-quantity', '5000');
  await waitVerdict(page, false);
  overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 1, `sizing page is ${overflow}px wider than the phone viewport`);
  await page.screenshot({ path: path.join(SHOTS, 'sizing-390.png'), fullPage: true });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
});

// Further suites live in their own files (tests/e2e/suites/*.mjs, run in name order); each
// exports `default async function (t)` and receives the shared harness below.
const harness = { browser, srv, test, assert, close, newPage, waitReady, showPage, canvasDrawn, setInput,
  waitMcDone, chartsDrawn, readMetrics, compareWithCli, cli, optCount, waitOpt, waitFrontier, ROOT, DIST, SHOTS, FIX, SAMPLE, CLI,
  CLI_AGREEMENT_REL_TOL, READY_TIMEOUT_MS, METRIC_KEYS };
const SUITES = path.join(ROOT, 'tests', 'e2e', 'suites');
for (const f of (fs.existsSync(SUITES) ? fs.readdirSync(SUITES) : []).filter((f) => f.endsWith('.mjs')).sort()) {
  const suite = await import(path.join(SUITES, f));
  await suite.default(harness);
}

await test('every request stays on the app origin and under its sub-path', async () => {
  const foreign = srv.requests.filter((u) => !u.startsWith('/ballast/'));
  assert(foreign.length === 0, `requests outside /ballast/: ${foreign.join(', ')}`);
});

await browser.close();
await srv.close();
console.log(`\n${results.length - failures.length} passed, ${failures.length} failed; screenshots in ${path.relative(ROOT, SHOTS)}/`);
process.exit(failures.length ? 1 : 0);
