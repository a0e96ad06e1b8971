//! The rooms Ponder is in: who let it in (room account data), its own
//! records there, the rooms it shares with a person, direct rooms and how
//! many people a room has.

use chrono::Utc;
use matrix_sdk::Room;
use matrix_sdk::ruma::OwnedUserId;
use serde_json::{Value, json};

use super::{MatrixChat, POSTS_DATA, ROOM_DATA, classify};
use crate::engine::ChatError;

impl MatrixChat {
    /// Whether an inviter is on `allow_invites_from` (by user id or server).
    pub(crate) fn allowed_inviter(&self, user: &matrix_sdk::ruma::UserId) -> bool {
        self.config
            .allow_invites_from
            .iter()
            .any(|a| a == user.as_str() || a == user.server_name().as_str())
    }

    /// Records that an allow-listed person let Ponder into a room.
    pub(crate) async fn admit(&self, room: &Room, inviter: &matrix_sdk::ruma::UserId) {
        self.admitted
            .lock()
            .unwrap()
            .insert(room.room_id().to_owned());
        let content = json!({ "invited_by": inviter });
        if let Err(e) = self.set_room_data(room, ROOM_DATA, &content).await {
            tracing::warn!(error = %e, room = %room.room_id(), "recording who invited Ponder");
        }
    }

    /// Whether Ponder was let into the room by an allow-listed person (its
    /// record in the room's account data), or an allow-listed person created it.
    pub(crate) async fn admitted(&self, room: &Room) -> bool {
        if self.admitted.lock().unwrap().contains(room.room_id()) {
            return true;
        }
        let by_creator = room
            .creators()
            .unwrap_or_default()
            .iter()
            .any(|u| self.allowed_inviter(u));
        let by_invite = match self.room_data(room, ROOM_DATA).await {
            Ok(data) => data["invited_by"]
                .as_str()
                .and_then(|u| OwnedUserId::try_from(u).ok())
                .is_some_and(|u| self.allowed_inviter(&u)),
            Err(_) => false,
        };
        let ok = by_creator || by_invite;
        if ok {
            self.admitted
                .lock()
                .unwrap()
                .insert(room.room_id().to_owned());
        }
        ok
    }

    /// The bot's account data of this type in a room, from the homeserver
    /// (`{}` when there is none).
    pub(super) async fn room_data(&self, room: &Room, kind: &str) -> Result<Value, ChatError> {
        use matrix_sdk::ruma::api::client::config::get_room_account_data::v3::Request;
        let request = Request::new(
            self.own_user.clone(),
            room.room_id().to_owned(),
            kind.into(),
        );
        match self.client.send(request).await {
            Ok(r) => Ok(r
                .account_data
                .deserialize_as_unchecked::<Value>()
                .unwrap_or_else(|_| json!({}))),
            Err(e)
                if e.as_client_api_error()
                    .is_some_and(|c| c.status_code.as_u16() == 404) =>
            {
                Ok(json!({}))
            }
            Err(e) => Err(classify(e.into())),
        }
    }

    async fn set_room_data(
        &self,
        room: &Room,
        kind: &str,
        content: &Value,
    ) -> Result<(), ChatError> {
        let raw = matrix_sdk::ruma::serde::Raw::new(content)
            .map_err(|e| ChatError::Refused(e.to_string()))?
            .cast_unchecked();
        room.set_account_data_raw(kind.into(), raw)
            .await
            .map(|_| ())
            .map_err(classify)
    }

    /// Records a sent prompt in the room's account data (see the module
    /// docs); entries older than 90 days are dropped.
    pub(super) async fn record_post(
        &self,
        room: &Room,
        key: &str,
        event: &str,
    ) -> Result<(), ChatError> {
        let mut data = self.room_data(room, POSTS_DATA).await?;
        let now = Utc::now().timestamp_millis();
        let keep = now - 90 * 24 * 3600 * 1000;
        if let Some(map) = data.as_object_mut() {
            map.retain(|_, v| v["at"].as_i64().is_some_and(|t| t >= keep));
        } else {
            data = json!({});
        }
        data[key] = json!({ "event_id": event, "at": now });
        self.set_room_data(room, POSTS_DATA, &data).await
    }

    /// Whether this person is joined to a room the bot is joined to (not a direct one).
    pub(crate) async fn shares_a_room_with(&self, user: &matrix_sdk::ruma::UserId) -> bool {
        for room in self.client.joined_rooms() {
            if active_members(&room).await.is_none_or(|n| n <= 2) {
                continue;
            }
            if let Ok(Some(m)) = room.get_member(user).await
                && *m.membership() == matrix_sdk::ruma::events::room::member::MembershipState::Join
            {
                return true;
            }
        }
        false
    }

    /// The bot's direct room with a person: the existing one, or a new one
    /// (the person is invited; they read it once they accept).
    pub(super) async fn direct_room(
        &self,
        user: &matrix_sdk::ruma::UserId,
    ) -> Result<Room, ChatError> {
        if let Some(room) = self.client.get_dm_room(user) {
            return Ok(room);
        }
        self.client.create_dm(user).await.map_err(classify)
    }
}

/// How many people are joined to or invited into a room, asked of the
/// homeserver when the store does not have the full member list (the sync's
/// summary can be stale or partial, and privacy depends on this count).
pub(crate) async fn active_members(room: &Room) -> Option<usize> {
    room.members(matrix_sdk::RoomMemberships::ACTIVE)
        .await
        .map(|m| m.len())
        .map_err(|e| tracing::warn!(error = %e, room = %room.room_id(), "reading a room's members"))
        .ok()
}
