//! The month's report: the counts, indicators and points of each unit, the lists, the
//! rewards, the common demands and the talent pool, as the JSON entry points give them.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::Month;
use super::outcome::{is_false, is_zero};
use super::scheme::{IndicatorValues, Rate, fixed, rounded};
use crate::fixed::Fixed2;
use crate::id::{Category, PersonId, UnitId};
use crate::ratio::Ratio;
use crate::rules::scoring::{Counter, Indicator, RewardMethod};
use crate::time::Timestamp;

macro_rules! counts {
    ($( $(#[$doc:meta])* $field:ident ),+ $(,)?) => {
        /// The facts counted for a grid, a grid worker, a community or the subdistrict in a
        /// month. A case counts in the month it was reported in (`reports` to `shelved`),
        /// the month it was resolved in (`resolved` to `satisfaction_sum`) and the month it
        /// fell due in (`due` to `on_time`).
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
        #[cfg_attr(feature = "ts", derive(tsify::Tsify))]
        pub struct Counts {
            $( $(#[$doc])* pub $field: u32, )+
        }

        impl Counts {
            /// The names of the counts, in the order of [`Counts::values`].
            pub const FIELDS: &'static [&'static str] = &[$( stringify!($field) ),+];

            /// Adds another unit's counts.
            pub fn add(&mut self, o: &Counts) {
                $( self.$field = self.$field.saturating_add(o.$field); )+
            }

            /// The counts in the order of [`Counts::FIELDS`].
            #[must_use]
            pub fn values(&self) -> Vec<u32> {
                vec![$( self.$field ),+]
            }

            /// The count named `name` (one of [`Counts::FIELDS`]), for writing.
            pub fn field_mut(&mut self, name: &str) -> Option<&mut u32> {
                match name {
                    $( stringify!($field) => Some(&mut self.$field), )+
                    _ => None,
                }
            }
        }
    };
}

counts! {
    /// Reports, repeat reports included.
    reports,
    /// Handled cases reported: reports that are not repeats.
    cases,
    /// Repeat reports (joined to an earlier case).
    repeats,
    /// Of `cases`, those resolved by the month's end.
    closed,
    /// Of `cases`, those taken in with a known time.
    accepted,
    /// Of `accepted`, those taken in within the acceptance limit.
    accepted_timely,
    /// Of `cases`, those sent back as misrouted at least once.
    returned_cases,
    /// Times `cases` were sent back.
    returned,
    /// Times `cases` were reopened.
    reopened,
    /// Times `cases` climbed a level.
    escalated,
    /// Of `cases`, those shelved as unresolved.
    shelved,
    /// Cases resolved in the month.
    resolved,
    /// Of `resolved`, those resolved at micro-grid or grid level.
    in_grid,
    /// Of `resolved`, those the resident evaluated.
    evaluations,
    /// Of `evaluations`, those at or above the satisfied level.
    satisfied,
    /// The evaluations added up (for the mean).
    satisfaction_sum,
    /// Cases due in the month, paused ones left out.
    due,
    /// Cases due in the month but paused (缓办), left out of `due`.
    paused,
    /// Of `due`, those resolved by their deadline.
    on_time,
    /// Households visited in the month.
    visited_households,
    /// Households in the unit.
    households,
    /// Inspections failed in the month.
    failed_inspections,
    /// Of `cases`, those that followed the petition procedure (信访).
    petitions,
    /// Of `petitions`, those accepted within the procedure's acceptance limit.
    petitions_accepted_timely,
    /// Supervision orders (督办) on `cases`.
    supervisions,
    /// Of `supervisions`, those answered within their limit.
    supervisions_on_time,
    /// Verifications (核查) of the resolutions of `cases`.
    verifications,
    /// Of `verifications`, those that passed.
    verifications_passed,
    /// Of `resolved`, those whose reporter was called back (回访) within the limit.
    called_back,
    /// Grid meetings held (网格例会).
    meetings,
    /// Of `meetings`, those every required capacity attended (the liaison committee
    /// member and a deputy by default).
    meetings_attended,
    /// Register entries (矛盾纠纷排查台账) closed in the month: resolved or sent up.
    register_closed,
    /// Of `register_closed`, those resolved in the grid.
    register_resolved,
}

impl Counts {
    /// Cases due in the month and not resolved by their deadline.
    #[must_use]
    pub fn overdue(&self) -> u32 {
        self.due.saturating_sub(self.on_time)
    }

    /// The count a penalty item reads.
    #[must_use]
    pub fn counter(&self, c: Counter) -> u32 {
        match c {
            Counter::Reopened => self.reopened,
            Counter::Returned => self.returned,
            Counter::Overdue => self.overdue(),
            Counter::Shelved => self.shelved,
            Counter::Escalated => self.escalated,
            Counter::Repeats => self.repeats,
            Counter::FailedInspections => self.failed_inspections,
        }
    }

    /// The indicators these counts give.
    #[must_use]
    pub fn indicators(&self) -> Indicators {
        let r = |a: u32, b: u32| Rate::of(u64::from(a), u64::from(b));
        Indicators([
            r(self.on_time, self.due),
            r(self.closed, self.cases),
            r(self.in_grid, self.resolved),
            r(self.satisfied, self.evaluations),
            r(self.satisfaction_sum, self.evaluations),
            r(
                self.visited_households.min(self.households),
                self.households,
            ),
            r(self.repeats, self.reports),
            r(self.returned_cases, self.cases),
            r(self.accepted_timely, self.accepted),
            r(self.petitions_accepted_timely, self.petitions),
            r(self.supervisions_on_time, self.supervisions),
            r(self.verifications_passed, self.verifications),
            r(self.called_back, self.resolved),
            r(self.meetings_attended, self.meetings),
            r(self.register_resolved, self.register_closed),
        ])
    }

    /// Whether the unit did nothing this month by the thresholds given.
    pub(super) fn inactive(&self, min_cases: u32, min_visits: u32) -> bool {
        self.reports < min_cases && self.visited_households < min_visits
    }
}

/// The indicators of a unit in a month, each a [`Rate`] to four places, or `None` when
/// there was nothing to measure (no case due, no evaluation…). In JSON, an object from
/// indicator name to `"0.9524"` or `null`, in the order of [`Indicator::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Indicators(pub(super) IndicatorValues);

impl Indicators {
    /// One indicator.
    #[must_use]
    pub fn get(&self, i: Indicator) -> Option<Rate> {
        self.0.get(i as usize).copied().flatten()
    }
}

impl Serialize for Indicators {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(Indicator::ALL.len()))?;
        for i in Indicator::ALL {
            m.serialize_entry(i.as_str(), &self.get(*i))?;
        }
        m.end()
    }
}

/// Points: an exact value printed with the scheme's places (half away from zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Points {
    value: i128,
    den: i128,
    places: u32,
}

impl Points {
    pub(super) fn new(value: i128, den: i128, places: u32) -> Self {
        Self { value, den, places }
    }

    /// The exact value.
    #[must_use]
    pub fn ratio(&self) -> Ratio {
        Ratio::new(self.value, self.den)
    }

    /// The number of decimal places it prints with.
    #[must_use]
    pub const fn places(&self) -> u32 {
        self.places
    }

    /// The value rounded to the places it prints with, as a whole number of `10^-places`.
    #[must_use]
    pub fn rounded(&self) -> i128 {
        rounded(self.value, self.den, self.places)
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fixed(self.value, self.den, self.places))
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl PartialOrd for Points {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Points {
    fn cmp(&self, o: &Self) -> Ordering {
        self.ratio().cmp(&o.ratio())
    }
}

/// A scored grid, grid worker, community or the subdistrict as a whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct UnitScore {
    /// The unit id (for a grid worker, the person id).
    pub id: Arc<str>,
    /// Its name.
    pub name: Arc<str>,
    /// The community a grid is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub community: Option<UnitId>,
    /// A grid's grid worker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker: Option<PersonId>,
    /// The grids a worker or a community covers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub grids: Vec<UnitId>,
    /// Position in the ranking, from 1; 0 when not ranked: the unit is not evaluable or
    /// inactive this month, or it is the subdistrict as a whole.
    pub rank: usize,
    /// Position last month, when last month was ranked.
    pub previous_rank: Option<usize>,
    /// Places climbed since last month (negative: fell).
    pub change: Option<i64>,
    /// Whether the unit could be scored this month: `false` when an item whose indicator
    /// had no data makes it not evaluable (see [`Missing`](crate::score::Missing)), or none
    /// of its indicator items could be measured.
    pub evaluable: bool,
    /// The score; `None` (JSON `null`) when not evaluable. Items left out for want of data
    /// give their weight to the items measured: the score is their points scaled up to the
    /// scheme's indicator points, plus the penalties.
    pub score: Option<Points>,
    /// The points of each item of the scheme, in its order, as earned before any scaling;
    /// `None` for an item without data that earns nothing (left out, or not evaluable).
    pub items: Vec<Option<Points>>,
    /// The indicators.
    pub indicators: Indicators,
    /// The counts they come from.
    pub counts: Counts,
    /// Inactive this month: not ranked, on no list, and given no reward.
    #[serde(skip_serializing_if = "is_false")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub inactive: bool,
    /// Months in a row on the red list, this one included.
    #[serde(skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub red_streak: u32,
    /// Months in a row on the black list, this one included.
    #[serde(skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub black_streak: u32,
}

/// A ranked grid in short: its rank, id and score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Placing {
    /// Its rank, from 1.
    pub rank: usize,
    /// The grid.
    pub grid: Arc<str>,
    /// Its score.
    pub score: Points,
}

/// The grid ranked first, and for how many months in a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FirstPlace {
    /// The grid.
    pub grid: UnitId,
    /// Months in a row ranked first, this one included.
    pub months: u32,
}

/// An inactive grid (不活跃网格); a zombie grid (僵尸网格) when inactive long enough.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct InactiveGrid {
    /// The grid.
    pub grid: UnitId,
    /// Its name.
    pub name: Arc<str>,
    /// Its grid worker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker: Option<PersonId>,
    /// Months in a row inactive, this one included (counting back through months with
    /// data).
    pub months: u32,
    /// Inactive for `zombie_after` months or more.
    pub zombie: bool,
}

/// A common demand (共性诉求): one category reported again and again in an area. In JSON
/// also `recommendation` (what to do) and `cases` (the supporting case ids, oldest first).
#[derive(Clone, Debug)]
pub struct Demand {
    /// The compound or community.
    pub area: UnitId,
    /// Its name.
    pub area_name: Arc<str>,
    /// The category.
    pub category: Category,
    /// Reports in the window.
    pub reports: u32,
    /// The window's first moment.
    pub from: Timestamp,
    /// The first moment after the window (the month's end).
    pub to: Timestamp,
    /// The window's length.
    pub window: crate::calendar::TimeLimit,
    /// Positions in the table of the supporting cases, oldest first.
    pub(super) rows: Vec<u32>,
    /// The table's case ids (shared).
    pub(super) ids: Arc<super::CaseIds>,
}

impl Demand {
    /// The supporting cases, oldest first.
    pub fn cases(&self) -> impl Iterator<Item = &str> + '_ {
        self.rows.iter().filter_map(|i| self.ids.get(*i as usize))
    }

    /// What to do, in a sentence.
    #[must_use]
    pub fn recommendation(&self) -> String {
        format!(
            "{} reports of `{}` in {} ({}) within {}: set up a long-term mechanism (建立长效机制) for it",
            self.reports, self.category, self.area_name, self.area, self.window
        )
    }
}

impl PartialEq for Demand {
    fn eq(&self, o: &Self) -> bool {
        self.area == o.area
            && self.area_name == o.area_name
            && self.category == o.category
            && self.reports == o.reports
            && self.from == o.from
            && self.to == o.to
            && self.window == o.window
            && self.cases().eq(o.cases())
    }
}

impl Eq for Demand {}

/// A common demand as its JSON gives it: the demand with its recommendation and cases.
#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
struct DemandView<'a> {
    area: &'a UnitId,
    area_name: &'a str,
    category: &'a Category,
    reports: u32,
    from: Timestamp,
    to: Timestamp,
    recommendation: String,
    cases: Vec<&'a str>,
}

impl Serialize for Demand {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        DemandView {
            area: &self.area,
            area_name: &self.area_name,
            category: &self.category,
            reports: self.reports,
            from: self.from,
            to: self.to,
            recommendation: self.recommendation(),
            cases: self.cases().collect(),
        }
        .serialize(s)
    }
}

/// One grid's reward.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Allocation {
    /// The grid.
    pub grid: UnitId,
    /// Its rank.
    pub rank: usize,
    /// Its weight: the printed score (share method) or its tier's weight (4 places).
    pub weight: Points,
    /// The reward in fen.
    pub fen: u64,
    /// The reward in yuan, two places.
    pub yuan: Fixed2,
}

/// A reward budget split among the grids (奖补).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Rewards {
    /// The budget in fen.
    pub budget_fen: u64,
    /// How it was split.
    pub method: RewardMethod,
    /// The floor each eligible grid got first.
    pub floor_fen: u64,
    /// What was given out: the budget, or 0 when no grid was eligible.
    pub allocated_fen: u64,
    /// Per eligible grid, in rank order.
    pub allocations: Vec<Allocation>,
}

/// A grid worker for the talent pool (后备人才库).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Talent {
    /// The worker.
    pub worker: PersonId,
    /// Their name.
    pub name: Arc<str>,
    /// The months they were in the top, oldest first.
    pub months: Vec<Month>,
    /// Their rank this month.
    pub rank: Option<usize>,
}

/// A month's evaluation (月度评比) of a subdistrict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct MonthReport {
    /// The month.
    pub month: Month,
    /// The rule-set version whose scoring was applied.
    pub version: String,
    /// The scheme's name.
    pub scheme: String,
    /// The scheme's items, as `indicator:<name>` or `penalty:<counter>`, in the order of
    /// every [`UnitScore::items`].
    pub scheme_items: Vec<String>,
    /// The months read (with any data), oldest first, this one included.
    pub months_read: Vec<Month>,
    /// The subdistrict as a whole.
    pub total: UnitScore,
    /// Cases reported this month by channel (repeat reports included).
    #[serde(serialize_with = "ordered_map")]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, number>"))]
    pub by_channel: Vec<(String, u32)>,
    /// Cases reported this month by category (repeat reports included).
    #[serde(serialize_with = "ordered_map")]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, number>"))]
    pub by_category: Vec<(String, u32)>,
    /// Cases resolved this month by the level that resolved them.
    #[serde(serialize_with = "ordered_map")]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, number>"))]
    pub resolved_by_level: Vec<(String, u32)>,
    /// The ranked grids (evaluable and active), best first, in short.
    pub ranking: Vec<Placing>,
    /// Every grid: the ranked ones in rank order, then the others in the organisation's
    /// order.
    pub grids: Vec<UnitScore>,
    /// The red list (红榜): the top ranked grids (evaluable and active).
    pub red_list: Vec<UnitId>,
    /// The black list (黑榜): the bottom ranked grids, not on the red list.
    pub black_list: Vec<UnitId>,
    /// The grid ranked first and its streak (none when no grid is ranked).
    pub first_place: Option<FirstPlace>,
    /// Inactive and zombie grids, longest first.
    pub inactive: Vec<InactiveGrid>,
    /// Every grid worker, in rank order.
    pub workers: Vec<UnitScore>,
    /// Every community, in rank order.
    pub communities: Vec<UnitScore>,
    /// The office scheme's items, in the order of every office's
    /// [`UnitScore::items`].
    pub office_scheme_items: Vec<String>,
    /// Every office of the organisation, scored under the office scheme on the cases it
    /// led (the outcome rows that name it): the ranked ones (evaluable, with a case this
    /// month) in rank order, then the others.
    pub offices: Vec<UnitScore>,
    /// Common demands recommended for a long-term mechanism, most reports first.
    pub common_demands: Vec<Demand>,
    /// The reward budget's split, when a budget was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewards: Option<Rewards>,
    /// Grid workers in the top often enough for the talent pool.
    pub talent_pool: Vec<Talent>,
    /// The grid's own work in the month (visits, the register, meetings, team work), when
    /// a ledger was scored.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub work: Option<crate::grid_work::WorkSummary>,
}

/// The parts of a [`MonthReport`], in the order its JSON gives them: what a score request's
/// `include` may name.
pub const REPORT_PARTS: [&str; 23] = [
    "month",
    "version",
    "scheme",
    "scheme_items",
    "months_read",
    "total",
    "by_channel",
    "by_category",
    "resolved_by_level",
    "ranking",
    "grids",
    "red_list",
    "black_list",
    "first_place",
    "inactive",
    "workers",
    "communities",
    "office_scheme_items",
    "offices",
    "common_demands",
    "rewards",
    "talent_pool",
    "work",
];

/// A month's report with only some of its parts, in the report's order: its JSON is the
/// report's JSON without the other keys.
#[derive(Debug)]
pub struct ReportParts<'a> {
    report: &'a MonthReport,
    parts: Vec<&'static str>,
}

impl MonthReport {
    /// The report with only the parts named (from [`REPORT_PARTS`]; unknown names are
    /// ignored, as [`ScoreRequest`](super::ScoreRequest) checks them when it is read).
    #[must_use]
    pub fn parts(&self, names: &[String]) -> ReportParts<'_> {
        ReportParts {
            report: self,
            parts: REPORT_PARTS
                .iter()
                .copied()
                .filter(|p| names.iter().any(|n| n == p))
                .collect(),
        }
    }
}

impl Serialize for ReportParts<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Counts<'a>(&'a [(String, u32)]);
        impl Serialize for Counts<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                ordered_map(self.0, s)
            }
        }
        let r = self.report;
        let mut map = s.serialize_map(None)?;
        for &part in &self.parts {
            match part {
                "month" => map.serialize_entry(part, &r.month)?,
                "version" => map.serialize_entry(part, &r.version)?,
                "scheme" => map.serialize_entry(part, &r.scheme)?,
                "scheme_items" => map.serialize_entry(part, &r.scheme_items)?,
                "months_read" => map.serialize_entry(part, &r.months_read)?,
                "total" => map.serialize_entry(part, &r.total)?,
                "by_channel" => map.serialize_entry(part, &Counts(&r.by_channel))?,
                "by_category" => map.serialize_entry(part, &Counts(&r.by_category))?,
                "resolved_by_level" => map.serialize_entry(part, &Counts(&r.resolved_by_level))?,
                "ranking" => map.serialize_entry(part, &r.ranking)?,
                "grids" => map.serialize_entry(part, &r.grids)?,
                "red_list" => map.serialize_entry(part, &r.red_list)?,
                "black_list" => map.serialize_entry(part, &r.black_list)?,
                "first_place" => map.serialize_entry(part, &r.first_place)?,
                "inactive" => map.serialize_entry(part, &r.inactive)?,
                "workers" => map.serialize_entry(part, &r.workers)?,
                "communities" => map.serialize_entry(part, &r.communities)?,
                "office_scheme_items" => map.serialize_entry(part, &r.office_scheme_items)?,
                "offices" => map.serialize_entry(part, &r.offices)?,
                "common_demands" => map.serialize_entry(part, &r.common_demands)?,
                "rewards" => {
                    if let Some(rewards) = &r.rewards {
                        map.serialize_entry(part, rewards)?;
                    }
                }
                "talent_pool" => map.serialize_entry(part, &r.talent_pool)?,
                "work" => {
                    if let Some(work) = &r.work {
                        map.serialize_entry(part, work)?;
                    }
                }
                _ => {}
            }
        }
        map.end()
    }
}

pub(super) fn ordered_map<S: Serializer>(v: &[(String, u32)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(v.iter().map(|(k, n)| (k, n)))
}
