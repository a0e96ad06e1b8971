//! Discord end to end: the real `ponder` binary (serenity + poise and its own
//! REST path) against the Discord protocol emulator, over loopback sockets.

#[path = "../support/export.rs"]
mod export;
#[path = "../support/ponder.rs"]
mod ponder;
#[path = "../support/postgres.rs"]
mod postgres;
#[path = "../support/slots.rs"]
mod slots;

mod harness;

mod archive;
mod community;
mod failures;
mod flows;
mod languages;
mod packs;
mod postgres_runs;
mod quiet;
mod ranges;
mod replies;
mod shards;
mod storm;
