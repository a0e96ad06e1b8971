//! The language a channel speaks: `language [CODE]` (admins), and which
//! language an answer or a message of Ponder's is in.
//!
//! Rules: a channel's own language (its config's `language`, or `language`
//! in chat) wins; where it has none, an answer to a member follows the
//! member's own locale if the platform says it and Ponder ships it (Discord:
//! the interaction's locale, else the server's preferred locale), else the
//! config's top-level `language` (default `en`). What Ponder posts in a
//! channel for everyone (digests, reflections) is in the channel's language.

use super::{Answer, Caller, refuse};
use crate::db::ChannelRow;
use crate::domain::command::Usage;
use crate::engine::Engine;
use crate::i18n::Lang;
use crate::tr;

impl Engine {
    /// The language of this channel: its own, else the configured default.
    /// What it posts for everyone (and, for the prompt packs, what it draws)
    /// is in this language.
    pub fn lang_of(&self, channel: &ChannelRow) -> Lang {
        channel.lang().unwrap_or(self.settings.language)
    }

    /// The language of an answer to this caller, in this channel if Ponder
    /// serves it: the channel's own, else the caller's locale (where shipped),
    /// else the configured default.
    pub fn answer_lang(&self, channel: Option<&ChannelRow>, caller: &Caller) -> Lang {
        self.lang_between(channel, caller.locale.as_deref())
    }

    /// The language of what a platform adapter says itself to a member in
    /// `channel` (a refusal before the engine is asked, a form's title, a
    /// file it could not fetch): as [`Engine::answer_lang`], from the
    /// channel's row if Ponder serves it.
    /// The lookup waits at most half a second (Discord wants an answer to
    /// an interaction within three, and a form cannot be deferred): past
    /// it, the member's locale or the default speaks.
    pub async fn lang_for(&self, platform: &str, channel: &str, locale: Option<&str>) -> Lang {
        let lookup = self.db().find_channel(platform, channel);
        let row = tokio::time::timeout(std::time::Duration::from_millis(500), lookup)
            .await
            .ok()
            .and_then(Result::ok)
            .flatten();
        self.lang_between(row.as_ref(), locale)
    }

    /// The answer to a malformed command (`!ponder now a b`, a bad date or
    /// schedule), in the language of an answer in `channel` to a member with
    /// `locale`: what the Matrix and console adapters answer (Discord's
    /// slash commands render a [`Usage`] in the interaction's language).
    pub async fn usage_answer(
        &self,
        platform: &str,
        channel: &str,
        locale: Option<&str>,
        usage: &Usage,
    ) -> String {
        usage.text(self.lang_for(platform, channel, locale).await)
    }

    fn lang_between(&self, channel: Option<&ChannelRow>, locale: Option<&str>) -> Lang {
        channel
            .and_then(ChannelRow::lang)
            .or_else(|| locale.and_then(Lang::parse))
            .unwrap_or(self.settings.language)
    }

    /// `language [CODE]`: sets the channel's language, or says the current
    /// one and the choices. The answer is in the new language.
    pub(super) async fn language(
        &self,
        caller: &Caller,
        channel: &ChannelRow,
        tag: Option<&str>,
    ) -> anyhow::Result<Answer> {
        let choices = Lang::choices();
        let Some(tag) = tag else {
            let lang = self.answer_lang(Some(channel), caller);
            let (name, code) = (lang.name(), lang.code());
            return Ok(Answer::text(match channel.language {
                Some(_) => tr!(
                    lang,
                    "language-current",
                    name = name,
                    code = code,
                    choices = choices
                ),
                None => tr!(
                    lang,
                    "language-unset",
                    name = name,
                    code = code,
                    choices = choices
                ),
            }));
        };
        let Some(lang) = Lang::parse(tag) else {
            let lang = self.answer_lang(Some(channel), caller);
            return refuse(tr!(lang, "language-unknown", tag = tag, choices = choices));
        };
        self.db
            .set_channel_language(channel.id, Some(lang.code()))
            .await?;
        Ok(Answer::text(tr!(
            lang,
            "language-set",
            name = lang.name(),
            code = lang.code()
        )))
    }
}
