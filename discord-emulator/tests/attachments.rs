//! Files a real serenity 0.12.5 / poise 0.7.1 bot attaches: interaction responses (direct and
//! after `defer_ephemeral`), followups, webhook edits and channel messages, Discord's
//! `attachments` rules on edits, the CDN-like URL, and the limits.
//!
//! Every test ends with `Bot::finish`: serenity parsed every dispatch, every frame
//! deserializes with serenity's models and no unimplemented route was called.

mod support;

use discord_emulator::{Emulator, callback};
use poise::serenity_prelude as serenity;
use serde_json::json;
use serenity::{
    Builder as _, ChannelId, CreateAttachment, CreateMessage, EditAttachments,
    EditInteractionResponse, EditMessage, MessageId,
};
use support::{Bot, CSV, Seen, WAIT, discord_error, emulator, raw_request};

/// GETs an attachment URL from the emulator: (status, body).
async fn fetch(emu: &Emulator, url: &str) -> (u16, String) {
    let path = url
        .strip_prefix(&emu.base_url())
        .expect("attachment URLs point at the emulator");
    let (status, _, body) = raw_request(emu, "GET", path, None, None).await;
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deferred_ephemeral_export_attaches_the_csv() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();

    let run = emu
        .run_slash_command(
            guild.admin,
            guild.text_channel,
            "ponder export",
            json!({"format": "csv"}),
        )
        .unwrap();
    let reply = run.wait_response(WAIT).await.unwrap();
    assert_eq!(reply.kind, callback::DEFERRED_CHANNEL_MESSAGE);
    assert!(reply.is_ephemeral());

    // The first answer after deferring replaces the "thinking" message.
    let original = emu
        .wait_until(WAIT, |_| {
            run.original_message().filter(|m| !m.attachments.is_empty())
        })
        .await
        .unwrap();
    assert!(original.is_ephemeral());
    assert_eq!(original.content, "your export");
    assert_eq!(original.attachments.len(), 1);
    let csv = &original.attachments[0];
    assert_eq!(csv.filename, "x.csv");
    assert_eq!(csv.content_type.as_deref(), Some("text/csv"));
    assert_eq!(&csv.bytes[..], CSV);
    assert_eq!(csv.size(), CSV.len());
    assert_eq!(csv.text(), Some("a,b\n1,2\n"));
    assert_eq!(fetch(&emu, &csv.url).await, (200, "a,b\n1,2\n".to_owned()));

    // The second answer is a real followup, with its own file.
    let followups = emu
        .wait_until(WAIT, |_| Some(run.followups()).filter(|f| !f.is_empty()))
        .await
        .unwrap();
    let notes = followups[0].attachment("notes.txt").expect("notes.txt");
    assert_eq!(notes.text(), Some("notes"));
    assert!(followups[0].is_ephemeral());
    assert_eq!(
        original.attachment("x.csv").map(|a| a.id),
        Some(csv.id),
        "found by filename"
    );

    // serenity reads them back as Discord's attachment objects.
    let read = bot
        .http
        .get_original_interaction_response(run.token())
        .await
        .unwrap();
    assert_eq!(read.attachments.len(), 1);
    assert_eq!(read.attachments[0].id.get(), csv.id);
    assert_eq!(read.attachments[0].filename, "x.csv");
    assert_eq!(read.attachments[0].size as usize, CSV.len());
    assert_eq!(read.attachments[0].url, csv.url);
    assert!(read.attachments[0].ephemeral);
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_reply_with_a_file_and_edits_that_keep_add_and_remove() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();

    let run = emu
        .run_slash_command(guild.member, guild.text_channel, "file", json!({}))
        .unwrap();
    let reply = run.wait_response(WAIT).await.unwrap();
    assert_eq!(reply.kind, callback::CHANNEL_MESSAGE);
    let original = run.original_message().expect("the response is stored");
    assert_eq!(original.content, "", "a file alone is a message");
    assert_eq!(original.attachments.len(), 1);
    assert_eq!(original.attachments[0].filename, "x.csv");
    assert_eq!(&original.attachments[0].bytes[..], CSV);
    // Visible responses are echoed; serenity parses the attachment in MESSAGE_CREATE.
    bot.wait_for_message(original.id).await;

    // Keep the file by id and add another (PATCH /webhooks/{app}/{token}/messages/@original).
    let message = bot
        .http
        .get_original_interaction_response(run.token())
        .await
        .unwrap();
    let edited = EditInteractionResponse::new()
        .content("kept")
        .attachments(
            EditAttachments::keep_all(&message)
                .add(CreateAttachment::bytes(b"more".to_vec(), "more.txt")),
        )
        .execute(&bot.http, run.token())
        .await
        .unwrap();
    assert_eq!(edited.attachments.len(), 2);
    let stored = run.original_message().unwrap();
    assert_eq!(stored.content, "kept");
    assert_eq!(stored.attachments[0].id, original.attachments[0].id);
    assert_eq!(stored.attachments[1].filename, "more.txt");
    assert_eq!(stored.attachments[1].text(), Some("more"));

    // An edit without `attachments` keeps them.
    EditInteractionResponse::new()
        .content("still")
        .execute(&bot.http, run.token())
        .await
        .unwrap();
    assert_eq!(run.original_message().unwrap().attachments.len(), 2);

    // `attachments: []` removes them all; their URLs stop serving.
    let url = stored.attachments[0].url.clone();
    let emptied = EditInteractionResponse::new()
        .attachments(EditAttachments::new())
        .execute(&bot.http, run.token())
        .await
        .unwrap();
    assert!(emptied.attachments.is_empty());
    let stored = run.original_message().unwrap();
    assert!(stored.attachments.is_empty());
    assert_eq!(stored.content, "still");
    assert_eq!(fetch(&emu, &url).await.0, 404);
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channel_messages_carry_files_within_discords_limits() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();
    let channel = ChannelId::new(guild.text_channel);
    let file = |name: &str, bytes: &[u8]| CreateAttachment::bytes(bytes.to_vec(), name);

    let sent = channel
        .send_message(
            &bot.http,
            CreateMessage::new()
                .content("two files")
                .add_files([file("a.txt", b"A"), file("b.csv", CSV)]),
        )
        .await
        .unwrap();
    assert_eq!(sent.attachments.len(), 2);
    bot.wait_for("MESSAGE_CREATE with files", |s| match s {
        Seen::Message { id, .. } if *id == sent.id.get() => Some(()),
        _ => None,
    })
    .await;
    let stored = emu.message(guild.text_channel, sent.id.get()).unwrap();
    assert_eq!(
        stored
            .attachments
            .iter()
            .map(|a| (a.filename.as_str(), a.size()))
            .collect::<Vec<_>>(),
        [("a.txt", 1), ("b.csv", CSV.len())]
    );
    assert_eq!(
        fetch(&emu, &stored.attachments[1].url).await,
        (200, String::from_utf8(CSV.to_vec()).unwrap())
    );

    // Keep only the second one (PATCH /channels/{c}/messages/{m}).
    let kept = channel
        .edit_message(
            &bot.http,
            sent.id,
            EditMessage::new().attachments(EditAttachments::new().keep(sent.attachments[1].id)),
        )
        .await
        .unwrap();
    assert_eq!(kept.attachments.len(), 1);
    assert_eq!(kept.attachments[0].id, sent.attachments[1].id);
    let stored = emu.message(guild.text_channel, sent.id.get()).unwrap();
    assert_eq!(stored.attachments.len(), 1);
    assert_eq!(stored.attachments[0].filename, "b.csv");

    // Ten files are fine, eleven are not (30015); a file over 10 MiB is 40005 (413).
    let ten: Vec<_> = (0..10).map(|i| file(&format!("{i}.txt"), b"x")).collect();
    let ok = channel
        .send_message(&bot.http, CreateMessage::new().add_files(ten.clone()))
        .await
        .unwrap();
    assert_eq!(ok.attachments.len(), 10);
    let before = emu.messages(guild.text_channel).len();
    let eleven = ten.into_iter().chain([file("10.txt", b"x")]);
    let error = channel
        .send_message(&bot.http, CreateMessage::new().add_files(eleven))
        .await
        .unwrap_err();
    assert_eq!(discord_error(&error).0, 400);
    assert_eq!(discord_error(&error).1, 30015);
    let big = vec![b'x'; 10 * 1024 * 1024 + 1];
    let error = channel
        .send_message(
            &bot.http,
            CreateMessage::new().add_file(file("big.bin", &big)),
        )
        .await
        .unwrap_err();
    assert_eq!(discord_error(&error).0, 413);
    assert_eq!(discord_error(&error).1, 40005);
    assert_eq!(
        emu.messages(guild.text_channel).len(),
        before,
        "nothing posted"
    );
    // Nor can an edit go past ten.
    let error = channel
        .edit_message(
            &bot.http,
            MessageId::new(ok.id.get()),
            EditMessage::new()
                .attachments(EditAttachments::keep_all(&ok).add(file("extra.txt", b"x"))),
        )
        .await
        .unwrap_err();
    assert_eq!(discord_error(&error).1, 30015);
    bot.finish().await;
}
