//! The kill -9 soak: the real `ponder run` (a child process) against the
//! Discord emulator over 127.0.0.1, with several fast channels, killed with
//! SIGKILL at random moments and restarted, while scripted members reply,
//! edit and delete in the prompts' threads (open and closed ones, whether
//! the bot is up or down). At the end the emulator's messages are checked
//! against the database:
//!
//! * duplicate posts: two channel messages carrying one post's nonce, or a
//!   prompt message no post row owns;
//! * lost slots: a slot due while the bot was up (with a margin around start
//!   and kill) that has no post, a restart that did not post the latest
//!   missed slot (the default `latest` catch-up policy), a post not ending
//!   with a message of its own (stranded pending/failed, or another post's
//!   message adopted);
//! * lost replies, edits not applied, deletions not applied;
//! * digests posted more than once into one thread.
//!
//! Each class is reported with its count and a few examples.
//!
//! The number of kills scales the same test: `PONDER_SOAK_KILLS` (default 6,
//! about a minute; the long run is `PONDER_SOAK_KILLS=40`), `PONDER_SOAK_SEED`
//! picks the random moments (default: from the clock, printed), and
//! `PONDER_SOAK_REPORT_ONLY=1` prints the figures without failing. The figures
//! are also written to `target/tmp/soak-report.txt`. See FUZZING.md, "Soak".

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use discord_emulator::ids::Snowflake;
use discord_emulator::{Emulator, EmulatorConfig};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

/// The channels' intervals in seconds (`every Ns`), one channel per guild.
const INTERVALS: [i64; 3] = [2, 3, 2];
/// How long a prompt's thread stays open: short, so threads close (with a
/// digest) during the soak and members also write into closed ones.
const THREAD_OPEN: &str = "4s";
/// A slot this long after the bot was ready, or before it was killed, must
/// have been posted.
const MARGIN_AFTER_READY: f64 = 1.5;
const MARGIN_BEFORE_KILL: f64 = 1.0;

fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// One life of the bot: spawned, ready (the engine started), ended.
#[derive(Debug, Clone)]
struct Life {
    ready: Option<f64>,
    ended: f64,
}

/// `ponder run`, its stderr watched for the ready line and for WARN/ERROR.
struct Bot {
    child: Child,
    ready: Arc<Mutex<Option<f64>>>,
}

struct Logs {
    warnings: Mutex<Vec<String>>,
    /// Every life's whole stderr goes to `life-NN.log` here, to read after a
    /// failure (`target/tmp/soak-logs/`, emptied at each run).
    dir: PathBuf,
    lives: std::sync::atomic::AtomicUsize,
}

impl Bot {
    fn start(config: &Path, token: &str, logs: Arc<Logs>) -> Bot {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ponder"))
            .args(["run", "--config", config.to_str().unwrap()])
            .env("DISCORD_TOKEN", token)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the ponder binary starts");
        let ready: Arc<Mutex<Option<f64>>> = Arc::default();
        let (r, err) = (ready.clone(), child.stderr.take().unwrap());
        let n = logs
            .lives
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut file = std::fs::File::create(logs.dir.join(format!("life-{n:02}.log"))).unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = writeln!(file, "{line}");
                if line.contains("serving /healthz") {
                    r.lock().unwrap().get_or_insert(now());
                }
                if line.contains(" WARN ") || line.contains(" ERROR ") {
                    logs.warnings.lock().unwrap().push(line);
                }
            }
        });
        Bot { child, ready }
    }

    fn ready(&self) -> Option<f64> {
        *self.ready.lock().unwrap()
    }

    /// SIGKILL, at once.
    fn kill(mut self) -> Life {
        let ended = now();
        let _ = self.child.kill();
        let _ = self.child.wait();
        Life {
            ready: self.ready(),
            ended,
        }
    }

    /// SIGTERM; `None` in the life's place when it did not exit within 15 s
    /// (it is then killed).
    fn stop(mut self) -> (Life, Option<std::process::ExitStatus>) {
        let ended = now();
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..300 {
            if let Ok(Some(status)) = self.child.try_wait() {
                let life = Life {
                    ready: self.ready(),
                    ended,
                };
                return (life, Some(status));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        (
            Life {
                ready: self.ready(),
                ended,
            },
            None,
        )
    }
}

/// A member's message in a prompt's thread, and what became of it.
#[derive(Debug, Clone)]
struct Written {
    thread: Snowflake,
    id: Snowflake,
    author: Snowflake,
    text: String,
    edited: bool,
    deleted: bool,
    /// Whether the bot process was alive when it was written (or last touched).
    bot_up: bool,
    /// Whether the thread was archived (closed) when it was written.
    closed_thread: bool,
}

/// The members' side: replies, edits and deletions in recent threads.
async fn members(
    emu: Emulator,
    channels: Vec<(Snowflake, Vec<Snowflake>)>,
    bot_up: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    seed: u64,
) -> Vec<Written> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    let mut written: Vec<Written> = Vec::new();
    let mut n = 0u64;
    while !stop.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(rng.random_range(40..160))).await;
        let up = bot_up.load(Ordering::SeqCst);
        let roll: f64 = rng.random();
        if roll < 0.12 && !written.is_empty() {
            // Edit one of the last replies.
            let i = rng.random_range(written.len().saturating_sub(30)..written.len());
            let w = &mut written[i];
            if w.deleted {
                continue;
            }
            let text = format!("{} (edited {n})", w.text);
            n += 1;
            if emu.edit_message(w.thread, w.id, &text).is_ok() {
                w.text = text;
                w.edited = true;
                w.bot_up = up;
            }
            continue;
        }
        if roll < 0.2 && !written.is_empty() {
            let i = rng.random_range(written.len().saturating_sub(30)..written.len());
            let w = &mut written[i];
            if w.deleted {
                continue;
            }
            if emu.delete_message(w.thread, w.id).is_ok() {
                w.deleted = true;
                w.bot_up = up;
            }
            continue;
        }
        let (channel, authors) = &channels[rng.random_range(0..channels.len())];
        let threads = emu.threads(*channel);
        if threads.is_empty() {
            continue;
        }
        let thread = &threads[threads.len() - 1 - rng.random_range(0..threads.len().min(4))];
        let closed = thread.thread.as_ref().is_some_and(|m| m.archived);
        let author = authors[rng.random_range(0..authors.len())];
        let text = format!("reply {n} from {author}");
        n += 1;
        if let Ok(m) = emu.send_message(thread.id, author, &text) {
            written.push(Written {
                thread: thread.id,
                id: m.id,
                author,
                text,
                edited: false,
                deleted: false,
                bot_up: up,
                closed_thread: closed,
            });
        }
    }
    written
}

/// Counts and a few examples per class of failure.
#[derive(Default)]
struct Findings {
    classes: BTreeMap<&'static str, (usize, Vec<String>)>,
}

impl Findings {
    fn add(&mut self, class: &'static str, example: String) {
        let e = self.classes.entry(class).or_default();
        e.0 += 1;
        if e.1.len() < 4 {
            e.1.push(example);
        }
    }

    fn total(&self) -> usize {
        self.classes.values().map(|(n, _)| n).sum()
    }
}

struct PostRow {
    id: i64,
    schedule: i64,
    slot: Option<i64>,
    key: String,
    state: String,
    message: Option<String>,
    thread: Option<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_bot_posts_every_slot_once_and_keeps_every_reply() {
    let kills = env_u64("PONDER_SOAK_KILLS").unwrap_or(6) as usize;
    let seed = env_u64("PONDER_SOAK_SEED").unwrap_or_else(|| now() as u64);
    let report_only = std::env::var("PONDER_SOAK_REPORT_ONLY").is_ok_and(|v| v == "1");
    eprintln!("soak: {kills} kills, PONDER_SOAK_SEED={seed}");
    let mut rng = StdRng::seed_from_u64(seed);

    let emu = Emulator::start(EmulatorConfig {
        guilds: INTERVALS.len(),
        interaction_deadline: None,
        replay_buffer: 100_000,
        log_limit: 1_000_000,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let guilds = emu.guilds();
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("soak-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut config = format!(
        "prompts_dir = \"{}/prompts\"\ndata_dir = \"{}\"\nthread_open = \"{THREAD_OPEN}\"\n\
         [http]\nlisten = \"127.0.0.1:0\"\n[discord]\napi_base = \"{}\"\n",
        env!("CARGO_MANIFEST_DIR"),
        dir.join("data").display(),
        emu.base_url()
    );
    for (g, every) in guilds.iter().zip(INTERVALS) {
        write!(
            config,
            "[[channel]]\nplatform = \"discord\"\nid = \"{}\"\nschedules = [\"every {every}s\"]\n",
            g.text_channel
        )
        .unwrap();
    }
    let config_path = dir.join("config.toml");
    std::fs::write(&config_path, config).unwrap();
    let log_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("soak-logs");
    let _ = std::fs::remove_dir_all(&log_dir);
    std::fs::create_dir_all(&log_dir).unwrap();
    let logs = Arc::new(Logs {
        warnings: Mutex::default(),
        dir: log_dir,
        lives: Default::default(),
    });

    let bot_up = Arc::new(AtomicBool::new(true));
    let stop_members = Arc::new(AtomicBool::new(false));
    let channels: Vec<(Snowflake, Vec<Snowflake>)> = guilds
        .iter()
        .map(|g| (g.text_channel, vec![g.member, g.admin, g.owner]))
        .collect();
    let members = tokio::spawn(members(
        emu.clone(),
        channels,
        bot_up.clone(),
        stop_members.clone(),
        seed,
    ));

    // Kill, wait, restart.
    let mut lives = Vec::new();
    let mut bot = Bot::start(&config_path, &emu.token(), logs.clone());
    for _ in 0..kills {
        let up = Duration::from_millis(rng.random_range(300..4_500));
        tokio::time::sleep(up).await;
        bot_up.store(false, Ordering::SeqCst);
        lives.push(bot.kill());
        tokio::time::sleep(Duration::from_millis(rng.random_range(100..1_500))).await;
        bot_up.store(true, Ordering::SeqCst);
        bot = Bot::start(&config_path, &emu.token(), logs.clone());
    }
    // The last life: members go on a little, then stop; the bot catches up,
    // closes what is due, and is stopped with SIGTERM.
    tokio::time::sleep(Duration::from_secs(4)).await;
    stop_members.store(true, Ordering::SeqCst);
    let written = members.await.unwrap();
    tokio::time::sleep(Duration::from_secs(7)).await;
    let (last, status) = bot.stop();
    lives.push(last);
    let end = lives.last().unwrap().ended;

    // ----------------------------------------------------------- the check
    let mut f = Findings::default();
    if status.is_none_or(|s| !s.success()) {
        f.add(
            "final SIGTERM not obeyed within 15 s",
            format!("{status:?}"),
        );
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(dir.join("data/ponder.db"))
                .read_only(true),
        )
        .await
        .unwrap();
    // Schedules by channel.
    let mut schedule_of: HashMap<String, i64> = HashMap::new();
    for r in sqlx::query(
        "SELECT s.id, c.external_id FROM schedules s JOIN channels c ON c.id = s.channel_id \
         WHERE s.removed_at IS NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    {
        schedule_of.insert(r.get(1), r.get(0));
    }
    let posts: Vec<PostRow> = sqlx::query(
        "SELECT id, schedule_id, slot_at, idempotency_key, state, message_id, thread_id \
         FROM posts ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| PostRow {
        id: r.get(0),
        schedule: r.get::<Option<i64>, _>(1).unwrap_or(0),
        slot: r.get(2),
        key: r.get(3),
        state: r.get(4),
        message: r.get(5),
        thread: r.get(6),
    })
    .collect();
    let mut replies: HashMap<String, (Option<String>, Option<i64>)> = HashMap::new();
    for r in sqlx::query("SELECT message_id, body, deleted_at FROM replies")
        .fetch_all(&pool)
        .await
        .unwrap()
    {
        replies.insert(r.get(0), (r.get(1), r.get(2)));
    }
    pool.close().await;

    let bot_id = emu.bot_user_id();
    let mut summary = String::new();
    let mut slots_expected = 0usize;
    // Prompts: the channel's bot messages against the post rows.
    let post_by_message: HashMap<&str, Vec<&PostRow>> = posts
        .iter()
        .filter_map(|p| Some((p.message.as_deref()?, p)))
        .fold(HashMap::new(), |mut m, (k, p)| {
            m.entry(k).or_default().push(p);
            m
        });
    for (g, every) in guilds.iter().zip(INTERVALS) {
        let channel = g.text_channel;
        let Some(&schedule) = schedule_of.get(&channel.to_string()) else {
            f.add("channel without a schedule row", channel.to_string());
            continue;
        };
        let prompts: Vec<_> = emu
            .messages(channel)
            .into_iter()
            .filter(|m| m.author_id == bot_id)
            .collect();
        let mut by_nonce: HashMap<String, Vec<Snowflake>> = HashMap::new();
        for m in &prompts {
            let nonce = match &m.nonce {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
                None => String::new(),
            };
            by_nonce.entry(nonce).or_default().push(m.id);
            if !post_by_message.contains_key(m.id.to_string().as_str()) {
                f.add(
                    "duplicate post: a prompt message no post row owns",
                    format!("channel {channel} message {} nonce {:?}", m.id, m.nonce),
                );
            }
        }
        for (nonce, ids) in &by_nonce {
            if ids.len() > 1 {
                for _ in 1..ids.len() {
                    f.add(
                        "duplicate post: one post's nonce on several messages",
                        format!("channel {channel} nonce {nonce} messages {ids:?}"),
                    );
                }
            }
        }
        let messages: HashMap<String, &discord_emulator::model::Message> =
            prompts.iter().map(|m| (m.id.to_string(), m)).collect();
        let mine: Vec<&PostRow> = posts.iter().filter(|p| p.schedule == schedule).collect();
        let slots: HashSet<i64> = mine.iter().filter_map(|p| p.slot).collect();
        for p in &mine {
            if p.slot.is_some_and(|s| s as f64 > end - MARGIN_BEFORE_KILL) {
                continue; // claimed just before the final stop
            }
            match (p.state.as_str(), &p.message) {
                ("sent" | "open" | "closed", Some(m)) => match messages.get(m) {
                    None => f.add(
                        "lost slot: recorded as sent, no such message",
                        format!("post {} slot {:?} message {m}", p.id, p.slot),
                    ),
                    Some(msg) if msg.nonce.as_ref().and_then(|n| n.as_str()) != Some(&p.key) => f
                        .add(
                            "lost slot: another post's message adopted",
                            format!(
                                "post {} ({}) took message {m} (nonce {:?})",
                                p.id, p.key, msg.nonce
                            ),
                        ),
                    Some(_) => {}
                },
                (state, _) => f.add(
                    "lost slot: post left unsent",
                    format!("post {} slot {:?} state {state}", p.id, p.slot),
                ),
            }
        }
        // Slots due while the bot was up.
        let multiples = |from: f64, to: f64| {
            let first = (from / every as f64).ceil() as i64 * every;
            (first..=to.floor() as i64).step_by(every as usize)
        };
        let mut covered_to: Option<f64> = None;
        for life in &lives {
            let Some(ready) = life.ready else { continue };
            let window = (ready + MARGIN_AFTER_READY, life.ended - MARGIN_BEFORE_KILL);
            // The restart's catch-up (it runs once the engine is ready): the
            // latest slot missed since the last window, due by the ready
            // line, must have been posted (or one after it), if the life
            // lasted long enough to post it (`MARGIN_AFTER_READY` after the
            // ready line). A slot due after the ready line is an ordinary
            // one, expected only inside the window.
            if let Some(prev) = covered_to.filter(|_| life.ended > window.0) {
                let missed: Vec<i64> = multiples(prev + 0.001, ready).collect();
                if let Some(latest) = missed.last() {
                    slots_expected += 1;
                    let ok = slots
                        .iter()
                        .any(|s| *s >= *latest && (*s as f64) <= window.0);
                    if !ok {
                        f.add(
                            "lost slot: the latest missed slot not posted at restart",
                            format!("channel {channel} slot {latest}"),
                        );
                    }
                }
            }
            if window.0 < window.1 {
                for t in multiples(window.0, window.1) {
                    slots_expected += 1;
                    if !slots.contains(&t) {
                        f.add(
                            "lost slot: due while the bot was up, never posted",
                            format!("channel {channel} slot {t}"),
                        );
                    }
                }
            }
            covered_to = Some(window.1.max(window.0));
        }
        // Digests: once per thread.
        for p in &mine {
            let Some(thread) = p.thread.as_deref().and_then(|t| t.parse().ok()) else {
                continue;
            };
            let digests = emu
                .messages(thread)
                .into_iter()
                .filter(|m| m.author_id == bot_id && m.content.contains("\" is closed: "))
                .count();
            if digests > 1 {
                f.add(
                    "digest posted more than once",
                    format!("post {} thread {thread}: {digests} digests", p.id),
                );
            }
        }
    }
    let shared: Vec<_> = post_by_message
        .iter()
        .filter(|(_, p)| p.len() > 1)
        .collect();
    for (m, ps) in shared {
        f.add(
            "posts sharing one message (and thread)",
            format!(
                "message {m}: posts {:?}",
                ps.iter().map(|p| p.id).collect::<Vec<_>>()
            ),
        );
    }
    // Replies.
    let known_threads: HashSet<String> = posts.iter().filter_map(|p| p.thread.clone()).collect();
    for w in &written {
        let when = match (w.bot_up, w.closed_thread) {
            (true, false) => "open thread, bot up",
            (true, true) => "closed thread, bot up",
            (false, false) => "open thread, bot down",
            (false, true) => "closed thread, bot down",
        };
        let example = format!(
            "thread {} message {} by {} ({when})",
            w.thread, w.id, w.author
        );
        if !known_threads.contains(&w.thread.to_string()) {
            f.add("reply in a thread no post row owns", example);
            continue;
        }
        match (replies.get(&w.id.to_string()), w.deleted) {
            (None, true) => {} // deleted before it was collected: nothing kept, as wanted
            (Some((body, deleted_at)), true) => {
                if body.is_some() || deleted_at.is_none() {
                    f.add("deletion not applied", example);
                }
            }
            (None, false) => f.add(
                match (w.bot_up, w.closed_thread) {
                    (_, true) => "lost reply (closed thread)",
                    (true, false) => "lost reply (open thread, bot up)",
                    (false, false) => "lost reply (open thread, bot down)",
                },
                example,
            ),
            (Some((body, _)), false) => {
                if body.as_deref() != Some(w.text.as_str()) {
                    f.add(
                        if w.edited {
                            "edit not applied"
                        } else {
                            "reply stored with the wrong text"
                        },
                        format!("{example}: stored {body:?}, wrote {:?}", w.text),
                    );
                }
            }
        }
    }

    let warnings = logs.warnings.lock().unwrap().clone();
    let edited = written.iter().filter(|w| w.edited).count();
    let deleted = written.iter().filter(|w| w.deleted).count();
    let readies = lives.iter().filter(|l| l.ready.is_some()).count();
    writeln!(
        summary,
        "soak: {kills} kills (seed {seed}), {} lives ({readies} reached ready), {} posts, \
         {slots_expected} slots expected, {} replies written ({edited} edited, {deleted} deleted), \
         {} WARN/ERROR log lines",
        lives.len(),
        posts.len(),
        written.len(),
        warnings.len()
    )
    .unwrap();
    for w in warnings.iter().take(10) {
        writeln!(summary, "  log: {w}").unwrap();
    }
    if f.classes.is_empty() {
        writeln!(summary, "  no failures").unwrap();
    }
    for (class, (n, examples)) in &f.classes {
        writeln!(summary, "  {n:>5}  {class}").unwrap();
        for e in examples {
            writeln!(summary, "         e.g. {e}").unwrap();
        }
    }
    eprintln!("{summary}");
    let _ = std::fs::write(
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("soak-report.txt"),
        &summary,
    );
    assert!(
        readies > 0 && !posts.is_empty(),
        "the bot never got going\n{summary}"
    );
    assert!(!written.is_empty(), "the members wrote nothing\n{summary}");
    if !report_only {
        assert_eq!(f.total(), 0, "the soak found failures\n{summary}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
