//! Anonymous reflections: Ponder keeps no author id for them, only a keyed
//! hash of the author and the post. The key lives outside the database (a
//! file in the data directory), so whoever reads the database or an export
//! cannot tell who wrote what; the author, asking again, gives the same hash,
//! which is how limits are enforced and how `forget-me` finds their replies.

use std::io::Write as _;
use std::path::Path;

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// The prefix of an anonymous reply's `author_id`.
pub const ANON_PREFIX: &str = "anon:";

/// The secret behind anonymous authors' hashes. `Debug` never shows it.
#[derive(Clone)]
pub struct AnonKey([u8; 32]);

impl std::fmt::Debug for AnonKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AnonKey([REDACTED])")
    }
}

impl AnonKey {
    /// A fresh key (for tests and runs without a data directory).
    pub fn random() -> AnonKey {
        let mut k = [0u8; 32];
        rand::rng().fill_bytes(&mut k);
        AnonKey(k)
    }

    /// The key in `path`, created (mode 0600) on first use.
    pub fn load_or_create(path: &Path) -> anyhow::Result<AnonKey> {
        use anyhow::Context as _;
        match std::fs::read(path) {
            Ok(bytes) => {
                let k: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
                    anyhow::anyhow!(
                        "{} is not a Ponder anonymity key (32 bytes); move it away to make a new one",
                        path.display()
                    )
                })?;
                Ok(AnonKey(k))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = AnonKey::random();
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                }
                use std::os::unix::fs::OpenOptionsExt;
                let mut f = std::fs::OpenOptions::new()
                    .create_new(true)
                    .write(true)
                    .mode(0o600)
                    .open(path)
                    .with_context(|| format!("creating {}", path.display()))?;
                f.write_all(&key.0)?;
                Ok(key)
            }
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }

    /// The author id stored with an anonymous reply: the same for the same
    /// person and post, different across posts (so replies cannot be linked
    /// from one prompt to the next), and not reversible without the key.
    pub fn author_tag(&self, platform: &str, user_id: &str, post_id: i64) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("any key length");
        mac.update(platform.as_bytes());
        mac.update(&[0]);
        mac.update(user_id.as_bytes());
        mac.update(&[0]);
        mac.update(post_id.to_string().as_bytes());
        let digest = mac.finalize().into_bytes();
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("{ANON_PREFIX}{hex}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_is_stable_per_person_and_post_and_unlinkable_across_posts() {
        let key = AnonKey::random();
        let a = key.author_tag("discord", "42", 1);
        assert_eq!(a, key.author_tag("discord", "42", 1));
        assert_ne!(a, key.author_tag("discord", "42", 2));
        assert_ne!(a, key.author_tag("discord", "43", 1));
        assert_ne!(a, AnonKey::random().author_tag("discord", "42", 1));
        assert!(a.starts_with(ANON_PREFIX) && !a.contains("42"));
        assert_eq!(format!("{key:?}"), "AnonKey([REDACTED])");
    }

    #[test]
    fn the_key_file_is_made_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("anonymity.key");
        let a = AnonKey::load_or_create(&path).unwrap();
        let b = AnonKey::load_or_create(&path).unwrap();
        assert_eq!(a.author_tag("m", "u", 1), b.author_tag("m", "u", 1));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::write(&path, b"short").unwrap();
        let err = AnonKey::load_or_create(&path).unwrap_err().to_string();
        assert!(err.contains("not a Ponder anonymity key"), "{err}");
    }
}
