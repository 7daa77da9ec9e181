//! The grid's own work in a simulated month, on its own random stream (so the cases run
//! the same with or without it): what visits find and the disputes they register, the
//! follow-ups until an entry is resolved (four in five) or sent up, a monthly meeting in
//! most grids with the liaison member and a deputy mostly there, and cases given to a
//! volunteer team that serves the grid and works in the case's area.

use crate::case::event::Event;
use crate::case::work::{
    Attendee, AttendeeRole, Finding, Matter, Meeting, MeetingDecision, RegisterEntry, RegisterStep,
};
use crate::engine::Engine;
use crate::id::{Category, Name, PersonId, TeamId, UnitId, WorkId};
use crate::org::{DutyKind, Role, UnitSpec};
use crate::rng::SplitMix64;
use crate::time::Timestamp;

/// The dispute classes a visit finds, with their weights.
const DISPUTE_CLASSES: [(&str, u64); 3] = [
    ("neighbour_dispute", 6),
    ("property_management", 3),
    ("debt_dispute", 1),
];

/// What a visit found, and the register entry it made, if any.
pub(super) struct Screening {
    pub(super) event: Event,
    pub(super) entry: Option<WorkId>,
}

fn work_id(text: &str) -> Option<WorkId> {
    WorkId::new(text).ok()
}

/// The visit of `unit`: mostly nothing found; one in twelve a need; one in twenty-five a
/// dispute, registered; one in a hundred a risk. `n` numbers the visit in the month.
pub(super) fn screening(
    engine: &Engine,
    wk: &mut SplitMix64,
    unit: &UnitId,
    households: u32,
    n: usize,
) -> Screening {
    let mut found = Vec::new();
    if wk.chance(83) {
        found.push(Finding::Need);
    }
    let dispute = wk.chance(40);
    if dispute {
        found.push(Finding::Dispute);
    }
    if wk.chance(10) {
        found.push(Finding::Risk);
    }
    if found.is_empty() {
        found.push(Finding::Nothing);
    }
    let visit = work_id(&format!("sim-visit-{n}"));
    let mut registered = Vec::new();
    let entry = if dispute {
        let total: u64 = DISPUTE_CLASSES.iter().map(|(_, w)| w).sum();
        let mut r = wk.below(total);
        let class = DISPUTE_CLASSES
            .iter()
            .find(|(_, w)| {
                let hit = r < *w;
                r = r.saturating_sub(*w);
                hit
            })
            .map_or("neighbour_dispute", |(c, _)| *c);
        let grade = if wk.chance(800) { "minor" } else { "general" };
        let id = work_id(&format!("sim-reg-{n}"));
        let known = engine.rules().categories().iter().any(|c| c == class)
            && engine.rules().grades().iter().any(|g| g == grade);
        match (id, Category::new(class), Name::new(grade)) {
            (Some(id), Ok(class), Ok(grade)) if known => {
                registered.push(RegisterEntry {
                    id: id.clone(),
                    unit: unit.clone(),
                    grade,
                    class,
                    parties: 2 + u32::try_from(wk.below(3)).unwrap_or(0),
                    step: RegisterStep::Found,
                    case: None,
                    summary: None,
                });
                Some(id)
            }
            _ => None,
        }
    } else {
        None
    };
    if dispute && registered.is_empty() {
        found.retain(|f| *f != Finding::Dispute);
        if found.is_empty() {
            found.push(Finding::Nothing);
        }
    }
    Screening {
        event: Event::Visited {
            unit: unit.clone(),
            households,
            household_ids: Vec::new(),
            found,
            visit,
            opened: Vec::new(),
            registered,
            note: None,
        },
        entry,
    }
}

/// The follow-ups of a new entry, as (days after it, step): mediation after 2 to 5 days,
/// then resolved in the grid (four in five) or sent up 3 to 9 days later.
pub(super) fn follow_ups(wk: &mut SplitMix64) -> [(u64, RegisterStep); 2] {
    let first = 2 + wk.below(4);
    let end = if wk.chance(800) {
        RegisterStep::Resolved
    } else {
        RegisterStep::SentUp
    };
    [
        (first, RegisterStep::Mediating),
        (first + 3 + wk.below(7), end),
    ]
}

/// A grid's monthly meeting: its grid worker, mostly its liaison committee member and a
/// deputy, a residents' representative; the open register entries of the grid discussed,
/// and now and then a common demand with a long-term mechanism.
pub(super) fn meeting(
    engine: &Engine,
    wk: &mut SplitMix64,
    grid: &UnitSpec,
    open_entries: &[WorkId],
    n: usize,
) -> Option<Event> {
    let org = engine.org();
    let spec = org.spec();
    let duty = |kind: DutyKind| {
        spec.duties
            .iter()
            .find(|d| d.duty == kind && d.unit == grid.id)
            .map(|d| d.person.clone())
    };
    let mut attendees = Vec::new();
    let mut attend = |role: AttendeeRole, person: Option<PersonId>| {
        if let Some(p) = person {
            attendees.push(Attendee {
                role,
                person: Some(p),
                name: None,
            });
        }
    };
    attend(AttendeeRole::GridWorker, duty(DutyKind::GridWorker));
    if wk.chance(850) {
        attend(AttendeeRole::Liaison, duty(DutyKind::Liaison));
    }
    if wk.chance(650) {
        let deputy = spec
            .people
            .iter()
            .find(|p| p.role == Role::Deputy && p.unit == grid.id)
            .or_else(|| spec.people.iter().find(|p| p.role == Role::Deputy))
            .map(|p| p.id.clone());
        attend(AttendeeRole::Deputy, deputy);
    }
    attendees.push(Attendee {
        role: AttendeeRole::ResidentRepresentative,
        person: None,
        name: Some("居民代表（模拟）".to_owned()),
    });
    let mut matters: Vec<Matter> = open_entries
        .iter()
        .map(|e| Matter::Register { entry: e.clone() })
        .collect();
    let mut decisions = Vec::new();
    if wk.chance(200) {
        matters.push(Matter::Demand {
            text: "小区停车难（模拟）".to_owned(),
        });
        decisions.push(MeetingDecision::Mechanism {
            text: "错时共享停车位（模拟）".to_owned(),
        });
    }
    Some(Event::MeetingHeld {
        meeting: Meeting {
            id: work_id(&format!("sim-meeting-{n}"))?,
            grids: vec![grid.id.clone()],
            attendees,
            matters,
            decisions,
        },
    })
}

/// A volunteer team for a case just routed, one time in eight when a team serving its
/// grid works in its area.
pub(super) fn team_for(
    engine: &Engine,
    wk: &mut SplitMix64,
    category: &str,
    location: &str,
) -> Option<TeamId> {
    if !wk.chance(125) {
        return None;
    }
    engine
        .suggest_teams(category, location)
        .ok()?
        .into_iter()
        .find(|t| !t.areas.is_empty())
        .map(|t| t.team)
}

/// The actor of a grid's work: its grid worker, or `fallback`.
pub(super) fn grid_worker(engine: &Engine, grid: &UnitSpec, fallback: &PersonId) -> PersonId {
    engine
        .org()
        .duty_holder(grid.id.as_str(), crate::org::Level::Grid)
        .ok()
        .flatten()
        .map_or_else(|| fallback.clone(), |p| p.id.clone())
}

/// When a follow-up or meeting falls: `days` after `at`.
pub(super) fn later(at: Timestamp, days: u64) -> Timestamp {
    at.plus_minutes(i64::try_from(days * 1440).unwrap_or(0))
}
