//! Identifiers that face the world: unit, person, office, team and category ids.
//!
//! Every id is a newtype that validates on construction ([`FromStr`], [`TryFrom<String>`]
//! and serde all go through the same check), so a bad id in a spec or a case is reported
//! where it is read, naming the value and what would be valid.

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::text::truncate_for_message;

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
    // ASCII ids (most) are checked a byte at a time, from a table; an id with other
    // bytes, by its characters (for an ASCII character, `is_ascii_alphanumeric` is
    // `is_alphanumeric`, so the two agree on ASCII ids).
    let ok = value
        .bytes()
        .all(|b| ID_BYTES.get(usize::from(b)).copied().unwrap_or(false))
        || (!value.is_ascii()
            && value
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/')));
    if !ok {
        return Err(IdError {
            what,
            value: truncate_for_message(value),
            reason: "ids use letters, digits, `-`, `_`, `.`, `:` and `/` only",
        });
    }
    Ok(())
}

/// Whether an ASCII byte may appear in an id: a letter, a digit, `-`, `_`, `.`, `:` or `/`.
#[inline]
pub(crate) const fn id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'/')
}

/// [`id_byte`] of every byte, read by [`check_id`]: one load a byte (a `u8` is always one
/// of the 256 entries, so the compiler drops the bounds check).
static ID_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = id_byte(b as u8);
        b += 1;
    }
    table
};

/// A term of a rule set's open vocabularies (a category, a channel): any stable text a
/// system already uses (`neighbour_dispute`, `Noise - Residential`, `噪音扰民`), 1 to 128
/// bytes, that a decision-table cell can name: no control characters, no leading or
/// trailing space, no `,` (cells list values with it), not `-` (the any-value cell) and
/// not starting with `!` or `not ` (a negated cell).
fn check_term(value: &str, what: &'static str) -> Result<(), IdError> {
    let bad = |reason| {
        Err(IdError {
            what,
            value: truncate_for_message(value),
            reason,
        })
    };
    if value.is_empty() || value.len() > MAX_ID_LEN {
        return bad("terms are 1 to 128 bytes long");
    }
    if value.chars().any(char::is_control) || value.trim() != value {
        return bad("terms have no control characters and no leading or trailing space");
    }
    if value.contains(',') {
        return bad("terms have no `,`: decision-table cells list values with it");
    }
    if value == "-" || value.starts_with('!') || value.starts_with("not ") {
        return bad(
            "a term is not `-` and does not start with `!` or `not `: decision-table cells read those as any value and as negation",
        );
    }
    Ok(())
}

fn check_category(value: &str) -> Result<(), IdError> {
    check_term(value, "category")
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

/// A value is not a valid id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {what}: {reason}")]
pub struct IdError {
    /// What kind of id was expected (`unit id`, `category`…).
    pub what: &'static str,
    /// The value, shortened if long.
    pub value: String,
    /// Why it was refused.
    pub reason: &'static str,
}

/// A name is not one of a closed list (a unit kind, a level, a role…).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {what}; expected one of: {}", .valid.join(", "))]
pub struct UnknownNameError {
    /// What kind of name was expected.
    pub what: &'static str,
    /// The value given, shortened if long.
    pub value: String,
    /// The valid names.
    pub valid: &'static [&'static str],
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal, $check:expr) => {
        $(#[$doc])*
        ///
        /// Cloning is cheap: the text is shared.
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(arcstr::ArcStr);

        // Written as its text and read from text without an intermediate `String` (one
        // allocation per id read, none per id written); the messages are serde's own for
        // a `String` converted by `TryFrom`.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Text;
                impl serde::de::Visitor<'_> for Text {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::new(v).map_err(E::custom)
                    }
                }
                d.deserialize_str(Text)
            }
        }

        impl $name {
            /// Whether `value` is valid, checked without building one (the readers that
            /// take ids as the caller's own text check them so).
            #[must_use]
            #[allow(dead_code)]
            pub(crate) fn is_valid(value: &str) -> bool {
                ($check)(value).is_ok()
            }

            /// Validates and wraps an id.
            ///
            /// # Errors
            /// [`IdError`] when the value is empty, too long or has characters ids may not use.
            pub fn new(value: impl AsRef<str>) -> Result<Self, IdError> {
                let value = value.as_ref();
                ($check)(value)?;
                Ok(Self(arcstr::ArcStr::from(value)))
            }

            /// The id as a string slice.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Shares this id's text with the same text in `pool` (kept there the first
            /// time): see [`IdPool`].
            #[allow(dead_code)]
            pub(crate) fn pool(&mut self, pool: &mut IdPool) {
                pool.share(&mut self.0);
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

        crate::tsdecl::ts_alias!($name = "string");
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
    /// A case category (`neighbour_dispute`, `property_crime`…): any stable text a rule
    /// set declares (see the rules for vocabulary terms on [`Channel`]).
    Category,
    "category",
    check_category
);
id_type!(
    /// How a case came in (`visit`, `hotline`, `app`…): one of the channels the rule set
    /// declares (the six Fushan channels by default). Like a category, any stable text
    /// of 1 to 128 bytes that a decision-table cell can name: no control characters, no
    /// leading or trailing space, no `,`, not `-`, not starting with `!` or `not `.
    Channel,
    "channel",
    |v| check_term(v, "channel")
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
    /// The id of a piece of the grid's own work, as the recording system gave it: a
    /// household visit, a register entry (矛盾纠纷排查台账), a grid meeting, a household.
    WorkId,
    "work id",
    |v| check_id(v, "work id")
);
id_type!(
    /// The id of a case, as the reporting system gave it.
    CaseId,
    "case id",
    |v| check_id(v, "case id")
);

/// Ids already read from a table's text, shared by its rows (see
/// `batch::CaseFields::to_case_cached`). Holds at most [`IdCache::LIMIT`] of each kind.
#[derive(Debug, Default)]
pub struct IdCache {
    units: rustc_hash::FxHashMap<Box<str>, UnitId>,
    categories: rustc_hash::FxHashMap<Box<str>, Category>,
    /// A table has a handful of channels: a short list beats hashing.
    channels: Vec<(Box<str>, Channel)>,
}

impl IdCache {
    /// The most ids of one kind kept.
    pub const LIMIT: usize = 1 << 16;

    pub(crate) fn unit(&self, text: &str) -> Option<UnitId> {
        self.units.get(text).cloned()
    }

    pub(crate) fn category(&self, text: &str) -> Option<Category> {
        self.categories.get(text).cloned()
    }

    pub(crate) fn channel(&self, text: &str) -> Option<Channel> {
        self.channels
            .iter()
            .find(|(t, _)| &**t == text)
            .map(|(_, c)| c.clone())
    }

    pub(crate) fn keep_channel(&mut self, text: &str, id: &Channel) {
        if self.channels.len() < 64 {
            self.channels.push((Box::from(text), id.clone()));
        }
    }

    pub(crate) fn keep_unit(&mut self, text: &str, id: &UnitId) {
        if self.units.len() < Self::LIMIT {
            self.units.insert(Box::from(text), id.clone());
        }
    }

    pub(crate) fn keep_category(&mut self, text: &str, id: &Category) {
        if self.categories.len() < Self::LIMIT {
            self.categories.insert(Box::from(text), id.clone());
        }
    }
}

/// The texts of ids held once: an id read from text (a ledger's JSON, a file's rows) has
/// its own copy of the text, and a ledger holding the same unit, person or category in
/// every case and decision would hold as many copies. Pooled ([`UnitId::pool`] and the
/// same on every id type), every id of one text shares the first one's. At most
/// [`IdPool::LIMIT`] texts are kept; later ones are left as they are.
#[derive(Clone, Debug, Default)]
pub(crate) struct IdPool(rustc_hash::FxHashSet<arcstr::ArcStr>);

impl IdPool {
    /// The most texts kept (a city 100 times Fushan's has some 150,000 units and people).
    pub(crate) const LIMIT: usize = 1 << 18;

    /// Shares `text` with the same text kept before, or keeps it.
    pub(crate) fn share(&mut self, text: &mut arcstr::ArcStr) {
        match self.0.get(text.as_str()) {
            Some(held) => {
                if !arcstr::ArcStr::ptr_eq(held, text) {
                    *text = held.clone();
                }
            }
            None => {
                if self.0.len() < Self::LIMIT {
                    self.0.insert(text.clone());
                }
            }
        }
    }

    /// How many texts are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

/// The place of each id in sorted order.
pub(crate) fn sorted_places<T: AsRef<str>>(ids: &[T]) -> Vec<u32> {
    let mut idx: Vec<usize> = (0..ids.len()).collect();
    idx.sort_by(|a, b| {
        let (x, y) = (ids.get(*a), ids.get(*b));
        x.map(AsRef::as_ref).cmp(&y.map(AsRef::as_ref))
    });
    let mut order = vec![0; ids.len()];
    for (r, i) in idx.into_iter().enumerate() {
        if let Some(o) = order.get_mut(i) {
            *o = u32::try_from(r).unwrap_or(u32::MAX);
        }
    }
    order
}

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
    fn categories_and_channels_are_any_stable_text_a_cell_can_name() {
        for ok in [
            "neighbour_dispute",
            "a1_b2",
            "Noise - Residential",
            "噪音扰民",
            "HEAT/HOT WATER",
            "a-b",
            "12345",
        ] {
            assert!(Category::new(ok).is_ok(), "{ok}");
            assert!(Channel::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            " padded",
            "padded ",
            "a, b",
            "-",
            "!noise",
            "not noise",
            "tab\there",
            &"x".repeat(129),
        ] {
            assert!(Category::new(bad).is_err(), "{bad:?}");
            assert!(Channel::new(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Channel::new("a, b").unwrap_err().to_string(),
            "`a, b` is not a valid channel: terms have no `,`: decision-table cells list values with it"
        );
    }

    proptest::proptest! {
        /// The table-driven check is the rule as written: 1 to 128 bytes of letters,
        /// digits, `-`, `_`, `.`, `:` and `/` (any script's letters and digits).
        #[test]
        fn the_id_check_is_the_rule_as_written(
            value in "[a-zA-Z0-9_.:/ ,!#\\-]{0,6}(海|é|٣|Ⅻ|\u{0}|\u{7f}|·)?[a-z0-9 -]{0,4}",
            long in 0usize..3,
        ) {
            let value = if long == 2 { value.repeat(30) } else { value };
            let rule = !value.is_empty()
                && value.len() <= MAX_ID_LEN
                && value
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/'));
            proptest::prop_assert_eq!(check_id(&value, "id").is_ok(), rule, "{:?}", value);
        }
    }

    #[test]
    fn every_byte_of_the_table_is_the_byte_rule() {
        for b in 0..=255u8 {
            let rule = b.is_ascii() && ((b as char).is_alphanumeric() || b"-_.:/".contains(&b));
            assert_eq!(ID_BYTES.get(usize::from(b)), Some(&rule), "byte {b}");
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
