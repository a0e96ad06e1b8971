//! Ponder posts discussion prompts on a schedule, opens a thread for each and
//! keeps the replies, on Discord, Matrix and the console.
//!
//! # Layout
//!
//! The core (everything but the two SDK adapters) builds with
//! `--no-default-features`, and CI checks that it does: the engine names no
//! platform type.
//!
//! - [`domain`]: pure types and rules: prompts, schedules (cron + time zone,
//!   the DST rule), rotation, the command type and its text parser.
//! - [`prompt_files`]: loading `prompts/*.toml`, reporting every problem with
//!   file, line and field (`prompt_files/reader.rs` walks the TOML).
//! - [`config`]: `config.toml` as plain data, strict and checked as a whole
//!   (`config/load.rs` reads it and places problems on their lines,
//!   `config/problems.rs` checks the values); it depends on nothing above
//!   [`domain`].
//! - [`secret`]: tokens and passwords from the environment or a `*_file`,
//!   never from the config or the logs.
//! - [`db`]: the SQLite store (sqlx), one module per table, embedded
//!   migrations; post, digest and suggestion states are enums stored as
//!   their text (`db/states.rs`).
//! - [`engine`]: the platform-free engine: scheduler, exactly-once posting
//!   (`posting.rs`, with `failures.rs` for retries and failures and
//!   `closing.rs` for the close and its digest), reply collection (one
//!   batched writer), commands, anonymity; talks to platforms through
//!   [`engine::Chat`].
//! - [`platform`]: the adapters behind that port: `console` (this terminal),
//!   `discord` (serenity and poise; feature `discord`), `matrix` (matrix-sdk;
//!   feature `matrix`), and `memory`, the in-memory one for tests (feature
//!   `testing`, which the tests and benches turn on; not in the shipped binary).
//! - [`export`]: the archive as Markdown, JSON or CSV; [`archive`]: the same
//!   as one HTML page per channel, for people (`archive/charts.rs` draws its chart).
//! - [`i18n`]: every chat sentence from the Fluent files in `locales/<lang>/`
//!   (embedded), the [`i18n::Lang`] type and dates per language.
//! - [`http`], [`metrics`]: `/healthz` and `/metrics` for operators;
//!   [`memory`]: freed heap handed back after bursts (glibc).
//! - [`app`]: maps the config to engine settings, wires store, engine and
//!   platforms, and owns every task.
//! - [`cli`]: what the subcommands do (`archive`, `check`, `healthcheck`, `export`,
//!   `schedule preview`, the demo's start).
//! - [`shutdown`]: the shutdown signal handed to every task.
//! - [`text`]: text from people made safe for terminals and exports; the reply
//!   length cap; the one truncation helper (`cut`) and `plural`.
//! - [`fuzzing`]: the fuzz targets' entry points (see `FUZZING.md`).
//!
//! `domain`, `engine` and `platform` hold one idea per file; their own module
//! docs list their parts; no source file is over 450 lines.
//!
//! The binary (`src/main.rs`) only parses the command line, starts logging
//! and calls into [`cli`] and [`app`].
//!
//! # Adding a command
//!
//! A new `!ponder` command touches four places; the compiler points at the
//! second and third once the first is done (the matches are exhaustive).
//!
//! 1. **The type**: a variant of [`domain::command::Command`]
//!    (`src/domain/command.rs`); if members may run it, add it to the list
//!    in `Command::needs_admin` (everything else is for admins).
//! 2. **Its grammar**: a row of the `match` in `parse`
//!    (`src/domain/command/parse.rs`), a line of `help` in every
//!    `locales/*/ponder.ftl` and a case in the table of
//!    `src/domain/command/tests.rs`. The console and Matrix need nothing
//!    more: they read commands with `parse`.
//! 3. **One engine file**: an `impl Engine` method that does the work and
//!    returns `anyhow::Result<Answer>`, in the file of its feature
//!    (`engine/commands/schedules.rs`, `engine/commands/reports.rs`,
//!    `engine/suggestions.rs`, ...; a new feature gets a new file). Its texts are
//!    messages in every `locales/*/ponder.ftl`, said with `tr!(lang, "id", ..)`
//!    (see [`i18n`]); a polite no is `return refuse(tr!(..))`, never an `Ok` answer. Then its arm in
//!    `Engine::apply` (`engine/commands/mod.rs`): one call.
//! 4. **The Discord adapter**: a `#[poise::command]` function in
//!    `src/platform/discord/commands.rs` that builds the `Command` from its
//!    options and calls `run`, listed in `all()` (or as a subcommand of
//!    `ponder`; a two-word command like `prompts list` is a group function
//!    with `subcommands(..)` and one function per word, as `schedule` is).
//!    The Discord tests reach it with `World::admin(channel, "prompts list", ..)`.
//!
//! A command about the caller rather than the place (like `about`) is
//! answered in private on Matrix: add it to `is_personal` in
//! `platform/matrix/handlers.rs`, and to the early return of
//! `Engine::apply`.

pub mod app;
pub mod archive;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod engine;
pub mod export;
pub mod fuzzing;
pub mod http;
pub mod i18n;
pub mod memory;
pub mod metrics;
pub mod platform;
pub mod prompt_files;
pub mod secret;
pub mod shutdown;
pub mod text;
