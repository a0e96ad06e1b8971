//! Secrets (tokens, passwords): read from a file or the environment, never
//! from `config.toml`, and never printed: `Debug` shows `[REDACTED]`.

use std::path::Path;

pub use secrecy::{ExposeSecret, SecretString};

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read the secret file {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("the secret file {0} is empty")]
    Empty(String),
    #[error("no {what}: set the {env} environment variable or `{key}` in the config")]
    Missing {
        what: &'static str,
        env: &'static str,
        key: &'static str,
    },
}

/// The secret from `file` when given, else from the environment variable `env`.
pub fn load(
    what: &'static str,
    env: &'static str,
    key: &'static str,
    file: Option<&Path>,
) -> Result<SecretString, SecretError> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|source| SecretError::File {
            path: path.display().to_string(),
            source,
        })?;
        let text = text.trim_end_matches(['\n', '\r']);
        if text.is_empty() {
            return Err(SecretError::Empty(path.display().to_string()));
        }
        return Ok(SecretString::from(text.to_string()));
    }
    match std::env::var(env) {
        Ok(v) if !v.is_empty() => Ok(SecretString::from(v)),
        _ => Err(SecretError::Missing { what, env, key }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_shows_in_debug_output() {
        let s = SecretString::from("hunter2-token".to_string());
        assert!(!format!("{s:?}").contains("hunter2"));
        assert_eq!(s.expose_secret(), "hunter2-token");
    }

    #[test]
    fn a_secret_file_wins_and_its_trailing_newline_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("pw");
        std::fs::write(&f, "s3cret\n").unwrap();
        let s = load(
            "password",
            "PONDER_TEST_UNSET_VAR",
            "password_file",
            Some(&f),
        )
        .unwrap();
        assert_eq!(s.expose_secret(), "s3cret");
        let err = load("password", "PONDER_TEST_UNSET_VAR", "password_file", None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no password: set the PONDER_TEST_UNSET_VAR environment variable or `password_file` in the config"
        );
    }
}
