//! A crash between sending a prompt and recording it: the real Matrix
//! adapter and engine in this process, the send "crashing" (the task is
//! aborted) after Synapse has the event and before the engine hears back.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ponder::config::Config;
use ponder::db::Db;
use ponder::engine::{
    Chat, ChatError, Engine, EngineParts, IncomingReply, Lookup, ManualClock, OutgoingPrompt,
    Posted, Settings,
};
use ponder::platform::matrix::MatrixChat;
use ponder::prompt_files::PromptSource;

use crate::homeserver::homeserver;
use crate::human::{Human, prompt_from};

/// The real adapter, except that `post_prompt` never returns after sending.
pub(crate) struct CrashAfterSend(pub(crate) Arc<MatrixChat>);

#[async_trait]
impl Chat for CrashAfterSend {
    fn platform(&self) -> &'static str {
        self.0.platform()
    }
    async fn post_prompt(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
    ) -> Result<Posted, ChatError> {
        self.0.post_prompt(channel, prompt).await?;
        std::future::pending().await
    }
    async fn find_post(
        &self,
        c: &str,
        p: &OutgoingPrompt,
        since: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        self.0.find_post(c, p, since).await
    }
    async fn open_thread(
        &self,
        c: &str,
        p: &Posted,
        t: &str,
        d: Duration,
    ) -> Result<(), ChatError> {
        self.0.open_thread(c, p, t, d).await
    }
    async fn send_in_channel(&self, c: &str, x: &str) -> Result<String, ChatError> {
        self.0.send_in_channel(c, x).await
    }
    async fn send_in_thread(&self, c: &str, t: &str, x: &str) -> Result<String, ChatError> {
        self.0.send_in_thread(c, t, x).await
    }
    async fn replies_after(
        &self,
        c: &str,
        t: &str,
        a: Option<&str>,
    ) -> Result<Vec<IncomingReply>, ChatError> {
        self.0.replies_after(c, t, a).await
    }
    async fn close_thread(&self, c: &str, t: &str) -> Result<(), ChatError> {
        self.0.close_thread(c, t).await
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_between_sending_and_recording_a_prompt_posts_it_once() {
    let cast = homeserver().cast(6);
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "[matrix]\nhomeserver = \"{}\"\nuser = \"{}\"\nallow_invites_from = [\"{}\"]\n",
        cast.url, cast.bot.user_id, cast.alice.user_id
    );
    let mut config = Config::parse(&dir.path().join("config.toml"), &text).unwrap();
    let pw = dir.path().join("pw");
    std::fs::write(&pw, &cast.bot.password).unwrap();
    config.matrix.as_mut().unwrap().password_file = Some(pw);
    let matrix = config.matrix.clone().unwrap();

    let alice = Human::login(&cast.url, &cast.alice).await;
    let room = alice.create_room(&[&cast.bot.user_id], false).await;
    let room_id = room.room_id().to_string();
    // The bot joins by itself (the invite handlers run only inside `ponder run`).
    let chat = MatrixChat::connect(&matrix).await.unwrap();
    chat.client().join_room_by_id(room.room_id()).await.unwrap();
    alice
        .wait_membership(&room, &cast.bot.user_id, "join")
        .await;
    chat.client().sync_once(Default::default()).await.unwrap();

    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let engine = |chat: Arc<dyn Chat>, db: Db| {
        Engine::new(EngineParts {
            db,
            chats: vec![chat],
            prompts: PromptSource::Embedded.load().unwrap(),
            source: PromptSource::Embedded,
            settings: Settings::default(),
            clock: clock.clone(),
            seed: Some(1),
        })
    };
    let db_path = dir.path().join("ponder.db");
    let db = Db::open(&db_path).await.unwrap();
    let now = clock_now(&clock);
    let ch = db
        .ensure_channel("matrix", &room_id, "UTC", now - 120)
        .await
        .unwrap();
    db.add_schedule(
        ch.id,
        "* * * * *",
        "UTC",
        "config",
        &Default::default(),
        now - 120,
    )
    .await
    .unwrap();

    let first = engine(Arc::new(CrashAfterSend(chat.clone())), db);
    first.start().await.unwrap();
    let task = tokio::spawn({
        let first = first.clone();
        async move { first.tick().await }
    });
    alice
        .wait_for(&room, "the prompt", prompt_from(&cast.bot.user_id))
        .await;
    task.abort();
    let _ = task.await;
    drop(first);
    drop(chat);

    // Restart: a new session object from the store, a new engine on the same file.
    let chat = MatrixChat::connect(&matrix).await.unwrap();
    let second = engine(chat.clone(), Db::open(&db_path).await.unwrap());
    second.start().await.unwrap();
    second.tick().await;
    tokio::time::sleep(Duration::from_secs(2)).await;

    let prompts = alice.count_prompts(&room, &cast.bot.user_id).await;
    assert_eq!(prompts, 1, "one prompt, not two");
    let db = Db::open(&db_path).await.unwrap();
    let open = db
        .posts_in_state(ponder::db::PostState::Open)
        .await
        .unwrap();
    assert_eq!(
        open.len(),
        1,
        "the post was reconciled and its thread recorded"
    );
}

fn clock_now(c: &ManualClock) -> i64 {
    use ponder::engine::Clock;
    c.now().timestamp()
}
