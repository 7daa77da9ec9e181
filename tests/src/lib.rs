//! Helpers for the integration tests: reading, running and (on request) re-blessing the
//! shared vectors under `tests/vectors/`, and the layer check of `core/src`.
//!
//! A vector is a JSON file `{description, hand_worked?, why?, entry, input, output | error}`.
//! `entry` names a kind listed in `tests/vectors/manifest.json`, which says how every
//! binding calls it; `input` holds its named arguments. An argument that is a JSON string
//! is passed as raw text (for vectors about unparsable input); a fixture reference
//! `{"$fixture": name, "patch"?: [...]}` is the document `tests/fixtures/<name>.json` with
//! an RFC 6902 patch applied; any other value is serialised to JSON text. `output` is the
//! exact string the entry point returns; `error` holds the `code` and `message` of the
//! error it returns instead. A vector with `hand_worked: true` was worked out by hand and
//! gives the working in `why`.

pub mod fuzz;
pub mod layers;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// The directory that holds the shared vectors.
#[must_use]
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// The directory of the fixture documents vectors name.
#[must_use]
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// How the bindings call one kind of vector (an entry of `manifest.json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `module`, `engine` or `ledger`.
    pub on: String,
    /// Whether an engine method takes the vector's ledger first.
    pub ledger: bool,
    /// The arguments, in order (`name`, `name?`, `name:bool`…).
    pub args: Vec<String>,
    /// The values of arguments a vector leaves out.
    pub defaults: Map<String, Value>,
}

/// The vector kinds of `manifest.json`, by entry name.
///
/// # Errors
/// A description of what is missing or malformed.
pub fn manifest() -> Result<BTreeMap<String, Entry>, String> {
    let path = vectors_dir().join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let entries = v
        .get("entries")
        .and_then(Value::as_object)
        .ok_or("manifest.json: no `entries`")?;
    let mut out = BTreeMap::new();
    for (name, e) in entries {
        let on = e.get("on").and_then(Value::as_str).unwrap_or("").to_owned();
        if !["module", "engine", "ledger"].contains(&on.as_str()) {
            return Err(format!("manifest.json: entry `{name}`: `on` is `{on}`"));
        }
        for binding in ["python", "js"] {
            if e.get(binding).is_none() {
                return Err(format!(
                    "manifest.json: entry `{name}` has no `{binding}` call"
                ));
            }
        }
        let args = e
            .get("args")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("manifest.json: entry `{name}` has no `args`"))?
            .iter()
            .map(|a| a.as_str().unwrap_or("").to_owned())
            .collect();
        out.insert(
            name.clone(),
            Entry {
                on,
                ledger: e.get("ledger").and_then(Value::as_bool).unwrap_or(false),
                args,
                defaults: e
                    .get("defaults")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default(),
            },
        );
    }
    Ok(out)
}

/// One vector file.
#[derive(Debug, Clone)]
pub struct Vector {
    /// Path of the file.
    pub path: PathBuf,
    /// What the vector exercises.
    pub description: String,
    /// Whether its output was worked out by hand (with the working in `why`).
    pub hand_worked: bool,
    /// The entry point.
    pub entry: String,
    /// Named arguments.
    pub input: Map<String, Value>,
    /// What the entry point must return.
    pub expected: Expected,
    /// The vector as read, for re-blessing.
    pub raw: Map<String, Value>,
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

/// Every vector file under `dir` (not `manifest.json`, not the argument vectors under
/// `arguments/`), sorted by path.
///
/// # Errors
/// A description of the first file that cannot be read or lacks a field.
pub fn load_all(dir: &Path) -> Result<Vec<Vector>, String> {
    let mut files = Vec::new();
    collect(dir, &mut files).map_err(|e| format!("{}: {e}", dir.display()))?;
    files.retain(|p| {
        p.file_name().is_none_or(|n| n != "manifest.json") && !p.starts_with(dir.join("arguments"))
    });
    files.sort();
    files.iter().map(|p| load(p)).collect()
}

/// Every `.json` file under `dir`.
///
/// # Errors
/// The I/O error.
pub fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
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
    let hand_worked = v
        .get("hand_worked")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if hand_worked
        && v.get("why")
            .and_then(Value::as_str)
            .is_none_or(|w| w.len() < 40)
    {
        return Err(format!(
            "{}: a hand-worked vector gives its working in `why`",
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
        hand_worked,
        entry,
        input,
        expected,
        raw: v.as_object().cloned().unwrap_or_default(),
    })
}

/// Applies an RFC 6902 JSON Patch (`add`, `replace`, `remove`) to a document.
///
/// # Errors
/// The operation that does not apply.
pub fn apply_patch(doc: &mut Value, patch: &[Value]) -> Result<(), String> {
    for op in patch {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        let (parent, last) = match path.rfind('/') {
            Some(i) => (path.get(..i).unwrap_or(""), path.get(i + 1..).unwrap_or("")),
            None => return Err(format!("patch path `{path}` does not start with `/`")),
        };
        let last = last.replace("~1", "/").replace("~0", "~");
        let target = doc
            .pointer_mut(parent)
            .ok_or_else(|| format!("patch path `{path}`: no `{parent}`"))?;
        let value = op.get("value").cloned().unwrap_or(Value::Null);
        match target {
            Value::Object(map) => {
                if kind == "remove" {
                    map.remove(&last);
                } else {
                    map.insert(last, value);
                }
            }
            Value::Array(list) => {
                let i = if last == "-" {
                    list.len()
                } else {
                    last.parse::<usize>()
                        .map_err(|_| format!("patch path `{path}`: `{last}` is not an index"))?
                };
                match kind {
                    "remove" if i < list.len() => {
                        list.remove(i);
                    }
                    "add" if i <= list.len() => list.insert(i, value),
                    "replace" if i < list.len() => {
                        if let Some(slot) = list.get_mut(i) {
                            *slot = value;
                        }
                    }
                    _ => return Err(format!("patch `{kind}` at `{path}` is out of range")),
                }
            }
            _ => {
                return Err(format!(
                    "patch path `{path}`: `{parent}` is not a container"
                ));
            }
        }
    }
    Ok(())
}

/// An argument with its fixture reference resolved: the document as a value.
///
/// # Errors
/// A fixture that cannot be read, or a patch that does not apply.
pub fn resolve(v: &Value) -> Result<Value, String> {
    let Some(name) = v.get("$fixture").and_then(Value::as_str) else {
        return Ok(v.clone());
    };
    let path = fixtures_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut doc: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if let Some(patch) = v.get("patch").and_then(Value::as_array) {
        apply_patch(&mut doc, patch)?;
    }
    Ok(doc)
}

/// The text of an argument: a JSON string is raw text, anything else (a fixture reference
/// resolved) is serialised.
#[must_use]
pub fn arg_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => resolve(other).unwrap_or(Value::Null).to_string(),
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

/// A `:bool` argument: the vector's value, else the manifest entry's default, else false.
fn flag(input: &Map<String, Value>, spec: &Entry, name: &str) -> bool {
    input
        .get(name)
        .filter(|v| !v.is_null())
        .or_else(|| spec.defaults.get(name))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// Runs a vector's entry point through the core's JSON entry points, as the manifest
/// describes it.
///
/// # Errors
/// An entry the manifest does not list, or one this runner does not know.
pub fn run(
    entry: &str,
    input: &Map<String, Value>,
) -> Result<Result<String, gridgov::error::Error>, String> {
    use gridgov::case::ledger::Ledger;
    use gridgov::json;
    let manifest = manifest()?;
    let spec = manifest
        .get(entry)
        .ok_or_else(|| format!("entry `{entry}` is not in tests/vectors/manifest.json"))?;
    let text = |name: &str| arg(input, name).unwrap_or_default();
    let ledger = || Ledger::from_json_str(&text("ledger")).map_err(gridgov::Error::from);
    let with_engine = |f: &dyn Fn(&gridgov::Engine) -> Result<String, gridgov::Error>| {
        engine(input).and_then(|e| f(&e))
    };
    let with_ledger = |f: &dyn Fn(&gridgov::Engine, &Ledger) -> Result<String, gridgov::Error>| {
        engine(input).and_then(|e| ledger().and_then(|l| f(&e, &l)))
    };
    Ok(match entry {
        "org_summary" => match arg(input, "org") {
            None => Ok(json::org_summary_json(&gridgov::OrgGraph::fushan())),
            Some(org) => gridgov::OrgGraph::from_json_str(&org)
                .map(|o| json::org_summary_json(&o))
                .map_err(Into::into),
        },
        "validate_rules" => Ok(json::validate_rules_json(&text("rules"))),
        "ledger_state" => ledger().map(|l| json::ledger_state_json(&l)),
        "ledger_append" => ledger().and_then(|mut l| {
            l.append_json_str(&text("event"))?;
            Ok(l.to_json())
        }),
        "ledger_append_all" => ledger().and_then(|mut l| {
            l.append_all_json_str(&text("events"))?;
            Ok(json::ledger_state_json(&l))
        }),
        "route" => {
            let explain = flag(input, spec, "explain");
            with_engine(&|e| json::route_json_with(e, &text("case"), explain))
        }
        "deadline" => with_engine(&|e| json::deadline_json(e, &text("deadline"))),
        "locate" => with_engine(&|e| json::locate_json(e, &text("point"))),
        "suggest_teams" => with_engine(&|e| json::suggest_teams_json(e, &text("request"))),
        "open311" => with_engine(&|e| json::open311_json(e, None, &text("call"))),
        "open311_requests" => with_ledger(&|e, l| json::open311_json(e, Some(l), &text("call"))),
        "open311_convert" => json::open311_convert_json(&text("document")),
        "map" => with_engine(&|e| json::map_json(e.org(), arg(input, "crs").as_deref())),
        "engine_warnings" => with_engine(&|e| Ok(json::warnings_json(e))),
        "route_csv" => with_engine(&|e| gridgov::batch::route_csv(e, &text("cases_csv"))),
        "backtest" => with_engine(&|e| {
            let limit = input
                .get("limit")
                .and_then(Value::as_u64)
                .and_then(|l| usize::try_from(l).ok());
            json::backtest_rules_json(e, &text("rules_b"), &text("cases"), limit)
        }),
        "score_outcomes" => with_engine(&|e| json::score_outcomes_json(e, &text("request"))),
        "score" => with_ledger(&|e, l| json::score_json(e, l, &text("request"))),
        "outcomes" => with_ledger(&|e, l| Ok(json::outcomes_json(e, l))),
        "actions" => with_ledger(&|e, l| json::actions_json(e, l, &text("now"))),
        "overdue" => with_ledger(&|e, l| json::overdue_json(e, l, &text("now"))),
        "timeline" => with_ledger(&|e, l| {
            let public = input
                .get("public")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            json::timeline_json(e, l, &text("case"), public)
        }),
        "intake" => with_ledger(&|e, l| {
            json::intake_json(e, l, &text("case"), arg(input, "actor").as_deref())
        }),
        "can" => with_ledger(&|e, l| json::can_json(e, l, &text("request"))),
        "visible_cases" => with_ledger(&|e, l| json::visible_cases_json(e, l, &text("actor"))),
        "export" => with_ledger(&|e, l| json::export_json(e, l, &text("actor"))),
        "timeline_for" => {
            with_ledger(&|e, l| json::timeline_for_json(e, l, &text("actor"), &text("case")))
        }
        "record" => engine(input).and_then(|e| {
            ledger().and_then(|mut l| json::record_json(&e, &mut l, &text("actor"), &text("event")))
        }),
        "record_intake" => engine(input).and_then(|e| {
            ledger().and_then(|mut l| {
                json::record_intake_json(&e, &mut l, &text("actor"), &text("case"))
            })
        }),
        "ledger_verify" => ledger().and_then(|l| json::ledger_verify_json(&l)),
        other => return Err(format!("the Rust runner has no call for entry `{other}`")),
    })
}

/// The engine a vector names: `org`, `rules` and `calendar` arguments, each defaulting to
/// the embedded Fushan defaults.
fn engine(input: &Map<String, Value>) -> Result<gridgov::Engine, gridgov::error::Error> {
    let (org, rules, calendar) = (
        arg(input, "org"),
        arg(input, "rules"),
        arg(input, "calendar"),
    );
    let validation = input.get("validation").and_then(Value::as_str);
    if org.is_none() && rules.is_none() && calendar.is_none() && validation.is_none() {
        return Ok(gridgov::Engine::fushan());
    }
    let gaps = match validation {
        Some(v) => v.parse()?,
        None => gridgov::org::GapPolicy::default(),
    };
    Ok(gridgov::Engine::from_json_strs_with(
        org.as_deref(),
        rules.as_deref(),
        calendar.as_deref(),
        gaps,
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

/// Rewrites a vector file with a new expected result (for `GRIDGOV_BLESS=1`), in the
/// layout of `tests/vectors/vectorlib.py`: one top-level key per line, values compact.
///
/// # Errors
/// The I/O error, as text.
pub fn bless(vector: &Vector, got: &Expected) -> Result<(), String> {
    let mut out = vector.raw.clone();
    out.remove("output");
    out.remove("error");
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
    let order = [
        "description",
        "hand_worked",
        "why",
        "entry",
        "input",
        "output",
        "error",
    ];
    let mut text = String::from("{\n");
    let mut keys: Vec<&str> = order
        .iter()
        .copied()
        .filter(|k| out.contains_key(*k))
        .collect();
    keys.extend(
        out.keys()
            .map(String::as_str)
            .filter(|k| !order.contains(k)),
    );
    for (i, k) in keys.iter().enumerate() {
        let value = serde_json::to_string(&out[*k]).map_err(|e| e.to_string())?;
        text.push_str(&format!("  \"{k}\": {value}"));
        text.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
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

/// One bad-argument vector (`tests/vectors/arguments/`): a binding call with arguments as
/// JSON values, and the error every binding must give.
#[derive(Debug, Clone)]
pub struct ArgVector {
    /// Path of the file.
    pub path: PathBuf,
    /// The call, from the manifest's `calls`.
    pub call: String,
    /// The arguments, in order.
    pub args: Vec<Value>,
    /// The error code.
    pub code: String,
    /// The error message.
    pub message: String,
}

/// Every bad-argument vector, sorted by path.
///
/// # Errors
/// The first file that cannot be read or lacks a field.
pub fn load_arguments() -> Result<Vec<ArgVector>, String> {
    let dir = vectors_dir().join("arguments");
    let mut files = Vec::new();
    collect(&dir, &mut files).map_err(|e| format!("{}: {e}", dir.display()))?;
    files.sort();
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let v: Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))?;
            let s = |k: &str, sub: Option<&str>| {
                let x = v.get(k);
                let x = match sub {
                    Some(sub) => x.and_then(|x| x.get(sub)),
                    None => x,
                };
                x.and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{}: missing `{k}`", p.display()))
            };
            Ok(ArgVector {
                path: p.clone(),
                call: s("call", None)?,
                args: v
                    .get("args")
                    .and_then(Value::as_array)
                    .cloned()
                    .ok_or_else(|| format!("{}: missing `args`", p.display()))?,
                code: s("error", Some("code"))?,
                message: s("error", Some("message"))?,
            })
        })
        .collect()
}

/// One parameter of a call: its name, its kind (`text`, `number`, `level`, `ledger`) and
/// whether it is optional.
pub type Param = (String, String, bool);

/// The parameters of each call of the manifest's `calls`.
///
/// # Errors
/// A malformed manifest.
pub fn calls() -> Result<BTreeMap<String, Vec<Param>>, String> {
    let path = vectors_dir().join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let calls = v
        .get("calls")
        .and_then(Value::as_object)
        .ok_or("manifest.json: no `calls`")?;
    let mut out = BTreeMap::new();
    for (name, c) in calls {
        let params = c
            .get("params")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("manifest.json: call `{name}` has no `params`"))?
            .iter()
            .map(|p| {
                let p = p.as_str().unwrap_or("");
                let (n, kind) = p.split_once(':').unwrap_or((p, "text"));
                let optional = kind.ends_with('?');
                (
                    n.to_owned(),
                    kind.trim_end_matches('?').to_owned(),
                    optional,
                )
            })
            .collect();
        out.insert(name.clone(), params);
    }
    Ok(out)
}

/// A JSON number as a binding receives it.
fn number_of(v: &Value) -> gridgov::input::Number {
    match v.as_i64() {
        Some(i) => gridgov::input::Number::Int(i128::from(i)),
        None => gridgov::input::Number::Float(v.as_f64().unwrap_or(f64::NAN)),
    }
}

/// Runs a bad-argument vector's call through the core: the error it gives, checking the
/// arguments' JSON types as the bindings do first.
///
/// # Errors
/// A call the runner does not know, or one that gives no error.
pub fn run_arguments(call: &str, args: &[Value]) -> Result<gridgov::Error, String> {
    use gridgov::input::{InputError, JsonKind};
    let calls = calls()?;
    let params = calls
        .get(call)
        .ok_or_else(|| format!("call `{call}` is not in the manifest's `calls`"))?;
    let null = Value::Null;
    for (i, (name, kind, optional)) in params.iter().enumerate() {
        let v = args.get(i).unwrap_or(&null);
        if *optional && v.is_null() {
            continue;
        }
        let expected = match kind.as_str() {
            "text" | "level" if !v.is_string() => "text (a string)",
            "number" if !v.is_number() => "a whole number",
            "ledger" if v.get("$new").and_then(Value::as_str) != Some("Ledger") => {
                "a gridgov Ledger"
            }
            _ => continue,
        };
        return Ok(InputError::wrong_type(name.clone(), expected, JsonKind::of(v)).into());
    }
    let text = |i: usize| args.get(i).and_then(Value::as_str).unwrap_or("").to_owned();
    let opt = |i: usize| args.get(i).and_then(Value::as_str).map(str::to_owned);
    let num = |i: usize| number_of(args.get(i).unwrap_or(&null));
    let engine = gridgov::Engine::fushan();
    let ledger = gridgov::case::ledger::Ledger::new();
    let result: Result<(), gridgov::Error> = match call {
        "route_json" => gridgov::json::route_json(&engine, &text(0)).map(drop),
        "deadline_json" => gridgov::json::deadline_json(&engine, &text(0)).map(drop),
        "score_outcomes_json" => gridgov::json::score_outcomes_json(&engine, &text(0)).map(drop),
        "route_csv" => gridgov::batch::route_csv(&engine, &text(0)).map(drop),
        "contains" => engine
            .org()
            .contains(&text(0), &text(1))
            .map(drop)
            .map_err(Into::into),
        "unit_at_level" => engine
            .org()
            .unit_id_at_level(&text(0), &text(1))
            .map(drop)
            .map_err(Into::into),
        "simulate_cases_csv" => gridgov::sim::SimArgs::new(num(0), num(1), num(2), num(3))
            .map(drop)
            .map_err(Into::into),
        "backtest_json" => {
            let limit = args
                .get(2)
                .filter(|v| !v.is_null())
                .map(|v| {
                    gridgov::input::whole(
                        number_of(v),
                        "limit",
                        0..=gridgov::batch::MAX_BACKTEST_LIMIT,
                    )
                })
                .transpose()
                .map_err(gridgov::Error::from);
            limit.and_then(|l| {
                gridgov::json::backtest_rules_json(
                    &engine,
                    &text(0),
                    &text(1),
                    l.map(|l| usize::try_from(l).unwrap_or(usize::MAX)),
                )
                .map(drop)
            })
        }
        "intake_json" => {
            gridgov::json::intake_json(&engine, &ledger, &text(1), opt(2).as_deref()).map(drop)
        }
        "actions_json" => gridgov::json::actions_json(&engine, &ledger, &text(1)).map(drop),
        "validate_rules_json" => {
            let _ = gridgov::json::validate_rules_json(&text(0));
            Ok(())
        }
        "locate_json" => gridgov::json::locate_json(&engine, &text(0)).map(drop),
        "suggest_teams_json" => gridgov::json::suggest_teams_json(&engine, &text(0)).map(drop),
        "map_json" => gridgov::json::map_json(engine.org(), opt(0).as_deref()).map(drop),
        "open311_json" => gridgov::json::open311_json(&engine, None, &text(0)).map(drop),
        "open311_convert_json" => gridgov::json::open311_convert_json(&text(0)).map(drop),
        "org_summary_json" => match opt(0) {
            None => Ok(()),
            Some(s) => gridgov::OrgGraph::from_json_str(&s)
                .map(drop)
                .map_err(Into::into),
        },
        "engine" => {
            gridgov::Engine::from_json_strs(opt(0).as_deref(), opt(1).as_deref(), opt(2).as_deref())
                .map(drop)
                .map_err(Into::into)
        }
        other => return Err(format!("the Rust runner has no call `{other}`")),
    };
    match result {
        Ok(()) => Err(format!("`{call}` gave no error")),
        Err(e) => Ok(e),
    }
}
