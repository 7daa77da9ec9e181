//! Deflates the embedded Fushan spec (`data/fushan.json`) into the build: the library
//! carries 39 KB instead of 617 KB (the web module most of all) and inflates it once, on
//! first use (`gridgov::org::fushan_json`).

use std::path::PathBuf;

fn main() -> Result<(), String> {
    let source = "data/fushan.json";
    println!("cargo:rerun-if-changed={source}");
    let json = std::fs::read(source).map_err(|e| format!("reading {source}: {e}"))?;
    let deflated = miniz_oxide::deflate::compress_to_vec(&json, 10);
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("cargo sets OUT_DIR")?)
        .join("fushan.json.deflate");
    std::fs::write(&out, deflated).map_err(|e| format!("writing {}: {e}", out.display()))
}
