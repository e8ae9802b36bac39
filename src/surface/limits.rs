//! `surface_limits!`: the `limits` module of rusqlite 0.40 and later. Its `Limit` enum gains
//! categories by version (`extra_limits`), so each surface declares it; reading and setting
//! are the core's, by category number. The engine answers `SQLITE_RANGE` for a category it
//! does not have, as SQLite older than the category does.

macro_rules! surface_limits {
    (extra_limits { $($(#[$extra_doc:meta])* $extra:ident = $extra_id:expr,)* }) => {
        /// Run-time limits (`sqlite3_limit`, local connections).
        pub mod limits {
            limit_enum!($($(#[$extra_doc])* $extra = $extra_id,)*);
        }

        impl Connection {
            /// The current value of a run-time limit (local connections).
            #[inline]
            pub fn limit(&self, limit: limits::Limit) -> Result<i32> {
                self.inner
                    .limit_by_id(limit as std::ffi::c_int, &limit)
                    .map_err(Error::from_core)
            }

            /// Sets a run-time limit and returns its previous value (local connections).
            #[inline]
            pub fn set_limit(&self, limit: limits::Limit, new_val: i32) -> Result<i32> {
                self.inner
                    .set_limit_by_id(limit as std::ffi::c_int, &limit, new_val)
                    .map_err(Error::from_core)
            }
        }
    };
}
