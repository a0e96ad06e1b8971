//! The Matrix figures: the real `ponder` binary logged in to the real
//! Synapse the Matrix tests use (tests/matrix/homeserver.rs), with rooms
//! made as a community makes them: a person creates the room and invites
//! the bot, which joins; `!ponder setup` gives it a schedule. Sizes are
//! arguments, so tests/matrix/bench.rs runs each tiny (asserting what
//! happened, never a time) and `cargo bench --bench e2e -- matrix` runs
//! them at full size. Each returns its figures and what it observed; the
//! callers print or assert.
//!
//! The including crate provides `crate::bot`, `crate::homeserver` and
//! `crate::human` (tests/matrix's modules), `crate::machine`
//! (benches/support/machine.rs) and `crate::slots` (tests/support/slots.rs).

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ::ponder::db::Db;
use matrix_sdk::Room;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::UInt;
use serde_json::Value;
use tokio::task::JoinSet;

use crate::bot::Bot;
use crate::homeserver::{Cast, User};
use crate::human::Human;
use crate::{machine, slots};

/// How many room creations or commands are in flight at once.
const IN_FLIGHT: usize = 4;

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The bot of `cast` at the default log level (`info`), which is also what
/// "no WARN or ERROR" is judged at.
fn start_bot(bin: Option<&Path>, cast: &Cast, name: &str) -> Bot {
    Bot::start_binary(bin, cast, name, "", &[("RUST_LOG", "info")])
}

/// The WARN and ERROR lines of a run's log (a healthy run has none).
pub fn complaints(logs: &str) -> Vec<String> {
    logs.lines()
        .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
        .map(str::to_string)
        .collect()
}

/// Waits until the log holds `needle` `times` times.
async fn wait_logged(bot: &Bot, needle: &str, times: usize, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while bot.logs().matches(needle).count() < times {
        assert!(
            Instant::now() < deadline,
            "{needle:?} logged {} of {times} times in {timeout:?}\n{}",
            bot.logs().matches(needle).count(),
            bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The bot's database through a connection of our own (read only), once it exists.
async fn open_db(bot: &Bot) -> Db {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(db) = Db::open_store_read_only(&bot.store()).await {
            return db;
        }
        assert!(Instant::now() < deadline, "no database\n{}", bot.tail());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Alice of `cast` (logged in) creates `n` rooms, each inviting the bot and
/// `invite`, and waits until the bot has joined every one.
async fn rooms_with_bot(
    cast: &Cast,
    bot: &Bot,
    n: usize,
    invite: &[&str],
) -> (Arc<Human>, Vec<Room>) {
    wait_logged(bot, "Matrix session ready", 1, Duration::from_secs(60)).await;
    let alice = Arc::new(Human::login(&cast.url, &cast.alice).await);
    let mut invites = vec![cast.bot.user_id.clone()];
    invites.extend(invite.iter().map(|u| u.to_string()));
    let invites = Arc::new(invites);
    let mut rooms = Vec::with_capacity(n);
    let mut work = JoinSet::new();
    for _ in 0..n {
        if work.len() >= IN_FLIGHT {
            rooms.push(work.join_next().await.unwrap().unwrap());
        }
        let (a, inv) = (alice.clone(), invites.clone());
        work.spawn(async move {
            let inv: Vec<&str> = inv.iter().map(String::as_str).collect();
            a.create_room(&inv, false).await
        });
    }
    while let Some(room) = work.join_next().await {
        rooms.push(room.unwrap());
    }
    let timeout = Duration::from_secs(60 + n as u64);
    wait_logged(bot, "joined on invite", n, timeout).await;
    (alice, rooms)
}

/// Alice says `!ponder setup SPEC UTC` in every room; waits until the bot
/// has stored a schedule for each. Returns the bot's database.
async fn set_up(bot: &Bot, alice: &Arc<Human>, rooms: &[Room], spec: &str) -> Db {
    let text = Arc::new(format!("!ponder setup {spec} UTC"));
    let mut work = JoinSet::new();
    for room in rooms {
        if work.len() >= IN_FLIGHT {
            work.join_next().await.unwrap().unwrap();
        }
        let (a, room, text) = (alice.clone(), room.clone(), text.clone());
        work.spawn(async move {
            a.say(&room, &text).await;
        });
    }
    while let Some(done) = work.join_next().await {
        done.unwrap();
    }
    let db = open_db(bot).await;
    let deadline = Instant::now() + Duration::from_secs(60 + rooms.len() as u64);
    loop {
        let set = db.due_schedules().await.map_or(0, |s| s.len());
        if set >= rooms.len() {
            return db;
        }
        assert!(
            Instant::now() < deadline,
            "{set} of {} rooms set up\n{}",
            rooms.len(),
            bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The database id of each room's channel, in the order of `rooms`.
async fn channel_ids(db: &Db, rooms: &[Room]) -> Vec<i64> {
    let channels = db.channels().await.unwrap();
    rooms
        .iter()
        .map(|r| {
            channels
                .iter()
                .find(|c| c.platform == "matrix" && c.external_id == r.room_id().as_str())
                .unwrap_or_else(|| panic!("no channel for {}", r.room_id()))
                .id
        })
        .collect()
}

/// Waits until the bot's log has not grown for `quiet` (at most `max`).
async fn wait_quiet(bot: &Bot, quiet: Duration, max: Duration) {
    let deadline = Instant::now() + max;
    let (mut len, mut since) = (bot.logs().len(), Instant::now());
    while since.elapsed() < quiet && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = bot.logs().len();
        if now != len {
            (len, since) = (now, Instant::now());
        }
    }
}

// ---------------------------------------------------------------- idle memory

#[derive(Debug, Clone)]
pub struct IdleFigure {
    pub rooms: usize,
    /// From the bot's start to every room joined and set up.
    pub ready: Duration,
    /// VmRSS, RssAnon (heap and stacks), RssFile (code), VmHWM, in KiB.
    pub rss_kib: u64,
    pub anon_kib: u64,
    pub file_kib: u64,
    pub peak_kib: u64,
    /// Rooms with a schedule in the bot's database.
    pub set_up: usize,
    pub complaints: Vec<String>,
}

/// `ponder run` (Matrix only) in `rooms` rooms, each created by alice with
/// the bot invited and set up by `!ponder setup` with a schedule whose next
/// slot is weeks away; the RSS is read once the bot's log has been quiet
/// for 5 s.
pub async fn idle(bin: Option<&Path>, cast: &Cast, rooms: usize) -> IdleFigure {
    let mut bot = start_bot(bin, cast, &format!("bench-idle-{rooms}"));
    let started = Instant::now();
    let (alice, made) = rooms_with_bot(cast, &bot, rooms, &[]).await;
    let (_, far) = slots::once_from(unix_now() + 30 * 86_400);
    let db = set_up(&bot, &alice, &made, &far).await;
    let ready = started.elapsed();
    let set_up = db.due_schedules().await.unwrap().len();
    db.close().await;
    drop(alice);
    wait_quiet(&bot, Duration::from_secs(5), Duration::from_secs(60)).await;
    let pid = bot.pid().expect("running");
    let (rss_kib, peak_kib) = machine::rss_kib(pid).unwrap_or_default();
    let (anon_kib, file_kib) = machine::rss_parts_kib(pid).unwrap_or_default();
    bot.stop();
    IdleFigure {
        rooms,
        ready,
        rss_kib,
        anon_kib,
        file_kib,
        peak_kib,
        set_up,
        complaints: complaints(&bot.logs()),
    }
}

// ---------------------------------------------------------------- slot latency

#[derive(Debug, Clone)]
pub struct SlotFigure {
    pub rooms: usize,
    pub slots: usize,
    pub every_secs: i64,
    /// Per slot counted (room by room): the prompt event's `origin_server_ts`
    /// minus the slot's due second, in ms.
    pub late_ms: Vec<i64>,
    /// Per slot counted: how many prompt events carry its key in the room
    /// (exactly once: 1 each).
    pub events: Vec<usize>,
    pub complaints: Vec<String>,
}

impl SlotFigure {
    /// The median and the worst lateness, in ms.
    pub fn median_worst(&self) -> (i64, i64) {
        let mut v = self.late_ms.clone();
        v.sort_unstable();
        (
            v.get(v.len() / 2).copied().unwrap_or_default(),
            v.last().copied().unwrap_or_default(),
        )
    }
}

/// `rooms` rooms set up `every {every}s`; once all are, the next `slots`
/// slots of each are counted: each one's prompt event, read back from the
/// server as alice sees it, and how late it was stamped there.
pub async fn slots(
    bin: Option<&Path>,
    cast: &Cast,
    rooms: usize,
    slots: usize,
    every: i64,
) -> SlotFigure {
    let mut bot = start_bot(bin, cast, &format!("bench-slots-{rooms}x{slots}"));
    let (alice, made) = rooms_with_bot(cast, &bot, rooms, &[]).await;
    let db = set_up(&bot, &alice, &made, &format!("every {every}s")).await;
    let channels = channel_ids(&db, &made).await;
    // Slots are the multiples of `every`; the first counted one is at least
    // two seconds away, so no room's setup is still on its way.
    let first = (unix_now() + 2).div_euclid(every) * every + every;
    let wanted: Vec<i64> = (0..slots as i64).map(|i| first + i * every).collect();
    let last = *wanted.last().unwrap();
    let deadline = Instant::now() + Duration::from_secs((last - unix_now()).max(0) as u64 + 60);
    // (room index, slot) -> (key, event id)
    let mut posted: HashMap<(usize, i64), (String, String)> = HashMap::new();
    while posted.len() < rooms * slots {
        assert!(
            Instant::now() < deadline,
            "{} of {} slots posted\n{}",
            posted.len(),
            rooms * slots,
            bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        for (i, channel) in channels.iter().enumerate() {
            for p in db
                .recent_posts(*channel, 2 * slots as i64 + 20)
                .await
                .unwrap()
            {
                if let (Some(slot), Some(id)) = (p.slot_at, p.message_id)
                    && wanted.contains(&slot)
                {
                    posted.insert((i, slot), (p.idempotency_key, id));
                }
            }
        }
    }
    db.close().await;
    bot.stop();
    let mut late_ms = Vec::new();
    let mut events = Vec::new();
    for (i, room) in made.iter().enumerate() {
        let timeline = prompt_events(room, &cast.bot.user_id, slots + 20).await;
        for slot in &wanted {
            let (key, id) = &posted[&(i, *slot)];
            let with_key: Vec<&Value> = timeline
                .iter()
                .filter(|e| e["content"]["org.ponder.key"] == key.as_str())
                .collect();
            events.push(with_key.len());
            let at = timeline
                .iter()
                .find(|e| e["event_id"] == id.as_str())
                .and_then(|e| e["origin_server_ts"].as_i64())
                .unwrap_or_else(|| panic!("the prompt {id} is not in {}", room.room_id()));
            late_ms.push(at - slot * 1000);
        }
    }
    SlotFigure {
        rooms,
        slots,
        every_secs: every,
        late_ms,
        events,
        complaints: complaints(&bot.logs()),
    }
}

/// The bot's prompt events in a room, newest first, read back from the
/// server until `want` are found or the room's start is reached.
async fn prompt_events(room: &Room, bot: &str, want: usize) -> Vec<Value> {
    let mut found = Vec::new();
    let mut from = None;
    loop {
        let mut opts = MessagesOptions::backward();
        opts.limit = UInt::from(100u32);
        opts.from = from;
        let page = room.messages(opts).await.unwrap();
        found.extend(
            page.chunk
                .iter()
                .filter_map(|e| e.raw().deserialize_as::<Value>().ok())
                .filter(|e| e["sender"] == bot && e["content"]["org.ponder.key"].is_string()),
        );
        if found.len() >= want || page.end.is_none() || page.chunk.is_empty() {
            return found;
        }
        from = page.end;
    }
}

// ---------------------------------------------------------------- replies

#[derive(Debug, Clone)]
pub struct ReplyFigure {
    pub senders: usize,
    pub sent: usize,
    /// Replies in the prompt's thread in the bot's database at the end.
    pub stored: usize,
    /// From the first send to the last one Synapse accepted.
    pub sending: Duration,
    /// From the first send to the last reply stored.
    pub storing: Duration,
    pub complaints: Vec<String>,
}

impl ReplyFigure {
    /// What Synapse accepted per second.
    pub fn offered_per_sec(&self) -> f64 {
        self.sent as f64 / self.sending.as_secs_f64().max(1e-9)
    }

    pub fn stored_per_sec(&self) -> f64 {
        self.stored as f64 / self.storing.as_secs_f64().max(1e-9)
    }

    /// From the last send accepted to the last reply stored, in ms (below
    /// zero when the bot stored it before the sender had the answer).
    pub fn lag_ms(&self) -> i64 {
        self.storing.as_millis() as i64 - self.sending.as_millis() as i64
    }
}

/// One prompt in a room alice made with the bot and `senders` (alice may be
/// one); each sender sends `per_sender` thread replies to it, one after the
/// other as fast as Synapse answers, all senders at once. The bot's database
/// is read through a connection of our own until every reply is stored.
pub async fn replies(
    bin: Option<&Path>,
    cast: &Cast,
    senders: &[User],
    per_sender: usize,
) -> ReplyFigure {
    let mut bot = start_bot(
        bin,
        cast,
        &format!("bench-replies-{}x{per_sender}", senders.len()),
    );
    let others: Vec<&str> = senders
        .iter()
        .map(|u| u.user_id.as_str())
        .filter(|u| *u != cast.alice.user_id)
        .collect();
    let (alice, made) = rooms_with_bot(cast, &bot, 1, &others).await;
    let room = made[0].clone();
    let mut people = Vec::new();
    for user in senders {
        if user.user_id == cast.alice.user_id {
            people.push((alice.clone(), room.clone()));
        } else {
            let h = Human::login(&cast.url, user).await;
            let r = h.join(&room.room_id().to_owned()).await;
            people.push((Arc::new(h), r));
        }
    }
    let (_, soon) = slots::once_from(unix_now() + 8);
    let db = set_up(&bot, &alice, &made, &soon).await;
    let channel = channel_ids(&db, &made).await[0];
    let deadline = Instant::now() + Duration::from_secs(60);
    let (post, root) = loop {
        if let Some(p) = db.current_post(channel).await.unwrap()
            && let Some(t) = p.thread_id.clone()
        {
            break (p.id, t);
        }
        assert!(
            Instant::now() < deadline,
            "no prompt in 60 s\n{}",
            bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let ids: Vec<String> = senders.iter().map(|u| u.user_id.clone()).collect();
    let stored_now = async |db: &Db| {
        let mut n = 0;
        for id in &ids {
            n += db.count_post_replies_by(post, id).await.unwrap_or(0) as usize;
        }
        n
    };
    let total = senders.len() * per_sender;
    let start = Instant::now();
    let mut work = JoinSet::new();
    for (k, (who, r)) in people.into_iter().enumerate() {
        let root = root.clone();
        work.spawn(async move {
            for i in 0..per_sender {
                who.reply_in_thread(&r, &root, &format!("reply {i} from sender {k}"))
                    .await;
            }
            start.elapsed()
        });
    }
    let limit = Duration::from_secs(120 + total as u64 / 10);
    let mut stored = 0;
    while stored < total {
        assert!(
            start.elapsed() < limit,
            "{stored} of {total} replies stored in {limit:?}\n{}",
            bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
        stored = stored_now(&db).await;
    }
    let storing = start.elapsed();
    let mut sending = Duration::ZERO;
    while let Some(done) = work.join_next().await {
        sending = sending.max(done.unwrap());
    }
    // Anything more (a reply stored twice would be refused by the table's
    // key, but a stray one counts here) shows after a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stored = stored_now(&db).await;
    db.close().await;
    bot.stop();
    ReplyFigure {
        senders: senders.len(),
        sent: total,
        stored,
        sending,
        storing,
        complaints: complaints(&bot.logs()),
    }
}
