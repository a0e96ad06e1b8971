//! What members do, driven by tests: post, edit and delete messages, run slash commands,
//! submit modals, archive or lock threads. Each dispatches the event Discord would send.

use serde_json::{Value, json};

use crate::emulator::Emulator;
use crate::ids::Snowflake;
use crate::interaction::InteractionHandle;
use crate::model::{Channel, Message};
use crate::world::interactions::InteractionRequest;
use crate::world::{MessageDraft, Origin, ThreadPatch};

/// A message a member posts; `NewMessage::text("hi").reply_to(id)`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewMessage {
    pub content: String,
    /// Reply to this message (same channel).
    pub reply_to: Option<Snowflake>,
    pub embeds: Vec<Value>,
}

impl NewMessage {
    pub fn text(content: impl Into<String>) -> Self {
        Self {
            content: content.into(),
            ..Self::default()
        }
    }

    pub fn reply_to(mut self, message: Snowflake) -> Self {
        self.reply_to = Some(message);
        self
    }
}

impl Emulator {
    /// `author` posts `content` in a channel or thread; the bot gets MESSAGE_CREATE.
    pub fn send_message(
        &self,
        channel: Snowflake,
        author: Snowflake,
        content: &str,
    ) -> anyhow::Result<Message> {
        self.post_message(channel, author, NewMessage::text(content))
    }

    /// Like [`Emulator::send_message`], with replies and embeds.
    pub fn post_message(
        &self,
        channel: Snowflake,
        author: Snowflake,
        message: NewMessage,
    ) -> anyhow::Result<Message> {
        let draft = MessageDraft {
            content: message.content,
            embeds: message.embeds,
            reference: message.reply_to,
            ..MessageDraft::default()
        };
        draft.validate("")?;
        Ok(self.with_world(|w| {
            let guild = w.channel(channel)?.guild_id;
            w.member(guild, author)?;
            w.create_message(channel, Origin::member(author), draft)
        })?)
    }

    /// The author edits a message; the bot gets MESSAGE_UPDATE.
    pub fn edit_message(
        &self,
        channel: Snowflake,
        message: Snowflake,
        content: &str,
    ) -> anyhow::Result<Message> {
        Ok(self.with_world(|w| {
            let author = w.message(channel, message)?.author_id;
            w.edit_message(
                channel,
                message,
                author,
                &json!({ "content": content }),
                &[],
            )
        })?)
    }

    /// A message disappears (its author or a moderator deleted it); the bot gets
    /// MESSAGE_DELETE.
    pub fn delete_message(&self, channel: Snowflake, message: Snowflake) -> anyhow::Result<()> {
        Ok(self.with_world(|w| {
            let author = w.message(channel, message)?.author_id;
            w.delete_message(channel, message, author)
        })?)
    }

    /// A moderator bulk-deletes messages; the bot gets MESSAGE_DELETE_BULK.
    pub fn bulk_delete(
        &self,
        channel: Snowflake,
        messages: &[Snowflake],
    ) -> anyhow::Result<Vec<Snowflake>> {
        Ok(self.with_world(|w| {
            let moderator = w.channel(channel).map(|c| c.guild_id)?;
            let owner = w.guild(moderator)?.owner_id;
            w.bulk_delete(channel, messages, owner)
        })?)
    }

    /// A moderator (the guild owner) archives/unarchives or locks/unlocks a thread; the bot
    /// gets THREAD_UPDATE.
    pub fn update_thread(
        &self,
        thread: Snowflake,
        archived: Option<bool>,
        locked: Option<bool>,
    ) -> anyhow::Result<Channel> {
        let patch = ThreadPatch {
            archived,
            locked,
            ..ThreadPatch::default()
        };
        Ok(self.with_world(|w| {
            let owner = w.guild(w.channel(thread)?.guild_id)?.owner_id;
            w.patch_channel(thread, &patch, owner)
        })?)
    }

    /// Adds a new user to a guild with the given roles; returns the user id.
    pub fn add_member(
        &self,
        guild: Snowflake,
        name: &str,
        roles: &[Snowflake],
    ) -> anyhow::Result<Snowflake> {
        Ok(self.with_world(|w| {
            w.guild(guild)?;
            let user = w.new_user(name);
            w.add_member(guild, user, roles.to_vec()).map(|()| user)
        })?)
    }

    /// `user` runs a slash command in `channel`; the bot gets INTERACTION_CREATE (type 2).
    ///
    /// `name` may include subcommands (`"ponder next"`). `options` is either an object
    /// `{"topic": "tea"}` (types come from the registered command; user/channel/role
    /// options get `resolved` data) or Discord's raw option array. The command must have
    /// been registered by the bot, globally or in the channel's guild.
    pub fn run_slash_command(
        &self,
        user: Snowflake,
        channel: Snowflake,
        name: &str,
        options: Value,
    ) -> anyhow::Result<InteractionHandle> {
        let request = InteractionRequest::Command {
            name,
            options: &options,
            focused: None,
        };
        self.start_interaction(user, channel, request)
    }

    /// `user` types in option `focused` of a slash command; the bot gets an autocomplete
    /// interaction (type 4) and answers with callback type 8 (see
    /// [`InteractionResponse::choices`](crate::InteractionResponse::choices)).
    pub fn run_autocomplete(
        &self,
        user: Snowflake,
        channel: Snowflake,
        name: &str,
        options: Value,
        focused: &str,
    ) -> anyhow::Result<InteractionHandle> {
        let request = InteractionRequest::Command {
            name,
            options: &options,
            focused: Some(focused),
        };
        self.start_interaction(user, channel, request)
    }

    /// `user` submits a modal (interaction type 5) with `(input custom_id, value)` pairs.
    /// [`InteractionHandle::submit_modal`] fills in the custom id of the bot's modal.
    pub fn submit_modal(
        &self,
        user: Snowflake,
        channel: Snowflake,
        custom_id: &str,
        values: &[(&str, &str)],
    ) -> anyhow::Result<InteractionHandle> {
        self.submit_modal_on(user, channel, custom_id, values, None)
    }

    /// A modal submit; `message` is the message whose component opened the modal.
    pub(crate) fn submit_modal_on(
        &self,
        user: Snowflake,
        channel: Snowflake,
        custom_id: &str,
        values: &[(&str, &str)],
        message: Option<Snowflake>,
    ) -> anyhow::Result<InteractionHandle> {
        let request = InteractionRequest::ModalSubmit {
            custom_id,
            values,
            message,
        };
        self.start_interaction(user, channel, request)
    }

    /// `user` clicks the button with `custom_id` on a message; the bot gets INTERACTION_CREATE
    /// type 3 (MESSAGE_COMPONENT) with `data: {custom_id, component_type: 2}` and the message.
    /// It may answer 4 or 5 (a new reply), 6 (acknowledge; `@original` then edits the clicked
    /// message), 7 (edit the clicked message now) or 9 (a modal: see
    /// [`InteractionHandle::submit_modal_and_wait`]).
    ///
    /// Fails if the message has no such enabled button, or is ephemeral and was shown to
    /// another user (only the user who ran its interaction can click it).
    pub fn click_button(
        &self,
        user: Snowflake,
        channel: Snowflake,
        message: Snowflake,
        custom_id: &str,
    ) -> anyhow::Result<InteractionHandle> {
        let (id, token) = self.with_world(|w| w.click_button(user, channel, message, custom_id))?;
        Ok(InteractionHandle {
            emulator: self.clone(),
            id,
            token,
            user,
            channel,
        })
    }

    fn start_interaction(
        &self,
        user: Snowflake,
        channel: Snowflake,
        request: InteractionRequest<'_>,
    ) -> anyhow::Result<InteractionHandle> {
        let (id, token) = self.with_world(|w| w.start_interaction(user, channel, request))?;
        Ok(InteractionHandle {
            emulator: self.clone(),
            id,
            token,
            user,
            channel,
        })
    }
}
