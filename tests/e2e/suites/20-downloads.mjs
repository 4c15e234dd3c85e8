// Downloads (issue 7): CSV and JSON of every table, PNG of every chart. Every visible table has
// its two buttons and every canvas its PNG button, on every page; the files equal what the tables
// show (numbers are the cells' data-value); a PNG is a real PNG of the canvas's size; a download
// makes no network request; nothing logs an error.
import fs from 'node:fs';
import path from 'node:path';

const PAGES = ['overview', 'risk', 'drawdowns', 'performance', 'correlation', 'optimize', 'sizing', 'data'];
// The formula guard of the CSV export (crates/core/src/export.rs).
const RISKY = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// The file name's id part (export::sanitize_id, for ASCII ids).
const fileId = (id) => id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'table';

export default async function (t) {
  const { browser, srv, test, assert, newPage, waitReady, showPage, waitMcDone, chartsDrawn, waitOpt, waitFrontier, SHOTS } = t;

  // Show a page and wait for what it computes.
  async function open(page, name) {
    await showPage(page, name);
    if (name === 'risk') await waitMcDone(page);
    if (name === 'optimize') { await waitOpt(page, 0); await waitFrontier(page); }
    if (name === 'sizing') await page.waitForSelector('[data-testid="size-results"]', { timeout: 10000 });
    if (name === 'correlation') await chartsDrawn(page, ['chart-heatmap']);
    if (name === 'overview') await page.waitForSelector('[data-testid="sector-exposure-table"]', { timeout: 5000 });
    await page.waitForTimeout(150);
  }

  // The visible tables and canvases of a page and their download buttons.
  async function inventory(page, name) {
    return page.evaluate((n) => {
      const section = document.querySelector(`section[data-testid="page-${n}"]`);
      const visible = (el) => el.checkVisibility({ checkVisibilityCSS: true, contentVisibilityAuto: true });
      const ids = (sel) => [...section.querySelectorAll(sel)].filter(visible).map((e) => e.dataset.testid || '');
      return {
        tables: ids('table'),
        canvases: ids('canvas'),
        csv: ids('button[data-testid^="dl-csv-"]').map((s) => s.slice(7)),
        json: ids('button[data-testid^="dl-json-"]').map((s) => s.slice(8)),
        png: ids('button[data-testid^="dl-png-"]').map((s) => s.slice(7)),
        labels: [...section.querySelectorAll('button[data-testid^="dl-"]')].filter(visible).map((b) => b.getAttribute('aria-label') || ''),
      };
    }, name);
  }

  // What a table shows, read independently of the app: header names (thead cells' data-value or
  // text) and, per body row, each cell's data-value (when it has one) or its text.
  async function shown(page, id) {
    return page.evaluate((i) => {
      const table = document.querySelector(`table[data-testid="${i}"]`);
      // Text as the downloads read it: a space around every element, buttons left out, form
      // fields by their value, white space collapsed.
      const text = (node) => {
        let s = '';
        for (const ch of node.childNodes) {
          if (ch.nodeType === Node.TEXT_NODE) s += ch.nodeValue;
          else if (ch.nodeType === Node.ELEMENT_NODE) {
            const tag = ch.tagName.toLowerCase();
            if (['button', 'script', 'style', 'template'].includes(tag)) s += '  ';
            else if (['input', 'select', 'textarea'].includes(tag)) s += ` ${ch.value} `;
            else s += ` ${text(ch)} `;
          }
        }
        return s;
      };
      const norm = (s) => s.replace(/\s+/g, ' ').trim();
      const value = (c) => (c.hasAttribute('data-value') ? { raw: true, v: c.getAttribute('data-value').trim() } : { raw: false, v: norm(text(c)) });
      const head = table.tHead ? [...table.tHead.rows[0].cells].map((c) => value(c).v) : [];
      const rows = [...table.rows].filter((r) => r.parentElement.tagName !== 'THEAD' && !r.hidden).map((r) => [...r.cells].map(value));
      return { head, rows };
    }, id);
  }

  // RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
  function parseCsv(text) {
    const records = [];
    let rec = [], field = '', quoted = false, i = 0;
    while (i < text.length) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
        if (ch === '"') { quoted = false; i++; continue; }
        field += ch; i++; continue;
      }
      if (ch === '"') { quoted = true; i++; continue; }
      if (ch === ',') { rec.push(field); field = ''; i++; continue; }
      if (ch === '\r' && text[i + 1] === '\n') { rec.push(field); records.push(rec); rec = []; field = ''; i += 2; continue; }
      assert(ch !== '\n', `bare LF outside quotes at ${i}`);
      field += ch; i++;
    }
    assert(field === '' && rec.length === 0, 'the CSV does not end with CRLF');
    return records;
  }

  function uniqueHeader(head, width) {
    const base = Array.from({ length: width }, (_, i) => (head[i] || '').trim() || `column_${i + 1}`);
    const out = [];
    base.forEach((name, i) => {
      if (!out.includes(name)) { out.push(name); return; }
      let k = 2;
      while (out.includes(`${name}_${k}`) || base.slice(i + 1).includes(`${name}_${k}`)) k++;
      out.push(`${name}_${k}`);
    });
    return out;
  }

  // Click a download button and read the file; no request may leave the tab meanwhile (the
  // file is a blob: URL made in the page).
  async function download(page, testid) {
    const requests = [];
    const onRequest = (r) => requests.push(r.url());
    page.on('request', onRequest);
    try {
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), page.click(`button[data-testid="${testid}"]`)]);
      const file = await dl.path();
      assert(file, `${testid}: the download failed (${await dl.failure()})`);
      const network = requests.filter((u) => !/^(blob|data):/.test(u));
      assert(network.length === 0, `${testid}: the download made requests: ${network.join(', ')}`);
      return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file), url: dl.url() };
    } finally {
      page.off('request', onRequest);
    }
  }

  // Download a table as CSV and JSON and compare both with what it shows.
  async function checkTable(page, id) {
    const { head, rows } = await shown(page, id);
    assert(rows.length > 0, `${id}: no rows to compare`);
    const width = Math.max(head.length, ...rows.map((r) => r.length));

    const csv = await download(page, `dl-csv-${id}`);
    assert(csv.name === `ballast-${fileId(id)}.csv`, `${id}: CSV file name ${csv.name}`);
    assert(/^blob:/.test(csv.url), `${id}: CSV from ${csv.url}, not a blob: URL`);
    const records = parseCsv(csv.bytes.toString('utf8'));
    assert(records.length === rows.length + 1, `${id}: CSV has ${records.length} lines for ${rows.length} rows`);
    const guard = (s) => (RISKY.test(s) && !NUMBER.test(s) ? `'${s}` : s);
    assert(JSON.stringify(records[0]) === JSON.stringify(Array.from({ length: width }, (_, i) => guard(head[i] || ''))),
      `${id}: CSV header ${JSON.stringify(records[0])} vs shown ${JSON.stringify(head)}`);
    rows.forEach((r, k) => {
      const rec = records[k + 1];
      assert(rec.length === width, `${id}: CSV line ${k + 2} has ${rec.length} fields, not ${width}`);
      r.forEach((c, j) => assert(rec[j] === guard(c.v), `${id}: CSV row ${k + 1} column ${j + 1}: ${JSON.stringify(rec[j])} vs shown ${JSON.stringify(c.v)}`));
    });

    const json = await download(page, `dl-json-${id}`);
    assert(json.name === `ballast-${fileId(id)}.json`, `${id}: JSON file name ${json.name}`);
    const data = JSON.parse(json.bytes.toString('utf8'));
    assert(Array.isArray(data) && data.length === rows.length, `${id}: JSON has ${data.length} records for ${rows.length} rows`);
    const keys = uniqueHeader(head, width);
    let numbers = 0;
    data.forEach((obj, k) => {
      assert(JSON.stringify(Object.keys(obj)) === JSON.stringify(keys), `${id}: JSON keys ${JSON.stringify(Object.keys(obj))} vs ${JSON.stringify(keys)}`);
      rows[k].forEach((c, j) => {
        const got = obj[keys[j]];
        if (c.v === '') assert(got === null, `${id}: row ${k + 1} ${keys[j]} is ${JSON.stringify(got)}, not null`);
        else if (NUMBER.test(c.v)) {
          assert(typeof got === 'number' && got === Number(c.v), `${id}: row ${k + 1} ${keys[j]} is ${JSON.stringify(got)}, the cell's data-value ${c.v}`);
          numbers++;
        } else assert(got === c.v, `${id}: row ${k + 1} ${keys[j]} is ${JSON.stringify(got)}, shown ${JSON.stringify(c.v)}`);
      });
    });
    return { rows: rows.length, columns: width, numbers };
  }

  // A PNG download of a canvas: the signature, and the IHDR size equal to the canvas's.
  async function checkPng(page, id) {
    const size = await page.evaluate((i) => { const c = document.querySelector(`canvas[data-testid="${i}"]`); return { w: c.width, h: c.height }; }, id);
    const png = await download(page, `dl-png-${id}`);
    assert(png.name === `ballast-${fileId(id)}.png`, `${id}: PNG file name ${png.name}`);
    assert(/^blob:/.test(png.url), `${id}: PNG from ${png.url}, not a blob: URL`);
    const b = png.bytes;
    assert(b.length > 1000 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${id}: not a PNG`);
    assert(b.toString('latin1', 12, 16) === 'IHDR', `${id}: no IHDR chunk first`);
    const w = b.readUInt32BE(16), h = b.readUInt32BE(20);
    assert(w === size.w && h === size.h, `${id}: PNG ${w}×${h}, canvas ${size.w}×${size.h}`);
    return `${w}×${h}, ${b.length} bytes`;
  }

  await test('downloads: every visible table has CSV and JSON buttons and every chart a PNG button, on every page', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(srv.url);
    await waitReady(page);
    const counts = [];
    for (const name of PAGES) {
      await open(page, name);
      const inv = await inventory(page, name);
      assert(inv.tables.every((id) => id !== ''), `${name}: a table has no data-testid`);
      assert(new Set(inv.tables).size === inv.tables.length, `${name}: two tables share a data-testid: ${inv.tables}`);
      const sorted = (a) => JSON.stringify([...a].sort());
      assert(sorted(inv.csv) === sorted(inv.tables), `${name}: tables ${inv.tables} but CSV buttons for ${inv.csv}`);
      assert(sorted(inv.json) === sorted(inv.tables), `${name}: tables ${inv.tables} but JSON buttons for ${inv.json}`);
      assert(inv.png.length === inv.canvases.length && sorted(inv.png) === sorted(inv.canvases), `${name}: canvases ${inv.canvases} but PNG buttons for ${inv.png}`);
      assert(inv.labels.every((l) => /^Download .+ as (CSV|JSON|a PNG image)$/.test(l)), `${name}: a button without a proper aria-label: ${inv.labels}`);
      counts.push(`${name} ${inv.tables.length} tables / ${inv.canvases.length} charts`);
      if (name === 'risk') await page.screenshot({ path: path.join(SHOTS, 'downloads-risk-1280.png'), fullPage: true });
    }
    console.log(`     ${counts.join(' · ')}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    await context.close();
  });

  await test('downloads: CSV and JSON of the VaR, figures, weights, diversification and holdings tables equal what they show', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(srv.url);
    await waitReady(page);
    const seen = [];
    const check = async (id) => { const r = await checkTable(page, id); seen.push(`${id} ${r.rows}×${r.columns} (${r.numbers} numbers)`); return r; };

    await open(page, 'risk');
    let r = await check('var-table');
    assert(r.rows === 7 && r.numbers >= 28, `VaR table: ${JSON.stringify(r)}`);
    // The VaR cells' raw numbers are the rows' data-var / data-cvar.
    const json = JSON.parse((await download(page, 'dl-json-var-table')).bytes.toString('utf8'));
    const rowsVar = await page.$$eval('[data-testid="var-table"] tbody tr', (trs) => trs.map((tr) => [Number(tr.dataset.var), Number(tr.dataset.cvar)]));
    json.forEach((o, k) => assert(o.VaR === rowsVar[k][0] && o.CVaR === rowsVar[k][1], `VaR row ${k + 1}: ${JSON.stringify(o)} vs ${rowsVar[k]}`));
    await check('decomposition-table');

    await open(page, 'performance');
    const figId = await page.$eval('section[data-testid="page-performance"] table[data-testid^="figures-"]', (t) => t.dataset.testid);
    r = await check(figId);
    assert(r.numbers >= r.rows, `${figId}: ${JSON.stringify(r)}`);
    await check('monthly-table');

    await open(page, 'correlation');
    await check('diversification');

    await open(page, 'optimize');
    r = await check('opt-weights');
    const weights = JSON.parse((await download(page, 'dl-json-opt-weights')).bytes.toString('utf8'));
    const shownWeights = await page.$$eval('[data-testid="opt-weight-row"]', (trs) => trs.map((tr) => [tr.dataset.symbol, Number(tr.dataset.weight)]));
    shownWeights.forEach(([s, w], k) => assert(weights[k].Asset === s && weights[k].Target === w, `weights row ${k + 1}: ${JSON.stringify(weights[k])} vs ${s} ${w}`));
    assert(weights.at(-1).Asset === 'Total', 'the total row is not the last record');

    await open(page, 'data');
    await check('holdings-table');

    // Odd tables (the holdings table edited in place): no <thead>, a colspan, text a spreadsheet
    // would run as a formula, then no rows at all. Nothing fails; formulas are guarded.
    await page.evaluate(() => {
      const table = document.querySelector('table[data-testid="holdings-table"]');
      table.tHead.remove();
      const tr = table.tBodies[0].insertRow(-1);
      tr.innerHTML = '<td colspan="2">=HYPERLINK("http://x")</td><td>-x</td><td data-value="-0.5">-50%</td><td>@a</td><td>plain, "quoted"\nline</td>';
    });
    const odd = parseCsv((await download(page, 'dl-csv-holdings-table')).bytes.toString('utf8'));
    assert(JSON.stringify(odd[0]) === JSON.stringify(['', '', '', '', '', '']), `no-thead CSV header ${JSON.stringify(odd[0])}`);
    assert(JSON.stringify(odd.at(-1)) === JSON.stringify(['\'=HYPERLINK("http://x")', '', '\'-x', '-0.5', '\'@a', 'plain, "quoted" line']),
      `odd CSV row ${JSON.stringify(odd.at(-1))}`);
    const oddJson = JSON.parse((await download(page, 'dl-json-holdings-table')).bytes.toString('utf8'));
    assert(JSON.stringify(oddJson.at(-1)) === JSON.stringify({ column_1: '=HYPERLINK("http://x")', column_2: null, column_3: '-x', column_4: -0.5, column_5: '@a', column_6: 'plain, "quoted" line' }),
      `odd JSON record ${JSON.stringify(oddJson.at(-1))}`);
    await page.evaluate(() => { for (const r of [...document.querySelector('table[data-testid="holdings-table"]').rows]) r.remove(); });
    const empty = await download(page, 'dl-csv-holdings-table');
    assert(empty.bytes.length === 0, `an empty table gives a CSV of ${empty.bytes.length} bytes`);
    const emptyJson = JSON.parse((await download(page, 'dl-json-holdings-table')).bytes.toString('utf8'));
    assert(Array.isArray(emptyJson) && emptyJson.length === 0, `an empty table gives JSON ${JSON.stringify(emptyJson)}`);
    console.log(`     ${seen.join(' · ')}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    await context.close();
  });

  await test('downloads: PNG of the equity curve and of the frontier is the canvas at its size; the click selects no frontier point', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(srv.url);
    await waitReady(page);
    const drawn = await t.canvasDrawn(page, 'chart-equity');
    assert(drawn.ok, `chart-equity looks blank: ${JSON.stringify(drawn)}`);
    const a = await checkPng(page, 'chart-equity');
    await open(page, 'optimize');
    await chartsDrawn(page, ['chart-frontier']);
    const b = await checkPng(page, 'chart-frontier');
    assert(await page.locator('[data-testid="frontier-selected"]').count() === 0, 'the PNG click selected a frontier point');
    assert(await page.locator('[data-testid="opt-target"]').getAttribute('data-source') === 'optimised', 'the target changed after the PNG click');
    console.log(`     chart-equity ${a}; chart-frontier ${b}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    await context.close();
  });

  await test('downloads: at phone width (390 px) the buttons fit, no page overflows', async () => {
    const { context, page, errors } = await newPage(browser, { width: 390, height: 844 });
    await page.goto(srv.url);
    await waitReady(page);
    for (const name of PAGES) {
      await open(page, name);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(overflow <= 1, `${name} page is ${overflow}px wider than the phone viewport`);
      const outside = await page.evaluate((n) => [...document.querySelectorAll(`section[data-testid="page-${n}"] .dl-btn`)]
        .filter((b) => b.getClientRects().length > 0)
        .filter((b) => { const r = b.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth + 0.5; })
        .map((b) => b.dataset.testid), name);
      assert(outside.length === 0, `${name}: buttons outside the viewport: ${outside}`);
      if (name === 'risk') await page.screenshot({ path: path.join(SHOTS, 'downloads-risk-390.png'), fullPage: true });
    }
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    await context.close();
  });
}
