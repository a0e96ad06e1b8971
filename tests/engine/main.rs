//! The engine end to end with a real SQLite file and the in-memory platform:
//! exactly-once posting across crashes, rotation, catch-up, quiet days,
//! replies, commands.

mod harness;

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
mod leases;
mod packs;
mod quiet;
mod replies;
mod rotation;
