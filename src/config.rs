//! Per-connection engine options (`sqlite3_db_config`), rusqlite 0.34's `config` module.
//! Local connections only: remote connections get the local-only `SqliteFailure`.

use crate::error::error_from_sqlite_code;
use crate::{ffi, Connection, Result};
use std::ffi::c_int;

/// Boolean database configuration options, with SQLite's values.
#[repr(i32)]
#[allow(non_camel_case_types)]
#[derive(Copy, Clone, Debug)]
#[non_exhaustive]
pub enum DbConfig {
    /// Enforce foreign keys.
    SQLITE_DBCONFIG_ENABLE_FKEY = 1002,
    /// Enable triggers.
    SQLITE_DBCONFIG_ENABLE_TRIGGER = 1003,
    /// Enable the two-argument fts3_tokenizer().
    SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER = 1004,
    /// Skip the checkpoint on close.
    SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE = 1006,
    /// Query planner stability guarantee.
    SQLITE_DBCONFIG_ENABLE_QPSG = 1007,
    /// Include triggers in EXPLAIN QUERY PLAN.
    SQLITE_DBCONFIG_TRIGGER_EQP = 1008,
    /// Reset the database (with VACUUM).
    SQLITE_DBCONFIG_RESET_DATABASE = 1009,
    /// Defensive mode.
    SQLITE_DBCONFIG_DEFENSIVE = 1010,
    /// Writable sqlite_schema.
    SQLITE_DBCONFIG_WRITABLE_SCHEMA = 1011,
    /// Legacy ALTER TABLE behaviour.
    SQLITE_DBCONFIG_LEGACY_ALTER_TABLE = 1012,
    /// Double-quoted strings in DML.
    SQLITE_DBCONFIG_DQS_DML = 1013,
    /// Double-quoted strings in DDL.
    SQLITE_DBCONFIG_DQS_DDL = 1014,
    /// Enable views.
    SQLITE_DBCONFIG_ENABLE_VIEW = 1015,
    /// Legacy file format.
    SQLITE_DBCONFIG_LEGACY_FILE_FORMAT = 1016,
    /// Trusted schema.
    SQLITE_DBCONFIG_TRUSTED_SCHEMA = 1017,
    /// Statement scan status.
    SQLITE_DBCONFIG_STMT_SCANSTATUS = 1018,
    /// Reverse scan order.
    SQLITE_DBCONFIG_REVERSE_SCANORDER = 1019,
    /// ATTACH may create databases (SQLite 3.49; an error on libSQL's 3.47 engine).
    SQLITE_DBCONFIG_ENABLE_ATTACH_CREATE = 1020,
    /// ATTACH may write (SQLite 3.49; an error on libSQL's 3.47 engine).
    SQLITE_DBCONFIG_ENABLE_ATTACH_WRITE = 1021,
    /// SQL comments allowed (SQLite 3.49; an error on libSQL's 3.47 engine).
    SQLITE_DBCONFIG_ENABLE_COMMENTS = 1022,
}

impl Connection {
    /// Reads a boolean option.
    pub fn db_config(&self, config: DbConfig) -> Result<bool> {
        self.db_config_call(config, -1)
    }

    /// Sets a boolean option and returns its new value.
    pub fn set_db_config(&self, config: DbConfig, new_val: bool) -> Result<bool> {
        self.db_config_call(config, new_val as c_int)
    }

    fn db_config_call(&self, config: DbConfig, arg: c_int) -> Result<bool> {
        let db = self.backend().local_handle("db_config")?;
        let mut val: c_int = 0;
        let rc =
            unsafe { ffi::sqlite3_db_config(db, config as c_int, arg, &mut val as *mut c_int) };
        if rc == ffi::SQLITE_OK {
            Ok(val != 0)
        } else {
            Err(error_from_sqlite_code(rc, None))
        }
    }
}
