//! What the bot does with what arrives over sync: thread replies, edits,
//! redactions, `!ponder` commands and invites.
//!
//! Who is an admin: someone with `admin_power_level` in a room Ponder was
//! let into by an allow-listed inviter (recorded in the room's account data
//! as `org.ponder.room` when it joins) or that an allow-listed user created.
//! Never in a direct chat: there the other person has power 100 by creating
//! it, so admin commands are refused.
//!
//! Personal commands (`stats`, `about`, `forget-me`, `anon`) are answered
//! in a direct chat only; typed in a shared room, the answer goes to the
//! person's direct chat, and `forget-me confirm` there only previews (the
//! erasing must be confirmed in the direct chat, so no public command sits
//! next to the redactions it causes).

use std::sync::Arc;
use std::time::Duration;

use matrix_sdk::Room;
use matrix_sdk::RoomState;
use matrix_sdk::event_handler::Ctx;
use matrix_sdk::ruma::events::room::member::{MembershipState, StrippedRoomMemberEvent};
use matrix_sdk::ruma::events::room::message::{OriginalSyncRoomMessageEvent, Relation};
use matrix_sdk::ruma::events::room::redaction::OriginalSyncRoomRedactionEvent;
use matrix_sdk::ruma::{UserId, events::room::power_levels::UserPowerLevel};

use super::content::{quiet_content, thread_relation};
use super::read_back::strip_fallback;
use super::rooms::active_members;
use super::{MatrixChat, PLATFORM};
use crate::domain::command::{self, Command};
use crate::engine::ingest::Change;
use crate::engine::{Caller, Chat as _, Engine, IncomingReply};
use crate::tr;

#[derive(Clone)]
struct State {
    chat: Arc<MatrixChat>,
    engine: Arc<Engine>,
}

pub(super) fn attach(chat: &Arc<MatrixChat>, engine: Arc<Engine>) {
    let client = chat.client();
    client.add_event_handler_context(State {
        chat: chat.clone(),
        engine,
    });
    client.add_event_handler(on_message);
    client.add_event_handler(on_redaction);
    client.add_event_handler(on_invite);
}

async fn on_message(ev: OriginalSyncRoomMessageEvent, room: Room, Ctx(state): Ctx<State>) {
    let chat = &state.chat;
    if ev.sender == chat.own_user || room.state() != RoomState::Joined {
        return;
    }
    let room_id = room.room_id().to_string();
    let body = ev.content.body().to_string();
    let thread = match &ev.content.relates_to {
        Some(Relation::Thread(t)) => Some(t.event_id.to_string()),
        Some(Relation::Reply(reply)) => Some(reply.in_reply_to.event_id.to_string()),
        Some(Relation::Replacement(r)) => {
            // Anyone may send an edit: the writer applies it only to a reply
            // of this sender's, in this room.
            let change = Change::EditedBy {
                channel: room_id,
                editor: ev.sender.to_string(),
                message_id: r.event_id.to_string(),
                text: r.new_content.msgtype.body().to_string(),
            };
            state.engine.queue_reply(PLATFORM, change).await;
            return;
        }
        _ => None,
    };
    match command::parse(&body) {
        Ok(Some(mut cmd)) => {
            let private = is_private(&room).await;
            let personal = is_personal(&cmd);
            if personal
                && !private
                && let Command::ForgetMe { confirm } = &mut cmd
            {
                *confirm = false; // erasing is confirmed in the direct chat only
            }
            let caller = Caller {
                platform: PLATFORM.into(),
                channel: room_id,
                user_id: ev.sender.to_string(),
                user_name: chat.display_name(&room, &ev.sender).await,
                thread: thread.clone(),
                is_admin: is_admin(chat, &room, &ev.sender).await,
                private,
                // Matrix says no member's language: the room's or the default.
                locale: None,
            };
            if caller.is_admin || !cmd.needs_admin() {
                // The file a command takes (a refusal comes without one).
                chat.attach_file(&room, &ev.sender, &ev.event_id, &mut cmd)
                    .await;
            }
            let forget_in_public = matches!(cmd, Command::ForgetMe { .. }) && !private;
            let answer = state.engine.handle(&caller, cmd).await;
            if personal && !private {
                let lang = state.engine.lang_for(PLATFORM, &caller.channel, None).await;
                let mut text = answer.text.clone();
                if forget_in_public {
                    text.push('\n');
                    text.push_str(&tr!(lang, "forget-me-confirm-in-direct"));
                }
                let told = chat.send_direct(ev.sender.as_str(), &text).await;
                let public = match told {
                    Ok(()) => tr!(lang, "answered-in-direct"),
                    Err(e) => {
                        tracing::warn!(error = %e, "answering a personal command in a direct chat");
                        tr!(lang, "direct-only")
                    }
                };
                notice(chat, &room, thread.as_deref(), &public).await;
                return;
            }
            let mut text = answer.text;
            if let Some((name, body)) = answer.file {
                // The file first, where the answer is (its thread), encrypted
                // in an encrypted room; the answer after it says what it is,
                // or that it could not be sent.
                if let Err(e) = chat
                    .send_file(
                        room.room_id().as_str(),
                        thread.as_deref(),
                        "",
                        &name,
                        body.as_bytes(),
                    )
                    .await
                {
                    tracing::warn!(error = %e, file = %name, "sending a command's file");
                    let lang = state.engine.lang_for(PLATFORM, &caller.channel, None).await;
                    text.push('\n');
                    text.push_str(&tr!(lang, "file-not-sent", name = name.as_str()));
                }
            }
            notice(chat, &room, thread.as_deref(), &text).await;
        }
        Err(usage) => {
            // Matrix says no member's language: the room's or the default.
            let said = state
                .engine
                .usage_answer(PLATFORM, &room_id, None, &usage)
                .await;
            notice(chat, &room, thread.as_deref(), &said).await;
        }
        Ok(None) => {
            let Some(thread) = thread else { return };
            // Only a prompt of this very room takes replies from it.
            match state
                .engine
                .thread_in_channel(PLATFORM, &thread, &room_id)
                .await
            {
                Ok(true) => {}
                Ok(false) => return,
                Err(e) => {
                    tracing::error!(error = %format!("{e:#}"), "finding a reply's prompt");
                    return;
                }
            }
            let reply = IncomingReply {
                thread_id: thread,
                message_id: ev.event_id.to_string(),
                author_id: ev.sender.to_string(),
                author_name: chat.display_name(&room, &ev.sender).await,
                text: strip_fallback(&body),
                at: chrono::DateTime::from_timestamp_millis(i64::from(ev.origin_server_ts.0))
                    .unwrap_or_default(),
            };
            state.engine.queue_reply(PLATFORM, Change::New(reply)).await;
        }
    }
}

async fn on_redaction(ev: OriginalSyncRoomRedactionEvent, room: Room, Ctx(state): Ctx<State>) {
    let redacts = ev.redacts.clone().or_else(|| ev.content.redacts.clone());
    let Some(redacts) = redacts else { return };
    // Applied only to a reply of this room (the homeserver checked who may redact).
    let change = Change::DeletedFrom {
        channel: room.room_id().to_string(),
        message_id: redacts.to_string(),
    };
    state.engine.queue_reply(PLATFORM, change).await;
}

/// Invites from allowed users or servers are accepted (with retries); the
/// others are declined.
async fn on_invite(ev: StrippedRoomMemberEvent, room: Room, Ctx(state): Ctx<State>) {
    let chat = state.chat.clone();
    if ev.state_key != chat.own_user || ev.content.membership != MembershipState::Invite {
        return;
    }
    let inviter = ev.sender.clone();
    let direct = ev.content.is_direct == Some(true);
    let listed = chat.allowed_inviter(&inviter);
    let allowed = listed
        // A member of a community Ponder serves may talk to it directly
        // (anonymous reflections, suggestion outcomes).
        || (direct && chat.shares_a_room_with(&inviter).await);
    tokio::spawn(async move {
        if !allowed {
            tracing::info!(room = %room.room_id(), inviter = %inviter, "declining an invite from someone not in allow_invites_from");
            if let Err(e) = room.leave().await {
                tracing::warn!(error = %e, "declining an invite");
            }
            return;
        }
        let mut delay = Duration::from_secs(1);
        for attempt in 1..=6 {
            match room.join().await {
                Ok(()) => {
                    tracing::info!(room = %room.room_id(), inviter = %inviter, direct, "joined on invite");
                    if direct && let Err(e) = room.set_is_direct(true).await {
                        tracing::warn!(error = %e, "marking a direct room");
                    }
                    if listed && !direct {
                        chat.admit(&room, &inviter).await;
                    }
                    return;
                }
                Err(e) => {
                    tracing::warn!(error = %e, attempt, "joining a room failed; retrying");
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                }
            }
        }
    });
}

/// A room of the bot and one person: nobody else sees what is said there.
async fn is_private(room: &Room) -> bool {
    active_members(room).await.is_some_and(|n| n <= 2)
}

/// Commands about the caller rather than the room, answered only in private.
fn is_personal(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::Stats
            | Command::About
            | Command::ForgetMe { .. }
            | Command::Reflect {
                anonymous: true,
                ..
            }
    )
}

/// See the module docs: the power level, in a room Ponder was let into by an
/// allowed person, never in a direct chat.
async fn is_admin(chat: &MatrixChat, room: &Room, user: &UserId) -> bool {
    if room.is_direct().await.unwrap_or(true) || !chat.admitted(room).await {
        return false;
    }
    match room.get_member(user).await {
        Ok(Some(m)) => match m.power_level() {
            UserPowerLevel::Infinite => true,
            UserPowerLevel::Int(n) => i64::from(n) >= chat.config.admin_power_level,
            _ => false,
        },
        _ => false,
    }
}

async fn notice(chat: &MatrixChat, room: &Room, thread: Option<&str>, text: &str) {
    let mut content = quiet_content("m.notice", text, None);
    if let Some(root) = thread {
        content["m.relates_to"] = thread_relation(root);
    }
    if let Err(e) = chat.send(room, content, None).await {
        tracing::warn!(error = %e, "answering a command");
    }
}
