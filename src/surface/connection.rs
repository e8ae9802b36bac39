//! `surface_connection!`: `Connection`, `Transaction`, `Savepoint`, the `Name` trait and the
//! pragma API of rusqlite 0.36 and later, as thin wrappers of the core. The rules that changed
//! since 0.34 live here: a second statement in `prepare` is `MultipleStatement` (0.35),
//! `query_one` (0.36), pragma schema names as `Option<&str>` (0.36) and quoted savepoint names
//! (0.40.1). Per-version methods and the empty-SQL rule arrive as parameters.

macro_rules! surface_connection {
    (
        empty_sql_check: $empty_sql_check:path,
        pragma_list_check: $pragma_list_check:expr,
        per_version { $($per_version:tt)* }
    ) => {
        /// A database name (`"main"`, `"temp"`, an attached name, or the same as a `&CStr`),
        /// implemented for `&str` and `&CStr` only, as in rusqlite.
        pub trait Name: std::fmt::Debug + Copy + name::Sealed {
            /// The name as a C string, read through `Deref<Target = CStr>`; `to_owned()` on it
            /// gives a `CString`, as in rusqlite. A `&str` with an interior NUL is
            /// [`Error::NulError`].
            fn as_cstr(&self) -> Result<$crate::surface::name::Named<'_>>;
        }

        mod name {
            /// `Name` is implemented for exactly `&str` and `&CStr`.
            pub trait Sealed {}
            impl Sealed for &str {}
            impl Sealed for &std::ffi::CStr {}
        }

        impl Name for &str {
            fn as_cstr(&self) -> Result<$crate::surface::name::Named<'_>> {
                Ok($crate::surface::name::Named::Owned(std::ffi::CString::new(*self)?))
            }
        }

        impl Name for &std::ffi::CStr {
            fn as_cstr(&self) -> Result<$crate::surface::name::Named<'_>> {
                Ok($crate::surface::name::Named::Borrowed(self))
            }
        }

        /// Database connection configuration switches.
        pub mod config {
            pub use $crate::DbConfig;
        }

        /// The main database.
        pub const MAIN_DB: &std::ffi::CStr = c"main";
        /// The temporary database.
        pub const TEMP_DB: &std::ffi::CStr = c"temp";

        /// A connection: a local libSQL file, a remote libSQL server, or an embedded replica.
        /// `Send` but not `Sync`, like rusqlite's.
        #[repr(transparent)]
        pub struct Connection {
            inner: $crate::Connection,
        }

        impl Connection {
            /// Opens a database: a path, `:memory:`, a `file:` URI, or (feature `remote`) a
            /// `libsql://`, `http://` or `https://` URL; see the core [`crate::Connection::open`].
            pub fn open<P: AsRef<std::path::Path>>(path: P) -> Result<Connection> {
                Self::wrap($crate::Connection::open(path))
            }

            /// Opens a new, private in-memory database.
            pub fn open_in_memory() -> Result<Connection> {
                Self::wrap($crate::Connection::open_in_memory())
            }

            /// Opens with explicit [`OpenFlags`].
            pub fn open_with_flags<P: AsRef<std::path::Path>>(
                path: P,
                flags: OpenFlags,
            ) -> Result<Connection> {
                Self::wrap($crate::Connection::open_with_flags(path, flags))
            }

            /// Opens with explicit [`OpenFlags`] and a VFS (local files only).
            pub fn open_with_flags_and_vfs<P: AsRef<std::path::Path>, V: Name>(
                path: P,
                flags: OpenFlags,
                vfs: V,
            ) -> Result<Connection> {
                let vfs = vfs.as_cstr()?;
                let vfs = vfs.to_str()?;
                Self::wrap($crate::Connection::open_with_flags_and_vfs(path, flags, vfs))
            }

            /// Opens an in-memory database with explicit [`OpenFlags`].
            pub fn open_in_memory_with_flags(flags: OpenFlags) -> Result<Connection> {
                Self::wrap($crate::Connection::open_in_memory_with_flags(flags))
            }

            /// Opens an in-memory database with explicit [`OpenFlags`] and a VFS.
            pub fn open_in_memory_with_flags_and_vfs<V: Name>(
                flags: OpenFlags,
                vfs: V,
            ) -> Result<Connection> {
                let vfs = vfs.as_cstr()?;
                let vfs = vfs.to_str()?;
                Self::wrap($crate::Connection::open_in_memory_with_flags_and_vfs(flags, vfs))
            }

            /// dbcompat's addition: a connection to a remote libSQL server; see
            /// [`crate::Connection::open_remote`].
            #[cfg(feature = "remote")]
            pub fn open_remote(url: &str, auth_token: &str) -> Result<Connection> {
                Self::wrap($crate::Connection::open_remote(url, auth_token))
            }

            /// dbcompat's addition: the server named by `LIBSQL_URL`/`TURSO_DATABASE_URL`, else
            /// the local `fallback_path`; see [`crate::Connection::open_from_env`].
            #[cfg(feature = "remote")]
            pub fn open_from_env<P: AsRef<std::path::Path>>(fallback_path: P) -> Result<Connection> {
                Self::wrap($crate::Connection::open_from_env(fallback_path))
            }

            /// dbcompat's addition: an embedded replica; see [`crate::Connection::open_replica`].
            #[cfg(feature = "replica")]
            pub fn open_replica<P: AsRef<std::path::Path>>(
                path: P,
                url: &str,
                auth_token: &str,
            ) -> Result<Connection> {
                Self::wrap($crate::Connection::open_replica(path, url, auth_token))
            }

            /// dbcompat's addition: pulls a replica's new frames; see [`crate::Connection::sync`].
            #[cfg(feature = "replica")]
            pub fn sync(&self) -> Result<usize> {
                self.inner.sync().map_err(Error::from_core)
            }

            /// Reads a [`config::DbConfig`] switch (local connections).
            pub fn db_config(&self, config: config::DbConfig) -> Result<bool> {
                self.inner.db_config(config).map_err(Error::from_core)
            }

            /// Sets a [`config::DbConfig`] switch and returns its new value.
            pub fn set_db_config(&self, config: config::DbConfig, new_val: bool) -> Result<bool> {
                self.inner.set_db_config(config, new_val).map_err(Error::from_core)
            }

            /// The raw engine handle of a local connection; null for a remote one.
            ///
            /// # Safety
            /// As for rusqlite's `handle`: the caller must not close it or break invariants.
            pub unsafe fn handle(&self) -> *mut $crate::ffi::sqlite3 {
                self.inner.handle()
            }

            /// Wraps a raw engine handle that something else owns; see
            /// [`crate::Connection::from_handle`] (local engine only).
            ///
            /// # Safety
            /// `db` must be an open handle of dbcompat's engine that outlives the connection.
            pub unsafe fn from_handle(db: *mut $crate::ffi::sqlite3) -> Result<Connection> {
                // SAFETY: the caller upholds `crate::Connection::from_handle`'s contract.
                Self::wrap(unsafe { $crate::Connection::from_handle(db) })
            }

            /// Wraps a raw engine handle the caller owns: the connection closes it; see
            /// [`crate::Connection::from_handle_owned`] (local engine only).
            ///
            /// # Safety
            /// `db` must be an open handle of dbcompat's engine that nothing else closes.
            pub unsafe fn from_handle_owned(db: *mut $crate::ffi::sqlite3) -> Result<Connection> {
                // SAFETY: the caller upholds `crate::Connection::from_handle_owned`'s contract.
                Self::wrap(unsafe { $crate::Connection::from_handle_owned(db) })
            }

            /// Wraps an open core connection: the escape hatch to this surface from
            /// [`crate::Connection`] (`open_remote`, `open_replica`, ...).
            pub fn from_core(inner: $crate::Connection) -> Connection {
                Connection { inner }
            }

            /// The core connection (the 0.34 surface) behind this one.
            pub fn as_core(&self) -> &$crate::Connection {
                &self.inner
            }

            fn wrap(opened: $crate::Result<$crate::Connection>) -> Result<Connection> {
                opened.map(Connection::from_core).map_err(Error::from_core)
            }

            /// Runs every statement in `sql`; rows they return are ignored (0.35+: never
            /// `ExecuteReturnedResults`).
            pub fn execute_batch(&self, sql: &str) -> Result<()> {
                self.inner.execute_batch_ignoring_rows(sql).map_err(Error::from_core)
            }

            /// Prepares and runs one statement; returns the number of rows changed.
            pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
                self.prepare(sql).and_then(|mut stmt| stmt.execute(params))
            }

            /// The path of the main database file, if it has one.
            pub fn path(&self) -> Option<&str> {
                self.inner.path()
            }

            /// Frees as much memory as possible (local connections).
            pub fn release_memory(&self) -> Result<()> {
                self.inner.release_memory().map_err(Error::from_core)
            }

            /// The rowid of the most recent successful INSERT.
            pub fn last_insert_rowid(&self) -> i64 {
                self.inner.last_insert_rowid()
            }

            /// Maps the first row of a query with `f`; further rows are ignored.
            pub fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<T>
            where
                P: Params,
                F: FnOnce(&Row<'_>) -> Result<T>,
            {
                self.prepare(sql)?.query_row(params, f)
            }

            /// Maps the only row of a query with `f`; a second row is
            /// `QueryReturnedMoreThanOneRow`.
            pub fn query_one<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<T>
            where
                P: Params,
                F: FnOnce(&Row<'_>) -> Result<T>,
            {
                self.prepare(sql)?.query_one(params, f)
            }

            /// Maps the first row with a fallible `f` whose error type is the caller's.
            pub fn query_row_and_then<T, E, P, F>(&self, sql: &str, params: P, f: F) -> Result<T, E>
            where
                P: Params,
                F: FnOnce(&Row<'_>) -> Result<T, E>,
                E: From<Error>,
            {
                let mut stmt = self.prepare(sql)?;
                let mut rows = stmt.query(params)?;
                rows.get_expected_row().map_err(E::from).and_then(f)
            }

            /// Prepares one statement; a second statement after it is `MultipleStatement`.
            pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
                self.prepare_with_flags(sql, PrepFlags::default())
            }

            /// Prepares one statement with [`PrepFlags`] (ignored by remote connections).
            pub fn prepare_with_flags(&self, sql: &str, flags: PrepFlags) -> Result<Statement<'_>> {
                let stmt = self.inner.prepare_first_only(sql, flags).map_err(Error::from_core)?;
                $empty_sql_check(&stmt)?;
                Ok(Statement::from_core(stmt))
            }

            /// Closes the connection, returning it with the error if closing fails.
            #[allow(clippy::result_large_err)]
            pub fn close(self) -> std::result::Result<(), (Connection, Error)> {
                self.inner
                    .close()
                    .map_err(|(inner, e)| (Connection { inner }, Error::from_core(e)))
            }

            /// A handle that can interrupt a running query from another thread.
            pub fn get_interrupt_handle(&self) -> InterruptHandle {
                self.inner.get_interrupt_handle()
            }

            /// Rows changed by the most recent statement.
            pub fn changes(&self) -> u64 {
                self.inner.changes()
            }

            /// Rows changed since the connection opened.
            pub fn total_changes(&self) -> u64 {
                self.inner.total_changes()
            }

            /// Whether no transaction is open.
            pub fn is_autocommit(&self) -> bool {
                self.inner.is_autocommit()
            }

            /// Whether a statement is mid-run.
            pub fn is_busy(&self) -> bool {
                self.inner.is_busy()
            }

            /// Flushes dirty pages to disk (local connections).
            pub fn cache_flush(&self) -> Result<()> {
                self.inner.cache_flush().map_err(Error::from_core)
            }

            /// Whether the named database is read-only.
            pub fn is_readonly<N: Name>(&self, db_name: N) -> Result<bool> {
                let name = db_name.as_cstr()?;
                let name: &std::ffi::CStr = &name;
                self.inner
                    .is_readonly_named(name, &name)
                    .map_err(Error::from_core)
            }

            /// The name of the database at `index` (0 is `main`).
            pub fn db_name(&self, index: usize) -> Result<String> {
                self.inner.db_name(index).map_err(Error::from_core)
            }

            /// Whether an interrupt is pending.
            pub fn is_interrupted(&self) -> bool {
                self.inner.is_interrupted()
            }

            /// Sets how long to wait for a lock before `SQLITE_BUSY`.
            pub fn busy_timeout(&self, timeout: std::time::Duration) -> Result<()> {
                self.inner.busy_timeout(timeout).map_err(Error::from_core)
            }

            /// Begins a transaction with the connection's default behaviour.
            pub fn transaction(&mut self) -> Result<Transaction<'_>> {
                let behavior = self.inner.transaction_behavior.get();
                Transaction::new_unchecked(self, behavior)
            }

            /// Begins a transaction with the given behaviour.
            pub fn transaction_with_behavior(
                &mut self,
                behavior: TransactionBehavior,
            ) -> Result<Transaction<'_>> {
                Transaction::new_unchecked(self, behavior)
            }

            /// Begins a transaction through a shared borrow; nesting fails at run time.
            pub fn unchecked_transaction(&self) -> Result<Transaction<'_>> {
                Transaction::new_unchecked(self, self.inner.transaction_behavior.get())
            }

            /// Starts a savepoint named `_rusqlite_sp`.
            pub fn savepoint(&mut self) -> Result<Savepoint<'_>> {
                Savepoint::new(self)
            }

            /// Starts a named savepoint (the name is quoted when it is not a plain identifier).
            pub fn savepoint_with_name<T: Into<String>>(&mut self, name: T) -> Result<Savepoint<'_>> {
                Savepoint::with_name(self, name)
            }

            /// The transaction state of a database (`None` for the whole connection).
            pub fn transaction_state<N: Name>(&self, db_name: Option<N>) -> Result<TransactionState> {
                let name = db_name.as_ref().map(Name::as_cstr).transpose()?;
                self.inner
                    .transaction_state(name.as_deref().map($crate::DatabaseName::C))
                    .map_err(Error::from_core)
            }

            /// Sets the behaviour of [`Connection::transaction`].
            pub fn set_transaction_behavior(&mut self, behavior: TransactionBehavior) {
                self.inner.set_transaction_behavior(behavior);
            }

            /// Reads a pragma that returns one row: `PRAGMA [schema.]name`.
            pub fn pragma_query_value<T, F>(
                &self,
                schema_name: Option<&str>,
                pragma_name: &str,
                f: F,
            ) -> Result<T>
            where
                F: FnOnce(&Row<'_>) -> Result<T>,
            {
                self.query_row(&self.pragma_sql(schema_name, pragma_name, None)?, [], f)
            }

            /// Runs a pragma and calls `f` for every row it returns.
            pub fn pragma_query<F>(
                &self,
                schema_name: Option<&str>,
                pragma_name: &str,
                f: F,
            ) -> Result<()>
            where
                F: FnMut(&Row<'_>) -> Result<()>,
            {
                self.for_each_row(&self.pragma_sql(schema_name, pragma_name, None)?, f)
            }

            /// Runs `PRAGMA name(value)` and calls `f` for every row.
            pub fn pragma<F, V>(
                &self,
                schema_name: Option<&str>,
                pragma_name: &str,
                pragma_value: V,
                f: F,
            ) -> Result<()>
            where
                F: FnMut(&Row<'_>) -> Result<()>,
                V: types::ToSql,
            {
                let sql = self.pragma_sql(schema_name, pragma_name, Some(("(", &pragma_value)))?;
                self.for_each_row(&format!("{sql})"), f)
            }

            /// Sets a pragma: `PRAGMA [schema.]name=value`; any row it returns is ignored.
            pub fn pragma_update<V: types::ToSql>(
                &self,
                schema_name: Option<&str>,
                pragma_name: &str,
                pragma_value: V,
            ) -> Result<()> {
                self.execute_batch(&self.pragma_sql(
                    schema_name,
                    pragma_name,
                    Some(("=", &pragma_value)),
                )?)
            }

            /// Sets a pragma and maps the row it returns with `f`.
            pub fn pragma_update_and_check<F, T, V>(
                &self,
                schema_name: Option<&str>,
                pragma_name: &str,
                pragma_value: V,
                f: F,
            ) -> Result<T>
            where
                F: FnOnce(&Row<'_>) -> Result<T>,
                V: types::ToSql,
            {
                let sql = self.pragma_sql(schema_name, pragma_name, Some(("=", &pragma_value)))?;
                self.query_row(&sql, [], f)
            }

            /// `PRAGMA [schema.]name`, then `=value` or `(value` when given, as the core
            /// builds it. With `pragma_list_check` (0.43's `extra_check`), the name must be
            /// in the engine's `pragma_pragma_list` instead of only being an identifier.
            fn pragma_sql(
                &self,
                schema_name: Option<&str>,
                pragma_name: &str,
                value: Option<(&str, &dyn types::ToSql)>,
            ) -> Result<String> {
                let schema = schema_name.map($crate::DatabaseName::Attached);
                let head = if $pragma_list_check {
                    self.inner.listed_pragma_head(schema, pragma_name)
                } else {
                    $crate::pragma::pragma_head(schema, pragma_name)
                };
                let mut sql = head.map_err(|e| {
                    // rusqlite 0.40.1 renamed the message of a bad pragma name.
                    match e {
                        $crate::Error::SqliteFailure(code, Some(msg)) => Error::SqliteFailure(
                            code.into(),
                            Some(msg.replacen("Invalid keyword", "Invalid pragma", 1)),
                        ),
                        other => Error::from_core(other),
                    }
                })?;
                if let Some((separator, value)) = value {
                    sql.push_str(separator);
                    let value = value.to_sql()?.into_core()?;
                    $crate::pragma::push_value(&mut sql, &value).map_err(Error::from_core)?;
                }
                Ok(sql)
            }

            fn for_each_row<F>(&self, sql: &str, mut f: F) -> Result<()>
            where
                F: FnMut(&Row<'_>) -> Result<()>,
            {
                let mut stmt = self.prepare(sql)?;
                let mut rows = stmt.query([])?;
                while let Some(row) = rows.next()? {
                    f(row)?;
                }
                Ok(())
            }

            /// Prepares `sql`, or takes it from the cache (feature `cache`, default on).
            #[cfg(feature = "cache")]
            pub fn prepare_cached(&self, sql: &str) -> Result<CachedStatement<'_>> {
                let inner = self.inner.prepare_cached_first_only(sql).map_err(Error::from_core)?;
                $empty_sql_check(&inner)?;
                Ok(CachedStatement { inner })
            }

            /// Sets how many statements the cache keeps (0 disables caching).
            #[cfg(feature = "cache")]
            pub fn set_prepared_statement_cache_capacity(&self, capacity: usize) {
                self.inner.set_prepared_statement_cache_capacity(capacity);
            }

            /// Finalizes every cached statement.
            #[cfg(feature = "cache")]
            pub fn flush_prepared_statement_cache(&self) {
                self.inner.flush_prepared_statement_cache();
            }

            $($per_version)*
        }

        impl std::fmt::Debug for Connection {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.inner.fmt(f)
            }
        }


        /// An open transaction; derefs to [`Connection`]. Rolled back on drop unless committed.
        #[derive(Debug)]
        pub struct Transaction<'conn> {
            conn: &'conn Connection,
            inner: $crate::Transaction<'conn>,
        }

        impl<'conn> Transaction<'conn> {
            /// Begins a transaction; the `&mut` borrow prevents nesting at compile time.
            pub fn new(conn: &mut Connection, behavior: TransactionBehavior) -> Result<Transaction<'_>> {
                Transaction::new_unchecked(conn, behavior)
            }

            /// Begins a transaction through a shared borrow; nesting fails at run time.
            pub fn new_unchecked(
                conn: &'conn Connection,
                behavior: TransactionBehavior,
            ) -> Result<Transaction<'conn>> {
                let inner = $crate::Transaction::new_unchecked(&conn.inner, behavior)
                    .map_err(Error::from_core)?;
                Ok(Transaction { conn, inner })
            }

            /// Starts a savepoint named `_rusqlite_sp` inside this transaction.
            pub fn savepoint(&mut self) -> Result<Savepoint<'_>> {
                Savepoint::begin(self.conn, $crate::transaction::DEFAULT_SAVEPOINT_NAME)
            }

            /// Starts a named savepoint inside this transaction.
            pub fn savepoint_with_name<T: Into<String>>(&mut self, name: T) -> Result<Savepoint<'_>> {
                Savepoint::begin(self.conn, &name.into())
            }

            /// What drop will do.
            #[must_use]
            pub fn drop_behavior(&self) -> DropBehavior {
                self.inner.drop_behavior()
            }

            /// Changes what drop will do.
            pub fn set_drop_behavior(&mut self, drop_behavior: DropBehavior) {
                self.inner.set_drop_behavior(drop_behavior);
            }

            /// Commits. If COMMIT fails, the transaction is rolled back as it drops.
            pub fn commit(self) -> Result<()> {
                self.inner.commit().map_err(Error::from_core)
            }

            /// Rolls back.
            pub fn rollback(self) -> Result<()> {
                self.inner.rollback().map_err(Error::from_core)
            }

            /// Applies the drop behaviour now and returns its error, if any.
            pub fn finish(self) -> Result<()> {
                self.inner.finish().map_err(Error::from_core)
            }
        }

        impl std::ops::Deref for Transaction<'_> {
            type Target = Connection;

            fn deref(&self) -> &Connection {
                self.conn
            }
        }

        /// An open savepoint; derefs to [`Connection`]. Rolled back and released on drop
        /// unless committed.
        #[derive(Debug)]
        pub struct Savepoint<'conn> {
            conn: &'conn Connection,
            inner: $crate::Savepoint<'conn>,
        }

        impl<'conn> Savepoint<'conn> {
            /// `SAVEPOINT name`, with the name quoted unless it is a plain identifier
            /// (rusqlite 0.40.1+).
            fn begin(conn: &'conn Connection, name: &str) -> Result<Savepoint<'conn>> {
                let mut quoted = String::with_capacity(name.len() + 2);
                $crate::pragma::push_identifier(&mut quoted, name);
                let inner = $crate::Savepoint::begin(&conn.inner, quoted).map_err(Error::from_core)?;
                Ok(Savepoint { conn, inner })
            }

            /// Starts a savepoint named `_rusqlite_sp` (no outer transaction needed).
            pub fn new(conn: &mut Connection) -> Result<Savepoint<'_>> {
                Savepoint::begin(conn, $crate::transaction::DEFAULT_SAVEPOINT_NAME)
            }

            /// Starts a named savepoint.
            pub fn with_name<T: Into<String>>(conn: &mut Connection, name: T) -> Result<Savepoint<'_>> {
                Savepoint::begin(conn, &name.into())
            }

            /// Starts a nested savepoint named `_rusqlite_sp`.
            pub fn savepoint(&mut self) -> Result<Savepoint<'_>> {
                Savepoint::begin(self.conn, $crate::transaction::DEFAULT_SAVEPOINT_NAME)
            }

            /// Starts a nested named savepoint.
            pub fn savepoint_with_name<T: Into<String>>(&mut self, name: T) -> Result<Savepoint<'_>> {
                Savepoint::begin(self.conn, &name.into())
            }

            /// What drop will do.
            #[must_use]
            pub fn drop_behavior(&self) -> DropBehavior {
                self.inner.drop_behavior()
            }

            /// Changes what drop will do.
            pub fn set_drop_behavior(&mut self, drop_behavior: DropBehavior) {
                self.inner.set_drop_behavior(drop_behavior);
            }

            /// Releases the savepoint, keeping its changes.
            pub fn commit(self) -> Result<()> {
                self.inner.commit().map_err(Error::from_core)
            }

            /// Rolls back to the savepoint, which stays open.
            pub fn rollback(&mut self) -> Result<()> {
                self.inner.rollback().map_err(Error::from_core)
            }

            /// Applies the drop behaviour now and returns its error, if any.
            pub fn finish(self) -> Result<()> {
                self.inner.finish().map_err(Error::from_core)
            }
        }

        impl std::ops::Deref for Savepoint<'_> {
            type Target = Connection;

            fn deref(&self) -> &Connection {
                self.conn
            }
        }
    };
}
