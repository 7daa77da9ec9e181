//! What-if: the same cases routed on two engines (typically one organisation under two
//! rule sets), and which of them decide differently and how.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::case::Case;
use crate::engine::Engine;
use crate::error::Error;
use crate::org::Level;
use crate::time::Timestamp;

/// What one engine made of a case in a [`Backtest`]: the parts of a decision that matter
/// to who acts and by when, or the error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Outcome {
    /// The version in force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The decided level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// The unit at that level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The lead office.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    /// The first handler.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handler: Option<String>,
    /// The time limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_limit: Option<String>,
    /// The deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Timestamp>,
    /// The deciding row, `table/row`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The flags raised.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub flags: Vec<String>,
    /// The error code when the case could not be routed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
    /// The error message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Outcome {
    fn of(engine: &Engine, case: &Case) -> Self {
        match engine.route(case) {
            Ok(d) => Self {
                version: Some(d.version().to_owned()),
                level: Some(d.level()),
                unit: d.unit().map(|u| u.id.to_string()),
                office: d.office().map(|o| o.id.to_string()),
                handler: d.handler().map(|p| p.id.to_string()),
                time_limit: Some(d.time_limit().to_string()),
                due: Some(d.due()),
                rule: Some(format!("{}/{}", d.rule().table, d.rule().row)),
                flags: d.flags().into_iter().map(str::to_owned).collect(),
                error: None,
                message: None,
            },
            Err(e) => {
                let e = Error::from(e);
                Self::error(&e)
            }
        }
    }

    fn error(e: &Error) -> Self {
        Self {
            version: None,
            level: None,
            unit: None,
            office: None,
            handler: None,
            time_limit: None,
            due: None,
            rule: None,
            flags: Vec::new(),
            error: Some(e.code()),
            message: Some(e.to_string()),
        }
    }

    /// The fields that differ from `other`, in a fixed order.
    fn changed(&self, other: &Self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut check = |name, differs: bool| {
            if differs {
                out.push(name);
            }
        };
        check("error", self.error != other.error);
        check("level", self.level != other.level);
        check("unit", self.unit != other.unit);
        check("office", self.office != other.office);
        check("handler", self.handler != other.handler);
        check("time_limit", self.time_limit != other.time_limit);
        check("due", self.due != other.due);
        check("rule", self.rule != other.rule);
        check("flags", self.flags != other.flags);
        out
    }
}

/// One case that decides differently under the two engines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Difference {
    /// Position of the case in the input (0-based).
    pub row: usize,
    /// The case id (`?` when the row had none).
    pub case: String,
    /// What changed: `error`, `level`, `unit`, `office`, `handler`, `time_limit`, `due`,
    /// `rule`, `flags`.
    pub changed: Vec<&'static str>,
    /// Under the first engine.
    pub a: Outcome,
    /// Under the second engine.
    pub b: Outcome,
}

/// How many cases moved from one level to another (`routing_error` when a side could not
/// route the case).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Move {
    /// The level under the first engine.
    pub from: &'static str,
    /// The level under the second engine.
    pub to: &'static str,
    /// How many cases.
    pub cases: u64,
}

/// The result of a [`Backtest`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct BacktestReport {
    /// Cases compared.
    pub cases: u64,
    /// Cases decided the same way.
    pub same: u64,
    /// Cases decided differently.
    pub different: u64,
    /// Cases the first engine could not route.
    pub errors_a: u64,
    /// Cases the second engine could not route.
    pub errors_b: u64,
    /// Per changed field, how many cases.
    pub changed: BTreeMap<&'static str, u64>,
    /// Cases that changed level, by (from, to), largest first.
    pub moves: Vec<Move>,
    /// The differing cases, in input order (at most the limit given).
    pub differences: Vec<Difference>,
    /// Differing cases left out of `differences` by the limit.
    pub differences_left_out: u64,
}

impl BacktestReport {
    /// The report as the JSON the bindings return.
    #[must_use]
    pub fn to_json(&self) -> String {
        crate::text::to_json(self)
    }
}

/// How many differing cases a back-test report lists in full when the caller sets no
/// limit.
pub const BACKTEST_LIMIT: usize = 1000;

/// The largest limit a caller may set on the differing cases listed in full.
pub const MAX_BACKTEST_LIMIT: u64 = 4_294_967_295;

/// Routes cases on two engines and collects where they decide differently.
///
/// ```
/// use gridgov::batch::{Backtest, CaseFields};
/// let a = gridgov::Engine::fushan();
/// // The same rules: nothing differs.
/// let b = a.with_rules(gridgov::RuleSet::fushan())?;
/// let mut test = Backtest::new(&a, &b, 100);
/// let case = CaseFields::new("c1", "app", "property_crime", "fs-c05-g01-m1",
///                            "2026-03-02T09:00:00+08:00").to_case()?;
/// test.add(&case);
/// let report = test.finish();
/// assert_eq!((report.cases, report.same, report.different), (1, 1, 0));
/// # Ok::<(), gridgov::error::Error>(())
/// ```
#[derive(Debug)]
pub struct Backtest<'e> {
    a: &'e Engine,
    b: &'e Engine,
    limit: usize,
    moves: BTreeMap<(&'static str, &'static str), u64>,
    report: BacktestReport,
}

impl<'e> Backtest<'e> {
    /// Compares `a` with `b`, keeping at most `limit` differing cases in full.
    #[must_use]
    pub fn new(a: &'e Engine, b: &'e Engine, limit: usize) -> Self {
        Self {
            a,
            b,
            limit,
            moves: BTreeMap::new(),
            report: BacktestReport::default(),
        }
    }

    /// Routes one case on both engines.
    pub fn add(&mut self, case: &Case) {
        let a = Outcome::of(self.a, case);
        let b = Outcome::of(self.b, case);
        self.record(case.id.as_str(), a, b);
    }

    /// Counts a row that is not a case at all (both engines refuse it alike).
    pub fn add_unreadable(&mut self, case: &str, error: &Error) {
        let o = Outcome::error(error);
        self.record(case, o.clone(), o);
    }

    fn record(&mut self, case: &str, a: Outcome, b: Outcome) {
        let row = usize::try_from(self.report.cases).unwrap_or(usize::MAX);
        let r = &mut self.report;
        r.cases += 1;
        r.errors_a += u64::from(a.error.is_some());
        r.errors_b += u64::from(b.error.is_some());
        let changed = a.changed(&b);
        if changed.is_empty() {
            r.same += 1;
            return;
        }
        r.different += 1;
        for c in &changed {
            *r.changed.entry(c).or_default() += 1;
        }
        let level = |o: &Outcome| o.level.map_or("routing_error", Level::as_str);
        if changed.contains(&"level") {
            *self.moves.entry((level(&a), level(&b))).or_default() += 1;
        }
        if r.differences.len() < self.limit {
            r.differences.push(Difference {
                row,
                case: if case.is_empty() { "?" } else { case }.to_owned(),
                changed,
                a,
                b,
            });
        } else {
            r.differences_left_out += 1;
        }
    }

    /// The report.
    #[must_use]
    pub fn finish(mut self) -> BacktestReport {
        let mut moves: Vec<Move> = self
            .moves
            .into_iter()
            .map(|((from, to), cases)| Move { from, to, cases })
            .collect();
        moves.sort_by_key(|m| std::cmp::Reverse(m.cases));
        self.report.moves = moves;
        self.report
    }
}
