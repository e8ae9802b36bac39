//! Holds both builds to the same report: the binary's output must equal
//! `expected-output.txt`, which was produced by the rusqlite build. Under
//! `--features backend-libsql` this is the drop-in proof: same program, same bytes.
//!
//! To regenerate the file after changing the demo (rusqlite build only):
//! `NOTES_STORE_BLESS=1 cargo test -p notes-store --test output`

mod common;

use common::ScratchDir;
use std::path::Path;
use std::process::Command;

const EXPECTED: &str = include_str!("../expected-output.txt");
const EXPECTED_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/expected-output.txt");

fn assert_matches_expected(actual: &str, what: &str) {
    if cfg!(feature = "backend-rusqlite") && std::env::var_os("NOTES_STORE_BLESS").is_some() {
        std::fs::write(EXPECTED_PATH, actual).expect("write expected-output.txt");
        return;
    }
    if actual == EXPECTED {
        return;
    }
    let expected: Vec<&str> = EXPECTED.lines().collect();
    let actual_lines: Vec<&str> = actual.lines().collect();
    let first_diff = (0..expected.len().max(actual_lines.len()))
        .find(|&i| expected.get(i) != actual_lines.get(i))
        .unwrap_or(0);
    panic!(
        "{what} differs from expected-output.txt under {} at line {}:\n  expected: {:?}\n  actual:   {:?}\n\nfull output:\n{actual}",
        notes_store::BACKEND,
        first_diff + 1,
        expected.get(first_diff),
        actual_lines.get(first_diff),
    );
}

fn run_binary(arg: Option<&Path>) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_notes-store"));
    if let Some(arg) = arg {
        cmd.arg(arg);
    }
    cmd.output().expect("run notes-store")
}

#[test]
fn binary_output_matches_expected_file() {
    let dir = ScratchDir::new("bin");
    let out = run_binary(Some(&dir.file("notes.db")));
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_matches_expected(&String::from_utf8(out.stdout).unwrap(), "binary output");
    assert!(dir.file("notes.db").exists(), "the given file is kept");
}

#[test]
fn binary_default_path_matches_expected_file() {
    let out = run_binary(None);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_matches_expected(
        &String::from_utf8(out.stdout).unwrap(),
        "binary output (default path)",
    );
}

#[test]
fn in_process_demo_matches_expected_file() {
    let dir = ScratchDir::new("inproc");
    let report = notes_store::demo::run(&dir.file("notes.db")).unwrap();
    assert_matches_expected(&report, "demo::run report");
}

#[test]
fn demo_refuses_a_database_that_already_has_notes() {
    let dir = ScratchDir::new("reuse");
    let path = dir.file("notes.db");
    assert!(run_binary(Some(&path)).status.success());
    let again = run_binary(Some(&path));
    assert!(!again.status.success());
    assert!(again.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("already holds 36 notes"),
        "stderr: {stderr}"
    );
}
