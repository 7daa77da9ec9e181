//! Errors about arguments and documents as they arrive, before any concern reads them: an
//! argument of the wrong type or out of range, text that is not UTF-8, a file that cannot
//! be read, JSON that does not parse. Every layer and both bindings build these errors
//! here, so the same bad argument gives the same code and message in Rust, Python and JS.
//!
//! ```
//! use gridgov::input::{InputError, JsonKind};
//! let e = InputError::wrong_type("case", "text (a string)", JsonKind::Number);
//! assert_eq!(e.code(), "input_type");
//! assert_eq!(e.to_string(), "`case` must be text (a string), not a number");
//! ```

use std::borrow::Cow;
use std::fmt;

use crate::text::{strip_position, truncate_for_message};

/// What kind of argument problem an [`InputError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputKind {
    /// An argument of the wrong type (a number where text belongs, a wrong object).
    Type,
    /// Text that is not valid UTF-8 (a lone surrogate, say).
    Text,
    /// An argument of the right type whose value is not valid (a month 13, an unknown mode).
    Value,
    /// A file that cannot be read.
    Path,
    /// A table without the columns it needs, or that cannot be read as a table.
    Table,
}

impl InputKind {
    /// The stable snake_case code of this kind.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Type => "input_type",
            Self::Text => "input_text",
            Self::Value => "input",
            Self::Path => "input_path",
            Self::Table => "table",
        }
    }
}

/// The JSON type of a value a caller passed, as messages name it. Bindings classify their
/// native values into these (a Python `int` and a JS `number` are both a
/// [`Number`](Self::Number)), so that messages read the same in every language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonKind {
    /// `null`, Python `None`, JS `null` or `undefined`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A number.
    Number,
    /// Text.
    String,
    /// A list.
    Array,
    /// An object or dict.
    Object,
    /// Something JSON has no type for (bytes, a function, a symbol, an object of a class).
    Other,
}

impl JsonKind {
    /// The kind of a JSON value.
    #[must_use]
    pub const fn of(value: &serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Self::Null,
            serde_json::Value::Bool(_) => Self::Boolean,
            serde_json::Value::Number(_) => Self::Number,
            serde_json::Value::String(_) => Self::String,
            serde_json::Value::Array(_) => Self::Array,
            serde_json::Value::Object(_) => Self::Object,
        }
    }

    /// The name messages use: `null`, `a boolean`, `a number`, `text`, `a list`, `an
    /// object`, `a value of another type`.
    #[must_use]
    pub const fn described(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Boolean => "a boolean",
            Self::Number => "a number",
            Self::String => "text",
            Self::Array => "a list",
            Self::Object => "an object",
            Self::Other => "a value of another type",
        }
    }
}

/// An argument is not valid: which one, and what would be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The kind of problem; gives the code.
    pub kind: InputKind,
    /// The argument (`case`, `now`, `month`…) or document (`cases CSV`).
    pub what: Cow<'static, str>,
    /// What is wrong and what would be valid.
    pub message: String,
}

impl std::error::Error for InputError {}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            InputKind::Type => write!(f, "`{}` must be {}", self.what, self.message),
            _ => write!(f, "`{}`: {}", self.what, self.message),
        }
    }
}

impl InputError {
    /// A stable snake_case code: `input_type`, `input_text`, `input`, `input_path`, `table`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// An argument of the wrong type: `expected` says what it must be (`text (a string)`,
    /// `a Ledger`), `got` what it was.
    #[must_use]
    pub fn wrong_type(what: impl Into<Cow<'static, str>>, expected: &str, got: JsonKind) -> Self {
        Self::wrong_type_named(what, expected, got.described())
    }

    /// [`wrong_type`](Self::wrong_type) where the binding names what it got (`a Engine`).
    #[must_use]
    pub fn wrong_type_named(what: impl Into<Cow<'static, str>>, expected: &str, got: &str) -> Self {
        Self {
            kind: InputKind::Type,
            what: what.into(),
            message: format!("{expected}, not {got}"),
        }
    }

    /// Text that is not valid UTF-8.
    #[must_use]
    pub fn not_text(what: impl Into<Cow<'static, str>>, detail: &str) -> Self {
        Self {
            kind: InputKind::Text,
            what: what.into(),
            message: format!("is not valid UTF-8 text: {detail}"),
        }
    }

    /// A value that is not valid.
    #[must_use]
    pub fn value(what: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self {
            kind: InputKind::Value,
            what: what.into(),
            message: message.into(),
        }
    }

    /// A file that cannot be read.
    #[must_use]
    pub fn path(what: impl Into<Cow<'static, str>>, path: &str, reason: &str) -> Self {
        Self {
            kind: InputKind::Path,
            what: what.into(),
            message: format!("cannot read `{}`: {reason}", truncate_for_message(path)),
        }
    }

    /// A table that lacks what it needs.
    #[must_use]
    pub fn table(what: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self {
            kind: InputKind::Table,
            what: what.into(),
            message: message.into(),
        }
    }
}

/// A number as a binding receives it: an integer (Python's `int`, however large, held to
/// `i128`) or a float (every JS number, a Python `float`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An integer.
    Int(i128),
    /// A float.
    Float(f64),
}

impl From<i128> for Number {
    fn from(v: i128) -> Self {
        Self::Int(v)
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Self {
        Self::Int(i128::from(v))
    }
}

impl From<u64> for Number {
    fn from(v: u64) -> Self {
        Self::Int(i128::from(v))
    }
}

impl From<f64> for Number {
    fn from(v: f64) -> Self {
        Self::Float(v)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Int(v) => write!(f, "{v}"),
            Self::Float(v) => write!(f, "{v}"),
        }
    }
}

/// A whole number in `range`, however the binding received it (`2026` and `2026.0` alike):
/// the one check every binding makes of a count, a year or a seed.
///
/// ```
/// use gridgov::input::whole;
/// assert_eq!(whole(12.0, "month", 1..=12), Ok(12));
/// assert_eq!(whole(12_i64, "month", 1..=12), Ok(12));
/// assert_eq!(whole(1.5, "month", 1..=12).unwrap_err().to_string(),
///            "`month`: 1.5 is not a whole number from 1 to 12");
/// ```
///
/// # Errors
/// [`InputError`] of kind [`InputKind::Value`] naming the argument and the range.
pub fn whole(
    value: impl Into<Number>,
    what: &'static str,
    range: std::ops::RangeInclusive<u64>,
) -> Result<u64, InputError> {
    let value = value.into();
    let int = match value {
        Number::Int(v) => u64::try_from(v).ok(),
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "a float is taken only when it is a whole number that fits"
        )]
        Number::Float(v) => (v.is_finite() && v.fract() == 0.0 && v >= 0.0 && v <= u64::MAX as f64)
            .then_some(v as u64),
    };
    int.filter(|v| range.contains(v)).ok_or_else(|| {
        InputError::value(
            what,
            format!(
                "{value} is not a whole number from {} to {}",
                range.start(),
                range.end()
            ),
        )
    })
}

/// A name from a closed list (a mode, a level of a table) given as an argument, or the
/// error naming the argument and the valid names.
///
/// # Errors
/// [`InputError`] of kind [`InputKind::Value`].
pub fn name_arg<T>(what: &'static str, text: &str) -> Result<T, InputError>
where
    T: std::str::FromStr<Err = crate::id::UnknownNameError>,
{
    text.parse()
        .map_err(|e: crate::id::UnknownNameError| InputError::value(what, e.to_string()))
}

/// A document is not valid JSON or does not have the expected shape.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what} does not parse at line {line}, column {column}: {message}")]
pub struct JsonError {
    /// What was being read (`case`, `actor`, `score request`…).
    pub what: &'static str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What the parser said.
    pub message: String,
}

impl JsonError {
    /// The error of serde_json, with its position as fields.
    #[must_use]
    pub fn of(what: &'static str, e: &serde_json::Error) -> Self {
        Self {
            what,
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        }
    }

    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        "json"
    }
}

/// Reads JSON text into a value of type `T`, or a [`JsonError`] naming the document.
///
/// # Errors
/// [`JsonError`] with the line and column of the problem.
pub fn from_json<'a, T: serde::Deserialize<'a>>(
    what: &'static str,
    text: &'a str,
) -> Result<T, JsonError> {
    serde_json::from_str(text).map_err(|e| JsonError::of(what, &e))
}

/// The text of a file, for bindings that take a path (`pathlib.Path` in Python).
///
/// # Errors
/// [`InputError`] of kind [`InputKind::Path`] when the file cannot be read, or
/// [`InputKind::Text`] when it is not UTF-8.
pub fn read_file(what: impl Into<Cow<'static, str>>, path: &str) -> Result<String, InputError> {
    let what = what.into();
    let bytes =
        std::fs::read(path).map_err(|e| InputError::path(what.clone(), path, &e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| {
        InputError::not_text(
            what,
            &format!("{} (in {})", e.utf8_error(), truncate_for_message(path)),
        )
    })
}
