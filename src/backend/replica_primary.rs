//! Statements an embedded replica sends to its primary itself, over a Hrana session of its
//! own (`hrana/`): those that rewrite the database file rather than its rows (a `VACUUM`,
//! `PRAGMA optimize`, a header value; see `sql_text::rewrites_database_file`). libsql would
//! run them on the replica's local file, which only the primary's frames may change: the
//! primary kept its old file, and every later write failed its read-your-writes sync with
//! "WAL frame insert conflict", though the write itself had reached the primary.

use super::hrana::HranaConnection;
use super::sql_text;
use crate::error::error_from_sqlite_code;
use crate::{ffi, Result};
use std::cell::OnceCell;
use std::fmt;

/// Where a replica's primary is, for a session of dbcompat's own.
#[derive(Clone)]
pub(crate) struct PrimaryAddress {
    pub(crate) url: String,
    pub(crate) token: String,
}

impl fmt::Debug for PrimaryAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrimaryAddress")
            .field(
                "url",
                &super::remote::check_url(&self.url).unwrap_or_default(),
            )
            .field("token", &"<redacted>")
            .finish()
    }
}

/// A replica connection's own session on its primary, opened at the first statement that
/// needs it.
#[derive(Debug)]
pub(crate) struct Primary {
    address: PrimaryAddress,
    session: OnceCell<HranaConnection>,
}

#[cfg_attr(not(feature = "replica"), allow(dead_code))]
impl Primary {
    pub(crate) fn new(address: PrimaryAddress) -> Primary {
        Primary {
            address,
            session: OnceCell::new(),
        }
    }

    /// The session to run `stmt` on when it must run on the primary; `None` when libsql may
    /// run it. Inside a transaction it cannot (the transaction's lock is on libsql's own
    /// stream to the primary): `VACUUM` fails there as SQLite fails it, the rest with an error
    /// saying to run it outside the transaction.
    pub(crate) fn for_statement(
        &self,
        stmt: &str,
        in_transaction: bool,
    ) -> Result<Option<&HranaConnection>> {
        if !sql_text::rewrites_database_file(stmt) {
            return Ok(None);
        }
        if in_transaction {
            let vacuum = sql_text::from_first_word(stmt)
                .get(..6)
                .is_some_and(|w| w.eq_ignore_ascii_case("vacuum"));
            let message = if vacuum {
                "cannot VACUUM from within a transaction".to_owned()
            } else {
                format!(
                    "{stmt:?} changes the database file, so on an embedded replica it runs on \
                     the primary, outside this connection's transaction: run it after COMMIT"
                )
            };
            return Err(error_from_sqlite_code(ffi::SQLITE_ERROR, Some(message)));
        }
        if let Some(session) = self.session.get() {
            return Ok(Some(session));
        }
        let session = HranaConnection::open(&self.address.url, &self.address.token)?;
        Ok(Some(self.session.get_or_init(|| session)))
    }
}
