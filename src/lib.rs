//! Ponder posts discussion prompts on a schedule, opens a thread for each and
//! keeps the replies, on Discord, Matrix and the console.
//!
//! # Layout
//!
//! - [`domain`]: pure types and rules: prompts, schedules (cron + time zone,
//!   the DST rule), rotation, the command type and its text parser.
//! - [`prompt_files`]: loading `prompts/*.toml`, reporting every problem.
//! - [`config`]: `config.toml`, strict and checked as a whole.
//! - [`db`]: the SQLite store (sqlx), one module per table, embedded migrations.
//! - [`engine`]: the platform-free engine: scheduler, exactly-once posting,
//!   reply collection, commands; talks to platforms through [`engine::Chat`].
//! - [`platform`]: the adapters: the console and an in-memory one for tests.
//! - [`export`]: the archive as Markdown, JSON or CSV.
//! - [`fuzzing`]: the fuzz targets' entry points (see `FUZZING.md`).
//! - [`http`], [`metrics`]: `/healthz` and `/metrics` for operators.
//! - [`app`]: wires config, store, engine and platforms; owns the tasks.
//! - [`shutdown`]: the shutdown signal handed to every task.
//! - [`text`]: text from people made safe for terminals and exports; the reply length cap.
//!
//! The binary (`src/main.rs`) only parses the command line, starts logging
//! and calls into [`app`].

pub mod app;
pub mod config;
pub mod db;
pub mod domain;
pub mod engine;
pub mod export;
pub mod fuzzing;
pub mod http;
pub mod metrics;
pub mod platform;
pub mod prompt_files;
pub mod secret;
pub mod shutdown;
pub mod text;
