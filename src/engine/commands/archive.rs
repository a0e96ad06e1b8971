//! `archive`: the channel's archive as one HTML page (see [`crate::archive`]),
//! answered as a file, or posted in the channel when an admin asks for it in
//! public; and [`fit`], which narrows a file to the platform's upload limit
//! by date (for `export` too), never cutting it silently.

use anyhow::Context as _;
use chrono::NaiveDate;

use super::{Answer, Caller, refuse};
use crate::archive::{Names, Page};
use crate::db::ChannelRow;
use crate::domain::command::ArchiveNames;
use crate::domain::prompt::PromptSet;
use crate::engine::Engine;
use crate::export::{self, ArchivedPost};
use crate::i18n::Lang;
use crate::tr;

/// The page of `posts` for this channel, in `lang` (the channel's).
fn page_of(
    channel: &ChannelRow,
    posts: &[ArchivedPost],
    prompts: &PromptSet,
    names: Names,
    lang: Lang,
) -> String {
    Page {
        platform: &channel.platform,
        channel: &channel.external_id,
        guild: channel.guild.as_deref(),
        timezone: channel.timezone.parse().unwrap_or(chrono_tz::UTC),
        posts,
        prompts,
        names,
        lang,
    }
    .render()
}

/// The page's way of naming authors for the command's.
pub(crate) fn names_of(names: ArchiveNames) -> Names {
    match names {
        ArchiveNames::Shown => Names::Shown,
        ArchiveNames::Initials => Names::Initials,
        ArchiveNames::Hidden => Names::Hidden,
    }
}

/// A file that fits the upload limit: the whole of what was asked for, or
/// its newest days.
#[derive(Debug)]
pub(crate) struct Fitted {
    pub body: String,
    /// Posts in the file, and in what was asked for.
    pub kept: usize,
    pub total: usize,
    /// When narrowed: the first day (UTC) the file holds.
    pub first_day: Option<NaiveDate>,
}

/// The day (UTC) a post went out (its slot for one never sent).
fn day_of(post: &ArchivedPost) -> Option<NaiveDate> {
    let at = post.posted_at.as_deref().or(post.slot.as_deref())?;
    NaiveDate::parse_from_str(at.get(..10)?, "%Y-%m-%d").ok()
}

/// `render(posts)` as it is when it fits in `limit` bytes; otherwise the
/// file of the newest whole days that fits (the oldest days dropped, found
/// by halving). `None`: not even the newest day fits.
pub(crate) fn fit(
    posts: &[ArchivedPost],
    limit: Option<u64>,
    render: impl Fn(&[ArchivedPost]) -> anyhow::Result<String>,
) -> anyhow::Result<Option<Fitted>> {
    let whole = render(posts)?;
    let fits = |body: &str| limit.is_none_or(|l| body.len() as u64 <= l);
    if fits(&whole) {
        return Ok(Some(Fitted {
            body: whole,
            kept: posts.len(),
            total: posts.len(),
            first_day: None,
        }));
    }
    let mut days: Vec<NaiveDate> = posts.iter().filter_map(day_of).collect();
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    let since = |day: NaiveDate| -> Vec<ArchivedPost> {
        posts
            .iter()
            .filter(|p| day_of(p).is_some_and(|d| d >= day))
            .cloned()
            .collect()
    };
    // The most newest days that fit: `n` days kept, 1 ≤ n < days.len()
    // (or all of them, when posts without a day were what did not fit).
    let undated = posts.iter().any(|p| day_of(p).is_none());
    let (mut lo, mut hi) = (0, days.len() - usize::from(!undated && !days.is_empty()));
    let mut best = None;
    while lo < hi {
        let n = (lo + hi).div_ceil(2);
        let kept = since(days[n - 1]);
        let body = render(&kept)?;
        if fits(&body) {
            lo = n;
            best = Some(Fitted {
                body,
                kept: kept.len(),
                total: posts.len(),
                first_day: Some(days[n - 1]),
            });
        } else {
            hi = n - 1;
        }
    }
    Ok(best)
}

/// A size as people read it: `10 MB`, `1.5 MB` (`1,5 MB` in German),
/// `900 KB`.
pub(crate) fn size(bytes: u64, lang: Lang) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 1.0 {
        let mb = format!("{}", (mb * 10.0).round() / 10.0);
        mb.replace('.', &tr!(lang, "decimal-point")) + " MB"
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// The platform's upload limit as people name it: `Discord's upload limit
/// (10 MB)`.
pub(crate) fn upload_limit_text(platform: &str, limit: Option<u64>, lang: Lang) -> String {
    tr!(
        lang,
        "upload-limit",
        platform = platform,
        size = size(limit.unwrap_or_default(), lang)
    )
}

/// What an answer says of a file narrowed to the limit: which days it holds
/// and how to ask for the rest. Days are written as the command takes them
/// (`2026-12-01`), so they can be copied into `from`/`to`.
pub(crate) fn narrowed_note(
    fitted: &Fitted,
    platform: &str,
    limit: Option<u64>,
    from: Option<NaiveDate>,
    lang: Lang,
) -> Option<String> {
    let first = fitted.first_day?;
    let before = first.pred_opt()?;
    let from = from.map(|d| format!("from {d} ")).unwrap_or_default();
    Some(tr!(
        lang,
        "narrowed",
        limit = upload_limit_text(platform, limit, lang),
        first = first.to_string(),
        kept = fitted.kept,
        total = fitted.total,
        from = from,
        before = before.to_string()
    ))
}

impl Engine {
    /// The largest file the caller's platform takes.
    pub(super) async fn upload_limit(&self, platform: &str) -> Option<u64> {
        match self.chat(platform) {
            Some(chat) => chat.upload_limit().await,
            None => None,
        }
    }

    /// The page of `posts` for this channel, in the channel's language.
    pub(crate) fn page(
        &self,
        channel: &ChannelRow,
        posts: &[ArchivedPost],
        names: Names,
    ) -> String {
        page_of(
            channel,
            posts,
            &self.prompts(),
            names,
            self.lang_of(channel),
        )
    }

    pub(super) async fn archive(
        &self,
        caller: &Caller,
        channel: &ChannelRow,
        (from, to): (Option<NaiveDate>, Option<NaiveDate>),
        names: ArchiveNames,
        public: bool,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return refuse(tr!(
                lang,
                "archive-backwards",
                from = f.to_string(),
                to = t.to_string()
            ));
        }
        let filter = export::days_filter(Some(channel.id), None, from, to);
        let posts = export::archive(&self.db, &filter).await?;
        if posts.is_empty() {
            return refuse(if from.is_some() || to.is_some() {
                tr!(lang, "archive-none-between")
            } else {
                tr!(lang, "archive-none-yet")
            });
        }
        let limit = self.upload_limit(&caller.platform).await;
        let names = names_of(names);
        // A big archive takes a second or more to render, again for each
        // narrowing: off the async workers, which serve the gateway meanwhile.
        // The page is the channel's, in its language, whoever asks for it.
        let (ch, prompts, page_lang) = (channel.clone(), self.prompts(), self.lang_of(channel));
        let fitted = tokio::task::spawn_blocking(move || {
            fit(&posts, limit, |p| {
                Ok(page_of(&ch, p, &prompts, names, page_lang))
            })
        })
        .await
        .context("rendering the archive")??;
        let Some(fitted) = fitted else {
            let limit = upload_limit_text(&caller.platform, limit, lang);
            return refuse(tr!(lang, "archive-too-large", limit = limit));
        };
        let note = |lang| narrowed_note(&fitted, &caller.platform, limit, from, lang);
        let name = format!("ponder-{}-{}.html", caller.platform, channel.id);
        // posted in public, the file is said in the channel's language
        let text_lang = if public { self.lang_of(channel) } else { lang };
        let mut text = if public {
            tr!(text_lang, "archive-file-public", prompts = fitted.kept)
        } else {
            tr!(text_lang, "archive-file", prompts = fitted.kept)
        };
        if let Some(note) = note(text_lang) {
            text.push(' ');
            text.push_str(&note);
        }
        let said_note = note(lang);
        if !public {
            return Ok(Answer {
                text,
                file: Some((name, fitted.body)),
                actions: Vec::new(),
            });
        }
        let Some(chat) = self.chat(&caller.platform) else {
            return refuse(tr!(lang, "archive-no-files"));
        };
        if let Err(e) = chat
            .send_file(
                &channel.external_id,
                None,
                &text,
                &name,
                fitted.body.as_bytes(),
            )
            .await
        {
            return refuse(tr!(lang, "archive-post-failed", error = e.to_string()));
        }
        let mut said = tr!(lang, "archive-posted");
        if let Some(note) = said_note {
            said.push(' ');
            said.push_str(&note);
        }
        Ok(Answer::text(said))
    }

    /// Records the server (Discord guild) a known channel is in, for links
    /// to its messages (see [`crate::archive::Page::guild`]).
    pub async fn remember_guild(
        &self,
        platform: &str,
        channel: &str,
        guild: &str,
    ) -> anyhow::Result<()> {
        let changed = self.db.set_channel_guild(platform, channel, guild).await?;
        self.servers_learned(changed).await
    }

    /// [`Engine::remember_guild`], making the channel known first (as an
    /// admin's command does anyway), so that it is known with its server
    /// from the first command on: a community's packs are keyed by it.
    pub async fn know_channel_in(
        &self,
        platform: &str,
        channel: &str,
        guild: &str,
    ) -> anyhow::Result<()> {
        let now = self.clock.now().timestamp();
        self.db
            .ensure_channel(platform, channel, &self.settings.default_timezone, now)
            .await?;
        let changed = self.db.set_channel_guild(platform, channel, guild).await?;
        self.servers_learned(changed).await
    }

    /// [`Engine::remember_guild`] for many channels, in one transaction:
    /// `(channel, guild)` pairs, as a GUILD_CREATE storm's batch brings them.
    pub async fn remember_guilds(
        &self,
        platform: &str,
        places: &[(String, String)],
    ) -> anyhow::Result<()> {
        let changed = self.db.set_channel_guilds(platform, places).await?;
        self.servers_learned(changed).await
    }
}
