//! Small text helpers every layer shares: shortening a bad value for a message, the
//! position suffix serde_json puts on its messages, and compact JSON output.

use serde::Serialize;

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
pub fn push_json_str(out: &mut String, value: &str) {
    if needs_escape(value.as_bytes()) {
        out.push_str(&to_json(&value));
    } else {
        out.push('"');
        out.push_str(value);
        out.push('"');
    }
}

/// Whether any byte is a quote, a backslash or a control character: 32 bytes at a time,
/// each block's bytes tested without a branch so that the compiler turns the test into
/// vector compares (a decision's `why` and a unit's name are scanned on every call).
#[inline]
pub(crate) fn needs_escape(bytes: &[u8]) -> bool {
    #[inline]
    fn bad(b: u8) -> u8 {
        u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\')
    }
    let mut blocks = bytes.chunks_exact(32);
    for block in blocks.by_ref() {
        if block.iter().fold(0u8, |acc, &b| acc | bad(b)) != 0 {
            return true;
        }
    }
    blocks.remainder().iter().fold(0u8, |acc, &b| acc | bad(b)) != 0
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
