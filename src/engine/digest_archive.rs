//! `digest_archive = true` (per configured channel): a closing thread's
//! digest carries the archive page of its one prompt (see
//! [`crate::archive`]), the "weekly magazine" people asked for.
//!
//! The digest's exactly-once send is unchanged: the page rides on the keyed
//! message where the platform can carry both (Discord), else it follows the
//! digest in a message of its own, in the same place (a Matrix file is
//! always its own event; the console writes a file). The digest goes
//! whatever becomes of the page; a page that cannot go is said once, at
//! WARN, with what the operator can do.

use super::port::ChatError;
use super::{Chat, Engine};
use crate::archive::Names;
use crate::db::{ChannelRow, PostRow};
use crate::export;
use crate::i18n::Lang;
use crate::text::for_terminal;
use crate::tr;

/// What the operator can do when a page could not go with its digest.
fn what_to_do(channel: i64) -> String {
    format!(
        "the digest goes without its archive page; `ponder archive --db FILE --out DIR --channel {channel}` \
         writes it (narrow with --from/--to DAY); on Discord Ponder needs Attach Files to send one, and \
         `[discord] upload_limit` raises the limit for a boosted server"
    )
}

impl Engine {
    /// The archive page of one post, and its file name, both in the
    /// channel's language; `None` (said at WARN) when it cannot be read or
    /// is over the platform's upload limit.
    pub(super) async fn digest_page(
        &self,
        chat: &dyn Chat,
        channel: &ChannelRow,
        post: &PostRow,
    ) -> Option<(String, String)> {
        let filter = export::days_filter(Some(channel.id), Some(post.id), None, None);
        let mut posts = match export::archive(&self.db, &filter).await {
            Ok(posts) => posts,
            Err(e) => {
                tracing::warn!(post = post.id, error = %format!("{e:#}"), "could not read the post for its archive page; {}", what_to_do(channel.id));
                return None;
            }
        };
        // The digest quotes no anonymous reflection unless the channel allows
        // it (`anonymous_excerpts`); neither does the page that rides on it.
        if !channel.anonymous_excerpts {
            for p in &mut posts {
                p.replies.retain(|r| !r.anonymous);
            }
        }
        let body = self.page(channel, &posts, Names::Shown);
        if let Some(limit) = chat.upload_limit().await
            && body.len() as u64 > limit
        {
            tracing::warn!(
                post = post.id,
                bytes = body.len(),
                limit,
                "the archive page is larger than the platform's upload limit; {}",
                what_to_do(channel.id)
            );
            return None;
        }
        let name = tr!(
            self.lang_of(channel),
            "archive-digest-file",
            platform = channel.platform.as_str(),
            channel = channel.id.to_string(),
            post = post.id.to_string()
        );
        Some((name, body))
    }

    /// Sends the digest (as [`Chat::send_keyed`]) with the page: on the same
    /// message where the platform can, else in a message of its own after
    /// it, with a caption in `lang` (the channel's). The result is the
    /// digest's.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn send_digest_with_page(
        &self,
        chat: &dyn Chat,
        channel: &str,
        place: Option<&str>,
        text: &str,
        key: &str,
        post: &PostRow,
        (name, body): (&str, &str),
        lang: Lang,
    ) -> Result<String, ChatError> {
        let together = chat
            .send_keyed_file(channel, place, text, key, name, body.as_bytes())
            .await;
        let Err(ChatError::Refused(first)) = together else {
            return together;
        };
        let id = chat.send_keyed(channel, place, text, key).await?;
        let caption = tr!(
            lang,
            "archive-digest-caption",
            title = for_terminal(&post.prompt_title).into_owned()
        );
        if let Err(e) = chat
            .send_file(channel, place, &caption, name, body.as_bytes())
            .await
        {
            tracing::warn!(post = post.id, channel, error = %e, first = %first, "could not attach the archive page; {}", what_to_do(post.channel_id));
        }
        Ok(id)
    }
}
