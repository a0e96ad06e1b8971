//! Prompt loader cost (Criterion): one pack file with many prompts, parsed,
//! checked field by field and indexed, as `ponder run`, `check` and a hot
//! reload do.
//!
//! - `load`: `load_sources` over one file of 100,000 prompts (about 10 MB).
//!   Finding each prompt's line for error messages is a binary search over
//!   a line index built once per file, so the time grows linearly with the
//!   file (it used to count newlines from the start for every prompt).
//!
//! `cargo bench --bench prompt_loader` measures; `cargo test` runs it once
//! with a tiny file and checks what it loaded, so the benchmark cannot rot.

#[path = "support/machine.rs"]
mod machine;

use std::path::PathBuf;

use criterion::{Criterion, criterion_group};
use ponder::prompt_files::load_sources;

/// `cargo bench` passes `--bench`; `cargo test` does not: tiny sizes then.
fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// One pack file with `n` prompts, each with a title, a text, follow-ups and tags.
fn pack(n: usize) -> String {
    let mut text = String::from(
        "id = \"big\"\ntitle = \"A big pack\"\ndescription = \"Generated\"\nsource = \"bench\"\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "\n[[prompt]]\nid = \"p{i}\"\ntitle = \"Prompt {i}\"\n\
             text = \"What would you change about thing number {i}, and why now?\"\n\
             follow_ups = [\"And after that?\"]\ntags = [\"bench\"]\n"
        ));
    }
    text
}

fn load(c: &mut Criterion) {
    let n = if measuring() { 100_000 } else { 200 };
    let sources = vec![(PathBuf::from("big.toml"), pack(n))];
    if measuring() {
        println!("one file: {n} prompts, {} bytes", sources[0].1.len());
    }
    let mut group = c.benchmark_group("prompt_loader");
    group.sample_size(10);
    group.bench_function(format!("load ({n} prompts in one file)"), |bench| {
        bench.iter(|| load_sources(&sources).unwrap())
    });
    group.finish();
    // Every prompt loaded; an error deep in the file names its own line.
    let set = load_sources(&sources).unwrap();
    assert_eq!(set.len(), n);
    let mut broken = sources[0].1.clone();
    broken.push_str("\n[[prompt]]\nid = \"last\"\ntext = \"\"\n");
    let lines = broken.lines().count();
    let err = load_sources(&[(PathBuf::from("big.toml"), broken)]).unwrap_err();
    assert_eq!(err.0.len(), 1, "{err}");
    assert_eq!(err.0[0].line, lines, "{err}");
}

criterion_group!(benches, load);

fn main() {
    println!("{}", machine::description());
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
