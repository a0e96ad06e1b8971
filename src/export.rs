//! The archive: posts that reached the chat, with their surviving replies, as
//! Markdown, JSON or CSV. Deleted replies never appear.
//!
//! Markdown and CSV are read in terminals and spreadsheets: every text in
//! them goes through [`crate::text::for_terminal`] (control characters shown
//! as visible stand-ins), and every CSV cell through
//! [`crate::text::csv_cell`] (no formula injection). JSON keeps the stored
//! text exactly.

use serde::Serialize;

use crate::db::{ArchiveFilter, Db, ReplyRow};
use crate::domain::command::ExportFormat;
use crate::text::{csv_cell, for_terminal as safe};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ArchivedPost {
    pub post_id: i64,
    pub platform: String,
    pub channel: String,
    pub prompt: ArchivedPrompt,
    /// RFC 3339, UTC: the slot the post filled (absent for `now` posts).
    pub slot: Option<String>,
    pub posted_at: Option<String>,
    pub closed_at: Option<String>,
    pub state: String,
    pub message_id: Option<String>,
    pub thread_id: Option<String>,
    pub replies: Vec<ArchivedReply>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ArchivedPrompt {
    pub pack: String,
    pub id: String,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ArchivedReply {
    pub message_id: String,
    /// Empty for an anonymous reply: the archive never says who wrote it.
    pub author_id: String,
    pub author_name: String,
    pub anonymous: bool,
    pub text: String,
    pub at: String,
    pub edited_at: Option<String>,
}

fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// The filter for a channel, a post and whole days in UTC: from the first
/// second of `from` to the last of `to` (both included).
pub fn days_filter(
    channel_id: Option<i64>,
    post_id: Option<i64>,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> ArchiveFilter {
    let day = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
    ArchiveFilter {
        channel_id,
        post_id,
        from: from.and_then(day),
        until: to.and_then(|d| d.succ_opt()).and_then(day),
    }
}

/// Reads the archive: the whole of it, or what `filter` names.
pub async fn archive(db: &Db, filter: &ArchiveFilter) -> anyhow::Result<Vec<ArchivedPost>> {
    let mut out = Vec::new();
    let channels: std::collections::HashMap<i64, String> = db
        .channels()
        .await?
        .into_iter()
        .map(|c| (c.id, c.external_id))
        .collect();
    let mut by_post: std::collections::HashMap<i64, Vec<ReplyRow>> = Default::default();
    for r in db.archive_replies(filter).await? {
        by_post.entry(r.post_id).or_default().push(r);
    }
    for p in db.archive_posts(filter).await? {
        let replies = by_post
            .remove(&p.id)
            .unwrap_or_default()
            .into_iter()
            .map(|r| ArchivedReply {
                message_id: r.message_id,
                author_id: if r.anonymous {
                    String::new()
                } else {
                    r.author_id
                },
                author_name: r.author_name,
                anonymous: r.anonymous,
                text: r.body.unwrap_or_default(),
                at: rfc3339(r.created_at),
                edited_at: r.edited_at.map(rfc3339),
            })
            .collect();
        out.push(ArchivedPost {
            post_id: p.id,
            platform: p.platform,
            channel: channels.get(&p.channel_id).cloned().unwrap_or_default(),
            prompt: ArchivedPrompt {
                pack: p.prompt_pack,
                id: p.prompt_id,
                title: p.prompt_title,
                text: p.prompt_text,
            },
            slot: p.slot_at.map(rfc3339),
            posted_at: p.posted_at.map(rfc3339),
            closed_at: p.closed_at.map(rfc3339),
            state: p.state.to_string(),
            message_id: p.message_id,
            thread_id: p.thread_id,
            replies,
        });
    }
    Ok(out)
}

pub fn render(posts: &[ArchivedPost], format: ExportFormat) -> anyhow::Result<String> {
    Ok(match format {
        ExportFormat::Json => serde_json::to_string_pretty(posts)? + "\n",
        ExportFormat::Markdown => markdown(posts),
        ExportFormat::Csv => csv(posts)?,
    })
}

fn markdown(posts: &[ArchivedPost]) -> String {
    let mut s = String::from("# Ponder archive\n");
    if posts.is_empty() {
        s.push_str("\nNo posts yet.\n");
    }
    for p in posts {
        s.push_str(&format!("\n## {}\n\n", safe(&p.prompt.title)));
        s.push_str(&format!(
            "*{}/{} · {} #{} · posted {}*\n\n",
            safe(&p.prompt.pack),
            safe(&p.prompt.id),
            p.platform,
            safe(&p.channel),
            p.posted_at.as_deref().unwrap_or("-")
        ));
        for line in safe(&p.prompt.text).lines() {
            s.push_str(&format!("> {line}\n"));
        }
        s.push('\n');
        if p.replies.is_empty() {
            s.push_str("No replies.\n");
        }
        for r in &p.replies {
            let edited = if r.edited_at.is_some() {
                " (edited)"
            } else {
                ""
            };
            s.push_str(&format!(
                "- **{}** ({}){edited}: {}\n",
                safe(&r.author_name),
                r.at,
                safe(&r.text).replace('\n', "\n  ")
            ));
        }
    }
    s
}

fn csv(posts: &[ArchivedPost]) -> anyhow::Result<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "post_id",
        "platform",
        "channel",
        "prompt_pack",
        "prompt_id",
        "prompt_title",
        "posted_at",
        "reply_id",
        "author_id",
        "author_name",
        "reply_at",
        "edited_at",
        "reply_text",
    ])?;
    for p in posts {
        for r in &p.replies {
            let post_id = p.post_id.to_string();
            let cells = [
                post_id.as_str(),
                &p.platform,
                &p.channel,
                &p.prompt.pack,
                &p.prompt.id,
                &p.prompt.title,
                p.posted_at.as_deref().unwrap_or(""),
                &r.message_id,
                &r.author_id,
                &r.author_name,
                &r.at,
                r.edited_at.as_deref().unwrap_or(""),
                &r.text,
            ];
            w.write_record(cells.map(csv_cell).iter().map(|c| c.as_bytes()))?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
