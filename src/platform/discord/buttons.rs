//! Buttons: the actions an answer offers (approve or reject a suggestion)
//! become buttons whose `custom_id` names the command and the channel it is
//! for; a click runs that command as the admin who clicked. Rejecting asks
//! for an optional reason in a modal first.

use poise::serenity_prelude as serenity;

use super::interaction::{caller, fit, locale_of, place_of};
use crate::domain::command::{Command, MAX_REASON_CHARS};
use crate::engine::{Action, Engine};
use crate::tr;

const PREFIX: &str = "ponder";
/// Discord allows 5 rows of 5 buttons.
const MAX_BUTTONS: usize = 25;

/// The `custom_id` of an action, or `None` for one that has no button.
fn custom_id(command: &Command, channel: &str) -> Option<String> {
    match command {
        Command::Approve { id } => Some(format!("{PREFIX}:approve:{id}:{channel}")),
        Command::Reject { id, .. } => Some(format!("{PREFIX}:reject:{id}:{channel}")),
        _ => None,
    }
}

/// `(verb, suggestion id, channel)` from a `custom_id`.
fn parse_id(custom_id: &str) -> Option<(&str, i64, &str)> {
    let mut parts = custom_id.split(':');
    if parts.next()? != PREFIX {
        return None;
    }
    let verb = parts.next()?;
    let id = parts.next()?.parse().ok()?;
    let channel = parts.next()?;
    channel.parse::<u64>().ok()?;
    parts.next().is_none().then_some((verb, id, channel))
}

/// The answer's actions as rows of buttons.
pub fn rows(actions: &[Action], channel: &str) -> Vec<serenity::CreateActionRow> {
    let buttons: Vec<serenity::CreateButton> = actions
        .iter()
        .filter_map(|a| {
            let id = custom_id(&a.command, channel)?;
            let style = match a.command {
                Command::Reject { .. } => serenity::ButtonStyle::Danger,
                _ => serenity::ButtonStyle::Success,
            };
            Some(serenity::CreateButton::new(id).label(&a.label).style(style))
        })
        .take(MAX_BUTTONS)
        .collect();
    buttons
        .chunks(5)
        .map(|row| serenity::CreateActionRow::Buttons(row.to_vec()))
        .collect()
}

/// Handles a click on one of Ponder's buttons, or the reason modal it opened.
/// Other interactions (poise's own) are left alone.
pub async fn on_interaction(
    ctx: &serenity::Context,
    interaction: &serenity::Interaction,
    engine: &Engine,
) -> anyhow::Result<()> {
    match interaction {
        serenity::Interaction::Component(c) => {
            let Some((verb, id, channel)) = parse_id(&c.data.custom_id) else {
                return Ok(());
            };
            if verb == "reject" {
                // Ask for a reason first; the modal carries the same id.
                let locale = locale_of(Some(&c.locale), c.guild_locale.as_deref());
                let lang = engine
                    .lang_for(super::PLATFORM, channel, locale.as_deref())
                    .await;
                let reason = serenity::CreateInputText::new(
                    serenity::InputTextStyle::Paragraph,
                    tr!(lang, "reject-reason-label"),
                    "reason",
                )
                .required(false)
                .max_length(MAX_REASON_CHARS as u16);
                let title = tr!(lang, "reject-title", id = id);
                let modal = serenity::CreateModal::new(c.data.custom_id.clone(), title)
                    .components(vec![serenity::CreateActionRow::InputText(reason)]);
                c.create_response(&ctx.http, serenity::CreateInteractionResponse::Modal(modal))
                    .await?;
                return Ok(());
            }
            let (_, thread) = place_of(c.channel_id, c.channel.as_ref());
            let locale = locale_of(Some(&c.locale), c.guild_locale.as_deref());
            let caller = caller(&c.user, c.member.as_ref(), channel, thread, locale);
            let cmd = Command::Approve { id };
            let text = engine.handle(&caller, cmd).await.text;
            respond(|r| c.create_response(&ctx.http, r), text).await
        }
        serenity::Interaction::Modal(m) => {
            let Some(("reject", id, channel)) = parse_id(&m.data.custom_id) else {
                return Ok(());
            };
            let reason = m
                .data
                .components
                .iter()
                .flat_map(|row| row.components.iter())
                .find_map(|c| match c {
                    serenity::ActionRowComponent::InputText(t) if t.custom_id == "reason" => {
                        t.value.clone()
                    }
                    _ => None,
                })
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty());
            let (_, thread) = place_of(m.channel_id, m.channel.as_ref());
            let locale = locale_of(Some(&m.locale), m.guild_locale.as_deref());
            let caller = caller(&m.user, m.member.as_ref(), channel, thread, locale);
            let text = engine
                .handle(&caller, Command::Reject { id, reason })
                .await
                .text;
            respond(|r| m.create_response(&ctx.http, r), text).await
        }
        _ => Ok(()),
    }
}

/// Answers the click ephemerally, never pinging.
async fn respond<F, Fut>(send: F, text: String) -> anyhow::Result<()>
where
    F: FnOnce(serenity::CreateInteractionResponse) -> Fut,
    Fut: std::future::Future<Output = serenity::Result<()>>,
{
    let message = serenity::CreateInteractionResponseMessage::new()
        .content(fit(text))
        .ephemeral(true)
        .allowed_mentions(serenity::CreateAllowedMentions::new());
    send(serenity::CreateInteractionResponse::Message(message)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn button_ids_name_the_command_and_the_channel() {
        let id = custom_id(&Command::Approve { id: 7 }, "123").unwrap();
        assert_eq!(id, "ponder:approve:7:123");
        assert_eq!(parse_id(&id), Some(("approve", 7, "123")));
        let id = custom_id(
            &Command::Reject {
                id: 8,
                reason: None,
            },
            "9",
        )
        .unwrap();
        assert_eq!(parse_id(&id), Some(("reject", 8, "9")));
        for bad in [
            "",
            "ponder",
            "other:approve:1:2",
            "ponder:approve:x:2",
            "ponder:approve:1:notanid",
            "ponder:approve:1:2:3",
        ] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
        assert_eq!(custom_id(&Command::Status, "1"), None);
    }
}
