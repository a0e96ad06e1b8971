//! What members do on the in-memory platform: write, edit and delete
//! messages in threads, whether the bot is listening or not.

use chrono::{DateTime, Utc};

use super::MemoryChat;
use crate::engine::IncomingReply;

impl MemoryChat {
    /// A member writes in a thread (the bot may or may not be listening).
    pub fn write(
        &self,
        thread: &str,
        author: &str,
        text: &str,
        at: DateTime<Utc>,
    ) -> IncomingReply {
        let mut s = self.state.lock().unwrap();
        s.next_id += 1;
        let reply = IncomingReply {
            thread_id: thread.to_string(),
            message_id: format!("m{}", s.next_id),
            author_id: format!("id-{author}"),
            author_name: author.to_string(),
            text: text.to_string(),
            at,
        };
        s.messages
            .entry(thread.to_string())
            .or_default()
            .push(reply.clone());
        reply
    }

    /// A member edits a message (the bot may or may not be listening);
    /// returns the message as it is now.
    pub fn edit(&self, thread: &str, message_id: &str, text: &str) -> Option<IncomingReply> {
        let mut s = self.state.lock().unwrap();
        let m = s
            .messages
            .get_mut(thread)?
            .iter_mut()
            .find(|m| m.message_id == message_id)?;
        m.text = text.to_string();
        Some(m.clone())
    }

    /// A message disappears from a thread (the bot may or may not be listening).
    pub fn delete(&self, thread: &str, message_id: &str) {
        if let Some(all) = self.state.lock().unwrap().messages.get_mut(thread) {
            all.retain(|m| m.message_id != message_id);
        }
    }
}
