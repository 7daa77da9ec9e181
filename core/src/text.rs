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

/// Whether any byte is a quote, a backslash or a control character: eight bytes at a time
/// (each test below is exact: nonzero just when some byte of the word matches).
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        if below_space
            | zero_byte(x ^ (ONES * u64::from(b'"')))
            | zero_byte(x ^ (ONES * u64::from(b'\\')))
            != 0
        {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|b| *b < 0x20 || *b == b'"' || *b == b'\\')
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_word_test_finds_exactly_the_bytes_to_escape(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
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
