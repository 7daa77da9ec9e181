//! The ledger's events as it keeps them: each one packed into a few bytes of one buffer
//! (its case and actor by position, its time as the change from the event before, its
//! link to the case's previous event as a distance back, its body as a kind and a
//! number), read back by decoding from the start of its block of [`BLOCK`] events.
//!
//! An event held as a 32-byte struct took 320 bytes of a ten-event case; packed, the
//! ledger bench's events take 10.8 bytes each, the block index included (`profile_ledger`
//! at 200,000 cases: 21,673,671 bytes for 2,004,954 events). The decisions that events carry are `Arc`s shared
//! with the state, kept once in a list and named by their place in it; a report's case is
//! the state's own (a case's report is the event that made its state).

use std::sync::Arc;

use crate::case::event::{Assignment, EscalationReason, ReopenReason};
use crate::org::Level;
use crate::time::{Offset, Timestamp};

/// Events per block: an event is read by decoding its block's events before it (half a
/// block on average), and each block costs 24 bytes of index.
const BLOCK: u64 = 32;

/// No case (an event about no case) or no previous event: the ledger's `NO_CASE` and
/// `NO_EVENT`, which are both `u32::MAX`.
pub(super) const NONE: u32 = u32::MAX;

/// What an event is, with the numbers it carries: the decision's place in the log's
/// list of decisions, or the JSON text's number in the ledger's texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Body {
    /// A report: the case is the state's case at the event's position.
    Reported,
    Assigned {
        assignment: u32,
    },
    Escalated {
        from: Level,
        to: Level,
        reason: EscalationReason,
        assignment: u32,
    },
    Reopened {
        reason: ReopenReason,
        assignment: u32,
    },
    Json {
        text: u32,
    },
}

/// An event as the log gives it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Stored {
    /// The case's position, [`NONE`] for an event about no case.
    pub(super) case: u32,
    /// The actor's position in the ledger's actors.
    pub(super) actor: u32,
    pub(super) at: Timestamp,
    /// The position of the case's event before it, [`NONE`] for none.
    pub(super) prev: u32,
    pub(super) body: Body,
}

/// Where a block starts, and the time of the event before it (its first event's time is
/// kept as the change from it).
#[derive(Clone, Copy, Debug)]
struct Block {
    byte: u64,
    secs: i64,
    offset: Offset,
}

/// The events, packed.
#[derive(Clone, Debug)]
pub(super) struct EventLog {
    bytes: Vec<u8>,
    blocks: Vec<Block>,
    len: u64,
    /// The time of the last event (the epoch in UTC before the first).
    secs: i64,
    offset: Offset,
    /// The decisions the events carry, each once.
    assignments: Vec<Arc<Assignment>>,
}

impl Default for EventLog {
    fn default() -> Self {
        Self {
            bytes: Vec::new(),
            blocks: Vec::new(),
            len: 0,
            secs: 0,
            offset: Offset::UTC,
            assignments: Vec::new(),
        }
    }
}

// The tag byte: the kind in the low three bits, then whether a case, a previous event
// and a new offset follow.
const REPORTED: u8 = 0;
const ASSIGNED: u8 = 1;
const ESCALATED: u8 = 2;
const REOPENED: u8 = 3;
const JSON: u8 = 4;
const KIND: u8 = 0b111;
const HAS_CASE: u8 = 1 << 3;
const HAS_PREV: u8 = 1 << 4;
const NEW_OFFSET: u8 = 1 << 5;

fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// The position of `v` in `all`, as a byte.
fn index_of<T: PartialEq>(all: &[T], v: &T) -> u8 {
    all.iter()
        .position(|x| x == v)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(0)
}

/// A reader of the log's bytes from one point on, with the time of the event before.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    position: u64,
    secs: i64,
    offset: Offset,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.varint()?).ok()
    }

    /// The next event.
    fn next_event(&mut self) -> Option<Stored> {
        let tag = self.byte()?;
        let case = if tag & HAS_CASE != 0 {
            self.u32()?
        } else {
            NONE
        };
        let actor = self.u32()?;
        self.secs = self.secs.checked_add(unzigzag(self.varint()?))?;
        if tag & NEW_OFFSET != 0 {
            let minutes = i32::try_from(unzigzag(self.varint()?)).ok()?;
            self.offset = Offset::from_minutes(minutes).ok()?;
        }
        let prev = if tag & HAS_PREV != 0 {
            let back = self.varint()?;
            u32::try_from(self.position.checked_sub(back)?).ok()?
        } else {
            NONE
        };
        let body = match tag & KIND {
            REPORTED => Body::Reported,
            ASSIGNED => Body::Assigned {
                assignment: self.u32()?,
            },
            ESCALATED => {
                let levels = self.byte()?;
                let from = *Level::ALL.get(usize::from(levels & 0x0F))?;
                let to = *Level::ALL.get(usize::from(levels >> 4))?;
                let reason = *EscalationReason::ALL.get(usize::from(self.byte()?))?;
                Body::Escalated {
                    from,
                    to,
                    reason,
                    assignment: self.u32()?,
                }
            }
            REOPENED => {
                let reason = *ReopenReason::ALL.get(usize::from(self.byte()?))?;
                Body::Reopened {
                    reason,
                    assignment: self.u32()?,
                }
            }
            JSON => Body::Json { text: self.u32()? },
            _ => return None,
        };
        self.position += 1;
        Some(Stored {
            case,
            actor,
            at: Timestamp::from_unix(self.secs, self.offset),
            prev,
            body,
        })
    }
}

impl EventLog {
    /// Number of events.
    pub(super) fn len(&self) -> u64 {
        self.len
    }

    /// Keeps decision `a` for an event about to be pushed; its number in the list.
    pub(super) fn keep_assignment(&mut self, a: Arc<Assignment>) -> u32 {
        let n = u32::try_from(self.assignments.len()).unwrap_or(u32::MAX);
        self.assignments.push(a);
        n
    }

    /// Decision number `n`.
    pub(super) fn assignment(&self, n: u32) -> Option<&Arc<Assignment>> {
        self.assignments.get(n as usize)
    }

    /// Appends an event (its `prev` earlier than its own position, or [`NONE`]).
    pub(super) fn push(&mut self, e: &Stored) {
        if self.len % BLOCK == 0 {
            self.blocks.push(Block {
                byte: self.bytes.len() as u64,
                secs: self.secs,
                offset: self.offset,
            });
        }
        let (kind, payload) = match e.body {
            Body::Reported => (REPORTED, None),
            Body::Assigned { assignment } => (ASSIGNED, Some(assignment)),
            Body::Escalated { assignment, .. } => (ESCALATED, Some(assignment)),
            Body::Reopened { assignment, .. } => (REOPENED, Some(assignment)),
            Body::Json { text } => (JSON, Some(text)),
        };
        let offset = e.at.offset();
        let prev = (e.prev != NONE && u64::from(e.prev) < self.len).then_some(e.prev);
        let mut tag = kind;
        if e.case != NONE {
            tag |= HAS_CASE;
        }
        if prev.is_some() {
            tag |= HAS_PREV;
        }
        if offset != self.offset {
            tag |= NEW_OFFSET;
        }
        let out = &mut self.bytes;
        out.push(tag);
        if e.case != NONE {
            put(out, u64::from(e.case));
        }
        put(out, u64::from(e.actor));
        let secs = e.at.unix();
        put(out, zigzag(secs.wrapping_sub(self.secs)));
        if offset != self.offset {
            put(out, zigzag(i64::from(offset.minutes())));
        }
        if let Some(p) = prev {
            put(out, self.len - u64::from(p));
        }
        match e.body {
            Body::Escalated {
                from, to, reason, ..
            } => {
                out.push(index_of(Level::ALL, &from) | index_of(Level::ALL, &to) << 4);
                out.push(index_of(EscalationReason::ALL, &reason));
            }
            Body::Reopened { reason, .. } => out.push(index_of(ReopenReason::ALL, &reason)),
            _ => {}
        }
        if let Some(n) = payload {
            put(out, u64::from(n));
        }
        self.secs = secs;
        self.offset = offset;
        self.len += 1;
    }

    /// A reader at the start of the block of event `position`.
    fn reader_at(&self, position: u64) -> Option<Reader<'_>> {
        let block = self.blocks.get(usize::try_from(position / BLOCK).ok()?)?;
        Some(Reader {
            bytes: &self.bytes,
            at: usize::try_from(block.byte).ok()?,
            position: position / BLOCK * BLOCK,
            secs: block.secs,
            offset: block.offset,
        })
    }

    /// The event at `position`.
    pub(super) fn get(&self, position: u64) -> Option<Stored> {
        if position >= self.len {
            return None;
        }
        let mut r = self.reader_at(position)?;
        loop {
            let at = r.position;
            let e = r.next_event()?;
            if at == position {
                return Some(e);
            }
        }
    }

    /// The events from `position` on, each with its position.
    pub(super) fn iter_from(&self, position: u64) -> impl Iterator<Item = (u64, Stored)> + '_ {
        let mut reader = if position < self.len {
            self.reader_at(position)
        } else {
            None
        };
        let len = self.len;
        std::iter::from_fn(move || {
            let r = reader.as_mut()?;
            while r.position < len {
                let at = r.position;
                let e = r.next_event()?;
                if at >= position {
                    return Some((at, e));
                }
            }
            None
        })
    }

    /// Bytes held (for the tests' and benches' accounting).
    #[cfg(test)]
    pub(super) fn bytes(&self) -> usize {
        self.bytes.len() + self.blocks.len() * std::mem::size_of::<Block>()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Body, EventLog, NONE, Stored};
    use crate::case::event::{EscalationReason, ReopenReason};
    use crate::org::Level;
    use crate::time::{Offset, Timestamp};

    fn body() -> impl Strategy<Value = Body> {
        let level = || prop::sample::select(Level::ALL);
        prop_oneof![
            Just(Body::Reported),
            any::<u32>().prop_map(|assignment| Body::Assigned { assignment }),
            (
                level(),
                level(),
                prop::sample::select(EscalationReason::ALL),
                any::<u32>()
            )
                .prop_map(|(from, to, reason, assignment)| Body::Escalated {
                    from,
                    to,
                    reason,
                    assignment
                }),
            (prop::sample::select(ReopenReason::ALL), any::<u32>())
                .prop_map(|(reason, assignment)| Body::Reopened { reason, assignment }),
            any::<u32>().prop_map(|text| Body::Json { text }),
        ]
    }

    /// Events with times anywhere in the timestamps' range (mostly near each other, as a
    /// ledger's are), offsets changing now and then, and links back to any earlier one.
    fn events() -> impl Strategy<Value = Vec<Stored>> {
        prop::collection::vec(
            (
                prop_oneof![Just(NONE), any::<u32>()],
                any::<u32>(),
                prop_oneof![
                    4 => -86_400i64..86_400,
                    1 => Timestamp::MIN_UNIX..=Timestamp::MAX_UNIX,
                ],
                prop_oneof![3 => Just(480i32), 1 => -1080i32..=1080],
                prop_oneof![Just(None), any::<prop::sample::Index>().prop_map(Some)],
                body(),
            ),
            0..200,
        )
        .prop_map(|raw| {
            let mut secs = 1_772_400_000i64;
            raw.into_iter()
                .enumerate()
                .map(|(i, (case, actor, step, minutes, prev, body))| {
                    secs = if step.abs() <= 86_400 {
                        (secs + step).clamp(Timestamp::MIN_UNIX, Timestamp::MAX_UNIX)
                    } else {
                        step
                    };
                    let offset = Offset::from_minutes(minutes).unwrap();
                    let prev = match prev {
                        Some(ix) if i > 0 => u32::try_from(ix.index(i)).unwrap(),
                        _ => NONE,
                    };
                    Stored {
                        case,
                        actor,
                        at: Timestamp::from_unix(secs, offset),
                        prev,
                        body,
                    }
                })
                .collect()
        })
    }

    proptest! {
        /// Every event reads back as it was pushed, by its position and in order from
        /// any position.
        #[test]
        fn events_read_back_as_pushed(events in events(), from in any::<prop::sample::Index>()) {
            let mut log = EventLog::default();
            for e in &events {
                log.push(e);
            }
            prop_assert_eq!(log.len(), events.len() as u64);
            for (i, e) in events.iter().enumerate() {
                let got = log.get(i as u64);
                prop_assert_eq!(got, Some(*e));
                // A time's equality is its instant's; its offset is read back too.
                prop_assert_eq!(got.map(|g| g.at.offset()), Some(e.at.offset()));
            }
            prop_assert_eq!(log.get(events.len() as u64), None);
            let start = if events.is_empty() { 0 } else { from.index(events.len()) };
            let read: Vec<(u64, Stored)> = log.iter_from(start as u64).collect();
            let want: Vec<(u64, Stored)> = events
                .iter()
                .enumerate()
                .skip(start)
                .map(|(i, e)| (i as u64, *e))
                .collect();
            prop_assert_eq!(&read, &want);
            for ((_, r), (_, w)) in read.iter().zip(&want) {
                prop_assert_eq!(r.at.offset(), w.at.offset());
            }
        }
    }

    /// A ledger's events (a case, an actor among a few hundred, minutes apart, linked to
    /// the case's event before) take a few bytes each.
    #[test]
    fn ledger_events_take_a_few_bytes() {
        let mut log = EventLog::default();
        let mut secs = 1_772_400_000i64;
        for i in 0..100_000u32 {
            secs += 37;
            log.push(&Stored {
                case: i / 10 * 7 % 100_000,
                actor: i % 300,
                at: Timestamp::from_unix(secs, Offset::CHINA),
                prev: i.checked_sub(30).unwrap_or(NONE),
                body: Body::Json { text: i % 20 },
            });
        }
        let per_event = log.bytes() as f64 / 100_000.0;
        assert!(per_event < 11.0, "{per_event} bytes per event");
    }
}
