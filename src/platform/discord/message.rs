//! What Ponder's messages carry on Discord: content that can never ping,
//! the reference in the footer that finds a post again, the prompt's text
//! and a forum post's tags; and a member's message read back as a reply.

use serde_json::{Value, json};

use super::{DiscordChat, MAX_MESSAGE_CHARS, REQUIRE_TAG, snowflake_time};
use crate::engine::{ChatError, IncomingReply, OutgoingPrompt};

/// Message content and options that can never ping anyone.
pub(super) fn quiet(content: &str) -> Value {
    json!({ "content": content, "allowed_mentions": { "parse": [] } })
}

/// The footer that names a message's key (see the module docs).
pub fn reference(key: &str) -> String {
    format!("Ponder · ref {key}")
}

/// A message that can never ping, carrying its key as the nonce Discord
/// deduplicates (within its window) and as the reference in its footer.
pub(super) fn keyed(content: &str, key: &str) -> Value {
    let mut message = quiet(content);
    message["nonce"] = json!(key);
    message["enforce_nonce"] = json!(true);
    message["embeds"] = json!([{ "footer": { "text": reference(key) } }]);
    message
}

/// The prompt's message: the role it pings (where its schedule says so),
/// its title, its text.
pub(super) fn prompt_content(prompt: &OutgoingPrompt) -> String {
    let ping = match &prompt.ping {
        Some(role) => format!("<@&{role}>\n"),
        None => String::new(),
    };
    let text = format!("{ping}**{}**\n{}", prompt.title, prompt.text);
    crate::text::cut(&text, MAX_MESSAGE_CHARS).into_owned()
}

pub(super) fn reply_of(thread: &str, m: &Value) -> Option<IncomingReply> {
    if m["author"]["bot"] == true {
        return None;
    }
    // Only ordinary messages and replies (types 0 and 19) are answers.
    if !matches!(m["type"].as_i64(), Some(0) | Some(19) | None) {
        return None;
    }
    let author = &m["author"];
    let name = author["global_name"]
        .as_str()
        .or(author["username"].as_str())
        .unwrap_or("someone");
    Some(IncomingReply {
        thread_id: thread.to_string(),
        message_id: m["id"].as_str()?.to_string(),
        author_id: author["id"].as_str()?.to_string(),
        author_name: name.to_string(),
        text: m["content"].as_str().unwrap_or_default().to_string(),
        at: snowflake_time(m["id"].as_str()?.parse().ok()?),
    })
}

impl DiscordChat {
    /// The tags a forum post gets: the configured ones (by name or id), else,
    /// when the forum requires a tag, its first tag that anyone may apply.
    pub(super) fn tags_for(&self, channel: &str, forum: &Value) -> Result<Vec<String>, ChatError> {
        let available = forum["available_tags"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut tags = Vec::new();
        for wanted in self.forum_tags.get(channel).into_iter().flatten() {
            match available
                .iter()
                .find(|t| t["id"] == wanted.as_str() || t["name"] == wanted.as_str())
            {
                Some(t) => tags.push(t["id"].as_str().unwrap_or_default().to_string()),
                None => {
                    tracing::warn!(channel, tag = %wanted, "configured forum tag not found in the forum")
                }
            }
        }
        let required = forum["flags"].as_i64().unwrap_or(0) & REQUIRE_TAG != 0;
        if tags.is_empty() && required {
            match available.iter().find(|t| t["moderated"] != true) {
                Some(t) => tags.push(t["id"].as_str().unwrap_or_default().to_string()),
                None => {
                    return Err(ChatError::Refused(format!(
                        "forum {channel} requires a tag and has none Ponder may apply: set forum_tags for it"
                    )));
                }
            }
        }
        Ok(tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prompt_longer_than_a_message_is_cut_to_its_first_1999_characters_and_an_ellipsis() {
        let prompt = OutgoingPrompt {
            idempotency_key: "pd-1-0".into(),
            title: "Title".into(),
            text: "a".repeat(MAX_MESSAGE_CHARS),
            post_id: 1,
            ping: Some("42".into()),
        };
        let content = prompt_content(&prompt);
        assert_eq!(content.chars().count(), MAX_MESSAGE_CHARS);
        assert!(content.starts_with("<@&42>\n**Title**\naaa"), "{content}");
        assert!(content.ends_with("aa…"), "{content}");
        let short = OutgoingPrompt {
            text: "Why?".into(),
            ping: None,
            ..prompt
        };
        assert_eq!(prompt_content(&short), "**Title**\nWhy?");
    }
}
