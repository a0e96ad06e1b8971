//! The digest: one quiet message when a prompt's thread closes (how many
//! replies from how many people, a few excerpts), where the channel wants it
//! ([`DigestMode`], set with `digest`).
//!
//! Digests are their own exactly-once step: the intent is recorded on the
//! post (`digest_state = pending`, with its time) before the send, which
//! carries the key `pd-d<post id>`; the outcome is recorded after, then the
//! thread is archived and the close recorded. A pending digest found at the
//! next attempt (after a crash, or a send whose answer was lost) is looked
//! up by its key first; where the platform cannot tell, it is not resent
//! (`uncertain`, logged) rather than posted twice.

use chrono::{DateTime, Duration};

use super::commands::Answer;
use super::port::{ChatError, Lookup};
use super::{Chat, Engine};
use crate::db::{ChannelRow, DigestState, PostRow};
use crate::domain::channel::DigestMode;
use crate::i18n::Lang;
use crate::text::{cut, for_terminal};
use crate::tr;

/// The most characters of a reply a digest quotes (then `…`).
const MAX_EXCERPT_CHARS: usize = 120;

/// The key a post's digest is sent with.
pub fn digest_key(post_id: i64) -> String {
    format!("pd-d{post_id}")
}

impl Engine {
    /// One quiet message when a thread closes: how many replies from how many
    /// people, and a few short excerpts (one per person, oldest first). Sent
    /// at most once (see the module docs). `false`: a passing failure, to be
    /// tried again before the thread closes.
    pub(super) async fn send_digest(
        &self,
        chat: &dyn Chat,
        channel: &ChannelRow,
        post: &PostRow,
        thread: &str,
    ) -> anyhow::Result<bool> {
        let place = match channel.digest {
            DigestMode::Off => return Ok(true),
            DigestMode::Channel => None,
            _ => Some(thread),
        };
        let key = digest_key(post.id);
        let ch = channel.external_id.as_str();
        let since = match post.digest_state {
            None => {
                self.db
                    .begin_digest(post.id, self.clock.now().timestamp())
                    .await?;
                None
            }
            Some(DigestState::Pending) => Some(
                DateTime::from_timestamp(post.digest_at.unwrap_or(post.created_at), 0)
                    .unwrap_or_default(),
            ),
            Some(_) => return Ok(true), // sent, or settled otherwise
        };
        if let Some(since) = since {
            // An earlier attempt may have sent it: look before sending.
            match chat.find_sent(ch, place, &key, since).await {
                Ok(Lookup::Sent(found)) => {
                    tracing::info!(
                        post = post.id,
                        "found the digest already sent; not sending again"
                    );
                    self.db
                        .end_digest(post.id, DigestState::Sent, Some(&found.message_id))
                        .await?;
                    return Ok(true);
                }
                Ok(Lookup::NotSent) => {}
                Ok(Lookup::Unknown(why)) => {
                    tracing::warn!(post = post.id, channel = ch, error = %why, "cannot tell whether the digest was posted before a restart; not posting it again");
                    self.db
                        .end_digest(post.id, DigestState::Uncertain, None)
                        .await?;
                    return Ok(true);
                }
                Err(ChatError::Transient(why)) => {
                    tracing::warn!(post = post.id, error = %why, "could not look for the digest; will try again");
                    return Ok(false);
                }
                Err(e) => {
                    tracing::warn!(post = post.id, error = %e, "could not look for the digest; closing without it");
                    self.db
                        .end_digest(post.id, DigestState::Failed, None)
                        .await?;
                    return Ok(true);
                }
            }
        }
        let replies = self.db.replies_of(post.id).await?;
        let lang = self.lang_of(channel);
        let text = digest_text(
            &post.prompt_title,
            &replies,
            channel.anonymous_excerpts,
            lang,
        );
        let page = match channel.digest_archive {
            true => self.digest_page(chat, channel, post).await,
            false => None,
        };
        let sent = match &page {
            Some((name, body)) => {
                let file = (name.as_str(), body.as_str());
                self.send_digest_with_page(chat, ch, place, &text, &key, post, file, lang)
                    .await
            }
            None => chat.send_keyed(ch, place, &text, &key).await,
        };
        match sent {
            Ok(id) => {
                self.db
                    .end_digest(post.id, DigestState::Sent, Some(&id))
                    .await?;
                Ok(true)
            }
            Err(ChatError::Transient(why)) => {
                // The answer may be lost after the platform took it: look now.
                tracing::warn!(post = post.id, error = %why, "the digest may not have been posted; looking before trying again");
                let since = self.clock.now() - Duration::minutes(1);
                if let Ok(Lookup::Sent(found)) = chat.find_sent(ch, place, &key, since).await {
                    self.db
                        .end_digest(post.id, DigestState::Sent, Some(&found.message_id))
                        .await?;
                    return Ok(true);
                }
                Ok(false)
            }
            Err(e) => {
                tracing::warn!(post = post.id, error = %e, "could not post the digest");
                self.db
                    .end_digest(post.id, DigestState::Failed, None)
                    .await?;
                Ok(true)
            }
        }
    }

    /// `digest thread|channel|off`: where this channel's digests go.
    pub(super) async fn set_digest(
        &self,
        channel: &ChannelRow,
        mode: DigestMode,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        self.db.set_channel_digest(channel.id, mode).await?;
        Ok(Answer::text(match mode {
            DigestMode::Thread => tr!(lang, "digest-to-thread"),
            DigestMode::Channel => tr!(lang, "digest-to-channel"),
            DigestMode::Off => tr!(lang, "digest-off"),
        }))
    }
}

/// The digest of a closed thread, in the channel's language. Anonymous
/// replies are counted but quoted only where the channel allows it. Excerpts
/// and names are quoted with their control characters shown, never obeyed
/// ([`crate::text::for_terminal`]).
pub(super) fn digest_text(
    title: &str,
    replies: &[crate::db::ReplyRow],
    quote_anonymous: bool,
    lang: Lang,
) -> String {
    let mut people: Vec<&str> = Vec::new();
    let mut excerpts = Vec::new();
    for r in replies {
        if people.contains(&r.author_id.as_str()) {
            continue;
        }
        people.push(&r.author_id);
        if excerpts.len() < 3 && (quote_anonymous || !r.anonymous) {
            let body = r
                .body
                .as_deref()
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            excerpts.push(tr!(
                lang,
                "digest-excerpt",
                name = for_terminal(&r.author_name),
                text = for_terminal(&cut(&body, MAX_EXCERPT_CHARS + 1))
            ));
        }
    }
    let mut text = tr!(
        lang,
        "digest",
        title = for_terminal(title),
        replies = replies.len(),
        people = people.len()
    );
    for e in excerpts {
        text.push('\n');
        text.push_str(&e);
    }
    text
}
