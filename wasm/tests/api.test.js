// The object API under Node: every method agrees with the JSON entry points the shared
// vectors pin, and bad input throws an Error with a code.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const gridgov = require('../pkg-node/gridgov.js');

const engine = gridgov.Engine.fushan();
const CASE = {
  id: 'p1', channel: 'hotline', category: 'neighbour_dispute',
  location: 'fs-c01-g02-m1', reported_at: '2026-03-02T09:15:00+08:00',
};

test('route(object) is routeJson through JSON', () => {
  const d = engine.route(CASE);
  assert.deepEqual(d, JSON.parse(engine.routeJson(JSON.stringify(CASE))));
  assert.equal(d.level, 'grid');
  assert.equal(d.handler, 'fs-gw002');
  assert.equal(d.rule.row, 'dispute-grid');
});

test('the trace comes only when asked (explain)', () => {
  const lean = engine.route(CASE);
  assert.equal('trace' in lean, false);
  assert.ok(lean.rule.why.startsWith('Small disputes do not leave the grid'));
  const explained = engine.route(CASE, true);
  assert.ok(explained.trace[0].startsWith('routing/dispute-grid: category neighbour_dispute'));
  const { trace, ...rest } = explained;
  assert.deepEqual(rest, lean);
  assert.equal(engine.routeJson(JSON.stringify(CASE)).includes('"trace"'), false);
  assert.deepEqual(JSON.parse(engine.routeJson(JSON.stringify(CASE), true)), explained);
  assert.equal(engine.routeJson(JSON.stringify(CASE), false), engine.routeJson(JSON.stringify(CASE)));
});

test('errors are Error objects with a code naming the field', () => {
  assert.throws(() => engine.route({ ...CASE, location: 'fs-c01' }),
    (e) => e instanceof Error && e.code === 'case_invalid' && e.message.includes('field `location`'));
  assert.throws(() => engine.route(undefined), (e) => e instanceof Error && e.code === 'input_type');
  assert.throws(() => engine.route(() => 1), (e) => e instanceof Error && e.code === 'input_type');
  assert.throws(() => engine.route({ ...CASE, amount_yuan: 0.1 + 0.2 }),
    (e) => e.code === 'case_parse' && e.message.includes('amount'));
  assert.throws(() => engine.unitAtLevel('fs-c01', 'galaxy'), (e) => e.code === 'unknown_level');
  assert.throws(() => engine.contains('nowhere', 'fs-c01'), (e) => e.code === 'unknown_unit');
});

test('org queries', () => {
  assert.equal(engine.contains('fs-c01', 'fs-c01-g02-m1'), true);
  assert.equal(engine.contains('fs-c02', 'fs-c01-g02-m1'), false);
  assert.equal(engine.unitAtLevel('fs-c01-g02-m1', 'community'), 'fs-c01');
  assert.equal(engine.unitAtLevel('fs-c01', 'grid'), undefined);
  assert.equal(engine.dutyHolder('fs-c01-g02-m1', 'grid').role, 'grid_worker');
  assert.equal(engine.summary().counts.units.grid, 150);
  const [territory] = engine.orgTree();
  assert.equal(territory.kind, 'subdistrict');
  assert.equal(territory.children.filter((c) => c.kind === 'community').length, 12);
});

test('batch CSV path agrees with per-call routing', () => {
  const csv = engine.simulateCasesCsv(2026, 3, 2000, 7);
  const lines = engine.routeCsv(csv).trimEnd().split('\n');
  assert.equal(lines.length, 2001);
  const header = lines[0].split(',');
  const level = header.indexOf('level');
  const cases = csv.trimEnd().split('\n');
  // The first simple rows (no quoted fields) routed one by one give the same level.
  let checked = 0;
  for (let i = 1; i < cases.length && checked < 200; i += 1) {
    const f = cases[i].split(',');
    if (f.length !== 11 || cases[i].includes('"')) continue;
    const c = { id: f[0], channel: f[1], category: f[2], location: f[3], reported_at: f[4],
      people_involved: Number(f[5]), amount_yuan: f[6], repeat_count: Number(f[7]) };
    if (f[8]) c.risk_flags = [f[8]];
    assert.equal(lines[i].split(',')[level], engine.route(c).level);
    checked += 1;
  }
  assert.ok(checked >= 100);
  assert.throws(() => engine.routeCsv('id,channel\nc1,app\n'), (e) => e.code === 'input');
});

test('ledger: append, state, timeline; overdue; score', () => {
  const ledger = new gridgov.Ledger();
  const events = JSON.parse(engine.intakeJson(ledger, JSON.stringify({ ...CASE, reporter: { phone: '13800000000' } }), 'fs-gw002'));
  for (const e of events) ledger.append(e);
  assert.equal(ledger.length, events.length);
  assert.deepEqual(ledger.state(), JSON.parse(ledger.stateJson()));
  assert.ok(JSON.stringify(ledger.timeline(engine, 'p1')).includes('13800000000'));
  assert.ok(!JSON.stringify(ledger.timeline(engine, 'p1', true)).includes('13800000000'));
  assert.throws(() => ledger.append({ kind: 'no_such_event' }), (e) => e instanceof Error && typeof e.code === 'string');
  assert.equal(ledger.length, events.length);
  const month = engine.simulateMonth(2026, 3, 600, 3);
  assert.deepEqual(engine.overdue(month, '2026-03-20T09:00:00+08:00'),
    JSON.parse(engine.overdueJson(month, '2026-03-20T09:00:00+08:00')));
  const report = engine.score(month, { month: '2026-03', budget_fen: 100000 });
  assert.equal(report.grids.length, 150);
  assert.equal(report.rewards.allocations.reduce((s, a) => s + a.fen, 0), 100000);
  assert.throws(() => engine.simulateMonth(2026, 13, 10, 1), (e) => e.code === 'input');
});

test('rule sets: validate, withRules, backtest', () => {
  const rules = JSON.parse(engine.rulesJson());
  for (const row of rules.versions[1].tables[0].rows) {
    if (row.id === 'dispute-grid') row.when[1] = '< 3';
    if (row.id === 'dispute-community-people') row.when[1] = '[3..30)';
  }
  assert.equal(gridgov.validateRules(rules).errors.length, 0);
  const stricter = engine.withRules(rules);
  assert.equal(stricter.route({ ...CASE, people_involved: 3 }).level, 'community');
  const report = engine.backtest(rules, [1, 2, 3, 4, 5].map((n) => ({ ...CASE, id: `c${n}`, people_involved: n })));
  assert.equal(report.different, 2);
  assert.deepEqual(report.moves, [{ from: 'grid', to: 'community', cases: 2 }]);
  const bad = JSON.parse(JSON.stringify(rules));
  bad.versions[1].tables[0].rows[0].when[1] = '>= thirty';
  assert.ok(gridgov.validateRules(bad).errors.length > 0);
  assert.throws(() => engine.withRules(bad), (e) => e.code.startsWith('rules'));
});

test('wrong argument types get coded errors, never a trap, and the engine goes on', () => {
  const ledger = new gridgov.Ledger();
  const calls = [
    () => engine.routeJson(5), () => engine.routeJson(null), () => engine.routeJson({}),
    () => engine.routeCsv(5), () => engine.deadlineJson([]), () => engine.overdueJson(ledger, 7),
    () => engine.actionsJson(ledger, {}), () => engine.timelineJson(ledger, 3), () => engine.intakeJson(ledger, 1),
    () => engine.scoreJson(ledger, 2), () => engine.scoreOutcomesJson(true), () => engine.scoreOutcomesHtml(1),
    () => engine.backtestJson(1, '[]'), () => engine.contains(1, 'fs'), () => engine.unitAtLevel('fs-c01', 5),
    () => engine.dutyHolder(null, 'grid'), () => engine.overdue(ledger, 9), () => engine.timeline(ledger, 9),
    () => new gridgov.Engine(5), () => new gridgov.Ledger({}), () => ledger.appendJson(5), () => ledger.appendAllJson(5),
    () => gridgov.validateRulesJson(7), () => gridgov.orgSummaryJson(8),
    () => engine.simulateMonth(2026, 3, -1, 1), () => engine.simulateCasesCsv(2026, 3, 2.5, 1),
    () => engine.simulateCasesCsv(2026, 13, 1, 1), () => engine.simulateMonth(NaN, 3, 1, 1),
  ];
  for (const call of calls) {
    // A wrong type is `input_type`, a number out of range `input`: the core's codes.
    assert.throws(call, (e) => e instanceof Error && ['input', 'input_type'].includes(e.code)
      && /`\w+`/.test(e.message), String(call));
  }
  assert.equal(engine.route(CASE).level, 'grid');
});

test('access by jurisdiction: can, visibleCases, exportCases, timelineFor', () => {
  const ledger = new gridgov.Ledger();
  ledger.extend(JSON.parse(engine.intakeJson(ledger, JSON.stringify({ ...CASE, id: 'a1',
    reporter: { name: '王芳', phone: '13800001234', id_number: '370883199001011234' } }))));
  ledger.extend(JSON.parse(engine.intakeJson(ledger, JSON.stringify({ ...CASE, id: 'a2', location: 'fs-c02-g01-m1' }))));
  const worker = { id: 'fs-gw002', role: 'grid_worker' };
  const resident = { id: '370883199001011234', role: 'resident' };
  assert.deepEqual(engine.visibleCases(worker, ledger), ['a1']);
  assert.deepEqual(engine.visibleCases(resident, ledger), ['a1']);
  assert.equal(engine.can(worker, 'resolve', ledger, 'a1'), true);
  assert.equal(engine.can(worker, 'view', ledger, 'a2'), false);
  assert.ok(!JSON.stringify(engine.timelineFor(resident, ledger, 'a1')).includes('13800001234'));
  assert.ok(JSON.stringify(engine.timelineFor(worker, ledger, 'a1')).includes('13800001234'));
  assert.ok(!JSON.stringify(engine.exportCases({ id: 'a', role: 'analyst' }, ledger)).includes('13800001234'));
  assert.throws(() => engine.exportCases(resident, ledger), (e) => e.code === 'forbidden');
  assert.throws(() => engine.timelineFor({ id: 'r2', role: 'resident' }, ledger, 'a1'), (e) => e.code === 'out_of_scope');
  assert.throws(() => engine.visibleCases({ id: 'm', role: 'mayor' }, ledger), (e) => e.code === 'unknown_role');
  assert.throws(() => engine.can(worker, 'fly', ledger, 'a1'), (e) => e.code === 'input');
  assert.throws(() => engine.can(worker, 5, ledger, 'a1'), (e) => e.code === 'input_type');
  assert.throws(() => engine.visibleCases(undefined, ledger), (e) => e.code === 'input_type');
});

test('writes: record refuses the two writes of the issue with an access code and appends nothing', () => {
  const ledger = new gridgov.Ledger();
  const resident = '370883199001011234';
  const intake = engine.recordIntake(ledger, { id: 'system', role: 'system' }, {
    id: 'c1', channel: 'hotline', category: 'livelihood', location: 'fs-c01-g01-m1',
    reported_at: '2026-03-02T09:00:00+08:00', reporter: { name: '王芳', id_number: resident } });
  assert.deepEqual(intake.map((r) => r.outcome), ['appended', 'appended']);
  const resolved = (who, eventId) => ({ case: 'c1', at: '2026-03-03T10:00:00+08:00', actor: who,
    event: { type: 'resolved', level: 'micro_grid', how: '修好了' }, ...(eventId ? { event_id: eventId } : {}) });
  const evaluated = (who) => ({ case: 'c1', at: '2026-03-04T10:00:00+08:00', actor: who,
    event: { type: 'evaluated', satisfaction: 5 } });
  const outsider = { id: 'fs-gw150', role: 'grid_worker' };
  assert.equal(engine.can(outsider, 'resolve', ledger, 'c1'), false);
  assert.throws(() => engine.record(ledger, outsider, resolved('fs-gw150')),
    (e) => e instanceof Error && e.code === 'out_of_scope' && e.name === 'AccessError'
      && e.message.includes('may not resolve case `c1`'));
  assert.equal(ledger.length, 2);
  const first = engine.record(ledger, { id: 'fs-gw001', role: 'grid_worker' }, resolved('fs-gw001', 'app-1'));
  assert.equal(first.outcome, 'appended');
  const again = engine.record(ledger, { id: 'fs-gw001', role: 'grid_worker' }, resolved('fs-gw001', 'app-1'));
  assert.deepEqual(again, { ...first, outcome: 'duplicate' });
  assert.throws(() => engine.record(ledger, { id: 'anyone', role: 'resident' }, evaluated('anyone')),
    (e) => e.code === 'unknown_actor' && e.name === 'AccessError');
  assert.equal(ledger.length, 3);
  assert.equal(engine.record(ledger, { id: resident, role: 'resident' }, evaluated(resident)).index, 3);
  assert.equal(ledger.verify().events, 4);
  assert.equal(ledger.verify().head, ledger.head);
  // The export keeps the chain; a changed one is refused naming the record.
  const doc = JSON.parse(ledger.toJson());
  assert.equal(doc.head, ledger.head);
  doc.events[2].actor = 'fs-gw002';
  assert.throws(() => new gridgov.Ledger(JSON.stringify(doc)),
    (e) => e.code === 'ledger_tampered' && e.message.startsWith('record 2 (event_id `app-1`):'));
});

test('validation: strict refuses a plain tree with every problem; warn takes it', () => {
  const units = [
    { id: 'sd', kind: 'subdistrict', name: '街道' },
    { id: 'c1', kind: 'community', name: '社区', parent: 'sd' },
    { id: 'x1', kind: 'compound', name: '小区', parent: 'c1' },
  ];
  for (let i = 0; i < 12; i++) {
    const g = `g${String(i).padStart(2, '0')}`;
    units.push({ id: g, kind: 'grid', name: '网格', parent: 'x1' });
    units.push({ id: `m${String(i).padStart(2, '0')}`, kind: 'micro_grid', name: '微网格', parent: g });
  }
  const org = JSON.stringify({ format: 1, name: 'tree', units });
  const rules = JSON.stringify({
    format: 1, name: 'one-row', categories: [{ id: 'other' }], grades: [], risk_flags: [], flags: [], attributes: [],
    versions: [{ name: 'v1', effective_from: '2026-01-01', tables: [{
      id: 'routing', hit_policy: 'first', inputs: ['category'], outputs: ['level', 'time_limit'],
      rows: [{ id: 'all', when: ['-'], then: ['grid', '3 working days'], why: 'everything starts in the grid' }],
    }] }],
  });
  assert.throws(() => new gridgov.Engine(org, rules), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'org_invalid');
    assert.match(e.message, /and 2 more/);
    assert.equal(e.problems.length, 12);
    assert.deepEqual(e.problems[11], {
      code: 'grid_without_worker', location: { subject: 'g11' },
      message: 'grid `g11` has no grid worker; post one with a `grid_worker` duty',
    });
    return true;
  });
  const engine = new gridgov.Engine(org, rules, undefined, 'warn');
  const gaps = JSON.parse(engine.warningsJson()).filter((w) => w.code === 'grid_without_worker');
  assert.equal(gaps.length, 12);
  assert.throws(() => new gridgov.Engine(org, rules, undefined, 'lenient'),
    (e) => e.code === 'input' && /valid: strict, warn/.test(e.message) && e.problems.length === 0);
  engine.free();
});

test('grid work: teams suggested, a visit registering a dispute, its refusals, follow-ups due', () => {
  const teams = engine.suggestTeams({ category: 'livelihood', location: 'fs-c01-g01-m1' });
  assert.deepEqual(teams.map((t) => [t.team, t.areas]), [['fs-vt01', ['livelihood']]]);
  assert.equal(engine.suggestTeamsJson(JSON.stringify({ category: 'livelihood', location: 'fs-c01-g01-m1' })),
    JSON.stringify(teams));
  assert.throws(() => engine.suggestTeams({ category: 'gossip', location: 'fs-c01-g01-m1' }),
    (e) => e instanceof Error && e.code === 'unknown_category');
  const ledger = new gridgov.Ledger();
  const gw = { id: 'fs-gw001', role: 'grid_worker' };
  const visit = (found, unit) => ({ at: '2026-03-03T10:00:00+08:00', actor: 'fs-gw001',
    event: { type: 'visited', unit: 'fs-c01-g01', households: 2, household_ids: ['h-1', 'h-2'], found,
      registered: [{ id: 'reg-1', unit, grade: 'general', class: 'neighbour_dispute', parties: 2 }] } });
  assert.throws(() => engine.record(ledger, gw, visit(['need'], 'fs-c01-g01-m2')),
    (e) => e instanceof Error && e.code === 'visit_findings');
  assert.throws(() => engine.record(ledger, gw, visit(['dispute'], 'fs-c01-g02-m1')),
    (e) => e instanceof Error && e.code === 'work_outside');
  assert.equal(ledger.length, 0);
  engine.record(ledger, gw, visit(['dispute'], 'fs-c01-g01-m2'));
  const actions = JSON.parse(engine.actionsJson(ledger, '2026-03-11T09:00:00+08:00'));
  assert.deepEqual(actions.follow_ups.map((f) => f.entry), ['reg-1']);
  const report = JSON.parse(engine.scoreJson(ledger, JSON.stringify({ month: '2026-03', include: ['work'] })));
  assert.equal(report.work.registered, 1);
  assert.equal(report.work.households, 2);
});

test('locate, locateBatch and microGrids place points as the core does', () => {
  const at = engine.locate({ lon: 116.950333, lat: 35.386125, crs: 'gcj02' });
  assert.deepEqual(at, { micro_grid: 'fs-c01-g01-m1', grid: 'fs-c01-g01', community: 'fs-c01' });
  const ids = engine.microGrids();
  assert.equal(ids.length, 382);
  const lons = new Float64Array([116.950333, 116.950666, 116.939, Number.NaN]);
  const lats = new Float64Array([35.386125, 35.386, 35.386, 35.386]);
  const where = engine.locateBatch(lons, lats, 'gcj02');
  assert.ok(where instanceof Int32Array);
  assert.deepEqual([...where].map((i) => (i < 0 ? null : ids[i])), ['fs-c01-g01-m1', 'fs-c01-g01-m1', null, null]);
  assert.throws(() => engine.locate({ lon: 116.939, lat: 35.386, crs: 'gcj02' }),
    (e) => e instanceof Error && e.code === 'outside_map' && e.message.includes('nearest is `fs-c01-g01-m1`'));
  assert.throws(() => engine.locateBatch(new Float64Array([1]), new Float64Array([]), 'gcj02'),
    (e) => e.code === 'lengths_differ');
  assert.throws(() => engine.locateBatch(lons, lats, 'utm'), (e) => e.code === 'input');
  const d = engine.route({ ...CASE, location: undefined, point: { lon: 116.950333, lat: 35.386125, crs: 'gcj02' } });
  assert.equal(d.unit, 'fs-c01-g01');
});

test('open311Json answers as an HTTP handler, problems in the body', () => {
  const ok = JSON.parse(engine.open311Json(JSON.stringify({
    call: 'post_request', form: 'service_code=environment&address_id=fs-c01-g01-m1',
    id: 'o1', received_at: '2026-03-02T09:00:00+08:00', format: 'json',
  })));
  assert.equal(ok.status, 200);
  assert.equal(ok.case.location, 'fs-c01-g01-m1');
  const bad = JSON.parse(engine.open311Json(JSON.stringify({
    call: 'post_request', form: 'service_code=moon', id: 'o2', received_at: '2026-03-02T09:00:00+08:00',
  })));
  assert.equal(bad.status, 404);
  assert.match(bad.body, /<code>404<\/code>/);
  assert.throws(() => engine.open311Json('{"call": "tokens"}'), (e) => e.code === 'input');
  const conv = JSON.parse(gridgov.open311ConvertJson(JSON.stringify({ text: '<errors><error><code>400</code><description>x</description></error></errors>', from: 'xml' })));
  assert.equal(conv.json, '[{"code":400,"description":"x"}]');
});
