// Privacy (issue 7): no network request after the page has loaded, whatever the user does, and
// a Content-Security-Policy that allows only the app's own origin and that nothing violates.
import crypto from 'node:crypto';

export default async function (t) {
  const { browser, srv, test, assert, newPage, waitReady, showPage, setInput, waitMcDone, chartsDrawn, optCount, waitOpt, waitFrontier } = t;

  async function waitWorkerReady(page) {
    await page.waitForFunction(() => document.body.dataset.workerReady === '1', null, { timeout: t.READY_TIMEOUT_MS });
  }

  // Risk page: the Monte Carlo to the end, a long run cancelled, a rerun, and a changed
  // analysis parameter (which runs it again).
  async function monteCarlo(page, analyses) {
    await showPage(page, 'risk');
    await waitMcDone(page);
    await setInput(page, 'mc-paths', '1000000');
    await page.click('button[data-testid="mc-run"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="mc-panel"]')?.dataset.phase === 'running', null, { timeout: 10000, polling: 20 });
    await page.click('button[data-testid="mc-cancel"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="mc-panel"]')?.dataset.phase === 'cancelled', null, { timeout: 5000 });
    await setInput(page, 'mc-paths', '20000');
    await page.click('button[data-testid="mc-run"]');
    await waitMcDone(page);
    await setInput(page, 'horizon', '5');
    await waitReady(page, analyses + 1);
    await waitMcDone(page);
    return analyses + 1;
  }

  // Optimise page: the optimisation and its frontier, another objective, a frontier cancelled
  // and restarted.
  async function optimise(page) {
    await showPage(page, 'optimize');
    await waitOpt(page, 0);
    await waitFrontier(page);
    const n = await optCount(page);
    await page.selectOption('select[data-testid="opt-objective"]', 'min_variance');
    await waitOpt(page, n);
    await page.selectOption('select[data-testid="frontier-kind"]', 'mean_cvar');
    await page.waitForFunction(() => {
      const p = document.querySelector('[data-testid="frontier-panel"]');
      return p && p.dataset.phase === 'running' && Number(p.dataset.done) >= 1;
    }, null, { timeout: 30000, polling: 20 });
    await page.click('button[data-testid="frontier-cancel"]');
    await waitFrontier(page, 'cancelled', 5000);
    await setInput(page, 'frontier-points', '6');
    await waitFrontier(page, 'done', 120000);
  }

  await test('privacy: no network request after load (Monte Carlo, cancel, rerun, parameters, Optimise, frontier cancel, every page)', async () => {
    const { context, page, errors } = await newPage(browser);
    // Every request the browser makes, from the page and from its workers (Chromium reports a
    // dedicated worker's requests to its page and context; both are recorded, deduplicated by
    // the request object). blob: and data: URLs are read from memory, not the network, so they
    // are left out: Playwright does report each new worker's blob: script as a request (seen in
    // Chromium 156). The server's own log is checked too.
    const seen = new Set();
    const log = [];
    const record = (r) => {
      if (seen.has(r)) return;
      seen.add(r);
      if (/^(blob|data):/.test(r.url())) return;
      let from = 'worker';
      try { if (r.frame()) from = 'page'; } catch { /* a worker's request has no frame */ }
      log.push(`${r.method()} ${r.url()} (${r.resourceType()}, ${from})`);
    };
    context.on('request', record);
    page.on('request', record);
    let workers = 0;
    page.on('worker', () => { workers++; });
    await page.goto(srv.url);
    await waitReady(page, 1);
    await waitWorkerReady(page);
    const timing = await page.evaluate(() => ({ ready: document.body.dataset.workerReadyMs, prefetch: document.body.dataset.workerPrefetchMs }));
    console.log(`     ${log.length} requests while loading; worker code ready ${timing.ready} ms after navigation (prefetch ${timing.prefetch} ms)`);
    log.length = 0;
    const serverBefore = srv.requests.length;
    const workersBefore = workers;

    let analyses = await monteCarlo(page, 1);
    await optimise(page);
    await showPage(page, 'correlation');
    await chartsDrawn(page, ['chart-heatmap']);
    await showPage(page, 'sizing');
    await page.waitForSelector('[data-testid="size-results"]', { timeout: 5000 });
    await showPage(page, 'data');
    await page.waitForSelector('table[data-testid="holdings-table"]', { timeout: 5000 });
    await page.fill('input[data-testid="risk-free"]', '2');
    await page.locator('input[data-testid="risk-free"]').dispatchEvent('change');
    await waitReady(page, ++analyses);
    for (const p of ['overview', 'drawdowns', 'performance']) await showPage(page, p);
    await page.waitForTimeout(500);

    const started = workers - workersBefore;
    const server = srv.requests.slice(serverBefore);
    console.log(`     ${started} workers started after load; requests after load: ${log.length} seen by the browser, ${server.length} by the server`);
    assert(started >= 4, `only ${started} workers were started: the test did not exercise cancelling`);
    assert(log.length === 0, `requests after load:\n       ${log.join('\n       ')}`);
    assert(server.length === 0, `the server saw requests after load: ${server.join(', ')}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    await context.close();
  });

  await test('privacy: worker code that cannot be loaded at start-up is reported by the job, nothing else breaks', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.route('**/worker_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto(srv.url);
    await waitReady(page, 1);
    await page.waitForFunction(() => document.body.dataset.workerReady === 'error', null, { timeout: t.READY_TIMEOUT_MS });
    await showPage(page, 'risk');
    await page.waitForFunction(() => document.querySelector('[data-testid="mc-panel"]')?.dataset.phase === 'failed', null, { timeout: 10000 });
    const status = await page.locator('[data-testid="mc-status"]').innerText();
    assert(/could not be loaded/.test(status) && /worker_bg\.wasm/.test(status) && /HTTP 404/.test(status), `status: ${status}`);
    // The rest of the app works.
    const m = await t.readMetrics(page);
    assert(Number.isFinite(Number(m.sharpe.value)), 'no Sharpe ratio');
    // The browser logs the 404 itself; nothing else may fail.
    const unexpected = errors.filter((e) => !/status of 404/.test(e));
    assert(unexpected.length === 0, `console errors: ${unexpected.join(' | ')}`);
    await context.close();
  });

  await test('CSP meta present and nothing violates it (every page, worker jobs)', async () => {
    // The served index.html: the policy comes right after <meta charset>, allows only 'self'
    // (plus blob:/data: where said) and names the hash of each inline script.
    const html = await (await fetch(srv.url)).text();
    const m = html.match(/<meta charset="utf-8" \/>\s*<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
    assert(m, 'no Content-Security-Policy meta tag right after <meta charset>');
    const csp = m[1];
    console.log(`     CSP: ${csp}`);
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert(JSON.stringify(directives['default-src']) === JSON.stringify(["'self'"]), `default-src is ${directives['default-src']}`);
    for (const [k, values] of Object.entries(directives)) {
      for (const v of values) {
        assert(/^'[^']+'$/.test(v) || v === 'blob:' || v === 'data:', `${k} allows a host or scheme other than 'self': ${v}`);
        assert(!/unsafe-eval'$|^'strict-dynamic'$/.test(v) || v === "'wasm-unsafe-eval'", `${k} allows ${v}`);
      }
    }
    assert(!(directives['script-src'] || []).includes("'unsafe-inline'"), "script-src allows 'unsafe-inline'");
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((s) => !/\bsrc=/.test(s[1]));
    assert(inline.length >= 1, 'no inline script in index.html');
    for (const s of inline) {
      const h = `'sha256-${crypto.createHash('sha256').update(s[2]).digest('base64')}'`;
      assert(directives['script-src'].includes(h), `script-src lacks the inline script's hash ${h}`);
    }

    const { context, page, errors } = await newPage(browser);
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    await page.goto(srv.url);
    await waitReady(page, 1);
    await waitWorkerReady(page);
    await showPage(page, 'risk');
    await waitMcDone(page);
    await showPage(page, 'drawdowns');
    await showPage(page, 'performance');
    await chartsDrawn(page, ['chart-perf-equity']);
    await showPage(page, 'correlation');
    await chartsDrawn(page, ['chart-heatmap']);
    await showPage(page, 'optimize');
    await waitOpt(page, 0);
    await waitFrontier(page);
    await showPage(page, 'sizing');
    await page.waitForSelector('[data-testid="size-results"]', { timeout: 5000 });
    await showPage(page, 'data');
    await showPage(page, 'overview');
    await page.waitForSelector('[data-testid="heat-tile"]', { timeout: 5000 });
    const violations = await page.evaluate(() => window.__cspViolations);
    assert(violations.length === 0, `CSP violations: ${violations.join(' | ')}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    // The policy is enforced (and the listener works): an inline script added to the page
    // (no hash in the policy) is refused. (A string eval inside page.evaluate is no test: code
    // run through DevTools is exempt.)
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true;';
      document.head.appendChild(s);
    });
    await page.waitForFunction(() => window.__cspViolations.length >= 1, null, { timeout: 5000 });
    const after = await page.evaluate(() => ({ ran: window.__inlineRan === true, violations: window.__cspViolations }));
    assert(!after.ran, 'an inline script without a hash ran: the policy is not enforced');
    assert(/script-src/.test(after.violations[0]), `unexpected violation: ${after.violations[0]}`);
    await context.close();
  });
}
