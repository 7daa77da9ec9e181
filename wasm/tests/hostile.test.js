// Hostile input through every public function of the JS package: wrong types, wrong
// objects, missing fields, huge numbers, deep or huge JSON, lone surrogates, NaN. Each
// throws an Error with a code (never a trap, a hang or an uncoded error), and the engine
// works afterwards.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const gridgov = require('../pkg-node/gridgov.js');

const engine = gridgov.Engine.fushan();
const ledger = new gridgov.Ledger();
const DEEP = '['.repeat(100000) + ']'.repeat(100000);
const HUGE = `{"id": "${'x'.repeat(5000000)}"}`;
const HOSTILE = [undefined, null, 5, 2.5, NaN, Infinity, -1e300, 10n ** 40n, true, {}, [], () => 1,
  Symbol('s'), '\ud800', '', '{', DEEP, HUGE, 'null', '{"a": NaN}', '1e999999', new Uint8Array([255, 254]),
  engine, ledger];

const SUBDISTRICT = { id: 'fs-duty', role: 'subdistrict' };
const EVENT = { case: 'x', at: '2026-03-02T09:00:00+08:00', actor: 'fs-duty', event: { type: 'accepted' } };

const CALLS = {
  'new Engine(org)': (v) => new gridgov.Engine(v),
  'new Engine(rules)': (v) => new gridgov.Engine(undefined, v),
  'new Engine(calendar)': (v) => new gridgov.Engine(undefined, undefined, v),
  route: (v) => engine.route(v),
  routeJson: (v) => engine.routeJson(v),
  routeCsv: (v) => engine.routeCsv(v),
  deadlineJson: (v) => engine.deadlineJson(v),
  contains: (v) => engine.contains(v, 'fs'),
  unitAtLevel: (v) => engine.unitAtLevel('fs-c01', v),
  dutyHolder: (v) => engine.dutyHolder(v, 'grid'),
  'overdue(ledger)': (v) => engine.overdue(v, '2026-03-20T09:00:00+08:00'),
  'overdue(now)': (v) => engine.overdue(ledger, v),
  actionsJson: (v) => engine.actionsJson(ledger, v),
  timeline: (v) => engine.timeline(ledger, v),
  intakeJson: (v) => engine.intakeJson(ledger, v),
  'score(ledger)': (v) => engine.score(v, { month: '2026-03' }),
  'score(request)': (v) => engine.score(ledger, v),
  scoreOutcomes: (v) => engine.scoreOutcomes(v),
  scoreOutcomesJson: (v) => engine.scoreOutcomesJson(v),
  scoreOutcomesHtml: (v) => engine.scoreOutcomesHtml(v),
  withRules: (v) => engine.withRules(v),
  'backtest(rules)': (v) => engine.backtest(v, []),
  'backtest(cases)': (v) => engine.backtest(engine.rulesJson(), v),
  backtestJson: (v) => engine.backtestJson(v, '[]'),
  simulateCasesCsv: (v) => engine.simulateCasesCsv(2026, 3, v, 1),
  simulateMonth: (v) => engine.simulateMonth(v, 3, 10, 1),
  'can(actor)': (v) => engine.can(v, 'view', ledger, 'x'),
  'can(ledger)': (v) => engine.can({ id: 's', role: 'subdistrict' }, 'view', v, 'x'),
  visibleCases: (v) => engine.visibleCases(v, ledger),
  exportCases: (v) => engine.exportCases(v, ledger),
  timelineFor: (v) => engine.timelineFor({ id: 's', role: 'subdistrict' }, ledger, v),
  canJson: (v) => engine.canJson(ledger, v),
  'record(ledger)': (v) => engine.record(v, SUBDISTRICT, EVENT),
  'record(actor)': (v) => engine.record(ledger, v, EVENT),
  'record(event)': (v) => engine.record(ledger, SUBDISTRICT, v),
  'recordJson(event)': (v) => engine.recordJson(ledger, JSON.stringify(SUBDISTRICT), v),
  'recordIntake(actor)': (v) => engine.recordIntake(ledger, v, { id: 'x' }),
  'recordIntake(case)': (v) => engine.recordIntake(ledger, SUBDISTRICT, v),
  recordIntakeJson: (v) => engine.recordIntakeJson(ledger, JSON.stringify(SUBDISTRICT), v),
  'new Ledger': (v) => new gridgov.Ledger(v),
  'Ledger.append': (v) => new gridgov.Ledger().append(v),
  'Ledger.appendJson': (v) => new gridgov.Ledger().appendJson(v),
  'Ledger.extend': (v) => new gridgov.Ledger().extend(v),
  'Ledger.timeline': (v) => ledger.timeline(v, 'x'),
  validateRules: (v) => gridgov.validateRules(v),
  validateRulesJson: (v) => gridgov.validateRulesJson(v),
  orgSummaryJson: (v) => gridgov.orgSummaryJson(v),
};

/** Values that are valid for a call after all: no error is due. */
function accepted(name, v) {
  if (v === ledger && ['overdue(ledger)', 'score(ledger)', 'can(ledger)'].includes(name)) return true;
  // The right ledger with an event about a case it does not have: an error, as due.
  if (v === engine && name === 'Ledger.timeline') return false;
  if ((v === undefined || v === null) && ['new Engine(org)', 'new Engine(rules)', 'new Engine(calendar)',
    'new Ledger', 'orgSummaryJson'].includes(name)) return true;
  if (name === 'validateRulesJson' && typeof v === 'string') return true;
  // Anything JSON can write is a rule set to validate: its problems are the result.
  if (name === 'validateRules' && !['undefined', 'function', 'symbol', 'bigint'].includes(typeof v)) return true;
  if (name === 'backtest(cases)' && (Array.isArray(v) || (typeof v === 'string' && v.startsWith('[')))) return true;
  if (name === 'Ledger.extend' && Array.isArray(v) && v.length === 0) return true;
  if (name === 'simulateCasesCsv' && v === 5) return true;
  return false;
}

for (const [name, call] of Object.entries(CALLS)) {
  test(`hostile values through ${name}`, () => {
    for (const v of HOSTILE) {
      let result;
      try {
        result = call(v);
      } catch (e) {
        assert.ok(e instanceof Error, `${name}(${String(v).slice(0, 30)}) threw a non-Error`);
        assert.equal(typeof e.code, 'string', `${name}(${String(v).slice(0, 30)}) threw without a code: ${e.message}`);
        continue;
      }
      assert.ok(accepted(name, v), `${name}(${String(v).slice(0, 30)}) returned ${String(result).slice(0, 60)} instead of an error`);
    }
    assert.equal(engine.route({ id: 'ok', channel: 'app', category: 'environment', location: 'fs-c01-g01-m1',
      reported_at: '2026-03-02T09:00:00+08:00' }).level, 'micro_grid');
  });
}
