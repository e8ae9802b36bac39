//! `surface_backup!`: the `backup` module of rusqlite 0.36 and later over the core's
//! (src/backup.rs): database names are `Name`s. `Progress` and `StepResult` are the core's.
//! The per-version `Connection::backup` signature (a `fn` progress callback in 0.40, any
//! `Fn(Progress)` from 0.41) sits in the version module over `backup_to` written here; module
//! additions (0.41's `NO_PROGRESS`) arrive as `backup_extra`.

macro_rules! surface_backup {
    (backup_extra { $($backup_extra:tt)* }) => {
        /// The online backup API: copy a database, page by page, into another connection's
        /// database (local connections).
        pub mod backup {
            use super::{Connection, Error, Name, Result};
            use std::ffi::c_int;
            use std::time::Duration;

            pub use $crate::backup::{Progress, StepResult};
            $($backup_extra)*

            /// A running backup from one connection's database into another's.
            pub struct Backup<'a, 'b> {
                inner: $crate::backup::Backup<'a, 'b>,
            }

            impl Backup<'_, '_> {
                /// A backup of `from`'s main database into `to`'s main database.
                pub fn new<'a, 'b>(
                    from: &'a Connection,
                    to: &'b mut Connection,
                ) -> Result<Backup<'a, 'b>> {
                    Backup::new_with_names(from, super::MAIN_DB, to, super::MAIN_DB)
                }

                /// A backup of `from`'s `from_name` database into `to`'s `to_name` database.
                pub fn new_with_names<'a, 'b, F: Name, T: Name>(
                    from: &'a Connection,
                    from_name: F,
                    to: &'b mut Connection,
                    to_name: T,
                ) -> Result<Backup<'a, 'b>> {
                    let (from_name, to_name) = (from_name.as_cstr()?, to_name.as_cstr()?);
                    $crate::backup::Backup::new_with_names(
                        &from.inner,
                        $crate::DatabaseName::C(&from_name),
                        &mut to.inner,
                        $crate::DatabaseName::C(&to_name),
                    )
                    .map(|inner| Backup { inner })
                    .map_err(Error::from_core)
                }

                /// The progress as of the last [`Backup::step`].
                pub fn progress(&self) -> Progress {
                    self.inner.progress()
                }

                /// Copies up to `num_pages` pages (negative: all).
                pub fn step(&self, num_pages: c_int) -> Result<StepResult> {
                    self.inner.step(num_pages).map_err(Error::from_core)
                }

                /// Steps until done, `pages_per_step` at a time, sleeping between steps.
                pub fn run_to_completion(
                    &self,
                    pages_per_step: c_int,
                    pause_between_pages: Duration,
                    progress: Option<fn(Progress)>,
                ) -> Result<()> {
                    self.inner
                        .run_to_completion(pages_per_step, pause_between_pages, progress)
                        .map_err(Error::from_core)
                }
            }
        }

        impl Connection {
            /// The backup behind this surface's `backup`.
            fn backup_to<N: Name, P: AsRef<std::path::Path>, F: Fn(backup::Progress)>(
                &self,
                name: N,
                dst_path: P,
                progress: Option<F>,
            ) -> Result<()> {
                let name = name.as_cstr()?;
                self.inner
                    .backup_with($crate::DatabaseName::C(&name), dst_path, progress)
                    .map_err(Error::from_core)
            }

            /// Restores the file `src_path` into the `name` database (local connections).
            pub fn restore<N: Name, P: AsRef<std::path::Path>, F: Fn(backup::Progress)>(
                &mut self,
                name: N,
                src_path: P,
                progress: Option<F>,
            ) -> Result<()> {
                let name = name.as_cstr()?;
                self.inner
                    .restore($crate::DatabaseName::C(&name), src_path, progress)
                    .map_err(Error::from_core)
            }
        }
    };
}
