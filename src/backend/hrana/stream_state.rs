//! What a stream tracks of its server session between requests: the baton, the transaction,
//! the counters, the settings to replay and the session objects a new stream would lack,
//! updated from each statement's text and result (`stream.rs` sends the requests).

use super::cursor::Cursor;
use super::session_settings::{creates_session_object, session_pragma_set, Settings};
use crate::backend::sql_text::{self, ChangeKind, TxControl};
use libsql_hrana::proto::{StmtResult, Value};
use std::ffi::c_int;
use std::sync::{Arc, Mutex};

/// What a new stream would lack when the session holds TEMP objects or attachments.
const SESSION_OBJECTS: &str = "TEMP objects or ATTACHed databases";

/// The session as this client knows it.
pub(super) struct State {
    pub(super) baton: Option<String>,
    /// Where the server asked this stream's next requests to go.
    pub(super) base_url: Option<String>,
    /// The server's autocommit flag as of the last reply.
    pub(super) autocommit: bool,
    /// Statements sent at the head of the next request (deferred `BEGIN`, `busy_timeout`).
    pub(super) pending: Vec<String>,
    /// The connection-scoped PRAGMAs to replay on a new stream.
    pub(super) settings: Settings,
    /// What a new stream would lack (`TEMP objects`, `attached databases`).
    pub(super) session_objects: Option<&'static str>,
    /// The server dropped an open transaction; the application's ROLLBACK has nothing to do.
    pub(super) transaction_lost: bool,
    /// The last request may have reached the server but its reply did not arrive (timeout,
    /// broken connection): the baton it would have carried is lost with it, and the server
    /// will not know the old one. Only changes how a lost session is explained.
    pub(super) reply_lost: bool,
    /// Opened with `SQLITE_OPEN_READ_ONLY`: every request keeps `query_only` on.
    pub(super) read_only: bool,
    pub(super) changes: u64,
    pub(super) total_changes: u64,
    /// Rows changed since `total_changes` was read from the server.
    pub(super) total_changes_stale: bool,
    pub(super) last_insert_rowid: i64,
    /// `sqlite3_txn_state`-like: 0 none, 1 read, 2 write.
    pub(super) txn_state: c_int,
    /// A transaction ended without a COMMIT/RELEASE of this connection (a ROLLBACK, or an
    /// error such as `INSERT OR ROLLBACK`, maybe seen only at a later reply), or may have (a
    /// write read as a cursor failed inside one); taken by the shadow schema, whose DDL of
    /// that transaction may be undone.
    pub(super) rolled_back: bool,
    /// DDL ran as a query (through a cursor), which the shadow schema does not follow: it is
    /// reloaded before it judges the next statement.
    pub(super) ddl_unseen: bool,
    /// The cursor whose rows are still arriving; read to its end before another request.
    pub(super) open_cursor: Option<Arc<Mutex<Cursor>>>,
    /// The facts of the last statement opened as a cursor, kept with its text (held, so the
    /// pointer identifies it): a cached statement run again is not lexed again.
    pub(super) last_facts: Option<(Arc<str>, SqlFacts)>,
}

/// What this client tracks about a statement, read from its text.
#[derive(Clone)]
pub(super) struct SqlFacts {
    pub(super) may_modify: bool,
    /// The transaction level it leaves (`sqlite3_txn_state`-like), or `None` if it ends one.
    pub(super) level: Option<c_int>,
    /// The connection-scoped PRAGMA it sets.
    pub(super) session_pragma: Option<String>,
    pub(super) creates_session_object: bool,
}

impl SqlFacts {
    pub(super) fn of(sql: &str) -> SqlFacts {
        let may_modify = sql_text::may_modify(sql);
        SqlFacts {
            may_modify,
            level: match sql_text::tx_control(sql) {
                TxControl::Begin(true) => Some(2),
                TxControl::None if may_modify => Some(2),
                TxControl::None => Some(1),
                _ => None,
            },
            session_pragma: session_pragma_set(sql),
            creates_session_object: creates_session_object(sql),
        }
    }
}

impl State {
    /// Counters and session bookkeeping after `sql` ran with result `r`.
    pub(super) fn record(&mut self, sql: &str, r: &StmtResult, in_transaction: bool) {
        // Rows asked for come without counters (the server then sends no last rowid).
        if let Some(rowid) = r.last_insert_rowid {
            self.changes = r.affected_row_count;
            self.last_insert_rowid = rowid;
            let kind = sql_text::change_kind(sql);
            if matches!(kind, ChangeKind::Insert | ChangeKind::Modify) {
                self.total_changes += r.affected_row_count;
                self.total_changes_stale = true;
            }
        }
        self.note_statement(sql, &SqlFacts::of(sql), in_transaction);
    }

    /// Counters after `sql` failed, from the counters step's result (`None` if it did not
    /// run).
    pub(super) fn record_failure(&mut self, sql: &str, counters: Option<&Option<StmtResult>>) {
        let Some(Some(counters)) = counters else {
            return;
        };
        let row = counters.rows.first().map(|row| &row.values[..]);
        if let Some([Value::Integer { value: changes }, Value::Integer { value: rowid }]) = row {
            self.changes = *changes as u64;
            self.last_insert_rowid = *rowid;
            let kind = sql_text::change_kind(sql);
            if self.changes > 0 && matches!(kind, ChangeKind::Insert | ChangeKind::Modify) {
                self.total_changes_stale = true;
            }
        }
    }

    /// Settings, session objects and transaction level after `sql` succeeded.
    pub(super) fn note_statement(&mut self, sql: &str, facts: &SqlFacts, in_transaction: bool) {
        if let Some(name) = &facts.session_pragma {
            self.settings.note(name, sql, in_transaction);
        }
        if facts.creates_session_object {
            self.session_objects = Some(SESSION_OBJECTS);
        }
        self.txn_state = self.txn_state.max(facts.level.unwrap_or(0));
    }

    /// The facts of `sql`, worked out once per statement text in a row of runs.
    pub(super) fn facts(&mut self, sql: &Arc<str>) -> SqlFacts {
        match &self.last_facts {
            Some((last, facts)) if Arc::ptr_eq(last, sql) => facts.clone(),
            _ => {
                let facts = SqlFacts::of(sql);
                self.last_facts = Some((Arc::clone(sql), facts.clone()));
                facts
            }
        }
    }

    /// What the server counted of TEMP objects and attached databases, when it was asked.
    pub(super) fn note_session_objects(&mut self, present: Option<bool>) {
        if let Some(present) = present {
            self.session_objects = present.then_some(SESSION_OBJECTS);
        }
    }

    pub(super) fn note_state(&mut self) {
        if self.autocommit {
            self.txn_state = 0;
        }
    }
}
