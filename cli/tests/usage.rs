//! The command line itself: help and version on stdout with exit 0, and every usage mistake
//! as one `dbcompat: … (see dbcompat --help)` line on stderr with exit 2 and nothing written.

mod common;

use common::*;
use std::path::Path;

const VERSION_LINE: &str = concat!("dbcompat ", env!("CARGO_PKG_VERSION"), "\n");

/// Runs the CLI in `dir`, where the relative paths of `args` resolve.
fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    cli().current_dir(dir).args(args).output().unwrap()
}

fn assert_success_on_stdout_only(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}", stderr(out));
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(out).is_empty(), "{}", stderr(out));
    stdout(out)
}

#[test]
fn help_lists_both_commands_options_and_exit_codes() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let text = assert_success_on_stdout_only(&run(args));
        for want in [
            "Usage: dbcompat copy [OPTIONS] <SRC> <DST>",
            "       dbcompat check [OPTIONS] <URL>",
            "--token <TOKEN>",
            "$LIBSQL_AUTH_TOKEN, else $TURSO_AUTH_TOKEN",
            "libsql://, https:// or http:// URLs",
            "DBCOMPAT_REMOTE_TIMEOUT_MS",
            "Exit status: 0 ok, 1 error, 2 usage error, 3 copy verification found a difference",
        ] {
            assert!(
                text.contains(want),
                "{args:?}: {want:?} missing in:\n{text}"
            );
        }
    }
}

#[test]
fn each_command_has_its_own_help() {
    for args in [
        &["copy", "--help"][..],
        &["help", "copy"],
        &["copy", "-h", "only-one-argument.db"],
    ] {
        let text = assert_success_on_stdout_only(&run(args));
        assert!(
            text.contains("Usage: dbcompat copy [OPTIONS] <SRC> <DST>"),
            "{text}"
        );
        assert!(text.contains("--batch-rows <N>"), "{text}");
        assert!(text.contains("[default: 500]"), "{text}");
        assert!(text.contains("-q, --quiet"), "{text}");
        assert!(text.contains("--token <TOKEN>"), "{text}");
        assert!(!text.contains("--replica"), "{text}");
    }
    for args in [&["check", "--help"][..], &["help", "check"]] {
        let text = assert_success_on_stdout_only(&run(args));
        assert!(
            text.contains("Usage: dbcompat check [OPTIONS] <URL>"),
            "{text}"
        );
        assert!(text.contains("--replica <PATH>"), "{text}");
        assert!(text.contains("--token <TOKEN>"), "{text}");
        assert!(!text.contains("--batch-rows"), "{text}");
    }
}

#[test]
fn version_is_the_package_version() {
    for flag in ["--version", "-V"] {
        let text = assert_success_on_stdout_only(&run(&[flag]));
        assert_eq!(text, VERSION_LINE);
    }
}

#[test]
fn usage_mistakes_name_the_problem_on_one_line_and_exit_2() {
    let dir = temp_dir("usage");
    let cases: &[(&[&str], &str)] = &[
        (&[], "dbcompat: missing command: copy or check"),
        (&["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (
            &["copy", "--bogus", "a.db", "b.db"],
            "unexpected argument '--bogus' found",
        ),
        (
            &["copy", "--bach-rows", "5", "a.db", "b.db"],
            "tip: a similar argument exists: '--batch-rows'",
        ),
        (
            &["copy", "--batch-rows", "0", "a.db", "b.db"],
            "'--batch-rows <N>': must be a positive number, got \"0\"",
        ),
        (
            &["copy", "--batch-rows=lots", "a.db", "b.db"],
            "must be a positive number, got \"lots\"",
        ),
        (
            &["copy"],
            "required arguments were not provided: <SRC> <DST>",
        ),
        (
            &["copy", "a.db"],
            "required arguments were not provided: <DST>",
        ),
        (
            &["copy", "a.db", "b.db", "c.db"],
            "unexpected argument 'c.db' found",
        ),
        (
            &["copy", "a.db", "b.db", "--token"],
            "a value is required for '--token <TOKEN>'",
        ),
        (&["check"], "required arguments were not provided: <URL>"),
        (
            &["check", "--quiet", "a.db"],
            "dbcompat: --quiet is an option of copy only",
        ),
        (
            &["check", "-q", "a.db"],
            "dbcompat: -q is an option of copy only",
        ),
        (
            &["check", "--batch-rows", "5", "a.db"],
            "--batch-rows is an option of copy only",
        ),
        (
            &["copy", "--replica=r.db", "a.db", "b.db"],
            "dbcompat: --replica is an option of check only",
        ),
    ];
    for (args, want) in cases {
        let out = run_in(&dir, args);
        let line = assert_one_line_failure(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {line}");
        assert!(
            line.contains(want),
            "{args:?}: {want:?} missing in {line:?}"
        );
        assert!(line.ends_with(" (see dbcompat --help)"), "{args:?}: {line}");
        assert!(!line.contains("Usage:"), "{args:?}: {line}");
        assert!(stdout(&out).is_empty(), "{args:?}: {}", stdout(&out));
    }
    let written: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(written.is_empty(), "usage mistakes wrote {written:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn non_utf8_argument_is_a_usage_mistake() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let out = cli()
        .args([OsStr::new("check"), OsStr::from_bytes(b"bad-\xff.db")])
        .output()
        .unwrap();
    let line = assert_one_line_failure(&out);
    assert_eq!(out.status.code(), Some(2), "{line}");
    assert!(line.contains("invalid UTF-8"), "{line}");
}

/// The token option goes before or after the command, and `--` ends the options so that a
/// file whose name starts with `-` can be copied.
#[test]
fn option_placement_and_double_dash() {
    let dir = temp_dir("placement");
    {
        let c = dbcompat::Connection::open(dir.join("-source.db")).unwrap();
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);")
            .unwrap();
    }
    let out = run_in(&dir, &["copy", "-q", "--", "-source.db", "-copy.db"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("copy OK: 2 rows"), "{}", stdout(&out));
    assert!(dir.join("-copy.db").exists());

    for args in [
        &["--token", "unused-for-files", "check", "--", "-copy.db"][..],
        &["check", "./-copy.db", "--token=unused-for-files"],
    ] {
        let out = run_in(&dir, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("read:    ok (1 schema objects)"),
            "{args:?}: {}",
            stdout(&out)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
