//! # gridgov
//!
//! Grid-based community governance (网格化社会治理) as a library, after the "One Family"
//! (一家人) model of Fushan Subdistrict (凫山街道), Zoucheng, Shandong.
//!
//! The organisation is a graph: a containment tree of territory (subdistrict → community →
//! compound → grid → micro-grid → building), a containment tree of party units (working
//! committee → community party committee → grid party branch → building party group →
//! lead household), "anchored to" edges from each party unit to the territory it is built
//! on, and the people who answer for each unit.
//!
//! ```
//! use gridgov::org::{Level, OrgGraph, UnitKind};
//!
//! let org = OrgGraph::fushan();
//! let counts = org.counts();
//! assert_eq!(counts.units[&UnitKind::Community], 12);
//! assert_eq!(counts.units[&UnitKind::MicroGrid], 382);
//! assert_eq!(counts.units[&UnitKind::LeadHousehold], 435);
//!
//! // "Small matters stay in the grid": who answers for a micro-grid at grid level?
//! let worker = org.duty_holder("fs-c03-g02-m1", Level::Grid)?.expect("every grid has a worker");
//! assert_eq!(worker.unit, "fs-c03-g02");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## The front door
//! [`Engine`] holds an organisation, a rule set and a calendar (shared, so
//! [`Engine::with_rules`] copies nothing big) and is the one entry point for routing
//! ([`Engine::route`]), the case workflow on a [`case::ledger::Ledger`]
//! ([`Engine::actions`], [`Engine::overdue`]), access ([`Engine::can`],
//! [`Engine::timeline_for`], [`Engine::export`]) and scoring ([`Engine::score_ledger`]).
//!
//! ```
//! use gridgov::{Case, Engine, Timestamp};
//!
//! let engine = Engine::fushan();
//! let case: Case = serde_json::from_str(r#"{
//!     "id": "c1", "category": "neighbour_dispute", "channel": "visit",
//!     "location": "fs-c01-g01-m1", "reported_at": "2026-03-02T09:00:00+08:00",
//!     "people_involved": 2
//! }"#)?;
//! let decision = engine.route(&case)?;
//! assert_eq!(decision.level().as_str(), "grid"); // small matters stay in the grid
//! assert!(decision.due() > "2026-03-02T09:00:00+08:00".parse::<Timestamp>()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Modules, lowest layer first
//! A module only uses modules of its own layer or below (a test in the `tests` crate
//! keeps it so), and each owns its error type.
//! - L0: [`id`] (validated identifiers), [`fixed`] and [`ratio`] (exact numbers),
//!   [`time`] (instants and dates on `chrono`), [`input`] (bad-argument errors shared by
//!   the bindings), [`text`], [`csvio`] (CSV on the `csv` crate), [`spatial`] (areas,
//!   coordinate systems and the point-in-area index, on `geo` and `rstar`).
//! - L1: [`calendar`] (working days and time limits), [`org`] (the organisation graph, its
//!   spec, validation and queries).
//! - L2: [`case`] (cases, events, the ledger with its SHA-256 chain and its fold, and with
//!   the `sqlite` feature the ledger file).
//! - L3: [`rules`] (rule sets: routing tables, time limits, escalation, and the scoring
//!   and access sections).
//! - L4: the [`Engine`].
//! - L5: [`route`], [`escalate`], [`access`] (who may see what, and the authorized
//!   writes), [`score`].
//! - L6: [`batch`] (CSV batches and back-tests), `arrow` (feature), [`sim`] (seeded
//!   synthetic months), [`html`], [`open311`] (Open311 GeoReport v2 in and out),
//!   [`json`] (JSON-in, JSON-out entry points whose bytes
//!   the Python and JS bindings return unchanged) and [`error`] (one enum wrapping the
//!   others, with stable codes and classes).
//!
//! ## Crate features
//! - `arrow`: the columnar adapter (`gridgov::arrow`): Arrow tables of cases and outcomes
//!   in, Arrow tables of decisions and scores out. The Python package uses it.
//! - `ts`: TypeScript declarations of the JSON shapes, generated from the Rust types by
//!   `tsify` for the WebAssembly package.
//! - `internals`: the stages of routing as functions, for the benchmarks; not a stable
//!   API.
//! - `sqlite`: a ledger kept in a SQLite file (bundled SQLite): every append committed
//!   before it returns, reopening replays to the same state, several processes may append
//!   to one file. The Python package uses it; the WebAssembly package leaves it out.
//!
//! With no features the crate is pure Rust with no unsafe code and builds for
//! `wasm32-unknown-unknown` as it is. It never reads the clock or an unseeded random
//! source: time and seeds are inputs.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod access;
#[cfg(feature = "arrow")]
pub mod arrow;
pub mod batch;
pub mod calendar;
pub mod case;
pub mod closed_loop;
pub mod csvio;
pub mod engine;
pub mod error;
pub mod escalate;
pub mod fixed;
pub mod grid_work;
pub mod html;
pub mod id;
mod idmap;
pub mod incomplete;
pub mod input;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals;
pub mod json;
pub mod lean;
mod macros;
pub mod open311;
pub mod org;
pub mod ratio;
mod rng;
pub mod route;
pub mod rules;
pub mod score;
pub mod sim;
pub mod spatial;
pub mod text;
pub mod time;
mod tsdecl;

/// The shared string of one pointer that ids and a decision's rule path are kept in (the
/// `arcstr` crate's): it derefs to `&str`, and `ArcStr::from("…")` makes one.
pub use arcstr::ArcStr;
pub use calendar::{Calendar, TimeLimit};
pub use case::Case;
pub use engine::{Engine, EngineError};
pub use error::{Error, IdError, LookupError, OrgError, OrgProblem};
pub use fixed::Fixed2;
pub use id::{CaseId, Category, Name, OfficeId, PersonId, RuleId, TeamId, UnitId};
pub use org::{Level, OrgGraph, UnitKind};
pub use route::{Decision, DecisionWarning, RouteError};
pub use rules::RuleSet;
/// The list of one pointer that a case's, a state's and a decision's lists are kept in
/// (the `thin-vec` crate's): it derefs to a slice, and `ThinVec::from(vec)` makes one.
pub use thin_vec::ThinVec;
pub use time::Timestamp;

/// The library version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
