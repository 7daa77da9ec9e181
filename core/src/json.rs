//! JSON entry points: the exact bytes that the Python and JS bindings return unchanged.
//!
//! Each function takes JSON text and returns JSON text (compact, keys in a fixed order),
//! or a typed [`Error`]. The shared vectors under `tests/vectors/` pin these outputs, and
//! the Rust, Python and JS test suites compare them byte for byte.

use serde::Serialize;

use crate::error::Error;
use crate::org::OrgGraph;

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
