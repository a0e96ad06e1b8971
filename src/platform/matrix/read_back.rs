//! Reading a room back: its events page by page from now, the replies to a
//! prompt among them, and the catch-up that applies what the handlers
//! missed (replies, edits, redactions) after a gap.

use chrono::{DateTime, Utc};
use matrix_sdk::Room;
use matrix_sdk::ruma::UInt;
use serde_json::Value;

use super::{MatrixChat, PLATFORM, classify};
use crate::engine::{ChatError, Engine, IncomingReply};

impl MatrixChat {
    /// The room's events back from now, newest first, page by page, until
    /// `stop` says an event is far enough back (that event is not included)
    /// or the room's start.
    pub(super) async fn read_back(
        &self,
        room: &Room,
        stop: impl Fn(&Value) -> bool,
    ) -> Result<Vec<Value>, ChatError> {
        let mut out = Vec::new();
        let mut from = None;
        loop {
            let mut options = matrix_sdk::room::MessagesOptions::backward();
            options.limit = UInt::from(100u32);
            options.from = from.take();
            let page = room.messages(options).await.map_err(classify)?;
            for event in page.chunk {
                let Ok(raw) = event.raw().deserialize_as::<Value>() else {
                    continue;
                };
                if stop(&raw) {
                    return Ok(out);
                }
                out.push(raw);
            }
            match page.end {
                Some(end) => from = Some(end),
                None => return Ok(out),
            }
        }
    }

    /// The events of a prompt's room after the prompt, oldest first.
    pub(super) async fn after_root(
        &self,
        room: &Room,
        root: &str,
    ) -> Result<Vec<Value>, ChatError> {
        let mut events = self.read_back(room, |e| e["event_id"] == root).await?;
        events.reverse();
        Ok(events)
    }

    /// Reads each open prompt's room back to the prompt and queues for the
    /// reply writer what the handlers may have missed: replies, edits (the
    /// writer applies those by their authors), redactions.
    pub(super) async fn catch_up(&self, engine: &Engine) -> anyhow::Result<()> {
        use crate::engine::ingest::Change;
        let posts = engine
            .db()
            .posts_in_state(crate::db::PostState::Open)
            .await?;
        for post in posts.iter().filter(|p| p.platform == PLATFORM) {
            let Some(root) = post.thread_id.as_deref() else {
                continue;
            };
            let channel = engine.db().channel(post.channel_id).await?.external_id;
            let Ok(room) = self.room(&channel) else {
                continue;
            };
            let events = match self.after_root(&room, root).await {
                Ok(e) => e,
                Err(e) => {
                    tracing::warn!(post = post.id, error = %e, "could not read a prompt's room back");
                    continue;
                }
            };
            for raw in &events {
                let id = raw["event_id"].as_str().unwrap_or_default();
                if raw["unsigned"]["redacted_because"].is_object() {
                    let change = Change::DeletedFrom {
                        channel: channel.clone(),
                        message_id: id.to_string(),
                    };
                    engine.queue_reply(PLATFORM, change).await;
                    continue;
                }
                let relates = &raw["content"]["m.relates_to"];
                if raw["type"] == "m.room.message" && relates["rel_type"] == "m.replace" {
                    let (Some(target), Some(text), Some(sender)) = (
                        relates["event_id"].as_str(),
                        raw["content"]["m.new_content"]["body"].as_str(),
                        raw["sender"].as_str(),
                    ) else {
                        continue;
                    };
                    let change = Change::EditedBy {
                        channel: channel.clone(),
                        editor: sender.to_string(),
                        message_id: target.to_string(),
                        text: text.to_string(),
                    };
                    engine.queue_reply(PLATFORM, change).await;
                    continue;
                }
                if replies_to(raw, root)
                    && let Some(reply) = self.reply_of(&room, root, raw).await
                {
                    engine.queue_reply(PLATFORM, Change::New(reply)).await;
                }
            }
        }
        Ok(())
    }

    /// A thread event turned into a reply, if it is a text message by someone else.
    pub(super) async fn reply_of(
        &self,
        room: &Room,
        thread: &str,
        raw: &Value,
    ) -> Option<IncomingReply> {
        if raw["type"] != "m.room.message" {
            return None;
        }
        let sender = matrix_sdk::ruma::OwnedUserId::try_from(raw["sender"].as_str()?).ok()?;
        if sender == self.own_user {
            return None;
        }
        let content = &raw["content"];
        if content["m.relates_to"]["rel_type"] == "m.replace" {
            return None;
        }
        let text = strip_fallback(content["body"].as_str()?);
        let ts = raw["origin_server_ts"].as_i64().unwrap_or_default();
        Some(IncomingReply {
            thread_id: thread.to_string(),
            message_id: raw["event_id"].as_str()?.to_string(),
            author_name: self.display_name(room, &sender).await,
            author_id: sender.to_string(),
            text,
            at: DateTime::<Utc>::from_timestamp_millis(ts).unwrap_or_default(),
        })
    }
}

/// Whether an event answers the prompt `root`: in its thread, or as a plain
/// reply (`m.in_reply_to`) to it.
pub(super) fn replies_to(raw: &Value, root: &str) -> bool {
    let relates = &raw["content"]["m.relates_to"];
    (relates["rel_type"] == "m.thread" && relates["event_id"] == root)
        || (relates["rel_type"].is_null() && relates["m.in_reply_to"]["event_id"] == root)
}

/// Drops the quoted fallback (`> <@user> …` lines) older clients put in replies.
pub(super) fn strip_fallback(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let start = lines.iter().position(|l| !l.starts_with("> ")).unwrap_or(0);
    let rest = &lines[start..];
    let rest = if rest.first().is_some_and(|l| l.is_empty()) {
        &rest[1..]
    } else {
        rest
    };
    rest.join("\n").trim().to_string()
}
