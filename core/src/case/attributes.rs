//! A case's per-category attributes: a small map from attribute code to value.
//!
//! Most cases carry no attribute and the rest one or two, so the map is a list sorted by
//! code: one pointer while empty, one allocation of a few dozen bytes for an attribute,
//! where a `BTreeMap` takes a node of some 600 bytes for its first entry. It reads, prints
//! and compares as the `BTreeMap<String, AttrValue>` it replaces: entries in code order,
//! JSON an object, a code given twice keeping its last value.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thin_vec::ThinVec;

use super::AttrValue;

/// Per-category attributes of a case, by code, in code order.
///
/// ```
/// use gridgov::case::{AttrValue, Attributes};
///
/// let mut a = Attributes::new();
/// a.insert("hazard_type", AttrValue::Text("fire".into()));
/// a.insert("floors", AttrValue::Number("6".parse()?));
/// assert_eq!(a.get("hazard_type"), Some(&AttrValue::Text("fire".into())));
/// assert_eq!(a.keys().collect::<Vec<_>>(), ["floors", "hazard_type"]);
/// assert_eq!(serde_json::to_string(&a)?, r#"{"floors":"6.00","hazard_type":"fire"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Attributes(ThinVec<(String, AttrValue)>);

impl Attributes {
    /// No attributes.
    #[must_use]
    pub const fn new() -> Self {
        Self(ThinVec::new())
    }

    /// How many attributes there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn find(&self, code: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(code))
    }

    /// The value of attribute `code`.
    #[must_use]
    pub fn get(&self, code: &str) -> Option<&AttrValue> {
        self.find(code)
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, v)| v)
    }

    /// The value of attribute `code`, to change in place.
    pub fn get_mut(&mut self, code: &str) -> Option<&mut AttrValue> {
        let i = self.find(code).ok()?;
        self.0.get_mut(i).map(|(_, v)| v)
    }

    /// Whether attribute `code` is given.
    #[must_use]
    pub fn contains_key(&self, code: &str) -> bool {
        self.find(code).is_ok()
    }

    /// Sets attribute `code` to `value`, giving back the value it replaced.
    pub fn insert(&mut self, code: impl Into<String>, value: AttrValue) -> Option<AttrValue> {
        let code = code.into();
        match self.find(&code) {
            Ok(i) => self.0.get_mut(i).map(|(_, v)| std::mem::replace(v, value)),
            Err(i) => {
                if self.0.len() == self.0.capacity() && self.0.len() < 4 {
                    // Room for exactly one more while few: a case's attributes are few
                    // and kept long. Past that the list grows as a vector does.
                    self.0.reserve_exact(1);
                }
                self.0.insert(i, (code, value));
                None
            }
        }
    }

    /// Takes attribute `code` out, giving back its value.
    pub fn remove(&mut self, code: &str) -> Option<AttrValue> {
        let i = self.find(code).ok()?;
        Some(self.0.remove(i).1)
    }

    /// The attributes as (code, value), in code order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&String, &AttrValue)> + '_ {
        self.into_iter()
    }

    /// The codes given, in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// The values, in the order of their codes.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &AttrValue> + '_ {
        self.0.iter().map(|(_, v)| v)
    }
}

impl fmt::Debug for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Into<String>> FromIterator<(K, AttrValue)> for Attributes {
    /// The attributes given, a code given twice keeping its last value (as a map's
    /// `collect` does). Sorted once, so a long list costs `n log n`.
    fn from_iter<I: IntoIterator<Item = (K, AttrValue)>>(iter: I) -> Self {
        let mut v: Vec<(String, AttrValue)> =
            iter.into_iter().map(|(k, v)| (k.into(), v)).collect();
        // Last given first among equal codes, so that `dedup` keeps it.
        v.reverse();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v.dedup_by(|later, kept| later.0 == kept.0);
        let mut out = ThinVec::with_capacity(v.len());
        out.extend(v);
        Self(out)
    }
}

impl<K: Into<String>, const N: usize> From<[(K, AttrValue); N]> for Attributes {
    fn from(entries: [(K, AttrValue); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl From<BTreeMap<String, AttrValue>> for Attributes {
    fn from(map: BTreeMap<String, AttrValue>) -> Self {
        // Already in order and without repeats.
        let mut out = ThinVec::with_capacity(map.len());
        out.extend(map);
        Self(out)
    }
}

impl From<Attributes> for BTreeMap<String, AttrValue> {
    fn from(a: Attributes) -> Self {
        a.into_iter().collect()
    }
}

impl<K: Into<String>> Extend<(K, AttrValue)> for Attributes {
    fn extend<I: IntoIterator<Item = (K, AttrValue)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl IntoIterator for Attributes {
    type Item = (String, AttrValue);
    type IntoIter = thin_vec::IntoIter<(String, AttrValue)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = (&'a String, &'a AttrValue);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, AttrValue)>,
        fn(&'a (String, AttrValue)) -> (&'a String, &'a AttrValue),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl Serialize for Attributes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Attributes;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of attribute values by code")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Attributes, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some(entry) = map.next_entry::<String, AttrValue>()? {
                    entries.push(entry);
                }
                Ok(entries.into_iter().collect())
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = AttrValue> {
        prop_oneof![
            any::<bool>().prop_map(AttrValue::Bool),
            "[a-z]{0,4}".prop_map(AttrValue::Text),
            proptest::collection::vec("[a-z]{0,3}", 0..3).prop_map(AttrValue::List),
        ]
    }

    proptest! {
        /// Inserting, removing and reading give what a `BTreeMap` gives, and the JSON
        /// printed and read back is the map's.
        #[test]
        fn behaves_as_the_map(
            ops in proptest::collection::vec(("[a-d]{1,2}", proptest::option::of(value())), 0..40)
        ) {
            let mut ours = Attributes::new();
            let mut map = BTreeMap::new();
            for (code, op) in ops {
                match op {
                    Some(v) => prop_assert_eq!(ours.insert(code.clone(), v.clone()), map.insert(code, v)),
                    None => prop_assert_eq!(ours.remove(&code), map.remove(&code)),
                }
                prop_assert_eq!(ours.len(), map.len());
                prop_assert!(ours.iter().eq(map.iter()));
            }
            for code in ["a", "b", "ab", "dd", "e"] {
                prop_assert_eq!(ours.get(code), map.get(code));
                prop_assert_eq!(ours.contains_key(code), map.contains_key(code));
            }
            let json = serde_json::to_string(&ours).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&json, &serde_json::to_string(&map).map_err(|e| TestCaseError::fail(e.to_string()))?);
            let back: Attributes = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&back, &ours);
            prop_assert_eq!(BTreeMap::from(back), map);
        }

        /// Collecting keeps each code's last value, as collecting into a map does.
        #[test]
        fn collecting_keeps_the_last_value(
            entries in proptest::collection::vec(("[a-c]", value()), 0..20)
        ) {
            let ours: Attributes = entries.iter().cloned().collect();
            let map: BTreeMap<String, AttrValue> = entries.into_iter().collect();
            prop_assert!(ours.iter().eq(map.iter()));
        }
    }

    #[test]
    fn json_with_a_code_twice_keeps_the_last_value_as_the_map_does() {
        let json = r#"{"b": true, "a": "x", "b": false}"#;
        let ours: Attributes = serde_json::from_str(json).unwrap_or_default();
        let map: BTreeMap<String, AttrValue> = serde_json::from_str(json).unwrap_or_default();
        assert_eq!(ours.len(), 2);
        assert!(ours.iter().eq(map.iter()));
        assert_eq!(ours.get("b"), Some(&AttrValue::Bool(false)));
    }

    #[test]
    fn json_that_is_not_an_object_is_refused() {
        let err = serde_json::from_str::<Attributes>("[1]")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("an object of attribute values by code"),
            "{err}"
        );
    }

    #[test]
    fn one_attribute_takes_room_for_one() {
        let mut a = Attributes::new();
        assert_eq!(std::mem::size_of::<Attributes>(), 8);
        a.insert("x", AttrValue::Bool(true));
        assert_eq!(a.0.capacity(), 1);
        a.insert("y", AttrValue::Bool(true));
        assert_eq!(a.0.capacity(), 2);
    }
}
