//! The operation generator: a `u64` seed deterministically becomes a list of [`Op`]s.
//!
//! This file knows nothing about either crate: it is plain data, compiled into both
//! binaries, so both run exactly the same operations. Generation never looks at outcomes;
//! it keeps only a rough model (which tables were probably created) to make most operations
//! meaningful, and deliberately mixes in failure paths.

/// splitmix64: small, fast, and good enough to drive a fuzzer deterministically.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// Picks an index by weight.
    pub fn weighted(&mut self, weights: &[usize]) -> usize {
        let total: usize = weights.iter().sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// The REAL parameters. The 0.43 run (`cfg(rusqlite_0_43)`) swaps the ones that need more than
/// 15 significant digits for ones that do not, same count (so the random stream is unchanged):
/// rusqlite 0.43's SQLite 3.54 renders a REAL as text with up to 17 digits, libSQL's 3.47 with
/// 15, and that engine difference (not a dbcompat one) would show in every text conversion.
const F64_VALUES: [f64; 15] = [
    0.0,
    -0.0,
    1.5,
    -2.25,
    0.1,
    3.0,
    1e300,
    -1e-300,
    LONG_REALS[0],
    LONG_REALS[1],
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    LONG_REALS[2],
    123456.789,
];
#[cfg(not(rusqlite_0_43))]
const LONG_REALS: [f64; 3] = [f64::MAX, f64::MIN_POSITIVE, 9.223372036854776e18];
#[cfg(rusqlite_0_43)]
const LONG_REALS: [f64; 3] = [1.25e308, 2.5e-308, 9.2233720368547e18];
#[cfg(not(rusqlite_0_43))]
const F32_VALUES: [f32; 4] = [0.5, 0.1, -3.25, f32::MAX];
#[cfg(rusqlite_0_43)]
const F32_VALUES: [f32; 4] = [0.5, 0.25, -3.25, 1048576.0];

/// A value bound as a parameter, with the Rust type it is bound as.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    I64(i64),
    I32(i32),
    I16(i16),
    I8(i8),
    U8(u8),
    U16(u16),
    U32(u32),
    /// Fails with `ToSqlConversionFailure` above `i64::MAX`.
    U64(u64),
    Usize(usize),
    Isize(isize),
    F64(f64),
    F32(f32),
    Bool(bool),
    /// Bound as `String`.
    Text(String),
    /// Bound as `&str`.
    Str(String),
    /// Bound as `Vec<u8>`.
    Blob(Vec<u8>),
    /// Bound as `&[u8]`.
    BlobSlice(Vec<u8>),
    /// Bound as `[u8; 4]`.
    BlobArr([u8; 4]),
    /// `Option::<i64>::None`.
    NoneI64,
    /// `rusqlite::types::Null`.
    Null,
    SomeI64(i64),
    SomeText(String),
    /// `types::Value::Null` and friends.
    VNull,
    VInt(i64),
    VReal(f64),
    VText(String),
    VBlob(Vec<u8>),
    /// `ToSqlOutput::ZeroBlob(n)`.
    ZeroBlob(i32),
    /// `chrono::NaiveDate` (y, m, d).
    ChronoDate(i32, u32, u32),
    /// `chrono::NaiveTime` (h, m, s, nanos).
    ChronoTime(u32, u32, u32, u32),
    /// `chrono::NaiveDateTime` from a Unix timestamp (secs, nanos).
    ChronoDateTime(i64, u32),
    /// `chrono::DateTime<Utc>` from a Unix timestamp (secs, nanos).
    ChronoUtc(i64, u32),
    /// `chrono::DateTime<FixedOffset>` (Unix secs, offset secs).
    ChronoFixed(i64, i32),
    /// `time::OffsetDateTime` (Unix secs, nanos, offset secs).
    TimeOffset(i64, u32, i32),
    /// `time::Date` (y, ordinal day).
    TimeDate(i32, u16),
    /// `time::Time` (h, m, s, nanos).
    TimeTime(u8, u8, u8, u32),
    /// `time::PrimitiveDateTime` (y, ordinal, h, m, s).
    TimePrim(i32, u16, u8, u8, u8),
    /// `serde_json::Value` parsed from this (valid) JSON text.
    Json(String),
    /// `uuid::Uuid`.
    Uuid([u8; 16]),
    /// `url::Url` parsed from this (valid) URL.
    Url(String),
}

/// How a parameter list is passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `[]` (no values).
    Empty,
    /// `()` (no values).
    Unit,
    /// `params![..]`, 0..=4 values.
    Macro,
    /// `&[&dyn ToSql]` built at run time.
    Slice,
    /// A tuple, 1..=4 values.
    Tuple,
    /// `[&dyn ToSql; N]`, 1..=4 values.
    Array,
    /// `&[&dyn ToSql; N]`, 1..=4 values.
    ArrayRef,
    /// `[i64; N]`, 1..=3 values, all `Val::I64`.
    I64Array,
    /// `params_from_iter(..)`.
    Iter,
    /// `named_params! {":a": .., ":b": .., ":c": ..}`, 1..=3 values.
    NamedMacro,
    /// `&[(&str, &dyn ToSql)]` with `Args::names`.
    NamedSlice,
    /// `&[(usize, &dyn ToSql)]` with `Args::indexes`.
    IndexedSlice,
}

/// A parameter list: the values and how they are passed.
#[derive(Clone, Debug, PartialEq)]
pub struct Args {
    pub form: Form,
    pub vals: Vec<Val>,
    /// Names for `Form::NamedSlice`.
    pub names: Vec<String>,
    /// 1-based indexes for `Form::IndexedSlice`.
    pub indexes: Vec<usize>,
}

impl Args {
    pub fn none() -> Args {
        Args {
            form: Form::Empty,
            vals: Vec::new(),
            names: Vec::new(),
            indexes: Vec::new(),
        }
    }

    pub fn describe(&self) -> String {
        let list = |vals: &[Val]| {
            vals.iter()
                .map(|v| format!("{v:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self.form {
            Form::Empty => "[]".to_string(),
            Form::Unit => "()".to_string(),
            Form::Macro => format!("params![{}]", list(&self.vals)),
            Form::Slice => format!("&[{}] as &[&dyn ToSql]", list(&self.vals)),
            Form::Tuple => format!("({},)", list(&self.vals)),
            Form::Array => format!("[{}]", list(&self.vals)),
            Form::ArrayRef => format!("&[{}]", list(&self.vals)),
            Form::I64Array => format!("[i64; {}] {}", self.vals.len(), list(&self.vals)),
            Form::Iter => format!("params_from_iter([{}])", list(&self.vals)),
            Form::NamedMacro => {
                let parts: Vec<String> = self
                    .vals
                    .iter()
                    .zip(NAMED_MACRO_NAMES)
                    .map(|(v, n)| format!("{n:?}: {v:?}"))
                    .collect();
                format!("named_params!{{{}}}", parts.join(", "))
            }
            Form::NamedSlice => {
                let parts: Vec<String> = self
                    .names
                    .iter()
                    .zip(&self.vals)
                    .map(|(n, v)| format!("({n:?}, {v:?})"))
                    .collect();
                format!("&[{}]", parts.join(", "))
            }
            Form::IndexedSlice => {
                let parts: Vec<String> = self
                    .indexes
                    .iter()
                    .zip(&self.vals)
                    .map(|(n, v)| format!("({n}, {v:?})"))
                    .collect();
                format!("&[{}]", parts.join(", "))
            }
        }
    }
}

/// The literal names `Form::NamedMacro` binds, in order.
pub const NAMED_MACRO_NAMES: [&str; 3] = [":a", ":b", ":c"];

/// The Rust type a column is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadAs {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    Usize,
    Isize,
    F32,
    F64,
    Bool,
    String,
    BoxStr,
    Bytes,
    Arr4,
    OptI64,
    OptF64,
    OptString,
    OptBytes,
    Value,
    /// `row.get_ref(..)`, printed with `Debug`.
    Ref,
    ChronoDate,
    ChronoTime,
    ChronoDateTime,
    ChronoUtc,
    ChronoFixed,
    TimeOffset,
    TimeDate,
    TimeTime,
    TimePrim,
    Json,
    Uuid,
    Url,
}

const TYPED_READS: [ReadAs; 12] = [
    ReadAs::ChronoDate,
    ReadAs::ChronoTime,
    ReadAs::ChronoDateTime,
    ReadAs::ChronoUtc,
    ReadAs::ChronoFixed,
    ReadAs::TimeOffset,
    ReadAs::TimeDate,
    ReadAs::TimeTime,
    ReadAs::TimePrim,
    ReadAs::Json,
    ReadAs::Uuid,
    ReadAs::Url,
];

const ALL_READS: [ReadAs; 23] = [
    ReadAs::I8,
    ReadAs::U8,
    ReadAs::I16,
    ReadAs::U16,
    ReadAs::I32,
    ReadAs::U32,
    ReadAs::I64,
    ReadAs::U64,
    ReadAs::Usize,
    ReadAs::Isize,
    ReadAs::F32,
    ReadAs::F64,
    ReadAs::Bool,
    ReadAs::String,
    ReadAs::BoxStr,
    ReadAs::Bytes,
    ReadAs::Arr4,
    ReadAs::OptI64,
    ReadAs::OptF64,
    ReadAs::OptString,
    ReadAs::OptBytes,
    ReadAs::Value,
    ReadAs::Ref,
];

/// Which column of a row is read: by index or by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Col {
    Idx(usize),
    Name(String),
}

/// How a write statement is run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecApi {
    /// `conn.execute(sql, p)`
    Conn,
    /// `conn.prepare(sql)?.execute(p)`
    Prepared,
    /// `conn.prepare(sql)?.insert(p)`
    Insert,
    /// `conn.prepare_cached(sql)?.execute(p)`
    Cached,
    /// `conn.query_row(sql, p, |r| r.get::<_, Value>(0))` (for `RETURNING`)
    QueryRowValue,
}

/// How a query is run and its rows read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryApi {
    /// `conn.query_row(sql, p, f)`
    ConnRow,
    /// `conn.query_row(sql, p, f).optional()`
    ConnRowOptional,
    /// `conn.query_row_and_then(sql, p, f)` with `?` on each `get`
    ConnRowAndThen,
    /// `stmt.query_map(p, f)`, every item
    Map,
    /// `stmt.query_and_then(p, f)` with `?` on each `get`, every item
    AndThen,
    /// `stmt.query(p)?` then `rows.next()` until `None` or an error
    Next,
    /// `stmt.query(p)?.mapped(f)`
    Mapped,
    /// `stmt.query_row(p, f)`
    StmtRow,
    /// `stmt.exists(p)`
    Exists,
    /// `stmt.query(p)?` and one `rows.next()`
    First,
    /// `stmt.query_map(p, f)?.collect::<Result<Vec<_>>>()` with `?` on each `get`
    Collect,
}

/// How a statement is prepared for the statement-level query APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prep {
    Prepare,
    Cached,
}

/// How a raw SQL string is run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawApi {
    /// `conn.execute(sql, [])`
    Execute,
    /// `conn.execute_batch(sql)`
    Batch,
    /// `conn.prepare(sql)` and the statement's metadata
    Prepare,
    /// `conn.prepare(sql)?.query([])`, every row read as `Value`s
    QueryAll,
    /// `Batch::new(conn, sql)`: each statement run (queries read as `Value`s)
    BatchIter,
}

/// A raw parameter index for `raw_bind_parameter`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BindIdx {
    Pos(usize),
    Name(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behavior {
    Deferred,
    Immediate,
    Exclusive,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropHow {
    Rollback,
    Commit,
    Ignore,
}

/// How a transaction or savepoint is opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScopeHow {
    /// `transaction()`; nested: `Transaction::new_unchecked(conn, Deferred)`
    Transaction,
    /// `transaction_with_behavior(b)`; nested: `Transaction::new_unchecked(conn, b)`
    TransactionWith(Behavior),
    /// `unchecked_transaction()`
    Unchecked,
    /// `savepoint()`
    Savepoint,
    /// `savepoint_with_name(name)`
    SavepointNamed(String),
}

/// How a transaction or savepoint is ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeEnd {
    Commit,
    Rollback,
    Finish,
    /// Savepoints: `rollback()` (keeps it open), then `commit()`.
    RollbackThenCommit,
    /// `set_drop_behavior(..)` then drop.
    Drop(DropHow),
    /// Dropped with the default drop behavior.
    DropDefault,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PragmaOp {
    /// `pragma_query_value(None, name, |r| r.get::<_, Value>(0))`
    QueryValue(&'static str),
    /// `pragma_update(None, name, value)`
    Update(&'static str, Val),
    /// `pragma(None, "table_info", table, ..)`, every row
    TableInfo(String),
    /// `pragma_query(None, name, ..)`, every row
    Query(&'static str),
    /// `pragma_update_and_check(None, "journal_mode", value, ..)`
    JournalMode(&'static str),
}

/// Which hooks are installed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hooks {
    /// All three removed (`None`).
    Off,
    /// Commit, rollback and update hooks that log every call; commits are allowed.
    Log,
    /// Like `Log`, but the commit hook vetoes every commit.
    VetoCommit,
}

/// The limits the generator reads and sets. (`SQLITE_LIMIT_FUNCTION_ARG` is left out: its
/// default went from 127 to 1000 in SQLite 3.48, between the two bundled versions.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitKind {
    Length,
    SqlLength,
    Column,
    ExprDepth,
    CompoundSelect,
    VariableNumber,
    Attached,
    LikePatternLength,
    TriggerDepth,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// A write (or any statement) with parameters.
    Exec {
        sql: String,
        args: Args,
        api: ExecApi,
    },
    /// A query whose rows are read column by column as the given types.
    Query {
        sql: String,
        args: Args,
        reads: Vec<(Col, ReadAs)>,
        api: QueryApi,
        prep: Prep,
    },
    /// Raw SQL without parameters: syntax errors, batches, schema and transaction statements.
    Raw {
        sql: String,
        api: RawApi,
    },
    /// One prepared statement run several times with different parameter lists.
    Reuse {
        sql: String,
        sets: Vec<(Args, ExecApi)>,
    },
    /// `raw_bind_parameter` calls, then `raw_query`/`raw_execute`, optionally
    /// `clear_bindings` and once more.
    RawBind {
        sql: String,
        binds: Vec<(BindIdx, Val)>,
        query: bool,
        clear_and_rerun: bool,
    },
    /// `prepare_cached` without binding anything, then `raw_query`: shows what a cached
    /// statement still has bound.
    CachedUnbound {
        sql: String,
    },
    /// `set_prepared_statement_cache_capacity(n)`
    CacheCapacity(usize),
    /// `flush_prepared_statement_cache()`
    CacheFlush,
    Pragma(PragmaOp),
    /// Connection metadata: path, read-only, database names, transaction state.
    Meta,
    /// `commit_hook`, `rollback_hook` and `update_hook`; their calls are logged on the line
    /// of the operation that caused them.
    Hooks(Hooks),
    /// Registers the scalar functions `dbl`, `boom`, `tname`, `cnt` and `half`.
    RegisterFunctions,
    /// `remove_function(name, n_arg)`
    RemoveFunction(&'static str, i32),
    /// `limit(kind)`, or `set_limit(kind, value)`.
    Limit(LimitKind, Option<i32>),
    /// Incremental blob I/O on `t{table}.{column}` at `rowid`: `blob_open`, then `size`,
    /// `std::io::Read::read_to_end`, `read_at_exact` of 2 bytes at 1, and (read-write only)
    /// `write_at(b"Z", at)` and `reopen(rowid + 1)`, then `close`.
    Blob {
        table: usize,
        column: &'static str,
        rowid: i64,
        read_only: bool,
        write_at: usize,
    },
    /// `set_transaction_behavior(b)` (only at top level; `&mut Connection`).
    SetTxBehavior(Behavior),
    /// A transaction or savepoint around `body`.
    Scope {
        how: ScopeHow,
        body: Vec<Op>,
        end: ScopeEnd,
    },
}

impl Op {
    /// One-line description (for `Scope`, of opening it).
    pub fn describe(&self) -> String {
        match self {
            Op::Exec { sql, args, api } => format!("{api:?} {sql:?} {}", args.describe()),
            Op::Query {
                sql,
                args,
                reads,
                api,
                prep,
            } => format!(
                "query {api:?}/{prep:?} {sql:?} {} read {}",
                args.describe(),
                describe_reads(reads)
            ),
            Op::Raw { sql, api } => format!("raw {api:?} {sql:?}"),
            Op::Reuse { sql, sets } => {
                let sets: Vec<String> = sets
                    .iter()
                    .map(|(a, api)| format!("{api:?} {}", a.describe()))
                    .collect();
                format!("reuse {sql:?} [{}]", sets.join("; "))
            }
            Op::RawBind {
                sql,
                binds,
                query,
                clear_and_rerun,
            } => format!(
                "raw_bind {sql:?} {binds:?} {} clear_and_rerun={clear_and_rerun}",
                if *query { "raw_query" } else { "raw_execute" }
            ),
            Op::CachedUnbound { sql } => format!("cached_unbound {sql:?}"),
            Op::CacheCapacity(n) => format!("set_prepared_statement_cache_capacity({n})"),
            Op::CacheFlush => "flush_prepared_statement_cache()".to_string(),
            Op::Pragma(p) => format!("pragma {p:?}"),
            Op::Meta => "meta".to_string(),
            Op::SetTxBehavior(b) => format!("set_transaction_behavior({b:?})"),
            Op::Hooks(h) => format!("hooks {h:?}"),
            Op::Blob {
                table,
                column,
                rowid,
                read_only,
                write_at,
            } => format!(
                "blob_open(t{table}.{column}, rowid {rowid}, read_only={read_only}) write_at={write_at}"
            ),
            Op::RegisterFunctions => "register functions".to_string(),
            Op::RemoveFunction(name, n) => format!("remove_function({name:?}, {n})"),
            Op::Limit(kind, None) => format!("limit({kind:?})"),
            Op::Limit(kind, Some(v)) => format!("set_limit({kind:?}, {v})"),
            Op::Scope { how, .. } => format!("begin {how:?}"),
        }
    }
}

fn describe_reads(reads: &[(Col, ReadAs)]) -> String {
    let parts: Vec<String> = reads
        .iter()
        .map(|(c, r)| match c {
            Col::Idx(i) => format!("{i}:{r:?}"),
            Col::Name(n) => format!("{n:?}:{r:?}"),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// Number of tables the generator uses (`t0`..`t3`).
const TABLES: usize = 4;

/// Which connection the operations are meant for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// An in-memory database: every operation.
    Local,
    /// A remote server (compared with an in-memory reference): no operation that needs the
    /// local engine (hooks, user functions, limits, blob I/O), none that shows a documented,
    /// inherent server difference (`journal_mode`, a statement failing mid-result; see
    /// docs/turso-backend.md §4), and
    /// [`REMOTE_F64_VALUES`] for REAL parameters.
    Remote,
}

/// [`F64_VALUES`] for [`Mode::Remote`]: Hrana carries REALs as JSON numbers, so ±inf cannot be
/// bound (`ToSqlConversionFailure`) or read back remotely; nor can a value that overflows to
/// ±inf in arithmetic (`1e300 * 1e300`, `f64::MAX + f64::MAX`, `i64::MIN / -1e-300`): no
/// infinities, no magnitude above 1e150 or below 1e-30. Same count, so the pool's shape is
/// unchanged.
const REMOTE_F64_VALUES: [f64; 15] = {
    let mut v = F64_VALUES;
    v[6] = 1e150; // 1e300
    v[7] = -1e-30; // -1e-300
    v[8] = 1.25e15; // f64::MAX (0.43: 1.25e308)
    v[9] = 2.5e-8; // f64::MIN_POSITIVE (0.43: 2.5e-308)
    v[11] = 7.5e-3; // f64::INFINITY
    v[12] = -6.25e10; // f64::NEG_INFINITY
    v[13] = 9.2233720368547e18; // 9.223372036854776e18: 17 digits (the 0.43 run's value)
    v
};

/// Generates `count` operations (scope bodies count toward the total) from `seed`.
pub fn generate(seed: u64, count: usize, mode: Mode) -> Vec<Op> {
    let mut g = Gen {
        rng: Rng::new(seed),
        created: [false; TABLES],
        mode,
    };
    let mut budget = count;
    let mut ops = Vec::new();
    // Most runs have the user functions from the start, so calls to them mostly succeed.
    if budget > 0 && g.rng.chance(70) && g.local() {
        budget -= 1;
        ops.push(Op::RegisterFunctions);
    }
    ops.extend(g.block(&mut budget, 0));
    ops
}

struct Gen {
    rng: Rng,
    /// Tables a CREATE was generated for (it may have failed; that is fine).
    created: [bool; TABLES],
    mode: Mode,
}

/// A placeholder style and what it yields.
struct Placeholders {
    /// The placeholder text, one per slot.
    slots: Vec<String>,
    /// `sqlite3_bind_parameter_count`.
    count: usize,
    /// Parameter names by index (`None` for anonymous and numbered ones).
    names: Vec<Option<String>>,
}

impl Gen {
    /// Whether operations that need the local engine may be generated.
    fn local(&self) -> bool {
        self.mode == Mode::Local
    }

    /// Uniform in `0..n`, never one of `excluded` in [`Mode::Remote`] (a redraw).
    fn below_except_remote(&mut self, n: usize, excluded: &[usize]) -> usize {
        loop {
            let k = self.rng.below(n);
            if self.local() || !excluded.contains(&k) {
                return k;
            }
        }
    }

    fn block(&mut self, budget: &mut usize, depth: usize) -> Vec<Op> {
        let mut ops = Vec::new();
        while *budget > 0 {
            *budget -= 1;
            ops.push(self.op(budget, depth));
        }
        ops
    }

    fn table(&mut self) -> usize {
        let created: Vec<usize> = (0..TABLES).filter(|t| self.created[*t]).collect();
        if !created.is_empty() && self.rng.chance(85) {
            self.rng.pick(&created)
        } else {
            self.rng.below(TABLES)
        }
    }

    fn op(&mut self, budget: &mut usize, depth: usize) -> Op {
        // Early on, create tables so that the rest has something to work on.
        let untouched = self.created.iter().all(|c| !c);
        if untouched && self.rng.chance(80) {
            return self.create_table();
        }
        // Remote: no operation that needs the local engine.
        let local = usize::from(self.local());
        let weights = [
            7,                              // 0 create table
            1,                              // 1 drop table
            20,                             // 2 insert
            7,                              // 3 update
            5,                              // 4 delete
            12,                             // 5 select from a table
            14,                             // 6 select an expression
            5,                              // 7 select by id
            9,                              // 8 raw sql
            3,                              // 9 reuse
            3,                              // 10 raw bind
            4,                              // 11 cached
            2,                              // 12 cache control
            3,                              // 13 pragma
            2,                              // 14 meta
            if depth < 2 { 7 } else { 0 },  // 15 scope
            if depth == 0 { 1 } else { 0 }, // 16 set_transaction_behavior
            2 * local,                      // 17 hooks
            2 * local,                      // 18 functions
            2 * local,                      // 19 limits
            3 * local,                      // 20 blob i/o
        ];
        match self.rng.weighted(&weights) {
            0 => self.create_table(),
            1 => self.drop_table(),
            2 => self.insert(),
            3 => self.update(),
            4 => self.delete(),
            5 => self.select_table(),
            6 => self.select_expr(),
            7 => self.select_by_id(),
            8 => self.raw(),
            9 => self.reuse(),
            10 => self.raw_bind(),
            11 => self.cached(),
            12 => {
                if self.rng.chance(50) {
                    Op::CacheFlush
                } else {
                    Op::CacheCapacity(self.rng.pick(&[0, 1, 2, 16]))
                }
            }
            13 => self.pragma(),
            14 => Op::Meta,
            15 => self.scope(budget, depth),
            16 => Op::SetTxBehavior(self.behavior()),
            17 => {
                Op::Hooks(
                    self.rng
                        .pick(&[Hooks::Log, Hooks::Log, Hooks::Off, Hooks::VetoCommit]),
                )
            }
            18 => {
                if self.rng.chance(75) {
                    Op::RegisterFunctions
                } else {
                    let (name, n) =
                        self.rng
                            .pick(&[("dbl", 1), ("boom", 1), ("cnt", -1), ("dbl", 2)]);
                    Op::RemoveFunction(name, n)
                }
            }
            19 => self.limit(),
            _ => Op::Blob {
                table: self.table(),
                column: self.rng.pick(&["c", "c", "a", "zz"]),
                rowid: self.rng.pick(&[1, 2, 3, 4, 99]),
                read_only: self.rng.chance(40),
                write_at: self.rng.pick(&[0, 1, 3, 70]),
            },
        }
    }

    fn limit(&mut self) -> Op {
        let kind = self.rng.pick(&[
            LimitKind::Length,
            LimitKind::SqlLength,
            LimitKind::Column,
            LimitKind::ExprDepth,
            LimitKind::CompoundSelect,
            LimitKind::VariableNumber,
            LimitKind::Attached,
            LimitKind::LikePatternLength,
            LimitKind::TriggerDepth,
        ]);
        if self.rng.chance(50) {
            return Op::Limit(kind, None);
        }
        let value = match kind {
            LimitKind::Length => self.rng.pick(&[200, 1_000_000, -1]),
            LimitKind::SqlLength => self.rng.pick(&[80, 1_000_000]),
            // Not below 5: with fewer columns than `sqlite_master` the schema cannot load,
            // and SQLite 3.49 then fails every later prepare while 3.47 does not.
            LimitKind::Column => self.rng.pick(&[5, 2000]),
            LimitKind::ExprDepth => self.rng.pick(&[2, 1000]),
            LimitKind::VariableNumber => self.rng.pick(&[2, 32766]),
            LimitKind::Attached => self.rng.pick(&[0, 10, 500]),
            _ => self.rng.pick(&[1, 50, 0]),
        };
        Op::Limit(kind, Some(value))
    }

    fn behavior(&mut self) -> Behavior {
        self.rng
            .pick(&[Behavior::Deferred, Behavior::Immediate, Behavior::Exclusive])
    }

    // ---- values ----

    fn val(&mut self) -> Val {
        let reals = if self.local() {
            &F64_VALUES
        } else {
            &REMOTE_F64_VALUES
        };
        let r = &mut self.rng;
        match r.below(28) {
            0..=3 => Val::I64(r.pick(&[
                0,
                1,
                -1,
                2,
                3,
                7,
                13,
                42,
                100,
                127,
                128,
                255,
                256,
                -129,
                i32::MAX as i64,
                i32::MAX as i64 + 1,
                i64::MAX,
                i64::MIN,
                u32::MAX as i64,
                -(1 << 53),
            ])),
            4 => Val::I64((r.next_u64() % 2001) as i64 - 1000),
            5 => Val::I32(r.pick(&[0, 1, -5, 13, i32::MIN, i32::MAX])),
            6 => Val::I16(r.pick(&[0, -300, i16::MAX])),
            7 => Val::I8(r.pick(&[0, -1, i8::MIN, i8::MAX])),
            8 => Val::U8(r.pick(&[0, 1, 200, u8::MAX])),
            9 => Val::U16(r.pick(&[0, 65535])),
            10 => Val::U32(r.pick(&[0, 13, u32::MAX])),
            11 => Val::U64(r.pick(&[0, 13, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX])),
            12 => {
                if r.chance(50) {
                    Val::Usize(r.pick(&[0, 5, usize::MAX]))
                } else {
                    Val::Isize(r.pick(&[0, -5, isize::MIN]))
                }
            }
            13 | 14 => Val::F64(r.pick(reals)),
            15 => Val::F32(r.pick(&F32_VALUES)),
            16 => Val::Bool(r.chance(50)),
            17..=19 => {
                let s = self.text();
                if self.rng.chance(50) {
                    Val::Text(s)
                } else {
                    Val::Str(s)
                }
            }
            20 | 21 => {
                let b = self.blob();
                match self.rng.below(3) {
                    0 => Val::Blob(b),
                    1 => Val::BlobSlice(b),
                    _ => Val::BlobArr([1, 2, 3, 4]),
                }
            }
            22 => {
                if r.chance(50) {
                    Val::NoneI64
                } else {
                    Val::Null
                }
            }
            23 => {
                if r.chance(50) {
                    Val::SomeI64(r.pick(&[0, 13, -7]))
                } else {
                    Val::SomeText(self.text())
                }
            }
            26 | 27 => self.typed_val(),
            _ => match r.below(5) {
                0 => Val::VNull,
                1 => Val::VInt(r.pick(&[0, 13, i64::MIN])),
                2 => Val::VReal(r.pick(&[2.5, -0.0, f64::NAN])),
                3 => Val::VText(self.text()),
                _ => Val::VBlob(self.blob()),
            },
        }
    }

    fn typed_val(&mut self) -> Val {
        let r = &mut self.rng;
        match r.below(14) {
            0 => Val::ZeroBlob(r.pick(&[0, 3, -1])),
            1 => Val::ChronoDate(
                r.pick(&[2024, -5, 0, 9999]),
                r.pick(&[1, 2, 12]),
                r.pick(&[1, 29]),
            ),
            2 => Val::ChronoTime(
                r.pick(&[0, 12, 23]),
                34,
                r.pick(&[0, 56, 59]),
                r.pick(&[0, 5_000_000, 1_999_999_999]),
            ),
            3 => Val::ChronoDateTime(
                r.pick(&[0, 1_700_000_000, -1]),
                r.pick(&[0, 123_000_000, 1]),
            ),
            4 => Val::ChronoUtc(
                r.pick(&[0, 1_700_000_000, -86_401]),
                r.pick(&[0, 500_000_000]),
            ),
            5 => Val::ChronoFixed(r.pick(&[0, 1_700_000_000]), r.pick(&[0, 7200, -34_200])),
            6 => Val::TimeOffset(
                r.pick(&[0, 1_700_000_000, -1]),
                r.pick(&[0, 123_456_789]),
                r.pick(&[0, 3600, -5400]),
            ),
            7 => Val::TimeDate(r.pick(&[2024, -1, 1970]), r.pick(&[1, 60, 366])),
            8 => Val::TimeTime(
                r.pick(&[0, 23]),
                r.pick(&[0, 59]),
                r.pick(&[0, 59]),
                r.pick(&[0, 1, 999_999_999]),
            ),
            9 => Val::TimePrim(2024, r.pick(&[1, 366]), 12, 0, r.pick(&[0, 30])),
            10 => Val::Json(
                r.pick(&[
                    "null",
                    "true",
                    "42",
                    "-1.5",
                    "1e400",
                    "\"str\"",
                    "[1, \"a\", null]",
                    "{\"k\": {\"n\": [1, 2.5]}}",
                    "18446744073709551615",
                ])
                .to_string(),
            ),
            11 => Val::Uuid(r.pick(&[[0; 16], [0xAB; 16], *b"0123456789abcdef"])),
            12 => Val::Url(
                r.pick(&["https://example.com/p?q=1#f", "file:///tmp/x", "data:,hi"])
                    .to_string(),
            ),
            _ => Val::Text(
                r.pick(&[
                    "2024-02-29",
                    "2024-02-30",
                    "2024-01-01 12:34:56",
                    "2024-01-01T12:34:56.789",
                    "2024-01-01 12:34:56.123456789+02:00",
                    "2024-01-01T12:34:56Z",
                    "2024-01-01 12:34:56:789 +01:00",
                    "2024-01-01 12:34",
                    "12:34",
                    "12:34:56.5",
                    "25:00",
                    "{\"k\": [1, 2.5, null]}",
                    "[1, 2",
                    "https://example.com/p?q=1#f",
                    "not a url",
                    "67e55044-10b1-426f-9247-bb680e5fe0c8",
                    "2024-13-01",
                ])
                .to_string(),
            ),
        }
    }

    fn text(&mut self) -> String {
        let r = &mut self.rng;
        match r.below(22) {
            0 => String::new(),
            1 => "hello".into(),
            2 => "héllo wörld ✓".into(),
            3 => "日本語テキスト".into(),
            4 => "crab 🦀".into(),
            5 => "a\0b".into(),
            6 => "\0".into(),
            7 => "42".into(),
            8 => "  42  ".into(),
            9 => "3.5".into(),
            10 => "-7".into(),
            11 => "1e3".into(),
            12 => "0x10".into(),
            13 => "true".into(),
            14 => "NULL".into(),
            15 => "it's \"quoted\"".into(),
            16 => "13".into(),
            17 => "9223372036854775808".into(),
            18 => "x".repeat(300),
            19 => "line1\nline2\ttab".into(),
            20 => "l".into(),
            _ => format!("s{}", r.below(1000)),
        }
    }

    fn blob(&mut self) -> Vec<u8> {
        match self.rng.below(7) {
            0 => Vec::new(),
            1 => vec![0],
            2 => vec![1, 2, 3, 4],
            3 => vec![0xff, 0xfe, 0x00, 0x80],
            4 => b"text".to_vec(),
            5 => vec![0xAB; 64],
            _ => vec![0xC3, 0x28],
        }
    }

    fn reads(&mut self, n: usize, names: Option<&[&str]>) -> Vec<(Col, ReadAs)> {
        (0..n)
            .map(|i| {
                let col = match names {
                    Some(names) if self.rng.chance(20) => {
                        let n = names[i];
                        let n = match self.rng.below(4) {
                            0 => n.to_uppercase(),
                            _ => n.to_string(),
                        };
                        Col::Name(n)
                    }
                    _ if self.rng.chance(4) => Col::Idx(n),
                    _ if self.rng.chance(3) => Col::Name("zz".into()),
                    _ => Col::Idx(i),
                };
                let read = if self.rng.chance(30) {
                    self.rng
                        .pick(&[ReadAs::Value, ReadAs::Ref, ReadAs::I64, ReadAs::String])
                } else if self.rng.chance(15) {
                    self.rng.pick(&TYPED_READS)
                } else {
                    self.rng.pick(&ALL_READS)
                };
                (col, read)
            })
            .collect()
    }

    // ---- parameters ----

    /// Placeholders for `n` slots in a random style.
    fn placeholders(&mut self, n: usize) -> Placeholders {
        let letters = ["a", "b", "c", "d"];
        match self.rng.below(9) {
            0..=2 => Placeholders {
                slots: vec!["?".into(); n],
                count: n,
                names: vec![None; n],
            },
            3 | 4 => Placeholders {
                slots: (1..=n).map(|i| format!("?{i}")).collect(),
                count: n,
                names: vec![None; n],
            },
            5 => {
                // Numbered in reverse: ?3, ?2, ?1.
                Placeholders {
                    slots: (1..=n).rev().map(|i| format!("?{i}")).collect(),
                    count: n,
                    names: vec![None; n],
                }
            }
            6 if n >= 2 => {
                // A reused number: ?1, ?1, ?2 -> one fewer parameter.
                let mut slots = vec!["?1".to_string()];
                slots.extend((1..n).map(|i| format!("?{i}")));
                Placeholders {
                    slots,
                    count: n - 1,
                    names: vec![None; n - 1],
                }
            }
            _ => {
                let prefix = self.rng.pick(&[":", ":", "@", "$"]);
                let names: Vec<String> = letters[..n]
                    .iter()
                    .map(|l| format!("{prefix}{l}"))
                    .collect();
                Placeholders {
                    slots: names.clone(),
                    count: n,
                    names: names.into_iter().map(Some).collect(),
                }
            }
        }
    }

    /// A parameter list for `ph`: usually right, sometimes with the wrong count or names.
    fn args(&mut self, ph: &Placeholders) -> Args {
        let n = if self.rng.chance(88) {
            ph.count
        } else {
            match self.rng.below(3) {
                0 => ph.count + 1,
                1 => ph.count.saturating_sub(1),
                _ => 0,
            }
        };
        let vals: Vec<Val> = (0..n).map(|_| self.val()).collect();
        self.args_for(vals, ph)
    }

    fn args_for(&mut self, mut vals: Vec<Val>, ph: &Placeholders) -> Args {
        let n = vals.len();
        let all_named = ph.names.iter().all(|n| n.is_some()) && !ph.names.is_empty();
        let mut form = if all_named && self.rng.chance(60) {
            if self.rng.chance(40) {
                Form::NamedMacro
            } else {
                Form::NamedSlice
            }
        } else if n == 0 {
            self.rng.pick(&[
                Form::Empty,
                Form::Unit,
                Form::Macro,
                Form::Slice,
                Form::Iter,
            ])
        } else {
            match self.rng.below(20) {
                0..=3 => Form::Macro,
                4..=5 => Form::Slice,
                6..=8 => Form::Tuple,
                9..=10 => Form::Array,
                11 => Form::ArrayRef,
                12..=14 => Form::Iter,
                15 => Form::NamedSlice,
                16 => Form::IndexedSlice,
                17 => Form::Empty,
                _ => {
                    // A typed array: make every value an i64.
                    for v in vals.iter_mut() {
                        if !matches!(v, Val::I64(_)) {
                            *v = Val::I64(self.rng.pick(&[1, 13, -2, i64::MAX]));
                        }
                    }
                    Form::I64Array
                }
            }
        };
        if form == Form::Empty {
            vals.clear();
        }
        let n = vals.len();
        let fits = match form {
            Form::Empty | Form::Unit => n == 0,
            Form::Macro => n <= 4,
            Form::Tuple | Form::Array | Form::ArrayRef => (1..=4).contains(&n),
            Form::I64Array | Form::NamedMacro => (1..=3).contains(&n),
            _ => true,
        };
        if !fits {
            form = Form::Slice;
        }
        let mut names: Vec<String> = Vec::new();
        if form == Form::NamedSlice {
            for i in 0..n {
                let name = match ph.names.get(i) {
                    Some(Some(name)) => name.clone(),
                    _ => format!(":p{i}"),
                };
                names.push(name);
            }
            if n > 0 && self.rng.chance(15) {
                let i = self.rng.below(n);
                names[i] = match self.rng.below(4) {
                    0 => ":zz".into(),
                    1 => names[i].trim_start_matches([':', '@', '$']).to_string(),
                    2 => format!("{}\0", names[i]),
                    _ => names[i].to_uppercase(),
                };
            }
        }
        let mut indexes: Vec<usize> = Vec::new();
        if form == Form::IndexedSlice {
            indexes = (1..=n).collect();
            if n > 0 && self.rng.chance(25) {
                let i = self.rng.below(n);
                indexes[i] = self.rng.pick(&[0, n + 3]);
            }
        }
        Args {
            form,
            vals,
            names,
            indexes,
        }
    }

    fn exec_api(&mut self) -> ExecApi {
        match self.rng.below(10) {
            0..=4 => ExecApi::Conn,
            5 | 6 => ExecApi::Prepared,
            7 => ExecApi::Insert,
            8 => ExecApi::Cached,
            _ => ExecApi::QueryRowValue,
        }
    }

    fn query_api(&mut self) -> QueryApi {
        self.rng.pick(&[
            QueryApi::ConnRow,
            QueryApi::ConnRowOptional,
            QueryApi::ConnRowAndThen,
            QueryApi::Map,
            QueryApi::Map,
            QueryApi::AndThen,
            QueryApi::Next,
            QueryApi::Next,
            QueryApi::Mapped,
            QueryApi::StmtRow,
            QueryApi::Exists,
            QueryApi::First,
            QueryApi::Collect,
        ])
    }

    fn prep(&mut self) -> Prep {
        if self.rng.chance(25) {
            Prep::Cached
        } else {
            Prep::Prepare
        }
    }

    // ---- schema ----

    fn create_table(&mut self) -> Op {
        let t = self.rng.below(TABLES);
        self.created[t] = true;
        let strict = self.rng.chance(30);
        let all_types = [
            "INTEGER",
            "INT",
            "REAL",
            "TEXT",
            "BLOB",
            "NUMERIC",
            "",
            "ANY",
            "VARCHAR(20)",
            "BOOLEAN",
            "DOUBLE",
            "DATETIME",
        ];
        let strict_types = ["INTEGER", "INT", "REAL", "TEXT", "BLOB", "ANY"];
        let mut cols = Vec::new();
        for c in ["a", "b", "c"] {
            let ty = if strict && self.rng.chance(92) {
                self.rng.pick(&strict_types)
            } else {
                self.rng.pick(&all_types)
            };
            let constraint = match self.rng.below(16) {
                0 => "NOT NULL".to_string(),
                1 => "UNIQUE".to_string(),
                2 => "DEFAULT 7".to_string(),
                3 => "DEFAULT 'dflt'".to_string(),
                4 => format!("CHECK ({c} IS NULL OR {c} != 13)"),
                5 => format!("CHECK (length({c}) < 12)"),
                6 => "NOT NULL DEFAULT 0".to_string(),
                7 => "UNIQUE NOT NULL".to_string(),
                8 => "COLLATE NOCASE".to_string(),
                _ => String::new(),
            };
            cols.push(format!("{c} {ty} {constraint}").trim_end().to_string());
        }
        let id = if self.rng.chance(20) {
            "id INTEGER PRIMARY KEY AUTOINCREMENT"
        } else {
            "id INTEGER PRIMARY KEY"
        };
        let ine = if self.rng.chance(20) {
            "IF NOT EXISTS "
        } else {
            ""
        };
        let sql = format!(
            "CREATE TABLE {ine}t{t} ({id}, {}){}",
            cols.join(", "),
            if strict { " STRICT" } else { "" }
        );
        if self.rng.chance(30) {
            Op::Raw {
                sql,
                api: RawApi::Batch,
            }
        } else {
            Op::Exec {
                sql,
                args: Args::none(),
                api: ExecApi::Conn,
            }
        }
    }

    fn drop_table(&mut self) -> Op {
        let t = self.rng.below(TABLES);
        let ie = if self.rng.chance(50) {
            "IF EXISTS "
        } else {
            ""
        };
        Op::Exec {
            sql: format!("DROP TABLE {ie}t{t}"),
            args: Args::none(),
            api: ExecApi::Conn,
        }
    }

    // ---- writes ----

    fn insert(&mut self) -> Op {
        let t = self.table();
        let cols: Vec<&str> = self
            .rng
            .pick(&[
                &["a"][..],
                &["a", "b"],
                &["a", "b", "c"],
                &["a", "b", "c"],
                &["b", "c"],
                &["id", "a"],
                &["c"],
            ])
            .to_vec();
        let verb = self.rng.pick(&[
            "INSERT",
            "INSERT",
            "INSERT",
            "INSERT OR IGNORE",
            "INSERT OR REPLACE",
            "REPLACE",
            "INSERT OR FAIL",
            "INSERT OR ABORT",
            "INSERT OR ROLLBACK",
        ]);
        let mut api = self.exec_api();
        let returning = if api == ExecApi::QueryRowValue || self.rng.chance(5) {
            " RETURNING id"
        } else {
            ""
        };
        if self.rng.chance(4) {
            return Op::Exec {
                sql: format!("{verb} INTO t{t} DEFAULT VALUES{returning}"),
                args: Args::none(),
                api,
            };
        }
        let ph = self.placeholders(cols.len());
        let multi = self.rng.chance(8) && ph.names.iter().all(|n| n.is_none());
        let values = if multi {
            // Two rows: the same placeholders twice (numbered ones repeat the values).
            format!("({}), ({})", ph.slots.join(", "), ph.slots.join(", "))
        } else {
            format!("({})", ph.slots.join(", "))
        };
        let sql = format!(
            "{verb} INTO t{t} ({}) VALUES {values}{returning}",
            cols.join(", ")
        );
        let mut ph = ph;
        if multi && ph.slots.iter().all(|s| s == "?") {
            ph.count *= 2;
            ph.names = vec![None; ph.count];
        }
        let mut args = self.args(&ph);
        if cols[0] == "id" {
            // Once a rowid reaches i64::MAX, SQLite picks later rowids at random (a
            // different sequence on every run), so no value of an id insert comes near it.
            for v in args.vals.iter_mut() {
                let huge = match v {
                    Val::I64(i) | Val::VInt(i) | Val::SomeI64(i) => *i > 1 << 60,
                    Val::U64(u) => *u > 1 << 60,
                    _ => false,
                };
                if huge {
                    *v = Val::I64(1000);
                }
            }
        }
        if api == ExecApi::Insert && self.rng.chance(10) {
            api = ExecApi::Conn;
        }
        Op::Exec { sql, args, api }
    }

    fn update(&mut self) -> Op {
        let t = self.table();
        let col = self.rng.pick(&["a", "b", "c"]);
        let ph = self.placeholders(2);
        let (s1, s2) = (ph.slots[0].clone(), ph.slots[1].clone());
        let sql = match self.rng.below(6) {
            0 => format!("UPDATE t{t} SET {col} = {s1} WHERE id = {s2}"),
            1 => format!("UPDATE t{t} SET {col} = {s1} WHERE a IS {s2}"),
            2 => format!("UPDATE t{t} SET {col} = {col} + {s1} WHERE id > {s2}"),
            3 => format!("UPDATE t{t} SET c = c || {s1} WHERE id <= {s2}"),
            4 => format!("UPDATE t{t} SET {col} = {s1}, b = {s2}"),
            _ => format!("UPDATE OR IGNORE t{t} SET {col} = {s1} WHERE id = {s2}"),
        };
        let mut args = self.args(&ph);
        // Ids are small: steer the WHERE value towards existing rows.
        if args.vals.len() == 2 && self.rng.chance(50) {
            args.vals[1] = Val::I64(self.rng.pick(&[1, 2, 3, 4, 5]));
            if args.form == Form::I64Array && !matches!(args.vals[0], Val::I64(_)) {
                args.vals[0] = Val::I64(1);
            }
        }
        Op::Exec {
            sql,
            args,
            api: self.exec_api_no_returning(),
        }
    }

    fn exec_api_no_returning(&mut self) -> ExecApi {
        match self.exec_api() {
            ExecApi::QueryRowValue => ExecApi::Conn,
            a => a,
        }
    }

    fn delete(&mut self) -> Op {
        let t = self.table();
        let (sql, n) = match self.rng.below(6) {
            0 => (format!("DELETE FROM t{t} WHERE id = ?1"), 1),
            1 => (format!("DELETE FROM t{t} WHERE a IS ?1"), 1),
            2 => (format!("DELETE FROM t{t} WHERE id % 2 = 0"), 0),
            3 => (format!("DELETE FROM t{t} WHERE typeof(b) = ?1"), 1),
            4 => (format!("DELETE FROM t{t} WHERE id IN (?1, ?2)"), 2),
            _ => (format!("DELETE FROM t{t}"), 0),
        };
        let ph = Placeholders {
            slots: Vec::new(),
            count: n,
            names: vec![None; n],
        };
        let mut args = self.args(&ph);
        if n > 0 && args.vals.len() == n && self.rng.chance(50) {
            args.vals[0] = Val::I64(self.rng.pick(&[1, 2, 3]));
        }
        Op::Exec {
            sql,
            args,
            api: self.exec_api_no_returning(),
        }
    }

    // ---- reads ----

    fn select_table(&mut self) -> Op {
        let t = self.table();
        // Remote: not the queries that fail at a later row (`abs()` of a stored `i64::MIN`, 14
        // and 15): the test server sends the error of a statement that fails mid-result
        // without the rows before it.
        let kind = self.below_except_remote(16, &[14, 15]);
        let (sql, names, nparams): (String, Vec<&str>, usize) = match kind {
            14 => (
                format!("SELECT abs(a) AS x FROM t{t} ORDER BY id"),
                vec!["x"],
                0,
            ),
            15 => (
                format!(
                    "SELECT CASE WHEN id = 3 THEN abs(-9223372036854775808) ELSE id END AS x \
                 FROM t{t} ORDER BY id"
                ),
                vec!["x"],
                0,
            ),
            0 => (format!("SELECT a FROM t{t} ORDER BY id"), vec!["a"], 0),
            1 => (format!("SELECT b FROM t{t} ORDER BY id"), vec!["b"], 0),
            2 => (format!("SELECT c FROM t{t} ORDER BY id"), vec!["c"], 0),
            3 | 4 => (
                format!("SELECT id, a, b, c FROM t{t} ORDER BY id"),
                vec!["id", "a", "b", "c"],
                0,
            ),
            5 => (
                format!("SELECT typeof(a), typeof(b), typeof(c) FROM t{t} ORDER BY id"),
                vec!["typeof(a)", "typeof(b)", "typeof(c)"],
                0,
            ),
            6 => (
                format!("SELECT count(*) AS n, sum(a), total(b), max(c), min(a) FROM t{t}"),
                vec!["n", "sum(a)", "total(b)", "max(c)", "min(a)"],
                0,
            ),
            7 => (format!("SELECT avg(a) AS av FROM t{t}"), vec!["av"], 0),
            8 => (
                format!("SELECT a FROM t{t} WHERE a > ?1 ORDER BY id"),
                vec!["a"],
                1,
            ),
            9 => (
                format!("SELECT a, b FROM t{t} WHERE id = ?1"),
                vec!["a", "b"],
                1,
            ),
            10 => (
                format!("SELECT * FROM t{t} ORDER BY id LIMIT ?1"),
                vec!["id", "a", "b", "c"],
                1,
            ),
            11 => (
                format!("SELECT a + b AS s FROM t{t} ORDER BY id"),
                vec!["s"],
                0,
            ),
            12 => (
                format!("SELECT length(c) AS l, hex(c) AS h FROM t{t} ORDER BY id"),
                vec!["l", "h"],
                0,
            ),
            _ => (
                format!("SELECT DISTINCT typeof(a) AS ty FROM t{t} ORDER BY 1"),
                vec!["ty"],
                0,
            ),
        };
        let ph = Placeholders {
            slots: Vec::new(),
            count: nparams,
            names: vec![None; nparams],
        };
        let mut args = self.args(&ph);
        if nparams == 1 && args.vals.len() == 1 && self.rng.chance(60) {
            args.vals[0] = Val::I64(self.rng.pick(&[0, 1, 2, 3, 10]));
            if args.form == Form::Slice && self.rng.chance(50) {
                args.form = Form::Macro;
            }
        }
        let reads = self.reads(names.len(), Some(&names));
        Op::Query {
            sql,
            args,
            reads,
            api: self.query_api(),
            prep: self.prep(),
        }
    }

    fn select_expr(&mut self) -> Op {
        const EXPRS: &[(&str, usize)] = &[
            ("?1", 1),
            ("?1", 1),
            ("typeof(?1)", 1),
            ("length(?1)", 1),
            ("hex(?1)", 1),
            ("quote(?1)", 1),
            ("?1 + ?2", 2),
            ("?1 - ?2", 2),
            ("?1 * ?2", 2),
            ("?1 / ?2", 2),
            ("?1 % ?2", 2),
            ("?1 || ?2", 2),
            ("?1 = ?2", 2),
            ("?1 < ?2", 2),
            ("?1 IS ?2", 2),
            ("CAST(?1 AS INTEGER)", 1),
            ("CAST(?1 AS REAL)", 1),
            ("CAST(?1 AS TEXT)", 1),
            ("CAST(?1 AS BLOB)", 1),
            ("CAST(?1 AS NUMERIC)", 1),
            ("abs(?1)", 1),
            ("-?1", 1),
            ("coalesce(?1, ?2)", 2),
            ("nullif(?1, ?2)", 2),
            ("max(?1, ?2)", 2),
            ("min(?1, ?2)", 2),
            ("upper(?1)", 1),
            ("substr(?1, 2, 3)", 1),
            ("instr(?1, ?2)", 2),
            ("replace(?1, 'l', 'L')", 1),
            ("trim(?1)", 1),
            ("unicode(?1)", 1),
            ("char(?1)", 1),
            ("zeroblob(?1)", 1),
            ("printf('%d|%s', ?1, ?2)", 2),
            ("?1 BETWEEN 0 AND ?2", 2),
            ("CASE WHEN ?1 THEN 'yes' ELSE 'no' END", 1),
            ("?1 IN (1, 2, 'x')", 1),
            ("ifnull(?1, 'dflt')", 1),
            ("?1 & ?2", 2),
            ("?1 << ?2", 2),
            ("~?1", 1),
            ("NOT ?1", 1),
            ("?1 LIKE ?2", 2),
            ("?1 GLOB ?2", 2),
            ("sum(?1)", 1),
            ("total(?1)", 1),
            ("?1, ?2", 2),
            ("?1, typeof(?1), length(?1)", 1),
            ("dbl(?1)", 1),
            ("dbl(?1) + dbl(?2)", 2),
            ("boom(?1)", 1),
            ("tname(?1)", 1),
            ("cnt(?1, ?2)", 2),
            ("half(?1)", 1),
        ];
        let (expr, n) = self.rng.pick(EXPRS);
        let named = self.rng.chance(25);
        let (expr, ph) = if named {
            let prefix = self.rng.pick(&[":", "@", "$"]);
            let x = format!("{prefix}x");
            let y = format!("{prefix}y");
            let e = expr.replace("?1", &x).replace("?2", &y);
            let names = [x, y][..n].iter().cloned().map(Some).collect();
            (
                e,
                Placeholders {
                    slots: Vec::new(),
                    count: n,
                    names,
                },
            )
        } else {
            (
                expr.to_string(),
                Placeholders {
                    slots: Vec::new(),
                    count: n,
                    names: vec![None; n],
                },
            )
        };
        let sql = format!("SELECT {expr}");
        let ncols = match expr.as_str() {
            e if e.contains("typeof") && e.contains("length") => 3,
            e if e.contains(", ") && !e.contains('(') => 2,
            _ => 1,
        };
        let args = self.args(&ph);
        let reads = self.reads(ncols, None);
        Op::Query {
            sql,
            args,
            reads,
            api: self.query_api(),
            prep: self.prep(),
        }
    }

    fn select_by_id(&mut self) -> Op {
        let t = self.table();
        let col = self.rng.pick(&["a", "b", "c", "id"]);
        let sql = format!("SELECT {col} FROM t{t} WHERE id = ?1");
        let id = match self.rng.below(6) {
            0 => Val::Text("1".into()),
            1 => Val::I64(999),
            _ => Val::I64(self.rng.pick(&[1, 2, 3, 4])),
        };
        let ph = Placeholders {
            slots: Vec::new(),
            count: 1,
            names: vec![None],
        };
        let args = self.args_for(vec![id], &ph);
        let reads = self.reads(1, Some(&[col]));
        let api = self.rng.pick(&[
            QueryApi::ConnRow,
            QueryApi::ConnRowOptional,
            QueryApi::ConnRowOptional,
            QueryApi::StmtRow,
            QueryApi::Exists,
        ]);
        Op::Query {
            sql,
            args,
            reads,
            api,
            prep: self.prep(),
        }
    }

    // ---- raw sql ----

    fn raw(&mut self) -> Op {
        let t = self.table();
        // Remote: not `PRAGMA journal_mode` (58), the server owns its journal.
        let sql = match self.below_except_remote(67, &[58]) {
            // Connection state a remote or replica connection keeps on its server session,
            // read back in plain queries (which a replica answers from its local file).
            60 => "SELECT last_insert_rowid(), changes(), total_changes()".to_string(),
            61 => "PRAGMA case_sensitive_like = ON".to_string(),
            62 => "PRAGMA case_sensitive_like = OFF".to_string(),
            63 => "SELECT 'ABC' LIKE 'abc', 'Abc' LIKE 'a%'".to_string(),
            64 => "CREATE TEMP TABLE scratch (x)".to_string(),
            65 => "DROP TABLE temp.scratch".to_string(),
            66 => "SELECT count(*) FROM sqlite_temp_master".to_string(),
            52 => format!("ALTER TABLE t{t} ADD COLUMN d TEXT DEFAULT 'dd'"),
            53 => format!("ALTER TABLE t{t} RENAME COLUMN c TO c2"),
            54 => format!("ALTER TABLE t{t} RENAME COLUMN c2 TO c"),
            55 => format!("ALTER TABLE t{t} DROP COLUMN d"),
            56 => format!("SELECT * FROM t{t} ORDER BY id"),
            57 => "PRAGMA user_version = 3".to_string(),
            58 => "PRAGMA journal_mode".to_string(),
            59 => format!("INSERT INTO t{t} (a) VALUES (301); -- trailing comment"),
            0 => "SELEC 1".to_string(),
            1 => "SELECT * FROM".to_string(),
            2 => "SELECT 1 +".to_string(),
            3 => format!("INSERT INTO t{t} VALUES ("),
            4 => "SELECT 'unterminated".to_string(),
            5 => "CREATE TABLE".to_string(),
            6 => "SELECT * FROM nope".to_string(),
            7 => format!("SELECT zz FROM t{t}"),
            8 => format!("INSERT INTO t{t} (zz) VALUES (1)"),
            9 => String::new(),
            10 => "   ".to_string(),
            11 => "-- only a comment".to_string(),
            12 => "/* c */ SELECT 1".to_string(),
            13 => "SELECT 1; SELECT 2".to_string(),
            14 => format!("INSERT INTO t{t} (a) VALUES (101); INSERT INTO t{t} (a) VALUES (102)"),
            15 => "SELECT 1\0 junk".to_string(),
            16 => format!("INSERT INTO t{t} (a) VALUES (103)\0 junk"),
            17 => "BEGIN".to_string(),
            18 => "BEGIN IMMEDIATE".to_string(),
            19 => "COMMIT".to_string(),
            20 => "ROLLBACK".to_string(),
            21 => "END".to_string(),
            22 => "SAVEPOINT sp1".to_string(),
            23 => "RELEASE sp1".to_string(),
            24 => "ROLLBACK TO sp1".to_string(),
            25 => format!("CREATE INDEX IF NOT EXISTS ia{t} ON t{t} (a)"),
            26 => format!("CREATE UNIQUE INDEX ub{t} ON t{t} (b)"),
            27 => format!("DROP INDEX ub{t}"),
            28 => format!("CREATE VIEW v{t} AS SELECT a, b FROM t{t}"),
            29 => format!("SELECT * FROM v{t} ORDER BY 1, 2"),
            30 => format!("DROP VIEW v{t}"),
            31 => format!(
                "CREATE TRIGGER IF NOT EXISTS trg{t} BEFORE INSERT ON t{t} WHEN NEW.a = 13 \
                 BEGIN SELECT RAISE(ABORT, 'thirteen'); END"
            ),
            32 => format!("DROP TRIGGER trg{t}"),
            33 => "VACUUM".to_string(),
            34 => "ATTACH DATABASE ':memory:' AS aux".to_string(),
            35 => "DETACH DATABASE aux".to_string(),
            36 => "CREATE TABLE aux.x (a)".to_string(),
            37 => "SELECT RAISE(ABORT, 'x')".to_string(),
            38 => "SELECT abs(-9223372036854775808)".to_string(),
            39 => "SELECT sum(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1)"
                .to_string(),
            40 => "SELECT 1 / 0, 5 % 0, 9223372036854775807 + 1".to_string(),
            41 => format!("SELECT * FROM t{t} WHERE a = ?"),
            42 => "SELECT name, type FROM sqlite_master ORDER BY name".to_string(),
            43 => "PRAGMA integrity_check".to_string(),
            44 => format!(
                "INSERT INTO t{t} (a) VALUES (201); SELEC 2; INSERT INTO t{t} (a) VALUES (202)"
            ),
            45 => format!(
                "INSERT INTO t{t} (a) VALUES (203); INSERT INTO nope VALUES (1); \
                 INSERT INTO t{t} (a) VALUES (204)"
            ),
            46 => format!(
                "CREATE TABLE tmp{t} (x); INSERT INTO tmp{t} VALUES (1), (2); \
                 SELECT * FROM tmp{t}; DROP TABLE tmp{t}"
            ),
            47 => format!("BEGIN; INSERT INTO t{t} (a) VALUES (205); COMMIT"),
            48 => format!("INSERT INTO t{t} (a) VALUES (206);;; ;"),
            49 => "SELECT 1 AS one, 'two' AS two, NULL, 2.5, x'0102', 6".to_string(),
            50 => format!("SELECT a AS x, b, count(*) AS n FROM t{t} GROUP BY a, b ORDER BY 1, 2"),
            _ => "SELECT :a, @b, $c, ?4, ?".to_string(),
        };
        // Comments where SQL allows them: a migration file's first line, or one between the
        // first two words (`PRAGMA /* c */ case_sensitive_like = ON`, `CREATE /* c */ TEMP …`).
        let sql = match self.rng.below(8) {
            0 if !sql.is_empty() => format!("-- note\n{sql}"),
            1 => match sql.split_once(' ') {
                Some((head, tail)) => format!("{head} /* c */ {tail}"),
                None => sql,
            },
            _ => sql,
        };
        let api = self.rng.pick(&[
            RawApi::Execute,
            RawApi::Execute,
            RawApi::Batch,
            RawApi::Batch,
            RawApi::Prepare,
            RawApi::QueryAll,
            RawApi::BatchIter,
        ]);
        Op::Raw { sql, api }
    }

    fn reuse(&mut self) -> Op {
        let t = self.table();
        let ph = self.placeholders(2);
        let sql = format!(
            "INSERT INTO t{t} (a, b) VALUES ({}, {})",
            ph.slots[0], ph.slots[1]
        );
        let n = 2 + self.rng.below(3);
        let sets = (0..n)
            .map(|_| {
                let args = self.args(&ph);
                let api = if self.rng.chance(30) {
                    ExecApi::Insert
                } else {
                    ExecApi::Prepared
                };
                (args, api)
            })
            .collect();
        Op::Reuse { sql, sets }
    }

    fn raw_bind(&mut self) -> Op {
        let t = self.table();
        let (sql, query) = if self.rng.chance(60) {
            ("SELECT ?1, :n, ?3".to_string(), true)
        } else {
            (
                format!("INSERT INTO t{t} (a, b, c) VALUES (?1, :n, ?3)"),
                false,
            )
        };
        let n = 1 + self.rng.below(4);
        let binds = (0..n)
            .map(|_| {
                let idx = match self.rng.below(8) {
                    0 => BindIdx::Pos(0),
                    1 => BindIdx::Pos(9),
                    2 => BindIdx::Name(":n".into()),
                    3 => BindIdx::Name(self.rng.pick(&[":missing", ":n\0"]).to_string()),
                    _ => BindIdx::Pos(1 + self.rng.below(3)),
                };
                (idx, self.val())
            })
            .collect();
        Op::RawBind {
            sql,
            binds,
            query,
            clear_and_rerun: self.rng.chance(50),
        }
    }

    fn cached(&mut self) -> Op {
        let t = self.table();
        let pool = [
            format!("INSERT INTO t{t} (a, b) VALUES (?1, ?2)"),
            format!("SELECT a, b FROM t{t} WHERE id = ?1"),
            format!("SELECT count(*) FROM t{t}"),
            format!("UPDATE t{t} SET c = ?1 WHERE id = ?2"),
            "SELECT ?1, ?2".to_string(),
        ];
        let i = self.rng.below(pool.len());
        let sql = pool[i].clone();
        if self.rng.chance(25) {
            return Op::CachedUnbound { sql };
        }
        let n = sql.matches('?').count();
        let ph = Placeholders {
            slots: Vec::new(),
            count: n,
            names: vec![None; n],
        };
        let args = self.args(&ph);
        if sql.starts_with("SELECT") {
            let ncols = if i == 2 { 1 } else { 2 };
            let reads = self.reads(ncols, None);
            Op::Query {
                sql,
                args,
                reads,
                api: self
                    .rng
                    .pick(&[QueryApi::Map, QueryApi::Next, QueryApi::StmtRow]),
                prep: Prep::Cached,
            }
        } else {
            Op::Exec {
                sql,
                args,
                api: ExecApi::Cached,
            }
        }
    }

    fn pragma(&mut self) -> Op {
        let t = self.table();
        // Remote: not `journal_mode` (6), the server owns its journal.
        Op::Pragma(match self.below_except_remote(9, &[6]) {
            0 => PragmaOp::QueryValue("user_version"),
            1 => PragmaOp::Update("user_version", self.val()),
            2 => PragmaOp::QueryValue("foreign_keys"),
            3 => PragmaOp::Update("foreign_keys", Val::Bool(self.rng.chance(50))),
            4 => PragmaOp::TableInfo(format!("t{t}")),
            5 => PragmaOp::Query("index_list"),
            6 => PragmaOp::JournalMode(self.rng.pick(&["wal", "delete", "memory", "bogus"])),
            7 => PragmaOp::QueryValue("application_id"),
            _ => PragmaOp::Update("application_id", self.val()),
        })
    }

    fn scope(&mut self, budget: &mut usize, depth: usize) -> Op {
        let how = match self.rng.below(8) {
            0 | 1 => ScopeHow::Transaction,
            2 => ScopeHow::TransactionWith(self.behavior()),
            3 => ScopeHow::Unchecked,
            4 | 5 => ScopeHow::Savepoint,
            _ => ScopeHow::SavepointNamed(
                self.rng
                    .pick(&["sp_a", "sp a", "with\"quote", "sp1"])
                    .to_string(),
            ),
        };
        let mut inner = (1 + self.rng.below(5)).min(*budget);
        *budget -= inner;
        let body = self.block(&mut inner, depth + 1);
        let savepoint = matches!(how, ScopeHow::Savepoint | ScopeHow::SavepointNamed(_));
        let end = match self.rng.below(12) {
            0..=3 => ScopeEnd::Commit,
            4..=5 => ScopeEnd::Rollback,
            6 => ScopeEnd::Finish,
            7 if savepoint => ScopeEnd::RollbackThenCommit,
            8 => ScopeEnd::Drop(DropHow::Commit),
            9 => ScopeEnd::Drop(DropHow::Ignore),
            10 => ScopeEnd::Drop(DropHow::Rollback),
            _ => ScopeEnd::DropDefault,
        };
        Op::Scope { how, body, end }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic() {
        let a = format!("{:?}", generate(7, 80, Mode::Local));
        let b = format!("{:?}", generate(7, 80, Mode::Local));
        assert_eq!(a, b);
        assert_ne!(a, format!("{:?}", generate(8, 80, Mode::Local)));
    }
}
