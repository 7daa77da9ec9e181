//! A reader of the ordinary case document for the lean per-call path, written by hand:
//! `serde_json`'s derived reader is about twice as slow on the same documents, most of
//! its time in its generic field-by-field machinery (`cargo bench -p gridgov-benches
//! --bench route -- route_json_per_call`: `read_by_hand` against `read_by_serde_json`,
//! 167 against 321 ns per Fushan document; `profile_route json-lean-parse`).
//!
//! It reads a flat object whose keys are [`CaseText`]'s fields, each at most once, whose
//! strings have no escape, and whose counts are plain integers; `attributes` is a flat
//! object of such strings, booleans, numbers and lists of strings; the rare `reporter`
//! object and any number but a count are handed to `serde_json` as the slices they are.
//! Anything else gives `None`, and the caller reads the document with `serde_json`,
//! which is the reference: a property test (`scanning_is_serde_json_s`) holds the two
//! equal on every document this reader takes, and holds that it takes the ordinary ones;
//! the fuzz target `case` holds the same, and the decisions, on whatever it finds.

use super::CaseText;
use crate::case::AttrValue;

/// The fields of [`CaseText`], in a fixed order, as bits of a mask of those seen.
const ID: u16 = 1;
const CHANNEL: u16 = 1 << 1;
const CATEGORY: u16 = 1 << 2;
const LOCATION: u16 = 1 << 3;
const PEOPLE: u16 = 1 << 4;
const AMOUNT: u16 = 1 << 5;
const REPEAT: u16 = 1 << 6;
const RISK: u16 = 1 << 7;
const REPORTED: u16 = 1 << 8;
const SUMMARY: u16 = 1 << 9;
const MEDIA: u16 = 1 << 10;
const REPORTER: u16 = 1 << 11;
const ATTRIBUTES: u16 = 1 << 12;
/// The fields without a default.
const REQUIRED: u16 = ID | CHANNEL | CATEGORY | LOCATION | REPORTED;

/// The bit of a key, `None` for a key that is not a field.
fn field(key: &[u8]) -> Option<u16> {
    Some(match key {
        b"id" => ID,
        b"channel" => CHANNEL,
        b"category" => CATEGORY,
        b"location" => LOCATION,
        b"people_involved" => PEOPLE,
        b"amount_yuan" => AMOUNT,
        b"repeat_count" => REPEAT,
        b"risk_flags" => RISK,
        b"reported_at" => REPORTED,
        b"summary" => SUMMARY,
        b"media_url" => MEDIA,
        b"reporter" => REPORTER,
        b"attributes" => ATTRIBUTES,
        _ => return None,
    })
}

/// A position in the document.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Skips JSON's whitespace (space, tab, line feed, carriage return).
    #[inline(always)]
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// Takes `byte` after any whitespace.
    #[inline(always)]
    fn take(&mut self, byte: u8) -> Option<()> {
        self.space();
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// A string without an escape or a control character (what JSON forbids raw in a
    /// string), as the text between its quotes; the cursor is on its opening quote.
    #[inline(always)]
    fn plain(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        if bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        let start = self.at + 1;
        let end = start + closing_quote(bytes.get(start..)?)?;
        self.at = end + 1;
        // Both ends are at ASCII quotes: character boundaries.
        self.text.get(start..end)
    }

    /// `null`, when it is next.
    fn null(&mut self) -> bool {
        let is = self.text.as_bytes().get(self.at..self.at + 4) == Some(b"null");
        if is {
            self.at += 4;
        }
        is
    }

    /// An integer from 0 to `u32::MAX` written plainly (no sign, fraction, exponent or
    /// leading zero: what `serde_json` reads as an unsigned integer).
    fn count(&mut self) -> Option<u32> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let digits = bytes
            .get(start..)?
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = start + digits;
        let leading_zero = digits > 1 && bytes.get(start) == Some(&b'0');
        if digits == 0 || leading_zero || matches!(bytes.get(end), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        self.at = end;
        self.text.get(start..end)?.parse().ok()
    }

    /// The extent of the number next (its characters, checked by whoever reads it).
    fn number(&mut self) -> Option<&'a str> {
        let start = self.at;
        let len = self
            .text
            .as_bytes()
            .get(start..)?
            .iter()
            .take_while(|b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
            .count();
        self.at = start + len;
        (len > 0).then(|| self.text.get(start..start + len))?
    }

    /// The extent of the object or array next, to its matching close (strings and their
    /// escapes skipped; its validity is checked by whoever reads it).
    fn nested(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut depth = 0usize;
        let mut i = start;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        self.at = i + 1;
                        return self.text.get(start..=i);
                    }
                }
                b'"' => {
                    i += 1;
                    while let Some(&c) = bytes.get(i) {
                        match c {
                            b'\\' => i += 1,
                            b'"' => break,
                            _ => {}
                        }
                        i += 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// A flat object of attributes: plain keys, each value a plain string, `true` or
    /// `false`, a number (read by `serde_json` from its text) or a list of plain strings,
    /// as [`AttrValue`] reads them; a later key replaces an earlier one, as in a map
    /// `serde_json` reads.
    fn attributes(&mut self) -> Option<crate::case::Attributes> {
        self.take(b'{')?;
        let mut out = crate::case::Attributes::new();
        self.space();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(out);
        }
        loop {
            self.space();
            let key = self.plain()?;
            self.take(b':')?;
            self.space();
            let value = match self.peek()? {
                b'"' => AttrValue::Text(self.plain()?.to_owned()),
                b'[' => AttrValue::List(self.names()?.into_iter().map(str::to_owned).collect()),
                b't' | b'f' => {
                    let rest = self.text.as_bytes().get(self.at..)?;
                    let (value, len) = if rest.starts_with(b"true") {
                        (true, 4)
                    } else if rest.starts_with(b"false") {
                        (false, 5)
                    } else {
                        return None;
                    };
                    self.at += len;
                    AttrValue::Bool(value)
                }
                _ => serde_json::from_str(self.number()?).ok()?,
            };
            out.insert(key.to_owned(), value);
            self.space();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(out);
                }
                _ => return None,
            }
        }
    }

    /// A list of plain strings.
    fn names(&mut self) -> Option<Vec<&'a str>> {
        self.take(b'[')?;
        let mut out = Vec::new();
        self.space();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(out);
        }
        loop {
            self.space();
            out.push(self.plain()?);
            self.space();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(out);
                }
                _ => return None,
            }
        }
    }
}

/// Where the first quote is in `bytes`, when no backslash (an escape) and no control
/// character comes before it; `None` otherwise. Eight bytes at a time, with the masks of
/// [`crate::text::escape_marks`], whose lowest set bits mark the first of each.
#[inline(always)]
fn closing_quote(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let (quote, bad) = crate::text::escape_marks(u64::from_le_bytes(w));
        if quote | bad != 0 {
            return (quote.trailing_zeros() < bad.trailing_zeros())
                .then(|| at + quote.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let rest = words.remainder();
    let i = rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    (rest.get(i) == Some(&b'"')).then_some(at + i)
}

/// The case of `json` when it is an ordinary document this reader takes (see the module
/// documentation), exactly as `serde_json` reads it; `None` for any other.
#[inline(always)]
pub(super) fn case_text(json: &str) -> Option<CaseText<'_>> {
    let mut c = Cursor { text: json, at: 0 };
    let mut seen = 0u16;
    let mut case = CaseText::default();
    c.take(b'{')?;
    c.space();
    if c.peek()? != b'}' {
        loop {
            c.space();
            let bit = field(c.plain()?.as_bytes())?;
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            c.take(b':')?;
            c.space();
            match bit {
                ID => case.id = c.plain()?,
                CHANNEL => case.channel = c.plain()?,
                CATEGORY => case.category = c.plain()?,
                LOCATION => case.location = c.plain()?,
                REPORTED => case.reported_at = c.plain()?,
                SUMMARY => case.summary = if c.null() { None } else { Some(c.plain()?) },
                MEDIA => case.media_url = if c.null() { None } else { Some(c.plain()?) },
                PEOPLE => case.people_involved = c.count()?,
                REPEAT => case.repeat_count = c.count()?,
                AMOUNT => {
                    case.amount_yuan = if c.peek()? == b'"' {
                        c.plain()?.parse().ok()?
                    } else {
                        serde_json::from_str(c.number()?).ok()?
                    };
                }
                RISK => case.risk_flags = c.names()?,
                ATTRIBUTES => case.attributes = c.attributes()?,
                REPORTER => {
                    case.reporter = if c.null() {
                        None
                    } else if c.peek()? == b'{' {
                        Some(serde_json::from_str(c.nested()?).ok()?)
                    } else {
                        return None;
                    };
                }
                _ => return None,
            }
            c.space();
            match c.peek()? {
                b',' => c.at += 1,
                b'}' => break,
                _ => return None,
            }
        }
    }
    c.at += 1;
    c.space();
    (c.at == json.len() && seen & REQUIRED == REQUIRED).then_some(case)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::case_text;
    use crate::lean::CaseText;

    /// Each field's values: ordinary ones first (`ORDINARY` of them), then the ones the
    /// reader leaves to `serde_json` or that are not valid at all.
    const ORDINARY: usize = 2;
    const FIELDS: &[(&str, &[&str])] = &[
        (
            "id",
            &[
                r#""c-1""#,
                r#""sim-202603-000001""#,
                r#""c\u002d3""#,
                r#""a\"b""#,
                "7",
                "null",
                "\"tab\there\"",
            ],
        ),
        (
            "channel",
            &[r#""hotline""#, r#""app""#, "null", r#""fax""#, "[]"],
        ),
        (
            "category",
            &[
                r#""safety_hazard""#,
                r#""neighbour_dispute""#,
                r#""中文""#,
                "null",
            ],
        ),
        (
            "location",
            &[r#""fs-c01-g02-m1""#, r#""fs-c08-g05-m1""#, "null", "{}"],
        ),
        (
            "reported_at",
            &[
                r#""2026-03-02T09:15:00+08:00""#,
                r#""2026-10-01T10:00:00Z""#,
                r#""yesterday""#,
                "0",
            ],
        ),
        (
            "people_involved",
            &[
                "1",
                "60",
                "0",
                "01",
                "-1",
                "1.0",
                "1e2",
                "4294967295",
                "4294967296",
                r#""3""#,
                "null",
            ],
        ),
        (
            "repeat_count",
            &["0", "3", "00", "-0", "2E1", "99999999999999999999", "true"],
        ),
        (
            "amount_yuan",
            &[
                r#""0.00""#,
                r#""1500.5""#,
                "1500.5",
                "0",
                "-3.25",
                "1e3",
                "0.001",
                r#""abc""#,
                r#""1\u0030""#,
                "1.5.3",
                "-",
                "null",
                "1e400",
            ],
        ),
        (
            "risk_flags",
            &[
                "[]",
                r#"["vulnerable_person"]"#,
                r#"[ "a" , "b" ]"#,
                "[1]",
                "null",
                r#""x""#,
                r#"["a\"b"]"#,
                "[",
                r#"["a",]"#,
            ],
        ),
        (
            "attributes",
            &[
                "{}",
                r#"{"hazard_type": "electrical"}"#,
                r#"{ "workers_unpaid" : 12 , "urgent": true }"#,
                r#"{"a": false, "b": ["x", "y"], "c": -3.25}"#,
                r#"{"a": "x", "a": "y"}"#,
                "{ }",
                r#"{"n": 1.234}"#,
                r#"{"n": 1e2}"#,
                r#"{"b": [1]}"#,
                r#"{"b": [], "t": tru}"#,
                r#"{"a": {"b": [1, "}"]}}"#,
                r#"{"k": "v\"}"}"#,
                r#"{"k\u0041": 1}"#,
                r#"{"k": null}"#,
                "null",
                "[]",
                r#"{"a": 1,}"#,
                r#"{"a" 1}"#,
            ],
        ),
        (
            "reporter",
            &[
                "null",
                r#"{"name": "居民", "phone": "138"}"#,
                "{}",
                r#"{"nick": "x"}"#,
                "1",
                r#"{"name": "x\"}"}"#,
            ],
        ),
        ("summary", &["null", r#""漏水""#, r#""line\nbreak""#, "3"]),
        (
            "media_url",
            &["null", r#""https://example.org/a.jpg""#, "false"],
        ),
        ("point", &[r#"{"lon": 1, "lat": 2}"#]),
    ];
    const SPACE: &[&str] = &["", " ", "\n\t ", "\r\n", "\u{a0}", "\u{b}"];

    /// A document: the required fields (each left out one time in 40), some of the
    /// others, one time in 40 a field twice, each value ordinary or (one time in 12) odd,
    /// in any order, with whitespace between the tokens (one time in ten something JSON
    /// does not call whitespace) and sometimes something after the object. `true` with it when
    /// everything in it is ordinary.
    fn document() -> impl Strategy<Value = (String, bool)> {
        let field = (0usize..40, 0usize..12, 0usize..16);
        (
            proptest::collection::vec(field, FIELDS.len()),
            0usize..(FIELDS.len() * 3),
            proptest::collection::vec(0usize..4, 64),
            (0usize..640, 4..SPACE.len()),
            prop::sample::select(vec!["", "", "", " ", "\n", "x", "}", ",", "{}"]),
        )
            .prop_flat_map(|(choices, twice, mut spaces, (odd_space, odd), tail)| {
                let mut picked = Vec::new();
                let mut ordinary = tail.trim().is_empty();
                for (f, ((name, values), (keep, odd, v))) in FIELDS.iter().zip(choices).enumerate()
                {
                    let wanted = match *name {
                        "id" | "channel" | "category" | "location" | "reported_at" => keep != 0,
                        "point" => keep == 0,
                        _ => keep % 2 == 0,
                    };
                    if !wanted {
                        ordinary &= f >= 5;
                        continue;
                    }
                    let v = if odd == 0 {
                        v % values.len()
                    } else {
                        v % ORDINARY.min(values.len())
                    };
                    ordinary &= v < ORDINARY && *name != "point";
                    picked.push((*name, values[v]));
                }
                if let Some(&again) = picked.get(twice) {
                    picked.push(again);
                    ordinary = false;
                }
                // One document in ten has something JSON does not call whitespace.
                if let Some(at) = spaces.get_mut(odd_space) {
                    *at = odd;
                    ordinary &= odd_space > 4 * picked.len() + 1;
                }
                let spaces: Vec<&'static str> = spaces.iter().map(|i| SPACE[*i]).collect();
                (
                    Just(picked).prop_shuffle(),
                    Just(spaces),
                    Just(tail),
                    Just(ordinary),
                )
            })
            .prop_map(|(picked, spaces, tail, ordinary)| {
                let mut space = spaces.iter().cycle();
                let mut next = || *space.next().unwrap_or(&"");
                let fields: Vec<String> = picked
                    .iter()
                    .map(|(name, value)| {
                        format!("{}\"{name}\"{}:{}{value}{}", next(), next(), next(), next())
                    })
                    .collect();
                (
                    format!("{}{{{}}}{tail}", next(), fields.join(",")),
                    ordinary,
                )
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        /// Whatever document the reader takes, serde_json reads the same case from; and it
        /// takes every ordinary document serde_json reads.
        #[test]
        fn scanning_is_serde_json_s((doc, ordinary) in document()) {
            let serde: Option<CaseText<'_>> = serde_json::from_str(&doc).ok();
            match case_text(&doc) {
                Some(scanned) => prop_assert_eq!(Some(scanned), serde, "{}", doc),
                None => prop_assert!(!ordinary || serde.is_none(), "an ordinary document left to serde_json: {}", doc),
            }
        }
    }

    /// Every kind of attribute object, in a case that is otherwise ordinary: the ones the
    /// reader takes (`true`) it reads as serde_json does, and the others it leaves.
    #[test]
    fn attribute_objects_read_as_serde_json_reads_them() {
        for (attributes, taken) in [
            ("{}", true),
            ("{ }", true),
            (r#"{"hazard_type": "electrical"}"#, true),
            (r#"{ "workers_unpaid" : 12 , "urgent": true }"#, true),
            (
                r#"{"a": false, "b": ["x", "y"], "c": -3.25, "d": 1.5e1}"#,
                true,
            ),
            (r#"{"a": "x", "a": "y"}"#, true),
            (r#"{"a": ["x"], "a": 2}"#, true),
            (r#"{"n": 1.234}"#, false),
            (r#"{"b": [1]}"#, false),
            (r#"{"t": tru}"#, false),
            (r#"{"t": nul}"#, false),
            (r#"{"k": null}"#, false),
            (r#"{"a": {"b": 1}}"#, false),
            (r#"{"k\u0041": 1}"#, false),
            (r#"{"k": "v\""}"#, false),
            (r#"{"a": 1,}"#, false),
            (r#"{"a" 1}"#, false),
            ("[]", false),
        ] {
            let doc = format!(
                r#"{{"id": "c-1", "channel": "app", "category": "safety_hazard", "location": "fs-c01-g02-m1", "reported_at": "2026-03-02T09:15:00+08:00", "attributes": {attributes}}}"#
            );
            let serde: Option<CaseText<'_>> = serde_json::from_str(&doc).ok();
            let scanned = case_text(&doc);
            assert_eq!(scanned.is_some(), taken, "{doc}");
            if scanned.is_some() {
                assert_eq!(scanned, serde, "{doc}");
            }
        }
    }

    /// The documents of the per-call bench and of `json.dumps`: every simulated case is
    /// read by hand, to the case serde_json reads.
    #[test]
    fn a_month_of_simulated_cases_is_read_by_hand() {
        let engine = crate::Engine::fushan();
        for case in crate::sim::month_cases(&engine, 2026, 3, 2_000, 20_260_301) {
            for doc in [
                serde_json::to_string(&case).unwrap(),
                serde_json::to_string_pretty(&case).unwrap(),
            ] {
                let serde: CaseText<'_> = serde_json::from_str(&doc).unwrap();
                assert_eq!(case_text(&doc), Some(serde), "{doc}");
            }
        }
    }
}
