//! The object API: plain JS objects in and out, converted with `JSON.stringify` and
//! `JSON.parse` around the core's JSON entry points, so that `route(case)` is exactly
//! `JSON.parse(routeJson(JSON.stringify(case)))`. Types are in the TypeScript section
//! below.

use gridgov::error::Error;
use wasm_bindgen::prelude::*;

use js_sys::JsString;

use crate::{JsEngine, JsLedger, text, to_js};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** How a case came in. */
export type Channel = "visit" | "app" | "hotline" | "petition" | "walk_in" | "lawyer_desk";
/** The five levels of the organisation. */
export type Level = "micro_grid" | "grid" | "community" | "subdistrict" | "department";

/** A case as reported (`amount_yuan` as text or a number with at most two places). */
export interface Case {
  id: string;
  channel: Channel;
  category: string;
  location: string;
  reported_at: string;
  people_involved?: number;
  amount_yuan?: string | number;
  repeat_count?: number;
  risk_flags?: string[];
  attributes?: Record<string, boolean | number | string | string[]>;
  reporter?: { name?: string; phone?: string; id_number?: string };
  summary?: string;
}

/** The deciding row of a rule table. */
export interface RuleRef { table: string; row: string; why: string }

/** Where a case goes, who acts first and by when, and why. */
export interface Decision {
  case: string;
  version: string;
  grade: string | null;
  level: Level;
  unit: string | null;
  unit_name: string | null;
  office: string | null;
  co_offices: string[];
  handler: string | null;
  handler_role: string | null;
  time_limit: string;
  due: string;
  flags: string[];
  rule: RuleRef;
  trace: string[];
}

/** A person of the organisation. */
export interface Person { id: string; name: string; role: string; unit?: string; office?: string; synthetic?: boolean }

/** A unit of the organisation with the units it contains. */
export interface OrgNode {
  id: string;
  kind: string;
  name: string;
  name_en?: string;
  households?: number;
  children?: OrgNode[];
}

/** Someone asking: a person id (or a resident's id number), a role, and a unit or office. */
export interface Actor { id: string; role: string; unit?: string }

/** A problem in a rule set. */
export interface Problem { code: string; message: string; location?: Record<string, string | number> }
/** The result of validating a rule set. */
export interface Validation { errors: Problem[]; warnings: Problem[] }

/** A month's scoring request (the table, when scoring outcomes, as `outcomes` or `outcomes_csv`). */
export interface ScoreRequest {
  month: string;
  budget_fen?: number;
  history?: number;
  inspections?: { grid: string; month: string; failed: number }[];
  outcomes?: Record<string, unknown>[];
  outcomes_csv?: string;
  visits?: { unit: string; at: string; households: number }[];
}

/** A scored grid, worker or community. */
export interface UnitScore {
  id: string;
  name: string;
  community?: string | null;
  worker?: string | null;
  rank: number;
  previous_rank: number | null;
  change: number | null;
  score: string;
  items: string[];
  indicators: Record<string, string | null>;
  counts: Record<string, number>;
  inactive?: boolean;
  red_streak?: number;
  black_streak?: number;
}

/** A month's evaluation. */
export interface MonthReport {
  month: string;
  version: string;
  scheme: string;
  scheme_items: string[];
  grids: UnitScore[];
  red_list: string[];
  black_list: string[];
  inactive: { grid: string; name: string; worker?: string; months: number; zombie: boolean }[];
  workers: UnitScore[];
  communities: UnitScore[];
  [key: string]: unknown;
}

/** Which cases decide differently under two rule sets, and how. */
export interface BacktestReport {
  cases: number;
  same: number;
  different: number;
  errors_a: number;
  errors_b: number;
  changed: Record<string, number>;
  moves: { from: string; to: string; cases: number }[];
  differences: { row: number; case: string; changed: string[]; a: Record<string, unknown>; b: Record<string, unknown> }[];
  differences_left_out: number;
}
"#;

/// `JSON.stringify(value)`, or a coded `Error` naming the argument.
pub(crate) fn stringify(value: &JsValue, name: &str) -> Result<String, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .filter(|_| !value.is_undefined() && !value.is_function() && !value.is_symbol());
    text.ok_or_else(|| {
        to_js(&Error::input(
            "argument",
            format!("`{name}` must be an object (or JSON text) that JSON.stringify can write"),
        ))
    })
}

/// `JSON.parse` of the core's own output (always valid JSON).
pub(crate) fn parse(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}

#[wasm_bindgen(js_class = Engine)]
impl JsEngine {
    /// Routes one case given as an object; returns the decision as an object.
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming what is wrong with the case.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn route(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Case")] case: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let case = stringify(case, "case")?;
        gridgov::json::route_json_str(&self.inner, &case)
            .map(|s| parse(&s))
            .map_err(|e| to_js(&e))
    }

    /// The batch path: a cases CSV in, the decisions CSV out (one row per case, in order;
    /// rows that cannot be routed carry `error_code` and `error`).
    ///
    /// # Errors
    /// A JS `Error` with a `code` when the text is not CSV or its header is wrong.
    #[wasm_bindgen(js_name = routeCsv)]
    pub fn route_csv(&self, cases: &JsString) -> Result<String, JsValue> {
        let cases = text(cases, "cases")?;
        gridgov::batch::route_csv(&self.inner, &cases).map_err(|e| to_js(&e))
    }

    /// `count` seeded cases reported in `year`-`month`, valid for the rule set, as a cases
    /// CSV: the same cases as Rust and Python give for the same seed.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a month that does not exist or too many cases.
    #[wasm_bindgen(js_name = simulateCasesCsv)]
    pub fn simulate_cases_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] year: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] month: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] count: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] seed: &JsValue,
    ) -> Result<String, JsValue> {
        let (year, month, count, seed) = simulation(year, month, count, seed)?;
        let cases = gridgov::sim::month_cases(&self.inner, year, month, count, seed);
        Ok(gridgov::batch::cases_to_csv(&cases))
    }

    /// A seeded month of work through a new ledger: cases reported, taken in, routed,
    /// handled, escalated when overdue, evaluated; visits made.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a month that does not exist or too many cases.
    #[wasm_bindgen(js_name = simulateMonth)]
    pub fn simulate_month(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] year: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] month: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] count: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] seed: &JsValue,
    ) -> Result<JsLedger, JsValue> {
        let (year, month, count, seed) = simulation(year, month, count, seed)?;
        let sim = gridgov::sim::simulate_month(&self.inner, year, month, count, seed);
        Ok(JsLedger { inner: sim.ledger })
    }

    /// Whether unit `outer` contains unit `inner` (a unit contains itself).
    ///
    /// # Errors
    /// A JS `Error` with code `unknown_unit`.
    pub fn contains(&self, outer: &JsString, inner: &JsString) -> Result<bool, JsValue> {
        let outer = text(outer, "outer")?;
        let inner = text(inner, "inner")?;
        self.inner
            .org()
            .contains(&outer, &inner)
            .map_err(|e| to_js(&Error::from(e)))
    }

    /// The id of the unit at `level` above (or at) `unit`; `undefined` when there is none.
    ///
    /// # Errors
    /// A JS `Error` with code `unknown_unit` or `unknown_level`.
    #[wasm_bindgen(js_name = unitAtLevel)]
    pub fn unit_at_level(
        &self,
        unit: &JsString,
        level: &JsString,
    ) -> Result<Option<String>, JsValue> {
        let unit = text(unit, "unit")?;
        let level = text(level, "level")?;
        let level = parse_level(&level)?;
        self.inner
            .org()
            .unit_at_level(&unit, level)
            .map(|u| u.map(|u| u.id.to_string()))
            .map_err(|e| to_js(&Error::from(e)))
    }

    /// Who holds the duty for `unit` at `level`; `null` when the post is vacant.
    ///
    /// # Errors
    /// A JS `Error` with code `unknown_unit` or `unknown_level`.
    #[wasm_bindgen(js_name = dutyHolder, unchecked_return_type = "Person | null")]
    pub fn duty_holder(&self, unit: &JsString, level: &JsString) -> Result<JsValue, JsValue> {
        let unit = text(unit, "unit")?;
        let level = text(level, "level")?;
        let level = parse_level(&level)?;
        self.inner
            .org()
            .duty_holder(&unit, level)
            .map(|p| p.map_or(JsValue::NULL, |p| parse(&gridgov::json::person_json(p))))
            .map_err(|e| to_js(&Error::from(e)))
    }

    /// The organisation's name, counts per level and coverage report.
    #[must_use]
    pub fn summary(&self) -> JsValue {
        parse(&gridgov::json::org_summary_json(self.inner.org()))
    }

    /// The organisation's units as trees (territory, party hierarchy), for display.
    #[wasm_bindgen(js_name = orgTree, unchecked_return_type = "OrgNode[]")]
    #[must_use]
    pub fn org_tree(&self) -> JsValue {
        parse(&gridgov::json::org_tree_json(self.inner.org()))
    }

    /// The rule set in force, as JSON text (defaults written out): edit it and build a new
    /// engine with `withRules`.
    #[wasm_bindgen(js_name = rulesJson)]
    #[must_use]
    pub fn rules_json(&self) -> String {
        gridgov::json::rules_json(self.inner.rules())
    }

    /// This engine's organisation and calendar under another rule set (an object or JSON
    /// text).
    ///
    /// # Errors
    /// A JS `Error` with a `code` when the rule set does not read or does not fit.
    #[wasm_bindgen(js_name = withRules)]
    pub fn with_rules(&self, rules: &JsValue) -> Result<JsEngine, JsValue> {
        let rules = stringify(rules, "rules")?;
        gridgov::RuleSet::from_json_str(&rules)
            .map_err(Error::from)
            .and_then(|r| self.inner.with_rules(r))
            .map(|inner| JsEngine { inner })
            .map_err(|e| to_js(&e))
    }

    /// The rule set's warnings and those about how it fits the organisation.
    #[wasm_bindgen(unchecked_return_type = "Problem[]")]
    #[must_use]
    pub fn warnings(&self) -> JsValue {
        parse(&self.warnings_json())
    }

    /// The cases past their deadline at `now` (RFC 3339 text), each with its escalation.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a bad time.
    pub fn overdue(&self, ledger: &JsLedger, now: &JsString) -> Result<JsValue, JsValue> {
        let now = text(now, "now")?;
        gridgov::json::overdue_json(&self.inner, &ledger.inner, &now)
            .map(|s| parse(&s))
            .map_err(|e| to_js(&e))
    }

    /// Everything the engine proposes at `now`: escalations, reminders, reopenings,
    /// reroutes.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a bad time.
    pub fn actions(&self, ledger: &JsLedger, now: &JsString) -> Result<JsValue, JsValue> {
        let now = text(now, "now")?;
        gridgov::json::actions_json(&self.inner, &ledger.inner, &now)
            .map(|s| parse(&s))
            .map_err(|e| to_js(&e))
    }

    /// A case's timeline; `isPublic` masks personal data.
    ///
    /// # Errors
    /// A JS `Error` with a `code` when the ledger has no such case.
    pub fn timeline(
        &self,
        ledger: &JsLedger,
        case: &JsString,
        is_public: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        let case = text(case, "case")?;
        gridgov::json::timeline_json(
            &self.inner,
            &ledger.inner,
            &case,
            is_public.unwrap_or(false),
        )
        .map(|s| parse(&s))
        .map_err(|e| to_js(&e))
    }

    /// Scores a month of a ledger: `{month, budget_fen?, history?, inspections?}`.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a bad request.
    #[wasm_bindgen(unchecked_return_type = "MonthReport")]
    pub fn score(
        &self,
        ledger: &JsLedger,
        #[wasm_bindgen(unchecked_param_type = "ScoreRequest")] request: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let request = stringify(request, "request")?;
        gridgov::json::score_json(&self.inner, &ledger.inner, &request)
            .map(|s| parse(&s))
            .map_err(|e| to_js(&e))
    }

    /// Scores a month of an outcome table given in the request (`outcomes` or
    /// `outcomes_csv`).
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming a bad row's line and column.
    #[wasm_bindgen(js_name = scoreOutcomes, unchecked_return_type = "MonthReport")]
    pub fn score_outcomes(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScoreRequest")] request: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let request = stringify(request, "request")?;
        gridgov::json::score_outcomes_json_str(&self.inner, &request)
            .map(|s| parse(&s))
            .map_err(|e| to_js(&e))
    }

    /// What if: the cases (an array of case objects) under this engine's rules and under
    /// `rulesB` (an object or JSON text).
    ///
    /// # Errors
    /// A JS `Error` with a `code` when `rulesB` does not read or fit.
    #[wasm_bindgen(unchecked_return_type = "BacktestReport")]
    pub fn backtest(
        &self,
        rules_b: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "Case[]")] cases: &JsValue,
        limit: Option<u32>,
    ) -> Result<JsValue, JsValue> {
        let rules_b = stringify(rules_b, "rulesB")?;
        let cases = stringify(cases, "cases")?;
        let limit = limit.map_or(1000, |l| usize::try_from(l).unwrap_or(usize::MAX));
        gridgov::json::backtest_rules_json_str(&self.inner, &rules_b, &cases, limit)
            .map(|s| parse(&s))
            .map_err(|e| to_js(&e))
    }
}

#[wasm_bindgen(js_class = Engine)]
impl JsEngine {
    /// `{"actor", "action", "case"}` (JSON text) → `{"allowed": bool}`, the core's bytes.
    ///
    /// # Errors
    /// A JS `Error` with a `code`.
    #[wasm_bindgen(js_name = canJson)]
    pub fn can_json(&self, ledger: &JsLedger, request: &JsString) -> Result<String, JsValue> {
        let request = text(request, "request")?;
        gridgov::json::can_json(&self.inner, &ledger.inner, &request).map_err(|e| to_js(&e))
    }

    /// The ids of the cases `actor` (JSON text) may see, as the core's JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code`.
    #[wasm_bindgen(js_name = visibleCasesJson)]
    pub fn visible_cases_json(
        &self,
        ledger: &JsLedger,
        actor: &JsString,
    ) -> Result<String, JsValue> {
        let actor = text(actor, "actor")?;
        gridgov::json::visible_cases_json(&self.inner, &ledger.inner, &actor).map_err(|e| to_js(&e))
    }

    /// `exportCases` with the actor as JSON text; the core's JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code`.
    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self, ledger: &JsLedger, actor: &JsString) -> Result<String, JsValue> {
        let actor = text(actor, "actor")?;
        gridgov::json::export_json(&self.inner, &ledger.inner, &actor).map_err(|e| to_js(&e))
    }

    /// `timelineFor` with the actor as JSON text; the core's JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code`.
    #[wasm_bindgen(js_name = timelineForJson)]
    pub fn timeline_for_json(
        &self,
        ledger: &JsLedger,
        actor: &JsString,
        case_id: &JsString,
    ) -> Result<String, JsValue> {
        let actor = text(actor, "actor")?;
        let case_id = text(case_id, "caseId")?;
        gridgov::json::timeline_for_json(&self.inner, &ledger.inner, &actor, &case_id)
            .map_err(|e| to_js(&e))
    }

    /// Whether `actor` (`{id, role, unit?}`) may take `action` (`view`, `act`, `escalate`,
    /// `resolve`, `evaluate`, `export`) on case `caseId` of `ledger`.
    ///
    /// # Errors
    /// A JS `Error` with a `code`: `unknown_role`, `actor_unit`, or `input` for a case the
    /// ledger does not have.
    pub fn can(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: &JsValue,
        action: &JsString,
        ledger: &JsLedger,
        case_id: &JsString,
    ) -> Result<bool, JsValue> {
        let actor = stringify(actor, "actor")?;
        let action = text(action, "action")?;
        let case_id = text(case_id, "caseId")?;
        gridgov::json::can_for(&self.inner, &ledger.inner, &actor, &action, &case_id)
            .map_err(|e| to_js(&e))
    }

    /// The ids of the cases `actor` may see, in the order they were reported.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for an unknown role or unit.
    #[wasm_bindgen(js_name = visibleCases, unchecked_return_type = "string[]")]
    pub fn visible_cases(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: &JsValue,
        ledger: &JsLedger,
    ) -> Result<JsValue, JsValue> {
        let actor = stringify(actor, "actor")?;
        gridgov::json::visible_cases_json(&self.inner, &ledger.inner, &actor)
            .map(|s| parse(&s))
            .map_err(|e| to_js(&e))
    }

    /// The states of the cases `actor` may see, for export: the role must allow `export`;
    /// personal data are masked unless the role sees them.
    ///
    /// # Errors
    /// A JS `Error` with a `code` (`forbidden` when the role may not export).
    #[wasm_bindgen(js_name = exportCases)]
    pub fn export_cases(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: &JsValue,
        ledger: &JsLedger,
    ) -> Result<JsValue, JsValue> {
        let actor = stringify(actor, "actor")?;
        gridgov::json::export_json(&self.inner, &ledger.inner, &actor)
            .map(|s| parse(&s))
            .map_err(|e| to_js(&e))
    }

    /// A case's timeline as `actor` may see it (public unless the role sees personal data).
    ///
    /// # Errors
    /// A JS `Error` with a `code` (`out_of_scope` for a case beyond the actor's reach).
    #[wasm_bindgen(js_name = timelineFor)]
    pub fn timeline_for(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: &JsValue,
        ledger: &JsLedger,
        case_id: &JsString,
    ) -> Result<JsValue, JsValue> {
        let actor = stringify(actor, "actor")?;
        let case_id = text(case_id, "caseId")?;
        gridgov::json::timeline_for_json(&self.inner, &ledger.inner, &actor, &case_id)
            .map(|s| parse(&s))
            .map_err(|e| to_js(&e))
    }
}

#[wasm_bindgen(js_class = Ledger)]
impl JsLedger {
    /// Appends one event (an object); throws and leaves the ledger unchanged when it does
    /// not fit the case's state.
    ///
    /// # Errors
    /// A JS `Error` with a `code`.
    pub fn append(&mut self, event: &JsValue) -> Result<(), JsValue> {
        let event = stringify(event, "event")?;
        self.inner
            .append_json_str(&event)
            .map_err(|e| to_js(&Error::from(e)))
    }

    /// Appends several events (an array), all or none.
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming the event refused.
    pub fn extend(&mut self, events: &JsValue) -> Result<(), JsValue> {
        let events = stringify(events, "events")?;
        self.inner
            .append_all_json_str(&events)
            .map_err(|e| to_js(&Error::from(e)))
    }

    /// The folded state of every case (a snapshot).
    #[must_use]
    pub fn state(&self) -> JsValue {
        parse(&self.state_json())
    }

    /// A case's timeline as the people of `engine`'s organisation see it; `isPublic`
    /// masks personal data.
    ///
    /// # Errors
    /// A JS `Error` with a `code` when the ledger has no such case.
    pub fn timeline(
        &self,
        engine: &JsEngine,
        case: &JsString,
        is_public: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        let case = text(case, "case")?;
        gridgov::json::timeline_json(
            &engine.inner,
            &self.inner,
            &case,
            is_public.unwrap_or(false),
        )
        .map(|s| parse(&s))
        .map_err(|e| to_js(&e))
    }
}

/// Validates a rule set (an object or JSON text): its errors and warnings.
///
/// # Errors
/// A JS `Error` when the argument cannot be written as JSON.
#[wasm_bindgen(js_name = validateRules, unchecked_return_type = "Validation")]
pub fn validate_rules(rules: &JsValue) -> Result<JsValue, JsValue> {
    let rules = stringify(rules, "rules")?;
    Ok(parse(&gridgov::json::validate_rules_json_str(&rules)))
}

fn parse_level(level: &str) -> Result<gridgov::Level, JsValue> {
    level.parse::<gridgov::Level>().map_err(|e| {
        let err = js_sys::Error::new(&e.to_string());
        let _ = js_sys::Reflect::set(&err, &"code".into(), &"unknown_level".into());
        err.into()
    })
}

/// The most cases one simulation call makes.
const MAX_SIMULATED: f64 = 10_000_000.0;

/// A whole number from 0 to `max`, or an `Error` with code `input` naming the argument.
fn whole(value: f64, name: &str, max: f64) -> Result<f64, JsValue> {
    if value.is_finite() && value.fract() == 0.0 && (0.0..=max).contains(&value) {
        Ok(value)
    } else {
        Err(to_js(&Error::input(
            "argument",
            format!("`{name}` is {value}; give a whole number from 0 to {max}"),
        )))
    }
}

/// The arguments of a simulation, checked: a month that exists, at most
/// [`MAX_SIMULATED`] cases, a seed that is a safe integer.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "each value is checked to be a whole number in range first"
)]
fn simulation(
    year: &JsValue,
    month: &JsValue,
    count: &JsValue,
    seed: &JsValue,
) -> Result<(i32, u32, usize, u64), JsValue> {
    let number = |v: &JsValue, name: &str| {
        v.as_f64().ok_or_else(|| {
            to_js(&Error::input(
                "argument",
                format!("`{name}` must be a number"),
            ))
        })
    };
    let (year, month, count, seed) = (
        number(year, "year")?,
        number(month, "month")?,
        number(count, "count")?,
        number(seed, "seed")?,
    );
    let year = whole(year, "year", 9999.0)? as i32;
    let month = whole(month, "month", 12.0)? as u32;
    let count = whole(count, "count", MAX_SIMULATED)? as usize;
    let seed = whole(seed, "seed", 9_007_199_254_740_991.0)? as u64;
    if gridgov::score::Month::new(year, month).is_none() {
        return Err(to_js(&Error::input(
            "argument",
            format!(
                "{year}-{month} is not a month gridgov can simulate; give a year from 1970 and a month from 1 to 12"
            ),
        )));
    }
    Ok((year, month, count, seed))
}
