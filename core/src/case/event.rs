//! Events: every step of a case's life, each with its actor and time (inputs, never read
//! from a clock). A ledger is a list of them; a case's state is their fold.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use thin_vec::ThinVec;

use super::Case;
use crate::calendar::TimeLimit;
use crate::id::{CaseId, Category, Name, OfficeId, PersonId, TeamId, UnitId, WorkId};
use crate::macros::named_enum;
use crate::org::Level;
use crate::time::Timestamp;

/// The format of snapshots ([`LedgerState`](super::ledger::LedgerState)), and of ledger
/// documents written before the chain: events without hashes.
pub const LEDGER_FORMAT: u32 = 1;

/// The format of ledger documents this version writes: every record carries its SHA-256
/// chain hash and the document its head (see [`Ledger::verify`](super::ledger::Ledger::verify)).
/// Documents of format [`LEDGER_FORMAT`] are still read.
pub const CHAINED_FORMAT: u32 = 2;

/// The longest `event_id` accepted, in characters.
pub const MAX_EVENT_ID: usize = 128;

/// The actor of what the engine does by itself (automatic escalation, reminders) and of
/// reports taken in when the caller names no one.
pub const SYSTEM: &str = "system";

/// Who did something: a person of the organisation, a resident, an external system, or
/// `system` for steps the engine proposes.
pub type ActorId = PersonId;

crate::tsdecl::ts_alias!(ActorId = "PersonId");

/// A routing decision as the ledger keeps it: where the case is handled, by whom, until when.
///
/// It reads and prints as one flat JSON object (the TypeScript `Assignment`); in memory
/// the fields few decisions set (a booked sitting, the facts missing when it was taken in
/// incomplete) sit apart in [`Assignment::extras`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(from = "AssignmentWire")]
pub struct Assignment {
    /// The level that handles the case.
    pub level: Level,
    /// The unit at that level (none at department level).
    pub unit: Option<UnitId>,
    /// The lead office, if any.
    pub office: Option<OfficeId>,
    /// Offices that decide together with the lead (联合会商).
    pub co_offices: ThinVec<OfficeId>,
    /// The person who owns the case now.
    pub handler: Option<PersonId>,
    /// Who follows the handler from the start (the grid worker behind a micro-grid
    /// leader).
    pub following: Option<PersonId>,
    /// The time limit.
    pub time_limit: TimeLimit,
    /// The deadline, before any pause.
    pub due: Timestamp,
    /// The grade.
    pub grade: Option<Name>,
    /// Decision flags.
    pub flags: ThinVec<Name>,
    /// The rule that decided: `version/table/row`, or why (`escalation`, `reopen`…). A
    /// ledger holds each rule's text once, however many decisions name it.
    pub rule: Option<arcstr::ArcStr>,
    /// What few decisions carry (a booked sitting, the facts missing), read as an
    /// [`AssignmentExtras`]; it takes room only once something is in it.
    pub extras: super::rare::RareBox<AssignmentExtras>,
}

/// What few decisions carry: the sitting the matter is booked into, and what the report
/// lacked when it was taken in incomplete. Part of an [`Assignment`] (its `extras`), read
/// through it; as JSON its fields sit in the decision's own object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssignmentExtras {
    /// The sitting the matter is booked into (the Thursday duty lawyer, a joint reception
    /// day); its deadline counts from the sitting.
    pub sitting: Option<Box<Booking>>,
    /// What the report lacks or gives wrongly, when it was taken in incomplete and routed
    /// on the safe side (the most urgent decision the known facts allow); empty once the
    /// facts are complete.
    pub incomplete: ThinVec<MissingFact>,
}

/// What an empty [`AssignmentExtras`] reads as.
static EMPTY_ASSIGNMENT_EXTRAS: AssignmentExtras = AssignmentExtras {
    sitting: None,
    incomplete: ThinVec::new(),
};

impl super::rare::Rare for AssignmentExtras {
    fn empty() -> &'static Self {
        &EMPTY_ASSIGNMENT_EXTRAS
    }
}

// The JSON and TypeScript shape of an `Assignment`: every field flat, as the derive of the
// whole struct read it before the rarely set fields moved to `AssignmentExtras`. Printing
// is `Assignment`'s own `Serialize`, which writes the same fields without copying them.
/// A routing decision as the ledger keeps it: where the case is handled, by whom, until when.
#[derive(Deserialize)]
#[cfg_attr(test, derive(Serialize))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "Assignment"))]
struct AssignmentWire {
    /// The level that handles the case.
    pub level: Level,
    /// The unit at that level (none at department level).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitId>,
    /// The lead office, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<OfficeId>,
    /// Offices that decide together with the lead (联合会商).
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "OfficeId[]"))]
    pub co_offices: ThinVec<OfficeId>,
    /// The person who owns the case now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler: Option<PersonId>,
    /// Who follows the handler from the start (the grid worker behind a micro-grid
    /// leader).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<PersonId>,
    /// The time limit.
    pub time_limit: TimeLimit,
    /// The deadline, before any pause.
    pub due: Timestamp,
    /// The grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Name>,
    /// Decision flags.
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "Name[]"))]
    pub flags: ThinVec<Name>,
    /// The rule that decided: `version/table/row`, or why (`escalation`, `reopen`…). A
    /// ledger holds each rule's text once, however many decisions name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub rule: Option<arcstr::ArcStr>,
    /// The sitting the matter is booked into (the Thursday duty lawyer, a joint reception
    /// day); its deadline counts from the sitting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sitting: Option<Box<Booking>>,
    /// What the report lacks or gives wrongly, when it was taken in incomplete and routed
    /// on the safe side (the most urgent decision the known facts allow); empty once the
    /// facts are complete.
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "MissingFact[]"))]
    pub incomplete: ThinVec<MissingFact>,
}

impl Serialize for Assignment {
    /// The flat shape's fields (those the derive of the whole struct wrote), in its order
    /// and with its omissions (a test holds the two to the same bytes), written from the
    /// decision itself: the chain hash of every decision event is taken over these bytes,
    /// so nothing is copied to write them.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        /// Writes `value` under `key`, or skips the key when `omit` says so.
        fn field<S: SerializeStruct, T: Serialize + ?Sized>(
            st: &mut S,
            key: &'static str,
            value: &T,
            omit: bool,
        ) -> Result<(), S::Error> {
            if omit {
                st.skip_field(key)
            } else {
                st.serialize_field(key, value)
            }
        }
        let e = &*self.extras;
        let mut st = s.serialize_struct("Assignment", 13)?;
        st.serialize_field("level", &self.level)?;
        field(&mut st, "unit", &self.unit, self.unit.is_none())?;
        field(&mut st, "office", &self.office, self.office.is_none())?;
        field(
            &mut st,
            "co_offices",
            &self.co_offices,
            self.co_offices.is_empty(),
        )?;
        field(&mut st, "handler", &self.handler, self.handler.is_none())?;
        field(
            &mut st,
            "following",
            &self.following,
            self.following.is_none(),
        )?;
        st.serialize_field("time_limit", &self.time_limit)?;
        st.serialize_field("due", &self.due)?;
        field(&mut st, "grade", &self.grade, self.grade.is_none())?;
        field(&mut st, "flags", &self.flags, self.flags.is_empty())?;
        field(&mut st, "rule", &self.rule, self.rule.is_none())?;
        field(&mut st, "sitting", &e.sitting, e.sitting.is_none())?;
        field(
            &mut st,
            "incomplete",
            &e.incomplete,
            e.incomplete.is_empty(),
        )?;
        st.end()
    }
}

impl From<AssignmentWire> for Assignment {
    fn from(w: AssignmentWire) -> Self {
        Self {
            level: w.level,
            unit: w.unit,
            office: w.office,
            co_offices: w.co_offices,
            handler: w.handler,
            following: w.following,
            time_limit: w.time_limit,
            due: w.due,
            grade: w.grade,
            flags: w.flags,
            rule: w.rule,
            extras: AssignmentExtras {
                sitting: w.sitting,
                incomplete: w.incomplete,
            }
            .into(),
        }
    }
}

/// Facts added to or corrected in a report by an `amended` event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Amendment {
    /// Attributes given or corrected (replacing those of the same code).
    #[serde(default, skip_serializing_if = "super::Attributes::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, AttrValue>"))]
    pub attributes: super::Attributes,
    /// The risk flags, replacing those reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_flags: Option<Vec<Name>>,
    /// The channel, corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<crate::id::Channel>,
    /// People involved, corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people_involved: Option<u32>,
    /// The amount, corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_yuan: Option<crate::fixed::Fixed2>,
}

impl Amendment {
    /// Whether it gives no fact.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Applies the facts to a case.
    pub fn apply_to(&self, case: &mut Case) {
        for (code, value) in &self.attributes {
            case.attributes.insert(code.clone(), value.clone());
        }
        if let Some(f) = &self.risk_flags {
            case.risk_flags = f.iter().cloned().collect();
        }
        if let Some(c) = &self.channel {
            case.channel = c.clone();
        }
        if let Some(n) = self.people_involved {
            case.people_involved = n;
        }
        if let Some(a) = self.amount_yuan {
            case.amount_yuan = a;
        }
    }
}

/// A fact a report lacks or gives wrongly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct MissingFact {
    /// The field, e.g. `attributes.hazard_type`.
    pub field: String,
    /// What is wrong and what would be valid.
    pub reason: String,
}

/// A matter booked into a sitting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Booking {
    /// The sitting's id in the rule set.
    pub sitting: Name,
    /// Its name, e.g. 周四律师坐班.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When the sitting opens.
    pub at: Timestamp,
}

impl Assignment {
    /// Whether the decision carries a flag.
    #[must_use]
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f.as_str() == flag)
    }
}

named_enum! {
    /// Why a case climbed a level.
    EscalationReason, "escalation reason" {
        /// Its deadline passed (超时).
        Overdue = "overdue",
        /// Mediation failed (调解不成).
        MediationFailed = "mediation_failed",
        /// A repeat report raised its routing (一个事多次反映).
        RepeatReport = "repeat_report",
        /// Decided by staff.
        Manual = "manual",
        /// A supervision order (督办) was not answered within its limit.
        SupervisionIgnored = "supervision_ignored",
    }
}

named_enum! {
    /// Why a case was reopened.
    ReopenReason, "reopen reason" {
        /// The resident was not satisfied (群众不满意).
        Dissatisfied = "dissatisfied",
        /// The same matter was reported again.
        RepeatReport = "repeat_report",
        /// Decided by staff.
        Manual = "manual",
        /// The petitioner asked for a review (复查) of the reply: the level above answers.
        ReviewRequested = "review_requested",
    }
}

named_enum! {
    /// Someone outside the organisation who takes part in a case (第三方力量).
    ThirdParty, "third party" {
        /// A lawyer (律师), e.g. the Thursday duty lawyer.
        Lawyer = "lawyer",
        /// A psychological counsellor (心理咨询师).
        Counsellor = "counsellor",
        /// A mediator (人民调解员).
        Mediator = "mediator",
    }
}

/// The flag of a decision that follows the petition procedure (信访工作条例, 2022): the
/// first deadline is the decision on acceptance, and each later step has its own.
pub const PETITION_PROCEDURE: &str = "petition_procedure";

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum Event {
    /// 上报: a case came in. The record's `case` is the case's id.
    Reported {
        /// The case as reported.
        case: Arc<Case>,
    },
    /// 受理: someone took the case in.
    Accepted {},
    /// 派遣: routed to a level and a first handler.
    Assigned {
        /// The decision.
        assignment: Arc<Assignment>,
    },
    /// 上报升级: the case climbed to a higher level.
    Escalated {
        /// The level it left.
        from: Level,
        /// The level it went to.
        to: Level,
        /// Why.
        reason: EscalationReason,
        /// The new decision.
        assignment: Arc<Assignment>,
    },
    /// 退回: the handler sent it back as misrouted; it is to be routed again, with the facts
    /// corrected where given.
    Returned {
        /// Why.
        reason: String,
        /// The corrected category.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        category: Option<Category>,
        /// The corrected location.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<UnitId>,
    },
    /// 缓办: the clock stops.
    Paused {
        /// Why.
        reason: String,
    },
    /// The clock restarts.
    Resumed {},
    /// 调解不成: mediation failed; the case is to climb.
    MediationFailed {
        /// What happened.
        note: String,
    },
    /// An office's part in a joint consultation (联合会商).
    Consulted {
        /// The office.
        office: OfficeId,
        /// Its opinion.
        opinion: String,
    },
    /// A staged reminder before the deadline was sent.
    Reminded {
        /// The stage, in percent of the time limit.
        stage: u8,
    },
    /// 办结: resolved, by the record's actor.
    Resolved {
        /// The level that resolved it.
        level: Level,
        /// How.
        how: String,
    },
    /// 评价: the resident's evaluation (接受群众评价).
    Evaluated {
        /// Satisfaction from 1 (very dissatisfied) to 5 (very satisfied).
        satisfaction: u8,
        /// Comment.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// 重新办理: reopened and assigned again.
    Reopened {
        /// Why.
        reason: ReopenReason,
        /// The new decision.
        assignment: Arc<Assignment>,
    },
    /// 挂账: shelved as unresolved, with a written explanation.
    Shelved {
        /// Why it cannot be resolved now.
        explanation: String,
    },
    /// 合并: a repeat report joined to an earlier case.
    Merged {
        /// The case it joined.
        into: CaseId,
    },
    /// 受理告知: a decision to accept a petition (信访事项受理). The petition procedure's
    /// handling limit counts from here.
    PetitionAccepted {
        /// What the petitioner was told.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// 延期: the petition's handling limit is extended, with a recorded approval. The rule
    /// set bounds how often and by how much.
    Extended {
        /// Calendar days added.
        days: u32,
        /// Who approved it and how (经批准).
        approval: String,
    },
    /// 请求复查: the petitioner asks for a review of the reply; the level above answers.
    ReviewRequested {
        /// Why.
        reason: String,
    },
    /// A lawyer, counsellor or mediator took part (第三方力量参与).
    ThirdPartyJoined {
        /// Who they are.
        party: ThirdParty,
        /// Their name.
        name: String,
        /// What they did.
        part: String,
    },
    /// 督办: a higher level orders the case handled, within a limit (the rule set's when
    /// none is given).
    Supervised {
        /// The order.
        order: String,
        /// The time to answer it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        within: Option<TimeLimit>,
    },
    /// The handler answers the open supervision orders.
    SupervisionAnswered {
        /// The answer.
        answer: String,
    },
    /// 核查: someone other than the handler checks a resolution; a failed check sends the
    /// case back to its handler.
    Verified {
        /// Whether the resolution holds.
        passed: bool,
        /// What was found.
        note: String,
    },
    /// 回访: the reporter is called back after the resolution and their satisfaction
    /// recorded; it closes the case like an evaluation. On a case the resident already
    /// evaluated it is recorded, and their own evaluation stands.
    CalledBack {
        /// Satisfaction from 1 (very dissatisfied) to 5 (very satisfied).
        satisfaction: u8,
        /// What they said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// 销号: the level above signs off a shelved case.
    SignedOff {
        /// Why it may be struck off.
        note: String,
    },
    /// 补充: facts added to or corrected in a report (an incomplete one, typically); the
    /// engine routes the case again on the facts as amended (`actions`' reroutes).
    Amended {
        /// The facts given or corrected.
        facts: Amendment,
        /// Where the facts came from.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// 入户走访: a grid worker's household visit (not about one case; the record has no
    /// `case`): the households visited, what was found, the cases it opened (reported
    /// before through channel `visit`) and the disputes it entered in the register.
    Visited {
        /// The micro-grid or grid visited.
        unit: UnitId,
        /// Households visited.
        households: u32,
        /// The households visited, by id, when known (then `households` is their count);
        /// coverage counts distinct households.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        household_ids: Vec<WorkId>,
        /// What the visit found (empty when not recorded).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        found: Vec<super::work::Finding>,
        /// The visit's id, for links to it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        visit: Option<WorkId>,
        /// The cases it opened.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        opened: Vec<CaseId>,
        /// The disputes it screened, entered in the register.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        registered: Vec<super::work::RegisterEntry>,
        /// What the grid worker noted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A follow-up visit on a register entry (no `case`): the step it reached.
    FollowedUp {
        /// The register entry.
        entry: WorkId,
        /// The step reached: `mediating`, or a final `resolved` or `sent_up`.
        step: super::work::RegisterStep,
        /// What was done.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// The case it was sent up as, or is linked to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        case: Option<CaseId>,
    },
    /// 网格例会: a grid meeting was held (no `case`).
    MeetingHeld {
        /// The meeting.
        meeting: super::work::Meeting,
    },
    /// A case (the record's `case`) or a register entry (`entry`) is given to a volunteer
    /// team; the grid worker follows it.
    TeamAssigned {
        /// The team.
        team: TeamId,
        /// The register entry, when no case.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entry: Option<WorkId>,
        /// Why, or what to do.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
}

impl Event {
    /// A household visit that records only the unit and how many households were visited.
    #[must_use]
    pub fn visited(unit: UnitId, households: u32) -> Self {
        Self::Visited {
            unit,
            households,
            household_ids: Vec::new(),
            found: Vec::new(),
            visit: None,
            opened: Vec::new(),
            registered: Vec::new(),
            note: None,
        }
    }

    /// The event's type name, as in JSON.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Reported { .. } => "reported",
            Self::Accepted {} => "accepted",
            Self::Assigned { .. } => "assigned",
            Self::Escalated { .. } => "escalated",
            Self::Returned { .. } => "returned",
            Self::Paused { .. } => "paused",
            Self::Resumed {} => "resumed",
            Self::MediationFailed { .. } => "mediation_failed",
            Self::Consulted { .. } => "consulted",
            Self::Reminded { .. } => "reminded",
            Self::Resolved { .. } => "resolved",
            Self::Evaluated { .. } => "evaluated",
            Self::Reopened { .. } => "reopened",
            Self::Shelved { .. } => "shelved",
            Self::Merged { .. } => "merged",
            Self::PetitionAccepted { .. } => "petition_accepted",
            Self::Extended { .. } => "extended",
            Self::ReviewRequested { .. } => "review_requested",
            Self::ThirdPartyJoined { .. } => "third_party_joined",
            Self::Supervised { .. } => "supervised",
            Self::SupervisionAnswered { .. } => "supervision_answered",
            Self::Verified { .. } => "verified",
            Self::CalledBack { .. } => "called_back",
            Self::SignedOff { .. } => "signed_off",
            Self::Amended { .. } => "amended",
            Self::Visited { .. } => "visited",
            Self::FollowedUp { .. } => "followed_up",
            Self::MeetingHeld { .. } => "meeting_held",
            Self::TeamAssigned { .. } => "team_assigned",
        }
    }
}

/// One entry of the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct EventRecord {
    /// An id the sending system chose for this event, to make re-sending it harmless: the
    /// same id with the same content is taken once and reported as a duplicate after that;
    /// the same id with other content is refused as a conflict. At most
    /// [`MAX_EVENT_ID`] characters, no control characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The case (absent for a visit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseId>,
    /// When it happened.
    pub at: Timestamp,
    /// Who did it.
    pub actor: ActorId,
    /// What happened.
    pub event: Event,
}

/// The rule that a routing decision came from, as `version/table/row`.
pub(crate) fn rule_path(version: &str, table: &str, row: &str) -> arcstr::ArcStr {
    arcstr::format!("{version}/{table}/{row}")
}

#[cfg(test)]
mod assignment_tests {
    use super::{Assignment, AssignmentExtras, AssignmentWire, Booking, MissingFact};
    use crate::calendar::{LimitUnit, TimeLimit};
    use crate::org::Level;
    use proptest::prelude::*;

    impl From<Assignment> for AssignmentWire {
        fn from(a: Assignment) -> Self {
            let e = a.extras.into_inner();
            Self {
                level: a.level,
                unit: a.unit,
                office: a.office,
                co_offices: a.co_offices,
                handler: a.handler,
                following: a.following,
                time_limit: a.time_limit,
                due: a.due,
                grade: a.grade,
                flags: a.flags,
                rule: a.rule,
                sitting: e.sitting,
                incomplete: e.incomplete,
            }
        }
    }

    proptest! {
        /// Whichever fields a decision sets, its own `Serialize` writes the bytes the
        /// derive of the flat shape writes (the chain hashes of decision events are taken
        /// over them), and they read back to the same decision.
        #[test]
        fn a_decision_prints_as_its_flat_shape(set in proptest::collection::vec(any::<bool>(), 11)) {
            let on = |i: usize| set.get(i).copied().unwrap_or(false);
            macro_rules! id {
                ($t:ty, $s:expr) => {
                    <$t>::new($s).map_err(|e| TestCaseError::fail(e.to_string()))?
                };
            }
            let a = Assignment {
                level: Level::Community,
                unit: if on(0) { Some(id!(crate::UnitId, "fs-c01")) } else { None },
                office: if on(1) { Some(id!(crate::OfficeId, "o-civil")) } else { None },
                co_offices: if on(2) { vec![id!(crate::OfficeId, "o-a"), id!(crate::OfficeId, "o-b")].into() } else { Default::default() },
                handler: if on(3) { Some(id!(crate::PersonId, "p1")) } else { None },
                following: if on(4) { Some(id!(crate::PersonId, "p2")) } else { None },
                time_limit: TimeLimit::new(if on(5) { 10_000 } else { 4 }, LimitUnit::WorkingHours)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?,
                due: "2026-03-02T13:00:00+08:00".parse().map_err(|_| TestCaseError::fail("time"))?,
                grade: if on(6) { Some(id!(crate::Name, "urgent")) } else { None },
                flags: if on(7) { vec![id!(crate::Name, "early_intervention")].into() } else { Default::default() },
                rule: on(8).then(|| "fushan-2026/routing/hazard".into()),
                extras: AssignmentExtras {
                    sitting: on(9).then(|| -> Result<_, TestCaseError> { Ok(Box::new(Booking {
                        sitting: id!(crate::Name, "lawyer_desk"),
                        name: Some("周四律师坐班".to_owned()),
                        at: "2026-03-05T09:00:00+08:00".parse().map_err(|_| TestCaseError::fail("time"))?,
                    })) }).transpose()?,
                    incomplete: if on(10) {
                        vec![MissingFact { field: "attributes.hazard_type".into(), reason: "is missing".into() }].into()
                    } else {
                        Default::default()
                    },
                }
                .into(),
            };
            prop_assert_eq!(a.extras.takes_room(), on(9) || on(10));
            let ours = serde_json::to_string(&a).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let flat = serde_json::to_string(&AssignmentWire::from(a.clone()))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&ours, &flat);
            let back: Assignment = serde_json::from_str(&ours).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(back, a);
        }
    }

    #[test]
    fn a_decision_with_a_field_it_does_not_have_is_refused() {
        let json = r#"{"level":"grid","time_limit":"4 working hours","due":"2026-03-02T13:00:00+08:00","extras":{}}"#;
        let err = serde_json::from_str::<Assignment>(json)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("unknown field `extras`"), "{err}");
    }
}
