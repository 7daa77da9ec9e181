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

function call(entry, args) {
  switch (entry) {
    case 'org_summary':
      return gridgov.orgSummaryJson(args.org === undefined || args.org === null ? undefined : argText(args.org));
    default:
      throw new Error(`no JS runner for entry point ${entry}`);
  }
}

const all = files(VECTORS);

test('there are vectors', () => {
  assert.ok(all.length >= 6);
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
