//! Files on the in-memory platform: what the bot attached to its messages,
//! the upload limit it enforces, and file sends a test makes fail.

use std::collections::VecDeque;

use super::MemoryChat;
use crate::engine::ChatError;

/// A message of the bot's own with a file attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentFile {
    /// The thread, or the channel when sent there.
    pub place: String,
    pub message_id: String,
    pub text: String,
    pub name: String,
    pub body: Vec<u8>,
}

#[derive(Debug, Default)]
pub(super) struct Files {
    sent: Vec<SentFile>,
    limit: Option<u64>,
    failures: VecDeque<ChatError>,
}

impl MemoryChat {
    /// The files the bot attached to its messages, oldest first.
    pub fn files(&self) -> Vec<SentFile> {
        self.state.lock().unwrap().files.sent.clone()
    }

    /// The largest file the platform takes from now on (`None`: any).
    pub fn set_upload_limit(&self, limit: Option<u64>) {
        self.state.lock().unwrap().files.limit = limit;
    }

    /// The next file sends fail with these errors, in order.
    pub fn fail_next_files(&self, errors: impl IntoIterator<Item = ChatError>) {
        self.state.lock().unwrap().files.failures.extend(errors);
    }

    pub(super) fn limit(&self) -> Option<u64> {
        self.state.lock().unwrap().files.limit
    }

    /// Sends a message with a file in `place`, as a platform would: refused
    /// over the limit; also one of the bot's messages.
    pub(super) fn send_file_in(
        &self,
        place: &str,
        text: &str,
        name: &str,
        body: &[u8],
    ) -> Result<String, ChatError> {
        let mut s = self.state.lock().unwrap();
        if let Some(e) = s.files.failures.pop_front() {
            return Err(e);
        }
        if s.files.limit.is_some_and(|l| body.len() as u64 > l) {
            return Err(ChatError::Refused(format!(
                "request entity too large: {name} has {} bytes",
                body.len()
            )));
        }
        s.next_id += 1;
        let id = format!("m{}", s.next_id);
        s.bot_messages
            .push((place.to_string(), id.clone(), text.to_string()));
        s.files.sent.push(SentFile {
            place: place.to_string(),
            message_id: id.clone(),
            text: text.to_string(),
            name: name.to_string(),
            body: body.to_vec(),
        });
        Ok(id)
    }
}
