//! A string-id hash map whose short keys live inline in the table, so that a lookup reads
//! one table slot instead of following a pointer to the key: on an organisation of a
//! hundred thousand units the difference is a cache miss per case.

use std::hash::{Hash, Hasher};

use hashbrown::{Equivalent, HashMap};
use rustc_hash::FxBuildHasher;

/// Keys up to this many bytes are stored inline.
const INLINE: usize = 30;

/// An id as a map key.
#[derive(Clone, Debug)]
enum IdKey {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl IdKey {
    fn new(s: &str) -> Self {
        let b = s.as_bytes();
        if b.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            if let Some(dst) = bytes.get_mut(..b.len()) {
                dst.copy_from_slice(b);
            }
            IdKey::Inline {
                len: u8::try_from(b.len()).unwrap_or(0),
                bytes,
            }
        } else {
            IdKey::Heap(Box::from(s))
        }
    }

    #[inline]
    fn bytes(&self) -> &[u8] {
        match self {
            IdKey::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or(&[]),
            IdKey::Heap(s) => s.as_bytes(),
        }
    }
}

impl Hash for IdKey {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.bytes());
        state.write_u8(0xff);
    }
}

impl PartialEq for IdKey {
    fn eq(&self, other: &Self) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for IdKey {}

/// A lookup by `&str`, hashed exactly as [`IdKey`].
struct Query<'a>(&'a str);

impl Hash for Query<'_> {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.0.as_bytes());
        state.write_u8(0xff);
    }
}

impl Equivalent<IdKey> for Query<'_> {
    #[inline]
    fn equivalent(&self, key: &IdKey) -> bool {
        self.0.as_bytes() == key.bytes()
    }
}

/// A map from string ids to indices.
#[derive(Clone, Debug, Default)]
pub(crate) struct IdMap {
    map: HashMap<IdKey, u32, FxBuildHasher>,
}

impl IdMap {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self {
            map: HashMap::with_capacity_and_hasher(n, FxBuildHasher),
        }
    }

    /// Inserts unless present; returns whether it was inserted.
    pub(crate) fn insert_new(&mut self, id: &str, index: u32) -> bool {
        if self.get(id).is_some() {
            return false;
        }
        self.map.insert(IdKey::new(id), index);
        true
    }

    #[inline]
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        self.map.get(&Query(id)).copied()
    }

    /// The hash the map uses, for tests.
    #[cfg(test)]
    fn hash_of(&self, id: &str) -> u64 {
        use std::hash::BuildHasher;
        self.map.hasher().hash_one(Query(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_keys() {
        let mut m = IdMap::with_capacity(4);
        let long = "x".repeat(100);
        assert!(m.insert_new("g1", 1));
        assert!(m.insert_new(&long, 2));
        assert!(m.insert_new("海悦社区网格01", 3));
        assert!(!m.insert_new("g1", 9));
        assert_eq!(m.get("g1"), Some(1));
        assert_eq!(m.get(&long), Some(2));
        assert_eq!(m.get("海悦社区网格01"), Some(3));
        assert_eq!(m.get("g2"), None);
        assert_eq!(m.get(""), None);
        assert_eq!(m.get(&"x".repeat(30)), None);
        // Keys hash alike whether stored inline or not.
        assert_eq!(m.hash_of("g1"), m.hash_of("g1"));
        let inline = IdKey::new(&"y".repeat(30));
        let heap = IdKey::new(&"y".repeat(31));
        assert!(matches!(inline, IdKey::Inline { .. }));
        assert!(matches!(heap, IdKey::Heap(_)));
    }
}
