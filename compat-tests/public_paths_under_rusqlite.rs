//! The generated public-path list (compat-tests/public_paths_034.rs) compiled against real
//! rusqlite 0.34: proves every listed path, the known gaps included, is a rusqlite path.
extern crate real_rusqlite as rusqlite;

#[macro_use]
#[allow(dead_code, unused_macros)]
#[path = "public_paths_034.rs"]
mod paths;

#[allow(unused_imports)]
mod gaps {
    known_gap_uses!();
}

// The generator must have found rusqlite's surface (about 150 paths in 0.34).
const _: () = assert!(paths::PATH_COUNT >= 140);

#[test]
fn every_listed_path_resolves_under_rusqlite() {
    // Resolution is checked when this file compiles; this reports the size of the check.
    println!(
        "{} rusqlite 0.34 paths resolve under rusqlite",
        paths::PATH_COUNT
    );
    for (path, _) in paths::KNOWN_GAPS {
        assert!(path.starts_with("rusqlite::"), "{path}");
    }
}
