//! Direct messages: the bot opens a DM channel with a user (`POST /users/@me/channels`) and
//! posts in it.
//!
//! As on Discord: one DM channel per recipient (opening it again returns the same one), no
//! guild permission checks, and 50007 "Cannot send messages to this user" when the user
//! cannot be messaged: an unknown user, the bot itself or another bot (when opening the
//! channel, 400), or a user who blocks DMs or shares no guild with the bot (when posting,
//! 403). The bot's DM messages are echoed as MESSAGE_CREATE without `guild_id`, only to
//! sessions with the DIRECT_MESSAGES intent.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use serde_json::{Value, json};

use crate::emulator::Emulator;
use crate::error::DiscordError;
use crate::gateway::Dispatch;
use crate::ids::Snowflake;
use crate::model::Message;
use crate::payloads;
use crate::perms::intents;

use super::messages::{MessageDraft, nonce_key};
use super::{World, blank_message};

/// Discord's channel type for a DM.
pub(crate) const DM: u8 = 1;
const MESSAGE_TYPE_REPLY: u8 = 19;

/// The DM channels the bot has opened, and who refuses DMs.
#[derive(Debug, Default)]
pub(crate) struct Dms {
    channels: HashMap<Snowflake, DmChannel>,
    by_recipient: HashMap<Snowflake, Snowflake>,
    blocked: HashSet<Snowflake>,
}

/// A DM channel between the bot and one user.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DmChannel {
    pub(crate) id: Snowflake,
    pub(crate) recipient: Snowflake,
    pub(crate) last_message_id: Option<Snowflake>,
}

fn cannot_message(status: u16) -> DiscordError {
    DiscordError::new(status, 50007, "Cannot send messages to this user")
}

/// The DM channel object: `type: 1` and the recipient in `recipients`.
pub(crate) fn payload(world: &World, dm: &DmChannel) -> Value {
    let recipient = world.users.get(&dm.recipient).map(payloads::user);
    json!({
        "id": dm.id.to_string(),
        "type": DM,
        "last_message_id": dm.last_message_id.map(|m| m.to_string()),
        "last_pin_timestamp": Value::Null,
        "flags": 0,
        "recipients": recipient.into_iter().collect::<Vec<_>>(),
    })
}

impl World {
    /// The DM channel with this id, if it is one.
    pub(crate) fn dm(&self, id: Snowflake) -> Option<&DmChannel> {
        self.dms.channels.get(&id)
    }

    /// `POST /users/@me/channels` with `{"recipient_id"}`: the DM channel with that user,
    /// created the first time.
    pub(crate) fn open_dm(&mut self, body: &Value) -> Result<DmChannel, DiscordError> {
        let recipient = body
            .get("recipient_id")
            .and_then(payloads::parse_id)
            .ok_or_else(|| {
                DiscordError::invalid_form(
                    "recipient_id",
                    "BASE_TYPE_REQUIRED",
                    "This field is required",
                )
            })?;
        match self.users.get(&recipient) {
            Some(user) if !user.bot => {}
            _ => return Err(cannot_message(400)),
        }
        if let Some(id) = self.dms.by_recipient.get(&recipient) {
            return Ok(self.dms.channels[id].clone());
        }
        let dm = DmChannel {
            id: self.ids.next(),
            recipient,
            last_message_id: None,
        };
        self.dms.by_recipient.insert(recipient, dm.id);
        self.dms.channels.insert(dm.id, dm.clone());
        Ok(dm)
    }

    /// The bot posts in a DM channel (echoed as MESSAGE_CREATE to DIRECT_MESSAGES sessions).
    pub(crate) fn create_dm_message(
        &mut self,
        channel_id: Snowflake,
        draft: MessageDraft,
    ) -> Result<Message, DiscordError> {
        let dm = self
            .dm(channel_id)
            .cloned()
            .ok_or_else(DiscordError::unknown_channel)?;
        let shares_guild = self
            .guilds
            .values()
            .any(|g| g.members.contains_key(&dm.recipient));
        if self.dms.blocked.contains(&dm.recipient) || !shares_guild {
            return Err(cannot_message(403));
        }
        let author = self.bot_id;
        let nonce = match (&draft.nonce, draft.enforce_nonce) {
            (Some(nonce), true) => Some((channel_id, author, nonce_key(nonce))),
            _ => None,
        };
        if let Some(key) = &nonce
            && let Some((id, at)) = self.nonces.get(key)
            && at.elapsed() <= self.config.nonce_window
            && let Ok(existing) = self.message(channel_id, *id)
        {
            return Ok(existing.clone());
        }
        let reference = match draft.reference {
            Some(id) => Some(self.message(channel_id, id)?.clone()),
            None => None,
        };
        let (mentions, mention_roles, mention_everyone) =
            self.mentions(None, author, &draft, reference.as_ref());
        let attachments = self
            .resolve_attachments(
                channel_id,
                draft.attachment_specs.as_deref(),
                &draft.files,
                None,
                &draft.field,
            )?
            .unwrap_or_default();
        let id = self.ids.next();
        let message = Message {
            content: draft.content,
            kind: if reference.is_some() {
                MESSAGE_TYPE_REPLY
            } else {
                0
            },
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
            attachments,
            ..blank_message(id, channel_id, None, author)
        };
        self.store_message(message.clone());
        if let Some(dm) = self.dms.channels.get_mut(&channel_id) {
            dm.last_message_id = Some(id);
        }
        if let Some(key) = nonce {
            self.nonces.insert(key, (id, Instant::now()));
        }
        Ok(message)
    }

    /// The bot deletes its own DM message (others' give 50003, as on Discord).
    pub(crate) fn delete_dm_message(
        &mut self,
        channel_id: Snowflake,
        message_id: Snowflake,
    ) -> Result<(), DiscordError> {
        if self.message(channel_id, message_id)?.author_id != self.bot_id {
            return Err(DiscordError::new(
                403,
                50003,
                "Cannot execute action on a DM channel",
            ));
        }
        if let Some(messages) = self.messages.get_mut(&channel_id) {
            messages.remove(&message_id);
        }
        self.dispatch(Dispatch {
            event: "MESSAGE_DELETE",
            guild_id: None,
            intent: Some(intents::DIRECT_MESSAGES),
            data: json!({
                "id": message_id.to_string(),
                "channel_id": channel_id.to_string(),
            }),
            content_gated: false,
        });
        Ok(())
    }
}

impl Emulator {
    /// The DM channel the bot opened with `user` (`POST /users/@me/channels`), if any. Its
    /// messages are in [`Emulator::messages`].
    pub fn dm_channel(&self, user: Snowflake) -> Option<Snowflake> {
        self.with_world(|w| w.dms.by_recipient.get(&user).copied())
    }

    /// `user` refuses DMs from the bot (privacy settings or a block): the bot can still open
    /// the DM channel, but posting in it fails with 403 code 50007 "Cannot send messages to
    /// this user".
    pub fn block_dms(&self, user: Snowflake) {
        self.with_world(|w| w.dms.blocked.insert(user));
    }

    /// Undoes [`Emulator::block_dms`].
    pub fn unblock_dms(&self, user: Snowflake) {
        self.with_world(|w| w.dms.blocked.remove(&user));
    }
}
