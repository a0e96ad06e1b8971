//! The real `ponder` binary, logged in to the test homeserver.

use std::ops::{Deref, DerefMut};
use std::path::Path;

use crate::homeserver::Cast;
use crate::ponder::Ponder;

pub struct Bot {
    ponder: Ponder,
    cast: Cast,
}

impl Deref for Bot {
    type Target = Ponder;
    fn deref(&self) -> &Ponder {
        &self.ponder
    }
}

impl DerefMut for Bot {
    fn deref_mut(&mut self) -> &mut Ponder {
        &mut self.ponder
    }
}

impl Bot {
    /// Starts `ponder run` with a [matrix] section for the cast's bot, which
    /// accepts invites from alice only. `extra` holds top-level keys of its own.
    /// The tests' schedules are fast: `min_schedule_interval` is 1s unless
    /// `extra` sets it.
    pub fn start(cast: &Cast, name: &str, extra: &str) -> Bot {
        Bot::start_with(cast, name, extra, &[])
    }

    /// [`Bot::start`] with more environment (such as `RUST_LOG`).
    pub fn start_with(cast: &Cast, name: &str, extra: &str, env: &[(&str, &str)]) -> Bot {
        Bot::start_binary(None, cast, name, extra, env)
    }

    /// [`Bot::start_with`] running `bin` (another build of `ponder`) when given.
    pub fn start_binary(
        bin: Option<&Path>,
        cast: &Cast,
        name: &str,
        extra: &str,
        env: &[(&str, &str)],
    ) -> Bot {
        let fast = if extra.contains("min_schedule_interval") {
            ""
        } else {
            "min_schedule_interval = \"1s\"\n"
        };
        let config = format!(
            "{fast}{extra}[matrix]\nhomeserver = \"{}\"\nuser = \"{}\"\nallow_invites_from = [\"{}\"]\n",
            cast.url, cast.bot.user_id, cast.alice.user_id
        );
        let mut all = vec![("MATRIX_PASSWORD", cast.bot.password.as_str())];
        all.extend_from_slice(env);
        let mut ponder = Ponder::new(&format!("matrix-{name}"), &config, &all);
        if let Some(bin) = bin {
            ponder = ponder.with_binary(bin);
        }
        ponder.start();
        Bot {
            ponder,
            cast: cast.clone(),
        }
    }

    pub fn restart(&mut self) {
        self.ponder.start();
    }

    /// Neither the password nor the access token is in any log line.
    pub fn assert_no_secrets_logged(&self) {
        let session = std::fs::read_to_string(self.dir.join("data/matrix/session.json")).unwrap();
        let session: serde_json::Value = serde_json::from_str(&session).unwrap();
        let token = session["access_token"].as_str().unwrap();
        self.assert_not_logged(&[&self.cast.bot.password, token]);
    }
}
