//! The `access` section of a rule set: which cases each role reaches ([`Scope`]), what it
//! may do with them ([`Action`]), and whether it sees residents' personal data. The
//! answers to access questions are made a layer above, by the engine's access methods
//! (`Engine::can` and the rest); this module is the data.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::macros::named_enum;
use crate::org::Role;

named_enum! {
    /// What an actor does with a case.
    Action, "action" {
        /// See the case and its timeline.
        View = "view",
        /// Report a case (上报): take a new case in, where the role's scope reaches its
        /// location (a resident: a case they report under their own id number).
        Report = "report",
        /// Take it in, handle it, record what was done.
        Act = "act",
        /// Send it up a level.
        Escalate = "escalate",
        /// Record its resolution.
        Resolve = "resolve",
        /// Score and evaluate (the monthly evaluation).
        Evaluate = "evaluate",
        /// Export it for analysis.
        Export = "export",
        /// Give the resident's satisfaction evaluation of a resolved case (群众评价).
        Rate = "rate",
    }
}

named_enum! {
    /// Which cases a role reaches.
    Scope, "scope" {
        /// Every case.
        All = "all",
        /// Cases located in the actor's unit (a community, a grid…).
        Unit = "unit",
        /// Cases in the grids or micro-grids the actor is posted to, as grid worker or as
        /// micro-grid leader (微网格长).
        DutyGrids = "duty_grids",
        /// Cases in the grids the actor liaises with.
        LiaisonGrids = "liaison_grids",
        /// Cases currently routed to the actor's office (as lead or co-deciding office).
        Office = "office",
        /// Cases the actor reported (their resident id number is the actor id).
        OwnCases = "own_cases",
        /// No case.
        None = "none",
    }
}

/// What one role may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RoleAccess {
    /// The cases it reaches.
    pub scope: Scope,
    /// What it may do with them.
    pub actions: Vec<Action>,
    /// Whether it sees reporters' names, phones and id numbers.
    #[serde(default)]
    pub personal_data: bool,
    /// The posts (the organisation's roles) whose holders may write in this role; empty:
    /// any person of the organisation. Binds writes only (`Engine::record`): a grid worker
    /// cannot record as the subdistrict by claiming its role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holders: Vec<Role>,
}

/// The `access` section of a rule set: role name → its access.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AccessSpec {
    /// Role name → access.
    pub roles: BTreeMap<String, RoleAccess>,
}

impl Default for AccessSpec {
    fn default() -> Self {
        use Action::{Act, Escalate, Evaluate, Export, Rate, Report, Resolve, View};
        let role = |scope, actions: &[Action], personal_data, holders: &[Role]| RoleAccess {
            scope,
            actions: actions.to_vec(),
            personal_data,
            holders: holders.to_vec(),
        };
        let cadres = [Role::CommitteeMember, Role::AreaSecretary];
        let office_people = [
            Role::OfficeStaff,
            Role::Police,
            Role::Lawyer,
            Role::Counsellor,
        ];
        // Staff never rate a case: the satisfaction evaluation is the resident's own.
        let all = [View, Report, Act, Escalate, Resolve, Evaluate, Export];
        let roles = [
            (
                "grid_worker",
                role(
                    Scope::DutyGrids,
                    &[View, Report, Act, Escalate, Resolve],
                    true,
                    &[Role::GridWorker],
                ),
            ),
            (
                "micro_grid_leader",
                role(
                    Scope::DutyGrids,
                    &[View, Report, Act, Resolve],
                    false,
                    &[Role::PartyMember, Role::Volunteer],
                ),
            ),
            (
                "committee_member",
                role(
                    Scope::LiaisonGrids,
                    &[View, Report, Act, Escalate, Resolve, Evaluate],
                    true,
                    &cadres,
                ),
            ),
            ("community_cadre", role(Scope::Unit, &all, true, &cadres)),
            (
                "subdistrict",
                role(
                    Scope::All,
                    &all,
                    true,
                    &[Role::OfficeStaff, Role::AreaSecretary],
                ),
            ),
            (
                "office",
                role(
                    Scope::Office,
                    &[View, Act, Escalate, Resolve],
                    true,
                    &office_people,
                ),
            ),
            (
                "resident",
                role(Scope::OwnCases, &[View, Report, Rate], false, &[]),
            ),
            (
                "analyst",
                role(Scope::All, &[View, Evaluate, Export], false, &[]),
            ),
        ];
        Self {
            roles: roles
                .into_iter()
                .map(|(name, r)| (name.to_owned(), r))
                .collect(),
        }
    }
}

impl AccessSpec {
    /// Whether this is the default (left out of a written rule set).
    #[must_use]
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}
