//! Builds the shared case files as a post-0.34 surface: `only_0_34` cases are left out (and,
//! without `rusqlite_0_43`, the cases of 0.41+ APIs).
fn main() {
    println!("cargo::rustc-check-cfg=cfg(rusqlite_surface)");
    println!("cargo::rustc-cfg=rusqlite_surface");
    println!("cargo::rustc-check-cfg=cfg(rusqlite_0_43)");
}
