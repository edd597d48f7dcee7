//! Records the compiler's version so `/version` can report it in the `goVersion` slot, the way
//! upstream reports the Go toolchain that built the binary.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
        .unwrap_or_else(|| "rust".to_owned());
    println!("cargo:rustc-env=COMPONENT_BASE_RUSTC_VERSION={version}");
}
