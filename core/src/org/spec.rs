//! The organisation spec: the JSON document an [`OrgGraph`](super::OrgGraph) is built from.
//!
//! Unknown fields are rejected everywhere, so a misspelt key is an error, not silently lost.

use serde::{Deserialize, Serialize};

use super::kind::{DutyKind, OfficeKind, Role, UnitKind};
use crate::id::{Category, OfficeId, PersonId, TeamId, UnitId};

/// The spec format this version of the library reads.
pub const ORG_FORMAT: u32 = 1;

/// A whole organisation: territory, party units, people, duties, offices and teams.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgSpec {
    /// Spec format version; must be [`ORG_FORMAT`].
    pub format: u32,
    /// Name of the organisation, e.g. `凫山街道`.
    pub name: String,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Where the data comes from and what in it is synthetic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Territorial and party units, in any order.
    pub units: Vec<UnitSpec>,
    /// People attached to units or offices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<PersonSpec>,
    /// Duty assignments: who answers for which unit or office.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duties: Vec<DutySpec>,
    /// Offices that take cases at department level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offices: Vec<OfficeSpec>,
    /// Volunteer service teams attached to grids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volunteer_teams: Vec<VolunteerTeamSpec>,
    /// The duty lists of grid workers (网格员职责清单), with the work areas they cover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duty_lists: Option<super::duty_lists::DutyListsSpec>,
    /// The territory on the map: an area (GeoJSON polygon) per micro-grid, grid or other
    /// territorial unit, in one declared coordinate system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map: Option<super::map::MapSpec>,
}

/// One territorial or party unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitSpec {
    /// Unique id among units and offices.
    pub id: UnitId,
    /// What the unit is.
    pub kind: UnitKind,
    /// The unit it sits directly under, in its own hierarchy; `None` for a root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<UnitId>,
    /// Chinese name.
    pub name: String,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// For party units: the territorial units this unit is built on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchored_to: Vec<UnitId>,
    /// A community or branch brand, such as Tiexi's "Red Steward" (红管家).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<Brand>,
    /// Households in a grid or micro-grid (used for visit coverage). A grid without its
    /// own figure counts the households of its micro-grids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub households: Option<u32>,
    /// `true` when the name and figures are invented for the example, not real.
    #[serde(default, skip_serializing_if = "is_false")]
    pub synthetic: bool,
}

// serde's skip_serializing_if passes a reference.
#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde passes a reference"
)]
pub(super) fn is_false(b: &bool) -> bool {
    !*b
}

/// A brand carried by a community or a party unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    /// Chinese name of the brand.
    pub name: String,
    /// English name of the brand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
}

/// A person in the organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct PersonSpec {
    /// Unique id among people.
    pub id: PersonId,
    /// Name (personal data).
    pub name: String,
    /// Role held.
    pub role: Role,
    /// The unit or office the person belongs to.
    pub unit: UnitId,
    /// `true` when the person is invented for the example.
    #[serde(default, skip_serializing_if = "is_false")]
    pub synthetic: bool,
}

/// A duty assignment: `person` answers for `unit` (a unit or an office) as `duty`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutySpec {
    /// Who holds the duty.
    pub person: PersonId,
    /// Which duty.
    pub duty: DutyKind,
    /// The unit or office it is held for.
    pub unit: UnitId,
    /// The duty lists held with it (ids from the organisation's `duty_lists`): a grid
    /// worker's common lists and the individual lists of their grid.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<crate::id::Name>,
}

/// An office that takes cases of some categories at department level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeSpec {
    /// Unique id among units and offices, e.g. `police_work_office`.
    pub id: OfficeId,
    /// What the office is.
    pub kind: OfficeKind,
    /// Chinese name.
    pub name: String,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The subdistrict it serves; `None` for a city-level body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitId>,
    /// The case categories the office takes.
    #[serde(default)]
    pub categories: Vec<Category>,
}

/// A volunteer service team (网格志愿服务团队) that extends grid workers' reach.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolunteerTeamSpec {
    /// Unique id among teams.
    pub id: TeamId,
    /// Name.
    pub name: String,
    /// The grids the team serves.
    pub grids: Vec<UnitId>,
    /// What the team can do: work areas of the organisation's duty lists (ids from
    /// `duty_lists.work_areas`); a case of a category in one of them may be given to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<crate::id::Name>,
    /// Number of members.
    #[serde(default)]
    pub members: u32,
    /// `true` when invented for the example.
    #[serde(default, skip_serializing_if = "is_false")]
    pub synthetic: bool,
}

crate::tsdecl::ts_alias!(Person = "PersonSpec");
