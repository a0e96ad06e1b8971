//! What members and admins do together beyond prompts and replies: member
//! suggestions (a queue admins decide on; approved ones join the channel's
//! rotation), anonymous reflections, erasing one's data, and the permission
//! self-check that tells admins what the bot lacks.
//!
//! Who may change a stored reply: an edit is applied only when it comes from
//! the reply's own author, in the channel (room) the reply's prompt is in; a
//! message Ponder posted for someone (a reflection, anonymous or not) is
//! Ponder's own and no member's edit touches it. A deletion is applied only
//! from the reply's own channel (the platform checks who may delete there).
//! A reply or a command in a prompt's thread counts only from that prompt's
//! channel: naming another room's prompt (a Matrix `m.in_reply_to` across
//! rooms) reaches nothing.

use std::fmt::Write as _;
use std::sync::Arc;

use super::commands::{Action, Answer, Caller};
use super::port::Needs;
use super::{Engine, IncomingReply};
use crate::db::{
    ChannelRow, NewSuggestion, PostRow, PostState, SUGGESTION_APPROVED, SUGGESTION_PENDING,
    SUGGESTION_REJECTED, SuggestionRow,
};
use crate::domain::command::Command;
use crate::domain::prompt::Prompt;

/// How many suggestions one member may have waiting in a channel.
pub const MAX_PENDING_SUGGESTIONS: i64 = 3;
/// How many suggestions one member may make in a day, on a platform.
pub const MAX_SUGGESTIONS_PER_DAY: i64 = 5;
/// How many anonymous reflections one member may add to one prompt.
pub const MAX_ANONYMOUS_PER_POST: i64 = 3;
/// The pack name approved suggestions carry in the rotation and the archive.
pub const SUGGESTIONS_PACK: &str = "suggestions";

/// Text that can never mention anyone, whatever a platform parses:
/// `@everyone`, `<@123>`, `@room`, `@user:server` lose their power.
pub fn defuse_mentions(text: &str) -> String {
    text.replace('@', "@\u{200b}")
}

/// The credit line a prompt from a suggestion carries.
fn credit_line(name: &str) -> String {
    format!("\n— suggested by {name}")
}

/// An approved suggestion as a prompt of the rotation.
pub(super) fn suggestion_prompt(s: &SuggestionRow) -> Prompt {
    let plain = Prompt {
        pack: SUGGESTIONS_PACK.into(),
        id: s.prompt_id(),
        title: None,
        text: s.body.clone(),
        source: None,
        follow_ups: Vec::new(),
        tags: Vec::new(),
        weight: 1.0,
    };
    let title = plain.thread_name();
    let mut text = s.body.clone();
    if s.credit {
        text.push_str(&credit_line(&s.author_name));
    }
    Prompt {
        title: Some(title),
        text,
        ..plain
    }
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Engine {
    /// The prompts a channel draws from: its packs and its approved suggestions.
    pub async fn pool_of(&self, channel: &ChannelRow) -> anyhow::Result<Vec<Arc<Prompt>>> {
        let mut pool = self.prompts().pool(&channel.pack_list());
        for s in self
            .db
            .suggestions_in(channel.id, SUGGESTION_APPROVED)
            .await?
        {
            pool.push(Arc::new(suggestion_prompt(&s)));
        }
        Ok(pool)
    }

    pub(super) async fn suggest(
        &self,
        caller: &Caller,
        channel: &ChannelRow,
        text: &str,
        credit: bool,
    ) -> anyhow::Result<Answer> {
        if self.db.schedules_of(channel.id).await?.is_empty() && channel.packs.is_empty() {
            let posts = self.db.recent_posts(channel.id, 1).await?;
            if posts.is_empty() {
                return Ok(Answer::text(
                    "Ponder posts no prompts here, so there is nothing to suggest for. Ask in a channel where it does.",
                ));
            }
        }
        let now = self.clock.now().timestamp();
        let (pending, today) = self
            .db
            .suggestion_counts(
                channel.id,
                &caller.platform,
                &caller.user_id,
                now - 24 * 3600,
            )
            .await?;
        if pending >= MAX_PENDING_SUGGESTIONS {
            return Ok(Answer::text(format!(
                "You have {} waiting here already; an admin decides on those first.",
                plural(pending, "suggestion", "suggestions")
            )));
        }
        if today >= MAX_SUGGESTIONS_PER_DAY {
            return Ok(Answer::text(format!(
                "You made {} in the last 24 hours, the most Ponder takes; try again tomorrow.",
                plural(today, "suggestion", "suggestions")
            )));
        }
        let body = defuse_mentions(text);
        let name = defuse_mentions(&caller.user_name);
        let row = self
            .db
            .add_suggestion(&NewSuggestion {
                channel_id: channel.id,
                platform: &caller.platform,
                author_id: &caller.user_id,
                author_name: &name,
                credit,
                body: &body,
                now,
            })
            .await?;
        tracing::info!(suggestion = row.id, channel = %channel.external_id, "a member suggested a prompt");
        let credit = if credit {
            "it will name you when it posts"
        } else {
            "it will not name you"
        };
        Ok(Answer::text(format!(
            "Thanks: suggestion #{} is waiting for an admin ({credit}). You will get a direct message when it is decided.",
            row.id
        )))
    }

    pub(super) async fn suggestions_list(&self, channel: &ChannelRow) -> anyhow::Result<Answer> {
        let pending = self
            .db
            .suggestions_in(channel.id, SUGGESTION_PENDING)
            .await?;
        if pending.is_empty() {
            return Ok(Answer::text("No suggestions are waiting here."));
        }
        let mut out = format!(
            "{} waiting:\n",
            plural(pending.len() as i64, "suggestion", "suggestions")
        );
        let mut actions = Vec::new();
        for s in &pending {
            let credit = if s.credit { "" } else { ", uncredited" };
            let short: String = s.body.chars().take(300).collect();
            let _ = writeln!(out, "#{} by {}{credit}: {short}", s.id, s.author_name);
            actions.push(Action {
                label: format!("Approve #{}", s.id),
                command: Command::Approve { id: s.id },
            });
            actions.push(Action {
                label: format!("Reject #{}", s.id),
                command: Command::Reject {
                    id: s.id,
                    reason: None,
                },
            });
        }
        out.push_str("`approve ID` adds one to this channel's prompts; `reject ID [REASON]` turns it down (the suggester is told).");
        Ok(Answer {
            text: out,
            file: None,
            actions,
        })
    }

    pub(super) async fn decide(
        &self,
        channel: &ChannelRow,
        id: i64,
        approve: bool,
        reason: Option<&str>,
    ) -> anyhow::Result<Answer> {
        let Some(s) = self
            .db
            .suggestion(id)
            .await?
            .filter(|s| s.channel_id == channel.id)
        else {
            return Ok(Answer::text(format!(
                "There is no suggestion #{id} here; `suggestions` lists them."
            )));
        };
        if s.state != SUGGESTION_PENDING {
            return Ok(Answer::text(format!(
                "Suggestion #{id} was {} already.",
                s.state
            )));
        }
        let now = self.clock.now().timestamp();
        let state = if approve {
            SUGGESTION_APPROVED
        } else {
            SUGGESTION_REJECTED
        };
        let reason = reason.map(defuse_mentions);
        let Some(s) = self
            .db
            .decide_suggestion(id, state, reason.as_deref(), now)
            .await?
        else {
            return Ok(Answer::text(format!(
                "Suggestion #{id} was decided already."
            )));
        };
        tracing::info!(suggestion = id, state, "a suggestion was decided");
        let place = self
            .chat(&channel.platform)
            .map(|c| c.channel_ref(&channel.external_id))
            .unwrap_or_else(|| channel.external_id.clone());
        let short: String = s.body.chars().take(200).collect();
        let message = if approve {
            format!(
                "Your suggestion #{id} for {place} was approved: it joins the prompts there.\n> {short}"
            )
        } else {
            let why = reason
                .as_deref()
                .map(|r| format!(" The admins said: {r}"))
                .unwrap_or_default();
            format!("Your suggestion #{id} for {place} was not taken.{why}\n> {short}")
        };
        let told = match self.chat(&channel.platform) {
            Some(chat) => match chat.send_direct(&s.author_id, &message).await {
                Ok(()) => "The suggester was told.".to_string(),
                Err(e) => {
                    tracing::warn!(suggestion = id, error = %e, "could not tell the suggester");
                    format!("Could not tell the suggester: {e}.")
                }
            },
            None => "The suggester could not be told: the platform is not running.".into(),
        };
        Ok(Answer::text(if approve {
            format!("Suggestion #{id} approved: it joins this channel's rotation. {told}")
        } else {
            format!("Suggestion #{id} rejected. {told}")
        }))
    }

    /// An anonymous reflection: posted into the prompt's thread without its
    /// author, stored with a keyed hash instead of an author id.
    pub(super) async fn reflect_anonymously(
        &self,
        caller: &Caller,
        text: &str,
        wanted: Option<i64>,
    ) -> anyhow::Result<Answer> {
        if !caller.private {
            return Ok(Answer::text(
                "To answer anonymously, send `!ponder anon TEXT` to Ponder in a direct message, \
                 where nobody sees who wrote it.",
            ));
        }
        let post = match self.anonymous_target(caller, wanted).await? {
            Ok(post) => post,
            Err(answer) => return Ok(answer),
        };
        let channel = self.db.channel(post.channel_id).await?;
        if !channel.anonymous {
            return Ok(Answer::text(
                "Anonymous reflections are not allowed there; an admin can allow them with `anonymous on`.",
            ));
        }
        let tag = self
            .settings
            .anon_key
            .author_tag(&caller.platform, &caller.user_id, post.id)?;
        if self.db.count_post_replies_by(post.id, &tag).await? >= MAX_ANONYMOUS_PER_POST {
            return Ok(Answer::text(format!(
                "You have given {MAX_ANONYMOUS_PER_POST} anonymous reflections to this prompt, the most it takes."
            )));
        }
        let Some(chat) = self.chat(&caller.platform).cloned() else {
            return Ok(Answer::text("That platform is not running."));
        };
        let thread = post.thread_id.clone().unwrap_or_default();
        let body = format!("An anonymous reflection:\n{text}");
        let message_id = match chat
            .send_in_thread(&channel.external_id, &thread, &body)
            .await
        {
            Ok(id) => id,
            Err(e) => return Ok(Answer::text(format!("Could not post your reflection: {e}"))),
        };
        let reply = IncomingReply {
            thread_id: thread,
            message_id,
            author_id: tag,
            author_name: "anonymous".into(),
            text: text.to_string(),
            at: self.clock.now(),
        };
        self.store_reply(&caller.platform, &reply, true, true)
            .await?;
        tracing::info!(post = post.id, "an anonymous reflection was posted");
        Ok(Answer::text(format!(
            "Your anonymous reflection is in the thread of \"{}\". Ponder keeps no record that it was you.",
            post.prompt_title
        )))
    }

    /// Whether `thread` is the thread of a prompt posted in `channel`.
    pub async fn thread_in_channel(
        &self,
        platform: &str,
        thread: &str,
        channel: &str,
    ) -> anyhow::Result<bool> {
        let Some(post) = self.db.post_by_thread(platform, thread).await? else {
            return Ok(false);
        };
        Ok(self.db.channel(post.channel_id).await?.external_id == channel)
    }

    /// The open prompt an anonymous reflection answers: the named one, the
    /// one of the channel or thread it was written in, or the only open one
    /// the caller can see.
    async fn anonymous_target(
        &self,
        caller: &Caller,
        wanted: Option<i64>,
    ) -> anyhow::Result<Result<PostRow, Answer>> {
        let chat = self.chat(&caller.platform).cloned();
        let open = |p: &PostRow| {
            p.platform == caller.platform && p.is(PostState::Open) && p.thread_id.is_some()
        };
        if let Some(id) = wanted {
            let post = self.db.post(id).await?.filter(open);
            let Some(post) = post else {
                return Ok(Err(Answer::text(format!(
                    "Prompt #{id} is not open for replies."
                ))));
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
                return Ok(Err(Answer::text(format!(
                    "Prompt #{id} is not open for replies."
                ))));
            }
            return Ok(Ok(post));
        }
        // The thread it was written in counts only if that thread's prompt is
        // in the room it was written in, and the caller is a member there.
        if let Some(t) = &caller.thread
            && let Some(post) = self.db.post_by_thread(&caller.platform, t).await?
            && open(&post)
            && self.db.channel(post.channel_id).await?.external_id == caller.channel
            && self.is_member_of(&post, &caller.user_id).await?
        {
            return Ok(Ok(post));
        }
        if let Some(ch) = self
            .db
            .find_channel(&caller.platform, &caller.channel)
            .await?
            && let Some(post) = self.db.current_post(ch.id).await?
            && open(&post)
        {
            return Ok(Ok(post));
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
            0 => Ok(Err(Answer::text(
                "There is no open prompt you can answer anonymously right now.",
            ))),
            1 => Ok(Ok(candidates.remove(0))),
            _ => {
                let mut out =
                    String::from("Several prompts are open; name one with `anon #N TEXT`:");
                for p in &candidates {
                    let _ = write!(out, "\n#{} \"{}\"", p.id, p.prompt_title);
                }
                Ok(Err(Answer::text(out)))
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

    /// The author ids Ponder may hold for a person: theirs, and the keyed
    /// hash of each anonymous reply they could have written.
    async fn authors_of(&self, caller: &Caller) -> anyhow::Result<Vec<String>> {
        let mut ids = vec![caller.user_id.clone()];
        for post in self
            .db
            .posts_with_anonymous_replies(&caller.platform)
            .await?
        {
            ids.push(
                self.settings
                    .anon_key
                    .author_tag(&caller.platform, &caller.user_id, post)?,
            );
        }
        Ok(ids)
    }

    pub(super) async fn forget_me(&self, caller: &Caller, confirm: bool) -> anyhow::Result<Answer> {
        let authors = self.authors_of(caller).await?;
        let platform = &caller.platform;
        if !confirm {
            let replies = self.db.count_author_replies(platform, &authors).await?;
            let suggestions = self
                .db
                .count_author_suggestions(platform, &caller.user_id)
                .await?;
            let suggestions = if suggestions > 0 {
                format!(" and {}", plural(suggestions, "suggestion", "suggestions"))
            } else {
                String::new()
            };
            let platform_side = if self.chat(platform).is_some_and(|c| c.can_delete_own()) {
                format!(
                    ", and deletes the reflections Ponder posted for you; your own messages on {platform} stay yours to delete"
                )
            } else {
                String::new()
            };
            return Ok(Answer::text(format!(
                "Ponder keeps {} of yours{suggestions} on {platform}. Erasing deletes them from its database for good{platform_side}. \
                 To erase, run `forget-me` again with confirm.",
                plural(replies, "reply", "replies"),
            )));
        }
        let now = self.clock.now().timestamp();
        let mut removed = 0;
        if let Some(chat) = self.chat(platform).filter(|c| c.can_delete_own()) {
            for (channel, thread, message) in self.db.relayed_replies_of(platform, &authors).await?
            {
                match chat.delete_own(&channel, &thread, &message).await {
                    Ok(()) => removed += 1,
                    Err(e) => {
                        tracing::warn!(error = %e, "could not delete a relayed reflection on the platform")
                    }
                }
            }
        }
        let replies = self.db.erase_author(platform, &authors, now).await?;
        let suggestions = self
            .db
            .erase_author_suggestions(platform, &caller.user_id)
            .await?;
        // The erased text leaves the write-ahead log too (`secure_delete` has
        // overwritten it in the database file).
        self.db.checkpoint().await?;
        tracing::info!(%platform, replies, suggestions, "a member erased their data");
        let mut also = Vec::new();
        if suggestions > 0 {
            also.push(plural(suggestions as i64, "suggestion", "suggestions"));
        }
        if removed > 0 {
            also.push(format!(
                "{} Ponder posted for you, removed from {platform}",
                plural(removed, "message", "messages")
            ));
        }
        let also = if also.is_empty() {
            String::new()
        } else {
            format!(" ({})", also.join("; "))
        };
        Ok(Answer::text(format!(
            "Done: {} deleted.{also} Ponder keeps nothing of yours now, only the ids of those messages so it never collects them again.",
            plural(replies as i64, "reply", "replies"),
        )))
    }

    /// Checks what the bot lacks in a channel and records it. `None` when
    /// the channel's platform is not running.
    pub async fn check_permissions(
        &self,
        channel: &ChannelRow,
    ) -> anyhow::Result<Option<Vec<String>>> {
        let Some(chat) = self.chat(&channel.platform).cloned() else {
            return Ok(None);
        };
        let needs = self.needs_of(channel).await?;
        let missing = match chat.missing_permissions(&channel.external_id, &needs).await {
            Ok(m) => m,
            Err(e) => vec![format!("the check itself failed: {e}")],
        };
        self.record_missing(channel, &missing).await?;
        Ok(Some(missing))
    }

    /// What a channel's schedules need beyond posting prompts and threads.
    pub async fn needs_of(&self, channel: &ChannelRow) -> anyhow::Result<Needs> {
        let mut needs = Needs::default();
        for s in self.db.schedules_of(channel.id).await? {
            needs.pin |= s.pin;
            if let Some(p) = s.ping
                && !needs.ping.contains(&p)
            {
                needs.ping.push(p);
            }
        }
        Ok(needs)
    }

    /// Records what a check found missing (shown by `status`), and logs it.
    pub async fn record_missing(
        &self,
        channel: &ChannelRow,
        missing: &[String],
    ) -> anyhow::Result<()> {
        if !missing.is_empty() {
            tracing::warn!(
                platform = %channel.platform,
                channel = %channel.external_id,
                missing = %missing.join(", "),
                "Ponder lacks permissions in a channel; its posts there will fail until an admin grants them"
            );
        }
        self.db
            .set_missing_permissions(channel.id, missing, self.clock.now().timestamp())
            .await?;
        Ok(())
    }

    /// At start: every channel with a schedule is checked (except on
    /// platforms that check as they connect), and what is missing is
    /// logged and shown by `status`.
    pub async fn self_check(&self) -> anyhow::Result<()> {
        for channel in self.db.channels().await? {
            let checks_itself = self
                .chat(&channel.platform)
                .is_some_and(|c| c.checks_permissions_on_connect());
            if checks_itself || self.db.schedules_of(channel.id).await?.is_empty() {
                continue;
            }
            self.check_permissions(&channel).await?;
        }
        Ok(())
    }

    /// The sentence setup and status give about permissions.
    pub(super) fn permissions_sentence(missing: &[String]) -> String {
        if missing.is_empty() {
            "Permissions checked: nothing is missing.".into()
        } else {
            format!(
                "Ponder is missing here: {}. Grant {} to Ponder (its role, or this channel's permissions), or its posts will fail.",
                missing.join(", "),
                if missing.len() == 1 { "it" } else { "them" }
            )
        }
    }
}
