//! JSON entry points: the exact bytes that the Python and JS bindings return unchanged.
//!
//! Each function takes JSON text and returns JSON text (compact, keys in a fixed order),
//! or a typed [`Error`]. The shared vectors under `tests/vectors/` pin these outputs, and
//! the Rust, Python and JS test suites compare them byte for byte.

use serde::{Deserialize, Serialize};

use crate::calendar::{Clock, Pause, TimeLimit};
use crate::case::Case;
use crate::case::ledger::Ledger;
use crate::engine::Engine;
use crate::error::Error;
use crate::org::OrgGraph;
use crate::rules::RuleSet;
use crate::text::to_json;
use crate::time::Timestamp;

/// The name, counts and coverage report of the org spec in `org_json`.
///
/// ```
/// let out = gridgov::json::org_summary_json_str(gridgov::org::FUSHAN_JSON)?;
/// assert!(out.starts_with(r#"{"name":"凫山街道""#));
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Org`] when the spec does not parse or is invalid.
pub fn org_summary_json_str(org_json: &str) -> Result<String, Error> {
    let org = OrgGraph::from_json_str(org_json)?;
    Ok(to_json(&org.summary()))
}

/// The summary of an already built graph.
#[must_use]
pub fn org_summary_json(org: &OrgGraph) -> String {
    to_json(&org.summary())
}

/// Routes one case (JSON) on an engine and returns the decision as JSON.
///
/// ```
/// let engine = gridgov::Engine::fushan();
/// let out = gridgov::json::route_json_str(&engine, r#"{"id": "c1", "channel": "app",
///   "category": "property_crime", "location": "fs-c05-g01-m1",
///   "reported_at": "2026-03-02T09:00:00+08:00"}"#)?;
/// assert!(out.contains(r#""level":"department","unit":null"#));
/// assert!(out.contains(r#""office":"police_work_office""#));
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Case`] when the case does not parse, [`Error::Route`] when it cannot be routed.
pub fn route_json_str(engine: &Engine, case_json: &str) -> Result<String, Error> {
    let case = Case::from_json_str(case_json)?;
    let decision = engine.route(&case)?;
    Ok(decision.to_json())
}

/// The input of [`deadline_json_str`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineInput {
    start: Timestamp,
    time_limit: TimeLimit,
    #[serde(default)]
    pauses: Vec<Pause>,
}

/// The output of [`deadline_json_str`].
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
/// let out = gridgov::json::deadline_json_str(&engine,
///     r#"{"start": "2026-09-30T16:00:00+08:00", "time_limit": "4 working hours"}"#)?;
/// assert_eq!(out, r#"{"start":"2026-09-30T16:00:00+08:00","time_limit":"4 working hours","clock":"working","due":"2026-10-08T11:00:00+08:00","paused":false}"#);
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Json`] for a bad input, [`Error::Calendar`] outside the calendar's years.
pub fn deadline_json_str(engine: &Engine, input_json: &str) -> Result<String, Error> {
    let input: DeadlineInput =
        serde_json::from_str(input_json).map_err(|e| Error::json("deadline input", &e))?;
    let cal = engine.calendar();
    let due = cal.deadline_with_pauses(input.start, input.time_limit, &input.pauses)?;
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

/// Validates a rule set (JSON) and returns `{"errors": [...], "warnings": [...]}`, each
/// problem with its `code`, `location` (version, table, row, column) and `message`.
/// Never fails: a document that does not parse is reported as an error in the list.
#[must_use]
pub fn validate_rules_json_str(rules_json: &str) -> String {
    to_json(&RuleSet::validate_json_str(rules_json))
}

/// An engine's warnings as JSON: the rule set's and those about how it fits the
/// organisation, each with its `code`, `location` and `message`.
#[must_use]
pub fn warnings_json(engine: &Engine) -> String {
    to_json(&engine.warnings())
}

/// Builds an engine from JSON documents (`None` for the embedded defaults) and returns
/// its warnings as JSON: the rule set's and those about how it fits the organisation.
///
/// # Errors
/// [`Error::Engine`] when a document does not read or they do not fit together.
pub fn engine_warnings_json_str(
    org: Option<&str>,
    rules: Option<&str>,
    calendar: Option<&str>,
) -> Result<String, Error> {
    let engine = Engine::from_json_strs(org, rules, calendar)?;
    Ok(warnings_json(&engine))
}

/// The input of the ledger entry points that take a moment: `{"now": "..."}`.
fn parse_now(now: &str) -> Result<Timestamp, Error> {
    now.trim()
        .trim_matches('"')
        .parse::<Timestamp>()
        .map_err(|e| Error::input("now", e.to_string()))
}

/// Replays a ledger document (`{"format": 1, "events": [...]}`), checking every event,
/// and returns the folded state (the snapshot) as JSON.
///
/// # Errors
/// [`Error::Ledger`]: a parse error, or the first event refused, with its index.
pub fn ledger_state_json_str(ledger_json: &str) -> Result<String, Error> {
    Ok(Ledger::from_json_str(ledger_json)?.state().to_json())
}

/// Replays a ledger document, appends one more event (JSON) and returns the new ledger
/// document.
///
/// # Errors
/// [`Error::Ledger`]: the ledger does not replay, or the event is refused (the ledger
/// would be unchanged).
pub fn ledger_append_json_str(ledger_json: &str, event_json: &str) -> Result<String, Error> {
    let mut ledger = Ledger::from_json_str(ledger_json)?;
    ledger.append_json_str(event_json)?;
    Ok(ledger.to_json())
}

/// Everything the engine proposes for a ledger at `now` (an RFC 3339 timestamp):
/// escalations, reminders, reopenings, reroutes and problems, as JSON.
///
/// # Errors
/// A bad `now`.
pub fn actions_json(engine: &Engine, ledger: &Ledger, now: &str) -> Result<String, Error> {
    Ok(to_json(&engine.actions(ledger.state(), parse_now(now)?)))
}

/// [`actions_json`] on a ledger document.
///
/// # Errors
/// [`Error::Ledger`] or a bad `now`.
pub fn actions_json_str(engine: &Engine, ledger_json: &str, now: &str) -> Result<String, Error> {
    actions_json(engine, &Ledger::from_json_str(ledger_json)?, now)
}

/// The cases past their deadline at `now`, each with the escalation it gets, as JSON.
///
/// # Errors
/// A bad `now`.
pub fn overdue_json(engine: &Engine, ledger: &Ledger, now: &str) -> Result<String, Error> {
    Ok(to_json(&engine.overdue(ledger.state(), parse_now(now)?)))
}

/// [`overdue_json`] on a ledger document.
///
/// # Errors
/// [`Error::Ledger`] or a bad `now`.
pub fn overdue_json_str(engine: &Engine, ledger_json: &str, now: &str) -> Result<String, Error> {
    overdue_json(engine, &Ledger::from_json_str(ledger_json)?, now)
}

/// A case's timeline as JSON; `public` masks personal data.
///
/// # Errors
/// [`Error::Lookup`] when the ledger has no such case.
pub fn timeline_json(
    engine: &Engine,
    ledger: &Ledger,
    case: &str,
    public: bool,
) -> Result<String, Error> {
    let entries =
        crate::case::timeline::timeline(ledger, engine.org(), case, public).ok_or_else(|| {
            Error::Lookup(crate::error::LookupError::UnknownCase(
                crate::text::truncate_for_message(case),
            ))
        })?;
    Ok(to_json(&entries))
}

/// [`timeline_json`] on a ledger document.
///
/// # Errors
/// [`Error::Ledger`] or [`Error::Lookup`].
pub fn timeline_json_str(
    engine: &Engine,
    ledger_json: &str,
    case: &str,
    public: bool,
) -> Result<String, Error> {
    timeline_json(engine, &Ledger::from_json_str(ledger_json)?, case, public)
}

/// Takes a new report in against a ledger: returns the events to append (reported and
/// assigned, or reported and merged, with the earlier case's escalation or reopening).
///
/// # Errors
/// [`Error::Case`], [`Error::Route`], or a bad `actor`.
pub fn intake_json(
    engine: &Engine,
    ledger: &Ledger,
    case_json: &str,
    actor: &str,
) -> Result<String, Error> {
    let case = Case::from_json_str(case_json)?;
    let actor =
        crate::id::PersonId::new(actor).map_err(|e| Error::input("actor", e.to_string()))?;
    Ok(to_json(&engine.intake(ledger.state(), case, &actor)?))
}

/// [`intake_json`] on a ledger document.
///
/// # Errors
/// [`Error::Ledger`], [`Error::Case`], [`Error::Route`], or a bad `actor`.
pub fn intake_json_str(
    engine: &Engine,
    ledger_json: &str,
    case_json: &str,
    actor: &str,
) -> Result<String, Error> {
    intake_json(
        engine,
        &Ledger::from_json_str(ledger_json)?,
        case_json,
        actor,
    )
}

/// A request to score a month: of a ledger (which gives the cases and visits), or of an
/// outcome table given with it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoreRequest {
    month: crate::score::Month,
    #[serde(default)]
    budget_fen: Option<u64>,
    #[serde(default)]
    history: Option<u32>,
    #[serde(default)]
    inspections: Vec<crate::score::InspectionRow>,
    #[serde(default)]
    outcomes: Option<Vec<crate::score::OutcomeRow>>,
    #[serde(default)]
    outcomes_csv: Option<String>,
    #[serde(default)]
    visits: Vec<crate::score::VisitRow>,
}

fn score_options(
    month: crate::score::Month,
    budget_fen: Option<u64>,
    history: Option<u32>,
) -> crate::score::ScoreOptions {
    let mut o = crate::score::ScoreOptions::new(month);
    o.budget_fen = budget_fen;
    if let Some(h) = history {
        o.history = h;
    }
    o
}

/// Scores a month of a ledger (see [`Engine::score`]). The request:
/// `{"month": "2026-03", "budget_fen"?: 1000000, "history"?: 11, "inspections"?: [{"grid",
/// "month", "failed"}]}`. Returns the [`MonthReport`](crate::score::MonthReport) as JSON.
///
/// # Errors
/// [`Error::Json`] for a request that does not parse, [`Error::Score`] when it cannot be
/// scored.
pub fn score_json(engine: &Engine, ledger: &Ledger, request_json: &str) -> Result<String, Error> {
    let r: ScoreRequest =
        serde_json::from_str(request_json).map_err(|e| Error::json("score request", &e))?;
    if r.outcomes.is_some() || r.outcomes_csv.is_some() || !r.visits.is_empty() {
        return Err(Error::input("score request", "a ledger gives its own cases and visits: leave out `outcomes`, `outcomes_csv` and `visits` (or score the table with score_outcomes)".to_owned()));
    }
    let options = score_options(r.month, r.budget_fen, r.history);
    Ok(to_json(&engine.score_ledger(
        ledger,
        &r.inspections,
        &options,
    )?))
}

/// [`score_json`] on a ledger document.
///
/// # Errors
/// [`Error::Ledger`] for a bad ledger, and as [`score_json`].
pub fn score_json_str(
    engine: &Engine,
    ledger_json: &str,
    request_json: &str,
) -> Result<String, Error> {
    score_json(engine, &Ledger::from_json_str(ledger_json)?, request_json)
}

/// Scores a month of an outcome table exported from another system. The request is that
/// of [`score_json`] with the table: `"outcomes": [{"id", "location", "category",
/// "reported_at", ...}]` or `"outcomes_csv": "id,location,..."` (one of the two), and
/// `"visits"?: [{"unit", "at", "households"}]`.
///
/// ```
/// let engine = gridgov::Engine::fushan();
/// let out = gridgov::json::score_outcomes_json_str(&engine, r#"{"month": "2026-03",
///   "outcomes": [{"id": "c1", "location": "fs-c01-g01-m1", "category": "environment",
///   "reported_at": "2026-03-02T09:00:00+08:00", "resolved_at": "2026-03-02T15:00:00+08:00",
///   "resolved_level": "grid", "time_limit": "3 working days", "satisfaction": 5}]}"#)?;
/// assert!(out.contains(r#""red_list":["fs-c01-g01"]"#));
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Json`] for a request that does not parse or gives both or neither of
/// `outcomes` and `outcomes_csv`; [`Error::Score`] for a bad row (with its CSV line) or
/// when it cannot be scored.
pub fn score_outcomes_json_str(engine: &Engine, request_json: &str) -> Result<String, Error> {
    Ok(to_json(&score_table_report(engine, request_json)?))
}

/// [`score_outcomes_json_str`] as a self-contained HTML page titled `title`.
///
/// # Errors
/// As [`score_outcomes_json_str`].
pub fn score_outcomes_html_str(
    engine: &Engine,
    request_json: &str,
    title: &str,
) -> Result<String, Error> {
    let report = score_table_report(engine, request_json)?;
    Ok(crate::html::month_report_html(&report, title))
}

/// Scores outcome rows read by the caller (from an Arrow table, say) under a request
/// that gives everything but the table: `{"month", "budget_fen"?, "history"?,
/// "inspections"?, "visits"?}`.
///
/// # Errors
/// As [`score_outcomes_json_str`]; a request that also gives `outcomes` or `outcomes_csv`
/// is an [`Error::Input`].
pub fn score_rows_report(
    engine: &Engine,
    request_json: &str,
    rows: Vec<crate::score::OutcomeRow>,
) -> Result<crate::score::MonthReport, Error> {
    score_report(engine, request_json, Some(rows))
}

fn score_table_report(
    engine: &Engine,
    request_json: &str,
) -> Result<crate::score::MonthReport, Error> {
    score_report(engine, request_json, None)
}

fn score_report(
    engine: &Engine,
    request_json: &str,
    given: Option<Vec<crate::score::OutcomeRow>>,
) -> Result<crate::score::MonthReport, Error> {
    let r: ScoreRequest =
        serde_json::from_str(request_json).map_err(|e| Error::json("score request", &e))?;
    let (rows, lines) = match (given, r.outcomes, r.outcomes_csv) {
        (Some(rows), None, None) | (None, Some(rows), None) => (rows, None),
        (None, None, Some(csv)) => {
            let (rows, lines) =
                crate::score::read_csv(&csv).map_err(crate::score::ScoreError::from)?;
            (rows, Some(lines))
        }
        (Some(_), _, _) => {
            return Err(Error::input(
                "score request",
                "the table is given as columns: leave out `outcomes` and `outcomes_csv`".to_owned(),
            ));
        }
        _ => {
            return Err(Error::input("score request", "give the table as `outcomes` (a list of rows) or as `outcomes_csv` (CSV text), one of the two".to_owned()));
        }
    };
    let table = engine
        .compile_outcomes(&rows, &r.visits, &r.inspections)
        .map_err(|mut e| {
            if let (Some(lines), "outcomes") = (&lines, e.table) {
                e.line = e.row.checked_sub(1).and_then(|i| lines.get(i)).copied();
            }
            crate::score::ScoreError::from(e)
        })?;
    let options = score_options(r.month, r.budget_fen, r.history);
    Ok(engine.score(&table, &options)?)
}

/// The outcome table of a ledger, `{"outcomes": [...], "visits": [...]}`, for analysts and
/// for other systems: scoring it gives the same report as scoring the ledger.
#[must_use]
pub fn outcomes_json(engine: &Engine, ledger: &Ledger) -> String {
    #[derive(Serialize)]
    struct Out {
        outcomes: Vec<crate::score::OutcomeRow>,
        visits: Vec<crate::score::VisitRow>,
    }
    to_json(&Out {
        outcomes: engine.outcomes(ledger),
        visits: engine.visits(ledger),
    })
}

/// [`outcomes_json`] on a ledger document.
///
/// # Errors
/// [`Error::Ledger`] for a bad ledger.
pub fn outcomes_json_str(engine: &Engine, ledger_json: &str) -> Result<String, Error> {
    Ok(outcomes_json(engine, &Ledger::from_json_str(ledger_json)?))
}

/// The outcome table of a ledger as CSV (columns [`CSV_COLUMNS`](crate::score::CSV_COLUMNS)).
#[must_use]
pub fn outcomes_csv(engine: &Engine, ledger: &Ledger) -> String {
    crate::score::outcomes_to_csv(&engine.outcomes(ledger))
}

/// Routes every case of a JSON array on two engines (typically one organisation under two
/// rule sets) and reports which decide differently and how: counts, level moves, and the
/// first `limit` differing cases with both outcomes. A case that does not read counts as
/// an error on both sides.
///
/// ```
/// let a = gridgov::Engine::fushan();
/// let b = a.with_rules(gridgov::RuleSet::fushan())?;
/// let out = gridgov::json::backtest_json_str(&a, &b, r#"[{"id": "c1", "channel": "app",
///   "category": "property_crime", "location": "fs-c05-g01-m1",
///   "reported_at": "2026-03-02T09:00:00+08:00"}]"#, 100)?;
/// assert!(out.starts_with(r#"{"cases":1,"same":1,"different":0,"#));
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Json`] when the text is not a JSON array.
pub fn backtest_json_str(
    a: &Engine,
    b: &Engine,
    cases_json: &str,
    limit: usize,
) -> Result<String, Error> {
    let cases: Vec<&serde_json::value::RawValue> =
        serde_json::from_str(cases_json).map_err(|e| Error::json("backtest cases", &e))?;
    let mut test = crate::batch::Backtest::new(a, b, limit);
    for raw in cases {
        match Case::from_json_str(raw.get()) {
            Ok(case) => test.add(&case),
            Err(e) => test.add_unreadable("", &Error::Case(e)),
        }
    }
    Ok(test.finish().to_json())
}

/// A person of the organisation (a duty holder, say) as JSON.
#[must_use]
pub fn person_json(person: &crate::org::PersonSpec) -> String {
    to_json(person)
}

/// A month's report as JSON: what [`score_outcomes_json_str`] returns.
#[must_use]
pub fn report_json(report: &crate::score::MonthReport) -> String {
    to_json(report)
}

/// A rule set as the JSON document it was read from (normalised: defaults written out).
#[must_use]
pub fn rules_json(rules: &RuleSet) -> String {
    to_json(rules.spec())
}

/// [`backtest_json_str`] against this engine's organisation and calendar under the rule
/// set `rules_b_json`: the what-if question "how would these cases decide under those
/// rules".
///
/// # Errors
/// [`Error::Rules`] when `rules_b_json` does not read, [`Error::Engine`] when it does not
/// fit the organisation, and as [`backtest_json_str`].
pub fn backtest_rules_json_str(
    a: &Engine,
    rules_b_json: &str,
    cases_json: &str,
    limit: usize,
) -> Result<String, Error> {
    let b = a.with_rules(RuleSet::from_json_str(rules_b_json)?)?;
    backtest_json_str(a, &b, cases_json, limit)
}

/// One unit of [`org_tree_json`] with the units it contains.
#[derive(Serialize)]
struct TreeNode<'a> {
    id: &'a str,
    kind: crate::org::UnitKind,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_en: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    households: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    children: Vec<TreeNode<'a>>,
}

fn tree_node<'a>(org: &'a OrgGraph, unit: &'a crate::org::UnitSpec, depth: usize) -> TreeNode<'a> {
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
    TreeNode {
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
    let roots: Vec<TreeNode<'_>> = org
        .units()
        .filter(|u| u.parent.is_none())
        .map(|u| tree_node(org, u, 0))
        .collect();
    to_json(&roots)
}

/// The question of [`can_json`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CanRequest {
    actor: crate::access::Actor,
    action: crate::access::Action,
    case: String,
}

fn actor_of(actor_json: &str) -> Result<crate::access::Actor, Error> {
    serde_json::from_str(actor_json).map_err(|e| Error::json("actor", &e))
}

fn case_in<'l>(ledger: &'l Ledger, id: &str) -> Result<&'l crate::case::ledger::CaseState, Error> {
    ledger.state().case(id).ok_or_else(|| {
        Error::input(
            "case",
            format!(
                "the ledger has no case `{}`",
                crate::text::truncate_for_message(id)
            ),
        )
    })
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
/// [`Error::Json`] for a bad request, [`Error::Access`] for an unknown role or unit,
/// [`Error::Input`] for a case the ledger does not have.
pub fn can_json(engine: &Engine, ledger: &Ledger, request_json: &str) -> Result<String, Error> {
    #[derive(Serialize)]
    struct Out {
        allowed: bool,
    }
    let r: CanRequest =
        serde_json::from_str(request_json).map_err(|e| Error::json("access request", &e))?;
    let case = case_in(ledger, &r.case)?;
    Ok(to_json(&Out {
        allowed: engine.can(&r.actor, r.action, case)?,
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
    let actor = actor_of(actor_json)?;
    let ids: Vec<&str> = engine
        .visible_cases(&actor, ledger)?
        .into_iter()
        .map(|c| c.case.id.as_str())
        .collect();
    Ok(to_json(&ids))
}

/// The states of the cases an actor may see, for export: the role must allow `export`;
/// reporters' personal data are masked unless the role sees it.
///
/// # Errors
/// As [`visible_cases_json`], and [`Error::Access`] (`forbidden`) when the role may not
/// export.
pub fn export_json(engine: &Engine, ledger: &Ledger, actor_json: &str) -> Result<String, Error> {
    let actor = actor_of(actor_json)?;
    let resolved = engine.resolve_actor(&actor)?;
    resolved.require(&actor, crate::access::Action::Export)?;
    let cases: Vec<crate::case::ledger::CaseState> =
        crate::access::AccessIndex::new(engine, ledger)
            .visible_to(engine, &resolved)
            .into_iter()
            .map(|c| crate::access::case_for(&resolved, c))
            .collect();
    Ok(to_json(&cases))
}

/// A case's timeline as an actor may see it: the actor must be allowed to view the case;
/// it is the public timeline (personal data masked) unless the role sees personal data.
///
/// # Errors
/// As [`can_json`], and [`Error::Access`] (`forbidden`) when the actor may not view the
/// case.
pub fn timeline_for_json(
    engine: &Engine,
    ledger: &Ledger,
    actor_json: &str,
    case: &str,
) -> Result<String, Error> {
    let actor = actor_of(actor_json)?;
    let resolved = engine.resolve_actor(&actor)?;
    let state = case_in(ledger, case)?;
    resolved.require(&actor, crate::access::Action::View)?;
    if !engine.reaches(&resolved, state) {
        return Err(Error::Access(crate::access::AccessError::OutOfScope {
            actor: crate::access::shown_id(&actor, resolved.scope()),
            role: actor.role.clone(),
            case: crate::text::truncate_for_message(case),
            scope: resolved.scope(),
        }));
    }
    timeline_json(engine, ledger, case, !resolved.personal_data())
}

/// [`can_json`] with its parts given apart: the actor as JSON, the action and case id as
/// text.
///
/// # Errors
/// As [`can_json`]; [`Error::Input`] for an action that is not one of the six.
pub fn can_for(
    engine: &Engine,
    ledger: &Ledger,
    actor_json: &str,
    action: &str,
    case: &str,
) -> Result<bool, Error> {
    let actor = actor_of(actor_json)?;
    let action = action
        .parse::<crate::access::Action>()
        .map_err(|e| Error::input("action", e.to_string()))?;
    Ok(engine.can(&actor, action, case_in(ledger, case)?)?)
}
