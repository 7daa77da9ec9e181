//! The stages of routing, exposed for benchmarks only (cargo feature `internals`). Not a
//! stable API: the figures of `cargo bench --bench route` for each stage come from here.

use crate::route::{Decision, RouteError};
pub use crate::route::{Prepared, Verdict};
use crate::{Case, Engine};

/// Checks a case and resolves its ids: the first stage of [`Engine::route`].
///
/// # Errors
/// As [`Engine::route`].
pub fn prepare<'a>(engine: &'a Engine, case: &'a Case) -> Result<Prepared<'a>, RouteError> {
    engine.prepare(case)
}

/// Evaluates the decision tables for a prepared case: the second stage.
///
/// # Errors
/// As [`Engine::route`].
pub fn evaluate(engine: &Engine, prepared: &Prepared<'_>) -> Result<Verdict, RouteError> {
    engine.evaluate(prepared)
}

/// Finds the unit, the first handler and the deadline: the third stage.
///
/// # Errors
/// As [`Engine::route`].
pub fn resolve<'a>(
    engine: &'a Engine,
    prepared: &Prepared<'a>,
    verdict: Verdict,
) -> Result<Decision<'a>, RouteError> {
    engine.resolve(prepared, verdict)
}

/// The first matching row of one table of the version in force, whatever its hit policy.
#[must_use]
pub fn table_first_match(engine: &Engine, prepared: &Prepared<'_>, table: usize) -> Option<usize> {
    engine.table_first_match(prepared, table)
}
