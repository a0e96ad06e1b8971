//! A human on Matrix: a matrix-sdk client of their own, syncing in the
//! background, with the few things the tests make people do.

use std::time::{Duration, Instant};

use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::api::client::room::create_room::v3::{Request as CreateRoom, RoomPreset};
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, UInt};
use matrix_sdk::{Client, Room};
use serde_json::{Value, json};

use crate::homeserver::User;

pub struct Human {
    pub client: Client,
    pub user_id: OwnedUserId,
    sync: tokio::task::JoinHandle<()>,
}

impl Drop for Human {
    fn drop(&mut self) {
        self.sync.abort();
    }
}

impl Human {
    pub async fn login(url: &str, user: &User) -> Human {
        let client = Client::builder().homeserver_url(url).build().await.unwrap();
        client
            .matrix_auth()
            .login_username(&user.user_id, &user.password)
            .send()
            .await
            .unwrap();
        client.sync_once(SyncSettings::default()).await.unwrap();
        let c = client.clone();
        let sync = tokio::spawn(async move {
            let _ = c
                .sync(SyncSettings::default().timeout(Duration::from_secs(2)))
                .await;
        });
        Human {
            user_id: client.user_id().unwrap().to_owned(),
            client,
            sync,
        }
    }

    pub async fn create_room(&self, invite: &[&str], encrypted: bool) -> Room {
        let mut req = CreateRoom::new();
        req.preset = Some(RoomPreset::PrivateChat);
        req.invite = invite
            .iter()
            .map(|u| OwnedUserId::try_from(*u).unwrap())
            .collect();
        if encrypted {
            req.initial_state = vec![
                InitialStateEvent::with_empty_state_key(
                    RoomEncryptionEventContent::with_recommended_defaults(),
                )
                .to_raw_any(),
            ];
        }
        self.client.create_room(req).await.unwrap()
    }

    /// A direct chat with `user` (`is_direct`, as clients open one); the
    /// caller is its creator, so has power 100 there.
    pub async fn create_direct(&self, user: &str) -> Room {
        let user = OwnedUserId::try_from(user).unwrap();
        self.client.create_dm(&user).await.unwrap()
    }

    /// The bot's notices in this person's direct chats with it (joining
    /// any it invited them to), waiting until one starts with `prefix`.
    pub async fn direct_notice(&self, bot: &str, prefix: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            for room in self.client.invited_rooms() {
                let _ = room.join().await;
            }
            for room in self.client.joined_rooms() {
                let Ok(members) = room.members(matrix_sdk::RoomMemberships::ACTIVE).await else {
                    continue;
                };
                if members.len() > 2 {
                    continue;
                }
                for e in self.events(&room).await {
                    if notice_from(bot, prefix)(&e) {
                        return e;
                    }
                }
            }
            assert!(
                Instant::now() < deadline,
                "{} never got a direct notice starting {prefix:?}",
                self.user_id
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    pub async fn room(&self, id: &OwnedRoomId) -> Room {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(r) = self.client.get_room(id) {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "{} never saw room {id}",
                self.user_id
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn join(&self, id: &OwnedRoomId) -> Room {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.client.join_room_by_id(id).await.is_ok() {
                // The join's answer can come before the client's own sync
                // has the room as joined; sending meanwhile fails with
                // WrongRoomState (expected Joined, got Invited).
                let room = self.room(id).await;
                while room.state() != matrix_sdk::RoomState::Joined {
                    assert!(
                        Instant::now() < deadline,
                        "{} joined {id} but never saw it as joined",
                        self.user_id
                    );
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                return room;
            }
            assert!(
                Instant::now() < deadline,
                "{} could not join {id}",
                self.user_id
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub async fn say(&self, room: &Room, text: &str) -> OwnedEventId {
        room.send_raw(
            "m.room.message",
            json!({ "msgtype": "m.text", "body": text }),
        )
        .await
        .unwrap()
        .response
        .event_id
    }

    pub async fn reply_in_thread(&self, room: &Room, root: &str, text: &str) -> OwnedEventId {
        let content = json!({
            "msgtype": "m.text",
            "body": text,
            "m.relates_to": { "rel_type": "m.thread", "event_id": root, "is_falling_back": true, "m.in_reply_to": { "event_id": root } }
        });
        room.send_raw("m.room.message", content)
            .await
            .unwrap()
            .response
            .event_id
    }

    /// A reply to the prompt outside its thread (`m.in_reply_to` only), as older clients send.
    pub async fn plain_reply(&self, room: &Room, root: &str, text: &str) -> OwnedEventId {
        let content = json!({
            "msgtype": "m.text",
            "body": format!("> <@someone:localhost> the prompt\n\n{text}"),
            "m.relates_to": { "m.in_reply_to": { "event_id": root } }
        });
        room.send_raw("m.room.message", content)
            .await
            .unwrap()
            .response
            .event_id
    }

    pub async fn edit(&self, room: &Room, event: &OwnedEventId, text: &str) {
        let content = json!({
            "msgtype": "m.text",
            "body": format!("* {text}"),
            "m.new_content": { "msgtype": "m.text", "body": text },
            "m.relates_to": { "rel_type": "m.replace", "event_id": event }
        });
        room.send_raw("m.room.message", content).await.unwrap();
    }

    pub async fn redact(&self, room: &Room, event: &OwnedEventId) {
        room.redact(event, None, None).await.unwrap();
    }

    /// The room's newest events (decrypted where possible), newest first.
    pub async fn events(&self, room: &Room) -> Vec<Value> {
        let mut opts = MessagesOptions::backward();
        opts.limit = UInt::from(100u32);
        let msgs = room.messages(opts).await.unwrap();
        msgs.chunk
            .iter()
            .filter_map(|e| e.raw().deserialize_as::<Value>().ok())
            .collect()
    }

    /// How many prompts `bot` has posted in the room.
    pub async fn count_prompts(&self, room: &Room, bot: &str) -> usize {
        self.events(room)
            .await
            .iter()
            .filter(|e| prompt_from(bot)(e))
            .count()
    }

    /// Waits for an event that `pred` accepts and returns it.
    pub async fn wait_for(&self, room: &Room, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(e) = self.events(room).await.into_iter().find(|e| pred(e)) {
                return e;
            }
            assert!(
                Instant::now() < deadline,
                "{} never saw {what}",
                self.user_id
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub async fn wait_membership(&self, room: &Room, user: &str, membership: &str) {
        let who = OwnedUserId::try_from(user).unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let events = self.events(room).await;
            let latest = events
                .iter()
                .find(|e| e["type"] == "m.room.member" && e["state_key"] == who.as_str())
                .map(|e| {
                    e["content"]["membership"]
                        .as_str()
                        .unwrap_or("")
                        .to_string()
                });
            if latest.as_deref() == Some(membership) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{user} never became {membership} in {} (last: {latest:?})",
                room.room_id()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// A notice from the bot whose body starts with `prefix`.
pub fn notice_from(bot: &str, prefix: &str) -> impl Fn(&Value) -> bool {
    let (bot, prefix) = (bot.to_string(), prefix.to_string());
    move |e| {
        e["sender"] == bot.as_str()
            && e["content"]["msgtype"] == "m.notice"
            && e["content"]["body"]
                .as_str()
                .is_some_and(|b| b.starts_with(&prefix))
    }
}

/// A prompt posted by the bot.
pub fn prompt_from(bot: &str) -> impl Fn(&Value) -> bool {
    let bot = bot.to_string();
    move |e| e["sender"] == bot.as_str() && e["content"]["org.ponder.key"].is_string()
}
