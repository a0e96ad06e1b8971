//! Reflections: a member's answer to the open prompt, posted by Ponder into
//! its thread and kept as their reply; or, where the channel allows it, an
//! anonymous one, sent in a direct message and posted without its author
//! (kept with a keyed hash instead of an author id).

use std::fmt::Write as _;

use super::commands::{Answer, Caller, refuse};
use super::{Engine, IncomingReply};
use crate::db::{ChannelRow, PostRow, PostState};
use crate::i18n::Lang;
use crate::tr;

/// How many anonymous reflections one member may add to one prompt.
pub const MAX_ANONYMOUS_PER_POST: i64 = 3;

/// Whether a post belongs to this channel (a thread id from another room or
/// server must not reach another channel's prompt).
pub(super) fn in_channel(post: &PostRow, channel: &ChannelRow) -> bool {
    post.channel_id == channel.id
}

impl Engine {
    /// Posts a member's reflection into the open prompt's thread (the one the
    /// command was written in, else the channel's newest) and stores it as
    /// their reply.
    pub(super) async fn reflect(
        &self,
        caller: &Caller,
        channel: &ChannelRow,
        text: &str,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let post = match &caller.thread {
            Some(t) => self
                .db
                .post_by_thread(&caller.platform, t)
                .await?
                .filter(|p| in_channel(p, channel)),
            None => None,
        };
        let post = match post {
            Some(p) => Some(p),
            None => self.db.current_post(channel.id).await?,
        };
        let Some(post) = post.filter(|p| p.thread_id.is_some()) else {
            return refuse(tr!(lang, "no-open-prompt"));
        };
        self.send_and_store(caller, channel, &post, text, None, lang)
            .await?;
        Ok(Answer::text(tr!(
            lang,
            "reflect-done",
            title = post.prompt_title
        )))
    }

    /// An anonymous reflection: posted into the prompt's thread without its
    /// author, stored with a keyed hash instead of an author id.
    pub(super) async fn reflect_anonymously(
        &self,
        caller: &Caller,
        text: &str,
        wanted: Option<i64>,
    ) -> anyhow::Result<Answer> {
        // Before the prompt is known: the caller's own language (or the
        // place's, where Ponder serves the place it was asked in).
        let here = self
            .db
            .find_channel(&caller.platform, &caller.channel)
            .await?;
        let lang = self.answer_lang(here.as_ref(), caller);
        if !caller.private {
            return refuse(tr!(lang, "anon-not-private"));
        }
        let post = self.anonymous_target(caller, wanted, lang).await?;
        let channel = self.db.channel(post.channel_id).await?;
        // Once it is: the language of the channel it answers in.
        let lang = self.answer_lang(Some(&channel), caller);
        if !channel.anonymous {
            return refuse(tr!(lang, "anon-not-allowed"));
        }
        let tag = self
            .settings
            .anon_key
            .author_tag(&caller.platform, &caller.user_id, post.id)?;
        if self.db.count_post_replies_by(post.id, &tag).await? >= MAX_ANONYMOUS_PER_POST {
            return refuse(tr!(lang, "anon-limit", max = MAX_ANONYMOUS_PER_POST));
        }
        self.send_and_store(caller, &channel, &post, text, Some(tag), lang)
            .await?;
        tracing::info!(post = post.id, "an anonymous reflection was posted");
        Ok(Answer::text(tr!(
            lang,
            "anon-done",
            title = post.prompt_title
        )))
    }

    /// Posts a reflection into its prompt's thread and stores it as a reply:
    /// the caller's own, or, given `anonymous_tag` (the keyed hash), an
    /// anonymous one kept under that tag with no name but "anonymous".
    async fn send_and_store(
        &self,
        caller: &Caller,
        channel: &ChannelRow,
        post: &PostRow,
        text: &str,
        anonymous_tag: Option<String>,
        lang: Lang,
    ) -> anyhow::Result<()> {
        let Some(chat) = self.chat(&caller.platform).cloned() else {
            return refuse(tr!(lang, "platform-not-running"));
        };
        let thread = post.thread_id.clone().unwrap_or_default();
        let anonymous = anonymous_tag.is_some();
        // What the thread reads is in the channel's language, whoever asked.
        let posted = self.lang_of(channel);
        let (body, author_id, author_name) = match anonymous_tag {
            Some(tag) => (
                tr!(posted, "reflection-anonymous", text = text),
                tag,
                "anonymous".to_string(),
            ),
            None => (
                tr!(
                    posted,
                    "reflection-by",
                    name = caller.user_name.as_str(),
                    text = text
                ),
                caller.user_id.clone(),
                caller.user_name.clone(),
            ),
        };
        let message_id = match chat
            .send_in_thread(&channel.external_id, &thread, &body)
            .await
        {
            Ok(id) => id,
            Err(e) => return refuse(tr!(lang, "reflect-post-failed", error = e.to_string())),
        };
        let reply = IncomingReply {
            thread_id: thread,
            message_id,
            author_id,
            author_name,
            text: text.to_string(),
            at: self.clock.now(),
        };
        self.store_reply(&caller.platform, &reply, anonymous, true)
            .await?;
        Ok(())
    }

    /// `anonymous on|off`: whether members may reflect anonymously here.
    pub(super) async fn allow_anonymous(
        &self,
        channel: &ChannelRow,
        allow: bool,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        self.db
            .set_channel_anonymous(channel.id, allow, None)
            .await?;
        Ok(Answer::text(if allow {
            tr!(lang, "anonymous-on")
        } else {
            tr!(lang, "anonymous-off")
        }))
    }

    /// The open prompt an anonymous reflection answers: the named one, the
    /// one of the channel or thread it was written in, or the only open one
    /// the caller can see.
    async fn anonymous_target(
        &self,
        caller: &Caller,
        wanted: Option<i64>,
        lang: Lang,
    ) -> anyhow::Result<PostRow> {
        let chat = self.chat(&caller.platform).cloned();
        let open = |p: &PostRow| {
            p.platform == caller.platform && p.state == PostState::Open && p.thread_id.is_some()
        };
        if let Some(id) = wanted {
            let post = self.db.post(id).await?.filter(open);
            let Some(post) = post else {
                return refuse(tr!(lang, "prompt-not-open", post = id));
            };
            let channel = self.db.channel(post.channel_id).await?;
            let member = match &chat {
                Some(c) => c
                    .may_answer_in(&caller.channel, &channel.external_id, &caller.user_id)
                    .await
                    .unwrap_or(false),
                None => false,
            };
            if !member {
                return refuse(tr!(lang, "prompt-not-open", post = id));
            }
            return Ok(post);
        }
        // The thread it was written in counts only if that thread's prompt is
        // in the room it was written in, and the caller is a member there.
        if let Some(t) = &caller.thread
            && let Some(post) = self.db.post_by_thread(&caller.platform, t).await?
            && open(&post)
            && self.db.channel(post.channel_id).await?.external_id == caller.channel
            && self.is_member_of(&post, &caller.user_id).await?
        {
            return Ok(post);
        }
        if let Some(ch) = self
            .db
            .find_channel(&caller.platform, &caller.channel)
            .await?
            && let Some(post) = self.db.current_post(ch.id).await?
            && open(&post)
        {
            return Ok(post);
        }
        // Elsewhere (a direct message, a channel with no open prompt): the
        // open prompts the caller may answer from where they asked (on
        // Discord: within the same server, in channels they can see).
        let mut candidates = Vec::new();
        for post in self.db.posts_in_state(PostState::Open).await? {
            if !open(&post) {
                continue;
            }
            let channel = self.db.channel(post.channel_id).await?;
            if let Some(c) = &chat
                && c.may_answer_in(&caller.channel, &channel.external_id, &caller.user_id)
                    .await
                    .unwrap_or(false)
            {
                candidates.push(post);
            }
        }
        match candidates.len() {
            0 => refuse(tr!(lang, "anon-none-open")),
            1 => Ok(candidates.remove(0)),
            _ => {
                let mut out = tr!(lang, "anon-several");
                for p in &candidates {
                    let line = tr!(
                        lang,
                        "anon-candidate",
                        post = p.id,
                        title = p.prompt_title.as_str()
                    );
                    let _ = write!(out, "\n{line}");
                }
                refuse(out)
            }
        }
    }

    /// Whether a person is a member of a post's channel (false when its
    /// platform is not running or cannot tell).
    async fn is_member_of(&self, post: &PostRow, user_id: &str) -> anyhow::Result<bool> {
        let Some(chat) = self.chat(&post.platform).cloned() else {
            return Ok(false);
        };
        let channel = self.db.channel(post.channel_id).await?;
        Ok(chat
            .is_member(&channel.external_id, user_id)
            .await
            .unwrap_or(false))
    }
}
