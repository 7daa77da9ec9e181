// The Arrow batch entry under Node: tables in and out as Arrow IPC stream bytes, read and
// written by apache-arrow. The decisions are the CSV batch path's (which the shared
// vectors pin), row for row, and bad bytes throw an Error with a code.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const arrow = require('apache-arrow');
const gridgov = require('../pkg-node/gridgov.js');

const engine = gridgov.Engine.fushan();

/** A CSV text as rows of fields (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/** A column's values as text ('' for null), whatever its encoding. */
function texts(table, name) {
  const col = table.getChild(name);
  assert.ok(col, `column ${name}`);
  return Array.from(col.toArray(), (v) => (v === null || v === undefined ? '' : String(v)));
}

test('routeArrow gives the CSV batch path\'s decisions, row for row', () => {
  const cases = engine.simulateCasesArrow(2026, 3, 1500, 7);
  assert.ok(cases instanceof Uint8Array);
  const input = arrow.tableFromIPC(cases);
  assert.equal(input.numRows, 1500);
  const out = arrow.tableFromIPC(engine.routeArrow(cases));
  assert.equal(out.numRows, 1500);
  assert.ok(arrow.DataType.isDictionary(out.schema.fields.find((f) => f.name === 'handler').type));
  const [header, ...rows] = parseCsv(engine.routeCsv(engine.simulateCasesCsv(2026, 3, 1500, 7)));
  assert.equal(rows.length, 1500);
  const compared = [];
  for (const name of ['case', 'level', 'unit', 'unit_name', 'handler', 'handler_role', 'office', 'rule_table', 'rule_row', 'error_code']) {
    const at = header.indexOf(name);
    if (at < 0 || !out.schema.fields.some((f) => f.name === name)) continue;
    assert.deepEqual(texts(out, name), rows.map((r) => r[at]), name);
    compared.push(name);
  }
  assert.ok(compared.includes('handler') && compared.includes('unit') && compared.includes('level'), compared.join());
  // The same bytes as an ArrayBuffer.
  const copy = cases.slice().buffer;
  assert.deepEqual(engine.routeArrow(copy), engine.routeArrow(cases));
});

test('a table of several batches routes batch by batch, each batch with its own dictionaries', () => {
  const a = arrow.tableFromIPC(engine.simulateCasesArrow(2026, 3, 50, 1));
  const b = arrow.tableFromIPC(engine.simulateCasesArrow(2026, 4, 70, 2));
  const both = a.concat(b);
  assert.equal(both.batches.length, 2);
  const out = arrow.tableFromIPC(engine.routeArrow(arrow.tableToIPC(both), 'column'));
  assert.equal(out.batches.length, 2);
  assert.equal(out.numRows, 120);
  const apart = [a, b].map((t) => arrow.tableFromIPC(engine.routeArrow(arrow.tableToIPC(t), 'column')));
  for (const name of ['case', 'unit', 'handler', 'office', 'level']) {
    assert.deepEqual(texts(out, name), [...texts(apart[0], name), ...texts(apart[1], name)], name);
  }
});

test('a table made in JS, with a dictionary column, routes as route() does', () => {
  const base = [
    ['j1', 'hotline', 'neighbour_dispute', 'fs-c01-g02-m1'],
    ['j2', 'visit', 'livelihood', 'fs-c04-g03-m2'],
    ['j3', 'app', 'neighbour_dispute', 'fs-c02-g01-m1'],
  ];
  const dict = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
  const table = new arrow.Table({
    id: arrow.vectorFromArray(base.map((r) => r[0]), new arrow.Utf8()),
    channel: arrow.vectorFromArray(base.map((r) => r[1]), new arrow.Utf8()),
    category: arrow.vectorFromArray(base.map((r) => r[2]), dict),
    location: arrow.vectorFromArray(base.map((r) => r[3]), new arrow.Utf8()),
    reported_at: arrow.vectorFromArray(base.map(() => '2026-03-02T09:15:00+08:00'), new arrow.Utf8()),
  });
  const out = arrow.tableFromIPC(engine.routeArrow(arrow.tableToIPC(table)));
  assert.equal(out.numRows, 3);
  base.forEach((r, i) => {
    const d = engine.route({ id: r[0], channel: r[1], category: r[2], location: r[3], reported_at: '2026-03-02T09:15:00+08:00' });
    assert.equal(texts(out, 'case')[i], d.case);
    assert.equal(texts(out, 'level')[i], d.level);
    assert.equal(texts(out, 'handler')[i], d.handler ?? '');
    assert.equal(texts(out, 'unit')[i], d.unit ?? '');
  });
});

test('a row that cannot be routed: raised by default, a column when asked', () => {
  const table = new arrow.Table({
    id: arrow.vectorFromArray(['ok1', 'bad1'], new arrow.Utf8()),
    channel: arrow.vectorFromArray(['hotline', 'hotline'], new arrow.Utf8()),
    category: arrow.vectorFromArray(['neighbour_dispute', 'no_such_category'], new arrow.Utf8()),
    location: arrow.vectorFromArray(['fs-c01-g02-m1', 'fs-c01-g02-m1'], new arrow.Utf8()),
    reported_at: arrow.vectorFromArray(['2026-03-02T09:15:00+08:00', '2026-03-02T09:15:00+08:00'], new arrow.Utf8()),
  });
  const bytes = arrow.tableToIPC(table);
  assert.throws(() => engine.routeArrow(bytes),
    (e) => e instanceof Error && e.code === 'case_invalid' && e.message.includes('bad1'));
  const out = arrow.tableFromIPC(engine.routeArrow(bytes, 'column'));
  assert.deepEqual(texts(out, 'error_code'), ['', 'case_invalid']);
  assert.equal(texts(out, 'handler')[0], 'fs-gw002');
  assert.throws(() => engine.routeArrow(bytes, 'sometimes'),
    (e) => e instanceof Error && e.code === 'input' && e.message.includes('errors'));
});

test('bytes that are not an IPC stream, and tables without the case columns, throw a code', () => {
  const bad = [new Uint8Array([]), new Uint8Array([1, 2, 3]), new TextEncoder().encode('id,channel\n')];
  for (const b of bad) {
    assert.throws(() => engine.routeArrow(b),
      (e) => e instanceof Error && e.code === 'table' && e.message.includes('not a readable Arrow IPC stream'));
  }
  const file = arrow.tableToIPC(arrow.tableFromIPC(engine.simulateCasesArrow(2026, 3, 5, 1)), 'file');
  assert.throws(() => engine.routeArrow(file),
    (e) => e.code === 'table' && e.message.includes('an Arrow IPC file'));
  const cases = engine.simulateCasesArrow(2026, 3, 5, 1);
  assert.throws(() => engine.routeArrow(cases.slice(0, cases.length - 40)), (e) => e.code === 'table');
  const noChannel = new arrow.Table({ id: arrow.vectorFromArray(['c1'], new arrow.Utf8()) });
  assert.throws(() => engine.routeArrow(arrow.tableToIPC(noChannel)),
    (e) => e.code === 'table' && e.message.includes('channel'));
  for (const v of ['text', 5, null, undefined, {}, [1, 2]]) {
    assert.throws(() => engine.routeArrow(v), (e) => e instanceof Error && e.code === 'input_type');
  }
  // The engine still works after every refusal.
  assert.equal(arrow.tableFromIPC(engine.routeArrow(cases)).numRows, 5);
});

/** An outcome table as Arrow IPC bytes, built by apache-arrow from the outcome rows of
 * `outcomesJson`: text as text columns, counts as integers, flags as booleans, the
 * satisfaction as small integers, every time as RFC 3339 text. */
function outcomesIpc(rows) {
  const text = ['id', 'location', 'category', 'channel', 'reported_at', 'accepted_at', 'resolved_at',
    'resolved_level', 'time_limit', 'due', 'office', 'repeat_of', 'petition_accepted_at', 'called_back_at'];
  const counts = ['returned', 'reopened', 'escalated', 'supervisions', 'supervisions_on_time',
    'verifications', 'verifications_passed'];
  const flags = ['paused', 'shelved', 'petition'];
  const columns = {};
  const present = (name) => rows.some((r) => r[name] !== undefined && r[name] !== null);
  for (const name of text.filter(present)) {
    columns[name] = arrow.vectorFromArray(rows.map((r) => r[name] ?? null), new arrow.Utf8());
  }
  for (const name of counts.filter(present)) {
    columns[name] = arrow.vectorFromArray(rows.map((r) => r[name] ?? 0), new arrow.Int32());
  }
  for (const name of flags.filter(present)) {
    columns[name] = arrow.vectorFromArray(rows.map((r) => r[name] ?? false), new arrow.Bool());
  }
  columns.satisfaction = arrow.vectorFromArray(rows.map((r) => r.satisfaction ?? null), new arrow.Int8());
  return arrow.tableToIPC(new arrow.Table(columns));
}

test('scoreOutcomesArrow scores the table scoreOutcomesJson scores, and says what is wrong', () => {
  const month = engine.simulateMonth(2026, 3, 900, 11);
  const { outcomes, visits } = JSON.parse(engine.outcomesJson(month));
  assert.ok(outcomes.length > 800);
  const ipc = outcomesIpc(outcomes);
  const request = { month: '2026-03', budget_fen: 250000, visits };
  const report = engine.scoreOutcomesArrowJson(ipc, JSON.stringify(request));
  // The same bytes as the JSON entry gives for the same rows in the request.
  assert.equal(report, engine.scoreOutcomesJson(JSON.stringify({ ...request, outcomes })));
  const parsed = JSON.parse(report);
  assert.equal(parsed.grids.length, 150);
  assert.equal(parsed.rewards.allocations.reduce((s, a) => s + a.fen, 0), 250000);
  // The object form, from an ArrayBuffer and a request object.
  assert.deepEqual(engine.scoreOutcomesArrow(ipc.slice().buffer, request), parsed);
  // Names as dictionary columns (pandas and polars categoricals) score alike.
  const table = arrow.tableFromIPC(ipc);
  const columns = {};
  for (const f of table.schema.fields) {
    const values = table.getChild(f.name).toArray();
    columns[f.name] = ['location', 'category', 'channel'].includes(f.name)
      ? arrow.vectorFromArray(Array.from(values), new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()))
      : table.getChild(f.name);
  }
  assert.equal(engine.scoreOutcomesArrowJson(arrow.tableToIPC(new arrow.Table(columns)), JSON.stringify(request)), report);
  // Bad bytes, a bad request, a bad row and missing columns each throw an Error with a code.
  assert.throws(() => engine.scoreOutcomesArrowJson(new Uint8Array([1, 2, 3]), '{"month": "2026-03"}'),
    (e) => e instanceof Error && e.code === 'table');
  assert.throws(() => engine.scoreOutcomesArrowJson(ipc, '{"month": "2026-13"}'),
    (e) => e instanceof Error && e.code === 'json');
  assert.throws(() => engine.scoreOutcomesArrowJson(ipc, JSON.stringify({ month: '2026-03', outcomes })),
    (e) => e instanceof Error && e.code === 'input' && e.message.includes('leave out `outcomes`'));
  const bad = outcomesIpc([{ ...outcomes[0], location: 'nowhere' }, ...outcomes.slice(1, 3)]);
  assert.throws(() => engine.scoreOutcomesArrowJson(bad, '{"month": "2026-03"}'),
    (e) => e instanceof Error && typeof e.code === 'string' && e.message.includes('nowhere'));
  const noColumns = arrow.tableToIPC(new arrow.Table({ x: arrow.vectorFromArray([1, 2], new arrow.Int32()) }));
  assert.throws(() => engine.scoreOutcomesArrowJson(noColumns, '{"month": "2026-03"}'),
    (e) => e instanceof Error && e.code === 'table');
  assert.throws(() => engine.scoreOutcomesArrow('not bytes', { month: '2026-03' }),
    (e) => e instanceof Error && e.code === 'input_type');
});
