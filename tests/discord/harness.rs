use std::time::Duration;

use discord_emulator::ids::Snowflake;
use discord_emulator::model::{Message, ScriptedGuild};
use discord_emulator::{Emulator, EmulatorConfig, InteractionHandle, callback};
use serde_json::{Value, json};

use crate::ponder::Ponder;

pub const WAIT: Duration = Duration::from_secs(20);

/// A free port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// What a user sees of the bot's answer to a slash command.
#[derive(Debug)]
pub struct Answer {
    pub text: String,
    pub ephemeral: bool,
}

pub struct World {
    pub emu: Emulator,
    pub guild: ScriptedGuild,
    pub bot: Ponder,
}

impl World {
    /// An emulated guild and `ponder run` connected to it, its commands registered.
    pub async fn start(name: &str, config: EmulatorConfig) -> World {
        Self::start_with(name, config, "thread_open = \"24h\"\n").await
    }

    /// Like [`World::start`], with top-level config keys of its own.
    pub async fn start_with(name: &str, config: EmulatorConfig, top: &str) -> World {
        Self::start_full(name, config, top, &[], false, "").await
    }

    /// Like [`World::start`], with keys of its own in `[discord]`.
    pub async fn start_discord(name: &str, config: EmulatorConfig, discord: &str) -> World {
        Self::start_full(name, config, "thread_open = \"24h\"\n", &[], false, discord).await
    }

    /// Like [`World::start_with`], with environment variables for the bot,
    /// its commands registered in every emulated guild.
    pub async fn start_env(
        name: &str,
        config: EmulatorConfig,
        top: &str,
        env: &[(&str, &str)],
    ) -> World {
        Self::start_full(name, config, top, env, true, "").await
    }

    async fn start_full(
        name: &str,
        config: EmulatorConfig,
        top: &str,
        env: &[(&str, &str)],
        every_guild: bool,
        discord: &str,
    ) -> World {
        let emu = Emulator::start(config).await.unwrap();
        let guild = emu.guild();
        let guilds: Vec<String> = emu
            .guilds()
            .iter()
            .take(if every_guild { usize::MAX } else { 1 })
            .map(|g| format!("\"{}\"", g.id))
            .collect();
        // The tests' schedules are fast: the operator's minimum is 1s here.
        let fast = if top.contains("min_schedule_interval") {
            ""
        } else {
            "min_schedule_interval = \"1s\"\n"
        };
        // A config naming the scripted guild's text channel writes `{text_channel}`.
        let top = top.replace("{text_channel}", &guild.text_channel.to_string());
        let toml = format!(
            "{fast}{top}[discord]\napi_base = \"{}\"\nguilds = [{}]\n{discord}",
            emu.base_url(),
            guilds.join(", ")
        );
        let token = emu.token();
        let mut all = vec![("DISCORD_TOKEN", token.as_str())];
        all.extend_from_slice(env);
        let mut bot = Ponder::new(&format!("discord-{name}"), &toml, &all);
        bot.start();
        let w = World { emu, guild, bot };
        w.wait_ready().await;
        w
    }

    pub async fn wait_ready(&self) {
        let gid = self.guild.id;
        let ok = self
            .emu
            .wait_until(WAIT, |e| {
                (!e.commands(Some(gid)).is_empty() && e.connected_sessions() > 0).then_some(())
            })
            .await;
        assert!(
            ok.is_ok(),
            "the bot never connected and registered its commands\n{}",
            self.bot.tail()
        );
    }

    /// Runs a slash command (`"ponder setup"`) and returns the bot's answer:
    /// its direct reply, or the message that follows a deferral.
    pub async fn slash(
        &self,
        user: Snowflake,
        channel: Snowflake,
        name: &str,
        options: Value,
    ) -> Answer {
        let run = self
            .emu
            .run_slash_command(user, channel, name, options)
            .unwrap();
        let first = match run.wait_response(WAIT).await {
            Ok(r) => r,
            Err(e) => panic!("no answer to /{name}: {e}\n{}", self.bot.tail()),
        };
        if first.kind != callback::DEFERRED_CHANNEL_MESSAGE {
            return Answer {
                text: first.content().unwrap_or_default().to_string(),
                ephemeral: first.is_ephemeral(),
            };
        }
        let message = self.followup(&run, name).await;
        Answer {
            text: message.content.clone(),
            ephemeral: message.is_ephemeral() && first.is_ephemeral(),
        }
    }

    /// The message that answers a deferred interaction: its first
    /// follow-up, or its original response once edited.
    pub async fn followup(&self, run: &InteractionHandle, name: &str) -> Message {
        self.emu
            .wait_until(WAIT, |_| {
                run.followups()
                    .into_iter()
                    .next()
                    .or_else(|| run.original_message().filter(|m| !m.content.is_empty()))
            })
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "/{name} was deferred and never answered: {e}\n{}",
                    self.bot.tail()
                )
            })
    }

    /// The admin runs a /ponder subcommand; returns the (ephemeral) text.
    pub async fn admin(&self, channel: Snowflake, sub: &str, options: Value) -> String {
        let r = self
            .slash(self.guild.admin, channel, &format!("ponder {sub}"), options)
            .await;
        assert!(r.ephemeral, "admin answers are ephemeral: {}", r.text);
        r.text
    }

    /// The prompts the bot posted in a channel, oldest first.
    pub fn prompts(&self, channel: Snowflake) -> Vec<Message> {
        let bot = self.emu.bot_user_id();
        self.emu
            .messages(channel)
            .into_iter()
            .filter(|m| m.author_id == bot && m.nonce.is_some())
            .collect()
    }

    pub async fn wait_prompts(&self, channel: Snowflake, n: usize) -> Vec<Message> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let p = self.prompts(channel);
            if p.len() >= n {
                return p;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "only {} of {n} prompts in {channel}\n{}",
                p.len(),
                self.bot.tail()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sets up `channel` with a fast schedule, waits for its first prompt and
    /// its thread, and pauses; returns the prompt (its thread has the same id).
    pub async fn first_prompt(&self, channel: Snowflake) -> Message {
        let answer = self
            .admin(
                channel,
                "setup",
                json!({"schedule": "every 2s", "timezone": "UTC"}),
            )
            .await;
        assert!(
            answer.starts_with("Set up: prompts post here `every 2s` (UTC)"),
            "{answer}"
        );
        let prompt = self.wait_prompts(channel, 1).await.remove(0);
        let thread = prompt.id;
        let opened = self
            .emu
            .wait_until(WAIT, |e| e.channel(thread).map(|_| ()))
            .await;
        assert!(
            opened.is_ok(),
            "no thread was started on the prompt\n{}",
            self.bot.tail()
        );
        assert!(
            self.admin(channel, "pause", json!({}))
                .await
                .starts_with("Paused")
        );
        prompt
    }
}
