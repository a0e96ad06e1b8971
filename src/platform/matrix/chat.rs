//! The engine's port ([`Chat`]) on Matrix: prompts and their lookup after
//! a crash, thread messages, direct messages, pins, redactions and the
//! power-level self-check.

use std::sync::atomic::Ordering;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use matrix_sdk::ruma::{OwnedEventId, OwnedUserId};
use serde_json::json;

use super::content::{
    KEY_FIELD, file_content, html_escape, mime_of, ping_links, ping_list, quiet_content,
    thread_relation,
};
use super::read_back::replies_to;
use super::{MatrixChat, PLATFORM, POSTS_DATA, SKEW_MS, classify};
use crate::engine::{Chat, ChatError, IncomingReply, Lookup, Needs, OutgoingPrompt, Posted};

#[async_trait]
impl Chat for MatrixChat {
    fn platform(&self) -> &'static str {
        PLATFORM
    }

    fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }

    async fn post_prompt(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
    ) -> Result<Posted, ChatError> {
        let room = self.room(channel)?;
        let pinged = ping_list(prompt.ping.as_deref());
        let (ping_text, ping_html) = if pinged.is_empty() {
            (String::new(), String::new())
        } else {
            let names: Vec<String> = pinged.iter().map(|u| u.to_string()).collect();
            (
                format!("{}:\n", names.join(", ")),
                format!("{}:<br>", ping_links(&pinged)),
            )
        };
        let text = format!("{ping_text}{}\n\n{}", prompt.title, prompt.text);
        let mut content = quiet_content("m.text", &text, Some(&prompt.idempotency_key));
        content["formatted_body"] = json!(format!(
            "{ping_html}<strong>{}</strong><br><br>{}",
            html_escape(&prompt.title),
            html_escape(&prompt.text).replace('\n', "<br>")
        ));
        if !pinged.is_empty() {
            // Only the configured people, never the whole room.
            content["m.mentions"] = json!({ "user_ids": pinged });
        }
        let id = self
            .send(&room, content, Some(&prompt.idempotency_key))
            .await?;
        if let Err(e) = self
            .record_post(&room, &prompt.idempotency_key, id.as_str())
            .await
        {
            // The event itself still carries the key for a later lookup.
            tracing::warn!(error = %e, "recording a prompt in the room's account data");
        }
        Ok(Posted {
            message_id: id.to_string(),
            thread_id: id.to_string(),
        })
    }

    async fn find_post(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
        since: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        let key = prompt.idempotency_key.as_str();
        let room = self.room(channel)?;
        let sent = |id: &str| {
            Lookup::Sent(Posted {
                message_id: id.to_string(),
                thread_id: id.to_string(),
            })
        };
        // The record any device of the account can read.
        let data = self.room_data(&room, POSTS_DATA).await?;
        if let Some(id) = data[key]["event_id"].as_str() {
            return Ok(sent(id));
        }
        // Else the room itself, back to the claim.
        let from = since.timestamp_millis() - SKEW_MS;
        let events = self
            .read_back(&room, |e| {
                e["origin_server_ts"].as_i64().is_some_and(|t| t < from)
            })
            .await?;
        let mut unreadable = false;
        for raw in &events {
            if raw["sender"].as_str() != Some(self.own_user.as_str()) {
                continue;
            }
            if raw["content"][KEY_FIELD] == key || raw["unsigned"]["transaction_id"] == key {
                return Ok(sent(raw["event_id"].as_str().unwrap_or_default()));
            }
            unreadable |= raw["type"] == "m.room.encrypted";
        }
        if unreadable {
            return Ok(Lookup::Unknown(
                "this device cannot decrypt Ponder's own messages sent in the room since the post was claimed, \
                 so it cannot tell whether the prompt went out"
                    .into(),
            ));
        }
        Ok(Lookup::NotSent)
    }

    async fn open_thread(
        &self,
        _channel: &str,
        _posted: &Posted,
        _title: &str,
        _open_for: Duration,
    ) -> Result<(), ChatError> {
        Ok(()) // the prompt event is the thread's root
    }

    async fn send_in_channel(&self, channel: &str, text: &str) -> Result<String, ChatError> {
        let room = self.room(channel)?;
        Ok(self
            .send(&room, quiet_content("m.notice", text, None), None)
            .await?
            .to_string())
    }

    async fn send_in_thread(
        &self,
        channel: &str,
        thread_id: &str,
        text: &str,
    ) -> Result<String, ChatError> {
        let room = self.room(channel)?;
        let mut content = quiet_content("m.text", text, None);
        content["m.relates_to"] = thread_relation(thread_id);
        Ok(self.send(&room, content, None).await?.to_string())
    }

    async fn upload_limit(&self) -> Option<u64> {
        match self.client.load_or_fetch_max_upload_size().await {
            Ok(n) => Some(u64::from(n)),
            Err(e) => {
                tracing::debug!(error = %e, "reading the homeserver's upload limit");
                None
            }
        }
    }

    async fn send_file(
        &self,
        channel: &str,
        thread: Option<&str>,
        text: &str,
        name: &str,
        body: &[u8],
    ) -> Result<String, ChatError> {
        let room = self.room(channel)?;
        let mime = mime_of(name);
        // In an encrypted room the file is encrypted too (the event alone
        // would leave the page readable in the server's media store); an
        // unknown state counts as encrypted.
        let encrypted = room
            .latest_encryption_state()
            .await
            .map_or(true, |s| s.is_encrypted() || s.is_unknown());
        let mut content = if encrypted {
            let file = self
                .client
                .upload_encrypted_file(&mut std::io::Cursor::new(body))
                .await
                .map_err(classify)?;
            let mut content = file_content(text, name, "", mime.essence_str(), body.len());
            if let Some(c) = content.as_object_mut() {
                c.remove("url");
            }
            content["file"] = serde_json::to_value(&file)
                .map_err(|e| ChatError::Refused(format!("encoding an encrypted file: {e}")))?;
            content
        } else {
            let uploaded = self
                .client
                .media()
                .upload(&mime, body.to_vec(), None)
                .await
                .map_err(classify)?;
            let url = uploaded.content_uri.to_string();
            file_content(text, name, &url, mime.essence_str(), body.len())
        };
        if let Some(thread) = thread {
            content["m.relates_to"] = thread_relation(thread);
        }
        Ok(self.send(&room, content, None).await?.to_string())
    }

    async fn replies_after(
        &self,
        channel: &str,
        thread_id: &str,
        after: Option<&str>,
    ) -> Result<Vec<IncomingReply>, ChatError> {
        let room = self.room(channel)?;
        OwnedEventId::try_from(thread_id)
            .map_err(|_| ChatError::Refused(format!("bad event id {thread_id}")))?;
        // Threaded and plain replies alike: the room, read back to the prompt.
        let mut out = Vec::new();
        for raw in self.after_root(&room, thread_id).await? {
            if replies_to(&raw, thread_id)
                && let Some(r) = self.reply_of(&room, thread_id, &raw).await
            {
                out.push(r);
            }
        }
        if let Some(after) = after
            && let Some(i) = out.iter().position(|r| r.message_id == after)
        {
            out.drain(..=i);
        }
        Ok(out)
    }

    async fn close_thread(&self, _channel: &str, _thread_id: &str) -> Result<(), ChatError> {
        Ok(()) // Matrix threads cannot be closed
    }

    async fn send_direct(&self, user_id: &str, text: &str) -> Result<(), ChatError> {
        let user = OwnedUserId::try_from(user_id)
            .map_err(|_| ChatError::Refused(format!("`{user_id}` is not a Matrix user id")))?;
        let room = self.direct_room(&user).await?;
        self.send(&room, quiet_content("m.notice", text, None), None)
            .await?;
        Ok(())
    }

    async fn set_pinned(
        &self,
        channel: &str,
        message_id: &str,
        pinned: bool,
    ) -> Result<(), ChatError> {
        let room = self.room(channel)?;
        let event = OwnedEventId::try_from(message_id)
            .map_err(|_| ChatError::Refused(format!("bad event id {message_id}")))?;
        let done = if pinned {
            room.pin_event(&event).await
        } else {
            room.unpin_event(&event).await
        };
        done.map(|_| ()).map_err(|e| match classify(e) {
            ChatError::Refused(why) => ChatError::Refused(format!(
                "cannot change the room's pinned events (power level for m.room.pinned_events): {why}"
            )),
            other => other,
        })
    }

    async fn delete_own(
        &self,
        channel: &str,
        _thread_id: &str,
        message_id: &str,
    ) -> Result<(), ChatError> {
        let room = self.room(channel)?;
        let event = OwnedEventId::try_from(message_id)
            .map_err(|_| ChatError::Refused(format!("bad event id {message_id}")))?;
        // No reason: a redaction must not point at whoever asked for it.
        room.redact(&event, None, None)
            .await
            .map(|_| ())
            .map_err(|e| classify(e.into()))
    }

    async fn missing_permissions(
        &self,
        channel: &str,
        needs: &Needs,
    ) -> Result<Vec<crate::engine::Missing>, ChatError> {
        use crate::engine::{Missing, PowerAction};
        use matrix_sdk::ruma::events::{MessageLikeEventType, StateEventType};
        let room = self.room(channel)?;
        let levels = room
            .power_levels()
            .await
            .map_err(|e| ChatError::Transient(format!("reading the room's power levels: {e}")))?;
        let me = &self.own_user;
        let mine = match levels.for_user(me) {
            matrix_sdk::ruma::events::room::power_levels::UserPowerLevel::Int(n) => {
                Some(i64::from(n))
            }
            _ => None, // the highest (a room creator's)
        };
        let mut out = Vec::new();
        let mut need = |action: PowerAction, level: i64| {
            out.push(Missing::PowerLevel {
                action,
                level,
                mine,
            });
        };
        if !levels.user_can_send_message(me, MessageLikeEventType::RoomMessage) {
            let level = levels
                .events
                .get(&MessageLikeEventType::RoomMessage.into())
                .map(|l| i64::from(*l))
                .unwrap_or(i64::from(levels.events_default));
            need(PowerAction::Send, level);
        }
        if !levels.user_can_redact_own_event(me) {
            need(PowerAction::RedactOwn, i64::from(levels.redact));
        }
        if needs.pin && !levels.user_can_send_state(me, StateEventType::RoomPinnedEvents) {
            let level = levels
                .events
                .get(&StateEventType::RoomPinnedEvents.into())
                .map(|l| i64::from(*l))
                .unwrap_or(i64::from(levels.state_default));
            need(PowerAction::Pin, level);
        }
        for list in &needs.ping {
            for user in ping_list(Some(list)) {
                let joined = matches!(
                    room.get_member(&user).await,
                    Ok(Some(m)) if *m.membership() == matrix_sdk::ruma::events::room::member::MembershipState::Join
                );
                if !joined {
                    out.push(Missing::NotInRoom(user.to_string()));
                }
            }
        }
        Ok(out)
    }

    async fn is_member(&self, channel: &str, user_id: &str) -> Result<bool, ChatError> {
        let room = self.room(channel)?;
        let Ok(user) = OwnedUserId::try_from(user_id) else {
            return Ok(false);
        };
        Ok(matches!(
            room.get_member(&user).await,
            Ok(Some(m)) if *m.membership() == matrix_sdk::ruma::events::room::member::MembershipState::Join
        ))
    }
}
