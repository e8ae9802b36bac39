//! `vtab_adapters!`: how a newer surface's user module runs on the core's module machinery
//! (src/vtab/). Private `#[repr(transparent)]` adapters around the user's table and cursor
//! implement the core's traits by calling the surface's: arguments are re-wrapped in the
//! surface's views, results and errors converted back (`Error::into_callback_error`), so the
//! engine callbacks, panic catching and error reporting exist once. Expanded inside
//! `surface_vtab!`'s `vtab` module, whose names it uses.

macro_rules! vtab_adapters {
    () => {
        /// A user's table as the core's: the same layout (the engine sees the user's
        /// struct), the core's callbacks calling this surface's methods.
        #[repr(transparent)]
        struct TableAdapter<T>(T);

        /// A user's cursor as the core's (see [`TableAdapter`]).
        #[repr(transparent)]
        struct CursorAdapter<C>(C);

        /// The signature of [`VTab::connect`] and [`CreateVTab::create`].
        type Constructor<T, A> = fn(
            &mut VTabConnection,
            Option<&A>,
            &[u8],
            &[u8],
            &[u8],
            &[&[u8]],
        ) -> Result<(Cow<'static, CStr>, T)>;

        /// The core's `connect`/`create` call as this surface's: the engine's leading
        /// module, database and table names apart, the declaration as text.
        fn construct<T, A>(
            make: Constructor<T, A>,
            db: &mut core_vtab::VTabConnection,
            aux: Option<&A>,
            args: &[&[u8]],
        ) -> $crate::Result<(String, TableAdapter<T>)> {
            let [module_name, database_name, table_name, args @ ..] = args else {
                return Err($crate::Error::ModuleError(
                    "the engine passed no module, database and table names".into(),
                ));
            };
            let mut conn = VTabConnection {
                inner: core_vtab::VTabConnection(db.0),
            };
            let names = (module_name, database_name, table_name);
            let (sql, table) = make(&mut conn, aux, names.0, names.1, names.2, args)
                .map_err(Error::into_callback_error)?;
            Ok((sql.to_str()?.to_owned(), TableAdapter(table)))
        }

        // SAFETY: `TableAdapter<T>` is `T` (transparent), which the user vouched for.
        unsafe impl<'vtab, T: VTab<'vtab>> core_vtab::VTab<'vtab> for TableAdapter<T> {
            type Aux = T::Aux;
            type Cursor = CursorAdapter<T::Cursor>;

            fn connect(
                db: &mut core_vtab::VTabConnection,
                aux: Option<&T::Aux>,
                args: &[&[u8]],
            ) -> $crate::Result<(String, Self)> {
                construct(T::connect, db, aux, args)
            }

            fn best_index(&self, info: &mut core_vtab::IndexInfo) -> $crate::Result<()> {
                let mut info = IndexInfo {
                    inner: core_vtab::IndexInfo(info.0),
                };
                match self.0.best_index(&mut info) {
                    Ok(true) => Ok(()),
                    // What rusqlite answers for an unusable plan: the bare code.
                    Ok(false) => Err($crate::error::error_from_sqlite_code(
                        $crate::ffi::SQLITE_CONSTRAINT,
                        None,
                    )),
                    Err(err) => Err(err.into_callback_error()),
                }
            }

            fn open(&'vtab mut self) -> $crate::Result<Self::Cursor> {
                self.0
                    .open()
                    .map(CursorAdapter)
                    .map_err(Error::into_callback_error)
            }
        }

        impl<'vtab, T: CreateVTab<'vtab>> core_vtab::CreateVTab<'vtab> for TableAdapter<T> {
            const KIND: VTabKind = T::KIND;

            fn create(
                db: &mut core_vtab::VTabConnection,
                aux: Option<&T::Aux>,
                args: &[&[u8]],
            ) -> $crate::Result<(String, Self)> {
                construct(T::create, db, aux, args)
            }

            fn destroy(&self) -> $crate::Result<()> {
                self.0.destroy().map_err(Error::into_callback_error)
            }
        }

        impl<'vtab, T: UpdateVTab<'vtab>> core_vtab::UpdateVTab<'vtab> for TableAdapter<T> {
            fn delete(&mut self, arg: $crate::types::ValueRef<'_>) -> $crate::Result<()> {
                self.0
                    .delete(ValueRef::from_core(arg))
                    .map_err(Error::into_callback_error)
            }

            fn insert(&mut self, args: &core_vtab::Values<'_>) -> $crate::Result<i64> {
                let args = Inserts {
                    values: Values { args: args.args },
                };
                self.0.insert(&args).map_err(Error::into_callback_error)
            }

            fn update(&mut self, args: &core_vtab::Values<'_>) -> $crate::Result<()> {
                let args = Updates {
                    values: Values { args: args.args },
                };
                self.0.update(&args).map_err(Error::into_callback_error)
            }
        }

        impl<'vtab, T: TransactionVTab<'vtab>> core_vtab::TransactionVTab<'vtab>
            for TableAdapter<T>
        {
            fn begin(&mut self) -> $crate::Result<()> {
                self.0.begin().map_err(Error::into_callback_error)
            }

            fn sync(&mut self) -> $crate::Result<()> {
                self.0.sync().map_err(Error::into_callback_error)
            }

            fn commit(&mut self) -> $crate::Result<()> {
                self.0.commit().map_err(Error::into_callback_error)
            }

            fn rollback(&mut self) -> $crate::Result<()> {
                self.0.rollback().map_err(Error::into_callback_error)
            }
        }

        // SAFETY: `CursorAdapter<C>` is `C` (transparent), which the user vouched for.
        unsafe impl<C: VTabCursor> core_vtab::VTabCursor for CursorAdapter<C> {
            fn filter(
                &mut self,
                idx_num: c_int,
                idx_str: Option<&str>,
                args: &core_vtab::Values<'_>,
            ) -> $crate::Result<()> {
                let args = Filters {
                    values: Values { args: args.args },
                };
                self.0
                    .filter(idx_num, idx_str, &args)
                    .map_err(Error::into_callback_error)
            }

            fn next(&mut self) -> $crate::Result<()> {
                self.0.next().map_err(Error::into_callback_error)
            }

            fn eof(&self) -> bool {
                self.0.eof()
            }

            fn column(&self, ctx: &mut core_vtab::Context, i: c_int) -> $crate::Result<()> {
                let mut ctx = Context {
                    inner: core_vtab::Context(ctx.0),
                };
                self.0
                    .column(&mut ctx, i)
                    .map_err(Error::into_callback_error)
            }

            fn rowid(&self) -> $crate::Result<i64> {
                self.0.rowid().map_err(Error::into_callback_error)
            }
        }
    };
}
