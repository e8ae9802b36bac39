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

/// `cargo metadata` of the workspace at `manifest` (relative to this package).
fn metadata(manifest: &str) -> Value {
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
    serde_json::from_slice(&out.stdout).expect("cargo metadata is JSON")
}

/// The feature names of the `rusqlite` package at `version` in `metadata`.
fn rusqlite_features(metadata: &Value, version: &str) -> BTreeSet<String> {
    let package = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "rusqlite" && p["version"] == version)
        .unwrap_or_else(|| panic!("rusqlite {version} is in the graph"));
    package["features"]
        .as_object()
        .expect("features")
        .keys()
        .cloned()
        .collect()
}

/// Asserts that the facade rusqlite `facade` has every feature of real rusqlite `real`.
fn assert_facade_has_every_feature(real: (&Value, &str), facade: (&Value, &str)) {
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
    // The root workspace has real rusqlite 0.34 (a dev-dependency), facade-tests/ the facade.
    assert_facade_has_every_feature(
        (&metadata("Cargo.toml"), "0.34.0"),
        (&metadata("facade-tests/Cargo.toml"), "0.34.99"),
    );
}

/// The surface workspaces hold both: one `cargo metadata` serves both sides.
#[test]
fn facade_0_40_has_every_feature_of_rusqlite_0_40() {
    let workspace = metadata("compat-tests/surface-0.40/Cargo.toml");
    assert_facade_has_every_feature((&workspace, "0.40.2"), (&workspace, "0.40.99"));
}

#[test]
fn facade_0_43_has_every_feature_of_rusqlite_0_43() {
    let workspace = metadata("compat-tests/surface-0.43/Cargo.toml");
    assert_facade_has_every_feature((&workspace, "0.43.0"), (&workspace, "0.43.99"));
}
