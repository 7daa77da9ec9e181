//! The errors of the organisation: what is wrong with an org spec ([`OrgError`], one
//! [`OrgProblem`] per problem found) and a query that names something the graph does not
//! have ([`LookupError`]). Messages are lower-case, name the bad input in backticks and say
//! what would be valid; every error has a stable snake_case `code`.

use std::fmt;

use super::{DutyKind, Role, UnitKind};
use crate::id::UnitId;
use crate::text::strip_position;

/// Formats a list of kinds as "a grid", "a compound or a community".
struct Kinds<'a>(&'a [UnitKind]);

impl fmt::Display for Kinds<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        if n == 0 {
            return f.write_str("no parent (it is a root)");
        }
        for (i, k) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(if i + 1 == n { " or " } else { ", " })?;
            }
            write!(f, "a {k}")?;
        }
        Ok(())
    }
}

fn kinds(k: &[UnitKind]) -> Kinds<'_> {
    Kinds(k)
}

fn roles(r: &[Role]) -> String {
    r.iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}

fn id_chain(ids: &[UnitId]) -> String {
    ids.iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// One problem found while validating an org spec. Validation reports every problem, each
/// naming the unit (or person, office, team) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrgProblem {
    /// The `format` field names a version this library does not read.
    #[error("unsupported org spec format {found}; this library reads format {expected}")]
    UnsupportedFormat {
        /// The format given.
        found: u32,
        /// The format supported.
        expected: u32,
    },
    /// Two units, offices, people or teams share an id.
    #[error("duplicate {what} id `{id}`; ids must be unique")]
    DuplicateId {
        /// `unit`, `office`, `person` or `volunteer team`.
        what: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A unit names a parent that is not in the spec.
    #[error("unit `{id}` names parent `{parent}`, which is not a unit in the spec")]
    UnknownParent {
        /// The unit.
        id: UnitId,
        /// The missing parent.
        parent: UnitId,
    },
    /// Units contain each other in a loop.
    #[error("units {} form a containment cycle; a unit cannot contain itself", id_chain(.ids))]
    Cycle {
        /// The units on the cycle, starting with the smallest id.
        ids: Vec<UnitId>,
    },
    /// A unit sits under a parent of a kind it may not sit under.
    #[error("unit `{id}` is a {kind} directly under {parent_kind} `{parent}`; a {kind} must be under {}", kinds(.expected))]
    WrongParentKind {
        /// The unit.
        id: UnitId,
        /// Its kind.
        kind: UnitKind,
        /// Its parent.
        parent: UnitId,
        /// The parent's kind.
        parent_kind: UnitKind,
        /// The kinds allowed.
        expected: Vec<UnitKind>,
    },
    /// A unit that must have a parent has none.
    #[error("unit `{id}` is a {kind} with no parent; a {kind} must be under {}", kinds(.expected))]
    MissingParent {
        /// The unit.
        id: UnitId,
        /// Its kind.
        kind: UnitKind,
        /// The kinds allowed as parent.
        expected: Vec<UnitKind>,
    },
    /// A micro-grid with no grid around it.
    #[error("micro-grid `{id}` is outside any grid; every micro_grid must be under a grid")]
    MicroGridOutsideGrid {
        /// The micro-grid.
        id: UnitId,
    },
    /// A grid nobody is posted to.
    #[error("grid `{id}` has no grid worker; post one with a `grid_worker` duty")]
    GridWithoutWorker {
        /// The grid.
        id: UnitId,
    },
    /// A party unit anchored to no territorial unit.
    #[error("{kind} `{id}` is anchored to nothing; a {kind} must be built on {} (支部建到网格上, 党小组设到楼院里)", kinds(.expected))]
    UnanchoredPartyUnit {
        /// The party unit.
        id: UnitId,
        /// Its kind.
        kind: UnitKind,
        /// The kinds it may be anchored to.
        expected: Vec<UnitKind>,
    },
    /// A compound with no grid inside it.
    #[error(
        "compound `{id}` is not covered by any grid; leave no blank (不留空白): put at least one grid under it"
    )]
    CompoundWithoutGrid {
        /// The compound.
        id: UnitId,
    },
    /// A party unit anchored to a unit that is not in the spec.
    #[error("unit `{id}` is anchored to `{target}`, which is not a unit in the spec")]
    UnknownAnchor {
        /// The party unit.
        id: UnitId,
        /// The missing target.
        target: UnitId,
    },
    /// A party unit anchored to a unit of the wrong kind.
    #[error("{kind} `{id}` is anchored to {target_kind} `{target}`; a {kind} may only be anchored to {}", kinds(.expected))]
    AnchorKindMismatch {
        /// The party unit.
        id: UnitId,
        /// Its kind.
        kind: UnitKind,
        /// The target.
        target: UnitId,
        /// The target's kind.
        target_kind: UnitKind,
        /// The kinds allowed.
        expected: Vec<UnitKind>,
    },
    /// A territorial unit with `anchored_to`.
    #[error(
        "{kind} `{id}` is a territorial unit and cannot be anchored; only party units have `anchored_to`"
    )]
    AnchorOnTerritory {
        /// The unit.
        id: UnitId,
        /// Its kind.
        kind: UnitKind,
    },
    /// A party unit anchored outside the territory its parent party unit is built on.
    #[error(
        "{kind} `{id}` is anchored to `{target}`, which lies outside the territory of its parent `{parent}`"
    )]
    AnchorOutsideParent {
        /// The party unit.
        id: UnitId,
        /// Its kind.
        kind: UnitKind,
        /// The anchor target.
        target: UnitId,
        /// The parent party unit.
        parent: UnitId,
    },
    /// Households given on a unit that is not a grid or micro-grid.
    #[error("{kind} `{id}` has `households`; households are counted on grids and micro-grids only")]
    HouseholdsOnWrongKind {
        /// The unit.
        id: UnitId,
        /// Its kind.
        kind: UnitKind,
    },
    /// A person attached to a unit or office that does not exist.
    #[error(
        "person `{person}` belongs to `{unit}`, which is neither a unit nor an office in the spec"
    )]
    UnknownPersonUnit {
        /// The person.
        person: String,
        /// The missing unit.
        unit: String,
    },
    /// A duty naming a person who does not exist.
    #[error("a `{duty}` duty for `{unit}` names person `{person}`, who is not in the spec")]
    UnknownDutyPerson {
        /// The missing person.
        person: String,
        /// The duty.
        duty: DutyKind,
        /// The unit.
        unit: String,
    },
    /// A duty for a unit or office that does not exist.
    #[error(
        "person `{person}` has a `{duty}` duty for `{unit}`, which is neither a unit nor an office in the spec"
    )]
    UnknownDutyUnit {
        /// The person.
        person: String,
        /// The duty.
        duty: DutyKind,
        /// The missing unit.
        unit: String,
    },
    /// A duty assigned to a unit of a kind it does not apply to.
    #[error(
        "person `{person}` has a `{duty}` duty for {unit_kind} `{unit}`; a `{duty}` duty is for {expected}"
    )]
    DutyUnitMismatch {
        /// The person.
        person: String,
        /// The duty.
        duty: DutyKind,
        /// The unit or office.
        unit: String,
        /// Its kind (`office` for an office).
        unit_kind: String,
        /// What the duty applies to.
        expected: String,
    },
    /// A duty held by a person whose role cannot hold it.
    #[error("person `{person}` is a {role} and cannot hold a `{duty}` duty; it needs a {}", roles(.expected))]
    DutyRoleMismatch {
        /// The person.
        person: String,
        /// The person's role.
        role: Role,
        /// The duty.
        duty: DutyKind,
        /// The roles allowed.
        expected: Vec<Role>,
    },
    /// An office serving a unit that is not a subdistrict.
    #[error("office `{id}` serves `{unit}`, which is not a subdistrict in the spec")]
    OfficeUnitInvalid {
        /// The office.
        id: String,
        /// The unit it names.
        unit: String,
    },
    /// A volunteer team serving a unit that is not a grid.
    #[error("volunteer team `{id}` serves `{grid}`, which is not a grid in the spec")]
    TeamGridInvalid {
        /// The team.
        id: String,
        /// The unit it names.
        grid: String,
    },
    /// A volunteer team serving no grid.
    #[error("volunteer team `{id}` serves no grid; list at least one in `grids`")]
    TeamWithoutGrid {
        /// The team.
        id: String,
    },
    /// The duty lists, or the lists a duty holds, are not valid.
    #[error("duty lists: {message}")]
    BadDutyList {
        /// The class, area, list or person it is about.
        subject: String,
        /// What is wrong and what would be valid.
        message: String,
    },
    /// A feature of the map's `areas` that cannot be a unit's area.
    #[error("map area {feature} (unit `{unit}`) {reason}")]
    BadArea {
        /// Its position in `map.areas.features`.
        feature: usize,
        /// The unit it names (empty when it names none).
        unit: String,
        /// What is wrong and what would be valid.
        reason: String,
    },
    /// An area that is not a valid polygon (a ring crossing itself, a hole outside its
    /// shell…).
    #[error(
        "the area of `{id}` is not a valid polygon: {reason}; rings must not cross themselves or each other"
    )]
    InvalidArea {
        /// The unit.
        id: String,
        /// What `geo`'s validation found.
        reason: String,
    },
    /// Two areas under the same parent overlap: one place claimed by two units.
    #[error(
        "the areas of `{id}` and `{other}` overlap by about {square_metres} m² around ({at}); every place belongs to one unit"
    )]
    AreaOverlap {
        /// The first unit (in spec order).
        id: String,
        /// The second.
        other: String,
        /// The overlap, rounded to a square metre.
        square_metres: u64,
        /// A point inside the overlap, `lon, lat`.
        at: String,
    },
    /// An area reaching outside the nearest enclosing unit that has one.
    #[error(
        "the area of `{id}` reaches about {square_metres} m² outside its parent `{parent}` around ({at}); a unit's area must lie inside its parent's"
    )]
    AreaOutsideParent {
        /// The unit.
        id: String,
        /// The enclosing unit.
        parent: String,
        /// The part outside, rounded to a square metre.
        square_metres: u64,
        /// A point inside that part, `lon, lat`.
        at: String,
    },
    /// Blank ground inside a unit that none of its units' areas covers.
    #[error(
        "about {square_metres} m² inside `{id}` around ({at}) is in none of its units' areas; leave no blank (不留空白)"
    )]
    AreaGap {
        /// The enclosing unit.
        id: String,
        /// The blank, rounded to a square metre.
        square_metres: u64,
        /// A point inside it, `lon, lat`.
        at: String,
    },
    /// A micro-grid with no area on a map that has areas.
    #[error("micro-grid `{id}` has no area on the map; the map must cover every micro_grid")]
    MissingArea {
        /// The micro-grid.
        id: String,
    },
}

impl OrgProblem {
    /// A stable snake_case code for the kind of problem.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedFormat { .. } => "unsupported_format",
            Self::DuplicateId { .. } => "duplicate_id",
            Self::UnknownParent { .. } => "unknown_parent",
            Self::Cycle { .. } => "cycle",
            Self::WrongParentKind { .. } => "wrong_parent_kind",
            Self::MissingParent { .. } => "missing_parent",
            Self::MicroGridOutsideGrid { .. } => "micro_grid_outside_grid",
            Self::GridWithoutWorker { .. } => "grid_without_worker",
            Self::UnanchoredPartyUnit { .. } => "unanchored_party_unit",
            Self::CompoundWithoutGrid { .. } => "compound_without_grid",
            Self::UnknownAnchor { .. } => "unknown_anchor",
            Self::AnchorKindMismatch { .. } => "anchor_kind_mismatch",
            Self::AnchorOnTerritory { .. } => "anchor_on_territory",
            Self::AnchorOutsideParent { .. } => "anchor_outside_parent",
            Self::HouseholdsOnWrongKind { .. } => "households_on_wrong_kind",
            Self::UnknownPersonUnit { .. } => "unknown_person_unit",
            Self::UnknownDutyPerson { .. } => "unknown_duty_person",
            Self::UnknownDutyUnit { .. } => "unknown_duty_unit",
            Self::DutyUnitMismatch { .. } => "duty_unit_mismatch",
            Self::DutyRoleMismatch { .. } => "duty_role_mismatch",
            Self::OfficeUnitInvalid { .. } => "office_unit_invalid",
            Self::TeamGridInvalid { .. } => "team_grid_invalid",
            Self::TeamWithoutGrid { .. } => "team_without_grid",
            Self::BadDutyList { .. } => "bad_duty_list",
            Self::BadArea { .. } => "bad_area",
            Self::InvalidArea { .. } => "invalid_area",
            Self::AreaOverlap { .. } => "area_overlap",
            Self::AreaOutsideParent { .. } => "area_outside_parent",
            Self::AreaGap { .. } => "area_gap",
            Self::MissingArea { .. } => "missing_area",
        }
    }

    /// The id of the unit, person, office or team the problem is about.
    #[must_use]
    pub fn subject(&self) -> &str {
        match self {
            Self::UnsupportedFormat { .. } => "",
            Self::DuplicateId { id, .. } => id,
            Self::Cycle { ids } => ids.first().map_or("", UnitId::as_str),
            Self::UnknownParent { id, .. }
            | Self::WrongParentKind { id, .. }
            | Self::MissingParent { id, .. }
            | Self::MicroGridOutsideGrid { id }
            | Self::GridWithoutWorker { id }
            | Self::UnanchoredPartyUnit { id, .. }
            | Self::CompoundWithoutGrid { id }
            | Self::UnknownAnchor { id, .. }
            | Self::AnchorKindMismatch { id, .. }
            | Self::AnchorOnTerritory { id, .. }
            | Self::AnchorOutsideParent { id, .. }
            | Self::HouseholdsOnWrongKind { id, .. } => id.as_str(),
            Self::UnknownPersonUnit { person, .. }
            | Self::UnknownDutyPerson { person, .. }
            | Self::UnknownDutyUnit { person, .. }
            | Self::DutyUnitMismatch { person, .. }
            | Self::DutyRoleMismatch { person, .. } => person,
            Self::OfficeUnitInvalid { id, .. }
            | Self::TeamGridInvalid { id, .. }
            | Self::TeamWithoutGrid { id } => id,
            Self::BadArea { unit, .. } => unit,
            Self::BadDutyList { subject, .. } => subject,
            Self::InvalidArea { id, .. }
            | Self::AreaOverlap { id, .. }
            | Self::AreaOutsideParent { id, .. }
            | Self::AreaGap { id, .. }
            | Self::MissingArea { id } => id,
        }
    }
}

/// An org spec could not be read or is not valid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrgError {
    /// The document is not valid JSON or does not have the spec's shape (an unknown field,
    /// a wrong type, a bad id or kind).
    #[error("org spec does not parse at line {line}, column {column}: {message}")]
    Parse {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The document parses but breaks the rules of the model; every problem is listed.
    #[error("{}", ProblemList(.0))]
    Invalid(Vec<OrgProblem>),
}

impl OrgError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Parse { .. } => "org_parse",
            Self::Invalid(_) => "org_invalid",
        }
    }

    /// The problems found (empty for a parse error).
    #[must_use]
    pub fn problems(&self) -> &[OrgProblem] {
        match self {
            Self::Parse { .. } => &[],
            Self::Invalid(p) => p,
        }
    }

    pub(crate) fn from_json(e: &serde_json::Error) -> Self {
        Self::Parse {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        }
    }
}

struct ProblemList<'a>(&'a [OrgProblem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 10;
        let n = self.0.len();
        write!(
            f,
            "org spec has {n} problem{}",
            if n == 1 { "" } else { "s" }
        )?;
        for p in self.0.iter().take(SHOWN) {
            write!(f, "\n- {p}")?;
        }
        if n > SHOWN {
            write!(f, "\n- … and {} more", n - SHOWN)?;
        }
        Ok(())
    }
}

/// A query named something the graph does not have, or the wrong kind of thing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LookupError {
    /// No unit has this id.
    #[error("unknown unit `{0}`")]
    UnknownUnit(String),
    /// No office has this id.
    #[error("unknown office `{0}`")]
    UnknownOffice(String),
    /// A query named a level that is not one of the five.
    #[error(transparent)]
    UnknownLevel(crate::id::UnknownNameError),
    /// The ledger has no case with this id.
    #[error("unknown case `{0}`")]
    UnknownCase(String),
    /// The rule set declares no such category.
    #[error("unknown category `{0}`; the rule set declares: {1}")]
    UnknownCategory(String, String),
    /// The ledger's register has no entry with this id.
    #[error("unknown register entry `{0}`; register it on a visit first")]
    UnknownEntry(String),
    /// The unit exists but is of a kind the query does not take.
    #[error("unit `{id}` is a {kind}; expected {}", kinds(.expected))]
    WrongKind {
        /// The unit.
        id: String,
        /// Its kind.
        kind: UnitKind,
        /// The kinds the query takes.
        expected: Vec<UnitKind>,
    },
}

/// A point could not be placed on the organisation's map.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LocateError {
    /// The organisation has no map.
    #[error(
        "the organisation has no map; add a `map` section with an area per micro-grid to locate points"
    )]
    NoMap,
    /// Not a longitude/latitude pair.
    #[error(
        "point [{point}] is not a place; longitude must be a finite number in [-180, 180] and latitude in [-90, 90]"
    )]
    BadPoint {
        /// The point as given, `lon, lat`.
        point: String,
    },
    /// Columns of longitudes and latitudes of different lengths.
    #[error("{lons} longitudes but {lats} latitudes; give one of each per point")]
    Lengths {
        /// Longitudes given.
        lons: usize,
        /// Latitudes given.
        lats: usize,
    },
    /// Inside no micro-grid.
    #[error("point [{point}] ({crs}) is in no micro-grid{}", .nearest.as_ref().map(|(u, m)| format!("; the nearest is `{u}`, about {m} m away")).unwrap_or_default())]
    Outside {
        /// The point as given, `lon, lat`.
        point: String,
        /// Its coordinate system.
        crs: crate::spatial::Crs,
        /// The nearest micro-grid and its distance in metres.
        nearest: Option<(String, u64)>,
    },
}

impl LocateError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::NoMap => "no_map",
            Self::BadPoint { .. } => "bad_point",
            Self::Lengths { .. } => "lengths_differ",
            Self::Outside { .. } => "outside_map",
        }
    }
}

impl LookupError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::UnknownUnit(_) => "unknown_unit",
            Self::UnknownOffice(_) => "unknown_office",
            Self::UnknownLevel(_) => "unknown_level",
            Self::UnknownCase(_) => "unknown_case",
            Self::UnknownEntry(_) => "unknown_entry",
            Self::UnknownCategory(..) => "unknown_category",
            Self::WrongKind { .. } => "wrong_kind",
        }
    }
}
