//! A case's state: where it is in its life ([`Status`]) and everything its events have
//! set ([`CaseState`]), and the household visits a ledger records.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use thin_vec::ThinVec;

use super::Case;
use super::event::{ActorId, Assignment, EscalationReason};
pub use super::rare::{Rare, RareBox};
use crate::calendar::Pause;
use crate::id::{CaseId, Category, OfficeId, PersonId, UnitId};
use crate::macros::named_enum;
use crate::org::Level;
use crate::time::Timestamp;

named_enum! {
    /// Where a case is in its life. Every case is in exactly one.
    Status, "status" {
        /// 已上报: reported, not yet taken in.
        Reported = "reported",
        /// 已受理: taken in, not yet routed.
        Accepted = "accepted",
        /// 办理中: routed to a level and a handler; the clock runs.
        Assigned = "assigned",
        /// 缓办: the clock is stopped.
        Paused = "paused",
        /// 已退回: sent back as misrouted, to be routed again.
        Returned = "returned",
        /// 已办结: resolved, awaiting the resident's evaluation.
        Resolved = "resolved",
        /// 已评价: resolved and evaluated.
        Closed = "closed",
        /// 挂账: shelved as unresolved, with an explanation.
        Shelved = "shelved",
        /// 已合并: joined to an earlier case as a repeat report.
        Merged = "merged",
    }
}

impl Status {
    /// Whether the case is still being handled (not resolved, closed, shelved or merged).
    #[must_use]
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            Self::Reported | Self::Accepted | Self::Assigned | Self::Paused | Self::Returned
        )
    }
}

/// A case's state: the fold of its events.
///
/// It reads and prints as one flat JSON object (the TypeScript `CaseState`); in memory the
/// fields that few cases ever set (merges, consultations, shelving, amendments, a team)
/// sit apart in [`CaseState::extras`], so that a million states carry one pointer for them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "CaseStateWire", into = "CaseStateWire")]
pub struct CaseState {
    /// The case as reported.
    pub case: Arc<Case>,
    /// Where it is in its life.
    pub status: Status,
    /// Who answers for it now: the current handler, or whoever holds it before it is routed.
    pub owner: ActorId,
    /// Its category now (a return may correct it).
    pub category: Category,
    /// Its location now (a return may correct it).
    pub location: UnitId,
    /// When it was taken in (受理).
    pub accepted_at: Option<Timestamp>,
    /// The current routing decision.
    pub assignment: Option<Arc<Assignment>>,
    /// When the current decision was made: its clock starts here.
    pub assigned_at: Option<Timestamp>,
    /// When the case was first routed.
    pub first_assigned_at: Option<Timestamp>,
    /// Who routed it last (it returns to them when sent back).
    pub dispatcher: Option<ActorId>,
    /// The first handler (首办责任人): stays on the case as a follower when it climbs.
    pub first_handler: Option<PersonId>,
    /// Earlier handlers who follow the case (全程跟踪).
    pub followers: ThinVec<PersonId>,
    /// Pauses since the current decision (缓办).
    pub pauses: ThinVec<Pause>,
    /// Every climb: from, to, why.
    pub escalations: ThinVec<(Level, Level, EscalationReason)>,
    /// Times it was sent back as misrouted.
    pub returns: u32,
    /// Times it was reopened.
    pub reopens: u32,
    /// The last reminder stage sent for the current decision.
    pub reminded: u8,
    /// When it was resolved.
    pub resolved_at: Option<Timestamp>,
    /// The level that resolved it.
    pub resolved_level: Option<Level>,
    /// Who resolved it.
    pub resolved_by: Option<ActorId>,
    /// The due date in force when it was resolved (pauses not yet counted).
    pub resolved_assignment: Option<Arc<Assignment>>,
    /// The pauses in force when it was resolved.
    pub resolved_pauses: ThinVec<Pause>,
    /// The resident's satisfaction, 1-5.
    pub satisfaction: Option<u8>,
    /// When it was evaluated.
    pub evaluated_at: Option<Timestamp>,
    /// When it last changed.
    pub last_at: Timestamp,
    /// Events about it.
    pub events: u32,
    /// The closed loop (闭环): the petition procedure, third parties, supervision orders,
    /// verification, the call-back and the sign-off of a shelved case. Absent while empty.
    /// Read it as a [`LoopState`]; it takes room only once something is in it.
    pub closed_loop: LoopBox,
    /// What few cases come to (merges, consultations, shelving, amendments, a team), read
    /// as a [`CaseExtras`]; it takes room only once something is in it.
    pub extras: Extras,
}

/// What few cases come to: repeat reports joined, a joint consultation, shelving, amended
/// facts, a failed mediation, a volunteer team. Part of a [`CaseState`] (its `extras`),
/// read through it; as JSON its fields sit in the state's own object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseExtras {
    /// Repeat reports joined to it.
    pub merged_from: ThinVec<CaseId>,
    /// The case it joined, if it is a repeat report.
    pub merged_into: Option<CaseId>,
    /// A failed mediation not yet answered by a climb.
    pub mediation_failed: bool,
    /// Offices that have given their part in a joint consultation.
    pub consulted: ThinVec<(OfficeId, String)>,
    /// Why it was shelved.
    pub shelved: Option<arcstr::ArcStr>,
    /// The case with the facts added or corrected since its report (`amended` events).
    pub amended: Option<Arc<Case>>,
    /// An amendment not yet answered by routing the case again.
    pub amendment_pending: bool,
    /// The volunteer team the case was given to (the handler follows it).
    pub team: Option<crate::id::TeamId>,
}

impl CaseExtras {
    /// A state without any of them.
    pub const EMPTY: CaseExtras = CaseExtras {
        merged_from: ThinVec::new(),
        merged_into: None,
        mediation_failed: false,
        consulted: ThinVec::new(),
        shelved: None,
        amended: None,
        amendment_pending: false,
        team: None,
    };
}

/// A case's [`CaseExtras`], kept on the heap only once something is in it: few cases are
/// merged, consulted on, shelved, amended or given to a team, and a million states would
/// otherwise carry their fields for nothing (see [`RareBox`]).
pub type Extras = RareBox<CaseExtras>;

/// What an empty [`Extras`] reads as.
static EMPTY_EXTRAS: CaseExtras = CaseExtras::EMPTY;

impl Rare for CaseExtras {
    fn empty() -> &'static Self {
        &EMPTY_EXTRAS
    }
}

// The JSON and TypeScript shape of a `CaseState`: every field flat, as the derive of the
// whole struct printed it before the rarely set fields moved to `CaseExtras`.
/// A case's state: the fold of its events.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "CaseState"))]
struct CaseStateWire {
    /// The case as reported.
    pub case: Arc<Case>,
    /// Where it is in its life.
    pub status: Status,
    /// Who answers for it now: the current handler, or whoever holds it before it is routed.
    pub owner: ActorId,
    /// Its category now (a return may correct it).
    pub category: Category,
    /// Its location now (a return may correct it).
    pub location: UnitId,
    /// When it was taken in (受理).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<Timestamp>,
    /// The current routing decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment: Option<Arc<Assignment>>,
    /// When the current decision was made: its clock starts here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_at: Option<Timestamp>,
    /// When the case was first routed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_assigned_at: Option<Timestamp>,
    /// Who routed it last (it returns to them when sent back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatcher: Option<ActorId>,
    /// The first handler (首办责任人): stays on the case as a follower when it climbs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_handler: Option<PersonId>,
    /// Earlier handlers who follow the case (全程跟踪).
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "PersonId[]"))]
    pub followers: ThinVec<PersonId>,
    /// Pauses since the current decision (缓办).
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "Pause[]"))]
    pub pauses: ThinVec<Pause>,
    /// Every climb: from, to, why.
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "[Level, Level, EscalationReason][]"))]
    pub escalations: ThinVec<(Level, Level, EscalationReason)>,
    /// Times it was sent back as misrouted.
    #[serde(default)]
    pub returns: u32,
    /// Times it was reopened.
    #[serde(default)]
    pub reopens: u32,
    /// Repeat reports joined to it.
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "CaseId[]"))]
    pub merged_from: ThinVec<CaseId>,
    /// The case it joined, if it is a repeat report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<CaseId>,
    /// A failed mediation not yet answered by a climb.
    #[serde(default)]
    pub mediation_failed: bool,
    /// Offices that have given their part in a joint consultation.
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "[OfficeId, string][]"))]
    pub consulted: ThinVec<(OfficeId, String)>,
    /// The last reminder stage sent for the current decision.
    #[serde(default)]
    pub reminded: u8,
    /// When it was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<Timestamp>,
    /// The level that resolved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_level: Option<Level>,
    /// Who resolved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<ActorId>,
    /// The due date in force when it was resolved (pauses not yet counted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_assignment: Option<Arc<Assignment>>,
    /// The pauses in force when it was resolved.
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "Pause[]"))]
    pub resolved_pauses: ThinVec<Pause>,
    /// The resident's satisfaction, 1-5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<u8>,
    /// When it was evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluated_at: Option<Timestamp>,
    /// Why it was shelved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub shelved: Option<arcstr::ArcStr>,
    /// When it last changed.
    pub last_at: Timestamp,
    /// Events about it.
    pub events: u32,
    /// The closed loop (闭环): the petition procedure, third parties, supervision orders,
    /// verification, the call-back and the sign-off of a shelved case. Absent while empty.
    /// Read it as a [`LoopState`]; it takes room only once something is in it.
    #[serde(default, skip_serializing_if = "LoopBox::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "LoopState", optional))]
    pub closed_loop: LoopBox,
    /// The case with the facts added or corrected since its report (`amended` events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amended: Option<Arc<Case>>,
    /// An amendment not yet answered by routing the case again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub amendment_pending: bool,
    /// The volunteer team the case was given to (the handler follows it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<crate::id::TeamId>,
}

impl From<CaseState> for CaseStateWire {
    fn from(s: CaseState) -> Self {
        let e = s.extras.into_inner();
        Self {
            case: s.case,
            status: s.status,
            owner: s.owner,
            category: s.category,
            location: s.location,
            accepted_at: s.accepted_at,
            assignment: s.assignment,
            assigned_at: s.assigned_at,
            first_assigned_at: s.first_assigned_at,
            dispatcher: s.dispatcher,
            first_handler: s.first_handler,
            followers: s.followers,
            pauses: s.pauses,
            escalations: s.escalations,
            returns: s.returns,
            reopens: s.reopens,
            merged_from: e.merged_from,
            merged_into: e.merged_into,
            mediation_failed: e.mediation_failed,
            consulted: e.consulted,
            reminded: s.reminded,
            resolved_at: s.resolved_at,
            resolved_level: s.resolved_level,
            resolved_by: s.resolved_by,
            resolved_assignment: s.resolved_assignment,
            resolved_pauses: s.resolved_pauses,
            satisfaction: s.satisfaction,
            evaluated_at: s.evaluated_at,
            shelved: e.shelved,
            last_at: s.last_at,
            events: s.events,
            closed_loop: s.closed_loop,
            amended: e.amended,
            amendment_pending: e.amendment_pending,
            team: e.team,
        }
    }
}

impl From<CaseStateWire> for CaseState {
    fn from(w: CaseStateWire) -> Self {
        Self {
            case: w.case,
            status: w.status,
            owner: w.owner,
            category: w.category,
            location: w.location,
            accepted_at: w.accepted_at,
            assignment: w.assignment,
            assigned_at: w.assigned_at,
            first_assigned_at: w.first_assigned_at,
            dispatcher: w.dispatcher,
            first_handler: w.first_handler,
            followers: w.followers,
            pauses: w.pauses,
            escalations: w.escalations,
            returns: w.returns,
            reopens: w.reopens,
            reminded: w.reminded,
            resolved_at: w.resolved_at,
            resolved_level: w.resolved_level,
            resolved_by: w.resolved_by,
            resolved_assignment: w.resolved_assignment,
            resolved_pauses: w.resolved_pauses,
            satisfaction: w.satisfaction,
            evaluated_at: w.evaluated_at,
            last_at: w.last_at,
            events: w.events,
            closed_loop: w.closed_loop,
            extras: Extras::from(CaseExtras {
                merged_from: w.merged_from,
                merged_into: w.merged_into,
                mediation_failed: w.mediation_failed,
                consulted: w.consulted,
                shelved: w.shelved,
                amended: w.amended,
                amendment_pending: w.amendment_pending,
                team: w.team,
            }),
        }
    }
}

named_enum! {
    /// Where a petition is in its procedure (信访工作条例, 2022).
    PetitionStep, "petition step" {
        /// Awaiting the decision on acceptance (受理), within the acceptance limit of receipt.
        Acceptance = "acceptance",
        /// Accepted: to be handled and replied to within the handling limit (办理).
        Handling = "handling",
        /// Replied to (答复): the petitioner may ask for a review within the review window.
        Replied = "replied",
        /// A review was asked for (请求复查): the level above is to take it up.
        ReviewRequested = "review_requested",
        /// Under review by the level above (复查), within the review limit.
        Review = "review",
        /// The review was answered (复查意见): the procedure is over.
        Reviewed = "reviewed",
    }
}

/// A petition's procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct PetitionState {
    /// The step reached.
    pub step: PetitionStep,
    /// When the petition was received.
    pub received_at: Timestamp,
    /// When it was accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<Timestamp>,
    /// Calendar days added to the handling limit by approved extensions.
    #[serde(default, skip_serializing_if = "super::is_zero_u32")]
    pub extended_days: u32,
    /// How many extensions were approved.
    #[serde(default, skip_serializing_if = "super::is_zero_u32")]
    pub extensions: u32,
    /// When it was replied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replied_at: Option<Timestamp>,
    /// When a review was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_requested_at: Option<Timestamp>,
}

/// A supervision order (督办) on a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Supervision {
    /// When it was given.
    pub at: Timestamp,
    /// Who gave it.
    pub by: ActorId,
    /// The order.
    pub order: String,
    /// The limit it gave (the rule set's when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<crate::calendar::TimeLimit>,
    /// When it was answered (an answer, or the case's resolution).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<Timestamp>,
    /// Whether it was escalated for want of an answer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub escalated: bool,
}

impl Supervision {
    /// Whether it still awaits an answer.
    #[must_use]
    pub const fn is_open(&self) -> bool {
        self.answered_at.is_none() && !self.escalated
    }
}

/// A third party's part in a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ThirdPartyPart {
    /// Who they are.
    pub party: super::event::ThirdParty,
    /// Their name.
    pub name: String,
    /// What they did.
    pub part: String,
    /// When.
    pub at: Timestamp,
}

/// The closed loop of a case (闭环): everything after routing that checks and follows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct LoopState {
    /// The petition procedure, when the case follows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub petition: Option<PetitionState>,
    /// Lawyers, counsellors and mediators who took part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub third_parties: Vec<ThirdPartyPart>,
    /// Supervision orders, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supervisions: Vec<Supervision>,
    /// When the current resolution passed verification (核查).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<Timestamp>,
    /// Verifications recorded.
    #[serde(default, skip_serializing_if = "super::is_zero_u32")]
    pub verifications: u32,
    /// Of those, the ones that passed.
    #[serde(default, skip_serializing_if = "super::is_zero_u32")]
    pub verifications_passed: u32,
    /// When the reporter was called back (回访).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called_back_at: Option<Timestamp>,
    /// When it was shelved (挂账).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelved_at: Option<Timestamp>,
    /// When and by whom a shelved case was signed off (销号).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_off: Option<(Timestamp, ActorId)>,
}

impl LoopState {
    /// The state of a case outside the closed loop: nothing in it.
    pub const EMPTY: LoopState = LoopState {
        petition: None,
        third_parties: Vec::new(),
        supervisions: Vec::new(),
        verified_at: None,
        verifications: 0,
        verifications_passed: 0,
        called_back_at: None,
        shelved_at: None,
        signed_off: None,
    };

    /// Whether nothing of the loop has happened (it is [`LoopState::EMPTY`]).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        Rare::is_empty(self)
    }

    /// The open supervision orders.
    pub fn open_supervisions(&self) -> impl Iterator<Item = &Supervision> {
        self.supervisions.iter().filter(|s| s.is_open())
    }
}

impl CaseState {
    /// How many times the same matter was reported: the case's own count plus the repeat
    /// reports joined to it.
    #[must_use]
    pub fn repeat_count(&self) -> u32 {
        self.case
            .repeat_count
            .saturating_add(u32::try_from(self.extras.merged_from.len()).unwrap_or(u32::MAX))
    }

    /// The facts as they stand: the case as amended, or as reported.
    #[must_use]
    pub fn facts(&self) -> &Arc<Case> {
        self.extras.amended.as_ref().unwrap_or(&self.case)
    }

    /// What the report still lacks or gives wrongly (taken in incomplete and not yet
    /// amended and routed again); empty when complete.
    #[must_use]
    pub fn missing(&self) -> &[super::event::MissingFact] {
        self.assignment
            .as_ref()
            .map_or(&[][..], |a| a.extras.incomplete.as_slice())
    }

    /// The level it is handled at now.
    #[must_use]
    pub fn level(&self) -> Option<Level> {
        self.assignment.as_ref().map(|a| a.level)
    }

    /// When it stopped being open (resolved, shelved or merged).
    #[must_use]
    pub fn closed_at(&self) -> Option<Timestamp> {
        match self.status {
            Status::Resolved | Status::Closed => self.resolved_at,
            Status::Shelved | Status::Merged => Some(self.last_at),
            _ => None,
        }
    }

    /// The offices of a joint consultation that have not given their part.
    #[must_use]
    pub fn consultation_missing(&self) -> Vec<OfficeId> {
        match &self.assignment {
            Some(a) if a.has_flag("joint_consultation") => a
                .office
                .iter()
                .chain(a.co_offices.iter())
                .filter(|o| !self.extras.consulted.iter().any(|(c, _)| c == *o))
                .cloned()
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// A grid worker's household visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Visit {
    /// The micro-grid or grid visited.
    pub unit: UnitId,
    /// Households visited.
    pub households: u32,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: ActorId,
    /// The visit's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<crate::id::WorkId>,
    /// The households visited, by id, when known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub household_ids: Vec<crate::id::WorkId>,
    /// What it found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub found: Vec<super::work::Finding>,
    /// The cases it opened.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opened: Vec<crate::id::CaseId>,
    /// The register entries it made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub registered: Vec<crate::id::WorkId>,
    /// What the grid worker noted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A case's [`LoopState`], kept on the heap only once something is in it: most cases never
/// enter the closed loop, and a ledger of a million cases would otherwise carry a million
/// empty 216-byte states (see [`RareBox`]). It serialises as the [`LoopState`] itself.
pub type LoopBox = RareBox<LoopState>;

/// What an empty [`LoopBox`] reads as.
static EMPTY_LOOP: LoopState = LoopState::EMPTY;

impl Rare for LoopState {
    fn empty() -> &'static Self {
        &EMPTY_LOOP
    }
}

#[cfg(test)]
mod tests {
    use super::{CaseExtras, CaseState, Extras, LoopBox, LoopState, Rare};

    /// An empty loop reads as the empty state and takes no heap room; the first write
    /// makes room; an emptied loop equals an untouched one; both serialise as the state.
    #[test]
    fn a_loop_box_takes_room_only_when_written() {
        let mut b = LoopBox::default();
        assert!(b.is_empty() && !b.takes_room());
        assert_eq!(*b, LoopState::EMPTY);
        assert_eq!(*b, LoopState::default());
        b.verifications = 2;
        assert!(!b.is_empty() && b.takes_room());
        assert_eq!(serde_json::to_string(&b).unwrap(), r#"{"verifications":2}"#);
        let back: LoopBox = serde_json::from_str(r#"{"verifications":2}"#).unwrap();
        assert_eq!(back, b);
        b.verifications = 0;
        assert!(b.is_empty());
        assert_eq!(b, LoopBox::default());
        let empty: LoopBox = serde_json::from_str("{}").unwrap();
        assert!(
            !empty.takes_room(),
            "an empty state read back takes no room"
        );
        assert!(!LoopBox::from(LoopState::default()).takes_room());
    }

    /// The fields few states set take room only once one is set; clearing one through
    /// `edit_if_any` neither makes room nor keeps it; an emptied box equals an untouched one.
    #[test]
    fn extras_take_room_only_when_set() {
        let mut b = Extras::default();
        assert!(b.is_empty() && !b.takes_room());
        assert_eq!(*b, CaseExtras::EMPTY);
        assert_eq!(*b, CaseExtras::default());
        b.edit_if_any(|e| e.mediation_failed = false);
        assert!(!b.takes_room(), "clearing what is not there makes no room");
        assert!(b.get_mut().is_none());
        b.mediation_failed = true;
        b.shelved = Some("等待资金".into());
        assert!(!b.is_empty() && b.takes_room());
        b.edit_if_any(|e| e.mediation_failed = false);
        assert!(b.takes_room(), "the explanation is still there");
        b.edit_if_any(|e| e.shelved = None);
        assert!(!b.takes_room(), "emptied, the room is given back");
        let mut emptied = Extras::from(CaseExtras {
            team: Some(crate::id::TeamId::new("t1").unwrap()),
            ..CaseExtras::default()
        });
        assert!(emptied.takes_room());
        emptied.team = None;
        assert_eq!(
            emptied,
            Extras::default(),
            "an emptied box equals an untouched one"
        );
        assert!(!Extras::from(CaseExtras::default()).takes_room());
        assert!(Extras::default().into_inner().is_empty());
    }

    /// A state reads and prints as one flat object: the fields kept apart sit among the
    /// others, a state read back equals the one printed, one without them takes no room
    /// for them, and a field no state has is refused.
    #[test]
    fn a_state_prints_its_extras_among_its_fields() {
        let case = r#"{"id":"c2","channel":"app","category":"road","location":"mg1","people_involved":1,"amount_yuan":"0.00","reported_at":"2026-03-02T09:00:00+08:00"}"#;
        let plain = format!(
            r#"{{"case":{case},"status":"reported","owner":"p1","category":"road","location":"mg1","returns":0,"reopens":0,"mediation_failed":false,"reminded":0,"last_at":"2026-03-02T09:00:00+08:00","events":1}}"#
        );
        let state: CaseState = serde_json::from_str(&plain).unwrap();
        assert!(!state.extras.takes_room());
        assert_eq!(serde_json::to_string(&state).unwrap(), plain);

        let merged = plain
            .replace(r#""status":"reported""#, r#""status":"merged""#)
            .replace(
                r#""reopens":0,"mediation_failed":false,"#,
                r#""reopens":0,"merged_into":"c1","mediation_failed":false,"consulted":[["o1","agreed"]],"#,
            )
            .replace(r#""events":1}"#, r#""events":2,"team":"t1"}"#);
        let state: CaseState = serde_json::from_str(&merged).unwrap();
        assert_eq!(
            state.extras.merged_into.as_ref().map(|c| c.as_str()),
            Some("c1")
        );
        assert_eq!(state.extras.consulted.len(), 1);
        assert_eq!(state.extras.team.as_ref().map(|t| t.as_str()), Some("t1"));
        let printed = serde_json::to_string(&state).unwrap();
        assert_eq!(
            printed, merged,
            "the fields in the order the state declares them"
        );
        assert_eq!(serde_json::from_str::<CaseState>(&printed).unwrap(), state);

        let unknown = plain.replace(r#""events":1}"#, r#""events":1,"extras":{}}"#);
        let err = serde_json::from_str::<CaseState>(&unknown)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `extras`"), "{err}");
    }
}
