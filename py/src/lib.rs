//! Python bindings of gridgov. Every function converts arguments and results; the core
//! decides. JSON entry points return the core's bytes unchanged.
//!
//! The one `unsafe` block is in [`arrow`]: taking an Arrow stream out of a PyCapsule, as
//! the Arrow PyCapsule interface prescribes.
#![deny(unsafe_code)]

mod arrow;
mod batch;

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
    AccessError,
    GridgovError,
    "An actor may not do what was asked, or names an unknown role or a unit its role cannot use."
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
    to_py_with(err, err.to_string())
}

/// [`to_py`] with another message (the error's own, with where it happened).
fn to_py_with(err: &Error, msg: String) -> PyErr {
    use gridgov::EngineError;
    use gridgov::route::RouteError as R;
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
        Error::Access(_) => AccessError::new_err(msg),
        Error::Json { .. } => JsonError::new_err(msg),
        Error::Input { .. } => InputError::new_err(msg),
        _ => GridgovError::new_err(msg),
    };
    set_code(&e, err.code());
    e
}

/// An `InputError` with its code.
pub(crate) fn input_error(code: &str, msg: String) -> PyErr {
    let e = InputError::new_err(msg);
    set_code(&e, code);
    e
}

/// The Python type name of an object, for messages.
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "another type".to_owned(), |n| n.to_string())
}

/// A batch error as its Python exception: a row's error says which row and case.
fn batch_error(e: batch::BatchError) -> PyErr {
    match e {
        batch::BatchError::Table(t) => input_error("table", t.0),
        batch::BatchError::Row(r) => {
            let case = r
                .case
                .map(|c| format!(" (case `{}`)", gridgov::text::truncate_for_message(&c)))
                .unwrap_or_default();
            to_py_with(&r.error, format!("row {}{case}: {}", r.row, r.error))
        }
    }
}

fn parse_level(level: &str) -> PyResult<gridgov::Level> {
    level.parse::<gridgov::Level>().map_err(|e| {
        let e = QueryError::new_err(e.to_string());
        set_code(&e, "unknown_level");
        e
    })
}

fn lookup(e: gridgov::LookupError) -> PyErr {
    to_py(&Error::from(e))
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

/// Reads the text argument `arg` and runs a core entry point on it with the GIL released,
/// mapping its error to the Python exception: the shape of the JSON entry points.
fn call_text<T: Send>(
    py: Python<'_>,
    arg: &Bound<'_, PyAny>,
    name: &str,
    f: impl FnOnce(&str) -> Result<T, Error> + Send,
) -> PyResult<T> {
    let s = text(arg, name)?;
    py.detach(|| f(&s)).map_err(|e| to_py(&e))
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
#[pyclass(module = "gridgov._gridgov", name = "Engine", frozen)]
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
        call_text(py, case, "case", |c| {
            gridgov::json::route_json_str(&self.inner, c)
        })
    }

    /// Routes one case given as a dict and returns the decision as a dict, converting
    /// directly between Python objects and the core's types (no JSON text on the way).
    /// Returns ``None`` when the dict does not read as a case, for the caller to take the
    /// JSON path, whose conversions (datetimes, decimals) and messages are the reference.
    fn route_dict(&self, py: Python<'_>, case: &Bound<'_, PyAny>) -> PyResult<Option<Py<PyAny>>> {
        let Ok(case) = pythonize::depythonize::<gridgov::Case>(case) else {
            return Ok(None);
        };
        let decision = self
            .inner
            .route(&case)
            .map_err(|e| to_py(&Error::from(e)))?;
        pythonize::pythonize(py, &decision.view())
            .map(|d| Some(d.unbind()))
            .map_err(|e| input_error("output", e.to_string()))
    }

    /// Counts a deadline on the engine's calendar: JSON text
    /// ``{"start", "time_limit", "pauses"?}`` in, the core's JSON text out.
    fn deadline_json(&self, py: Python<'_>, input: &Bound<'_, PyAny>) -> PyResult<String> {
        call_text(py, input, "input", |i| {
            gridgov::json::deadline_json_str(&self.inner, i)
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
        ledger: &PyLedger,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        call_text(py, now, "now", |n| {
            gridgov::json::actions_json(&self.inner, &ledger.inner.lock_ledger(), n)
        })
    }

    /// The cases past their deadline at ``now``, each with the escalation it gets.
    fn overdue_json(
        &self,
        py: Python<'_>,
        ledger: &PyLedger,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        call_text(py, now, "now", |n| {
            gridgov::json::overdue_json(&self.inner, &ledger.inner.lock_ledger(), n)
        })
    }

    /// A case's timeline; ``public=True`` masks personal data.
    #[pyo3(signature = (ledger, case, public = false))]
    fn timeline_json(
        &self,
        py: Python<'_>,
        ledger: &PyLedger,
        case: &Bound<'_, PyAny>,
        public: bool,
    ) -> PyResult<String> {
        call_text(py, case, "case", |c| {
            gridgov::json::timeline_json(&self.inner, &ledger.inner.lock_ledger(), c, public)
        })
    }

    /// Scores a month of a ledger: ``request`` is JSON text ``{"month": "2026-03",
    /// "budget_fen"?, "history"?, "inspections"?}``; returns the month's report as JSON.
    fn score_json(
        &self,
        py: Python<'_>,
        ledger: &PyLedger,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        call_text(py, request, "request", |r| {
            gridgov::json::score_json(&self.inner, &ledger.inner.lock_ledger(), r)
        })
    }

    /// Scores a month of an outcome table exported from another system: the request of
    /// ``score_json`` plus ``"outcomes": [...]`` or ``"outcomes_csv": "..."`` and
    /// ``"visits"?``. Returns the month's report as JSON.
    fn score_outcomes_json(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<String> {
        call_text(py, request, "request", |r| {
            gridgov::json::score_outcomes_json_str(&self.inner, r)
        })
    }

    /// ``score_outcomes_json`` as one self-contained HTML page (inline SVG, no assets).
    #[pyo3(signature = (request, title = "Monthly evaluation"))]
    fn score_outcomes_html(
        &self,
        py: Python<'_>,
        request: &Bound<'_, PyAny>,
        title: &str,
    ) -> PyResult<String> {
        call_text(py, request, "request", |r| {
            gridgov::json::score_outcomes_html_str(&self.inner, r, title)
        })
    }

    /// The outcome table of a ledger, ``{"outcomes": [...], "visits": [...]}``, as JSON.
    fn outcomes_json(&self, ledger: &PyLedger) -> String {
        gridgov::json::outcomes_json(&self.inner, &ledger.inner.lock_ledger())
    }

    /// The outcome table of a ledger as CSV text (one row per case).
    fn outcomes_csv(&self, ledger: &PyLedger) -> String {
        gridgov::json::outcomes_csv(&self.inner, &ledger.inner.lock_ledger())
    }

    /// Routes every row of an Arrow table of cases (columns ``id``, ``channel``,
    /// ``category``, ``location``, ``reported_at``; optional ``people_involved``,
    /// ``amount_yuan``, ``repeat_count``, ``risk_flags``, ``attributes``, ``summary``) and
    /// returns one row of decision per case, in order. ``errors="raise"`` raises for the
    /// first row that cannot be routed (naming the row); ``"column"`` fills ``error_code``
    /// and ``error`` instead. ``threads`` defaults to the machine's cores.
    #[pyo3(signature = (table, errors = "raise", threads = None))]
    fn route_batch(
        &self,
        py: Python<'_>,
        table: &Bound<'_, PyAny>,
        errors: &str,
        threads: Option<usize>,
    ) -> PyResult<arrow::ArrowStream> {
        let raise = errors_mode(errors)?;
        let (schema, batches) = arrow::import(table, "table")?;
        batch::require_columns(&schema, &batch::CASE_COLUMNS, 5, "case").map_err(batch_error)?;
        let threads = threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        });
        let out = py
            .detach(|| batch::route_batches(&self.inner, &batches, raise, threads))
            .map_err(batch_error)?;
        Ok(arrow::ArrowStream::new(
            batch::route_schema(&self.inner),
            out,
        ))
    }

    /// Routes every case of a cases CSV (text) and returns the decisions as CSV text, one
    /// row per case in order; rows that cannot be routed carry ``error_code`` and
    /// ``error``. The core's bytes, unchanged.
    fn route_csv(&self, py: Python<'_>, cases: &Bound<'_, PyAny>) -> PyResult<String> {
        call_text(py, cases, "cases", |c| {
            gridgov::batch::route_csv(&self.inner, c)
        })
    }

    /// ``count`` seeded cases (as ``simulate_cases``) as a cases CSV.
    fn simulate_cases_csv(
        &self,
        py: Python<'_>,
        year: i32,
        month: u32,
        count: usize,
        seed: u64,
    ) -> PyResult<String> {
        check_month(year, month, count)?;
        Ok(py.detach(|| {
            gridgov::batch::cases_to_csv(&gridgov::sim::month_cases(
                &self.inner,
                year,
                month,
                count,
                seed,
            ))
        }))
    }

    /// Scores a month of an Arrow table of outcomes (the columns of ``outcomes_csv``);
    /// ``request`` is the JSON of ``score_outcomes_json`` without the table. Returns the
    /// scored units at ``level`` (``grid``, ``worker`` or ``community``) as a table, or
    /// with ``report=True`` the whole month's report as JSON text.
    #[pyo3(signature = (table, request, level = "grid", report = false))]
    fn score_outcomes_arrow(
        &self,
        py: Python<'_>,
        table: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
        level: &str,
        report: bool,
    ) -> PyResult<Py<PyAny>> {
        let request = text(request, "request")?;
        let Some(unit_level) = batch::UnitLevel::parse(level) else {
            return Err(input_error(
                "input_value",
                format!("`level` is `{level}`; use `grid`, `worker` or `community`"),
            ));
        };
        let (schema, batches) = arrow::import(table, "table")?;
        batch::require_outcome_columns(&schema).map_err(batch_error)?;
        let local = self.inner.calendar().offset();
        let engine = &self.inner;
        let month = py
            .detach(|| {
                let rows = batch::outcome_rows(&batches, local)?;
                gridgov::json::score_rows_report(engine, &request, rows).map_err(|error| {
                    batch::BatchError::Row(Box::new(batch::RowError {
                        row: 0,
                        case: None,
                        error,
                    }))
                })
            })
            .map_err(|e| match e {
                batch::BatchError::Row(r) if r.row == 0 && r.case.is_none() => to_py(&r.error),
                other => batch_error(other),
            })?;
        if report {
            return Ok(PyString::new(py, &gridgov::json::report_json(&month))
                .into_any()
                .unbind());
        }
        let (schema, batch) = batch::units_table(&month, unit_level)
            .map_err(|e| input_error("table", format!("building the result: {e}")))?;
        Ok(Py::new(py, arrow::ArrowStream::new(schema, vec![batch]))?.into_any())
    }

    /// ``count`` seeded cases reported in ``year``-``month``, spread over the
    /// organisation's micro-grids, every one valid for the rule set: a table with the
    /// columns ``route_batch`` reads. The same seed gives the same cases everywhere.
    fn simulate_cases(
        &self,
        py: Python<'_>,
        year: i32,
        month: u32,
        count: usize,
        seed: u64,
    ) -> PyResult<arrow::ArrowStream> {
        check_month(year, month, count)?;
        let (schema, batch) = py
            .detach(|| {
                batch::cases_table(&gridgov::sim::month_cases(
                    &self.inner,
                    year,
                    month,
                    count,
                    seed,
                ))
            })
            .map_err(|e| input_error("table", format!("building the table: {e}")))?;
        Ok(arrow::ArrowStream::new(schema, vec![batch]))
    }

    /// A seeded month of work through a new ledger: ``count`` cases reported, taken in,
    /// routed, handled, escalated when overdue, evaluated; visits made.
    fn simulate_month(
        &self,
        py: Python<'_>,
        year: i32,
        month: u32,
        count: usize,
        seed: u64,
    ) -> PyResult<PyLedger> {
        check_month(year, month, count)?;
        let sim = py.detach(|| gridgov::sim::simulate_month(&self.inner, year, month, count, seed));
        Ok(PyLedger {
            inner: SharedLedger(std::sync::Mutex::new(sim.ledger)),
        })
    }

    /// This engine's organisation and calendar under another rule set (JSON text).
    fn with_rules(&self, py: Python<'_>, rules: &Bound<'_, PyAny>) -> PyResult<Self> {
        call_text(py, rules, "rules", |r| {
            gridgov::RuleSet::from_json_str(r)
                .map_err(Error::from)
                .and_then(|r| self.inner.with_rules(r))
        })
        .map(|inner| Self { inner })
    }

    /// Routes a JSON array of cases on this engine and under the rule set ``rules_b``
    /// (JSON text) on the same organisation and calendar; the report as JSON text.
    #[pyo3(signature = (rules_b, cases, limit = 1000))]
    fn backtest_rules_json(
        &self,
        py: Python<'_>,
        rules_b: &Bound<'_, PyAny>,
        cases: &Bound<'_, PyAny>,
        limit: usize,
    ) -> PyResult<String> {
        let (rules_b, cases) = (text(rules_b, "rules_b")?, text(cases, "cases")?);
        py.detach(|| gridgov::json::backtest_rules_json_str(&self.inner, &rules_b, &cases, limit))
            .map_err(|e| to_py(&e))
    }

    /// ``backtest_json`` on an Arrow table of cases (the columns of ``route_batch``).
    #[pyo3(signature = (other, table, limit = 1000))]
    fn backtest_arrow(
        &self,
        py: Python<'_>,
        other: &PyEngine,
        table: &Bound<'_, PyAny>,
        limit: usize,
    ) -> PyResult<String> {
        let (schema, batches) = arrow::import(table, "table")?;
        batch::require_columns(&schema, &batch::CASE_COLUMNS, 5, "case").map_err(batch_error)?;
        py.detach(|| batch::backtest_batches(&self.inner, &other.inner, &batches, limit))
            .map(|r| r.to_json())
            .map_err(|e| input_error("table", e.0))
    }

    /// Whether unit ``outer`` contains unit ``inner`` (a unit contains itself).
    fn contains(&self, outer: &Bound<'_, PyAny>, inner: &Bound<'_, PyAny>) -> PyResult<bool> {
        let (outer, inner) = (text(outer, "outer")?, text(inner, "inner")?);
        self.inner.org().contains(&outer, &inner).map_err(lookup)
    }

    /// The id of the unit at ``level`` above (or at) ``unit``; ``None`` when there is none.
    fn unit_at_level(
        &self,
        unit: &Bound<'_, PyAny>,
        level: &Bound<'_, PyAny>,
    ) -> PyResult<Option<String>> {
        let (unit, level) = (text(unit, "unit")?, parse_level(&text(level, "level")?)?);
        self.inner
            .org()
            .unit_at_level(&unit, level)
            .map(|u| u.map(|u| u.id.to_string()))
            .map_err(lookup)
    }

    /// Who holds the duty for ``unit`` at ``level``, as the core's JSON text of the person;
    /// ``None`` when the post is vacant.
    fn duty_holder_json(
        &self,
        unit: &Bound<'_, PyAny>,
        level: &Bound<'_, PyAny>,
    ) -> PyResult<Option<String>> {
        let (unit, level) = (text(unit, "unit")?, parse_level(&text(level, "level")?)?);
        self.inner
            .org()
            .duty_holder(&unit, level)
            .map(|p| p.map(gridgov::json::person_json))
            .map_err(lookup)
    }

    /// The organisation's name, counts and coverage report, as the core's JSON text.
    fn summary_json(&self) -> String {
        gridgov::json::org_summary_json(self.inner.org())
    }

    /// The rule set in force, as the core's JSON text.
    fn rules_json(&self) -> String {
        gridgov::json::rules_json(self.inner.rules())
    }

    /// May ``actor`` (JSON ``{"id", "role", "unit"?}``) take ``action`` on a case of
    /// ``ledger``? The request is JSON ``{"actor", "action", "case"}``; the answer
    /// ``{"allowed": bool}``, as the core's JSON text.
    fn can_json(
        &self,
        py: Python<'_>,
        ledger: &PyLedger,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        call_text(py, request, "request", |r| {
            gridgov::json::can_json(&self.inner, &ledger.inner.lock_ledger(), r)
        })
    }

    /// The ids of the cases ``actor`` (JSON) may see, as the core's JSON text.
    fn visible_cases_json(
        &self,
        py: Python<'_>,
        ledger: &PyLedger,
        actor: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        call_text(py, actor, "actor", |a| {
            gridgov::json::visible_cases_json(&self.inner, &ledger.inner.lock_ledger(), a)
        })
    }

    /// The states of the cases ``actor`` (JSON) may see, for export (the role must allow
    /// ``export``; personal data masked unless the role sees it), as JSON text.
    fn export_json(
        &self,
        py: Python<'_>,
        ledger: &PyLedger,
        actor: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        call_text(py, actor, "actor", |a| {
            gridgov::json::export_json(&self.inner, &ledger.inner.lock_ledger(), a)
        })
    }

    /// A case's timeline as ``actor`` (JSON) may see it, as JSON text.
    fn timeline_for_json(
        &self,
        py: Python<'_>,
        ledger: &PyLedger,
        actor: &Bound<'_, PyAny>,
        case: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let case = text(case, "case")?;
        call_text(py, actor, "actor", |a| {
            gridgov::json::timeline_for_json(&self.inner, &ledger.inner.lock_ledger(), a, &case)
        })
    }

    /// Takes a new report in against a ledger; returns the events to append, as JSON text.
    #[pyo3(signature = (ledger, case, actor = "system"))]
    fn intake_json(
        &self,
        py: Python<'_>,
        ledger: &PyLedger,
        case: &Bound<'_, PyAny>,
        actor: &str,
    ) -> PyResult<String> {
        call_text(py, case, "case", |c| {
            gridgov::json::intake_json(&self.inner, &ledger.inner.lock_ledger(), c, actor)
        })
    }
}

/// The most cases one simulation call makes (about 1 GiB of cases).
const MAX_SIMULATED: usize = 10_000_000;

fn check_month(year: i32, month: u32, count: usize) -> PyResult<()> {
    if count > MAX_SIMULATED {
        return Err(input_error(
            "input_value",
            format!("`count` is {count}; simulate at most {MAX_SIMULATED} cases per call"),
        ));
    }
    if gridgov::score::Month::new(year, month).is_none() {
        return Err(input_error(
            "input_value",
            format!("{year}-{month} is not a month; give a year and a month from 1 to 12"),
        ));
    }
    Ok(())
}

fn errors_mode(errors: &str) -> PyResult<bool> {
    match errors {
        "raise" => Ok(true),
        "column" => Ok(false),
        other => Err(input_error(
            "input_value",
            format!("`errors` is `{other}`; use `raise` or `column`"),
        )),
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
#[pyclass(module = "gridgov._gridgov", name = "Ledger", frozen)]
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

/// Reads a rule set (JSON text) and returns it as the core writes it (defaults filled
/// in); raises ``RuleError`` when it does not parse or is invalid.
#[pyfunction]
fn load_rules_json(py: Python<'_>, rules: &Bound<'_, PyAny>) -> PyResult<String> {
    call_text(py, rules, "rules", |r| {
        gridgov::RuleSet::from_json_str(r)
            .map(|r| gridgov::json::rules_json(&r))
            .map_err(Error::from)
    })
}

/// The default rule set embedded in the library, as JSON text.
#[pyfunction]
fn default_rules_json() -> &'static str {
    gridgov::rules::DEFAULT_JSON
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
    m.add("AccessError", py.get_type::<AccessError>())?;
    m.add_class::<PyEngine>()?;
    m.add_class::<PyLedger>()?;
    m.add_class::<arrow::ArrowStream>()?;
    m.add_function(wrap_pyfunction!(org_summary_json, m)?)?;
    m.add_function(wrap_pyfunction!(validate_rules_json, m)?)?;
    m.add_function(wrap_pyfunction!(load_rules_json, m)?)?;
    m.add_function(wrap_pyfunction!(default_rules_json, m)?)?;
    Ok(())
}
