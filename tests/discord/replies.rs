//! No reply lost: what the bot missed while down or before READY is read at
//! the next start, with the edits and deletions made meanwhile; a flood waits
//! in the socket and is stored in order; an anonymous reflection stays in its
//! own server.

use std::time::Duration;

use discord_emulator::EmulatorConfig;
use discord_emulator::ids::Snowflake;
use serde_json::json;

use crate::harness::{WAIT, World};

/// Waits until the emulator has answered `n` reads of the thread's messages
/// with `status`.
async fn wait_reads(w: &World, thread: Snowflake, status: u16, n: usize) {
    let path = format!("/channels/{thread}/messages");
    let ok = w
        .emu
        .wait_until(WAIT, |e| {
            let reads = e
                .requests()
                .iter()
                .filter(|r| r.method == "GET" && r.path == path && r.status == status)
                .count();
            (reads >= n).then_some(())
        })
        .await;
    assert!(
        ok.is_ok(),
        "the thread was not read {n} times\n{}",
        w.bot.tail()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_the_catch_up_missed_before_ready_is_collected_though_a_newer_one_came_live() {
    let mut w = World::start("gap", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let thread = w.first_prompt(g.text_channel).await.id;
    w.bot.stop();
    // Written while the bot is away; both reads of the thread at the next
    // start (the start-up catch-up and the one after READY) miss it, as a
    // read that ran just before it was written would.
    w.emu
        .send_message(thread, g.member, "Written before READY.")
        .unwrap();
    w.emu
        .fail_next(&format!("GET /channels/{thread}/messages"), 403, 2);
    w.bot.start();
    w.wait_ready().await;
    wait_reads(&w, thread, 403, 2).await;
    // A newer reply comes over the gateway and is stored.
    w.emu
        .send_message(thread, g.admin, "Written after READY.")
        .unwrap();
    let (member, admin) = (g.member.to_string(), g.admin.to_string());
    w.bot
        .wait_replies(&thread.to_string(), &[(&admin, "Written after READY.")])
        .await;
    // Restart: the earlier reply is read, though a newer one is stored.
    w.bot.stop();
    w.bot.start();
    w.bot
        .wait_replies(
            &thread.to_string(),
            &[
                (&member, "Written before READY."),
                (&admin, "Written after READY."),
            ],
        )
        .await;
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn replies_written_into_a_closed_thread_while_ponder_was_down_are_collected() {
    let mut w = World::start_with(
        "closed-thread",
        EmulatorConfig::default(),
        "thread_open = \"3s\"\n",
    )
    .await;
    let g = w.guild.clone();
    let thread = w.first_prompt(g.text_channel).await.id;
    let archived = w
        .emu
        .wait_until(WAIT, |e| {
            e.channel(thread)
                .and_then(|c| c.thread)
                .filter(|t| t.archived)
                .map(|_| ())
        })
        .await;
    assert!(
        archived.is_ok(),
        "the thread never closed\n{}",
        w.bot.tail()
    );
    w.bot.stop();
    w.emu
        .send_message(thread, g.member, "Late, but I was thinking.")
        .unwrap();
    w.bot.start();
    let member = g.member.to_string();
    w.bot
        .wait_replies(
            &thread.to_string(),
            &[(&member, "Late, but I was thinking.")],
        )
        .await;
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn edits_and_deletions_made_while_ponder_was_down_are_applied_after_restart() {
    let mut w = World::start("downtime-edits", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let thread = w.first_prompt(g.text_channel).await.id;
    let a = w
        .emu
        .send_message(thread, g.member, "My first take.")
        .unwrap();
    let b = w
        .emu
        .send_message(thread, g.admin, "Something I regret.")
        .unwrap();
    let (member, admin) = (g.member.to_string(), g.admin.to_string());
    w.bot
        .wait_replies(
            &thread.to_string(),
            &[(&member, "My first take."), (&admin, "Something I regret.")],
        )
        .await;
    w.bot.stop();
    w.emu.edit_message(thread, a.id, "My second take.").unwrap();
    w.emu.delete_message(thread, b.id).unwrap();
    w.bot.start();
    w.bot
        .wait_replies(&thread.to_string(), &[(&member, "My second take.")])
        .await;
    w.bot.stop();
    let archive = serde_json::to_string(&w.bot.export()).unwrap();
    assert!(
        !archive.contains("Something I regret."),
        "the deleted text is not in the archive"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn edits_and_deletions_made_while_a_new_session_opens_are_applied() {
    let mut w = World::start("new-session-edits", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let thread = w.first_prompt(g.text_channel).await.id;
    let a = w.emu.send_message(thread, g.member, "Take one.").unwrap();
    let b = w
        .emu
        .send_message(thread, g.admin, "Take it back.")
        .unwrap();
    let (member, admin) = (g.member.to_string(), g.admin.to_string());
    w.bot
        .wait_replies(
            &thread.to_string(),
            &[(&member, "Take one."), (&admin, "Take it back.")],
        )
        .await;
    // The session times out (4009): the next one starts with IDENTIFY, and
    // nothing written in between is replayed to it.
    let identified = w.emu.identify_count();
    w.emu.close_gateway(4009);
    w.emu.edit_message(thread, a.id, "Take two.").unwrap();
    w.emu.delete_message(thread, b.id).unwrap();
    let again = w
        .emu
        .wait_until(WAIT, |e| (e.identify_count() > identified).then_some(()))
        .await;
    assert!(again.is_ok(), "no new session\n{}", w.bot.tail());
    w.bot
        .wait_replies(&thread.to_string(), &[(&member, "Take two.")])
        .await;
    w.bot.stop();
    let archive = serde_json::to_string(&w.bot.export()).unwrap();
    assert!(
        !archive.contains("Take it back."),
        "the deleted text is not in the archive"
    );
}

/// A figure from the writer's last log line, `name=N`.
fn figure(logs: &str, name: &str) -> usize {
    let line = logs
        .lines()
        .rev()
        .find(|l| l.contains("reply writer stopped"))
        .unwrap_or_else(|| panic!("no figures logged"));
    let at = line
        .find(&format!("{name}="))
        .unwrap_or_else(|| panic!("no {name} in {line}"));
    line[at + name.len() + 1..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flood_of_replies_waits_in_the_socket_and_is_stored_in_order() {
    const FLOOD: usize = 3_000;
    // Discord's own heartbeat interval: while the bot reads the backlog,
    // the heartbeat's acknowledgement waits in the socket behind it.
    let config = EmulatorConfig {
        heartbeat_interval: Duration::from_millis(41_250),
        ..EmulatorConfig::default()
    };
    let mut w = World::start_env(
        "flood",
        config,
        "thread_open = \"24h\"\n",
        &[("PONDER_REPLY_QUEUE", "8")],
    )
    .await;
    let g = w.guild.clone();
    let thread = w.first_prompt(g.text_channel).await.id;
    let ids = w
        .emu
        .flood_messages(thread, &[g.member, g.admin], FLOOD, "wave", 0)
        .unwrap();
    let store = w.bot.store();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let stored: Vec<String> = loop {
        let sql = "SELECT message_id FROM replies ORDER BY id";
        let rows: Vec<(String,)> = match &store {
            ponder::db::Store::Sqlite(db) => {
                let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}?mode=ro", db.display()))
                    .await
                    .unwrap();
                let rows = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
                pool.close().await;
                rows
            }
            ponder::db::Store::Postgres(url) => {
                let pool = sqlx::PgPool::connect(url).await.unwrap();
                let rows = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
                pool.close().await;
                rows
            }
        };
        if rows.len() >= FLOOD {
            break rows.into_iter().map(|r| r.0).collect();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} of {FLOOD} replies stored\n{}",
            rows.len(),
            w.bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let sent: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    assert!(stored == sent, "the replies were stored out of their order");
    w.bot.stop();
    let logs = w.bot.logs();
    let queued = figure(&logs, "peak_queued");
    let tasks = figure(&logs, "peak_tasks");
    assert!(queued <= 8, "the queue held {queued} changes");
    // Without backpressure every waiting event is a task of its own: about
    // one per flooded message.
    assert!(
        tasks < 300,
        "{tasks} tasks were alive at once during a flood of {FLOOD}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_anonymous_reflection_never_lands_in_another_server() {
    let config = EmulatorConfig {
        guilds: 2,
        ..EmulatorConfig::default()
    };
    let mut w = World::start_env("two-guilds", config, "thread_open = \"24h\"\n", &[]).await;
    let guilds = w.emu.guilds();
    let (ours, theirs) = (guilds[0].clone(), guilds[1].clone());
    let ready = w
        .emu
        .wait_until(WAIT, |e| {
            (!e.commands(Some(theirs.id)).is_empty()).then_some(())
        })
        .await;
    assert!(
        ready.is_ok(),
        "commands not registered in the second server"
    );
    let thread = w.first_prompt(ours.text_channel).await.id;
    let allowed = w
        .admin(ours.text_channel, "anonymous", json!({"allow": true}))
        .await;
    assert!(allowed.to_lowercase().contains("anonymous"), "{allowed}");

    // A member of the other server, in a channel with no prompt.
    let r = w
        .slash(
            theirs.member,
            theirs.text_channel,
            "reflect",
            json!({"text": "Nobody here should read this.", "anonymous": true}),
        )
        .await;
    assert!(r.ephemeral);
    assert_eq!(
        r.text,
        "There is no open prompt you can answer anonymously right now."
    );
    // The prompt's own server still works from a channel without a prompt:
    // the member there may answer it.
    let here = w
        .slash(
            ours.member,
            ours.text_channel,
            "reflect",
            json!({"text": "Mine, unsigned.", "anonymous": true}),
        )
        .await;
    assert!(
        here.text
            .starts_with("Your anonymous reflection is in the thread"),
        "{}",
        here.text
    );
    let posted: Vec<String> = w
        .emu
        .messages(thread)
        .into_iter()
        .filter(|m| m.author_id == w.emu.bot_user_id())
        .map(|m| m.content)
        .collect();
    assert!(
        posted.iter().all(|m| !m.contains("Nobody here")),
        "{posted:?}"
    );
    assert!(posted.iter().any(|m| m.contains("Mine, unsigned.")));
    w.bot.stop();
}
