//! `dbcompat`: moves a SQLite/libSQL database between a local file and a libSQL server
//! (sqld, Turso), and checks a server. Built on dbcompat only.
//!
//! Every failure ends with one line on stderr (`dbcompat: …`) and a non-zero exit: 1 for an
//! error, 2 for a usage mistake, 3 when a copy's verification finds a difference.

mod check;
mod checksum;
mod copy;
mod endpoint;
mod progress;
mod schema;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
dbcompat — copy a SQLite/libSQL database to or from a libSQL server, and check a server

usage:
  dbcompat copy [options] SRC DST   copy schema, rows and FTS tables from SRC to the empty DST
  dbcompat check [options] URL      connect and report version, latency, read/write, replica state

SRC, DST and URL are local file paths or libsql://, https:// or http:// URLs.

options:
  --token TOKEN      auth token for URLs (default: $LIBSQL_AUTH_TOKEN, else $TURSO_AUTH_TOKEN)
  --batch-rows N     copy: rows read and written per batch (default 500)
  -q, --quiet        copy: no progress on stderr
  --replica PATH     check: also open PATH as an embedded replica of URL and sync it
  -h, --help         this help
  -V, --version      the version

environment:
  DBCOMPAT_REMOTE_TIMEOUT_MS   upper bound for one network call (default here: 10000)

exit status: 0 ok, 1 error, 2 usage error, 3 copy verification found a difference";

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

/// The parsed command line.
struct Options {
    token: Option<String>,
    batch_rows: Option<usize>,
    quiet: bool,
    replica: Option<PathBuf>,
    positional: Vec<String>,
}

fn parse_options(args: Vec<String>) -> Res<Options> {
    let mut o = Options {
        token: None,
        batch_rows: None,
        quiet: false,
        replica: None,
        positional: Vec::new(),
    };
    let mut it = args.into_iter();
    let mut options_done = false;
    while let Some(arg) = it.next() {
        if options_done || !arg.starts_with('-') || arg == "-" {
            o.positional.push(arg);
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Res<String> {
            match inline.clone().or_else(|| it.next()) {
                Some(v) => Ok(v),
                None => Err(Failure::usage(format!("{name} needs a value"))),
            }
        };
        match flag.as_str() {
            "--" => options_done = true,
            "--token" => o.token = Some(value("--token")?),
            "--batch-rows" => {
                let v = value("--batch-rows")?;
                match v.parse::<usize>() {
                    Ok(n) if n > 0 => o.batch_rows = Some(n),
                    _ => {
                        return Err(Failure::usage(format!(
                            "--batch-rows must be a positive number, got {v:?}"
                        )))
                    }
                }
            }
            "--replica" => o.replica = Some(PathBuf::from(value("--replica")?)),
            "-q" | "--quiet" => o.quiet = true,
            other => return Err(Failure::usage(format!("unknown option {other}"))),
        }
    }
    Ok(o)
}

fn run(args: Vec<String>) -> Res<ExitCode> {
    let Some(command) = args.first().cloned() else {
        return Err(Failure::usage("missing command: copy or check"));
    };
    match command.as_str() {
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            return Ok(ExitCode::SUCCESS);
        }
        "-V" | "--version" => {
            println!("dbcompat {}", env!("CARGO_PKG_VERSION"));
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let rest: Vec<String> = args[1..].to_vec();
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    }
    let opts = parse_options(rest)?;
    let token = Token::resolve(opts.token.clone());
    match command.as_str() {
        "copy" => {
            if opts.replica.is_some() {
                return Err(Failure::usage("--replica is an option of check, not copy"));
            }
            let [src, dst] = <[String; 2]>::try_from(opts.positional).map_err(|p| {
                Failure::usage(format!(
                    "copy takes exactly two arguments, SRC and DST (got {})",
                    p.len()
                ))
            })?;
            let settings = copy::Settings {
                batch_rows: opts.batch_rows.unwrap_or(500),
                quiet: opts.quiet,
            };
            copy::run(&src, &dst, &token, &settings)
        }
        "check" => {
            if opts.batch_rows.is_some() || opts.quiet {
                return Err(Failure::usage(
                    "--batch-rows and --quiet are options of copy, not check",
                ));
            }
            let [url] = <[String; 1]>::try_from(opts.positional).map_err(|p| {
                Failure::usage(format!(
                    "check takes exactly one argument, URL (got {})",
                    p.len()
                ))
            })?;
            check::run(&url, &token, opts.replica.as_deref())
        }
        other => Err(Failure::usage(format!(
            "unknown command {other:?}: expected copy or check"
        ))),
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
    let args: Result<Vec<String>, OsString> = std::env::args_os()
        .skip(1)
        .map(OsString::into_string)
        .collect();
    let result = match args {
        Ok(args) => run(args),
        Err(bad) => Err(Failure::usage(format!(
            "argument {bad:?} is not valid UTF-8"
        ))),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("dbcompat: {}", one_line(&failure.message));
            ExitCode::from(failure.code)
        }
    }
}
