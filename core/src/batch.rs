//! Cases from columns, and what-if comparisons of two rule sets.
//!
//! A column store (an Arrow table in Python or JS, a CSV export) holds a case as a row of
//! plain values. [`CaseFields`] is that row, borrowed; [`CaseFields::to_case`] checks each
//! value and builds the [`Case`] the engine routes, naming the column of every problem.
//! The bindings' batch paths read their columns into `CaseFields` and write each
//! [`Decision`](crate::route::Decision) back column by column: the engine decides, the
//! bindings only convert.
//!
//! [`Backtest`] routes the same cases on two engines (typically the same organisation
//! and calendar under two rule sets) and reports which cases decide differently and how:
//! the answer to "what if we changed this threshold".

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::Serialize;

use crate::case::{AttrValue, Case, CaseError, CaseProblem, Channel};
use crate::engine::Engine;
use crate::error::Error;
use crate::fixed::Fixed2;
pub use crate::id::IdCache;
use crate::id::{CaseId, Category, Name, UnitId};
use crate::org::Level;
use crate::time::Timestamp;

/// One case as a row of borrowed column values. Optional columns left `None` take the
/// defaults a JSON case has (one person, no money, a first report, no flags).
///
/// ```
/// use gridgov::batch::CaseFields;
/// let fields = CaseFields {
///     people_involved: Some(3),
///     ..CaseFields::new("c1", "hotline", "neighbour_dispute", "fs-c01-g02-m1",
///                       "2026-03-02T09:15:00+08:00")
/// };
/// let case = fields.to_case()?;
/// let engine = gridgov::Engine::fushan();
/// assert_eq!(engine.route(&case)?.rule().row, "dispute-grid");
/// # Ok::<(), gridgov::error::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaseFields<'a> {
    /// `id`.
    pub id: &'a str,
    /// `channel`: `visit`, `app`, `hotline`, `petition`, `walk_in` or `lawyer_desk`.
    pub channel: &'a str,
    /// `category`, from the rule set's list.
    pub category: &'a str,
    /// `location`: a micro-grid or a building in one.
    pub location: &'a str,
    /// `reported_at`: an instant with its UTC offset.
    pub reported_at: Reported<'a>,
    /// `people_involved` (default 1).
    pub people_involved: Option<u32>,
    /// `amount_yuan`, exact to the fen (default 0).
    pub amount_yuan: Option<Fixed2>,
    /// `repeat_count` (default 0).
    pub repeat_count: Option<u32>,
    /// `risk_flags`: names separated by `,`, `;` or `|` (default none).
    pub risk_flags: Option<&'a str>,
    /// `attributes`: a JSON object of per-category attributes (default none).
    pub attributes: Option<&'a str>,
    /// `summary`: the reporter's words.
    pub summary: Option<&'a str>,
}

/// The `reported_at` value of a row: RFC 3339 text, or an instant already read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reported<'a> {
    /// RFC 3339 text with an offset, `2026-03-02T09:15:00+08:00`.
    Text(&'a str),
    /// An instant (from a typed timestamp column).
    At(Timestamp),
}

impl Default for Reported<'_> {
    fn default() -> Self {
        Self::Text("")
    }
}

impl<'a> CaseFields<'a> {
    /// The five columns every case has; the optional ones are left out.
    #[must_use]
    pub const fn new(
        id: &'a str,
        channel: &'a str,
        category: &'a str,
        location: &'a str,
        reported_at: &'a str,
    ) -> Self {
        Self {
            id,
            channel,
            category,
            location,
            reported_at: Reported::Text(reported_at),
            people_involved: None,
            amount_yuan: None,
            repeat_count: None,
            risk_flags: None,
            attributes: None,
            summary: None,
        }
    }

    /// Checks every value and builds the case. Whether the category, flags, attributes
    /// and location fit the rule set and the organisation is the engine's check, made
    /// when it routes.
    ///
    /// # Errors
    /// [`Error::Case`] listing every column that does not read, with what would be valid.
    pub fn to_case(&self) -> Result<Case, Error> {
        self.build(None)
    }

    /// [`to_case`](Self::to_case), sharing the location and category ids of earlier rows
    /// of the same table through `cache`: a table of many cases names few units and
    /// categories, and each is then checked and allocated once.
    ///
    /// # Errors
    /// As [`to_case`](Self::to_case).
    pub fn to_case_cached(&self, cache: &mut IdCache) -> Result<Case, Error> {
        self.build(Some(cache))
    }

    fn build(&self, mut cache: Option<&mut IdCache>) -> Result<Case, Error> {
        let mut problems = Vec::new();
        let case_name = if self.id.is_empty() { "?" } else { self.id };
        let mut bad = |field: &str, reason: String| {
            problems.push(CaseProblem {
                case: crate::text::truncate_for_message(case_name),
                field: field.to_owned(),
                reason,
            });
        };
        let id = CaseId::new(self.id)
            .map_err(|e| bad("id", e.to_string()))
            .ok();
        let channel = Channel::from_str(self.channel)
            .map_err(|e| bad("channel", e.to_string()))
            .ok();
        let category = match cache.as_mut().and_then(|c| c.category(self.category)) {
            Some(c) => Some(c),
            None => Category::new(self.category)
                .map_err(|e| bad("category", e.to_string()))
                .ok()
                .inspect(|c| {
                    if let Some(cache) = cache.as_mut() {
                        cache.keep_category(self.category, c);
                    }
                }),
        };
        let location = match cache.as_mut().and_then(|c| c.unit(self.location)) {
            Some(u) => Some(u),
            None => UnitId::new(self.location)
                .map_err(|e| bad("location", e.to_string()))
                .ok()
                .inspect(|u| {
                    if let Some(cache) = cache.as_mut() {
                        cache.keep_unit(self.location, u);
                    }
                }),
        };
        let reported_at = match self.reported_at {
            Reported::At(t) => Some(t),
            Reported::Text(s) => Timestamp::from_str(s)
                .map_err(|e| bad("reported_at", e.to_string()))
                .ok(),
        };
        let people_involved = self.people_involved.unwrap_or(1);
        if people_involved == 0 {
            bad(
                "people_involved",
                "is 0; a case involves at least one person".to_owned(),
            );
        }
        let mut risk_flags = Vec::new();
        for flag in self
            .risk_flags
            .unwrap_or("")
            .split([',', ';', '|'])
            .map(str::trim)
            .filter(|f| !f.is_empty())
        {
            match Name::new(flag) {
                Ok(n) => risk_flags.push(n),
                Err(e) => bad("risk_flags", e.to_string()),
            }
        }
        let attributes = match self.attributes.map(str::trim) {
            None | Some("") => BTreeMap::new(),
            Some(json) => serde_json::from_str::<BTreeMap<String, AttrValue>>(json)
                .map_err(|e| {
                    bad(
                        "attributes",
                        format!(
                            "is not a JSON object of attribute values: {}",
                            crate::text::strip_position(&e.to_string())
                        ),
                    );
                })
                .unwrap_or_default(),
        };
        match (id, channel, category, location, reported_at) {
            (Some(id), Some(channel), Some(category), Some(location), Some(reported_at))
                if problems.is_empty() =>
            {
                Ok(Case {
                    id,
                    channel,
                    category,
                    location,
                    people_involved,
                    amount_yuan: self.amount_yuan.unwrap_or_default(),
                    repeat_count: self.repeat_count.unwrap_or(0),
                    risk_flags,
                    attributes,
                    reported_at,
                    reporter: None,
                    summary: self.summary.map(str::to_owned),
                })
            }
            _ => Err(Error::Case(CaseError::Invalid(problems))),
        }
    }
}

/// What one engine made of a case in a [`Backtest`]: the parts of a decision that matter
/// to who acts and by when, or the error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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

/// The UTC offset of a time zone as Arrow and pandas name it on a timestamp column:
/// `+08:00`, `-05:30`, `UTC`, `Z`, `UTC+08:00`, or a zone of mainland China, which has
/// kept +08:00 all year since 1991 (`Asia/Shanghai`, `Asia/Chongqing`, `Asia/Harbin`,
/// `PRC`). Other named zones change their offset over the year and need a zone database
/// that gridgov does not carry: give such times as RFC 3339 text instead.
///
/// ```
/// use gridgov::batch::zone_offset;
/// assert_eq!(zone_offset("Asia/Shanghai").map(|o| o.minutes()), Ok(480));
/// assert_eq!(zone_offset("UTC+05:30").map(|o| o.minutes()), Ok(330));
/// assert!(zone_offset("Europe/Berlin").is_err());
/// ```
///
/// # Errors
/// A message naming the zone and what would be valid.
pub fn zone_offset(tz: &str) -> Result<crate::time::Offset, String> {
    let t = tz.trim();
    let fixed = match t {
        "UTC" | "Z" | "Etc/UTC" | "GMT" | "utc" => "+00:00",
        "Asia/Shanghai" | "Asia/Chongqing" | "Asia/Chungking" | "Asia/Harbin" | "PRC" => "+08:00",
        _ => t.strip_prefix("UTC").unwrap_or(t),
    };
    crate::time::Offset::from_str(fixed).map_err(|_| {
        format!(
            "time zone `{}` is not a fixed UTC offset gridgov knows; use `+08:00`, `UTC` or `Asia/Shanghai`, or give the times as RFC 3339 text",
            crate::text::truncate_for_message(tz)
        )
    })
}

/// The columns of a cases CSV ([`route_csv`]): the first five are required.
pub const CASE_CSV_COLUMNS: [&str; 11] = [
    "id",
    "channel",
    "category",
    "location",
    "reported_at",
    "people_involved",
    "amount_yuan",
    "repeat_count",
    "risk_flags",
    "attributes",
    "summary",
];

/// The columns [`route_csv`] writes, one row per case in input order. Lists are joined
/// with `;`. A row that could not be routed has only `case`, `error_code` and `error`.
/// Units, offices and people are given by id (a machine interchange: names are one lookup
/// away in the organisation), which also keeps the output ASCII but for error messages.
pub const DECISION_CSV_COLUMNS: [&str; 16] = [
    "case",
    "version",
    "grade",
    "level",
    "unit",
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

fn csv_field(out: &mut String, value: &str) {
    if value
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// One row of a cases CSV as fields: numbers are read here, ids and names by
/// [`CaseFields::to_case`]. `cells` is in the order of [`CASE_CSV_COLUMNS`].
fn fields_of_cells<'a>(cells: &[Option<&'a str>; 11]) -> Result<CaseFields<'a>, Error> {
    let mut problems = Vec::new();
    let id = cells[0].unwrap_or("");
    let mut number = |c: usize| -> Option<u32> {
        let name = CASE_CSV_COLUMNS.get(c).copied().unwrap_or("?");
        let v = cells.get(c).copied().flatten()?;
        v.parse::<u32>()
            .map_err(|_| {
                problems.push(CaseProblem {
                    case: crate::text::truncate_for_message(if id.is_empty() { "?" } else { id }),
                    field: name.to_owned(),
                    reason: format!(
                        "`{}` is not a whole number from 0 to {}",
                        crate::text::truncate_for_message(v),
                        u32::MAX
                    ),
                });
            })
            .ok()
    };
    let people_involved = number(5);
    let repeat_count = number(7);
    let amount_yuan = match cells[6].map(Fixed2::from_str) {
        None => None,
        Some(Ok(a)) => Some(a),
        Some(Err(e)) => {
            problems.push(CaseProblem {
                case: crate::text::truncate_for_message(if id.is_empty() { "?" } else { id }),
                field: "amount_yuan".to_owned(),
                reason: e.to_string(),
            });
            None
        }
    };
    if !problems.is_empty() {
        return Err(Error::Case(CaseError::Invalid(problems)));
    }
    Ok(CaseFields {
        id,
        channel: cells[1].unwrap_or(""),
        category: cells[2].unwrap_or(""),
        location: cells[3].unwrap_or(""),
        reported_at: Reported::Text(cells[4].unwrap_or("")),
        people_involved,
        amount_yuan,
        repeat_count,
        risk_flags: cells[8],
        attributes: cells[9],
        summary: cells[10],
    })
}

fn csv_error(line: usize, message: &str) -> Error {
    Error::input("cases CSV", format!("line {line}: {message}"))
}

/// Routes every case of a CSV export (header naming columns of [`CASE_CSV_COLUMNS`], in
/// any order; `id`, `channel`, `category`, `location` and `reported_at` required) and
/// returns the decisions as CSV ([`DECISION_CSV_COLUMNS`]), one row per case in order: the
/// batch path of the bindings that hand text across (JS), and a plain interchange for
/// other systems. A row that cannot be routed gets `error_code` and `error` (naming its
/// CSV line) and the rest go on.
///
/// ```
/// let engine = gridgov::Engine::fushan();
/// let out = gridgov::batch::route_csv(&engine, "id,channel,category,location,reported_at\n\
///     c1,app,property_crime,fs-c05-g01-m1,2026-03-02T09:00:00+08:00\n\
///     c2,app,weather,fs-c05-g01-m1,2026-03-02T09:00:00+08:00\n")?;
/// let lines: Vec<&str> = out.lines().collect();
/// assert!(lines[1].starts_with("c1,fushan-2026,general,department,,police_work_office,"));
/// assert!(lines[2].starts_with("c2,,,,,,,,,,,,,,case_invalid,\"line 3: case `c2`: field `category`"));
/// # Ok::<(), gridgov::error::Error>(())
/// ```
///
/// # Errors
/// [`Error::Input`] when the text is not CSV (with its line), or the header names an
/// unknown or repeated column or lacks a required one.
pub fn route_csv(engine: &Engine, text: &str) -> Result<String, Error> {
    let mut records = crate::rules::CsvReader::new(text);
    let mut header = Vec::new();
    match records.next_into(&mut header) {
        None => {
            return Err(csv_error(
                1,
                "the text is empty; the first line names the columns",
            ));
        }
        Some(Err((line, message))) => return Err(csv_error(line, &message)),
        Some(Ok(_)) => {}
    }
    let mut cols: Vec<usize> = Vec::with_capacity(header.len());
    for h in &header {
        let h = h.trim();
        let Some(pos) = CASE_CSV_COLUMNS.iter().position(|c| *c == h) else {
            return Err(csv_error(
                1,
                &format!(
                    "unknown column `{}`; columns are {}",
                    crate::text::truncate_for_message(h),
                    CASE_CSV_COLUMNS.join(", ")
                ),
            ));
        };
        if cols.contains(&pos) {
            return Err(csv_error(1, &format!("the column `{h}` appears twice")));
        }
        cols.push(pos);
    }
    if let Some(missing) = (0..5).find(|c| !cols.contains(c)) {
        return Err(csv_error(
            1,
            &format!(
                "a required column is missing: `{}`; {} are required",
                CASE_CSV_COLUMNS.get(missing).copied().unwrap_or("?"),
                CASE_CSV_COLUMNS[..5].join(", ")
            ),
        ));
    }
    let mut out = String::with_capacity(text.len().saturating_mul(2));
    out.push_str(&DECISION_CSV_COLUMNS.join(","));
    out.push('\n');
    let mut cache = IdCache::default();
    let mut rec = Vec::with_capacity(cols.len());
    while let Some(record) = records.next_into(&mut rec) {
        let line = record.map_err(|(line, message)| csv_error(line, &message))?;
        let mut cells: [Option<&str>; 11] = [None; 11];
        let routed = if rec.len() == cols.len() {
            for (&c, value) in cols.iter().zip(&rec) {
                let v = value.trim();
                if let Some(slot) = cells.get_mut(c) {
                    *slot = (!v.is_empty()).then_some(v);
                }
            }
            fields_of_cells(&cells)
                .and_then(|f| f.to_case_cached(&mut cache))
                .and_then(|case| {
                    engine
                        .route(&case)
                        .map(|d| write_decision(&mut out, &d))
                        .map_err(Error::from)
                })
        } else {
            cells[0] = rec.first().map(|s| s.trim());
            Err(csv_error(
                line,
                &format!(
                    "the line has {} fields; the header has {}",
                    rec.len(),
                    cols.len()
                ),
            ))
        };
        if let Err(e) = routed {
            csv_field(&mut out, cells[0].unwrap_or(""));
            out.push_str(",,,,,,,,,,,,,,");
            csv_field(&mut out, e.code());
            out.push(',');
            let message = match &e {
                Error::Input(_) => e.to_string(),
                _ => format!("line {line}: {e}"),
            };
            csv_field(&mut out, &message);
            out.push('\n');
        }
    }
    Ok(out)
}

fn write_decision(out: &mut String, d: &crate::route::Decision<'_>) {
    use std::fmt::Write as _;
    let opt = |out: &mut String, v: Option<&str>| csv_field(out, v.unwrap_or(""));
    csv_field(out, d.case().id.as_str());
    out.push(',');
    csv_field(out, d.version());
    out.push(',');
    opt(out, d.grade());
    out.push(',');
    out.push_str(d.level().as_str());
    out.push(',');
    opt(out, d.unit().map(|u| u.id.as_str()));
    out.push(',');
    opt(out, d.office().map(|o| o.id.as_str()));
    out.push(',');
    let co: Vec<&str> = d.co_offices().iter().map(|o| o.id.as_str()).collect();
    csv_field(out, &co.join(";"));
    out.push(',');
    opt(out, d.handler().map(|p| p.id.as_str()));
    out.push(',');
    opt(out, d.role().map(|r| r.as_str()));
    out.push(',');
    // Writing to a String cannot fail.
    let _ = write!(out, "{},{},", d.time_limit(), d.due());
    csv_field(out, &d.flags().join(";"));
    out.push(',');
    let rule = d.rule();
    csv_field(out, rule.table);
    out.push(',');
    csv_field(out, rule.row);
    out.push_str(",,\n");
}

/// The outcome table of a ledger as CSV (columns
/// [`CSV_COLUMNS`](crate::score::CSV_COLUMNS)), one row per case.
#[must_use]
pub fn outcomes_csv(engine: &Engine, ledger: &crate::case::ledger::Ledger) -> String {
    crate::score::outcomes_to_csv(&engine.outcomes(ledger))
}

/// Cases as a CSV export with the columns of [`CASE_CSV_COLUMNS`] ([`route_csv`] reads it
/// back to the same cases; the reporter is left out).
#[must_use]
pub fn cases_to_csv(cases: &[Case]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(cases.len() * 120);
    out.push_str(&CASE_CSV_COLUMNS.join(","));
    out.push('\n');
    for c in cases {
        csv_field(&mut out, c.id.as_str());
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            ",{},{},{},{},{},{},{},",
            c.channel,
            c.category.as_str(),
            c.location.as_str(),
            c.reported_at,
            c.people_involved,
            c.amount_yuan,
            c.repeat_count
        );
        let flags: Vec<&str> = c.risk_flags.iter().map(Name::as_str).collect();
        csv_field(&mut out, &flags.join(","));
        out.push(',');
        if !c.attributes.is_empty() {
            csv_field(&mut out, &crate::text::to_json(&c.attributes));
        }
        out.push(',');
        csv_field(&mut out, c.summary.as_deref().unwrap_or(""));
        out.push('\n');
    }
    out
}
