//! The lean per-call path: one case given as borrowed text and numbers ([`CaseText`], what
//! a JSON document or a Python dict holds) routed without reading it into a
//! [`CaseInput`](crate::case::CaseInput) first. Its ids, category, channel, location and
//! risk flags are looked up in the engine's tables as the text they are, the decision is
//! made from the facts, and the [`Case`] the decision carries is assembled afterwards from
//! the engine's own ids.
//!
//! The path takes the ordinary case: a location given as a unit (not a map point), every
//! field present and well-formed. Any other case, and any case with something to report,
//! is left to the full reader (`None`), whose decisions and messages are the reference:
//! the two agree on every case the lean path takes (tested in `lean_and_full_agree`).

use serde::Deserialize;

mod scan;

use crate::case::{Case, Reporter, long_texts};
use crate::engine::Engine;
use crate::fixed::Fixed2;
use crate::id::{CaseId, Name};
use crate::org::{Level, UnitKey, UnitKind, UnitRow};
use crate::route::{Decision, DecisionView, Outcome, Routed};
use crate::rules::facts::CaseFacts;
use crate::time::Timestamp;

/// A case as borrowed text and numbers: the fields of a case's JSON that the lean path
/// reads, with their JSON names and defaults. A document with any other field (a map
/// `point`) does not read as one and takes the full reader.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseText<'a> {
    /// `id`.
    #[serde(borrow)]
    pub id: &'a str,
    /// `channel`.
    #[serde(borrow)]
    pub channel: &'a str,
    /// `category`.
    #[serde(borrow)]
    pub category: &'a str,
    /// `location`: a micro-grid, or a building in one.
    #[serde(borrow)]
    pub location: &'a str,
    /// `people_involved` (default 1).
    #[serde(default = "one")]
    pub people_involved: u32,
    /// `amount_yuan` (default 0).
    #[serde(default)]
    pub amount_yuan: Fixed2,
    /// `repeat_count` (default 0).
    #[serde(default)]
    pub repeat_count: u32,
    /// `risk_flags` (default none).
    #[serde(default, borrow)]
    pub risk_flags: Vec<&'a str>,
    /// `reported_at`: RFC 3339 text.
    #[serde(borrow)]
    pub reported_at: &'a str,
    /// `summary`.
    #[serde(default, borrow)]
    pub summary: Option<&'a str>,
    /// `media_url`.
    #[serde(default, borrow)]
    pub media_url: Option<&'a str>,
    /// `reporter`: who reported it, kept with the case (routing does not read it). Boxed:
    /// most cases have none, and the case text is moved whole on every call.
    #[serde(default)]
    pub reporter: Option<Box<Reporter>>,
    /// `attributes`: the category's attributes (default none).
    #[serde(default)]
    pub attributes: crate::case::Attributes,
}

fn one() -> u32 {
    1
}

impl Default for CaseText<'_> {
    /// The values a document's absent fields take (`people_involved` 1, the rest zero or
    /// none), with the required fields empty: where a reader starts.
    fn default() -> Self {
        CaseText {
            id: "",
            channel: "",
            category: "",
            location: "",
            people_involved: one(),
            amount_yuan: Fixed2::ZERO,
            repeat_count: 0,
            risk_flags: Vec::new(),
            reported_at: "",
            summary: None,
            media_url: None,
            reporter: None,
            attributes: crate::case::Attributes::new(),
        }
    }
}

impl<'a> CaseText<'a> {
    /// The case of a JSON document, when it is one the lean path reads (borrowed: a
    /// string with an escape in it does not read, and takes the full reader).
    #[must_use]
    #[inline]
    pub fn from_json_str(json: &'a str) -> Option<Self> {
        // The flat document of an ordinary case is read by hand; any other by serde_json,
        // which reads the same case from every document both take.
        scan::case_text(json).or_else(|| serde_json::from_str(json).ok())
    }
}

/// A case routed by the lean path: the case and its decision, as indices.
#[derive(Clone, Debug)]
pub struct RoutedCase {
    case: Case,
    routed: Routed,
}

impl RoutedCase {
    /// The case.
    #[must_use]
    pub fn case(&self) -> &Case {
        &self.case
    }

    /// The decision, for `engine` (the engine that routed it).
    #[must_use]
    pub fn decision<'a>(&'a self, engine: &'a Engine) -> Decision<'a> {
        Decision::of(engine, &self.case, self.routed)
    }
}

/// What the lean path found for a case before any [`Case`] is built: the decision, and
/// the case's terms and facts as the engine's own.
struct Found {
    routed: Routed,
    /// The channel's and the category's positions in the rule set's vocabularies.
    terms: (usize, usize),
    location: UnitKey,
    reported: Timestamp,
}

impl Engine {
    /// Routes a case given as borrowed text when the lean path takes it (see the module
    /// documentation); `None` when it does not, for the caller to read the case in full
    /// ([`read_case`](Self::read_case) and [`route`](Self::route)), which decides the
    /// same or says what is wrong.
    #[must_use]
    pub fn route_text(&self, c: CaseText<'_>) -> Option<RoutedCase> {
        let found = self.find(&c)?;
        let (channel, category) = self.typed_terms(found.terms.0, found.terms.1)?;
        let risk_flags = c
            .risk_flags
            .iter()
            .map(|flag| Name::new(flag).ok())
            .collect::<Option<Vec<_>>>()?;
        let case = Case {
            id: CaseId::new(c.id).ok()?,
            channel,
            category,
            location: self.org.unit_by_key(found.location)?.id.clone(),
            point: None,
            media_url: c.media_url.map(arcstr::ArcStr::from),
            people_involved: c.people_involved,
            amount_yuan: c.amount_yuan,
            repeat_count: c.repeat_count,
            risk_flags: risk_flags.into(),
            attributes: c.attributes,
            reported_at: found.reported,
            reporter: c.reporter.map(|r| *r),
            summary: c.summary.map(arcstr::ArcStr::from),
        };
        Some(RoutedCase {
            case,
            routed: found.routed,
        })
    }

    /// [`route_text`](Self::route_text)'s decision as the view the JSON and the Python
    /// dict print, without a trace: made from the case's text and the engine's tables,
    /// with no [`Case`] built. `None` when the lean path does not take the case.
    ///
    /// A system that has a case's fields as text (a form, a message queue) routes it with
    /// nothing copied:
    ///
    /// ```
    /// use gridgov::lean::CaseText;
    ///
    /// let engine = gridgov::Engine::fushan();
    /// let case = CaseText {
    ///     id: "c-7",
    ///     channel: "hotline",
    ///     category: "neighbour_dispute",
    ///     location: "fs-c01-g02-m1",
    ///     reported_at: "2026-03-02T09:15:00+08:00",
    ///     ..CaseText::default()
    /// };
    /// let view = engine.route_text_view(&case).expect("an ordinary case");
    /// assert_eq!(view.case, "c-7");
    /// assert_eq!(view.unit, Some("fs-c01-g02"));
    /// // The same decision as the full path's, which is the reference.
    /// let full = gridgov::json::route_json(&engine, r#"{"id": "c-7", "channel": "hotline",
    ///   "category": "neighbour_dispute", "location": "fs-c01-g02-m1",
    ///   "reported_at": "2026-03-02T09:15:00+08:00"}"#)?;
    /// assert_eq!(view.to_json(), full);
    /// // A case the lean path leaves (an unknown location) is read in full, which says why.
    /// let lost = CaseText { location: "nowhere", ..case };
    /// assert!(engine.route_text_view(&lost).is_none());
    /// # Ok::<(), gridgov::error::Error>(())
    /// ```
    #[must_use]
    pub fn route_text_view<'a>(&'a self, c: &CaseText<'a>) -> Option<DecisionView<'a>> {
        let found = self.find(c)?;
        // The case's category is the text given: it matched the rule set's name exactly.
        Some(Outcome::of(self, found.routed).view_of(c.id, c.category))
    }

    /// [`route_text`](Self::route_text)'s decision as the JSON the entry points return
    /// for the case (`json::route_json`; with its trace when `explain` is true); `None`
    /// when the lean path does not take the case. Without the trace, the decision is
    /// printed from the case's text and the engine's tables, with no [`Case`] built.
    #[must_use]
    pub fn route_text_json(&self, c: &CaseText<'_>, explain: bool) -> Option<String> {
        if explain {
            return self
                .route_text(c.clone())
                .map(|r| r.decision(self).to_json_with(true));
        }
        self.route_text_view(c).map(|view| view.to_json())
    }

    /// The lean path's checks and decision for `c`: `None` for a case it leaves to the
    /// full reader.
    fn find(&self, c: &CaseText<'_>) -> Option<Found> {
        let rules = &self.rules;
        if !CaseId::is_valid(c.id) {
            return None;
        }
        let channel = rules.channel_index(c.channel)?;
        let category = rules.category_index(c.category)?;
        let mut fits = true;
        if rules.attributes_to_check(category, &c.attributes) {
            rules.attribute_problems(c.category, &c.attributes, true, &mut |_, _| fits = false);
        }
        if !fits || c.amount_yuan < Fixed2::ZERO {
            return None;
        }
        let (location, units, community) = place(self, c.location)?;
        let reported = c.reported_at.parse::<Timestamp>().ok()?;
        let mut risk = 0u64;
        for flag in &c.risk_flags {
            risk |= risk_bit(self, flag)?;
        }
        if long_texts(c.summary, c.media_url, c.reporter.as_deref())
            .next()
            .is_some()
        {
            return None;
        }
        let version = rules.version_index_on(self.calendar.date_of(reported))?;
        let facts = self.facts(
            CaseFacts {
                people_involved: c.people_involved,
                amount_fen: c.amount_yuan.hundredths(),
                repeat_count: c.repeat_count,
                attributes: &c.attributes,
            },
            (category, channel),
            community,
            risk,
            version,
        );
        let verdict = self.evaluate_facts(&facts, version, c.id).ok()?;
        let routed = self.resolve_at((location, units), reported, verdict).ok()?;
        if !self.has_typed_terms(channel, category) {
            return None;
        }
        Some(Found {
            routed,
            terms: (channel, category),
            location,
            reported,
        })
    }
}

/// A location as a case's: a micro-grid, or a building inside one (what
/// `Engine::check_location` accepts), with the units over it and its community's id.
pub(crate) fn place<'e>(engine: &'e Engine, id: &str) -> Option<(UnitKey, UnitRow, &'e str)> {
    let org = &engine.org;
    let key = org.key(id)?;
    match org.kind_of(key)? {
        UnitKind::MicroGrid => {}
        UnitKind::Building if org.unit_at_level_key(key, Level::MicroGrid).is_some() => {}
        _ => return None,
    }
    Some((key, org.unit_row(key), engine.community_of(key)))
}

/// The bit of risk flag `flag` in the rule set's risk flags, when it is a valid name and
/// one of them.
pub(crate) fn risk_bit(engine: &Engine, flag: &str) -> Option<u64> {
    if !Name::is_valid(flag) {
        return None;
    }
    let i = engine
        .rules
        .vocab
        .risk_flags
        .iter()
        .position(|r| r == flag)?;
    1u64.checked_shl(u32::try_from(i).ok()?)
}

#[cfg(test)]
mod tests {
    use super::CaseText;
    use crate::Engine;
    use crate::json::route_json_full;

    /// The lean path's decision on `doc`, when it takes it, is the full reader's, byte for
    /// byte, with and without the trace; `true` when it took it.
    fn check(engine: &Engine, doc: &str) -> bool {
        let Some(routed) = CaseText::from_json_str(doc).and_then(|c| engine.route_text(c)) else {
            return false;
        };
        for explain in [false, true] {
            let full = route_json_full(engine, doc, explain)
                .unwrap_or_else(|e| panic!("the lean path took {doc}, which fails in full: {e}"));
            assert_eq!(routed.decision(engine).to_json_with(explain), full, "{doc}");
            let printed = CaseText::from_json_str(doc)
                .and_then(|c| engine.route_text_json(&c, explain))
                .unwrap_or_else(|| panic!("route_text took {doc}; route_text_json did not"));
            assert_eq!(printed, full, "{doc}");
        }
        true
    }

    #[test]
    fn a_month_of_ordinary_cases_takes_the_lean_path() {
        let engine = Engine::fushan();
        let cases = crate::sim::month_cases(&engine, 2026, 3, 3_000, 23);
        let mut taken = 0;
        for case in &cases {
            let doc = serde_json::to_string(case).unwrap();
            let lean = check(&engine, &doc);
            // Every simulated case is ordinary.
            assert!(lean, "{doc}");
            taken += usize::from(lean);
        }
        assert_eq!(taken, cases.len());
    }

    fn field(name: &str, pool: &[&str], pick: usize) -> Option<String> {
        // The last pick leaves the field out.
        pool.get(pick % (pool.len() + 1))
            .map(|v| format!("\"{name}\": {v}"))
    }

    /// Documents of valid and invalid fields in every mix (seeded, mostly valid fields so
    /// that many are ordinary): what the lean path takes, it decides as the full reader
    /// does.
    #[test]
    fn lean_and_full_agree() {
        let engine = Engine::fushan();
        let mut rng = crate::rng::SplitMix64::new(29);
        let mut taken = 0;
        for _ in 0..3_000 {
            let mut pick = || {
                if rng.chance(3) {
                    rng.below(12) as usize
                } else {
                    rng.below(2) as usize
                }
            };
            let fields = [
                field(
                    "id",
                    &[
                        r#""c-1""#,
                        r#""c.2/x""#,
                        r#""bad id""#,
                        r#""""#,
                        "7",
                        r#""c\u002d3""#,
                    ],
                    pick(),
                ),
                field(
                    "channel",
                    &[r#""hotline""#, r#""app""#, r#""fax""#, "null"],
                    pick(),
                ),
                field(
                    "category",
                    &[
                        r#""neighbour_dispute""#,
                        r#""property_crime""#,
                        r#""safety_hazard""#,
                        r#""nothing""#,
                    ],
                    pick(),
                ),
                field(
                    "location",
                    &[
                        r#""fs-c01-g02-m1""#,
                        r#""fs-c05-g01-m1""#,
                        r#""fs-c01-g02""#,
                        r#""nowhere""#,
                        "null",
                    ],
                    pick(),
                ),
                field(
                    "people_involved",
                    &["2", "0", "60", "-1", "1.5", r#""3""#],
                    pick(),
                ),
                field(
                    "amount_yuan",
                    &["0", "1500.5", r#""250000""#, "-1", "0.001", r#""abc""#],
                    pick(),
                ),
                field("repeat_count", &["0", "3", "-2"], pick()),
                field(
                    "risk_flags",
                    &[
                        "[]",
                        r#"["no_such_flag"]"#,
                        r#"["bad flag"]"#,
                        "null",
                        r#"["x","y"]"#,
                    ],
                    pick(),
                ),
                field(
                    "reported_at",
                    &[
                        r#""2026-03-02T09:15:00+08:00""#,
                        r#""2026-10-01T10:00:00+08:00""#,
                        r#""2026-03-02 09:15+08:00""#,
                        r#""2001-01-01T00:00:00+08:00""#,
                        r#""2099-12-31T23:00:00+08:00""#,
                        r#""yesterday""#,
                    ],
                    pick(),
                ),
                field(
                    "summary",
                    &[
                        r#""漏水""#,
                        "null",
                        &format!("\"{}\"", "x".repeat(4001)),
                        &format!("\"{}\"", "汉".repeat(1500)),
                    ],
                    pick(),
                ),
                field(
                    "attributes",
                    &[
                        "{}",
                        r#"{"hazard_type": "fire"}"#,
                        r#"{"hazard_type": "no_such"}"#,
                        r#"{"first_noticed": "2026-03-01T08:00:00+08:00"}"#,
                        r#"{"workers_unpaid": 12}"#,
                        r#"{"nope": true}"#,
                        "null",
                    ],
                    pick(),
                ),
                field(
                    "media_url",
                    &[r#""https://example.org/a.jpg""#, "null"],
                    pick(),
                ),
                field(
                    "reporter",
                    &[
                        r#"{"name": "居民", "phone": "138"}"#,
                        "null",
                        &format!("{{\"name\": \"{}\"}}", "x".repeat(201)),
                        r#"{"nick": "x"}"#,
                    ],
                    pick(),
                ),
                field("point", &[r#"{"lon": 1, "lat": 2}"#], 1 + pick() % 7),
            ];
            let doc = format!(
                "{{{}}}",
                fields
                    .iter()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            taken += usize::from(check(&engine, &doc));
        }
        assert!(taken > 300, "{taken}");
    }
}
