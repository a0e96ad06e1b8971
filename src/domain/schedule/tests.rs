use super::*;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn fires(spec: &str, tz: &str, from: &str, n: usize) -> Vec<String> {
    let s = Schedule::new(spec, tz).unwrap();
    let mut t = utc(from);
    (0..n)
        .map(|_| {
            t = s.next_after(t).unwrap();
            t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .collect()
}

#[test]
fn berlin_time_in_the_skipped_hour_fires_once_at_the_end_of_the_gap() {
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
    assert_eq!(
        fires("30 2 * * *", "Europe/Berlin", "2026-03-28T00:00:00Z", 3),
        [
            "2026-03-28T01:30:00Z",
            "2026-03-29T01:00:00Z",
            "2026-03-30T00:30:00Z"
        ]
    );
    let s = Schedule::new("30 2 * * *", "Europe/Berlin").unwrap();
    let f = s.next_fire_after(utc("2026-03-28T12:00:00Z")).unwrap();
    assert_eq!(f.resolution, Resolution::ShiftedOutOfGap);
}

#[test]
fn berlin_several_times_inside_the_gap_fire_only_once() {
    assert_eq!(
        fires("*/15 2 * * *", "Europe/Berlin", "2026-03-28T23:00:00Z", 2),
        ["2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z"]
    );
}

#[test]
fn berlin_time_in_the_repeated_hour_fires_once_at_its_first_occurrence() {
    // 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00 UTC); 02:30 happens twice.
    assert_eq!(
        fires("30 2 * * *", "Europe/Berlin", "2026-10-24T00:00:00Z", 3),
        [
            "2026-10-24T00:30:00Z",
            "2026-10-25T00:30:00Z",
            "2026-10-26T01:30:00Z"
        ]
    );
}

#[test]
fn berlin_every_quarter_hour_of_the_repeated_hour_runs_through_it_once() {
    assert_eq!(
        fires("*/15 2 * * *", "Europe/Berlin", "2026-10-24T23:00:00Z", 5),
        [
            "2026-10-25T00:00:00Z",
            "2026-10-25T00:15:00Z",
            "2026-10-25T00:30:00Z",
            "2026-10-25T00:45:00Z",
            "2026-10-26T01:00:00Z"
        ]
    );
}

#[test]
fn a_start_inside_the_second_pass_of_the_repeated_hour_does_not_fire_again() {
    // 01:10 UTC is 02:10 CET, the second pass; 02:30 already fired at 00:30 UTC.
    assert_eq!(
        fires("30 2 * * *", "Europe/Berlin", "2026-10-25T01:10:00Z", 1),
        ["2026-10-26T01:30:00Z"]
    );
}

#[test]
fn new_york_spring_forward_and_fall_back() {
    // 2026-03-08 02:00 EST -> 03:00 EDT (07:00 UTC).
    assert_eq!(
        fires("30 2 * * *", "America/New_York", "2026-03-07T00:00:00Z", 3),
        [
            "2026-03-07T07:30:00Z",
            "2026-03-08T07:00:00Z",
            "2026-03-09T06:30:00Z"
        ]
    );
    // 2026-11-01 02:00 EDT -> 01:00 EST (06:00 UTC); 01:30 happens twice.
    assert_eq!(
        fires("30 1 * * *", "America/New_York", "2026-10-31T00:00:00Z", 3),
        [
            "2026-10-31T05:30:00Z",
            "2026-11-01T05:30:00Z",
            "2026-11-02T06:30:00Z"
        ]
    );
}

#[test]
fn sydney_southern_hemisphere_transitions() {
    // 2026-04-05 03:00 AEDT -> 02:00 AEST; 02:30 happens twice, first at +11:00.
    assert_eq!(
        fires("30 2 * * *", "Australia/Sydney", "2026-04-03T12:00:00Z", 3),
        [
            "2026-04-03T15:30:00Z",
            "2026-04-04T15:30:00Z",
            "2026-04-05T16:30:00Z"
        ]
    );
    // 2026-10-04 02:00 AEST -> 03:00 AEDT (16:00 UTC the day before).
    assert_eq!(
        fires("30 2 * * *", "Australia/Sydney", "2026-10-02T12:00:00Z", 3),
        [
            "2026-10-02T16:30:00Z",
            "2026-10-03T16:00:00Z",
            "2026-10-04T15:30:00Z"
        ]
    );
}

#[test]
fn kolkata_has_no_transition_and_keeps_its_half_hour_offset() {
    assert_eq!(
        fires("30 2 * * *", "Asia/Kolkata", "2026-03-27T00:00:00Z", 4),
        [
            "2026-03-27T21:00:00Z",
            "2026-03-28T21:00:00Z",
            "2026-03-29T21:00:00Z",
            "2026-03-30T21:00:00Z"
        ]
    );
    assert_eq!(
        fires("30 2 * * *", "Asia/Kolkata", "2026-10-24T00:00:00Z", 2),
        ["2026-10-24T21:00:00Z", "2026-10-25T21:00:00Z"]
    );
}

#[test]
fn next_after_is_strictly_after() {
    let s = Schedule::new("daily 09:00", "UTC").unwrap();
    assert_eq!(
        s.next_after(utc("2026-01-01T09:00:00Z")),
        Some(utc("2026-01-02T09:00:00Z"))
    );
}

#[test]
fn friendly_forms_compile_to_cron() {
    let cases = [
        ("daily 09:00", "0 9 * * *"),
        ("weekdays 18:30", "30 18 * * 1-5"),
        ("weekends 10:05", "5 10 * * 0,6"),
        ("mon,thu 12:00", "0 12 * * 1,4"),
        ("Mon-Fri 7:00", "0 7 * * 1-5"),
        ("0  9 * *  1", "0 9 * * 1"),
    ];
    for (spec, want) in cases {
        match Recurrence::parse(spec).unwrap() {
            Recurrence::Cron { expr, .. } => assert_eq!(expr, want, "{spec}"),
            other => panic!("{spec} gave {other:?}"),
        }
    }
}

#[test]
fn mon_thu_fires_on_mondays_and_thursdays() {
    // 2026-11-23 is a Monday.
    assert_eq!(
        fires("mon,thu 12:00", "UTC", "2026-11-23T00:00:00Z", 3),
        [
            "2026-11-23T12:00:00Z",
            "2026-11-26T12:00:00Z",
            "2026-11-30T12:00:00Z"
        ]
    );
}

#[test]
fn intervals_fire_on_multiples_of_their_length() {
    assert_eq!(
        fires("every 20s", "UTC", "2026-01-01T00:00:05Z", 3),
        [
            "2026-01-01T00:00:20Z",
            "2026-01-01T00:00:40Z",
            "2026-01-01T00:01:00Z"
        ]
    );
}

#[test]
fn bad_schedules_name_the_expression_and_why() {
    let cases = [
        (
            "61 * * * *",
            "bad cron expression `61 * * * *`: minute must be 0–59",
        ),
        ("* * *", "expected 5 fields"),
        ("0 0 9 * * *", "expected 5 fields"),
        ("daily 25:00", "`25:00` is not a time of day"),
        ("fortnightly 09:00", "`fortnightly` is not"),
        ("every soon", "`soon` is not a duration"),
        ("", "empty"),
    ];
    for (spec, want) in cases {
        let err = Recurrence::parse(spec).unwrap_err().to_string();
        assert!(err.contains(want), "{spec:?}: {err}");
    }
    let err = Schedule::new("daily 09:00", "Europe/Berln")
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown time zone `Europe/Berln`"), "{err}");
}

#[test]
fn a_cron_error_names_the_field_and_its_range() {
    let cases = [
        ("61 * * * *", "minute must be 0–59, not 61"),
        ("0 24 * * *", "hour must be 0–23, not 24"),
        ("0 9 0 * *", "day of month must be 1–31, not 0"),
        ("0 9 32 * *", "day of month must be 1–31, not 32"),
        ("0 9 * 13 *", "month must be 1–12, not 13"),
        ("0 9 * * 8", "day of week must be 0–7, not 8"),
        ("0 9 * * 1-9", "day of week must be 0–7, not 9"),
        (
            "*/0 * * * *",
            "the minute step in `*/0` must be a whole number, at least 1",
        ),
        (
            "0 9 * * funday",
            "`funday` is not a day of week (0–7 or sun–sat)",
        ),
        (
            "0 9 * smarch *",
            "`smarch` is not a month (1–12 or jan–dec)",
        ),
        ("0 17-9 * * *", "the hour range `17-9` runs backwards"),
    ];
    for (spec, want) in cases {
        let err = Recurrence::parse(spec).unwrap_err().to_string();
        assert!(err.contains(want), "{spec:?}: {err}");
        assert!(
            !err.contains("Component") && !err.contains("Pattern"),
            "{spec:?}: {err}"
        );
    }
    for ok in [
        "0 9 * jan-mar mon-fri",
        "*/15 8-18 * * 1-5",
        "0 9 1,15 * *",
        "0 9 * * 7",
        "0 9 L * *",
    ] {
        Recurrence::parse(ok).unwrap_or_else(|e| panic!("{ok:?}: {e}"));
    }
}

#[test]
fn a_bad_interval_says_what_is_expected_without_parser_internals() {
    for spec in ["every -5m", "every soon", "every 5 m"] {
        let err = Recurrence::parse(spec).unwrap_err().to_string();
        assert!(err.contains("like `every 20s`"), "{spec:?}: {err}");
        assert!(
            !err.contains("expected number") && !err.contains("unknown time unit"),
            "{spec:?}: {err}"
        );
    }
}

#[test]
fn a_bad_zone_after_a_schedule_blames_the_zone_not_cron() {
    for spec in ["daily 09:00 Mars/Olympus", "0 9 * * * Mars/Olympus"] {
        let err = Recurrence::parse(spec).unwrap_err().to_string();
        assert!(
            err.starts_with("unknown time zone `Mars/Olympus`"),
            "{spec:?}: {err}"
        );
    }
    // As a chat command reads it: the zone word is split off, then the rest parsed.
    let err = crate::domain::command::schedule_words(&["daily", "09:00", "Mars/Olympus"])
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("unknown time zone `Mars/Olympus`"), "{err}");
}

#[test]
fn a_schedule_that_never_fires_is_refused() {
    for spec in ["0 0 30 2 *", "0 9 31 4,6,9,11 *", "0 0 31 feb *"] {
        let err = Recurrence::parse(spec).unwrap_err().to_string();
        assert!(err.contains("never fires"), "{spec:?}: {err}");
    }
    // A leap day fires every four years: allowed.
    let leap = Schedule::new("0 0 29 2 *", "UTC").unwrap();
    assert_eq!(
        leap.next_after(utc("2026-01-01T00:00:00Z")),
        Some(utc("2028-02-29T00:00:00Z"))
    );
    let err = crate::domain::command::schedule_words(&["0", "0", "30", "2", "*"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("never fires"), "{err}");
}

#[test]
fn an_interval_longer_than_a_year_is_refused() {
    for spec in ["every 1000000000000000s", "every 367d", "every 2y"] {
        let err = Recurrence::parse(spec).unwrap_err().to_string();
        assert!(err.contains("at most a year"), "{spec:?}: {err}");
    }
    Recurrence::parse("every 366d").unwrap();
    Recurrence::parse("every 1y").unwrap();
}

#[test]
fn latest_fire_in_a_window_is_the_last_one() {
    let s = Schedule::new("0 * * * *", "UTC").unwrap();
    assert_eq!(
        s.latest_fire_in(utc("2026-01-01T00:00:00Z"), utc("2026-01-01T05:30:00Z")),
        Some(utc("2026-01-01T05:00:00Z"))
    );
    assert_eq!(
        s.latest_fire_in(utc("2026-01-01T00:00:00Z"), utc("2026-01-01T00:30:00Z")),
        None
    );
}
