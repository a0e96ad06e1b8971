//! The platform-neutral command type: what a member or an admin asks of
//! Ponder, whatever platform it came from. Its grammar, the one text parser
//! shared by the console and Matrix (`!ponder next`), is in [`parse`];
//! Discord builds the same values from slash-command options.
//!
//! The schedule announcement ([`Announce`]) and a channel's digest setting
//! ([`DigestMode`]) live with the schedule and the channel; they are
//! re-exported here because commands carry them.

mod parse;
#[cfg(test)]
mod tests;

pub use super::channel::DigestMode;
pub use super::quiet::QuietRule;
pub use super::schedule::Announce;
pub use parse::{
    HELP, PREFIX, Usage, parse, quiet_add, quiet_weekly, reflection_text, schedule_words,
    suggestion_text,
};

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
    /// This channel's archive as one HTML page (see `crate::archive`).
    Archive {
        /// Posts from this day on (UTC).
        from: Option<chrono::NaiveDate>,
        /// Posts up to and including this day (UTC).
        to: Option<chrono::NaiveDate>,
        names: ArchiveNames,
        /// Post the file in the channel rather than to the admin alone.
        public: bool,
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
    /// The packs this channel draws from, or one pack's prompts, with what
    /// the current rotation cycle has posted.
    Prompts {
        pack: Option<String>,
    },
    /// Days this channel posts nothing, in its zone: a range (or one day).
    QuietAdd {
        rule: QuietRule,
        reason: Option<String>,
    },
    /// The channel's quiet days.
    QuietList,
    QuietRemove {
        id: i64,
    },
    /// Quiet every week on these days (`None`: no weekly quiet days).
    QuietWeekly {
        rule: Option<QuietRule>,
    },
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

/// How an archive page names reply authors: `shown` (the default),
/// `initials` or `hidden` (the page's `Names`, named here so commands need
/// not depend on the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArchiveNames {
    #[default]
    Shown,
    Initials,
    Hidden,
}

impl ArchiveNames {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "shown" => Some(Self::Shown),
            "initials" => Some(Self::Initials),
            "hidden" => Some(Self::Hidden),
            _ => None,
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
