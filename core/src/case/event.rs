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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Assignment {
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
