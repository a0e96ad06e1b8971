//! Member suggestions: a queue admins decide on; approved ones join the
//! channel's rotation (as the pack [`SUGGESTIONS_PACK`]) and the suggester
//! is told the decision in a direct message.

use std::fmt::Write as _;

use super::Engine;
use super::commands::{Action, Answer, Caller, refuse};
use crate::db::{ChannelRow, NewSuggestion, SuggestionRow, SuggestionState};
use crate::domain::command::Command;
use crate::domain::prompt::Prompt;
use crate::i18n::Lang;
use crate::tr;

/// How many suggestions one member may have waiting in a channel.
pub const MAX_PENDING_SUGGESTIONS: i64 = 3;
/// How many suggestions one member may make in a day, on a platform.
pub const MAX_SUGGESTIONS_PER_DAY: i64 = 5;
/// The pack name approved suggestions carry in the rotation and the archive.
pub const SUGGESTIONS_PACK: &str = "suggestions";

/// Text that can never mention anyone, whatever a platform parses:
/// `@everyone`, `<@123>`, `@room`, `@user:server` lose their power.
pub fn defuse_mentions(text: &str) -> String {
    text.replace('@', "@\u{200b}")
}

/// The credit line a prompt from a suggestion carries, in the language of
/// the channel it posts in.
fn credit_line(name: &str, lang: Lang) -> String {
    format!("\n{}", tr!(lang, "suggestion-credit", name = name))
}

/// An approved suggestion as a prompt of the rotation, its credit line in
/// `lang`.
pub(crate) fn suggestion_prompt(s: &SuggestionRow, lang: Lang) -> Prompt {
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
        text.push_str(&credit_line(&s.author_name, lang));
    }
    Prompt {
        title: Some(title),
        text,
        ..plain
    }
}

impl Engine {
    pub(super) async fn suggest(
        &self,
        caller: &Caller,
        channel: &ChannelRow,
        text: &str,
        credit: bool,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        if self.db.schedules_of(channel.id).await?.is_empty() && channel.packs.is_empty() {
            let posts = self.db.recent_posts(channel.id, 1).await?;
            if posts.is_empty() {
                return refuse(tr!(lang, "not-served-suggest"));
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
            return refuse(tr!(lang, "suggest-pending-limit", count = pending));
        }
        if today >= MAX_SUGGESTIONS_PER_DAY {
            return refuse(tr!(lang, "suggest-daily-limit", count = today));
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
            tr!(lang, "suggest-named")
        } else {
            tr!(lang, "suggest-unnamed")
        };
        Ok(Answer::text(tr!(
            lang,
            "suggest-thanks",
            id = row.id,
            credit = credit
        )))
    }

    pub(super) async fn suggestions_list(
        &self,
        channel: &ChannelRow,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let pending = self
            .db
            .suggestions_in(channel.id, SuggestionState::Pending)
            .await?;
        if pending.is_empty() {
            return Ok(Answer::text(tr!(lang, "suggestions-none")));
        }
        let mut out = tr!(lang, "suggestions-waiting", count = pending.len());
        out.push('\n');
        let mut actions = Vec::new();
        for s in &pending {
            let uncredited = if s.credit {
                String::new()
            } else {
                tr!(lang, "suggestions-uncredited")
            };
            let short: String = s.body.chars().take(300).collect();
            let line = tr!(
                lang,
                "suggestions-line",
                id = s.id,
                name = s.author_name.as_str(),
                uncredited = uncredited,
                text = short
            );
            let _ = writeln!(out, "{line}");
            actions.push(Action {
                label: tr!(lang, "suggestions-approve", id = s.id),
                command: Command::Approve { id: s.id },
            });
            actions.push(Action {
                label: tr!(lang, "suggestions-reject", id = s.id),
                command: Command::Reject {
                    id: s.id,
                    reason: None,
                },
            });
        }
        out.push_str(&tr!(lang, "suggestions-how"));
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
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let Some(s) = self
            .db
            .suggestion(id)
            .await?
            .filter(|s| s.channel_id == channel.id)
        else {
            return refuse(tr!(lang, "suggestion-unknown", id = id));
        };
        if s.state != SuggestionState::Pending {
            return refuse(tr!(
                lang,
                "suggestion-was",
                id = id,
                state = s.state.as_str()
            ));
        }
        let now = self.clock.now().timestamp();
        let state = if approve {
            SuggestionState::Approved
        } else {
            SuggestionState::Rejected
        };
        let reason = reason.map(defuse_mentions);
        let Some(s) = self
            .db
            .decide_suggestion(id, state, reason.as_deref(), now)
            .await?
        else {
            return refuse(tr!(lang, "suggestion-decided", id = id));
        };
        tracing::info!(
            suggestion = id,
            state = state.as_str(),
            "a suggestion was decided"
        );
        let place = self
            .chat(&channel.platform)
            .map(|c| c.channel_ref(&channel.external_id))
            .unwrap_or_else(|| channel.external_id.clone());
        let short: String = s.body.chars().take(200).collect();
        // The suggester is told in the language of the channel they
        // suggested for.
        let dm_lang = self.lang_of(channel);
        let place = place.as_str();
        let message = if approve {
            tr!(
                dm_lang,
                "suggestion-dm-approved",
                id = id,
                place = place,
                text = short
            )
        } else {
            let why = reason
                .as_deref()
                .map(|r| tr!(dm_lang, "suggestion-dm-why", reason = r))
                .unwrap_or_default();
            tr!(
                dm_lang,
                "suggestion-dm-rejected",
                id = id,
                place = place,
                why = why,
                text = short
            )
        };
        let told = match self.chat(&channel.platform) {
            Some(chat) => match chat.send_direct(&s.author_id, &message).await {
                Ok(()) => tr!(lang, "suggester-told"),
                Err(e) => {
                    tracing::warn!(suggestion = id, error = %e, "could not tell the suggester");
                    tr!(lang, "suggester-not-told", error = e.to_string())
                }
            },
            None => tr!(lang, "suggester-no-platform"),
        };
        Ok(Answer::text(if approve {
            tr!(lang, "suggestion-approved", id = id, told = told)
        } else {
            tr!(lang, "suggestion-rejected", id = id, told = told)
        }))
    }
}
