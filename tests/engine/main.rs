//! The engine end to end with a real SQLite file and the in-memory platform:
//! exactly-once posting across crashes, rotation, catch-up, quiet days,
//! replies, commands.

mod harness;
#[path = "../support/postgres.rs"]
mod postgres;

mod archive;
mod archive_chat;
mod browser;
mod catch_up;
mod commands;
mod community;
mod erasure;
mod exactly_once;
mod failures;
mod health;
mod languages;
mod languages_members;
mod leases;
mod migrate;
mod pack_languages;
mod packs;
mod quiet;
mod replies;
mod rotation;
mod scale_out;
