//! libsql client errors → the rusqlite `Error` a user matches on.
//!
//! A server reports SQL errors as a message plus a string code: sqld sends SQLite's names
//! (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, …), other Hrana servers their own (`CONSTRAINT_VIOLATION`,
//! `SQL_PARSE_ERROR`, …). libsql only hands them over as text inside `Error::Hrana`, so the code
//! and message are read back out of that text. Where the server gives only a primary code, the
//! extended code is recovered from SQLite's own message wording ("UNIQUE constraint failed" is
//! always SQLITE_CONSTRAINT_UNIQUE), so `extended_code` matches what a local database reports.

use crate::error::{error_from_sqlite_code, Error};
use crate::ffi;
use std::ffi::c_int;

/// Maps a libsql error from a remote call. `url` is already redacted (no token, no query);
/// `sql` is the statement that failed, when there is one.
#[cold]
pub(crate) fn from_libsql(err: libsql::Error, url: &str, sql: Option<&str>) -> Error {
    match err {
        libsql::Error::SqliteFailure(code, msg) => error_from_sqlite_code(code, Some(msg)),
        libsql::Error::RemoteSqliteFailure(_, extended, msg) => {
            error_from_sqlite_code(extended, Some(msg))
        }
        libsql::Error::Sqlite3SyntaxError(_, _, msg) => syntax_error(msg, sql),
        libsql::Error::Misuse(msg) => error_from_sqlite_code(ffi::SQLITE_MISUSE, Some(msg)),
        libsql::Error::ExecuteReturnedRows => Error::ExecuteReturnedResults,
        libsql::Error::QueryReturnedNoRows => Error::QueryReturnedNoRows,
        libsql::Error::ToSqlConversionFailure(e) => Error::ToSqlConversionFailure(e),
        other => from_text(&other.to_string(), url, sql),
    }
}

/// A syntax error found by the server or by libsql's client-side parser. The local engine
/// parses the same SQL to recover SQLite's exact message and offset (`SqlInputError`), since
/// syntax errors don't depend on the schema.
fn syntax_error(msg: String, sql: Option<&str>) -> Error {
    sql.and_then(super::sql_text::syntax_error)
        .unwrap_or_else(|| error_from_sqlite_code(ffi::SQLITE_ERROR, Some(msg)))
}

/// Markers that start the SQLite message inside a server error's text, outermost wrappers
/// (`Hrana: `, `api error: `, `cursor error: `…) being libsql's.
const SQLITE_PREFIX: &str = "SQLite error: ";
const INPUT_PREFIX: &str = "SQL input error: ";
const PARSE_PREFIX: &str = "SQL string could not be parsed: ";

/// Maps the text of a transport or server error.
fn from_text(text: &str, url: &str, sql: Option<&str>) -> Error {
    let code = quoted_field(text, "code").or_else(|| {
        let start = text.find("(error code: ")? + "(error code: ".len();
        let end = text[start..].find(')')? + start;
        Some(text[start..end].to_owned())
    });
    let body = quoted_field(text, "message").or_else(|| {
        [INPUT_PREFIX, PARSE_PREFIX, SQLITE_PREFIX]
            .iter()
            .filter_map(|m| text.rfind(m))
            .min()
            .or_else(|| text.find("api error: `").map(|i| i + "api error: `".len()))
            .map(|i| text[i..].trim_end_matches('`').to_owned())
    });
    match body {
        Some(body) => server_error(code.as_deref(), body, text, url, sql),
        None => transport_error(text, url),
    }
}

/// Maps an error reported by dbcompat's own Hrana client: a server error's `code` and
/// `message`, or (empty `code`) the text of a transport failure. `sql` is the statement that
/// failed.
#[cold]
pub(crate) fn from_hrana(code: &str, message: &str, url: &str, sql: Option<&str>) -> Error {
    if code.is_empty() {
        return from_text(message, url, sql);
    }
    server_error(Some(code), message.to_owned(), message, url, sql)
}

/// Maps a server's error message `body` (with its code, when sent); `text` is the whole error.
fn server_error(
    code: Option<&str>,
    body: String,
    text: &str,
    url: &str,
    sql: Option<&str>,
) -> Error {
    if let Some(rest) = body.strip_prefix(INPUT_PREFIX) {
        return input_error(rest, sql);
    }
    if let Some(rest) = body.strip_prefix(PARSE_PREFIX) {
        return syntax_error(rest.to_owned(), sql);
    }
    let message = body.strip_prefix(SQLITE_PREFIX).unwrap_or(&body).to_owned();
    let lower_msg = message.to_ascii_lowercase();
    if code.is_none() && (lower_msg.starts_with("status=") || lower_msg.contains("http")) {
        return transport_error(text, url);
    }
    let primary = match code {
        Some(name) => code_from_name(name),
        None => code_from_message(&message),
    };
    if primary == ffi::SQLITE_ERROR && message.contains("syntax error") {
        return syntax_error(message, sql);
    }
    let extended = refine_extended(primary, &message);
    error_from_sqlite_code(extended, Some(message))
}

/// `msg (at offset N)` from a server that reports input errors the way rusqlite does.
fn input_error(rest: &str, sql: Option<&str>) -> Error {
    let (msg, offset) = match rest.rsplit_once(" (at offset ") {
        Some((msg, tail)) => (msg, tail.trim_end_matches(')').parse().unwrap_or(-1)),
        None => (rest, -1),
    };
    match sql {
        // Without `modern_sqlite`, rusqlite has no SqlInputError: the plain SqliteFailure below.
        Some(sql) if offset >= 0 && cfg!(feature = "modern_sqlite") => Error::SqlInputError {
            error: ffi::Error::new(ffi::SQLITE_ERROR),
            msg: msg.to_owned(),
            sql: sql.to_owned(),
            offset,
        },
        _ => error_from_sqlite_code(ffi::SQLITE_ERROR, Some(msg.to_owned())),
    }
}

/// The primary code SQLite uses for a message, when the server sent no code.
fn code_from_message(message: &str) -> c_int {
    let m = message.to_ascii_lowercase();
    if m.contains("constraint failed") || m.starts_with("cannot store ") {
        ffi::SQLITE_CONSTRAINT
    } else if m.contains("database is locked") {
        ffi::SQLITE_BUSY
    } else if m.contains("database table is locked") {
        ffi::SQLITE_LOCKED
    } else if m.contains("readonly database") {
        ffi::SQLITE_READONLY
    } else if m == "datatype mismatch" {
        ffi::SQLITE_MISMATCH
    } else if m == "interrupted" {
        ffi::SQLITE_INTERRUPT
    } else {
        ffi::SQLITE_ERROR
    }
}

/// Errors of the HTTP layer: unreachable server, refused token, expired stream.
fn transport_error(text: &str, url: &str) -> Error {
    let lower = text.to_ascii_lowercase();
    if lower.contains("status=401")
        || lower.contains("status=403")
        || lower.contains("unauthorized")
    {
        return error_from_sqlite_code(
            ffi::SQLITE_AUTH,
            Some(format!(
                "the libSQL server at {url} rejected the auth token (check LIBSQL_AUTH_TOKEN)"
            )),
        );
    }
    if lower.contains("baton") || lower.contains("expired") || lower.contains("stream closed") {
        return error_from_sqlite_code(
            ffi::SQLITE_ABORT_ROLLBACK,
            Some(format!(
                "the libSQL server at {url} closed the stream (an idle transaction timed out and was rolled back): {text}"
            )),
        );
    }
    if lower.contains("http error")
        || lower.contains("connection refused")
        || lower.contains("error trying to connect")
        || lower.contains("dns error")
        || lower.contains("status=404")
        || lower.contains("connection reset")
        || lower.contains("broken pipe")
    {
        return error_from_sqlite_code(
            ffi::SQLITE_CANTOPEN,
            Some(format!("cannot reach the libSQL server at {url}: {text}")),
        );
    }
    error_from_sqlite_code(ffi::SQLITE_ERROR, Some(text.to_owned()))
}

/// Reads `field: "…"` (Rust Debug string syntax) out of an error's text.
fn quoted_field(text: &str, field: &str) -> Option<String> {
    let start = text.find(&format!("{field}: \""))? + field.len() + 3;
    let mut out = String::new();
    let mut chars = text[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '0' => out.push('\0'),
                'u' => {
                    let hex: String = chars
                        .by_ref()
                        .skip_while(|&c| c == '{')
                        .take_while(|&c| c != '}')
                        .collect();
                    out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// A server's code name → SQLite result code (primary or extended).
fn code_from_name(name: &str) -> c_int {
    let upper = name.to_ascii_uppercase();
    let name = upper.as_str();
    let by_sqlite_name = [
        ("SQLITE_ERROR", ffi::SQLITE_ERROR),
        ("SQLITE_INTERNAL", ffi::SQLITE_INTERNAL),
        ("SQLITE_PERM", ffi::SQLITE_PERM),
        ("SQLITE_ABORT", ffi::SQLITE_ABORT),
        ("SQLITE_BUSY", ffi::SQLITE_BUSY),
        ("SQLITE_LOCKED", ffi::SQLITE_LOCKED),
        ("SQLITE_NOMEM", ffi::SQLITE_NOMEM),
        ("SQLITE_READONLY", ffi::SQLITE_READONLY),
        ("SQLITE_INTERRUPT", ffi::SQLITE_INTERRUPT),
        ("SQLITE_IOERR", ffi::SQLITE_IOERR),
        ("SQLITE_CORRUPT", ffi::SQLITE_CORRUPT),
        ("SQLITE_NOTFOUND", ffi::SQLITE_NOTFOUND),
        ("SQLITE_FULL", ffi::SQLITE_FULL),
        ("SQLITE_CANTOPEN", ffi::SQLITE_CANTOPEN),
        ("SQLITE_PROTOCOL", ffi::SQLITE_PROTOCOL),
        ("SQLITE_SCHEMA", ffi::SQLITE_SCHEMA),
        ("SQLITE_TOOBIG", ffi::SQLITE_TOOBIG),
        ("SQLITE_CONSTRAINT", ffi::SQLITE_CONSTRAINT),
        ("SQLITE_MISMATCH", ffi::SQLITE_MISMATCH),
        ("SQLITE_MISUSE", ffi::SQLITE_MISUSE),
        ("SQLITE_AUTH", ffi::SQLITE_AUTH),
        ("SQLITE_RANGE", ffi::SQLITE_RANGE),
        ("SQLITE_NOTADB", ffi::SQLITE_NOTADB),
        ("SQLITE_CONSTRAINT_CHECK", ffi::SQLITE_CONSTRAINT_CHECK),
        (
            "SQLITE_CONSTRAINT_FOREIGNKEY",
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY,
        ),
        ("SQLITE_CONSTRAINT_NOTNULL", ffi::SQLITE_CONSTRAINT_NOTNULL),
        (
            "SQLITE_CONSTRAINT_PRIMARYKEY",
            ffi::SQLITE_CONSTRAINT_PRIMARYKEY,
        ),
        ("SQLITE_CONSTRAINT_TRIGGER", ffi::SQLITE_CONSTRAINT_TRIGGER),
        ("SQLITE_CONSTRAINT_UNIQUE", ffi::SQLITE_CONSTRAINT_UNIQUE),
        ("SQLITE_CONSTRAINT_ROWID", ffi::SQLITE_CONSTRAINT_ROWID),
        ("SQLITE_CONSTRAINT_DATATYPE", 3091),
        ("SQLITE_BUSY_TIMEOUT", 773),
        ("SQLITE_BUSY_SNAPSHOT", ffi::SQLITE_BUSY_SNAPSHOT),
        ("SQLITE_READONLY_DBMOVED", ffi::SQLITE_READONLY_DBMOVED),
        ("SQLITE_ABORT_ROLLBACK", ffi::SQLITE_ABORT_ROLLBACK),
    ];
    if let Some((_, code)) = by_sqlite_name.iter().find(|(n, _)| *n == name) {
        return *code;
    }
    // Hrana servers that use their own vocabulary.
    match name {
        "CONSTRAINT_VIOLATION" | "CONSTRAINT" => ffi::SQLITE_CONSTRAINT,
        "BUSY" | "DATABASE_BUSY" => ffi::SQLITE_BUSY,
        "LOCKED" | "DATABASE_LOCKED" => ffi::SQLITE_LOCKED,
        "READONLY" | "READ_ONLY" | "DATABASE_READ_ONLY" => ffi::SQLITE_READONLY,
        "ARGS_INVALID" | "ARGS_COUNT" | "PARAMETER_OUT_OF_RANGE" => ffi::SQLITE_RANGE,
        "MISMATCH" | "TYPE_MISMATCH" => ffi::SQLITE_MISMATCH,
        "TOO_BIG" | "TOOBIG" => ffi::SQLITE_TOOBIG,
        "INTERRUPT" | "INTERRUPTED" => ffi::SQLITE_INTERRUPT,
        "AUTH" | "UNAUTHORIZED" | "AUTH_FAILED" => ffi::SQLITE_AUTH,
        "API_MISUSE" | "MISUSE" => ffi::SQLITE_MISUSE,
        _ => ffi::SQLITE_ERROR,
    }
}

/// Adds the extended code SQLite would have reported, from the message's fixed wording.
fn refine_extended(primary: c_int, message: &str) -> c_int {
    if primary & !0xff != 0 {
        return primary; // already extended
    }
    let looks = |prefix: &str| message.starts_with(prefix);
    match primary {
        ffi::SQLITE_CONSTRAINT | ffi::SQLITE_ERROR => {
            if looks("UNIQUE constraint failed") {
                ffi::SQLITE_CONSTRAINT_UNIQUE
            } else if looks("NOT NULL constraint failed") {
                ffi::SQLITE_CONSTRAINT_NOTNULL
            } else if looks("FOREIGN KEY constraint failed") {
                ffi::SQLITE_CONSTRAINT_FOREIGNKEY
            } else if looks("CHECK constraint failed") {
                ffi::SQLITE_CONSTRAINT_CHECK
            } else if message.starts_with("cannot store ") && message.contains(" value in ") {
                3091 // SQLITE_CONSTRAINT_DATATYPE
            } else if primary == ffi::SQLITE_CONSTRAINT {
                // Any other constraint message is a trigger's RAISE(ABORT/FAIL/ROLLBACK, msg).
                ffi::SQLITE_CONSTRAINT_TRIGGER
            } else {
                primary
            }
        }
        _ => primary,
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn sqld_style_stream_errors_map_to_extended_codes() {
        let text = r#"Hrana: `stream error: `Error { message: "UNIQUE constraint failed: t.x", code: "SQLITE_CONSTRAINT" }``"#;
        let e = from_text(text, "http://h", None);
        assert_eq!(
            e,
            Error::SqliteFailure(
                ffi::Error::new(ffi::SQLITE_CONSTRAINT_UNIQUE),
                Some("UNIQUE constraint failed: t.x".into())
            )
        );
    }

    #[test]
    fn own_vocabulary_codes_and_escapes_are_understood() {
        let text = r#"stream error: `Error { message: "NOT NULL constraint failed: \"t\".x", code: "CONSTRAINT_VIOLATION" }`"#;
        match from_text(text, "http://h", None) {
            Error::SqliteFailure(e, Some(m)) => {
                assert_eq!(e.extended_code, ffi::SQLITE_CONSTRAINT_NOTNULL);
                assert_eq!(m, "NOT NULL constraint failed: \"t\".x");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn transport_errors_name_the_url_and_never_a_token() {
        let e = from_text(
            "http error: `error trying to connect: tcp connect error: Connection refused`",
            "http://127.0.0.1:1",
            None,
        );
        assert_eq!(e.sqlite_error_code(), Some(ffi::ErrorCode::CannotOpen));
        assert!(e.to_string().contains("http://127.0.0.1:1"));
        let e = from_text(
            "api error: `status=401 Unauthorized, body=`",
            "http://h",
            None,
        );
        assert_eq!(
            e.sqlite_error_code(),
            Some(ffi::ErrorCode::AuthorizationForStatementDenied)
        );
    }
}
