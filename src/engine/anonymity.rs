//! Anonymous reflections: Ponder keeps no author id for them, only a keyed
//! hash of the author and the post. The key lives outside the database (a
//! file in the data directory), so whoever reads the database or an export
//! cannot tell who wrote what; the author, asking again, gives the same hash,
//! which is how limits are enforced and how `forget-me` finds their replies.
//!
//! The key file is made on first use (the first anonymous reflection), as the
//! README says, not at start: a Ponder that never takes an anonymous
//! reflection never writes one. A key file that exists is read and checked at
//! start, so a damaged one is reported before anyone relies on it.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// The prefix of an anonymous reply's `author_id`.
pub const ANON_PREFIX: &str = "anon:";

/// The secret behind anonymous authors' hashes. `Debug` never shows it.
#[derive(Clone)]
pub struct AnonKey(Arc<Mutex<Key>>);

enum Key {
    Ready([u8; 32]),
    /// Made in this file on first use.
    Later(PathBuf),
}

impl std::fmt::Debug for AnonKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AnonKey([REDACTED])")
    }
}

impl AnonKey {
    /// A fresh key, for tests (not in the shipped library: a key is read
    /// from its file, see [`AnonKey::open`]).
    #[cfg(any(test, feature = "testing"))]
    pub fn random() -> AnonKey {
        AnonKey::ready(random_bytes())
    }

    fn ready(k: [u8; 32]) -> AnonKey {
        AnonKey(Arc::new(Mutex::new(Key::Ready(k))))
    }

    /// The key in `path`: read (and checked) now if the file exists, else
    /// made there on first use.
    pub fn open(path: &Path) -> anyhow::Result<AnonKey> {
        if path.exists() {
            AnonKey::load_or_create(path)
        } else {
            Ok(AnonKey(Arc::new(Mutex::new(Key::Later(
                path.to_path_buf(),
            )))))
        }
    }

    /// The key's bytes, making its file if this is the first use.
    fn bytes(&self) -> anyhow::Result<[u8; 32]> {
        let mut key = self.0.lock().unwrap();
        let k = match &*key {
            Key::Ready(k) => return Ok(*k),
            Key::Later(path) => AnonKey::load_or_create(path)?.bytes()?,
        };
        *key = Key::Ready(k);
        Ok(k)
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
                Ok(AnonKey::ready(k))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = random_bytes();
                if let Some(dir) = path.parent()
                    && !dir.as_os_str().is_empty()
                {
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
                f.write_all(&key)?;
                tracing::info!(path = %path.display(), "anonymity key made");
                Ok(AnonKey::ready(key))
            }
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }

    /// The author id stored with an anonymous reply: the same for the same
    /// person and post, different across posts (so replies cannot be linked
    /// from one prompt to the next), and not reversible without the key.
    /// Fails only when the key file cannot be made or read.
    pub fn author_tag(
        &self,
        platform: &str,
        user_id: &str,
        post_id: i64,
    ) -> anyhow::Result<String> {
        let key = self.bytes()?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("any key length");
        mac.update(platform.as_bytes());
        mac.update(&[0]);
        mac.update(user_id.as_bytes());
        mac.update(&[0]);
        mac.update(post_id.to_string().as_bytes());
        let digest = mac.finalize().into_bytes();
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        Ok(format!("{ANON_PREFIX}{hex}"))
    }
}

fn random_bytes() -> [u8; 32] {
    let mut k = [0u8; 32];
    rand::rng().fill_bytes(&mut k);
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_is_stable_per_person_and_post_and_unlinkable_across_posts() {
        let key = AnonKey::random();
        let tag = |k: &AnonKey, u: &str, p: i64| k.author_tag("discord", u, p).unwrap();
        // a user id no hex tag can hold by chance (a bare "42" is in about
        // one random tag in seventeen, which made this test flaky)
        let a = tag(&key, "user-42", 1);
        assert_eq!(a, tag(&key, "user-42", 1));
        assert_ne!(a, tag(&key, "user-42", 2));
        assert_ne!(a, tag(&key, "user-43", 1));
        assert_ne!(a, tag(&AnonKey::random(), "user-42", 1));
        assert!(a.starts_with(ANON_PREFIX) && !a.contains("user-42"));
        assert_eq!(format!("{key:?}"), "AnonKey([REDACTED])");
    }

    #[test]
    fn the_key_file_is_made_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("anonymity.key");
        let a = AnonKey::load_or_create(&path).unwrap();
        let b = AnonKey::load_or_create(&path).unwrap();
        assert_eq!(
            a.author_tag("m", "u", 1).unwrap(),
            b.author_tag("m", "u", 1).unwrap()
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::write(&path, b"short").unwrap();
        let err = AnonKey::load_or_create(&path).unwrap_err().to_string();
        assert!(err.contains("not a Ponder anonymity key"), "{err}");
    }

    #[test]
    fn the_key_file_is_made_on_first_use_not_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/anonymity.key");
        let key = AnonKey::open(&path).unwrap();
        assert!(!path.exists(), "no key file before an anonymous reflection");
        let tag = key.author_tag("console", "me", 1).unwrap();
        assert!(path.exists(), "the first use makes the key file");
        let again = AnonKey::open(&path).unwrap();
        assert_eq!(again.author_tag("console", "me", 1).unwrap(), tag);
    }
}
