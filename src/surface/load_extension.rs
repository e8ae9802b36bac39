//! `surface_load_extension!`: extension loading of rusqlite 0.36 and later over the core's
//! (src/load_extension_guard.rs): the entry point is an `Option<N: Name>` and errors are the
//! surface's. Local connections only, as on the 0.34 surface.

macro_rules! surface_load_extension {
    () => {
        /// Enables extension loading while it lives, then disables it again.
        pub struct LoadExtensionGuard<'conn> {
            // Held for its `Drop`, which disables loading.
            _inner: $crate::LoadExtensionGuard<'conn>,
        }

        impl LoadExtensionGuard<'_> {
            /// Enables extension loading on `conn` until the guard drops.
            ///
            /// # Safety
            /// As in rusqlite: a loaded extension runs arbitrary code in this process.
            pub unsafe fn new(conn: &Connection) -> Result<LoadExtensionGuard<'_>> {
                $crate::LoadExtensionGuard::new(conn.as_core())
                    .map(|_inner| LoadExtensionGuard { _inner })
                    .map_err(Error::from_core)
            }
        }

        impl Connection {
            /// Enables loading extensions (local connections).
            ///
            /// # Safety
            /// As in rusqlite: a loaded extension runs arbitrary code in this process.
            pub unsafe fn load_extension_enable(&self) -> Result<()> {
                self.inner.load_extension_enable().map_err(Error::from_core)
            }

            /// Disables loading extensions (always safe).
            pub fn load_extension_disable(&self) -> Result<()> {
                self.inner
                    .load_extension_disable()
                    .map_err(Error::from_core)
            }

            /// Loads the extension at `dylib_path`, calling `entry_point` (or SQLite's
            /// default) in it; loading must be enabled (local connections).
            ///
            /// # Safety
            /// As in rusqlite: a loaded extension runs arbitrary code in this process.
            pub unsafe fn load_extension<P: AsRef<std::path::Path>, N: Name>(
                &self,
                dylib_path: P,
                entry_point: Option<N>,
            ) -> Result<()> {
                let entry = entry_point.as_ref().map(Name::as_cstr).transpose()?;
                let entry = entry.as_deref().map(std::ffi::CStr::to_str).transpose()?;
                self.inner
                    .load_extension(dylib_path, entry)
                    .map_err(Error::from_core)
            }
        }
    };
}
