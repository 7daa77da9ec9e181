//! JSON entry points: the exact bytes that the Python and JS bindings return unchanged.
//!
//! Each function takes JSON text and returns JSON text (compact, keys in a fixed order),
//! or a typed [`Error`]. The shared vectors under `tests/vectors/` pin these outputs, and
//! the Rust, Python and JS test suites compare them byte for byte.

use serde::{Deserialize, Serialize};

use crate::calendar::{Clock, Pause, TimeLimit};
use crate::case::Case;
use crate::engine::Engine;
use crate::error::Error;
use crate::org::OrgGraph;
use crate::rules::RuleSet;
use crate::time::Timestamp;

/// Serialises a value the way every entry point does: compact JSON.
pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    // Serialising our own plain data types (strings, integers, maps with string keys)
    // cannot fail; an empty object is returned rather than panicking if it ever did.
    serde_json::to_string(value).unwrap_or_else(|_| String::from("{}"))
}

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
