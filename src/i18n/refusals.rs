//! The refusals the grammar and the adapters make as values, put into words:
//! a malformed command ([`Usage`]), quiet days or a schedule that could not
//! be read ([`QuietError`], [`ScheduleError`]), a file an adapter could not
//! take ([`FileProblem`]). Each renders in a language with `text(lang)`; its
//! `Display` is the English text, for config.toml's problems and the command
//! line, so chat and config say the same in English.

use std::fmt;

use super::Lang;
use crate::domain::command::{FileKind, FileProblem, ReadFailure, Usage};
use crate::domain::quiet::{MAX_QUIET_REASON_CHARS, MAX_RANGE_DAYS, QuietError};
use crate::domain::schedule::{CronField, CronReason, FriendlyReason, ScheduleError};
use crate::text::echo;
use crate::tr;

impl Usage {
    /// The short answer to the malformed command, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Usage::Syntax(syntax) => tr!(lang, "usage-syntax", syntax = *syntax),
            Usage::SyntaxListed { syntax, listing } => {
                tr!(lang, "usage-listed", syntax = *syntax, listing = *listing)
            }
            Usage::SyntaxExample { syntax, example } => {
                tr!(lang, "usage-example", syntax = *syntax, example = *example)
            }
            Usage::Unknown(command) => tr!(lang, "usage-unknown", command = echo(command)),
            Usage::ReasonTooLong { max } => tr!(lang, "usage-reason-too-long", max = *max),
            Usage::ReflectionTooLong { max, len } => {
                tr!(lang, "usage-reflection-too-long", max = *max, len = *len)
            }
            Usage::SuggestionTooShort { min } => {
                tr!(lang, "usage-suggestion-too-short", min = *min)
            }
            Usage::SuggestionTooLong { max, len } => {
                tr!(lang, "usage-suggestion-too-long", max = *max, len = *len)
            }
            Usage::PingWithoutTarget => tr!(lang, "usage-ping-without-target"),
            Usage::Quiet(e) => e.text(lang),
            Usage::Schedule(e) => e.text(lang),
        }
    }
}

impl QuietError {
    /// Why the quiet-day words could not be read, and what to write, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            QuietError::NotADate(word) => tr!(lang, "quiet-bad-date", word = echo(word)),
            QuietError::Backwards { first, last } => tr!(
                lang,
                "quiet-bad-backwards",
                first = first.to_string(),
                last = last.to_string()
            ),
            QuietError::TooLong { first, last, days } => tr!(
                lang,
                "quiet-bad-too-long",
                first = first.to_string(),
                last = last.to_string(),
                days = *days,
                max = MAX_RANGE_DAYS
            ),
            QuietError::NotWeekdays(list) => tr!(lang, "quiet-bad-weekdays", list = echo(list)),
            QuietError::EveryDay => tr!(lang, "quiet-bad-every-day"),
            QuietError::Empty => tr!(lang, "quiet-bad-empty"),
            QuietError::ReasonTooLong(len) => tr!(
                lang,
                "quiet-bad-reason",
                max = MAX_QUIET_REASON_CHARS,
                len = *len
            ),
        }
    }
}

impl ScheduleError {
    /// Why the schedule could not be understood, naming what was given, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            ScheduleError::Cron { expr, reason } => tr!(
                lang,
                "schedule-bad-cron",
                expr = echo(expr),
                reason = reason.text(lang)
            ),
            ScheduleError::Friendly { spec, reason } => tr!(
                lang,
                "schedule-bad-spec",
                spec = echo(spec),
                reason = reason.text(lang)
            ),
            ScheduleError::TimeZone(zone) => tr!(lang, "schedule-bad-zone", zone = echo(zone)),
        }
    }
}

impl FriendlyReason {
    fn text(&self, lang: Lang) -> String {
        match self {
            FriendlyReason::Empty => tr!(lang, "schedule-empty"),
            FriendlyReason::NotADuration(amount) => {
                tr!(lang, "schedule-not-a-duration", amount = echo(amount))
            }
            FriendlyReason::IntervalNotWhole => tr!(lang, "schedule-interval-not-whole"),
            FriendlyReason::IntervalTooLong => tr!(lang, "schedule-interval-too-long"),
            FriendlyReason::IntervalOneWord => tr!(lang, "schedule-interval-one-word"),
            FriendlyReason::ZoneApart(zone) => {
                tr!(lang, "schedule-zone-apart", zone = echo(zone))
            }
            FriendlyReason::NotATime(time) => {
                tr!(lang, "schedule-not-a-time", time = echo(time))
            }
            FriendlyReason::NotDays(days) => tr!(lang, "schedule-not-days", days = echo(days)),
        }
    }
}

impl CronField {
    /// The field's name in `lang` (`day of month`).
    fn name(self, lang: Lang) -> String {
        match self {
            CronField::Minute => tr!(lang, "cron-field-minute"),
            CronField::Hour => tr!(lang, "cron-field-hour"),
            CronField::DayOfMonth => tr!(lang, "cron-field-day-of-month"),
            CronField::Month => tr!(lang, "cron-field-month"),
            CronField::DayOfWeek => tr!(lang, "cron-field-day-of-week"),
        }
    }
}

impl CronReason {
    fn text(&self, lang: Lang) -> String {
        match self {
            CronReason::ZoneApart(zone) => tr!(lang, "schedule-zone-apart", zone = echo(zone)),
            CronReason::FieldCount(found) => tr!(lang, "cron-field-count", found = *found),
            CronReason::EmptyItem { field, text } => tr!(
                lang,
                "cron-empty-item",
                term = field.term(),
                field = field.name(lang),
                text = echo(text)
            ),
            CronReason::Step { field, part } => tr!(
                lang,
                "cron-step",
                field = field.name(lang),
                part = echo(part)
            ),
            CronReason::EmptyPart { field, text } => tr!(
                lang,
                "cron-empty-part",
                field = field.name(lang),
                text = echo(text)
            ),
            CronReason::OutOfRange {
                field,
                min,
                max,
                value,
            } => tr!(
                lang,
                "cron-out-of-range",
                field = field.name(lang),
                min = *min,
                max = *max,
                value = echo(value)
            ),
            CronReason::NotAValue {
                field,
                min,
                max,
                names: None,
                value,
            } => tr!(
                lang,
                "cron-not-a-value",
                field = field.name(lang),
                min = *min,
                max = *max,
                value = echo(value)
            ),
            CronReason::NotAValue {
                field,
                min,
                max,
                names: Some(names),
                value,
            } => tr!(
                lang,
                "cron-not-a-name",
                field = field.name(lang),
                min = *min,
                max = *max,
                names = *names,
                value = echo(value)
            ),
            CronReason::Backwards { field, range } => tr!(
                lang,
                "cron-backwards",
                field = field.name(lang),
                range = echo(range)
            ),
            CronReason::NotUnderstood => tr!(lang, "cron-not-understood"),
            CronReason::NeverFires => tr!(lang, "cron-never-fires"),
        }
    }
}

impl FileProblem {
    /// Why the file could not be taken, for the member, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            FileProblem::TooLarge {
                name,
                size,
                limit,
                kind,
            } => {
                let (name, size, max) = (echo(name), size.div_ceil(1024), limit / 1024);
                match kind {
                    Some(FileKind::Pack) => {
                        tr!(lang, "pack-too-large", name = name, size = size, max = max)
                    }
                    Some(FileKind::DraftText) => {
                        tr!(
                            lang,
                            "file-too-large-draft",
                            name = name,
                            size = size,
                            max = max
                        )
                    }
                    None => tr!(lang, "file-too-large", name = name, size = size, max = max),
                }
            }
            FileProblem::NotFetched { name } => tr!(lang, "file-not-fetched", name = echo(name)),
            FileProblem::NotDownloaded { name } => {
                tr!(lang, "file-not-downloaded", name = echo(name))
            }
            FileProblem::HistoryUnreadable => tr!(lang, "file-history-unreadable"),
            FileProblem::PathRefused => tr!(lang, "file-path-refused"),
            FileProblem::CannotRead { path, why } => {
                let path = echo(path);
                match why {
                    ReadFailure::NotFound => tr!(lang, "file-cannot-read-not-found", path = path),
                    ReadFailure::Denied => tr!(lang, "file-cannot-read-denied", path = path),
                    ReadFailure::NotAFile => tr!(lang, "file-cannot-read-not-a-file", path = path),
                    ReadFailure::Other(error) => {
                        tr!(lang, "file-cannot-read", path = path, error = echo(error))
                    }
                }
            }
        }
    }
}

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl fmt::Display for QuietError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::command::parse;
    use crate::domain::schedule::{Recurrence, Schedule};

    /// Every way a schedule can be refused, in German: none reads as the
    /// English, and the given words stay as given.
    #[test]
    fn every_schedule_refusal_reads_in_german_with_the_words_given() {
        let cases = [
            ("", "Ungültiger Zeitplan ``: Der Zeitplan ist leer"),
            ("every soon", "`soon` ist keine Dauer"),
            ("every 0s", "mindestens 1s"),
            ("every 2y", "höchstens ein Jahr"),
            ("every 2 h", "als ein Wort nach `every`"),
            (
                "daily 09:00 Europe/Berlin",
                "`Europe/Berlin` ist eine Zeitzone",
            ),
            ("fortnightly 09:00", "`fortnightly` ist weder `daily`"),
            ("* * *", "hier sind es 3"),
            (
                "0 9 * * * Europe/Berlin",
                "`Europe/Berlin` ist eine Zeitzone",
            ),
            (
                "0 9 1, * *",
                "Im Feld „Tag im Monat“ (`day-of-month`) ist ein Eintrag leer: `1,`",
            ),
            ("*/0 * * * *", "Die Schrittweite im Feld „Minute“ (`*/0`)"),
            (
                "0 9 * * 8",
                "Der Wert im Feld „Wochentag“ muss zwischen 0 und 7 liegen, nicht 8",
            ),
            (
                "0 9 * smarch *",
                "`smarch` ist kein gültiger Wert für das Feld „Monat“ (1–12 oder jan–dec)",
            ),
            (
                "0 9 x * *",
                "`x` ist kein gültiger Wert für das Feld „Tag im Monat“ (1–31)",
            ),
            (
                "0 17-9 * * *",
                "Der Bereich `17-9` im Feld „Stunde“ läuft rückwärts",
            ),
            (
                "0 0 30 2 *",
                "Er greift nie, denn diesen Tag gibt es in diesem Monat nicht",
            ),
        ];
        for (spec, want) in cases {
            let e = Recurrence::parse(spec).unwrap_err();
            let german = e.text(Lang::De);
            assert!(german.contains(want), "{spec:?}: {german}");
            assert_ne!(german, e.to_string(), "{spec:?}");
        }
        let zone = Schedule::new("daily 09:00", "Mars/Olympus").unwrap_err();
        assert!(
            zone.text(Lang::De)
                .starts_with("Unbekannte Zeitzone `Mars/Olympus`")
        );
    }

    /// A member's words a refusal repeats lose control and bidi characters
    /// and are cut: a huge unknown command still gets a short answer.
    #[test]
    fn echoed_words_are_visible_and_short() {
        let huge = format!("!ponder {}", "w".repeat(40_000));
        for lang in Lang::ALL {
            let said = parse(&huge).unwrap_err().text(lang);
            assert!(said.chars().count() < 300, "{lang}: {} chars", said.len());
            assert!(said.contains(&format!("{}…`", "w".repeat(79))), "{said}");
        }
        let sly = "!ponder \u{1b}[2Jevil\u{202e}txt.exe\u{2066}\u{200b}\u{7}";
        let said = parse(sly).unwrap_err().text(Lang::De);
        assert_eq!(
            said,
            "Den Befehl `[2Jeviltxt.exe` gibt es nicht; `!ponder help` zeigt alle Befehle."
        );
        let said = QuietError::NotADate("2026\u{202e}-12-24".into()).text(Lang::En);
        assert!(said.starts_with("`2026-12-24` is not a date"), "{said}");
        let spec = format!("every {}\u{202e}", "9".repeat(10_000));
        let said = Recurrence::parse(&spec).unwrap_err().text(Lang::De);
        assert!(
            said.chars().count() < 400 && !said.contains('\u{202e}'),
            "{said}"
        );
        let cron = format!("0 9 * * {}", "x".repeat(10_000));
        let said = Recurrence::parse(&cron).unwrap_err().text(Lang::En);
        assert!(said.chars().count() < 400, "{said}");
        let file = FileProblem::NotDownloaded {
            name: format!("{}\u{202e}lmth.exe", "a".repeat(70_000)),
        };
        let said = file.text(Lang::En);
        assert!(
            said.chars().count() < 300 && !said.contains('\u{202e}'),
            "{said}"
        );
    }

    #[test]
    fn every_quiet_and_usage_refusal_reads_in_german() {
        for (line, want) in [
            ("!ponder quiet add christmas", "`christmas` ist kein Datum"),
            ("!ponder quiet add 2026-01-01..2027-06-01", "sind 517 Tage"),
            (
                "!ponder quiet weekly mon-sun",
                "jeder Tag der Woche ein Ruhetag",
            ),
            (
                "!ponder setup",
                "Aufruf: !ponder setup SPEC [ZONE], z. B. `setup daily",
            ),
            ("!ponder approve x", "(eine Nummer aus `suggestions`)"),
            ("!ponder anon", "Aufruf: !ponder anon [#POST] TEXT"),
        ] {
            let usage = parse(line).unwrap_err();
            let german = usage.text(Lang::De);
            assert!(german.contains(want), "{line}: {german}");
            assert_ne!(german, usage.to_string(), "{line}");
        }
        let reason = format!("!ponder quiet add 2026-12-24 {}", "x".repeat(201));
        assert_eq!(
            parse(&reason).unwrap_err().text(Lang::De),
            "Eine Begründung darf höchstens 200 Zeichen lang sein; deine hat 201."
        );
        assert_eq!(
            QuietError::Empty.text(Lang::De),
            "Ein leerer Ruhetag-Eintrag; schreib `2026-12-24..2026-12-26`, `2026-12-24` oder `sat,sun`."
        );
    }
}
