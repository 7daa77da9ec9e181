// Every shared vector under tests/vectors/ through the JS API, comparing exact strings.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const gridgov = require('../pkg-node/gridgov.js');

const VECTORS = path.resolve(__dirname, '..', '..', 'tests', 'vectors');

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return e.name.endsWith('.json') ? [p] : [];
  }).sort();
}

// A JSON string is raw text; anything else is serialised (the vectors' convention).
const argText = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

const opt = (args, name) => (args[name] === undefined || args[name] === null ? undefined : argText(args[name]));

const engines = new Map();
function engine(args) {
  const org = opt(args, 'org');
  const rules = opt(args, 'rules');
  const calendar = opt(args, 'calendar');
  const key = JSON.stringify([org ?? null, rules ?? null, calendar ?? null]);
  if (!engines.has(key)) {
    engines.set(key, org === undefined && rules === undefined && calendar === undefined
      ? gridgov.Engine.fushan()
      : new gridgov.Engine(org, rules, calendar));
  }
  return engines.get(key);
}

function call(entry, args) {
  switch (entry) {
    case 'org_summary':
      return gridgov.orgSummaryJson(opt(args, 'org'));
    case 'validate_rules':
      return gridgov.validateRulesJson(argText(args.rules));
    case 'route':
      return engine(args).routeJson(argText(args.case));
    case 'deadline':
      return engine(args).deadlineJson(argText(args.deadline));
    case 'engine_warnings':
      return engine(args).warningsJson();
    case 'ledger_state':
      return new gridgov.Ledger(argText(args.ledger)).stateJson();
    case 'ledger_append': {
      const l = new gridgov.Ledger(argText(args.ledger));
      l.appendJson(argText(args.event));
      return l.toJson();
    }
    case 'ledger_append_all': {
      const l = new gridgov.Ledger(argText(args.ledger));
      l.appendAllJson(argText(args.events));
      return l.stateJson();
    }
    case 'actions':
      return engine(args).actionsJson(new gridgov.Ledger(argText(args.ledger)), argText(args.now));
    case 'overdue':
      return engine(args).overdueJson(new gridgov.Ledger(argText(args.ledger)), argText(args.now));
    case 'timeline':
      return engine(args).timelineJson(new gridgov.Ledger(argText(args.ledger)), argText(args.case), Boolean(args.public));
    case 'score_outcomes':
      return engine(args).scoreOutcomesJson(argText(args.request));
    case 'score':
      return engine(args).scoreJson(new gridgov.Ledger(argText(args.ledger)), argText(args.request));
    case 'outcomes':
      return engine(args).outcomesJson(new gridgov.Ledger(argText(args.ledger)));
    case 'visible_cases':
      return engine(args).visibleCasesJson(new gridgov.Ledger(argText(args.ledger)), argText(args.actor));
    case 'can':
      return engine(args).canJson(new gridgov.Ledger(argText(args.ledger)), argText(args.request));
    case 'export':
      return engine(args).exportJson(new gridgov.Ledger(argText(args.ledger)), argText(args.actor));
    case 'timeline_for':
      return engine(args).timelineForJson(new gridgov.Ledger(argText(args.ledger)), argText(args.actor), argText(args.case));
    case 'route_csv':
      return engine(args).routeCsv(argText(args.cases_csv));
    case 'backtest':
      return engine(args).backtestJson(argText(args.rules_b), argText(args.cases), args.limit ?? undefined);
    case 'intake':
      return engine(args).intakeJson(new gridgov.Ledger(argText(args.ledger)), argText(args.case), args.actor ?? undefined);
    default:
      throw new Error(`no JS runner for entry point ${entry}`);
  }
}

const all = files(VECTORS);

test('there are vectors', () => {
  assert.ok(all.length >= 150);
});

for (const file of all) {
  const v = JSON.parse(fs.readFileSync(file, 'utf8'));
  test(path.relative(VECTORS, file), () => {
    if (v.error) {
      assert.throws(() => call(v.entry, v.input), (e) => {
        assert.ok(e instanceof Error);
        assert.equal(e.code, v.error.code);
        assert.equal(e.message, v.error.message);
        return true;
      });
    } else {
      assert.equal(call(v.entry, v.input), v.output);
    }
  });
}
