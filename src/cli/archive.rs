//! `ponder archive`: one HTML page per channel (see [`crate::archive`]),
//! read-only from the database, narrowed by channel and days, plus an
//! `index.html` when several channels are written.

use std::path::PathBuf;

use anyhow::Context as _;
use chrono::NaiveDate;

use crate::archive::{Names, Page, index};
use crate::db::Db;
use crate::i18n::Lang;
use crate::prompt_files::PromptSource;

/// What `archive` was asked for.
#[derive(Debug, Clone)]
pub struct ArchiveArgs {
    pub db: crate::db::Store,
    /// A directory: made when missing; pages in it are overwritten.
    pub out: PathBuf,
    /// A channel's platform id or its number in the database.
    pub channel: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// `shown`, `initials` or `hidden`.
    pub names: String,
    /// The prompt files, for follow-ups and sources.
    pub prompts: PromptSource,
    /// The language of every page; `None`: each channel's own (set in its
    /// config or in chat, as stored), else the config's (see `config`),
    /// else English.
    pub language: Option<Lang>,
    /// The config Ponder runs with (`--config`): for a channel with no
    /// language stored, its `[[channel]]` entry's `language`, else the
    /// top-level one. Without it such a channel's page is English, and
    /// stderr says which channels fell back (once, when no `language` is
    /// given).
    pub config: Option<PathBuf>,
}

/// Writes the pages; returns the files written, the index last.
pub async fn archive(args: ArchiveArgs) -> anyhow::Result<Vec<PathBuf>> {
    let names = Names::parse(&args.names)
        .with_context(|| format!("--names {}: write shown, initials or hidden", args.names))?;
    super::export::check_days(args.from, args.to)?;
    let prompts = args
        .prompts
        .load()
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot load the prompt files of {}", args.prompts))?;
    let config = args.config.as_deref().map(super::load_config).transpose()?;
    let db = Db::open_store_read_only(&args.db).await?;
    let channel_id = super::export::channel_id(&db, args.channel.as_deref()).await?;
    let mut channels = db.channels().await?;
    channels.retain(|c| channel_id.is_none_or(|id| id == c.id));
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot make {}", args.out.display()))?;
    let mut written = Vec::new();
    let mut listed = Vec::new();
    let mut langs = Vec::new();
    let mut in_english = Vec::new();
    for channel in &channels {
        let filter = crate::export::days_filter(Some(channel.id), None, args.from, args.to);
        let posts = crate::export::archive(&db, &filter).await?;
        if posts.is_empty() && channel_id.is_none() {
            continue; // a channel set up but never posted to gets no page
        }
        let page = Page {
            platform: &channel.platform,
            channel: &channel.external_id,
            guild: channel.guild.as_deref(),
            timezone: channel.timezone.parse().unwrap_or(chrono_tz::UTC),
            posts: &posts,
            prompts: &prompts,
            names,
            lang: match (args.language.or(channel.lang()), &config) {
                (Some(lang), _) => lang,
                (None, Some(config)) => config_lang(config, channel),
                (None, None) => {
                    in_english.push(format!("{} {}", channel.platform, channel.external_id));
                    Lang::En
                }
            },
        };
        let file = format!(
            "{}-{}.html",
            channel.platform,
            file_safe(&channel.external_id)
        );
        let path = args.out.join(&file);
        std::fs::write(&path, page.render())
            .with_context(|| format!("cannot write {}", path.display()))?;
        listed.push((file, page.title(), posts.len()));
        langs.push(page.lang);
        written.push(path);
    }
    anyhow::ensure!(
        !written.is_empty(),
        "no posts in {} to archive{}",
        args.db,
        if args.from.is_some() || args.to.is_some() {
            " between the days given"
        } else {
            ""
        }
    );
    if !in_english.is_empty() {
        eprintln!(
            "{}",
            crate::text::for_terminal(&format!(
                "no language stored for {}: written in English (give --config with the config \
                 Ponder runs with, or --language)",
                in_english.join(", ")
            ))
        );
    }
    if written.len() > 1 {
        let path = args.out.join("index.html");
        // the index speaks the pages' language when they share one
        let lang = args.language.unwrap_or_else(|| {
            let first = langs[0];
            if langs.iter().all(|l| *l == first) {
                first
            } else {
                Lang::En
            }
        });
        std::fs::write(&path, index(&listed, lang))
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The language the config gives a channel that has none stored: its
/// `[[channel]]` entry's, else the top-level `language`, else English.
fn config_lang(config: &crate::config::Config, channel: &crate::db::ChannelRow) -> Lang {
    config
        .channels
        .iter()
        .filter(|c| *c.platform.get_ref() == channel.platform && c.id == channel.external_id)
        .find_map(|c| c.language.as_ref())
        .and_then(|l| Lang::parse(l.get_ref()))
        .unwrap_or_else(|| config.default_language())
}

/// A channel id as a file name: letters, digits, `-` and `_` kept, the rest `_`
/// (a Matrix room id holds `!` and `:`).
fn file_safe(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
