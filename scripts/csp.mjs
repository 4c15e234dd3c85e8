// Trunk post_build hook (see Trunk.toml): writes the Content-Security-Policy meta tag into the
// staged index.html. trunk inlines a `<script type="module">` loader whose text names the hashed
// file names, so the policy allows that script by its sha256, computed here on every build.
// Fails the build (exit 1) when there is no inline script, no `<meta charset>`, or the file
// cannot be read or written.
//
// Under `trunk serve`, trunk also appends its live-reload script inline and rewrites it when
// serving (it puts the host into it), so no hash made here could match: that script is moved to
// `trunk-autoreload.js` (an own-origin file, allowed by 'self') with the host and base path
// worked out in the browser. `trunk build` (scripts/serve.sh, the tests, GitHub Pages) has no
// such script.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

function fail(message) {
  console.error(`scripts/csp.mjs: ${message}`);
  process.exit(1);
}

// Each directive and why (a meta tag cannot carry frame-ancestors, report-uri or sandbox; a host
// may send the same policy as a header and add those).
function policy(hashes) {
  return [
    // Anything not named below: the app's own origin only (no third-party host anywhere).
    "default-src 'self'",
    // The app's scripts (own origin), trunk's inline loader by hash, and WebAssembly
    // compilation ('wasm-unsafe-eval' allows WebAssembly only, not JavaScript eval).
    `script-src 'self' 'wasm-unsafe-eval' ${hashes.map((h) => `'sha256-${h}'`).join(' ')}`,
    // Web workers are started from a blob: URL of code downloaded once at start-up
    // (src/worker_job.rs), so a cancelled job's new worker makes no request.
    "worker-src 'self' blob:",
    // fetch() of the sample, the worker's code and trunk's preloads: own origin only (under
    // `trunk serve`, its live-reload WebSocket to the same host is 'self' too).
    "connect-src 'self'",
    // The favicon is `data:,`; blob: for images made in the page.
    "img-src 'self' data: blob:",
    // The stylesheet, and the `style` attributes the views set (heat-map colours, bars).
    "style-src 'self' 'unsafe-inline'",
    // No web fonts from elsewhere (the app uses the system's fonts).
    "font-src 'self'",
    // No plugins.
    "object-src 'none'",
    // No <base> may redirect the relative URLs the app relies on.
    "base-uri 'none'",
    // The app has no form that submits anywhere.
    "form-action 'none'",
  ].join('; ');
}

// The HTML parser turns CR LF and lone CR into LF before a script's text is hashed.
function sha256(text) {
  return crypto.createHash('sha256').update(text.replace(/\r\n?/g, '\n'), 'utf8').digest('base64');
}

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) fail('TRUNK_STAGING_DIR is not set: run me as a trunk post_build hook');
const file = path.join(staging, 'index.html');
let html;
try {
  html = fs.readFileSync(file, 'utf8');
} catch (e) {
  fail(`cannot read ${file}: ${e.message}`);
}

// A policy from an earlier run is replaced, never doubled.
html = html.replace(/<meta\s+http-equiv=["']?Content-Security-Policy["']?[^>]*>\s*/gi, '');

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const hasSrc = (attrs) => /\bsrc\s*=/i.test(attrs);

// trunk serve's live-reload script → an own-origin file.
html = html.replace(SCRIPT, (whole, attrs, body) => {
  if (hasSrc(attrs) || !body.includes('{{__TRUNK_ADDRESS__}}')) return whole;
  const js = '(() => {\nconst __base = new URL(".", document.currentScript.src).pathname;\n'
    + body.replace(/(['"`])\{\{__TRUNK_ADDRESS__\}\}\1/g, 'window.location.host')
      .replace(/(['"`])\{\{__TRUNK_WS_BASE__\}\}\1/g, '__base')
    + '\n})();\n';
  try {
    fs.writeFileSync(path.join(staging, 'trunk-autoreload.js'), js);
  } catch (e) {
    fail(`cannot write trunk-autoreload.js: ${e.message}`);
  }
  const base = process.env.TRUNK_PUBLIC_URL || '/';
  return `<script src="${base.endsWith('/') ? base : base + '/'}trunk-autoreload.js"></script>`;
});

const hashes = [];
for (const m of html.matchAll(SCRIPT)) {
  if (!hasSrc(m[1])) hashes.push(sha256(m[2]));
}
if (hashes.length === 0) fail(`no inline script in ${file}: trunk's loader script is missing, so there is nothing to allow by hash`);

const charset = html.match(/<meta\s+charset\s*=[^>]*>/i);
if (!charset) fail(`no <meta charset> in ${file}`);
const at = charset.index + charset[0].length;
const csp = policy([...new Set(hashes)]);
const meta = `\n    <meta http-equiv="Content-Security-Policy" content="${csp}" />`;
html = html.slice(0, at) + meta + html.slice(at);

try {
  fs.writeFileSync(file, html);
  if (!fs.readFileSync(file, 'utf8').includes(csp)) throw new Error('the policy is not in the file after writing');
} catch (e) {
  fail(`cannot write ${file}: ${e.message}`);
}
console.log(`scripts/csp.mjs: Content-Security-Policy written to ${file} (${hashes.length} inline script${hashes.length === 1 ? '' : 's'})`);
