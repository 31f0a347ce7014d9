//! Link settings of the `baocao` binary.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if target_os == "linux" && target_env == "gnu" {
        // The binary is position-independent (ASLR), so the loader fixes up about 72,000
        // addresses at every start; packed in the compact RELR form (glibc 2.36, binutils
        // 2.38) they are read from 25 KB instead of 1.7 MB: `baocao --version` took 2.9 ms
        // instead of 3.3-4.0 (issue 24: the start is paid by every run).
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
