//! Builds the shared case files as a post-0.34 surface: `only_0_34` cases are left out.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(rusqlite_surface)");
    println!("cargo::rustc-cfg=rusqlite_surface");
}
