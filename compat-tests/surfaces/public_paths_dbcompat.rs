//! The generated public-path list of this package's rusqlite version
//! (compat-tests/public_paths_0NN.rs) compiled against dbcompat's surface of that version
//! (through its facade): a rusqlite path the surface lacks fails this build, unless it is one
//! of the documented `KNOWN_GAPS`. `cargo check` it with `--no-default-features` and
//! `--all-features` to check every feature gate.
extern crate dbcompat_rusqlite as rusqlite;

#[macro_use]
#[allow(dead_code, unused_imports, unused_macros)]
mod paths {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public_paths_0",
        env!("CARGO_PKG_VERSION_MINOR"),
        ".rs"
    ));
}

// The paths of features real rusqlite cannot build here (session, preupdate_hook).
#[allow(unused_imports)]
mod libclang_features {
    libclang_feature_uses!();
}

#[test]
fn every_rusqlite_path_resolves_under_dbcompat() {
    // Resolution is checked when this file compiles; this reports what is left to do.
    let gaps = paths::KNOWN_GAPS;
    println!(
        "{} of {} rusqlite 0.{} paths resolve under dbcompat",
        paths::PATH_COUNT - gaps.len(),
        paths::PATH_COUNT,
        env!("CARGO_PKG_VERSION_MINOR")
    );
    for (path, reason) in gaps {
        assert!(!reason.is_empty(), "{path} needs a reason");
        println!("known gap: {path}: {reason}");
    }
}
