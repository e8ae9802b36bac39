//! `surface_column!`: rusqlite 0.35+'s table and column metadata, `sqlite3_table_column_metadata`
//! and the origin of result columns, over the core's backend call: the local engine, the shadow
//! of a remote server's schema, or a copy of a replica's schema (see `backend::Conn`). What
//! differs per version (0.43 returns owned `CString`s and iterators) arrives as a parameter.

macro_rules! surface_column {
    (per_version { $($per_version:tt)* }) => {
        /// Where a result column comes from (feature `column_metadata`): the database, table
        /// and column names, each `None` for an expression.
        #[cfg(feature = "column_metadata")]
        #[derive(Debug)]
        pub struct ColumnMetadata<'stmt> {
            name: &'stmt str,
            database_name: Option<&'stmt str>,
            table_name: Option<&'stmt str>,
            origin_name: Option<&'stmt str>,
        }

        #[cfg(feature = "column_metadata")]
        impl ColumnMetadata<'_> {
            /// The column's name in the query results.
            #[must_use]
            pub fn name(&self) -> &str {
                self.name
            }

            /// The database the column comes from.
            #[must_use]
            pub fn database_name(&self) -> Option<&str> {
                self.database_name
            }

            /// The table the column comes from.
            #[must_use]
            pub fn table_name(&self) -> Option<&str> {
                self.table_name
            }

            /// The column's name in the table it comes from.
            #[must_use]
            pub fn origin_name(&self) -> Option<&str> {
                self.origin_name
            }
        }

        #[cfg(feature = "column_metadata")]
        impl Statement<'_> {
            /// The origin of result column `col` (names that are not UTF-8 read as `None`).
            fn metadata_of(&self, col: usize) -> ColumnMetadata<'_> {
                let origin = self.inner.column_origin(col);
                fn text(name: Option<&std::ffi::CStr>) -> Option<&str> {
                    name.and_then(|n| n.to_str().ok())
                }
                ColumnMetadata {
                    name: self.inner.column_name_or_empty(col),
                    database_name: text(origin.database),
                    table_name: text(origin.table),
                    origin_name: text(origin.column),
                }
            }

            /// The origin of result column `col` and its table column's metadata, with the
            /// declared type and collation as `name` makes them; `None` for an expression or
            /// an index out of range.
            #[allow(clippy::type_complexity)]
            fn origin_and_metadata<T>(
                &self,
                col: usize,
                name: impl Fn(Option<std::ffi::CString>) -> T,
            ) -> Result<
                Option<(
                    &std::ffi::CStr,
                    &std::ffi::CStr,
                    &std::ffi::CStr,
                    T,
                    T,
                    bool,
                    bool,
                    bool,
                )>,
            > {
                let origin = self.inner.column_origin(col);
                let (Some(db), Some(table), Some(column)) =
                    (origin.database, origin.table, origin.column)
                else {
                    return Ok(None);
                };
                let found = self
                    .inner
                    .conn
                    .table_column_metadata($crate::column::ColumnRef {
                        db: Some(db),
                        table,
                        column: Some(column),
                    })
                    .map_err(Error::from_core)?;
                Ok(Some((
                    db,
                    table,
                    column,
                    name(found.decl_type),
                    name(found.collation),
                    found.not_null,
                    found.primary_key,
                    found.autoincrement,
                )))
            }
        }

        impl Connection {
            /// Whether `table_name` exists in `db_name` (`None`: in any database).
            pub fn table_exists<N: Name>(&self, db_name: Option<N>, table_name: N) -> Result<bool> {
                self.exists(db_name, table_name, None)
            }

            /// Whether `table_name` has a column `column_name` in `db_name` (`None`: in any
            /// database).
            pub fn column_exists<N: Name>(
                &self,
                db_name: Option<N>,
                table_name: N,
                column_name: N,
            ) -> Result<bool> {
                self.exists(db_name, table_name, Some(column_name))
            }

            /// As rusqlite: `SQLITE_ERROR` (no such table or column) is `false`, any other
            /// failure an error.
            fn exists<N: Name>(
                &self,
                db_name: Option<N>,
                table_name: N,
                column_name: Option<N>,
            ) -> Result<bool> {
                match self.table_column(db_name, table_name, column_name) {
                    Ok(_) => Ok(true),
                    Err(Error::SqliteFailure(e, _))
                        if e.extended_code == $crate::ffi::SQLITE_ERROR =>
                    {
                        Ok(false)
                    }
                    Err(e) => Err(e),
                }
            }

            /// `column_metadata`'s tuple, the declared type and collation as `name` makes them.
            fn column_metadata_as<N: Name, T>(
                &self,
                (db_name, table_name, column_name): (Option<N>, N, N),
                name: impl Fn(Option<std::ffi::CString>) -> T,
            ) -> Result<(T, T, bool, bool, bool)> {
                let found = self.table_column(db_name, table_name, Some(column_name))?;
                Ok((
                    name(found.decl_type),
                    name(found.collation),
                    found.not_null,
                    found.primary_key,
                    found.autoincrement,
                ))
            }

            /// `sqlite3_table_column_metadata` with rusqlite's `Name` arguments.
            fn table_column<N: Name>(
                &self,
                db_name: Option<N>,
                table_name: N,
                column_name: Option<N>,
            ) -> Result<$crate::column::TableColumn> {
                let db = db_name.as_ref().map(Name::as_cstr).transpose()?;
                let table = table_name.as_cstr()?;
                let column = column_name.as_ref().map(Name::as_cstr).transpose()?;
                self.inner
                    .table_column_metadata($crate::column::ColumnRef {
                        db: db.as_deref(),
                        table: &table,
                        column: column.as_deref(),
                    })
                    .map_err(Error::from_core)
            }
        }

        $($per_version)*
    };
}
