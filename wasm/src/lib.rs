//! WebAssembly bindings of gridgov. Every function converts arguments and results; the core
//! decides. JSON entry points return the core's bytes unchanged; the object API is exactly
//! `JSON.parse` of them. Every error is a JS `Error` whose `code` and message are the
//! core's, and the TypeScript types of the JSON shapes are generated from the core's Rust
//! types (the core's `ts` feature).
#![forbid(unsafe_code)]

mod handles;

use gridgov::error::Error;
use gridgov::input::{InputError, JsonKind};
use wasm_bindgen::prelude::*;

use handles::{ENGINES, LEDGERS, handle};

/// Turns a core error into a JS `Error` named for its class (`CaseError`, `InputError`…)
/// with the core's `code`.
pub(crate) fn to_js(err: &Error) -> JsValue {
    let e = js_sys::Error::new(&err.to_string());
    e.set_name(err.class().name());
    // Reflect::set only fails on frozen or non-object targets; a fresh Error is neither.
    let _ = js_sys::Reflect::set(&e, &"code".into(), &err.code().into());
    // Every problem behind the error (all of them; the message shows at most ten), as
    // `JSON.parse` of the core's JSON, like every object of this API.
    if let Ok(problems) = js_sys::JSON::parse(&err.problems_json()) {
        let _ = js_sys::Reflect::set(&e, &"problems".into(), &problems);
    }
    e.into()
}

/// A core error of any concern as a JS `Error`.
pub(crate) fn err<E: Into<Error>>(e: E) -> JsValue {
    to_js(&e.into())
}

/// The JSON kind of a JS value, as the core's messages name it; a function, a symbol or
/// a `BigInt` is named by its `typeof`.
fn kind_of(value: &JsValue) -> Result<JsonKind, String> {
    Ok(if value.is_null() || value.is_undefined() {
        JsonKind::Null
    } else if value.as_bool().is_some() {
        JsonKind::Boolean
    } else if value.as_f64().is_some() {
        JsonKind::Number
    } else if value.is_string() {
        JsonKind::String
    } else if js_sys::Array::is_array(value) {
        JsonKind::Array
    } else if value.is_object() && !value.is_function() {
        JsonKind::Object
    } else {
        return Err(value.js_typeof().as_string().unwrap_or_default());
    })
}

/// The core's error for an argument of the wrong type.
pub(crate) fn wrong_type(value: &JsValue, what: &str, expected: &str) -> JsValue {
    let what = what.to_owned();
    err(match kind_of(value) {
        Ok(kind) => InputError::wrong_type(what, expected, kind),
        Err(name) => InputError::wrong_type_named(what, expected, &format!("a {name}")),
    })
}

/// The error for a `Ledger` used after `free()`.
pub(crate) fn freed() -> JsValue {
    err(InputError::value(
        "ledger",
        "this Ledger was freed: make a new one",
    ))
}

/// The bytes of a `Uint8Array` (or `ArrayBuffer`) argument, copied into the module, or
/// the core's `InputError` naming it.
pub(crate) fn bytes_arg(value: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    use wasm_bindgen::JsCast;
    if let Some(a) = value.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(a.to_vec());
    }
    if let Some(b) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        return Ok(js_sys::Uint8Array::new(b).to_vec());
    }
    Err(wrong_type(
        value,
        what,
        "a Uint8Array of Arrow IPC stream bytes",
    ))
}

/// The text of a string argument, or the core's `InputError` naming it: a JS caller may
/// pass anything, and a non-string must not reach the string conversion.
pub(crate) fn text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| wrong_type(value, what, "text (a string)"))
}

/// [`text`] for an optional argument: absent, `undefined` and `null` are `None`.
pub(crate) fn opt_text(value: Option<&JsValue>, what: &str) -> Result<Option<String>, JsValue> {
    match value {
        Some(v) if !v.is_null() && !v.is_undefined() => text(v, what).map(Some),
        _ => Ok(None),
    }
}

/// A number argument (not a string or `BigInt` that would be coerced).
fn number(value: &JsValue, what: &str) -> Result<f64, JsValue> {
    value
        .as_f64()
        .ok_or_else(|| wrong_type(value, what, "a whole number"))
}

/// An optional count: a whole number from 0 to `most`, checked by the core.
fn opt_count(
    value: Option<&JsValue>,
    what: &'static str,
    most: u64,
) -> Result<Option<usize>, JsValue> {
    let Some(value) = value.filter(|v| !v.is_null() && !v.is_undefined()) else {
        return Ok(None);
    };
    gridgov::input::whole(number(value, what)?, what, 0..=most)
        .map(|n| Some(usize::try_from(n).unwrap_or(usize::MAX)))
        .map_err(err)
}

/// `JSON.stringify(value)` of an object argument, or the value itself when it is already
/// JSON text; anything `JSON.stringify` cannot write is the core's `InputError`.
pub(crate) fn stringify(value: &JsValue, what: &str) -> Result<String, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .filter(|_| !value.is_undefined() && !value.is_function() && !value.is_symbol())
        .ok_or_else(|| {
            wrong_type(
                value,
                what,
                "an object (or JSON text) that JSON.stringify can write",
            )
        })
}

/// `JSON.parse` of the core's own output (always valid JSON).
fn parse(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}

#[wasm_bindgen]
extern "C" {
    /// An optional text argument: a string, `null` or left out.
    #[wasm_bindgen(typescript_type = "string")]
    pub type OptText;
    /// An optional number argument: a number, `null` or left out.
    #[wasm_bindgen(typescript_type = "number")]
    pub type OptNumber;
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
    inner: gridgov::Engine,
    slot: u32,
}

impl JsEngine {
    fn of(inner: gridgov::Engine) -> Self {
        let slot = ENGINES.with(|e| e.borrow_mut().insert(inner.clone()));
        Self { inner, slot }
    }
}

impl Drop for JsEngine {
    fn drop(&mut self) {
        ENGINES.with(|e| e.borrow_mut().remove(self.slot));
    }
}

/// The ledger a JS value names (a `Ledger` of this package), lent to `f`.
/// Runs `f` on the ledger behind a JS `Ledger`, to change it.
fn with_ledger_mut<R>(
    value: &JsValue,
    f: impl FnOnce(&mut gridgov::case::ledger::Ledger) -> R,
) -> Result<R, JsValue> {
    let slot = handle(value, "ledger", "a gridgov Ledger", handles::LEDGER_KEY)?;
    LEDGERS.with(|l| {
        l.borrow_mut()
            .get_mut(slot)
            .map(f)
            .ok_or_else(|| wrong_type(value, "ledger", "a gridgov Ledger that was not freed"))
    })
}

fn with_ledger<R>(
    value: &JsValue,
    f: impl FnOnce(&gridgov::case::ledger::Ledger) -> R,
) -> Result<R, JsValue> {
    let slot = handle(value, "ledger", "a gridgov Ledger", handles::LEDGER_KEY)?;
    LEDGERS.with(|l| {
        l.borrow()
            .get(slot)
            .map(f)
            .ok_or_else(|| wrong_type(value, "ledger", "a gridgov Ledger that was not freed"))
    })
}

#[wasm_bindgen(js_class = Engine)]
impl JsEngine {
    /// Builds an engine from JSON text; `undefined` or `null` takes the default.
    /// `validation` is `"strict"` (the default: an organisation with coverage gaps, such as
    /// a grid without a grid worker, is refused) or `"warn"` (the gaps are taken and listed
    /// in `warnings()`).
    ///
    /// # Errors
    /// A JS `Error` with a `code` when a document does not read or they do not fit; its
    /// `problems` lists every problem found.
    #[wasm_bindgen(constructor)]
    pub fn new(
        org: Option<OptText>,
        rules: Option<OptText>,
        calendar: Option<OptText>,
        validation: Option<OptText>,
    ) -> Result<JsEngine, JsValue> {
        let org = opt_text(org.map(JsValue::from).as_ref(), "org")?;
        let rules = opt_text(rules.map(JsValue::from).as_ref(), "rules")?;
        let calendar = opt_text(calendar.map(JsValue::from).as_ref(), "calendar")?;
        let gaps = match opt_text(validation.map(JsValue::from).as_ref(), "validation")? {
            None => gridgov::org::GapPolicy::default(),
            Some(v) => v.parse().map_err(err)?,
        };
        gridgov::Engine::from_json_strs_with(
            org.as_deref(),
            rules.as_deref(),
            calendar.as_deref(),
            gaps,
        )
        .map(Self::of)
        .map_err(err)
    }

    /// The embedded defaults: the Fushan organisation, the default rule set and the China
    /// mainland calendar for 2025-2026.
    #[must_use]
    pub fn fushan() -> JsEngine {
        Self::of(gridgov::Engine::fushan())
    }

    /// The engine's handle, for arguments that take an engine (hidden).
    #[wasm_bindgen(getter = __gridgovEngine, skip_typescript)]
    #[must_use]
    pub fn engine_handle(&self) -> u32 {
        self.slot
    }

    /// Routes one case given as JSON text; returns the decision as the core's JSON text:
    /// the deciding row and its `why`, and with `explain` true the `trace` too (every row
    /// that matched and the facts it read, and how the deadline was counted).
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming what is wrong with the case.
    #[wasm_bindgen(js_name = routeJson)]
    pub fn route_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] case: &JsValue,
        explain: Option<bool>,
    ) -> Result<String, JsValue> {
        gridgov::json::route_json_with(&self.inner, &text(case, "case")?, explain.unwrap_or(false))
            .map_err(err)
    }

    /// Routes one case given as an object; returns the decision as an object (with its
    /// `trace` when `explain` is true).
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming what is wrong with the case.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn route(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Case")] case: &JsValue,
        explain: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        gridgov::json::route_json_with(
            &self.inner,
            &stringify(case, "case")?,
            explain.unwrap_or(false),
        )
        .map(|s| parse(&s))
        .map_err(err)
    }

    /// Answers an Open311 GeoReport v2 call (JSON text: `services`,
    /// `service_definition` or `post_request`) as the core's JSON text `{"status", "body",
    /// "case"?}`: what an HTTP handler sends back.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a call that does not read; problems with the Open311
    /// request itself are the answer (status 400 or 404), not errors.
    #[wasm_bindgen(js_name = open311Json)]
    pub fn open311_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] call: &JsValue,
    ) -> Result<String, JsValue> {
        gridgov::json::open311_json(&self.inner, None, &text(call, "call")?).map_err(err)
    }

    /// Answers an Open311 `requests` call on a ledger, as the core's JSON text.
    ///
    /// # Errors
    /// As `open311Json`.
    #[wasm_bindgen(js_name = open311RequestsJson)]
    pub fn open311_requests_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] call: &JsValue,
    ) -> Result<String, JsValue> {
        let call = text(call, "call")?;
        with_ledger(ledger, |l| {
            gridgov::json::open311_json(&self.inner, Some(l), &call)
        })?
        .map_err(err)
    }

    /// Locates a point on the organisation's map: JSON text `{"lon", "lat", "crs"?}` in
    /// (`crs` one of `wgs84`, the default, `gcj02`, `bd09`), the core's JSON text
    /// `{"micro_grid", "grid", "community"}` out.
    ///
    /// # Errors
    /// A JS `Error` with code `outside_map` (naming the nearest micro-grid), `bad_point`
    /// or `no_map`.
    #[wasm_bindgen(js_name = locateJson)]
    pub fn locate_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] point: &JsValue,
    ) -> Result<String, JsValue> {
        gridgov::json::locate_json(&self.inner, &text(point, "point")?).map_err(err)
    }

    /// The volunteer teams that may take a case: JSON text `{"category", "location"}` in,
    /// the core's JSON text out (an array of `{team, name, areas, members}`).
    ///
    /// # Errors
    /// A JS `Error` with code `unknown_category`, `unknown_unit` or `input_type`.
    #[wasm_bindgen(js_name = suggestTeamsJson)]
    pub fn suggest_teams_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] request: &JsValue,
    ) -> Result<String, JsValue> {
        gridgov::json::suggest_teams_json(&self.inner, &text(request, "request")?).map_err(err)
    }

    /// [`suggestTeamsJson`](Self::suggest_teams_json) with an object in and out.
    ///
    /// # Errors
    /// As `suggestTeamsJson`.
    #[wasm_bindgen(
        js_name = suggestTeams,
        unchecked_return_type = "TeamSuggestion[]"
    )]
    pub fn suggest_teams(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ category: string; location: string }")]
        request: &JsValue,
    ) -> Result<JsValue, JsValue> {
        gridgov::json::suggest_teams_json(&self.inner, &stringify(request, "request")?)
            .map(|s| parse(&s))
            .map_err(err)
    }

    /// [`locateJson`](Self::locate_json) with an object in and out.
    ///
    /// # Errors
    /// As `locateJson`.
    #[wasm_bindgen(
        unchecked_return_type = "{ micro_grid: string; grid: string | null; community: string | null }"
    )]
    pub fn locate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GeoPoint")] point: &JsValue,
    ) -> Result<JsValue, JsValue> {
        gridgov::json::locate_json(&self.inner, &stringify(point, "point")?)
            .map(|s| parse(&s))
            .map_err(err)
    }

    /// Locates columns of points: for each (longitude, latitude) in `crs` (`wgs84` when
    /// left out) the position of its micro-grid in `microGrids()`, or -1 for a point in
    /// no micro-grid.
    ///
    /// # Errors
    /// A JS `Error` with code `no_map`, `lengths_differ`, or a bad `crs`.
    #[wasm_bindgen(js_name = locateBatch)]
    pub fn locate_batch(
        &self,
        lons: &[f64],
        lats: &[f64],
        crs: Option<OptText>,
    ) -> Result<Vec<i32>, JsValue> {
        let crs = match opt_text(crs.map(JsValue::from).as_ref(), "crs")? {
            None => gridgov::spatial::Crs::Wgs84,
            Some(c) => gridgov::spatial::Crs::arg(&c).map_err(err)?,
        };
        self.inner.org().locate_all(lons, lats, crs).map_err(err)
    }

    /// The micro-grids' ids in the organisation's order: what `locateBatch`'s positions
    /// index.
    #[wasm_bindgen(js_name = microGrids)]
    #[must_use]
    pub fn micro_grids(&self) -> Vec<String> {
        self.inner
            .org()
            .units_of_kind(gridgov::UnitKind::MicroGrid)
            .map(|u| u.id.to_string())
            .collect()
    }

    /// The organisation's map as GeoJSON text, coordinates in `crs` (the map's own when
    /// left out): one feature per unit with an area, for drawing the territory.
    ///
    /// # Errors
    /// A JS `Error` with code `no_map`, or for a bad `crs`.
    #[wasm_bindgen(js_name = mapJson)]
    pub fn map_json(&self, crs: Option<OptText>) -> Result<String, JsValue> {
        let crs = opt_text(crs.map(JsValue::from).as_ref(), "crs")?;
        gridgov::json::map_json(self.inner.org(), crs.as_deref()).map_err(err)
    }

    /// Counts a deadline on the engine's calendar: JSON text `{"start", "time_limit",
    /// "pauses"?}` in, the core's JSON text out.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a bad input or a time outside the calendar.
    #[wasm_bindgen(js_name = deadlineJson)]
    pub fn deadline_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] deadline: &JsValue,
    ) -> Result<String, JsValue> {
        gridgov::json::deadline_json(&self.inner, &text(deadline, "deadline")?).map_err(err)
    }

    /// The organisation's accepted coverage gaps (under `"warn"`), the rule set's warnings and
    /// those about how it fits the organisation, as JSON text.
    #[wasm_bindgen(js_name = warningsJson)]
    #[must_use]
    pub fn warnings_json(&self) -> String {
        gridgov::json::warnings_json(&self.inner)
    }

    /// The rule set's warnings and those about how it fits the organisation.
    #[wasm_bindgen(unchecked_return_type = "Problem[]")]
    #[must_use]
    pub fn warnings(&self) -> JsValue {
        parse(&self.warnings_json())
    }

    /// Everything the engine proposes for a ledger at `now` (RFC 3339 text), as JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a bad `now` or a wrong ledger.
    #[wasm_bindgen(js_name = actionsJson)]
    pub fn actions_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] now: &JsValue,
    ) -> Result<String, JsValue> {
        let now = text(now, "now")?;
        with_ledger(ledger, |l| {
            gridgov::json::actions_json(&self.inner, l, &now)
        })?
        .map_err(err)
    }

    /// Everything the engine proposes at `now`: escalations, reminders, reopenings,
    /// reroutes.
    ///
    /// # Errors
    /// As `actionsJson`.
    #[wasm_bindgen(unchecked_return_type = "Actions")]
    pub fn actions(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] now: &JsValue,
    ) -> Result<JsValue, JsValue> {
        self.actions_json(ledger, now).map(|s| parse(&s))
    }

    /// The cases past their deadline at `now`, each with the escalation it gets, as JSON
    /// text.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a bad `now` or a wrong ledger.
    #[wasm_bindgen(js_name = overdueJson)]
    pub fn overdue_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] now: &JsValue,
    ) -> Result<String, JsValue> {
        let now = text(now, "now")?;
        with_ledger(ledger, |l| {
            gridgov::json::overdue_json(&self.inner, l, &now)
        })?
        .map_err(err)
    }

    /// The cases past their deadline at `now`, each with its escalation.
    ///
    /// # Errors
    /// As `overdueJson`.
    #[wasm_bindgen(unchecked_return_type = "Escalation[]")]
    pub fn overdue(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] now: &JsValue,
    ) -> Result<JsValue, JsValue> {
        self.overdue_json(ledger, now).map(|s| parse(&s))
    }

    /// A case's timeline as JSON text; `isPublic` masks personal data.
    ///
    /// # Errors
    /// A JS `Error` with a `code` when the ledger has no such case.
    #[wasm_bindgen(js_name = timelineJson)]
    pub fn timeline_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] case: &JsValue,
        is_public: Option<bool>,
    ) -> Result<String, JsValue> {
        let case = text(case, "case")?;
        let public = is_public.unwrap_or(false);
        with_ledger(ledger, |l| {
            gridgov::json::timeline_json(&self.inner, l, &case, public)
        })?
        .map_err(err)
    }

    /// A case's timeline; `isPublic` masks personal data.
    ///
    /// # Errors
    /// As `timelineJson`.
    #[wasm_bindgen(unchecked_return_type = "TimelineEntry[]")]
    pub fn timeline(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] case: &JsValue,
        is_public: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        self.timeline_json(ledger, case, is_public)
            .map(|s| parse(&s))
    }

    /// Takes a new report in against a ledger; returns the events to append, as JSON text.
    /// `actor` is who takes it in (none: the system).
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming what is wrong with the case.
    #[wasm_bindgen(js_name = intakeJson)]
    pub fn intake_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] case: &JsValue,
        actor: Option<OptText>,
    ) -> Result<String, JsValue> {
        let case = text(case, "case")?;
        let actor = opt_text(actor.map(JsValue::from).as_ref(), "actor")?;
        with_ledger(ledger, |l| {
            gridgov::json::intake_json(&self.inner, l, &case, actor.as_deref())
        })?
        .map_err(err)
    }

    /// Scores a month of a ledger: `request` is JSON text `{"month": "2026-03",
    /// "budget_fen"?, "history"?, "inspections"?, "include"?}`; the report as JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a bad request or a budget below the floors.
    #[wasm_bindgen(js_name = scoreJson)]
    pub fn score_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] request: &JsValue,
    ) -> Result<String, JsValue> {
        let request = text(request, "request")?;
        with_ledger(ledger, |l| {
            gridgov::json::score_json(&self.inner, l, &request)
        })?
        .map_err(err)
    }

    /// Scores a month of a ledger: `{month, budget_fen?, history?, inspections?}`.
    ///
    /// # Errors
    /// As `scoreJson`.
    #[wasm_bindgen(unchecked_return_type = "MonthReport")]
    pub fn score(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "ScoreRequest")] request: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let request = JsValue::from(stringify(request, "request")?);
        self.score_json(ledger, &request).map(|s| parse(&s))
    }

    /// Scores a month of an outcome table: the request of `scoreJson` plus `"outcomes":
    /// [...]` or `"outcomes_csv": "..."` and `"visits"?`; the report as JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming the row, CSV line and column of a bad row.
    #[wasm_bindgen(js_name = scoreOutcomesJson)]
    pub fn score_outcomes_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] request: &JsValue,
    ) -> Result<String, JsValue> {
        gridgov::json::score_outcomes_json(&self.inner, &text(request, "request")?).map_err(err)
    }

    /// Scores a month of an outcome table given in the request (`outcomes` or
    /// `outcomes_csv`).
    ///
    /// # Errors
    /// As `scoreOutcomesJson`.
    #[wasm_bindgen(js_name = scoreOutcomes, unchecked_return_type = "MonthReport")]
    pub fn score_outcomes(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScoreRequest")] request: &JsValue,
    ) -> Result<JsValue, JsValue> {
        gridgov::json::score_outcomes_json(&self.inner, &stringify(request, "request")?)
            .map(|s| parse(&s))
            .map_err(err)
    }

    /// `scoreOutcomesJson` as one self-contained HTML page (inline SVG, no assets), titled
    /// `title` (none: the core's default title).
    ///
    /// # Errors
    /// As `scoreOutcomesJson`.
    #[wasm_bindgen(js_name = scoreOutcomesHtml)]
    pub fn score_outcomes_html(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] request: &JsValue,
        title: Option<OptText>,
    ) -> Result<String, JsValue> {
        let request = text(request, "request")?;
        let title = opt_text(title.map(JsValue::from).as_ref(), "title")?;
        gridgov::html::score_outcomes_html(&self.inner, &request, title.as_deref()).map_err(err)
    }

    /// The outcome table of a ledger, `{"outcomes": [...], "visits": [...]}`, as JSON.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a wrong ledger.
    #[wasm_bindgen(js_name = outcomesJson)]
    pub fn outcomes_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
    ) -> Result<String, JsValue> {
        with_ledger(ledger, |l| gridgov::json::outcomes_json(&self.inner, l))
    }

    /// The outcome table of a ledger as CSV text.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a wrong ledger.
    #[wasm_bindgen(js_name = outcomesCsv)]
    pub fn outcomes_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
    ) -> Result<String, JsValue> {
        with_ledger(ledger, |l| gridgov::batch::outcomes_csv(&self.inner, l))
    }

    /// What if: routes a JSON array of cases on this engine and under the rule set
    /// `rulesB` (JSON text) on the same organisation and calendar, and reports which cases
    /// decide differently and how (at most `limit` cases in full; none: the core's limit).
    ///
    /// # Errors
    /// A JS `Error` with a `code` when `rulesB` does not read or fit, or the cases are not
    /// a JSON array.
    #[wasm_bindgen(js_name = backtestJson)]
    pub fn backtest_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] rules_b: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] cases: &JsValue,
        limit: Option<OptNumber>,
    ) -> Result<String, JsValue> {
        let rules_b = text(rules_b, "rules_b")?;
        let cases = text(cases, "cases")?;
        let limit = opt_count(
            limit.map(JsValue::from).as_ref(),
            "limit",
            u64::from(u32::MAX),
        )?;
        gridgov::json::backtest_rules_json(&self.inner, &rules_b, &cases, limit).map_err(err)
    }

    /// What if: the cases (an array of case objects) under this engine's rules and under
    /// `rulesB` (an object or JSON text).
    ///
    /// # Errors
    /// As `backtestJson`.
    #[wasm_bindgen(unchecked_return_type = "BacktestReport")]
    pub fn backtest(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RuleSetSpec | string")] rules_b: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "Case[]")] cases: &JsValue,
        limit: Option<OptNumber>,
    ) -> Result<JsValue, JsValue> {
        let rules_b = JsValue::from(stringify(rules_b, "rules_b")?);
        let cases = JsValue::from(stringify(cases, "cases")?);
        self.backtest_json(&rules_b, &cases, limit)
            .map(|s| parse(&s))
    }

    /// The batch path: a cases CSV in, the decisions CSV out (one row per case, in order;
    /// rows that cannot be routed carry `error_code` and `error`).
    ///
    /// # Errors
    /// A JS `Error` with a `code` when the text is not CSV or its header is wrong.
    #[wasm_bindgen(js_name = routeCsv)]
    pub fn route_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] cases: &JsValue,
    ) -> Result<String, JsValue> {
        gridgov::batch::route_csv(&self.inner, &text(cases, "cases")?).map_err(err)
    }

    /// The Arrow batch path: a table of cases as Arrow IPC stream bytes (apache-arrow's
    /// `tableToIPC(table)`) in, the decisions table as Arrow IPC stream bytes out
    /// (`tableFromIPC(bytes)`): one row per case, in order, with `unit`, `handler`,
    /// `office` and the other repeated names as dictionary columns, the same table as
    /// Python's `route_batch`. `errors` is `"raise"` (the default: the first row that
    /// cannot be routed is the error) or `"column"` (such rows get `error_code` and
    /// `error`).
    ///
    /// # Errors
    /// A JS `Error` with a `code`: `table` for bytes that are not an IPC stream or a table
    /// without the case columns, the row's code in `"raise"` mode, `input_type` for
    /// arguments of the wrong type.
    #[wasm_bindgen(js_name = routeArrow)]
    pub fn route_arrow(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] cases: &JsValue,
        errors: Option<OptText>,
    ) -> Result<Vec<u8>, JsValue> {
        let mode = match opt_text(errors.map(JsValue::from).as_ref(), "errors")? {
            None => gridgov::arrow::ErrorMode::Raise,
            Some(m) => gridgov::input::name_arg("errors", &m).map_err(err)?,
        };
        let bytes = bytes_arg(cases, "cases")?;
        gridgov::arrow::ipc::route_ipc_vec(&self.inner, bytes, mode).map_err(err)
    }

    /// Scores a month of an outcome table given as Arrow IPC stream bytes
    /// (apache-arrow's `tableToIPC(table)`, with the columns of `outcomes_csv`; times as
    /// RFC 3339 text or timestamp columns, names as text or dictionary columns).
    /// `request` is the JSON text of `scoreOutcomesJson` without the table (`{"month":
    /// "2026-03", "budget_fen"?, "history"?, "visits"?, ...}`). Returns the month's report
    /// as JSON text: what `scoreOutcomesJson` returns for the same rows given in the
    /// request.
    ///
    /// # Errors
    /// A JS `Error` with a `code`: `table` for bytes that are not an IPC stream or a table
    /// without the outcome columns, the code of a row that does not read (naming it) or
    /// of a bad request, `input_type` for arguments of the wrong type.
    #[wasm_bindgen(js_name = scoreOutcomesArrowJson)]
    pub fn score_outcomes_arrow_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] outcomes: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] request: &JsValue,
    ) -> Result<String, JsValue> {
        let request = text(request, "request")?;
        let bytes = bytes_arg(outcomes, "outcomes")?;
        gridgov::arrow::ipc::score_ipc_report_vec(&self.inner, bytes, &request)
            .map(|report| gridgov::json::report_json(&report))
            .map_err(err)
    }

    /// `scoreOutcomesArrowJson`'s report as an object; `request` as an object.
    ///
    /// # Errors
    /// As `scoreOutcomesArrowJson`.
    #[wasm_bindgen(js_name = scoreOutcomesArrow, unchecked_return_type = "MonthReport")]
    pub fn score_outcomes_arrow(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] outcomes: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "ScoreRequest")] request: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let request = JsValue::from(stringify(request, "request")?);
        self.score_outcomes_arrow_json(outcomes, &request)
            .map(|s| parse(&s))
    }

    /// `simulateCasesCsv`'s cases as an Arrow IPC stream, the table `routeArrow` reads.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for a month that does not exist or too many cases.
    #[wasm_bindgen(js_name = simulateCasesArrow)]
    pub fn simulate_cases_arrow(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] year: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] month: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] count: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] seed: &JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let args = sim_args(year, month, count, seed)?;
        gridgov::arrow::ipc::simulate_cases_ipc(&self.inner, &args).map_err(err)
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
        let args = sim_args(year, month, count, seed)?;
        Ok(gridgov::batch::cases_to_csv(&args.cases(&self.inner)))
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
        let args = sim_args(year, month, count, seed)?;
        Ok(JsLedger::of(args.month(&self.inner).ledger))
    }

    /// Whether unit `outer` contains unit `inner` (a unit contains itself).
    ///
    /// # Errors
    /// A JS `Error` with code `unknown_unit`.
    pub fn contains(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] outer: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] inner: &JsValue,
    ) -> Result<bool, JsValue> {
        let (outer, inner) = (text(outer, "outer")?, text(inner, "inner")?);
        self.inner.org().contains(&outer, &inner).map_err(err)
    }

    /// The id of the unit at `level` above (or at) `unit`; `undefined` when there is none.
    ///
    /// # Errors
    /// A JS `Error` with code `unknown_unit` or `unknown_level`.
    #[wasm_bindgen(js_name = unitAtLevel)]
    pub fn unit_at_level(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] unit: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] level: &JsValue,
    ) -> Result<Option<String>, JsValue> {
        let (unit, level) = (text(unit, "unit")?, text(level, "level")?);
        self.inner
            .org()
            .unit_id_at_level(&unit, &level)
            .map(|u| u.map(str::to_owned))
            .map_err(err)
    }

    /// Who holds the duty for `unit` at `level`; `null` when the post is vacant.
    ///
    /// # Errors
    /// A JS `Error` with code `unknown_unit` or `unknown_level`.
    #[wasm_bindgen(js_name = dutyHolder, unchecked_return_type = "Person | null")]
    pub fn duty_holder(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] unit: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] level: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let (unit, level) = (text(unit, "unit")?, text(level, "level")?);
        gridgov::json::duty_holder_json(self.inner.org(), &unit, &level)
            .map(|s| parse(&s))
            .map_err(err)
    }

    /// The organisation's name, counts per level and coverage report.
    #[must_use]
    #[wasm_bindgen(unchecked_return_type = "OrgSummary")]
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
    pub fn with_rules(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RuleSetSpec | string")] rules: &JsValue,
    ) -> Result<JsEngine, JsValue> {
        let rules = gridgov::RuleSet::from_json_str(&stringify(rules, "rules")?).map_err(err)?;
        self.inner.with_rules(rules).map(Self::of).map_err(err)
    }

    /// The authorized write: `actor` (JSON text `{"id", "role", "unit"?}`) records `event`
    /// (JSON text) in `ledger`; the receipt `{"outcome", "index", "hash"}` as the core's
    /// JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code`: an access code (`out_of_scope`, `forbidden`,
    /// `unknown_actor`, `actor_mismatch`, `system_only`…) when the actor may not write it,
    /// a ledger code when the ledger refuses it; nothing is appended.
    #[wasm_bindgen(js_name = recordJson)]
    pub fn record_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] actor: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] event: &JsValue,
    ) -> Result<String, JsValue> {
        let actor = text(actor, "actor")?;
        let event = text(event, "event")?;
        with_ledger_mut(ledger, |l| {
            gridgov::json::record_json(&self.inner, l, &actor, &event)
        })?
        .map_err(err)
    }

    /// The authorized write: `actor` (`{id, role, unit?}`) records `event` in `ledger`;
    /// the receipt. The write path for users; `Ledger.append` is for replaying a trusted
    /// log.
    ///
    /// # Errors
    /// As `recordJson`.
    #[wasm_bindgen(unchecked_return_type = "Receipt")]
    pub fn record(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "EventRecord")] event: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let actor = JsValue::from(stringify(actor, "actor")?);
        let event = JsValue::from(stringify(event, "event")?);
        self.record_json(ledger, &actor, &event).map(|s| parse(&s))
    }

    /// The authorized intake: `actor` (JSON text) reports `case` (JSON text); the report
    /// and its routing are appended together. The receipts as the core's JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code`: an access code, a case or routing code, a ledger code.
    #[wasm_bindgen(js_name = recordIntakeJson)]
    pub fn record_intake_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] actor: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] case: &JsValue,
    ) -> Result<String, JsValue> {
        let actor = text(actor, "actor")?;
        let case = text(case, "case")?;
        with_ledger_mut(ledger, |l| {
            gridgov::json::record_intake_json(&self.inner, l, &actor, &case)
        })?
        .map_err(err)
    }

    /// The authorized intake: `actor` (`{id, role, unit?}`) reports `caseData`; the
    /// receipts of the events appended.
    ///
    /// # Errors
    /// As `recordIntakeJson`.
    #[wasm_bindgen(js_name = recordIntake, unchecked_return_type = "Receipt[]")]
    pub fn record_intake(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "Case")] case_data: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let actor = JsValue::from(stringify(actor, "actor")?);
        let case = JsValue::from(stringify(case_data, "case")?);
        self.record_intake_json(ledger, &actor, &case)
            .map(|s| parse(&s))
    }

    /// `{"actor", "action", "case"}` (JSON text) → `{"allowed": bool}`, the core's bytes.
    ///
    /// # Errors
    /// A JS `Error` with a `code`.
    #[wasm_bindgen(js_name = canJson)]
    pub fn can_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] request: &JsValue,
    ) -> Result<String, JsValue> {
        let request = text(request, "request")?;
        with_ledger(ledger, |l| {
            gridgov::json::can_json(&self.inner, l, &request)
        })?
        .map_err(err)
    }

    /// Whether `actor` (`{id, role, unit?}`) may take `action` (`view`, `report`, `act`,
    /// `escalate`, `resolve`, `evaluate`, `export`, `rate`) on case `caseId` of `ledger`.
    ///
    /// # Errors
    /// A JS `Error` with a `code`: `unknown_role`, `actor_unit`, `unknown_case`, or
    /// `input` for an action that is not one of the eight.
    pub fn can(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] action: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] case_id: &JsValue,
    ) -> Result<bool, JsValue> {
        let actor: gridgov::access::Actor = stringify(actor, "actor")?.parse().map_err(err)?;
        let action = gridgov::input::name_arg("action", &text(action, "action")?).map_err(err)?;
        let case_id = text(case_id, "case_id")?;
        with_ledger(ledger, |l| self.inner.can_in(&actor, action, l, &case_id))?.map_err(err)
    }

    /// The ids of the cases `actor` (JSON text) may see, as the core's JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code`.
    #[wasm_bindgen(js_name = visibleCasesJson)]
    pub fn visible_cases_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] actor: &JsValue,
    ) -> Result<String, JsValue> {
        let actor = text(actor, "actor")?;
        with_ledger(ledger, |l| {
            gridgov::json::visible_cases_json(&self.inner, l, &actor)
        })?
        .map_err(err)
    }

    /// The ids of the cases `actor` may see, in the order they were reported.
    ///
    /// # Errors
    /// A JS `Error` with a `code` for an unknown role or unit.
    #[wasm_bindgen(js_name = visibleCases, unchecked_return_type = "string[]")]
    pub fn visible_cases(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let actor = JsValue::from(stringify(actor, "actor")?);
        self.visible_cases_json(ledger, &actor).map(|s| parse(&s))
    }

    /// `exportCases` with the actor as JSON text; the core's JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code`.
    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] actor: &JsValue,
    ) -> Result<String, JsValue> {
        let actor = text(actor, "actor")?;
        with_ledger(ledger, |l| {
            gridgov::json::export_json(&self.inner, l, &actor)
        })?
        .map_err(err)
    }

    /// The states of the cases `actor` may see, for export: the role must allow `export`;
    /// personal data are masked unless the role sees them.
    ///
    /// # Errors
    /// A JS `Error` with a `code` (`forbidden` when the role may not export).
    #[wasm_bindgen(unchecked_return_type = "CaseState[]", js_name = exportCases)]
    pub fn export_cases(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let actor = JsValue::from(stringify(actor, "actor")?);
        self.export_json(ledger, &actor).map(|s| parse(&s))
    }

    /// `timelineFor` with the actor as JSON text; the core's JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code`.
    #[wasm_bindgen(js_name = timelineForJson)]
    pub fn timeline_for_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] actor: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] case_id: &JsValue,
    ) -> Result<String, JsValue> {
        let actor = text(actor, "actor")?;
        let case_id = text(case_id, "case_id")?;
        with_ledger(ledger, |l| {
            gridgov::json::timeline_for_json(&self.inner, l, &actor, &case_id)
        })?
        .map_err(err)
    }

    /// A case's timeline as `actor` may see it (public unless the role sees personal data).
    ///
    /// # Errors
    /// A JS `Error` with a `code` (`out_of_scope` for a case beyond the actor's reach).
    #[wasm_bindgen(unchecked_return_type = "TimelineEntry[]", js_name = timelineFor)]
    pub fn timeline_for(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "Ledger")] ledger: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] case_id: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let actor = JsValue::from(stringify(actor, "actor")?);
        self.timeline_for_json(ledger, &actor, case_id)
            .map(|s| parse(&s))
    }
}

/// The arguments of a simulation, checked by the core.
fn sim_args(
    year: &JsValue,
    month: &JsValue,
    count: &JsValue,
    seed: &JsValue,
) -> Result<gridgov::sim::SimArgs, JsValue> {
    gridgov::sim::SimArgs::new(
        number(year, "year")?,
        number(month, "month")?,
        number(count, "count")?,
        number(seed, "seed")?,
    )
    .map_err(err)
}

/// The append-only case ledger. `new Ledger()` is empty; `new Ledger(json)` replays a
/// ledger document `{"format": 1, "events": [...]}`, checking every event.
#[wasm_bindgen(js_name = Ledger)]
#[derive(Debug)]
pub struct JsLedger {
    slot: u32,
}

impl JsLedger {
    fn of(ledger: gridgov::case::ledger::Ledger) -> Self {
        Self {
            slot: LEDGERS.with(|l| l.borrow_mut().insert(ledger)),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut gridgov::case::ledger::Ledger) -> R) -> Option<R> {
        LEDGERS.with(|l| l.borrow_mut().get_mut(self.slot).map(f))
    }
}

impl Drop for JsLedger {
    fn drop(&mut self) {
        LEDGERS.with(|l| l.borrow_mut().remove(self.slot));
    }
}

#[wasm_bindgen(js_class = Ledger)]
impl JsLedger {
    /// An empty ledger, or one replayed from a ledger document.
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming the first event refused.
    #[wasm_bindgen(constructor)]
    pub fn new(json: Option<OptText>) -> Result<JsLedger, JsValue> {
        let ledger = match opt_text(json.map(JsValue::from).as_ref(), "json")? {
            None => gridgov::case::ledger::Ledger::new(),
            Some(s) => gridgov::case::ledger::Ledger::from_json_str(&s).map_err(err)?,
        };
        Ok(Self::of(ledger))
    }

    /// The ledger's handle, for arguments that take a ledger (hidden).
    #[wasm_bindgen(getter = __gridgovLedger, skip_typescript)]
    #[must_use]
    pub fn ledger_handle(&self) -> u32 {
        self.slot
    }

    /// Appends one event (JSON text); throws and leaves the ledger unchanged when it does
    /// not fit the case's state.
    ///
    /// # Errors
    /// A JS `Error` with a `code`.
    #[wasm_bindgen(js_name = appendJson)]
    pub fn append_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] event: &JsValue,
    ) -> Result<String, JsValue> {
        let event = text(event, "event")?;
        self.with(|l| gridgov::json::ledger_append_json(l, &event))
            .ok_or_else(freed)?
            .map_err(err)
    }

    /// Appends one event (an object) without asking who writes it: for replaying a
    /// trusted log (users' writes go through `Engine.record`). Throws and leaves the
    /// ledger unchanged when it does not fit the case's state; the receipt.
    ///
    /// # Errors
    /// A JS `Error` with a `code`.
    #[wasm_bindgen(unchecked_return_type = "Receipt")]
    pub fn append(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventRecord")] event: &JsValue,
    ) -> Result<JsValue, JsValue> {
        self.append_json(&JsValue::from(stringify(event, "event")?))
            .map(|s| parse(&s))
    }

    /// Appends a JSON array of events, all or none; the receipts as JSON text.
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming the event refused.
    #[wasm_bindgen(js_name = appendAllJson)]
    pub fn append_all_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] events: &JsValue,
    ) -> Result<String, JsValue> {
        let events = text(events, "events")?;
        self.with(|l| gridgov::json::ledger_append_all_json(l, &events))
            .ok_or_else(freed)?
            .map_err(err)
    }

    /// Appends several events (an array), all or none, unchecked as `append`; the
    /// receipts.
    ///
    /// # Errors
    /// A JS `Error` with a `code` naming the event refused.
    #[wasm_bindgen(unchecked_return_type = "Receipt[]")]
    pub fn extend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventRecord[]")] events: &JsValue,
    ) -> Result<JsValue, JsValue> {
        self.append_all_json(&JsValue::from(stringify(events, "events")?))
            .map(|s| parse(&s))
    }

    /// Recomputes the hash chain: `{"events", "head"}` as the core's JSON text.
    ///
    /// # Errors
    /// A JS `Error` with code `ledger_tampered` naming the first record that does not fit.
    #[wasm_bindgen(js_name = verifyJson)]
    pub fn verify_json(&self) -> Result<String, JsValue> {
        self.with(|l| gridgov::json::ledger_verify_json(l))
            .ok_or_else(freed)?
            .map_err(err)
    }

    /// Recomputes the hash chain: `{events, head}`.
    ///
    /// # Errors
    /// As `verifyJson`.
    #[wasm_bindgen(unchecked_return_type = "{ events: number; head: string }")]
    pub fn verify(&self) -> Result<JsValue, JsValue> {
        self.verify_json().map(|s| parse(&s))
    }

    /// The chain hash of the last event (64 hex digits; zeros for an empty ledger).
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn head(&self) -> String {
        self.with(|l| gridgov::case::ledger::hex(&l.head()))
            .unwrap_or_default()
    }

    /// The folded state (a snapshot), as the core's JSON text.
    #[wasm_bindgen(js_name = stateJson)]
    #[must_use]
    pub fn state_json(&self) -> String {
        self.with(|l| gridgov::json::ledger_state_json(l))
            .unwrap_or_default()
    }

    /// The folded state of every case (a snapshot).
    #[must_use]
    #[wasm_bindgen(unchecked_return_type = "LedgerState")]
    pub fn state(&self) -> JsValue {
        parse(&self.state_json())
    }

    /// The ledger document, as the core's JSON text.
    #[wasm_bindgen(js_name = toJson)]
    #[must_use]
    pub fn to_json(&self) -> String {
        self.with(|l| l.to_json()).unwrap_or_default()
    }

    /// Number of events.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn length(&self) -> usize {
        self.with(|l| l.len()).unwrap_or(0)
    }

    /// A case's timeline as the people of `engine`'s organisation see it; `isPublic`
    /// masks personal data.
    ///
    /// # Errors
    /// A JS `Error` with a `code` when the ledger has no such case or `engine` is not an
    /// engine.
    #[wasm_bindgen(unchecked_return_type = "TimelineEntry[]")]
    pub fn timeline(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Engine")] engine: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] case: &JsValue,
        is_public: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        let slot = handle(engine, "engine", "a gridgov Engine", handles::ENGINE_KEY)?;
        let engine = ENGINES
            .with(|e| e.borrow().get(slot).cloned())
            .ok_or_else(|| wrong_type(engine, "engine", "a gridgov Engine that was not freed"))?;
        let case = text(case, "case")?;
        self.with(|l| gridgov::json::timeline_json(&engine, l, &case, is_public.unwrap_or(false)))
            .unwrap_or_else(|| Ok("[]".to_owned()))
            .map(|s| parse(&s))
            .map_err(err)
    }
}

/// Validates a rule set given as JSON text; returns `{"errors": [...], "warnings": [...]}`.
///
/// # Errors
/// A JS `Error` with code `input_type` when `rules` is not a string.
#[wasm_bindgen(js_name = validateRulesJson)]
pub fn validate_rules_json(
    #[wasm_bindgen(unchecked_param_type = "string")] rules: &JsValue,
) -> Result<String, JsValue> {
    Ok(gridgov::json::validate_rules_json(&text(rules, "rules")?))
}

/// Reads an Open311 GeoReport v2 document of another system (JSON text `{"text", "from",
/// "kind"?}`) and returns it in both formats, as the core's JSON text `{"kind", "xml",
/// "json"}`.
///
/// # Errors
/// A JS `Error` with a `code` for an input or a document that does not read.
#[wasm_bindgen(js_name = open311ConvertJson)]
pub fn open311_convert_json(
    #[wasm_bindgen(unchecked_param_type = "string")] document: &JsValue,
) -> Result<String, JsValue> {
    gridgov::json::open311_convert_json(&text(document, "document")?).map_err(err)
}

/// Validates a rule set (an object or JSON text): its errors and warnings.
///
/// # Errors
/// A JS `Error` when the argument cannot be written as JSON.
#[wasm_bindgen(js_name = validateRules, unchecked_return_type = "Validation")]
pub fn validate_rules(
    #[wasm_bindgen(unchecked_param_type = "RuleSetSpec | string")] rules: &JsValue,
) -> Result<JsValue, JsValue> {
    Ok(parse(&gridgov::json::validate_rules_json(&stringify(
        rules, "rules",
    )?)))
}

/// The name, counts and coverage report of an org spec, as the core's JSON text.
/// Without an argument, the embedded Fushan default.
///
/// # Errors
/// A JS `Error` with a `code` when the spec does not parse or is invalid.
#[wasm_bindgen(js_name = orgSummaryJson)]
pub fn org_summary_json(org: Option<OptText>) -> Result<String, JsValue> {
    match opt_text(org.map(JsValue::from).as_ref(), "org")? {
        None => Ok(gridgov::json::org_summary_json(&gridgov::OrgGraph::fushan())),
        Some(s) => gridgov::OrgGraph::from_json_str(&s)
            .map(|o| gridgov::json::org_summary_json(&o))
            .map_err(err),
    }
}
