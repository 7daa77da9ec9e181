// The demo page: every decision comes from the gridgov core compiled to WebAssembly; this
// file only reads the form, draws the answers and edits the rule set as data.
import init, { Engine, validateRules } from '../pkg-web/gridgov.js';

const $ = (id) => document.getElementById(id);

/** Chinese and English names of the organisation's kinds of units. */
const KINDS = {
  subdistrict: ['街道', 'Subdistrict'],
  community: ['社区', 'Community'],
  compound: ['小区', 'Compound'],
  grid: ['网格', 'Grid'],
  micro_grid: ['微网格', 'Micro-grid'],
  building: ['楼栋', 'Building'],
  working_committee: ['街道党工委', 'Party working committee'],
  community_party_committee: ['社区党委', 'Community party committee'],
  grid_party_branch: ['网格党支部', 'Grid party branch'],
  building_party_group: ['楼栋党小组', 'Building party group'],
  lead_household: ['党员中心户', 'Lead party household'],
};
const LEVELS = {
  micro_grid: '微网格 micro-grid',
  grid: '网格 grid',
  community: '社区 community',
  subdistrict: '街道 subdistrict',
  department: '职能部门 department',
};
const CHANNELS = [
  ['visit', '入户走访', 'household visit'],
  ['app', '城市大数据平台 APP', 'governance app'],
  ['hotline', '12345 热线', '12345 hotline'],
  ['petition', '信访', 'petition'],
  ['walk_in', '一站式服务窗口', 'one-stop desk'],
  ['lawyer_desk', '周四律师坐班', 'Thursday lawyer desk'],
];

let base; // the engine with the default rules
let engine; // the engine with the rules as edited
let rules; // the rule set being edited (a plain object)

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function bilingual(zh, en) {
  return [zh, ' ', el('span', { class: 'en', text: en })];
}

// -- organisation --------------------------------------------------------------------

function renderOrg() {
  const { counts } = engine.summary();
  const table = $('org-counts');
  table.replaceChildren(el('tr', {}, el('th', {}, ...bilingual('层级', 'Kind')), el('th', {}, ...bilingual('数量', 'Units'))));
  for (const [kind, n] of Object.entries(counts.units)) {
    if (n === 0) continue;
    const [zh, en] = KINDS[kind] ?? [kind, kind];
    table.append(el('tr', { 'data-kind': kind }, el('td', {}, ...bilingual(zh, en)), el('td', { class: 'num', text: String(n) })));
  }
  table.append(el('tr', {}, el('td', {}, ...bilingual('户数', 'Households')), el('td', { class: 'num', text: String(counts.households) })));
  const tree = $('org-tree');
  tree.replaceChildren(...engine.orgTree().map((root) => treeNode(root, true)));
}

/** A unit as a collapsible node; children are drawn when first opened. */
function treeNode(unit, open = false) {
  const [zh] = KINDS[unit.kind] ?? [unit.kind];
  const label = el('summary', { 'data-id': unit.id },
    el('span', { class: 'kind', text: zh }), ' ', unit.name,
    unit.children ? el('span', { class: 'count', text: ` (${unit.children.length})` }) : '');
  if (!unit.children) {
    return el('div', { class: 'leaf', role: 'treeitem', 'data-id': unit.id },
      el('span', { class: 'kind', text: zh }), ' ', unit.name,
      unit.households ? el('span', { class: 'count', text: ` ${unit.households} 户` }) : '');
  }
  const node = el('details', { role: 'treeitem' }, label);
  const draw = () => {
    if (node.dataset.drawn) return;
    node.dataset.drawn = '1';
    node.append(el('div', { class: 'children', role: 'group' }, ...unit.children.map((c) => treeNode(c))));
  };
  node.addEventListener('toggle', () => node.open && draw());
  if (open) {
    node.open = true;
    draw();
  }
  return node;
}

function microGrids() {
  const out = [];
  const walk = (u, community) => {
    const c = u.kind === 'community' ? u : community;
    if (u.kind === 'micro_grid') out.push({ unit: u, community: c });
    for (const child of u.children ?? []) walk(child, c);
  };
  for (const root of engine.orgTree()) if (root.kind === 'subdistrict') walk(root, null);
  return out;
}

// -- the case form -------------------------------------------------------------------

function fillForm() {
  const cat = $('f-category');
  for (const c of rules.categories) cat.append(el('option', { value: c.id, text: `${c.name} ${c.name_en ?? ''}` }));
  cat.value = 'neighbour_dispute';
  const loc = $('f-location');
  let group = null;
  for (const { unit, community } of microGrids()) {
    if (!group || group.dataset.id !== community.id) {
      group = el('optgroup', { label: community.name, 'data-id': community.id });
      loc.append(group);
    }
    group.append(el('option', { value: unit.id, text: `${unit.name} (${unit.id})` }));
  }
  loc.value = 'fs-c01-g02-m1';
  const ch = $('f-channel');
  for (const [id, zh, en] of CHANNELS) ch.append(el('option', { value: id, text: `${zh} ${en}` }));
  ch.value = 'hotline';
  const flags = $('f-flags');
  for (const f of rules.risk_flags) {
    flags.append(el('label', { class: 'check' }, el('input', { type: 'checkbox', value: f.id, name: 'risk_flags' }), ` ${f.name} `, el('span', { class: 'en', text: f.name_en ?? '' })));
  }
  renderAttributes();
}

/** The per-category attributes the rule set declares as lists, for the chosen category. */
function renderAttributes() {
  const box = $('f-attributes');
  const category = $('f-category').value;
  box.replaceChildren();
  for (const a of rules.attributes ?? []) {
    if (!a.categories?.includes(category) || !Array.isArray(a.values)) continue;
    const select = el('select', { 'data-attribute': a.code, id: `f-attr-${a.code}` });
    if (!a.required) select.append(el('option', { value: '', text: '—' }));
    for (const v of a.values) select.append(el('option', { value: v, text: v }));
    box.append(el('label', {}, a.description ?? a.code, select));
  }
}

function currentCase() {
  const c = {
    id: 'demo-1',
    channel: $('f-channel').value,
    category: $('f-category').value,
    location: $('f-location').value,
    reported_at: `${$('f-time').value.slice(0, 16)}:00+08:00`,
    people_involved: Number($('f-people').value || '1'),
    amount_yuan: ($('f-amount').value || '0').trim(),
    repeat_count: Number($('f-repeat').value || '0'),
  };
  const flags = [...document.querySelectorAll('#f-flags input:checked')].map((i) => i.value);
  if (flags.length) c.risk_flags = flags;
  const attributes = {};
  for (const s of document.querySelectorAll('#f-attributes select')) if (s.value) attributes[s.dataset.attribute] = s.value;
  if (Object.keys(attributes).length) c.attributes = attributes;
  return c;
}

function show(id, text) {
  $(id).textContent = text ?? '—';
}

function decide() {
  const error = $('d-error');
  try {
    const d = engine.route(currentCase(), true);
    error.hidden = true;
    $('decision').dataset.level = d.level;
    show('d-level', LEVELS[d.level] ?? d.level);
    show('d-unit', d.unit ? `${d.unit_name} (${d.unit})` : '—');
    show('d-handler', d.handler ? `${d.handler} · ${d.handler_role}` : '—');
    show('d-office', [d.office, ...d.co_offices].filter(Boolean).join('、') || '—');
    show('d-limit', d.time_limit);
    show('d-due', d.due.replace('T', ' ').replace('+08:00', ' (UTC+8)'));
    show('d-grade', d.grade);
    show('d-rule', `${d.rule.table} / ${d.rule.row} · ${d.version}`);
    show('d-why', d.rule.why);
    show('d-flags', d.flags.join('、') || '—');
    $('d-trace').replaceChildren(...d.trace.map((t) => el('li', { text: t })));
  } catch (e) {
    $('decision').dataset.level = '';
    for (const id of ['d-level', 'd-unit', 'd-handler', 'd-office', 'd-limit', 'd-due', 'd-grade', 'd-rule', 'd-why', 'd-flags']) show(id, '—');
    $('d-trace').replaceChildren();
    error.hidden = false;
    error.textContent = `${e.code ?? 'error'}: ${e.message}`;
  }
}

// -- the map -------------------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';
let projection; // lon/lat (the map's own system) <-> SVG coordinates
let mapCrs;

function svgEl(tag, attrs = {}, text) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

/** Draws the organisation's areas (GeoJSON from the core) as SVG paths: an equirectangular
 * projection scaled by the cosine of the middle latitude, so a metre is a metre both ways. */
function drawMap() {
  const fc = JSON.parse(base.mapJson());
  mapCrs = fc.crs;
  const rings = (g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of fc.features) {
    for (const poly of rings(f.geometry)) for (const [x, y] of poly[0]) {
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  const k = Math.cos(((y0 + y1) / 2) * Math.PI / 180);
  const width = 900;
  const scale = width / ((x1 - x0) * k);
  const height = (y1 - y0) * scale;
  projection = {
    to: ([x, y]) => [(x - x0) * k * scale, (y1 - y) * scale],
    from: (px, py) => [x0 + px / (k * scale), y1 - py / scale],
  };
  const svg = $('map');
  svg.setAttribute('viewBox', `0 0 ${width} ${height.toFixed(1)}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', height.toFixed(0));
  const d = (g) => rings(g).map((poly) => poly.map((ring) => `M${ring.map((p) => projection.to(p).map((v) => v.toFixed(1)).join(',')).join('L')}Z`).join('')).join('');
  const layers = { micro_grid: [], grid: [], community: [] };
  const labels = [];
  for (const f of fc.features) {
    const { unit, kind, name } = f.properties;
    if (!layers[kind]) continue;
    const cls = kind === 'micro_grid' ? 'mg' : kind;
    const path = svgEl('path', { d: d(f.geometry), class: cls, 'data-unit': unit, fill: '#dfe7ee' });
    if (kind === 'micro_grid') path.append(svgEl('title', {}, `${name} (${unit})`));
    layers[kind].push(path);
    if (kind === 'community') {
      const [cx, cy] = projection.to(f.geometry.coordinates[0][3]); // the top-left corner
      labels.push(svgEl('text', { x: cx + 4, y: cy + 14, class: 'label' }, name));
    }
  }
  svg.replaceChildren(...layers.micro_grid, ...layers.grid, ...layers.community, ...labels);
  svg.dataset.microGrids = String(layers.micro_grid.length);
  svg.addEventListener('click', pickOnMap);
}

/** A click on the map: the point in the map's system, located by the core. */
function pickOnMap(event) {
  const svg = $('map');
  const pt = svg.createSVGPoint();
  pt.x = event.clientX;
  pt.y = event.clientY;
  const { x, y } = pt.matrixTransform(svg.getScreenCTM().inverse());
  const [lon, lat] = projection.from(x, y);
  const out = $('map-picked');
  try {
    const at = engine.locate({ lon, lat, crs: mapCrs });
    $('f-location').value = at.micro_grid;
    markPicked();
    out.textContent = `${at.micro_grid} · ${at.grid} · ${at.community}  (${lon.toFixed(6)}, ${lat.toFixed(6)} ${mapCrs})`;
    out.dataset.microGrid = at.micro_grid;
    decide();
  } catch (e) {
    out.textContent = `${e.code}: ${e.message}`;
    out.dataset.microGrid = '';
  }
}

function markPicked() {
  const id = $('f-location').value;
  for (const p of document.querySelectorAll('#map path.mg.picked')) p.classList.remove('picked');
  const p = document.querySelector(`#map path.mg[data-unit="${CSS.escape(id)}"]`);
  if (p) {
    p.classList.add('picked');
    p.parentNode.insertBefore(p, p.parentNode.querySelector('path.grid'));
  }
}

/** Shades each micro-grid by its number of cases in a month's ledger. */
function shadeMap(counts) {
  const max = Math.max(1, ...counts.values());
  for (const p of document.querySelectorAll('#map path.mg')) {
    const n = counts.get(p.dataset.unit) ?? 0;
    p.dataset.cases = String(n);
    const t = n / max;
    p.setAttribute('fill', `rgb(${Math.round(240 - 60 * t)}, ${Math.round(235 - 175 * t)}, ${Math.round(230 - 180 * t)})`);
    p.querySelector('title').textContent = `${p.querySelector('title').textContent.split(' · ')[0]} · ${n} 件 cases`;
  }
}

// -- the rule editor -----------------------------------------------------------------

function editedVersion() {
  return rules.versions[rules.versions.length - 1];
}

function renderRules() {
  const version = editedVersion();
  const table = version.tables[0];
  $('rules-version').textContent = `版本 Version ${version.name}（自 from ${version.effective_from}）· 表 table ${table.id} · ${table.hit_policy}`;
  const head = el('tr', {}, el('th', { text: 'id' }),
    ...table.inputs.map((i) => el('th', { class: 'when', text: `当 when ${i}` })),
    ...table.outputs.map((o) => el('th', { class: 'then', text: `则 then ${o}` })));
  const rows = table.rows.map((row, r) => el('tr', { 'data-row': row.id },
    el('th', { text: row.id }),
    ...row.when.map((cell, c) => el('td', {}, cellInput(r, 'when', c, cell, table.inputs[c]))),
    ...row.then.map((cell, c) => el('td', {}, cellInput(r, 'then', c, cell, table.outputs[c])))));
  $('rules-table').replaceChildren(head, ...rows);
}

function cellInput(r, side, c, value, column) {
  const input = el('input', { type: 'text', value, 'data-row-index': String(r), 'data-side': side, 'data-column': column, 'aria-label': `${side} ${column}` });
  input.addEventListener('input', () => {
    editedVersion().tables[0].rows[r][side][c] = input.value;
    applyRules();
  });
  return input;
}

function applyRules() {
  const box = $('rules-error');
  const { errors } = validateRules(rules);
  if (errors.length) {
    box.hidden = false;
    box.textContent = errors.map((p) => `${p.code}: ${p.message}`).join('\n');
    return;
  }
  try {
    engine = base.withRules(rules);
    box.hidden = true;
  } catch (e) {
    box.hidden = false;
    box.textContent = `${e.code}: ${e.message}`;
    return;
  }
  decide();
}

// -- the simulated month -------------------------------------------------------------

function runMonth() {
  const count = Math.max(0, Math.min(20000, Number($('m-count').value || '0')));
  const seed = Math.max(0, Number($('m-seed').value || '0'));
  const ledger = engine.simulateMonth(2026, 3, count, seed);
  const report = engine.score(ledger, { month: '2026-03' });
  const counts = new Map();
  for (const c of JSON.parse(ledger.stateJson()).cases) counts.set(c.location, (counts.get(c.location) ?? 0) + 1);
  ledger.free();
  shadeMap(counts);
  drawRanking(report);
  const { total } = report;
  $('m-summary').textContent = `2026-03 · ${report.grids.length} 个网格 grids · ${total.counts.reports} 件 reports · `
    + `网格内解决率 in-grid ${total.indicators.in_grid_rate ?? '—'} · 按时办结率 on time ${total.indicators.on_time_rate ?? '—'} · `
    + `满意率 satisfied ${total.indicators.satisfaction_rate ?? '—'}`;
  const inactive = $('m-inactive');
  inactive.replaceChildren(...report.inactive.map((g) => el('li', { 'data-grid': g.grid },
    `${g.name} (${g.grid}) · ${g.months} 个月 months${g.zombie ? ' · 僵尸网格 zombie' : ''}`)));
  if (!report.inactive.length) inactive.append(el('li', { text: '无 none' }));
}

function drawRanking(report) {
  const svg = $('ranking');
  const ns = 'http://www.w3.org/2000/svg';
  const s = (tag, attrs = {}, text) => {
    const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
    if (text !== undefined) n.textContent = text;
    return n;
  };
  const grids = [...report.grids].sort((a, b) => a.rank - b.rank);
  const bar = 7;
  const gap = 2;
  const height = 220;
  const left = 34;
  const width = left + grids.length * (bar + gap) + 10;
  const max = Math.max(100, ...grids.map((g) => Number(g.score)));
  svg.setAttribute('viewBox', `0 0 ${width} ${height + 30}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height + 30));
  svg.dataset.grids = String(grids.length);
  const red = new Set(report.red_list);
  const black = new Set(report.black_list);
  const nodes = [];
  for (const tick of [0, 25, 50, 75, 100]) {
    const y = height - (tick / max) * height + 5;
    nodes.push(s('line', { x1: left, x2: width, y1: y, y2: y, class: 'grid-line' }));
    nodes.push(s('text', { x: left - 4, y: y + 3, class: 'tick', 'text-anchor': 'end' }, String(tick)));
  }
  grids.forEach((g, i) => {
    const h = (Number(g.score) / max) * height;
    const cls = red.has(g.id) ? 'bar red' : black.has(g.id) ? 'bar black' : 'bar';
    const rect = s('rect', { x: left + i * (bar + gap), y: height - h + 5, width: bar, height: Math.max(h, 0.5), class: cls, 'data-grid': g.id, 'data-rank': g.rank });
    rect.append(s('title', {}, `${g.rank}. ${g.name} ${g.score}`));
    nodes.push(rect);
  });
  nodes.push(s('text', { x: left, y: height + 24, class: 'axis' }, '排名 rank 1 → · 红榜 red list · 黑榜 black list'));
  svg.replaceChildren(...nodes);
}

// -- wiring --------------------------------------------------------------------------

async function main() {
  await init();
  base = Engine.fushan();
  engine = base;
  rules = JSON.parse(base.rulesJson());
  renderOrg();
  fillForm();
  drawMap();
  markPicked();
  $('f-location').addEventListener('change', markPicked);
  renderRules();
  $('case-form').addEventListener('input', decide);
  $('case-form').addEventListener('change', decide);
  $('f-category').addEventListener('change', () => { renderAttributes(); decide(); });
  $('rules-reset').addEventListener('click', () => {
    rules = JSON.parse(base.rulesJson());
    engine = base;
    $('rules-error').hidden = true;
    renderRules();
    decide();
  });
  $('month-form').addEventListener('submit', (e) => { e.preventDefault(); runMonth(); });
  decide();
  runMonth();
  const status = $('status');
  status.dataset.ready = '1';
  status.textContent = `就绪 ready · gridgov ${base.summary().name}`;
}

main().catch((e) => {
  const status = $('status');
  status.dataset.ready = 'error';
  status.textContent = `加载失败 failed to load: ${e.message ?? e}`;
});
