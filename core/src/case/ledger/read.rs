//! Reading a ledger document: each record is checked and replayed as soon as it is
//! read, so reading holds one record at a time beside the ledger it builds, not the
//! whole list of records first.
//!
//! A document names its `format` before its `events` (as [`Ledger::to_json`] prints
//! it); a document written with `events` first is read whole before its records are
//! replayed, with the same checks. Either way the first problem in the document is the
//! one reported: a syntax error, a record that does not fit the chain or is refused, a
//! missing `format` or `events`, a head that is not the last record's.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::{GENESIS, Ledger, LedgerError, chain_record, check_event_id, hex, parse_hex};
use crate::case::event::{CHAINED_FORMAT, Event, EventRecord, LEDGER_FORMAT};
use crate::id::{CaseId, PersonId};
use crate::time::Timestamp;

/// A record of a ledger document: the event and, from format 2 on, its chain hash.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocRecord {
    #[serde(default)]
    event_id: Option<String>,
    #[serde(default)]
    case: Option<CaseId>,
    at: Timestamp,
    actor: PersonId,
    event: Event,
    #[serde(default)]
    hash: Option<String>,
}

/// The fields of the ledger document: `{"format": 2, "events": [...], "head": "…"}`
/// (format 1 has no hashes and no head).
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum DocField {
    Format,
    Events,
    Head,
}

/// The names [`DocField`] reads, for the error on a field named twice.
const FIELDS: &[&str] = &["format", "events", "head"];

/// A ledger being read from its document: the ledger so far, and the error that stopped
/// the reading when it is not the document's syntax (serde carries only a message).
struct Reading {
    ledger: Ledger,
    stopped: Option<LedgerError>,
}

impl Reading {
    /// Stops the reading with `error`, as the serde error `E` that carries it out.
    fn stop<E: de::Error>(&mut self, error: LedgerError) -> E {
        self.stopped = Some(error);
        E::custom("the ledger's reading stopped")
    }

    /// Checks record `r` against the chain and replays it onto the ledger.
    fn take(&mut self, r: DocRecord, chained: bool) -> Result<(), LedgerError> {
        // Every record read so far was replayed (the first one refused stops the
        // reading), so this record's index is the ledger's length.
        let index = self.ledger.len();
        let ledger = &mut self.ledger;
        let mut record = EventRecord {
            event_id: r.event_id,
            case: r.case,
            at: r.at,
            actor: r.actor,
            event: r.event,
        };
        let at = index as u64;
        let tampered = |record: &EventRecord, reason: String| LedgerError::Tampered {
            index: at,
            event_id: record.event_id.clone(),
            reason,
        };
        let expected = chain_record(&ledger.head, &record);
        match (chained, r.hash) {
            (false, None) => {}
            (false, Some(_)) => {
                return Err(tampered(
                    &record,
                    format!(
                        "a format {LEDGER_FORMAT} document has no hashes; a chained document is format {CHAINED_FORMAT}"
                    ),
                ));
            }
            (true, None) => return Err(tampered(&record, "has no `hash`".to_owned())),
            (true, Some(h)) => {
                if parse_hex(&h) != Some(expected) {
                    return Err(tampered(
                        &record,
                        format!(
                            "its hash is `{}` but the chain gives `{}`: the record was changed, or one before it was removed or moved",
                            crate::text::truncate_for_message(&h),
                            hex(&expected)
                        ),
                    ));
                }
            }
        }
        if let Some(id) = record.event_id.as_deref() {
            check_event_id(index, Some(id))?;
            if let Some(&first) = ledger.ids.get(id) {
                return Err(tampered(
                    &record,
                    format!(
                        "its event_id is already used by record {first}; a ledger holds each event_id once"
                    ),
                ));
            }
        }
        ledger.pool_ids(&mut record);
        let case = ledger
            .state
            .step(&record)
            .map_err(|error| LedgerError::Refused { index, error })?;
        ledger.keep(record, case, expected);
        Ok(())
    }

    /// Checks the document's head (of a chained document) against the ledger's.
    fn check_head(&self, chained: bool, head: Option<&str>) -> Result<(), LedgerError> {
        if !chained {
            return Ok(());
        }
        let ledger = &self.ledger;
        let last = ledger.events.len().checked_sub(1);
        match head.map(parse_hex) {
            Some(Some(h)) if h == ledger.head => Ok(()),
            Some(Some(h)) if h == GENESIS && last.is_none() => Ok(()),
            Some(_) => Err(LedgerError::Tampered {
                index: last.unwrap_or(0),
                event_id: last
                    .and_then(|i| ledger.event_ids.get(&i))
                    .map(|id| id.to_string()),
                reason: format!(
                    "the document's head is not this record's hash `{}`: records after it were removed, or the head was changed",
                    hex(&ledger.head)
                ),
            }),
            None => Err(LedgerError::Tampered {
                index: last.unwrap_or(0),
                event_id: None,
                reason: "a chained document needs `head`".to_owned(),
            }),
        }
    }
}

/// Whether a document of `format` is chained, or the error naming the formats read.
fn chained(format: u32) -> Result<bool, LedgerError> {
    match format {
        LEDGER_FORMAT => Ok(false),
        CHAINED_FORMAT => Ok(true),
        found => Err(LedgerError::Format {
            found,
            expected: CHAINED_FORMAT,
        }),
    }
}

/// The document as a whole: reads its fields, replaying the records as they come once
/// the format is known.
impl<'de> Visitor<'de> for &mut Reading {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct LedgerDoc")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut format: Option<bool> = None;
        // The records of a document that gives them before its format.
        let mut early: Option<Vec<DocRecord>> = None;
        let mut events = false;
        let mut head: Option<Option<String>> = None;
        while let Some(field) = map.next_key::<DocField>()? {
            match field {
                DocField::Format => {
                    if format.is_some() {
                        return Err(de::Error::duplicate_field(FIELDS[0]));
                    }
                    let chained = chained(map.next_value()?).map_err(|e| self.stop(e))?;
                    format = Some(chained);
                }
                DocField::Events => {
                    if events {
                        return Err(de::Error::duplicate_field(FIELDS[1]));
                    }
                    events = true;
                    match format {
                        Some(chained) => map.next_value_seed(Records {
                            reading: &mut *self,
                            chained,
                        })?,
                        None => early = Some(map.next_value()?),
                    }
                }
                DocField::Head => {
                    if head.is_some() {
                        return Err(de::Error::duplicate_field(FIELDS[2]));
                    }
                    head = Some(map.next_value()?);
                }
            }
        }
        let chained = format.ok_or_else(|| de::Error::missing_field(FIELDS[0]))?;
        if !events {
            return Err(de::Error::missing_field(FIELDS[1]));
        }
        for r in early.into_iter().flatten() {
            self.take(r, chained).map_err(|e| self.stop(e))?;
        }
        let head = head.flatten();
        self.check_head(chained, head.as_deref())
            .map_err(|e| self.stop(e))
    }
}

impl<'de> DeserializeSeed<'de> for &mut Reading {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_struct("LedgerDoc", FIELDS, self)
    }
}

/// The `events` list of a document whose format is known: each record replayed as it
/// is read.
struct Records<'r> {
    reading: &'r mut Reading,
    chained: bool,
}

impl<'de> Visitor<'de> for Records<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(r) = seq.next_element::<DocRecord>()? {
            self.reading
                .take(r, self.chained)
                .map_err(|e| self.reading.stop(e))?;
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Records<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl Ledger {
    /// Reads a ledger document and replays its events, checking each and, for a chained
    /// document (format 2), every record's hash and the head. Each record is replayed as
    /// it is read, so reading holds little more than the ledger it builds.
    ///
    /// # Errors
    /// The first problem in the document: [`LedgerError::Parse`];
    /// [`LedgerError::Format`] for a format this version does not read;
    /// [`LedgerError::Tampered`] naming the first record that does not fit the chain (a
    /// byte changed, a record removed or moved) or a head that is not the last record's
    /// (records removed from the end); [`LedgerError::Refused`] naming the first event
    /// refused.
    pub fn from_json_str(json: &str) -> Result<Self, LedgerError> {
        read(serde_json::Deserializer::from_str(json), "")
    }

    /// Reads a ledger document from the file at `path` as [`from_json_str`](Self::from_json_str)
    /// reads its text, without holding the text: reading holds little more than the
    /// ledger it builds. [`write_json_file`](Self::write_json_file) writes one.
    ///
    /// # Errors
    /// As [`from_json_str`](Self::from_json_str), and [`StoreError::Io`] naming the file
    /// when it cannot be opened or read (a parse error's line and column are the file's).
    ///
    /// [`StoreError::Io`]: super::StoreError::Io
    pub fn read_json_file(path: impl AsRef<std::path::Path>) -> Result<Self, LedgerError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| io_error(&name, &e.to_string()))?;
        read(
            serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, file)),
            &name,
        )
    }
}

/// A file that could not be opened, read or written.
pub(super) fn io_error(path: &str, message: &str) -> LedgerError {
    LedgerError::Store(super::StoreError::Io {
        path: path.to_owned(),
        message: message.to_owned(),
    })
}

/// Reads a ledger document from `de`; `file` names the file it comes from, for an error
/// reading it (empty for a text).
fn read<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    file: &str,
) -> Result<Ledger, LedgerError> {
    let mut reading = Reading {
        ledger: Ledger::new(),
        stopped: None,
    };
    let read = (&mut reading).deserialize(&mut de).and_then(|()| de.end());
    match (read, reading.stopped) {
        (_, Some(error)) => Err(error),
        (Err(e), None) if e.is_io() => Err(io_error(file, &e.to_string())),
        (Err(e), None) => Err(LedgerError::parse("ledger", &e)),
        (Ok(()), None) => Ok(reading.ledger),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

    use super::super::{GENESIS, Ledger, LedgerError, hex};

    /// The events of case `id` (reported, taken in, routed), as the ledger's tests make
    /// them.
    fn events(id: &str) -> String {
        super::super::tests::events(id, "fs-c01-g01-m1", "fs-c01-g01-m1", "fs-mgl001")
    }

    /// A chained document of two cases, as the ledger prints it, and its events and head
    /// as JSON texts.
    fn chained() -> (String, String, String) {
        let ledger = Ledger::from_json_str(&format!(
            r#"{{"format": 1, "events": [{}, {}]}}"#,
            events("c1"),
            events("c2")
        ))
        .unwrap();
        let printed = ledger.to_json();
        let doc: serde_json::Value = serde_json::from_str(&printed).unwrap();
        (printed, doc["events"].to_string(), doc["head"].to_string())
    }

    fn error(doc: &str) -> LedgerError {
        match Ledger::from_json_str(doc) {
            Ok(_) => panic!("read: {doc}"),
            Err(e) => e,
        }
    }

    /// A document that gives its records before its format (or its head before them)
    /// reads to the same ledger, and a changed record is found at the same place.
    #[test]
    fn fields_in_any_order_read_the_same() {
        let (printed, records, head) = chained();
        let ledger = Ledger::from_json_str(&printed).unwrap();
        assert_eq!(ledger.len(), 6);
        for doc in [
            format!(r#"{{"events": {records}, "format": 2, "head": {head}}}"#),
            format!(r#"{{"head": {head}, "events": {records}, "format": 2}}"#),
            format!(r#"{{"head": {head}, "format": 2, "events": {records}}}"#),
        ] {
            let other = Ledger::from_json_str(&doc).unwrap();
            assert_eq!(other.to_json(), printed, "{doc}");
            assert_eq!(other.head(), ledger.head());
        }
        // The second case's acceptance changed: record 4 no longer fits the chain.
        let at = records.match_indices("09:05:00").nth(1).unwrap().0;
        let changed = format!("{}09:04:00{}", &records[..at], &records[at + 8..]);
        for doc in [
            format!(r#"{{"format": 2, "events": {changed}, "head": {head}}}"#),
            format!(r#"{{"events": {changed}, "format": 2, "head": {head}}}"#),
        ] {
            match error(&doc) {
                LedgerError::Tampered { index, reason, .. } => {
                    assert_eq!(index, 4, "{doc}");
                    assert!(reason.starts_with("its hash is"), "{reason}");
                }
                e => panic!("{e}"),
            }
        }
    }

    /// The document's own mistakes are parse errors naming the field, with the valid
    /// fields; a format it does not read is named as such, wherever it stands.
    #[test]
    fn the_document_s_own_mistakes_are_named() {
        let genesis = hex(&GENESIS);
        for (doc, code, message) in [
            (
                format!(r#"{{"format": 2, "events": [], "head": "{genesis}", "extra": 1}}"#),
                "ledger_parse",
                "unknown field `extra`, expected one of `format`, `events`, `head`",
            ),
            (
                r#"{"format": 1, "format": 1, "events": []}"#.to_owned(),
                "ledger_parse",
                "duplicate field `format`",
            ),
            (
                r#"{"format": 1, "events": [], "events": []}"#.to_owned(),
                "ledger_parse",
                "duplicate field `events`",
            ),
            (
                format!(r#"{{"format": 2, "head": "{genesis}", "events": [], "head": null}}"#),
                "ledger_parse",
                "duplicate field `head`",
            ),
            (
                r#"{"events": []}"#.to_owned(),
                "ledger_parse",
                "missing field `format`",
            ),
            (
                r#"{"format": 1}"#.to_owned(),
                "ledger_parse",
                "missing field `events`",
            ),
            (
                r#"{"format": 1, "events": {}}"#.to_owned(),
                "ledger_parse",
                "invalid type: map, expected a sequence",
            ),
            (
                r#"{"format": "1", "events": []}"#.to_owned(),
                "ledger_parse",
                "invalid type: string \"1\", expected u32",
            ),
            (
                r#"[1, []]"#.to_owned(),
                "ledger_parse",
                "invalid type: sequence, expected struct LedgerDoc",
            ),
            (
                r#"{"format": 1, "events": []} []"#.to_owned(),
                "ledger_parse",
                "trailing characters",
            ),
            (
                r#"{"format": 3, "events": []}"#.to_owned(),
                "unsupported_format",
                "unsupported ledger format 3; this library reads formats up to 2",
            ),
            (
                r#"{"events": [{"no": "record"}], "format": 3}"#.to_owned(),
                "ledger_parse",
                "unknown field `no`",
            ),
            (
                r#"{"format": 3, "events": [{"no": "record"}]}"#.to_owned(),
                "unsupported_format",
                "unsupported ledger format 3",
            ),
            (
                r#"{"format": 2, "events": []}"#.to_owned(),
                "ledger_tampered",
                "a chained document needs `head`",
            ),
            (
                format!(
                    r#"{{"format": 2, "events": [], "head": "{}"}}"#,
                    "1".repeat(64)
                ),
                "ledger_tampered",
                "the document's head is not this record's hash",
            ),
        ] {
            let e = error(&doc);
            assert_eq!(e.code(), code, "{doc}: {e}");
            assert!(e.to_string().contains(message), "{doc}: {e}");
        }
    }

    /// The first problem in the document is the one reported: an event refused before a
    /// syntax error further on (the records before it were replayed; the rest are never
    /// read), and a record whose hash is missing before a record refused.
    #[test]
    fn the_first_problem_is_the_one_reported() {
        let refused = r#"{"case": "c1", "at": "2026-03-02T10:00:00+08:00", "actor": "resident",
            "event": {"type": "evaluated", "satisfaction": 5}}"#;
        let doc = format!(
            r#"{{"format": 1, "events": [{}, {refused}, {{"case": ]}}"#,
            events("c1")
        );
        match error(&doc) {
            LedgerError::Refused { index, error } => {
                assert_eq!(index, 3);
                assert_eq!(error.code(), "invalid_transition");
            }
            e => panic!("{e}"),
        }
        // Records before the format are read whole first: their syntax comes first.
        let doc = format!(
            r#"{{"events": [{}, {refused}, {{"case": ]}}, "format": 1}}"#,
            events("c1")
        );
        assert_eq!(error(&doc).code(), "ledger_parse");
        // In a chained document the missing hash of record 0 comes before the refusal.
        let doc = format!(
            r#"{{"format": 2, "events": [{}, {refused}]}}"#,
            events("c1")
        );
        match error(&doc) {
            LedgerError::Tampered { index, reason, .. } => {
                assert_eq!((index, reason.as_str()), (0, "has no `hash`"));
            }
            e => panic!("{e}"),
        }
    }

    /// A fresh folder for one test's files.
    fn folder(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("gridgov-doc-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// A ledger written to a file holds `to_json`'s bytes and reads back the same (chain,
    /// head and all); writing again replaces it, and leaves nothing beside it.
    #[test]
    fn a_ledger_written_to_a_file_reads_back_the_same() {
        let dir = folder("round-trip");
        let path = dir.join("ledger.json");
        let ledger = Ledger::from_json_str(&chained().0).unwrap();
        ledger.write_json_file(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), ledger.to_json());
        let again = Ledger::read_json_file(&path).unwrap();
        assert_eq!(again.to_json(), ledger.to_json());
        assert_eq!(again.head(), ledger.head());
        // A shorter ledger written over it: the file is the new one, whole.
        let one =
            Ledger::from_json_str(&format!(r#"{{"format": 1, "events": [{}]}}"#, events("c9")))
                .unwrap();
        one.write_json_file(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), one.to_json());
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["ledger.json"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A file that cannot be read or written is a `store_io` error naming it; a file that
    /// does not parse, or holds a record refused, is the error its text gives, with the
    /// file's line and column; a write that fails leaves the earlier file whole.
    #[test]
    fn file_errors_name_the_file() {
        let dir = folder("errors");
        let missing = dir.join("no-such.json");
        let e = Ledger::read_json_file(&missing).unwrap_err();
        assert_eq!(e.code(), "store_io");
        assert!(e.to_string().contains("no-such.json"), "{e}");
        let ledger = Ledger::from_json_str(&chained().0).unwrap();
        let e = ledger
            .write_json_file(dir.join("no-folder").join("l.json"))
            .unwrap_err();
        assert_eq!(e.code(), "store_io");
        assert!(e.to_string().contains("no-folder"), "{e}");

        let bad = dir.join("bad.json");
        std::fs::write(&bad, "{\"format\": 1,\n \"events\": [}").unwrap();
        match Ledger::read_json_file(&bad).unwrap_err() {
            LedgerError::Parse { line, column, .. } => assert_eq!((line, column), (2, 13)),
            e => panic!("{e}"),
        }
        let refused = format!(
            r#"{{"format": 1, "events": [{}, {{"case": "c1", "at": "2026-03-02T10:00:00+08:00",
            "actor": "resident", "event": {{"type": "evaluated", "satisfaction": 5}}}}]}}"#,
            events("c1")
        );
        std::fs::write(&bad, &refused).unwrap();
        assert_eq!(
            Ledger::read_json_file(&bad).unwrap_err().to_string(),
            Ledger::from_json_str(&refused).unwrap_err().to_string()
        );

        // The write cannot begin (its partial file's name is taken by a folder): the
        // earlier file is as it was.
        let path = dir.join("kept.json");
        ledger.write_json_file(&path).unwrap();
        std::fs::create_dir(dir.join("kept.json.partial")).unwrap();
        let other = Ledger::new();
        assert_eq!(other.write_json_file(&path).unwrap_err().code(), "store_io");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), ledger.to_json());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
