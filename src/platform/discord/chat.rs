//! The engine's port ([`Chat`]) on Discord: posting, threads, pins,
//! direct messages and reading threads back, each over Ponder's own REST path.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use super::message::{keyed, prompt_content, quiet, reference, reply_of};
use super::{
    CLOCK_SKEW, DiscordChat, GUILD_ANNOUNCEMENT, GUILD_FORUM, GUILD_TEXT, MAX_MESSAGE_CHARS,
    PLATFORM, UPLOAD_LIMIT, codes, permissions,
};
use crate::engine::port::Connection;
use crate::engine::{Chat, ChatError, IncomingReply, Lookup, Needs, OutgoingPrompt, Posted};

#[async_trait]
impl Chat for DiscordChat {
    fn platform(&self) -> &'static str {
        PLATFORM
    }

    fn is_connected(&self) -> bool {
        let states = self.shard_states();
        !states.is_empty() && states.iter().all(|s| s.up)
    }

    fn connections(&self) -> Vec<Connection> {
        self.shard_states()
    }

    fn connection_note(&self) -> Option<String> {
        self.shard_note()
    }

    fn serves(&self, guild: Option<&str>) -> bool {
        self.serves_guild(guild)
    }

    async fn post_prompt(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
    ) -> Result<Posted, ChatError> {
        let ch = self.channel(channel).await?;
        let mut message = keyed(&prompt_content(prompt), &prompt.idempotency_key);
        if let Some(role) = &prompt.ping {
            // Only the configured role, never anyone named in the text.
            message["allowed_mentions"] = json!({ "parse": [], "roles": [role] });
        }
        match ch["type"].as_i64() {
            Some(GUILD_FORUM) => {
                let tags = self.tags_for(channel, &ch)?;
                let body = json!({
                    "name": prompt.title,
                    "auto_archive_duration": self.archive_minutes(),
                    "applied_tags": tags,
                    "message": message,
                });
                let thread = self
                    .rest
                    .call(
                        Method::POST,
                        &format!("/channels/{channel}/threads"),
                        Some(&body),
                    )
                    .await
                    .map_err(|e| e.meaning("Send Messages (Create Posts)", channel))?;
                let id = thread["id"].as_str().unwrap_or_default().to_string();
                Ok(Posted {
                    message_id: id.clone(),
                    thread_id: id,
                })
            }
            Some(GUILD_TEXT) | Some(GUILD_ANNOUNCEMENT) | None => {
                let m = self
                    .rest
                    .call(
                        Method::POST,
                        &format!("/channels/{channel}/messages"),
                        Some(&message),
                    )
                    .await
                    .map_err(|e| e.meaning("Send Messages", channel))?;
                let id = m["id"].as_str().unwrap_or_default().to_string();
                Ok(Posted {
                    message_id: id.clone(),
                    thread_id: id,
                })
            }
            Some(other) => Err(ChatError::Refused(format!(
                "channel {channel} is of type {other}; Ponder posts in text, announcement and forum channels"
            ))),
        }
    }

    async fn find_post(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
        since: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        let ch = self.channel(channel).await?;
        let wanted = reference(&prompt.idempotency_key);
        let floor = since - CLOCK_SKEW;
        if ch["type"].as_i64() == Some(GUILD_FORUM) {
            return self
                .find_forum_post(channel, &ch, prompt, &wanted, floor)
                .await;
        }
        self.find_message(channel, &wanted, Some(&prompt_content(prompt)), floor)
            .await
    }

    async fn open_thread(
        &self,
        channel: &str,
        posted: &Posted,
        title: &str,
        _open_for: Duration,
    ) -> Result<(), ChatError> {
        if self.channel(channel).await?["type"].as_i64() == Some(GUILD_FORUM) {
            return Ok(()); // the forum post is the thread
        }
        let body = json!({ "name": title, "auto_archive_duration": self.archive_minutes() });
        let path = format!("/channels/{channel}/messages/{}/threads", posted.message_id);
        match self.rest.call(Method::POST, &path, Some(&body)).await {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(codes::THREAD_ALREADY_CREATED) => Ok(()), // already created
            Err(e) => Err(e.meaning("Create Public Threads", channel)),
        }
    }

    async fn send_in_channel(&self, channel: &str, text: &str) -> Result<String, ChatError> {
        let m = self
            .rest
            .call(
                Method::POST,
                &format!("/channels/{channel}/messages"),
                Some(&quiet(text)),
            )
            .await
            .map_err(|e| e.meaning("Send Messages", channel))?;
        Ok(m["id"].as_str().unwrap_or_default().to_string())
    }

    async fn send_in_thread(
        &self,
        _channel: &str,
        thread_id: &str,
        text: &str,
    ) -> Result<String, ChatError> {
        let m = self
            .rest
            .call(
                Method::POST,
                &format!("/channels/{thread_id}/messages"),
                Some(&quiet(text)),
            )
            .await
            .map_err(|e| e.meaning("Send Messages in Threads", thread_id))?;
        Ok(m["id"].as_str().unwrap_or_default().to_string())
    }

    async fn send_keyed(
        &self,
        channel: &str,
        thread: Option<&str>,
        text: &str,
        key: &str,
    ) -> Result<String, ChatError> {
        let place = thread.unwrap_or(channel);
        let m = self
            .rest
            .call(
                Method::POST,
                &format!("/channels/{place}/messages"),
                Some(&keyed(text, key)),
            )
            .await
            .map_err(|e| e.meaning("Send Messages", place))?;
        Ok(m["id"].as_str().unwrap_or_default().to_string())
    }

    async fn upload_limit(&self) -> Option<u64> {
        Some(self.config.upload_limit.unwrap_or(UPLOAD_LIMIT))
    }

    async fn send_file(
        &self,
        channel: &str,
        thread: Option<&str>,
        text: &str,
        name: &str,
        body: &[u8],
    ) -> Result<String, ChatError> {
        let place = thread.unwrap_or(channel);
        let m = self
            .rest
            .post_with_file(
                &format!("/channels/{place}/messages"),
                &quiet(&crate::text::cut(text, MAX_MESSAGE_CHARS)),
                name,
                body,
            )
            .await
            .map_err(|e| e.meaning("Send Messages and Attach Files", place))?;
        Ok(m["id"].as_str().unwrap_or_default().to_string())
    }

    async fn send_keyed_file(
        &self,
        channel: &str,
        thread: Option<&str>,
        text: &str,
        key: &str,
        name: &str,
        body: &[u8],
    ) -> Result<String, ChatError> {
        let place = thread.unwrap_or(channel);
        let m = self
            .rest
            .post_with_file(
                &format!("/channels/{place}/messages"),
                &keyed(text, key),
                name,
                body,
            )
            .await
            .map_err(|e| e.meaning("Send Messages and Attach Files", place))?;
        Ok(m["id"].as_str().unwrap_or_default().to_string())
    }

    async fn find_sent(
        &self,
        channel: &str,
        thread: Option<&str>,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        let place = thread.unwrap_or(channel);
        self.find_message(place, &reference(key), None, since - CLOCK_SKEW)
            .await
    }

    async fn replies_after(
        &self,
        _channel: &str,
        thread_id: &str,
        after: Option<&str>,
    ) -> Result<Vec<IncomingReply>, ChatError> {
        // Snowflakes grow with time, so `after` pages forward through the thread.
        let mut cursor = after.unwrap_or("0").to_string();
        let mut out = Vec::new();
        loop {
            let page = self
                .rest
                .call(
                    Method::GET,
                    &format!("/channels/{thread_id}/messages?after={cursor}&limit=100"),
                    None,
                )
                .await
                .map_err(|e| e.meaning("Read Message History", thread_id))?;
            let mut page: Vec<Value> = page.as_array().cloned().unwrap_or_default();
            if page.is_empty() {
                break;
            }
            page.sort_by_key(|m| {
                m["id"]
                    .as_str()
                    .and_then(|i| i.parse::<u64>().ok())
                    .unwrap_or(0)
            });
            cursor = page
                .last()
                .and_then(|m| m["id"].as_str())
                .unwrap_or(&cursor)
                .to_string();
            let full = page.len() == 100;
            out.extend(
                page.iter()
                    .filter(|m| m["id"] != thread_id)
                    .filter_map(|m| reply_of(thread_id, m)),
            );
            if !full {
                break;
            }
        }
        Ok(out)
    }

    fn rechecks_replies(&self) -> bool {
        // A thread's history is its messages as they are now: edited text,
        // deleted ones gone.
        true
    }

    fn channel_ref(&self, channel: &str) -> String {
        format!("<#{channel}>")
    }

    async fn is_member(&self, channel: &str, user_id: &str) -> Result<bool, ChatError> {
        self.can_view(channel, user_id).await
    }

    /// `/reflect` runs in a server: its answer may go only to a channel of
    /// that same server that the member can see, never to another server's
    /// prompt (even one the member is in too).
    async fn may_answer_in(
        &self,
        from: &str,
        channel: &str,
        user_id: &str,
    ) -> Result<bool, ChatError> {
        let here = self.channel(from).await?;
        let there = self.channel(channel).await?;
        let same_guild = match (here["guild_id"].as_str(), there["guild_id"].as_str()) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        };
        Ok(same_guild && self.can_view(channel, user_id).await?)
    }

    async fn send_direct(&self, user_id: &str, text: &str) -> Result<(), ChatError> {
        let dm = self
            .rest
            .call(
                Method::POST,
                "/users/@me/channels",
                Some(&json!({ "recipient_id": user_id })),
            )
            .await
            .map_err(|e| e.meaning("Send Messages (direct)", user_id))?;
        let dm = dm["id"].as_str().unwrap_or_default();
        self.rest
            .call(
                Method::POST,
                &format!("/channels/{dm}/messages"),
                Some(&quiet(text)),
            )
            .await
            .map_err(|e| match e.code() {
                Some(codes::CANNOT_MESSAGE_USER) => ChatError::Refused(format!(
                    "user {user_id} does not accept direct messages from Ponder"
                )),
                _ => e.meaning("Send Messages (direct)", user_id),
            })?;
        Ok(())
    }

    async fn set_pinned(
        &self,
        channel: &str,
        message_id: &str,
        pinned: bool,
    ) -> Result<(), ChatError> {
        // A forum post's starter message lives in its thread (same id).
        let place = if self.channel(channel).await?["type"].as_i64() == Some(GUILD_FORUM) {
            message_id
        } else {
            channel
        };
        let method = if pinned { Method::PUT } else { Method::DELETE };
        match self
            .rest
            .call(
                method,
                &format!("/channels/{place}/pins/{message_id}"),
                None,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(codes::UNKNOWN_MESSAGE) => {
                Err(ChatError::Gone(format!("message {message_id} is gone")))
            }
            Err(e) => Err(e.meaning("Manage Messages", place)),
        }
    }

    async fn delete_own(
        &self,
        _channel: &str,
        thread_id: &str,
        message_id: &str,
    ) -> Result<(), ChatError> {
        match self
            .rest
            .call(
                Method::DELETE,
                &format!("/channels/{thread_id}/messages/{message_id}"),
                None,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(codes::UNKNOWN_MESSAGE) => Ok(()), // already gone
            Err(e) => Err(e.meaning("Manage Messages", thread_id)),
        }
    }

    async fn missing_permissions(
        &self,
        channel: &str,
        needs: &Needs,
    ) -> Result<Vec<crate::engine::Missing>, ChatError> {
        permissions::missing(self, channel, needs).await
    }

    fn checks_permissions_on_connect(&self) -> bool {
        true // from each GUILD_CREATE, without a REST call per channel
    }

    async fn close_thread(&self, _channel: &str, thread_id: &str) -> Result<(), ChatError> {
        self.rest
            .call(
                Method::PATCH,
                &format!("/channels/{thread_id}"),
                Some(&json!({ "archived": true })),
            )
            .await
            .map(|_| ())
            .map_err(|e| e.meaning("Manage Threads", thread_id))
    }
}
