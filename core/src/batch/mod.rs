//! Batch paths: cases from columns, decisions as rows, tables as CSV, and what-if
//! comparisons of two rule sets.
//!
//! A column store (an Arrow table in Python, a CSV export) holds a case as a row of plain
//! values. [`CaseFields`] is that row, borrowed; [`CaseFields::to_case`] checks each value
//! and builds the [`Case`](crate::case::Case) the engine routes, naming the column of every
//! problem. Every decision leaves as a [`DecisionRow`] of the columns in
//! [`DECISION_COLUMNS`], whatever the table format.
//!
//! [`Backtest`] routes the same cases on two engines (typically the same organisation
//! and calendar under two rule sets) and reports which cases decide differently and how:
//! the answer to "what if we changed this threshold".

mod backtest;
mod csv;
mod decision;
mod fields;

pub use crate::id::IdCache;
pub use backtest::{
    BACKTEST_LIMIT, Backtest, BacktestReport, Difference, MAX_BACKTEST_LIMIT, Move, Outcome,
};
pub use csv::{cases_to_csv, outcomes_csv, route_csv};
pub use decision::{DECISION_COLUMNS, DecisionRow, LIST_SEPARATOR};
pub use fields::{CASE_COLUMNS, CaseFields, REQUIRED_CASE_COLUMNS, Reported, missing_case_column};
