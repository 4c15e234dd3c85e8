// Browser timings for the issue budgets: release wasm size (raw and gzipped) and the time from
// navigation until the sample portfolio is fully rendered (figures and both charts), median of
// 5 fresh browser contexts. Needs dist/ built with --public-url /ballast/ (as scripts/test.sh does).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { startServer } from '../tests/e2e/server.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DIST = process.env.BALLAST_DIST || path.join(ROOT, 'dist');

for (const f of fs.readdirSync(DIST).filter((f) => f.endsWith('.wasm') || f.endsWith('.js'))) {
  const buf = fs.readFileSync(path.join(DIST, f));
  const gz = zlib.gzipSync(buf, { level: 9 });
  console.log(`${f}: ${(buf.length / 1024).toFixed(1)} KB raw, ${(gz.length / 1024).toFixed(1)} KB gzipped`);
}
const srv = await startServer(DIST);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const times = [];
for (let i = 0; i < 5; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(srv.url);
  await page.waitForFunction(() => Number(document.body.dataset.analysisCount || 0) >= 1, null, { timeout: 30000 });
  // performance.now() is measured from the navigation start of this document.
  const ms = await page.evaluate(() => Number(document.body.dataset.readyAtMs || performance.now()));
  times.push(ms);
  await context.close();
}
times.sort((a, b) => a - b);
console.log(`sample fully rendered after navigation: median ${times[2].toFixed(0)} ms (runs: ${times.map((t) => t.toFixed(0)).join(', ')})`);

// The analytics issue's budgets: the whole non-Monte-Carlo suite re-analysed in the browser
// after a parameter change (body data-analyze-ms, timed around the core call), and Monte Carlo
// VaR with 100,000 paths × 20 assets × 10-day horizon in the web worker (all three models,
// worker start-up included).
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(srv.url);
  await page.waitForFunction(() => Number(document.body.dataset.analysisCount || 0) >= 1, null, { timeout: 30000 });
  await page.click('button[data-page="risk"]');
  const suite = [];
  let count = 1;
  for (const conf of ['99', '95', '97.5', '99', '95', '97.5', '99', '95', '97.5']) {
    await page.fill('input[data-testid="confidence"]', conf);
    await page.locator('input[data-testid="confidence"]').dispatchEvent('change');
    count++;
    await page.waitForFunction((n) => Number(document.body.dataset.analysisCount || 0) >= n, count, { timeout: 30000 });
    suite.push(Number(await page.evaluate(() => document.body.dataset.analyzeMs)));
  }
  suite.sort((a, b) => a - b);
  console.log(`whole suite (20 assets x 8312 days) in the browser: median ${suite[4].toFixed(1)} ms (runs: ${suite.map((t) => t.toFixed(1)).join(', ')})`);
  await page.fill('input[data-testid="horizon"]', '10');
  await page.locator('input[data-testid="horizon"]').dispatchEvent('change');
  const mc = [];
  for (let i = 0; i < 3; i++) {
    await page.waitForFunction(() => document.querySelector('[data-testid="mc-panel"]')?.dataset.phase === 'done', null, { timeout: 60000 });
    mc.push(Number(await page.locator('[data-testid="mc-panel"]').getAttribute('data-elapsed-ms')));
    await page.click('button[data-testid="mc-run"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="mc-panel"]')?.dataset.phase === 'running', null, { timeout: 5000 });
  }
  console.log(`Monte Carlo 100,000 paths x 20 assets x 10 days, three models, in the worker: ${mc.map((t) => (t / 1000).toFixed(2)).join(' s, ')} s (${(mc.reduce((a, b) => a + b, 0) / mc.length / 3000).toFixed(2)} s per model on average)`);
  await context.close();
}

// The correlation issue's budget: 500 assets × 2,520 days uploaded; the correlation analysis
// (covariance, correlation, Ledoit-Wolf or sample estimate, clustering, clusters, average
// correlation over time, breakdowns) timed around the core call (body data-correlation-ms).
{
  const dir = fs.mkdtempSync('/tmp/ballast-bench-');
  const file = path.join(dir, 'wide500.csv');
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const n = 500, days = 2521;
  const betas = Array.from({ length: n }, () => 0.5 + rnd());
  const prices = new Array(n).fill(100);
  const lines = ['date,' + Array.from({ length: n }, (_, i) => `A${String(i).padStart(3, '0')}`).join(',')];
  let d = new Date(Date.UTC(2010, 0, 4));
  for (let t = 0; t < days; t++) {
    while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d = new Date(d.getTime() + 86400000);
    if (t > 0) { const m = gauss(); for (let i = 0; i < n; i++) prices[i] *= 1 + 0.0003 + 0.01 * m * betas[i] + 0.015 * gauss(); }
    lines.push(d.toISOString().slice(0, 10) + ',' + prices.map((p) => p.toFixed(4)).join(','));
    d = new Date(d.getTime() + 86400000);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(srv.url);
  await page.waitForFunction(() => Number(document.body.dataset.analysisCount || 0) >= 1, null, { timeout: 30000 });
  await page.click('button[data-page="data"]');
  const t0 = Date.now();
  await page.setInputFiles('input[type=file][data-testid="file-input"]', [file]);
  await page.waitForFunction(() => Number(document.body.dataset.analysisCount || 0) >= 2, null, { timeout: 120000 });
  const total = Date.now() - t0;
  const corr = [Number(await page.evaluate(() => document.body.dataset.correlationMs))];
  await page.click('button[data-page="correlation"]');
  for (const e of ['ledoit_wolf', 'sample', 'ledoit_wolf', 'sample']) {
    const before = Number(await page.evaluate(() => document.querySelector('[data-testid="page-correlation"]')?.dataset.correlationCount || 0));
    await page.selectOption('select[data-testid="estimator"]', e);
    await page.waitForFunction((b) => Number(document.querySelector('[data-testid="page-correlation"]')?.dataset.correlationCount || 0) > b, before, { timeout: 60000 });
    corr.push(Number(await page.evaluate(() => document.body.dataset.correlationMs)));
  }
  console.log(`500 assets x 2520 days: upload to rendered ${total} ms; whole correlation analysis (estimate, clustering, clusters, diversification, correlation over time, breakdowns) ${corr.map((t) => t.toFixed(0)).join(', ')} ms`);
  await context.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

// The optimisation issue's budgets in the browser: a 50-point mean-variance frontier on
// 500 assets × 2,520 days (the 5-factor timing model of the native `cargo bench --bench
// optimize`, as prices: `synthetic_prices 500 2520 factor`), and maximum Sharpe on the same
// data, both timed inside the web worker (panel data-worker-ms, body data-optimize-worker-ms).
{
  const bin = path.join(ROOT, 'target/release/examples/synthetic_prices');
  const file = path.join(fs.mkdtempSync('/tmp/ballast-bench-'), 'factor500.csv');
  if (!fs.existsSync(bin)) {
    execFileSync('cargo', ['build', '--release', '-p', 'ballast-core', '--example', 'synthetic_prices'], { cwd: ROOT, stdio: 'inherit' });
  }
  fs.writeFileSync(file, execFileSync(bin, ['500', '2520', 'factor'], { maxBuffer: 1 << 30 }));
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(srv.url);
  await page.waitForFunction(() => Number(document.body.dataset.analysisCount || 0) >= 1, null, { timeout: 30000 });
  await page.click('button[data-page="data"]');
  await page.setInputFiles('input[type=file][data-testid="file-input"]', [file]);
  await page.waitForFunction(() => Number(document.body.dataset.analysisCount || 0) >= 2, null, { timeout: 120000 });
  await page.click('button[data-page="optimize"]');
  const frontier = [];
  const sharpe = [];
  for (let i = 0; i < 3; i++) {
    await page.waitForFunction(() => {
      const p = document.querySelector('[data-testid="frontier-panel"]');
      return p && p.dataset.phase === 'done' && Number(p.dataset.points || 0) === 50;
    }, null, { timeout: 300000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="page-optimize"]')?.dataset.optStatus === 'done', null, { timeout: 60000 });
    frontier.push(Number(await page.locator('[data-testid="frontier-panel"]').getAttribute('data-worker-ms')));
    sharpe.push(Number(await page.evaluate(() => document.body.dataset.optimizeWorkerMs)));
    const count = Number(await page.locator('[data-testid="frontier-panel"]').getAttribute('data-count') || 0);
    await page.click('button[data-testid="frontier-run"]');
    await page.waitForFunction((c) => Number(document.querySelector('[data-testid="frontier-panel"]')?.dataset.count || 0) > c, count, { timeout: 300000 });
  }
  console.log(`500 assets x 2520 days in the worker: 50-point mean-variance frontier ${frontier.map((t) => (t / 1000).toFixed(2)).join(' s, ')} s; maximum Sharpe (first run, estimates included) ${sharpe[0].toFixed(0)} ms`);
  await context.close();
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

// Issue 7's budgets: the sample's share link (size, time to make it), opening it in a fresh
// context to a rendered page (navigation start → rendered, from performance.now()), and the
// HTML report made in the browser (body data-report-ms, timed around the core call).
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(srv.url);
  await page.waitForFunction(() => Number(document.body.dataset.analysisCount || 0) >= 1, null, { timeout: 30000 });
  const make = [];
  let link = '';
  for (let i = 0; i < 3; i++) {
    await page.click('[data-testid="open-share"]');
    await page.click('[data-testid="share-make"]');
    await page.waitForSelector('[data-testid="share-link"]', { timeout: 30000 });
    link = await page.locator('[data-testid="share-link"]').inputValue();
    make.push(Number(await page.evaluate(() => document.body.dataset.shareMs)));
    await page.click('[data-testid="share-close"]');
  }
  const report = [];
  for (let i = 0; i < 5; i++) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-report"]')]);
    await dl.path();
    report.push(Number(await page.evaluate(() => document.body.dataset.reportMs)));
  }
  await context.close();
  const open = [];
  for (let i = 0; i < 5; i++) {
    const c = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await c.newPage();
    await p.goto(link);
    await p.waitForFunction(() => Number(document.body.dataset.analysisCount || 0) >= 1, null, { timeout: 30000 });
    open.push(Number(await p.evaluate(() => document.body.dataset.readyAtMs)));
    await c.close();
  }
  open.sort((a, b) => a - b);
  report.sort((a, b) => a - b);
  console.log(`sample share link: ${link.length} bytes (budget 1 MB), made in ${make.map((t) => t.toFixed(0)).join(', ')} ms`);
  console.log(`opening the link in a fresh context to a rendered page: median ${open[2].toFixed(0)} ms (budget 2000; runs: ${open.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(`HTML report of the sample in the browser: median ${report[2].toFixed(0)} ms (budget 1000; runs: ${report.map((t) => t.toFixed(0)).join(', ')})`);
}

await browser.close();
await srv.close();
