//! The rusqlite 0.34 public-path list compiled against dbcompat with this crate's features
//! (each forwards the rusqlite feature of the same name to dbcompat). Only built, never run.
extern crate dbcompat as rusqlite;

#[macro_use]
#[allow(dead_code, unused_macros)]
#[path = "../public_paths_034.rs"]
mod paths;

// The paths of features real rusqlite cannot build here (session, preupdate_hook).
#[allow(unused_imports)]
mod libclang_features {
    libclang_feature_uses!();
}
