//! JSON entry points: the exact bytes that the Python and JS bindings return unchanged.
//!
//! Every function here is named `<what>_json`, takes the engine, ledger or organisation as
//! Rust objects and every other argument as JSON text (or plain text: an id, a time), and
//! returns JSON text: compact, keys in a fixed order. It only reads and writes JSON; the
//! decisions are the typed API's ([`Engine`] and its parts). The shared vectors under
//! `tests/vectors/` pin these outputs, and the Rust, Python and JS test suites compare them
//! byte for byte.

use serde::{Deserialize, Serialize};

use crate::access::{Action, Actor};
use crate::calendar::{Clock, Pause, TimeLimit};
use crate::case::ledger::Ledger;
use crate::engine::Engine;
use crate::error::Error;
use crate::input::from_json;
use crate::org::{OrgGraph, PersonSpec, UnitKind, UnitSpec};
use crate::rules::RuleSet;
use crate::score::{MonthReport, OutcomeRow, ScoreRequest, VisitRow};
use crate::text::to_json;
use crate::time::Timestamp;

/// The name, counts and coverage report of an organisation.
///
/// ```
/// let out = gridgov::json::org_summary_json(&gridgov::OrgGraph::fushan());
/// assert!(out.starts_with(r#"{"name":"凫山街道""#));
/// ```
#[must_use]
pub fn org_summary_json(org: &OrgGraph) -> String {
    to_json(&org.summary())
}

/// One unit of [`org_tree_json`] with the units it contains.
#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
struct OrgNode<'a> {
    id: &'a str,
    kind: UnitKind,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_en: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    households: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    children: Vec<OrgNode<'a>>,
}

fn tree_node<'a>(org: &'a OrgGraph, unit: &'a UnitSpec, depth: usize) -> OrgNode<'a> {
    // Hierarchies are a handful of levels deep; the bound only guards the recursion.
    let children = if depth < 32 {
        org.children(unit.id.as_str())
            .unwrap_or_default()
            .into_iter()
            .map(|c| tree_node(org, c, depth + 1))
            .collect()
    } else {
        Vec::new()
    };
    OrgNode {
        id: unit.id.as_str(),
        kind: unit.kind,
        name: &unit.name,
        name_en: unit.name_en.as_deref(),
        households: unit.households,
        children,
    }
}

/// The organisation's units as trees, one per root (the territory, the party hierarchy):
/// `[{"id", "kind", "name", "name_en"?, "households"?, "children"?: [...]}]`, children in
/// the order the spec lists them. For displays such as a collapsible tree.
///
/// ```
/// let out = gridgov::json::org_tree_json(&gridgov::OrgGraph::fushan());
/// assert!(out.starts_with(r#"[{"id":"fs","kind":"subdistrict","name":"凫山街道""#));
/// ```
#[must_use]
pub fn org_tree_json(org: &OrgGraph) -> String {
    let roots: Vec<OrgNode<'_>> = org
        .units()
        .filter(|u| u.parent.is_none())
        .map(|u| tree_node(org, u, 0))
        .collect();
    to_json(&roots)
}

/// A person of the organisation (a duty holder, say).
#[must_use]
pub fn person_json(person: &PersonSpec) -> String {
    to_json(person)
}

/// Who holds the duty for `unit` at `level` (named: `grid`, `community`…), as JSON: the
/// person, or `null` when the post is vacant.
///
/// ```
/// let org = gridgov::OrgGraph::fushan();
/// let out = gridgov::json::duty_holder_json(&org, "fs-c02-g03-m1", "grid")?;
/// assert!(out.contains(r#""role":"grid_worker""#));
/// assert_eq!(gridgov::json::duty_holder_json(&org, "fs-c02-g03-m1", "department")?, "null");
/// # Ok::<(), gridgov::Error>(())
/// ```
///
/// # Errors
/// [`Error::Lookup`] for an unknown unit or level, or a party unit.
pub fn duty_holder_json(org: &OrgGraph, unit: &str, level: &str) -> Result<String, Error> {
    Ok(org
        .duty_holder_at(unit, level)?
        .map_or_else(|| "null".to_owned(), person_json))
}

/// A rule set as the JSON document it was read from (normalised: defaults written out).
#[must_use]
pub fn rules_json(rules: &RuleSet) -> String {
    to_json(rules.spec())
}

/// Validates a rule set (JSON) and returns `{"errors": [...], "warnings": [...]}`, each
/// problem with its `code`, `location` (version, table, row, column) and `message`.
/// Never fails: a document that does not parse is reported as an error in the list.
#[must_use]
pub fn validate_rules_json(rules_json: &str) -> String {
    to_json(&RuleSet::validate_json_str(rules_json))
}

/// An engine's warnings: the rule set's and those about how it fits the organisation,
/// each with its `code`, `location` and `message`.
#[must_use]
pub fn warnings_json(engine: &Engine) -> String {
    to_json(&engine.warnings())
}

/// Routes one case (JSON) and returns the decision: its deciding row and `why`, without
/// the trace (see [`route_json_with`]).
///
/// ```
/// let engine = gridgov::Engine::fushan();
/// let out = gridgov::json::route_json(&engine, r#"{"id": "c1", "channel": "app",
///   "category": "property_crime", "location": "fs-c05-g01-m1",
///   "reported_at": "2026-03-02T09:00:00+08:00"}"#)?;
/// assert!(out.contains(r#""level":"department","unit":null"#));
/// assert!(out.contains(r#""office":"police_work_office""#));
/// assert!(!out.contains(r#""trace""#));
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Case`] when the case does not parse, [`Error::Route`] when it cannot be routed.
pub fn route_json(engine: &Engine, case_json: &str) -> Result<String, Error> {
    route_json_with(engine, case_json, false)
}

/// [`route_json`], with the decision's `trace` when `explain` is true: each row that
/// matched and the facts it read, then how the deadline was counted.
///
/// ```
/// let engine = gridgov::Engine::fushan();
/// let out = gridgov::json::route_json_with(&engine, r#"{"id": "c1", "channel": "app",
///   "category": "property_crime", "location": "fs-c05-g01-m1",
///   "reported_at": "2026-03-02T09:00:00+08:00"}"#, true)?;
/// assert!(out.contains(r#""trace":["routing/"#));
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// As [`route_json`].
pub fn route_json_with(engine: &Engine, case_json: &str, explain: bool) -> Result<String, Error> {
    // The ordinary case takes the lean path; any other, and any with something to report,
    // is read in full, whose decisions and messages are the reference.
    if let Some(json) = crate::lean::CaseText::from_json_str(case_json)
        .and_then(|c| engine.route_text_json(&c, explain))
    {
        return Ok(json);
    }
    route_json_full(engine, case_json, explain)
}

/// [`route_json_with`] reading the case in full (the reference of the lean path).
pub(crate) fn route_json_full(
    engine: &Engine,
    case_json: &str,
    explain: bool,
) -> Result<String, Error> {
    let case = engine.read_case(case_json)?;
    let decision = engine.route(&case)?;
    Ok(decision.to_json_with(explain))
}

/// The input of [`deadline_json`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineInput {
    start: Timestamp,
    time_limit: TimeLimit,
    #[serde(default)]
    pauses: Vec<Pause>,
}

/// The output of [`deadline_json`].
#[derive(Serialize)]
struct DeadlineOutput {
    start: Timestamp,
    time_limit: TimeLimit,
    clock: &'static str,
    due: Option<Timestamp>,
    paused: bool,
}

/// Counts a deadline on the engine's calendar: `{"start", "time_limit", "pauses"?}` →
/// `{"start", "time_limit", "clock", "due", "paused"}` (`due` is null while a pause is open).
///
/// ```
/// let engine = gridgov::Engine::fushan();
/// let out = gridgov::json::deadline_json(&engine,
///     r#"{"start": "2026-09-30T16:00:00+08:00", "time_limit": "4 working hours"}"#)?;
/// assert_eq!(out, r#"{"start":"2026-09-30T16:00:00+08:00","time_limit":"4 working hours","clock":"working","due":"2026-10-08T11:00:00+08:00","paused":false}"#);
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Json`] for a bad input, [`Error::Calendar`] outside the calendar's years.
pub fn deadline_json(engine: &Engine, input_json: &str) -> Result<String, Error> {
    let input: DeadlineInput = from_json("deadline input", input_json)?;
    let due =
        engine
            .calendar()
            .deadline_with_pauses(input.start, input.time_limit, &input.pauses)?;
    Ok(to_json(&DeadlineOutput {
        start: input.start,
        time_limit: input.time_limit,
        clock: match input.time_limit.unit().clock() {
            Clock::Working => "working",
            Clock::Wall => "wall",
        },
        due,
        paused: due.is_none(),
    }))
}

/// A moment given as RFC 3339 text (quotes around it allowed, as JSON text would have).
fn parse_now(now: &str) -> Result<Timestamp, Error> {
    now.trim()
        .trim_matches('"')
        .parse::<Timestamp>()
        .map_err(|e| Error::input("now", e.to_string()))
}

/// A ledger's folded state (its snapshot): every case's state and the visits.
#[must_use]
pub fn ledger_state_json(ledger: &Ledger) -> String {
    ledger.state().to_json()
}

/// Everything the engine proposes for a ledger at `now` (RFC 3339 text): escalations,
/// reminders, reopenings, reroutes and problems.
///
/// # Errors
/// A bad `now`.
pub fn actions_json(engine: &Engine, ledger: &Ledger, now: &str) -> Result<String, Error> {
    Ok(to_json(&engine.actions(ledger, parse_now(now)?)))
}

/// The cases past their deadline at `now`, each with the escalation it gets.
///
/// # Errors
/// A bad `now`.
pub fn overdue_json(engine: &Engine, ledger: &Ledger, now: &str) -> Result<String, Error> {
    Ok(to_json(&engine.overdue(ledger, parse_now(now)?)))
}

/// A case's timeline; `public` masks personal data.
///
/// # Errors
/// [`Error::Lookup`] when the ledger has no such case.
pub fn timeline_json(
    engine: &Engine,
    ledger: &Ledger,
    case: &str,
    public: bool,
) -> Result<String, Error> {
    Ok(to_json(&engine.timeline(ledger, case, public)?))
}

/// Takes a new report in against a ledger: returns the events to append (reported and
/// assigned, or reported and merged, with the earlier case's escalation or reopening).
/// `actor` is who takes it in; none is the system actor.
///
/// # Errors
/// [`Error::Case`], [`Error::Route`], or a bad `actor`.
pub fn intake_json(
    engine: &Engine,
    ledger: &Ledger,
    case_json: &str,
    actor: Option<&str>,
) -> Result<String, Error> {
    let case = engine.read_case(case_json)?;
    let actor = crate::id::PersonId::new(actor.unwrap_or(crate::case::event::SYSTEM))
        .map_err(|e| Error::input("actor", e.to_string()))?;
    Ok(to_json(&engine.intake(ledger, case, &actor)?))
}

/// Scores a month of a ledger (see [`Engine::score`]). The request:
/// `{"month": "2026-03", "budget_fen"?: 1000000, "history"?: 11, "inspections"?: [{"grid",
/// "month", "failed"}]}`. Returns the [`MonthReport`].
///
/// # Errors
/// [`Error::Json`] for a request that does not parse, [`Error::Score`] when it cannot be
/// scored.
pub fn score_json(engine: &Engine, ledger: &Ledger, request_json: &str) -> Result<String, Error> {
    let request = ScoreRequest::from_json_str(request_json)?;
    let report = engine.score_ledger_request(ledger, &request)?;
    Ok(report_json_of(&report, request.include.as_deref()))
}

/// Scores a month of an outcome table exported from another system. The request is that
/// of [`score_json`] with the table: `"outcomes": [{"id", "location", "category",
/// "reported_at", ...}]` or `"outcomes_csv": "id,location,..."` (one of the two), and
/// `"visits"?: [{"unit", "at", "households"}]`.
///
/// ```
/// let engine = gridgov::Engine::fushan();
/// let out = gridgov::json::score_outcomes_json(&engine, r#"{"month": "2026-03",
///   "outcomes": [{"id": "c1", "location": "fs-c01-g01-m1", "category": "environment",
///   "reported_at": "2026-03-02T09:00:00+08:00", "resolved_at": "2026-03-02T15:00:00+08:00",
///   "resolved_level": "grid", "time_limit": "3 working days", "satisfaction": 5}]}"#)?;
/// assert!(out.contains(r#""red_list":["fs-c01-g01"]"#));
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Json`] for a request that does not parse; [`Error::Input`] when it gives both
/// or neither of `outcomes` and `outcomes_csv`; [`Error::Score`] for a bad row (with its
/// CSV line) or when it cannot be scored.
pub fn score_outcomes_json(engine: &Engine, request_json: &str) -> Result<String, Error> {
    let request = ScoreRequest::from_json_str(request_json)?;
    let include = request.include.clone();
    let report = engine.score_table_request(request, None)?;
    Ok(report_json_of(&report, include.as_deref()))
}

/// A report, or the parts of it a request's `include` names.
fn report_json_of(report: &MonthReport, include: Option<&[String]>) -> String {
    match include {
        None => to_json(report),
        Some(names) => to_json(&report.parts(names)),
    }
}

/// The month's report that [`score_outcomes_json`] serialises.
///
/// # Errors
/// As [`score_outcomes_json`].
pub fn score_outcomes_report(engine: &Engine, request_json: &str) -> Result<MonthReport, Error> {
    let request = ScoreRequest::from_json_str(request_json)?;
    Ok(engine.score_table_request(request, None)?)
}

/// A month's report as JSON: what [`score_outcomes_json`] returns.
#[must_use]
pub fn report_json(report: &MonthReport) -> String {
    to_json(report)
}

/// The outcome table of a ledger, `{"outcomes": [...], "visits": [...], "meetings":
/// [...], "register": [...]}`, for analysts and for other systems: scoring it gives the
/// same report as scoring the ledger, but for the month's work summary, which only a
/// ledger gives. `meetings` and `register` are left out when the ledger has none.
#[must_use]
pub fn outcomes_json(engine: &Engine, ledger: &Ledger) -> String {
    #[derive(Serialize)]
    struct Out {
        outcomes: Vec<OutcomeRow>,
        visits: Vec<VisitRow>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        meetings: Vec<crate::score::MeetingRow>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        register: Vec<crate::score::RegisterRow>,
    }
    to_json(&Out {
        outcomes: engine.outcomes(ledger),
        visits: engine.visits(ledger),
        meetings: engine.meetings(ledger),
        register: engine.register_rows(ledger),
    })
}

/// Routes every case of a JSON array on two engines (typically one organisation under two
/// rule sets) and reports which decide differently and how: counts, level moves, and the
/// first `limit` differing cases with both outcomes (none:
/// [`BACKTEST_LIMIT`](crate::batch::BACKTEST_LIMIT)). A case that does not read counts as
/// an error on both sides.
///
/// ```
/// let a = gridgov::Engine::fushan();
/// let b = a.with_rules(gridgov::RuleSet::fushan())?;
/// let out = gridgov::json::backtest_json(&a, &b, r#"[{"id": "c1", "channel": "app",
///   "category": "property_crime", "location": "fs-c05-g01-m1",
///   "reported_at": "2026-03-02T09:00:00+08:00"}]"#, None)?;
/// assert!(out.starts_with(r#"{"cases":1,"same":1,"different":0,"#));
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Json`] when the text is not a JSON array.
pub fn backtest_json(
    a: &Engine,
    b: &Engine,
    cases_json: &str,
    limit: Option<usize>,
) -> Result<String, Error> {
    let cases: Vec<&serde_json::value::RawValue> = from_json("backtest cases", cases_json)?;
    let mut test = crate::batch::Backtest::new(a, b, limit.unwrap_or(crate::batch::BACKTEST_LIMIT));
    for raw in cases {
        match a.read_case(raw.get()) {
            Ok(case) => test.add(&case),
            Err(e) => test.add_unreadable("", &Error::from(e)),
        }
    }
    Ok(test.finish().to_json())
}

/// [`backtest_json`] against this engine's organisation and calendar under the rule set
/// `rules_b_json`: the what-if question "how would these cases decide under those rules".
///
/// # Errors
/// [`Error::Rules`] when `rules_b_json` does not read, [`Error::Engine`] when it does not
/// fit the organisation, and as [`backtest_json`].
pub fn backtest_rules_json(
    a: &Engine,
    rules_b_json: &str,
    cases_json: &str,
    limit: Option<usize>,
) -> Result<String, Error> {
    let b = a.with_rules(RuleSet::from_json_str(rules_b_json)?)?;
    backtest_json(a, &b, cases_json, limit)
}

/// The question of [`can_json`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CanRequest {
    actor: Actor,
    action: Action,
    case: String,
}

/// May an actor take an action on a case of a ledger? `{"actor": {"id", "role", "unit"?},
/// "action": "view" | "act" | "escalate" | "resolve" | "evaluate" | "export", "case"}` →
/// `{"allowed": true | false}`.
///
/// ```
/// let engine = gridgov::Engine::fushan();
/// let ledger = gridgov::sim::simulate_month(&engine, 2026, 3, 20, 1).ledger;
/// let id = ledger.state().cases()[0].case.id.to_string();
/// let out = gridgov::json::can_json(&engine, &ledger, &format!(
///     r#"{{"actor": {{"id": "r1", "role": "resident"}}, "action": "view", "case": "{id}"}}"#))?;
/// assert_eq!(out, r#"{"allowed":false}"#);
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Json`] for a bad request, [`Error::Access`] for an unknown role or unit or a
/// case the ledger does not have.
pub fn can_json(engine: &Engine, ledger: &Ledger, request_json: &str) -> Result<String, Error> {
    #[derive(Serialize)]
    struct Out {
        allowed: bool,
    }
    let r: CanRequest = from_json("access request", request_json)?;
    Ok(to_json(&Out {
        allowed: engine.can_in(&r.actor, r.action, ledger, &r.case)?,
    }))
}

/// The ids of the cases an actor (`{"id", "role", "unit"?}`) may see, in the order they
/// were reported.
///
/// # Errors
/// [`Error::Json`] for a bad actor, [`Error::Access`] for an unknown role or unit.
pub fn visible_cases_json(
    engine: &Engine,
    ledger: &Ledger,
    actor_json: &str,
) -> Result<String, Error> {
    let actor: Actor = actor_json.parse()?;
    let ids: Vec<&str> = engine
        .visible_cases(&actor, ledger)?
        .into_iter()
        .map(|c| c.case.id.as_str())
        .collect();
    Ok(to_json(&ids))
}

/// The states of the cases an actor may see, for export (see [`Engine::export`]).
///
/// # Errors
/// As [`visible_cases_json`], and [`Error::Access`] (`forbidden`) when the role may not
/// export.
pub fn export_json(engine: &Engine, ledger: &Ledger, actor_json: &str) -> Result<String, Error> {
    let actor: Actor = actor_json.parse()?;
    Ok(to_json(&engine.export(&actor, ledger)?))
}

/// A case's timeline as an actor may see it (see [`Engine::timeline_for`]).
///
/// # Errors
/// As [`can_json`], and [`Error::Access`] (`forbidden`, `out_of_scope`) when the actor may
/// not view the case.
pub fn timeline_for_json(
    engine: &Engine,
    ledger: &Ledger,
    actor_json: &str,
    case: &str,
) -> Result<String, Error> {
    let actor: Actor = actor_json.parse()?;
    Ok(to_json(&engine.timeline_for(&actor, ledger, case)?))
}

/// Appends one event (JSON) to a ledger without asking who writes it (the unchecked
/// append, for replaying a trusted log); the receipt
/// `{"outcome": "appended" | "duplicate", "index", "hash"}`.
///
/// # Errors
/// [`Error::Ledger`]: the event does not parse or is refused; the ledger is unchanged.
pub fn ledger_append_json(ledger: &mut Ledger, event_json: &str) -> Result<String, Error> {
    Ok(to_json(&ledger.append_json_str(event_json)?))
}

/// Appends a JSON array of events, all or none, unchecked as [`ledger_append_json`]; the
/// receipts, in the order given.
///
/// # Errors
/// [`Error::Ledger`]; the ledger is unchanged.
pub fn ledger_append_all_json(ledger: &mut Ledger, events_json: &str) -> Result<String, Error> {
    Ok(to_json(&ledger.append_all_json_str(events_json)?))
}

/// Recomputes a ledger's hash chain: `{"events": n, "head": "<64 hex digits>"}`.
///
/// # Errors
/// [`Error::Ledger`] naming the first record that does not fit the chain.
pub fn ledger_verify_json(ledger: &Ledger) -> Result<String, Error> {
    #[derive(Serialize)]
    struct Out {
        events: usize,
        head: String,
    }
    let head = ledger.verify()?;
    Ok(to_json(&Out {
        events: ledger.len(),
        head: crate::case::ledger::hex(&head),
    }))
}

/// The authorized write ([`Engine::record`]): `actor` (`{"id", "role", "unit"?}`) records
/// `event` (an event record); the receipt as [`ledger_append_json`].
///
/// ```
/// let engine = gridgov::Engine::fushan();
/// let mut ledger = gridgov::case::ledger::Ledger::new();
/// gridgov::json::record_intake_json(&engine, &mut ledger, r#"{"id": "system", "role": "system"}"#,
///     r#"{"id": "c1", "channel": "hotline", "category": "livelihood",
///         "location": "fs-c01-g01-m1", "reported_at": "2026-03-02T09:00:00+08:00"}"#)?;
/// let err = gridgov::json::record_json(&engine, &mut ledger,
///     r#"{"id": "anyone", "role": "resident"}"#,
///     r#"{"case": "c1", "at": "2026-03-03T09:00:00+08:00", "actor": "anyone",
///         "event": {"type": "evaluated", "satisfaction": 5}}"#).unwrap_err();
/// assert_eq!(err.code(), "unknown_actor");
/// assert_eq!(ledger.len(), 2);
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Json`] for a bad actor or event, [`Error::Access`] when the actor may not
/// write it, [`Error::Ledger`] when the ledger refuses it; nothing is appended.
pub fn record_json(
    engine: &Engine,
    ledger: &mut Ledger,
    actor_json: &str,
    event_json: &str,
) -> Result<String, Error> {
    let actor: Actor = actor_json.parse()?;
    let event: crate::case::event::EventRecord = from_json("event", event_json)?;
    Ok(to_json(&engine.record(ledger, &actor, event)?))
}

/// The authorized intake ([`Engine::record_intake`]): `actor` reports `case` (JSON); the
/// receipts of the events appended.
///
/// # Errors
/// [`Error::Json`], [`Error::Access`], [`Error::Case`] or [`Error::Route`] for a case that
/// is invalid or cannot be routed, [`Error::Ledger`]; nothing is appended.
pub fn record_intake_json(
    engine: &Engine,
    ledger: &mut Ledger,
    actor_json: &str,
    case_json: &str,
) -> Result<String, Error> {
    let actor: Actor = actor_json.parse()?;
    let case = engine.read_case(case_json)?;
    Ok(to_json(&engine.record_intake(ledger, &actor, case)?))
}

/// Opens the ledger kept in the SQLite file at `path` (feature `sqlite`), with
/// `durability` `"full"` (the default: synced at every commit) or `"process"` (survives a
/// process crash; a power loss may take the last commits).
///
/// # Errors
/// [`Error::Input`] for another durability; [`Error::Ledger`] as
/// [`Ledger::open`](crate::case::ledger::Ledger::open).
#[cfg(feature = "sqlite")]
pub fn open_ledger(path: &str, durability: Option<&str>) -> Result<Ledger, Error> {
    use crate::case::ledger::Durability;
    let durability = match durability {
        None | Some("full") => Durability::Full,
        Some("process") => Durability::Process,
        Some(other) => {
            return Err(Error::input(
                "durability",
                format!(
                    "`{}` is not a durability; use `full` or `process`",
                    crate::text::truncate_for_message(other)
                ),
            ));
        }
    };
    Ok(Ledger::open_with(path, durability)?)
}

/// The output of [`locate_json`].
#[derive(Serialize)]
struct LocatedOut<'a> {
    micro_grid: &'a str,
    grid: Option<&'a str>,
    community: Option<&'a str>,
}

/// Locates a point on the organisation's map: `{"lon", "lat", "crs"?}` (`crs` one of
/// `wgs84`, the default, `gcj02`, `bd09`) → `{"micro_grid", "grid", "community"}`.
///
/// ```
/// let engine = gridgov::Engine::fushan();
/// let out = gridgov::json::locate_json(&engine, r#"{"lon": 116.9505, "lat": 35.3855, "crs": "gcj02"}"#)?;
/// assert_eq!(out, r#"{"micro_grid":"fs-c01-g01-m1","grid":"fs-c01-g01","community":"fs-c01"}"#);
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Json`] for an input that is not a point, [`Error::Locate`] for a point in no
/// micro-grid (naming the nearest) or an organisation without a map.
pub fn locate_json(engine: &Engine, point_json: &str) -> Result<String, Error> {
    let p: crate::spatial::GeoPoint = from_json("point", point_json)?;
    let at = engine.org().locate(p.lon, p.lat, p.crs)?;
    Ok(to_json(&LocatedOut {
        micro_grid: at.micro_grid.map(|u| u.id.as_str()).unwrap_or_default(),
        grid: at.grid.map(|u| u.id.as_str()),
        community: at.community.map(|u| u.id.as_str()),
    }))
}

/// The organisation's map as a GeoJSON `FeatureCollection`: one feature per unit with an
/// area, in spec order, with `properties` `unit`, `kind`, `name`, `name_en` (when it has
/// one) and `parent`, and the coordinates in `crs` (the map's own when `None`). The
/// collection carries `crs` and `synthetic` as foreign members. For drawing the territory
/// (the demo page's SVG map) and for GIS tools.
///
/// # Errors
/// [`Error::Locate`] (`no_map`) for an organisation without a map; [`Error::Input`] for an
/// unknown `crs`.
pub fn map_json(org: &OrgGraph, crs: Option<&str>) -> Result<String, Error> {
    let map = org.map().ok_or(crate::org::LocateError::NoMap)?;
    let to = match crs {
        Some(c) => crate::spatial::Crs::arg(c)?,
        None => map.crs(),
    };
    let mut features = Vec::new();
    for (i, shape) in map.areas() {
        let Some(u) = org.unit_by_key_index(i) else {
            continue;
        };
        let rings = |ring: &geo::LineString<f64>| -> Vec<[f64; 2]> {
            ring.coords()
                .map(|c| {
                    let (x, y) = map.crs().convert(to, c.x, c.y);
                    [x, y]
                })
                .collect()
        };
        let polygons: Vec<Vec<Vec<[f64; 2]>>> = shape
            .iter()
            .map(|p| {
                std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .map(rings)
                    .collect()
            })
            .collect();
        let geometry = if polygons.len() == 1 {
            serde_json::json!({"type": "Polygon", "coordinates": polygons.first()})
        } else {
            serde_json::json!({"type": "MultiPolygon", "coordinates": polygons})
        };
        let mut properties = serde_json::Map::new();
        properties.insert("unit".into(), u.id.as_str().into());
        properties.insert("kind".into(), u.kind.as_str().into());
        properties.insert("name".into(), u.name.as_str().into());
        if let Some(en) = &u.name_en {
            properties.insert("name_en".into(), en.as_str().into());
        }
        if let Some(p) = &u.parent {
            properties.insert("parent".into(), p.as_str().into());
        }
        features.push(serde_json::json!({
            "type": "Feature", "properties": properties, "geometry": geometry,
        }));
    }
    Ok(to_json(&serde_json::json!({
        "type": "FeatureCollection",
        "crs": to.as_str(),
        "synthetic": map.synthetic(),
        "features": features,
    })))
}

/// The format of an Open311 call: `xml` (the default, the spec's required format) or
/// `json`.
fn open311_format(format: Option<&str>) -> Result<crate::open311::Format, Error> {
    format
        .map_or(Ok(crate::open311::Format::Xml), str::parse)
        .map_err(|e| Error::input("format", e))
}

/// The input of [`open311_json`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Open311Call {
    call: String,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    service_code: Option<String>,
    #[serde(default)]
    form: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    received_at: Option<Timestamp>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    query: Option<String>,
    #[serde(default)]
    now: Option<Timestamp>,
}

/// Answers an Open311 GeoReport v2 call (see [`crate::open311`]) as an integrator's HTTP
/// handler would: `{"status", "body"}` (and `"case"` for a request taken in), the body in
/// XML (the default) or JSON. The call:
/// - `{"call": "services"}`: `GET services`;
/// - `{"call": "service_definition", "service_code"}`: `GET services/{code}`;
/// - `{"call": "post_request", "form", "id", "received_at", "channel"?}`: `POST
///   requests` with the form as sent (`application/x-www-form-urlencoded`), the id the
///   new case gets, when it was received, and its channel (`app` when left out);
/// - `{"call": "requests", "query"?, "now"}` on a ledger: `GET requests` with the query
///   string as sent.
///
/// Each takes `"format": "xml" | "json"`.
///
/// ```
/// let engine = gridgov::Engine::fushan();
/// let out = gridgov::json::open311_json(&engine, None,
///     r#"{"call": "service_definition", "service_code": "safety_hazard", "format": "json"}"#)?;
/// assert!(out.starts_with(r#"{"status":200,"body":"{\"service_code\":\"safety_hazard\",\"attributes\":[{\"variable\":true,\"code\":\"hazard_type\""#));
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Json`] for a call that does not parse or lacks what it needs, [`Error::Input`]
/// for an unknown call or format or a `requests` call without a ledger. Problems with
/// the Open311 request itself are not errors: they are the answer (status 400 or 404).
pub fn open311_json(
    engine: &Engine,
    ledger: Option<&Ledger>,
    call_json: &str,
) -> Result<String, Error> {
    use crate::open311;
    let call: Open311Call = from_json("open311 call", call_json)?;
    let format = open311_format(call.format.as_deref())?;
    let need = |what: &'static str, v: Option<String>| {
        v.ok_or_else(|| Error::input(what, format!("the `{}` call needs `{what}`", call.call)))
    };
    let answer = match call.call.as_str() {
        "services" => open311::services_answer(engine, format),
        "service_definition" => {
            let code = need("service_code", call.service_code.clone())?;
            open311::service_definition_answer(engine, &code, format)
        }
        "post_request" => {
            let form = need("form", call.form.clone())?;
            let id = need("id", call.id.clone())?;
            let received_at = call.received_at.ok_or_else(|| {
                Error::input("received_at", "the `post_request` call needs `received_at`")
            })?;
            let channel = call.channel.clone().unwrap_or_else(|| "app".to_owned());
            open311::post_request(
                engine,
                open311::PostRequest {
                    form: &form,
                    id: &id,
                    received_at,
                    channel: &channel,
                },
                format,
            )
        }
        "requests" => {
            let ledger = ledger.ok_or_else(|| {
                Error::input("ledger", "the `requests` call reads a ledger; give one")
            })?;
            let now = call.now.ok_or_else(|| {
                Error::input(
                    "now",
                    "the `requests` call needs `now` (for the default range of 90 days)",
                )
            })?;
            let query = call.query.clone().unwrap_or_default();
            open311::get_requests(
                engine,
                ledger,
                open311::GetRequests { query: &query, now },
                format,
            )
        }
        other => {
            return Err(Error::input(
                "call",
                format!(
                    "unknown Open311 call `{}`; valid: services, service_definition, post_request, requests",
                    crate::text::truncate_for_message(other)
                ),
            ));
        }
    };
    Ok(to_json(&answer))
}

/// The input of [`open311_convert_json`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Open311Convert {
    text: String,
    from: String,
    #[serde(default)]
    kind: Option<String>,
}

/// The output of [`open311_convert_json`].
#[derive(Serialize)]
struct Converted {
    kind: &'static str,
    xml: String,
    json: String,
}

/// Reads an Open311 GeoReport v2 document written by another system and writes it in
/// both formats: `{"text", "from": "xml" | "json", "kind"?}` (`kind`, one of `services`,
/// `service_definition`, `service_requests`, `errors`, is needed for JSON, which has no
/// root name) → `{"kind", "xml", "json"}`.
///
/// # Errors
/// [`Error::Json`] for a bad input, [`Error::Input`] for a document that does not read.
pub fn open311_convert_json(input_json: &str) -> Result<String, Error> {
    use crate::open311::{self, Document};
    let input: Open311Convert = from_json("open311 document", input_json)?;
    let doc = match input.from.as_str() {
        "xml" => open311::xml::read(&input.text),
        "json" => open311::read_json(input.kind.as_deref().unwrap_or(""), &input.text),
        other => Err(format!(
            "`from` is `{}`; valid: xml, json",
            crate::text::truncate_for_message(other)
        )),
    }
    .map_err(|e| Error::input("text", format!("the document {e}")))?;
    let kind = match &doc {
        Document::Services(_) => "services",
        Document::ServiceDefinition(_) => "service_definition",
        Document::Requests(_) => "service_requests",
        Document::Errors(_) => "errors",
    };
    Ok(to_json(&Converted {
        kind,
        xml: open311::render(&doc, open311::Format::Xml),
        json: open311::render(&doc, open311::Format::Json),
    }))
}

/// A request for volunteer teams: the case's category and location.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamsIn {
    category: String,
    location: String,
}

/// The volunteer teams that may take a case, as [`Engine::suggest_teams`]: JSON text
/// `{"category", "location"}` in, a JSON array of `{"team", "name", "areas", "members"}`
/// out, most of the category's work areas first.
///
/// ```
/// let engine = gridgov::Engine::fushan();
/// let out = gridgov::json::suggest_teams_json(
///     &engine,
///     r#"{"category": "livelihood", "location": "fs-c01-g01-m1"}"#,
/// )?;
/// assert!(out.starts_with(r#"[{"team":"fs-vt01","#));
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Json`] for a request of the wrong shape; [`Error::Lookup`] for an unknown
/// category or location.
pub fn suggest_teams_json(engine: &Engine, request_json: &str) -> Result<String, Error> {
    let r: TeamsIn = from_json("request", request_json)?;
    Ok(to_json(&engine.suggest_teams(&r.category, &r.location)?))
}
