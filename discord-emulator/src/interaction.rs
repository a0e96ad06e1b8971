//! Interactions seen from the test: a handle to read how the bot answered.

use std::time::Duration;

use serde_json::Value;

use crate::emulator::Emulator;
use crate::ids::Snowflake;
use crate::model::{EPHEMERAL, Message};

/// Interaction callback types.
pub mod callback {
    pub const PONG: u8 = 1;
    pub const CHANNEL_MESSAGE: u8 = 4;
    pub const DEFERRED_CHANNEL_MESSAGE: u8 = 5;
    pub const DEFERRED_UPDATE_MESSAGE: u8 = 6;
    pub const UPDATE_MESSAGE: u8 = 7;
    pub const AUTOCOMPLETE_RESULT: u8 = 8;
    pub const MODAL: u8 = 9;
}

/// The bot's initial callback to an interaction.
#[derive(Clone, Debug, PartialEq)]
pub struct InteractionResponse {
    /// Callback type, see [`callback`].
    pub kind: u8,
    /// The callback's `data` as sent (`Null` if none).
    pub data: Value,
}

impl InteractionResponse {
    /// `data.content`, for message responses.
    pub fn content(&self) -> Option<&str> {
        self.data.get("content").and_then(Value::as_str)
    }

    /// `data.flags` (0 when absent).
    pub fn flags(&self) -> u64 {
        self.data.get("flags").and_then(Value::as_u64).unwrap_or(0)
    }

    /// Whether only the invoking user sees the response (flag 64).
    pub fn is_ephemeral(&self) -> bool {
        self.flags() & EPHEMERAL != 0
    }

    /// Whether the bot answered with a modal (callback type 9).
    pub fn is_modal(&self) -> bool {
        self.kind == callback::MODAL
    }

    /// The modal's or component's `custom_id`.
    pub fn custom_id(&self) -> Option<&str> {
        self.data.get("custom_id").and_then(Value::as_str)
    }

    /// Autocomplete choices (callback type 8).
    pub fn choices(&self) -> Vec<Value> {
        self.data
            .get("choices")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    }
}

/// An interaction the emulator sent to the bot.
#[derive(Clone)]
pub struct InteractionHandle {
    pub(crate) emulator: Emulator,
    pub(crate) id: Snowflake,
    pub(crate) token: String,
    pub(crate) user: Snowflake,
    pub(crate) channel: Snowflake,
}

impl std::fmt::Debug for InteractionHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InteractionHandle")
            .field("id", &self.id)
            .field("user", &self.user)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

impl InteractionHandle {
    pub fn id(&self) -> Snowflake {
        self.id
    }

    /// The interaction token (also the webhook token for followups).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// For a button click (and a modal opened from one): the message the button is on.
    pub fn message_id(&self) -> Option<Snowflake> {
        self.emulator
            .with_world(|w| w.interactions.get(&self.id).and_then(|i| i.message))
    }

    /// The bot's callback, if it has answered yet.
    pub fn response(&self) -> Option<InteractionResponse> {
        self.emulator.with_world(|w| {
            w.interactions
                .get(&self.id)
                .and_then(|i| i.response.clone())
        })
    }

    /// Waits for the bot's callback.
    pub async fn wait_response(&self, timeout: Duration) -> anyhow::Result<InteractionResponse> {
        self.emulator
            .wait_until(timeout, |_| self.response())
            .await
            .map_err(|e| e.context(format!("no callback for interaction {}", self.id)))
    }

    /// The original response message as it stands now (after edits), ephemeral or not. For a
    /// button click answered with 6 (DEFERRED_UPDATE_MESSAGE) or 7 (UPDATE_MESSAGE) it is the
    /// clicked message, as on Discord.
    pub fn original_message(&self) -> Option<Message> {
        self.emulator.with_world(|w| {
            let i = w.interactions.get(&self.id)?;
            w.message(i.channel_id, i.original?).ok().cloned()
        })
    }

    /// Followup messages, oldest first.
    pub fn followups(&self) -> Vec<Message> {
        self.emulator.with_world(|w| {
            let Some(i) = w.interactions.get(&self.id) else {
                return Vec::new();
            };
            i.followups
                .iter()
                .filter_map(|id| w.message(i.channel_id, *id).ok().cloned())
                .collect()
        })
    }

    /// Submits the modal the bot answered with, as the same user in the same channel.
    /// `values` are `(input custom_id, text)` pairs.
    ///
    /// Beware: poise starts listening for the submission only after its modal callback has
    /// returned, so a submission sent the instant the modal is recorded can arrive first
    /// and go unanswered (no human is that fast). [`InteractionHandle::submit_modal_and_wait`]
    /// handles that.
    pub fn submit_modal(&self, values: &[(&str, &str)]) -> anyhow::Result<InteractionHandle> {
        let response = self
            .response()
            .filter(InteractionResponse::is_modal)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "the bot has not answered interaction {} with a modal",
                    self.id
                )
            })?;
        let custom_id = response.custom_id().unwrap_or_default().to_owned();
        let message = self.message_id();
        self.emulator
            .submit_modal_on(self.user, self.channel, &custom_id, values, message)
    }

    /// Submits the bot's modal and waits for the bot to answer the submission. If no answer
    /// comes within a short patience (200 ms, doubling), submits again, like a user clicking
    /// "Submit" once more; gives up after `timeout`. Returns the answered submission.
    pub async fn submit_modal_and_wait(
        &self,
        values: &[(&str, &str)],
        timeout: Duration,
    ) -> anyhow::Result<(InteractionHandle, InteractionResponse)> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut patience = Duration::from_millis(200);
        loop {
            let submission = self.submit_modal(values)?;
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match submission.wait_response(patience.min(left)).await {
                Ok(response) => return Ok((submission, response)),
                Err(e) if patience >= left => return Err(e),
                Err(_) => patience *= 2,
            }
        }
    }
}
