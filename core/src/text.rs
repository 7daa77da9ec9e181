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
