//! The grammar of text commands: `!ponder WORDS` to a [`Command`], or a
//! short usage answer. Pure and table-tested (`../tests.rs`).

use super::{
    Announce, ArchiveNames, Attached, Command, DigestMode, ExportFormat, MAX_REASON_CHARS,
    MAX_REFLECTION_CHARS, MAX_SUGGESTION_CHARS, MIN_SUGGESTION_CHARS,
};
use crate::domain::quiet::{self, QuietError, parse_range, parse_weekdays};
use crate::domain::schedule::{Recurrence, ScheduleError, parse_tz};

/// The prefix of a text command.
pub const PREFIX: &str = "!ponder";

/// A text that looked like a command but was not one: why, with what was
/// given. Matrix and the console answer it in the channel's language with
/// [`crate::engine::Engine::usage_answer`], Discord's slash commands with
/// [`Usage::text`] in the interaction's language (the messages are `usage-*`);
/// its `Display` is the English answer (config.toml's schedules use it too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Usage {
    /// The command's syntax after the prefix (`now [prompt-id]`): grammar,
    /// not translated.
    Syntax(&'static str),
    /// A syntax whose ID is a number from a listing (`quiet list`).
    SyntaxListed {
        syntax: &'static str,
        listing: &'static str,
    },
    /// A syntax and an example of it.
    SyntaxExample {
        syntax: &'static str,
        example: &'static str,
    },
    /// A first word that is no command.
    Unknown(String),
    /// A rejection's reason over [`MAX_REASON_CHARS`].
    ReasonTooLong { max: usize },
    /// A reflection over [`MAX_REFLECTION_CHARS`], and its length.
    ReflectionTooLong { max: usize, len: usize },
    /// A suggestion under [`MIN_SUGGESTION_CHARS`].
    SuggestionTooShort { min: usize },
    /// A suggestion over [`MAX_SUGGESTION_CHARS`], and its length.
    SuggestionTooLong { max: usize, len: usize },
    /// `ping` without whom.
    PingWithoutTarget,
    /// Quiet days that could not be read.
    Quiet(QuietError),
    /// A schedule or time zone that could not be understood.
    Schedule(ScheduleError),
}

impl From<QuietError> for Usage {
    fn from(e: QuietError) -> Self {
        Usage::Quiet(e)
    }
}

impl From<ScheduleError> for Usage {
    fn from(e: ScheduleError) -> Self {
        Usage::Schedule(e)
    }
}

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
    let usage = |u: &'static str| Err(Usage::Syntax(u));
    let listed = |syntax, listing| Err(Usage::SyntaxListed { syntax, listing });
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
        ["prompts"] | ["prompts", "list"] => Command::Prompts { pack: None },
        ["prompts", "list", pack] => Command::Prompts {
            pack: Some(pack.to_string()),
        },
        ["prompts", "show", id] => Command::PromptShow { id: id.to_string() },
        ["prompts", verb @ ("disable" | "enable"), id] => Command::PromptEnable {
            id: id.to_string(),
            enable: *verb == "enable",
        },
        ["prompts", "import"] => Command::PackImport {
            file: Attached::Missing,
        },
        ["prompts", "import", ..] => Command::PackImport {
            file: Attached::Path(after_words(rest, 2).to_string()),
        },
        ["prompts", "remove-pack", pack] => Command::PackRemove {
            pack: pack.to_string(),
        },
        ["prompts", "export-pack", pack] => Command::PackExport {
            pack: pack.to_string(),
        },
        ["prompts", "draft", pack, more @ ..] => Command::PackDraft {
            file: if more.is_empty() {
                Attached::Missing
            } else {
                Attached::Path(after_words(rest, 3).to_string())
            },
            pack: pack.to_string(),
            title: None,
        },
        ["prompts", ..] => return usage(PROMPTS_USAGE),
        ["packs"] => Command::Prompts { pack: None },
        ["packs", "use", list @ ..] if !pack_words(list).is_empty() || is_all(list) => {
            Command::PacksUse {
                packs: pack_words(list),
            }
        }
        ["packs", ..] => return usage("packs use PACK[,PACK...] | packs use all"),
        ["digest", mode] => match DigestMode::parse(mode) {
            Some(mode) => Command::Digest { mode },
            None => return usage("digest thread|channel|off"),
        },
        ["digest", ..] => return usage("digest thread|channel|off"),
        ["language"] => Command::Language { tag: None },
        ["language", tag] => Command::Language {
            tag: Some(tag.to_string()),
        },
        ["language", ..] => return usage("language [en|de]"),
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
        ["archive", rest @ ..] => match archive_words(rest) {
            Some(cmd) => cmd,
            None => {
                return usage("archive [from YYYY-MM-DD] [to YYYY-MM-DD] [shown|initials|hidden]");
            }
        },
        ["quiet"] | ["quiet", "list"] => Command::QuietList,
        ["quiet", "add", range, ..] => quiet_add(range, after_words(rest, 3))?,
        ["quiet", "remove", id] => match number(id) {
            Some(id) => Command::QuietRemove { id },
            None => return listed("quiet remove ID", "quiet list"),
        },
        ["quiet", "weekly", days] => quiet_weekly(days)?,
        ["quiet", ..] => return usage(QUIET_USAGE),
        ["schedule", "list"] | ["schedules"] => Command::ScheduleList,
        ["schedule", "remove", id] => match id.trim_start_matches('#').parse() {
            Ok(id) => Command::ScheduleRemove { id },
            Err(_) => return listed("schedule remove ID", "schedule list"),
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
            None => return listed("approve ID", "suggestions"),
        },
        ["approve", ..] => return listed("approve ID", "suggestions"),
        ["reject", id, ..] if number(id).is_some() => {
            let reason = after_words(rest, 2);
            if reason.chars().count() > MAX_REASON_CHARS {
                return Err(Usage::ReasonTooLong {
                    max: MAX_REASON_CHARS,
                });
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
        ["setup"] => {
            return Err(Usage::SyntaxExample {
                syntax: "setup SPEC [ZONE]",
                example: "setup daily 09:00 Europe/Berlin",
            });
        }
        ["reflect", ..] => Command::Reflect {
            text: reflection_text(after_words(rest, 1), "reflect TEXT")?,
            anonymous: false,
            post: None,
        },
        ["schedule", ..] => {
            return usage("schedule add SPEC [ZONE] | schedule list | schedule remove ID");
        }
        [other, ..] => {
            return Err(Usage::Unknown(other.to_string()));
        }
    };
    Ok(Some(cmd))
}

const QUIET_USAGE: &str =
    "quiet add FROM..TO [REASON] | quiet list | quiet remove ID | quiet weekly DAYS|off";

/// `quiet add`: a range of days (`2026-12-24..2026-12-26` or one day) and
/// an optional reason, checked. Discord's options come here too.
pub fn quiet_add(range: &str, reason: &str) -> Result<Command, Usage> {
    Ok(Command::QuietAdd {
        rule: parse_range(range.trim())?,
        reason: quiet::reason(reason)?,
    })
}

/// `quiet weekly`: days of the week (`sat,sun`), or `off`.
pub fn quiet_weekly(days: &str) -> Result<Command, Usage> {
    let days = days.trim();
    if ["off", "none", "no"].contains(&days.to_ascii_lowercase().as_str()) {
        return Ok(Command::QuietWeekly { rule: None });
    }
    Ok(Command::QuietWeekly {
        rule: Some(parse_weekdays(days)?),
    })
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

/// The usage of the `prompts` commands.
const PROMPTS_USAGE: &str = "prompts list [PACK] | show ID | disable ID | enable ID | import [FILE] | remove-pack PACK | export-pack PACK | draft PACK [FILE]";

/// `packs use a,b` (or `a b`): the pack ids; `all` alone means every pack.
fn pack_words(words: &[&str]) -> Vec<String> {
    let packs: Vec<String> = words
        .iter()
        .flat_map(|w| w.split(','))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect();
    if packs.len() == 1 && packs[0].eq_ignore_ascii_case("all") {
        Vec::new()
    } else {
        packs
    }
}

/// `packs use all`.
fn is_all(words: &[&str]) -> bool {
    matches!(words, [w] if w.trim_matches(',').eq_ignore_ascii_case("all"))
}

fn number(word: &str) -> Option<i64> {
    word.trim_start_matches('#').parse().ok()
}

/// A reflection's text, checked: not empty, not too long.
pub fn reflection_text(text: &str, usage: &'static str) -> Result<String, Usage> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Usage::Syntax(usage));
    }
    let len = text.chars().count();
    if len > MAX_REFLECTION_CHARS {
        return Err(Usage::ReflectionTooLong {
            max: MAX_REFLECTION_CHARS,
            len,
        });
    }
    Ok(text.to_string())
}

/// A suggestion's text, checked: long enough to be a prompt, short enough for one.
pub fn suggestion_text(text: &str) -> Result<String, Usage> {
    let text = text.trim();
    let len = text.chars().count();
    if len < MIN_SUGGESTION_CHARS {
        return Err(Usage::SuggestionTooShort {
            min: MIN_SUGGESTION_CHARS,
        });
    }
    if len > MAX_SUGGESTION_CHARS {
        return Err(Usage::SuggestionTooLong {
            max: MAX_SUGGESTION_CHARS,
            len,
        });
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

/// `[from DAY] [to DAY] [shown|initials|hidden]`, in any order (`names
/// initials` also reads).
fn archive_words(words: &[&str]) -> Option<Command> {
    let (mut from, mut to, mut names) = (None, None, ArchiveNames::default());
    let day = |w: &str| chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").ok();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        match *w {
            "from" => from = Some(day(it.next()?)?),
            "to" => to = Some(day(it.next()?)?),
            "names" => names = ArchiveNames::parse(it.next()?)?,
            n => names = ArchiveNames::parse(n)?,
        }
    }
    Some(Command::Archive {
        from,
        to,
        names,
        public: false,
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
    Recurrence::parse(&spec)?;
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

// The words of an announcement are grammar: they are read here, for
// commands and for config.toml's schedules alike.
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
                    None => return Err(Usage::PingWithoutTarget),
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
