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
        announce: Announce,
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
        announce: Announce,
    },
    /// A member's answer to the channel's open prompt, posted into its thread.
    Reflect {
        text: String,
        /// Posted without the author's name; Ponder keeps no author id for it.
        anonymous: bool,
        /// The post it answers (`#N`), where the caller names one.
        post: Option<i64>,
    },
    /// A member suggests a prompt for this channel.
    Suggest {
        text: String,
        /// Name the suggester when the prompt posts.
        credit: bool,
    },
    /// The suggestions waiting for a decision.
    Suggestions,
    Approve {
        id: i64,
    },
    Reject {
        id: i64,
        reason: Option<String>,
    },
    /// Whether members may reflect anonymously here.
    Anonymous {
        allow: bool,
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

/// The longest suggestion accepted (it becomes a prompt, with room for a credit line).
pub const MAX_SUGGESTION_CHARS: usize = 1000;
/// The shortest suggestion accepted.
pub const MIN_SUGGESTION_CHARS: usize = 10;
/// The longest reason given with a rejection.
pub const MAX_REASON_CHARS: usize = 300;

/// How a schedule's prompts are announced: who is pinged, and whether the
/// newest prompt is pinned (and the previous one unpinned).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Announce {
    /// A Discord role id (`<@&id>` or the bare id), or Matrix user ids separated by commas.
    pub ping: Option<String>,
    pub pin: bool,
}

impl Announce {
    /// Takes `pin` and `ping TARGET` out of a schedule's words, wherever they stand.
    pub fn take_from<'a>(words: &[&'a str]) -> Result<(Vec<&'a str>, Announce), Usage> {
        let mut rest = Vec::new();
        let mut announce = Announce::default();
        let mut it = words.iter();
        while let Some(w) = it.next() {
            match w.to_ascii_lowercase().as_str() {
                "pin" => announce.pin = true,
                "ping" => match it.next() {
                    Some(target) => announce.ping = Some(normalize_ping(target)),
                    None => {
                        return Err(Usage(
                            "`ping` needs whom to ping: a role on Discord, user ids on Matrix"
                                .into(),
                        ));
                    }
                },
                _ => rest.push(*w),
            }
        }
        Ok((rest, announce))
    }

    /// The words that give this announcement back (`ping X pin`), for listings.
    pub fn words(&self) -> String {
        let mut out = Vec::new();
        if let Some(p) = &self.ping {
            out.push(format!("ping {p}"));
        }
        if self.pin {
            out.push("pin".into());
        }
        out.join(" ")
    }
}

/// `<@&123>` and `123` are the same role; Matrix ids stay as they are.
fn normalize_ping(target: &str) -> String {
    let t = target.trim();
    match t.strip_prefix("<@&").and_then(|r| r.strip_suffix('>')) {
        Some(id) => id.to_string(),
        None => t.to_string(),
    }
}
impl Command {
    /// Whether only admins may run it.
    pub fn needs_admin(&self) -> bool {
        !matches!(
            self,
            Command::Help
                | Command::Next
                | Command::Reflect { .. }
                | Command::Suggest { .. }
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
!ponder anon [#POST] TEXT          answer anonymously (in a direct message to Ponder, where allowed)
!ponder suggest [uncredited] TEXT  suggest a prompt; admins approve it, then it joins the rotation
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
!ponder digest thread|channel|off  where the summary goes when a thread closes (admins)
!ponder suggestions                the suggestions waiting for a decision (admins)
!ponder approve ID                 add a suggestion to this channel's prompts (admins)
!ponder reject ID [REASON]         turn a suggestion down; the suggester is told why (admins)
!ponder anonymous on|off           allow anonymous reflections here (admins)
Schedules take `ping ROLE` (Discord) or `ping @user:server,...` (Matrix) and `pin`,
e.g. `schedule add daily 09:00 Europe/Berlin ping <@&123> pin`.";

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
            let (spec, tz, announce) = schedule_words(spec)?;
            Command::ScheduleAdd { spec, tz, announce }
        }
        ["setup", spec @ ..] if !spec.is_empty() => {
            let (spec, tz, announce) = schedule_words(spec)?;
            Command::Setup { spec, tz, announce }
        }
        ["suggestions"] => Command::Suggestions,
        ["approve", id] => match number(id) {
            Some(id) => Command::Approve { id },
            None => return usage("approve ID (a number from `suggestions`)"),
        },
        ["approve", ..] => return usage("approve ID (a number from `suggestions`)"),
        ["reject", id, ..] if number(id).is_some() => {
            let reason = after_words(rest, 2);
            if reason.chars().count() > MAX_REASON_CHARS {
                return Err(Usage(format!(
                    "a reason holds at most {MAX_REASON_CHARS} characters"
                )));
            }
            Command::Reject {
                id: number(id).unwrap_or_default(),
                reason: (!reason.is_empty()).then(|| reason.to_string()),
            }
        }
        ["reject", ..] => return usage("reject ID [REASON]"),
        ["anonymous", flag] => match flag.to_ascii_lowercase().as_str() {
            "on" | "yes" | "allow" => Command::Anonymous { allow: true },
            "off" | "no" | "deny" => Command::Anonymous { allow: false },
            _ => return usage("anonymous on|off"),
        },
        ["anonymous", ..] => return usage("anonymous on|off"),
        ["suggest", first, ..] => {
            let credit = !first.eq_ignore_ascii_case("uncredited");
            let text = after_words(rest, if credit { 1 } else { 2 });
            Command::Suggest {
                text: suggestion_text(text)?,
                credit,
            }
        }
        ["suggest"] => return usage("suggest [uncredited] TEXT"),
        ["anon", first, ..] => {
            let post = first.strip_prefix('#').and_then(number);
            let text = after_words(rest, if post.is_some() { 2 } else { 1 });
            Command::Reflect {
                text: reflection_text(text, "anon [#POST] TEXT")?,
                anonymous: true,
                post,
            }
        }
        ["anon"] => return usage("anon [#POST] TEXT"),
        ["setup"] => return usage("setup SPEC [ZONE], e.g. `setup daily 09:00 Europe/Berlin`"),
        ["reflect", ..] => Command::Reflect {
            text: reflection_text(after_words(rest, 1), "reflect TEXT")?,
            anonymous: false,
            post: None,
        },
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

/// A command's text after its first `n` words, with its own spacing kept.
fn after_words(rest: &str, n: usize) -> &str {
    let mut s = rest.trim_start();
    for _ in 0..n {
        s = s
            .trim_start()
            .find(char::is_whitespace)
            .map_or("", |i| &s.trim_start()[i..]);
    }
    s.trim()
}

fn number(word: &str) -> Option<i64> {
    word.trim_start_matches('#').parse().ok()
}

/// A reflection's text, checked: not empty, not too long.
pub fn reflection_text(text: &str, usage: &str) -> Result<String, Usage> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Usage(format!("usage: {PREFIX} {usage}")));
    }
    let n = text.chars().count();
    if n > MAX_REFLECTION_CHARS {
        return Err(Usage(format!(
            "a reflection holds at most {MAX_REFLECTION_CHARS} characters; this one has {n}"
        )));
    }
    Ok(text.to_string())
}

/// A suggestion's text, checked: long enough to be a prompt, short enough for one.
pub fn suggestion_text(text: &str) -> Result<String, Usage> {
    let text = text.trim();
    let n = text.chars().count();
    if n < MIN_SUGGESTION_CHARS {
        return Err(Usage(format!(
            "a suggestion needs at least {MIN_SUGGESTION_CHARS} characters: write the question as members should see it"
        )));
    }
    if n > MAX_SUGGESTION_CHARS {
        return Err(Usage(format!(
            "a suggestion holds at most {MAX_SUGGESTION_CHARS} characters; this one has {n}"
        )));
    }
    Ok(text.to_string())
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

/// A schedule, an optional zone and how its prompts are announced, checked.
pub fn schedule_words(words: &[&str]) -> Result<(String, Option<String>, Announce), Usage> {
    let (words, announce) = Announce::take_from(words)?;
    let (spec, tz) = split_zone(&words);
    let spec = spec.join(" ");
    let spec = spec
        .trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .to_string();
    Recurrence::parse(&spec).map_err(|e| Usage(e.to_string()))?;
    Ok((spec, tz, announce))
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
}
