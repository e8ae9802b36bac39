//! What a remote connection must know about SQL text without asking the server: where the
//! first statement ends, whether it is blank, what parameters it has (SQLite's numbering), and
//! whether it can return rows. libsql's remote statements report none of this correctly
//! (`parameter_count()` is always 0), and asking the server would cost a round trip.

use crate::error::error_from_sqlite_code;
use crate::types::ValueRef;
use crate::{ffi, Error, Result};
use std::cell::RefCell;

/// A statement's parameters in SQLite's numbering: index `i + 1` is entry `i`, named or `None`
/// for a plain `?`.
pub(crate) struct Parameters(Vec<Option<String>>);

impl Parameters {
    pub(crate) fn of(stmt: &str) -> Parameters {
        Parameters(parameters(stmt))
    }

    pub(crate) fn count(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn index(&self, name: &str) -> Option<usize> {
        self.0
            .iter()
            .position(|p| p.as_deref() == Some(name))
            .map(|i| i + 1)
    }

    pub(crate) fn name(&self, index: usize) -> Option<&str> {
        self.0.get(index.checked_sub(1)?)?.as_deref()
    }

    /// The 0-based slot of 1-based `index`, or SQLite's range error.
    pub(crate) fn slot(&self, index: usize) -> Result<usize> {
        match index.checked_sub(1) {
            Some(i) if i < self.0.len() => Ok(i),
            _ => Err(error_from_sqlite_code(
                ffi::SQLITE_RANGE,
                Some("column index out of range".to_owned()),
            )),
        }
    }
}

/// A bound value as an SQL literal, the way `sqlite3_expanded_sql` writes it.
pub(crate) fn literal(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Integer(v) => v.to_string(),
        ValueRef::Real(v) => format_real(v),
        ValueRef::Text(t) => format!("'{}'", String::from_utf8_lossy(t).replace('\'', "''")),
        ValueRef::Blob(b) => {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            format!("x'{hex}'")
        }
        ValueRef::Null => "NULL".to_owned(),
    }
}

/// A REAL as SQLite's `%!.15g` writes it: integral values keep a `.0`.
fn format_real(v: f64) -> String {
    if v.is_finite() && v == v.trunc() && v.abs() < 1e15 {
        format!("{v:.1}")
    } else {
        let s = format!("{v}");
        if s.contains('e') || s.contains('.') || !v.is_finite() {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// A lexical token class, enough for the questions above.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Word(&'a str),
    Param(&'a str),
    Semicolon,
    Other,
}

/// Iterates over the tokens of `sql`, skipping whitespace, comments and literals' contents.
/// Yields `(byte_offset_after_token, token)`.
struct Lexer<'a> {
    sql: &'a str,
    pos: usize,
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

impl<'a> Iterator for Lexer<'a> {
    type Item = (usize, Token<'a>);

    fn next(&mut self) -> Option<(usize, Token<'a>)> {
        let bytes = self.sql.as_bytes();
        loop {
            let start = self.pos;
            let b = *bytes.get(start)?;
            let rest = &bytes[start..];
            let end_of = |len: usize| start + len;
            let token;
            if b.is_ascii_whitespace() {
                self.pos += 1;
                continue;
            } else if rest.starts_with(b"--") {
                let len = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
                self.pos = end_of(len);
                continue;
            } else if rest.starts_with(b"/*") {
                let len = rest[2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map_or(rest.len(), |p| p + 4);
                self.pos = end_of(len);
                continue;
            } else if b == b'\'' || b == b'"' || b == b'`' || b == b'[' {
                let close = if b == b'[' { b']' } else { b };
                let mut i = 1;
                while i < rest.len() {
                    if rest[i] == close {
                        // A doubled quote is an escaped quote (not for `[...]`).
                        if close != b']' && rest.get(i + 1) == Some(&close) {
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                self.pos = end_of(i.min(rest.len()));
                // A quoted identifier is a word with its quotes: never equal to a keyword.
                token = if b == b'\'' {
                    Token::Other
                } else {
                    Token::Word(&self.sql[start..self.pos])
                };
            } else if b == b';' {
                self.pos = end_of(1);
                token = Token::Semicolon;
            } else if b == b'?' {
                let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                self.pos = end_of(1 + digits);
                token = Token::Param(&self.sql[start..self.pos]);
            } else if (b == b':' || b == b'@' || b == b'$')
                && rest.get(1).is_some_and(|&c| is_ident_byte(c))
            {
                let mut len = 1 + rest[1..].iter().take_while(|&&c| is_ident_byte(c)).count();
                // Tcl-style `$name::sub(suffix)`, which SQLite also accepts.
                while b == b'$' && rest[len..].starts_with(b"::") {
                    len += 2 + rest[len + 2..]
                        .iter()
                        .take_while(|&&c| is_ident_byte(c))
                        .count();
                }
                self.pos = end_of(len);
                token = Token::Param(&self.sql[start..self.pos]);
            } else if is_ident_byte(b) {
                let len = rest.iter().take_while(|&&c| is_ident_byte(c)).count();
                self.pos = end_of(len);
                token = Token::Word(&self.sql[start..self.pos]);
            } else {
                // Operators and punctuation; step over one UTF-8 char.
                let len = self.sql[start..].chars().next().map_or(1, char::len_utf8);
                self.pos = end_of(len);
                token = Token::Other;
            }
            return Some((self.pos, token));
        }
    }
}

fn lex(sql: &str) -> Lexer<'_> {
    Lexer { sql, pos: 0 }
}

/// The first statement of `sql` and the byte offset where the rest begins. A trigger body's
/// semicolons (`CREATE TRIGGER … BEGIN …; …; END`) don't end the statement.
pub(crate) fn split_first(sql: &str) -> (&str, usize) {
    let mut words = 0usize;
    let mut is_trigger = false;
    let mut depth = 0usize;
    let mut first_word = "";
    for (end, tok) in lex(sql) {
        match tok {
            Token::Word(w) => {
                words += 1;
                if words == 1 {
                    first_word = w;
                }
                if first_word.eq_ignore_ascii_case("create")
                    && words <= 4
                    && w.eq_ignore_ascii_case("trigger")
                {
                    is_trigger = true;
                }
                if is_trigger {
                    if w.eq_ignore_ascii_case("begin") || w.eq_ignore_ascii_case("case") {
                        depth += 1;
                    } else if w.eq_ignore_ascii_case("end") {
                        depth = depth.saturating_sub(1);
                    }
                }
            }
            Token::Semicolon if depth == 0 => return (&sql[..end], end),
            _ => {}
        }
    }
    (sql, sql.len())
}

/// The statements of `sql` as [`split_first`] cuts them (leading whitespace included), with
/// the byte offset each starts at; blank ones (a lone `;`, comments) are skipped.
pub(crate) fn statements(sql: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    std::iter::from_fn(move || loop {
        let rest = &sql[offset..];
        // Not blank: the first piece is not empty, so every round moves on.
        if is_blank(rest) {
            return None;
        }
        let (first, tail) = split_first(rest);
        let start = offset;
        offset += tail;
        if !is_blank(first) {
            return Some((start, first));
        }
    })
}

/// Whether the first word of `stmt` (leading whitespace and comments skipped) is one of
/// `keywords` (lowercase), ignoring case.
pub(crate) fn starts_with_keyword(stmt: &str, keywords: &[&str]) -> bool {
    words(stmt)
        .next()
        .is_some_and(|first| keywords.iter().any(|k| first.eq_ignore_ascii_case(k)))
}

/// True when `stmt` holds no SQL at all (whitespace, comments, semicolons).
pub(crate) fn is_blank(stmt: &str) -> bool {
    lex(stmt).all(|(_, t)| t == Token::Semicolon)
}

/// The statement's parameters by 1-based index, numbered as SQLite numbers them: `?NNN` takes
/// NNN, `?` takes one past the largest so far, and a name takes one past the largest at its
/// first use. `None` marks an anonymous `?`. The length is `sqlite3_bind_parameter_count`.
pub(crate) fn parameters(stmt: &str) -> Vec<Option<String>> {
    let mut params: Vec<Option<String>> = Vec::new();
    for (_, tok) in lex(stmt) {
        let Token::Param(p) = tok else { continue };
        if p == "?" {
            params.push(None);
        } else if let Some(n) = p.strip_prefix('?') {
            let Ok(n) = n.parse::<usize>() else { continue };
            if n == 0 || n > 32766 {
                continue;
            }
            if params.len() < n {
                params.resize(n, None);
            }
            if params[n - 1].is_none() {
                params[n - 1] = Some(p.to_owned());
            }
        } else if !params.iter().any(|q| q.as_deref() == Some(p)) {
            params.push(Some(p.to_owned()));
        }
    }
    params
}

/// Whether the statement can return rows: queries, `RETURNING` clauses, and the statements
/// (PRAGMA, EXPLAIN) that may. Others can be run without asking the server for columns.
pub(crate) fn may_return_rows(stmt: &str) -> bool {
    let mut words = words(stmt);
    let Some(first) = words.next() else {
        return false;
    };
    let no_rows = [
        "insert",
        "update",
        "delete",
        "replace",
        "create",
        "drop",
        "alter",
        "begin",
        "commit",
        "end",
        "rollback",
        "savepoint",
        "release",
        "vacuum",
        "analyze",
        "attach",
        "detach",
        "reindex",
    ];
    if !no_rows.iter().any(|k| first.eq_ignore_ascii_case(k)) {
        return true;
    }
    // DML with RETURNING returns rows; DDL never does.
    words.any(|w| w.eq_ignore_ascii_case("returning"))
}

fn words(stmt: &str) -> impl Iterator<Item = &str> {
    lex(stmt).filter_map(|(_, t)| match t {
        Token::Word(w) => Some(w),
        _ => None,
    })
}

/// Whether the statement may write: anything but a plain query, `EXPLAIN` or a `WITH` query
/// without DML.
pub(crate) fn may_modify(stmt: &str) -> bool {
    let mut w = words(stmt);
    match w.next() {
        None => false,
        Some(first)
            if first.eq_ignore_ascii_case("select") || first.eq_ignore_ascii_case("values") =>
        {
            false
        }
        Some(first)
            if [
                "explain",
                "begin",
                "commit",
                "end",
                "rollback",
                "savepoint",
                "release",
            ]
            .iter()
            .any(|k| first.eq_ignore_ascii_case(k)) =>
        {
            false
        }
        // A PRAGMA may write when it assigns a value, or gives one in parentheses to a PRAGMA
        // that writes the file (`user_version(3)`; `table_info(t)` only reads).
        Some(first) if first.eq_ignore_ascii_case("pragma") => pragma(stmt).is_some_and(|p| {
            p.value == PragmaValue::Assigned
                || (p.value == PragmaValue::InParentheses && p.writes_file())
        }),
        Some(first) if first.eq_ignore_ascii_case("with") => w.any(|x| {
            ["insert", "update", "delete", "replace"]
                .iter()
                .any(|k| x.eq_ignore_ascii_case(k))
        }),
        Some(_) => true,
    }
}

/// A query that only reads the database's rows: `SELECT`, `VALUES`, or `WITH` without DML.
/// (Not `PRAGMA`, `EXPLAIN` or transaction control.)
pub(crate) fn is_plain_query(stmt: &str) -> bool {
    match words(stmt).next() {
        Some(first) if first.eq_ignore_ascii_case("with") => !may_modify(stmt),
        Some(first) => first.eq_ignore_ascii_case("select") || first.eq_ignore_ascii_case("values"),
        None => false,
    }
}

/// Whether the statement calls `last_insert_rowid()`, `changes()` or `total_changes()`: their
/// answer is the counters of the connection that ran the statement (a column or table of one
/// of those names is not a call).
pub(crate) fn reads_connection_counters(stmt: &str) -> bool {
    const COUNTERS: [&str; 3] = ["last_insert_rowid", "changes", "total_changes"];
    lex(stmt).any(|(end, token)| {
        let Token::Word(w) = token else { return false };
        let rest = &stmt[end..];
        COUNTERS.iter().any(|f| w.eq_ignore_ascii_case(f))
            && matches!(lex(rest).next(), Some((after, Token::Other)) if rest.as_bytes()[after - 1] == b'(')
    })
}

/// `sqlite3_stmt_readonly`: [`may_modify`]'s answer, except that `BEGIN IMMEDIATE` /
/// `EXCLUSIVE` is not read-only (it takes the write lock), `ATTACH` / `DETACH` are (they
/// change only the connection), a PRAGMA is as [`Pragma::writes_file`] says, and an `EXPLAIN`
/// (`QUERY PLAN` too) is as the statement it explains.
pub(crate) fn stmt_readonly(stmt: &str) -> bool {
    match words(stmt).next() {
        Some(first) if first.eq_ignore_ascii_case("explain") => stmt_readonly(explained(stmt)),
        Some(first)
            if first.eq_ignore_ascii_case("attach") || first.eq_ignore_ascii_case("detach") =>
        {
            true
        }
        Some(first) if first.eq_ignore_ascii_case("pragma") => {
            !pragma(stmt).is_some_and(|p| p.writes_file())
        }
        _ => tx_control(stmt) != TxControl::Begin(true) && !may_modify(stmt),
    }
}

/// The statement an `EXPLAIN [QUERY PLAN]` explains.
fn explained(stmt: &str) -> &str {
    let Some((end, _)) = lex(stmt).next() else {
        return stmt;
    };
    let rest = &stmt[end..];
    let mut tokens = lex(rest);
    match (tokens.next(), tokens.next()) {
        (Some((_, Token::Word(query))), Some((plan_end, Token::Word(plan))))
            if query.eq_ignore_ascii_case("query") && plan.eq_ignore_ascii_case("plan") =>
        {
            &rest[plan_end..]
        }
        _ => rest,
    }
}

/// A PRAGMA statement as SQLite reads it: `PRAGMA [schema .] name [= value | (value)]`,
/// comments anywhere between the tokens.
pub(crate) struct Pragma {
    /// The schema named before the dot, unquoted and lowercased.
    pub(crate) schema: Option<String>,
    /// The name, unquoted and lowercased.
    pub(crate) name: String,
    pub(crate) value: PragmaValue,
}

/// How a PRAGMA is given a value, if it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PragmaValue {
    None,
    /// `= value`: always a setting.
    Assigned,
    /// `(value)`: a setting, or the argument of a query (`table_info(t)`).
    InParentheses,
}

/// The parts of `stmt` if it is a PRAGMA.
pub(crate) fn pragma(stmt: &str) -> Option<Pragma> {
    let mut tokens = lex(stmt).map(|(end, token)| (&stmt[..end], token));
    match tokens.next() {
        Some((_, Token::Word(w))) if w.eq_ignore_ascii_case("pragma") => {}
        _ => return None,
    }
    let Some((_, Token::Word(mut name))) = tokens.next() else {
        return None;
    };
    let mut schema = None;
    let mut next = tokens.next();
    if matches!(next, Some((upto, Token::Other)) if upto.ends_with('.')) {
        schema = Some(name);
        let Some((_, Token::Word(w))) = tokens.next() else {
            return None;
        };
        name = w;
        next = tokens.next();
    }
    let value = match next {
        Some((upto, Token::Other)) if upto.ends_with('=') => PragmaValue::Assigned,
        Some((upto, Token::Other)) if upto.ends_with('(') => PragmaValue::InParentheses,
        _ => PragmaValue::None,
    };
    Some(Pragma {
        schema: schema.map(identifier),
        name: identifier(name),
        value,
    })
}

/// An identifier token's name: without its quotes (a doubled quote inside is one quote),
/// ASCII lowercased, as SQLite compares names.
fn identifier(token: &str) -> String {
    let quoted = |open: char, close: char| {
        (token.len() >= 2 && token.starts_with(open) && token.ends_with(close))
            .then(|| &token[1..token.len() - 1])
    };
    let name = if let Some(inner) = quoted('[', ']') {
        inner.to_owned()
    } else if let Some((q, inner)) = ['"', '`']
        .into_iter()
        .find_map(|q| quoted(q, q).map(|inner| (q, inner)))
    {
        inner.replace(&format!("{q}{q}"), &q.to_string())
    } else {
        token.to_owned()
    };
    name.to_ascii_lowercase()
}

impl Pragma {
    /// Whether it writes the database file (`sqlite3_stmt_readonly` is false). Only a few do:
    /// found by preparing every name in `pragma_pragma_list` on the engine, read and given a
    /// value, with and without a schema. Setting a connection's options (`foreign_keys`,
    /// `cache_size`, `case_sensitive_like`…) does not.
    pub(crate) fn writes_file(&self) -> bool {
        const WRITE_ALWAYS: [&str; 3] = ["incremental_vacuum", "journal_mode", "wal_checkpoint"];
        const WRITE_WITH_A_VALUE: [&str; 5] = [
            "application_id",
            "auto_vacuum",
            "default_cache_size",
            "schema_version",
            "user_version",
        ];
        let is = |list: &[&str]| list.contains(&self.name.as_str());
        is(&WRITE_ALWAYS) || (self.value != PragmaValue::None && is(&WRITE_WITH_A_VALUE))
    }
}

/// `CREATE TEMP …` or `CREATE … temp.name` (the schema quoted or not, comments anywhere): an
/// object made in the connection's TEMP schema.
pub(crate) fn creates_in_temp(stmt: &str) -> bool {
    const BEFORE_NAME: [&str; 9] = [
        "unique", "virtual", "table", "view", "index", "trigger", "if", "not", "exists",
    ];
    let mut tokens = lex(stmt).map(|(end, token)| (&stmt[..end], token));
    if !matches!(tokens.next(), Some((_, Token::Word(w))) if w.eq_ignore_ascii_case("create")) {
        return false;
    }
    let mut tokens = tokens.skip_while(|(_, token)| {
        matches!(token, Token::Word(w) if BEFORE_NAME.iter().any(|k| w.eq_ignore_ascii_case(k)))
    });
    let Some((_, Token::Word(first))) = tokens.next() else {
        return false;
    };
    let temp = |w: &str| w.eq_ignore_ascii_case("temp") || w.eq_ignore_ascii_case("temporary");
    if temp(first) {
        return true;
    }
    matches!(tokens.next(), Some((upto, Token::Other)) if upto.ends_with('.'))
        && identifier(first) == "temp"
}

/// `CREATE … IF NOT EXISTS` or `DROP … IF EXISTS`: whether it writes depends on the schema.
pub(crate) fn is_conditional_ddl(stmt: &str) -> bool {
    let mut w = words(stmt);
    w.next().is_some_and(|first| {
        first.eq_ignore_ascii_case("create") || first.eq_ignore_ascii_case("drop")
    }) && w.take(6).any(|x| x.eq_ignore_ascii_case("exists"))
}

/// 1 for `EXPLAIN`, 2 for `EXPLAIN QUERY PLAN`, else 0 (`sqlite3_stmt_isexplain`).
pub(crate) fn explain_kind(stmt: &str) -> i32 {
    let mut w = words(stmt);
    match (w.next(), w.next()) {
        (Some(a), Some(b))
            if a.eq_ignore_ascii_case("explain") && b.eq_ignore_ascii_case("query") =>
        {
            2
        }
        (Some(a), _) if a.eq_ignore_ascii_case("explain") => 1,
        _ => 0,
    }
}

/// How a statement moves rusqlite's change counters (`sqlite3_changes` is only set by DML).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChangeKind {
    /// INSERT / REPLACE: changes, and the last rowid when a row went in.
    Insert,
    /// UPDATE / DELETE: changes only.
    Modify,
    /// DROP: resets the count to 0.
    Drop,
    /// Everything else leaves the counters as they were.
    Keep,
}

/// The statement's effect on the change counters.
pub(crate) fn change_kind(stmt: &str) -> ChangeKind {
    let is = |w: &str, k: &str| w.eq_ignore_ascii_case(k);
    let mut seen_with = false;
    for w in words(stmt) {
        if is(w, "with") && !seen_with {
            seen_with = true;
            continue;
        }
        if is(w, "insert") || is(w, "replace") {
            return ChangeKind::Insert;
        }
        if is(w, "update") || is(w, "delete") {
            return ChangeKind::Modify;
        }
        if !seen_with {
            return if is(w, "drop") {
                ChangeKind::Drop
            } else {
                ChangeKind::Keep
            };
        }
    }
    ChangeKind::Keep
}

/// The SQL with each parameter replaced by its bound value as an SQL literal, the way
/// `sqlite3_expanded_sql` renders it.
pub(crate) fn expand(stmt: &str, literal_for: impl Fn(usize) -> String) -> String {
    let params = parameters(stmt);
    let mut out = String::with_capacity(stmt.len());
    let mut copied = 0;
    let mut next_anon = 0usize;
    for (end, tok) in lex(stmt) {
        let Token::Param(p) = tok else { continue };
        let start = end - p.len();
        let index = if p == "?" {
            next_anon = params
                .iter()
                .enumerate()
                .skip(next_anon)
                .find(|(_, q)| q.is_none())
                .map_or(next_anon, |(i, _)| i + 1);
            next_anon
        } else {
            params
                .iter()
                .position(|q| q.as_deref() == Some(p))
                .map_or(0, |i| i + 1)
        };
        out.push_str(&stmt[copied..start]);
        out.push_str(&literal_for(index));
        copied = end;
    }
    out.push_str(&stmt[copied..]);
    out
}

/// Transaction-control statements, which a remote connection must track itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TxControl {
    /// `BEGIN`; `true` for IMMEDIATE or EXCLUSIVE (a write lock at once).
    Begin(bool),
    /// `COMMIT` / `END`.
    Commit,
    /// `ROLLBACK` of the whole transaction.
    Rollback,
    /// `SAVEPOINT name`.
    Savepoint(String),
    /// `RELEASE [SAVEPOINT] name`.
    Release(String),
    /// Anything else, including `ROLLBACK TO`.
    None,
}

/// Classifies a statement for transaction bookkeeping.
pub(crate) fn tx_control(stmt: &str) -> TxControl {
    let w: Vec<&str> = words(stmt).take(4).collect();
    let is = |i: usize, k: &str| w.get(i).is_some_and(|x| x.eq_ignore_ascii_case(k));
    let name = |i: usize| w.get(i).map(|n| identifier(n));
    if is(0, "begin") {
        TxControl::Begin(is(1, "immediate") || is(1, "exclusive"))
    } else if is(0, "commit") || is(0, "end") {
        TxControl::Commit
    } else if is(0, "rollback") {
        if w.iter().skip(1).any(|x| x.eq_ignore_ascii_case("to")) {
            TxControl::None
        } else {
            TxControl::Rollback
        }
    } else if is(0, "savepoint") {
        name(1).map_or(TxControl::None, TxControl::Savepoint)
    } else if is(0, "release") {
        let n = if is(1, "savepoint") { name(2) } else { name(1) };
        n.map_or(TxControl::None, TxControl::Release)
    } else {
        TxControl::None
    }
}

/// What SQLite's parser alone says of the first statement of `sql`.
pub(crate) enum Syntax {
    /// It parses (it may still name objects the server lacks).
    Valid,
    /// A parser error (syntax, unrecognized token, incomplete input), with rusqlite's exact
    /// `SqlInputError` message and offset.
    Invalid(Error),
    /// The scratch engine could not open (the application's auto-extension refuses it,
    /// single-thread mode): nothing was checked.
    Unchecked,
}

/// Parses the first statement of `sql` on a scratch local engine against an empty database,
/// so only errors that don't depend on the schema are reported.
///
/// SQLite copies text that is not NUL-terminated whole before parsing it, so checking the
/// first statement of a long batch together with the rest after it cost the batch's length at
/// every statement: quadratic over an `execute_batch`. The first statement alone gives the same
/// verdict when it parses; a rejected one is checked again with the rest, which gives the error
/// (its SQL and offset) exactly as rusqlite reports it.
pub(crate) fn check_syntax(sql: &str) -> Syntax {
    let (first, _) = split_first(sql);
    match parse_on_scratch(first) {
        Syntax::Invalid(_) if first.len() < sql.len() => parse_on_scratch(sql),
        verdict => verdict,
    }
}

/// `check_syntax` of all of `sql`. One scratch database per thread serves every call; if it
/// cannot open, the check reports `Unchecked` and is tried again on the next call.
fn parse_on_scratch(sql: &str) -> Syntax {
    thread_local! {
        static SCRATCH: RefCell<Option<super::LocalConnection>> = const { RefCell::new(None) };
    }
    let verdict = SCRATCH.with(|cell| {
        let mut scratch = cell.borrow_mut();
        if scratch.is_none() {
            *scratch =
                super::LocalConnection::open(c":memory:", crate::ffi::SQLITE_OPEN_READWRITE, None)
                    .ok();
        }
        scratch.as_ref().map(|db| db.prepare(sql, 0).err())
    });
    let Some(err) = verdict else {
        return Syntax::Unchecked;
    };
    let parser_only = |msg: &str| {
        msg.contains("syntax error")
            || msg.contains("unrecognized token")
            || msg == "incomplete input"
    };
    let is_parser_error = match &err {
        Some(Error::SqlInputError { msg, .. }) | Some(Error::SqliteFailure(_, Some(msg))) => {
            parser_only(msg)
        }
        _ => false,
    };
    match err {
        Some(e) if is_parser_error => Syntax::Invalid(e),
        _ => Syntax::Valid,
    }
}

/// The parser error of the first statement of `sql`, if the scratch engine found one.
pub(crate) fn syntax_error(sql: &str) -> Option<Error> {
    match check_syntax(sql) {
        Syntax::Invalid(e) => Some(e),
        Syntax::Valid | Syntax::Unchecked => None,
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn pragmas_are_read_only_unless_they_write_the_file() {
        for sql in [
            "PRAGMA case_sensitive_like = ON",
            "PRAGMA foreign_keys(0)",
            "pragma main.cache_size = -4000",
            "PRAGMA user_version",
            "PRAGMA table_info(t)",
            "PRAGMA integrity_check",
        ] {
            assert!(stmt_readonly(sql), "{sql}");
        }
        for sql in [
            "PRAGMA user_version = 3",
            "PRAGMA main.application_id(7)",
            "PRAGMA journal_mode",
            "PRAGMA wal_checkpoint(TRUNCATE)",
            "PRAGMA incremental_vacuum",
            "EXPLAIN INSERT INTO t VALUES (1)",
            "explain query plan UPDATE t SET x = 1",
            "EXPLAIN PRAGMA user_version = 1",
        ] {
            assert!(!stmt_readonly(sql), "{sql}");
        }
        assert!(stmt_readonly("EXPLAIN QUERY PLAN SELECT 1"));
        assert!(stmt_readonly("EXPLAIN PRAGMA foreign_keys = 0"));
        // Quoted names and comments between the tokens, as SQLite reads them.
        for sql in [
            "PRAGMA \"journal_mode\" = wal",
            "PRAGMA main.\"user_version\" = 3",
            "PRAGMA [main] . `user_version` /* set */ = 3",
            "PRAGMA user_version -- set\n = 3",
        ] {
            assert!(!stmt_readonly(sql), "{sql}");
        }
    }

    #[test]
    fn pragmas_are_read_with_their_schema_name_and_value() {
        let read = |sql: &str| pragma(sql).map(|p| (p.schema, p.name, p.value));
        let some = |schema: Option<&str>, name: &str, value| {
            Some((schema.map(str::to_owned), name.to_owned(), value))
        };
        assert_eq!(
            read("PRAGMA foreign_keys = OFF"),
            some(None, "foreign_keys", PragmaValue::Assigned)
        );
        assert_eq!(
            read("-- first\npragma /* c */ Main . \"Query_Only\" -- c\n = 0"),
            some(Some("main"), "query_only", PragmaValue::Assigned)
        );
        assert_eq!(
            read("PRAGMA [temp].`cache``size`(10)"),
            some(Some("temp"), "cache`size", PragmaValue::InParentheses)
        );
        assert_eq!(
            read("PRAGMA \"a\"\"b\""),
            some(None, "a\"b", PragmaValue::None)
        );
        assert_eq!(
            read("PRAGMA table_info(t)").map(|p| p.2),
            Some(PragmaValue::InParentheses)
        );
        assert_eq!(read("SELECT 1"), None);
        assert_eq!(read("PRAGMA"), None);
        assert_eq!(read("PRAGMA main."), None);
    }

    #[test]
    fn a_pragma_may_modify_when_it_sets_something() {
        assert!(may_modify("PRAGMA foreign_keys = OFF"));
        assert!(may_modify("PRAGMA /* c */ foreign_keys = OFF"));
        assert!(may_modify("PRAGMA user_version(3)"));
        assert!(!may_modify("PRAGMA table_info(t)"));
        assert!(!may_modify("PRAGMA foreign_keys"));
    }

    #[test]
    fn calls_of_the_counter_functions_are_found() {
        for sql in [
            "SELECT last_insert_rowid()",
            "select CHANGES ( ) AS n",
            "WITH c AS (SELECT total_changes() AS v) SELECT v FROM c",
            "SELECT x FROM t WHERE id = last_insert_rowid /* here */ ()",
        ] {
            assert!(reads_connection_counters(sql), "{sql}");
        }
        for sql in [
            "SELECT changes FROM log",
            "SELECT 'last_insert_rowid()'",
            "SELECT \"changes\" FROM t",
            "SELECT count(*) FROM changes",
        ] {
            assert!(!reads_connection_counters(sql), "{sql}");
        }
    }

    #[test]
    fn splits_statements_and_keeps_trigger_bodies_whole() {
        assert_eq!(split_first("SELECT 1; SELECT 2"), ("SELECT 1;", 9));
        let all: Vec<_> = statements(" ; SELECT 1; -- c\n; SELECT ';' ").collect();
        assert_eq!(all, [(2, " SELECT 1;"), (19, " SELECT ';' ")]);
        assert_eq!(split_first("SELECT ';'"), ("SELECT ';'", 10));
        let trig =
            "CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES(1); END; SELECT 1";
        let (first, rest) = split_first(trig);
        assert!(first.ends_with("END;"), "{first}");
        assert_eq!(&trig[rest..], " SELECT 1");
    }

    #[test]
    fn blank_sql_is_detected() {
        assert!(is_blank(""));
        assert!(is_blank(" ;; -- c\n /* x */"));
        assert!(!is_blank("SELECT 1"));
    }

    #[test]
    fn parameters_follow_sqlite_numbering() {
        assert_eq!(parameters("SELECT ?5").len(), 5);
        let p = parameters("SELECT :a, ?, @b, $c, ?7, :a");
        assert_eq!(p.len(), 7);
        assert_eq!(p[0].as_deref(), Some(":a"));
        assert_eq!(p[1], None);
        assert_eq!(p[2].as_deref(), Some("@b"));
        assert_eq!(p[3].as_deref(), Some("$c"));
        assert_eq!(p[6].as_deref(), Some("?7"));
        assert!(parameters("SELECT '?', \"?\" -- ?\n").is_empty());
    }

    #[test]
    fn row_returning_statements_are_recognised() {
        assert!(may_return_rows("SELECT 1"));
        assert!(may_return_rows("with x as (select 1) select * from x"));
        assert!(may_return_rows("INSERT INTO t VALUES (1) RETURNING id"));
        assert!(!may_return_rows("INSERT INTO t VALUES ('returning')"));
        assert!(!may_return_rows("CREATE TABLE t(x)"));
        assert!(may_return_rows("PRAGMA user_version"));
    }
}
