//! The top-level error: one enum that wraps the error of every concern, for the JSON entry
//! points and the bindings. Each concern's own error lives beside it (`org::OrgError`,
//! `rules::RuleError`, `case::CaseError`…); this module only wraps them. Every error has a
//! stable snake_case [`code`](Error::code) and a [`class`](Error::class) that the Python
//! and JS bindings map to their exceptions.

pub use crate::id::{IdError, UnknownNameError};
pub use crate::input::{InputError, InputKind, JsonError};
pub use crate::org::{LocateError, LookupError, OrgError, OrgProblem};

/// Any error a JSON entry point can return. Bindings map each variant to a typed exception
/// (Python) or an `Error` with a `code` (JS).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An org spec could not be read or is invalid.
    #[error(transparent)]
    Org(#[from] OrgError),
    /// A query named something the graph does not have.
    #[error(transparent)]
    Lookup(#[from] LookupError),
    /// A point could not be placed on the organisation's map.
    #[error(transparent)]
    Locate(#[from] LocateError),
    /// An access question named an unknown role or a unit its scope cannot use.
    #[error(transparent)]
    Access(#[from] crate::access::AccessError),
    /// A rule set could not be read or is invalid.
    #[error(transparent)]
    Rules(#[from] crate::rules::RuleError),
    /// A calendar could not be read, or a time lies outside it.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// The documents of an engine do not fit together.
    #[error(transparent)]
    Engine(#[from] crate::engine::EngineError),
    /// A case could not be read or does not fit.
    #[error(transparent)]
    Case(#[from] crate::case::CaseError),
    /// A case could not be routed.
    #[error(transparent)]
    Route(#[from] crate::route::RouteError),
    /// A ledger could not be read, or an event was refused.
    #[error(transparent)]
    Ledger(#[from] crate::case::ledger::LedgerError),
    /// A step of the closed loop was refused by the rule set (an event refused, like the
    /// ledger's refusals).
    #[error(transparent)]
    Loop(#[from] crate::closed_loop::LoopError),
    /// A record of the grid's own work does not fit the organisation or the rule set (an
    /// event refused, like the ledger's refusals).
    #[error(transparent)]
    Work(#[from] crate::grid_work::GridWorkError),
    /// Scoring could not be done.
    #[error(transparent)]
    Score(#[from] crate::score::ScoreError),
    /// An argument is not valid (a wrong type, a value out of range, a table without its
    /// columns).
    #[error(transparent)]
    Input(#[from] InputError),
    /// An input document is not valid JSON or does not have the expected shape.
    #[error(transparent)]
    Json(#[from] JsonError),
    /// A row of a table could not be taken: its position and case id, and why.
    #[error(transparent)]
    Row(RowError),
}

impl From<crate::access::RecordError> for Error {
    fn from(e: crate::access::RecordError) -> Self {
        match e {
            crate::access::RecordError::Access(e) => Self::Access(e),
            crate::access::RecordError::Ledger(e) => Self::Ledger(e),
            crate::access::RecordError::Route(e) => Self::Route(e),
            crate::access::RecordError::Loop(e) => Self::Loop(e),
            crate::access::RecordError::Work(e) => Self::Work(e),
        }
    }
}

impl From<crate::engine::ReadCaseError> for Error {
    fn from(e: crate::engine::ReadCaseError) -> Self {
        match e {
            crate::engine::ReadCaseError::Case(e) => Self::Case(e),
            crate::engine::ReadCaseError::Locate(e) => Self::Locate(e),
        }
    }
}

/// A row of a table that could not be taken: its position in the whole table (0-based),
/// its case id as given, and the error, whose code and class it keeps.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("row {row}{}: {error}", .case.as_deref().map(|c| format!(" (case `{}`)", crate::text::truncate_for_message(c))).unwrap_or_default())]
pub struct RowError {
    /// 0-based position of the row in the table.
    pub row: usize,
    /// The row's case id, when it has one.
    pub case: Option<String>,
    /// Why the row could not be taken.
    pub error: Box<Error>,
}

/// The family of an [`Error`], for bindings: each maps to one Python exception class (and
/// names the JS error). Not `non_exhaustive` on purpose: a binding that matches on it stops
/// compiling when a family is added, until it maps the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// An organisation spec could not be read or is invalid.
    Org,
    /// A rule set could not be read, is invalid, or does not fit the organisation.
    Rule,
    /// A calendar could not be read, or a time lies outside it.
    Calendar,
    /// A case could not be read or does not fit.
    Case,
    /// A valid case could not be routed.
    Route,
    /// A ledger could not be read, or an event was refused.
    Ledger,
    /// A query named something the organisation or ledger does not have.
    Query,
    /// A document is not valid JSON or not of the expected shape.
    Json,
    /// A month could not be scored.
    Score,
    /// An actor may not do what was asked.
    Access,
    /// An argument is not valid.
    Input,
}

impl ErrorClass {
    /// Every class, in declaration order.
    pub const ALL: [ErrorClass; 11] = [
        Self::Org,
        Self::Rule,
        Self::Calendar,
        Self::Case,
        Self::Route,
        Self::Ledger,
        Self::Query,
        Self::Json,
        Self::Score,
        Self::Access,
        Self::Input,
    ];

    /// The exception name the bindings use: `OrgError`, `RuleError`…
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Org => "OrgError",
            Self::Rule => "RuleError",
            Self::Calendar => "CalendarError",
            Self::Case => "CaseError",
            Self::Route => "RouteError",
            Self::Ledger => "LedgerError",
            Self::Query => "QueryError",
            Self::Json => "JsonError",
            Self::Score => "ScoreError",
            Self::Access => "AccessError",
            Self::Input => "InputError",
        }
    }
}

impl Error {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Org(e) => e.code(),
            Self::Lookup(e) => e.code(),
            Self::Locate(e) => e.code(),
            Self::Access(e) => e.code(),
            Self::Rules(e) => e.code(),
            Self::Calendar(e) => e.code(),
            Self::Engine(e) => e.code(),
            Self::Case(e) => e.code(),
            Self::Route(e) => e.code(),
            Self::Ledger(e) => e.code(),
            Self::Loop(e) => e.code(),
            Self::Work(e) => e.code(),
            Self::Score(e) => e.code(),
            Self::Json(e) => e.code(),
            Self::Input(e) => e.code(),
            Self::Row(r) => r.error.code(),
        }
    }

    /// The family of the error, which a binding maps to its exception class.
    #[must_use]
    pub fn class(&self) -> ErrorClass {
        use crate::engine::EngineError as E;
        use crate::route::RouteError as R;
        match self {
            Self::Org(_) | Self::Engine(E::Org(_)) => ErrorClass::Org,
            Self::Rules(_) | Self::Engine(E::Rules(_) | E::Mismatch(_)) => ErrorClass::Rule,
            Self::Calendar(_) | Self::Engine(E::Calendar(_)) | Self::Route(R::Calendar(_)) => {
                ErrorClass::Calendar
            }
            Self::Case(_) | Self::Route(R::Case(_)) => ErrorClass::Case,
            Self::Route(R::NoVersion { .. } | R::NoDecision { .. }) => ErrorClass::Route,
            Self::Ledger(_) | Self::Loop(_) | Self::Work(_) => ErrorClass::Ledger,
            Self::Lookup(_)
            | Self::Locate(_)
            | Self::Access(crate::access::AccessError::Lookup(_)) => ErrorClass::Query,
            Self::Access(_) => ErrorClass::Access,
            Self::Score(crate::score::ScoreError::Input(_)) => ErrorClass::Input,
            Self::Score(_) => ErrorClass::Score,
            Self::Json(_) => ErrorClass::Json,
            Self::Input(_) => ErrorClass::Input,
            Self::Row(r) => r.error.class(),
        }
    }

    /// Every problem behind the error, as objects with a code, a location and a message:
    /// all of them, where the message shows at most ten. Empty for an error that is one
    /// problem (its [`code`](Error::code) and message say it all).
    #[must_use]
    pub fn problems(&self) -> Vec<crate::rules::RuleProblem> {
        use crate::engine::EngineError as E;
        use crate::rules::RuleProblem;
        match self {
            Self::Org(e) | Self::Engine(E::Org(e)) => {
                e.problems().iter().map(RuleProblem::of_org).collect()
            }
            Self::Rules(e) | Self::Engine(E::Rules(e)) => e.problems().to_vec(),
            Self::Engine(E::Mismatch(p)) => p.clone(),
            Self::Row(r) => r.error.problems(),
            _ => Vec::new(),
        }
    }

    /// [`Error::problems`] as JSON text: an array of `{"code", "location", "message"}`.
    #[must_use]
    pub fn problems_json(&self) -> String {
        // Plain data with string keys: serialising it cannot fail.
        serde_json::to_string(&self.problems()).unwrap_or_else(|_| "[]".to_owned())
    }

    /// An input document that does not parse as JSON of the expected shape.
    #[must_use]
    pub fn json(what: &'static str, e: &serde_json::Error) -> Self {
        Self::Json(JsonError::of(what, e))
    }

    /// An argument whose value is not valid.
    #[must_use]
    pub fn input(what: &'static str, message: impl Into<String>) -> Self {
        Self::Input(InputError::value(what, message))
    }
}
