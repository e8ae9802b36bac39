//! The parity harness: every case is written once against `rusqlite::` paths and
//! compiled once per crate (real rusqlite 0.34, dbcompat local, dbcompat remote).
//! Each root file aliases the crate under test as `rusqlite` and provides `open()`.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// What a case returns: any error fails it, so `?` works on every error type.
pub type CaseResult = Result<(), Box<dyn std::error::Error>>;

/// One parity case.
pub struct Case {
    pub name: &'static str,
    pub module: &'static str,
    pub run: fn() -> CaseResult,
    /// Set when the case asserts a different value per crate on purpose; the reason is shown.
    pub differs: Option<&'static str>,
    /// Set when the case cannot run against a remote server by nature; the reason is shown.
    pub local_only: Option<&'static str>,
    /// Set when the case pins an API, text or rule that only rusqlite 0.34 has (a signature,
    /// variant, message or behaviour that later versions changed; the reason names the case
    /// covering the newer rule): it is not compiled under the newer surfaces,
    /// which build the case files with `--cfg rusqlite_surface`, and is counted as skipped
    /// there with this reason.
    pub only_0_34: Option<&'static str>,
}

#[doc(hidden)]
#[macro_export]
macro_rules! __case_opt {
    () => {
        None
    };
    ($reason:literal) => {
        Some($reason)
    };
}

/// A case's function; an `only_0_34` case's body is compiled only for the 0.34 surface.
#[doc(hidden)]
#[macro_export]
macro_rules! __case_fn {
    ([] $(#[doc = $doc:literal])* $name:ident $body:block) => {
        $(#[doc = $doc])*
        #[allow(clippy::unnecessary_wraps, unreachable_code)]
        fn $name() -> $crate::harness::CaseResult $body
    };
    ([$reason:literal] $(#[doc = $doc:literal])* $name:ident $body:block) => {
        $(#[doc = $doc])*
        #[cfg(not(rusqlite_surface))]
        #[allow(clippy::unnecessary_wraps, unreachable_code)]
        fn $name() -> $crate::harness::CaseResult $body
        /// Never run: the harness skips `only_0_34` cases under the newer surfaces.
        #[cfg(rusqlite_surface)]
        fn $name() -> $crate::harness::CaseResult {
            Err($reason.into())
        }
    };
}

/// Declares cases and the module's `CASES` table:
///
/// ```ignore
/// cases! {
///     fn execute_returns_changes() { let db = crate::open()?; ...; Ok(()) }
///     #[differs("why the expected value differs per crate")]
///     fn something() { ... }
///     #[local_only("why it cannot run against a server")]
///     fn load_extension_works() { ... }
/// }
/// ```
#[macro_export]
macro_rules! cases {
    ($(
        $(#[doc = $doc:literal])*
        $(#[differs($dreason:literal)])?
        $(#[local_only($lreason:literal)])?
        $(#[only_0_34($oreason:literal)])?
        fn $name:ident() $body:block
    )*) => { paste::paste! {
        $(
            $crate::__case_fn!([$($oreason)?] $(#[doc = $doc])* [<case_ $name>] $body);
        )*
        pub const CASES: &[$crate::harness::Case] = &[$(
            $crate::harness::Case {
                name: stringify!($name),
                module: module_path!(),
                run: [<case_ $name>],
                differs: $crate::__case_opt!($($dreason)?),
                local_only: $crate::__case_opt!($($lreason)?),
                only_0_34: $crate::__case_opt!($($oreason)?),
            }
        ),*];
    }};
}

/// Runs every case (or those whose name contains the first CLI argument that is not a flag),
/// prints one line per failure and a closing `label: N passed, N failed` line.
pub fn run(label: &str, remote: bool, tables: &[&[Case]]) -> ! {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let quiet = std::env::args().any(|a| a == "-q" || a == "--quiet");
    let (mut passed, mut failed, mut skipped, mut differs) = (0usize, 0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    // Panics are failures; keep their default message out of the way and report them ourselves.
    std::panic::set_hook(Box::new(|_| {}));
    for table in tables {
        for case in table.iter() {
            let full = format!(
                "{}::{}",
                case.module.trim_start_matches("under_"),
                case.name
            );
            if let Some(f) = &filter {
                if !full.contains(f.as_str()) {
                    continue;
                }
            }
            if remote && case.local_only.is_some() {
                skipped += 1;
                continue;
            }
            if cfg!(rusqlite_surface) && case.only_0_34.is_some() {
                skipped += 1;
                continue;
            }
            let outcome = catch_unwind(AssertUnwindSafe(case.run));
            match outcome {
                Ok(Ok(())) => {
                    passed += 1;
                    if case.differs.is_some() {
                        differs += 1;
                    }
                    if !quiet {
                        println!("ok   {full}");
                    }
                }
                Ok(Err(e)) => {
                    failed += 1;
                    failures.push(format!("{full}: returned error: {e:?}"));
                }
                Err(panic) => {
                    failed += 1;
                    let msg = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| "non-string panic".into());
                    failures.push(format!("{full}: panicked: {msg}"));
                }
            }
        }
    }
    let _ = std::panic::take_hook();
    for f in &failures {
        println!("FAIL {f}");
    }
    println!(
        "{label}: {passed} cases passed ({differs} with a documented difference), {failed} failed, {skipped} skipped as local-only or 0.34-only API"
    );
    println!("{label}: {passed} passed, {failed} failed, {skipped} skipped");
    std::process::exit(if failed == 0 { 0 } else { 1 });
}
