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
