//! The generated public-path list (compat-tests/public_paths_034.rs) compiled against
//! dbcompat: a rusqlite 0.34 path dbcompat lacks fails this build, unless it is one of the
//! documented `KNOWN_GAPS`.
extern crate dbcompat as rusqlite;

#[macro_use]
#[allow(dead_code, unused_macros)]
#[path = "public_paths_034.rs"]
mod paths;

#[test]
fn every_rusqlite_path_resolves_under_dbcompat() {
    // Resolution is checked when this file compiles; this reports what is left to do.
    let gaps = paths::KNOWN_GAPS;
    println!(
        "{} of {} rusqlite 0.34 paths resolve under dbcompat",
        paths::PATH_COUNT - gaps.len(),
        paths::PATH_COUNT
    );
    for (path, reason) in gaps {
        assert!(!reason.is_empty(), "{path} needs a reason");
        println!("known gap: {path}: {reason}");
    }
}

// The paths of features real rusqlite cannot build here (session, preupdate_hook).
#[allow(unused_imports)]
mod libclang_features {
    libclang_feature_uses!();
}
