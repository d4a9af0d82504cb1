//! Embeds every `proofs/*.toml` as a built-in result, so that a new built-in result is one
//! file in that directory. The list is sorted by file name here; the order results are shown
//! in is each file's `[result] order`.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("proofs");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the proofs/ directory")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// The built-in results (file stem, text), embedded from `proofs/` at build time.\n\
         pub const BUILTIN: &[(&str, &str)] = &[\n",
    );
    for p in &files {
        println!("cargo:rerun-if-changed={}", p.display());
        let stem = p
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 file name");
        writeln!(
            out,
            "    ({stem:?}, include_str!({:?})),",
            p.display().to_string()
        )
        .expect("a string");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin_proofs.rs");
    std::fs::write(dest, out).expect("the generated list");
}
