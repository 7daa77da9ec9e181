//! A routing decision as one row of a table: the columns every batch result has, in CSV
//! and in Arrow alike.

use crate::calendar::TimeLimit;
use crate::route::Decision;
use crate::time::Timestamp;

/// The columns of a table of decisions (the CSV of [`route_csv`](super::route_csv) and the
/// Arrow table of the Python batch path), one row per case in input order. A row that
/// could not be routed has only `case`, `error_code` and `error`.
pub const DECISION_COLUMNS: [&str; 17] = [
    "case",
    "version",
    "grade",
    "level",
    "unit",
    "unit_name",
    "office",
    "co_offices",
    "handler",
    "handler_role",
    "time_limit",
    "due",
    "flags",
    "rule_table",
    "rule_row",
    "error_code",
    "error",
];

/// The separator of lists (`co_offices`, `flags`) in one CSV cell.
pub const LIST_SEPARATOR: &str = ";";

/// One decision as the row of [`DECISION_COLUMNS`] (without the error columns), borrowed
/// from the engine and the case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionRow<'a> {
    /// The case id.
    pub case: &'a str,
    /// The rule-set version that decided.
    pub version: &'a str,
    /// The grade.
    pub grade: Option<&'a str>,
    /// The level, as its name.
    pub level: &'static str,
    /// The unit at that level.
    pub unit: Option<&'a str>,
    /// Its name.
    pub unit_name: Option<&'a str>,
    /// The lead office.
    pub office: Option<&'a str>,
    /// The offices deciding with it.
    pub co_offices: Vec<&'a str>,
    /// The first handler.
    pub handler: Option<&'a str>,
    /// The first handler's role (as the JSON decision gives it).
    pub handler_role: Option<&'static str>,
    /// The time limit.
    pub time_limit: TimeLimit,
    /// The deadline.
    pub due: Timestamp,
    /// The flags raised.
    pub flags: Vec<&'a str>,
    /// The deciding row's table.
    pub rule_table: &'a str,
    /// The deciding row.
    pub rule_row: &'a str,
}

impl<'a> From<&Decision<'a>> for DecisionRow<'a> {
    fn from(d: &Decision<'a>) -> Self {
        let rule = d.rule();
        Self {
            case: d.case().id.as_str(),
            version: d.version(),
            grade: d.grade(),
            level: d.level().as_str(),
            unit: d.unit().map(|u| u.id.as_str()),
            unit_name: d.unit().map(|u| u.name.as_str()),
            office: d.office().map(|o| o.id.as_str()),
            co_offices: d.co_offices().into_iter().map(|o| o.id.as_str()).collect(),
            handler: d.handler().map(|p| p.id.as_str()),
            handler_role: d.handler().map(|p| p.role.as_str()),
            time_limit: d.time_limit(),
            due: d.due(),
            flags: d.flags(),
            rule_table: rule.table,
            rule_row: rule.row,
        }
    }
}
