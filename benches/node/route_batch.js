// Node benchmark of the WASM package's batch paths: 1,000,000 seeded cases routed by
// `routeCsv` (a cases CSV) and by `routeArrow` (an Arrow IPC stream), and per-call `route`
// for comparison. Build first
// (`bash wasm/build.sh`), then: node benches/node/route_batch.js [cases] [repeats]
//
// The native figures to compare with: `cargo bench -p gridgov-benches --bench route --
// route_fushan` (the same cases through the same core functions, natively: `route_csv`
// and `route_ipc`).
'use strict';
const path = require('node:path');
const gridgov = require(path.resolve(__dirname, '..', '..', 'wasm', 'pkg-node', 'gridgov.js'));

const n = Number(process.argv[2] ?? 1_000_000);
const repeats = Number(process.argv[3] ?? 3);
const engine = gridgov.Engine.fushan();

let t = process.hrtime.bigint();
const csv = engine.simulateCasesCsv(2026, 3, n, 20_260_301);
console.log(`simulated ${n.toLocaleString('en')} cases (${(csv.length / 1e6).toFixed(1)} MB of CSV) in ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(2)} s`);

let best = Infinity;
let out = '';
for (let r = 0; r < repeats; r += 1) {
  t = process.hrtime.bigint();
  out = engine.routeCsv(csv);
  best = Math.min(best, Number(process.hrtime.bigint() - t));
}
const rows = out.split('\n').length - 2;
if (rows !== n) throw new Error(`expected ${n} decisions, got ${rows}`);
console.log(`routeCsv (batch, CSV in and out, string crossing included): ${(best / n).toFixed(0)} ns per case, best of ${repeats}`);

// The Arrow batch path: the same cases as an Arrow IPC stream in, the decisions as an IPC
// stream out (the bytes copied across the boundary both ways).
const ipc = engine.simulateCasesArrow(2026, 3, n, 20_260_301);
best = Infinity;
let decisions = null;
for (let r = 0; r < repeats; r += 1) {
  t = process.hrtime.bigint();
  decisions = engine.routeArrow(ipc, 'column');
  best = Math.min(best, Number(process.hrtime.bigint() - t));
}
console.log(`routeArrow (batch, Arrow IPC in and out, ${(ipc.length / 1e6).toFixed(1)} MB in, ${(decisions.length / 1e6).toFixed(1)} MB out): ${(best / n).toFixed(0)} ns per case, best of ${repeats}`);

// Per call, object in and out (JSON through the boundary), on the first 100,000 cases.
const lines = csv.trimEnd().split('\n');
const cases = [];
for (let i = 1; i < lines.length && cases.length < 100_000; i += 1) {
  if (lines[i].includes('"')) continue;
  const f = lines[i].split(',');
  const c = { id: f[0], channel: f[1], category: f[2], location: f[3], reported_at: f[4],
    people_involved: Number(f[5]), amount_yuan: f[6], repeat_count: Number(f[7]) };
  if (f[8]) c.risk_flags = [f[8]];
  cases.push(c);
}
best = Infinity;
for (let r = 0; r < repeats; r += 1) {
  t = process.hrtime.bigint();
  for (const c of cases) {
    try { engine.route(c); } catch (e) { /* a case needing attributes the split dropped */ }
  }
  best = Math.min(best, Number(process.hrtime.bigint() - t));
}
console.log(`route (object in and out), per call: ${(best / cases.length).toFixed(0)} ns`);
