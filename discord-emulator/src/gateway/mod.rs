//! The gateway: one task per WebSocket connection speaking Discord's JSON text protocol.
//!
//! HELLO on connect; IDENTIFY → READY + GUILD_CREATE; HEARTBEAT → ACK; RESUME → replay +
//! RESUMED. The task writes what sessions queue for it and records every frame it writes.

mod session;

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use flate2::{Compress, Compression, FlushCompress};
use serde_json::{Value, json};
use tokio::sync::mpsc;

pub(crate) use session::{Conn, Dispatch, Outbound, Refusal, SentFrame, Session};

use crate::record::GatewayFrame;
use crate::server::AppState;

const OP_DISPATCH: u64 = 0;
const OP_HEARTBEAT: u64 = 1;
const OP_IDENTIFY: u64 = 2;
const OP_PRESENCE_UPDATE: u64 = 3;
const OP_VOICE_STATE_UPDATE: u64 = 4;
const OP_RESUME: u64 = 6;
const OP_REQUEST_GUILD_MEMBERS: u64 = 8;
const OP_INVALID_SESSION: u8 = 9;
const OP_HELLO: u8 = 10;
const OP_HEARTBEAT_ACK: u8 = 11;

/// `GET /gateway` upgraded to a WebSocket. With `compress=zlib-stream` in the query (as
/// discord.py asks) every frame the emulator writes is a binary message holding the next
/// part of one zlib stream, ended by a sync flush (`00 00 FF FF`), as Discord sends it;
/// without it (serenity) frames are JSON text.
pub(crate) async fn upgrade(
    ws: WebSocketUpgrade,
    State(app): State<AppState>,
    RawQuery(query): RawQuery,
) -> Response {
    let zlib = query
        .unwrap_or_default()
        .split('&')
        .any(|pair| pair == "compress=zlib-stream");
    ws.max_message_size(1 << 22)
        .on_upgrade(move |socket| Connection::new(app, zlib).run(socket))
}

struct Connection {
    app: AppState,
    id: u64,
    session: Option<String>,
    tx: mpsc::UnboundedSender<Outbound>,
    rx: mpsc::UnboundedReceiver<Outbound>,
    /// The connection's zlib stream, when the client asked for `zlib-stream`.
    zlib: Option<Compress>,
}

/// What to do after handling a client frame.
enum Next {
    Continue,
    Close(u16, &'static str),
}

impl Connection {
    fn new(app: AppState, zlib: bool) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let id = {
            let mut world = app.world();
            world.next_conn_id += 1;
            world.zlib_stream_connections += u32::from(zlib);
            world.next_conn_id
        };
        Self {
            app,
            id,
            session: None,
            tx,
            rx,
            zlib: zlib.then(|| Compress::new(Compression::fast(), true)),
        }
    }

    async fn run(mut self, mut socket: WebSocket) {
        let interval = self.app.world().config.announced_heartbeat().as_millis() as u64;
        let hello = SentFrame::op(OP_HELLO, json!({"heartbeat_interval": interval}));
        if self.write(&mut socket, hello).await.is_err() {
            return;
        }
        let mut shutdown = self.app.shutdown.clone();
        loop {
            tokio::select! {
                incoming = socket.recv() => match incoming {
                    Some(Ok(WsMessage::Text(text))) => {
                        if let Next::Close(code, reason) = self.handle(text.as_str()) {
                            close(&mut socket, code, reason).await;
                            break;
                        }
                    }
                    Some(Ok(WsMessage::Binary(_))) => {
                        close(&mut socket, 4002, "Error while decoding payload.").await;
                        break;
                    }
                    Some(Ok(WsMessage::Close(frame))) => {
                        let code = frame.map_or(1005, |f| f.code);
                        if let Some(session) = &self.session
                            && (code == 1000 || code == 1001) {
                                self.app.world().end_session(session, self.id);
                            }
                        // Reading on answers the close handshake (tungstenite queues the reply).
                        drain(&mut socket).await;
                        break;
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => break,
                },
                out = self.rx.recv() => match out {
                    Some(Outbound::Frame(frame)) => {
                        if self.write(&mut socket, frame).await.is_err() {
                            break;
                        }
                    }
                    Some(Outbound::Close(code, reason)) => {
                        close(&mut socket, code, &reason).await;
                        break;
                    }
                    Some(Outbound::Drop) | None => break,
                },
                _ = shutdown.changed() => break,
            }
            self.app.changed.notify_waiters();
        }
        if let Some(session) = &self.session {
            self.app.world().detach(session, self.id);
        }
        self.app.changed.notify_waiters();
    }

    /// Handles one client frame under the world lock; replies are queued on `tx`.
    fn handle(&mut self, text: &str) -> Next {
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            return Next::Close(4002, "Error while decoding payload.");
        };
        let op = frame.get("op").and_then(Value::as_u64);
        let d = frame.get("d").cloned().unwrap_or(Value::Null);
        let mut world = self.app.world();
        match op {
            Some(OP_HEARTBEAT) => {
                let _ = self.tx.send(Outbound::Frame(SentFrame::op(
                    OP_HEARTBEAT_ACK,
                    Value::Null,
                )));
                Next::Continue
            }
            Some(OP_IDENTIFY) | Some(OP_RESUME) if self.session.is_some() => {
                Next::Close(4005, "Already authenticated.")
            }
            Some(op @ (OP_IDENTIFY | OP_RESUME)) => {
                let conn = Conn {
                    id: self.id,
                    tx: self.tx.clone(),
                };
                let result = if op == OP_IDENTIFY {
                    world.identify(conn, &d)
                } else {
                    world.resume(conn, &d)
                };
                match result {
                    Ok(session) => {
                        self.session = Some(session);
                        Next::Continue
                    }
                    Err(Refusal::Close(code, reason)) => {
                        world.refusals.push(code);
                        Next::Close(code, reason)
                    }
                    Err(Refusal::InvalidSession) => {
                        let frame = SentFrame::op(OP_INVALID_SESSION, json!(false));
                        let _ = self.tx.send(Outbound::Frame(frame));
                        Next::Continue
                    }
                }
            }
            Some(OP_PRESENCE_UPDATE | OP_VOICE_STATE_UPDATE | OP_REQUEST_GUILD_MEMBERS)
                if self.session.is_none() =>
            {
                Next::Close(4003, "Not authenticated.")
            }
            Some(OP_PRESENCE_UPDATE | OP_VOICE_STATE_UPDATE | OP_REQUEST_GUILD_MEMBERS) => {
                Next::Continue
            }
            Some(OP_DISPATCH) | Some(_) | None => Next::Close(4001, "Unknown opcode."),
        }
    }

    /// Records a frame and writes it. Recording first keeps the log ahead of the bot: a
    /// test that sees the bot's reaction also finds the frame that caused it.
    async fn write(&mut self, socket: &mut WebSocket, frame: SentFrame) -> Result<(), axum::Error> {
        let message = match &mut self.zlib {
            Some(zlib) => WsMessage::Binary(zlib_stream_part(zlib, frame.raw.as_bytes()).into()),
            None => WsMessage::Text(frame.raw.as_ref().into()),
        };
        self.app.world().frames.push(GatewayFrame {
            session_id: self.session.clone(),
            op: frame.op,
            seq: frame.seq,
            event: frame.event.map(str::to_owned),
            raw: frame.raw,
        });
        socket.send(message).await
    }
}

/// Deflates one gateway message into the connection's zlib stream and sync-flushes, so
/// the part ends with `00 00 FF FF` and the client can inflate it on its own.
fn zlib_stream_part(zlib: &mut Compress, input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 2 + 64);
    let mut consumed = 0;
    loop {
        let before = zlib.total_in();
        zlib.compress_vec(&input[consumed..], &mut out, FlushCompress::Sync)
            .expect("deflating into memory cannot fail");
        consumed += (zlib.total_in() - before) as usize;
        // Done when the input is in and the flush left room to spare in the output.
        if consumed == input.len() && out.len() < out.capacity() {
            return out;
        }
        out.reserve(out.capacity().max(1024));
    }
}

/// Sends a close frame and waits briefly for the client's answer.
async fn close(socket: &mut WebSocket, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    if socket.send(WsMessage::Close(Some(frame))).await.is_ok() {
        drain(socket).await;
    }
}

/// Reads until the peer finishes closing (or a second passes).
async fn drain(socket: &mut WebSocket) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        while let Some(Ok(_)) = socket.recv().await {}
    })
    .await;
}

#[cfg(test)]
mod tests {
    use flate2::{Decompress, FlushDecompress};

    use super::*;

    #[test]
    fn zlib_stream_parts_each_end_with_a_sync_flush_and_inflate_in_order_through_one_context() {
        let mut zlib = Compress::new(Compression::fast(), true);
        let messages = [
            r#"{"op":10,"d":{"heartbeat_interval":41250},"s":null,"t":null}"#.to_owned(),
            format!(
                r#"{{"op":0,"s":1,"t":"GUILD_CREATE","d":{{"name":"{}"}}}}"#,
                "x".repeat(200_000)
            ),
            r#"{"op":11,"d":null,"s":null,"t":null}"#.to_owned(),
        ];
        let mut inflate = Decompress::new(true);
        for message in &messages {
            let part = zlib_stream_part(&mut zlib, message.as_bytes());
            assert_eq!(&part[part.len() - 4..], &[0, 0, 0xff, 0xff]);
            let mut out = Vec::with_capacity(message.len() + 64);
            inflate
                .decompress_vec(&part, &mut out, FlushDecompress::Sync)
                .unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), *message);
        }
    }
}
