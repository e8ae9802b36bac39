//! `dbcompat copy SRC DST`.
//!
//! Order of work, each step in its own transaction(s) on the destination:
//! 1. validation, nothing written: SRC opens and its schema can be copied (a contentless FTS
//!    table cannot), DST opens and is empty;
//! 2. every table, ordinary and virtual, is created — one transaction;
//! 3. the rows, table by table — one transaction per table, written in multi-row INSERT
//!    batches; rowids and AUTOINCREMENT counters are kept. FTS tables that hold their own text
//!    get their rows re-inserted, which rebuilds their index (shadow tables are never copied);
//! 4. indexes, views and triggers — one transaction (triggers last, so none fired during 3);
//! 5. external-content FTS indexes are rebuilt from their content tables ('rebuild');
//! 6. verification: row counts and content checksums of every table on both sides, the
//!    schema objects, and FTS integrity checks, printed as a table on stdout.
//!
//! A failure rolls back the step's transaction, and the one line on stderr says what the
//! destination then holds (nothing, or which tables are complete).
//!
//! A local source is read inside one read transaction, so the copy and the verification see
//! one snapshot even if another process writes to it meanwhile.

use crate::checksum::{RowHasher, Sum};
use crate::endpoint::{self, Target};
use crate::progress::Progress;
use crate::schema::{self, quote, Object, Schema, Table, TableKind};
use crate::{Failure, Res, Token};
use dbcompat::types::{ToSql, ToSqlOutput, ValueRef};
use dbcompat::{params_from_iter, Connection, OptionalExtension, Row};
use std::process::ExitCode;
use std::time::Instant;

pub struct Settings {
    /// Rows read per page from the source (and the progress granularity).
    pub batch_rows: usize,
    pub quiet: bool,
}

/// Bound parameters per INSERT: SQLite's historical limit, which every server accepts.
const MAX_PARAMS: usize = 999;
/// Rows per INSERT statement.
const MAX_ROWS_PER_INSERT: usize = 100;

/// A value as read from the source, bound unchanged on the destination (text keeps its exact
/// bytes).
enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

impl Cell {
    fn read(row: &Row<'_>, i: usize) -> dbcompat::Result<Cell> {
        Ok(match row.get_ref(i)? {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(v) => Cell::Int(v),
            ValueRef::Real(v) => Cell::Real(v),
            ValueRef::Text(t) => Cell::Text(t.to_vec()),
            ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
        })
    }
}

impl ToSql for Cell {
    fn to_sql(&self) -> dbcompat::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Cell::Null => ValueRef::Null,
            Cell::Int(v) => ValueRef::Integer(*v),
            Cell::Real(v) => ValueRef::Real(*v),
            Cell::Text(t) => ValueRef::Text(t),
            Cell::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// What the destination holds so far, for the report of a failure.
#[derive(Default)]
struct Done {
    schema_created: bool,
    tables_with_rows: Vec<String>,
    later_created: bool,
    fts_rebuilt: Vec<String>,
}

struct Ends<'a> {
    src: &'a Connection,
    src_t: &'a Target,
    dst: &'a Connection,
    dst_t: &'a Target,
}

impl Ends<'_> {
    fn src_err(&self, e: dbcompat::Error) -> String {
        endpoint::describe(self.src_t, "reading source", &e)
    }

    fn dst_err(&self, e: dbcompat::Error) -> String {
        endpoint::describe(self.dst_t, "writing destination", &e)
    }
}

pub fn run(src_arg: &str, dst_arg: &str, token: &Token, settings: &Settings) -> Res<ExitCode> {
    let started = Instant::now();
    let src_t = Target::parse(src_arg)?;
    let dst_t = Target::parse(dst_arg)?;
    refuse_same(&src_t, &dst_t)?;

    // 1. Validation: nothing is written before both ends pass.
    let src = endpoint::open_source(&src_t, token)?;
    let snapshot = !src_t.is_remote();
    if snapshot {
        src.execute_batch("BEGIN")
            .map_err(|e| Failure::new(endpoint::describe(&src_t, "cannot read source", &e)))?;
    }
    let schema = schema::read(&src)
        .map_err(|e| Failure::new(format!("cannot copy {}: {e}", src_t.display())))?;
    let mut totals = Vec::with_capacity(schema.tables.len());
    for t in &schema.tables {
        let n = if t.copies_rows() {
            src.query_row(
                &format!("SELECT count(*) FROM {}", quote(&t.name)),
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(|e| Failure::new(endpoint::describe(&src_t, "cannot read source", &e)))?
        } else {
            0
        };
        totals.push(n.max(0) as u64);
    }
    let dst = endpoint::open_destination(&dst_t, token)?;
    let existing = schema::user_object_count(&dst)
        .map_err(|e| Failure::new(endpoint::describe(&dst_t, "cannot read destination", &e)))?;
    if existing > 0 {
        return Err(Failure::new(format!(
            "destination {} is not empty ({existing} schema objects); copy writes only into an empty database",
            dst_t.display()
        )));
    }

    let ends = Ends {
        src: &src,
        src_t: &src_t,
        dst: &dst,
        dst_t: &dst_t,
    };
    let total_rows: u64 = totals.iter().sum();
    let mut progress = Progress::new(!settings.quiet, total_rows);
    progress.step(&format!(
        "copying {} -> {}: {} to copy, {}",
        src_t.display(),
        dst_t.display(),
        counted(total_rows as usize, "row"),
        objects(&schema)
    ));

    let mut done = Done::default();
    let result = copy_all(&ends, &schema, &totals, settings, &mut progress, &mut done);
    progress.clear();
    if let Err(message) = result {
        return Err(Failure::new(format!(
            "{message}; {}",
            describe_state(&schema, &done)
        )));
    }

    progress.step("verifying: row counts and checksums on both sides");
    let report = verify(&ends, &schema, settings.batch_rows)?;
    if snapshot {
        let _ = src.execute_batch("COMMIT");
    }
    print!("{}", report.render());
    let rows: u64 = report
        .lines
        .iter()
        .filter(|l| l.copied)
        .map(|l| l.dst.rows)
        .sum();
    if report.all_ok() {
        println!(
            "copy OK: {}, {} in {:.1} s",
            counted(rows as usize, "row"),
            objects(&schema),
            started.elapsed().as_secs_f64()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        let bad: Vec<&str> = report
            .lines
            .iter()
            .filter(|l| !l.ok())
            .map(|l| l.name.as_str())
            .chain(report.schema_problems.iter().map(String::as_str))
            .collect();
        println!("copy FAILED verification");
        Err(Failure {
            message: format!(
                "verification failed: the destination differs from the source in {}",
                bad.join(", ")
            ),
            code: 3,
        })
    }
}

/// "1 table", "2 tables", "3 indexes".
fn counted(n: usize, noun: &str) -> String {
    match (n, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "index") => format!("{n} indexes"),
        _ => format!("{n} {noun}s"),
    }
}

fn objects(schema: &Schema) -> String {
    format!(
        "{}, {}, {}, {}",
        counted(schema.tables.len(), "table"),
        counted(schema.count_of("index"), "index"),
        counted(schema.count_of("view"), "view"),
        counted(schema.count_of("trigger"), "trigger")
    )
}

fn refuse_same(src: &Target, dst: &Target) -> Res<()> {
    let same = match (src, dst) {
        (Target::Local(a), Target::Local(b)) => match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        },
        (Target::Remote(_), Target::Remote(_)) => src.display() == dst.display(),
        _ => false,
    };
    if same {
        return Err(Failure::new(format!(
            "SRC and DST are the same database ({})",
            src.display()
        )));
    }
    Ok(())
}

fn copy_all(
    ends: &Ends<'_>,
    schema: &Schema,
    totals: &[u64],
    settings: &Settings,
    progress: &mut Progress,
    done: &mut Done,
) -> Result<(), String> {
    // 2. Tables.
    progress.step(&format!(
        "creating {}",
        counted(schema.tables.len(), "table")
    ));
    transaction(ends.dst, |dst| {
        for t in &schema.tables {
            dst.execute_batch(&t.sql)
                .map_err(|e| format!("creating table {}: {}", quote(&t.name), ends.dst_err(e)))?;
        }
        Ok(())
    })
    .map_err(|e| format!("creating the tables failed ({}): {}", e.rollback, e.error))?;
    done.schema_created = true;

    // 3. Rows. Foreign keys are not enforced while rows arrive on a local destination (the
    // source's rows are copied as they are); a server keeps its own setting between
    // statements, so there parents are copied before children and each table's own
    // references are checked at its COMMIT.
    if !ends.dst_t.is_remote() {
        ends.dst
            .pragma_update(None, "foreign_keys", false)
            .map_err(|e| ends.dst_err(e))?;
    }
    for i in parents_first(ends.src, &schema.tables) {
        let (t, total) = (&schema.tables[i], totals[i]);
        if !t.copies_rows() {
            continue;
        }
        let mut copied = 0u64;
        transaction(ends.dst, |dst| {
            // Ignored where a server refuses the pragma: the parents are already there.
            let _ = dst.execute_batch("PRAGMA defer_foreign_keys = ON");
            copy_rows(
                ends,
                dst,
                t,
                total,
                settings.batch_rows,
                progress,
                &mut copied,
            )?;
            if schema.has_sequence && t.kind == TableKind::Ordinary {
                copy_sequence(ends, dst, &t.name)?;
            }
            Ok(())
        })
        .map_err(|e| {
            format!(
                "copying the rows of table {} failed after {copied} of its {total} rows ({}): {}",
                quote(&t.name),
                e.rollback,
                e.error
            )
        })?;
        done.tables_with_rows.push(t.name.clone());
    }

    // 4. Indexes, views, triggers.
    if !schema.later.is_empty() {
        progress.step(&format!(
            "creating {}, {}, {}",
            counted(schema.count_of("index"), "index"),
            counted(schema.count_of("view"), "view"),
            counted(schema.count_of("trigger"), "trigger")
        ));
        let ordered: Vec<&Object> = ["index", "view", "trigger"]
            .iter()
            .flat_map(|k| schema.later.iter().filter(move |o| o.kind == *k))
            .collect();
        transaction(ends.dst, |dst| {
            for o in &ordered {
                dst.execute_batch(&o.sql).map_err(|e| {
                    format!(
                        "creating {} {}: {}",
                        o.kind,
                        quote(&o.name),
                        ends.dst_err(e)
                    )
                })?;
            }
            Ok(())
        })
        .map_err(|e| {
            format!(
                "creating the indexes, views and triggers failed ({}): {}",
                e.rollback, e.error
            )
        })?;
    }
    done.later_created = true;

    // 5. External-content FTS indexes.
    for t in schema.tables.iter().filter(|t| !t.copies_rows()) {
        progress.step(&format!("rebuilding the FTS index {}", quote(&t.name)));
        let q = quote(&t.name);
        transaction(ends.dst, |dst| {
            dst.execute(&format!("INSERT INTO {q}({q}) VALUES ('rebuild')"), [])
                .map(drop)
                .map_err(|e| ends.dst_err(e))
        })
        .map_err(|e| {
            format!(
                "rebuilding the FTS index {q} failed ({}): {}",
                e.rollback, e.error
            )
        })?;
        done.fts_rebuilt.push(t.name.clone());
    }
    Ok(())
}

/// Table indexes in creation order, except that a table referenced by a foreign key comes
/// before the tables referencing it (cycles keep creation order).
fn parents_first(src: &Connection, tables: &[Table]) -> Vec<usize> {
    let parents: Vec<Vec<usize>> = tables
        .iter()
        .map(|t| {
            if t.kind != TableKind::Ordinary {
                return Vec::new();
            }
            let names: Vec<String> = src
                .prepare("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)")
                .and_then(|mut s| {
                    s.query_map([&t.name], |r| r.get(0))?
                        .collect::<dbcompat::Result<Vec<String>>>()
                })
                .unwrap_or_default();
            names
                .iter()
                .filter_map(|n| {
                    tables
                        .iter()
                        .position(|p| p.name.eq_ignore_ascii_case(n) && p.name != t.name)
                })
                .collect()
        })
        .collect();
    fn visit(i: usize, parents: &[Vec<usize>], state: &mut [u8], out: &mut Vec<usize>) {
        if state[i] != 0 {
            return; // done, or on the current path (a cycle)
        }
        state[i] = 1;
        for &p in &parents[i] {
            visit(p, parents, state, out);
        }
        state[i] = 2;
        out.push(i);
    }
    let mut state = vec![0u8; tables.len()];
    let mut out = Vec::with_capacity(tables.len());
    for i in 0..tables.len() {
        visit(i, &parents, &mut state, &mut out);
    }
    out
}

/// The state of the destination after a failure, for the one-line report.
fn describe_state(schema: &Schema, done: &Done) -> String {
    if !done.schema_created {
        return "nothing was written to the destination".to_owned();
    }
    let copyable: Vec<&Table> = schema.tables.iter().filter(|t| t.copies_rows()).collect();
    let missing: Vec<String> = copyable
        .iter()
        .filter(|t| !done.tables_with_rows.contains(&t.name))
        .map(|t| t.name.clone())
        .collect();
    let mut parts = vec![format!(
        "the destination is PARTIAL: all {} tables were created",
        schema.tables.len()
    )];
    if missing.is_empty() {
        parts.push("all rows were copied".to_owned());
    } else {
        parts.push(format!(
            "rows of {}/{} tables are complete ({})",
            done.tables_with_rows.len(),
            copyable.len(),
            list(&done.tables_with_rows)
        ));
        parts.push(format!("tables without their rows: {}", list(&missing)));
    }
    if !done.later_created && !schema.later.is_empty() {
        parts.push("no index, view or trigger was created".to_owned());
    }
    let pending_fts: Vec<String> = schema
        .tables
        .iter()
        .filter(|t| !t.copies_rows() && !done.fts_rebuilt.contains(&t.name))
        .map(|t| t.name.clone())
        .collect();
    if !pending_fts.is_empty() {
        parts.push(format!("FTS indexes not rebuilt: {}", list(&pending_fts)));
    }
    parts.push("drop them or use a new empty database before copying again".to_owned());
    parts.join("; ")
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

struct TxError {
    error: String,
    rollback: String,
}

/// Runs `f` in a transaction on `conn`: committed if it succeeds, rolled back otherwise.
fn transaction<T>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<T, String>,
) -> Result<T, TxError> {
    let tx = conn.unchecked_transaction().map_err(|e| TxError {
        error: e.to_string(),
        rollback: "no transaction was started".to_owned(),
    })?;
    match f(&tx) {
        Ok(v) => match tx.commit() {
            Ok(()) => Ok(v),
            Err(e) => Err(TxError {
                error: format!("COMMIT failed: {e}"),
                rollback: "not committed".to_owned(),
            }),
        },
        Err(error) => {
            let rollback = match tx.rollback() {
                Ok(()) => "rolled back".to_owned(),
                Err(e) => format!("rollback not confirmed: {e}"),
            };
            Err(TxError { error, rollback })
        }
    }
}

/// Calls `each` with every row of `table` from `conn`: the rowid first when the table has one
/// (read in rowid order, `page` rows per query), then `cols`.
fn scan(
    conn: &Connection,
    table: &Table,
    cols: &[String],
    page: usize,
    src_err: &dyn Fn(dbcompat::Error) -> String,
    each: &mut dyn FnMut(&Row<'_>) -> Result<(), String>,
) -> Result<(), String> {
    let t = quote(&table.name);
    let col_list = cols.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", ");
    let Some(rid) = &table.rowid else {
        let mut stmt = conn
            .prepare(&format!("SELECT {col_list} FROM {t}"))
            .map_err(src_err)?;
        let mut rows = stmt.query([]).map_err(src_err)?;
        while let Some(row) = rows.next().map_err(src_err)? {
            each(row)?;
        }
        return Ok(());
    };
    let sep = if cols.is_empty() { "" } else { ", " };
    let first = format!("SELECT {rid}{sep}{col_list} FROM {t} ORDER BY {rid} LIMIT {page}");
    let next = format!(
        "SELECT {rid}{sep}{col_list} FROM {t} WHERE {rid} > ?1 ORDER BY {rid} LIMIT {page}"
    );
    let mut after: Option<i64> = None;
    loop {
        let mut stmt = conn
            .prepare_cached(if after.is_some() { &next } else { &first })
            .map_err(src_err)?;
        let mut rows = match after {
            Some(a) => stmt.query([a]),
            None => stmt.query([]),
        }
        .map_err(src_err)?;
        let mut n = 0;
        while let Some(row) = rows.next().map_err(src_err)? {
            after = Some(row.get::<_, i64>(0).map_err(src_err)?);
            each(row)?;
            n += 1;
        }
        if n < page {
            return Ok(());
        }
    }
}

/// Copies the rows of `t` into `dst` (inside the caller's transaction), counting them in
/// `written`.
fn copy_rows(
    ends: &Ends<'_>,
    dst: &Connection,
    t: &Table,
    total: u64,
    page: usize,
    progress: &mut Progress,
    written: &mut u64,
) -> Result<(), String> {
    let mut columns: Vec<String> = Vec::new();
    if let Some(rid) = &t.rowid {
        columns.push(rid.clone());
    }
    columns.extend(t.insert_columns.iter().map(|c| quote(c)));
    let width = columns.len();
    let rows_per_insert = (MAX_PARAMS / width).clamp(1, MAX_ROWS_PER_INSERT);
    let insert = |rows: usize| {
        let one = format!("({})", vec!["?"; width].join(", "));
        format!(
            "INSERT INTO {}({}) VALUES {}",
            quote(&t.name),
            columns.join(", "),
            vec![one; rows].join(", ")
        )
    };
    let full_insert = insert(rows_per_insert);
    let mut buffer: Vec<Cell> = Vec::with_capacity(rows_per_insert * width);
    let mut flush = |buffer: &mut Vec<Cell>, written: &mut u64| -> Result<(), String> {
        let rows = buffer.len() / width;
        if rows == 0 {
            return Ok(());
        }
        let result = if rows == rows_per_insert {
            dst.prepare_cached(&full_insert)
                .and_then(|mut s| s.execute(params_from_iter(buffer.iter())))
        } else {
            dst.execute(&insert(rows), params_from_iter(buffer.iter()))
        };
        result.map_err(|e| ends.dst_err(e))?;
        buffer.clear();
        *written += rows as u64;
        progress.rows(&t.name, rows as u64, *written, total);
        Ok(())
    };
    let src_err = |e| ends.src_err(e);
    scan(ends.src, t, &t.insert_columns, page, &src_err, &mut |row| {
        for i in 0..width {
            buffer.push(Cell::read(row, i).map_err(|e| ends.src_err(e))?);
        }
        if buffer.len() == rows_per_insert * width {
            flush(&mut buffer, written)?;
        }
        Ok(())
    })?;
    flush(&mut buffer, written)?;
    if total == 0 {
        progress.rows(&t.name, 0, 0, 0);
    }
    Ok(())
}

/// Carries the AUTOINCREMENT counter of `table` over (it can be above the largest rowid).
fn copy_sequence(ends: &Ends<'_>, dst: &Connection, table: &str) -> Result<(), String> {
    let seq: Option<i64> = ends
        .src
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| ends.src_err(e))?;
    let Some(seq) = seq else { return Ok(()) };
    let updated = dst
        .execute(
            "UPDATE sqlite_sequence SET seq = ?2 WHERE name = ?1",
            dbcompat::params![table, seq],
        )
        .map_err(|e| ends.dst_err(e))?;
    if updated == 0 {
        dst.execute(
            "INSERT INTO sqlite_sequence(name, seq) VALUES (?1, ?2)",
            dbcompat::params![table, seq],
        )
        .map_err(|e| ends.dst_err(e))?;
    }
    Ok(())
}

/// The checksum of one table on one side.
fn table_sum(
    conn: &Connection,
    t: &Table,
    page: usize,
    err: &dyn Fn(dbcompat::Error) -> String,
) -> Result<Sum, String> {
    let mut sum = Sum::default();
    let width = t.check_columns.len() + usize::from(t.rowid.is_some());
    scan(conn, t, &t.check_columns, page, err, &mut |row| {
        let mut h = RowHasher::new();
        for i in 0..width {
            h.value(row.get_ref(i).map_err(err)?);
        }
        sum.add_row(h.finish());
        Ok(())
    })?;
    Ok(sum)
}

/// The AUTOINCREMENT counters of the copied tables, as one checksummed "table".
fn sequence_sum(
    conn: &Connection,
    names: &[&str],
    err: &dyn Fn(dbcompat::Error) -> String,
) -> Result<Sum, String> {
    let mut sum = Sum::default();
    let mut stmt = conn
        .prepare("SELECT name, seq FROM sqlite_sequence")
        .map_err(err)?;
    let mut rows = stmt.query([]).map_err(err)?;
    while let Some(row) = rows.next().map_err(err)? {
        let name: String = row.get(0).map_err(err)?;
        if !names.contains(&name.as_str()) {
            continue;
        }
        let mut h = RowHasher::new();
        h.value(row.get_ref(0).map_err(err)?);
        h.value(row.get_ref(1).map_err(err)?);
        sum.add_row(h.finish());
    }
    Ok(sum)
}

struct Line {
    name: String,
    kind: String,
    src: Sum,
    dst: Sum,
    /// Whether the copy wrote these rows (not a rebuilt index, not the counters).
    copied: bool,
    /// FTS integrity check on the destination: `None` when not applicable.
    fts_check: Option<Result<(), String>>,
}

impl Line {
    fn ok(&self) -> bool {
        self.src == self.dst && !matches!(self.fts_check, Some(Err(_)))
    }
}

struct Report {
    lines: Vec<Line>,
    schema_objects: usize,
    schema_problems: Vec<String>,
}

impl Report {
    fn all_ok(&self) -> bool {
        self.schema_problems.is_empty() && self.lines.iter().all(Line::ok)
    }

    fn render(&self) -> String {
        let header = [
            "table",
            "kind",
            "rows (src)",
            "rows (dst)",
            "checksum (src)",
            "checksum (dst)",
            "result",
        ];
        let mut rows: Vec<[String; 7]> = vec![header.map(str::to_owned)];
        for l in &self.lines {
            let mut result = if l.src == l.dst {
                "ok".to_owned()
            } else if l.src.rows != l.dst.rows {
                "MISMATCH (rows)".to_owned()
            } else {
                "MISMATCH (content)".to_owned()
            };
            match &l.fts_check {
                Some(Ok(())) => result.push_str(", index ok"),
                Some(Err(e)) => result.push_str(&format!(", INDEX CHECK FAILED: {e}")),
                None => {}
            }
            rows.push([
                l.name.clone(),
                l.kind.clone(),
                l.src.rows.to_string(),
                l.dst.rows.to_string(),
                l.src.short(),
                l.dst.short(),
                result,
            ]);
        }
        let mut widths = [0usize; 7];
        for r in &rows {
            for (w, cell) in widths.iter_mut().zip(r) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        for (i, r) in rows.iter().enumerate() {
            let mut line = String::new();
            for (j, cell) in r.iter().enumerate() {
                let pad = widths[j] - cell.chars().count();
                if j == 2 || j == 3 {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    if j + 1 < r.len() {
                        line.push_str(&" ".repeat(pad));
                    }
                }
                if j + 1 < r.len() {
                    line.push_str("  ");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
            if i == 0 {
                let total: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
                out.push_str(&"-".repeat(total));
                out.push('\n');
            }
        }
        if self.schema_problems.is_empty() {
            out.push_str(&format!(
                "schema: {} objects, the same on both sides\n",
                self.schema_objects
            ));
        } else {
            out.push_str(&format!(
                "schema: DIFFERS: {}\n",
                self.schema_problems.join(", ")
            ));
        }
        out
    }
}

fn verify(ends: &Ends<'_>, schema: &Schema, page: usize) -> Res<Report> {
    let src_err = |e| ends.src_err(e);
    let dst_err = |e| ends.dst_err(e);
    let fail = |m: String| {
        Failure::new(format!(
            "the copy completed, but its verification could not finish: {m}"
        ))
    };
    let mut lines = Vec::new();
    for t in &schema.tables {
        let src = table_sum(ends.src, t, page, &src_err).map_err(fail)?;
        let dst = table_sum(ends.dst, t, page, &dst_err).map_err(fail)?;
        let fts_check = t.is_fts().then(|| {
            let q = quote(&t.name);
            ends.dst
                .execute(
                    &format!("INSERT INTO {q}({q}) VALUES ('integrity-check')"),
                    [],
                )
                .map(drop)
                .map_err(|e| e.to_string())
        });
        lines.push(Line {
            name: t.name.clone(),
            kind: t.kind_label(),
            src,
            dst,
            copied: t.copies_rows(),
            fts_check,
        });
    }
    if schema.has_sequence {
        let names: Vec<&str> = schema
            .tables
            .iter()
            .filter(|t| t.kind == TableKind::Ordinary)
            .map(|t| t.name.as_str())
            .collect();
        lines.push(Line {
            name: "sqlite_sequence".to_owned(),
            kind: "AUTOINCREMENT counters".to_owned(),
            src: sequence_sum(ends.src, &names, &src_err).map_err(fail)?,
            dst: sequence_sum(ends.dst, &names, &dst_err).map_err(fail)?,
            copied: false,
            fts_check: None,
        });
    }

    // Every object created from the source's SQL is on the destination with the same SQL.
    let mut stmt = ends
        .dst
        .prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")
        .map_err(|e| fail(dst_err(e)))?;
    let on_dst: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .and_then(|rows| rows.collect())
        .map_err(|e| fail(dst_err(e)))?;
    let wanted = schema
        .tables
        .iter()
        .map(|t| ("table", t.name.as_str(), t.sql.as_str()))
        .chain(
            schema
                .later
                .iter()
                .map(|o| (o.kind.as_str(), o.name.as_str(), o.sql.as_str())),
        );
    let mut schema_problems = Vec::new();
    for (kind, name, sql) in wanted {
        let found = on_dst
            .iter()
            .find(|(k, n, _)| k == kind && n == name)
            .map(|(_, _, s)| s.as_str());
        match found {
            Some(s) if schema::sql_equivalent(s, sql) => {}
            Some(_) => schema_problems.push(format!("{kind} {} (different SQL)", quote(name))),
            None => schema_problems.push(format!("{kind} {} (missing)", quote(name))),
        }
    }
    Ok(Report {
        lines,
        schema_objects: schema.object_count(),
        schema_problems,
    })
}
