//! Threads and channel changes: start a thread on a message, forum posts, archive/lock,
//! delete.

use serde_json::{Value, json};

use crate::error::DiscordError;
use crate::gateway::Dispatch;
use crate::ids::{Snowflake, now_ms};
use crate::model::{Channel, Message, REQUIRE_TAG, ThreadMeta, channel_kind};
use crate::payloads;
use crate::perms::{intents, permission};

use super::messages::{MessageDraft, Origin};
use super::{World, blank_channel};

const ARCHIVE_DURATIONS: [u32; 4] = [60, 1440, 4320, 10080];
const MAX_APPLIED_TAGS: usize = 5;

/// Changes to a channel or thread ("modify channel" body, parsed).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ThreadPatch {
    pub(crate) name: Option<String>,
    pub(crate) topic: Option<String>,
    pub(crate) archived: Option<bool>,
    pub(crate) locked: Option<bool>,
    pub(crate) auto_archive_duration: Option<u32>,
    pub(crate) applied_tags: Option<Vec<Snowflake>>,
    pub(crate) rate_limit_per_user: Option<u32>,
}

impl ThreadPatch {
    pub(crate) fn from_json(body: &Value) -> Result<Self, DiscordError> {
        let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
        let flag = |k: &str| body.get(k).and_then(Value::as_bool);
        let number = |k: &str| body.get(k).and_then(Value::as_u64).map(|n| n as u32);
        let patch = Self {
            name: text("name"),
            topic: text("topic"),
            archived: flag("archived"),
            locked: flag("locked"),
            auto_archive_duration: number("auto_archive_duration"),
            applied_tags: body
                .get("applied_tags")
                .and_then(Value::as_array)
                .map(|tags| tags.iter().filter_map(payloads::parse_id).collect()),
            rate_limit_per_user: number("rate_limit_per_user"),
        };
        if let Some(name) = &patch.name {
            validate_name(name, "name")?;
        }
        if let Some(d) = patch.auto_archive_duration {
            validate_archive_duration(d)?;
        }
        Ok(patch)
    }
}

fn validate_name(name: &str, field: &str) -> Result<(), DiscordError> {
    let len = name.trim().chars().count();
    if len == 0 || len > 100 {
        return Err(DiscordError::invalid_form(
            field,
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.",
        ));
    }
    Ok(())
}

fn validate_archive_duration(minutes: u32) -> Result<(), DiscordError> {
    if ARCHIVE_DURATIONS.contains(&minutes) {
        Ok(())
    } else {
        Err(DiscordError::invalid_form(
            "auto_archive_duration",
            "BASE_TYPE_CHOICES",
            &format!("Value must be one of {ARCHIVE_DURATIONS:?}."),
        ))
    }
}

impl World {
    fn new_thread(
        &self,
        id: Snowflake,
        parent: &Channel,
        kind: u8,
        name: &str,
        body: &Value,
    ) -> Result<Channel, DiscordError> {
        validate_name(name, "name")?;
        let duration = match body.get("auto_archive_duration").and_then(Value::as_u64) {
            Some(d) => {
                validate_archive_duration(d as u32)?;
                d as u32
            }
            None => 4320,
        };
        let now = now_ms();
        Ok(Channel {
            parent_id: Some(parent.id),
            owner_id: Some(self.bot_id),
            rate_limit_per_user: body
                .get("rate_limit_per_user")
                .and_then(Value::as_u64)
                .unwrap_or(0) as u32,
            thread: Some(ThreadMeta {
                archived: false,
                locked: false,
                auto_archive_duration: duration,
                archive_timestamp_ms: now,
                create_timestamp_ms: now,
            }),
            ..blank_channel(id, parent.guild_id, kind, name.trim(), 0)
        })
    }

    /// Starts a public thread on a message; the thread's id is the message's id.
    pub(crate) fn thread_from_message(
        &mut self,
        channel_id: Snowflake,
        message_id: Snowflake,
        body: &Value,
    ) -> Result<Channel, DiscordError> {
        let parent = self.channel(channel_id)?.clone();
        self.require_bot(&parent, permission::CREATE_PUBLIC_THREADS)?;
        if parent.kind != channel_kind::TEXT {
            return Err(DiscordError::new(
                400,
                50024,
                "Cannot execute action on this channel type",
            ));
        }
        self.message(channel_id, message_id)?;
        if self.channels.contains_key(&message_id) {
            return Err(DiscordError::thread_exists());
        }
        let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
        let thread =
            self.new_thread(message_id, &parent, channel_kind::PUBLIC_THREAD, name, body)?;
        self.insert_channel(thread.clone());
        self.dispatch_thread_create(&thread);
        Ok(thread)
    }

    /// `POST /channels/{id}/threads`: a forum post (thread plus starter message whose id is the
    /// thread's, with the uploaded `files`) or, in a text channel, a thread without a message.
    pub(crate) fn create_thread(
        &mut self,
        channel_id: Snowflake,
        body: &Value,
        files: &[super::UploadedFile],
    ) -> Result<(Channel, Option<Message>), DiscordError> {
        let parent = self.channel(channel_id)?.clone();
        let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
        if parent.is_forum() {
            self.require_bot(&parent, permission::SEND_MESSAGES)?;
            let tags: Vec<Snowflake> = body
                .get("applied_tags")
                .and_then(Value::as_array)
                .map(|t| t.iter().filter_map(payloads::parse_id).collect())
                .unwrap_or_default();
            self.check_tags(&parent, &tags)?;
            let draft = MessageDraft::from_json(
                body.get("message").unwrap_or(&Value::Null),
                files,
                "message.",
            )?;
            let id = self.ids.next();
            let thread = Channel {
                applied_tags: tags,
                ..self.new_thread(id, &parent, channel_kind::PUBLIC_THREAD, name, body)?
            };
            self.insert_channel(thread.clone());
            self.dispatch_thread_create(&thread);
            let origin = Origin {
                check_bot_permissions: false,
                ..Origin::bot_rest(self.bot_id)
            };
            let starter = self.create_message_with_id(id, origin, draft, Some(id))?;
            let thread = self.channel(id)?.clone();
            return Ok((thread, Some(starter)));
        }
        if parent.kind != channel_kind::TEXT {
            return Err(DiscordError::new(
                400,
                50024,
                "Cannot execute action on this channel type",
            ));
        }
        let kind = body
            .get("type")
            .and_then(Value::as_u64)
            .map_or(channel_kind::PRIVATE_THREAD, |k| k as u8);
        let needed = match kind {
            channel_kind::PUBLIC_THREAD => permission::CREATE_PUBLIC_THREADS,
            channel_kind::PRIVATE_THREAD => permission::CREATE_PRIVATE_THREADS,
            _ => {
                return Err(DiscordError::invalid_form(
                    "type",
                    "BASE_TYPE_CHOICES",
                    "Value must be one of {11, 12}.",
                ));
            }
        };
        self.require_bot(&parent, needed)?;
        let id = self.ids.next();
        let thread = self.new_thread(id, &parent, kind, name, body)?;
        self.insert_channel(thread.clone());
        self.dispatch_thread_create(&thread);
        Ok((thread, None))
    }

    fn check_tags(&self, forum: &Channel, tags: &[Snowflake]) -> Result<(), DiscordError> {
        if tags.is_empty() && forum.flags & REQUIRE_TAG != 0 {
            return Err(DiscordError::tag_required());
        }
        if tags.len() > MAX_APPLIED_TAGS {
            return Err(DiscordError::invalid_form(
                "applied_tags",
                "BASE_TYPE_MAX_LENGTH",
                "Must be 5 or fewer in length.",
            ));
        }
        let moderator = self.permissions_in(forum, self.bot_id) & permission::MANAGE_THREADS != 0;
        for tag in tags {
            match forum.available_tags.iter().find(|t| t.id == *tag) {
                None => {
                    return Err(DiscordError::invalid_form(
                        "applied_tags",
                        "INVALID_TAG",
                        &format!("Tag {tag} is not available in this channel."),
                    ));
                }
                Some(t) if t.moderated && !moderator => {
                    return Err(DiscordError::missing_permissions());
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Modifies a channel or thread on behalf of `by` (THREAD_UPDATE / CHANNEL_UPDATE).
    pub(crate) fn patch_channel(
        &mut self,
        channel_id: Snowflake,
        patch: &ThreadPatch,
        by: Snowflake,
    ) -> Result<Channel, DiscordError> {
        let current = self.channel(channel_id)?.clone();
        let perms = self.permissions_in(&current, by);
        if by == self.bot_id {
            self.require_bot(&current, 0)?;
        }
        let moderator = perms & permission::MANAGE_THREADS != 0;
        let mut updated = current.clone();
        if let Some(meta) = updated.thread.as_mut() {
            let owner = current.owner_id == Some(by);
            let locks_change = patch.locked.is_some_and(|l| l != meta.locked);
            let unarchives_locked = patch.archived == Some(false) && meta.locked;
            let others = patch.name.is_some() || patch.applied_tags.is_some();
            if (locks_change
                || unarchives_locked
                || (!owner && (patch.archived.is_some() || others)))
                && !moderator
            {
                return Err(DiscordError::missing_permissions());
            }
            if let Some(archived) = patch.archived
                && archived != meta.archived
            {
                meta.archived = archived;
                meta.archive_timestamp_ms = now_ms();
            }
            if let Some(locked) = patch.locked {
                meta.locked = locked;
            }
            if let Some(d) = patch.auto_archive_duration {
                meta.auto_archive_duration = d;
            }
            if let Some(tags) = &patch.applied_tags {
                if let Some(forum) = current.parent_id.and_then(|p| self.channels.get(&p))
                    && forum.is_forum()
                {
                    self.check_tags(forum, tags)?;
                }
                updated.applied_tags = tags.clone();
            }
        } else if perms & permission::MANAGE_CHANNELS == 0 {
            return Err(DiscordError::missing_permissions());
        } else {
            updated.topic = patch.topic.clone().or(updated.topic);
        }
        if let Some(name) = &patch.name {
            updated.name = name.trim().to_owned();
        }
        if let Some(rate) = patch.rate_limit_per_user {
            updated.rate_limit_per_user = rate;
        }
        self.channels.insert(channel_id, updated.clone());
        let event = if updated.is_thread() {
            "THREAD_UPDATE"
        } else {
            "CHANNEL_UPDATE"
        };
        self.dispatch_channel(event, &updated);
        Ok(updated)
    }

    /// Deletes a channel or thread, its messages and (for a channel) its threads.
    pub(crate) fn delete_channel(
        &mut self,
        channel_id: Snowflake,
    ) -> Result<Channel, DiscordError> {
        let channel = self
            .channels
            .remove(&channel_id)
            .ok_or_else(DiscordError::unknown_channel)?;
        self.messages.remove(&channel_id);
        let children: Vec<Snowflake> = self
            .channels
            .values()
            .filter(|c| c.parent_id == Some(channel_id))
            .map(|c| c.id)
            .collect();
        for child in &children {
            self.channels.remove(child);
            self.messages.remove(child);
        }
        if let Some(guild) = self.guilds.get_mut(&channel.guild_id) {
            guild
                .channels
                .retain(|id| *id != channel_id && !children.contains(id));
        }
        if channel.is_thread() {
            self.dispatch(Dispatch {
                event: "THREAD_DELETE",
                guild_id: Some(channel.guild_id),
                intent: Some(intents::GUILDS),
                data: json!({
                    "id": channel.id.to_string(),
                    "guild_id": channel.guild_id.to_string(),
                    "parent_id": channel.parent_id.map(|p| p.to_string()),
                    "type": channel.kind,
                }),
                content_gated: false,
            });
        } else {
            self.dispatch_channel("CHANNEL_DELETE", &channel);
        }
        Ok(channel)
    }

    fn dispatch_thread_create(&mut self, thread: &Channel) {
        let mut data = payloads::channel(self, thread);
        data["newly_created"] = json!(true);
        data["member"] = json!({
            "id": thread.id.to_string(),
            "user_id": self.bot_id.to_string(),
            "join_timestamp": crate::ids::iso8601(now_ms()),
            "flags": 0,
        });
        self.dispatch(Dispatch {
            event: "THREAD_CREATE",
            guild_id: Some(thread.guild_id),
            intent: Some(intents::GUILDS),
            data,
            content_gated: false,
        });
    }

    /// Sends a channel-shaped event (THREAD_UPDATE, CHANNEL_UPDATE, CHANNEL_DELETE).
    pub(crate) fn dispatch_channel(&mut self, event: &'static str, channel: &Channel) {
        self.dispatch(Dispatch {
            event,
            guild_id: Some(channel.guild_id),
            intent: Some(intents::GUILDS),
            data: payloads::channel(self, channel),
            content_gated: false,
        });
    }
}
