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
    PREFIX, Usage, parse, quiet_add, quiet_weekly, reflection_text, schedule_words, suggestion_text,
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
    /// The language Ponder speaks in this channel: set to a tag (`de`), or
    /// said with the choices when `None`. The engine checks the tag.
    Language {
        tag: Option<String>,
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
    /// One prompt: its pack, text, source, and whether it is disabled here.
    PromptShow {
        id: String,
    },
    /// Never draw this prompt in this community (`enable: false`), or again.
    PromptEnable {
        id: String,
        enable: bool,
    },
    /// A pack file of the community's own, checked whole and stored.
    PackImport {
        file: Attached,
    },
    /// Remove one of the community's own packs.
    PackRemove {
        pack: String,
    },
    /// One of the community's own packs, back as its `.toml` file.
    PackExport {
        pack: String,
    },
    /// The packs this channel draws from (empty: every pack it may use).
    PacksUse {
        packs: Vec<String>,
    },
    /// A pack drafted from a text (see `crate::prompt_files::draft`), as a file.
    PackDraft {
        file: Attached,
        pack: String,
        title: Option<String>,
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

/// The largest pack file `prompts import` takes (drafting reads texts up to
/// `prompt_files::draft::MAX_DRAFT_INPUT`).
pub const MAX_UPLOAD_BYTES: usize = 256 * 1024;

/// A file handed to a command: a Discord attachment, the last file the
/// caller sent in a Matrix room, a path typed on the console. Adapters turn
/// what they can into [`Attached::File`] before the engine sees the command.
#[derive(Clone, PartialEq, Eq)]
pub enum Attached {
    /// Nothing given (on Matrix the adapter looks for the caller's last file).
    Missing,
    /// A path, as typed; only the console reads one (the operator's own disk).
    Path(String),
    /// The file's name and bytes.
    File { name: String, bytes: Vec<u8> },
    /// The adapter could not take the file: why, told to the caller in the
    /// channel's language (the `file-*` messages).
    Unusable(FileProblem),
}

/// What a command wanted a file for (names it in a refusal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A prompt pack's `.toml` (`prompts import`).
    Pack,
    /// A text to draft a pack from (`prompts draft`).
    DraftText,
}

/// Why an adapter could not take a member's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// Larger than the command takes (`size` and `limit` in bytes); `kind`
    /// names what the command wanted, where the adapter says it.
    TooLarge {
        name: String,
        size: u64,
        limit: usize,
        kind: Option<FileKind>,
    },
    /// Discord did not hand over the attachment (its CDN failed or was slow).
    NotFetched { name: String },
    /// The homeserver did not hand over the file.
    NotDownloaded { name: String },
    /// The room's recent messages, where the file is looked for, could not be read.
    HistoryUnreadable,
    /// A path typed on Matrix: only the console reads one.
    PathRefused,
    /// The console could not read the path, and why.
    CannotRead { path: String, why: ReadFailure },
}

/// Why the console could not read a path: the common cases by name (said in
/// the channel's language), the rest as the system said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadFailure {
    NotFound,
    Denied,
    /// A folder, a pipe or a device, which the console does not wait on.
    NotAFile,
    /// Any other error, in the system's words.
    Other(String),
}

impl From<&std::io::Error> for ReadFailure {
    fn from(e: &std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => ReadFailure::NotFound,
            std::io::ErrorKind::PermissionDenied => ReadFailure::Denied,
            std::io::ErrorKind::IsADirectory => ReadFailure::NotAFile,
            _ => ReadFailure::Other(e.to_string()),
        }
    }
}

impl std::fmt::Debug for Attached {
    /// A file's name and size, never its bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Attached::Missing => f.write_str("Missing"),
            Attached::Path(p) => f.debug_tuple("Path").field(p).finish(),
            Attached::File { name, bytes } => {
                write!(f, "File({name:?}, {} bytes)", bytes.len())
            }
            Attached::Unusable(why) => f.debug_tuple("Unusable").field(why).finish(),
        }
    }
}

impl Command {
    /// The file this command takes, if it takes one (adapters fill it in).
    pub fn attached_mut(&mut self) -> Option<&mut Attached> {
        match self {
            Command::PackImport { file } | Command::PackDraft { file, .. } => Some(file),
            _ => None,
        }
    }
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
