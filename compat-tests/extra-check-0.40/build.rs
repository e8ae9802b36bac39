//! Declares `rusqlite_0_43` (left unset here: the cases of 0.41+ APIs are not compiled).
fn main() {
    println!("cargo::rustc-check-cfg=cfg(rusqlite_0_43)");
}
