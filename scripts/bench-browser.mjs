// Browser timings for the issue budgets: release wasm size (raw and gzipped) and the time from
// navigation until the sample portfolio is fully rendered (figures and both charts), median of
// 5 fresh browser contexts. Needs dist/ built with --public-url /ballast/ (as scripts/test.sh does).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer } from '../tests/e2e/server.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DIST = path.join(ROOT, 'dist');

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
await browser.close();
await srv.close();
