//! The console platform: the terminal as one chat channel. Prompts and thread
//! openings are printed with their times on stdout; a typed line is a reply
//! in the open thread, a line starting with `!ponder` is a command (the
//! operator at the terminal is an admin). Works with a pipe as well as a TTY.
//! Logs go to stderr, so stdout is the conversation alone.
//!
//! Decisions:
//! - The terminal is the operator's: everything printed goes through
//!   [`crate::text::for_terminal`], so an escape sequence in a reply, a
//!   prompt file or an export is shown (`␛[2J`), never obeyed.
//! - Standard input is read on a thread of its own that is never joined, and
//!   lines reach the async side through a channel: a read blocked on an open
//!   terminal never keeps the process alive after Ctrl-C or SIGTERM (tokio's
//!   own stdin reads on the runtime's blocking pool, which the runtime waits
//!   for at exit).
//! - Input is decoded lossily: a byte that is not UTF-8 becomes `�`, the
//!   line is used as it is, and the console says so once.
//! - Prompts are named by their number (Ponder's post number, the one
//!   `status` and `export --post` use) and title, never by message ids.
//! - A terminal cannot take back what it printed, so `forget-me` does not
//!   claim to remove anything from it.

mod files;

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, Read, Write};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::{Notify, mpsc};

use crate::domain::command;
use crate::engine::{
    Caller, Chat, ChatError, Engine, IncomingReply, Lookup, OutgoingPrompt, Posted,
};
use crate::i18n::Lang;
use crate::shutdown::Shutdown;
use crate::text::{MAX_REPLY_CHARS, for_terminal};
use crate::tr;

pub const PLATFORM: &str = "console";

pub struct Console {
    channel: String,
    out: Mutex<Box<dyn Write + Send>>,
    /// Makes message ids unique across runs: the start time, then a counter.
    run: i64,
    counter: AtomicU64,
    thread_opened: Notify,
    user: String,
    /// Each prompt's number and title, by its thread id.
    prompts: Mutex<HashMap<String, (i64, String)>>,
    /// Whether the console has said that input was not UTF-8.
    said_lossy: AtomicBool,
    /// The language of its own texts (its channel's).
    lang: Lang,
}

impl Console {
    pub fn new(channel: &str, out: Box<dyn Write + Send>, lang: Lang) -> Arc<Console> {
        let user = std::env::var("USER")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "you".into());
        Arc::new(Console {
            channel: channel.to_string(),
            out: Mutex::new(out),
            run: Utc::now().timestamp_millis(),
            counter: AtomicU64::new(0),
            thread_opened: Notify::new(),
            user,
            prompts: Mutex::new(HashMap::new()),
            said_lossy: AtomicBool::new(false),
            lang,
        })
    }

    pub fn stdout(channel: &str, lang: Lang) -> Arc<Console> {
        Self::new(channel, Box::new(std::io::stdout()), lang)
    }

    pub fn channel(&self) -> &str {
        &self.channel
    }

    fn next_id(&self) -> String {
        format!(
            "c{}-{}",
            self.run,
            self.counter.fetch_add(1, Ordering::Relaxed)
        )
    }

    /// Prints lines, each prefixed with the time, control characters shown
    /// rather than obeyed.
    pub fn say(&self, text: &str) {
        let stamp = chrono::Local::now().format("%H:%M:%S");
        let text = for_terminal(text);
        let mut out = self.out.lock().unwrap();
        for (i, line) in text.lines().enumerate() {
            let _ = if i == 0 {
                writeln!(out, "[{stamp}] {line}")
            } else {
                writeln!(out, "           {line}")
            };
        }
        let _ = out.flush();
    }

    /// Names a prompt posted before this run (still open), for what follows.
    pub fn remember_prompt(&self, thread_id: &str, number: i64, title: &str) {
        self.prompts
            .lock()
            .unwrap()
            .insert(thread_id.to_string(), (number, title.to_string()));
    }

    /// How a prompt is named on screen: `prompt #3 "Title"`.
    fn prompt_name(&self, thread_id: &str) -> String {
        match self.prompts.lock().unwrap().get(thread_id) {
            Some((n, title)) => tr!(
                self.lang,
                "console-prompt",
                post = *n,
                title = title.as_str()
            ),
            None => tr!(self.lang, "console-earlier-prompt"),
        }
    }

    /// Reads lines until the input ends or shutdown; replies typed before any
    /// thread is open wait for the first one. `input` is read on a thread of
    /// its own (see the module docs), so this returns at shutdown even while
    /// a read is blocked.
    pub async fn read_input(
        self: Arc<Self>,
        engine: Arc<Engine>,
        input: impl Read + Send + 'static,
        mut shutdown: Shutdown,
    ) {
        let mut lines = read_lines(input);
        let mut waiting: VecDeque<String> = VecDeque::new();
        let mut input_open = true;
        loop {
            tokio::select! {
                line = lines.recv(), if input_open => match line {
                    Some(Line { text, lossy }) => {
                        if lossy && !self.said_lossy.swap(true, Ordering::Relaxed) {
                            self.say(&tr!(self.lang, "console-not-utf8"));
                        }
                        self.on_line(&engine, text, &mut waiting).await
                    }
                    None => input_open = false,
                },
                _ = self.thread_opened.notified(), if !waiting.is_empty() => {
                    // The thread is made a moment before the engine records
                    // it as open, and a wake-up may be a stale one: look for
                    // the open thread (briefly); the lines go in once it is
                    // there, and otherwise keep waiting, unsaid and kept.
                    for _ in 0..40 {
                        if let Ok(Some(_)) = engine.current_thread(PLATFORM, &self.channel).await {
                            let mut still = VecDeque::new();
                            while let Some(line) = waiting.pop_front() {
                                self.on_line(&engine, line, &mut still).await;
                            }
                            waiting = still;
                            break;
                        }
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    }
                }
                _ = shutdown.recv() => break,
            }
            if !input_open && waiting.is_empty() {
                // Nothing more will come from the terminal; the bot goes on.
                shutdown.recv().await;
                break;
            }
        }
    }

    async fn on_line(&self, engine: &Engine, line: String, waiting: &mut VecDeque<String>) {
        let line = line.trim_end_matches('\r').to_string();
        if line.trim().is_empty() {
            return;
        }
        match command::parse(&line) {
            Ok(Some(mut cmd)) => {
                files::read_attached(&mut cmd);
                let caller = Caller {
                    platform: PLATFORM.into(),
                    channel: self.channel.clone(),
                    user_id: self.user.clone(),
                    user_name: self.user.clone(),
                    thread: None,
                    is_admin: true,
                    private: true,
                    locale: None,
                };
                let answer = engine.handle(&caller, cmd).await;
                self.say(&answer.text);
                if let Some((name, body)) = answer.file {
                    self.show_file(&name, &body);
                }
            }
            Err(usage) => {
                let said = engine
                    .usage_answer(PLATFORM, &self.channel, None, &usage)
                    .await;
                self.say(&said);
            }
            Ok(None) => {
                let thread = match engine.current_thread(PLATFORM, &self.channel).await {
                    Ok(t) => t,
                    Err(e) => {
                        tracing::error!(error = %format!("{e:#}"), "reading the open thread");
                        None
                    }
                };
                let Some(thread_id) = thread else {
                    self.say(&tr!(self.lang, "console-reply-waits"));
                    waiting.push_back(line);
                    return;
                };
                let reply = IncomingReply {
                    thread_id,
                    message_id: self.next_id(),
                    author_id: self.user.clone(),
                    author_name: self.user.clone(),
                    text: line,
                    at: engine.now(),
                };
                let long = reply.text.chars().count() > MAX_REPLY_CHARS;
                let change = crate::engine::ingest::Change::New(reply.clone());
                match engine.write_reply(PLATFORM, change).await {
                    Ok(true) => {
                        let name =
                            match engine.db().post_by_thread(PLATFORM, &reply.thread_id).await {
                                Ok(Some(post)) => tr!(
                                    self.lang,
                                    "console-prompt",
                                    post = post.id,
                                    title = post.prompt_title
                                ),
                                _ => self.prompt_name(&reply.thread_id),
                            };
                        let mut said = tr!(self.lang, "console-reply-stored", prompt = name);
                        if long {
                            said.push(' ');
                            said.push_str(&tr!(
                                self.lang,
                                "console-reply-cut",
                                max = MAX_REPLY_CHARS
                            ));
                        }
                        self.say(&said)
                    }
                    Ok(false) => self.say(&tr!(self.lang, "console-reply-not-stored")),
                    Err(e) => {
                        tracing::error!(error = %format!("{e:#}"), "storing a console reply");
                        self.say(&tr!(self.lang, "console-reply-failed"));
                    }
                }
            }
        }
    }
}

#[async_trait]
impl Chat for Console {
    fn platform(&self) -> &'static str {
        PLATFORM
    }

    async fn post_prompt(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
    ) -> Result<Posted, ChatError> {
        let id = self.next_id();
        self.prompts
            .lock()
            .unwrap()
            .insert(id.clone(), (prompt.post_id, prompt.title.clone()));
        let line = tr!(
            self.lang,
            "console-new-prompt",
            post = prompt.post_id,
            title = prompt.title.as_str()
        );
        self.say(&format!("#{channel} {line}\n{}", indent(&prompt.text)));
        Ok(Posted {
            message_id: id.clone(),
            thread_id: id,
        })
    }

    async fn find_post(
        &self,
        _channel: &str,
        _prompt: &OutgoingPrompt,
        _since: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        // A terminal cannot be searched, and nothing printed survives the
        // process: an unconfirmed prompt is printed again.
        Ok(Lookup::NotSent)
    }

    async fn open_thread(
        &self,
        _channel: &str,
        posted: &Posted,
        _title: &str,
        open_for: Duration,
    ) -> Result<(), ChatError> {
        let hours = open_for.as_secs_f64() / 3600.0;
        let open = if hours >= 1.0 {
            format!("{hours:.0} h")
        } else {
            format!("{} s", open_for.as_secs())
        };
        let post = self
            .prompts
            .lock()
            .unwrap()
            .get(&posted.thread_id)
            .map_or(0, |(n, _)| *n);
        self.say(&tr!(
            self.lang,
            "console-thread-open",
            post = post,
            open = open
        ));
        self.thread_opened.notify_waiters();
        self.thread_opened.notify_one();
        Ok(())
    }

    async fn send_in_channel(&self, channel: &str, text: &str) -> Result<String, ChatError> {
        self.say(&format!("#{channel}:\n{}", indent(text)));
        Ok(self.next_id())
    }

    async fn send_in_thread(
        &self,
        _channel: &str,
        thread_id: &str,
        text: &str,
    ) -> Result<String, ChatError> {
        let place = tr!(
            self.lang,
            "console-in-thread",
            prompt = self.prompt_name(thread_id)
        );
        self.say(&format!("{place}:\n{}", indent(text)));
        Ok(self.next_id())
    }

    async fn send_file(
        &self,
        channel: &str,
        thread: Option<&str>,
        text: &str,
        name: &str,
        body: &[u8],
    ) -> Result<String, ChatError> {
        let place = match thread {
            Some(t) => tr!(self.lang, "console-in-thread", prompt = self.prompt_name(t)),
            None => format!("#{channel}"),
        };
        self.say_with_file(&place, text, name, body)
    }

    async fn replies_after(
        &self,
        _c: &str,
        _t: &str,
        _after: Option<&str>,
    ) -> Result<Vec<IncomingReply>, ChatError> {
        Ok(Vec::new()) // the terminal keeps no history
    }

    async fn close_thread(&self, _channel: &str, thread_id: &str) -> Result<(), ChatError> {
        let prompt = self.prompt_name(thread_id);
        self.say(&tr!(self.lang, "console-closed", prompt = prompt));
        Ok(())
    }

    async fn send_direct(&self, user_id: &str, text: &str) -> Result<(), ChatError> {
        let to = tr!(self.lang, "console-privately", user = user_id);
        self.say(&format!("{to}:\n{}", indent(text)));
        Ok(())
    }

    fn can_delete_own(&self) -> bool {
        false // a terminal keeps what it printed
    }

    async fn set_pinned(
        &self,
        _channel: &str,
        message_id: &str,
        pinned: bool,
    ) -> Result<(), ChatError> {
        let prompt = self.prompt_name(message_id);
        self.say(&match pinned {
            true => tr!(self.lang, "console-pinned", prompt = prompt),
            false => tr!(self.lang, "console-unpinned", prompt = prompt),
        });
        Ok(())
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A line typed on the terminal; `lossy` when some of its bytes were not UTF-8.
struct Line {
    text: String,
    lossy: bool,
}

/// Reads `input` line by line on a thread of its own, never joined: a read
/// blocked on a terminal cannot hold up the process's exit. The channel
/// closes when the input ends (or fails).
fn read_lines(input: impl Read + Send + 'static) -> mpsc::Receiver<Line> {
    let (tx, rx) = mpsc::channel(64);
    let spawned = std::thread::Builder::new()
        .name("console-stdin".into())
        .spawn(move || {
            let mut input = std::io::BufReader::new(input);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match input.read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
                while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    buf.pop();
                }
                let line = match String::from_utf8(std::mem::take(&mut buf)) {
                    Ok(text) => Line { text, lossy: false },
                    Err(e) => Line {
                        text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                        lossy: true,
                    },
                };
                if tx.blocking_send(line).is_err() {
                    break;
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "could not start reading the terminal");
    }
    rx
}
