//! Engines and ledgers that JS passes back as arguments. wasm-bindgen's own check of a
//! class argument throws an `Error` without a code; instead, arguments are taken as plain
//! values and recognised here by a handle each object carries (a getter on its class), so
//! that a wrong object gets the core's coded `InputError` like every other bad argument.
//! The objects live in these tables, owned by the JS wrapper that holds the handle; its
//! `free()` (or garbage collection) removes them.

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};

/// The getter a `Ledger` carries its handle under.
pub(crate) const LEDGER_KEY: &str = "__gridgovLedger";
/// The getter an `Engine` carries its handle under.
pub(crate) const ENGINE_KEY: &str = "__gridgovEngine";

/// A table of objects by handle, reusing freed handles.
#[derive(Debug)]
pub(crate) struct Slab<T> {
    slots: Vec<Option<T>>,
    free: Vec<u32>,
}

impl<T> Slab<T> {
    const fn new() -> Self {
        Self {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }

    pub(crate) fn insert(&mut self, value: T) -> u32 {
        if let Some(slot) = self.free.pop() {
            if let Some(s) = self.slots.get_mut(slot as usize) {
                *s = Some(value);
                return slot;
            }
        }
        self.slots.push(Some(value));
        u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
    }

    pub(crate) fn remove(&mut self, slot: u32) {
        if let Some(s) = self.slots.get_mut(slot as usize) {
            if s.take().is_some() {
                self.free.push(slot);
            }
        }
    }

    pub(crate) fn get(&self, slot: u32) -> Option<&T> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }

    pub(crate) fn get_mut(&mut self, slot: u32) -> Option<&mut T> {
        self.slots.get_mut(slot as usize).and_then(Option::as_mut)
    }
}

thread_local! {
    /// Every live ledger.
    pub(crate) static LEDGERS: RefCell<Slab<gridgov::case::ledger::Ledger>> =
        const { RefCell::new(Slab::new()) };
    /// A shared copy of every live engine (its parts are reference-counted).
    pub(crate) static ENGINES: RefCell<Slab<gridgov::Engine>> =
        const { RefCell::new(Slab::new()) };
}

/// The handle of an object argument of the class whose getter is `key`, or the core's
/// error naming the argument and what it must be.
pub(crate) fn handle(
    value: &JsValue,
    what: &str,
    expected: &str,
    key: &str,
) -> Result<u32, JsValue> {
    let key = JsValue::from_str(key);
    // A real instance carries the getter on its class's prototype, never as its own
    // property (a plain object copying the key is not one).
    let own = value.is_object()
        && js_sys::Object::get_own_property_descriptor(
            value.unchecked_ref::<js_sys::Object>(),
            &key,
        )
        .is_object();
    let got = if value.is_object() && !own {
        js_sys::Reflect::get(value, &key)
            .ok()
            .and_then(|h| h.as_f64())
    } else {
        None
    };
    match got {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "handles are u32 by construction"
        )]
        Some(h) if h.fract() == 0.0 && h >= 0.0 && h <= f64::from(u32::MAX) => Ok(h as u32),
        _ => Err(crate::wrong_type(value, what, expected)),
    }
}
