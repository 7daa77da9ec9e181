//! Python bindings of gridgov. Every function converts arguments and results; the core
//! decides. JSON entry points return the core's bytes unchanged, and every error, limit,
//! default, column set and row shape is the core's.
//!
//! The one `unsafe` block is in [`arrow`]: taking an Arrow stream out of a PyCapsule, as
//! the Arrow PyCapsule interface prescribes.
#![deny(unsafe_code)]

mod arrow;

use gridgov::error::{Error, ErrorClass};
use gridgov::input::{InputError as CoreInputError, JsonKind, Number};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

create_exception!(
    _gridgov,
    GridgovError,
    PyValueError,
    "Base class of every gridgov error; `code` names the kind of error."
);
create_exception!(
    _gridgov,
    OrgError,
    GridgovError,
    "An organisation spec could not be read or is invalid."
);
create_exception!(
    _gridgov,
    RuleError,
    GridgovError,
    "A rule set could not be read, is invalid, or does not fit the organisation."
);
create_exception!(
    _gridgov,
    CalendarError,
    GridgovError,
    "A calendar could not be read, or a time lies outside it."
);
create_exception!(
    _gridgov,
    CaseError,
    GridgovError,
    "A case could not be read or does not fit the rule set and the organisation."
);
create_exception!(
    _gridgov,
    RouteError,
    GridgovError,
    "A valid case could not be routed (no rule version in force, no deciding row)."
);
create_exception!(
    _gridgov,
    LedgerError,
    GridgovError,
    "A ledger could not be read, or an event was refused; the ledger is unchanged."
);
create_exception!(
    _gridgov,
    QueryError,
    GridgovError,
    "A query named a unit, office, level or case that is not there."
);
create_exception!(
    _gridgov,
    JsonError,
    GridgovError,
    "An input document is not valid JSON or does not have the expected shape."
);
create_exception!(
    _gridgov,
    ScoreError,
    GridgovError,
    "A month could not be scored: a bad outcome row (with its row, CSV line and column), a bad request, or a budget below the floors."
);
create_exception!(
    _gridgov,
    AccessError,
    GridgovError,
    "An actor may not do what was asked, or names an unknown role or a unit its role cannot use."
);
create_exception!(
    _gridgov,
    InputError,
    GridgovError,
    "An argument has the wrong type or value, is not valid text, or names a file that cannot be read."
);

/// Every core error as its Python exception, with the core's code and message. The match
/// has no catch-all: a new class of core error does not compile until it is mapped here.
fn to_py(err: &Error) -> PyErr {
    let msg = err.to_string();
    let e = match err.class() {
        ErrorClass::Org => OrgError::new_err(msg),
        ErrorClass::Rule => RuleError::new_err(msg),
        ErrorClass::Calendar => CalendarError::new_err(msg),
        ErrorClass::Case => CaseError::new_err(msg),
        ErrorClass::Route => RouteError::new_err(msg),
        ErrorClass::Ledger => LedgerError::new_err(msg),
        ErrorClass::Query => QueryError::new_err(msg),
        ErrorClass::Json => JsonError::new_err(msg),
        ErrorClass::Score => ScoreError::new_err(msg),
        ErrorClass::Access => AccessError::new_err(msg),
        ErrorClass::Input => InputError::new_err(msg),
    };
    let problems = err.problems_json();
    Python::attach(|py| {
        // Setting an attribute on a fresh exception object cannot fail in practice; if it
        // did, the exception is still raised without its code.
        let value = e.value(py);
        let _ = value.setattr("code", err.code());
        // Every problem behind the error; `problems` (in the package) reads them as objects.
        let _ = value.setattr("_problems_json", problems);
    });
    e
}

/// A core error of any concern as its Python exception.
fn err<E: Into<Error>>(e: E) -> PyErr {
    to_py(&e.into())
}

/// The JSON kind of a Python value, as the core's messages name it; values JSON has no
/// type for are named by their Python type.
fn kind_of(obj: &Bound<'_, PyAny>) -> Result<JsonKind, String> {
    Ok(if obj.is_none() {
        JsonKind::Null
    } else if obj.is_instance_of::<PyBool>() {
        JsonKind::Boolean
    } else if obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() {
        JsonKind::Number
    } else if obj.is_instance_of::<PyString>() {
        JsonKind::String
    } else if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        JsonKind::Array
    } else if obj.is_instance_of::<PyDict>() {
        JsonKind::Object
    } else {
        return Err(obj
            .get_type()
            .name()
            .map_or_else(|_| "another type".to_owned(), |n| n.to_string()));
    })
}

/// The core's error for an argument of the wrong type.
fn wrong_type(obj: &Bound<'_, PyAny>, what: &str, expected: &str) -> PyErr {
    let what = what.to_owned();
    err(match kind_of(obj) {
        Ok(kind) => CoreInputError::wrong_type(what, expected, kind),
        Err(name) => {
            CoreInputError::wrong_type_named(what, expected, &format!("a value of type `{name}`"))
        }
    })
}

/// Reads a text argument: a wrong type, or text that is not UTF-8 (a lone surrogate), is
/// the core's `InputError` naming the argument.
fn text(arg: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    text_ref(arg, what).map(std::borrow::Cow::into_owned)
}

/// A field of a case, as a key of a dict names it (what [`case_text`] reads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Id,
    Channel,
    Category,
    Location,
    ReportedAt,
    People,
    Repeat,
    Amount,
    RiskFlags,
    Summary,
    Media,
    Reporter,
    Attributes,
}

impl Field {
    /// Every field, in the order of the enum (a field's number is its place here).
    const ALL: [Self; 13] = [
        Self::Id,
        Self::Channel,
        Self::Category,
        Self::Location,
        Self::ReportedAt,
        Self::People,
        Self::Repeat,
        Self::Amount,
        Self::RiskFlags,
        Self::Summary,
        Self::Media,
        Self::Reporter,
        Self::Attributes,
    ];

    /// The field a key names; `None` for a key that is not a case's field the lean path
    /// reads (a map `point`, a misspelling), which takes the JSON path.
    fn of(key: &Bound<'_, PyAny>) -> Option<Self> {
        Some(match key.cast::<PyString>().ok()?.to_str().ok()? {
            "id" => Self::Id,
            "channel" => Self::Channel,
            "category" => Self::Category,
            "location" => Self::Location,
            "reported_at" => Self::ReportedAt,
            "people_involved" => Self::People,
            "repeat_count" => Self::Repeat,
            "amount_yuan" => Self::Amount,
            "risk_flags" => Self::RiskFlags,
            "summary" => Self::Summary,
            "media_url" => Self::Media,
            "reporter" => Self::Reporter,
            "attributes" => Self::Attributes,
            _ => return None,
        })
    }
}

// Each field's place in [`Field::ALL`] is its number, which indexes [`Fields::held`].
const _: () = {
    let mut i = 0;
    while i < Field::ALL.len() {
        assert!(
            Field::ALL[i] as usize == i,
            "Field::ALL is in the order of the enum"
        );
        i += 1;
    }
};

/// A dict's values by [`Field`] (each at the field's place in [`Field::ALL`]), and the
/// items of its risk flags' list.
struct Fields<'py> {
    held: [Option<Bound<'py, PyAny>>; Field::ALL.len()],
    flags: Vec<Bound<'py, PyAny>>,
}

/// The values of a dict's items by [`Field`], and the items of its risk flags' list: what
/// [`case_text`] borrows the case's text from, each key read once. `None` when a key is
/// not a field. `keys` are the key objects met before (see [`Keys`]).
fn dict_fields<'py>(dict: &Bound<'py, PyDict>, keys: &mut Keys) -> Option<Fields<'py>> {
    let mut out = Fields {
        held: Default::default(),
        flags: Vec::new(),
    };
    for (k, v) in dict.iter() {
        let field = keys.field(&k)?;
        if field == Field::RiskFlags {
            if let Ok(list) = v.cast::<PyList>() {
                out.flags.extend(list.iter());
            }
        }
        if let Some(slot) = out.held.get_mut(field as usize) {
            *slot = Some(v);
        }
    }
    Some(out)
}

/// The key objects of case dicts met before, each with its field, known again by address
/// without reading their text: a caller's dicts mostly share their key objects (the
/// interned strings of keys written in Python source, or one string per column of the
/// table the dicts came from). Each is held, so its address cannot be reused; at most
/// [`Keys::MOST`] are, then other keys are read by their text.
#[derive(Debug, Default)]
struct Keys {
    seen: Vec<(Py<PyAny>, Field)>,
    /// Where the last key was found: the next is mostly the one after it.
    at: usize,
}

impl Keys {
    /// The most key objects held.
    const MOST: usize = 64;

    /// The field `key` names (see [`Field::of`]).
    fn field(&mut self, key: &Bound<'_, PyAny>) -> Option<Field> {
        let n = self.seen.len();
        // `at` is at most `n`: the positions from it, then from the start (without a
        // division per key).
        let from = self.at.min(n);
        let found = (from..n).chain(0..from).find_map(|i| {
            let (k, field) = self.seen.get(i)?;
            std::ptr::eq(k.as_ptr(), key.as_ptr()).then_some((i, *field))
        });
        if let Some((i, field)) = found {
            self.at = i + 1;
            return Some(field);
        }
        let field = Field::of(key)?;
        if n < Self::MOST {
            self.seen.push((key.clone().unbind(), field));
            self.at = n + 1;
        }
        Some(field)
    }
}

/// A case's fields as the core's lean path reads them, borrowed from the values of a
/// dict's fields (from [`dict_fields`]), when each is what `json.dumps` would write as
/// that field's JSON: text as `str`, counts as `int` (not `bool`), the amount as `int`
/// or `str`, risk flags as a list of `str`,
/// `summary` and `media_url` as `str` or `None`, `reporter` as `None`.
/// `None` for any other dict, which is converted whole: the conversion only, the core
/// decides.
fn case_text<'a>(fields: &'a Fields<'_>) -> Option<gridgov::lean::CaseText<'a>> {
    fn text<'a>(v: &'a Bound<'_, PyAny>) -> Option<&'a str> {
        v.cast::<PyString>().ok()?.to_str().ok()
    }
    fn count(v: &Bound<'_, PyAny>) -> Option<u32> {
        if v.is_instance_of::<PyBool>() {
            return None;
        }
        v.cast::<PyInt>().ok()?.extract::<u32>().ok()
    }
    fn optional<'a>(v: &'a Bound<'_, PyAny>) -> Option<Option<&'a str>> {
        if v.is_none() {
            Some(None)
        } else {
            text(v).map(Some)
        }
    }
    let (mut id, mut channel, mut category, mut location, mut reported_at) =
        (None, None, None, None, None);
    let mut case = gridgov::lean::CaseText::default();
    for (field, v) in Field::ALL.iter().zip(&fields.held) {
        let Some(v) = v else { continue };
        match field {
            Field::Id => id = Some(text(v)?),
            Field::Channel => channel = Some(text(v)?),
            Field::Category => category = Some(text(v)?),
            Field::Location => location = Some(text(v)?),
            Field::ReportedAt => reported_at = Some(text(v)?),
            Field::People => case.people_involved = count(v)?,
            Field::Repeat => case.repeat_count = count(v)?,
            Field::Amount => {
                case.amount_yuan = if v.is_instance_of::<PyBool>() {
                    return None;
                } else if let Ok(i) = v.cast::<PyInt>() {
                    i.extract::<i64>().ok()?.to_string().parse().ok()?
                } else {
                    text(v)?.parse().ok()?
                }
            }
            Field::RiskFlags => {
                // A list, whose items `fields` holds.
                v.cast::<PyList>().ok()?;
                case.risk_flags = fields.flags.iter().map(text).collect::<Option<Vec<_>>>()?;
            }
            Field::Summary => case.summary = optional(v)?,
            Field::Media => case.media_url = optional(v)?,
            Field::Reporter if v.is_none() => {}
            Field::Reporter => return None,
            Field::Attributes => case.attributes = attributes(v)?,
        }
    }
    case.id = id?;
    case.channel = channel?;
    case.category = category?;
    case.location = location?;
    case.reported_at = reported_at?;
    Some(case)
}

/// A case's attributes from a dict, when each value is what `json.dumps` writes and the
/// core reads as the same value: `str`, `bool`, `int`, or a list of `str` (a `float` or
/// anything else: `None`, for the JSON path).
fn attributes(v: &Bound<'_, PyAny>) -> Option<gridgov::case::Attributes> {
    use gridgov::case::AttrValue;
    let mut out = gridgov::case::Attributes::new();
    for (k, v) in v.cast::<PyDict>().ok()?.iter() {
        let value = if let Ok(b) = v.cast::<PyBool>() {
            AttrValue::Bool(b.is_true())
        } else if let Ok(i) = v.cast::<PyInt>() {
            AttrValue::Number(i.extract::<i64>().ok()?.to_string().parse().ok()?)
        } else if let Ok(t) = v.cast::<PyString>() {
            AttrValue::Text(t.to_str().ok()?.to_owned())
        } else if let Ok(list) = v.cast::<PyList>() {
            AttrValue::List(
                list.iter()
                    .map(|s| Some(s.cast::<PyString>().ok()?.to_str().ok()?.to_owned()))
                    .collect::<Option<Vec<_>>>()?,
            )
        } else {
            return None;
        };
        out.insert(k.cast::<PyString>().ok()?.to_str().ok()?.to_owned(), value);
    }
    Some(out)
}

/// A text argument borrowed from the Python string (no copy under the stable ABI of 3.10),
/// for calls short enough to keep the GIL.
fn text_ref<'a>(arg: &'a Bound<'_, PyAny>, what: &str) -> PyResult<std::borrow::Cow<'a, str>> {
    let s = arg
        .cast::<PyString>()
        .map_err(|_| wrong_type(arg, what, "text (a string)"))?;
    s.to_cow()
        .map_err(|e| err(CoreInputError::not_text(what.to_owned(), &e.to_string())))
}

/// A text argument held borrowed from the Python string (its UTF-8, no copy under the
/// stable ABI of 3.10), for the core to read with the GIL released: a ledger document or
/// a batch of cases may be gigabytes.
fn backed_text(arg: &Bound<'_, PyAny>, what: &str) -> PyResult<PyBackedStr> {
    let s = arg
        .cast::<PyString>()
        .map_err(|_| wrong_type(arg, what, "text (a string)"))?;
    PyBackedStr::try_from(s.clone())
        .map_err(|e| err(CoreInputError::not_text(what.to_owned(), &e.to_string())))
}

fn opt_text(arg: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<String>> {
    match arg {
        None => Ok(None),
        Some(a) if a.is_none() => Ok(None),
        Some(a) => text(a, what).map(Some),
    }
}

/// A number argument as Python gives it, an `int` or a `float` (a `bool` is not one): the
/// core checks that it is whole and in range.
fn int(arg: &Bound<'_, PyAny>, what: &'static str) -> PyResult<Number> {
    if arg.is_instance_of::<PyBool>() {
        return Err(wrong_type(arg, what, "a whole number"));
    }
    if let Ok(f) = arg.cast::<PyFloat>() {
        return Ok(Number::Float(f.value()));
    }
    if !arg.is_instance_of::<PyInt>() {
        return Err(wrong_type(arg, what, "a whole number"));
    }
    // Beyond i128 every range check fails alike: keep the sign.
    Ok(Number::Int(arg.extract::<i128>().unwrap_or_else(|_| {
        if arg.lt(0i64).unwrap_or(false) {
            i128::MIN
        } else {
            i128::MAX
        }
    })))
}

/// A number of degrees: anything Python reads as a float (an int, a float, a numpy
/// number), but not a bool or text.
fn degrees(arg: &Bound<'_, PyAny>, what: &str) -> PyResult<f64> {
    if arg.is_instance_of::<PyBool>() || arg.is_instance_of::<PyString>() {
        return Err(wrong_type(arg, what, "a number of degrees"));
    }
    arg.extract::<f64>()
        .map_err(|_| wrong_type(arg, what, "a number of degrees"))
}

fn opt_int(arg: Option<&Bound<'_, PyAny>>, what: &'static str) -> PyResult<Option<Number>> {
    match arg {
        None => Ok(None),
        Some(a) if a.is_none() => Ok(None),
        Some(a) => int(a, what).map(Some),
    }
}

/// A count such as a limit: a whole number from 0 to `most`.
fn count(arg: Option<&Bound<'_, PyAny>>, what: &'static str, most: u64) -> PyResult<Option<usize>> {
    opt_int(arg, what)?
        .map(|v| {
            gridgov::input::whole(v, what, 0..=most)
                .map(|v| usize::try_from(v).unwrap_or(usize::MAX))
                .map_err(err)
        })
        .transpose()
}

/// A bool argument (not a truthy value of another type).
fn boolean(arg: Option<&Bound<'_, PyAny>>, what: &'static str) -> PyResult<bool> {
    match arg {
        None => Ok(false),
        Some(a) if a.is_none() => Ok(false),
        Some(a) => a
            .cast::<PyBool>()
            .map(|b| b.is_true())
            .map_err(|_| wrong_type(a, what, "true or false")),
    }
}

/// Reads the text argument `arg` and runs a core entry point on it with the GIL released,
/// mapping its error to the Python exception.
fn call_text<T: Send>(
    py: Python<'_>,
    arg: &Bound<'_, PyAny>,
    what: &'static str,
    f: impl FnOnce(&str) -> Result<T, Error> + Send,
) -> PyResult<T> {
    let s = backed_text(arg, what)?;
    py.detach(|| f(&s)).map_err(|e| to_py(&e))
}

/// The ledger argument of an engine method: a `Ledger` of this module.
fn ledger<'a>(arg: &'a Bound<'_, PyAny>) -> PyResult<&'a PyLedger> {
    arg.cast::<PyLedger>()
        .map(|l| l.get())
        .map_err(|_| wrong_type(arg, "ledger", "a gridgov Ledger"))
}

/// The `level` and `report` arguments of the scoring methods.
fn score_args(
    level: Option<&Bound<'_, PyAny>>,
    report: Option<&Bound<'_, PyAny>>,
) -> PyResult<(Option<gridgov::arrow::UnitLevel>, bool)> {
    let level = opt_text(level, "level")?
        .map(|l| gridgov::input::name_arg("level", &l).map_err(err))
        .transpose()?;
    Ok((level, boolean(report, "report")?))
}

/// What the scoring methods return, the core scoring with the GIL released: with
/// `report`, the month's report as the core's JSON text; else the units at `level` as a
/// table.
fn scored(
    py: Python<'_>,
    level: Option<gridgov::arrow::UnitLevel>,
    report: bool,
    score: impl FnOnce() -> Result<gridgov::score::MonthReport, Error> + Send,
) -> PyResult<Py<PyAny>> {
    let month = py.detach(score).map_err(|e| to_py(&e))?;
    if report {
        return Ok(PyString::new(py, &gridgov::json::report_json(&month))
            .into_any()
            .unbind());
    }
    let (schema, batch) = gridgov::arrow::report_units(&month, level).map_err(|e| to_py(&e))?;
    Ok(Py::new(py, arrow::ArrowStream::new(schema, vec![batch]))?.into_any())
}

/// The decision as a dict, field by field as the core's JSON has them (the same keys in
/// the same order, absent optional ones left out): `json.loads(route_json(case))` equals
/// it (`test_route_dict_direct_path_equals_the_json_path_on_seeded_cases`).
///
/// Most of a decision is the engine's own: its version, grade, level, unit, handler,
/// office, time limit and deciding row. The dict of those (with the keys in order) is
/// made once for each such combination (see [`EngineTexts`], which keeps a bounded
/// number) and copied for each decision, which then sets only its own values (the case
/// id, the deadline, fresh lists and a fresh `rule` dict, so a caller may change what it
/// is given): a copy of a dict is one call, where setting a value is one call for each.
/// The rare nested values (a sitting, warnings) go through pythonize.
///
/// `id` is the case's id as the caller gave it: the decision's `case` is that very
/// string object (strings cannot change), not a copy of its text.
fn decision_dict<'py>(
    py: Python<'py>,
    made: &mut Made,
    d: &gridgov::route::DecisionView<'_>,
    id: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    // Every text of a decision but its case id and its times is the engine's own.
    let out = match made.shape(py, d)? {
        Shaped::Kept(shape) => shape.copy()?,
        // Made for this decision alone (the cache is full): filled in place.
        Shaped::Fresh(shape) => shape,
    };
    let rule = match made.rule(py, &d.rule)? {
        Shaped::Kept(rule) => rule.copy()?,
        Shaped::Fresh(rule) => rule,
    };
    match id.filter(|id| {
        id.cast::<PyString>()
            .ok()
            .and_then(|t| t.to_str().ok())
            .is_some_and(|t| t == d.case)
    }) {
        Some(id) => out.set_item(pyo3::intern!(py, "case"), id)?,
        None => out.set_item(pyo3::intern!(py, "case"), d.case)?,
    }
    let mut own = |t: &str| engine_text(py, &mut made.texts, t);
    out.set_item(
        pyo3::intern!(py, "co_offices"),
        PyList::new(py, d.co_offices.iter().map(|o| own(o)))?,
    )?;
    // Printed into one buffer, without the formatting machinery.
    let mut buf = String::with_capacity(32);
    d.due.push_to(&mut buf);
    out.set_item(pyo3::intern!(py, "due"), buf.as_str())?;
    out.set_item(
        pyo3::intern!(py, "flags"),
        PyList::new(py, d.flags.iter().map(|f| own(f)))?,
    )?;
    out.set_item(pyo3::intern!(py, "rule"), rule)?;
    if let Some(b) = &d.sitting {
        out.set_item(pyo3::intern!(py, "sitting"), pythonize::pythonize(py, b)?)?;
    }
    if let Some(t) = &d.trace {
        out.set_item(pyo3::intern!(py, "trace"), PyList::new(py, t)?)?;
    }
    if !d.warnings.is_empty() {
        out.set_item(
            pyo3::intern!(py, "warnings"),
            pythonize::pythonize(py, &d.warnings)?,
        )?;
    }
    Ok(out)
}

/// An organisation, a rule set and a calendar that fit together: every decision is made
/// here. ``Engine()`` with no arguments, or ``Engine.fushan()``, takes the embedded Fushan
/// defaults; give JSON text for any of ``org``, ``rules`` and ``calendar`` to replace it.
#[pyclass(module = "gridgov._gridgov", name = "Engine", frozen)]
#[derive(Debug)]
struct PyEngine {
    inner: gridgov::Engine,
    /// The Python objects of the engine's decisions made once: see [`EngineTexts`].
    texts: EngineTexts,
}

/// Python objects made once per engine for the decisions it returns as dicts:
/// - its texts (ids, names, rows' reasons) as Python strings, keyed by their address,
///   which is theirs for the engine's life (only the engine's texts go in: a case's own
///   text lives at addresses that are reused);
/// - for each combination of the engine's own values a decision takes (its [`Shape`]),
///   the dict of them, every key of a decision in order (see [`decision_dict`]).
#[derive(Debug, Default)]
struct EngineTexts(std::sync::Mutex<Made>);

/// What [`EngineTexts`] holds.
#[derive(Debug, Default)]
struct Made {
    /// The key objects of the case dicts read.
    keys: Keys,
    texts: rustc_hash::FxHashMap<(usize, usize), Py<PyString>>,
    /// Each shape's dict.
    shapes: rustc_hash::FxHashMap<Shape, Py<PyDict>>,
    /// Each deciding row's `rule` dict, by the addresses of its texts: a few dozen,
    /// shared by every shape (kept apart from the shapes, they stay in the cache).
    rules: rustc_hash::FxHashMap<[(usize, usize); 3], Py<PyDict>>,
    /// Each time limit's text (a few, shared by every shape).
    limits: rustc_hash::FxHashMap<gridgov::calendar::TimeLimit, Py<PyString>>,
}

/// The engine's own values of a decision but its `rule`, by address (its texts) and value
/// (the rest): what [`Made::shape`] keys its dicts by.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Shape {
    texts: [(usize, usize); 7],
    level: gridgov::org::Level,
    role: Option<gridgov::org::Role>,
    limit: gridgov::calendar::TimeLimit,
}

impl Shape {
    fn of(d: &gridgov::route::DecisionView<'_>) -> Self {
        let at = |t: Option<&str>| t.map_or((0, 0), |t| (t.as_ptr() as usize, t.len()));
        Self {
            texts: [
                at(Some(d.version)),
                at(d.grade),
                at(d.unit),
                at(d.unit_name),
                at(d.office),
                at(d.handler),
                at(d.following),
            ],
            level: d.level,
            role: d.handler_role,
            limit: d.time_limit,
        }
    }
}

/// A dict of a decision's engine values ([`Made::shape`], [`Made::rule`]): kept for later
/// decisions (to be copied, never handed out), or made for this one alone.
enum Shaped<'py> {
    Kept(Bound<'py, PyDict>),
    Fresh(Bound<'py, PyDict>),
}

impl EngineTexts {
    /// The most texts kept (a city has some 100,000 units and people).
    const MOST: usize = 1 << 18;

    /// The most shapes kept, and the most `rule` dicts. Over 50,000 simulated cases,
    /// Fushan's default decides 1,765 shapes (a decision's shape is mostly its unit's)
    /// and 26 rows. With each shape's `rule` dict and the texts, 2,500 shapes had taken
    /// 1.94 MB of Python's heap (`tracemalloc`), some 800 bytes a shape: the bound is
    /// some 13 MB. Past it, a decision's dicts are made for it alone.
    const MOST_SHAPES: usize = 1 << 14;

    /// Runs `f` on what is made. Should a call come back into this engine while `f`
    /// runs (a finaliser run by a garbage collection that `f`'s allocations set off,
    /// routing a case), it runs on a fresh, empty [`Made`] rather than waiting for
    /// itself.
    fn with<R>(&self, f: impl FnOnce(&mut Made) -> R) -> R {
        match self.0.try_lock() {
            Ok(mut made) => f(&mut made),
            Err(std::sync::TryLockError::Poisoned(p)) => f(&mut p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => f(&mut Made::default()),
        }
    }
}

impl Made {
    /// The dict of decision `d`'s engine values, every key of a decision in the JSON's
    /// order (the case's own values and its `rule` `None`): kept the first time (while
    /// fewer than [`EngineTexts::MOST_SHAPES`] are), to be copied.
    fn shape<'py>(
        &mut self,
        py: Python<'py>,
        d: &gridgov::route::DecisionView<'_>,
    ) -> PyResult<Shaped<'py>> {
        let shape = Shape::of(d);
        if let Some(dict) = self.shapes.get(&shape) {
            return Ok(Shaped::Kept(dict.bind(py).clone()));
        }
        let mut own = |t: &str| engine_text(py, &mut self.texts, t);
        let out = PyDict::new(py);
        let none = py.None();
        out.set_item(pyo3::intern!(py, "case"), &none)?;
        out.set_item(pyo3::intern!(py, "version"), own(d.version))?;
        out.set_item(pyo3::intern!(py, "grade"), d.grade.map(&mut own))?;
        out.set_item(pyo3::intern!(py, "level"), own(d.level.as_str()))?;
        out.set_item(pyo3::intern!(py, "unit"), d.unit.map(&mut own))?;
        out.set_item(pyo3::intern!(py, "unit_name"), d.unit_name.map(&mut own))?;
        out.set_item(pyo3::intern!(py, "office"), d.office.map(&mut own))?;
        out.set_item(pyo3::intern!(py, "co_offices"), &none)?;
        out.set_item(pyo3::intern!(py, "handler"), d.handler.map(&mut own))?;
        out.set_item(
            pyo3::intern!(py, "handler_role"),
            d.handler_role.map(|r| own(r.as_str())),
        )?;
        let limit = match self.limits.get(&d.time_limit) {
            Some(text) => text.bind(py).clone(),
            None => {
                let mut buf = String::with_capacity(32);
                d.time_limit.push_to(&mut buf);
                let text = PyString::new(py, &buf);
                // A rule set's few limits; a bound all the same.
                if self.limits.len() < 256 {
                    self.limits.insert(d.time_limit, text.clone().unbind());
                }
                text
            }
        };
        out.set_item(pyo3::intern!(py, "time_limit"), limit)?;
        out.set_item(pyo3::intern!(py, "due"), &none)?;
        out.set_item(pyo3::intern!(py, "flags"), &none)?;
        out.set_item(pyo3::intern!(py, "rule"), &none)?;
        if let Some(f) = d.following {
            out.set_item(pyo3::intern!(py, "following"), own(f))?;
        }
        Ok(keep(&mut self.shapes, shape, out))
    }

    /// The `rule` dict of deciding row `r`: kept the first time (while fewer than
    /// [`EngineTexts::MOST_SHAPES`] are), to be copied.
    fn rule<'py>(
        &mut self,
        py: Python<'py>,
        r: &gridgov::route::RuleRef<'_>,
    ) -> PyResult<Shaped<'py>> {
        let at = |t: &str| (t.as_ptr() as usize, t.len());
        let key = [at(r.table), at(r.row), at(r.why)];
        if let Some(dict) = self.rules.get(&key) {
            return Ok(Shaped::Kept(dict.bind(py).clone()));
        }
        let mut own = |t: &str| engine_text(py, &mut self.texts, t);
        let rule = PyDict::new(py);
        rule.set_item(pyo3::intern!(py, "table"), own(r.table))?;
        rule.set_item(pyo3::intern!(py, "row"), own(r.row))?;
        rule.set_item(pyo3::intern!(py, "why"), own(r.why))?;
        Ok(keep(&mut self.rules, key, rule))
    }
}

/// `dict`, made for `key`, kept in `kept` for later decisions while fewer than
/// [`EngineTexts::MOST_SHAPES`] are kept there; past that, made for this decision alone.
fn keep<'py, K: std::hash::Hash + Eq>(
    kept: &mut rustc_hash::FxHashMap<K, Py<PyDict>>,
    key: K,
    dict: Bound<'py, PyDict>,
) -> Shaped<'py> {
    if kept.len() >= EngineTexts::MOST_SHAPES {
        return Shaped::Fresh(dict);
    }
    kept.insert(key, dict.clone().unbind());
    Shaped::Kept(dict)
}

/// The Python string of engine text `t` from `texts`, made the first time.
fn engine_text<'py>(
    py: Python<'py>,
    texts: &mut rustc_hash::FxHashMap<(usize, usize), Py<PyString>>,
    t: &str,
) -> Bound<'py, PyString> {
    let key = (t.as_ptr() as usize, t.len());
    if let Some(s) = texts.get(&key) {
        return s.bind(py).clone();
    }
    let s = PyString::new(py, t);
    if texts.len() < EngineTexts::MOST {
        texts.insert(key, s.clone().unbind());
    }
    s
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (org = None, rules = None, calendar = None, validation = None))]
    fn new(
        py: Python<'_>,
        org: Option<&Bound<'_, PyAny>>,
        rules: Option<&Bound<'_, PyAny>>,
        calendar: Option<&Bound<'_, PyAny>>,
        validation: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let (org, rules, calendar) = (
            opt_text(org, "org")?,
            opt_text(rules, "rules")?,
            opt_text(calendar, "calendar")?,
        );
        let gaps = match opt_text(validation, "validation")? {
            None => gridgov::org::GapPolicy::default(),
            Some(v) => v.parse().map_err(err)?,
        };
        py.detach(|| {
            gridgov::Engine::from_json_strs_with(
                org.as_deref(),
                rules.as_deref(),
                calendar.as_deref(),
                gaps,
            )
        })
        .map(|inner| Self {
            inner,
            texts: EngineTexts::default(),
        })
        .map_err(err)
    }

    /// The embedded defaults: the Fushan organisation, the default rule set and the China
    /// mainland calendar for 2025-2026.
    #[staticmethod]
    fn fushan(py: Python<'_>) -> Self {
        Self {
            inner: py.detach(gridgov::Engine::fushan),
            texts: EngineTexts::default(),
        }
    }

    /// Routes one case given as JSON text; returns the decision as the core's JSON text,
    /// with its trace when ``explain`` is true. One case takes about a microsecond, so the
    /// GIL is kept: releasing and taking it back would cost a tenth of the call.
    #[pyo3(signature = (case, explain = None))]
    fn route_json(
        &self,
        case: &Bound<'_, PyAny>,
        explain: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let explain = boolean(explain, "explain")?;
        let text = text_ref(case, "case")?;
        gridgov::json::route_json_with(&self.inner, &text, explain).map_err(|e| to_py(&e))
    }

    /// Routes one case given as a dict and returns the decision as a dict (with its trace
    /// when ``explain`` is true), with no JSON text on the way: an ordinary case's fields
    /// borrowed from the dict and routed by the core's lean path. Returns ``None`` for any
    /// other dict, and any case the lean path leaves, for the caller to take the JSON
    /// path, whose conversions (datetimes, decimals) and messages are the reference.
    #[pyo3(signature = (case, explain = None))]
    fn route_dict(
        &self,
        py: Python<'_>,
        case: &Bound<'_, PyAny>,
        explain: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<Py<PyAny>>> {
        let explain = boolean(explain, "explain")?;
        let Ok(dict) = case.cast::<PyDict>() else {
            return Ok(None);
        };
        self.texts.with(|made| {
            // The ordinary case: its fields borrowed from the dict and routed by the
            // core's lean path; any other case is converted whole by the caller.
            let Some(fields) = dict_fields(dict, &mut made.keys) else {
                return Ok(None);
            };
            let Some(text) = case_text(&fields) else {
                return Ok(None);
            };
            let id = fields.held.first().and_then(Option::as_ref);
            // Without the trace, the decision is printed from the case's text; the
            // trace needs the case built.
            if !explain {
                if let Some(view) = self.inner.route_text_view(&text) {
                    return decision_dict(py, made, &view, id).map(|d| Some(d.into_any().unbind()));
                }
            } else if let Some(routed) = self.inner.route_text(text) {
                let decision = routed.decision(&self.inner);
                return decision_dict(py, made, &decision.view_with(true), id)
                    .map(|d| Some(d.into_any().unbind()));
            }
            // Any other dict takes the JSON path, whose conversions are the reference (a
            // general conversion of Python objects would read `True` as the count 1, or
            // a string as a list of its characters).
            Ok(None)
        })
    }

    /// Routes one case given as a dict; returns the decision as a dict: level, unit,
    /// office, first handler, time limit, deadline and the deciding row with its ``why``.
    /// ``explain=True`` adds the ``trace``: every row that matched with the facts it
    /// read, and how the deadline was counted.
    ///
    /// An ordinary case's dict is read here ([`route_dict`](Self::route_dict)); any other
    /// mapping is converted to JSON text by the package (``gridgov._route_json_path``:
    /// datetimes, decimals, the messages of values JSON cannot hold) and routed from it.
    /// Either way the decision is the core's. The package's ``Engine.route`` is this
    /// method, bound, so that a call crosses no Python frame.
    #[pyo3(signature = (case, explain = None))]
    fn route(
        slf: &Bound<'_, Self>,
        case: &Bound<'_, PyAny>,
        explain: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        if let Some(direct) = slf.get().route_dict(py, case, explain)? {
            return Ok(direct);
        }
        static JSON_PATH: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();
        let json_path = JSON_PATH.import(py, "gridgov", "_route_json_path")?;
        json_path.call1((slf, case, explain)).map(Bound::unbind)
    }

    /// Counts a deadline on the engine's calendar: JSON text
    /// ``{"start", "time_limit", "pauses"?}`` in, the core's JSON text out.
    fn deadline_json(&self, py: Python<'_>, deadline: &Bound<'_, PyAny>) -> PyResult<String> {
        call_text(py, deadline, "deadline", |i| {
            gridgov::json::deadline_json(&self.inner, i)
        })
    }

    /// The rule set's warnings and those about how it fits the organisation, as JSON text.
    fn warnings_json(&self) -> String {
        gridgov::json::warnings_json(&self.inner)
    }

    /// Everything the engine proposes for a ledger at ``now`` (RFC 3339 text): escalations,
    /// reminders, reopenings, reroutes, as the core's JSON text.
    fn actions_json(
        &self,
        py: Python<'_>,
        ledger: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        call_text(py, now, "now", |n| {
            gridgov::json::actions_json(&self.inner, &l.lock(), n)
        })
    }

    /// The cases past their deadline at ``now``, each with the escalation it gets.
    fn overdue_json(
        &self,
        py: Python<'_>,
        ledger: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        call_text(py, now, "now", |n| {
            gridgov::json::overdue_json(&self.inner, &l.lock(), n)
        })
    }

    /// A case's timeline; ``public=True`` masks personal data.
    #[pyo3(signature = (ledger, case, public = None))]
    fn timeline_json(
        &self,
        py: Python<'_>,
        ledger: &Bound<'_, PyAny>,
        case: &Bound<'_, PyAny>,
        public: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        let public = boolean(public, "public")?;
        call_text(py, case, "case", |c| {
            gridgov::json::timeline_json(&self.inner, &l.lock(), c, public)
        })
    }

    /// Takes a new report in against a ledger; returns the events to append, as JSON text.
    /// ``actor`` is who takes it in (none: the system).
    #[pyo3(signature = (ledger, case, actor = None))]
    fn intake_json(
        &self,
        py: Python<'_>,
        ledger: &Bound<'_, PyAny>,
        case: &Bound<'_, PyAny>,
        actor: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        let actor = opt_text(actor, "actor")?;
        call_text(py, case, "case", |c| {
            gridgov::json::intake_json(&self.inner, &l.lock(), c, actor.as_deref())
        })
    }

    /// Scores a month of a ledger: ``request`` is JSON text ``{"month": "2026-03",
    /// "budget_fen"?, "history"?, "inspections"?, "include"?}``; the report as JSON text.
    fn score_json(
        &self,
        py: Python<'_>,
        ledger: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        call_text(py, request, "request", |r| {
            gridgov::json::score_json(&self.inner, &l.lock(), r)
        })
    }

    /// Scores a month of an outcome table given in the request: the request of
    /// ``score_json`` plus ``"outcomes": [...]`` or ``"outcomes_csv": "..."`` and
    /// ``"visits"?``. The month's report as JSON text.
    fn score_outcomes_json(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<String> {
        call_text(py, request, "request", |r| {
            gridgov::json::score_outcomes_json(&self.inner, r)
        })
    }

    /// ``score_outcomes_json`` as one self-contained HTML page (inline SVG, no assets),
    /// titled ``title`` (none: the core's default title).
    #[pyo3(signature = (request, title = None))]
    fn score_outcomes_html(
        &self,
        py: Python<'_>,
        request: &Bound<'_, PyAny>,
        title: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let title = opt_text(title, "title")?;
        call_text(py, request, "request", |r| {
            gridgov::html::score_outcomes_html(&self.inner, r, title.as_deref())
        })
    }

    /// The outcome table of a ledger, ``{"outcomes": [...], "visits": [...]}``, as JSON.
    fn outcomes_json(&self, ledger: &Bound<'_, PyAny>) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        Ok(gridgov::json::outcomes_json(&self.inner, &l.lock()))
    }

    /// The outcome table of a ledger as CSV text (one row per case).
    fn outcomes_csv(&self, ledger: &Bound<'_, PyAny>) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        Ok(gridgov::batch::outcomes_csv(&self.inner, &l.lock()))
    }

    /// Routes every row of an Arrow table of cases (the core's case columns) and returns
    /// one row of decision per case, in order. ``errors`` is ``"raise"`` (the default:
    /// raise for the first row that cannot be routed, naming it) or ``"column"`` (fill
    /// ``error_code`` and ``error``); ``threads`` defaults to the machine's cores.
    #[pyo3(signature = (table, errors = None, threads = None))]
    fn route_batch(
        &self,
        py: Python<'_>,
        table: &Bound<'_, PyAny>,
        errors: Option<&Bound<'_, PyAny>>,
        threads: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<arrow::ArrowStream> {
        let mode = opt_text(errors, "errors")?
            .map(|m| gridgov::input::name_arg("errors", &m).map_err(err))
            .transpose()?
            .unwrap_or(gridgov::arrow::ErrorMode::Raise);
        let threads = opt_int(threads, "threads")?
            .map(|t| gridgov::arrow::threads_arg(t).map_err(err))
            .transpose()?;
        let (schema, batches) = arrow::import(table, "table")?;
        gridgov::arrow::require_case_columns(&schema).map_err(|e| to_py(&e))?;
        let (schema, out) = py
            .detach(|| gridgov::arrow::route_batches(&self.inner, &batches, mode, threads))
            .map_err(|e| to_py(&e))?;
        Ok(arrow::ArrowStream::new(schema, out))
    }

    /// Answers an Open311 GeoReport v2 call (JSON text: ``services``,
    /// ``service_definition`` or ``post_request``) as the core's JSON text
    /// ``{"status", "body", "case"?}``.
    fn open311_json(&self, py: Python<'_>, call: &Bound<'_, PyAny>) -> PyResult<String> {
        call_text(py, call, "call", |c| {
            gridgov::json::open311_json(&self.inner, None, c)
        })
    }

    /// Answers an Open311 ``requests`` call on a ledger, as the core's JSON text.
    fn open311_requests_json(
        &self,
        py: Python<'_>,
        ledger: &Bound<'_, PyAny>,
        call: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        call_text(py, call, "call", |c| {
            gridgov::json::open311_json(&self.inner, Some(&l.lock()), c)
        })
    }

    /// Locates one point (``lon``, ``lat`` in ``crs``) without JSON on the way: the
    /// micro-grid, grid and community ids, or the core's error.
    fn locate_point(
        &self,
        lon: &Bound<'_, PyAny>,
        lat: &Bound<'_, PyAny>,
        crs: &Bound<'_, PyAny>,
    ) -> PyResult<(String, Option<String>, Option<String>)> {
        let (lon, lat) = (degrees(lon, "lon")?, degrees(lat, "lat")?);
        let crs = gridgov::spatial::Crs::arg(&text(crs, "crs")?).map_err(err)?;
        let at = self.inner.org().locate(lon, lat, crs).map_err(err)?;
        let id = |u: Option<&gridgov::org::UnitSpec>| u.map(|u| u.id.to_string());
        Ok((
            id(at.micro_grid).unwrap_or_default(),
            id(at.grid),
            id(at.community),
        ))
    }

    /// Locates a point on the organisation's map: JSON text ``{"lon", "lat", "crs"?}``
    /// in, the core's JSON text ``{"micro_grid", "grid", "community"}`` out.
    fn locate_json(&self, py: Python<'_>, point: &Bound<'_, PyAny>) -> PyResult<String> {
        call_text(py, point, "point", |p| {
            gridgov::json::locate_json(&self.inner, p)
        })
    }

    /// The volunteer teams that may take a case: JSON text ``{"category", "location"}``
    /// in, the core's JSON text out (an array of ``{"team", "name", "areas", "members"}``).
    fn suggest_teams_json(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<String> {
        call_text(py, request, "request", |r| {
            gridgov::json::suggest_teams_json(&self.inner, r)
        })
    }

    /// The organisation's map as GeoJSON text, coordinates in ``crs`` (the map's own
    /// when ``None``).
    #[pyo3(signature = (crs = None))]
    fn map_json(&self, crs: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
        let crs = opt_text(crs, "crs")?;
        gridgov::json::map_json(self.inner.org(), crs.as_deref()).map_err(err)
    }

    /// Locates the points of a table's longitude and latitude columns; returns a table of
    /// ``micro_grid``, ``grid`` and ``community`` (dictionary columns, null for a point
    /// in no micro-grid), one row per point in order.
    #[pyo3(signature = (table, lon, lat, crs, threads = None))]
    fn locate_batch(
        &self,
        py: Python<'_>,
        table: &Bound<'_, PyAny>,
        lon: &Bound<'_, PyAny>,
        lat: &Bound<'_, PyAny>,
        crs: &Bound<'_, PyAny>,
        threads: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<arrow::ArrowStream> {
        let threads = opt_int(threads, "threads")?
            .map(|t| gridgov::arrow::threads_arg(t).map_err(err))
            .transpose()?;
        let lon = text(lon, "lon")?;
        let lat = text(lat, "lat")?;
        let crs = gridgov::spatial::Crs::arg(&text(crs, "crs")?).map_err(err)?;
        let (_, batches) = arrow::import(table, "table")?;
        let (schema, out) = py
            .detach(|| {
                gridgov::arrow::locate_batches(self.inner.org(), &batches, &lon, &lat, crs, threads)
            })
            .map_err(|e| to_py(&e))?;
        Ok(arrow::ArrowStream::new(schema, out))
    }

    /// Routes every case of a cases CSV (text) and returns the decisions as CSV text, one
    /// row per case in order; rows that cannot be routed carry ``error_code`` and
    /// ``error``. The core's bytes, unchanged.
    fn route_csv(&self, py: Python<'_>, cases: &Bound<'_, PyAny>) -> PyResult<String> {
        call_text(py, cases, "cases", |c| {
            gridgov::batch::route_csv(&self.inner, c)
        })
    }

    /// Scores a month of an Arrow table of outcomes (the columns of ``outcomes_csv``);
    /// ``request`` is the JSON of ``score_outcomes_json`` without the table. Returns the
    /// scored units at ``level`` (``grid``, the default, ``worker`` or ``community``) as a
    /// table, or with ``report=True`` the whole month's report as JSON text.
    #[pyo3(signature = (table, request, level = None, report = None))]
    fn score_outcomes_arrow(
        &self,
        py: Python<'_>,
        table: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
        level: Option<&Bound<'_, PyAny>>,
        report: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let request = text(request, "request")?;
        let (level, report) = score_args(level, report)?;
        let (schema, batches) = arrow::import(table, "table")?;
        gridgov::arrow::require_outcome_columns(&schema).map_err(|e| to_py(&e))?;
        let engine = &self.inner;
        scored(py, level, report, || {
            gridgov::arrow::score_outcomes_report(engine, &batches, &request)
        })
    }

    /// Scores a partition of an outcome table for the month and history of ``request``
    /// (JSON ``{"month", "history"?}``): the partial, a table of per-unit counters to merge
    /// with the other partitions' (``merge_partials_arrow``) and finish
    /// (``score_finish_arrow``).
    fn score_partial_arrow(
        &self,
        py: Python<'_>,
        table: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<arrow::ArrowStream> {
        let request = text(request, "request")?;
        let (schema, batches) = arrow::import(table, "table")?;
        gridgov::arrow::require_outcome_columns(&schema).map_err(|e| to_py(&e))?;
        let engine = &self.inner;
        let (schema, batch) = py
            .detach(|| gridgov::arrow::score_partial(engine, &batches, &request))
            .map_err(|e| to_py(&e))?;
        Ok(arrow::ArrowStream::new(schema, vec![batch]))
    }

    /// Merges partials (a list of tables made by ``score_partial_arrow``) into one.
    fn merge_partials_arrow(
        &self,
        py: Python<'_>,
        partials: &Bound<'_, PyAny>,
    ) -> PyResult<arrow::ArrowStream> {
        let list = partials
            .cast::<PyList>()
            .map_err(|_| wrong_type(partials, "partials", "a list of partial tables"))?;
        let mut tables = Vec::with_capacity(list.len());
        for p in list.iter() {
            tables.push(arrow::import(&p, "partial")?);
        }
        let engine = &self.inner;
        let (schema, batch) = py
            .detach(|| gridgov::arrow::merge_partials(engine, &tables))
            .map_err(|e| to_py(&e))?;
        Ok(arrow::ArrowStream::new(schema, vec![batch]))
    }

    /// Finishes a merged partial as ``request`` asks (the JSON of ``score_outcomes_json``
    /// without the table): the scored units at ``level`` as a table, or with
    /// ``report=True`` the month's report as JSON text, byte for byte that of scoring the
    /// whole table at once.
    #[pyo3(signature = (partial, request, level = None, report = None))]
    fn score_finish_arrow(
        &self,
        py: Python<'_>,
        partial: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
        level: Option<&Bound<'_, PyAny>>,
        report: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let request = text(request, "request")?;
        let (level, report) = score_args(level, report)?;
        let (schema, batches) = arrow::import(partial, "partial")?;
        let engine = &self.inner;
        scored(py, level, report, || {
            gridgov::arrow::score_finish_report(engine, &schema, &batches, &request)
        })
    }

    /// ``count`` seeded cases reported in ``year``-``month``, spread over the
    /// organisation's micro-grids, every one valid for the rule set: a table with the
    /// columns ``route_batch`` reads. The same seed gives the same cases everywhere.
    fn simulate_cases(
        &self,
        py: Python<'_>,
        year: &Bound<'_, PyAny>,
        month: &Bound<'_, PyAny>,
        count: &Bound<'_, PyAny>,
        seed: &Bound<'_, PyAny>,
    ) -> PyResult<arrow::ArrowStream> {
        let args = sim_args(year, month, count, seed)?;
        let (schema, batch) = py
            .detach(|| gridgov::arrow::cases_table(&args.cases(&self.inner)))
            .map_err(|e| {
                err(CoreInputError::table(
                    "table",
                    format!("building the table: {e}"),
                ))
            })?;
        Ok(arrow::ArrowStream::new(schema, vec![batch]))
    }

    /// ``simulate_cases`` as a cases CSV (what ``route_csv`` reads).
    fn simulate_cases_csv(
        &self,
        py: Python<'_>,
        year: &Bound<'_, PyAny>,
        month: &Bound<'_, PyAny>,
        count: &Bound<'_, PyAny>,
        seed: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let args = sim_args(year, month, count, seed)?;
        Ok(py.detach(|| gridgov::batch::cases_to_csv(&args.cases(&self.inner))))
    }

    /// A seeded month of work through a new ledger: cases reported, taken in, routed,
    /// handled, escalated when overdue, evaluated; visits made.
    fn simulate_month(
        &self,
        py: Python<'_>,
        year: &Bound<'_, PyAny>,
        month: &Bound<'_, PyAny>,
        count: &Bound<'_, PyAny>,
        seed: &Bound<'_, PyAny>,
    ) -> PyResult<PyLedger> {
        let args = sim_args(year, month, count, seed)?;
        let sim = py.detach(|| args.month(&self.inner));
        Ok(PyLedger::of(sim.ledger))
    }

    /// This engine's organisation and calendar under another rule set (JSON text).
    fn with_rules(&self, py: Python<'_>, rules: &Bound<'_, PyAny>) -> PyResult<Self> {
        call_text(py, rules, "rules", |r| {
            let rules = gridgov::RuleSet::from_json_str(r)?;
            Ok(self.inner.with_rules(rules)?)
        })
        .map(|inner| Self {
            inner,
            texts: EngineTexts::default(),
        })
    }

    /// Routes a JSON array of cases on this engine and under the rule set ``rules_b``
    /// (JSON text) on the same organisation and calendar; the report as JSON text, with at
    /// most ``limit`` differing cases in full (none: the core's limit).
    #[pyo3(signature = (rules_b, cases, limit = None))]
    fn backtest_json(
        &self,
        py: Python<'_>,
        rules_b: &Bound<'_, PyAny>,
        cases: &Bound<'_, PyAny>,
        limit: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let (rules_b, cases) = (text(rules_b, "rules_b")?, text(cases, "cases")?);
        let limit = count(limit, "limit", gridgov::batch::MAX_BACKTEST_LIMIT)?;
        py.detach(|| gridgov::json::backtest_rules_json(&self.inner, &rules_b, &cases, limit))
            .map_err(|e| to_py(&e))
    }

    /// ``backtest_json`` on an Arrow table of cases against another engine.
    #[pyo3(signature = (other, table, limit = None))]
    fn backtest_arrow(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        table: &Bound<'_, PyAny>,
        limit: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let other = other
            .cast::<PyEngine>()
            .map_err(|_| wrong_type(other, "other", "a gridgov Engine"))?
            .get();
        let limit = count(limit, "limit", gridgov::batch::MAX_BACKTEST_LIMIT)?;
        let (schema, batches) = arrow::import(table, "table")?;
        gridgov::arrow::require_case_columns(&schema).map_err(|e| to_py(&e))?;
        py.detach(|| gridgov::arrow::backtest_batches(&self.inner, &other.inner, &batches, limit))
            .map(|r| r.to_json())
            .map_err(|e| to_py(&e))
    }

    /// Whether unit ``outer`` contains unit ``inner`` (a unit contains itself).
    fn contains(&self, outer: &Bound<'_, PyAny>, inner: &Bound<'_, PyAny>) -> PyResult<bool> {
        let (outer, inner) = (text(outer, "outer")?, text(inner, "inner")?);
        self.inner.org().contains(&outer, &inner).map_err(err)
    }

    /// The id of the unit at ``level`` above (or at) ``unit``; ``None`` when there is none.
    fn unit_at_level(
        &self,
        unit: &Bound<'_, PyAny>,
        level: &Bound<'_, PyAny>,
    ) -> PyResult<Option<String>> {
        let (unit, level) = (text(unit, "unit")?, text(level, "level")?);
        self.inner
            .org()
            .unit_id_at_level(&unit, &level)
            .map(|u| u.map(str::to_owned))
            .map_err(err)
    }

    /// Who holds the duty for ``unit`` at ``level``, as the core's JSON text of the person
    /// (``null`` when the post is vacant).
    fn duty_holder_json(
        &self,
        unit: &Bound<'_, PyAny>,
        level: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let (unit, level) = (text(unit, "unit")?, text(level, "level")?);
        gridgov::json::duty_holder_json(self.inner.org(), &unit, &level).map_err(|e| to_py(&e))
    }

    /// The organisation's name, counts and coverage report, as the core's JSON text.
    fn summary_json(&self) -> String {
        gridgov::json::org_summary_json(self.inner.org())
    }

    /// The rule set in force, as the core's JSON text.
    fn rules_json(&self) -> String {
        gridgov::json::rules_json(self.inner.rules())
    }

    /// The authorized write: ``actor`` (JSON text) records ``event`` (JSON text) in
    /// ``ledger``; the receipt as the core's JSON text. Raises ``AccessError`` when the
    /// actor may not write it, ``LedgerError`` when the ledger refuses it.
    fn record_json(
        &self,
        py: Python<'_>,
        ledger: &Bound<'_, PyAny>,
        actor: &Bound<'_, PyAny>,
        event: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        let actor = text(actor, "actor")?;
        let event = text(event, "event")?;
        py.detach(|| gridgov::json::record_json(&self.inner, &mut l.lock(), &actor, &event))
            .map_err(err)
    }

    /// The authorized intake: ``actor`` (JSON text) reports ``case`` (JSON text); the
    /// receipts of the events appended, as JSON text.
    fn record_intake_json(
        &self,
        py: Python<'_>,
        ledger: &Bound<'_, PyAny>,
        actor: &Bound<'_, PyAny>,
        case: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        let actor = text(actor, "actor")?;
        let case = text(case, "case")?;
        py.detach(|| gridgov::json::record_intake_json(&self.inner, &mut l.lock(), &actor, &case))
            .map_err(err)
    }

    /// May an actor take an action on a case of ``ledger``? The request is JSON
    /// ``{"actor", "action", "case"}``; the answer ``{"allowed": bool}``, the core's JSON.
    fn can_json(
        &self,
        py: Python<'_>,
        ledger: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        call_text(py, request, "request", |r| {
            gridgov::json::can_json(&self.inner, &l.lock(), r)
        })
    }

    /// The ids of the cases ``actor`` (JSON) may see, as the core's JSON text.
    fn visible_cases_json(
        &self,
        py: Python<'_>,
        ledger: &Bound<'_, PyAny>,
        actor: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        call_text(py, actor, "actor", |a| {
            gridgov::json::visible_cases_json(&self.inner, &l.lock(), a)
        })
    }

    /// The states of the cases ``actor`` (JSON) may see, for export (the role must allow
    /// ``export``; personal data masked unless the role sees it), as JSON text.
    fn export_json(
        &self,
        py: Python<'_>,
        ledger: &Bound<'_, PyAny>,
        actor: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        call_text(py, actor, "actor", |a| {
            gridgov::json::export_json(&self.inner, &l.lock(), a)
        })
    }

    /// A case's timeline as ``actor`` (JSON) may see it, as JSON text.
    fn timeline_for_json(
        &self,
        py: Python<'_>,
        ledger: &Bound<'_, PyAny>,
        actor: &Bound<'_, PyAny>,
        case: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let l = self::ledger(ledger)?;
        let case = text(case, "case")?;
        call_text(py, actor, "actor", |a| {
            gridgov::json::timeline_for_json(&self.inner, &l.lock(), a, &case)
        })
    }
}

/// The arguments of a simulation, checked by the core.
fn sim_args(
    year: &Bound<'_, PyAny>,
    month: &Bound<'_, PyAny>,
    count: &Bound<'_, PyAny>,
    seed: &Bound<'_, PyAny>,
) -> PyResult<gridgov::sim::SimArgs> {
    gridgov::sim::SimArgs::new(
        int(year, "year")?,
        int(month, "month")?,
        int(count, "count")?,
        int(seed, "seed")?,
    )
    .map_err(err)
}

/// The append-only case ledger. ``Ledger()`` is empty; ``Ledger(json)`` replays a ledger
/// document ``{"format": 1, "events": [...]}``, checking every event.
#[pyclass(module = "gridgov._gridgov", name = "Ledger", frozen)]
#[derive(Debug)]
struct PyLedger {
    inner: std::sync::Mutex<gridgov::case::ledger::Ledger>,
}

impl PyLedger {
    fn of(ledger: gridgov::case::ledger::Ledger) -> Self {
        Self {
            inner: std::sync::Mutex::new(ledger),
        }
    }

    /// The ledger, locked. A panic while holding the lock cannot happen in the core (it
    /// never panics on input); the data are recovered if it ever did.
    fn lock(&self) -> std::sync::MutexGuard<'_, gridgov::case::ledger::Ledger> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[pymethods]
impl PyLedger {
    #[new]
    #[pyo3(signature = (json = None))]
    fn new(py: Python<'_>, json: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let ledger = match json {
            Some(j) if !j.is_none() => {
                let s = backed_text(j, "json")?;
                py.detach(|| gridgov::case::ledger::Ledger::from_json_str(&s))
                    .map_err(err)?
            }
            _ => gridgov::case::ledger::Ledger::new(),
        };
        Ok(Self::of(ledger))
    }

    /// Replays the ledger document in the file at ``path``, read as it is replayed (the
    /// text is never held whole).
    #[staticmethod]
    fn read_json_file(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let path = text(path, "path")?;
        py.detach(|| gridgov::case::ledger::Ledger::read_json_file(&path))
            .map(Self::of)
            .map_err(err)
    }

    /// Writes the ledger document to the file at ``path`` as it is printed (beside the
    /// file first, then put in its place).
    fn write_json_file(&self, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<()> {
        let path = text(path, "path")?;
        py.detach(|| self.lock().write_json_file(&path))
            .map_err(err)
    }

    /// Opens (or creates) the ledger kept in the SQLite file at ``path``;
    /// ``durability`` is ``"full"`` (synced at every commit) or ``"process"``.
    #[staticmethod]
    #[pyo3(signature = (path, durability = None))]
    fn open(
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        durability: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let path = text(path, "path")?;
        let durability = opt_text(durability, "durability")?;
        py.detach(|| gridgov::json::open_ledger(&path, durability.as_deref()))
            .map(Self::of)
            .map_err(err)
    }

    /// Appends one event (JSON text), checking it against the case's state; raises
    /// ``LedgerError`` and leaves the ledger unchanged when it does not fit. The receipt
    /// as the core's JSON text.
    fn append_json(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<String> {
        let event = backed_text(event, "event")?;
        py.detach(|| gridgov::json::ledger_append_json(&mut self.lock(), &event))
            .map_err(err)
    }

    /// Appends a JSON array of events, all or none; the receipts as JSON text.
    fn append_all_json(&self, py: Python<'_>, events: &Bound<'_, PyAny>) -> PyResult<String> {
        let events = backed_text(events, "events")?;
        py.detach(|| gridgov::json::ledger_append_all_json(&mut self.lock(), &events))
            .map_err(err)
    }

    /// Recomputes the hash chain; ``{"events", "head"}`` as JSON text.
    fn verify_json(&self, py: Python<'_>) -> PyResult<String> {
        py.detach(|| gridgov::json::ledger_verify_json(&self.lock()))
            .map_err(err)
    }

    /// The chain hash of the last event, 64 hex digits.
    fn head(&self) -> String {
        gridgov::case::ledger::hex(&self.lock().head())
    }

    /// Folds in what other processes appended to the ledger's file; how many events.
    fn refresh(&self, py: Python<'_>) -> PyResult<usize> {
        py.detach(|| self.lock().refresh()).map_err(err)
    }

    /// The file the ledger is kept in, if any.
    fn file(&self) -> Option<String> {
        self.lock().file()
    }

    /// The folded state (a snapshot), as the core's JSON text.
    fn state_json(&self) -> String {
        gridgov::json::ledger_state_json(&self.lock())
    }

    /// The ledger document, as the core's JSON text (printed with the GIL released).
    fn to_json(&self, py: Python<'_>) -> String {
        py.detach(|| self.lock().to_json())
    }

    fn __len__(&self) -> usize {
        self.lock().len()
    }
}

/// Validates a rule set given as JSON text; returns ``{"errors": [...], "warnings": [...]}``
/// as the core's JSON text. Never raises for a bad rule set: its problems are the result.
#[pyfunction]
fn validate_rules_json(rules: &Bound<'_, PyAny>) -> PyResult<String> {
    let rules = text(rules, "rules")?;
    Ok(gridgov::json::validate_rules_json(&rules))
}

/// Reads an Open311 GeoReport v2 document of another system (JSON text ``{"text",
/// "from", "kind"?}``) and returns it in both formats as the core's JSON text.
#[pyfunction]
fn open311_convert_json(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<String> {
    call_text(
        py,
        document,
        "document",
        gridgov::json::open311_convert_json,
    )
}

/// Reads a rule set (JSON text) and returns it as the core writes it (defaults filled
/// in); raises ``RuleError`` when it does not parse or is invalid.
#[pyfunction]
fn load_rules_json(py: Python<'_>, rules: &Bound<'_, PyAny>) -> PyResult<String> {
    call_text(py, rules, "rules", |r| {
        Ok(gridgov::json::rules_json(&gridgov::RuleSet::from_json_str(
            r,
        )?))
    })
}

/// The default rule set embedded in the library, as JSON text.
#[pyfunction]
fn default_rules_json() -> &'static str {
    gridgov::rules::default_json()
}

/// The name, counts and coverage report of an org spec, as the core's JSON text.
/// Without an argument, the embedded Fushan default.
#[pyfunction]
#[pyo3(signature = (org = None))]
fn org_summary_json(org: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    match opt_text(org, "org")? {
        None => Ok(gridgov::json::org_summary_json(&gridgov::OrgGraph::fushan())),
        Some(s) => gridgov::OrgGraph::from_json_str(&s)
            .map(|o| gridgov::json::org_summary_json(&o))
            .map_err(err),
    }
}

/// The text of the file at ``path`` (a ``str`` the package took from a
/// ``pathlib.Path``); ``what`` names the argument in errors.
#[pyfunction]
fn read_text(py: Python<'_>, path: &Bound<'_, PyAny>, what: &Bound<'_, PyAny>) -> PyResult<String> {
    let what = text(what, "what")?;
    let path = text(path, &what)?;
    py.detach(|| gridgov::input::read_file(what, &path))
        .map_err(err)
}

/// UTF-8 bytes as text; ``what`` names the argument in errors.
#[pyfunction]
fn decode_text(data: &Bound<'_, PyAny>, what: &Bound<'_, PyAny>) -> PyResult<String> {
    let what = text(what, "what")?;
    let bytes = data
        .cast::<PyBytes>()
        .map_err(|_| wrong_type(data, &what, "bytes"))?;
    String::from_utf8(bytes.as_bytes().to_vec())
        .map_err(|e| err(CoreInputError::not_text(what, &e.utf8_error().to_string())))
}

/// The core's ``InputError`` for an argument of the package's own API: ``value`` given as
/// argument ``what`` is not ``expected``. For the checks the Python layer makes before it
/// calls the core (a table that is not a table, a value JSON cannot hold).
#[pyfunction]
fn wrong_type_error(
    py: Python<'_>,
    what: &Bound<'_, PyAny>,
    expected: &Bound<'_, PyAny>,
    value: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let what = text(what, "what")?;
    let expected = text(expected, "expected")?;
    Ok(wrong_type(value, &what, &expected)
        .value(py)
        .clone()
        .into_any()
        .unbind())
}

/// The Python module `gridgov._gridgov`.
#[pymodule]
fn _gridgov(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", gridgov::VERSION)?;
    m.add("GridgovError", py.get_type::<GridgovError>())?;
    m.add("OrgError", py.get_type::<OrgError>())?;
    m.add("RuleError", py.get_type::<RuleError>())?;
    m.add("CalendarError", py.get_type::<CalendarError>())?;
    m.add("CaseError", py.get_type::<CaseError>())?;
    m.add("RouteError", py.get_type::<RouteError>())?;
    m.add("QueryError", py.get_type::<QueryError>())?;
    m.add("LedgerError", py.get_type::<LedgerError>())?;
    m.add("JsonError", py.get_type::<JsonError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("ScoreError", py.get_type::<ScoreError>())?;
    m.add("AccessError", py.get_type::<AccessError>())?;
    m.add_class::<PyEngine>()?;
    m.add_class::<PyLedger>()?;
    m.add_class::<arrow::ArrowStream>()?;
    m.add_function(wrap_pyfunction!(org_summary_json, m)?)?;
    m.add_function(wrap_pyfunction!(validate_rules_json, m)?)?;
    m.add_function(wrap_pyfunction!(open311_convert_json, m)?)?;
    m.add_function(wrap_pyfunction!(load_rules_json, m)?)?;
    m.add_function(wrap_pyfunction!(default_rules_json, m)?)?;
    m.add_function(wrap_pyfunction!(read_text, m)?)?;
    m.add_function(wrap_pyfunction!(decode_text, m)?)?;
    m.add_function(wrap_pyfunction!(wrong_type_error, m)?)?;
    Ok(())
}
