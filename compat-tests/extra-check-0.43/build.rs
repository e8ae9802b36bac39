//! `rusqlite_0_43` compiles the cases of 0.41+ APIs (`pragma_query_one`).
fn main() {
    println!("cargo::rustc-check-cfg=cfg(rusqlite_0_43)");
    println!("cargo::rustc-cfg=rusqlite_0_43");
}
