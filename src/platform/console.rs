//! The console platform: the terminal as one chat channel. Prompts and thread
//! openings are printed with their times on stdout; a typed line is a reply
//! in the open thread, a line starting with `!ponder` is a command (the
//! operator at the terminal is an admin). Works with a pipe as well as a TTY.
//! Logs go to stderr, so stdout is the conversation alone.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::sync::Notify;

use crate::domain::command;
use crate::engine::{
    Caller, Chat, ChatError, Engine, IncomingReply, Lookup, OutgoingPrompt, Posted,
};
use crate::shutdown::Shutdown;

pub const PLATFORM: &str = "console";

pub struct Console {
    channel: String,
    out: Mutex<Box<dyn Write + Send>>,
    /// Makes message ids unique across runs: the start time, then a counter.
    run: i64,
    counter: AtomicU64,
    thread_opened: Notify,
    user: String,
}

impl Console {
    pub fn new(channel: &str, out: Box<dyn Write + Send>) -> Arc<Console> {
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
        })
    }

    pub fn stdout(channel: &str) -> Arc<Console> {
        Self::new(channel, Box::new(std::io::stdout()))
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

    /// Prints lines, each prefixed with the time.
    pub fn say(&self, text: &str) {
        let stamp = chrono::Local::now().format("%H:%M:%S");
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

    /// Reads lines until the input ends or shutdown; replies typed before any
    /// thread is open wait for the first one.
    pub async fn read_input(
        self: Arc<Self>,
        engine: Arc<Engine>,
        input: impl AsyncRead + Unpin,
        mut shutdown: Shutdown,
    ) {
        let mut lines = BufReader::new(input).lines();
        let mut waiting: VecDeque<String> = VecDeque::new();
        let mut input_open = true;
        loop {
            tokio::select! {
                line = lines.next_line(), if input_open => match line {
                    Ok(Some(line)) => self.on_line(&engine, line, &mut waiting).await,
                    Ok(None) | Err(_) => input_open = false,
                },
                _ = self.thread_opened.notified(), if !waiting.is_empty() => {
                    while let Some(line) = waiting.pop_front() {
                        self.on_line(&engine, line, &mut VecDeque::new()).await;
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
            Ok(Some(cmd)) => {
                let caller = Caller {
                    platform: PLATFORM.into(),
                    channel: self.channel.clone(),
                    user_id: self.user.clone(),
                    user_name: self.user.clone(),
                    thread: None,
                    is_admin: true,
                    private: true,
                };
                let answer = engine.handle(&caller, cmd).await;
                self.say(&answer.text);
                if let Some((name, body)) = answer.file {
                    self.say(&format!("--- {name} ---\n{body}--- end of {name} ---"));
                }
            }
            Err(usage) => self.say(&usage.0),
            Ok(None) => {
                let thread = match engine.current_thread(PLATFORM, &self.channel).await {
                    Ok(t) => t,
                    Err(e) => {
                        tracing::error!(error = %format!("{e:#}"), "reading the open thread");
                        None
                    }
                };
                let Some(thread_id) = thread else {
                    self.say(
                        "(no prompt is open yet: your reply will go into the next prompt's thread)",
                    );
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
                match engine.on_reply(PLATFORM, &reply).await {
                    Ok(true) => self.say(&format!(
                        "reply stored in thread {} (from {})",
                        reply.thread_id, reply.author_name
                    )),
                    Ok(false) => self.say("(that reply was not stored: no open thread)"),
                    Err(e) => {
                        tracing::error!(error = %format!("{e:#}"), "storing a console reply");
                        self.say("(could not store that reply; see the log)");
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
        self.say(&format!(
            "#{channel} new prompt: {}\n{}",
            prompt.title,
            indent(&prompt.text)
        ));
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
        title: &str,
        open_for: Duration,
    ) -> Result<(), ChatError> {
        let hours = open_for.as_secs_f64() / 3600.0;
        let open = if hours >= 1.0 {
            format!("{hours:.0} h")
        } else {
            format!("{} s", open_for.as_secs())
        };
        self.say(&format!(
            "thread {} opened: \"{title}\" (open for {open}); type a line to reply",
            posted.thread_id
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
        self.say(&format!("in thread {thread_id}:\n{}", indent(text)));
        Ok(self.next_id())
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
        self.say(&format!("thread {thread_id} closed"));
        Ok(())
    }

    async fn send_direct(&self, user_id: &str, text: &str) -> Result<(), ChatError> {
        self.say(&format!("privately to {user_id}:\n{}", indent(text)));
        Ok(())
    }

    async fn set_pinned(
        &self,
        _channel: &str,
        message_id: &str,
        pinned: bool,
    ) -> Result<(), ChatError> {
        let what = if pinned { "pinned" } else { "unpinned" };
        self.say(&format!("message {message_id} {what}"));
        Ok(())
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
