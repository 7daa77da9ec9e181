//! Every input the fuzzers saved (crashes turned into regressions, and the seed corpus)
//! under `fuzz/regressions/<target>/` runs through the target's body on stable: none may
//! panic or break the invariants the targets check.

use std::path::Path;

#[test]
fn saved_fuzz_inputs_run_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut ran = 0;
    for (name, target) in gridgov_tests::fuzz::TARGETS {
        let dir = root.join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            panic!(
                "no saved inputs for fuzz target `{name}` in {}",
                dir.display()
            );
        };
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        assert!(!files.is_empty(), "no saved inputs for `{name}`");
        for file in files {
            let data = std::fs::read(&file).unwrap_or_default();
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(
                outcome.is_ok(),
                "fuzz target `{name}` panicked on {}",
                file.display()
            );
            ran += 1;
        }
    }
    assert!(ran >= 6);
}
