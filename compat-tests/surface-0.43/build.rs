//! Builds the shared case files as a post-0.34 surface: `only_0_34` cases are left out;
//! `rusqlite_0_43` adds the cases of 0.41+ APIs (cases/features_043.rs).
fn main() {
    println!("cargo::rustc-check-cfg=cfg(rusqlite_surface)");
    println!("cargo::rustc-cfg=rusqlite_surface");
    println!("cargo::rustc-check-cfg=cfg(rusqlite_0_43)");
    println!("cargo::rustc-cfg=rusqlite_0_43");
}
