//! Connection-scoped PRAGMA assignments on an embedded replica. libsql sends each autocommit
//! write to the primary on a new server session, so `PRAGMA foreign_keys=OFF` would not hold
//! for the next write: the classic "rebuild the parent table" migration would then cascade
//! its `DROP TABLE parent` and delete every child row on the primary. So an assignment that
//! leaves a value a fresh server session would not have is refused with an error saying what
//! to do instead; one that leaves the fresh value (the usual `PRAGMA foreign_keys=ON` at open)
//! changes nothing and runs as before.

use super::hrana::session_pragma_set;
use super::remote_errors::from_libsql;
use super::remote_session::Session;
use super::LocalConnection;
use crate::error::error_from_sqlite_code;
use crate::types::ValueRef;
use crate::{ffi, Result};
use std::collections::HashMap;
use std::sync::Mutex;

/// Process-wide in SQLite: a scratch connection cannot evaluate them without changing the
/// whole process, and libsql refuses their assignment on a replica anyway.
const PROCESS_WIDE: &[&str] = &["hard_heap_limit", "soft_heap_limit"];

/// No-ops inside a transaction (`foreign_keys`) or reset by its COMMIT (`defer_foreign_keys`),
/// and a replica's transaction keeps one server stream: inside one they behave as locally.
const TRANSACTION_SAFE: &[&str] = &["foreign_keys", "defer_foreign_keys"];

/// The values a fresh server session has, asked of the primary once per PRAGMA.
#[derive(Default)]
pub(crate) struct FreshSessionValues(Mutex<HashMap<String, Option<String>>>);

impl FreshSessionValues {
    /// Refuses `sql` if it assigns a connection-scoped PRAGMA a value that would not hold for
    /// this connection's later writes. `in_transaction`: whether it runs inside one.
    pub(crate) fn check_statement(
        &self,
        session: &Session,
        conn: &libsql::Connection,
        url: &str,
        sql: &str,
        in_transaction: bool,
    ) -> Result<()> {
        let Some(name) = session_pragma_set(sql) else {
            return Ok(());
        };
        if PROCESS_WIDE.contains(&name.as_str())
            || (in_transaction && TRANSACTION_SAFE.contains(&name.as_str()))
        {
            return Ok(());
        }
        let wanted = value_after(&name, sql);
        let fresh = self.fresh_value(session, conn, url, &name)?;
        match (wanted, fresh) {
            (Some(wanted), Some(fresh)) if wanted == fresh => Ok(()),
            (wanted, fresh) => Err(cannot_hold(sql, &name, wanted, fresh)),
        }
    }

    /// Checks a batch sent as one request (one server session, so its own statements see
    /// every assignment): only the last assignment of each PRAGMA outlives it.
    pub(crate) fn check_batch<'a>(
        &self,
        session: &Session,
        conn: &libsql::Connection,
        url: &str,
        statements: impl Iterator<Item = &'a str>,
        in_transaction: bool,
    ) -> Result<()> {
        let mut last: Vec<(String, &str)> = Vec::new();
        for sql in statements {
            if let Some(name) = session_pragma_set(sql) {
                last.retain(|(n, _)| *n != name);
                last.push((name, sql));
            }
        }
        last.into_iter()
            .try_for_each(|(_, sql)| self.check_statement(session, conn, url, sql, in_transaction))
    }

    /// The first column of `PRAGMA name` on a new server session (`None`: no row). An
    /// error (primary unreachable; a PRAGMA libsql's parser refuses even to read) is the
    /// caller's: such an assignment would have failed the same way.
    fn fresh_value(
        &self,
        session: &Session,
        conn: &libsql::Connection,
        url: &str,
        name: &str,
    ) -> Result<Option<String>> {
        let mut known = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(value) = known.get(name) {
            return Ok(value.clone());
        }
        // Reads of these PRAGMAs go to the primary (libsql's parser counts them as writes),
        // outside a transaction on a new server session.
        let query = format!("PRAGMA {name}");
        let value = session
            .block_on(async {
                let mut rows = conn.query(&query, ()).await?;
                let row = rows.next().await?;
                row.map(|r| r.get_value(0)).transpose()
            })?
            .map_err(|e| session.recover(conn, from_libsql(e, url, Some(&query))))?
            .map(|v| match v {
                libsql::Value::Integer(i) => i.to_string(),
                libsql::Value::Text(s) => s,
                other => format!("{other:?}"),
            });
        known.insert(name.to_owned(), value.clone());
        Ok(value)
    }
}

/// The value `assignment` leaves, as SQLite itself reads it back (so `OFF`, `false`, `0` and
/// `no` all compare equal), evaluated on a scratch in-memory connection.
fn value_after(name: &str, assignment: &str) -> Option<String> {
    let scratch = LocalConnection::open(c":memory:", ffi::SQLITE_OPEN_READWRITE, None).ok()?;
    scratch.execute_batch(assignment).ok()?;
    let (read, _) = scratch.prepare(&format!("PRAGMA {name}"), 0).ok()?;
    if !read.step().ok()? {
        return None;
    }
    match read.value_ref(0) {
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        _ => None,
    }
}

fn cannot_hold(
    sql: &str,
    name: &str,
    wanted: Option<String>,
    fresh: Option<String>,
) -> crate::Error {
    let unknown = || "unknown".to_owned();
    error_from_sqlite_code(
        ffi::SQLITE_ERROR,
        Some(format!(
            "{sql:?}: PRAGMA {name} = {} cannot hold on an embedded replica's writes: each \
             write reaches the primary on a new server session, where {name} = {}. Put the \
             assignment and the statements that need it in one execute_batch (without \
             BEGIN/COMMIT), or use a remote connection (Connection::open_remote), which keeps \
             its session",
            wanted.unwrap_or_else(unknown),
            fresh.unwrap_or_else(unknown),
        )),
    )
}

#[cfg(test)]
mod test {
    use super::{session_pragma_set, value_after};

    #[test]
    fn assignments_are_read_back_as_sqlite_normalises_them() {
        for off in [
            "PRAGMA foreign_keys=OFF",
            "pragma main.foreign_keys = no",
            "PRAGMA foreign_keys(0)",
        ] {
            assert_eq!(
                value_after("foreign_keys", off).as_deref(),
                Some("0"),
                "{off}"
            );
        }
        assert_eq!(
            value_after("foreign_keys", "PRAGMA foreign_keys = true").as_deref(),
            Some("1")
        );
        assert_eq!(
            value_after("cache_size", "PRAGMA cache_size=-4000").as_deref(),
            Some("-4000")
        );
        assert_eq!(
            value_after("synchronous", "PRAGMA synchronous=FULL").as_deref(),
            Some("2")
        );
    }

    #[test]
    fn commented_assignments_are_recognised() {
        assert_eq!(
            session_pragma_set("-- migration\n/* step 1 */ PRAGMA foreign_keys = OFF").as_deref(),
            Some("foreign_keys")
        );
        assert_eq!(
            session_pragma_set("-- PRAGMA foreign_keys=OFF\nSELECT 1"),
            None
        );
        assert_eq!(session_pragma_set("PRAGMA foreign_keys"), None);
    }
}
