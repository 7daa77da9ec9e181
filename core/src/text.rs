//! Small text helpers every layer shares: shortening a bad value for a message, the
//! position suffix serde_json puts on its messages, and compact JSON output.

use serde::Serialize;

/// Texts kept one after another in one string, each found by its number: one allocation
/// for many short texts, and a number of 4 bytes to name each.
#[derive(Clone, Debug, Default)]
pub(crate) struct TextList {
    text: String,
    /// `(start, len)` in `text` of each text, by number.
    spans: Vec<(u64, u32)>,
}

impl TextList {
    /// Adds `s`; returns its number.
    pub(crate) fn push(&mut self, s: &str) -> u32 {
        let n = u32::try_from(self.spans.len()).unwrap_or(u32::MAX);
        self.spans.push((
            self.text.len() as u64,
            u32::try_from(s.len()).unwrap_or(u32::MAX),
        ));
        self.text.push_str(s);
        n
    }

    /// The text numbered `n`.
    pub(crate) fn get(&self, n: u32) -> Option<&str> {
        let &(start, len) = self.spans.get(n as usize)?;
        let start = usize::try_from(start).ok()?;
        self.text.get(start..start.checked_add(len as usize)?)
    }

    /// How many texts it holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    /// Every text, one after another.
    #[cfg(test)]
    pub(crate) fn joined(&self) -> &str {
        &self.text
    }
}

/// The text of an embedded data set the build deflated (`core/build.rs`), inflated. The
/// bytes are made by the build from a checked-in UTF-8 file, and the limit is far above
/// any such file's size; a test for each holds it equal to its file.
pub(crate) fn inflate_embedded(deflated: &[u8]) -> String {
    miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, 16 << 20)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
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

/// serde_json appends " at line L column C" to its messages; we report those as fields.
#[must_use]
pub fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// Serialises a value the way every entry point does: compact JSON, fields in declaration
/// order.
#[must_use]
pub fn to_json<T: Serialize>(value: &T) -> String {
    // Serialising our own plain data types (strings, integers, maps with string keys)
    // cannot fail; an empty object is returned rather than panicking if it ever did.
    serde_json::to_string(value).unwrap_or_else(|_| String::from("{}"))
}

/// Appends `value` as a JSON string, byte for byte as `serde_json` writes it: text without
/// a quote, a backslash or a control character (ids, names, reasons) is copied as it is,
/// and anything else goes through `serde_json`. The decision's hand-written JSON uses it
/// (`core/src/route.rs`); a property test holds the two equal.
#[inline]
pub fn push_json_str(out: &mut String, value: &str) {
    if needs_escape(value.as_bytes()) {
        push_escaped(out, value);
    } else {
        out.reserve(value.len() + 2);
        out.push('"');
        out.push_str(value);
        out.push('"');
    }
}

/// [`push_json_str`] for text with something to escape: rare, and kept out of line.
#[cold]
#[inline(never)]
fn push_escaped(out: &mut String, value: &str) {
    out.push_str(&to_json(&value));
}

/// The bytes of the eight-byte word `x` (little-endian) that JSON escapes: the high bit
/// of each quote's byte, and of each backslash's and control character's. Each mask is
/// nonzero just when some byte matches, and its lowest set bit marks exactly the first
/// that does (a borrow can mark bytes above a match, never below one): all its users
/// read of it. Shared by [`needs_escape`] and the lean reader's search for a string's end.
#[inline]
pub(crate) fn escape_marks(x: u64) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let quotes = zero_byte(x ^ (ONES * u64::from(b'"')));
    let others =
        zero_byte(x ^ (ONES * u64::from(b'\\'))) | (x.wrapping_sub(ONES * 0x20) & !x & HIGH);
    (quotes, others)
}

/// Whether any byte is a quote, a backslash or a control character. A decision's `why`
/// and a unit's name are scanned on every call, and its ids too: long text 32 bytes at a
/// time (each block's bytes tested without a branch, which the compiler turns into
/// vector compares), then eight bytes at a time in a word read straight from the text
/// (copying a few bytes into a buffer to read them as a word stalls the load).
#[inline]
pub(crate) fn needs_escape(bytes: &[u8]) -> bool {
    #[inline]
    fn bad(b: u8) -> u8 {
        u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\')
    }
    #[inline]
    fn bad_word(x: u64) -> u64 {
        let (quotes, others) = escape_marks(x);
        quotes | others
    }
    let mut blocks = bytes.chunks_exact(32);
    for block in blocks.by_ref() {
        if block.iter().fold(0u8, |acc, &b| acc | bad(b)) != 0 {
            return true;
        }
    }
    let rest = blocks.remainder();
    let word = |w: &[u8]| <[u8; 8]>::try_from(w).map_or(0, |w| bad_word(u64::from_le_bytes(w)));
    if bytes.len() < 8 {
        return rest.iter().fold(0u8, |acc, &b| acc | bad(b)) != 0;
    }
    // The rest eight bytes at a time, the last word ending at the last byte (overlapping
    // the one before it, or the last block, when the rest is not a multiple of eight).
    let mut words = rest.chunks_exact(8);
    let mut any = words.by_ref().fold(0, |acc, w| acc | word(w));
    if !words.remainder().is_empty() {
        any |= word(bytes.get(bytes.len() - 8..).unwrap_or_default());
    }
    any != 0
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_block_test_finds_exactly_the_bytes_to_escape(bytes in proptest::collection::vec(prop_oneof![30 => 0x20u8..=0xff, 1 => any::<u8>()], 0..100)) {
            let slow = bytes.iter().any(|b| *b < 0x20 || *b == b'"' || *b == b'\\');
            prop_assert_eq!(super::needs_escape(&bytes), slow);
        }
    }

    proptest! {
        #[test]
        fn json_strings_are_serde_json_s(value in any::<String>(), tail in "[\"\\\\\u{0}-\u{1f}a-z中]{0,8}") {
            for v in [value.as_str(), tail.as_str(), &format!("{value}{tail}")] {
                let mut out = String::new();
                super::push_json_str(&mut out, v);
                prop_assert_eq!(out, serde_json::to_string(v).unwrap_or_default());
            }
        }
    }
}
