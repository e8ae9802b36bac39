//! `surface_session!`: the `session` module of rusqlite 0.36 and later over the core's
//! (src/session.rs): databases and tables are `Name`s and errors are the surface's. The
//! conflict handler gets its `ChangesetItem` by value in 0.40 and by reference from 0.41 on
//! (`conflict_item: [&]`); the per-version `diff` and `ChangesetIter::start_strm` signatures
//! arrive as `session_extra` over `diff_names`/`start_core_strm` written here. `Operation`,
//! `ConflictType` and `ConflictAction` are the core's.

macro_rules! surface_session {
    (
        conflict_item: [$($item_ref:tt)?],
        session_extra { $($session_extra:tt)* }
    ) => {
        /// The session extension: record changes as a changeset and apply it elsewhere
        /// (local connections; the local-only `SqliteFailure` on a remote one).
        #[cfg(feature = "session")]
        pub mod session {
            use super::types::ValueRef;
            use super::{Connection, Error, Name, Result};
            use std::io::{Read, Write};

            pub use $crate::session::{ConflictAction, ConflictType, Operation};

            /// A session: records the changes to the attached tables of one database.
            pub struct Session<'conn> {
                inner: $crate::session::Session<'conn>,
            }

            impl Session<'_> {
                /// A session on the `main` database.
                pub fn new(db: &Connection) -> Result<Session<'_>> {
                    Session::new_with_name(db, super::MAIN_DB)
                }

                /// A session on the database `name`.
                pub fn new_with_name<N: Name>(db: &Connection, name: N) -> Result<Session<'_>> {
                    let name = name.as_cstr()?;
                    $crate::session::Session::new_with_name(&db.inner, $crate::DatabaseName::C(&name))
                        .map(|inner| Session { inner })
                        .map_err(Error::from_core)
                }

                /// Restricts recording to the tables for which `filter` returns true
                /// (`None`: all).
                pub fn table_filter<F>(&mut self, filter: Option<F>)
                where
                    F: Fn(&str) -> bool + Send + 'static,
                {
                    self.inner.table_filter(filter)
                }

                /// Starts recording changes to `table` (`None`: every table).
                pub fn attach<N: Name>(&mut self, table: Option<N>) -> Result<()> {
                    let table = table.as_ref().map(Name::as_cstr).transpose()?;
                    self.inner.attach_cstr(table.as_deref()).map_err(Error::from_core)
                }

                /// The changes recorded so far, as a changeset.
                pub fn changeset(&mut self) -> Result<Changeset> {
                    self.inner.changeset().map(Changeset::from_core).map_err(Error::from_core)
                }

                /// Writes the changeset to `output`.
                pub fn changeset_strm(&mut self, output: &mut dyn Write) -> Result<()> {
                    self.inner.changeset_strm(output).map_err(Error::from_core)
                }

                /// The changes recorded so far, as a patchset (no original values).
                pub fn patchset(&mut self) -> Result<Changeset> {
                    self.inner.patchset().map(Changeset::from_core).map_err(Error::from_core)
                }

                /// Writes the patchset to `output`.
                pub fn patchset_strm(&mut self, output: &mut dyn Write) -> Result<()> {
                    self.inner.patchset_strm(output).map_err(Error::from_core)
                }

                /// The difference behind this surface's `diff`.
                fn diff_names(&mut self, from: impl Name, table: impl Name) -> Result<()> {
                    let (from, table) = (from.as_cstr()?, table.as_cstr()?);
                    self.inner.diff_cstr(&from, &table).map_err(Error::from_core)
                }

                /// Whether no change has been recorded.
                #[must_use]
                pub fn is_empty(&self) -> bool {
                    self.inner.is_empty()
                }

                /// Whether the session records changes.
                #[must_use]
                pub fn is_enabled(&self) -> bool {
                    self.inner.is_enabled()
                }

                /// Turns recording on or off.
                pub fn set_enabled(&mut self, enabled: bool) {
                    self.inner.set_enabled(enabled)
                }

                /// Whether changes are recorded as indirect.
                #[must_use]
                pub fn is_indirect(&self) -> bool {
                    self.inner.is_indirect()
                }

                /// Marks the changes recorded from now on as indirect (or not).
                pub fn set_indirect(&mut self, indirect: bool) {
                    self.inner.set_indirect(indirect)
                }
            }

            /// Inverts a streamed changeset: inserts become deletes and the reverse.
            pub fn invert_strm(input: &mut dyn Read, output: &mut dyn Write) -> Result<()> {
                $crate::session::invert_strm(input, output).map_err(Error::from_core)
            }

            /// Concatenates two streamed changesets into `output`.
            pub fn concat_strm(
                input_a: &mut dyn Read,
                input_b: &mut dyn Read,
                output: &mut dyn Write,
            ) -> Result<()> {
                $crate::session::concat_strm(input_a, input_b, output).map_err(Error::from_core)
            }

            /// A changeset (or patchset) in memory from the engine.
            pub struct Changeset {
                inner: $crate::session::Changeset,
            }

            impl Changeset {
                fn from_core(inner: $crate::session::Changeset) -> Changeset {
                    Changeset { inner }
                }

                /// The inverse changeset.
                pub fn invert(&self) -> Result<Changeset> {
                    self.inner.invert().map(Changeset::from_core).map_err(Error::from_core)
                }

                /// Iterates over the changes.
                pub fn iter(&self) -> Result<ChangesetIter<'_>> {
                    self.inner.iter().map(|inner| ChangesetIter { inner }).map_err(Error::from_core)
                }

                /// `a` followed by `b`, as one changeset.
                pub fn concat(a: &Changeset, b: &Changeset) -> Result<Changeset> {
                    $crate::session::Changeset::concat(&a.inner, &b.inner)
                        .map(Changeset::from_core)
                        .map_err(Error::from_core)
                }
            }

            /// A cursor over the changes of a changeset, as a `FallibleStreamingIterator`.
            pub struct ChangesetIter<'changeset> {
                inner: $crate::session::ChangesetIter<'changeset>,
            }

            impl ChangesetIter<'_> {
                /// The iterator behind this surface's `start_strm`.
                fn start_core_strm<'input>(
                    input: &&'input mut dyn Read,
                ) -> Result<ChangesetIter<'input>> {
                    $crate::session::ChangesetIter::start_strm(input)
                        .map(|inner| ChangesetIter { inner })
                        .map_err(Error::from_core)
                }
            }

            impl $crate::fallible_streaming_iterator::FallibleStreamingIterator
                for ChangesetIter<'_>
            {
                type Error = Error;
                type Item = ChangesetItem;

                fn advance(&mut self) -> Result<()> {
                    self.inner.advance().map_err(Error::from_core)
                }

                fn get(&self) -> Option<&ChangesetItem> {
                    self.inner.get().map(ChangesetItem::from_core_ref)
                }
            }

            /// The current change of a [`ChangesetIter`] (or of a conflict).
            #[repr(transparent)]
            pub struct ChangesetItem {
                inner: $crate::session::ChangesetItem,
            }

            impl ChangesetItem {
                fn from_core_ref(inner: &$crate::session::ChangesetItem) -> &ChangesetItem {
                    // SAFETY: `ChangesetItem` is `#[repr(transparent)]` over the core item.
                    unsafe {
                        &*(inner as *const $crate::session::ChangesetItem as *const ChangesetItem)
                    }
                }

                /// The conflicting row's value of column `col` (in a conflict handler).
                pub fn conflict(&self, col: usize) -> Result<ValueRef<'_>> {
                    self.inner.conflict(col).map(ValueRef::from_core).map_err(Error::from_core)
                }

                /// The number of foreign key violations (in a foreign key conflict).
                pub fn fk_conflicts(&self) -> Result<i32> {
                    self.inner.fk_conflicts().map_err(Error::from_core)
                }

                /// The new value of column `col` (inserts and updates).
                pub fn new_value(&self, col: usize) -> Result<ValueRef<'_>> {
                    self.inner.new_value(col).map(ValueRef::from_core).map_err(Error::from_core)
                }

                /// The old value of column `col` (deletes and updates).
                pub fn old_value(&self, col: usize) -> Result<ValueRef<'_>> {
                    self.inner.old_value(col).map(ValueRef::from_core).map_err(Error::from_core)
                }

                /// The change's table, kind and flags.
                pub fn op(&self) -> Result<Operation<'_>> {
                    self.inner.op().map_err(Error::from_core)
                }

                /// One byte per column: 1 for primary key columns.
                pub fn pk(&self) -> Result<&[u8]> {
                    self.inner.pk().map_err(Error::from_core)
                }
            }

            /// Combines changesets into one.
            pub struct Changegroup {
                inner: $crate::session::Changegroup,
            }

            impl Changegroup {
                /// An empty group.
                pub fn new() -> Result<Self> {
                    $crate::session::Changegroup::new()
                        .map(|inner| Changegroup { inner })
                        .map_err(Error::from_core)
                }

                /// Adds a changeset.
                pub fn add(&mut self, cs: &Changeset) -> Result<()> {
                    self.inner.add(&cs.inner).map_err(Error::from_core)
                }

                /// Adds a streamed changeset.
                pub fn add_stream(&mut self, input: &mut dyn Read) -> Result<()> {
                    self.inner.add_stream(input).map_err(Error::from_core)
                }

                /// The combined changeset.
                pub fn output(&mut self) -> Result<Changeset> {
                    self.inner.output().map(Changeset::from_core).map_err(Error::from_core)
                }

                /// Writes the combined changeset to `output`.
                pub fn output_strm(&mut self, output: &mut dyn Write) -> Result<()> {
                    self.inner.output_strm(output).map_err(Error::from_core)
                }
            }

            $($session_extra)*

            impl Connection {
                /// Applies a changeset to this database. `filter` picks the tables (`None`:
                /// all); `conflict` decides each conflict.
                pub fn apply<F, C>(&self, cs: &Changeset, filter: Option<F>, conflict: C) -> Result<()>
                where
                    F: Fn(&str) -> bool + Send + 'static,
                    C: Fn(ConflictType, $($item_ref)? ChangesetItem) -> ConflictAction + Send + 'static,
                {
                    self.inner
                        .apply(&cs.inner, filter, move |t, inner| conflict(t, $($item_ref)? ChangesetItem { inner }))
                        .map_err(Error::from_core)
                }

                /// Applies a streamed changeset, like [`Connection::apply`].
                pub fn apply_strm<F, C>(
                    &self,
                    input: &mut dyn Read,
                    filter: Option<F>,
                    conflict: C,
                ) -> Result<()>
                where
                    F: Fn(&str) -> bool + Send + 'static,
                    C: Fn(ConflictType, $($item_ref)? ChangesetItem) -> ConflictAction + Send + 'static,
                {
                    self.inner
                        .apply_strm(input, filter, move |t, inner| conflict(t, $($item_ref)? ChangesetItem { inner }))
                        .map_err(Error::from_core)
                }
            }
        }
    };
}
