//! Messages: create (with nonce de-duplication and mentions), edit, delete, list, pin.

use std::time::Instant;

use serde_json::{Value, json};

use crate::error::DiscordError;
use crate::gateway::Dispatch;
use crate::ids::{Snowflake, now_ms};
use crate::model::{Channel, EPHEMERAL, LOADING, Message, channel_kind};
use crate::payloads;
use crate::perms::{intents, permission};

use super::attachments::{UploadedFile, specs};
use super::{World, blank_message};

/// Discord's limit on message content, in characters.
const MAX_CONTENT: usize = 2000;
const MAX_EMBEDS: usize = 10;
const MESSAGE_TYPE_REPLY: u8 = 19;
/// Message flags a sender may set; the rest are Discord's to set.
const SETTABLE_FLAGS: u64 = (1 << 2) | EPHEMERAL | (1 << 12);

/// What a sender asks for; Discord's "create message" body, parsed.
#[derive(Clone, Debug, Default)]
pub(crate) struct MessageDraft {
    pub(crate) content: String,
    pub(crate) embeds: Vec<Value>,
    pub(crate) components: Vec<Value>,
    pub(crate) tts: bool,
    pub(crate) flags: u64,
    pub(crate) nonce: Option<Value>,
    pub(crate) enforce_nonce: bool,
    pub(crate) allowed_mentions: Option<Value>,
    pub(crate) reference: Option<Snowflake>,
    pub(crate) has_files_or_stickers: bool,
    /// The body's `attachments` (`None` when absent).
    pub(crate) attachment_specs: Option<Vec<Value>>,
    /// Uploaded file parts of a multipart body.
    pub(crate) files: Vec<UploadedFile>,
    /// Prefix of form-error field paths (`data.` in interaction callbacks).
    pub(crate) field: String,
}

impl MessageDraft {
    /// Parses a create-message body and the files uploaded with it; `field` prefixes form
    /// errors (e.g. `message.` in forum posts).
    pub(crate) fn from_json(
        body: &Value,
        files: &[UploadedFile],
        field: &str,
    ) -> Result<Self, DiscordError> {
        let content = match body.get("content") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                return Err(DiscordError::invalid_form(
                    &format!("{field}content"),
                    "STRING_TYPE_CONVERT",
                    "Could not interpret value as string.",
                ));
            }
        };
        let array = |key: &str| -> Vec<Value> {
            body.get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let nonce = match body.get("nonce") {
            None | Some(Value::Null) => None,
            Some(v @ (Value::String(_) | Value::Number(_))) => Some(v.clone()),
            Some(_) => {
                return Err(DiscordError::invalid_form(
                    &format!("{field}nonce"),
                    "NONCE_TYPE_INVALID",
                    "Nonce must be a string or integer.",
                ));
            }
        };
        if let Some(Value::String(s)) = &nonce
            && s.chars().count() > 25
        {
            return Err(DiscordError::invalid_form(
                &format!("{field}nonce"),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.",
            ));
        }
        let reference = body
            .get("message_reference")
            .and_then(|r| r.get("message_id"))
            .and_then(payloads::parse_id);
        let draft = Self {
            content,
            embeds: array("embeds"),
            components: array("components"),
            tts: body.get("tts").and_then(Value::as_bool).unwrap_or(false),
            flags: body.get("flags").and_then(Value::as_u64).unwrap_or(0) & SETTABLE_FLAGS,
            nonce,
            enforce_nonce: body
                .get("enforce_nonce")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            allowed_mentions: body
                .get("allowed_mentions")
                .filter(|v| !v.is_null())
                .cloned(),
            reference,
            has_files_or_stickers: !array("attachments").is_empty()
                || !files.is_empty()
                || !array("sticker_ids").is_empty(),
            attachment_specs: specs(body),
            files: files.to_vec(),
            field: field.to_owned(),
        };
        draft.validate(field)?;
        Ok(draft)
    }

    pub(crate) fn validate(&self, field: &str) -> Result<(), DiscordError> {
        if self.content.chars().count() > MAX_CONTENT {
            return Err(DiscordError::invalid_form(
                &format!("{field}content"),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 2000 or fewer in length.",
            ));
        }
        if self.embeds.len() > MAX_EMBEDS {
            return Err(DiscordError::invalid_form(
                &format!("{field}embeds"),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 10 or fewer in length.",
            ));
        }
        super::components::validate(&self.components, &format!("{field}components"))?;
        if self.content.trim().is_empty()
            && self.embeds.is_empty()
            && self.components.is_empty()
            && !self.has_files_or_stickers
        {
            return Err(DiscordError::empty_message());
        }
        Ok(())
    }
}

/// Who is posting and how.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Origin {
    pub(crate) author: Snowflake,
    /// Discord message type to store (0 default, 20 slash-command response, ...).
    pub(crate) kind: u8,
    /// Interaction responses: no permission checks, `webhook_id` set.
    pub(crate) interaction: Option<Snowflake>,
    /// Check the bot's channel permissions (REST calls by the bot).
    pub(crate) check_bot_permissions: bool,
}

impl Origin {
    pub(crate) fn bot_rest(bot: Snowflake) -> Self {
        Self {
            author: bot,
            kind: 0,
            interaction: None,
            check_bot_permissions: true,
        }
    }

    pub(crate) fn member(user: Snowflake) -> Self {
        Self {
            author: user,
            kind: 0,
            interaction: None,
            check_bot_permissions: false,
        }
    }
}

/// `before` / `after` / `around` / `limit` of "get channel messages".
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Pagination {
    pub(crate) before: Option<Snowflake>,
    pub(crate) after: Option<Snowflake>,
    pub(crate) around: Option<Snowflake>,
    pub(crate) limit: Option<usize>,
}

impl World {
    /// Creates a message and echoes it as MESSAGE_CREATE (ephemeral ones are not dispatched).
    pub(crate) fn create_message(
        &mut self,
        channel_id: Snowflake,
        origin: Origin,
        draft: MessageDraft,
    ) -> Result<Message, DiscordError> {
        self.create_message_with_id(channel_id, origin, draft, None)
    }

    /// Like [`World::create_message`], with a fixed id (a forum post's starter message
    /// carries the thread's id).
    pub(crate) fn create_message_with_id(
        &mut self,
        channel_id: Snowflake,
        origin: Origin,
        draft: MessageDraft,
        fixed_id: Option<Snowflake>,
    ) -> Result<Message, DiscordError> {
        let channel = self.channel(channel_id)?.clone();
        if origin.check_bot_permissions {
            let needed = if channel.is_thread() {
                permission::SEND_MESSAGES_IN_THREADS
            } else {
                permission::SEND_MESSAGES
            };
            self.require_bot(&channel, needed)?;
        }
        if channel.kind == channel_kind::FORUM {
            return Err(DiscordError::new(
                400,
                50008,
                "Cannot send messages in a non-text channel",
            ));
        }
        self.unarchive_for_message(&channel, origin.author)?;

        let nonce_key = match (&draft.nonce, draft.enforce_nonce) {
            (Some(nonce), true) => Some((channel_id, origin.author, nonce_key(nonce))),
            _ => None,
        };
        if let Some(key) = &nonce_key {
            let window = self.config.nonce_window;
            if let Some((id, at)) = self.nonces.get(key)
                && at.elapsed() <= window
                && let Ok(existing) = self.message(channel_id, *id)
            {
                return Ok(existing.clone());
            }
        }

        let reference = match draft.reference {
            Some(id) => Some(self.message(channel_id, id)?.clone()),
            None => None,
        };
        let attachments = self
            .resolve_attachments(
                channel_id,
                draft.attachment_specs.as_deref(),
                &draft.files,
                None,
                &draft.field,
            )?
            .unwrap_or_default();
        let id = fixed_id.unwrap_or_else(|| self.ids.next());
        let (mentions, mention_roles, mention_everyone) =
            self.mentions(Some(&channel), origin.author, &draft, reference.as_ref());
        let kind = if origin.kind == 0 && reference.is_some() {
            MESSAGE_TYPE_REPLY
        } else {
            origin.kind
        };
        let message = Message {
            content: draft.content,
            kind,
            flags: draft.flags,
            nonce: draft.nonce,
            tts: draft.tts,
            embeds: draft
                .embeds
                .into_iter()
                .map(payloads::normalize_embed)
                .collect(),
            components: draft.components,
            allowed_mentions: draft.allowed_mentions,
            mentions,
            mention_roles,
            mention_everyone,
            reference: draft.reference,
            interaction_id: origin.interaction,
            webhook_id: origin.interaction.map(|_| self.app_id),
            attachments,
            ..blank_message(id, channel_id, Some(channel.guild_id), origin.author)
        };
        self.store_message(message.clone());
        if let Some(key) = nonce_key {
            self.nonces.insert(key, (id, Instant::now()));
        }
        Ok(message)
    }

    /// Stores a new message, bumps the channel's counters and dispatches MESSAGE_CREATE.
    pub(crate) fn store_message(&mut self, message: Message) {
        if let Some(channel) = self.channels.get_mut(&message.channel_id)
            && !message.is_ephemeral()
        {
            channel.last_message_id = Some(message.id);
            if channel.is_thread() && message.id != channel.id {
                channel.message_count += 1;
            }
        }
        self.messages
            .entry(message.channel_id)
            .or_default()
            .insert(message.id, message.clone());
        if !message.is_ephemeral() {
            self.dispatch_message("MESSAGE_CREATE", &message);
        }
    }

    /// Sends MESSAGE_CREATE or MESSAGE_UPDATE for a message (DMs: to DIRECT_MESSAGES
    /// sessions, with their content, as Discord does without MESSAGE_CONTENT).
    pub(crate) fn dispatch_message(&mut self, event: &'static str, message: &Message) {
        let gated = message.author_id != self.bot_id
            && !message.mentions.contains(&self.bot_id)
            && message.guild_id.is_some();
        let intent = match message.guild_id {
            Some(_) => intents::GUILD_MESSAGES,
            None => intents::DIRECT_MESSAGES,
        };
        let data = payloads::message(self, message);
        self.dispatch(Dispatch {
            event,
            guild_id: message.guild_id,
            intent: Some(intent),
            data,
            content_gated: gated,
        });
    }

    /// Posting in an archived thread unarchives it, unless it is locked; a locked thread takes
    /// messages only from members with MANAGE_THREADS.
    fn unarchive_for_message(
        &mut self,
        channel: &Channel,
        author: Snowflake,
    ) -> Result<(), DiscordError> {
        let Some(meta) = &channel.thread else {
            return Ok(());
        };
        let moderator = self.permissions_in(channel, author) & permission::MANAGE_THREADS != 0;
        if meta.locked && !moderator {
            return Err(if meta.archived {
                DiscordError::archived_thread()
            } else {
                DiscordError::new(400, 160005, "Thread is locked")
            });
        }
        if !meta.archived {
            return Ok(());
        }
        let thread = self.channel_mut(channel.id)?;
        if let Some(meta) = thread.thread.as_mut() {
            meta.archived = false;
            meta.archive_timestamp_ms = now_ms();
        }
        let thread = thread.clone();
        self.dispatch_channel("THREAD_UPDATE", &thread);
        Ok(())
    }

    /// Who a message by `author` pings, after `allowed_mentions` (absent means "everything
    /// parses"); `channel` is `None` in DMs.
    pub(super) fn mentions(
        &self,
        channel: Option<&Channel>,
        author: Snowflake,
        draft: &MessageDraft,
        reference: Option<&Message>,
    ) -> (Vec<Snowflake>, Vec<Snowflake>, bool) {
        let allowed = draft.allowed_mentions.as_ref();
        let parses = |kind: &str| {
            allowed.is_none_or(|a| {
                a.get("parse")
                    .and_then(Value::as_array)
                    .is_some_and(|p| p.iter().any(|v| v == kind))
            })
        };
        let listed = |key: &str, id: Snowflake| {
            allowed.is_some_and(|a| {
                a.get(key)
                    .and_then(Value::as_array)
                    .is_some_and(|l| l.iter().any(|v| payloads::parse_id(v) == Some(id)))
            })
        };
        let guild = channel.and_then(|c| self.guilds.get(&c.guild_id));
        let mut users = Vec::new();
        let mut roles = Vec::new();
        for token in mention_tokens(&draft.content) {
            match token {
                MentionToken::User(id) => {
                    if self.users.contains_key(&id)
                        && (parses("users") || listed("users", id))
                        && !users.contains(&id)
                    {
                        users.push(id);
                    }
                }
                MentionToken::Role(id) => {
                    let allowed = parses("roles") || listed("roles", id);
                    if allowed
                        && !roles.contains(&id)
                        && let (Some(guild), Some(channel)) = (guild, channel)
                        && self.can_mention_role(guild, channel, author, id)
                    {
                        roles.push(id);
                    }
                }
            }
        }
        if let Some(replied) = reference {
            let ping_reply = allowed.is_none_or(|a| {
                a.get("replied_user")
                    .and_then(Value::as_bool)
                    .unwrap_or(false)
            });
            if ping_reply && !users.contains(&replied.author_id) {
                users.push(replied.author_id);
            }
        }
        let everyone = (draft.content.contains("@everyone") || draft.content.contains("@here"))
            && parses("everyone");
        (users, roles, everyone)
    }

    /// Edits content/embeds/components/attachments of a message (`files` are the files
    /// uploaded with the edit); only its author may.
    pub(crate) fn edit_message(
        &mut self,
        channel_id: Snowflake,
        message_id: Snowflake,
        editor: Snowflake,
        patch: &Value,
        files: &[UploadedFile],
    ) -> Result<Message, DiscordError> {
        let bot = self.bot_id;
        let message = self.message(channel_id, message_id)?;
        // Interaction responses are edited through their webhook by the application.
        if message.author_id != editor && !(editor == bot && message.webhook_id.is_some()) {
            return Err(DiscordError::not_author());
        }
        let mut edited = message.clone();
        if let Some(content) = patch.get("content") {
            edited.content = content.as_str().unwrap_or_default().to_owned();
        }
        if let Some(embeds) = patch.get("embeds") {
            edited.embeds = embeds
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(payloads::normalize_embed)
                .collect();
        }
        if let Some(components) = patch.get("components") {
            edited.components = components.as_array().cloned().unwrap_or_default();
        }
        if let Some(allowed) = patch.get("allowed_mentions").filter(|v| !v.is_null()) {
            edited.allowed_mentions = Some(allowed.clone());
        }
        if let Some(attachments) = self.resolve_attachments(
            channel_id,
            specs(patch).as_deref(),
            files,
            Some(&edited.attachments),
            "",
        )? {
            edited.attachments = attachments;
        }
        let draft = MessageDraft {
            content: edited.content.clone(),
            embeds: edited.embeds.clone(),
            components: edited.components.clone(),
            has_files_or_stickers: !edited.attachments.is_empty(),
            ..MessageDraft::default()
        };
        draft.validate("")?;
        let channel = self.channels.get(&channel_id).cloned();
        let reference = match edited.reference {
            Some(id) => self.message(channel_id, id).ok().cloned(),
            None => None,
        };
        let draft = MessageDraft {
            allowed_mentions: edited.allowed_mentions.clone(),
            ..draft
        };
        (
            edited.mentions,
            edited.mention_roles,
            edited.mention_everyone,
        ) = self.mentions(
            channel.as_ref(),
            edited.author_id,
            &draft,
            reference.as_ref(),
        );
        edited.flags &= !LOADING;
        edited.edited_at_ms = Some(now_ms());
        self.messages
            .entry(channel_id)
            .or_default()
            .insert(message_id, edited.clone());
        if !edited.is_ephemeral() {
            self.dispatch_message("MESSAGE_UPDATE", &edited);
        }
        Ok(edited)
    }

    /// Deletes a message. The bot needs MANAGE_MESSAGES for other people's messages.
    pub(crate) fn delete_message(
        &mut self,
        channel_id: Snowflake,
        message_id: Snowflake,
        by: Snowflake,
    ) -> Result<(), DiscordError> {
        let channel = self.channel(channel_id)?.clone();
        let message = self.message(channel_id, message_id)?;
        let own = message.author_id == by || (by == self.bot_id && message.webhook_id.is_some());
        if by == self.bot_id && !own {
            self.require_bot(&channel, permission::MANAGE_MESSAGES)?;
        }
        let ephemeral = message.is_ephemeral();
        if let Some(messages) = self.messages.get_mut(&channel_id) {
            messages.remove(&message_id);
        }
        if !ephemeral {
            self.dispatch(Dispatch {
                event: "MESSAGE_DELETE",
                guild_id: Some(channel.guild_id),
                intent: Some(intents::GUILD_MESSAGES),
                data: json!({
                    "id": message_id.to_string(),
                    "channel_id": channel_id.to_string(),
                    "guild_id": channel.guild_id.to_string(),
                }),
                content_gated: false,
            });
        }
        Ok(())
    }

    /// Deletes several messages at once (MESSAGE_DELETE_BULK). Unknown ids are skipped.
    pub(crate) fn bulk_delete(
        &mut self,
        channel_id: Snowflake,
        ids: &[Snowflake],
        by: Snowflake,
    ) -> Result<Vec<Snowflake>, DiscordError> {
        let channel = self.channel(channel_id)?.clone();
        if by == self.bot_id {
            self.require_bot(&channel, permission::MANAGE_MESSAGES)?;
        }
        let two_weeks_ago = now_ms().saturating_sub(14 * 24 * 3600 * 1000);
        if ids
            .iter()
            .any(|id| crate::ids::timestamp_ms(*id) < two_weeks_ago)
        {
            return Err(DiscordError::new(
                400,
                50034,
                "You can only bulk delete messages that are under 14 days old.",
            ));
        }
        let messages = self.messages.entry(channel_id).or_default();
        let deleted: Vec<Snowflake> = ids
            .iter()
            .copied()
            .filter(|id| messages.remove(id).is_some())
            .collect();
        if !deleted.is_empty() {
            self.dispatch(Dispatch {
                event: "MESSAGE_DELETE_BULK",
                guild_id: Some(channel.guild_id),
                intent: Some(intents::GUILD_MESSAGES),
                data: json!({
                    "ids": deleted.iter().map(|id| id.to_string()).collect::<Vec<_>>(),
                    "channel_id": channel_id.to_string(),
                    "guild_id": channel.guild_id.to_string(),
                }),
                content_gated: false,
            });
        }
        Ok(deleted)
    }

    /// Messages newest first, like Discord: `after` gives the oldest `limit` messages after
    /// the id, `before` the newest ones before it, neither the newest in the channel.
    pub(crate) fn list_messages(
        &self,
        channel_id: Snowflake,
        page: Pagination,
    ) -> Result<Vec<&Message>, DiscordError> {
        if self.dm(channel_id).is_none() {
            let channel = self.channel(channel_id)?;
            self.require_bot(channel, 0)?;
            if self.permissions_in(channel, self.bot_id) & permission::READ_MESSAGE_HISTORY == 0 {
                return Ok(Vec::new());
            }
        }
        let limit = page.limit.unwrap_or(50).clamp(1, 100);
        let Some(all) = self.messages.get(&channel_id) else {
            return Ok(Vec::new());
        };
        let visible = |m: &&Message| !m.is_ephemeral();
        let mut out: Vec<&Message> = if let Some(after) = page.after {
            let mut v: Vec<_> = all
                .range(after + 1..)
                .map(|(_, m)| m)
                .filter(visible)
                .take(limit)
                .collect();
            v.reverse();
            v
        } else if let Some(around) = page.around {
            let newer = all
                .range(around..)
                .map(|(_, m)| m)
                .filter(visible)
                .take(limit.div_ceil(2));
            let older: Vec<_> = all
                .range(..around)
                .rev()
                .map(|(_, m)| m)
                .filter(visible)
                .take(limit / 2)
                .collect();
            let mut v: Vec<_> = newer.collect();
            v.reverse();
            v.extend(older);
            v
        } else {
            let end = page.before.unwrap_or(u64::MAX);
            all.range(..end)
                .rev()
                .map(|(_, m)| m)
                .filter(visible)
                .take(limit)
                .collect()
        };
        out.truncate(limit);
        Ok(out)
    }
}

pub(super) fn nonce_key(nonce: &Value) -> String {
    match nonce {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[derive(Debug, PartialEq)]
enum MentionToken {
    User(Snowflake),
    Role(Snowflake),
}

/// `<@id>`, `<@!id>` and `<@&id>` in message content, in order.
fn mention_tokens(content: &str) -> Vec<MentionToken> {
    let mut out = Vec::new();
    let mut rest = content;
    while let Some(start) = rest.find("<@") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('>') else { break };
        let inner = &rest[..end];
        let token = if let Some(id) = inner.strip_prefix('&') {
            id.parse().ok().map(MentionToken::Role)
        } else {
            inner
                .strip_prefix('!')
                .unwrap_or(inner)
                .parse()
                .ok()
                .map(MentionToken::User)
        };
        if let Some(token) = token {
            out.push(token);
            rest = &rest[end + 1..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mention_tokens_are_found_in_order() {
        assert_eq!(
            mention_tokens("hi <@1> and <@!2>, <@&3> <@x> <@4"),
            vec![
                MentionToken::User(1),
                MentionToken::User(2),
                MentionToken::Role(3)
            ]
        );
    }

    #[test]
    fn drafts_reject_empty_and_overlong_content() {
        assert_eq!(
            MessageDraft::from_json(&json!({"content": "  "}), &[], "")
                .unwrap_err()
                .code,
            50006
        );
        let long = "x".repeat(2001);
        assert_eq!(
            MessageDraft::from_json(&json!({ "content": long }), &[], "")
                .unwrap_err()
                .code,
            50035
        );
        let ok = MessageDraft::from_json(
            &json!({"content": "hi", "nonce": "n1", "enforce_nonce": true, "flags": 64}),
            &[],
            "",
        )
        .unwrap();
        assert!(ok.enforce_nonce);
        assert_eq!(ok.flags, EPHEMERAL);
    }
}
