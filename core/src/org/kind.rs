//! The closed vocabularies of the organisation: unit kinds, levels, roles, duties, offices.

use serde::{Deserialize, Serialize};

use crate::macros::named_enum;

named_enum! {
    /// The kind of a unit: six territorial kinds and five party kinds.
    UnitKind, "unit kind" {
        /// 街道: the subdistrict, root of the territory.
        Subdistrict = "subdistrict",
        /// 社区: a community.
        Community = "community",
        /// 小区: a residential compound.
        Compound = "compound",
        /// 社区网格: a community grid.
        Grid = "grid",
        /// 微网格: a micro-grid inside a grid.
        MicroGrid = "micro_grid",
        /// 楼栋: a building.
        Building = "building",
        /// 街道党工委: the subdistrict party working committee.
        WorkingCommittee = "working_committee",
        /// 社区党委: a community party committee.
        CommunityPartyCommittee = "community_party_committee",
        /// 小区网格党支部: a grid party branch.
        GridPartyBranch = "grid_party_branch",
        /// 楼栋党小组: a building party group.
        BuildingPartyGroup = "building_party_group",
        /// 党员中心户: a party-member lead household.
        LeadHousehold = "lead_household",
    }
}

/// Which of the two containment trees a unit belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hierarchy {
    /// Territory: subdistrict → community → compound → grid → micro-grid → building.
    Territory,
    /// Party: working committee → community committee → branch → group → lead household.
    Party,
}

impl UnitKind {
    /// The containment tree this kind lives in.
    #[must_use]
    pub const fn hierarchy(self) -> Hierarchy {
        match self {
            Self::Subdistrict
            | Self::Community
            | Self::Compound
            | Self::Grid
            | Self::MicroGrid
            | Self::Building => Hierarchy::Territory,
            Self::WorkingCommittee
            | Self::CommunityPartyCommittee
            | Self::GridPartyBranch
            | Self::BuildingPartyGroup
            | Self::LeadHousehold => Hierarchy::Party,
        }
    }

    /// The kinds a unit of this kind may sit directly under; empty for the roots.
    ///
    /// A grid may sit in a compound or directly in a community (streets and shops outside
    /// any compound); a building in a micro-grid or, where a grid has no micro-grids, in a grid.
    #[must_use]
    pub const fn allowed_parents(self) -> &'static [UnitKind] {
        match self {
            Self::Subdistrict | Self::WorkingCommittee => &[],
            Self::Community => &[Self::Subdistrict],
            Self::Compound => &[Self::Community],
            Self::Grid => &[Self::Compound, Self::Community],
            Self::MicroGrid => &[Self::Grid],
            Self::Building => &[Self::MicroGrid, Self::Grid],
            Self::CommunityPartyCommittee => &[Self::WorkingCommittee],
            Self::GridPartyBranch => &[Self::CommunityPartyCommittee],
            Self::BuildingPartyGroup => &[Self::GridPartyBranch],
            Self::LeadHousehold => &[Self::BuildingPartyGroup],
        }
    }

    /// The territorial kinds a party unit of this kind may be anchored to; empty for territory.
    ///
    /// "Branches are built on the grids, party groups are set in the buildings"
    /// (支部建到网格上, 党小组设到楼院里).
    #[must_use]
    pub const fn allowed_anchors(self) -> &'static [UnitKind] {
        match self {
            Self::WorkingCommittee => &[Self::Subdistrict],
            Self::CommunityPartyCommittee => &[Self::Community],
            Self::GridPartyBranch => &[Self::Grid],
            Self::BuildingPartyGroup | Self::LeadHousehold => &[Self::Building, Self::MicroGrid],
            _ => &[],
        }
    }

    /// The routing level a territorial kind stands for, if any.
    #[must_use]
    pub const fn level(self) -> Option<Level> {
        match self {
            Self::MicroGrid => Some(Level::MicroGrid),
            Self::Grid => Some(Level::Grid),
            Self::Community => Some(Level::Community),
            Self::Subdistrict => Some(Level::Subdistrict),
            _ => None,
        }
    }

    /// The Chinese name of the kind, for reports.
    #[must_use]
    pub const fn chinese(self) -> &'static str {
        match self {
            Self::Subdistrict => "街道",
            Self::Community => "社区",
            Self::Compound => "小区",
            Self::Grid => "网格",
            Self::MicroGrid => "微网格",
            Self::Building => "楼栋",
            Self::WorkingCommittee => "街道党工委",
            Self::CommunityPartyCommittee => "社区党委",
            Self::GridPartyBranch => "网格党支部",
            Self::BuildingPartyGroup => "楼栋党小组",
            Self::LeadHousehold => "党员中心户",
        }
    }
}

named_enum! {
    /// A level a case can be handled at, low to high (ordering follows the list).
    ///
    /// "Small matters stay in the grid, big matters stay in the community"
    /// (小事不出网格、大事不出社区).
    Level, "level" {
        /// 微网格.
        MicroGrid = "micro_grid",
        /// 网格.
        Grid = "grid",
        /// 社区.
        Community = "community",
        /// 街道.
        Subdistrict = "subdistrict",
        /// City departments and the named offices (police work office, judicial office…).
        Department = "department",
    }
}

impl Level {
    /// A level named in a query (a binding's text argument), or the lookup error naming
    /// the five.
    ///
    /// # Errors
    /// [`LookupError::UnknownLevel`](super::LookupError::UnknownLevel).
    pub fn of_query(text: &str) -> Result<Self, super::LookupError> {
        text.parse().map_err(super::LookupError::UnknownLevel)
    }

    /// The next level up, or `None` at the top.
    #[must_use]
    pub const fn up(self) -> Option<Level> {
        match self {
            Self::MicroGrid => Some(Self::Grid),
            Self::Grid => Some(Self::Community),
            Self::Community => Some(Self::Subdistrict),
            Self::Subdistrict => Some(Self::Department),
            Self::Department => None,
        }
    }

    /// Position from the bottom: micro-grid 0 … department 4.
    #[must_use]
    pub const fn rank(self) -> usize {
        match self {
            Self::MicroGrid => 0,
            Self::Grid => 1,
            Self::Community => 2,
            Self::Subdistrict => 3,
            Self::Department => 4,
        }
    }

    /// The territorial kind that stands for this level; `None` for department.
    #[must_use]
    pub const fn unit_kind(self) -> Option<UnitKind> {
        match self {
            Self::MicroGrid => Some(UnitKind::MicroGrid),
            Self::Grid => Some(UnitKind::Grid),
            Self::Community => Some(UnitKind::Community),
            Self::Subdistrict => Some(UnitKind::Subdistrict),
            Self::Department => None,
        }
    }

    /// The Chinese name of the level.
    #[must_use]
    pub const fn chinese(self) -> &'static str {
        match self {
            Self::MicroGrid => "微网格",
            Self::Grid => "网格",
            Self::Community => "社区",
            Self::Subdistrict => "街道",
            Self::Department => "部门",
        }
    }
}

named_enum! {
    /// The role a person holds.
    Role, "role" {
        /// 网格员: a full-time grid worker.
        GridWorker = "grid_worker",
        /// 社区两委成员: a member of the community "two committees".
        CommitteeMember = "committee_member",
        /// 片区党总支书记: an area general party branch secretary.
        AreaSecretary = "area_secretary",
        /// 两代表一委员: a people's congress or party congress deputy, or a CPPCC member.
        Deputy = "deputy",
        /// 志愿者: a volunteer.
        Volunteer = "volunteer",
        /// 党员: a party member, such as the head of a party-member lead household
        /// (党员中心户).
        PartyMember = "party_member",
        /// 律师: a lawyer (the Thursday duty lawyer).
        Lawyer = "lawyer",
        /// 心理咨询师: a psychological counsellor.
        Counsellor = "counsellor",
        /// 民警: a police officer.
        Police = "police",
        /// 工作人员: office staff of the subdistrict or an office.
        OfficeStaff = "office_staff",
    }
}

named_enum! {
    /// A duty that makes a person answer for a unit or an office.
    DutyKind, "duty" {
        /// A grid worker posted to a grid or a micro-grid (定岗网格).
        GridWorker = "grid_worker",
        /// A committee member who takes responsibility for a grid (包保联系网格).
        Liaison = "liaison",
        /// The person who answers for a community, a subdistrict or an office.
        Lead = "lead",
        /// 微网格长: the micro-grid leader, a party-member lead household or a volunteer,
        /// the first handler of the micro-grid's matters with the grid worker following.
        MicroGridLeader = "micro_grid_leader",
    }
}

impl DutyKind {
    /// The unit kinds this duty may be assigned to (offices are allowed for `lead`, see
    /// [`DutyKind::allows_office`]).
    #[must_use]
    pub const fn allowed_unit_kinds(self) -> &'static [UnitKind] {
        match self {
            Self::GridWorker => &[UnitKind::Grid, UnitKind::MicroGrid],
            Self::Liaison => &[UnitKind::Grid],
            Self::Lead => &[UnitKind::Community, UnitKind::Subdistrict],
            Self::MicroGridLeader => &[UnitKind::MicroGrid],
        }
    }

    /// Whether this duty may be assigned to an office.
    #[must_use]
    pub const fn allows_office(self) -> bool {
        matches!(self, Self::Lead)
    }

    /// The roles that may hold this duty.
    #[must_use]
    pub const fn allowed_roles(self) -> &'static [Role] {
        match self {
            Self::GridWorker => &[Role::GridWorker],
            Self::Liaison => &[Role::CommitteeMember, Role::AreaSecretary],
            Self::Lead => &[
                Role::CommitteeMember,
                Role::AreaSecretary,
                Role::OfficeStaff,
                Role::Police,
                Role::Lawyer,
            ],
            Self::MicroGridLeader => &[Role::PartyMember, Role::Volunteer],
        }
    }
}

named_enum! {
    /// The kind of an office that takes cases at department level.
    OfficeKind, "office kind" {
        /// 警务工作室: police work office.
        PoliceWorkOffice = "police_work_office",
        /// 司法所: judicial office.
        JudicialOffice = "judicial_office",
        /// 信访办: petitions office.
        PetitionsOffice = "petitions_office",
        /// 综治办: comprehensive governance office.
        ComprehensiveGovernanceOffice = "comprehensive_governance_office",
        /// 周四律师坐班: the Thursday duty lawyer desk.
        DutyLawyerDesk = "duty_lawyer_desk",
        /// A city department or other body.
        CityDepartment = "city_department",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in UnitKind::ALL {
            assert_eq!(k.as_str().parse::<UnitKind>().unwrap(), *k);
            let json = serde_json::to_string(k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        for l in Level::ALL {
            assert_eq!(l.as_str().parse::<Level>().unwrap(), *l);
        }
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), *r);
        }
    }

    #[test]
    fn unknown_names_list_valid_ones() {
        let err = "microgrid".parse::<Level>().unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("`microgrid`"), "{msg}");
        assert!(msg.contains("micro_grid"), "{msg}");
    }

    #[test]
    fn levels_climb_in_order() {
        let mut l = Level::MicroGrid;
        let mut seen = vec![l];
        while let Some(next) = l.up() {
            assert!(next > l);
            assert_eq!(next.rank(), l.rank() + 1);
            l = next;
            seen.push(l);
        }
        assert_eq!(seen, Level::ALL);
    }

    #[test]
    fn parent_and_anchor_rules_stay_inside_their_hierarchy() {
        for k in UnitKind::ALL {
            for p in k.allowed_parents() {
                assert_eq!(p.hierarchy(), k.hierarchy(), "{k} under {p}");
            }
            for a in k.allowed_anchors() {
                assert_eq!(k.hierarchy(), Hierarchy::Party);
                assert_eq!(a.hierarchy(), Hierarchy::Territory);
            }
            if k.hierarchy() == Hierarchy::Party {
                assert!(!k.allowed_anchors().is_empty(), "{k} must be anchorable");
            }
        }
    }
}
