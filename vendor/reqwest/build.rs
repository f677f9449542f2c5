// httprs: the `http3` feature is behind `--cfg reqwest_unstable` (src/lib.rs refuses to build
// it otherwise). This sets that cfg for this crate only, so that the rest of the build keeps
// its flags (a RUSTFLAGS or .cargo/config.toml setting would rebuild every crate, and change
// every cache key, for one line here). See vendor/README.md.
fn main() {
    println!("cargo:rustc-cfg=reqwest_unstable");
}
