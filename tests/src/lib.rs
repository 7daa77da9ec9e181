//! Helpers for the integration tests: reading, running and (on request) re-blessing the
//! shared vectors under `tests/vectors/`.
//!
//! A vector is a JSON file `{description, entry, input, output | error}`. `entry` names a
//! JSON entry point of the core; `input` holds its named arguments. An argument that is a
//! JSON string is passed as raw text (for vectors about unparsable input); any other value
//! is serialised to JSON text first. `output` is the exact string the entry point returns;
//! `error` holds the `code` and `message` of the error it returns instead.

pub mod fuzz;
pub mod layers;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// The directory that holds the shared vectors.
#[must_use]
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// One vector file.
#[derive(Debug, Clone)]
pub struct Vector {
    /// Path of the file.
    pub path: PathBuf,
    /// What the vector exercises and why its output is right.
    pub description: String,
    /// The entry point.
    pub entry: String,
    /// Named arguments.
    pub input: Map<String, Value>,
    /// What the entry point must return.
    pub expected: Expected,
}

/// The expected result of a vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// The exact output string.
    Output(String),
    /// An error with this code and message.
    Error {
        /// Stable error code.
        code: String,
        /// Exact message.
        message: String,
    },
    /// Not yet blessed.
    Missing,
}

/// Every vector file under `dir`, sorted by path.
///
/// # Errors
/// A description of the first file that cannot be read or lacks a field.
pub fn load_all(dir: &Path) -> Result<Vec<Vector>, String> {
    let mut files = Vec::new();
    collect(dir, &mut files).map_err(|e| format!("{}: {e}", dir.display()))?;
    files.sort();
    files.iter().map(|p| load(p)).collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads one vector file.
///
/// # Errors
/// A description of what is missing or malformed.
pub fn load(path: &Path) -> Result<Vector, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let field = |name: &str| {
        v.get(name)
            .ok_or_else(|| format!("{}: missing `{name}`", path.display()))
    };
    let description = field("description")?
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if description.len() < 20 {
        return Err(format!(
            "{}: the description must say what the vector exercises",
            path.display()
        ));
    }
    let entry = field("entry")?.as_str().unwrap_or_default().to_owned();
    let input = field("input")?
        .as_object()
        .cloned()
        .ok_or_else(|| format!("{}: `input` must be an object", path.display()))?;
    let expected = match (v.get("output"), v.get("error")) {
        (Some(Value::String(s)), None) => Expected::Output(s.clone()),
        (None, Some(e)) => Expected::Error {
            code: e
                .get("code")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            message: e
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        },
        (None, None) => Expected::Missing,
        _ => {
            return Err(format!(
                "{}: give either `output` (a string) or `error`",
                path.display()
            ));
        }
    };
    Ok(Vector {
        path: path.to_owned(),
        description,
        entry,
        input,
        expected,
    })
}

/// The text of an argument: a JSON string is raw text, anything else is serialised.
#[must_use]
pub fn arg_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The text of a named argument, if present and not null.
#[must_use]
pub fn arg(input: &Map<String, Value>, name: &str) -> Option<String> {
    match input.get(name) {
        None | Some(Value::Null) => None,
        Some(v) => Some(arg_text(v)),
    }
}

/// Runs a vector's entry point through the core.
///
/// # Errors
/// The core's error, or an unknown entry point reported as a JSON error.
pub fn run(
    entry: &str,
    input: &Map<String, Value>,
) -> Result<Result<String, gridgov::error::Error>, String> {
    use gridgov::json;
    let text = |name: &str| arg(input, name).unwrap_or_default();
    Ok(match entry {
        "org_summary" => match arg(input, "org") {
            None => Ok(json::org_summary_json(&gridgov::OrgGraph::fushan())),
            Some(org) => json::org_summary_json_str(&org),
        },
        "route" => engine(input).and_then(|e| json::route_json_str(&e, &text("case"))),
        "deadline" => engine(input).and_then(|e| json::deadline_json_str(&e, &text("deadline"))),
        "validate_rules" => Ok(json::validate_rules_json_str(&text("rules"))),
        "ledger_state" => json::ledger_state_json_str(&text("ledger")),
        "ledger_append" => json::ledger_append_json_str(&text("ledger"), &text("event")),
        "ledger_append_all" => (|| {
            let mut l = gridgov::case::ledger::Ledger::from_json_str(&text("ledger"))?;
            l.append_all_json_str(&text("events"))?;
            Ok(l.state().to_json())
        })(),
        "actions" => {
            engine(input).and_then(|e| json::actions_json_str(&e, &text("ledger"), &text("now")))
        }
        "overdue" => {
            engine(input).and_then(|e| json::overdue_json_str(&e, &text("ledger"), &text("now")))
        }
        "timeline" => engine(input).and_then(|e| {
            json::timeline_json_str(
                &e,
                &text("ledger"),
                &text("case"),
                input
                    .get("public")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            )
        }),
        "intake" => engine(input).and_then(|e| {
            json::intake_json_str(
                &e,
                &text("ledger"),
                &text("case"),
                &arg(input, "actor").unwrap_or_else(|| "system".to_owned()),
            )
        }),
        "score_outcomes" => {
            engine(input).and_then(|e| json::score_outcomes_json_str(&e, &text("request")))
        }
        "score" => {
            engine(input).and_then(|e| json::score_json_str(&e, &text("ledger"), &text("request")))
        }
        "outcomes" => engine(input).and_then(|e| json::outcomes_json_str(&e, &text("ledger"))),
        "visible_cases" => engine(input)
            .and_then(|e| {
                gridgov::case::ledger::Ledger::from_json_str(&text("ledger"))
                    .map_err(Into::into)
                    .map(|l| (e, l))
            })
            .and_then(|(e, l)| json::visible_cases_json(&e, &l, &text("actor"))),
        "can" => engine(input)
            .and_then(|e| {
                gridgov::case::ledger::Ledger::from_json_str(&text("ledger"))
                    .map_err(Into::into)
                    .map(|l| (e, l))
            })
            .and_then(|(e, l)| json::can_json(&e, &l, &text("request"))),
        "export" => engine(input)
            .and_then(|e| {
                gridgov::case::ledger::Ledger::from_json_str(&text("ledger"))
                    .map_err(Into::into)
                    .map(|l| (e, l))
            })
            .and_then(|(e, l)| json::export_json(&e, &l, &text("actor"))),
        "timeline_for" => engine(input)
            .and_then(|e| {
                gridgov::case::ledger::Ledger::from_json_str(&text("ledger"))
                    .map_err(Into::into)
                    .map(|l| (e, l))
            })
            .and_then(|(e, l)| json::timeline_for_json(&e, &l, &text("actor"), &text("case"))),
        "route_csv" => {
            engine(input).and_then(|e| gridgov::batch::route_csv(&e, &text("cases_csv")))
        }
        "backtest" => engine(input).and_then(|e| {
            let limit = input
                .get("limit")
                .and_then(Value::as_u64)
                .and_then(|l| usize::try_from(l).ok())
                .unwrap_or(1000);
            json::backtest_rules_json_str(&e, &text("rules_b"), &text("cases"), limit)
        }),
        "engine_warnings" => json::engine_warnings_json_str(
            arg(input, "org").as_deref(),
            arg(input, "rules").as_deref(),
            arg(input, "calendar").as_deref(),
        ),
        other => return Err(format!("unknown entry point `{other}`")),
    })
}

/// The engine a vector names: `org`, `rules` and `calendar` arguments, each defaulting to
/// the embedded Fushan defaults.
fn engine(input: &Map<String, Value>) -> Result<gridgov::Engine, gridgov::error::Error> {
    static DEFAULT: std::sync::LazyLock<gridgov::Engine> =
        std::sync::LazyLock::new(gridgov::Engine::fushan);
    let (org, rules, calendar) = (
        arg(input, "org"),
        arg(input, "rules"),
        arg(input, "calendar"),
    );
    if org.is_none() && rules.is_none() && calendar.is_none() {
        return Ok(DEFAULT.clone());
    }
    Ok(gridgov::Engine::from_json_strs(
        org.as_deref(),
        rules.as_deref(),
        calendar.as_deref(),
    )?)
}

/// The vector's result as the runners compare it.
#[must_use]
pub fn actual(result: Result<String, gridgov::error::Error>) -> Expected {
    match result {
        Ok(s) => Expected::Output(s),
        Err(e) => Expected::Error {
            code: e.code().to_owned(),
            message: e.to_string(),
        },
    }
}

/// Rewrites a vector file with a new expected result (for `GRIDGOV_BLESS=1`).
///
/// # Errors
/// The I/O error, as text.
pub fn bless(vector: &Vector, got: &Expected) -> Result<(), String> {
    let mut out = Map::new();
    out.insert(
        "description".into(),
        Value::String(vector.description.clone()),
    );
    out.insert("entry".into(), Value::String(vector.entry.clone()));
    out.insert("input".into(), Value::Object(vector.input.clone()));
    match got {
        Expected::Output(s) => {
            out.insert("output".into(), Value::String(s.clone()));
        }
        Expected::Error { code, message } => {
            let mut e = Map::new();
            e.insert("code".into(), Value::String(code.clone()));
            e.insert("message".into(), Value::String(message.clone()));
            out.insert("error".into(), Value::Object(e));
        }
        Expected::Missing => {}
    }
    // serde_json's map keeps keys sorted; write the top level in the documented order.
    let mut text = String::from("{\n");
    let keys = ["description", "entry", "input", "output", "error"];
    let present: Vec<_> = keys.iter().filter(|k| out.contains_key(**k)).collect();
    for (i, k) in present.iter().enumerate() {
        let value = serde_json::to_string_pretty(&out[**k]).map_err(|e| e.to_string())?;
        let value = value.replace('\n', "\n  ");
        text.push_str(&format!("  \"{k}\": {value}"));
        text.push_str(if i + 1 < present.len() { ",\n" } else { "\n" });
    }
    text.push_str("}\n");
    std::fs::write(&vector.path, text).map_err(|e| format!("{}: {e}", vector.path.display()))
}

/// A small organisation used by tests and vectors (`tests/fixtures/small_org.json`):
/// subdistrict `sd` with two communities, a grid in each, three micro-grids, a building,
/// party units, people, and two offices (police work office `po`, judicial office `jo`).
#[must_use]
pub fn small_org() -> serde_json::Value {
    fixture(include_str!("../fixtures/small_org.json"))
}

/// A small rule set over [`small_org`] (`tests/fixtures/small_rules.json`): categories
/// `dispute`, `theft`, `hazard`, `other`; a `first` routing table and a `collect` table of
/// modifiers using every attribute type and the community column.
#[must_use]
pub fn small_rules() -> serde_json::Value {
    fixture(include_str!("../fixtures/small_rules.json"))
}

/// The organisation of the scoring vectors (`tests/fixtures/score_org.json`): communities
/// c1 and c2; compounds x1 (grids g1, g2) and x2 (g3) in c1, x3 (g4) in c2; micro-grids
/// m1-m4 with 100, 50, 200 and 40 households; workers w1, w2, and w3 holding g3 and g4.
#[must_use]
pub fn score_org() -> serde_json::Value {
    fixture(include_str!("../fixtures/score_org.json"))
}

/// The rule set of the scoring vectors (`tests/fixtures/score_rules.json`): categories
/// `dispute`, `hazard`, `other` and a 100-point test scheme (see
/// `tests/vectors/generate_score.py`).
#[must_use]
pub fn score_rules() -> serde_json::Value {
    fixture(include_str!("../fixtures/score_rules.json"))
}

fn fixture(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}
