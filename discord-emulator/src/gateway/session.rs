//! Gateway sessions: sequence numbers, the replay buffer, intents, IDENTIFY and RESUME.

use std::collections::VecDeque;
use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;

use crate::ids::Snowflake;
use crate::payloads;
use crate::perms::intents;
use crate::world::World;

/// Something for a connection task to do.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Write this frame.
    Frame(SentFrame),
    /// Send a close frame with this code and end the connection.
    Close(u16, String),
    /// Drop the socket without a close frame (a network failure).
    Drop,
}

/// A frame and what it is, so the connection can record it once written.
#[derive(Clone, Debug)]
pub(crate) struct SentFrame {
    pub(crate) op: u8,
    pub(crate) seq: Option<u64>,
    pub(crate) event: Option<&'static str>,
    pub(crate) raw: Arc<str>,
}

impl SentFrame {
    /// A non-dispatch frame such as HELLO or HEARTBEAT_ACK.
    pub(crate) fn op(op: u8, d: Value) -> Self {
        Self {
            op,
            seq: None,
            event: None,
            raw: json!({"op": op, "d": d, "s": null, "t": null})
                .to_string()
                .into(),
        }
    }
}

/// A live socket attached to a session.
#[derive(Debug)]
pub(crate) struct Conn {
    pub(crate) id: u64,
    pub(crate) tx: UnboundedSender<Outbound>,
}

/// One IDENTIFYed session; it survives dropped connections until the client closes with
/// 1000/1001 or it is invalidated.
#[derive(Debug)]
pub(crate) struct Session {
    pub(crate) intents: u64,
    pub(crate) shard: [u64; 2],
    pub(crate) seq: u64,
    pub(crate) buffer: VecDeque<SentFrame>,
    pub(crate) conn: Option<Conn>,
}

impl Session {
    fn owns_guild(&self, guild: Snowflake) -> bool {
        let [shard, count] = self.shard;
        count <= 1 || (guild >> 22) % count == shard
    }

    /// Numbers, buffers and (if connected) sends one dispatch.
    fn push(&mut self, event: &'static str, data_json: &str, replay_limit: usize) {
        self.seq += 1;
        let raw = format!(
            r#"{{"op":0,"s":{},"t":"{}","d":{}}}"#,
            self.seq, event, data_json
        );
        let frame = SentFrame {
            op: 0,
            seq: Some(self.seq),
            event: Some(event),
            raw: raw.into(),
        };
        if self.buffer.len() >= replay_limit.max(1) {
            self.buffer.pop_front();
        }
        self.buffer.push_back(frame.clone());
        if let Some(conn) = &self.conn
            && conn.tx.send(Outbound::Frame(frame)).is_err()
        {
            self.conn = None;
        }
    }

    fn send(&mut self, out: Outbound) {
        if let Some(conn) = &self.conn
            && conn.tx.send(out).is_err()
        {
            self.conn = None;
        }
    }
}

/// An event for every session that should see it.
#[derive(Debug)]
pub(crate) struct Dispatch {
    pub(crate) event: &'static str,
    pub(crate) guild_id: Option<Snowflake>,
    /// The intent a session needs to receive it (`None`: always sent).
    pub(crate) intent: Option<u64>,
    pub(crate) data: Value,
    /// Blank content, embeds, attachments and components for sessions without the
    /// MESSAGE_CONTENT intent (messages not by or mentioning the bot).
    pub(crate) content_gated: bool,
}

/// Why an IDENTIFY or RESUME failed.
#[derive(Debug, PartialEq)]
pub(crate) enum Refusal {
    /// Close the socket with this code.
    Close(u16, &'static str),
    /// Send op 9 INVALID_SESSION with `d: false`.
    InvalidSession,
}

impl World {
    /// Sends an event to every session that has the intent and the guild.
    pub(crate) fn dispatch(&mut self, dispatch: Dispatch) {
        let full = dispatch.data.to_string();
        let mut blanked: Option<String> = None;
        let limit = self.config.replay_buffer;
        for session in self.sessions.values_mut() {
            if dispatch.intent.is_some_and(|i| session.intents & i == 0) {
                continue;
            }
            if dispatch.guild_id.is_some_and(|g| !session.owns_guild(g)) {
                continue;
            }
            let body = if dispatch.content_gated && session.intents & intents::MESSAGE_CONTENT == 0
            {
                blanked.get_or_insert_with(|| blank_content(&dispatch.data).to_string())
            } else {
                &full
            };
            session.push(dispatch.event, body, limit);
        }
    }

    /// Handles IDENTIFY: a new session, READY, then one GUILD_CREATE per guild of the shard.
    pub(crate) fn identify(&mut self, conn: Conn, d: &Value) -> Result<String, Refusal> {
        let token = d.get("token").and_then(Value::as_str).unwrap_or_default();
        if !self.token_matches(token) {
            return Err(Refusal::Close(4004, "Authentication failed."));
        }
        let Some(requested) = d.get("intents").and_then(Value::as_u64) else {
            return Err(Refusal::Close(4013, "Invalid intent(s)."));
        };
        if requested & intents::PRIVILEGED & !self.config.allowed_privileged_intents != 0 {
            return Err(Refusal::Close(4014, "Disallowed intent(s)."));
        }
        let shard = match d.get("shard").and_then(Value::as_array).map(Vec::as_slice) {
            None => [0, 1],
            Some([id, count]) => match (id.as_u64(), count.as_u64()) {
                (Some(id), Some(count)) if id < count => [id, count],
                _ => return Err(Refusal::Close(4010, "Invalid shard.")),
            },
            Some(_) => return Err(Refusal::Close(4010, "Invalid shard.")),
        };
        let [id, count] = shard;
        let held = self
            .guilds
            .keys()
            .filter(|g| count <= 1 || (**g >> 22) % count == id)
            .count();
        if held > self.config.max_guilds_per_shard {
            return Err(Refusal::Close(4011, "Sharding required."));
        }
        let session_id = format!("{:016x}{:016x}", self.ids.next(), conn.id);
        self.identify_count += 1;
        // A client that identifies again has given up on its detached sessions for this
        // shard; forgetting them keeps their replay buffers from piling up.
        self.sessions
            .retain(|_, s| s.conn.is_some() || s.shard != shard);
        let mut session = Session {
            intents: requested,
            shard,
            seq: 0,
            buffer: VecDeque::new(),
            conn: Some(conn),
        };
        let guilds: Vec<Snowflake> = self
            .guilds
            .keys()
            .copied()
            .filter(|g| session.owns_guild(*g))
            .collect();
        let limit = self.config.replay_buffer;
        let ready = payloads::ready(self, &session_id, shard, &guilds);
        session.push("READY", &ready.to_string(), limit);
        for guild in &guilds {
            let payload = payloads::guild_create(self, &self.guilds[guild]);
            session.push("GUILD_CREATE", &payload.to_string(), limit);
        }
        self.sessions.insert(session_id.clone(), session);
        Ok(session_id)
    }

    /// Handles RESUME: replays dispatches after `seq`, then RESUMED.
    pub(crate) fn resume(&mut self, conn: Conn, d: &Value) -> Result<String, Refusal> {
        let token = d.get("token").and_then(Value::as_str).unwrap_or_default();
        if !self.token_matches(token) {
            return Err(Refusal::Close(4004, "Authentication failed."));
        }
        let session_id = d
            .get("session_id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let seq = d.get("seq").and_then(Value::as_u64).unwrap_or(0);
        let limit = self.config.replay_buffer;
        let Some(session) = self.sessions.get_mut(session_id) else {
            return Err(Refusal::InvalidSession);
        };
        if seq > session.seq {
            return Err(Refusal::Close(4007, "Invalid seq."));
        }
        let oldest = session
            .buffer
            .front()
            .and_then(|f| f.seq)
            .unwrap_or(session.seq + 1);
        if seq + 1 < oldest {
            return Err(Refusal::InvalidSession);
        }
        session.send(Outbound::Drop);
        session.conn = Some(conn);
        let missed: Vec<SentFrame> = session
            .buffer
            .iter()
            .filter(|f| f.seq.is_some_and(|s| s > seq))
            .cloned()
            .collect();
        for frame in missed {
            session.send(Outbound::Frame(frame));
        }
        session.push("RESUMED", "{}", limit);
        self.resume_count += 1;
        Ok(session_id.to_owned())
    }

    /// The connection went away; the session stays resumable.
    pub(crate) fn detach(&mut self, session_id: &str, conn_id: u64) {
        if let Some(session) = self.sessions.get_mut(session_id)
            && session.conn.as_ref().is_some_and(|c| c.id == conn_id)
        {
            session.conn = None;
        }
    }

    /// The client closed with 1000/1001: Discord forgets the session.
    pub(crate) fn end_session(&mut self, session_id: &str, conn_id: u64) {
        let attached = self
            .sessions
            .get(session_id)
            .is_some_and(|s| s.conn.as_ref().is_some_and(|c| c.id == conn_id));
        if attached {
            self.sessions.remove(session_id);
        }
    }

    /// Drops every connection without a close frame; sessions stay resumable.
    pub(crate) fn drop_connections(&mut self) {
        for session in self.sessions.values_mut() {
            session.send(Outbound::Drop);
            session.conn = None;
        }
    }

    /// Closes every connection with `code`. After 4007 (invalid seq) or 4009 (session timed
    /// out) Discord does not let the session resume.
    pub(crate) fn close_connections(&mut self, code: u16, reason: &str) {
        for session in self.sessions.values_mut() {
            session.send(Outbound::Close(code, reason.to_owned()));
            session.conn = None;
        }
        if matches!(code, 4007 | 4009) {
            self.sessions.clear();
        }
    }

    /// Sends op 7 RECONNECT to every connection.
    pub(crate) fn request_reconnect(&mut self) {
        for session in self.sessions.values_mut() {
            session.send(Outbound::Frame(SentFrame::op(7, Value::Null)));
        }
    }
}

/// A message payload as a bot without MESSAGE_CONTENT sees it.
fn blank_content(data: &Value) -> Value {
    let mut data = data.clone();
    if let Some(map) = data.as_object_mut() {
        for (key, empty) in [
            ("content", json!("")),
            ("embeds", json!([])),
            ("attachments", json!([])),
            ("components", json!([])),
        ] {
            if map.contains_key(key) {
                map.insert(key.to_owned(), empty);
            }
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::EmulatorConfig;

    fn world(guilds: usize, per_shard: usize, max: usize) -> World {
        let config = EmulatorConfig {
            guilds,
            guilds_per_shard: per_shard,
            max_guilds_per_shard: max,
            ..Default::default()
        };
        World::new(config, String::new())
    }

    fn identify(w: &mut World, shard: Option<[u64; 2]>) -> Result<String, Refusal> {
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let mut d = json!({"token": w.config.token.clone(), "intents": 0});
        if let Some(shard) = shard {
            d["shard"] = json!(shard);
        }
        w.identify(Conn { id: 1, tx }, &d)
    }

    #[test]
    fn one_connection_holding_more_than_the_limit_is_closed_with_4011_and_the_recommended_shards_are_not()
     {
        let mut w = world(60, 20, 25);
        assert!(matches!(
            identify(&mut w, None),
            Err(Refusal::Close(4011, "Sharding required."))
        ));
        assert!(matches!(
            identify(&mut w, Some([0, 2])),
            Err(Refusal::Close(4011, _))
        ));
        assert_eq!(w.identify_count, 0);
        let recommended = crate::rest::app::recommended_shards(&w);
        assert_eq!(recommended, 3);
        for shard in 0..3 {
            identify(&mut w, Some([shard, 3])).expect("a recommended shard connects");
        }
        // each guild is on exactly one shard, and they are spread evenly
        let held: Vec<usize> = w
            .sessions
            .values()
            .map(|s| w.guilds.keys().filter(|g| s.owns_guild(**g)).count())
            .collect();
        assert_eq!(held.iter().sum::<usize>(), 60);
        assert!(held.iter().all(|n| *n == 20), "{held:?}");
    }
}
