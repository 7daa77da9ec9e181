//! One case as a row of plain column values: what a CSV line or an Arrow row gives. The
//! column set of a case table is defined here once, for every reader.

use std::str::FromStr;

use crate::case::{Case, CaseError, CaseProblem, Channel};
use crate::error::Error;
use crate::fixed::Fixed2;
use crate::id::{CaseId, Category, IdCache, Name, UnitId};
use crate::time::Timestamp;

/// The columns of a case table (a cases CSV, an Arrow table), in this order; the first
/// [`REQUIRED_CASE_COLUMNS`] are required, the others optional.
pub const CASE_COLUMNS: [&str; 11] = [
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

/// How many of [`CASE_COLUMNS`], from the first, every case table has.
pub const REQUIRED_CASE_COLUMNS: usize = 5;

/// The message for a case table without one of its required columns: what the table
/// lacks, and its columns.
#[must_use]
pub fn missing_case_column(missing: &str) -> String {
    let (required, optional) = CASE_COLUMNS.split_at(REQUIRED_CASE_COLUMNS);
    format!(
        "the table has no column `{}`; a case table has columns {} (required) and {} (optional)",
        crate::text::truncate_for_message(missing),
        required.join(", "),
        optional.join(", ")
    )
}

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
        let channel = cached(
            &mut cache,
            self.channel,
            IdCache::channel,
            IdCache::keep_channel,
            |t| Channel::new(t),
        )
        .map_err(|e| bad("channel", e.to_string()))
        .ok();
        let category = cached(
            &mut cache,
            self.category,
            IdCache::category,
            IdCache::keep_category,
            |t| Category::new(t),
        )
        .map_err(|e| bad("category", e.to_string()))
        .ok();
        let location = cached(
            &mut cache,
            self.location,
            IdCache::unit,
            IdCache::keep_unit,
            |t| UnitId::new(t),
        )
        .map_err(|e| bad("location", e.to_string()))
        .ok();
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
            None | Some("") => crate::case::Attributes::new(),
            Some(json) => serde_json::from_str::<crate::case::Attributes>(json)
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
                    point: None,
                    media_url: None,
                    people_involved,
                    amount_yuan: self.amount_yuan.unwrap_or_default(),
                    repeat_count: self.repeat_count.unwrap_or(0),
                    risk_flags: risk_flags.into(),
                    attributes,
                    reported_at,
                    reporter: None,
                    summary: self.summary.map(arcstr::ArcStr::from),
                })
            }
            _ => Err(Error::Case(CaseError::Invalid(problems))),
        }
    }
}

impl<'a> CaseFields<'a> {
    /// A row of text cells in the order of [`CASE_COLUMNS`] (`None` for an empty cell):
    /// numbers are read here, ids and names by [`to_case`](Self::to_case).
    ///
    /// # Errors
    /// [`Error::Case`] naming every number or amount that does not read.
    pub fn from_text_cells(cells: &[Option<&'a str>; 11]) -> Result<Self, Error> {
        let mut problems = Vec::new();
        let id = cells[0].unwrap_or("");
        let case = || crate::text::truncate_for_message(if id.is_empty() { "?" } else { id });
        let mut number = |c: usize| -> Option<u32> {
            let name = CASE_COLUMNS.get(c).copied().unwrap_or("?");
            let v = cells.get(c).copied().flatten()?;
            v.parse::<u32>()
                .map_err(|_| {
                    problems.push(CaseProblem {
                        case: case(),
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
                    case: case(),
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
}

/// An id read from a table's text: from the cache when the same text was read before,
/// else checked and kept there.
fn cached<T>(
    cache: &mut Option<&mut IdCache>,
    text: &str,
    get: fn(&IdCache, &str) -> Option<T>,
    keep: fn(&mut IdCache, &str, &T),
    new: fn(&str) -> Result<T, crate::id::IdError>,
) -> Result<T, crate::id::IdError> {
    if let Some(v) = cache.as_deref().and_then(|c| get(c, text)) {
        return Ok(v);
    }
    let v = new(text)?;
    if let Some(c) = cache.as_deref_mut() {
        keep(c, text, &v);
    }
    Ok(v)
}
