//! Files handed to commands on Matrix. A message carries no attachment, so
//! `!ponder prompts import` (and `prompts draft PACK`) take the caller's own
//! most recent file sent in the same room before the command: an `m.file`
//! message (Element sends `.toml`, `.txt` and `.md` files as `m.file`), read
//! among the [`LOOKBACK`] events before the command.
//!
//! - Only the sender's own file is taken, never another member's.
//! - A path typed after the command is refused: only the console reads one,
//!   so no member can make the bot read the server's disk.
//! - The declared size is checked before downloading, the real size after.
//! - Plain `mxc://` files and encrypted ones (in an encrypted room) alike:
//!   the SDK's media API downloads and decrypts them.
//! - A member's bad or lost file is told to them, logged at INFO at most.

use std::time::Duration;

use matrix_sdk::Room;
use matrix_sdk::ruma::events::room::MediaSource;
use matrix_sdk::ruma::events::room::message::FileMessageEventContent;
use matrix_sdk::ruma::{EventId, UInt, UserId};
use serde_json::Value;

use super::MatrixChat;
use crate::domain::command::{Attached, Command, FileProblem, MAX_UPLOAD_BYTES};
use crate::prompt_files::draft::MAX_DRAFT_INPUT;

/// How many events before the command are searched for the caller's file.
/// A file sent "just before" the command is rarely more than a few events
/// back; 50 leaves room for a busy room's chatter in between, and keeps the
/// look-up one small request.
pub(super) const LOOKBACK: u32 = 50;
/// How long a file's download may take before the caller is told to retry.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(30);
/// The SDK's name for media of its own send queue (never a member's file).
const LOCAL_MEDIA_SERVER: &str = "send-queue.localhost";

/// The largest file `cmd` reads.
fn limit_of(cmd: &Command) -> usize {
    match cmd {
        Command::PackDraft { .. } => MAX_DRAFT_INPUT,
        _ => MAX_UPLOAD_BYTES,
    }
}

impl MatrixChat {
    /// Fills in the file a command takes: a path is refused; nothing given
    /// becomes the sender's latest file before `command` in `room` (or stays
    /// [`Attached::Missing`] when there is none, which the engine explains).
    pub(super) async fn attach_file(
        &self,
        room: &Room,
        sender: &UserId,
        command: &EventId,
        cmd: &mut Command,
    ) {
        let limit = limit_of(cmd);
        let Some(file) = cmd.attached_mut() else {
            return;
        };
        match file {
            Attached::Path(_) => *file = Attached::Unusable(FileProblem::PathRefused),
            Attached::Missing => {
                if let Some(found) = self.latest_file(room, sender, command, limit).await {
                    *file = found;
                }
            }
            Attached::File { .. } | Attached::Unusable(_) => {}
        }
    }

    /// The sender's latest file before `command`, downloaded (or why not).
    async fn latest_file(
        &self,
        room: &Room,
        sender: &UserId,
        command: &EventId,
        limit: usize,
    ) -> Option<Attached> {
        // The command's context: up to LOOKBACK events before it, newest
        // first (the homeserver gives half of the limit to each side), so
        // what was said after the command does not push the file out.
        let context = UInt::from(LOOKBACK * 2);
        let events = match room.event_with_context(command, false, context, None).await {
            Ok(r) => r.events_before,
            Err(e) => {
                tracing::info!(error = %e, "reading back the events before a command");
                return Some(Attached::Unusable(FileProblem::HistoryUnreadable));
            }
        };
        let raw = events
            .iter()
            .filter_map(|e| e.raw().deserialize_as::<Value>().ok())
            .find(|e| is_file_of(e, sender))?;
        Some(self.download(&raw["content"], limit).await)
    }

    /// A file message's file, checked against `limit` before and after.
    async fn download(&self, content: &Value, limit: usize) -> Attached {
        let name = file_name(content);
        let too_big = |size: u64| {
            Attached::Unusable(FileProblem::TooLarge {
                name: name.clone(),
                size,
                limit,
                kind: None,
            })
        };
        if let Some(size) = content["info"]["size"].as_u64()
            && size > limit as u64
        {
            return too_big(size);
        }
        let unreadable = || Attached::Unusable(FileProblem::NotDownloaded { name: name.clone() });
        let Ok(file) = serde_json::from_value::<FileMessageEventContent>(content.clone()) else {
            return unreadable();
        };
        let url = match &file.source {
            MediaSource::Plain(url) => url,
            MediaSource::Encrypted(f) => &f.url,
        };
        if url.server_name().is_ok_and(|s| s == LOCAL_MEDIA_SERVER) {
            return unreadable();
        }
        let got =
            tokio::time::timeout(DOWNLOAD_TIMEOUT, self.client.media().get_file(&file, false))
                .await;
        match got {
            Ok(Ok(Some(bytes))) if bytes.len() > limit => too_big(bytes.len() as u64),
            Ok(Ok(Some(bytes))) => Attached::File { name, bytes },
            Ok(Ok(None)) => unreadable(),
            Ok(Err(e)) => {
                tracing::info!(error = %e, "downloading a member's file");
                unreadable()
            }
            Err(_) => {
                tracing::info!("downloading a member's file timed out");
                unreadable()
            }
        }
    }
}

/// Whether an event is a file message sent by `sender` (not an edit, not
/// redacted).
fn is_file_of(event: &Value, sender: &UserId) -> bool {
    let content = &event["content"];
    event["type"] == "m.room.message"
        && event["sender"] == sender.as_str()
        && content["msgtype"] == "m.file"
        && (content["url"].is_string() || content["file"].is_object())
        && content["m.relates_to"]["rel_type"] != "m.replace"
}

/// The file's name: its `filename`, else its `body` (older clients).
fn file_name(content: &Value) -> String {
    let name = content["filename"]
        .as_str()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| content["body"].as_str())
        .unwrap_or_default();
    if name.trim().is_empty() {
        "file".into()
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_the_senders_own_file_messages_count() {
        let alice = <&UserId>::try_from("@alice:localhost").unwrap();
        let file = json!({
            "type": "m.room.message", "sender": "@alice:localhost",
            "content": { "msgtype": "m.file", "body": "pack.toml", "url": "mxc://localhost/a" }
        });
        assert!(is_file_of(&file, alice));
        let mut theirs = file.clone();
        theirs["sender"] = json!("@bob:localhost");
        assert!(!is_file_of(&theirs, alice));
        let mut text = file.clone();
        text["content"]["msgtype"] = json!("m.text");
        assert!(!is_file_of(&text, alice));
        let redacted =
            json!({ "type": "m.room.message", "sender": "@alice:localhost", "content": {} });
        assert!(!is_file_of(&redacted, alice));
        let mut encrypted = file.clone();
        encrypted["content"]["url"] = Value::Null;
        encrypted["content"]["file"] = json!({ "url": "mxc://localhost/b" });
        assert!(is_file_of(&encrypted, alice));
    }

    #[test]
    fn the_name_is_the_filename_else_the_body() {
        assert_eq!(
            file_name(&json!({ "filename": "p.toml", "body": "my pack" })),
            "p.toml"
        );
        assert_eq!(file_name(&json!({ "body": "pack.toml" })), "pack.toml");
        assert_eq!(file_name(&json!({ "body": " " })), "file");
    }

    #[test]
    fn a_draft_reads_larger_texts_than_an_import() {
        let import = Command::PackImport {
            file: Attached::Missing,
        };
        let draft = Command::PackDraft {
            file: Attached::Missing,
            pack: "p".into(),
            title: None,
        };
        assert_eq!(limit_of(&import), MAX_UPLOAD_BYTES);
        assert_eq!(limit_of(&draft), MAX_DRAFT_INPUT);
    }
}
