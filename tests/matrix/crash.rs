//! A crash between sending a prompt and recording it: the real Matrix
//! adapter and engine in this process, the send "crashing" (the task is
//! aborted) after Synapse has the event and before the engine hears back.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ponder::config::{Config, MatrixConfig};
use ponder::db::Db;
use ponder::engine::{
    Chat, ChatError, Engine, EngineParts, IncomingReply, Lookup, ManualClock, OutgoingPrompt,
    Posted, Settings,
};
use ponder::platform::matrix::MatrixChat;
use ponder::prompt_files::PromptSource;

use crate::homeserver::{Cast, homeserver};
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

/// What a crash test runs on: the bot's adapter and engine in this process,
/// in a room of Alice's that the bot has joined, with a store on file.
pub(crate) struct Crash {
    pub(crate) dir: tempfile::TempDir,
    /// The bot's adapter config (password in a file under `dir`).
    pub(crate) matrix: MatrixConfig,
    pub(crate) alice: Human,
    pub(crate) room: matrix_sdk::Room,
    bot_id: String,
    clock: Arc<ManualClock>,
    db_path: PathBuf,
}

impl Crash {
    /// Alice creates a room (`encrypted` or not) and the bot joins it, with
    /// its SDK store in `store` under the test's folder (the config's default
    /// when `None`). Returns the bot's session too.
    pub(crate) async fn start(
        cast: &Cast,
        encrypted: bool,
        store: Option<&str>,
    ) -> (Crash, Arc<MatrixChat>) {
        let dir = tempfile::tempdir().unwrap();
        let text = format!(
            "[matrix]\nhomeserver = \"{}\"\nuser = \"{}\"\nallow_invites_from = [\"{}\"]\n",
            cast.url, cast.bot.user_id, cast.alice.user_id
        );
        let mut config = Config::parse(&dir.path().join("config.toml"), &text).unwrap();
        let pw = dir.path().join("pw");
        std::fs::write(&pw, &cast.bot.password).unwrap();
        let matrix = config.matrix.as_mut().unwrap();
        matrix.password_file = Some(pw);
        if let Some(store) = store {
            matrix.store_dir = dir.path().join(store);
        }
        let matrix = matrix.clone();

        let alice = Human::login(&cast.url, &cast.alice).await;
        let room = alice.create_room(&[&cast.bot.user_id], encrypted).await;
        // The bot joins by itself (the invite handlers run only inside `ponder run`).
        let chat = MatrixChat::connect(&matrix).await.unwrap();
        chat.client().join_room_by_id(room.room_id()).await.unwrap();
        alice
            .wait_membership(&room, &cast.bot.user_id, "join")
            .await;
        chat.client().sync_once(Default::default()).await.unwrap();

        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let db_path = dir.path().join("ponder.db");
        let crash = Crash {
            dir,
            matrix,
            alice,
            room,
            bot_id: cast.bot.user_id.clone(),
            clock,
            db_path,
        };
        (crash, chat)
    }

    /// An engine on `db` that talks to `chat`, on the test's clock.
    fn engine(&self, chat: Arc<dyn Chat>, db: Db) -> Arc<Engine> {
        Engine::new(EngineParts {
            db,
            chats: vec![chat],
            prompts: PromptSource::Embedded.load().unwrap(),
            source: PromptSource::Embedded,
            settings: Settings::default(),
            clock: self.clock.clone(),
            seed: Some(1),
        })
    }

    /// The crash: a schedule due every minute in the room, and an engine
    /// whose adapter never returns from sending the prompt. Once Alice sees
    /// the prompt and `settle` has passed, its tick is aborted and the
    /// engine and the session are dropped.
    pub(crate) async fn crash_after_send(&self, chat: Arc<MatrixChat>, settle: Duration) {
        let db = Db::open(&self.db_path).await.unwrap();
        let now = clock_now(&self.clock);
        let ch = db
            .ensure_channel("matrix", self.room.room_id().as_str(), "UTC", now - 120)
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

        let first = self.engine(Arc::new(CrashAfterSend(chat.clone())), db);
        first.start().await.unwrap();
        let task = tokio::spawn({
            let first = first.clone();
            async move { first.tick().await }
        });
        self.alice
            .wait_for(&self.room, "the prompt", prompt_from(&self.bot_id))
            .await;
        if !settle.is_zero() {
            tokio::time::sleep(settle).await;
        }
        task.abort();
        let _ = task.await;
        drop(first);
        drop(chat);
    }

    /// The restart: a new engine on the same file, through `chat`, ticks
    /// once and is given 2 s. Keep it until the checks are done.
    pub(crate) async fn restart(&self, chat: Arc<MatrixChat>) -> Arc<Engine> {
        let second = self.engine(chat, Db::open(&self.db_path).await.unwrap());
        second.start().await.unwrap();
        second.tick().await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        second
    }

    /// How many posts the store holds as open.
    pub(crate) async fn open_posts(&self) -> usize {
        let db = Db::open(&self.db_path).await.unwrap();
        db.posts_in_state(ponder::db::PostState::Open)
            .await
            .unwrap()
            .len()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_between_sending_and_recording_a_prompt_posts_it_once() {
    let cast = homeserver().cast(6);
    let (crash, chat) = Crash::start(&cast, false, None).await;
    crash.crash_after_send(chat, Duration::ZERO).await;

    // Restart: a new session object from the store, a new engine on the same file.
    let chat = MatrixChat::connect(&crash.matrix).await.unwrap();
    let _second = crash.restart(chat.clone()).await;

    let prompts = crash
        .alice
        .count_prompts(&crash.room, &cast.bot.user_id)
        .await;
    assert_eq!(prompts, 1, "one prompt, not two");
    assert_eq!(
        crash.open_posts().await,
        1,
        "the post was reconciled and its thread recorded"
    );
}

fn clock_now(c: &ManualClock) -> i64 {
    use ponder::engine::Clock;
    c.now().timestamp()
}
