use super::*;

#[test]
fn the_example_config_parses_and_checks_clean() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let config = Config::load(&path).unwrap();
    assert!(config.console.is_some());
    assert!(!config.channels.is_empty());
}

#[test]
fn the_container_config_parses_and_checks_clean() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docker/config.toml");
    let config = Config::load(&path).unwrap();
    assert_eq!(config.data_dir, Path::new("/data"));
    assert_eq!(config.http.unwrap().listen.get_ref(), "0.0.0.0:9464");
}

#[test]
fn unknown_keys_are_errors_with_line_and_column() {
    let err = Config::parse(Path::new("c.toml"), "timezone = \"UTC\"\ncolour = 1\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("line 2, column 1") && err.contains("unknown field `colour`"),
        "{err}"
    );
}

#[test]
fn every_value_problem_is_listed() {
    let text = r#"timezone = "Mars/Olympus"
thread_open = "24h"
[catch_up]
policy = "burst"
[[channel]]
platform = "console"
id = "console"
schedules = ["daily 09:00", "61 * * * *"]
[[channel]]
platform = "irc"
id = "x"
"#;
    let config = Config::parse(Path::new("c.toml"), text).unwrap();
    let problems = config.problems();
    assert_eq!(problems.len(), 6, "{problems:#?}");
    assert_eq!(problems[0], NO_PLATFORM);
    assert!(problems[1].starts_with("line 1: timezone: unknown time zone `Mars/Olympus`"));
    assert!(problems[2].starts_with("line 4: catch_up.policy: `burst`"));
    assert!(
        problems[3].starts_with("line 6: channel[1]: a console channel needs a [console] section")
    );
    assert!(problems[4].starts_with(
        "line 8: channel[1].schedules: bad cron expression `61 * * * *`: minute must be 0–59"
    ));
    assert!(problems[5].starts_with("line 10: channel[2].platform: `irc`"));
}

#[test]
fn a_huge_thread_open_is_refused_naming_the_field() {
    let config = Config::parse(
        Path::new("c.toml"),
        "thread_open = \"100000y\"\n[console]\n",
    )
    .unwrap();
    let problems = config.problems();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("thread_open: `100000years` is too long; at most 365d"),
        "{problems:#?}"
    );
}

#[test]
fn a_huge_max_lateness_is_refused_naming_the_field() {
    let config = Config::parse(
        Path::new("c.toml"),
        "[catch_up]\nmax_lateness = \"1000000000y\"\n[console]\n",
    )
    .unwrap();
    let problems = config.problems();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("catch_up.max_lateness: `1000000000years` is too long"),
        "{problems:#?}"
    );
    // A year is still fine.
    let config = Config::parse(
        Path::new("c.toml"),
        "[catch_up]\nmax_lateness = \"365d\"\n[console]\n",
    )
    .unwrap();
    assert!(config.problems().is_empty());
}

#[test]
fn an_anonymity_key_at_the_database_path_is_refused_without_moving_the_database() {
    let text = "database = \"data/ponder.db\"\nanonymity_key = \"data/ponder.db\"\n[console]\n";
    let config = Config::parse(Path::new("c.toml"), text).unwrap();
    let problems = config.problems();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].starts_with("anonymity_key: is the database file"));
    assert!(!problems[0].contains("move"), "{problems:#?}");
}

#[test]
fn bad_durations_name_the_value_and_line() {
    let config = Config::parse(Path::new("c.toml"), "thread_open = \"soon\"\n[console]\n").unwrap();
    assert_eq!(
        config.problems(),
        ["line 1: thread_open: `soon` is not a duration; write it like `90m`, `24h` or `3d`"]
    );
}

#[test]
fn one_bad_duration_does_not_hide_the_other_problems() {
    let text = r#"timezone = "Mars/Olympus"
thread_open = "soon"
[catch_up]
max_lateness = "later"
[console]
[log]
level = "verbose"
"#;
    let config = Config::parse(Path::new("c.toml"), text).unwrap();
    let problems = config.problems();
    assert_eq!(problems.len(), 4, "{problems:#?}");
    for want in [
        "line 2: thread_open: `soon` is not a duration",
        "line 4: catch_up.max_lateness: `later` is not a duration",
        "line 1: timezone: unknown time zone",
        "log.level: `verbose` is not a log level",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(want)),
            "missing {want:?} in {problems:#?}"
        );
    }
}

#[test]
fn an_invalid_log_level_is_a_problem_not_ignored() {
    for bad in ["verbose", "", "ponder=loud", "inf o"] {
        assert!(check_log_level(bad).is_err(), "{bad:?}");
    }
    for good in [
        "info",
        "WARN",
        "ponder=debug,info",
        "off",
        "ponder::engine=trace",
    ] {
        check_log_level(good).unwrap_or_else(|e| panic!("{good:?}: {e}"));
    }
}

/// Found by the `config` fuzz target: tracing-subscriber's parser panicked
/// on a multi-byte character in a directive (`ponder check` crashed instead
/// of naming the field). Regression input:
/// `fuzz/corpus/config/regression-non-ascii-log-level`.
#[test]
fn a_log_level_with_a_non_ascii_character_is_a_problem_not_a_panic() {
    for bad in [
        "x[\u{20ac}{f}]=info",
        " inf!Upassword and Matrixc\u{fffd}nonymo[\u{fffd}\u{fffd}t{\u{fffd}}le",
        "ponder=d\u{e9}bug",
    ] {
        let err = check_log_level(bad).unwrap_err();
        assert!(err.contains("non-ASCII"), "{bad:?}: {err}");
    }
}

#[test]
fn a_config_without_a_platform_is_a_problem_in_the_words_run_uses() {
    let config = Config::parse(Path::new("c.toml"), "timezone = \"UTC\"\n").unwrap();
    assert_eq!(config.problems(), [NO_PLATFORM]);
}

#[test]
fn a_platform_section_this_build_lacks_is_named_with_its_line() {
    let text = "timezone = \"UTC\"\n\n[console]\n\n[matrix]\nhomeserver = \"http://127.0.0.1:1\"\nuser = \"@bot:example.org\"\n\n[discord]\n";
    let config = Config::parse(Path::new("c.toml"), text).unwrap();
    let problems = config.problems();
    let named = |name: &str| {
        problems
            .iter()
            .any(|p| p.contains(&format!("[{name}]: this ponder was built without {name}")))
    };
    // The test binary always has both platforms (the dev-dependency on this
    // crate keeps the default features), so here neither section is
    // refused; .ci/run checks the Discord-only binary's answer.
    assert_eq!(named("matrix"), !cfg!(feature = "matrix"), "{problems:?}");
    assert_eq!(named("discord"), !cfg!(feature = "discord"), "{problems:?}");
    assert_eq!(
        super::problems::unbuilt_platform(text, "matrix"),
        "line 5: [matrix]: this ponder was built without matrix (its Cargo feature `matrix`); build it with `cargo build --release --features matrix`, or remove the section"
    );
}

#[test]
fn schedules_that_never_fire_are_problems() {
    let text = "[console]\n[[channel]]\nplatform = \"console\"\nid = \"console\"\n\
                schedules = [\"0 0 30 2 *\", \"every 1000000000000000s\"]\n";
    let problems = Config::parse(Path::new("c.toml"), text).unwrap().problems();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("never fires"), "{}", problems[0]);
    assert!(problems[1].contains("at most a year"), "{}", problems[1]);
}

#[test]
fn the_demo_config_is_the_toml_it_replaced_and_checks_clean() {
    for every in [2, 20, 86400] {
        let db = Path::new("some dir/demo \"x\".db");
        let open = every - (every / 10).max(1);
        let text = format!(
            "thread_open = \"{open}s\"\nmin_schedule_interval = \"1s\"\n[console]\nchannel = \"console\"\n\
             [[channel]]\nplatform = \"console\"\nid = \"console\"\nschedules = [\"every {every}s\"]\n",
        );
        let mut parsed = Config::parse(Path::new(""), &text).unwrap();
        parsed.anonymity_key = Some(db.with_extension("key"));
        parsed.database = Some(db.to_path_buf());
        let demo = Config::demo(db, every);
        assert!(demo.problems().is_empty(), "{:?}", demo.problems());
        // Spans and the source text aside, the two are the same config.
        let values = |c: &Config| {
            let channels: Vec<String> = c
                .channels
                .iter()
                .map(|ch| {
                    let schedules: Vec<&String> =
                        ch.schedules.iter().map(|s| s.get_ref()).collect();
                    format!(
                        "{} {} {:?} {:?} {schedules:?} {:?} {:?} {:?} {:?}",
                        ch.platform.get_ref(),
                        ch.id,
                        ch.timezone,
                        ch.packs,
                        ch.digest,
                        ch.forum_tags,
                        ch.anonymous,
                        ch.anonymous_excerpts
                    )
                })
                .collect();
            format!(
                "{:?} {:?} {:?} {:?} {} {:?} {:?} {} {:?} {:?} {channels:?} {} {} {} {:?} {:?} {:?} {:?}",
                c.data_dir,
                c.database,
                c.anonymity_key,
                c.prompts_dir,
                c.timezone.get_ref(),
                c.thread_open,
                c.min_schedule_interval,
                c.catch_up.policy.get_ref(),
                c.catch_up.max_lateness,
                c.console.as_ref().map(|k| &k.channel),
                c.discord.is_none(),
                c.matrix.is_none(),
                c.http.is_none(),
                c.log.level,
                c.log.format,
                c.path,
                c.bad_durations,
            )
        };
        assert_eq!(values(&demo), values(&parsed));
        assert_eq!(demo.thread_open, parsed.thread_open);
        assert_eq!(demo.database_path(), db);
        assert_eq!(demo.anonymity_key_path(), db.with_extension("key"));
    }
}

#[test]
fn a_log_level_with_a_field_filter_is_a_problem_not_a_hang() {
    // tracing-subscriber compiles a field filter's value into a DFA when the
    // filter is built; this one (from the `config` fuzz target) took minutes.
    let dots = ".".repeat(110);
    let bad = format!("inf[/={{jjjjjjjj2=47:31:00.197jp9jjjjjjj{dots}jjjj;jjjjjnjjjjtrue}}");
    for level in [bad.as_str(), "ponder[run{id=1}]=debug"] {
        let err = check_log_level(level).unwrap_err();
        assert!(err.contains("field filter"), "{level:?}: {err}");
    }
    // span names without fields stay allowed
    check_log_level("ponder[run]=debug,info").unwrap();
}

#[test]
fn digest_archive_is_checked_with_its_line() {
    let text = "[console]\n[[channel]]\nplatform = \"console\"\nid = \"console\"\ndigest = \"off\"\ndigest_archive = true\n";
    let config = Config::parse(Path::new("c.toml"), text).unwrap();
    let problems = config.problems();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("line 6: channel[1].digest_archive: the page goes with the digest"),
        "{}",
        problems[0]
    );
    let on = Config::parse(Path::new("c.toml"), &text.replace("\"off\"", "\"channel\"")).unwrap();
    assert!(on.problems().is_empty(), "{:?}", on.problems());
    assert_eq!(
        on.channels[0].digest_archive.as_ref().map(|d| *d.get_ref()),
        Some(true)
    );
    let off = Config::parse(Path::new("c.toml"), "[console]\n").unwrap();
    assert!(off.channels.is_empty());
    let err = Config::parse(Path::new("c.toml"), &text.replace("= true", "= \"yes\""))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("line 6") && err.contains("digest_archive"),
        "{err}"
    );
}

#[test]
fn quiet_days_are_checked_each_with_its_line() {
    let text = "[console]\n[[channel]]\nplatform = \"console\"\nid = \"console\"\nquiet = [\n  \
                \"2026-12-24..2026-12-26 winter holidays\",\n  \"sat,sun\",\n  \
                \"2026-12-26..2026-12-24\",\n  \"someday\",\n]\n";
    let config = Config::parse(Path::new("c.toml"), text).unwrap();
    let problems = config.problems();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with("line 8: channel[1].quiet: 2026-12-26 comes after 2026-12-24"),
        "{}",
        problems[0]
    );
    assert!(
        problems[1].starts_with("line 9: channel[1].quiet: `someday` is not a list of days"),
        "{}",
        problems[1]
    );
}

#[test]
fn discord_shards_are_auto_or_a_count_and_anything_else_is_named_with_its_line() {
    let with = |v: &str| {
        let text = format!("[discord]\napi_base = \"http://127.0.0.1:9\"\nshards = {v}\n");
        Config::parse(Path::new("c.toml"), &text).unwrap()
    };
    let auto = with("\"auto\"");
    assert!(auto.problems().is_empty(), "{:?}", auto.problems());
    assert_eq!(auto.discord.as_ref().unwrap().shard_count(), None);
    let four = with("4");
    assert!(four.problems().is_empty(), "{:?}", four.problems());
    assert_eq!(four.discord.as_ref().unwrap().shard_count(), Some(4));
    for bad in ["\"eight\"", "0", "-2", "5000"] {
        let problems = with(bad).problems();
        assert_eq!(problems.len(), 1, "{bad}: {problems:#?}");
        assert!(
            problems[0].starts_with("line 3: discord.shards: ")
                && problems[0].contains(
                    "is not \"auto\", a number of shards from 1 to 4096, or a range this process runs like \"0-3 of 8\""
                ),
            "{}",
            problems[0]
        );
    }
    assert_eq!(with("\"0-3 of 8\"").discord.unwrap().shard_count(), None);
}

#[test]
fn a_shard_range_is_a_to_b_of_n_and_a_malformed_one_is_named_with_its_line() {
    let with = |v: &str| {
        let text = format!("[discord]\napi_base = \"http://127.0.0.1:9\"\nshards = \"{v}\"\n");
        Config::parse(Path::new("c.toml"), &text).unwrap()
    };
    for (good, first, last, total, shown) in [
        ("0-3 of 8", 0, 3, 8, "0-3 of 8"),
        ("2 of 8", 2, 2, 8, "2 of 8"),
        ("1-1 of 2", 1, 1, 2, "1 of 2"),
        (" 4 - 7  of 4096", 4, 7, 4096, "4-7 of 4096"),
        ("0-4095 of 4096", 0, 4095, 4096, "0-4095 of 4096"),
    ] {
        let config = with(good);
        assert!(
            config.problems().is_empty(),
            "{good}: {:?}",
            config.problems()
        );
        let d = config.discord.unwrap();
        let range = d.shard_range().unwrap();
        assert_eq!(range, ShardRange { first, last, total }, "{good}");
        assert_eq!(range.to_string(), shown);
        assert_eq!(d.shard_count(), None, "a range is not a count");
    }
    for (bad, why) in [
        ("4-3 of 8", "the range starts after it ends (4 > 3)"),
        (
            "0-8 of 8",
            "shard 8 is not one of 8 (they are numbered 0 to 7)",
        ),
        ("3 of 3", "shard 3 is not one of 3"),
        ("0-3 of 0", "the total must be from 1 to 4096"),
        ("0-3 of 5000", "the total must be from 1 to 4096"),
        ("a-3 of 8", "`a` is not a number"),
        ("-1-3 of 8", "is not a number"),
        ("+1 of 8", "`+1` is not a number"),
        ("0-+3 of 8", "`+3` is not a number"),
        ("0-3 of", "write a range like \"0-3 of 8\""),
        ("0-3 off 8", "write a range like \"0-3 of 8\""),
    ] {
        let config = with(bad);
        let problems = config.problems();
        assert_eq!(problems.len(), 1, "{bad}: {problems:#?}");
        assert!(
            problems[0].starts_with(&format!(
                "line 3: discord.shards: `{bad}` is not a range of shards: "
            )) && problems[0].contains(why),
            "{bad}: {}",
            problems[0]
        );
        assert_eq!(config.discord.unwrap().shard_range(), None);
    }
}

#[test]
fn matrix_beside_a_shard_range_is_refused_unless_this_process_is_said_to_run_it() {
    let with = |shards: &str, matrix: &str| {
        let text = format!(
            "[discord]\napi_base = \"http://127.0.0.1:9\"\nshards = {shards}\n\
             [matrix]\nhomeserver = \"http://127.0.0.1:8008\"\nuser = \"@ponder:localhost\"\n{matrix}"
        );
        Config::parse(Path::new("c.toml"), &text)
            .unwrap()
            .problems()
    };
    let refused = with("\"0-3 of 8\"", "");
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert_eq!(
        refused[0],
        "line 3: discord.shards: this process runs Discord shards 0-3 of 8 only, and Matrix runs in exactly one process: \
         remove [matrix] from this config, or set `with_shard_range = true` in [matrix] of the one process that runs it"
    );
    assert!(!refused[0].contains('\n'), "one line");
    let told = with("\"0-3 of 8\"", "with_shard_range = true\n");
    assert!(told.is_empty(), "{told:#?}");
    // every shard in one process: Matrix beside it as ever
    assert!(with("\"auto\"", "").is_empty());
    assert!(with("4", "").is_empty());
    // a range of every shard is every shard
    assert!(with("\"0-7 of 8\"", "").is_empty());
    assert!(with("\"0 of 1\"", "").is_empty());
}
