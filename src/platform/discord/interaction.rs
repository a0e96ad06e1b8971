//! How Ponder sees a Discord user and answers them: where an interaction
//! came from, the name a member is shown by, whether they are an admin, the
//! engine's [`Caller`] built from all that, and an [`Answer`] rendered as an
//! ephemeral reply that never pings. A leaf: slash commands, buttons and the
//! gateway use it; it uses none of them.

use poise::serenity_prelude as serenity;

use super::{MAX_MESSAGE_CHARS, PLATFORM};
use crate::engine::{Answer, Caller};

/// The channel of an interaction, and its thread when it came from inside one.
pub(super) fn place_of(
    here: serenity::ChannelId,
    channel: Option<&serenity::PartialChannel>,
) -> (String, Option<String>) {
    if let Some(ch) = channel {
        let thread = matches!(
            ch.kind,
            serenity::ChannelType::PublicThread
                | serenity::ChannelType::PrivateThread
                | serenity::ChannelType::NewsThread
        );
        if let (true, Some(parent)) = (thread, ch.parent_id) {
            return (parent.to_string(), Some(here.to_string()));
        }
    }
    (here.to_string(), None)
}

/// Manage Server (or Administrator), from the permissions Discord computed for the interaction.
pub(super) fn is_admin(member: Option<&serenity::Member>) -> bool {
    member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_guild() || p.administrator())
}

/// The name a member is shown by: their server nickname, else their global
/// name, else their user name.
pub(super) fn display_name(user: &serenity::User, nick: Option<&str>) -> String {
    nick.map(str::to_string)
        .or_else(|| user.global_name.clone())
        .unwrap_or_else(|| user.name.clone())
}

/// The engine's caller for an interaction: answered in private (ephemerally).
pub(super) fn caller(
    user: &serenity::User,
    member: Option<&serenity::Member>,
    channel: &str,
    thread: Option<String>,
    locale: Option<String>,
) -> Caller {
    Caller {
        platform: PLATFORM.into(),
        channel: channel.to_string(),
        user_id: user.id.to_string(),
        user_name: display_name(user, member.and_then(|m| m.nick.as_deref())),
        thread,
        is_admin: is_admin(member),
        private: true,
        locale,
    }
}

/// The caller's language as Discord tells it: the member's own locale
/// where Ponder ships that language, else the server's preferred locale
/// (where shipped), else none (the configured default then answers).
pub(super) fn locale_of(user: Option<&str>, guild: Option<&str>) -> Option<String> {
    [user, guild]
        .into_iter()
        .flatten()
        .find(|tag| crate::i18n::Lang::parse(tag).is_some())
        .map(str::to_string)
}

/// An answer as an ephemeral reply that never pings: its text, its file,
/// and `rows` of buttons for its actions.
pub(super) fn reply(answer: Answer, rows: Vec<serenity::CreateActionRow>) -> poise::CreateReply {
    let mut reply = poise::CreateReply::default()
        .content(fit(answer.text))
        .ephemeral(true)
        .allowed_mentions(serenity::CreateAllowedMentions::new())
        .components(rows);
    if let Some((name, body)) = answer.file {
        reply = reply.attachment(serenity::CreateAttachment::bytes(body.into_bytes(), name));
    }
    reply
}

/// A message's text cut to Discord's 2000 characters (its first 1999 and
/// `…`, as [`crate::text::cut`] cuts).
pub(super) fn fit(text: String) -> String {
    crate::text::cut(&text, MAX_MESSAGE_CHARS).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_longer_than_a_message_is_cut_to_its_first_1999_characters_and_an_ellipsis() {
        assert_eq!(fit("short".into()), "short");
        let whole = "é".repeat(MAX_MESSAGE_CHARS);
        assert_eq!(fit(whole.clone()), whole);
        let long = format!("{}xyz", "é".repeat(MAX_MESSAGE_CHARS));
        let cut = fit(long);
        assert_eq!(cut.chars().count(), MAX_MESSAGE_CHARS);
        assert_eq!(cut, format!("{}…", "é".repeat(MAX_MESSAGE_CHARS - 1)));
    }
}
