//! Entry points for the fuzz targets in `fuzz/` (see `FUZZING.md`), one per
//! parser that takes input from people. Each takes raw bytes, turns them into
//! the input its parser sees, and drives the parser and what the bot does
//! next with its result. None of them may panic or hang on any input.
//!
//! They live in the library, not in `fuzz/`, so that `tests/fuzz_corpus`
//! replays every corpus file through exactly the code the fuzzer ran, in the
//! ordinary test suite (no sanitizers, no nightly), and the targets cannot rot.
//!
//! Inputs are structured where that helps the fuzzer: the schedule target
//! reads a time zone, an instant and a civil time from its first bytes and
//! the schedule text from the rest; the prompt-file target splits its bytes
//! into several files at each `0xFF` byte (never part of UTF-8 text). Text
//! is decoded lossily, as the adapters receive it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};

use crate::config::Config;
use crate::domain::command::{self, Command};
use crate::domain::schedule::{self, Recurrence, Schedule};
use crate::prompt_files;

/// The instant the targets treat as "now" where they need one: fixed, so a
/// corpus file means the same thing on every run.
fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap()
}

/// A chat message: `!ponder …` as a member types it, in a Matrix room or the
/// console. The text is tried as it is and behind the prefix (so the fuzzer
/// need not find `!ponder ` first); a schedule it carries is then built in
/// its zone, as `setup` and `schedule add` do.
pub fn command(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for line in [text.to_string(), format!("{} {text}", command::PREFIX)] {
        let Ok(Some(cmd)) = command::parse(&line) else {
            continue;
        };
        let _ = cmd.needs_admin();
        match &cmd {
            Command::Setup { spec, tz, announce } | Command::ScheduleAdd { spec, tz, announce } => {
                let _ = announce.words();
                // Its fires are the schedule target's work: a schedule that
                // never fires costs a long search (see FUZZING.md).
                let _ = Schedule::new(spec, tz.as_deref().unwrap_or("UTC"));
            }
            Command::Reflect { text, .. } => {
                let _ = command::reflection_text(text, "reflect TEXT");
            }
            _ => {}
        }
    }
}

/// Reads `n` bytes as a little-endian number (missing bytes are zero).
fn take_u64(data: &mut &[u8], n: usize) -> u64 {
    let (head, rest) = data.split_at(n.min(data.len()));
    *data = rest;
    head.iter()
        .rev()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
}

/// A schedule as people write it (cron, friendly form or interval) in one of
/// the IANA zones, asked for its fires around an instant between 1900 and
/// 2300, plus the DST rule applied to an arbitrary civil time in that zone.
///
/// Layout: 2 bytes zone index, 5 bytes instant, 5 bytes civil time, 1 byte
/// window, then the schedule text.
pub fn schedule(data: &[u8]) {
    let mut data = data;
    let zones = chrono_tz::TZ_VARIANTS;
    let tz = zones[take_u64(&mut data, 2) as usize % zones.len()];
    // 1900-01-01 .. about 2300, in seconds.
    const START: i64 = -2_208_988_800;
    const SPAN: u64 = 400 * 366 * 86_400;
    let after = Utc
        .timestamp_opt(START + (take_u64(&mut data, 5) % SPAN) as i64, 0)
        .single()
        .unwrap_or_else(fixed_now);
    let civil: NaiveDateTime =
        DateTime::from_timestamp(START + (take_u64(&mut data, 5) % SPAN) as i64, 0)
            .unwrap_or_else(fixed_now)
            .naive_utc();
    let window = Duration::minutes(take_u64(&mut data, 1) as i64 * 30);
    let spec = String::from_utf8_lossy(data);

    let _ = schedule::resolve(&tz, civil);
    let _ = schedule::parse_tz(&spec);
    if Recurrence::parse(&spec).is_err() {
        return;
    }
    let Ok(s) = Schedule::new(&spec, tz.name()) else {
        return;
    };
    // A schedule that never fires costs the cron crate's search to the year
    // 5000 on every question (see FUZZING.md): ask it once.
    let Some(fire) = s.next_fire_after(after) else {
        return;
    };
    assert!(
        fire.at > after,
        "{spec}: next fire {} not after {after}",
        fire.at
    );
    let fires = s.fires_between(after, after + window, 64);
    assert!(
        fires.windows(2).all(|w| w[0] < w[1]),
        "{spec}: fires out of order"
    );
    // The catch-up question, over a window short enough for `every 1s`.
    let _ = s.latest_fire_in(after, after + window.min(Duration::hours(1)));
}

/// `config.toml` as an operator writes it: parsed, checked as a whole, and,
/// when it passes, turned into the engine's settings and the schedules of
/// its channels (their fires are the schedule target's work).
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(config) = Config::parse(Path::new("fuzz/config.toml"), &text) else {
        return;
    };
    let problems = config.problems();
    let _ = config.database_path();
    let _ = config.anonymity_key_path();
    if !problems.is_empty() {
        return;
    }
    // A key file that is never made: nothing is hashed here.
    let key = crate::engine::AnonKey::open(Path::new("")).expect("no file to read");
    let _ = crate::app::settings(&config, key);
    if let Some(d) = &config.discord {
        let _ = d.archive_minutes();
    }
    for ch in &config.channels {
        let tz = config.channel_timezone(ch);
        for spec in &ch.schedules {
            let (spec, _announce) =
                crate::config::parse_schedule(spec.get_ref()).expect("checked by problems()");
            Schedule::new(&spec, &tz).expect("checked by problems()");
        }
    }
}

/// Prompt files as a community writes them: the bytes are split into files
/// at each `0xFF` byte (so duplicate ids across files are reached), loaded
/// together, and each loaded prompt is looked up and rendered as it is posted.
/// Each file is also read cut into parts, as a big file is on several threads,
/// and must load to exactly the same packs or the same problems.
pub fn prompt_files(data: &[u8]) {
    let sources: Vec<(PathBuf, String)> = data
        .split(|b| *b == 0xFF)
        .take(8)
        .enumerate()
        .map(|(i, part)| {
            (
                PathBuf::from(format!("prompts/fuzz-{i}.toml")),
                String::from_utf8_lossy(part).into_owned(),
            )
        })
        .collect();
    let whole = prompt_files::load_sources_in_parts(&sources, 1);
    let cut = prompt_files::load_sources_in_parts(&sources, 3);
    match (&whole, &cut) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.packs, b.packs, "read in parts");
            assert_eq!(a.translations, b.translations, "read in parts");
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "read in parts"),
        _ => panic!("read in parts: {whole:?} but {cut:?}"),
    }
    match whole {
        Ok(set) => {
            for p in set.prompts() {
                assert!(set.get(&p.qualified_id()).is_some(), "{} not found", p.id);
                let _ = p.thread_name();
                let _ = p.message_text();
            }
            let _ = set.pool(&[]);
            let _ = set.pool_in(&[], "de");
        }
        Err(errors) => {
            assert!(!errors.0.is_empty());
            let _ = errors.to_string();
        }
    }
}
