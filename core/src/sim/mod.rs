//! Seeded synthetic data: a month of cases for an organisation and a rule set, for the
//! main job, benchmarks, back-tests and the browser demo. The same seed gives the same
//! cases on every platform; nothing here reads a clock or an unseeded random source.
//!
//! ```
//! use gridgov::{Engine, sim};
//!
//! let engine = Engine::fushan();
//! let cases = sim::month_cases(&engine, 2026, 3, 100, 42);
//! assert_eq!(cases.len(), 100);
//! assert_eq!(cases, sim::month_cases(&engine, 2026, 3, 100, 42));
//! // Every generated case is valid for the engine.
//! assert!(cases.iter().all(|c| engine.route(c).is_ok()));
//! ```

mod cases;
mod month;
mod work;

pub use self::cases::month_cases;
pub use self::month::{Simulation, simulate_month};
pub use crate::rng::{SplitMix64, cumulative};

use crate::case::Case;
use crate::engine::Engine;
use crate::input::{InputError, Number, whole};

/// The most cases one simulation call makes (about 1 GiB of cases).
pub const MAX_CASES: u64 = 10_000_000;

/// The largest seed every binding passes exactly: 2^53 − 1, the largest whole number a JS
/// number holds.
pub const MAX_SEED: u64 = 9_007_199_254_740_991;

/// The arguments of a simulation, checked: a month from 1970-01 to 9999-12, at most
/// [`MAX_CASES`] cases, a seed up to [`MAX_SEED`].
///
/// ```
/// use gridgov::sim::SimArgs;
/// assert!(SimArgs::new(2026_i64, 3_i64, 100_i64, 7_i64).is_ok());
/// assert_eq!(
///     SimArgs::new(2026.0, 13.0, 100.0, 7.0).unwrap_err().to_string(),
///     "`month`: 13 is not a whole number from 1 to 12"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimArgs {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// How many cases.
    pub count: usize,
    /// The seed.
    pub seed: u64,
}

impl SimArgs {
    /// Checks whole numbers as the bindings receive them (integers or floats).
    ///
    /// # Errors
    /// [`InputError`] naming the first argument that is not a whole number in range.
    pub fn new(
        year: impl Into<Number>,
        month: impl Into<Number>,
        count: impl Into<Number>,
        seed: impl Into<Number>,
    ) -> Result<Self, InputError> {
        let year = whole(year, "year", 1970..=9999)?;
        let month = whole(month, "month", 1..=12)?;
        let count = whole(count, "count", 0..=MAX_CASES)?;
        let seed = whole(seed, "seed", 0..=MAX_SEED)?;
        Ok(Self {
            year: i32::try_from(year).unwrap_or(1970),
            month: u32::try_from(month).unwrap_or(1),
            count: usize::try_from(count).unwrap_or(0),
            seed,
        })
    }

    /// The seeded cases of [`month_cases`].
    #[must_use]
    pub fn cases(&self, engine: &Engine) -> Vec<Case> {
        month_cases(engine, self.year, self.month, self.count, self.seed)
    }

    /// The seeded month of [`simulate_month`].
    #[must_use]
    pub fn month(&self, engine: &Engine) -> Simulation {
        simulate_month(engine, self.year, self.month, self.count, self.seed)
    }
}
