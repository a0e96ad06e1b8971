//! `forget-me`: everything Ponder keeps about a person erased, on their
//! word (asked twice), including their anonymous replies, which only they
//! can name (by the keyed hash of their id).

use super::Engine;
use super::commands::{Answer, Caller};
use crate::i18n::Lang;
use crate::tr;

impl Engine {
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

    /// `lang`: the caller's answer language (see [`Engine::answer_lang`]).
    pub(super) async fn forget_me(
        &self,
        caller: &Caller,
        confirm: bool,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let authors = self.authors_of(caller).await?;
        let platform = &caller.platform;
        if !confirm {
            let replies = self.db.count_author_replies(platform, &authors).await?;
            let suggestions = self
                .db
                .count_author_suggestions(platform, &caller.user_id)
                .await?;
            let suggestions = if suggestions > 0 {
                tr!(lang, "forget-ask-suggestions", count = suggestions)
            } else {
                String::new()
            };
            let relayed = if self.chat(platform).is_some_and(|c| c.can_delete_own()) {
                tr!(lang, "forget-ask-relayed", platform = platform.as_str())
            } else {
                String::new()
            };
            return Ok(Answer::text(tr!(
                lang,
                "forget-ask",
                replies = replies,
                suggestions = suggestions,
                platform = platform.as_str(),
                relayed = relayed
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
            also.push(tr!(lang, "forget-done-suggestions", count = suggestions));
        }
        if removed > 0 {
            also.push(tr!(
                lang,
                "forget-done-relayed",
                count = removed,
                platform = platform.as_str()
            ));
        }
        let also = if also.is_empty() {
            String::new()
        } else {
            format!(" ({})", also.join("; "))
        };
        Ok(Answer::text(tr!(
            lang,
            "forget-done",
            replies = replies,
            also = also
        )))
    }
}
