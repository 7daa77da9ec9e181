//! WebAssembly bindings of gridgov. Every function converts arguments and results; the
//! core decides. JSON entry points return the core's bytes unchanged.
#![forbid(unsafe_code)]

mod objects;

use gridgov::error::Error;
use js_sys::JsString;
use wasm_bindgen::prelude::*;

/// Turns a core error into a JS `Error` with a `code` property.
pub(crate) fn to_js(err: &Error) -> JsValue {
    let e = js_sys::Error::new(&err.to_string());
    e.set_name("GridgovError");
    // Reflect::set only fails on frozen or non-object targets; a fresh Error is neither.
    let _ = js_sys::Reflect::set(&e, &"code".into(), &err.code().into());
    e.into()
}

/// The text of a string argument, or an `Error` with code `input_type` naming it: a JS
/// caller may pass anything, and a non-string must not reach the string conversion.
pub(crate) fn text(value: &JsString, name: &str) -> Result<String, JsValue> {
    JsValue::from(value).as_string().ok_or_else(|| {
        let kind = value.js_typeof().as_string().unwrap_or_default();
        to_js(&Error::input(
            "argument",
            format!("`{name}` must be a string, not {kind}"),
        ))
    })
}

/// [`text`] for an optional argument: `undefined` and `null` are `None`.
pub(crate) fn opt_text(value: Option<&JsString>, name: &str) -> Result<Option<String>, JsValue> {
    match value {
        None => Ok(None),
        Some(v) if JsValue::from(v).is_null() || JsValue::from(v).is_undefined() => Ok(None),
        Some(v) => text(v, name).map(Some),
    }
}

/// The library version.
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    gridgov::VERSION.to_owned()
}

/// An organisation, a rule set and a calendar that fit together: every decision is made
/// here. `new Engine()` or `Engine.fushan()` takes the embedded Fushan defaults; give JSON
/// text for any of `org`, `rules` and `calendar` to replace it.
#[wasm_bindgen(js_name = Engine)]
#[derive(Debug)]
pub struct JsEngine {
    pub(crate) inner: gridgov::Engine,
}

#[wasm_bindgen(js_class = Engine)]
impl JsEngine {
    /// Builds an engine from JSON text; `undefined` or `null` takes the default.
    ///
    /// # Errors
    /// A JS `Error` with a `code` when a document does not read or they do not fit.
    #[wasm_bindgen(constructor)]
    pub fn new(
        org: Option<JsString>,
        rules: Option<JsString>,
        calendar: Option<JsString>,
    ) -> Result<JsEngine, JsValue> {
        let org = opt_text(org.as_ref(), "org")?;
        let rules = opt_text(rules.as_ref(), "rules")?;
        let calendar = opt_text(calendar.as_ref(), "calendar")?;
        gridgov::Engine::from_json_strs(org.as_deref(), rules.as_deref(), calendar.as_deref())
            .map(|inner| Self { inner })
            .map_err(|e| to_js(&Error::from(e)))
    }

    /// The embedded defaults: the Fushan organisation, the default rule set and the China
    /// mainland calendar for 2025-2026.
    #[must_use]
    pub fn fushan() -> JsEngine {
        Self {
            inner: gridgov::Engine::fushan(),
        }
    }

    /// Routes one case given as JSON text; returns the decision as the core's JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming what is wrong with the case.
    #[wasm_bindgen(js_name = routeJson)]
    pub fn route_json(&self, case: &JsString) -> Result<String, JsValue> {
        let case = text(case, "case")?;
        gridgov::json::route_json_str(&self.inner, &case).map_err(|e| to_js(&e))
    }

    /// Counts a deadline on the engine's calendar: JSON text `{"start", "time_limit",
    /// "pauses"?}` in, the core's JSON text out.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a bad input or a time outside the calendar.
    #[wasm_bindgen(js_name = deadlineJson)]
    pub fn deadline_json(&self, input: &JsString) -> Result<String, JsValue> {
        let input = text(input, "input")?;
        gridgov::json::deadline_json_str(&self.inner, &input).map_err(|e| to_js(&e))
    }

    /// The rule set's warnings and those about how it fits the organisation, as JSON text.
    #[wasm_bindgen(js_name = warningsJson)]
    #[must_use]
    pub fn warnings_json(&self) -> String {
        gridgov::json::warnings_json(&self.inner)
    }

    /// Everything the engine proposes for a ledger at `now` (RFC 3339 text).
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a bad `now`.
    #[wasm_bindgen(js_name = actionsJson)]
    pub fn actions_json(&self, ledger: &JsLedger, now: &JsString) -> Result<String, JsValue> {
        let now = text(now, "now")?;
        gridgov::json::actions_json(&self.inner, &ledger.inner, &now).map_err(|e| to_js(&e))
    }

    /// The cases past their deadline at `now`, each with the escalation it gets.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a bad `now`.
    #[wasm_bindgen(js_name = overdueJson)]
    pub fn overdue_json(&self, ledger: &JsLedger, now: &JsString) -> Result<String, JsValue> {
        let now = text(now, "now")?;
        gridgov::json::overdue_json(&self.inner, &ledger.inner, &now).map_err(|e| to_js(&e))
    }

    /// A case's timeline; `publicView` masks personal data.
    ///
    /// # Errors
    /// A JS `Error` with a `code` when the ledger has no such case.
    #[wasm_bindgen(js_name = timelineJson)]
    pub fn timeline_json(
        &self,
        ledger: &JsLedger,
        case: &JsString,
        public_view: bool,
    ) -> Result<String, JsValue> {
        let case = text(case, "case")?;
        gridgov::json::timeline_json(&self.inner, &ledger.inner, &case, public_view)
            .map_err(|e| to_js(&e))
    }

    /// Takes a new report in against a ledger; returns the events to append, as JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming what is wrong with the case.
    #[wasm_bindgen(js_name = intakeJson)]
    pub fn intake_json(
        &self,
        ledger: &JsLedger,
        case: &JsString,
        actor: Option<JsString>,
    ) -> Result<String, JsValue> {
        let case = text(case, "case")?;
        let actor = opt_text(actor.as_ref(), "actor")?;
        let actor = actor.unwrap_or_else(|| gridgov::escalate::SYSTEM.to_owned());
        gridgov::json::intake_json(&self.inner, &ledger.inner, &case, &actor).map_err(|e| to_js(&e))
    }

    /// Scores a month of a ledger: `request` is JSON text `{"month": "2026-03",
    /// "budget_fen"?, "history"?, "inspections"?}`; returns the month's report as JSON.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a bad request or a budget below the floors.
    #[wasm_bindgen(js_name = scoreJson)]
    pub fn score_json(&self, ledger: &JsLedger, request: &JsString) -> Result<String, JsValue> {
        let request = text(request, "request")?;
        gridgov::json::score_json(&self.inner, &ledger.inner, &request).map_err(|e| to_js(&e))
    }

    /// Scores a month of an outcome table: the request of `scoreJson` plus `"outcomes":
    /// [...]` or `"outcomes_csv": "..."` and `"visits"?`.
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming the row, CSV line and column of a bad row.
    #[wasm_bindgen(js_name = scoreOutcomesJson)]
    pub fn score_outcomes_json(&self, request: &JsString) -> Result<String, JsValue> {
        let request = text(request, "request")?;
        gridgov::json::score_outcomes_json_str(&self.inner, &request).map_err(|e| to_js(&e))
    }

    /// What if: routes a JSON array of cases on this engine and under the rule set
    /// `rulesB` (JSON text) on the same organisation and calendar, and reports which cases
    /// decide differently and how (at most `limit` cases in full, default 1000).
    ///
    /// # Errors
    /// A JS `Error` with a `code` when `rulesB` does not read or fit, or the cases are not
    /// a JSON array.
    #[wasm_bindgen(js_name = backtestJson)]
    pub fn backtest_json(
        &self,
        rules_b: &JsString,
        cases: &JsString,
        limit: Option<u32>,
    ) -> Result<String, JsValue> {
        let rules_b = text(rules_b, "rulesB")?;
        let cases = text(cases, "cases")?;
        let limit = limit.map_or(1000, |l| usize::try_from(l).unwrap_or(usize::MAX));
        gridgov::json::backtest_rules_json_str(&self.inner, &rules_b, &cases, limit)
            .map_err(|e| to_js(&e))
    }

    /// `scoreOutcomesJson` as one self-contained HTML page (inline SVG, no assets).
    ///
    /// # Errors
    /// As `scoreOutcomesJson`.
    #[wasm_bindgen(js_name = scoreOutcomesHtml)]
    pub fn score_outcomes_html(
        &self,
        request: &JsString,
        title: Option<JsString>,
    ) -> Result<String, JsValue> {
        let request = text(request, "request")?;
        let title = opt_text(title.as_ref(), "title")?;
        let title = title.unwrap_or_else(|| "Monthly evaluation".to_owned());
        gridgov::json::score_outcomes_html_str(&self.inner, &request, &title).map_err(|e| to_js(&e))
    }

    /// The outcome table of a ledger, `{"outcomes": [...], "visits": [...]}`, as JSON.
    #[wasm_bindgen(js_name = outcomesJson)]
    #[must_use]
    pub fn outcomes_json(&self, ledger: &JsLedger) -> String {
        gridgov::json::outcomes_json(&self.inner, &ledger.inner)
    }

    /// The outcome table of a ledger as CSV text.
    #[wasm_bindgen(js_name = outcomesCsv)]
    #[must_use]
    pub fn outcomes_csv(&self, ledger: &JsLedger) -> String {
        gridgov::json::outcomes_csv(&self.inner, &ledger.inner)
    }
}

/// The append-only case ledger. `new Ledger()` is empty; `new Ledger(json)` replays a
/// ledger document `{"format": 1, "events": [...]}`, checking every event.
#[wasm_bindgen(js_name = Ledger)]
#[derive(Debug)]
pub struct JsLedger {
    pub(crate) inner: gridgov::case::ledger::Ledger,
}

#[wasm_bindgen(js_class = Ledger)]
impl JsLedger {
    /// An empty ledger, or one replayed from a ledger document.
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming the first event refused.
    #[wasm_bindgen(constructor)]
    pub fn new(json: Option<JsString>) -> Result<JsLedger, JsValue> {
        let json = opt_text(json.as_ref(), "json")?;
        let inner = match json {
            None => gridgov::case::ledger::Ledger::new(),
            Some(s) => gridgov::case::ledger::Ledger::from_json_str(&s)
                .map_err(|e| to_js(&Error::from(e)))?,
        };
        Ok(Self { inner })
    }

    /// Appends one event (JSON text); throws and leaves the ledger unchanged when it does
    /// not fit the case's state.
    ///
    /// # Errors
    /// A JS `Error` with a `code`.
    #[wasm_bindgen(js_name = appendJson)]
    pub fn append_json(&mut self, event: &JsString) -> Result<(), JsValue> {
        let event = text(event, "event")?;
        self.inner
            .append_json_str(&event)
            .map_err(|e| to_js(&Error::from(e)))
    }

    /// Appends a JSON array of events, all or none.
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming the event refused.
    #[wasm_bindgen(js_name = appendAllJson)]
    pub fn append_all_json(&mut self, events: &JsString) -> Result<(), JsValue> {
        let events = text(events, "events")?;
        self.inner
            .append_all_json_str(&events)
            .map_err(|e| to_js(&Error::from(e)))
    }

    /// The folded state (a snapshot), as the core's JSON text.
    #[wasm_bindgen(js_name = stateJson)]
    #[must_use]
    pub fn state_json(&self) -> String {
        self.inner.state().to_json()
    }

    /// The ledger document, as the core's JSON text.
    #[wasm_bindgen(js_name = toJson)]
    #[must_use]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Number of events.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn length(&self) -> usize {
        self.inner.len()
    }
}

/// Validates a rule set given as JSON text; returns `{"errors": [...], "warnings": [...]}`.
///
/// # Errors
/// A JS `Error` with code `input` when `rules` is not a string.
#[wasm_bindgen(js_name = validateRulesJson)]
pub fn validate_rules_json(rules: &JsString) -> Result<String, JsValue> {
    let rules = text(rules, "rules")?;
    Ok(gridgov::json::validate_rules_json_str(&rules))
}

/// The name, counts and coverage report of an org spec, as the core's JSON text.
/// Without an argument, the embedded Fushan default.
///
/// # Errors
/// A JS `Error` with a `code` when the spec does not parse or is invalid.
#[wasm_bindgen(js_name = orgSummaryJson)]
pub fn org_summary_json(org_json: Option<JsString>) -> Result<String, JsValue> {
    let org_json = opt_text(org_json.as_ref(), "orgJson")?;
    match org_json {
        None => Ok(gridgov::json::org_summary_json(&gridgov::OrgGraph::fushan())),
        Some(s) => gridgov::json::org_summary_json_str(&s).map_err(|e| to_js(&e)),
    }
}
