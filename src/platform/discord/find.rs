//! Finding a post again after a crash (see the module docs of
//! [`super`]): a text channel's history is paged back to the post's claim
//! time, a forum's active and archived posts are read, each for the
//! message whose footer names the post's key.

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::Value;

use super::message::prompt_content;
use super::{DiscordChat, MAX_LOOKBACK, codes};
use crate::engine::{ChatError, Lookup, OutgoingPrompt, Posted};

impl DiscordChat {
    /// Pages back through a channel's (or thread's) history, newest first,
    /// down to `floor`, for the bot's message carrying `wanted` in its
    /// footer. `legacy`: the text an unmarked message of an older Ponder
    /// would have; finding one makes the answer [`Lookup::Unknown`].
    pub(super) async fn find_message(
        &self,
        channel: &str,
        wanted: &str,
        legacy: Option<&str>,
        floor: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        let floor_id = snowflake_at(floor);
        let mut before: Option<u64> = None;
        let mut unmarked = false;
        let mut read = 0;
        loop {
            let path = match before {
                Some(b) => format!("/channels/{channel}/messages?limit=100&before={b}"),
                None => format!("/channels/{channel}/messages?limit=100"),
            };
            let page = self
                .rest
                .call(Method::GET, &path, None)
                .await
                .map_err(|e| e.meaning("Read Message History", channel))?;
            let page = page.as_array().cloned().unwrap_or_default();
            let mut reached = page.len() < 100;
            for m in &page {
                let id = id_of(m);
                if id < floor_id {
                    reached = true;
                    continue;
                }
                if m["author"]["bot"] != true {
                    continue;
                }
                if has_reference(m, wanted) {
                    let id = id.to_string();
                    return Ok(Lookup::Sent(Posted {
                        message_id: id.clone(),
                        thread_id: id,
                    }));
                }
                if legacy.is_some_and(|t| m["content"] == t) && !has_any_reference(m) {
                    unmarked = true;
                }
            }
            read += page.len();
            if reached {
                break;
            }
            if read >= MAX_LOOKBACK {
                return Ok(Lookup::Unknown(format!(
                    "read the newest {read} messages of channel {channel} without reaching the post's claim time"
                )));
            }
            before = page.iter().map(id_of).min();
        }
        Ok(if unmarked {
            Lookup::Unknown(format!(
                "channel {channel} has a message of Ponder's with this prompt's text and no reference, sent after the post was claimed"
            ))
        } else {
            Lookup::NotSent
        })
    }

    /// [`Chat::find_post`](crate::engine::Chat::find_post) in a forum: the forum's threads made since
    /// `floor`, active and archived, by their starter message's reference.
    pub(super) async fn find_forum_post(
        &self,
        channel: &str,
        forum: &Value,
        prompt: &OutgoingPrompt,
        wanted: &str,
        floor: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        let floor_id = snowflake_at(floor);
        let guild = forum["guild_id"].as_str().unwrap_or_default();
        let active = self
            .rest
            .call(
                Method::GET,
                &format!("/guilds/{guild}/threads/active"),
                None,
            )
            .await
            .map_err(|e| e.meaning("View Channel", channel))?;
        let mut candidates: Vec<Value> = active["threads"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["parent_id"] == channel)
            .cloned()
            .collect();
        // Archived posts, most recently archived first: one archived before
        // the floor was made before it too.
        let mut before: Option<String> = None;
        loop {
            let path = match &before {
                Some(b) => {
                    format!("/channels/{channel}/threads/archived/public?limit=100&before={b}")
                }
                None => format!("/channels/{channel}/threads/archived/public?limit=100"),
            };
            let page = self
                .rest
                .call(Method::GET, &path, None)
                .await
                .map_err(|e| e.meaning("Read Message History", channel))?;
            let threads = page["threads"].as_array().cloned().unwrap_or_default();
            let archived_at = |t: &Value| {
                t["thread_metadata"]["archive_timestamp"]
                    .as_str()
                    .and_then(|a| DateTime::parse_from_rfc3339(a).ok())
                    .map(|a| a.with_timezone(&Utc))
            };
            let oldest = threads.iter().filter_map(archived_at).min();
            candidates.extend(threads.iter().cloned());
            if candidates.len() > MAX_LOOKBACK {
                return Ok(Lookup::Unknown(format!(
                    "read {} posts of forum {channel} without reaching the post's claim time",
                    candidates.len()
                )));
            }
            match oldest {
                Some(o) if page["has_more"] == true && o >= floor => {
                    before = Some(o.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
                }
                _ => break,
            }
        }
        candidates.retain(|t| id_of(t) >= floor_id);
        let content = prompt_content(prompt);
        let mut unsure = None;
        for t in candidates {
            let id = t["id"].as_str().unwrap_or_default().to_string();
            let starter = self
                .rest
                .call(Method::GET, &format!("/channels/{id}/messages/{id}"), None)
                .await;
            match starter {
                Ok(m) if has_reference(&m, wanted) => {
                    return Ok(Lookup::Sent(Posted {
                        message_id: id.clone(),
                        thread_id: id,
                    }));
                }
                Ok(m) => {
                    if m["author"]["bot"] == true
                        && m["content"] == content.as_str()
                        && !has_any_reference(&m)
                    {
                        unsure = Some(format!(
                            "forum post {id} has this prompt's text and no reference"
                        ));
                    }
                }
                Err(e) if e.code() == Some(codes::UNKNOWN_MESSAGE) => {
                    if t["name"] == prompt.title.as_str() {
                        unsure = Some(format!(
                            "forum post {id} has this prompt's title and its first message is deleted"
                        ));
                    }
                }
                Err(e) => return Err(e.meaning("Read Message History", &id)),
            }
        }
        Ok(match unsure {
            Some(why) => Lookup::Unknown(why),
            None => Lookup::NotSent,
        })
    }
}

/// Whether a message carries this reference in an embed footer.
fn has_reference(m: &Value, reference: &str) -> bool {
    m["embeds"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| e["footer"]["text"] == reference)
}

/// Whether a message carries any Ponder reference (so it is not an older
/// Ponder's unmarked message).
fn has_any_reference(m: &Value) -> bool {
    m["embeds"].as_array().into_iter().flatten().any(|e| {
        e["footer"]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Ponder · ref "))
    })
}

/// The smallest snowflake made at `t`.
fn snowflake_at(t: DateTime<Utc>) -> u64 {
    ((t.timestamp_millis() - 1_420_070_400_000).max(0) as u64) << 22
}

fn id_of(m: &Value) -> u64 {
    m["id"].as_str().and_then(|i| i.parse().ok()).unwrap_or(0)
}
