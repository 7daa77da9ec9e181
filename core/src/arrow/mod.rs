//! The columnar adapter (cargo feature `arrow`): tables of cases and outcomes in Arrow
//! (pyarrow, pandas, polars and other engines hand theirs over through the Arrow C data
//! interface), routed and scored by the core, and the results as Arrow tables. Bindings
//! move the tables in and out; every column set, row shape and check is here.

mod cases;
mod cols;
#[cfg(feature = "ipc")]
pub mod ipc;
mod locate;
mod partial;
mod route;
mod route_in;
mod route_out;
#[cfg(test)]
mod route_tests;
mod score;
#[cfg(test)]
mod score_tests;

pub use cases::{cases_schema, cases_table};
pub use locate::{LOCATE_COLUMNS, locate_batches, locate_schema};
pub use partial::{
    PARTIAL_COLUMNS, merge_partials, partial_from_batches, partial_schema, partial_table,
    score_finish, score_finish_report, score_partial,
};
pub use route::{
    MAX_THREADS, backtest_batches, default_threads, require_case_columns, route_batches,
    route_schema, threads_arg,
};
pub use score::{
    UnitLevel, compile_outcome_batches, outcome_rows, report_units, require_outcome_columns,
    score_outcomes, score_outcomes_report, units_table,
};

use crate::macros::named_enum;
use serde::{Deserialize, Serialize};

named_enum! {
    /// What a batch does with a row that cannot be routed.
    ErrorMode, "error mode" {
        /// Stop at the first such row (in table order), naming it: the default.
        Raise = "raise",
        /// Fill its `error_code` and `error` columns and go on.
        Column = "column",
    }
}
