//! A real serenity + poise bot wired to the emulator, plus checks every test ends with.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use discord_emulator::{Emulator, EmulatorConfig};
use poise::serenity_prelude as serenity;
use serenity::model::event::{Event, GatewayEvent};
use serenity::{
    ChannelId, Context, EventHandler, GatewayIntents, GuildChannel, GuildId, Http, HttpBuilder,
    Message, MessageId, MessageUpdateEvent, RawEventHandler, Ready, ResumedEvent,
};

pub const WAIT: Duration = Duration::from_secs(5);

/// What the bot's handlers saw, in order of arrival.
#[derive(Clone, Debug, PartialEq)]
pub enum Seen {
    Ready,
    GuildCreate(u64),
    Message {
        id: u64,
        channel: u64,
        author: u64,
        content: String,
    },
    MessageUpdate(u64),
    MessageDelete(u64),
    MessageDeleteBulk(Vec<u64>),
    ThreadCreate(u64),
    ThreadUpdate {
        id: u64,
        archived: bool,
        locked: bool,
    },
    ThreadDelete(u64),
    ChannelDelete(u64),
    Resumed,
    /// serenity could not parse a dispatch: the emulator sent an incomplete payload.
    Unknown(String),
}

type Log = Arc<Mutex<Vec<Seen>>>;

struct Handler(Log);

impl Handler {
    fn push(&self, seen: Seen) {
        self.0.lock().unwrap().push(seen);
    }
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _: Context, _: Ready) {
        self.push(Seen::Ready);
    }

    async fn guild_create(&self, _: Context, guild: serenity::Guild, _: Option<bool>) {
        self.push(Seen::GuildCreate(guild.id.get()));
    }

    async fn message(&self, _: Context, m: Message) {
        self.push(Seen::Message {
            id: m.id.get(),
            channel: m.channel_id.get(),
            author: m.author.id.get(),
            content: m.content,
        });
    }

    async fn message_update(
        &self,
        _: Context,
        _: Option<Message>,
        _: Option<Message>,
        e: MessageUpdateEvent,
    ) {
        self.push(Seen::MessageUpdate(e.id.get()));
    }

    async fn message_delete(&self, _: Context, _: ChannelId, id: MessageId, _: Option<GuildId>) {
        self.push(Seen::MessageDelete(id.get()));
    }

    async fn message_delete_bulk(
        &self,
        _: Context,
        _: ChannelId,
        ids: Vec<MessageId>,
        _: Option<GuildId>,
    ) {
        self.push(Seen::MessageDeleteBulk(
            ids.iter().map(|i| i.get()).collect(),
        ));
    }

    async fn thread_create(&self, _: Context, thread: GuildChannel) {
        self.push(Seen::ThreadCreate(thread.id.get()));
    }

    async fn thread_update(&self, _: Context, _: Option<GuildChannel>, new: GuildChannel) {
        let meta = new.thread_metadata.expect("threads carry metadata");
        self.push(Seen::ThreadUpdate {
            id: new.id.get(),
            archived: meta.archived,
            locked: meta.locked,
        });
    }

    async fn thread_delete(
        &self,
        _: Context,
        thread: serenity::PartialGuildChannel,
        _: Option<GuildChannel>,
    ) {
        self.push(Seen::ThreadDelete(thread.id.get()));
    }

    async fn channel_delete(&self, _: Context, channel: GuildChannel, _: Option<Vec<Message>>) {
        self.push(Seen::ChannelDelete(channel.id.get()));
    }

    async fn resume(&self, _: Context, _: ResumedEvent) {
        self.push(Seen::Resumed);
    }
}

struct Raw(Log);

#[serenity::async_trait]
impl RawEventHandler for Raw {
    async fn raw_event(&self, _: Context, event: Event) {
        if let Event::Unknown(unknown) = event {
            self.0.lock().unwrap().push(Seen::Unknown(unknown.kind));
        }
    }
}

// ----- the poise commands the test bot registers -----

pub struct Data;
type Error = Box<dyn std::error::Error + Send + Sync>;
type PoiseContext<'a> = poise::Context<'a, Data, Error>;

/// Replies "pong" to the invoker only.
#[poise::command(slash_command)]
async fn ping(ctx: PoiseContext<'_>) -> Result<(), Error> {
    ctx.send(
        poise::CreateReply::default()
            .content("pong")
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Says the text back, visibly.
#[poise::command(slash_command)]
async fn echo(
    ctx: PoiseContext<'_>,
    #[description = "What to say"] text: String,
    #[description = "How often"] times: Option<u8>,
) -> Result<(), Error> {
    let times = usize::from(times.unwrap_or(1));
    ctx.say(vec![text.as_str(); times].join(" ")).await?;
    Ok(())
}

/// Defers, then answers.
#[poise::command(slash_command)]
async fn slow(ctx: PoiseContext<'_>) -> Result<(), Error> {
    ctx.defer().await?;
    ctx.say("done").await?;
    Ok(())
}

#[derive(Debug, poise::Modal)]
#[name = "Suggest a prompt"]
struct Suggestion {
    #[name = "Prompt"]
    prompt: String,
}

/// Opens a modal and thanks for the suggestion.
#[poise::command(slash_command)]
async fn suggest(ctx: poise::ApplicationContext<'_, Data, Error>) -> Result<(), Error> {
    use poise::Modal as _;
    if let Some(s) = Suggestion::execute(ctx).await? {
        ctx.say(format!("thanks for: {}", s.prompt)).await?;
    }
    Ok(())
}

async fn complete_topic(
    _ctx: PoiseContext<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let choices = ["tea", "teamwork", "time"]
        .into_iter()
        .filter(move |t| t.starts_with(partial))
        .map(serenity::AutocompleteChoice::from)
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Picks a topic (with autocomplete).
#[poise::command(slash_command)]
async fn topic(
    ctx: PoiseContext<'_>,
    #[description = "Topic"]
    #[autocomplete = "complete_topic"]
    name: String,
) -> Result<(), Error> {
    ctx.say(format!("topic: {name}")).await?;
    Ok(())
}

/// Ponder's commands, as a subcommand tree.
#[poise::command(slash_command, subcommands("next", "export"))]
async fn ponder(_ctx: PoiseContext<'_>) -> Result<(), Error> {
    Ok(())
}

/// Posts the next prompt.
#[poise::command(slash_command)]
async fn next(
    ctx: PoiseContext<'_>,
    #[description = "Who asks"] user: serenity::User,
) -> Result<(), Error> {
    ctx.say(format!("next, asked by {}", user.name)).await?;
    Ok(())
}

/// The CSV `/ponder export` and `/file` attach.
pub const CSV: &[u8] = b"a,b\n1,2\n";

// Defers ephemerally, answers with the file attached (the answer replaces the "thinking"
// message), then sends a followup with a second file.
/// Exports as a file.
#[poise::command(slash_command)]
async fn export(
    ctx: PoiseContext<'_>,
    #[description = "File format"] format: String,
) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    let file = serenity::CreateAttachment::bytes(CSV.to_vec(), format!("x.{format}"));
    ctx.send(
        poise::CreateReply::default()
            .content("your export")
            .attachment(file),
    )
    .await?;
    let notes = serenity::CreateAttachment::bytes(b"notes".to_vec(), "notes.txt");
    ctx.send(
        poise::CreateReply::default()
            .attachment(notes)
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Answers directly (callback type 4) with only a file.
#[poise::command(slash_command)]
async fn file(ctx: PoiseContext<'_>) -> Result<(), Error> {
    ctx.send(
        poise::CreateReply::default()
            .attachment(serenity::CreateAttachment::bytes(CSV.to_vec(), "x.csv")),
    )
    .await?;
    Ok(())
}

/// Replies privately with two buttons, then publicly (a followup) with the same buttons.
#[poise::command(slash_command)]
async fn choose(ctx: PoiseContext<'_>) -> Result<(), Error> {
    let buttons = || {
        vec![serenity::CreateActionRow::Buttons(vec![
            serenity::CreateButton::new("reply").label("Reply"),
            serenity::CreateButton::new("slow")
                .label("Slow")
                .style(serenity::ButtonStyle::Secondary),
        ])]
    };
    ctx.send(
        poise::CreateReply::default()
            .content("pick privately")
            .ephemeral(true)
            .components(buttons()),
    )
    .await?;
    ctx.send(
        poise::CreateReply::default()
            .content("pick publicly")
            .components(buttons()),
    )
    .await?;
    Ok(())
}

/// The bot's answers to button clicks and to the modal one of them opens, by custom id:
/// `vote-yes` edits the message (7), `later` acknowledges (6) and then edits it through
/// `@original`, `reply` replies ephemerally (4), `slow` defers (5) and follows up, `suggest`
/// opens the `suggest-modal` modal, whose submission edits the message (7).
fn on_event<'a>(
    framework: poise::FrameworkContext<'a, Data, Error>,
    event: &'a serenity::FullEvent,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let http = &framework.serenity_context.http;
        let serenity::FullEvent::InteractionCreate { interaction } = event else {
            return Ok(());
        };
        use serenity::{
            CreateInteractionResponse as Response, CreateInteractionResponseMessage as Reply,
        };
        match interaction {
            serenity::Interaction::Component(click) => match click.data.custom_id.as_str() {
                "vote-yes" => {
                    let content = format!("voted yes by {}", click.user.name);
                    let update = Reply::new().content(content).components(vec![]);
                    click
                        .create_response(http, Response::UpdateMessage(update))
                        .await?;
                }
                "later" => {
                    click.create_response(http, Response::Acknowledge).await?;
                    let edit = serenity::EditInteractionResponse::new().content("decided later");
                    click.edit_response(http, edit).await?;
                }
                "reply" => {
                    let reply = Reply::new()
                        .content(format!("you clicked on {}", click.message.id))
                        .ephemeral(true);
                    click
                        .create_response(http, Response::Message(reply))
                        .await?;
                }
                "slow" => {
                    click
                        .create_response(http, Response::Defer(Reply::new()))
                        .await?;
                    let followup =
                        serenity::CreateInteractionResponseFollowup::new().content("slow done");
                    click.create_followup(http, followup).await?;
                }
                "suggest" => {
                    let input = serenity::CreateInputText::new(
                        serenity::InputTextStyle::Short,
                        "Prompt",
                        "prompt",
                    );
                    let modal = serenity::CreateModal::new("suggest-modal", "Suggest a prompt")
                        .components(vec![serenity::CreateActionRow::InputText(input)]);
                    click.create_response(http, Response::Modal(modal)).await?;
                }
                _ => {}
            },
            serenity::Interaction::Modal(submit) if submit.data.custom_id == "suggest-modal" => {
                let prompt = submit
                    .data
                    .components
                    .iter()
                    .flat_map(|row| &row.components)
                    .find_map(|c| match c {
                        serenity::ActionRowComponent::InputText(t) if t.custom_id == "prompt" => {
                            t.value.clone()
                        }
                        _ => None,
                    })
                    .unwrap_or_default();
                let content = format!("suggested: {prompt} (from {})", submit.data.custom_id);
                let update = Reply::new().content(content).components(vec![]);
                submit
                    .create_response(http, Response::UpdateMessage(update))
                    .await?;
            }
            _ => {}
        }
        Ok(())
    })
}

// ----- the running bot -----

pub struct Bot {
    pub emu: Emulator,
    pub http: Arc<Http>,
    log: Log,
    shard_manager: Arc<serenity::ShardManager>,
    task: tokio::task::JoinHandle<Result<(), serenity::Error>>,
}

pub fn default_intents() -> GatewayIntents {
    GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::MESSAGE_CONTENT
}

/// Logs to the test output when `RUST_LOG` is set (e.g. `RUST_LOG=serenity=debug`).
pub fn init_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("RUST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
                .with_test_writer()
                .try_init();
        }
    });
}

/// An emulator with test-friendly settings.
pub async fn emulator() -> Emulator {
    init_logs();
    Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator starts")
}

pub fn http_for(emu: &Emulator, token: &str) -> Http {
    HttpBuilder::new(token)
        .proxy(emu.base_url())
        .ratelimiter_disabled(true)
        .build()
}

impl Bot {
    /// Starts a bot and waits until its guild commands are registered.
    pub async fn start(emu: &Emulator) -> Bot {
        let bot = Self::start_with(emu, default_intents(), &emu.token()).await;
        let guild = emu.guild().id;
        emu.wait_until(WAIT, |e| (e.commands(Some(guild)).len() >= 8).then_some(()))
            .await
            .expect("the bot registers its guild commands");
        bot
    }

    /// Starts a bot with these intents and token, without waiting for anything.
    pub async fn start_with(emu: &Emulator, intents: GatewayIntents, token: &str) -> Bot {
        let guild = GuildId::new(emu.guild().id);
        let framework = poise::Framework::builder()
            .options(poise::FrameworkOptions {
                commands: vec![
                    ping(),
                    echo(),
                    slow(),
                    suggest(),
                    topic(),
                    ponder(),
                    choose(),
                    file(),
                ],
                event_handler: on_event,
                ..Default::default()
            })
            .setup(move |ctx, _ready, framework| {
                Box::pin(async move {
                    // Registration failures must not fail setup: poise would hang every event.
                    if let Err(e) = poise::builtins::register_in_guild(
                        ctx,
                        &framework.options().commands,
                        guild,
                    )
                    .await
                    {
                        eprintln!("command registration failed: {e}");
                    }
                    Ok(Data)
                })
            })
            .build();
        let log: Log = Arc::default();
        let mut client = serenity::ClientBuilder::new_with_http(http_for(emu, token), intents)
            .framework(framework)
            .event_handler(Handler(log.clone()))
            .raw_event_handler(Raw(log.clone()))
            .await
            .expect("client builds");
        let shard_manager = client.shard_manager.clone();
        let http = client.http.clone();
        let task = tokio::spawn(async move { client.start().await });
        Bot {
            emu: emu.clone(),
            http,
            log,
            shard_manager,
            task,
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the bot's handlers saw something matching `pick`.
    pub async fn wait_for<T>(&self, what: &str, mut pick: impl FnMut(&Seen) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(found) = self.seen().iter().find_map(&mut pick) {
                return found;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("bot never saw {what}; saw {:#?}", self.seen());
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits for the bot's `message` handler to get message `id`.
    pub async fn wait_for_message(&self, id: u64) -> Seen {
        self.wait_for(&format!("message {id}"), |s| match s {
            Seen::Message { id: got, .. } if *got == id => Some(s.clone()),
            _ => None,
        })
        .await
    }

    /// Shuts the bot down and checks what every test must hold: serenity parsed every
    /// dispatch, every frame deserializes with serenity's models, no unknown routes.
    pub async fn finish(self) {
        let Bot {
            emu,
            log,
            shard_manager,
            task,
            ..
        } = self;
        shard_manager.shutdown_all().await;
        let ended = tokio::time::timeout(WAIT, task).await;
        assert!(ended.is_ok(), "the client did not stop within {WAIT:?}");
        let unknown: Vec<Seen> = log
            .lock()
            .unwrap()
            .iter()
            .filter(|s| matches!(s, Seen::Unknown(_)))
            .cloned()
            .collect();
        assert!(
            unknown.is_empty(),
            "serenity saw Unknown events: {unknown:?}"
        );
        assert_every_frame_parses(&emu);
        assert!(
            emu.unknown_routes().is_empty(),
            "the bot called routes the emulator does not implement: {:?}",
            emu.unknown_routes()
        );
    }
}

/// Deserializes every frame the emulator wrote with serenity's own `GatewayEvent`.
pub fn assert_every_frame_parses(emu: &Emulator) {
    let frames = emu.gateway_events_sent();
    assert!(!frames.is_empty(), "no gateway frames were sent");
    for frame in frames {
        let event: GatewayEvent = serde_json::from_str(&frame.raw)
            .unwrap_or_else(|e| panic!("frame does not parse ({e}): {}", frame.raw));
        if let GatewayEvent::Dispatch(_, Event::Unknown(unknown)) = event {
            panic!(
                "{} is an Unknown event to serenity: {}\npayload: {}",
                unknown.kind,
                explain(&unknown.kind, &unknown.value),
                unknown.value
            );
        }
    }
}

/// Why serenity rejected a payload: deserialize it as the specific event type.
fn explain(kind: &str, value: &serde_json::Value) -> String {
    use serenity::model::event::*;
    fn why<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> String {
        serde_json::from_value::<T>(value.clone())
            .err()
            .map_or("parses alone".into(), |e| e.to_string())
    }
    match kind {
        "READY" => why::<ReadyEvent>(value),
        "GUILD_CREATE" => why::<GuildCreateEvent>(value),
        "MESSAGE_CREATE" => why::<MessageCreateEvent>(value),
        "MESSAGE_UPDATE" => why::<MessageUpdateEvent>(value),
        "THREAD_CREATE" => why::<ThreadCreateEvent>(value),
        "THREAD_UPDATE" => why::<ThreadUpdateEvent>(value),
        "THREAD_DELETE" => why::<ThreadDeleteEvent>(value),
        "CHANNEL_DELETE" => why::<ChannelDeleteEvent>(value),
        "CHANNEL_PINS_UPDATE" => why::<ChannelPinsUpdateEvent>(value),
        "INTERACTION_CREATE" => why::<InteractionCreateEvent>(value),
        "CHANNEL_UPDATE" => why::<ChannelUpdateEvent>(value),
        "GUILD_ROLE_CREATE" => why::<GuildRoleCreateEvent>(value),
        _ => "no explanation".into(),
    }
}

/// A raw HTTP/1.1 request, for status, headers and body exactly as sent.
pub async fn raw_request(
    emu: &Emulator,
    method: &str,
    path: &str,
    auth: Option<&str>,
    body: Option<&str>,
) -> (u16, Vec<(String, String)>, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        emu.addr()
    );
    if let Some(auth) = auth {
        request.push_str(&format!("Authorization: {auth}\r\n"));
    }
    let body = body.unwrap_or("");
    request.push_str(&format!(
        "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ));
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

/// The Discord error inside a serenity error.
pub fn discord_error(error: &serenity::Error) -> (u16, isize, String) {
    match error {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)) => (
            r.status_code.as_u16(),
            r.error.code,
            r.error.message.clone(),
        ),
        other => panic!("expected an HTTP error from Discord, got {other:?}"),
    }
}
