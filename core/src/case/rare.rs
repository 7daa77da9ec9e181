//! Fields few cases or decisions ever set, kept on the heap only once one is set.
//!
//! A ledger holds a million states and two million decisions; a field that one case in a
//! hundred sets would otherwise take its bytes in all of them. [`RareBox`] holds such a
//! group behind one pointer, reads as the group's empty value while nothing is in it, and
//! gives its room back when a write empties it.

use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A group of fields that [`RareBox`] keeps: its empty value, which reads stand on while
/// the box has no room.
pub trait Rare: Default + PartialEq + 'static {
    /// The group with nothing set, as a static to hand out references to.
    fn empty() -> &'static Self;

    /// Whether nothing is set.
    fn is_empty(&self) -> bool {
        self == Self::empty()
    }
}

/// A [`Rare`] group of fields, on the heap only once something is in it. Reads see the
/// group's empty value until the first write makes room (`Deref` and `DerefMut` to the
/// group); an emptied box equals an untouched one; it serialises as the group itself.
#[derive(Clone, Debug, Default)]
pub struct RareBox<T>(Option<Box<T>>);

impl<T: Rare> RareBox<T> {
    /// Whether nothing is in it.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.as_deref().is_none_or(Rare::is_empty)
    }

    /// Whether it has taken room on the heap (a write made it, and none emptied it through
    /// [`edit_if_any`](Self::edit_if_any) since).
    #[must_use]
    pub const fn takes_room(&self) -> bool {
        self.0.is_some()
    }

    /// What it holds.
    #[must_use]
    pub fn into_inner(self) -> T {
        self.0.map_or_else(T::default, |b| *b)
    }

    /// What it holds, to change, when something is: `None` while empty, without making
    /// room (where `DerefMut` makes it).
    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.0.as_deref_mut()
    }

    /// Changes what it holds when something is, and gives the room back if that emptied
    /// it: for clearing a field, which need not make room to do so.
    pub fn edit_if_any(&mut self, edit: impl FnOnce(&mut T)) {
        if let Some(inner) = self.0.as_deref_mut() {
            edit(inner);
            if inner.is_empty() {
                self.0 = None;
            }
        }
    }
}

impl<T: Rare> Deref for RareBox<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.0.as_deref().unwrap_or_else(|| T::empty())
    }
}

impl<T: Rare> DerefMut for RareBox<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }
}

impl<T: Rare> From<T> for RareBox<T> {
    fn from(inner: T) -> Self {
        Self((!inner.is_empty()).then(|| Box::new(inner)))
    }
}

impl<T: Rare> PartialEq for RareBox<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Rare + Eq> Eq for RareBox<T> {}

impl<T: Rare + Serialize> Serialize for RareBox<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de, T: Rare + Deserialize<'de>> Deserialize<'de> for RareBox<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self::from)
    }
}
