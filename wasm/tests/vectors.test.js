// Every shared vector under tests/vectors/ through the JS API, comparing exact strings. The
// calls come from tests/vectors/manifest.json, as in the Rust and Python runners.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const gridgov = require('../pkg-node/gridgov.js');

const ROOT = path.resolve(__dirname, '..', '..', 'tests');
const VECTORS = path.join(ROOT, 'vectors');
const FIXTURES = path.join(ROOT, 'fixtures');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(VECTORS, 'manifest.json'), 'utf8'));

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'arguments' ? [] : files(p);
    return e.name.endsWith('.json') && e.name !== 'manifest.json' ? [p] : [];
  }).sort();
}

// RFC 6902 `add`, `replace` and `remove` on a copy of `doc`.
function applyPatch(doc, patch) {
  const out = structuredClone(doc);
  for (const op of patch) {
    const parts = op.path.split('/').slice(1).map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
    let parent = out;
    for (const p of parts.slice(0, -1)) parent = Array.isArray(parent) ? parent[Number(p)] : parent[p];
    const last = parts[parts.length - 1];
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (op.op === 'remove') parent.splice(i, 1);
      else if (op.op === 'add') parent.splice(i, 0, op.value);
      else parent[i] = op.value;
    } else if (op.op === 'remove') {
      delete parent[last];
    } else {
      parent[last] = op.value;
    }
  }
  return out;
}

// A fixture reference as its document; any other value as it is.
function resolve(v) {
  if (v && typeof v === 'object' && !Array.isArray(v) && '$fixture' in v) {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${v.$fixture}.json`), 'utf8'));
    return applyPatch(doc, v.patch ?? []);
  }
  return v;
}

// A JSON string is raw text; anything else (a fixture resolved) is serialised.
const argText = (v) => (typeof v === 'string' ? v : JSON.stringify(resolve(v)));
const opt = (args, name) => (args[name] === undefined || args[name] === null ? undefined : argText(args[name]));

const engines = new Map();
function engine(args) {
  const org = opt(args, 'org');
  const rules = opt(args, 'rules');
  const calendar = opt(args, 'calendar');
  const validation = args.validation ?? undefined;
  const key = JSON.stringify([org ?? null, rules ?? null, calendar ?? null, validation ?? null]);
  if (!engines.has(key)) {
    engines.set(key, org === undefined && rules === undefined && calendar === undefined && validation === undefined
      ? gridgov.Engine.fushan()
      : new gridgov.Engine(org, rules, calendar, validation));
  }
  return engines.get(key);
}

// The JS name of a manifest method (the manifest gives the JS names).
function call(entry, args) {
  const spec = MANIFEST.entries[entry];
  if (!spec) throw new Error(`entry ${entry} is not in tests/vectors/manifest.json`);
  const methods = Array.isArray(spec.js) ? spec.js : [spec.js];
  const values = spec.args.map((a) => {
    const [raw, kind] = a.split(':');
    const name = raw.replace(/\?$/, '');
    const v = args[name] ?? spec.defaults?.[name];
    if (v === undefined || v === null) {
      if (!raw.endsWith('?')) throw new Error(`the vector lacks argument ${name}`);
      return undefined;
    }
    return kind === 'bool' || kind === 'int' ? v : argText(v);
  });
  let target;
  if (spec.on === 'module') target = gridgov;
  else if (spec.on === 'ledger') target = new gridgov.Ledger(argText(args.ledger));
  else {
    target = engine(args);
    if (spec.ledger) values.unshift(new gridgov.Ledger(argText(args.ledger)));
  }
  let result = target[methods[0]](...values);
  for (const m of methods.slice(1)) result = target[m]();
  return result;
}

const all = files(VECTORS);

test('there are vectors of every kind in the manifest', () => {
  assert.ok(all.length >= 400);
  const kinds = new Set(all.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')).entry));
  for (const k of kinds) assert.ok(k in MANIFEST.entries, k);
  for (const k of Object.keys(MANIFEST.entries)) assert.ok(kinds.has(k), k);
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
