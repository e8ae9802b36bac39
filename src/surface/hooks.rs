//! `surface_hooks!`: the `hooks` and `trace` modules of rusqlite 0.38 and later over the
//! core's (src/hooks.rs, src/trace.rs): the hook methods return `Result<()>` (0.38) and take
//! `&mut self` from 0.41 on (`receiver: [mut]`), as does `Wal::checkpoint`. The closures are
//! stored by the core, which frees them when the connection closes. The per-version forms of
//! `wal_hook`, `busy_handler` and `trace_v2` are one-line signatures in the version module
//! over the `set_*` helpers written here. The preupdate hook (feature `preupdate_hook`) is
//! `surface_preupdate!`'s, expanded in `hooks`.
//!
//! On a remote connection installing a hook is the core's local-only `SqliteFailure`
//! (removing one is a no-op), since these methods return a `Result` since 0.38.

macro_rules! surface_hooks {
    (
        receiver: [$($receiver_mut:tt)?],
        hooks_extra { $($hooks_extra:tt)* }
    ) => {
        /// Commit, rollback and data-change notifications, the progress handler, the
        /// authorizer and the WAL hook (local connections).
        pub mod hooks {
            use super::{Error, Result};
            use std::ffi::{c_int, CStr};

            pub use $crate::hooks::{
                Action, AuthAction, AuthContext, Authorization, TransactionOperation,
            };
            $($hooks_extra)*
            surface_preupdate!(receiver: [$($receiver_mut)?]);

            /// The write-ahead log a `wal_hook` callback is told about.
            pub struct Wal {
                pub(crate) inner: $crate::hooks::Wal,
            }

            impl Wal {
                /// Checkpoints this database (`sqlite3_wal_checkpoint`).
                pub fn checkpoint(&$($receiver_mut)? self) -> Result<()> {
                    self.inner.checkpoint().map_err(Error::from_core)
                }

                /// Checkpoints with `mode`; returns the log size and the frames
                /// checkpointed.
                pub fn checkpoint_v2(
                    &$($receiver_mut)? self,
                    mode: $crate::hooks::CheckpointMode,
                ) -> Result<(c_int, c_int)> {
                    self.inner.checkpoint_v2(mode).map_err(Error::from_core)
                }

                /// The name of the database that was written.
                pub fn name(&self) -> &CStr {
                    // SAFETY: SQLite passes a NUL-terminated name valid for the callback
                    // that received `self`.
                    unsafe { CStr::from_ptr(self.inner.db_name) }
                }
            }
        }

        /// Tracing of SQL statements and SQLite's error log.
        pub mod trace {
            use super::{Error, Result};
            use std::ffi::c_int;

            pub use $crate::trace::{log, ConnRef, StmtRef, TraceEvent, TraceEventCodes};

            /// Installs (`Some`) or removes (`None`) the process-wide SQLite error log
            /// callback (`SQLITE_CONFIG_LOG`).
            ///
            /// # Safety
            /// As in rusqlite: no other thread may use the engine meanwhile.
            pub unsafe fn config_log(callback: Option<fn(c_int, &str)>) -> Result<()> {
                $crate::trace::config_log(callback).map_err(Error::from_core)
            }
        }

        impl Connection {
            /// The core's local-only error when `installing` on a remote connection.
            fn hook_target(&self, what: &str, installing: bool) -> Result<()> {
                if installing {
                    self.inner.backend().local_handle(what).map_err(Error::from_core)?;
                }
                Ok(())
            }

            /// Installs (`Some`) or removes (`None`) a callback run whenever a transaction
            /// commits; returning `true` turns the commit into a rollback.
            pub fn commit_hook<F>(&$($receiver_mut)? self, hook: Option<F>) -> Result<()>
            where
                F: FnMut() -> bool + Send + 'static,
            {
                self.hook_target("commit_hook", hook.is_some())?;
                self.inner.commit_hook(hook);
                Ok(())
            }

            /// Installs (`Some`) or removes (`None`) a callback run whenever a transaction
            /// rolls back.
            pub fn rollback_hook<F>(&$($receiver_mut)? self, hook: Option<F>) -> Result<()>
            where
                F: FnMut() + Send + 'static,
            {
                self.hook_target("rollback_hook", hook.is_some())?;
                self.inner.rollback_hook(hook);
                Ok(())
            }

            /// Installs (`Some`) or removes (`None`) a callback run for each row inserted,
            /// updated or deleted in a rowid table.
            pub fn update_hook<F>(&$($receiver_mut)? self, hook: Option<F>) -> Result<()>
            where
                F: FnMut(hooks::Action, &str, &str, i64) + Send + 'static,
            {
                self.hook_target("update_hook", hook.is_some())?;
                self.inner.update_hook(hook);
                Ok(())
            }

            /// Installs (`Some`) or removes (`None`) a callback run about every `num_ops`
            /// virtual machine instructions; returning `true` interrupts the statement.
            pub fn progress_handler<F>(
                &$($receiver_mut)? self,
                num_ops: std::ffi::c_int,
                handler: Option<F>,
            ) -> Result<()>
            where
                F: FnMut() -> bool + Send + 'static,
            {
                self.hook_target("progress_handler", handler.is_some())?;
                self.inner.progress_handler(num_ops, handler);
                Ok(())
            }

            /// Installs (`Some`) or removes (`None`) an authorizer, asked about each action
            /// while a statement is prepared.
            pub fn authorizer<F>(&$($receiver_mut)? self, hook: Option<F>) -> Result<()>
            where
                F: for<'r> FnMut(hooks::AuthContext<'r>) -> hooks::Authorization + Send + 'static,
            {
                self.hook_target("authorizer", hook.is_some())?;
                self.inner.authorizer(hook);
                Ok(())
            }

            /// The WAL hook behind this surface's `wal_hook`.
            fn set_wal_hook<F>(&self, hook: Option<F>) -> Result<()>
            where
                F: FnMut(&mut hooks::Wal, std::ffi::c_int) -> Result<()> + Send + 'static,
            {
                self.hook_target("wal_hook", hook.is_some())?;
                self.inner.wal_hook_closure(hook.map(|mut f| {
                    move |wal: &mut $crate::hooks::Wal, pages| {
                        let inner = $crate::hooks::Wal { db: wal.db, db_name: wal.db_name };
                        f(&mut hooks::Wal { inner }, pages).map_err(functions::callback_error)
                    }
                }));
                Ok(())
            }

            /// The busy handler behind this surface's `busy_handler`.
            fn set_busy_handler<F>(&self, callback: Option<F>) -> Result<()>
            where
                F: FnMut(i32) -> bool + Send + 'static,
            {
                self.inner.busy_handler_closure(callback).map_err(Error::from_core)
            }

            /// The `trace_v2` callback behind this surface's `trace_v2`.
            fn set_trace_v2<F>(&self, mask: trace::TraceEventCodes, trace_fn: Option<F>) -> Result<()>
            where
                F: FnMut(trace::TraceEvent<'_>) + Send + 'static,
            {
                self.hook_target("trace_v2", trace_fn.is_some())?;
                self.inner.trace_v2_closure(mask, trace_fn);
                Ok(())
            }
        }
    };
}
