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

use crate::case::event::{Event, EventRecord, SYSTEM};
use crate::case::ledger::{CaseState, Ledger, LedgerError, Receipt};
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
    #[error("actor `{actor}` with role `{role}` may not {}{}; the role may {allowed}", .action.as_str(), on_case(*.action, .case.as_deref()))]
    Forbidden {
        /// The actor id.
        actor: String,
        /// The role.
        role: String,
        /// The action asked.
        action: Action,
        /// The case it was asked for, if one.
        case: Option<String>,
        /// What the role may do.
        allowed: String,
    },
    /// The case lies outside what the actor's role reaches.
    #[error(
        "actor `{actor}` with role `{role}` may not {} case `{case}`: it is outside the role's scope `{scope}`", verb(*.action)
    )]
    OutOfScope {
        /// The actor id.
        actor: String,
        /// The role.
        role: String,
        /// The action asked.
        action: Action,
        /// The case (for a visit, the unit visited).
        case: String,
        /// The role's scope.
        scope: Scope,
    },
    /// A write names an actor that is neither a person of the organisation nor a resident
    /// with a case (nor the system actor).
    #[error("{0}")]
    UnknownActor(Refusal),
    /// The event's `actor` field is not the actor writing it.
    #[error(
        "actor `{actor}` may not {} case `{case}` in the name of `{event_actor}`: an event's `actor` is the one who records it", verb(*.action)
    )]
    ActorMismatch {
        /// The actor id.
        actor: String,
        /// The event's `actor` field.
        event_actor: String,
        /// The action asked.
        action: Action,
        /// The case.
        case: String,
    },
    /// A person of the organisation claims a role their post does not hold (a grid worker
    /// as the subdistrict, a cadre of one community for another).
    #[error("{0}")]
    RoleNotHeld(Refusal),
    /// An event only the engine records (a reminder, an automatic escalation) came from
    /// someone else.
    #[error(
        "actor `{actor}` with role `{role}` may not record `{event}` on case `{case}`: only the system actor (`{system}` with role `{system}`) records it"
    )]
    SystemOnly {
        /// The actor id.
        actor: String,
        /// The role.
        role: String,
        /// The event type.
        event: &'static str,
        /// The case.
        case: String,
        /// The system actor's id and role.
        system: &'static str,
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
            Self::UnknownActor(_) => "unknown_actor",
            Self::ActorMismatch { .. } => "actor_mismatch",
            Self::SystemOnly { .. } => "system_only",
            Self::RoleNotHeld(_) => "role_not_held",
            Self::Lookup(e) => e.code(),
        }
    }
}

/// A refused write: who, in which role, asked to do what to which case, and why not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The actor id (a resident's masked).
    pub actor: String,
    /// The role claimed.
    pub role: String,
    /// The action asked.
    pub action: Action,
    /// The case (for a visit, the unit visited).
    pub case: String,
    /// Why not.
    pub reason: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "actor `{}` with role `{}` may not {} case `{}`: {}",
            self.actor,
            self.role,
            verb(self.action),
            self.case,
            self.reason
        )
    }
}

/// Why a resident is not known to a write.
const NO_CASE_OF_RESIDENT: &str =
    "no case in the ledger was reported under this id number, and this event reports none";

/// ` case `c1`` (` on case `c1`` after `act`), or nothing.
fn on_case(action: Action, case: Option<&str>) -> String {
    let on = if action == Action::Act { " on" } else { "" };
    case.map(|c| format!("{on} case `{c}`")).unwrap_or_default()
}

/// The action as a verb taking a case: `act on`, `resolve`, `rate`….
const fn verb(action: Action) -> &'static str {
    match action {
        Action::Act => "act on",
        other => other.as_str(),
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
        self.require_on(actor, action, None)
    }

    /// [`require`](Self::require) for an action on a case, which the error names.
    fn require_on(
        &self,
        actor: &Actor,
        action: Action,
        case: Option<&str>,
    ) -> Result<(), AccessError> {
        if self.allows(action) {
            return Ok(());
        }
        Err(AccessError::Forbidden {
            actor: shown_id(actor, self.access.scope),
            role: actor.role.clone(),
            action,
            case: case.map(str::to_owned),
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
        let builtin = (actor.role == SYSTEM_ROLE && !spec.roles.contains_key(SYSTEM_ROLE))
            .then(system_access);
        if actor.role == SYSTEM_ROLE && actor.id != SYSTEM {
            return Err(AccessError::UnknownRole {
                role: SYSTEM_ROLE.to_owned(),
                valid: format!(
                    "{} (`{SYSTEM_ROLE}` is the engine's own role, for the actor `{SYSTEM}` only)",
                    spec.roles.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            });
        }
        let Some(access) = builtin.or_else(|| spec.roles.get(&actor.role)) else {
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
            Scope::DutyGrids => {
                // The grids and micro-grids the actor is posted to: as grid worker or as
                // micro-grid leader (微网格长).
                let mut units = org.duty_units_of(&actor.id, DutyKind::GridWorker);
                units.extend(org.duty_units_of(&actor.id, DutyKind::MicroGridLeader));
                (units, String::new())
            }
            Scope::LiaisonGrids => (
                org.duty_units_of(&actor.id, DutyKind::Liaison),
                String::new(),
            ),
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
        self.reaches_place(
            actor,
            case.location.as_str(),
            reporter_id(case),
            case.assignment.as_deref(),
        )
    }

    /// Whether a resolved actor's scope reaches a case at `location`, reported by
    /// `reporter` (an id number), routed by `assignment`.
    fn reaches_place(
        &self,
        actor: &Resolved<'_>,
        location: &str,
        reporter: Option<&str>,
        assignment: Option<&crate::case::event::Assignment>,
    ) -> bool {
        match actor.access.scope {
            Scope::All => true,
            Scope::None => false,
            Scope::Unit | Scope::DutyGrids | Scope::LiaisonGrids => self
                .org
                .key(location)
                .is_some_and(|loc| actor.units.iter().any(|u| self.org.contains_key(*u, loc))),
            Scope::Office => assignment.is_some_and(|a| {
                a.office.as_ref().is_some_and(|o| o.as_str() == actor.key)
                    || a.co_offices.iter().any(|o| o.as_str() == actor.key)
            }),
            Scope::OwnCases => reporter == Some(actor.key.as_str()),
        }
    }

    /// Checks that `actor` may record `event` in `ledger`, without recording it: the
    /// event's `actor` is the actor; the actor is known (a person of the organisation, a
    /// resident who reported a case in the ledger or reports one now, or the system
    /// actor); the role allows the event's [`Action`] ([`action_of`]); its scope reaches
    /// the case (for a new report, the case as reported; for a visit, the unit visited;
    /// for a merge, both cases); and an event only the engine records comes from the
    /// system actor.
    ///
    /// # Errors
    /// [`AccessError`] naming the actor, the action and the case.
    pub fn authorize(
        &self,
        ledger: &Ledger,
        actor: &Actor,
        event: &EventRecord,
    ) -> Result<(), AccessError> {
        let resolved = self.resolve_actor(actor)?;
        let shown = shown_id(actor, resolved.scope());
        // A grid-work record is about a place: the unit visited, the register entry's
        // unit, the meeting's grids.
        let entry_unit = |entry: &str| {
            ledger
                .state()
                .entry(entry)
                .map(|e| e.entry.unit.as_str())
                .ok_or_else(|| {
                    crate::org::LookupError::UnknownEntry(crate::text::truncate_for_message(entry))
                })
        };
        let places: Vec<&str> = match (&event.event, &event.case) {
            (Event::Visited { unit, .. }, _) => vec![unit.as_str()],
            (Event::FollowedUp { entry, .. }, _)
            | (
                Event::TeamAssigned {
                    entry: Some(entry), ..
                },
                None,
            ) => vec![entry_unit(entry.as_str())?],
            (Event::MeetingHeld { meeting }, _) => meeting
                .grids
                .iter()
                .map(crate::id::UnitId::as_str)
                .collect(),
            _ => Vec::new(),
        };
        let subject = match places.first() {
            Some(p) => p,
            None => event.case.as_ref().map_or("", |c| c.as_str()),
        };
        let subject = crate::text::truncate_for_message(subject);
        let Some(action) = action_of(&event.event) else {
            if is_system(actor) && event.actor.as_str() == SYSTEM {
                return Ok(());
            }
            return Err(AccessError::SystemOnly {
                actor: shown,
                role: crate::text::truncate_for_message(&actor.role),
                event: event.event.kind(),
                case: subject,
                system: SYSTEM,
            });
        };
        if event.actor.as_str() != actor.id {
            return Err(AccessError::ActorMismatch {
                actor: shown,
                event_actor: shown_id(
                    &Actor {
                        id: event.actor.to_string(),
                        role: String::new(),
                        unit: None,
                    },
                    resolved.scope(),
                ),
                action,
                case: subject,
            });
        }
        let refusal = |reason: String| Refusal {
            actor: shown.clone(),
            role: crate::text::truncate_for_message(&actor.role),
            action,
            case: subject.clone(),
            reason,
        };
        let unknown = |reason: &str| AccessError::UnknownActor(refusal(reason.to_owned()));
        // A resident is known by a case reported under their id number: the one this event
        // reaches or reports, or else (looked for only then) any case of the ledger.
        let resident_unknown = |reached: bool| {
            let reports_now = matches!(&event.event, Event::Reported { case }
                if case.reporter.as_ref().and_then(|r| r.id_number.as_deref()) == Some(actor.id.as_str()));
            !reached
                && !reports_now
                && !ledger
                    .state()
                    .cases()
                    .iter()
                    .any(|c| reporter_id(c) == Some(actor.id.as_str()))
        };
        let resident = !is_system(actor) && resolved.scope() == Scope::OwnCases;
        if is_system(actor) || resident {
            // The engine itself is known by definition; a resident below, by their case.
        } else {
            let Some(person) = self.org.person(&actor.id) else {
                return Err(unknown("the actor is not a person of the organisation"));
            };
            if let Some(reason) = self.post_misfit(&resolved, actor, person) {
                return Err(AccessError::RoleNotHeld(refusal(reason)));
            }
        }
        if !resolved.allows(action) && resident && resident_unknown(false) {
            return Err(unknown(NO_CASE_OF_RESIDENT));
        }
        resolved.require_on(actor, action, Some(&subject))?;
        let out_of_scope = || AccessError::OutOfScope {
            actor: shown.clone(),
            role: crate::text::truncate_for_message(&actor.role),
            action,
            case: subject.clone(),
            scope: resolved.scope(),
        };
        let reached = match &event.event {
            Event::Reported { case } => self.reaches_place(
                &resolved,
                case.location.as_str(),
                case.reporter.as_ref().and_then(|r| r.id_number.as_deref()),
                None,
            ),
            _ if !places.is_empty() => places
                .iter()
                .all(|p| self.reaches_place(&resolved, p, None, None)),
            other => {
                let state = case_in(ledger, &subject)?;
                let into = match other {
                    Event::Merged { into } => Some(case_in(ledger, into.as_str())?),
                    _ => None,
                };
                self.reaches(&resolved, state) && into.is_none_or(|t| self.reaches(&resolved, t))
            }
        };
        if resident && resident_unknown(reached) {
            return Err(unknown(NO_CASE_OF_RESIDENT));
        }
        if reached { Ok(()) } else { Err(out_of_scope()) }
    }

    /// Why a person may not write in the role they claim, if so: their post is not one of
    /// the role's `holders`; or, for a role that reaches a unit or an office, the actor's
    /// unit is not the person's own (or, for a unit, one within it); or, for a role that
    /// reaches everything, the person belongs to an office rather than the territory.
    fn post_misfit(
        &self,
        r: &Resolved<'_>,
        actor: &Actor,
        person: &crate::org::PersonSpec,
    ) -> Option<String> {
        let holders = &r.access.holders;
        if !holders.is_empty() && !holders.contains(&person.role) {
            return Some(format!(
                "their post is `{}`; the role `{}` is held by {}",
                person.role.as_str(),
                crate::text::truncate_for_message(&actor.role),
                holders
                    .iter()
                    .map(|h| h.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let own = person.unit.as_str();
        match r.access.scope {
            Scope::Office => {
                let claimed = actor.unit.as_deref().unwrap_or_default();
                (claimed != own).then(|| {
                    format!(
                        "they belong to `{own}`, not to the office `{}`",
                        crate::text::truncate_for_message(claimed)
                    )
                })
            }
            Scope::Unit => {
                let claimed = actor.unit.as_deref().unwrap_or_default();
                (self.org.contains(own, claimed) != Ok(true)).then(|| {
                    format!(
                        "they belong to `{own}`, and `{}` is not within it",
                        crate::text::truncate_for_message(claimed)
                    )
                })
            }
            Scope::All if !holders.is_empty() => self.org.office(own).is_some().then(|| {
                format!("they belong to the office `{own}`, not to the territory the role reaches")
            }),
            _ => None,
        }
    }

    /// The authorized write: records `event` in `ledger` as done by `actor`, after
    /// [`authorize`](Self::authorize) and the ledger's own checks; on any refusal nothing
    /// is appended. A re-sent event (same `event_id`, same content) is receipted as a
    /// duplicate. This is the write path for users; `Ledger::append` is for replaying a
    /// trusted log.
    ///
    /// ```
    /// use gridgov::access::Actor;
    /// use gridgov::case::ledger::Ledger;
    /// let engine = gridgov::Engine::fushan();
    /// let mut ledger = Ledger::new();
    /// let case = gridgov::case::Case::from_json_str(r#"{"id": "c1", "channel": "hotline",
    ///   "category": "livelihood", "location": "fs-c01-g01-m1",
    ///   "reported_at": "2026-03-02T09:00:00+08:00"}"#)?;
    /// engine.record_intake(&mut ledger, &Actor::system(), case)?;
    /// let resolved = |who: &str| -> gridgov::case::event::EventRecord {
    ///     serde_json::from_value(serde_json::json!({"case": "c1",
    ///         "at": "2026-03-03T10:00:00+08:00", "actor": who,
    ///         "event": {"type": "resolved", "level": "micro_grid", "how": "done"}})).unwrap()
    /// };
    /// // A grid worker of another community may not resolve it; nothing is appended.
    /// let outsider = Actor { id: "fs-gw150".into(), role: "grid_worker".into(), unit: None };
    /// let err = engine.record(&mut ledger, &outsider, resolved("fs-gw150")).unwrap_err();
    /// assert_eq!(err.code(), "out_of_scope");
    /// assert_eq!(ledger.len(), 2);
    /// // The grid's own grid worker may.
    /// let own = Actor { id: "fs-gw001".into(), role: "grid_worker".into(), unit: None };
    /// engine.record(&mut ledger, &own, resolved("fs-gw001"))?;
    /// assert_eq!(ledger.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`RecordError::Access`] as [`authorize`](Self::authorize); [`RecordError::Ledger`]
    /// when the ledger refuses the event (an invalid transition, an `event_id` conflict,
    /// the file).
    pub fn record(
        &self,
        ledger: &mut Ledger,
        actor: &Actor,
        event: EventRecord,
    ) -> Result<Receipt, RecordError> {
        self.authorize(ledger, actor, &event)?;
        self.check_loop(ledger, &event)?;
        self.check_work(ledger, &event)?;
        Ok(ledger.append(event)?)
    }

    /// The authorized intake: `actor` reports `case` (the [`Action::Report`] must reach
    /// it), and the events of the engine's intake (the report and its routing, or its
    /// joining an earlier case) are appended together, in the actor's name.
    ///
    /// # Errors
    /// [`RecordError::Access`] as [`authorize`](Self::authorize) for the report;
    /// [`RecordError::Route`] when the case is invalid or cannot be routed;
    /// [`RecordError::Ledger`] when the ledger refuses the events.
    pub fn record_intake(
        &self,
        ledger: &mut Ledger,
        actor: &Actor,
        case: crate::case::Case,
    ) -> Result<Vec<Receipt>, RecordError> {
        let id = crate::id::PersonId::new(&actor.id).map_err(|e| {
            AccessError::UnknownActor(Refusal {
                actor: crate::text::truncate_for_message(&actor.id),
                role: crate::text::truncate_for_message(&actor.role),
                action: Action::Report,
                case: crate::text::truncate_for_message(case.id.as_str()),
                reason: e.to_string(),
            })
        })?;
        let report = EventRecord {
            event_id: None,
            case: Some(case.id.clone()),
            at: case.reported_at,
            actor: id.clone(),
            event: Event::Reported {
                case: std::sync::Arc::new(case.clone()),
            },
        };
        self.authorize(ledger, actor, &report)?;
        let events = self.intake(ledger, case, &id)?;
        Ok(ledger.append_all(events)?)
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
                action: Action::View,
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

/// The role of the system actor: the engine itself (automatic escalation, reminders,
/// reports taken in when the caller names no one). Built in: it needs no entry in the
/// rule set's `access` section, and only the actor `system` may take it.
pub const SYSTEM_ROLE: &str = "system";

/// What the system actor may do: everything the engine proposes (reports and their
/// routing, reroutes, reopenings, escalations), besides the events only it records.
fn system_access() -> &'static RoleAccess {
    static ACCESS: std::sync::LazyLock<RoleAccess> = std::sync::LazyLock::new(|| RoleAccess {
        scope: Scope::All,
        actions: vec![Action::View, Action::Report, Action::Act, Action::Escalate],
        personal_data: true,
        holders: Vec::new(),
    });
    &ACCESS
}

/// Whether `actor` is the system actor.
fn is_system(actor: &Actor) -> bool {
    actor.id == SYSTEM && actor.role == SYSTEM_ROLE
}

impl Actor {
    /// The system actor: id `system`, role `system`.
    #[must_use]
    pub fn system() -> Self {
        Self {
            id: SYSTEM.to_owned(),
            role: SYSTEM_ROLE.to_owned(),
            unit: None,
        }
    }
}

/// The action an event takes on its case, for [`Engine::authorize`]: a report, facts added
/// to one, or a petitioner's request for review, is [`Action::Report`], a resolution
/// [`Action::Resolve`], the resident's evaluation [`Action::Rate`], an escalation by
/// staff (manual, mediation failed), a supervision order or a sign-off
/// [`Action::Escalate`], every other step of handling (the call-back and verification
/// included) [`Action::Act`]. `None` for the
/// events only the engine records: reminders, escalations for an overdue case or a
/// repeat report, and reopenings for a repeat report.
#[must_use]
pub fn action_of(event: &Event) -> Option<Action> {
    use crate::case::event::{EscalationReason as Why, ReopenReason};
    Some(match event {
        Event::Reported { .. } => Action::Report,
        Event::Resolved { .. } => Action::Resolve,
        Event::Evaluated { .. } => Action::Rate,
        Event::Escalated {
            reason: Why::Manual | Why::MediationFailed,
            ..
        } => Action::Escalate,
        Event::Escalated { .. }
        | Event::Reminded { .. }
        | Event::Reopened {
            reason: ReopenReason::RepeatReport,
            ..
        } => return None,
        Event::ReviewRequested { .. } | Event::Amended { .. } => Action::Report,
        Event::Supervised { .. } | Event::SignedOff { .. } => Action::Escalate,
        Event::PetitionAccepted { .. }
        | Event::Extended { .. }
        | Event::ThirdPartyJoined { .. }
        | Event::SupervisionAnswered { .. }
        | Event::Verified { .. }
        | Event::CalledBack { .. }
        | Event::Accepted {}
        | Event::Assigned { .. }
        | Event::Returned { .. }
        | Event::Paused { .. }
        | Event::Resumed {}
        | Event::MediationFailed { .. }
        | Event::Consulted { .. }
        | Event::Reopened { .. }
        | Event::Shelved { .. }
        | Event::Merged { .. }
        | Event::Visited { .. }
        | Event::FollowedUp { .. }
        | Event::MeetingHeld { .. }
        | Event::TeamAssigned { .. } => Action::Act,
    })
}

/// An authorized write was refused: by access, by the ledger, or (an intake) by routing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The actor may not write this.
    #[error(transparent)]
    Access(#[from] AccessError),
    /// The ledger refused the event.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The reported case is invalid or cannot be routed.
    #[error(transparent)]
    Route(#[from] crate::route::RouteError),
    /// The rule set's closed loop does not allow the step (an extension beyond its bound,
    /// a review asked too late, closing an unverified case, supervision or sign-off from
    /// below).
    #[error(transparent)]
    Loop(#[from] crate::closed_loop::LoopError),
    /// A record of the grid's own work does not fit the organisation or the rule set (a
    /// unit of the wrong kind, an entry outside the unit visited, a grade the rule set
    /// lacks, a team that does not serve the grid).
    #[error(transparent)]
    Work(#[from] crate::grid_work::GridWorkError),
}

impl RecordError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Access(e) => e.code(),
            Self::Ledger(e) => e.code(),
            Self::Route(e) => e.code(),
            Self::Loop(e) => e.code(),
            Self::Work(e) => e.code(),
        }
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
