// The demo page in real Chromium (Debian's, driven by playwright-core): served on
// 127.0.0.1, it routes a case from the form, re-decides when a rule is edited, and draws
// one bar per ranked grid of a simulated month. Saves a screenshot.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const gridgov = require('../pkg-node/gridgov.js');

const ROOT = path.resolve(__dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** The README's web-page example, as a page of its own. */
function readmeExample() {
  const readme = fs.readFileSync(path.resolve(ROOT, '..', 'README.md'), 'utf8');
  const section = readme.split('## From a web page (WASM)')[1] ?? '';
  const match = section.match(/```html\n([\s\S]*?)```/);
  if (!match) throw new Error('the README has no html example in its web page section');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>${match[1]}</body></html>`;
}

/** A static file server for wasm/ on 127.0.0.1 (an ephemeral port), plus the README's
 * example at /readme.html. */
function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/readme.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end(readmeExample());
      return;
    }
    const file = path.resolve(ROOT, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(ROOT + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const available = fs.existsSync(CHROMIUM);
if (!available && process.env.CI) {
  throw new Error(`Chromium is required in CI and is missing at ${CHROMIUM}`);
}

test('the demo page routes, re-decides on a rule edit, and charts the ranking', { skip: !available && `no Chromium at ${CHROMIUM}` }, async () => {
  const { chromium } = require('playwright-core');
  const server = await serve();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gridgov-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    const { port } = server.address();
    await page.goto(`http://127.0.0.1:${port}/www/index.html`);
    await page.waitForSelector('#status[data-ready="1"]', { timeout: 30000 });

    // The organisation: counts per level and a tree that opens.
    assert.equal(await page.textContent('#org-counts tr[data-kind="grid"] .num'), '150');
    await page.click('#org-tree summary[data-id="fs-c01"]');
    await page.waitForSelector('#org-tree summary[data-id="fs-c01-x01"]');

    // A neighbour dispute of 3 people stays in the grid under the default rules.
    await page.selectOption('#f-category', 'neighbour_dispute');
    await page.selectOption('#f-location', 'fs-c01-g02-m1');
    await page.fill('#f-people', '3');
    await page.fill('#f-amount', '2000');
    await page.fill('#f-repeat', '0');
    await page.selectOption('#f-channel', 'hotline');
    await page.fill('#f-time', '2026-03-02T09:15');
    await page.waitForFunction(() => document.getElementById('decision').dataset.level === 'grid');
    assert.match(await page.textContent('#d-rule'), /routing \/ dispute-grid/);
    assert.match(await page.textContent('#d-handler'), /fs-gw002 · grid_worker/);
    assert.equal(await page.textContent('#d-due'), '2026-03-05 17:30:00 (UTC+8)');
    const expected = gridgov.Engine.fushan().route({
      id: 'demo-1', channel: 'hotline', category: 'neighbour_dispute', location: 'fs-c01-g02-m1',
      reported_at: '2026-03-02T09:15:00+08:00', people_involved: 3, amount_yuan: '2000', repeat_count: 0,
    });
    assert.equal(await page.textContent('#d-why'), expected.rule.why);

    // Edit the thresholds: disputes of 3 or more people go to the community, at once.
    await page.fill('tr[data-row="dispute-grid"] input[data-side="when"][data-column="people_involved"]', '< 3');
    await page.fill('tr[data-row="dispute-community-people"] input[data-side="when"][data-column="people_involved"]', '[3..30)');
    await page.waitForFunction(() => document.getElementById('decision').dataset.level === 'community');
    assert.match(await page.textContent('#d-rule'), /dispute-community-people/);
    // A condition that does not read is reported, and the last good rules stay in force.
    await page.fill('tr[data-row="dispute-grid"] input[data-side="when"][data-column="people_involved"]', '< three');
    await page.waitForSelector('#rules-error:not([hidden])');
    assert.match(await page.textContent('#rules-error'), /three/);
    assert.equal(await page.getAttribute('#decision', 'data-level'), 'community');
    await page.click('#rules-reset');
    await page.waitForFunction(() => document.getElementById('decision').dataset.level === 'grid');

    // The simulated month: one bar per ranked grid, as the core ranks them.
    const bars = await page.locator('#ranking rect.bar').count();
    const report = gridgov.Engine.fushan().score(gridgov.Engine.fushan().simulateMonth(2026, 3, 3000, 2026), { month: '2026-03' });
    assert.equal(bars, report.grids.length);
    assert.equal(await page.getAttribute('#ranking', 'data-grids'), String(report.grids.length));
    const first = await page.getAttribute('#ranking rect.bar >> nth=0', 'data-grid');
    assert.equal(first, report.grids.find((g) => g.rank === 1).id);
    assert.equal(await page.locator('#ranking rect.bar.red').count(), report.red_list.length);
    assert.equal(await page.locator('#ranking rect.bar.black').count(), report.black_list.length);

    // The map: one path per micro-grid, from the core's GeoJSON.
    assert.equal(await page.locator('#map path.mg').count(), 382);
    assert.equal(await page.getAttribute('#map', 'data-micro-grids'), '382');
    // Clicking inside fs-c01-g01-m1 picks it for the form, through the core's locate.
    await page.locator('#map path.mg[data-unit="fs-c01-g01-m1"]').click();
    await page.waitForFunction(() => document.getElementById('f-location').value === 'fs-c01-g01-m1');
    assert.equal(await page.getAttribute('#map-picked', 'data-micro-grid'), 'fs-c01-g01-m1');
    assert.equal(await page.getAttribute('#map path.mg.picked', 'data-unit'), 'fs-c01-g01-m1');
    assert.match(await page.textContent('#d-unit'), /fs-c01-g01/);
    // The month's cases shade the micro-grids: each carries its count, as the ledger has them.
    const month = gridgov.Engine.fushan().simulateMonth(2026, 3, 3000, 2026);
    const perUnit = new Map();
    for (const c of month.state().cases) perUnit.set(c.location, (perUnit.get(c.location) ?? 0) + 1);
    const shaded = await page.$$eval('#map path.mg', (ps) => ps.map((p) => [p.dataset.unit, Number(p.dataset.cases)]));
    assert.equal(shaded.reduce((n, [, k]) => n + k, 0), 3000);
    for (const [unit, n] of shaded) assert.equal(n, perUnit.get(unit) ?? 0, unit);
    const busiest = [...perUnit.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const fill = await page.getAttribute(`#map path.mg[data-unit="${busiest}"]`, 'fill');
    assert.equal(fill, 'rgb(180, 60, 50)', 'the busiest micro-grid is the darkest');

    // The README's ten-line example runs as written.
    const logged = [];
    page.on('console', (m) => logged.push(m.text()));
    await page.goto(`http://127.0.0.1:${port}/readme.html`);
    await page.waitForFunction(() => document.body.textContent.startsWith('grid fs-gw002 2026-03-05T17:30:00+08:00'));
    assert.ok(logged.some((t) => t.startsWith('case_invalid')), logged.join('\n'));
    await page.goto(`http://127.0.0.1:${port}/www/index.html`);
    await page.waitForSelector('#status[data-ready="1"]', { timeout: 30000 });

    fs.mkdirSync(path.join(__dirname, 'screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(__dirname, 'screenshots', 'demo.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(profile, { recursive: true, force: true });
  }
});
