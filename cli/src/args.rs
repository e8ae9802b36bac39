//! The command line, declared with clap. clap's own error report (several lines and a usage
//! block) becomes the CLI's single `dbcompat: …` line with exit code 2; `--help`, `help` and
//! `--version` print to stdout and exit 0.

use crate::Failure;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
SRC, DST and URL are local file paths or libsql://, https:// or http:// URLs.

Environment:
  DBCOMPAT_REMOTE_TIMEOUT_MS  upper bound for one network call (default here: 10000)

Exit status: 0 ok, 1 error, 2 usage error, 3 copy verification found a difference";

/// dbcompat — copy a SQLite/libSQL database to or from a libSQL server, and check a server
#[derive(Debug, Parser)]
#[command(
    name = "dbcompat",
    version,
    override_usage = "dbcompat copy [OPTIONS] <SRC> <DST>\n       dbcompat check [OPTIONS] <URL>",
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// Auth token for URLs [default: $LIBSQL_AUTH_TOKEN, else $TURSO_AUTH_TOKEN]
    #[arg(long, global = true, value_name = "TOKEN")]
    pub token: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Copy schema, rows and FTS tables from SRC to the empty DST, and verify the copy
    ///
    /// Tables, rows (rowids and AUTOINCREMENT counters kept), indexes, views and triggers are
    /// copied, FTS5 indexes rebuilt, then row counts and checksums are compared on both sides
    /// (exit status 3 when they differ). A local SRC is read as one snapshot.
    #[command(after_help = AFTER_HELP)]
    Copy(CopyArgs),
    /// Connect and report version, latency, read/write ability and replica state
    ///
    /// The token is shown redacted. The write probe creates a table and a row in a transaction
    /// and rolls it back.
    #[command(after_help = AFTER_HELP)]
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The database to copy from
    pub src: String,
    /// The empty database to copy into (a local file is created)
    pub dst: String,
    /// Rows read and written per batch
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = positive)]
    pub batch_rows: usize,
    /// No progress on stderr
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The server (or local file) to check
    pub url: String,
    /// Also open PATH as an embedded replica of URL and sync it
    #[arg(long, value_name = "PATH")]
    pub replica: Option<PathBuf>,
}

fn positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("must be a positive number, got {text:?}")),
    }
}

/// The parsed command line; `Ok(None)` when help or the version was asked for and printed.
pub fn parse() -> Result<Option<Cli>, Failure> {
    match Cli::try_parse() {
        Ok(cli) => Ok(Some(cli)),
        // Help and version: clap prints them to stdout, and they are not failures.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            Ok(None)
        }
        Err(e) => Err(Failure::usage(usage_message(&e))),
    }
}

/// The one-line message for a usage mistake: today's wording where clap's would be less
/// helpful (no command at all, an option of the other command), else clap's own.
fn usage_message(e: &clap::Error) -> String {
    match e.kind() {
        // What clap reports for an empty command line is the whole help text.
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "missing command: copy or check".to_owned()
        }
        ErrorKind::UnknownArgument => {
            option_of_another_command(e).unwrap_or_else(|| clap_message(e))
        }
        _ => clap_message(e),
    }
}

/// "--replica is an option of check only" when an unknown option is one of another command's.
fn option_of_another_command(e: &clap::Error) -> Option<String> {
    let Some(ContextValue::String(given)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let flag = given.split('=').next().unwrap_or(given);
    let cli = Cli::command();
    let owner = cli.get_subcommands().find(|command| {
        command.get_arguments().any(|arg| {
            arg.get_long()
                .is_some_and(|long| flag.strip_prefix("--") == Some(long))
                || arg
                    .get_short()
                    .is_some_and(|short| flag == format!("-{short}"))
        })
    })?;
    Some(format!("{flag} is an option of {} only", owner.get_name()))
}

/// clap's error without its `error:` prefix, usage block and "try --help" line, on one line:
/// the message, its context lines (missing arguments) and clap's tip.
fn clap_message(e: &clap::Error) -> String {
    let rendered = e.to_string(); // Display is plain text, no colour codes.
    let mut out = String::new();
    for line in rendered
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .filter(|l| !l.is_empty())
    {
        let line = line.strip_prefix("error: ").unwrap_or(line);
        if !out.is_empty() {
            out.push_str(if line.starts_with("tip:") { "; " } else { " " });
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
