//! The server secret: 32 random bytes kept in `<data-dir>/secret.key` (mode
//! 0600), created on first start and reused after. Everything keyed by the
//! server derives its own subkey from it, so rotating the file invalidates
//! every session and CSRF token at once (RELIABILITY.md T11 #14).

use std::io::Write;
use std::path::Path;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The server secret's file in the data dir.
pub const KEY_FILE: &str = "secret.key";

pub struct Secret {
    key: [u8; 32],
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read or create the secret key in {0}: {1}")]
    Io(String, std::io::Error),
    #[error("the secret key file {0} is damaged: expected 64 hexadecimal characters")]
    Damaged(String),
    #[error("the operating system's random number generator failed")]
    Random,
}

impl Secret {
    /// Loads the key from the data dir, creating it (mode 0600) if missing.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, SecretError> {
        Ok(Self {
            key: load_or_create_key(data_dir, KEY_FILE)?,
        })
    }

    /// A key for tests and tools that need no persistence.
    pub fn from_bytes(key: [u8; 32]) -> Self {
        Self { key }
    }

    /// HMAC-SHA256 of `parts` under a subkey for `purpose`.
    pub fn mac(&self, purpose: &str, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = HmacSha256::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }
}

/// Creates the data dir if it is missing, and makes it (new or not)
/// readable by its owner alone: it holds the database and the keys.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Reads a 32-byte key (64 hex characters) from `dir/file`, or creates it
/// with mode 0600. A damaged file is an error, never silently replaced.
pub fn load_or_create_key(dir: &Path, file: &str) -> Result<[u8; 32], SecretError> {
    let path = dir.join(file);
    let shown = path.display().to_string();
    match std::fs::read_to_string(&path) {
        Ok(text) => decode_hex32(text.trim()).ok_or(SecretError::Damaged(shown)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key: [u8; 32] = random_bytes().map_err(|_| SecretError::Random)?;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let write = |options: &std::fs::OpenOptions| -> std::io::Result<()> {
                let mut f = options.open(&path)?;
                f.write_all(hex(&key).as_bytes())?;
                f.write_all(b"\n")?;
                f.sync_all()
            };
            match write(&options) {
                Ok(()) => Ok(key),
                // Another process created it first: use theirs.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    load_or_create_key(dir, file)
                }
                Err(e) => Err(SecretError::Io(shown, e)),
            }
        }
        Err(e) => Err(SecretError::Io(shown, e)),
    }
}

/// Bytes from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], getrandom::Error> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf)?;
    Ok(buf)
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

/// Parses hexadecimal (an even number of digits).
pub fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect()
}

/// Parses exactly 64 hexadecimal characters.
pub fn decode_hex32(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let hi = (pair[0] as char).to_digit(16)?;
        let lo = (pair[1] as char).to_digit(16)?;
        out[i] = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_once_with_owner_only_permissions_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let a = Secret::load_or_create(dir.path()).unwrap();
        let b = Secret::load_or_create(dir.path()).unwrap();
        assert_eq!(a.mac("t", &[b"x"]), b.mac("t", &[b"x"]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_damaged_key_file_is_refused_rather_than_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(KEY_FILE), "not hex").unwrap();
        assert!(matches!(
            Secret::load_or_create(dir.path()),
            Err(SecretError::Damaged(_))
        ));
    }

    #[test]
    fn macs_differ_by_purpose_and_by_part_boundaries() {
        let s = Secret::from_bytes([7; 32]);
        assert_ne!(s.mac("a", &[b"x"]), s.mac("b", &[b"x"]));
        assert_ne!(s.mac("a", &[b"ab", b"c"]), s.mac("a", &[b"a", b"bc"]));
    }

    #[test]
    fn ten_thousand_random_tokens_never_collide_and_use_every_nibble() {
        let mut seen = std::collections::HashSet::new();
        let mut nibbles = [0usize; 16];
        for _ in 0..10_000 {
            let t: [u8; 32] = random_bytes().unwrap();
            for b in t {
                nibbles[usize::from(b >> 4)] += 1;
                nibbles[usize::from(b & 0xf)] += 1;
            }
            assert!(seen.insert(t));
        }
        // 640,000 nibbles, 40,000 expected per value: a broken generator shows.
        assert!(
            nibbles.iter().all(|&n| (38_000..42_000).contains(&n)),
            "{nibbles:?}"
        );
    }

    #[test]
    fn hex_round_trips() {
        let key = [0xab; 32];
        assert_eq!(decode_hex32(&hex(&key)), Some(key));
    }
}
