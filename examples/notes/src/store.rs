//! The store: schema migrations, writes, lookups and full-text search over one SQLite file.

use crate::model::{NewNote, Note, NoteId, NoteKind, SearchHit};
use rusqlite::{
    ffi, named_params, params, Connection, ErrorCode, OpenFlags, OptionalExtension,
    TransactionBehavior,
};
use std::cell::Cell;
use std::fmt;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The schema, one entry per `user_version`. Entry `i` moves the database from version `i` to
/// `i + 1`; the whole step and the version bump commit together.
const MIGRATIONS: &[&str] = &[
    // 1: the notes table, its external-content FTS5 index and the triggers that keep the index
    //    in sync.
    "CREATE TABLE notes (
         id         INTEGER PRIMARY KEY,
         slug       TEXT NOT NULL UNIQUE,
         kind       TEXT NOT NULL,
         title      TEXT NOT NULL,
         body       TEXT NOT NULL,
         tags       TEXT NOT NULL DEFAULT '',
         created_at INTEGER NOT NULL,
         updated_at INTEGER NOT NULL,
         pinned     BOOLEAN NOT NULL DEFAULT 0
     );
     CREATE VIRTUAL TABLE notes_fts USING fts5(
         title, body, tags,
         content = 'notes', content_rowid = 'id',
         tokenize = 'porter unicode61'
     );
     CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
         INSERT INTO notes_fts (rowid, title, body, tags)
         VALUES (new.id, new.title, new.body, new.tags);
     END;
     CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
         INSERT INTO notes_fts (notes_fts, rowid, title, body, tags)
         VALUES ('delete', old.id, old.title, old.body, old.tags);
     END;
     CREATE TRIGGER notes_au AFTER UPDATE ON notes BEGIN
         INSERT INTO notes_fts (notes_fts, rowid, title, body, tags)
         VALUES ('delete', old.id, old.title, old.body, old.tags);
         INSERT INTO notes_fts (rowid, title, body, tags)
         VALUES (new.id, new.title, new.body, new.tags);
     END;",
    // 2: a relevance score, and indexes for the listing queries.
    "ALTER TABLE notes ADD COLUMN score REAL NOT NULL DEFAULT 0.0;
     CREATE INDEX notes_kind_updated ON notes (kind, updated_at);
     CREATE INDEX notes_pinned ON notes (pinned) WHERE pinned;",
];

/// The schema version this code writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const INSERT_SQL: &str =
    "INSERT INTO notes (slug, kind, title, body, tags, created_at, updated_at, pinned, score)
     VALUES (:slug, :kind, :title, :body, :tags, :now, :now, :pinned, :score)";

const UPSERT_SQL: &str =
    "INSERT INTO notes (slug, kind, title, body, tags, created_at, updated_at, pinned, score)
     VALUES (:slug, :kind, :title, :body, :tags, :now, :now, :pinned, :score)
     ON CONFLICT (slug) DO UPDATE SET
         kind = excluded.kind,
         title = excluded.title,
         body = excluded.body,
         tags = excluded.tags,
         updated_at = excluded.updated_at,
         pinned = excluded.pinned,
         score = excluded.score
     RETURNING id, created_at";

const GET_SQL: &str =
    "SELECT id, slug, kind, title, body, tags, created_at, updated_at, pinned, score
     FROM notes WHERE id = ?1";

const GET_BY_SLUG_SQL: &str =
    "SELECT id, slug, kind, title, body, tags, created_at, updated_at, pinned, score
     FROM notes WHERE slug = ?1";

// Title matches weigh 10x, tag matches 5x, body matches 1x. `n.id` breaks ties so the order
// is fully deterministic.
const SEARCH_SQL: &str = "SELECT n.id, n.kind,
            highlight(notes_fts, 0, '<', '>') AS title,
            snippet(notes_fts, 1, '[', ']', '...', 8) AS excerpt,
            bm25(notes_fts, 10.0, 1.0, 5.0) AS relevance
     FROM notes_fts JOIN notes AS n ON n.id = notes_fts.rowid
     WHERE notes_fts MATCH :query
     ORDER BY bm25(notes_fts, 10.0, 1.0, 5.0), n.id
     LIMIT :limit";

/// Where `created_at`/`updated_at` come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// Seconds since the Unix epoch.
    System,
    /// A deterministic clock for tests and the demo: the first write happens at `start`, each
    /// later write `step` seconds after the previous one.
    Manual { start: i64, step: i64 },
}

/// Everything that can go wrong in the store.
#[derive(Debug)]
pub enum StoreError {
    /// A database error, as the database crate reported it.
    Db(rusqlite::Error),
    /// A note with this slug already exists (a UNIQUE constraint failure on `notes.slug`).
    DuplicateSlug(String),
    /// No note has this slug.
    NoSuchNote(String),
    /// The file's `user_version` is newer than this code knows.
    SchemaTooNew { found: i64, supported: i64 },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Db(e) => write!(f, "database error: {e}"),
            StoreError::DuplicateSlug(slug) => write!(f, "a note with slug {slug:?} exists"),
            StoreError::NoSuchNote(slug) => write!(f, "no note with slug {slug:?}"),
            StoreError::SchemaTooNew { found, supported } => write!(
                f,
                "database schema version {found} is newer than this program ({supported})"
            ),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Db(e) => Some(e),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Db(e)
    }
}

impl StoreError {
    /// The SQLite error code behind a `Db` error.
    pub fn sqlite_code(&self) -> Option<ErrorCode> {
        match self {
            StoreError::Db(e) => e.sqlite_error_code(),
            _ => None,
        }
    }
}

/// Turns a UNIQUE violation into `DuplicateSlug`; `slug` is the slug that was written.
fn classify_write_error(err: rusqlite::Error, slug: &str) -> StoreError {
    match err {
        rusqlite::Error::SqliteFailure(
            ffi::Error {
                code: ErrorCode::ConstraintViolation,
                extended_code,
            },
            _,
        ) if extended_code == ffi::SQLITE_CONSTRAINT_UNIQUE => {
            StoreError::DuplicateSlug(slug.to_owned())
        }
        other => StoreError::Db(other),
    }
}

/// What a bulk import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSummary {
    /// Notes inserted.
    pub inserted: usize,
    /// The ids they got, in input order.
    pub ids: Vec<NoteId>,
}

/// A notes database.
pub struct Store {
    conn: Connection,
    clock: Clock,
    last_tick: Cell<Option<i64>>,
    /// `user_version` as found when the file was opened, before migrating.
    found_version: i64,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("conn", &self.conn).finish()
    }
}

/// `file:` URI for `path`, with the characters that URIs give a meaning escaped.
fn file_uri(path: &Path, query: &str) -> String {
    let text = path.to_string_lossy();
    let mut uri = String::from("file:");
    if cfg!(windows) && text.as_bytes().get(1) == Some(&b':') {
        uri.push('/');
    }
    for ch in text.chars() {
        match ch {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            '\\' if cfg!(windows) => uri.push('/'),
            c => uri.push(c),
        }
    }
    uri.push('?');
    uri.push_str(query);
    uri
}

impl Store {
    /// Opens (creating if needed) a notes file and brings its schema up to date.
    pub fn open<P: AsRef<Path>>(path: P) -> Result<Store, StoreError> {
        Store::open_with_clock(path, Clock::System)
    }

    /// [`Store::open`] with an explicit clock.
    pub fn open_with_clock<P: AsRef<Path>>(path: P, clock: Clock) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        Store::from_connection(conn, clock)
    }

    /// A private in-memory store.
    pub fn open_in_memory(clock: Clock) -> Result<Store, StoreError> {
        Store::from_connection(Connection::open_in_memory()?, clock)
    }

    /// Reopens an existing notes file read-only, through a `file:…?mode=ro` URI. The schema
    /// must already be current; every write fails with `ErrorCode::ReadOnly`.
    pub fn open_read_only<P: AsRef<Path>>(path: P) -> Result<Store, StoreError> {
        let uri = file_uri(path.as_ref(), "mode=ro");
        let conn = Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
        )?;
        let mut store = Store {
            conn,
            clock: Clock::System,
            last_tick: Cell::new(None),
            found_version: 0,
        };
        let found = store.schema_version()?;
        store.found_version = found;
        if found > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(store)
    }

    /// A store on a connection the caller opened (any flags, or a server under dbcompat), with
    /// its schema brought up to date.
    pub fn from_connection(conn: Connection, clock: Clock) -> Result<Store, StoreError> {
        conn.busy_timeout(Duration::from_secs(5))?;
        let mut store = Store {
            conn,
            clock,
            last_tick: Cell::new(None),
            found_version: 0,
        };
        store.found_version = store.migrate()?.0;
        Ok(store)
    }

    /// The underlying connection, for ad-hoc SQL.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The schema version the file had when it was opened (0 for a new file).
    pub fn found_version(&self) -> i64 {
        self.found_version
    }

    /// `PRAGMA user_version`.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// Applies the migrations the file has not seen yet. Returns `(from, to)`.
    pub fn migrate(&mut self) -> Result<(i64, i64), StoreError> {
        let from = self.schema_version()?;
        if from > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                found: from,
                supported: SCHEMA_VERSION,
            });
        }
        for (step, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", step as i64 + 1)?;
            tx.commit()?;
        }
        Ok((from, SCHEMA_VERSION))
    }

    fn now(&self) -> i64 {
        let now = match self.clock {
            Clock::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
            Clock::Manual { start, step } => self.last_tick.get().map_or(start, |t| t + step),
        };
        self.last_tick.set(Some(now));
        now
    }

    /// Inserts a new note. A slug that exists is `StoreError::DuplicateSlug`.
    pub fn insert(&self, note: &NewNote) -> Result<NoteId, StoreError> {
        let now = self.now();
        let mut stmt = self.conn.prepare_cached(INSERT_SQL)?;
        let rowid = stmt
            .insert(named_params! {
                ":slug": note.slug,
                ":kind": note.kind,
                ":title": note.title,
                ":body": note.body,
                ":tags": note.tags,
                ":now": now,
                ":pinned": note.pinned,
                ":score": note.score,
            })
            .map_err(|e| classify_write_error(e, &note.slug))?;
        Ok(NoteId(rowid))
    }

    /// Inserts the note, or updates the one with the same slug in place (keeping its id and
    /// `created_at`). Returns the id and whether a new row was created.
    pub fn upsert(&self, note: &NewNote) -> Result<(NoteId, bool), StoreError> {
        let now = self.now();
        let (id, created_at): (NoteId, i64) = self.conn.query_row(
            UPSERT_SQL,
            named_params! {
                ":slug": note.slug,
                ":kind": note.kind,
                ":title": note.title,
                ":body": note.body,
                ":tags": note.tags,
                ":now": now,
                ":pinned": note.pinned,
                ":score": note.score,
            },
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok((id, created_at == now))
    }

    /// Inserts all notes in one `BEGIN IMMEDIATE` … `COMMIT`. If any insert fails (a duplicate
    /// slug, say) the whole import is rolled back and the error returned.
    pub fn import(&self, notes: &[NewNote]) -> Result<ImportSummary, StoreError> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = notes
            .iter()
            .map(|note| self.insert(note))
            .collect::<Result<Vec<_>, _>>();
        match result {
            Ok(ids) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(ImportSummary {
                    inserted: ids.len(),
                    ids,
                })
            }
            Err(e) => {
                self.conn.execute_batch("ROLLBACK")?;
                Err(e)
            }
        }
    }

    /// The hot lookup: one note by id, through the statement cache. `None` if there is none.
    pub fn get(&self, id: NoteId) -> Result<Option<Note>, StoreError> {
        let mut stmt = self.conn.prepare_cached(GET_SQL)?;
        Ok(stmt.query_row(params![id], Note::from_row).optional()?)
    }

    /// One note by slug.
    pub fn get_by_slug(&self, slug: &str) -> Result<Option<Note>, StoreError> {
        let mut stmt = self.conn.prepare_cached(GET_BY_SLUG_SQL)?;
        Ok(stmt.query_row([slug], Note::from_row).optional()?)
    }

    /// Number of notes.
    pub fn count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM notes", [], |row| row.get(0))?)
    }

    /// Number of notes of each kind that has any, in kind order.
    pub fn count_by_kind(&self) -> Result<Vec<(NoteKind, i64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT kind, count(*) FROM notes GROUP BY kind")?;
        let mut counts = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(NoteKind, i64)>>>()?;
        counts.sort();
        Ok(counts)
    }

    /// The notes of one kind, most recently updated first.
    pub fn list_by_kind(&self, kind: NoteKind) -> Result<Vec<Note>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, slug, kind, title, body, tags, created_at, updated_at, pinned, score
             FROM notes WHERE kind = ?1 ORDER BY updated_at DESC, id DESC",
        )?;
        let notes = stmt
            .query_map(params![kind], Note::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(notes)
    }

    /// Pinned notes, highest score first, walked with `Rows::next`.
    pub fn pinned(&self) -> Result<Vec<Note>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, slug, kind, title, body, tags, created_at, updated_at, pinned, score
             FROM notes WHERE pinned ORDER BY score DESC, id",
        )?;
        let mut rows = stmt.query([])?;
        let mut notes = Vec::new();
        while let Some(row) = rows.next()? {
            notes.push(Note::from_row(row)?);
        }
        Ok(notes)
    }

    /// Full-text search: an FTS5 query (`rust AND borrow`, `"exact phrase"`, `sql*`), best
    /// match first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let mut stmt = self.conn.prepare_cached(SEARCH_SQL)?;
        let hits = stmt
            .query_map(
                named_params! { ":query": query, ":limit": limit as i64 },
                |row| {
                    Ok(SearchHit {
                        id: row.get("id")?,
                        kind: row.get("kind")?,
                        title: row.get("title")?,
                        snippet: row.get("excerpt")?,
                        rank: row.get("relevance")?,
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(hits)
    }

    /// Pins or unpins a note; `false` if there is no such note.
    pub fn set_pinned(&self, id: NoteId, pinned: bool) -> Result<bool, StoreError> {
        let now = self.now();
        let changed = self.conn.execute(
            "UPDATE notes SET pinned = ?1, updated_at = ?2 WHERE id = ?3",
            params![pinned, now, id],
        )?;
        Ok(changed == 1)
    }

    /// Adds `delta` to a note's score and returns the new score, `None` if there is no such
    /// note.
    pub fn bump_score(&self, id: NoteId, delta: f64) -> Result<Option<f64>, StoreError> {
        let now = self.now();
        Ok(self
            .conn
            .query_row(
                "UPDATE notes SET score = score + ?1, updated_at = ?2 WHERE id = ?3
                 RETURNING score",
                params![delta, now, id],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Deletes a note; `false` if there was none.
    pub fn delete(&self, id: NoteId) -> Result<bool, StoreError> {
        Ok(self.conn.execute("DELETE FROM notes WHERE id = ?1", [id])? == 1)
    }

    /// Renames slugs, all or nothing, in one `Connection::transaction()`. Any failure (a
    /// missing note, a slug already taken) rolls every rename back.
    pub fn rename_slugs(&mut self, renames: &[(&str, &str)]) -> Result<usize, StoreError> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        for &(from, to) in renames {
            let changed = tx
                .execute(
                    "UPDATE notes SET slug = ?1, updated_at = ?2 WHERE slug = ?3",
                    params![to, now, from],
                )
                .map_err(|e| classify_write_error(e, to))?;
            if changed == 0 {
                // Returning drops `tx`, which rolls back the renames already applied.
                return Err(StoreError::NoSuchNote(from.to_owned()));
            }
        }
        tx.commit()?;
        Ok(renames.len())
    }

    /// Merges the FTS index segments (`INSERT INTO notes_fts(notes_fts) VALUES('optimize')`).
    pub fn optimize(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("INSERT INTO notes_fts (notes_fts) VALUES ('optimize')")?;
        Ok(())
    }

    /// Checks the FTS index against the content table (`integrity-check`, rank 1 also compares
    /// the index contents); an inconsistency is an error.
    pub fn check_index(&self) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO notes_fts (notes_fts, rank) VALUES ('integrity-check', 1)",
            [],
        )?;
        Ok(())
    }
}
