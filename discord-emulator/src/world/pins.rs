//! Pins: pin/unpin with CHANNEL_PINS_UPDATE and the pin notice Discord posts.

use serde_json::json;

use crate::error::DiscordError;
use crate::gateway::Dispatch;
use crate::ids::{Snowflake, now_ms};
use crate::model::Message;
use crate::perms::{intents, permission};

use super::{World, blank_message};

const MAX_PINS: usize = 50;
const MESSAGE_TYPE_PIN_NOTICE: u8 = 6;

impl World {
    /// Pins or unpins a message (CHANNEL_PINS_UPDATE; pinning also posts a pin notice).
    pub(crate) fn set_pinned(
        &mut self,
        channel_id: Snowflake,
        message_id: Snowflake,
        pinned: bool,
    ) -> Result<(), DiscordError> {
        let channel = self.channel(channel_id)?.clone();
        self.require_bot(&channel, permission::MANAGE_MESSAGES)?;
        self.message(channel_id, message_id)?;
        if pinned {
            let count = self.messages[&channel_id]
                .values()
                .filter(|m| m.pinned)
                .count();
            if count >= MAX_PINS {
                return Err(DiscordError::new(
                    400,
                    30003,
                    "Maximum number of pins reached (50)",
                ));
            }
        }
        let now = now_ms();
        let Some(message) = self
            .messages
            .get_mut(&channel_id)
            .and_then(|m| m.get_mut(&message_id))
        else {
            return Err(DiscordError::unknown_message());
        };
        if message.pinned == pinned {
            return Ok(());
        }
        message.pinned = pinned;
        if pinned {
            self.channel_mut(channel_id)?.last_pin_timestamp_ms = Some(now);
        }
        let last_pin = self.channel(channel_id)?.last_pin_timestamp_ms;
        self.dispatch(Dispatch {
            event: "CHANNEL_PINS_UPDATE",
            guild_id: Some(channel.guild_id),
            intent: Some(intents::GUILDS),
            data: json!({
                "guild_id": channel.guild_id.to_string(),
                "channel_id": channel_id.to_string(),
                "last_pin_timestamp": last_pin.map(crate::ids::iso8601),
            }),
            content_gated: false,
        });
        if pinned {
            let notice = Message {
                kind: MESSAGE_TYPE_PIN_NOTICE,
                reference: Some(message_id),
                ..self.system_message(channel_id, channel.guild_id)
            };
            self.store_message(notice);
        }
        Ok(())
    }

    fn system_message(&mut self, channel_id: Snowflake, guild_id: Snowflake) -> Message {
        blank_message(self.ids.next(), channel_id, Some(guild_id), self.bot_id)
    }
}
