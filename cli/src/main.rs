//! `dbcompat`: moves a SQLite/libSQL database between a local file and a libSQL server
//! (sqld, Turso), and checks a server. Built on dbcompat only.
//!
//! Every failure ends with one line on stderr (`dbcompat: …`) and a non-zero exit: 1 for an
//! error, 2 for a usage mistake, 3 when a copy's verification finds a difference.

mod args;
mod check;
mod checksum;
mod copy;
mod endpoint;
mod progress;
mod schema;

use args::{Cli, Command};
use std::process::ExitCode;

/// How a command ends when it does not succeed: one line for stderr and an exit code.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    /// An error (exit 1).
    pub fn new(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 1,
        }
    }

    /// A usage mistake (exit 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            message: format!("{} (see dbcompat --help)", message.into()),
            code: 2,
        }
    }
}

pub type Res<T> = Result<T, Failure>;

/// Where the auth token came from, for the report (the token itself is never printed).
#[derive(Clone, Debug)]
pub struct Token {
    pub value: String,
    pub source: &'static str,
}

impl Token {
    fn resolve(flag: Option<String>) -> Token {
        if let Some(value) = flag {
            return Token {
                value,
                source: "--token",
            };
        }
        for var in ["LIBSQL_AUTH_TOKEN", "TURSO_AUTH_TOKEN"] {
            if let Ok(value) = std::env::var(var) {
                if !value.is_empty() {
                    return Token { value, source: var };
                }
            }
        }
        Token {
            value: String::new(),
            source: "none",
        }
    }

    /// The token as it may be shown: its first 4 characters and an ellipsis, and not even
    /// those when it is too short for 4 characters to be harmless.
    pub fn redacted(&self) -> String {
        let n = self.value.chars().count();
        if n == 0 {
            "none".to_owned()
        } else if n < 12 {
            format!("… ({n} characters, hidden)")
        } else {
            let head: String = self.value.chars().take(4).collect();
            format!("{head}…")
        }
    }
}

fn run(cli: Cli) -> Res<ExitCode> {
    let token = Token::resolve(cli.token);
    match cli.command {
        Command::Copy(copy) => {
            let settings = copy::Settings {
                batch_rows: copy.batch_rows,
                quiet: copy.quiet,
            };
            copy::run(&copy.src, &copy.dst, &token, &settings)
        }
        Command::Check(check) => check::run(&check.url, &token, check.replica.as_deref()),
    }
}

/// Makes `message` a single line: a failure is reported on exactly one line of stderr.
pub fn one_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for (i, part) in message
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push_str(" | ");
        }
        out.push_str(part);
    }
    out
}

fn main() -> ExitCode {
    // A bug must still end with one line, never a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("dbcompat: internal error: {}{at}", one_line(&what));
    }));
    // A dead server must fail in bounded time: a shorter default than the library's 30 s.
    if std::env::var_os("DBCOMPAT_REMOTE_TIMEOUT_MS").is_none() {
        std::env::set_var("DBCOMPAT_REMOTE_TIMEOUT_MS", "10000");
    }
    let result = match args::parse() {
        Ok(Some(cli)) => run(cli),
        Ok(None) => Ok(ExitCode::SUCCESS),
        Err(failure) => Err(failure),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("dbcompat: {}", one_line(&failure.message));
            ExitCode::from(failure.code)
        }
    }
}
