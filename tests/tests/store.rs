//! The promises of the SQLite ledger store and the hash chain: an append that returned
//! survives a SIGKILL, nothing is half-written, reopening replays to the same state, two
//! processes appending to one file lose and double nothing, and a changed, removed or moved
//! record is caught, naming it, at import, at open and by `verify`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on the first surprise"
)]

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use gridgov::case::ledger::{Ledger, LedgerError, StoreError, hex};

const WRITER: &str = env!("CARGO_BIN_EXE_ledger_writer");

/// A seeded SplitMix64: the test's moments and bytes are the same on every run.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

/// A fresh folder for one test's files.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gridgov-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the writer to the end; the event ids it reported as done.
fn write_all(path: &Path, name: &str, count: u32, shared: bool) -> std::process::Child {
    let mut cmd = Command::new(WRITER);
    cmd.arg(path).arg(name).arg("0").arg(count.to_string());
    if shared {
        cmd.arg("shared");
    }
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn done_ids(child: &mut std::process::Child) -> std::thread::JoinHandle<Vec<String>> {
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        BufReader::new(out)
            .lines()
            .map_while(Result::ok)
            .filter_map(|l| l.strip_prefix("done ").map(str::to_owned))
            .flat_map(|l| l.split(' ').map(str::to_owned).collect::<Vec<_>>())
            .collect()
    })
}

/// Every event id of a ledger, checking that none appears twice.
fn ids_of(l: &Ledger) -> HashSet<String> {
    let mut seen = HashSet::new();
    for e in l.events() {
        let id = e.event_id.unwrap();
        assert!(
            seen.insert(id.clone()),
            "event_id {id} is in the ledger twice"
        );
    }
    seen
}

/// The file replays to the same state as its own export, and its chain holds.
fn check_replays(l: &Ledger) {
    let head = l.verify().unwrap();
    assert_eq!(head, l.head());
    let again = Ledger::from_json_str(&l.to_json()).unwrap();
    assert_eq!(again.state(), l.state());
    assert_eq!(again.head(), l.head());
}

#[test]
fn a_killed_writer_loses_nothing_it_reported_and_leaves_nothing_half_written() {
    let d = dir("crash");
    let path = d.join("ledger.sqlite");
    let mut rng = SplitMix64::new(20_260_302);
    let mut reported: HashSet<String> = HashSet::new();
    let mut kills = 0;
    for round in 0..24 {
        let mut child = Command::new(WRITER)
            .arg(&path)
            .arg("crash")
            .arg("0")
            .arg("100000")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let reader = done_ids(&mut child);
        // Kill at a random moment: while it opens (replays) the file, or mid-writing.
        let wait = 20 + rng.below(250);
        std::thread::sleep(Duration::from_millis(wait));
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        kills += u32::from(still_running);
        let done = reader.join().unwrap();
        reported.extend(done);
        let l = Ledger::open(&path).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let present = ids_of(&l);
        let missing: Vec<_> = reported.difference(&present).collect();
        assert!(
            missing.is_empty(),
            "round {round} ({status}): appends reported done are missing: {missing:?}"
        );
        // Nothing half-written: every case is whole (its report and routing came in one
        // transaction), the chain holds and the state replays.
        for c in l.state().cases() {
            assert!(
                c.assignment.is_some(),
                "case {} lacks its routing",
                c.case.id
            );
        }
        check_replays(&l);
    }
    assert!(
        kills >= 20,
        "only {kills} of 24 writers were killed while running"
    );
    assert!(
        reported.len() > 24,
        "the writers reported {} appends",
        reported.len()
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn two_writers_on_one_file_lose_and_double_nothing() {
    let d = dir("two");
    let path = d.join("ledger.sqlite");
    // Create the file first so that both writers open an existing ledger.
    drop(Ledger::open(&path).unwrap());
    let mut a = write_all(&path, "a", 60, false);
    let mut b = write_all(&path, "b", 60, false);
    let mut sa = write_all(&path, "sa", 40, true);
    let mut sb = write_all(&path, "sb", 40, true);
    let readers: Vec<_> = [&mut a, &mut b, &mut sa, &mut sb]
        .into_iter()
        .map(done_ids)
        .collect();
    for child in [&mut a, &mut b, &mut sa, &mut sb] {
        let out = child.wait_with_output_status();
        assert!(out.success(), "a writer failed: {out}");
    }
    let reported: Vec<String> = readers
        .into_iter()
        .flat_map(|r| r.join().unwrap())
        .collect();
    let l = Ledger::open(&path).unwrap();
    let present = ids_of(&l);
    // 60 + 60 own cases and 40 shared ones, three events each, each once.
    assert_eq!(l.len(), (60 + 60 + 40) * 3);
    assert_eq!(l.state().cases().len(), 160);
    for id in &reported {
        assert!(
            present.contains(id),
            "{id} was reported done but is not in the file"
        );
    }
    check_replays(&l);
    let _ = std::fs::remove_dir_all(&d);
}

trait WaitStatus {
    fn wait_with_output_status(&mut self) -> std::process::ExitStatus;
}

impl WaitStatus for std::process::Child {
    fn wait_with_output_status(&mut self) -> std::process::ExitStatus {
        let mut err = String::new();
        if let Some(mut e) = self.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        let status = self.wait().unwrap();
        if !err.is_empty() {
            eprintln!("{err}");
        }
        status
    }
}

/// A small file-backed ledger: 5 cases taken in by the writer, 15 events.
fn small_file(name: &str) -> (PathBuf, PathBuf) {
    let d = dir(name);
    let path = d.join("ledger.sqlite");
    let mut w = write_all(&path, "t", 5, false);
    assert!(w.wait_with_output_status().success());
    (d, path)
}

fn sql(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

fn tampered_at(e: &LedgerError) -> u64 {
    match e {
        LedgerError::Tampered { index, .. } => *index,
        other => panic!("not a tamper error: {other}"),
    }
}

#[test]
fn reopening_gives_the_same_state_and_resent_events_stay_duplicates() {
    let (d, path) = small_file("reopen");
    let l = Ledger::open(&path).unwrap();
    assert_eq!(l.len(), 15);
    let json = l.to_json();
    let mut again = Ledger::open(&path).unwrap();
    assert_eq!(again.to_json(), json);
    // A re-sent event after reopening is a duplicate, receipted with its place.
    let first = l.events().nth(2).unwrap();
    let r = again.append(first).unwrap();
    assert!(r.duplicate);
    assert_eq!(r.index, 2);
    assert_eq!(again.len(), 15);
    // A refused event writes nothing to the file.
    let mut bad = l.events().nth(2).unwrap();
    bad.event_id = Some("new-id".into());
    assert_eq!(again.append(bad).unwrap_err().code(), "invalid_transition");
    assert_eq!(Ledger::open(&path).unwrap().len(), 15);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_changed_record_in_the_file_is_caught_at_open_and_by_verify() {
    let (d, path) = small_file("changed");
    let open = Ledger::open(&path).unwrap();
    let c = sql(&path);
    let record: Vec<u8> = c
        .query_row("SELECT record FROM events WHERE seq = 8", [], |r| r.get(0))
        .unwrap();
    let changed = String::from_utf8(record)
        .unwrap()
        .replace("等待材料", "已经办结");
    assert!(changed.contains("已经办结"));
    c.execute(
        "UPDATE events SET record = ?1 WHERE seq = 8",
        [changed.as_bytes()],
    )
    .unwrap();
    drop(c);
    let err = Ledger::open(&path).unwrap_err();
    assert_eq!(err.code(), "store_corrupt");
    assert!(
        err.to_string()
            .contains("record 8 (event_id `t-2-2`) does not follow the chain"),
        "{err}"
    );
    // A ledger opened before the change finds it on verify.
    let err = open.verify().unwrap_err();
    assert_eq!(tampered_at(&err), 8, "{err}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_removed_or_swapped_record_in_the_file_is_caught() {
    let (d, path) = small_file("removed");
    let c = sql(&path);
    c.execute("DELETE FROM events WHERE seq = 4", []).unwrap();
    drop(c);
    let err = Ledger::open(&path).unwrap_err();
    assert!(err.to_string().contains("record 4 is missing"), "{err}");
    let _ = std::fs::remove_dir_all(&d);

    let (d, path) = small_file("swapped");
    let c = sql(&path);
    c.execute_batch(
        "UPDATE events SET seq = -1 WHERE seq = 3;
         UPDATE events SET seq = 3 WHERE seq = 4;
         UPDATE events SET seq = 4 WHERE seq = -1;",
    )
    .unwrap();
    drop(c);
    let err = Ledger::open(&path).unwrap_err();
    assert!(err.to_string().contains("record 3"), "{err}");
    let _ = std::fs::remove_dir_all(&d);

    let (d, path) = small_file("truncated");
    let c = sql(&path);
    c.execute("DELETE FROM events WHERE seq = 14", []).unwrap();
    drop(c);
    let err = Ledger::open(&path).unwrap_err();
    assert!(
        err.to_string()
            .contains("records after record 13 were removed"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_newer_damaged_or_foreign_file_is_refused_whole() {
    let (d, path) = small_file("newer");
    sql(&path).pragma_update(None, "user_version", 2).unwrap();
    let err = Ledger::open(&path).unwrap_err();
    assert_eq!(err.code(), "unsupported_format");
    assert!(matches!(
        err,
        LedgerError::Store(StoreError::Newer {
            found: 2,
            supported: 1,
            ..
        })
    ));
    let _ = std::fs::remove_dir_all(&d);

    let d = dir("garbage");
    let path = d.join("ledger.sqlite");
    std::fs::write(&path, b"this is not a database, only some text long enough to be read as a header by SQLite's checks ............").unwrap();
    let err = Ledger::open(&path).unwrap_err();
    assert_eq!(err.code(), "store_corrupt", "{err}");

    let other = d.join("other.sqlite");
    sql(&other)
        .execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")
        .unwrap();
    let err = Ledger::open(&other).unwrap_err();
    assert_eq!(err.code(), "store_corrupt", "{err}");
    assert!(
        err.to_string()
            .contains("a SQLite database of something else")
    );
    let _ = std::fs::remove_dir_all(&d);

    // A file cut short (its later pages gone) is refused, never half-read.
    let (d, path) = small_file("cut");
    let c = sql(&path);
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    drop(c);
    let len = std::fs::metadata(&path).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.set_len(len / 2).unwrap();
    drop(f);
    let _ = std::fs::remove_file(d.join("ledger.sqlite-wal"));
    let _ = std::fs::remove_file(d.join("ledger.sqlite-shm"));
    match Ledger::open(&path) {
        Err(e) => assert!(e.code().starts_with("store_"), "{e}"),
        Ok(l) => panic!("a file cut in half opened with {} events", l.len()),
    }
    let _ = std::fs::remove_dir_all(&d);

    let err = Ledger::open("/nonexistent-folder/ledger.sqlite").unwrap_err();
    assert_eq!(err.code(), "store_io", "{err}");
}

/// A ledger document of the small file, as `serde_json` values.
fn document() -> (Ledger, serde_json::Value) {
    let (d, path) = small_file("doc");
    let l = Ledger::open(&path).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&l.to_json()).unwrap();
    let _ = std::fs::remove_dir_all(&d);
    (l, doc)
}

#[test]
fn a_changed_removed_or_reordered_record_of_a_document_is_refused_naming_it() {
    let (l, doc) = document();
    assert_eq!(doc["format"], 2);
    assert_eq!(doc["head"], hex(&l.head()));
    let load = |doc: &serde_json::Value| Ledger::from_json_str(&doc.to_string());
    assert_eq!(load(&doc).unwrap().head(), l.head());
    for k in 0..15 {
        // A changed field.
        let mut changed = doc.clone();
        changed["events"][k]["at"] = "2026-03-02T11:59:00+08:00".into();
        let err = load(&changed).unwrap_err();
        assert_eq!(tampered_at(&err), k as u64, "{err}");
        // A removed record: the one after it no longer follows (or, for the last, the
        // head names another record).
        let mut removed = doc.clone();
        removed["events"].as_array_mut().unwrap().remove(k);
        let err = load(&removed).unwrap_err();
        assert_eq!(tampered_at(&err), k.min(13) as u64, "{err}");
    }
    for k in 0..14 {
        let mut swapped = doc.clone();
        swapped["events"].as_array_mut().unwrap().swap(k, k + 1);
        let err = load(&swapped).unwrap_err();
        assert_eq!(tampered_at(&err), k as u64, "{err}");
    }
}

#[test]
fn any_byte_flipped_in_a_document_is_refused() {
    let (l, _) = document();
    let text = l.to_json();
    let bytes = text.as_bytes();
    let mut rng = SplitMix64::new(7);
    let mut refused = 0;
    for _ in 0..2000 {
        let at = usize::try_from(rng.below(bytes.len() as u64)).unwrap();
        let mut changed = bytes.to_vec();
        let flip = 1u8 << rng.below(7);
        changed[at] ^= flip;
        let Ok(changed) = String::from_utf8(changed) else {
            continue;
        };
        match Ledger::from_json_str(&changed) {
            Err(_) => refused += 1,
            // A flip JSON reads the same way (an escape, a letter's case in hex digits
            // that parse equal) must leave the ledger as it was.
            Ok(other) => assert_eq!(other.to_json(), text, "byte {at} flipped was taken in"),
        }
    }
    assert!(refused > 1500, "only {refused} flips refused");
}

#[test]
fn the_streamed_link_is_the_hash_of_the_canonical_bytes() {
    use gridgov::case::ledger::{GENESIS, canonical_bytes, chain, chain_record};
    let (l, _) = document();
    let mut head = GENESIS;
    for e in l.events() {
        let streamed = chain_record(&head, &e);
        assert_eq!(streamed, chain(&head, &canonical_bytes(&e)));
        head = streamed;
    }
    assert_eq!(head, l.head());
}
