// The shared bad-argument vectors (tests/vectors/arguments/) through the JS API: the same
// wrong argument gives the same error code and message as in Rust and Python.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const gridgov = require('../pkg-node/gridgov.js');

const VECTORS = path.resolve(__dirname, '..', '..', 'tests', 'vectors');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(VECTORS, 'manifest.json'), 'utf8'));
const DIR = path.join(VECTORS, 'arguments');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

const value = (a) => (a && typeof a === 'object' && a.$new === 'Ledger' ? new gridgov.Ledger() : a);

function call(name, args) {
  const spec = MANIFEST.calls[name];
  const values = spec.params.map((p, i) => {
    const optional = p.endsWith('?');
    const a = args[i] ?? null;
    return optional && a === null ? undefined : value(a);
  });
  if (spec.on === 'module') return gridgov[spec.js](...values);
  if (spec.on === 'constructor') return new gridgov[spec.js](...values);
  return gridgov.Engine.fushan()[spec.js](...values);
}

test('there are argument vectors for every call', () => {
  assert.ok(files.length >= 20);
  const used = new Set(files.map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')).call));
  assert.deepEqual([...used].sort(), Object.keys(MANIFEST.calls).sort());
});

for (const f of files) {
  const v = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'));
  test(`arguments/${f}`, () => {
    assert.throws(() => call(v.call, v.args), (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.code, v.error.code);
      assert.equal(e.message, v.error.message);
      return true;
    });
  });
}
