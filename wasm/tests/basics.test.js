// First checks of the WASM package under Node: version, the default, errors with codes.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const gridgov = require('../pkg-node/gridgov.js');

test('version', () => {
  assert.equal(gridgov.version(), '0.1.0');
});

test('fushan summary counts', () => {
  const s = JSON.parse(gridgov.orgSummaryJson());
  assert.equal(s.counts.units.grid, 150);
  assert.equal(s.counts.units.micro_grid, 382);
});

test('errors are Error objects with a code', () => {
  assert.throws(() => gridgov.orgSummaryJson('{'), (e) => e instanceof Error && e.code === 'org_parse');
});

test('scoring an outcome table: exact rewards, HTML, typed errors', () => {
  const engine = gridgov.Engine.fushan();
  const csv = 'id,location,category,reported_at,resolved_at,resolved_level,satisfaction,time_limit\n'
    + 'c1,fs-c01-g01-m1,environment,2026-03-02T09:00:00+08:00,2026-03-02T15:00:00+08:00,grid,5,3 working days\n';
  const report = JSON.parse(engine.scoreOutcomesJson(JSON.stringify({ month: '2026-03', outcomes_csv: csv, budget_fen: 100000 })));
  assert.equal(report.red_list[0], 'fs-c01-g01');
  assert.equal(report.rewards.allocations.reduce((s, a) => s + a.fen, 0), 100000);
  const html = engine.scoreOutcomesHtml(JSON.stringify({ month: '2026-03', outcomes_csv: csv }), '凫山 2026-03');
  assert.ok(html.startsWith('<!DOCTYPE html>') && html.includes('<svg') && !html.includes('<script'));
  const ledger = new gridgov.Ledger();
  assert.deepEqual(JSON.parse(engine.outcomesJson(ledger)), { outcomes: [], visits: [] });
  assert.equal(JSON.parse(engine.scoreJson(ledger, '{"month": "2026-03"}')).inactive.length, 150);
  assert.throws(() => engine.scoreOutcomesJson('{"month": "2026-13", "outcomes": []}'),
    (e) => e instanceof Error && e.code === 'json');
  assert.throws(() => engine.scoreOutcomesJson('{"month": "2026-03", "outcomes": [], "history": 500}'),
    (e) => e instanceof Error && e.code === 'score_request');
});
