//! Identifiers that face the world: unit, person, office, team and category ids.
//!
//! Every id is a newtype that validates on construction ([`FromStr`], [`TryFrom<String>`]
//! and serde all go through the same check), so a bad id in a spec or a case is reported
//! where it is read, naming the value and what would be valid.

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::IdError;

/// The longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 128;

fn check_id(value: &str, what: &'static str) -> Result<(), IdError> {
    if value.is_empty() || value.len() > MAX_ID_LEN {
        return Err(IdError {
            what,
            value: truncate_for_message(value),
            reason: "ids are 1 to 128 bytes long",
        });
    }
    if !value
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/'))
    {
        return Err(IdError {
            what,
            value: truncate_for_message(value),
            reason: "ids use letters, digits, `-`, `_`, `.`, `:` and `/` only",
        });
    }
    Ok(())
}

fn check_category(value: &str) -> Result<(), IdError> {
    check_snake(value, "category")
}

fn check_snake(value: &str, what: &'static str) -> Result<(), IdError> {
    let mut chars = value.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    if !first_ok
        || value.len() > 64
        || !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(IdError {
            what,
            value: truncate_for_message(value),
            reason: "names are snake_case: a lower-case ASCII letter, then up to 63 lower-case letters, digits or `_`",
        });
    }
    Ok(())
}

/// Shortens a bad value so an error message stays readable: its first 64 bytes (to a
/// character boundary), then an ellipsis.
#[must_use]
pub fn truncate_for_message(value: &str) -> String {
    const KEEP: usize = 64;
    if value.len() <= KEEP {
        return value.to_owned();
    }
    let mut end = KEEP;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &value[..end])
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal, $check:expr) => {
        $(#[$doc])*
        ///
        /// Cloning is cheap: the text is shared.
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(std::sync::Arc<str>);

        impl $name {
            /// Validates and wraps an id.
            ///
            /// # Errors
            /// [`IdError`] when the value is empty, too long or has characters ids may not use.
            pub fn new(value: impl AsRef<str>) -> Result<Self, IdError> {
                let value = value.as_ref();
                ($check)(value)?;
                Ok(Self(std::sync::Arc::from(value)))
            }

            /// The id as a string slice.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0.to_string()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), &*self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }
    };
}

id_type!(
    /// The id of a territorial or party unit (a grid, a micro-grid, a grid party branch…).
    UnitId,
    "unit id",
    |v| check_id(v, "unit id")
);
id_type!(
    /// The id of a person in the organisation (a grid worker, a committee member…).
    PersonId,
    "person id",
    |v| check_id(v, "person id")
);
id_type!(
    /// The id of an office that takes cases (`police_work_office`, `judicial_office`…).
    OfficeId,
    "office id",
    |v| check_id(v, "office id")
);
id_type!(
    /// The id of a volunteer service team.
    TeamId,
    "team id",
    |v| check_id(v, "team id")
);
id_type!(
    /// A case category (`neighbour_dispute`, `property_crime`…): snake_case ASCII.
    Category,
    "category",
    check_category
);
id_type!(
    /// A snake_case name from a rule set's vocabulary: a risk flag, a decision flag, a
    /// grade, an attribute code, a table or row id.
    Name,
    "name",
    |v| check_snake(v, "name")
);
id_type!(
    /// The id of a rule-set version, a decision table or a row (`fushan-2026`,
    /// `property-crime`).
    RuleId,
    "rule id",
    |v| check_id(v, "rule id")
);
id_type!(
    /// The id of a case, as the reporting system gave it.
    CaseId,
    "case id",
    |v| check_id(v, "case id")
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_accept_common_shapes() {
        for ok in ["g001", "fs-c01-g003", "海悦", "a.b:c/d", "x"] {
            assert!(UnitId::new(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn ids_reject_bad_values_with_reason() {
        let err = UnitId::new("").unwrap_err();
        assert_eq!(err.value, "");
        assert!(err.to_string().contains("1 to 128 bytes"), "{err}");
        let err = UnitId::new("a b").unwrap_err();
        assert!(
            err.to_string().contains("`a b` is not a valid unit id"),
            "{err}"
        );
        let long = "x".repeat(200);
        let err = PersonId::new(long).unwrap_err();
        assert!(err.value.ends_with('…'));
    }

    #[test]
    fn categories_are_snake_case() {
        assert!(Category::new("neighbour_dispute").is_ok());
        assert!(Category::new("a1_b2").is_ok());
        for bad in ["", "Neighbour", "1abc", "a-b", "a b", "_a"] {
            assert!(Category::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn serde_goes_through_validation() {
        let ok: UnitId = serde_json::from_str("\"g1\"").unwrap();
        assert_eq!(ok, "g1");
        let err = serde_json::from_str::<UnitId>("\"g 1\"").unwrap_err();
        assert!(err.to_string().contains("not a valid unit id"), "{err}");
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        let s = "海".repeat(40);
        let t = truncate_for_message(&s);
        assert!(t.ends_with('…'));
        assert!(t.len() <= 64 + '…'.len_utf8());
    }
}
