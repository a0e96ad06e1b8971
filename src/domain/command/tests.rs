use super::*;

#[test]
fn commands_parse_from_text() {
    let cases: &[(&str, Command)] = &[
        ("!ponder", Command::Help),
        ("!ponder help", Command::Help),
        ("  !ponder   now  ", Command::Now { prompt: None }),
        (
            "!ponder now trust-or-ease",
            Command::Now {
                prompt: Some("trust-or-ease".into()),
            },
        ),
        ("!ponder next", Command::Next),
        ("!ponder skip", Command::Skip),
        ("!ponder pause", Command::Pause),
        ("!ponder resume", Command::Resume),
        ("!ponder status", Command::Status),
        ("!ponder stats", Command::Stats),
        ("!ponder prompts", Command::Prompts { pack: None }),
        ("!ponder prompts list", Command::Prompts { pack: None }),
        (
            "!ponder prompts list essay-progress",
            Command::Prompts {
                pack: Some("essay-progress".into()),
            },
        ),
        (
            "!ponder export json post 7 from 2026-11-01 to 2026-11-30",
            Command::Export {
                format: ExportFormat::Json,
                post: Some(7),
                from: chrono::NaiveDate::from_ymd_opt(2026, 11, 1),
                to: chrono::NaiveDate::from_ymd_opt(2026, 11, 30),
            },
        ),
        (
            "!ponder digest off",
            Command::Digest {
                mode: DigestMode::Off,
            },
        ),
        (
            "!ponder digest Channel",
            Command::Digest {
                mode: DigestMode::Channel,
            },
        ),
        ("!ponder language", Command::Language { tag: None }),
        (
            "!ponder language de-DE",
            Command::Language {
                tag: Some("de-DE".into()),
            },
        ),
        ("!ponder about", Command::About),
        ("!ponder forget-me", Command::ForgetMe { confirm: false }),
        (
            "!ponder forget-me confirm",
            Command::ForgetMe { confirm: true },
        ),
        ("!ponder reload", Command::Reload),
        (
            "!ponder archive",
            Command::Archive {
                from: None,
                to: None,
                names: ArchiveNames::Shown,
                public: false,
            },
        ),
        (
            "!ponder archive from 2026-11-01 initials to 2026-11-30",
            Command::Archive {
                from: chrono::NaiveDate::from_ymd_opt(2026, 11, 1),
                to: chrono::NaiveDate::from_ymd_opt(2026, 11, 30),
                names: ArchiveNames::Initials,
                public: false,
            },
        ),
        (
            "!ponder archive names hidden",
            Command::Archive {
                from: None,
                to: None,
                names: ArchiveNames::Hidden,
                public: false,
            },
        ),
        (
            "!ponder export",
            Command::Export {
                format: ExportFormat::Markdown,
                post: None,
                from: None,
                to: None,
            },
        ),
        (
            "!ponder export CSV",
            Command::Export {
                format: ExportFormat::Csv,
                post: None,
                from: None,
                to: None,
            },
        ),
        ("!ponder schedule list", Command::ScheduleList),
        (
            "!ponder schedule remove 3",
            Command::ScheduleRemove { id: 3 },
        ),
        (
            "!ponder schedule remove #3",
            Command::ScheduleRemove { id: 3 },
        ),
        (
            "!ponder schedule add daily 09:00 Europe/Berlin",
            Command::ScheduleAdd {
                spec: "daily 09:00".into(),
                tz: Some("Europe/Berlin".into()),
                announce: Announce::default(),
            },
        ),
        (
            "!ponder schedule add 30 18 * * 1-5",
            Command::ScheduleAdd {
                spec: "30 18 * * 1-5".into(),
                tz: None,
                announce: Announce::default(),
            },
        ),
        (
            "!ponder schedule add \"0 9 * * *\" UTC",
            Command::ScheduleAdd {
                spec: "0 9 * * *".into(),
                tz: Some("UTC".into()),
                announce: Announce::default(),
            },
        ),
    ];
    for (text, want) in cases {
        assert_eq!(parse(text), Ok(Some(want.clone())), "{text}");
    }
    let more: &[(&str, Command)] = &[
        (
            "!ponder setup weekdays 18:30 America/New_York",
            Command::Setup {
                spec: "weekdays 18:30".into(),
                tz: Some("America/New_York".into()),
                announce: Announce::default(),
            },
        ),
        (
            "!ponder reflect  I keep  coming back to trust. ",
            Command::Reflect {
                text: "I keep  coming back to trust.".into(),
                anonymous: false,
                post: None,
            },
        ),
        (
            "!ponder schedule add daily 09:00 Europe/Berlin ping <@&42> pin",
            Command::ScheduleAdd {
                spec: "daily 09:00".into(),
                tz: Some("Europe/Berlin".into()),
                announce: Announce {
                    ping: Some("42".into()),
                    pin: true,
                },
            },
        ),
        (
            "!ponder setup pin weekdays 09:00 ping @a:hs,@b:hs",
            Command::Setup {
                spec: "weekdays 09:00".into(),
                tz: None,
                announce: Announce {
                    ping: Some("@a:hs,@b:hs".into()),
                    pin: true,
                },
            },
        ),
        (
            "!ponder suggest What do you  trust without looking?",
            Command::Suggest {
                text: "What do you  trust without looking?".into(),
                credit: true,
            },
        ),
        (
            "!ponder suggest uncredited What do you trust without looking?",
            Command::Suggest {
                text: "What do you trust without looking?".into(),
                credit: false,
            },
        ),
        ("!ponder suggestions", Command::Suggestions),
        ("!ponder approve 4", Command::Approve { id: 4 }),
        ("!ponder approve #4", Command::Approve { id: 4 }),
        (
            "!ponder reject 4",
            Command::Reject {
                id: 4,
                reason: None,
            },
        ),
        (
            "!ponder reject 4 We had this one last month.",
            Command::Reject {
                id: 4,
                reason: Some("We had this one last month.".into()),
            },
        ),
        ("!ponder anonymous on", Command::Anonymous { allow: true }),
        ("!ponder anonymous OFF", Command::Anonymous { allow: false }),
        (
            "!ponder anon Nobody needs to know it was me.",
            Command::Reflect {
                text: "Nobody needs to know it was me.".into(),
                anonymous: true,
                post: None,
            },
        ),
        (
            "!ponder anon #12 For that one.",
            Command::Reflect {
                text: "For that one.".into(),
                anonymous: true,
                post: Some(12),
            },
        ),
    ];
    for (text, want) in more {
        assert_eq!(parse(text), Ok(Some(want.clone())), "{text}");
    }
}

#[test]
fn quiet_commands_parse_from_text() {
    use crate::domain::quiet::{parse_range, parse_weekdays};
    let cases: Vec<(&str, Command)> = vec![
        ("!ponder quiet", Command::QuietList),
        ("!ponder quiet list", Command::QuietList),
        (
            "!ponder quiet add 2026-12-24..2026-12-26 winter holidays",
            Command::QuietAdd {
                rule: parse_range("2026-12-24..2026-12-26").unwrap(),
                reason: Some("winter holidays".into()),
            },
        ),
        (
            "!ponder quiet add 2026-12-31",
            Command::QuietAdd {
                rule: parse_range("2026-12-31..2026-12-31").unwrap(),
                reason: None,
            },
        ),
        ("!ponder quiet remove #3", Command::QuietRemove { id: 3 }),
        (
            "!ponder quiet weekly sat,sun",
            Command::QuietWeekly {
                rule: Some(parse_weekdays("sat,sun").unwrap()),
            },
        ),
        (
            "!ponder quiet weekly off",
            Command::QuietWeekly { rule: None },
        ),
    ];
    for (text, want) in cases {
        assert_eq!(parse(text), Ok(Some(want.clone())), "{text}");
        assert!(want.needs_admin(), "{text}");
    }
}

#[test]
fn bad_quiet_days_are_refused_saying_why() {
    let cases = [
        (
            "!ponder quiet add 2026-12-26..2026-12-24",
            "2026-12-26 comes after 2026-12-24",
        ),
        ("!ponder quiet add christmas", "`christmas` is not a date"),
        ("!ponder quiet add 2026-02-30", "`2026-02-30` is not a date"),
        ("!ponder quiet add 2026-01-01..2027-06-01", "at most a year"),
        ("!ponder quiet add", "usage: !ponder quiet add"),
        ("!ponder quiet remove x", "usage: !ponder quiet remove ID"),
        ("!ponder quiet weekly someday", "not a list of days"),
        ("!ponder quiet weekly", "usage: !ponder quiet add"),
        ("!ponder quiet weekly mon-sun", "use `pause`"),
    ];
    for (text, want) in cases {
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains(want), "{text}: {err}");
    }
}

#[test]
fn ordinary_messages_are_not_commands() {
    for text in ["hello", "I think !ponder now is neat", "!pondering", ""] {
        assert_eq!(parse(text), Ok(None), "{text}");
    }
}

#[test]
fn malformed_commands_get_a_short_usage_answer() {
    let cases = [
        ("!ponder frobnicate", "unknown command `frobnicate`"),
        ("!ponder now a b", "usage: !ponder now [prompt-id]"),
        ("!ponder export pdf", "usage: !ponder export [md|json|csv]"),
        ("!ponder export from yesterday", "usage: !ponder export"),
        ("!ponder archive pdf", "usage: !ponder archive [from"),
        (
            "!ponder archive from 24.11.2026",
            "usage: !ponder archive [from",
        ),
        ("!ponder archive to", "usage: !ponder archive [from"),
        (
            "!ponder schedule remove x",
            "usage: !ponder schedule remove ID",
        ),
        ("!ponder schedule", "usage: !ponder schedule add"),
        ("!ponder schedule add", "usage: !ponder schedule add"),
        (
            "!ponder schedule add 99 * * * * UTC",
            "bad cron expression `99 * * * *`",
        ),
        (
            "!ponder schedule add daily 9am",
            "`9am` is not a time of day",
        ),
        ("!ponder suggest", "usage: !ponder suggest"),
        ("!ponder suggest short", "at least 10 characters"),
        ("!ponder approve x", "usage: !ponder approve ID"),
        ("!ponder reject", "usage: !ponder reject ID"),
        ("!ponder anon", "usage: !ponder anon"),
        ("!ponder anon #3", "usage: !ponder anon"),
        ("!ponder anonymous maybe", "usage: !ponder anonymous on|off"),
        ("!ponder schedule add daily 09:00 ping", "`ping` needs whom"),
    ];
    for (text, want) in cases {
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains(want), "{text}: {err}");
    }
}

#[test]
fn any_input_parses_without_panicking() {
    let nasty = [
        "!ponder \u{0}",
        "!ponder schedule add ☃ ☃",
        "!ponder now 🤔🤔",
        "!ponder schedule remove 99999999999999999999",
    ];
    for text in nasty {
        let _ = parse(text);
    }
}

#[test]
fn members_may_reflect_and_suggest_but_not_decide() {
    assert!(!Command::Help.needs_admin());
    assert!(!Command::Next.needs_admin());
    let reflect = Command::Reflect {
        text: "x".into(),
        anonymous: true,
        post: None,
    };
    assert!(!reflect.needs_admin());
    let suggest = Command::Suggest {
        text: "x".into(),
        credit: true,
    };
    assert!(!suggest.needs_admin());
    assert!(Command::Suggestions.needs_admin());
    assert!(Command::Approve { id: 1 }.needs_admin());
    assert!(
        Command::Reject {
            id: 1,
            reason: None
        }
        .needs_admin()
    );
    assert!(Command::Anonymous { allow: true }.needs_admin());
    assert!(
        Command::Setup {
            spec: "daily 09:00".into(),
            tz: None,
            announce: Announce::default(),
        }
        .needs_admin()
    );
    assert!(Command::Now { prompt: None }.needs_admin());
    assert!(Command::Status.needs_admin());
}

#[test]
fn the_commands_of_a_communitys_own_packs_parse() {
    let path = |p: &str| Attached::Path(p.into());
    let cases = [
        (
            "!ponder prompts show ours-one",
            Command::PromptShow {
                id: "ours-one".into(),
            },
        ),
        (
            "!ponder prompts disable ours-one",
            Command::PromptEnable {
                id: "ours-one".into(),
                enable: false,
            },
        ),
        (
            "!ponder prompts enable ours-one",
            Command::PromptEnable {
                id: "ours-one".into(),
                enable: true,
            },
        ),
        (
            "!ponder prompts import",
            Command::PackImport {
                file: Attached::Missing,
            },
        ),
        (
            "!ponder prompts import my packs/ours.toml",
            Command::PackImport {
                file: path("my packs/ours.toml"),
            },
        ),
        (
            "!ponder prompts remove-pack ours",
            Command::PackRemove {
                pack: "ours".into(),
            },
        ),
        (
            "!ponder prompts export-pack ours",
            Command::PackExport {
                pack: "ours".into(),
            },
        ),
        (
            "!ponder prompts draft mine",
            Command::PackDraft {
                file: Attached::Missing,
                pack: "mine".into(),
                title: None,
            },
        ),
        (
            "!ponder prompts draft mine essay.txt",
            Command::PackDraft {
                file: path("essay.txt"),
                pack: "mine".into(),
                title: None,
            },
        ),
        (
            "!ponder packs use ours, essay-progress",
            Command::PacksUse {
                packs: vec!["ours".into(), "essay-progress".into()],
            },
        ),
        ("!ponder packs use all", Command::PacksUse { packs: vec![] }),
        ("!ponder packs", Command::Prompts { pack: None }),
    ];
    for (text, want) in cases {
        assert_eq!(parse(text).unwrap(), Some(want), "{text}");
    }
    for (text, want) in [
        (
            "!ponder prompts disable",
            "usage: !ponder prompts list [PACK] |",
        ),
        ("!ponder prompts draft", "usage: !ponder prompts list"),
        ("!ponder packs use", "usage: !ponder packs use"),
        ("!ponder packs use , ,", "usage: !ponder packs use"),
        ("!ponder packs drop x", "usage: !ponder packs use"),
    ] {
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains(want), "{text}: {err}");
    }
    // a file's bytes never reach a log line through `Debug`
    let file = Attached::File {
        name: "ours.toml".into(),
        bytes: b"secret = 1".to_vec(),
    };
    assert_eq!(format!("{file:?}"), "File(\"ours.toml\", 10 bytes)");
}
