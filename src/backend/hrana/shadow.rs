//! A local shadow of the server's schema, so `prepare` costs no request and still reports
//! what SQLite reports at prepare time: "no such table/column" (with rusqlite's exact
//! `SqlInputError`), column names, declared types.
//!
//! The shadow is a scratch in-memory database holding the server's `CREATE` statements. It is
//! loaded lazily and trusted when a statement prepares on it. When a statement fails on it,
//! the shadow is reloaded from the server (one request) and the statement tried again, so a
//! reported error is always the server schema's. This connection's own DDL is applied to the
//! shadow as it succeeds. Objects the local engine cannot create (an unknown virtual-table
//! module) make the shadow incomplete: a statement it rejects is then left to the server.

use super::stream::{Call, Stream};
use crate::backend::sql_text;
use crate::backend::LocalConnection;
use crate::column::{ColumnRef, OwnedColumnOrigin, TableColumn};
use crate::types::ValueRef;
use crate::{ffi, Error, Result};
use libsql_hrana::proto::{StmtResult, Value};

/// What `prepare` learns: the result columns (name, declared type).
pub(crate) type Columns = Vec<(String, Option<String>)>;

#[derive(Default)]
pub(crate) struct Shadow {
    db: Option<LocalConnection>,
    /// Some server objects could not be created locally.
    incomplete: bool,
    /// This connection's DDL was applied inside the server transaction still open.
    ddl_in_transaction: bool,
    /// A rollback may have undone DDL applied here: reload before judging a statement.
    stale: bool,
}

/// The main and the temp schema's objects, as `(type, sql)` rows (tables first).
const SCHEMA: &str = "SELECT type, sql FROM sqlite_schema \
                      WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type <> 'table'";
const TEMP_SCHEMA: &str = "SELECT type, sql FROM sqlite_temp_schema \
                           WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type <> 'table'";

impl Shadow {
    /// Prepares `sql` on the shadow (reloading it once if it fails there). `Ok(None)` means
    /// the shadow cannot judge the statement: the server will, when it runs. Before the shadow
    /// is first loaded (it travels with the connection's first request) nothing is checked.
    pub(crate) fn prepare(&mut self, sql: &str, stream: &Stream) -> Result<Option<Columns>> {
        if stream.take_rolled_back() {
            self.note_transaction(false, true, !stream.is_autocommit());
        }
        if stream.take_ddl_unseen() {
            // Reloaded now; a load counts as made inside a transaction (see `load_rows`), so a
            // rollback makes it stale again.
            self.stale = true;
        }
        if self.stale {
            self.reload(stream)?;
        }
        if self.db.is_none() {
            return Ok(None);
        }
        if let Some(Ok(columns)) = self.try_prepare(sql) {
            return Ok(Some(columns));
        }
        self.reload(stream)?;
        match self.try_prepare(sql) {
            Some(Ok(columns)) => Ok(Some(columns)),
            // The shadow lacks objects (TEMP, ATTACHed, unknown modules) or the server's
            // functions: the server judges the statement now (one describe), so its error
            // still arrives at `prepare`, as in SQLite.
            Some(Err(_)) if self.incomplete || stream.has_session_objects() => {
                stream.describe(sql).map(|_| None)
            }
            Some(Err(e)) => Err(e),
            None => Ok(None),
        }
    }

    fn try_prepare(&self, sql: &str) -> Option<Result<Columns>> {
        let db = self.db.as_ref()?;
        Some(db.prepare(sql, 0).map(|(stmt, _)| {
            (0..stmt.column_count())
                .map(|i| {
                    let name = stmt.column_name(i).unwrap_or_default().to_owned();
                    (name, stmt.column_decltype(i).map(str::to_owned))
                })
                .collect()
        }))
    }

    /// `sqlite3_table_column_metadata` on the shadow, which is loaded first if it is not yet.
    /// A "no such table column" is asked again after a reload, as `prepare` does, so a
    /// table another connection created is found.
    pub(crate) fn table_column_metadata(
        &mut self,
        stream: &Stream,
        at: ColumnRef<'_>,
    ) -> Result<TableColumn> {
        if let Some(Ok(found)) = self.db.as_ref().map(|d| d.table_column_metadata(at)) {
            return Ok(found);
        }
        self.reload(stream)?;
        self.loaded()?.table_column_metadata(at)
    }

    /// Where each result column of `sql` comes from, as the shadow (loaded first if it is not
    /// yet) prepares it; empty when it cannot.
    pub(crate) fn column_origins(&mut self, sql: &str, stream: &Stream) -> Vec<OwnedColumnOrigin> {
        if self.db.is_none() && self.reload(stream).is_err() {
            return Vec::new();
        }
        self.db
            .as_ref()
            .map_or_else(Vec::new, |db| column_origins_on(db, sql))
    }

    /// `sqlite3_stmt_readonly` of `sql` as the shadow prepares it, if it is loaded and
    /// current (no request is made for it).
    pub(crate) fn readonly(&self, sql: &str) -> Option<bool> {
        let db = self.db.as_ref().filter(|_| !self.stale)?;
        db.prepare(sql, 0).ok().map(|(stmt, _)| stmt.readonly())
    }

    /// Applies this connection's successful DDL, keeping the shadow current without a request.
    pub(crate) fn apply(&mut self, sql: &str) {
        if let Some(db) = &self.db {
            if db.execute_batch(sql).is_err() {
                // Out of step with the server (e.g. DDL on an ATTACHed database): reload
                // before the next statement is judged.
                self.db = None;
                self.stale = true;
            }
        }
    }

    /// After a request of this connection: `applied_ddl` (this request's DDL applied here),
    /// whether it `rolled_back` (a `ROLLBACK [TO]`, or a failure that ended the transaction),
    /// and whether a transaction is still `open`. A rollback after DDL makes the shadow stale.
    pub(crate) fn note_transaction(&mut self, applied_ddl: bool, rolled_back: bool, open: bool) {
        let ddl = self.ddl_in_transaction || applied_ddl;
        if rolled_back && ddl {
            self.stale = true;
        }
        self.ddl_in_transaction = open && ddl;
    }

    pub(crate) fn is_loaded(&self) -> bool {
        self.db.is_some()
    }

    fn reload(&mut self, stream: &Stream) -> Result<()> {
        let results = stream.fetch(&schema_calls())?;
        self.load(&results);
        self.loaded().map(|_| ())
    }

    /// The shadow's database, or the error for a scratch database that could not be opened.
    fn loaded(&self) -> Result<&LocalConnection> {
        self.db.as_ref().ok_or_else(|| {
            crate::error::error_from_sqlite_code(
                crate::ffi::SQLITE_NOMEM,
                Some("cannot open the scratch database for the shadow schema".into()),
            )
        })
    }

    /// Builds the shadow from the results of `schema_calls`.
    pub(crate) fn load(&mut self, results: &[StmtResult]) {
        let rows: Vec<Vec<Vec<Value>>> = results
            .iter()
            .map(|r| r.rows.iter().map(|row| row.values.clone()).collect())
            .collect();
        self.load_rows(&rows);
    }

    /// Builds the shadow from the rows of `schema_calls` (main schema, then temp schema).
    pub(crate) fn load_rows(&mut self, schemas: &[Vec<Vec<Value>>]) {
        let entries = schemas.iter().zip([false, true]).flat_map(|(rows, temp)| {
            rows.iter()
                .filter_map(move |row| match (row.first(), row.get(1)) {
                    (Some(Value::Text { value: kind }), Some(Value::Text { value: create })) => {
                        Some((&**kind, &**create, temp))
                    }
                    _ => None,
                })
        });
        if let Some((db, incomplete)) = scratch_schema(entries) {
            self.db = Some(db);
            self.incomplete = incomplete;
            self.stale = false;
            // Loaded maybe inside a transaction (with its uncommitted DDL): until a request
            // ends in autocommit, a rollback makes it stale.
            self.ddl_in_transaction = true;
        }
    }
}

/// A scratch in-memory database holding a schema: `(type, sql, temp)` entries as the
/// `SCHEMA` and `TEMP_SCHEMA` read them. Also says whether some objects could not be created locally.
/// `None` if no scratch database can be opened.
fn scratch_schema<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str, bool)>,
) -> Option<(LocalConnection, bool)> {
    let db = LocalConnection::open(c":memory:", ffi::SQLITE_OPEN_READWRITE, None).ok()?;
    let mut incomplete = false;
    for (kind, create, temp) in entries {
        let create = if temp && kind != "index" {
            temporary(create)
        } else {
            create.to_owned()
        };
        incomplete |= db.execute_batch(&create).is_err();
    }
    Some((db, incomplete))
}

/// Where each result column of `sql` comes from, as `db` prepares it; empty if it cannot.
fn column_origins_on(db: &LocalConnection, sql: &str) -> Vec<OwnedColumnOrigin> {
    let Ok((stmt, _)) = db.prepare(sql, 0) else {
        return Vec::new();
    };
    (0..stmt.column_count())
        .map(|i| OwnedColumnOrigin::of(stmt.column_origin(i)))
        .collect()
}

impl Shadow {
    /// SQLite words a PRIMARY KEY violation like a UNIQUE one ("UNIQUE constraint failed:
    /// t.id") and tells them apart by the extended code, which sqld does not send; the message
    /// alone reads as `SQLITE_CONSTRAINT_UNIQUE`. The shadow knows each table's primary key,
    /// so a violation on exactly its columns becomes `SQLITE_CONSTRAINT_PRIMARYKEY`, and one on
    /// the hidden `rowid` `SQLITE_CONSTRAINT_ROWID`, as a local database reports them.
    pub(crate) fn refine_key_violation(&self, err: Error) -> Error {
        let Error::SqliteFailure(code, Some(message)) = &err else {
            return err;
        };
        if code.extended_code != ffi::SQLITE_CONSTRAINT_UNIQUE {
            return err;
        }
        let extended = message
            .strip_prefix("UNIQUE constraint failed: ")
            .and_then(|columns| self.key_kind(columns));
        match extended {
            Some(extended) => {
                Error::SqliteFailure(ffi::Error::new(extended), Some(message.clone()))
            }
            None => err,
        }
    }

    /// The extended code for a violation on `columns` ("t.a, t.b"), when it is not UNIQUE.
    fn key_kind(&self, columns: &str) -> Option<std::ffi::c_int> {
        let db = self.db.as_ref()?;
        let mut table = None;
        let mut names = Vec::new();
        for qualified in columns.split(", ") {
            let (t, column) = qualified.rsplit_once('.')?;
            if table.is_some_and(|seen| seen != t) {
                return None;
            }
            table = Some(t);
            names.push(column);
        }
        let table = table?.replace('\'', "''");
        let info = format!("pragma_table_info('{table}')");
        let key = format!(
            "SELECT (SELECT group_concat(name, ', ') FROM \
             (SELECT name FROM {info} WHERE pk > 0 ORDER BY pk)), \
             (SELECT count(*) FROM {info}), (SELECT count(*) FROM {info} WHERE name = 'rowid')"
        );
        let (stmt, _) = db.prepare(&key, 0).ok()?;
        if !stmt.step().ok()? {
            return None;
        }
        let count = |i| match stmt.value_ref(i) {
            ValueRef::Integer(n) => n,
            _ => 0,
        };
        let (columns, rowid_columns) = (count(1), count(2));
        if let ValueRef::Text(pk) = stmt.value_ref(0) {
            if pk == names.join(", ").as_bytes() {
                return Some(ffi::SQLITE_CONSTRAINT_PRIMARYKEY);
            }
        }
        (columns > 0 && rowid_columns == 0 && names == ["rowid"])
            .then_some(ffi::SQLITE_CONSTRAINT_ROWID)
    }
}

/// The reads that load the shadow: the main and the temp schema.
pub(crate) fn schema_calls() -> [Call; 2] {
    [Call::new(SCHEMA, true), Call::new(TEMP_SCHEMA, true)]
}

/// `CREATE …` of a TEMP object as `CREATE TEMP …` (sqlite_temp_schema stores it without).
fn temporary(create: &str) -> String {
    let trimmed = create.trim_start();
    match trimmed.get(..6) {
        Some(head) if head.eq_ignore_ascii_case("create") => {
            format!("CREATE TEMP{}", &trimmed[6..])
        }
        _ => create.to_owned(),
    }
}

/// Whether `sql` changes the schema (and so the shadow).
pub(crate) fn is_ddl(sql: &str) -> bool {
    // A migration's statements often start with a comment: the first word is after it.
    sql_text::starts_with_keyword(sql, &["create", "drop", "alter"])
}

#[cfg(test)]
mod test {
    use super::{is_ddl, temporary};

    #[test]
    fn temp_schema_entries_are_recreated_as_temp() {
        assert_eq!(temporary("CREATE TABLE x(a)"), "CREATE TEMP TABLE x(a)");
        assert_eq!(
            temporary("create view v AS SELECT 1"),
            "CREATE TEMP view v AS SELECT 1"
        );
    }

    #[test]
    fn ddl_is_recognised() {
        assert!(is_ddl("  CREATE TABLE t(x)"));
        assert!(is_ddl("drop view v"));
        assert!(is_ddl("ALTER TABLE t ADD y"));
        assert!(!is_ddl("INSERT INTO t VALUES (1)"));
        assert!(!is_ddl("CREATED"), "whole word only");
        assert!(is_ddl("-- 0003: add a column\nALTER TABLE t ADD y"));
        assert!(is_ddl("/* gone */ DROP TABLE u"));
    }
}
