// Type-checked in CI with `tsc --noEmit -p wasm/tsconfig.json`: the API as a TypeScript
// user writes it against the generated declarations.
import * as gridgov from "../pkg-node/gridgov.js";

declare const console: { log(...values: unknown[]): void };

const engine: gridgov.Engine = gridgov.Engine.fushan();
const c: gridgov.Case = {
  id: "c1",
  channel: "hotline",
  category: "neighbour_dispute",
  location: "fs-c01-g02-m1",
  reported_at: "2026-03-02T09:15:00+08:00",
  people_involved: 3,
  amount_yuan: "1200.50",
};
const d: gridgov.Decision = engine.route(c);
const explained: string[] | undefined = engine.route(c, true).trace;
const level: gridgov.Level = d.level;
const why: string = d.rule.why;
const holder: gridgov.Person | null = engine.dutyHolder("fs-c01-g02-m1", "grid");
// A case from a phone may give a map point instead of a micro-grid.
const byPoint: gridgov.Case = { ...c, location: undefined, point: { lon: 116.950333, lat: 35.386125, crs: "gcj02" } };
const placed: { micro_grid: string; grid: string | null; community: string | null } =
  engine.locate({ lon: 116.950333, lat: 35.386125, crs: "gcj02" });
const teams: gridgov.TeamSuggestion[] = engine.suggestTeams({ category: "livelihood", location: "fs-c01-g01-m1" });
const firstTeam: string = teams[0].team;
const meetingHeld: gridgov.Event = {
  type: "meeting_held",
  meeting: { id: "m1", grids: ["fs-c01-g01"], attendees: [{ role: "liaison", person: "fs-cm01-1" }] },
};
const where: Int32Array = engine.locateBatch(new Float64Array([116.95]), new Float64Array([35.386]), "gcj02");
const microGrids: string[] = engine.microGrids();
const geojson: string = engine.mapJson("wgs84");
const answer: string = engine.open311Json(JSON.stringify({ call: "services" }));
const converted: string = gridgov.open311ConvertJson(JSON.stringify({ text: "<errors/>", from: "xml" }));
console.log(byPoint, placed, where, microGrids, geojson, answer, converted);
const tree: gridgov.OrgNode[] = engine.orgTree();
const ledger: gridgov.Ledger = engine.simulateMonth(2026, 3, 100, 1);
const report: gridgov.MonthReport = engine.score(ledger, { month: "2026-03", budget_fen: 100_000 });
// A grid with no data to score is not evaluable: its score is null and it has no rank.
const top: string | null = report.grids[0].score;
const best: string | undefined = report.ranking[0]?.score;
const alerts: gridgov.DecisionWarning[] = d.warnings ?? [];
const what: gridgov.BacktestReport = engine.backtest(engine.rulesJson(), [c]);
const moved: number = what.moves.reduce((n, m) => n + m.cases, 0);
const check: gridgov.Validation = gridgov.validateRules(engine.rulesJson());
const decisionsCsv: string = engine.routeCsv(engine.simulateCasesCsv(2026, 3, 10, 1));
const casesArrow: Uint8Array = engine.simulateCasesArrow(2026, 3, 10, 1);
const decisionsArrow: Uint8Array = engine.routeArrow(casesArrow, 'column');
const fromBuffer: Uint8Array = engine.routeArrow(casesArrow.slice().buffer);
declare const outcomesArrow: Uint8Array;
const scored: gridgov.MonthReport = engine.scoreOutcomesArrow(outcomesArrow, { month: "2026-03", budget_fen: 100_000 });
const scoredJson: string = engine.scoreOutcomesArrowJson(outcomesArrow.slice().buffer, '{"month": "2026-03"}');
// The shapes of the workflow and the rule set are generated from the Rust types too.
const todo: gridgov.Actions = engine.actions(ledger, "2026-03-31T17:30:00+08:00");
const climbs: number = todo.escalations.filter((e) => e.action === "escalate").length;
const state: gridgov.LedgerState = ledger.state();
const firstStatus: gridgov.Status | undefined = state.cases[0]?.status;
const steps: gridgov.TimelineEntry[] = engine.timeline(ledger, state.cases[0].case.id, true);
const spec: gridgov.RuleSetSpec = JSON.parse(engine.rulesJson());
const stricter: gridgov.Engine = engine.withRules({ ...spec, name: "stricter" });
const summary: gridgov.OrgSummary = engine.summary();
const grids: number = summary.counts.units.grid ?? 0;
const fresh: gridgov.Engine = new gridgov.Engine();
console.log(climbs, firstStatus, steps.length, stricter.rulesJson().length, grids, fresh.warnings().length);
try {
  engine.route({ ...c, location: "nowhere" });
} catch (e) {
  const code: string = (e as Error & { code: string }).code;
  console.log(code);
}
console.log(level, why, holder?.id, tree.length, top, moved, check.errors.length, decisionsCsv.length, decisionsArrow.length, fromBuffer.length);
// The write path: an authorized record and its receipt.
const worker: gridgov.Actor = { id: "fs-gw002", role: "grid_worker" };
const receipts: gridgov.Receipt[] = engine.recordIntake(ledger, worker, { ...c, id: "w1" });
const receipt: gridgov.Receipt = engine.record(ledger, worker, {
  case: "w1", at: "2026-03-03T10:00:00+08:00", actor: "fs-gw002",
  event: { type: "resolved", level: "grid", how: "调解达成协议" }, event_id: "app-1",
});
const duplicate: boolean = receipt.outcome === "duplicate";
const chainHead: string = ledger.verify().head;
console.log(receipts.length, duplicate, chainHead === ledger.head, steps[0]?.hash);
// The closed loop: a booking into a sitting, the loop's state, what actions lists.
const booked: gridgov.Booking | undefined = d.sitting;
const loop: gridgov.LoopState | undefined = ledger.state().cases[0]?.closed_loop;
const step: gridgov.PetitionStep | undefined = loop?.petition?.step;
const later: gridgov.Actions = engine.actions(ledger, "2026-03-31T17:30:00+08:00");
const late: boolean = (later.call_backs ?? []).some((cb) => cb.late);
const supervise: gridgov.EventRecord = {
  case: "w1", at: "2026-03-04T09:00:00+08:00", actor: "fs-cm01-1",
  event: { type: "supervised", order: "请加快办理", within: "1 working day" },
};
console.log(booked?.at, step, late, (later.shelved ?? []).length, supervise.event.type);

// The declarations are real types, not `any`: each line below must be a type error.
// @ts-expect-error: a channel is one of the rule set's channel ids, text, not a number
const fax: gridgov.Case = { ...c, channel: 5 };
// @ts-expect-error: a decision's level is a Level, not a number
const n: number = d.level;
// @ts-expect-error: route takes a case, not a number
engine.route(5);
// @ts-expect-error: a ledger state's case has a status from the closed list
const wrongStatus: gridgov.Status = "lost";
// @ts-expect-error: actions takes a Ledger, not its JSON
engine.actions(ledger.toJson(), "2026-03-31T17:30:00+08:00");
// @ts-expect-error: a receipt's outcome is "appended" or "duplicate"
const lost: gridgov.Receipt = { outcome: "lost", index: 0, hash: "" };
// @ts-expect-error: record takes an event record, not a case
engine.record(ledger, worker, c);
// @ts-expect-error: a point's coordinate system is one of wgs84, gcj02, bd09
const utm: gridgov.GeoPoint = { lon: 1, lat: 2, crs: "utm" };
// @ts-expect-error: an extension gives its days as a number
const ext: gridgov.Event = { type: "extended", days: "30", approval: "批准" };
// @ts-expect-error: what a visit found is one of nothing, need, dispute, risk
const gossip: gridgov.Event = { type: "visited", unit: "fs-c01-g01", households: 1, found: ["gossip"] };
console.log(fax, n, wrongStatus, lost, utm, ext, gossip, firstTeam, meetingHeld);
