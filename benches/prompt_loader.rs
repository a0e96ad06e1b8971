//! Prompt loader cost (Criterion): one pack file with many prompts, parsed,
//! checked field by field and indexed, as `ponder run`, `check` and a hot
//! reload do.
//!
//! - `load`: `load_sources` over one file of 100,000 prompts (about 10 MB).
//!   Finding each prompt's line for error messages is a binary search over
//!   a line index built once per file, so the time grows linearly with the
//!   file (it used to count newlines from the start for every prompt).
//!
//! - peers, in the same run and on the same bytes: `toml_parse_only`, the
//!   bare `toml` crate parse into a `toml::Table` with no checks (the floor
//!   under Ponder's loader: what it costs beyond parsing is the field checks,
//!   the duplicate ids and the index), and Python's `tomllib` (the parser a
//!   Python peer bot, e.g. one on discord.py, would load the same pack with),
//!   timed by Python itself (median of 3 loads: it is slow); printed as
//!   Ponder, peer, ratio. When `python3` (3.11+) is missing, the output says so.
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
    group.bench_function(
        format!("toml_parse_only ({n} prompts in one file)"),
        |bench| bench.iter(|| sources[0].1.parse::<toml::Table>().unwrap()),
    );
    group.finish();
    if measuring() {
        peers(&sources[0].1);
    }
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

/// The same loads timed without Criterion, beside Python's `tomllib` on the
/// same bytes: median of 5 loads each, one line per peer with the ratio.
fn peers(text: &str) {
    use std::time::Instant;
    let sources = vec![(PathBuf::from("big.toml"), text.to_string())];
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let ponder = median(
        (0..5)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(load_sources(&sources).unwrap());
                t.elapsed().as_secs_f64()
            })
            .collect(),
    );
    let bare = median(
        (0..5)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(text.parse::<toml::Table>().unwrap());
                t.elapsed().as_secs_f64()
            })
            .collect(),
    );
    println!("peers (median of 5 loads, Python 3; same bytes, same run):");
    println!(
        "  ponder load_sources {:.3} s | toml crate parse only {:.3} s | ratio {:.2}",
        ponder,
        bare,
        ponder / bare
    );
    let dir = std::env::temp_dir().join(format!("ponder-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("big.toml");
    std::fs::write(&file, text).unwrap();
    let script = r#"
import sys, time, tomllib
data = open(sys.argv[1], 'rb').read().decode()
ts = []
for _ in range(3):
    t = time.perf_counter()
    d = tomllib.loads(data)
    ts.append(time.perf_counter() - t)
assert len(d['prompt']) > 0
print(sorted(ts)[1])
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let secs: f64 = String::from_utf8_lossy(&o.stdout).trim().parse().unwrap();
            println!(
                "  ponder load_sources {:.3} s | python3 tomllib.loads {:.3} s | ratio {:.2}",
                ponder,
                secs,
                ponder / secs
            );
        }
        Ok(o) => println!(
            "  python3 tomllib peer did not run: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => println!("  python3 tomllib peer did not run: python3 not found ({e})"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, load);

fn main() {
    println!("{}", machine::description());
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
