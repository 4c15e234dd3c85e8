// Issue 7: share links, the saved workspace, workspace files, the report, and user text shown
// as text. Every check goes through the built app as a user would.
import fs from 'node:fs';
import path from 'node:path';

// Budgets (reported, not asserted: performance lives in the timing script and the note).
const LINK_BUDGET_BYTES = 1024 * 1024;
const XSS = '<img src=x onerror=alert(1)>';

export default async function (t) {
  const { browser, srv, test, assert, newPage, waitReady, showPage, setInput, waitMcDone, SHOTS, FIX } = t;

  // Every raw number shown on the open page (cells and cards carry `data-value`, VaR rows
  // `data-var`/`data-cvar`), keyed by test id and position.
  async function snapshot(page) {
    return page.evaluate(() => {
      const out = {};
      const root = document.querySelector('main');
      const seen = {};
      for (const el of root.querySelectorAll('[data-value], [data-var], [data-cvar]')) {
        if (el.closest('[hidden]')) continue;
        const id = el.dataset.testid || el.tagName.toLowerCase();
        seen[id] = (seen[id] || 0) + 1;
        out[`${id}#${seen[id]}`] = [el.dataset.value, el.dataset.var, el.dataset.cvar].join('|');
      }
      return out;
    });
  }

  function sameSnapshot(a, b, label) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    const diff = [...keys].filter((k) => a[k] !== b[k]);
    assert(Object.keys(a).length > 10, `${label}: only ${Object.keys(a).length} figures found`);
    assert(diff.length === 0, `${label}: ${diff.length} figures differ, e.g. ${diff.slice(0, 5).map((k) => `${k}: ${a[k]} vs ${b[k]}`).join('; ')}`);
  }

  async function openPage(page) {
    return page.evaluate(() => document.querySelector('button.tab.active')?.dataset.page);
  }

  async function makeLink(page, passphrase = '') {
    await page.click('[data-testid="open-share"]');
    await page.waitForSelector('[data-testid="share-dialog"]');
    if (passphrase) await page.fill('[data-testid="share-passphrase"]', passphrase);
    await page.click('[data-testid="share-make"]');
    await page.waitForSelector('[data-testid="share-link"]', { timeout: 20000 });
    const link = await page.locator('[data-testid="share-link"]').inputValue();
    const bytes = Number(await page.locator('[data-testid="share-size"]').getAttribute('data-bytes'));
    const ms = await page.evaluate(() => document.body.dataset.shareMs);
    await page.click('[data-testid="share-close"]');
    return { link, bytes, ms };
  }

  // The sample with a changed parameter, on the Risk page with the Monte Carlo finished.
  async function preparedRisk(page) {
    await page.goto(srv.url);
    await waitReady(page);
    await showPage(page, 'risk');
    await setInput(page, 'confidence', '99');
    await waitReady(page, 2);
    await waitMcDone(page);
  }

  let shared = null;
  await test('share link: a fresh browser opens the same figures on the same page', async () => {
    const a = await newPage(browser);
    await preparedRisk(a.page);
    const before = await snapshot(a.page);
    const { link, bytes, ms } = await makeLink(a.page);
    assert(link.startsWith(srv.url) && link.includes('#b1.'), `unexpected link ${link.slice(0, 80)}`);
    assert(bytes === link.length, `shown size ${bytes} differs from the link's ${link.length} characters`);
    console.log(`     sample link ${bytes} bytes (budget ${LINK_BUDGET_BYTES}), made in ${ms} ms`);
    assert(bytes <= LINK_BUDGET_BYTES, `the sample's link is ${bytes} bytes, over 1 MB`);
    shared = link;
    assert(a.errors.length === 0, `console errors: ${a.errors.join(' | ')}`);
    await a.context.close();

    const b = await newPage(browser);
    const t0 = Date.now();
    await b.page.goto(link);
    await waitReady(b.page);
    const openMs = Date.now() - t0;
    console.log(`     link opened to a rendered page in ${openMs} ms (budget 2000; decode+compute ${await b.page.evaluate(() => document.body.dataset.openMs)} ms)`);
    assert(await openPage(b.page) === 'risk', `opened on ${await openPage(b.page)}, not risk`);
    assert(await b.page.locator('input[data-testid="confidence"]').inputValue() === '99', 'the confidence did not travel');
    await waitMcDone(b.page);
    sameSnapshot(before, await snapshot(b.page), 'link');
    assert(!(await b.page.evaluate(() => location.hash)), 'the fragment stays in the address bar after opening');
    await b.page.screenshot({ path: path.join(SHOTS, 'share-opened-1280.png') });
    assert(b.errors.length === 0, `console errors: ${b.errors.join(' | ')}`);
    await b.context.close();
  });

  await test('a link over 2 MB offers settings and holdings only, which opens over the recipient\'s own prices', async () => {
    // 220 assets × 2,600 days of seeded random-walk prices: about 5 MB of CSV that compresses
    // poorly (random digits), so the full link is over 2 MB.
    const dir = fs.mkdtempSync('/tmp/ballast-large-');
    let seed = 12345;
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const n = 220, days = 2600;
    const syms = Array.from({ length: n }, (_, i) => `S${String(i).padStart(3, '0')}`);
    const px = syms.map(() => 50 + 100 * rnd());
    const lines = [['date', ...syms].join(',')];
    const d0 = Date.UTC(2015, 0, 1);
    for (let d = 0; d < days; d++) {
      for (let i = 0; i < n; i++) px[i] *= Math.exp(0.02 * (rnd() - 0.5));
      lines.push([new Date(d0 + d * 86400000).toISOString().slice(0, 10), ...px.map((p) => p.toFixed(4))].join(','));
    }
    const prices = path.join(dir, 'big_prices.csv');
    fs.writeFileSync(prices, lines.join('\n'));
    const holdings = path.join(dir, 'big_holdings.csv');
    fs.writeFileSync(holdings, ['Symbol,Quantity', ...syms.map((s, i) => `${s},${10 + i}`)].join('\n'));
    const a = await newPage(browser);
    await a.page.goto(srv.url);
    await waitReady(a.page);
    await showPage(a.page, 'data');
    await a.page.setInputFiles('input[type=file][data-testid="file-input"]', [prices, holdings]);
    await waitReady(a.page, 2);
    await showPage(a.page, 'overview');
    const before = await snapshot(a.page);
    await a.page.click('[data-testid="open-share"]');
    await a.page.click('[data-testid="share-make"]');
    await a.page.waitForSelector('[data-testid="share-large"]', { timeout: 30000 });
    const big = Number(await a.page.locator('[data-testid="share-size"]').getAttribute('data-bytes'));
    assert(big > 2 * 1024 * 1024, `the full link is only ${big} bytes`);
    await a.page.click('[data-testid="share-settings-only"]');
    await a.page.waitForFunction(() => Number(document.querySelector('[data-testid="share-size"]')?.dataset.bytes || 1e9) < 100000, null, { timeout: 30000 });
    const small = await a.page.locator('[data-testid="share-link"]').inputValue();
    assert(!(await a.page.locator('[data-testid="share-large"]').count()), 'the small link is still called large');
    console.log(`     full link ${big} bytes; settings and holdings only ${small.length} bytes`);
    await a.context.close();
    // The recipient has the same prices loaded, then opens the link in the open tab.
    const b = await newPage(browser);
    await b.page.goto(srv.url);
    await waitReady(b.page);
    await showPage(b.page, 'data');
    await b.page.setInputFiles('input[type=file][data-testid="file-input"]', [prices]);
    await waitReady(b.page, 2);
    const count = Number(await b.page.evaluate(() => document.body.dataset.analysisCount));
    await b.page.evaluate((f) => { location.hash = f; }, small.split('#')[1]);
    await waitReady(b.page, count + 1);
    await b.page.waitForSelector('[data-testid="notice"]', { timeout: 10000 });
    assert(/your price data \(big_prices\.csv\) is used/.test(await b.page.locator('[data-testid="notice"]').innerText()), 'the notice does not say whose prices are used');
    assert(await openPage(b.page) === 'overview', 'not on the shared page');
    sameSnapshot(before, await snapshot(b.page), 'settings-and-holdings link');
    assert(a.errors.length === 0 && b.errors.length === 0, `console errors: ${[...a.errors, ...b.errors].join(' | ')}`);
    await b.context.close();
  });

  await test('protected link: asks for the passphrase, a wrong one says so, the right one opens it', async () => {
    const a = await newPage(browser);
    await preparedRisk(a.page);
    const before = await snapshot(a.page);
    const { link } = await makeLink(a.page, 'correct horse');
    assert(link.includes('#b1e.'), 'a protected link is not marked b1e');
    await a.context.close();
    const b = await newPage(browser);
    await b.page.goto(link);
    await b.page.waitForSelector('[data-testid="passphrase-prompt"]', { timeout: 20000 });
    await b.page.screenshot({ path: path.join(SHOTS, 'share-passphrase-1280.png') });
    await b.page.fill('[data-testid="passphrase-input"]', 'wrong horse');
    await b.page.click('[data-testid="passphrase-open"]');
    await b.page.waitForSelector('[data-testid="passphrase-error"]', { timeout: 20000 });
    assert(/passphrase is wrong/i.test(await b.page.locator('[data-testid="passphrase-error"]').innerText()), 'no "wrong passphrase" message');
    await b.page.fill('[data-testid="passphrase-input"]', 'correct horse');
    await b.page.click('[data-testid="passphrase-open"]');
    await b.page.waitForSelector('[data-testid="passphrase-prompt"]', { state: 'detached', timeout: 20000 });
    await b.page.waitForFunction(() => document.querySelector('button.tab.active')?.dataset.page === 'risk', null, { timeout: 10000 });
    await waitMcDone(b.page);
    sameSnapshot(before, await snapshot(b.page), 'protected link');
    console.log(`     key derivation and decryption ${await b.page.evaluate(() => document.body.dataset.decryptMs)} ms`);
    // Once opened, it is this browser's workspace: a reload restores it without the passphrase.
    await b.page.waitForFunction(() => {
      const s = JSON.parse(localStorage.getItem('ballast.v1.settings') || 'null');
      return s && s.page === 'risk' && s.settings.params.confidence === 0.99;
    }, null, { timeout: 10000 });
    await b.page.reload();
    await waitReady(b.page);
    assert(await openPage(b.page) === 'risk', 'reload after a protected link: not on the risk page');
    await waitMcDone(b.page);
    sameSnapshot(before, await snapshot(b.page), 'reload after a protected link');
    assert(b.errors.length === 0, `console errors: ${b.errors.join(' | ')}`);
    await b.context.close();
  });

  await test('malformed links give their message and change nothing (at start-up and in an open tab)', async () => {
    if (!shared) {
      const a = await newPage(browser);
      await a.page.goto(srv.url);
      await waitReady(a.page);
      shared = (await makeLink(a.page)).link;
      await a.context.close();
    }
    const frag = shared.split('#')[1];
    const mid = Math.floor(frag.length / 2);
    const flip = frag.slice(0, mid) + (frag[mid] === 'A' ? 'B' : 'A') + frag.slice(mid + 1);
    const cases = [
      ['truncated', frag.slice(0, mid), /incomplete|cut/i],
      ['bit-flipped', flip, /damaged|checksum/i],
      ['foreign', 'section-2', /not a Ballast workspace/i],
      ['newer version', frag.replace(/^b1\./, 'b9.'), /newer Ballast \(format 9\)/],
    ];
    const { context, page, errors } = await newPage(browser);
    await page.goto(srv.url);
    await waitReady(page);
    await showPage(page, 'drawdowns');
    const before = await snapshot(page);
    const count = await page.evaluate(() => document.body.dataset.analysisCount);
    for (const [name, f, re] of cases) {
      await page.evaluate(() => document.querySelector('[data-testid="error-banner"] .dismiss')?.click());
      await page.evaluate((x) => { location.hash = x; }, f);
      await page.waitForSelector('[data-testid="error-banner"]', { timeout: 10000 });
      const msg = await page.locator('[data-testid="error-banner"] .msg').innerText();
      assert(re.test(msg), `${name}: message "${msg}" does not match ${re}`);
      assert(/Nothing was changed/.test(msg), `${name}: the message does not say nothing changed`);
      assert(await page.evaluate(() => document.body.dataset.analysisCount) === count, `${name}: the analysis was redone`);
      assert(await openPage(page) === 'drawdowns', `${name}: the page changed`);
    }
    sameSnapshot(before, await snapshot(page), 'after bad links');
    await context.close();
    // At start-up: the message, and the sample underneath.
    const s = await newPage(browser);
    await s.page.goto(`${srv.url}#${frag.slice(0, mid)}`);
    await waitReady(s.page);
    await s.page.waitForSelector('[data-testid="error-banner"]', { timeout: 10000 });
    assert(/incomplete/.test(await s.page.locator('[data-testid="error-banner"] .msg').innerText()), 'start-up: no truncation message');
    await s.context.close();
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });

  await test('reload restores the workspace; damaged saved state is set aside with a notice; New workspace asks first', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(srv.url);
    await waitReady(page);
    await showPage(page, 'correlation');
    await page.selectOption('select[data-testid="linkage"]', 'ward').catch(() => {});
    await showPage(page, 'risk');
    await setInput(page, 'horizon', '5');
    await waitReady(page, 2);
    await page.waitForFunction(() => {
      const s = JSON.parse(localStorage.getItem('ballast.v1.settings') || 'null');
      return s && s.page === 'risk' && s.settings.params.horizon === 5;
    }, null, { timeout: 10000 });
    const saves = Number(await page.evaluate(() => document.body.dataset.saveCount));
    await waitMcDone(page);
    const before = await snapshot(page);
    await page.reload();
    await waitReady(page);
    assert(await openPage(page) === 'risk', `reload opened ${await openPage(page)}`);
    assert(await page.locator('input[data-testid="horizon"]').inputValue() === '5', 'the horizon was not restored');
    await waitMcDone(page);
    sameSnapshot(before, await snapshot(page), 'reload');
    assert(saves >= 1, 'never saved');

    // Damaged saved data: set aside, the sample shown, a notice says so.
    await page.evaluate(() => localStorage.setItem('ballast.v1.files', 'b1.AAAA'));
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('ballast.v1.settings'));
      s.settings.is_sample = false;
      localStorage.setItem('ballast.v1.settings', JSON.stringify(s));
    });
    await page.reload();
    await waitReady(page);
    await page.waitForSelector('[data-testid="notice"]', { timeout: 10000 });
    const notice = await page.locator('[data-testid="notice"]').innerText();
    assert(/set aside/.test(notice), `notice: ${notice}`);
    assert(await page.evaluate(() => localStorage.getItem('ballast.v1.set-aside.files')) === 'b1.AAAA', 'the damaged state was not kept aside');
    await page.screenshot({ path: path.join(SHOTS, 'workspace-set-aside-1280.png') });

    // New workspace: cancel keeps, confirm resets to defaults.
    await showPage(page, 'risk');
    await setInput(page, 'horizon', '3');
    await page.click('[data-testid="workspace-menu"]');
    await page.click('[data-testid="new-workspace"]');
    await page.waitForSelector('[data-testid="confirm-new"]');
    await page.click('[data-testid="confirm-new-cancel"]');
    assert(await page.locator('input[data-testid="horizon"]').inputValue() === '3', 'cancel changed the horizon');
    const n = Number(await page.evaluate(() => document.body.dataset.analysisCount));
    await page.click('[data-testid="workspace-menu"]');
    await page.click('[data-testid="new-workspace"]');
    await page.click('[data-testid="confirm-new-yes"]');
    await waitReady(page, n + 1);
    assert(await openPage(page) === 'overview', 'a new workspace opens on the Overview');
    await showPage(page, 'risk');
    assert(await page.locator('input[data-testid="horizon"]').inputValue() === '1', 'the horizon is not back to its default');
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    await context.close();
  });

  await test('a link sets your own saved workspace aside; Restore brings it back (and swaps)', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(srv.url);
    await waitReady(page);
    await showPage(page, 'data');
    await page.setInputFiles('input[type=file][data-testid="file-input"]', [path.join(FIX, 'upload_prices.csv'), path.join(FIX, 'upload_holdings.csv')]);
    await waitReady(page, 2);
    await showPage(page, 'overview');
    await page.waitForFunction(() => Number(document.body.dataset.saveCount || 0) >= 1, null, { timeout: 10000 });
    const own = await snapshot(page);
    const a = await newPage(browser);
    await preparedRisk(a.page);
    const linked = await snapshot(a.page);
    const { link } = await makeLink(a.page);
    await a.context.close();
    let n = Number(await page.evaluate(() => document.body.dataset.analysisCount));
    await page.evaluate((f) => { location.hash = f; }, link.split('#')[1]);
    await waitReady(page, n + 1);
    await page.waitForSelector('[data-testid="notice"]', { timeout: 10000 });
    assert(/previous workspace was set aside/.test(await page.locator('[data-testid="notice"]').innerText()), 'the notice does not mention the set-aside workspace');
    await waitMcDone(page);
    sameSnapshot(linked, await snapshot(page), 'the link over an own workspace');
    n = Number(await page.evaluate(() => document.body.dataset.analysisCount));
    await page.click('[data-testid="workspace-menu"]');
    await page.click('[data-testid="restore-aside"]');
    await waitReady(page, n + 1);
    await showPage(page, 'overview');
    sameSnapshot(own, await snapshot(page), 'the restored workspace');
    // The link's workspace is now the one aside; a reload keeps the restored one.
    await page.waitForFunction(() => {
      const s = JSON.parse(localStorage.getItem('ballast.v1.settings') || 'null');
      return s && s.settings.is_sample === false && localStorage.getItem('ballast.v1.files') !== null;
    }, null, { timeout: 10000 });
    await page.reload();
    await waitReady(page);
    await showPage(page, 'overview');
    sameSnapshot(own, await snapshot(page), 'the restored workspace after a reload');
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    await context.close();
  });

  await test('workspace file: export, then open it in a fresh browser; same figures', async () => {
    const a = await newPage(browser);
    await preparedRisk(a.page);
    const before = await snapshot(a.page);
    await a.page.click('[data-testid="workspace-menu"]');
    const [dl] = await Promise.all([a.page.waitForEvent('download'), a.page.click('[data-testid="export-workspace"]')]);
    assert(/^ballast-workspace-\d{4}-\d\d-\d\d\.ballast\.json$/.test(dl.suggestedFilename()), `file name ${dl.suggestedFilename()}`);
    // Kept outside Playwright's artifacts (removed with the context).
    const file = path.join(fs.mkdtempSync('/tmp/ballast-ws-'), dl.suggestedFilename());
    fs.copyFileSync(await dl.path(), file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert(json.format === 'ballast-workspace' && json.version === 1 && /^b1\./.test(json.workspace), 'not a workspace file');
    await a.context.close();
    const b = await newPage(browser);
    await b.page.goto(srv.url);
    await waitReady(b.page);
    await b.page.setInputFiles('input[data-testid="import-workspace-input"]', file);
    await waitReady(b.page, 2);
    await b.page.waitForFunction(() => document.querySelector('button.tab.active')?.dataset.page === 'risk', null, { timeout: 10000 });
    await waitMcDone(b.page);
    sameSnapshot(before, await snapshot(b.page), 'workspace file');
    // Something that is not a workspace file: a message, nothing changed.
    await b.page.setInputFiles('input[data-testid="import-workspace-input"]', path.join(FIX, 'upload_holdings.csv'));
    await b.page.waitForSelector('[data-testid="error-banner"]', { timeout: 10000 });
    assert(/upload_holdings\.csv could not be opened/.test(await b.page.locator('[data-testid="error-banner"] .msg').innerText()), 'no message for a non-workspace file');
    assert(b.errors.length === 0, `console errors: ${b.errors.join(' | ')}`);
    await b.context.close();
  });

  await test('report: every section and an SVG per chart, self-contained, made in the browser', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(srv.url);
    await waitReady(page);
    await showPage(page, 'risk');
    await waitMcDone(page);
    await showPage(page, 'optimize');
    await page.waitForFunction(() => document.querySelector('[data-testid="frontier-panel"]')?.dataset.phase === 'done', null, { timeout: 60000 }).catch(() => {});
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-report"]')]);
    const html = fs.readFileSync(await dl.path(), 'utf8');
    const ms = Number(await page.evaluate(() => document.body.dataset.reportMs));
    console.log(`     report ${html.length} bytes made in ${ms} ms (budget 1000)`);
    for (const id of ['overview', 'risk', 'drawdowns', 'performance', 'correlation', 'optimisation', 'limits', 'parameters', 'provenance']) {
      assert(html.includes(`id="${id}"`), `the report has no ${id} section`);
    }
    const svgs = (html.match(/<svg/g) || []).length;
    assert(svgs >= 10, `only ${svgs} SVG charts`);
    assert(!/<script/i.test(html) && !/\son[a-z]+=/i.test(html), 'the report carries script');
    assert(!/(src|href)=["']?https?:/i.test(html), 'the report loads something from elsewhere');
    assert(/Content-Security-Policy/.test(html), 'the report has no CSP');
    // It opens and shows its charts.
    const r = await context.newPage();
    await r.setContent(html);
    const drawn = await r.evaluate(() => [...document.querySelectorAll('svg')].filter((s) => s.getBoundingClientRect().width > 100).length);
    assert(drawn >= 10, `only ${drawn} charts visible in the opened report`);
    await r.screenshot({ path: path.join(SHOTS, 'report-1280.png') });
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    await context.close();
  });

  await test('a symbol, sector and file name made of HTML show as text everywhere (pages, link, report)', async () => {
    const dir = fs.mkdtempSync('/tmp/ballast-xss-');
    const prices = fs.readFileSync(path.join(FIX, 'upload_prices.csv'), 'utf8').replace(',KO,', ',"' + XSS + '",');
    const holdings = fs.readFileSync(path.join(FIX, 'upload_holdings.csv'), 'utf8')
      .replace(/^KO,500,Consumer Staples$/m, `"${XSS}",500,<b>Staples</b>`);
    assert(prices.includes(XSS) && holdings.includes(XSS), 'fixture rewrite failed');
    const pf = path.join(dir, '<i onmouseover=alert(2)>prices.csv');
    const hf = path.join(dir, 'holdings.csv');
    fs.writeFileSync(pf, prices);
    fs.writeFileSync(hf, holdings);
    const { context, page, errors } = await newPage(browser);
    let dialogs = 0;
    page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
    await page.goto(srv.url);
    await waitReady(page);
    await showPage(page, 'data');
    await page.setInputFiles('input[type=file][data-testid="file-input"]', [pf, hf]);
    await waitReady(page, 2);
    for (const p of ['overview', 'risk', 'drawdowns', 'performance', 'correlation', 'optimize', 'sizing', 'data']) {
      await showPage(page, p);
      await page.waitForTimeout(p === 'optimize' || p === 'risk' ? 1500 : 300);
      const injected = await page.evaluate(() => document.querySelectorAll('main img, main b, main i').length);
      assert(injected === 0, `${p}: user text became HTML elements (${injected})`);
      if (['overview', 'risk', 'data'].includes(p)) {
        const text = await page.evaluate(() => document.querySelector('main').innerText);
        assert(text.includes('<img src=x onerror=alert(1)>'), `${p}: the symbol is not shown as text`);
      }
    }
    await showPage(page, 'overview');
    await page.screenshot({ path: path.join(SHOTS, 'xss-overview-1280.png'), fullPage: false });
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-report"]')]);
    const html = fs.readFileSync(await dl.path(), 'utf8');
    assert(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the report does not show the symbol escaped');
    assert(!html.includes(XSS) && !html.includes('<b>Staples') && !html.includes('<i onmouseover'), 'the report carries user text as HTML');
    const { link } = await makeLink(page);
    const b = await newPage(browser);
    b.page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
    await b.page.goto(link);
    await waitReady(b.page);
    await showPage(b.page, 'overview');
    assert((await b.page.evaluate(() => document.querySelector('main').innerText)).includes(XSS), 'the link lost the symbol');
    assert(await b.page.evaluate(() => document.querySelectorAll('main img, main b, main i').length) === 0, 'the link made HTML of user text');
    assert(dialogs === 0, `${dialogs} alert dialogs opened`);
    assert(errors.length === 0 && b.errors.length === 0, `console errors: ${[...errors, ...b.errors].join(' | ')}`);
    await b.context.close();
    await context.close();
  });
}
