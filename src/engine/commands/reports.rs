//! The reports: `status` (for admins), `stats` (for everyone) and
//! `export` (the channel's archive as a file); what `about` says is a message of `locales/`.

use std::fmt::Write as _;

use chrono_tz::Tz;

use super::archive::{fit, narrowed_note, size};
use super::{Answer, Caller, refuse};
use crate::db::{ChannelRow, PostState};
use crate::domain::command::ExportFormat;
use crate::engine::Engine;
use crate::export;
use crate::i18n::Lang;
use crate::tr;

impl Engine {
    pub(super) async fn export(
        &self,
        caller: &Caller,
        channel: &ChannelRow,
        format: ExportFormat,
        (post, from, to): (
            Option<i64>,
            Option<chrono::NaiveDate>,
            Option<chrono::NaiveDate>,
        ),
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let day = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
        let filter = crate::db::ArchiveFilter {
            channel_id: Some(channel.id),
            post_id: post,
            from: from.and_then(day),
            until: to.and_then(|d| d.succ_opt()).and_then(day),
        };
        let archive = export::archive(&self.db, &filter).await?;
        let limit = self.upload_limit(&caller.platform).await;
        let Some(fitted) = fit(&archive, limit, |posts| export::render(posts, format))? else {
            return refuse(tr!(
                lang,
                "export-too-large",
                platform = caller.platform.as_str(),
                size = size(limit.unwrap_or_default(), lang)
            ));
        };
        let mut text = tr!(lang, "export-done", posts = fitted.kept);
        if let Some(note) = narrowed_note(&fitted, &caller.platform, limit, from, lang) {
            text.push(' ');
            text.push_str(&note);
        }
        let name = format!(
            "ponder-{}-{}.{}",
            caller.platform,
            channel.id,
            format.extension()
        );
        Ok(Answer {
            text,
            file: Some((name, fitted.body)),
            actions: Vec::new(),
        })
    }

    pub(super) async fn stats_text(
        &self,
        caller: &Caller,
        channel: &ChannelRow,
        lang: Lang,
    ) -> anyhow::Result<String> {
        let since = self.clock.now() - chrono::Duration::days(30);
        let s = self.db.channel_stats(channel.id, since.timestamp()).await?;
        let mut out = String::new();
        let rate = if s.posts > 0 {
            s.replies as f64 / s.posts as f64
        } else {
            0.0
        };
        let line = tr!(
            lang,
            "stats-last-days",
            prompts = s.posts,
            replies = s.replies,
            people = s.people,
            rate = decimal(rate, lang)
        );
        let _ = writeln!(out, "{line}");
        if !s.top.is_empty() {
            let top: Vec<String> = s
                .top
                .iter()
                .map(|(t, n)| tr!(lang, "stats-answered", title = t.as_str(), count = *n))
                .collect();
            let list = top.join(", ");
            let _ = writeln!(out, "{}", tr!(lang, "stats-most-answered", list = list));
        }
        // A streak counts back from the newest prompt, not counting one still
        // open that the caller has not answered yet.
        let answered = self
            .db
            .answered_by(channel.id, &caller.user_id, 1000)
            .await?;
        let mut rows = answered.iter().peekable();
        if rows.peek().is_some_and(|(a, open)| !a && *open) {
            rows.next();
        }
        let streak = rows.take_while(|(a, _)| *a).count();
        out.push_str(&tr!(lang, "stats-streak", count = streak));
        Ok(out)
    }

    pub(super) async fn status_text(
        &self,
        channel: &ChannelRow,
        tz: &Tz,
        lang: Lang,
    ) -> anyhow::Result<String> {
        let mut out = String::new();
        let state = if channel.paused {
            let reason = channel.paused_reason.as_deref().unwrap_or("-");
            tr!(lang, "status-paused", reason = reason)
        } else {
            tr!(lang, "status-active")
        };
        let line = tr!(
            lang,
            "status-channel",
            channel = channel.external_id.as_str(),
            platform = channel.platform.as_str(),
            state = state,
            zone = channel.timezone.as_str()
        );
        let _ = writeln!(out, "{line}");
        let _ = writeln!(out, "{}", self.next_text(channel, tz, lang).await?);
        let schedules = self.db.schedules_of(channel.id).await?;
        let list = if schedules.is_empty() {
            tr!(lang, "status-schedules-none")
        } else {
            schedules
                .iter()
                .map(|s| format!("#{} `{}` {}", s.id, s.spec, s.timezone))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(out, "{}", tr!(lang, "status-schedules", list = list));
        if let Some(post) = self.db.current_post(channel.id).await? {
            let replies = self.db.replies_of(post.id).await?.len();
            let line = tr!(
                lang,
                "status-open-thread",
                title = post.prompt_title,
                post = post.id,
                replies = replies
            );
            let _ = writeln!(out, "{line}");
        }
        let pool = self.pool_of(channel).await?;
        let (_, used) = self.db.rotation(channel.id).await?;
        let left = pool.iter().filter(|p| !used.contains(&p.id)).count();
        let line = tr!(lang, "status-rotation", left = left, total = pool.len());
        let _ = writeln!(out, "{line}");
        if let Some(missing) = &channel.missing_permissions {
            let missing = crate::engine::Missing::read_stored(missing);
            let missing = crate::engine::Missing::list(&missing, lang);
            let _ = writeln!(out, "{}", tr!(lang, "status-missing", missing = missing));
        }
        let pending = self
            .db
            .suggestions_in(channel.id, crate::db::SuggestionState::Pending)
            .await?
            .len();
        if pending > 0 {
            let _ = writeln!(out, "{}", tr!(lang, "status-suggestions", count = pending));
        }
        if channel.anonymous {
            let _ = writeln!(out, "{}", tr!(lang, "status-anonymous"));
        }
        for p in self.db.recent_posts(channel.id, 5).await? {
            if p.state == PostState::Failed {
                let line = tr!(
                    lang,
                    "status-failed",
                    post = p.id,
                    prompt = p.prompt_id,
                    error = p.error.as_deref().unwrap_or("-")
                );
                let _ = writeln!(out, "{line}");
            }
        }
        // last: a long list of shards must not push the rest out of an answer
        if let Some(chat) = self.chat(&channel.platform) {
            out.push_str(&shards_text(
                &chat.connections(),
                chat.connection_note(),
                lang,
            ));
        }
        Ok(out.trim_end().to_string())
    }
}

/// A number with one decimal, as the language writes it (`1.5`, `1,5`).
fn decimal(x: f64, lang: Lang) -> String {
    let text = format!("{x:.1}");
    match lang {
        Lang::En => text,
        Lang::De => text.replace('.', ","),
    }
}

/// The most shards `status` describes one by one.
const SHARDS_SHOWN: usize = 10;

/// What `status` says of a platform's connections (Discord's shards): a
/// line when there are several or one is down, each described while they
/// are few, else the first ones down; and what is wrong with the count.
fn shards_text(
    connections: &[crate::engine::port::Connection],
    note: Option<String>,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let down: Vec<_> = connections.iter().filter(|c| !c.up).collect();
    let range = crate::engine::port::shard_range(connections);
    if connections.len() > 1 || !down.is_empty() || range.is_some() {
        out.push_str(&tr!(
            lang,
            "shards-connected",
            up = connections.len() - down.len(),
            total = connections.len()
        ));
        if let Some(range) = range {
            out.push_str(&tr!(lang, "shards-range", range = range.to_string()));
        }
        let shown: Vec<_> = if connections.len() <= SHARDS_SHOWN {
            connections.iter().collect()
        } else {
            down.iter().copied().take(SHARDS_SHOWN).collect()
        };
        for c in &shown {
            let latency = c
                .latency_ms
                .map_or(tr!(lang, "shard-latency-unknown"), |ms| {
                    tr!(lang, "shard-latency", ms = ms)
                });
            let state = if c.up {
                tr!(lang, "shard-up")
            } else {
                tr!(lang, "shard-down")
            };
            out.push_str(&tr!(
                lang,
                "shard",
                shard = c.shard,
                state = state,
                servers = c.guilds,
                latency = latency,
                resumes = c.resumes
            ));
        }
        if connections.len() > SHARDS_SHOWN && down.len() > SHARDS_SHOWN {
            let more = down.len() - SHARDS_SHOWN;
            out.push_str(&tr!(lang, "shards-more-down", count = more));
        }
        out.push_str(".\n");
    }
    if let Some(note) = note {
        let _ = writeln!(out, "{note}.");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::port::Connection;

    fn shard(shard: u32, total: u32, up: bool) -> Connection {
        Connection {
            shard,
            total,
            up,
            guilds: 2,
            latency_ms: up.then_some(40),
            resumes: 0,
        }
    }

    #[test]
    fn one_shard_up_says_nothing_one_down_or_several_say_each() {
        assert_eq!(shards_text(&[shard(0, 1, true)], None, Lang::En), "");
        assert_eq!(
            shards_text(&[shard(0, 1, false)], None, Lang::En),
            "Shards: 0 of 1 connected; #0 down, 2 servers, latency not measured yet, resumed 0×.\n"
        );
        let three: Vec<_> = (0..3).map(|i| shard(i, 3, i != 1)).collect();
        assert_eq!(
            shards_text(&three, None, Lang::En),
            "Shards: 2 of 3 connected; #0 up, 2 servers, latency 40 ms, resumed 0×; #1 down, 2 servers, latency not measured yet, resumed 0×; #2 up, 2 servers, latency 40 ms, resumed 0×.\n"
        );
    }

    #[test]
    fn a_range_of_shards_says_which_even_with_one_shard_up() {
        assert_eq!(
            shards_text(&[shard(1, 2, true)], None, Lang::En),
            "Shards: 1 of 1 connected (this process runs shards 1 of 2); #1 up, 2 servers, latency 40 ms, resumed 0×.\n"
        );
        let four: Vec<_> = (4..8).map(|i| shard(i, 8, true)).collect();
        assert!(
            shards_text(&four, None, Lang::En).starts_with(
                "Shards: 4 of 4 connected (this process runs shards 4-7 of 8); #4 up,"
            ),
            "{}",
            shards_text(&four, None, Lang::En)
        );
    }

    #[test]
    fn many_shards_name_only_the_first_ten_down_and_the_note_follows() {
        let many: Vec<_> = (0..100).map(|i| shard(i, 100, i % 4 != 0)).collect();
        let text = shards_text(&many, Some("Discord recommends 3 shards".into()), Lang::En);
        assert!(
            text.starts_with("Shards: 75 of 100 connected; #0 down,"),
            "{text}"
        );
        assert_eq!(text.matches(" down, 2 servers").count(), 10, "{text}");
        assert!(!text.contains(" up, "), "{text}");
        assert!(
            text.contains("#36 down") && !text.contains("#40 down"),
            "{text}"
        );
        assert!(
            text.contains("; and 15 more down.\nDiscord recommends 3 shards.\n"),
            "{text}"
        );
    }
}
