//! Non-owning connections over the engine's handle: `functions::ConnectionRef` (a function
//! callback's own connection) and `auto_extension::init_auto_extension` (a Rust
//! `AutoExtension` run on each new connection). Dropping either must leave the database open.
//! Both exist only where there is an engine handle, so the cases are local-only.
use crate::support::one;
use rusqlite::auto_extension::{
    init_auto_extension, register_auto_extension, reset_auto_extension, AutoExtension,
};
use rusqlite::functions::{ConnectionRef, FunctionFlags};
use rusqlite::{ffi, Connection, Error, ErrorCode};
use std::ffi::{c_char, c_int};

/// The page cache size the Rust auto-extension sets, so a test can see it ran.
const EXTENSION_CACHE_SIZE: i64 = -1234;

fn set_cache_size(db: Connection) -> rusqlite::Result<()> {
    db.pragma_update(None, "cache_size", EXTENSION_CACHE_SIZE)
}

fn refuse(_db: Connection) -> rusqlite::Result<()> {
    Err(Error::SqliteFailure(
        ffi::Error::new(ffi::SQLITE_ERROR),
        Some("refused by the extension".to_owned()),
    ))
}

const SET_CACHE_SIZE: AutoExtension = set_cache_size;
const REFUSE: AutoExtension = refuse;

unsafe extern "C" fn set_cache_size_entry(
    db: *mut ffi::sqlite3,
    pz_err_msg: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    init_auto_extension(db, pz_err_msg, SET_CACHE_SIZE)
}

unsafe extern "C" fn refuse_entry(
    db: *mut ffi::sqlite3,
    pz_err_msg: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    init_auto_extension(db, pz_err_msg, REFUSE)
}

/// The connection a callback gets.
fn callers_rows(conn: &ConnectionRef<'_>) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
}

cases! {
    /// A function reads through its own connection, sees the calling statement's transaction,
    /// and dropping that connection leaves the caller's database open.
    #[local_only("functions run only on local connections, which have an engine handle")]
    fn function_connection_ref_reads_the_callers_database() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)")?;
        db.create_scalar_function("rows_in_t", 0, FunctionFlags::SQLITE_UTF8, |ctx| {
            let conn = unsafe { ctx.get_connection()? };
            callers_rows(&conn)
        })?;
        db.create_scalar_function("in_txn", 0, FunctionFlags::SQLITE_UTF8, |ctx| {
            let conn = unsafe { ctx.get_connection()? };
            Ok(!conn.is_autocommit())
        })?;
        assert_eq!(one::<i64>(&db, "SELECT rows_in_t()")?, 3);
        assert!(!one::<bool>(&db, "SELECT in_txn()")?);
        db.execute_batch("BEGIN; INSERT INTO t VALUES (4)")?;
        assert_eq!(one::<i64>(&db, "SELECT rows_in_t()")?, 4);
        assert!(one::<bool>(&db, "SELECT in_txn()")?);
        db.execute_batch("COMMIT")?;
        // The handle is still open after several ConnectionRefs were dropped.
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 4);
        Ok(())
    }

    /// A Rust auto-extension configures every new connection through a non-owning
    /// `Connection`, which leaves it open; one that fails makes opening fail with its message.
    #[local_only("auto-extensions run only for local connections, which have an engine handle")]
    fn rust_auto_extension_configures_and_refuses() {
        unsafe { register_auto_extension(set_cache_size_entry)? };
        let opened = Connection::open_in_memory();
        reset_auto_extension();
        let db = opened?;
        assert_eq!(one::<i64>(&db, "PRAGMA cache_size")?, EXTENSION_CACHE_SIZE);
        assert_eq!(one::<i64>(&db, "SELECT 40 + 2")?, 42);

        unsafe { register_auto_extension(refuse_entry)? };
        let refused = Connection::open_in_memory();
        reset_auto_extension();
        match refused {
            Err(Error::SqliteFailure(e, msg)) => {
                assert_eq!((e.code, e.extended_code), (ErrorCode::Unknown, 1));
                assert_eq!(
                    msg.as_deref(),
                    Some("automatic extension loading failed: refused by the extension")
                );
            }
            other => panic!("expected SqliteFailure, got {:?}", other.map(|_| ())),
        }
        let _after_reset = crate::open()?;
        Ok(())
    }
}
