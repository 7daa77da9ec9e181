//! Reports are never lost (群众诉求不丢失): a report whose place and category are known is
//! taken in even when other facts are missing or wrong (a required attribute left out, a
//! value not in its list, an unknown channel or risk flag, a negative amount). It is routed
//! on the safe side, to the most urgent decision the known facts allow, and flagged
//! incomplete with every problem listed, until an `amended` event completes it and the
//! engine routes it again. Only a report that cannot be tied to a place or a category is
//! refused, with every problem named.
//!
//! The safe side: each missing or wrong attribute whose values are a list (or true/false)
//! is tried at each of its values, an unknown channel at each declared channel; the
//! decision with the highest level wins, then the earliest deadline, then the first tried.
//! A value that cannot be listed (a number, text, a time) is left out, and a negative
//! amount is read as 0.

use serde::Serialize;

use crate::case::event::{Assignment, MissingFact};
use crate::case::{AttrValue, Case, CaseError, CaseProblem};
use crate::engine::Engine;
use crate::fixed::Fixed2;
use crate::id::{CaseId, Channel};
use crate::route::RouteError;
use crate::rules::Datatype;
use crate::time::Timestamp;

/// The most candidate fillings tried for one report.
pub const MAX_CANDIDATES: usize = 256;

/// A report taken in incomplete and not yet amended, listed in `actions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct IncompleteCase {
    /// The case.
    pub case: CaseId,
    /// What it lacks or gives wrongly.
    pub missing: Vec<MissingFact>,
    /// When it was reported.
    pub since: Timestamp,
}

/// Whether a problem leaves the report placeable: anything but its location and category.
fn takeable(p: &CaseProblem) -> bool {
    p.field.starts_with("attributes.")
        || matches!(p.field.as_str(), "risk_flags" | "channel" | "amount_yuan")
}

impl Engine {
    /// Routes a case into an assignment; when its place and category are known but other
    /// facts are missing or wrong, routes it on the safe side and lists the problems in the
    /// assignment's `incomplete` (see the [module](crate::incomplete)).
    ///
    /// ```
    /// let engine = gridgov::Engine::fushan();
    /// // A gas smell by hotline, with no hazard_type: taken in, not refused.
    /// let case = gridgov::case::Case::from_json_str(r#"{"id": "h1", "channel": "hotline",
    ///   "category": "safety_hazard", "location": "fs-c01-g01-m1",
    ///   "reported_at": "2026-03-06T18:30:00+08:00"}"#)?;
    /// let a = engine.route_or_take_in(&case)?;
    /// assert_eq!(a.extras.incomplete[0].field, "attributes.hazard_type");
    /// // The safe side: as if it were gas or fire, the community within 4 hours.
    /// assert_eq!(a.level.as_str(), "community");
    /// assert_eq!(a.due.to_string(), "2026-03-06T22:30:00+08:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`RouteError`] when the case cannot be placed (its location or category, every
    /// problem named) or no decision can be made.
    pub fn route_or_take_in(&self, case: &Case) -> Result<Assignment, RouteError> {
        match self.route(case) {
            Ok(d) => Ok(self.assignment(&d)),
            Err(RouteError::Case(CaseError::Invalid(problems)))
                if problems.iter().all(takeable) =>
            {
                self.safe_side(case, &problems)
            }
            Err(e) => Err(e),
        }
    }

    /// The most urgent decision over the fillings of what is missing or wrong.
    fn safe_side(&self, case: &Case, problems: &[CaseProblem]) -> Result<Assignment, RouteError> {
        let mut base = case.clone();
        let mut axes: Vec<Vec<Filling>> = Vec::new();
        let category = case.category.as_str();
        for p in problems {
            if let Some(code) = p.field.strip_prefix("attributes.") {
                base.attributes.remove(code);
                let spec = self
                    .rules
                    .spec()
                    .attributes
                    .iter()
                    .find(|a| a.code.as_str() == code && a.applies_to(category));
                let options: Vec<Filling> = match spec.map(|s| (s, s.datatype)) {
                    Some((s, Datatype::Singlevaluelist)) => s
                        .values
                        .iter()
                        .map(|v| Filling::Attr(code.to_owned(), AttrValue::Text(v.to_string())))
                        .collect(),
                    Some((s, Datatype::Multivaluelist)) => s
                        .values
                        .iter()
                        .map(|v| {
                            Filling::Attr(code.to_owned(), AttrValue::List(vec![v.to_string()]))
                        })
                        .collect(),
                    Some((_, Datatype::Boolean)) => [true, false]
                        .into_iter()
                        .map(|b| Filling::Attr(code.to_owned(), AttrValue::Bool(b)))
                        .collect(),
                    _ => Vec::new(),
                };
                if !options.is_empty() {
                    axes.push(options);
                }
            }
        }
        let known = self.rules.risk_flags();
        base.risk_flags
            .retain(|f| known.iter().any(|k| k == f.as_str()));
        if base.amount_yuan < Fixed2::ZERO {
            base.amount_yuan = Fixed2::ZERO;
        }
        if problems.iter().any(|p| p.field == "channel") {
            axes.push(
                self.rules
                    .channels()
                    .iter()
                    .filter_map(|c| Channel::new(c.as_str()).ok())
                    .map(Filling::Channel)
                    .collect(),
            );
        }
        let mut best: Option<Assignment> = None;
        let total = axes
            .iter()
            .map(Vec::len)
            .try_fold(1usize, usize::checked_mul)
            .unwrap_or(usize::MAX)
            .min(MAX_CANDIDATES);
        let mut last_error = None;
        for n in 0..total {
            let mut candidate = base.clone();
            let mut rest = n;
            for axis in &axes {
                let len = axis.len().max(1);
                if let Some(f) = axis.get(rest % len) {
                    f.apply(&mut candidate);
                }
                rest /= len;
            }
            let decided = self.prepare_with(&candidate, false).and_then(|p| {
                let v = self.evaluate(&p)?;
                let d = self.resolve(&p, v)?;
                Ok(self.assignment(&d))
            });
            match decided {
                Ok(a) => {
                    let better = best
                        .as_ref()
                        .is_none_or(|b| a.level > b.level || (a.level == b.level && a.due < b.due));
                    if better {
                        best = Some(a);
                    }
                }
                Err(e) => last_error = Some(e),
            }
        }
        let mut chosen = match (best, last_error) {
            (Some(a), _) => a,
            (None, Some(e)) => return Err(e),
            (None, None) => {
                return Err(RouteError::Case(CaseError::Invalid(problems.to_vec())));
            }
        };
        chosen.extras.incomplete = problems
            .iter()
            .map(|p| MissingFact {
                field: p.field.clone(),
                reason: p.reason.clone(),
            })
            .collect();
        Ok(chosen)
    }
}

/// One way to fill a missing or wrong fact.
#[derive(Clone, Debug)]
enum Filling {
    Attr(String, AttrValue),
    Channel(Channel),
}

impl Filling {
    fn apply(&self, case: &mut Case) {
        match self {
            Self::Attr(code, value) => {
                case.attributes.insert(code.clone(), value.clone());
            }
            Self::Channel(c) => case.channel = c.clone(),
        }
    }
}
