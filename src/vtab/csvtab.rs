//! The `csv` virtual table over a CSV file (feature `csvtab`), with the arguments and
//! behaviour of rusqlite's port of SQLite's `csv.c`:
//! `CREATE VIRTUAL TABLE t USING csv(filename='x.csv', header=yes, delimiter=';', quote='"',
//! columns=3, schema='CREATE TABLE x(a, b)')`. Columns are TEXT, named from the header row,
//! `c0, c1, …` otherwise. Only full scans; the table is `DIRECTONLY`.
//!
//! ## Backends
//! Local connections only (the file is read by the process that runs the engine):
//! `load_module` on a remote connection returns the local-only `SqliteFailure` (`ApiMisuse`).

use super::{
    escape_double_quote, parameter, parse_boolean, read_only_module, Context, CreateVTab,
    IndexInfo, VTab, VTabConfig, VTabConnection, VTabCursor, VTabKind, Values,
};
use crate::{Connection, Error, Result};
use std::ffi::c_int;
use std::fs::File;
use std::marker::PhantomData;
use std::path::Path;

/// Registers the `csv` module on `conn`.
///
/// # Failure
/// On a remote connection, the local-only `SqliteFailure` (`ApiMisuse`).
pub fn load_module(conn: &Connection) -> Result<()> {
    conn.create_module("csv", read_only_module::<CsvTab>(), None)
}

fn module_error(msg: impl Into<String>) -> Error {
    Error::ModuleError(msg.into())
}

#[repr(C)]
struct CsvTab {
    base: super::sqlite3_vtab,
    filename: String,
    has_headers: bool,
    delimiter: u8,
    quote: u8,
    /// Where the data rows start (after the header, if any).
    first_row: csv::Position,
}

impl CsvTab {
    fn reader(&self) -> Result<csv::Reader<File>, csv::Error> {
        csv::ReaderBuilder::new()
            .has_headers(self.has_headers)
            .delimiter(self.delimiter)
            .quote(self.quote)
            .from_path(&self.filename)
    }
}

/// A one-byte argument (`delimiter`, `quote`).
fn single_byte(value: &str) -> Option<u8> {
    match value.as_bytes() {
        [b] => Some(*b),
        _ => None,
    }
}

/// The column declaration rusqlite generates: `CREATE TABLE x("a" TEXT, "b" TEXT);`.
fn default_schema(columns: &[String]) -> String {
    let list: Vec<String> = columns.iter().map(|c| format!("\"{c}\" TEXT")).collect();
    format!("CREATE TABLE x({});", list.join(", "))
}

unsafe impl<'vtab> VTab<'vtab> for CsvTab {
    type Aux = ();
    type Cursor = CsvCursor<'vtab>;

    fn connect(db: &mut VTabConnection, _: Option<&()>, args: &[&[u8]]) -> Result<(String, Self)> {
        if args.len() < 4 {
            return Err(module_error("no CSV file specified"));
        }
        let mut table = CsvTab {
            base: Default::default(),
            filename: String::new(),
            has_headers: false,
            delimiter: b',',
            quote: b'"',
            first_row: csv::Position::new(),
        };
        let mut schema = None;
        let mut column_count: Option<u16> = None;
        for arg in &args[3..] {
            let (name, value) = parameter(arg)?;
            match name {
                "filename" => {
                    if !Path::new(value).exists() {
                        return Err(module_error(format!("file '{value}' does not exist")));
                    }
                    table.filename = value.to_owned();
                }
                "schema" => schema = Some(value.to_owned()),
                "columns" => match value.parse::<u16>() {
                    Ok(_) if column_count.is_some() => {
                        return Err(module_error("more than one 'columns' parameter"))
                    }
                    Ok(0) => return Err(module_error("must have at least one column")),
                    Ok(n) => column_count = Some(n),
                    Err(_) => {
                        return Err(module_error(format!(
                            "unrecognized argument to 'columns': {value}"
                        )))
                    }
                },
                "header" => {
                    table.has_headers = parse_boolean(value).ok_or_else(|| {
                        module_error(format!("unrecognized argument to 'header': {value}"))
                    })?;
                }
                "delimiter" => {
                    table.delimiter = single_byte(value).ok_or_else(|| {
                        module_error(format!("unrecognized argument to 'delimiter': {value}"))
                    })?;
                }
                "quote" => {
                    let quote = single_byte(value).ok_or_else(|| {
                        module_error(format!("unrecognized argument to 'quote': {value}"))
                    })?;
                    // quote='0' turns quoting off.
                    table.quote = if quote == b'0' { 0 } else { quote };
                }
                _ => return Err(module_error(format!("unrecognized parameter '{name}'"))),
            }
        }
        if table.filename.is_empty() {
            return Err(module_error("no CSV file specified"));
        }
        let mut columns: Vec<String> = Vec::new();
        let declared = column_count.is_some() || schema.is_some();
        if table.has_headers || !declared {
            let mut reader = table.reader()?;
            if table.has_headers {
                let headers = reader.headers()?;
                if !declared {
                    columns = headers
                        .iter()
                        .map(|h| escape_double_quote(h).into_owned())
                        .collect();
                }
                table.first_row = reader.position().clone();
            } else {
                let mut record = csv::ByteRecord::new();
                if reader.read_byte_record(&mut record)? {
                    columns = (0..record.len()).map(|i| format!("c{i}")).collect();
                }
            }
        } else if let Some(n) = column_count {
            columns = (0..n).map(|i| format!("c{i}")).collect();
        }
        let schema = match schema {
            Some(schema) => schema,
            None if columns.is_empty() => return Err(module_error("no column specified")),
            None => default_schema(&columns),
        };
        db.config(VTabConfig::DirectOnly)?;
        Ok((schema, table))
    }

    fn best_index(&self, info: &mut IndexInfo) -> Result<()> {
        // Only full scans.
        info.set_estimated_cost(1_000_000.0);
        Ok(())
    }

    fn open(&'vtab mut self) -> Result<CsvCursor<'vtab>> {
        Ok(CsvCursor {
            base: Default::default(),
            reader: self.reader()?,
            first_row: self.first_row.clone(),
            row_number: 0,
            record: csv::StringRecord::new(),
            eof: false,
            phantom: PhantomData,
        })
    }
}

impl CreateVTab<'_> for CsvTab {
    const KIND: VTabKind = VTabKind::Default;
}

#[repr(C)]
struct CsvCursor<'vtab> {
    base: super::sqlite3_vtab_cursor,
    reader: csv::Reader<File>,
    first_row: csv::Position,
    row_number: usize,
    record: csv::StringRecord,
    eof: bool,
    phantom: PhantomData<&'vtab CsvTab>,
}

unsafe impl VTabCursor for CsvCursor<'_> {
    fn filter(&mut self, _: c_int, _: Option<&str>, _: &Values<'_>) -> Result<()> {
        // A full scan: rewind to the first data row.
        self.reader.seek(self.first_row.clone())?;
        self.row_number = 0;
        self.next()
    }

    fn next(&mut self) -> Result<()> {
        self.eof = self.reader.is_done() || !self.reader.read_record(&mut self.record)?;
        if !self.eof {
            self.row_number += 1;
        }
        Ok(())
    }

    fn eof(&self) -> bool {
        self.eof
    }

    fn column(&self, ctx: &mut Context, col: c_int) -> Result<()> {
        match usize::try_from(col).ok().and_then(|i| self.record.get(i)) {
            Some(field) => ctx.set_result(&field),
            None => Err(module_error(format!("column index out of bounds: {col}"))),
        }
    }

    fn rowid(&self) -> Result<i64> {
        Ok(self.row_number as i64)
    }
}

impl From<csv::Error> for Error {
    /// A CSV read error becomes `Error::ModuleError` with its text, as in rusqlite.
    #[cold]
    fn from(err: csv::Error) -> Error {
        Error::ModuleError(err.to_string())
    }
}
