//! Compiles the shared generator, transcript and test as the rusqlite 0.43 variant.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(rusqlite_0_43)");
    println!("cargo::rustc-cfg=rusqlite_0_43");
}
