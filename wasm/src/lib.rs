//! WebAssembly bindings of gridgov. Every function converts arguments and results; the
//! core decides. JSON entry points return the core's bytes unchanged.
#![forbid(unsafe_code)]

use wasm_bindgen::prelude::*;

/// Turns a core error into a JS `Error` with a `code` property.
fn to_js(err: &gridgov::error::Error) -> JsValue {
    let e = js_sys::Error::new(&err.to_string());
    e.set_name("GridgovError");
    // Reflect::set only fails on frozen or non-object targets; a fresh Error is neither.
    let _ = js_sys::Reflect::set(&e, &"code".into(), &err.code().into());
    e.into()
}

/// The library version.
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    gridgov::VERSION.to_owned()
}

/// The name, counts and coverage report of an org spec, as the core's JSON bytes.
/// Without an argument, the embedded Fushan default.
///
/// # Errors
/// A JS `Error` with a `code` when the spec does not parse or is invalid.
#[wasm_bindgen(js_name = orgSummaryJson)]
pub fn org_summary_json(org_json: Option<String>) -> Result<String, JsValue> {
    match org_json {
        None => Ok(gridgov::json::org_summary_json(&gridgov::OrgGraph::fushan())),
        Some(s) => gridgov::json::org_summary_json_str(&s).map_err(|e| to_js(&e)),
    }
}
