//! A ledger kept in a SQLite file (the `sqlite` feature): [`Ledger::open`].
//!
//! What it promises:
//! - **An append that returned is in the file.** Each append (or batch) is one SQLite
//!   transaction in WAL mode, committed before the call returns. With
//!   [`Durability::Full`] (the default) the commit is synced to the disk, so it survives a
//!   power loss as far as the disk honours a sync; with [`Durability::Process`] it
//!   survives the process being killed but the last commits may be lost with the power
//!   (the file stays consistent either way).
//! - **Nothing half-written.** A record is in the file whole or not at all; an append
//!   refused by the ledger's checks writes nothing.
//! - **Reopening replays to the same state.** Opening reads every record in order,
//!   checks the SHA-256 chain and the stored head, and folds the events in; a file with a
//!   changed, missing or reordered record, or damaged, is refused naming the record,
//!   never half-read.
//! - **Several processes may append to one file.** An append takes SQLite's write lock
//!   (waiting up to [`BUSY_WAIT_MS`]), first folds in what other writers appended since,
//!   then checks and writes: nothing is lost or doubled, and the chain stays one line.
//! - **Format.** The file records its store format ([`STORE_FORMAT`]); a newer one is
//!   refused.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};

use super::event::EventRecord;
use super::ledger::{ChainHash, GENESIS, Ledger, LedgerError, Receipt, StoreError, hex};

/// The store format this version writes and the newest it reads.
pub const STORE_FORMAT: i64 = 1;

/// SQLite's `application_id` of a gridgov ledger file ("GRGL").
const APPLICATION_ID: i64 = 0x4752_474C;

/// How long an append waits for another process's write to finish, in milliseconds.
pub const BUSY_WAIT_MS: u64 = 30_000;

/// How far a commit is pushed before an append returns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Durability {
    /// Synced to the disk at every commit (SQLite `synchronous=FULL`): survives a process
    /// crash and a power loss.
    #[default]
    Full,
    /// Written to the operating system at every commit, synced at checkpoints (SQLite
    /// `synchronous=NORMAL` in WAL mode): survives a process crash; a power loss may take
    /// the last commits, never the file's consistency. Several times faster for single
    /// appends.
    Process,
}

/// The open file.
pub(crate) struct Store {
    conn: Connection,
    path: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// The store, locked. A panic while holding the lock cannot leave it half-changed (every
/// change is a transaction), so a poisoned lock is taken as it is.
pub(super) fn lock(store: &Arc<Mutex<Store>>) -> MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A SQLite error as a store error: a damaged or foreign file is `Corrupt`, the rest `Io`.
fn sql_error(path: &str, e: &rusqlite::Error) -> StoreError {
    let corrupt = matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    );
    if corrupt {
        StoreError::Corrupt {
            path: path.to_owned(),
            reason: e.to_string(),
        }
    } else {
        StoreError::Io {
            path: path.to_owned(),
            message: e.to_string(),
        }
    }
}

/// A mapper of SQLite errors to ledger errors naming the file.
fn sql(path: &str) -> impl Fn(rusqlite::Error) -> LedgerError + Copy + '_ {
    move |e| LedgerError::Store(sql_error(path, &e))
}

/// A position as SQLite stores it.
fn sql_int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The `seq` of a row (its first column).
fn read_seq(path: &str, row: &rusqlite::Row<'_>) -> Result<u64, LedgerError> {
    let seq: i64 = row
        .get(0)
        .map_err(|e| LedgerError::Store(sql_error(path, &e)))?;
    u64::try_from(seq).map_err(|_| corrupt(path, format!("a record has the position {seq}")))
}

fn corrupt(path: &str, reason: String) -> LedgerError {
    LedgerError::Store(StoreError::Corrupt {
        path: path.to_owned(),
        reason,
    })
}

impl Store {
    /// Opens (or creates) the file and checks that it is a gridgov ledger this library
    /// reads.
    fn open(path: &Path, durability: Durability) -> Result<Self, LedgerError> {
        let shown = path.display().to_string();
        if shown.is_empty() || shown == ":memory:" {
            return Err(LedgerError::Store(StoreError::Io {
                path: shown,
                message: "this names no file (SQLite would keep the ledger in memory or in a temporary file): give the path of the ledger file".to_owned(),
            }));
        }
        let err = sql(&shown);
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_WAIT_MS))
            .map_err(err)?;
        // Reading the schema first fails cleanly on a file that is not a database.
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(err)?;
        let app: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(err)?;
        if app != APPLICATION_ID && !(app == 0 && tables == 0) {
            return Err(corrupt(
                &shown,
                format!(
                    "it is a SQLite database of something else (application id {app:#x}, {tables} schema entries)"
                ),
            ));
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        let sync = match durability {
            Durability::Full => "FULL",
            Durability::Process => "NORMAL",
        };
        conn.pragma_update(None, "synchronous", sync).map_err(err)?;
        let mut store = Self { conn, path: shown };
        store.init()?;
        Ok(store)
    }

    /// Creates the tables of a new file, or checks the format of an existing one.
    fn init(&mut self) -> Result<(), LedgerError> {
        let (path, tx) = self.begin(TransactionBehavior::Immediate)?;
        let err = sql(&path);
        let app: i64 = tx
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(err)?;
        if app == 0 {
            tx.execute_batch(&format!(
                "PRAGMA application_id = {APPLICATION_ID};
                 PRAGMA user_version = {STORE_FORMAT};
                 CREATE TABLE events (
                     seq INTEGER PRIMARY KEY,
                     event_id TEXT UNIQUE,
                     record BLOB NOT NULL,
                     hash BLOB NOT NULL
                 ) STRICT;
                 CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
                 INSERT INTO meta VALUES ('head', '{}'), ('count', '0');",
                hex(&GENESIS)
            ))
            .map_err(err)?;
        } else {
            let found: i64 = tx
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(err)?;
            if found > STORE_FORMAT {
                return Err(LedgerError::Store(StoreError::Newer {
                    path,
                    found,
                    supported: STORE_FORMAT,
                }));
            }
            if found < 1 {
                return Err(corrupt(&path, format!("its store format is {found}")));
            }
        }
        tx.commit().map_err(err)
    }

    /// Begins a transaction; the file's path for errors, and the transaction.
    fn begin(
        &mut self,
        how: TransactionBehavior,
    ) -> Result<(String, rusqlite::Transaction<'_>), LedgerError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(how)
            .map_err(sql(&path))?;
        Ok((path, tx))
    }

    /// The file's path, as given.
    pub(super) fn path(&self) -> &str {
        &self.path
    }

    /// Folds into `ledger` the records after the ones it has, checking the chain; then,
    /// when `check_head`, that the stored head and count are the last record's.
    fn catch_up(
        conn: &Connection,
        path: &str,
        ledger: &mut Ledger,
        check_head: bool,
    ) -> Result<usize, LedgerError> {
        let err = sql(path);
        let from = ledger.len() as u64;
        let mut stmt = conn
            .prepare_cached("SELECT seq, record, hash FROM events WHERE seq >= ?1 ORDER BY seq")
            .map_err(err)?;
        let mut rows = stmt.query([sql_int(from)]).map_err(err)?;
        let mut expect = from;
        while let Some(row) = rows.next().map_err(err)? {
            let seq = read_seq(path, row)?;
            if seq != expect {
                return Err(corrupt(
                    path,
                    format!("record {expect} is missing (the next is {seq}): records were removed"),
                ));
            }
            let bytes = row.get_ref(1).and_then(|v| Ok(v.as_blob()?)).map_err(err)?;
            let hash: ChainHash = row
                .get_ref(2)
                .and_then(|v| Ok(v.as_blob()?))
                .map_err(err)?
                .try_into()
                .map_err(|_| {
                    corrupt(
                        path,
                        format!("record {seq} has a hash that is not 32 bytes"),
                    )
                })?;
            ledger
                .replay(seq, bytes, hash)
                .map_err(|reason| corrupt(path, reason))?;
            expect += 1;
        }
        drop(rows);
        drop(stmt);
        if check_head {
            Self::check_head(conn, path, ledger)?;
        }
        Ok(usize::try_from(expect - from).unwrap_or(usize::MAX))
    }

    /// Checks that the stored head and count are the ledger's: records removed from the
    /// end, or a head rewritten, show here.
    fn check_head(conn: &Connection, path: &str, ledger: &Ledger) -> Result<(), LedgerError> {
        let err = sql(path);
        let meta = |key: &str| -> Result<Option<String>, LedgerError> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()
                .map_err(err)
        };
        let count = meta("count")?;
        let head = meta("head")?;
        let n = ledger.len();
        if count.as_deref() != Some(n.to_string().as_str())
            || head.as_deref() != Some(hex(&ledger.head()).as_str())
        {
            return Err(corrupt(
                path,
                format!(
                    "its head names {} records ending in `{}`, but the records end at {n} with `{}`: records after record {} were removed, or the head was changed",
                    count.as_deref().unwrap_or("no"),
                    head.as_deref()
                        .map_or_else(|| "nothing".to_owned(), crate::text::truncate_for_message),
                    hex(&ledger.head()),
                    n.saturating_sub(1),
                ),
            ));
        }
        Ok(())
    }

    /// Appends records to the file and to `ledger`, all or none, under the write lock:
    /// first folds in what other writers added, then checks, writes, commits, and only
    /// then changes `ledger`.
    pub(super) fn write(
        &mut self,
        ledger: &mut Ledger,
        records: Vec<(usize, EventRecord)>,
    ) -> Result<Vec<Receipt>, LedgerError> {
        let (path, tx) = self.begin(TransactionBehavior::Immediate)?;
        let err = sql(&path);
        Self::catch_up(&tx, &path, ledger, false)?;
        ledger.append_batch(records, true, |ledger, linked| {
            let mut seq = ledger.len() as u64;
            {
                let mut insert = tx
                    .prepare_cached(
                        "INSERT INTO events (seq, event_id, record, hash) VALUES (?1, ?2, ?3, ?4)",
                    )
                    .map_err(err)?;
                for (record, bytes, hash) in linked {
                    insert
                        .execute(params![sql_int(seq), record.event_id, bytes, &hash[..]])
                        .map_err(err)?;
                    seq += 1;
                }
            }
            if let Some((_, _, head)) = linked.last() {
                tx.execute(
                    "UPDATE meta SET value = CASE key WHEN 'head' THEN ?1 ELSE ?2 END WHERE key IN ('head', 'count')",
                    params![hex(head), seq.to_string()],
                )
                .map_err(err)?;
            }
            tx.commit().map_err(err)
        })
    }

    /// Folds in what other writers appended since (for a new ledger: the whole file), in
    /// one read transaction, checking the stored head; the number of events added.
    fn refresh(&mut self, ledger: &mut Ledger) -> Result<usize, LedgerError> {
        let (path, tx) = self.begin(TransactionBehavior::Deferred)?;
        let err = sql(&path);
        let n = Self::catch_up(&tx, &path, ledger, true)?;
        tx.commit().map_err(err)?;
        Ok(n)
    }

    /// Recomputes the chain over every record of the file, and checks that the ledger's
    /// events are the file's first ones.
    pub(super) fn verify(&mut self, ledger: &Ledger) -> Result<(), LedgerError> {
        let (path, tx) = self.begin(TransactionBehavior::Deferred)?;
        let err = sql(&path);
        {
            let mut stmt = tx
                .prepare("SELECT seq, event_id, record, hash FROM events ORDER BY seq")
                .map_err(err)?;
            let mut rows = stmt.query([]).map_err(err)?;
            let mut head = GENESIS;
            let mut expect = 0u64;
            while let Some(row) = rows.next().map_err(err)? {
                let seq = read_seq(&path, row)?;
                let event_id: Option<String> = row.get(1).map_err(err)?;
                let tampered = |reason: String| LedgerError::Tampered {
                    index: expect,
                    event_id: event_id.clone(),
                    reason: format!("in `{path}`: {reason}"),
                };
                if seq != expect {
                    return Err(tampered(format!(
                        "is missing (the next record is {seq}): records were removed"
                    )));
                }
                let bytes = row.get_ref(2).and_then(|v| Ok(v.as_blob()?)).map_err(err)?;
                let hash = row.get_ref(3).and_then(|v| Ok(v.as_blob()?)).map_err(err)?;
                let expected = super::ledger::chain(&head, bytes);
                if hash != expected {
                    return Err(tampered(
                        "its content does not give its hash: it was changed, or one before it was removed or moved"
                            .to_owned(),
                    ));
                }
                if ledger.kept_hash(seq).is_some_and(|h| h != expected) {
                    return Err(tampered(
                        "it is not the event this ledger read from the file".to_owned(),
                    ));
                }
                head = expected;
                expect += 1;
            }
            if expect < ledger.len() as u64 {
                return Err(LedgerError::Tampered {
                    index: expect,
                    event_id: None,
                    reason: format!("in `{path}`: the file ends before it; records were removed"),
                });
            }
        }
        tx.commit().map_err(err)
    }
}

impl Ledger {
    /// Opens the ledger kept in the SQLite file at `path`, creating it if it does not
    /// exist, with [`Durability::Full`]. Every append to the returned ledger is committed
    /// to the file before it returns; see the module docs for what is promised.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("gridgov-doc-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir)?;
    /// # let path = dir.join("ledger.sqlite");
    /// # let _ = std::fs::remove_file(&path);
    /// use gridgov::case::ledger::Ledger;
    /// let mut ledger = Ledger::open(&path)?;
    /// ledger.append_json_str(r#"{"event_id": "hotline-1", "case": "c1",
    ///   "at": "2026-03-02T09:00:00+08:00", "actor": "system",
    ///   "event": {"type": "reported", "case": {"id": "c1", "channel": "hotline",
    ///   "category": "livelihood", "location": "fs-c01-g01-m1",
    ///   "reported_at": "2026-03-02T09:00:00+08:00"}}}"#)?;
    /// drop(ledger);
    /// let again = Ledger::open(&path)?;
    /// assert_eq!(again.len(), 1);
    /// assert!(again.case("c1").is_some());
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`LedgerError::Store`]: the file cannot be opened or created, is not a gridgov
    /// ledger, is damaged, or has a newer format; [`LedgerError::Store`] naming the first
    /// record that does not fit the chain or does not replay. Nothing is half-read.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, LedgerError> {
        Self::open_with(path, Durability::Full)
    }

    /// [`open`](Self::open) with a chosen [`Durability`].
    ///
    /// # Errors
    /// As [`open`](Self::open).
    pub fn open_with(path: impl AsRef<Path>, durability: Durability) -> Result<Self, LedgerError> {
        let mut store = Store::open(path.as_ref(), durability)?;
        let mut ledger = Self::new();
        store.refresh(&mut ledger)?;
        ledger.store = Some(Arc::new(Mutex::new(store)));
        Ok(ledger)
    }

    /// For a file-backed ledger, folds in the events other processes appended to the file
    /// since this one last read it; returns how many. An in-memory ledger has none.
    ///
    /// # Errors
    /// As [`open`](Self::open).
    pub fn refresh(&mut self) -> Result<usize, LedgerError> {
        match self.store.clone() {
            Some(store) => lock(&store).refresh(self),
            None => Ok(0),
        }
    }

    /// The file the ledger is kept in, if any.
    #[must_use]
    pub fn file(&self) -> Option<String> {
        self.store.as_ref().map(|s| lock(s).path().to_owned())
    }
}
