//! What of a remote connection's session a new server stream must be given again: the
//! connection-scoped PRAGMAs it set (replayed), and the TEMP objects and attachments it made
//! (reported lost). Only settings that would still hold on a local connection are replayed.

use crate::backend::sql_text::{self, PragmaValue, TxControl};

/// PRAGMAs whose value belongs to the connection (not the database file): replayed on a new
/// stream after the server expired the old one. Not `defer_foreign_keys`: SQLite turns it off
/// at every COMMIT and ROLLBACK, so it never outlives the transaction a lost stream had.
const SESSION_PRAGMAS: &[&str] = &[
    "analysis_limit",
    "automatic_index",
    "busy_timeout",
    "cache_size",
    "cache_spill",
    "case_sensitive_like",
    "cell_size_check",
    "foreign_keys",
    "hard_heap_limit",
    "ignore_check_constraints",
    "legacy_alter_table",
    "mmap_size",
    "query_only",
    "read_uncommitted",
    "recursive_triggers",
    "reverse_unordered_selects",
    "secure_delete",
    "soft_heap_limit",
    "synchronous",
    "temp_store",
    "threads",
    "trusted_schema",
];

/// The setting that makes a read-only connection's session refuse writes.
pub(super) const QUERY_ONLY_ON: &str = "PRAGMA query_only = 1";

/// The last successful assignment of each connection-scoped PRAGMA, in the order made, by
/// the key [`session_pragma_set`] gives it.
#[derive(Default)]
pub(super) struct Settings {
    made: Vec<(String, String)>,
    /// Counts the assignments kept, so a copy can tell it is behind.
    version: u64,
}

impl Settings {
    /// Keeps `sql` as the assignment to replay for `key`.
    pub(super) fn remember(&mut self, key: &str, sql: &str) {
        self.made.retain(|(k, _)| k != key);
        self.made.push((key.to_owned(), sql.to_owned()));
        self.version += 1;
    }

    pub(super) fn version(&self) -> u64 {
        self.version
    }

    /// Keeps `sql`, which set `key`, unless SQLite ignored it: `PRAGMA foreign_keys` does
    /// nothing inside a transaction (a migration tool's, typically).
    pub(super) fn note(&mut self, key: &str, sql: &str, in_transaction: bool) {
        if !(in_transaction && pragma_name(key) == "foreign_keys") {
            self.remember(key, sql);
        }
    }

    /// The statements that give a new stream these settings.
    pub(super) fn replay(&self) -> impl Iterator<Item = &str> {
        self.made.iter().map(|(_, sql)| sql.as_str())
    }
}

/// Whether each statement of one request runs inside a transaction, followed statement by
/// statement from what was open before the request.
pub(super) enum TxTracker {
    None,
    /// Opened by `BEGIN`, or before this request (a `RELEASE` does not end it).
    Begun,
    /// Opened by `SAVEPOINT` in this request: the savepoints still open, innermost last.
    Savepoints(Vec<String>),
}

impl TxTracker {
    pub(super) fn new(in_transaction: bool) -> TxTracker {
        if in_transaction {
            TxTracker::Begun
        } else {
            TxTracker::None
        }
    }

    pub(super) fn in_transaction(&self) -> bool {
        !matches!(self, TxTracker::None)
    }

    /// Follows `sql`, which ran.
    pub(super) fn after(&mut self, sql: &str) {
        match sql_text::tx_control(sql) {
            TxControl::Begin(_) => *self = TxTracker::Begun,
            TxControl::Commit | TxControl::Rollback => *self = TxTracker::None,
            TxControl::Savepoint(name) => match self {
                TxTracker::None => *self = TxTracker::Savepoints(vec![name]),
                TxTracker::Savepoints(open) => open.push(name),
                TxTracker::Begun => {}
            },
            // Releases the innermost savepoint of that name (names ignore case) and the ones
            // inside it; releasing the outermost commits.
            TxControl::Release(name) => {
                if let TxTracker::Savepoints(open) = self {
                    if let Some(at) = open.iter().rposition(|n| n.eq_ignore_ascii_case(&name)) {
                        open.truncate(at);
                        if open.is_empty() {
                            *self = TxTracker::None;
                        }
                    }
                }
            }
            TxControl::None => {}
        }
    }
}

/// On a read-only connection, a statement that sets `query_only` sets it on again instead.
pub(super) fn keep_query_only(sql: &str) -> &str {
    // Whatever the schema: SQLite applies `query_only` to the whole connection.
    if assigned_pragma(sql).is_some_and(|(_, name)| name == "query_only") {
        QUERY_ONLY_ON
    } else {
        sql
    }
}

/// The key of the connection-scoped PRAGMA that `sql` sets (`PRAGMA [schema.]name = v` or
/// `PRAGMA name(v)`): its name, or `schema.name`, lowercased. A setting of an attached
/// database has none: the attachment is not replayed on a new session, so neither can its
/// settings be (and they must not replace the main database's).
pub(super) fn session_pragma_set(sql: &str) -> Option<String> {
    let (schema, name) = assigned_pragma(sql)?;
    if !SESSION_PRAGMAS.contains(&name.as_str()) {
        return None;
    }
    match schema {
        None => Some(name),
        Some(schema) if schema == "main" || schema == "temp" => Some(format!("{schema}.{name}")),
        Some(_) => None,
    }
}

/// The schema (if named) and name of the PRAGMA that `sql` gives a value, lowercased.
fn assigned_pragma(sql: &str) -> Option<(Option<String>, String)> {
    sql_text::pragma(sql)
        .filter(|p| p.value != PragmaValue::None)
        .map(|p| (p.schema, p.name))
}

/// The PRAGMA's name in a key of [`session_pragma_set`].
fn pragma_name(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// Counts what a new server session would lack: TEMP objects and attached databases. Asked
/// of the server, in the same request, after a statement that may have removed one of those
/// the session holds (see [`may_remove_session_objects`]), so a dropped TEMP table, a
/// detached database or a rolled-back `CREATE TEMP` is not reported lost when the session
/// is replaced. (It costs the server tens of microseconds, so it is not asked otherwise.)
pub(super) const SESSION_OBJECTS_SQL: &str = "SELECT (SELECT count(*) FROM sqlite_temp_master) \
     + (SELECT count(*) FROM pragma_database_list WHERE name NOT IN ('main', 'temp'))";

/// `DROP`, `DETACH` or `ROLLBACK` (`ROLLBACK TO` included).
pub(super) fn may_remove_session_objects(sql: &str) -> bool {
    sql_text::starts_with_keyword(sql, &["drop", "detach", "rollback"])
}

/// `CREATE TEMP …`, `CREATE … temp.name` or `ATTACH …`: state a new server session would not
/// have. (An index or trigger SQLite puts in TEMP because its table is there needs no
/// notice: the table already made the session hold TEMP objects.)
pub(super) fn creates_session_object(sql: &str) -> bool {
    sql_text::starts_with_keyword(sql, &["attach"]) || sql_text::creates_in_temp(sql)
}

#[cfg(test)]
mod test {
    use super::{
        creates_session_object, keep_query_only, may_remove_session_objects, session_pragma_set,
        Settings, TxTracker, QUERY_ONLY_ON,
    };

    #[test]
    fn connection_scoped_pragma_assignments_are_recognised() {
        assert_eq!(
            session_pragma_set("PRAGMA foreign_keys=OFF").as_deref(),
            Some("foreign_keys")
        );
        assert_eq!(
            session_pragma_set("pragma main.Cache_Size = -4000").as_deref(),
            Some("main.cache_size")
        );
        assert_eq!(
            session_pragma_set("PRAGMA \"temp\".cache_size = 10").as_deref(),
            Some("temp.cache_size")
        );
        assert_eq!(
            session_pragma_set("PRAGMA aux.cache_size = 10"),
            None,
            "an attached database's"
        );
        assert_eq!(
            session_pragma_set("PRAGMA busy_timeout(30000)").as_deref(),
            Some("busy_timeout")
        );
        assert_eq!(session_pragma_set("PRAGMA foreign_keys"), None, "a read");
        assert_eq!(
            session_pragma_set("PRAGMA journal_mode=WAL"),
            None,
            "a database setting"
        );
        assert_eq!(
            session_pragma_set("PRAGMA defer_foreign_keys=ON"),
            None,
            "ends with its transaction"
        );
        assert_eq!(session_pragma_set("SELECT 1"), None);
        assert_eq!(
            session_pragma_set("-- migration 3\n/* off */ PRAGMA foreign_keys = OFF").as_deref(),
            Some("foreign_keys"),
            "after comments"
        );
        for sql in [
            "PRAGMA /* off */ foreign_keys = OFF",
            "PRAGMA foreign_keys -- off\n = OFF",
            "PRAGMA \"Foreign_Keys\" = OFF",
            "PRAGMA [main] . `foreign_keys` (0)",
        ] {
            let expected = if sql.contains("main") {
                "main.foreign_keys"
            } else {
                "foreign_keys"
            };
            assert_eq!(session_pragma_set(sql).as_deref(), Some(expected), "{sql}");
        }
    }

    #[test]
    fn a_read_only_session_keeps_query_only_on_whatever_the_schema() {
        for sql in [
            "PRAGMA query_only = 0",
            "pragma aux.QUERY_ONLY(false)",
            "PRAGMA main.query_only=0",
            "PRAGMA /* c */ query_only = 0",
            "PRAGMA query_only -- c\n = 0",
            "PRAGMA \"query_only\" = 0",
        ] {
            assert_eq!(keep_query_only(sql), QUERY_ONLY_ON, "{sql}");
        }
        assert_eq!(keep_query_only("PRAGMA query_only"), "PRAGMA query_only");
    }

    #[test]
    fn temp_objects_and_attachments_are_session_state() {
        assert!(creates_session_object("CREATE TEMP TABLE t(x)"));
        assert!(creates_session_object(
            "create temporary view v AS SELECT 1"
        ));
        assert!(creates_session_object("ATTACH ':memory:' AS aux"));
        assert!(!creates_session_object("CREATE TABLE temp_log(x)"));
        assert!(creates_session_object("-- scratch\nCREATE TEMP TABLE t(x)"));
        assert!(creates_session_object("CREATE TABLE temp.t(x)"));
        assert!(creates_session_object(
            "create table if not exists \"TEMP\".t (x)"
        ));
        assert!(creates_session_object("CREATE UNIQUE INDEX temp.i ON t(x)"));
        assert!(creates_session_object(
            "CREATE VIRTUAL TABLE [temp].f USING fts5(x)"
        ));
        assert!(!creates_session_object("CREATE TABLE main.t(x)"));
        assert!(!creates_session_object(
            "CREATE VIEW v AS SELECT * FROM temp.t"
        ));
        // Comments between the words, and spaces around the dot.
        for sql in [
            "CREATE /* scratch */ TEMP TABLE t(x)",
            "CREATE TEMP/**/TABLE t(x)",
            "CREATE TABLE -- scratch\n temp . t(x)",
            "CREATE TABLE `temp`/**/.t(x)",
            "/* aux */ ATTACH ':memory:' AS aux",
        ] {
            assert!(creates_session_object(sql), "{sql}");
        }
        assert!(
            !creates_session_object("CREATE TABLE \"temp\"(x)"),
            "a table named temp"
        );
        assert!(!creates_session_object("attached"), "a whole word");
    }

    #[test]
    fn statements_that_may_remove_session_objects() {
        for sql in ["drop table t", "DROP VIEW temp.v", "DETACH y", "ROLLBACK"] {
            assert!(may_remove_session_objects(sql), "{sql}");
        }
        assert!(may_remove_session_objects("-- undo\nROLLBACK TO s"));
        assert!(!may_remove_session_objects("CREATE TEMP TABLE t(x)"));
        assert!(!may_remove_session_objects("dropped"), "a whole word");
        assert!(!may_remove_session_objects("SELECT 1"));
    }

    /// The transaction each statement of a batch runs in, as SQLite's autocommit flag has it.
    fn inside(before: bool, batch: &[&str]) -> Vec<bool> {
        let mut tx = TxTracker::new(before);
        batch
            .iter()
            .map(|sql| {
                let inside = tx.in_transaction();
                tx.after(sql);
                inside
            })
            .collect()
    }

    #[test]
    fn statements_are_followed_in_and_out_of_transactions() {
        let x = "PRAGMA foreign_keys = OFF";
        assert_eq!(
            inside(false, &[x, "BEGIN", x, "COMMIT", x]),
            [false, false, true, true, false]
        );
        assert_eq!(inside(true, &[x, "ROLLBACK", x]), [true, true, false]);
        assert_eq!(
            inside(true, &[x, "END TRANSACTION", x]),
            [true, true, false]
        );
        let savepoints = [
            "SAVEPOINT a",
            "SAVEPOINT b",
            "RELEASE b",
            x,
            "RELEASE SAVEPOINT A",
            x,
        ];
        assert_eq!(
            inside(false, &savepoints),
            [false, true, true, true, true, false]
        );
        // ROLLBACK TO keeps the transaction; RELEASE of a savepoint opened earlier is not
        // known to end it.
        assert_eq!(
            inside(false, &["SAVEPOINT a", "ROLLBACK TO a", x]),
            [false, true, true]
        );
        assert_eq!(inside(true, &["RELEASE a", x]), [true, true]);
        assert_eq!(
            inside(false, &["SAVEPOINT a", "RELEASE nope", x]),
            [false, true, true]
        );
        // Quoted names are the names inside the quotes.
        assert_eq!(
            inside(
                false,
                &["SAVEPOINT \"a\"", "SAVEPOINT b", "RELEASE \"b\"", x]
            ),
            [false, true, true, true]
        );
        assert_eq!(
            inside(
                false,
                &["SAVEPOINT [a]", "SAVEPOINT `b`", "RELEASE \"A\"", x]
            ),
            [false, true, true, false]
        );
    }

    #[test]
    fn foreign_keys_set_inside_a_transaction_is_not_kept() {
        let mut settings = Settings::default();
        settings.note("foreign_keys", "PRAGMA foreign_keys = OFF", false);
        settings.note("foreign_keys", "PRAGMA foreign_keys = ON", true);
        settings.note("recursive_triggers", "PRAGMA recursive_triggers = ON", true);
        assert_eq!(
            settings.replay().collect::<Vec<_>>(),
            [
                "PRAGMA foreign_keys = OFF",
                "PRAGMA recursive_triggers = ON"
            ]
        );
    }
}
