//! The platform-neutral command type and the one text parser shared by the
//! console and Matrix (`!ponder next`). Discord builds the same values from
//! slash-command options.

use std::fmt;

use super::schedule::{Recurrence, parse_tz};

/// The prefix of a text command.
pub const PREFIX: &str = "!ponder";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    /// Post a prompt now (a given one, or the next of the rotation).
    Now {
        prompt: Option<String>,
    },
    /// When the next prompt posts.
    Next,
    /// Skip the channel's next slot.
    Skip,
    Pause,
    Resume,
    ScheduleAdd {
        spec: String,
        tz: Option<String>,
    },
    ScheduleList,
    ScheduleRemove {
        id: i64,
    },
    Status,
    Export {
        format: ExportFormat,
        /// Only this post.
        post: Option<i64>,
        /// Posts from this day on (UTC).
        from: Option<chrono::NaiveDate>,
        /// Posts up to and including this day (UTC).
        to: Option<chrono::NaiveDate>,
    },
    /// Reload the prompt files.
    Reload,
    /// Make this channel a Ponder channel: its time zone and a first schedule.
    Setup {
        spec: String,
        tz: Option<String>,
    },
    /// A member's answer to the channel's open prompt, posted into its thread.
    Reflect {
        text: String,
    },
    /// Where this channel's digests go when a thread closes.
    Digest {
        mode: DigestMode,
    },
    /// The channel's last 30 days, and the caller's streak.
    Stats,
    /// What Ponder keeps, for how long, and who can read it.
    About,
    /// Delete everything Ponder keeps about the caller (asks first).
    ForgetMe {
        confirm: bool,
    },
}

/// The longest reflection accepted (it is posted with a short header, and a
/// Discord message holds 2000 characters).
pub const MAX_REFLECTION_CHARS: usize = 1800;

impl Command {
    /// Whether only admins may run it.
    pub fn needs_admin(&self) -> bool {
        !matches!(
            self,
            Command::Help
                | Command::Next
                | Command::Reflect { .. }
                | Command::Stats
                | Command::About
                | Command::ForgetMe { .. }
        )
    }
}

/// Where a digest goes when a prompt's thread closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DigestMode {
    #[default]
    Thread,
    Channel,
    Off,
}

impl DigestMode {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "thread" | "on" => Some(Self::Thread),
            "channel" => Some(Self::Channel),
            "off" | "none" => Some(Self::Off),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Thread => "thread",
            Self::Channel => "channel",
            Self::Off => "off",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportFormat {
    #[default]
    Markdown,
    Json,
    Csv,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Self::Markdown),
            "json" => Some(Self::Json),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::Json => "json",
            Self::Csv => "csv",
        }
    }
}

/// A text that looked like a command but was not one; the message is the
/// short answer the user sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage(pub String);

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const HELP: &str = "\
!ponder help                       this list
!ponder next                       when the next prompt posts
!ponder reflect TEXT               answer the open prompt; posted into its thread
!ponder stats                      the last 30 days here, and your streak
!ponder about                      what Ponder keeps and who can read it
!ponder forget-me [confirm]        delete everything Ponder keeps about you
!ponder setup SPEC [ZONE]          post prompts here, e.g. `setup daily 09:00 Europe/Berlin` (admins)
!ponder now [prompt-id]            post a prompt now (admins)
!ponder skip                       skip the next scheduled prompt (admins)
!ponder pause | resume             stop or restart this channel's schedules (admins)
!ponder schedule add SPEC [ZONE]   e.g. `daily 09:00 Europe/Berlin` or `30 18 * * 1-5` (admins)
!ponder schedule list              this channel's schedules (admins)
!ponder schedule remove ID         (admins)
!ponder status                     schedules, the open thread, the rotation (admins)
!ponder export [md|json|csv] [post ID] [from DAY] [to DAY]
                                   this channel's prompts and replies, as a file (admins)
!ponder reload                     reload the prompt files (admins)
!ponder digest thread|channel|off  where the summary goes when a thread closes (admins)";

/// Parses a line of text. `Ok(None)`: not a command at all (an ordinary
/// message). `Err`: a command that is malformed, with a short usage answer.
pub fn parse(line: &str) -> Result<Option<Command>, Usage> {
    let line = line.trim();
    let Some(rest) = line.strip_prefix(PREFIX) else {
        return Ok(None);
    };
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return Ok(None); // `!pondering` is a message, not a command
    }
    let words: Vec<&str> = rest.split_whitespace().collect();
    let usage = |u: &str| Err(Usage(format!("usage: {PREFIX} {u}")));
    let cmd = match words.as_slice() {
        [] | ["help"] => Command::Help,
        ["now"] => Command::Now { prompt: None },
        ["now", id] => Command::Now {
            prompt: Some(id.to_string()),
        },
        ["now", ..] => return usage("now [prompt-id]"),
        ["next"] => Command::Next,
        ["skip"] => Command::Skip,
        ["pause"] => Command::Pause,
        ["resume"] => Command::Resume,
        ["status"] => Command::Status,
        ["stats"] => Command::Stats,
        ["digest", mode] => match DigestMode::parse(mode) {
            Some(mode) => Command::Digest { mode },
            None => return usage("digest thread|channel|off"),
        },
        ["digest", ..] => return usage("digest thread|channel|off"),
        ["about"] => Command::About,
        ["forget-me"] => Command::ForgetMe { confirm: false },
        ["forget-me", "confirm"] => Command::ForgetMe { confirm: true },
        ["forget-me", ..] => return usage("forget-me [confirm]"),
        ["reload"] => Command::Reload,
        ["export", rest @ ..] => match export_words(rest) {
            Some(cmd) => cmd,
            None => {
                return usage("export [md|json|csv] [post ID] [from YYYY-MM-DD] [to YYYY-MM-DD]");
            }
        },
        ["schedule", "list"] | ["schedules"] => Command::ScheduleList,
        ["schedule", "remove", id] => match id.trim_start_matches('#').parse() {
            Ok(id) => Command::ScheduleRemove { id },
            Err(_) => return usage("schedule remove ID (a number from `schedule list`)"),
        },
        ["schedule", "add", spec @ ..] if !spec.is_empty() => {
            let (spec, tz) = schedule_words(spec)?;
            Command::ScheduleAdd { spec, tz }
        }
        ["setup", spec @ ..] if !spec.is_empty() => {
            let (spec, tz) = schedule_words(spec)?;
            Command::Setup { spec, tz }
        }
        ["setup"] => return usage("setup SPEC [ZONE], e.g. `setup daily 09:00 Europe/Berlin`"),
        ["reflect", ..] => {
            let text = rest.trim_start().trim_start_matches("reflect").trim();
            if text.is_empty() {
                return usage("reflect TEXT");
            }
            if text.chars().count() > MAX_REFLECTION_CHARS {
                return Err(Usage(format!(
                    "a reflection holds at most {MAX_REFLECTION_CHARS} characters; this one has {}",
                    text.chars().count()
                )));
            }
            Command::Reflect {
                text: text.to_string(),
            }
        }
        ["schedule", ..] => {
            return usage("schedule add SPEC [ZONE] | schedule list | schedule remove ID");
        }
        [other, ..] => {
            return Err(Usage(format!(
                "unknown command `{other}`; `{PREFIX} help` lists the commands"
            )));
        }
    };
    Ok(Some(cmd))
}

/// `[md|json|csv] [post ID] [from DAY] [to DAY]`, in any order.
fn export_words(words: &[&str]) -> Option<Command> {
    let (mut format, mut post, mut from, mut to) = (ExportFormat::default(), None, None, None);
    let day = |w: &str| chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").ok();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        match *w {
            "post" => post = Some(it.next()?.trim_start_matches('#').parse().ok()?),
            "from" => from = Some(day(it.next()?)?),
            "to" => to = Some(day(it.next()?)?),
            f => format = ExportFormat::parse(f)?,
        }
    }
    Some(Command::Export {
        format,
        post,
        from,
        to,
    })
}

/// A schedule and an optional zone, checked.
fn schedule_words(words: &[&str]) -> Result<(String, Option<String>), Usage> {
    let (spec, tz) = split_zone(words);
    let spec = spec.join(" ");
    let spec = spec
        .trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .to_string();
    Recurrence::parse(&spec).map_err(|e| Usage(e.to_string()))?;
    Ok((spec, tz))
}

/// A trailing word that names a time zone is the zone; the rest is the spec.
fn split_zone<'a>(words: &'a [&'a str]) -> (&'a [&'a str], Option<String>) {
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() && looks_like_zone(last) => {
            (rest, Some(last.to_string()))
        }
        _ => (words, None),
    }
}

fn looks_like_zone(word: &str) -> bool {
    parse_tz(word).is_ok() && word.chars().any(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
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
            ("!ponder about", Command::About),
            ("!ponder forget-me", Command::ForgetMe { confirm: false }),
            (
                "!ponder forget-me confirm",
                Command::ForgetMe { confirm: true },
            ),
            ("!ponder reload", Command::Reload),
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
                },
            ),
            (
                "!ponder schedule add 30 18 * * 1-5",
                Command::ScheduleAdd {
                    spec: "30 18 * * 1-5".into(),
                    tz: None,
                },
            ),
            (
                "!ponder schedule add \"0 9 * * *\" UTC",
                Command::ScheduleAdd {
                    spec: "0 9 * * *".into(),
                    tz: Some("UTC".into()),
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
                },
            ),
            (
                "!ponder reflect  I keep  coming back to trust. ",
                Command::Reflect {
                    text: "I keep  coming back to trust.".into(),
                },
            ),
        ];
        for (text, want) in more {
            assert_eq!(parse(text), Ok(Some(want.clone())), "{text}");
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
        ];
        for (text, want) in cases {
            let err = parse(text).unwrap_err().0;
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
    fn only_help_next_and_reflect_are_for_everyone() {
        assert!(!Command::Help.needs_admin());
        assert!(!Command::Next.needs_admin());
        assert!(!Command::Reflect { text: "x".into() }.needs_admin());
        assert!(
            Command::Setup {
                spec: "daily 09:00".into(),
                tz: None
            }
            .needs_admin()
        );
        assert!(Command::Now { prompt: None }.needs_admin());
        assert!(Command::Status.needs_admin());
    }
}
