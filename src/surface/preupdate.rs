//! `surface_preupdate!`: the preupdate hook of rusqlite 0.38 and later over the core's
//! (src/hooks/preupdate.rs), expanded by `surface_hooks!` with its receiver (`&mut self` from
//! 0.41 on). The hook returns `Result<()>` and its accessors the surface's `ValueRef` and
//! `Error`; they wrap the core's, which stay valid only inside the hook, as in rusqlite.

macro_rules! surface_preupdate {
    (receiver: [$($receiver_mut:tt)?]) => {
        /// The preupdate hook's case and accessors (feature `preupdate_hook`).
        #[cfg(feature = "preupdate_hook")]
        mod preupdate {
            use super::super::types::ValueRef;
            use super::super::{Connection, Error, Result};
            use super::Action;

            /// The kind of change, with accessors for the values it has.
            #[derive(Debug)]
            pub enum PreUpdateCase {
                /// A new row: new values only.
                Insert(PreUpdateNewValueAccessor),
                /// A removed row: old values only.
                Delete(PreUpdateOldValueAccessor),
                /// A changed row: both.
                Update {
                    /// The values before the change.
                    old_value_accessor: PreUpdateOldValueAccessor,
                    /// The values after the change.
                    new_value_accessor: PreUpdateNewValueAccessor,
                },
                /// Any other code.
                Unknown,
            }

            impl PreUpdateCase {
                fn from_core(case: &$crate::hooks::PreUpdateCase) -> PreUpdateCase {
                    use $crate::hooks::PreUpdateCase as Core;
                    let old = |inner: &$crate::hooks::PreUpdateOldValueAccessor| {
                        PreUpdateOldValueAccessor { inner: inner.duplicate() }
                    };
                    let new = |inner: &$crate::hooks::PreUpdateNewValueAccessor| {
                        PreUpdateNewValueAccessor { inner: inner.duplicate() }
                    };
                    match case {
                        Core::Insert(n) => PreUpdateCase::Insert(new(n)),
                        Core::Delete(o) => PreUpdateCase::Delete(old(o)),
                        Core::Update { old_value_accessor, new_value_accessor } => {
                            PreUpdateCase::Update {
                                old_value_accessor: old(old_value_accessor),
                                new_value_accessor: new(new_value_accessor),
                            }
                        }
                        Core::Unknown => PreUpdateCase::Unknown,
                    }
                }
            }

            impl From<PreUpdateCase> for Action {
                fn from(case: PreUpdateCase) -> Action {
                    match case {
                        PreUpdateCase::Insert(_) => Action::SQLITE_INSERT,
                        PreUpdateCase::Delete(_) => Action::SQLITE_DELETE,
                        PreUpdateCase::Update { .. } => Action::SQLITE_UPDATE,
                        PreUpdateCase::Unknown => Action::UNKNOWN,
                    }
                }
            }

            /// The old values of the row being deleted or updated (valid inside the hook).
            #[derive(Debug)]
            pub struct PreUpdateOldValueAccessor {
                inner: $crate::hooks::PreUpdateOldValueAccessor,
            }

            impl PreUpdateOldValueAccessor {
                /// The number of columns of the row.
                pub fn get_column_count(&self) -> i32 {
                    self.inner.get_column_count()
                }

                /// 0 for a direct change, 1 for one made by a top-level trigger, and so on.
                pub fn get_query_depth(&self) -> i32 {
                    self.inner.get_query_depth()
                }

                /// The rowid before the change.
                pub fn get_old_row_id(&self) -> i64 {
                    self.inner.get_old_row_id()
                }

                /// Column `i`'s value before the change.
                pub fn get_old_column_value(&self, i: i32) -> Result<ValueRef<'_>> {
                    self.inner
                        .get_old_column_value(i)
                        .map(ValueRef::from_core)
                        .map_err(Error::from_core)
                }
            }

            /// The new values of the row being inserted or updated (valid inside the hook).
            #[derive(Debug)]
            pub struct PreUpdateNewValueAccessor {
                inner: $crate::hooks::PreUpdateNewValueAccessor,
            }

            impl PreUpdateNewValueAccessor {
                /// The number of columns of the row.
                pub fn get_column_count(&self) -> i32 {
                    self.inner.get_column_count()
                }

                /// 0 for a direct change, 1 for one made by a top-level trigger, and so on.
                pub fn get_query_depth(&self) -> i32 {
                    self.inner.get_query_depth()
                }

                /// The rowid after the change.
                pub fn get_new_row_id(&self) -> i64 {
                    self.inner.get_new_row_id()
                }

                /// Column `i`'s value after the change.
                pub fn get_new_column_value(&self, i: i32) -> Result<ValueRef<'_>> {
                    self.inner
                        .get_new_column_value(i)
                        .map(ValueRef::from_core)
                        .map_err(Error::from_core)
                }
            }

            impl Connection {
                /// Installs (`Some`) or removes (`None`) a callback run before each row
                /// change, with the action, database and table names and the
                /// [`PreUpdateCase`] to read values from (local connections).
                pub fn preupdate_hook<F>(&$($receiver_mut)? self, hook: Option<F>) -> Result<()>
                where
                    F: FnMut(Action, &str, &str, &PreUpdateCase) + Send + 'static,
                {
                    self.hook_target("preupdate_hook", hook.is_some())?;
                    self.inner.preupdate_hook(hook.map(|mut f| {
                        move |action, db: &str, table: &str, case: &$crate::hooks::PreUpdateCase| {
                            f(action, db, table, &PreUpdateCase::from_core(case))
                        }
                    }));
                    Ok(())
                }
            }
        }
        #[cfg(feature = "preupdate_hook")]
        pub use self::preupdate::{
            PreUpdateCase, PreUpdateNewValueAccessor, PreUpdateOldValueAccessor,
        };
    };
}
