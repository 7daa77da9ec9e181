//! Who may see and do what: access by jurisdiction, as data in the rule set.
//!
//! An [`Actor`] has an id, a role and (for most roles) a unit. The rule set's `access`
//! section maps each role to a [`Scope`] (which cases it reaches), the [`Action`]s it may
//! take on them, and whether it sees residents' personal data. The defaults
//! ([`AccessSpec::default`]) follow the grid model: a grid worker sees and acts on the cases
//! of the grids they are posted to (定岗网格), a committee member on the grids they liaise
//! with (包保联系), community cadres in their community, the subdistrict everywhere, an
//! office on the cases routed to it, residents on their own cases (public timeline only).
//!
//! [`AccessIndex`] answers "which cases may I see" directly: cases sorted by their
//! location's place in the organisation's pre-order numbering, so a unit's cases are one
//! contiguous range (two binary searches), plus maps by office and by reporter. It never
//! checks every case against every rule.

use std::str::FromStr;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::case::ledger::{CaseState, Ledger};
use crate::case::timeline::TimelineEntry;
use crate::engine::Engine;
use crate::org::DutyKind;
use crate::org::UnitKey;
pub use crate::rules::access::{AccessSpec, Action, RoleAccess, Scope};

/// Someone asking: an id (a person of the organisation, or a resident's id number), a role
/// of the rule set's `access` section, and a unit or office where the role needs one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Actor {
    /// Person id, or a resident's id number.
    pub id: String,
    /// Role name.
    pub role: String,
    /// The unit (`unit` scope) or office (`office` scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// An access question could not be answered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessError {
    /// The role is not in the rule set's `access` section.
    #[error("unknown role `{role}`; roles are {valid}")]
    UnknownRole {
        /// The role given.
        role: String,
        /// The roles the rule set has.
        valid: String,
    },
    /// The role does not allow the action.
    #[error("actor `{actor}` with role `{role}` may not {action}; the role may {allowed}")]
    Forbidden {
        /// The actor id.
        actor: String,
        /// The role.
        role: String,
        /// The action asked.
        action: Action,
        /// What the role may do.
        allowed: String,
    },
    /// The case lies outside what the actor's role reaches.
    #[error(
        "actor `{actor}` with role `{role}` may not see case `{case}`: it is outside the role's scope `{scope}`"
    )]
    OutOfScope {
        /// The actor id.
        actor: String,
        /// The role.
        role: String,
        /// The case.
        case: String,
        /// The role's scope.
        scope: Scope,
    },
    /// The ledger has no such case.
    #[error(transparent)]
    Lookup(#[from] crate::org::LookupError),
    /// The role's scope needs a unit (or office) the actor lacks or the organisation has not.
    #[error("actor `{actor}` with role `{role}`: {reason}")]
    BadUnit {
        /// The actor id.
        actor: String,
        /// The role.
        role: String,
        /// What is wrong.
        reason: String,
    },
}

impl AccessError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::UnknownRole { .. } => "unknown_role",
            Self::BadUnit { .. } => "actor_unit",
            Self::Forbidden { .. } => "forbidden",
            Self::OutOfScope { .. } => "out_of_scope",
            Self::Lookup(e) => e.code(),
        }
    }
}

/// An actor resolved against the engine: the role's access and the units it reaches.
#[derive(Debug)]
pub struct Resolved<'e> {
    access: &'e RoleAccess,
    /// Territorial units whose cases the actor reaches (unit, duty and liaison scopes).
    units: Vec<UnitKey>,
    /// The office (office scope) or the resident id (own cases).
    key: String,
}

impl Resolved<'_> {
    /// The role's scope.
    #[must_use]
    pub const fn scope(&self) -> Scope {
        self.access.scope
    }

    /// Whether the actor's role sees personal data.
    #[must_use]
    pub const fn personal_data(&self) -> bool {
        self.access.personal_data
    }

    /// Whether the role allows `action` at all.
    #[must_use]
    pub fn allows(&self, action: Action) -> bool {
        self.access.actions.contains(&action)
    }

    /// [`allows`](Self::allows) as an error naming what the role may do.
    ///
    /// # Errors
    /// [`AccessError::Forbidden`].
    pub fn require(&self, actor: &Actor, action: Action) -> Result<(), AccessError> {
        if self.allows(action) {
            return Ok(());
        }
        Err(AccessError::Forbidden {
            actor: shown_id(actor, self.access.scope),
            role: actor.role.clone(),
            action,
            allowed: self
                .access
                .actions
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
    }
}

/// A case's state as an actor may see it: the reporter's name, phone and id number and
/// names in the summary masked unless the role sees personal data.
#[must_use]
pub fn case_for(actor: &Resolved<'_>, case: &CaseState) -> CaseState {
    let mut c = case.clone();
    if !actor.personal_data() {
        c.case = std::sync::Arc::new(crate::case::timeline::redact_case(&case.case));
    }
    c
}

impl Engine {
    /// The access section in force.
    #[must_use]
    pub fn access(&self) -> &AccessSpec {
        &self.rules.spec().access
    }

    /// Resolves an actor: its role's access and the units its scope reaches.
    ///
    /// # Errors
    /// [`AccessError`] for an unknown role, or a unit the scope needs that is missing or
    /// not in the organisation.
    pub fn resolve_actor(&self, actor: &Actor) -> Result<Resolved<'_>, AccessError> {
        let spec = self.access();
        let Some(access) = spec.roles.get(&actor.role) else {
            return Err(AccessError::UnknownRole {
                role: crate::text::truncate_for_message(&actor.role),
                valid: spec.roles.keys().cloned().collect::<Vec<_>>().join(", "),
            });
        };
        let bad = |reason: String| AccessError::BadUnit {
            actor: shown_id(actor, access.scope),
            role: actor.role.clone(),
            reason,
        };
        let org = &self.org;
        let (units, key) = match access.scope {
            Scope::All | Scope::None => (Vec::new(), String::new()),
            Scope::Unit => {
                let Some(unit) = actor.unit.as_deref() else {
                    return Err(bad(
                        "the role reaches the cases of a unit: give `unit`".to_owned()
                    ));
                };
                let territorial = |k: &UnitKey| {
                    org.kind_of(*k)
                        .is_some_and(|kind| kind.hierarchy() == crate::org::Hierarchy::Territory)
                };
                match org.key(unit).filter(territorial) {
                    Some(k) => (vec![k], String::new()),
                    None => {
                        return Err(bad(format!(
                            "`{}` is not a territorial unit of the organisation",
                            crate::text::truncate_for_message(unit)
                        )));
                    }
                }
            }
            Scope::DutyGrids | Scope::LiaisonGrids => {
                let kind = if access.scope == Scope::DutyGrids {
                    DutyKind::GridWorker
                } else {
                    DutyKind::Liaison
                };
                let units = org
                    .spec()
                    .duties
                    .iter()
                    .filter(|d| d.duty == kind && d.person.as_str() == actor.id)
                    .filter_map(|d| org.key(d.unit.as_str()))
                    .collect();
                (units, String::new())
            }
            Scope::Office => match actor.unit.as_deref() {
                Some(office) if org.office(office).is_some() => (Vec::new(), office.to_owned()),
                Some(office) => {
                    return Err(bad(format!(
                        "`{}` is not an office of the organisation",
                        crate::text::truncate_for_message(office)
                    )));
                }
                None => {
                    return Err(bad(
                        "the role reaches the cases routed to an office: give `unit` (the office id)"
                            .to_owned(),
                    ));
                }
            },
            Scope::OwnCases => (Vec::new(), actor.id.clone()),
        };
        Ok(Resolved { access, units, key })
    }

    /// Whether a resolved actor's scope reaches a case.
    #[must_use]
    pub fn reaches(&self, actor: &Resolved<'_>, case: &CaseState) -> bool {
        match actor.access.scope {
            Scope::All => true,
            Scope::None => false,
            Scope::Unit | Scope::DutyGrids | Scope::LiaisonGrids => self
                .org
                .key(case.location.as_str())
                .is_some_and(|loc| actor.units.iter().any(|u| self.org.contains_key(*u, loc))),
            Scope::Office => case.assignment.as_ref().is_some_and(|a| {
                a.office.as_ref().is_some_and(|o| o.as_str() == actor.key)
                    || a.co_offices.iter().any(|o| o.as_str() == actor.key)
            }),
            Scope::OwnCases => reporter_id(case) == Some(actor.key.as_str()),
        }
    }

    /// Whether `actor` may take `action` on `case`: the role allows the action and its
    /// scope reaches the case.
    ///
    /// ```
    /// use gridgov::access::{Action, Actor};
    /// let engine = gridgov::Engine::fushan();
    /// let ledger = gridgov::sim::simulate_month(&engine, 2026, 3, 50, 1).ledger;
    /// let case = &ledger.state().cases()[0];
    /// let everywhere = Actor { id: "fs-staff-1".into(), role: "subdistrict".into(), unit: None };
    /// assert_eq!(engine.can(&everywhere, Action::Resolve, case), Ok(true));
    /// let analyst = Actor { id: "a1".into(), role: "analyst".into(), unit: None };
    /// assert_eq!(engine.can(&analyst, Action::Resolve, case), Ok(false));
    /// ```
    ///
    /// # Errors
    /// As [`resolve_actor`](Self::resolve_actor).
    pub fn can(
        &self,
        actor: &Actor,
        action: Action,
        case: &CaseState,
    ) -> Result<bool, AccessError> {
        let r = self.resolve_actor(actor)?;
        Ok(r.allows(action) && self.reaches(&r, case))
    }

    /// A case's timeline: every event about it and the repeat reports joined to it, in
    /// order; `public` masks personal data (信访事项处理全过程公开) and shows actors outside
    /// the organisation as `resident`.
    ///
    /// # Errors
    /// [`LookupError::UnknownCase`](crate::org::LookupError::UnknownCase).
    pub fn timeline(
        &self,
        ledger: &Ledger,
        case: &str,
        public: bool,
    ) -> Result<Vec<TimelineEntry>, crate::org::LookupError> {
        crate::case::timeline::timeline(ledger, &self.org, case, public).ok_or_else(|| {
            crate::org::LookupError::UnknownCase(crate::text::truncate_for_message(case))
        })
    }

    /// A case's timeline as `actor` may see it: the actor must be allowed to view the
    /// case; it is the public timeline (personal data masked) unless the role sees
    /// personal data.
    ///
    /// # Errors
    /// [`AccessError`]: an unknown role or unit, a case the ledger does not have, a role
    /// that may not view, a case outside the role's scope.
    pub fn timeline_for(
        &self,
        actor: &Actor,
        ledger: &Ledger,
        case: &str,
    ) -> Result<Vec<TimelineEntry>, AccessError> {
        let resolved = self.resolve_actor(actor)?;
        let state = case_in(ledger, case)?;
        resolved.require(actor, Action::View)?;
        if !self.reaches(&resolved, state) {
            return Err(AccessError::OutOfScope {
                actor: shown_id(actor, resolved.scope()),
                role: actor.role.clone(),
                case: crate::text::truncate_for_message(case),
                scope: resolved.scope(),
            });
        }
        Ok(self.timeline(ledger, case, !resolved.personal_data())?)
    }

    /// The states of the cases `actor` may see, for export: the role must allow `export`;
    /// reporters' names, phones and id numbers (and names in summaries) are masked unless
    /// the role sees personal data.
    ///
    /// # Errors
    /// [`AccessError`]: an unknown role or unit, or [`AccessError::Forbidden`] when the
    /// role may not export.
    pub fn export(&self, actor: &Actor, ledger: &Ledger) -> Result<Vec<CaseState>, AccessError> {
        let resolved = self.resolve_actor(actor)?;
        resolved.require(actor, Action::Export)?;
        Ok(AccessIndex::new(self, ledger)
            .visible_to(self, &resolved)
            .into_iter()
            .map(|c| case_for(&resolved, c))
            .collect())
    }

    /// Whether `actor` may take `action` on the case `case` of `ledger`.
    ///
    /// # Errors
    /// As [`can`](Self::can), and [`AccessError::Lookup`] for a case the ledger does not
    /// have.
    pub fn can_in(
        &self,
        actor: &Actor,
        action: Action,
        ledger: &Ledger,
        case: &str,
    ) -> Result<bool, AccessError> {
        let r = self.resolve_actor(actor)?;
        let state = case_in(ledger, case)?;
        Ok(r.allows(action) && self.reaches(&r, state))
    }

    /// The cases `actor` may see in `ledger`, in the order they were reported. Builds an
    /// [`AccessIndex`]; to ask many times, build one and use [`AccessIndex::visible`].
    ///
    /// # Errors
    /// As [`resolve_actor`](Self::resolve_actor).
    pub fn visible_cases<'l>(
        &self,
        actor: &Actor,
        ledger: &'l Ledger,
    ) -> Result<Vec<&'l CaseState>, AccessError> {
        AccessIndex::new(self, ledger).visible(self, actor)
    }
}

/// An actor id as error messages show it: a resident's id (their id number) masked like
/// any personal data, other ids shortened if long.
#[must_use]
pub fn shown_id(actor: &Actor, scope: Scope) -> String {
    if scope == Scope::OwnCases {
        crate::case::timeline::mask_number(&actor.id)
    } else {
        crate::text::truncate_for_message(&actor.id)
    }
}

/// The state of a case of a ledger, or the lookup error naming it.
fn case_in<'l>(ledger: &'l Ledger, id: &str) -> Result<&'l CaseState, crate::org::LookupError> {
    ledger
        .case(id)
        .ok_or_else(|| crate::org::LookupError::UnknownCase(crate::text::truncate_for_message(id)))
}

/// The resident id of a case's reporter: their id number.
fn reporter_id(case: &CaseState) -> Option<&str> {
    case.case.reporter.as_ref()?.id_number.as_deref()
}

/// The cases of a ledger indexed for access questions: by location interval, by office
/// routed to, by reporter.
#[derive(Debug)]
pub struct AccessIndex<'l> {
    cases: &'l [CaseState],
    /// (pre-order number of the location, position), sorted.
    by_place: Vec<(u32, u32)>,
    by_office: FxHashMap<&'l str, Vec<u32>>,
    by_reporter: FxHashMap<&'l str, Vec<u32>>,
}

impl<'l> AccessIndex<'l> {
    /// Indexes the cases of `ledger` against `engine`'s organisation.
    #[must_use]
    pub fn new(engine: &Engine, ledger: &'l Ledger) -> Self {
        let cases = ledger.state().cases();
        let mut by_place = Vec::with_capacity(cases.len());
        let mut by_office: FxHashMap<&'l str, Vec<u32>> = FxHashMap::default();
        let mut by_reporter: FxHashMap<&'l str, Vec<u32>> = FxHashMap::default();
        for (c, pos) in cases.iter().zip(0u32..) {
            if let Some(start) = engine
                .org
                .key(c.location.as_str())
                .and_then(|k| engine.org.span(k))
                .map(|(s, _)| s)
            {
                by_place.push((start, pos));
            }
            if let Some(a) = &c.assignment {
                for o in a.office.iter().chain(a.co_offices.iter()) {
                    let list = by_office.entry(o.as_str()).or_default();
                    if list.last() != Some(&pos) {
                        list.push(pos);
                    }
                }
            }
            if let Some(r) = reporter_id(c) {
                by_reporter.entry(r).or_default().push(pos);
            }
        }
        by_place.sort_unstable();
        Self {
            cases,
            by_place,
            by_office,
            by_reporter,
        }
    }

    /// The cases `actor` may see (its role allows `view` and its scope reaches them), in
    /// the order they were reported.
    ///
    /// # Errors
    /// As [`Engine::resolve_actor`].
    pub fn visible(
        &self,
        engine: &Engine,
        actor: &Actor,
    ) -> Result<Vec<&'l CaseState>, AccessError> {
        Ok(self.visible_to(engine, &engine.resolve_actor(actor)?))
    }

    /// [`visible`](Self::visible) for an actor already resolved.
    #[must_use]
    pub fn visible_to(&self, engine: &Engine, r: &Resolved<'_>) -> Vec<&'l CaseState> {
        if !r.allows(Action::View) {
            return Vec::new();
        }
        let mut positions: Vec<u32> = match r.access.scope {
            Scope::All => return self.cases.iter().collect(),
            Scope::None => Vec::new(),
            Scope::Unit | Scope::DutyGrids | Scope::LiaisonGrids => {
                let mut out = Vec::new();
                for unit in &r.units {
                    let Some((start, end)) = engine.org.span(*unit) else {
                        continue;
                    };
                    let from = self.by_place.partition_point(|p| p.0 < start);
                    let to = self.by_place.partition_point(|p| p.0 <= end);
                    if let Some(range) = self.by_place.get(from..to) {
                        out.extend(range.iter().map(|p| p.1));
                    }
                }
                out
            }
            Scope::Office => self
                .by_office
                .get(r.key.as_str())
                .cloned()
                .unwrap_or_default(),
            Scope::OwnCases => self
                .by_reporter
                .get(r.key.as_str())
                .cloned()
                .unwrap_or_default(),
        };
        positions.sort_unstable();
        positions.dedup();
        positions
            .into_iter()
            .filter_map(|p| self.cases.get(p as usize))
            .collect()
    }
}

impl FromStr for Actor {
    type Err = crate::input::JsonError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::input::from_json("actor", s)
    }
}
