//! The generated public-path list of this package's rusqlite version
//! (compat-tests/public_paths_0NN.rs) compiled against real rusqlite of that version: proves
//! every listed path, the known gaps included, is a rusqlite path.
extern crate real_rusqlite as rusqlite;

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

#[allow(unused_imports)]
mod gaps {
    known_gap_uses!();
}

// The generator must have found rusqlite's surface (about 150 paths in 0.40 and 0.43).
const _: () = assert!(paths::PATH_COUNT >= 140);

#[test]
fn every_listed_path_resolves_under_rusqlite() {
    // Resolution is checked when this file compiles; this reports the size of the check.
    println!(
        "{} rusqlite 0.{} paths resolve under rusqlite",
        paths::PATH_COUNT,
        env!("CARGO_PKG_VERSION_MINOR")
    );
    for (path, _) in paths::KNOWN_GAPS {
        assert!(path.starts_with("rusqlite::"), "{path}");
    }
}
