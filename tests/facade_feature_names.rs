//! Every feature name of real rusqlite is a feature of the facade for its line.
//!
//! A crate that forwards rusqlite's features (tokio-rusqlite's `csv = ["rusqlite/csv"]`) cannot
//! be resolved against a facade that lacks one of them, and Cargo then drops the
//! `[patch.crates-io]` with only a warning: the application silently keeps real rusqlite. The
//! names include the implicit features of rusqlite's optional dependencies (`csv`, `hashlink`),
//! which is why they are read from `cargo metadata` and not from a hand-written list.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The feature names of each `rusqlite` package at `version` in the graph of `manifest`.
fn rusqlite_features(manifest: &str, version: &str) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--locked",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(root.join(manifest))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata for {manifest}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata is JSON");
    let package = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "rusqlite" && p["version"] == version)
        .unwrap_or_else(|| panic!("rusqlite {version} is in the graph of {manifest}"));
    package["features"]
        .as_object()
        .expect("features")
        .keys()
        .cloned()
        .collect()
}

fn assert_facade_has_every_feature(real: (&str, &str), facade: (&str, &str)) {
    let real_names = rusqlite_features(real.0, real.1);
    let facade_names = rusqlite_features(facade.0, facade.1);
    let missing: Vec<_> = real_names.difference(&facade_names).collect();
    assert!(
        missing.is_empty(),
        "rusqlite {} has features that the facade rusqlite {} lacks: {missing:?}",
        real.1,
        facade.1
    );
}

#[test]
fn facade_0_34_has_every_feature_of_rusqlite_0_34() {
    assert_facade_has_every_feature(
        ("Cargo.toml", "0.34.0"),
        ("facade-tests/Cargo.toml", "0.34.99"),
    );
}

#[test]
fn facade_0_40_has_every_feature_of_rusqlite_0_40() {
    let workspace = "compat-tests/surface-0.40/Cargo.toml";
    assert_facade_has_every_feature((workspace, "0.40.2"), (workspace, "0.40.99"));
}

#[test]
fn facade_0_43_has_every_feature_of_rusqlite_0_43() {
    let workspace = "compat-tests/surface-0.43/Cargo.toml";
    assert_facade_has_every_feature((workspace, "0.43.0"), (workspace, "0.43.99"));
}
