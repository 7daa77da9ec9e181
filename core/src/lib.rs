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
//! ## Modules
//! - [`org`]: the organisation graph, its spec, validation and queries.
//! - [`id`]: validated identifiers.
//! - [`error`]: one error enum per concern, each with stable codes.
//! - [`json`]: JSON entry points whose output bytes the Python and JS bindings return
//!   unchanged.
//!
//! ## Crate features
//! None yet: the crate is pure Rust with no optional parts, and builds for
//! `wasm32-unknown-unknown` as it is. It never reads the clock or an unseeded random source.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod access;
#[cfg(feature = "arrow")]
pub mod arrow;
pub mod batch;
pub mod calendar;
pub mod case;
pub mod csvio;
mod engine;
pub mod error;
pub mod escalate;
pub mod fixed;
pub mod html;
pub mod id;
mod idmap;
pub mod input;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals;
pub mod json;
mod macros;
pub mod org;
pub mod ratio;
mod rng;
pub mod route;
pub mod rules;
pub mod score;
pub mod sim;
pub mod text;
pub mod time;
mod tsdecl;

pub use calendar::{Calendar, TimeLimit};
pub use case::Case;
pub use engine::{Engine, EngineError};
pub use error::{Error, IdError, LookupError, OrgError, OrgProblem};
pub use fixed::Fixed2;
pub use id::{CaseId, Category, Name, OfficeId, PersonId, RuleId, TeamId, UnitId};
pub use org::{Level, OrgGraph, UnitKind};
pub use route::{Decision, RouteError};
pub use rules::RuleSet;
pub use time::Timestamp;

/// The library version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
