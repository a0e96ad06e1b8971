//! Member suggestions: a queue admins decide on; approved ones join the
//! channel's rotation (as the pack [`SUGGESTIONS_PACK`]) and the suggester
//! is told the decision in a direct message.

use std::fmt::Write as _;

use super::Engine;
use super::commands::{Action, Answer, Caller, refuse};
use crate::db::{ChannelRow, NewSuggestion, SuggestionRow, SuggestionState};
use crate::domain::command::Command;
use crate::domain::prompt::Prompt;
use crate::text::plural;

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

/// The credit line a prompt from a suggestion carries.
fn credit_line(name: &str) -> String {
    format!("\n— suggested by {name}")
}

/// An approved suggestion as a prompt of the rotation.
pub(crate) fn suggestion_prompt(s: &SuggestionRow) -> Prompt {
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

impl Engine {
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
                return refuse(
                    "Ponder posts no prompts here, so there is nothing to suggest for. Ask in a channel where it does.",
                );
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
            return refuse(format!(
                "You have {} waiting here already; an admin decides on those first.",
                plural(pending, "suggestion", "suggestions")
            ));
        }
        if today >= MAX_SUGGESTIONS_PER_DAY {
            return refuse(format!(
                "You made {} in the last 24 hours, the most Ponder takes; try again tomorrow.",
                plural(today, "suggestion", "suggestions")
            ));
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
            .suggestions_in(channel.id, SuggestionState::Pending)
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
            return refuse(format!(
                "There is no suggestion #{id} here; `suggestions` lists them."
            ));
        };
        if s.state != SuggestionState::Pending {
            return refuse(format!("Suggestion #{id} was {} already.", s.state));
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
            return refuse(format!("Suggestion #{id} was decided already."));
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
}
