//! The pure core: prompts, schedules, quiet days, rotation, channel settings and commands. No I/O, no
//! async, no platform types; time and randomness are arguments.

pub mod channel;
pub mod command;
pub mod prompt;
pub mod quiet;
pub mod rotation;
pub mod schedule;
