//! Python bindings of gridgov. Every function converts arguments and results; the core
//! decides. JSON entry points return the core's bytes unchanged.
#![forbid(unsafe_code)]

use gridgov::error::Error;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

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
    "A query named a unit or office that the organisation does not have."
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
    InputError,
    GridgovError,
    "An argument has the wrong type or is not valid text."
);

fn set_code(e: &PyErr, code: &str) {
    Python::attach(|py| {
        // Setting an attribute on a fresh exception object cannot fail in practice; if
        // it did, the exception is still raised without its code.
        let _ = e.value(py).setattr("code", code);
    });
}

/// Maps every core error to its Python exception, with the stable code attached.
fn to_py(err: &Error) -> PyErr {
    use gridgov::EngineError;
    use gridgov::route::RouteError as R;
    let msg = err.to_string();
    let e = match err {
        Error::Org(_) | Error::Engine(EngineError::Org(_)) => OrgError::new_err(msg),
        Error::Rules(_) | Error::Engine(EngineError::Rules(_) | EngineError::Mismatch(_)) => {
            RuleError::new_err(msg)
        }
        Error::Calendar(_)
        | Error::Engine(EngineError::Calendar(_))
        | Error::Route(R::Calendar(_)) => CalendarError::new_err(msg),
        Error::Case(_) | Error::Route(R::Case(_)) => CaseError::new_err(msg),
        Error::Route(_) => RouteError::new_err(msg),
        Error::Ledger(_) => LedgerError::new_err(msg),
        Error::Score(_) => ScoreError::new_err(msg),
        Error::Lookup(_) => QueryError::new_err(msg),
        Error::Json { .. } => JsonError::new_err(msg),
        Error::Input { .. } => InputError::new_err(msg),
        _ => GridgovError::new_err(msg),
    };
    set_code(&e, err.code());
    e
}

/// Reads a text argument, turning a wrong type or text that is not valid UTF-8 (a lone
/// surrogate) into an `InputError` naming the argument.
fn text(arg: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    let s = arg.cast::<PyString>().map_err(|_| {
        let e = InputError::new_err(format!(
            "`{name}` must be a str of JSON text, not {}",
            arg.get_type()
                .name()
                .map_or_else(|_| "another type".to_owned(), |n| n.to_string())
        ));
        set_code(&e, "input_type");
        e
    })?;
    s.to_cow().map(std::borrow::Cow::into_owned).map_err(|err| {
        let e = InputError::new_err(format!("`{name}` is not valid UTF-8 text: {err}"));
        set_code(&e, "input_text");
        e
    })
}

fn opt_text(arg: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<String>> {
    match arg {
        None => Ok(None),
        Some(a) if a.is_none() => Ok(None),
        Some(a) => text(a, name).map(Some),
    }
}

/// An organisation, a rule set and a calendar that fit together: every decision is made
/// here. ``Engine()`` with no arguments, or ``Engine.fushan()``, takes the embedded Fushan
/// defaults; give JSON text for any of ``org``, ``rules`` and ``calendar`` to replace it.
#[pyclass(module = "gridgov", name = "Engine", frozen)]
#[derive(Debug)]
struct PyEngine {
    inner: gridgov::Engine,
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (org = None, rules = None, calendar = None))]
    fn new(
        py: Python<'_>,
        org: Option<&Bound<'_, PyAny>>,
        rules: Option<&Bound<'_, PyAny>>,
        calendar: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let (org, rules, calendar) = (
            opt_text(org, "org")?,
            opt_text(rules, "rules")?,
            opt_text(calendar, "calendar")?,
        );
        py.detach(|| {
            gridgov::Engine::from_json_strs(org.as_deref(), rules.as_deref(), calendar.as_deref())
        })
        .map(|inner| Self { inner })
        .map_err(|e| to_py(&Error::from(e)))
    }

    /// The embedded defaults: the Fushan organisation, the default rule set and the China
    /// mainland calendar for 2025-2026.
    #[staticmethod]
    fn fushan(py: Python<'_>) -> Self {
        Self {
            inner: py.detach(gridgov::Engine::fushan),
        }
    }

    /// Routes one case given as JSON text; returns the decision as the core's JSON text.
    fn route_json(&self, py: Python<'_>, case: &Bound<'_, PyAny>) -> PyResult<String> {
        let case = text(case, "case")?;
        py.detach(|| gridgov::json::route_json_str(&self.inner, &case))
            .map_err(|e| to_py(&e))
    }

    /// Counts a deadline on the engine's calendar: JSON text
    /// ``{"start", "time_limit", "pauses"?}`` in, the core's JSON text out.
    fn deadline_json(&self, input: &Bound<'_, PyAny>) -> PyResult<String> {
        let input = text(input, "input")?;
        gridgov::json::deadline_json_str(&self.inner, &input).map_err(|e| to_py(&e))
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
        ledger: &PyLedger,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let now = text(now, "now")?;
        py.detach(|| gridgov::json::actions_json(&self.inner, &ledger.inner.lock_ledger(), &now))
            .map_err(|e| to_py(&e))
    }

    /// The cases past their deadline at ``now``, each with the escalation it gets.
    fn overdue_json(
        &self,
        py: Python<'_>,
        ledger: &PyLedger,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let now = text(now, "now")?;
        py.detach(|| gridgov::json::overdue_json(&self.inner, &ledger.inner.lock_ledger(), &now))
            .map_err(|e| to_py(&e))
    }

    /// A case's timeline; ``public=True`` masks personal data.
    #[pyo3(signature = (ledger, case, public = false))]
    fn timeline_json(
        &self,
        ledger: &PyLedger,
        case: &Bound<'_, PyAny>,
        public: bool,
    ) -> PyResult<String> {
        let case = text(case, "case")?;
        gridgov::json::timeline_json(&self.inner, &ledger.inner.lock_ledger(), &case, public)
            .map_err(|e| to_py(&e))
    }

    /// Scores a month of a ledger: ``request`` is JSON text ``{"month": "2026-03",
    /// "budget_fen"?, "history"?, "inspections"?}``; returns the month's report as JSON.
    fn score_json(
        &self,
        py: Python<'_>,
        ledger: &PyLedger,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let request = text(request, "request")?;
        py.detach(|| gridgov::json::score_json(&self.inner, &ledger.inner.lock_ledger(), &request))
            .map_err(|e| to_py(&e))
    }

    /// Scores a month of an outcome table exported from another system: the request of
    /// ``score_json`` plus ``"outcomes": [...]`` or ``"outcomes_csv": "..."`` and
    /// ``"visits"?``. Returns the month's report as JSON.
    fn score_outcomes_json(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<String> {
        let request = text(request, "request")?;
        py.detach(|| gridgov::json::score_outcomes_json_str(&self.inner, &request))
            .map_err(|e| to_py(&e))
    }

    /// ``score_outcomes_json`` as one self-contained HTML page (inline SVG, no assets).
    #[pyo3(signature = (request, title = "Monthly evaluation"))]
    fn score_outcomes_html(
        &self,
        py: Python<'_>,
        request: &Bound<'_, PyAny>,
        title: &str,
    ) -> PyResult<String> {
        let request = text(request, "request")?;
        py.detach(|| gridgov::json::score_outcomes_html_str(&self.inner, &request, title))
            .map_err(|e| to_py(&e))
    }

    /// The outcome table of a ledger, ``{"outcomes": [...], "visits": [...]}``, as JSON.
    fn outcomes_json(&self, ledger: &PyLedger) -> String {
        gridgov::json::outcomes_json(&self.inner, &ledger.inner.lock_ledger())
    }

    /// The outcome table of a ledger as CSV text (one row per case).
    fn outcomes_csv(&self, ledger: &PyLedger) -> String {
        gridgov::json::outcomes_csv(&self.inner, &ledger.inner.lock_ledger())
    }

    /// Takes a new report in against a ledger; returns the events to append, as JSON text.
    #[pyo3(signature = (ledger, case, actor = "system"))]
    fn intake_json(
        &self,
        ledger: &PyLedger,
        case: &Bound<'_, PyAny>,
        actor: &str,
    ) -> PyResult<String> {
        let case = text(case, "case")?;
        gridgov::json::intake_json(&self.inner, &ledger.inner.lock_ledger(), &case, actor)
            .map_err(|e| to_py(&e))
    }
}

/// Guarded access to a ledger shared with Python.
#[derive(Debug, Default)]
struct SharedLedger(std::sync::Mutex<gridgov::case::ledger::Ledger>);

impl SharedLedger {
    fn lock_ledger(&self) -> std::sync::MutexGuard<'_, gridgov::case::ledger::Ledger> {
        // A panic while holding the lock cannot happen in the core (it never panics on
        // input); recover the data if it ever did.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The append-only case ledger. ``Ledger()`` is empty; ``Ledger(json)`` replays a ledger
/// document ``{"format": 1, "events": [...]}``, checking every event.
#[pyclass(module = "gridgov", name = "Ledger", frozen)]
#[derive(Debug)]
struct PyLedger {
    inner: SharedLedger,
}

#[pymethods]
impl PyLedger {
    #[new]
    #[pyo3(signature = (json = None))]
    fn new(json: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let ledger = match opt_text(json, "json")? {
            None => gridgov::case::ledger::Ledger::new(),
            Some(s) => gridgov::case::ledger::Ledger::from_json_str(&s)
                .map_err(|e| to_py(&Error::from(e)))?,
        };
        Ok(Self {
            inner: SharedLedger(std::sync::Mutex::new(ledger)),
        })
    }

    /// Appends one event (JSON text), checking it against the case's state; raises
    /// ``LedgerError`` and leaves the ledger unchanged when it does not fit.
    fn append_json(&self, event: &Bound<'_, PyAny>) -> PyResult<()> {
        let event = text(event, "event")?;
        self.inner
            .lock_ledger()
            .append_json_str(&event)
            .map_err(|e| to_py(&Error::from(e)))
    }

    /// Appends a JSON array of events, all or none.
    fn append_all_json(&self, events: &Bound<'_, PyAny>) -> PyResult<()> {
        let events = text(events, "events")?;
        self.inner
            .lock_ledger()
            .append_all_json_str(&events)
            .map_err(|e| to_py(&Error::from(e)))
    }

    /// The folded state (a snapshot), as the core's JSON text.
    fn state_json(&self) -> String {
        self.inner.lock_ledger().state().to_json()
    }

    /// The ledger document, as the core's JSON text.
    fn to_json(&self) -> String {
        self.inner.lock_ledger().to_json()
    }

    fn __len__(&self) -> usize {
        self.inner.lock_ledger().len()
    }
}

/// Validates a rule set given as JSON text; returns ``{"errors": [...], "warnings": [...]}``
/// as the core's JSON text. Never raises for a bad rule set: its problems are the result.
#[pyfunction]
fn validate_rules_json(rules: &Bound<'_, PyAny>) -> PyResult<String> {
    let rules = text(rules, "rules")?;
    Ok(gridgov::json::validate_rules_json_str(&rules))
}

/// The name, counts and coverage report of an org spec, as the core's JSON text.
/// Without an argument, the embedded Fushan default.
#[pyfunction]
#[pyo3(signature = (org_json = None))]
fn org_summary_json(org_json: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    match opt_text(org_json, "org_json")? {
        None => Ok(gridgov::json::org_summary_json(&gridgov::OrgGraph::fushan())),
        Some(s) => gridgov::json::org_summary_json_str(&s).map_err(|e| to_py(&e)),
    }
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
    m.add_class::<PyEngine>()?;
    m.add_class::<PyLedger>()?;
    m.add_function(wrap_pyfunction!(org_summary_json, m)?)?;
    m.add_function(wrap_pyfunction!(validate_rules_json, m)?)?;
    Ok(())
}
