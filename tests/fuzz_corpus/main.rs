//! Every corpus file of the fuzz targets (`fuzz/corpus/TARGET/*` and the
//! hand-written `fuzz/seeds/TARGET/*`) replayed through the function its
//! target calls (`ponder::fuzzing`), so the targets cannot rot and every
//! input that once found a bug stays a regression test. See FUZZING.md.

use std::path::{Path, PathBuf};

/// The files of one target's corpus and seeds, sorted.
fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["corpus", "seeds"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_file()));
    }
    files.sort();
    files
}

/// Runs every input; a panic names the file, which `cargo fuzz run TARGET FILE` replays.
fn replay(target: &str, run: fn(&[u8])) {
    let files = inputs(target);
    assert!(
        files.len() >= 5,
        "fuzz/corpus/{target} and fuzz/seeds/{target} hold only {} files",
        files.len()
    );
    for file in &files {
        let data = std::fs::read(file).unwrap();
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            panic!("{target}: {} panics", file.display());
        }
    }
}

#[test]
fn chat_commands_from_the_fuzz_corpus_parse_without_panicking() {
    replay("command", ponder::fuzzing::command);
}

#[test]
fn schedules_from_the_fuzz_corpus_parse_and_fire_without_panicking() {
    replay("schedule", ponder::fuzzing::schedule);
}

#[test]
fn configs_from_the_fuzz_corpus_load_without_panicking() {
    replay("config", ponder::fuzzing::config);
}

#[test]
fn prompt_files_from_the_fuzz_corpus_load_without_panicking() {
    replay("prompt_files", ponder::fuzzing::prompt_files);
}

/// Found by the `command` target: a field the cron crate reads as an empty set
/// made every next-fire question search to the year 5000 (seconds of CPU on
/// the bot's event loop). Such a field is refused at once, by name.
#[test]
fn a_cron_field_that_matches_nothing_is_refused_by_name() {
    use ponder::domain::schedule::Recurrence;
    for (spec, field) in [
        ("1 , 6 * ?", "hour field `,`"),
        ("1 2,,3 * * *", "hour field `2,,3`"),
        ("0 9 1, * *", "day-of-month field `1,`"),
        ("49 * * * +", "day-of-week field `+`"),
    ] {
        let err = Recurrence::parse(spec).unwrap_err().to_string();
        assert!(
            err.contains(field) && err.contains("empty item"),
            "{spec}: {err}"
        );
    }
    // A leading `+` with days after it is the cron crate's "day-of-month AND
    // day-of-week", and stays accepted.
    assert!(Recurrence::parse("0 9 1-7 * +MON").is_ok());
}
