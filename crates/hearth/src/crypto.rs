//! Encryption at rest for private data (e-mail addresses now; journals and
//! private messages later). XChaCha20-Poly1305 with a random 192-bit nonce
//! per value, under a key kept in `<data-dir>/data.key`, apart from the
//! database and from the session secret (rotating that one logs people out;
//! losing this one loses their private data).
//!
//! Each sealed value is bound to what it is and whose it is (associated
//! data), so a value copied into another column or row does not open.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::secret::{SecretError, load_or_create_key, random_bytes};

/// The data key's file in the data dir.
pub const KEY_FILE: &str = "data.key";
const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

pub struct DataKey {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey([redacted])")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("the random number generator failed")]
    Random,
    #[error("encryption failed")]
    Seal,
    #[error("a sealed value is damaged, or belongs elsewhere")]
    Open,
}

impl DataKey {
    pub fn load_or_create(data_dir: &Path) -> Result<Self, SecretError> {
        Ok(Self::from_bytes(load_or_create_key(data_dir, KEY_FILE)?))
    }

    pub fn from_bytes(key: [u8; 32]) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(&key.into()),
        }
    }

    fn aad(purpose: &str, owner: &[u8]) -> Vec<u8> {
        let mut aad = Vec::with_capacity(purpose.len() + 1 + owner.len());
        aad.extend_from_slice(purpose.as_bytes());
        aad.push(0);
        aad.extend_from_slice(owner);
        aad
    }

    /// `version || nonce || ciphertext+tag`, bound to `purpose` and `owner`.
    pub fn seal(
        &self,
        purpose: &str,
        owner: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let nonce_bytes: [u8; NONCE_LEN] = random_bytes().map_err(|_| CryptoError::Random)?;
        let nonce = XNonce::from(nonce_bytes);
        let aad = Self::aad(purpose, owner);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| CryptoError::Seal)?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// The plaintext, if `sealed` is intact and was sealed for `purpose` and `owner`.
    pub fn open(&self, purpose: &str, owner: &[u8], sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < 1 + NONCE_LEN + 16 || sealed[0] != VERSION {
            return Err(CryptoError::Open);
        }
        let nonce_bytes: [u8; NONCE_LEN] = sealed[1..=NONCE_LEN]
            .try_into()
            .map_err(|_| CryptoError::Open)?;
        let aad = Self::aad(purpose, owner);
        self.cipher
            .decrypt(
                &XNonce::from(nonce_bytes),
                Payload {
                    msg: &sealed[1 + NONCE_LEN..],
                    aad: &aad,
                },
            )
            .map_err(|_| CryptoError::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_for_its_purpose_and_owner() {
        let k = DataKey::from_bytes([3; 32]);
        let sealed = k
            .seal("accounts.email", b"ash", b"ash@example.org")
            .unwrap();
        assert_eq!(
            k.open("accounts.email", b"ash", &sealed).unwrap(),
            b"ash@example.org"
        );
        assert_eq!(
            k.open("accounts.email", b"oak", &sealed),
            Err(CryptoError::Open)
        );
        assert_eq!(
            k.open("journal.body", b"ash", &sealed),
            Err(CryptoError::Open)
        );
        assert_eq!(
            DataKey::from_bytes([4; 32]).open("accounts.email", b"ash", &sealed),
            Err(CryptoError::Open)
        );
    }

    #[test]
    fn the_same_value_seals_differently_each_time() {
        let k = DataKey::from_bytes([3; 32]);
        assert_ne!(
            k.seal("p", b"o", b"same").unwrap(),
            k.seal("p", b"o", b"same").unwrap()
        );
    }

    #[test]
    fn every_single_byte_tamper_is_detected_without_panicking() {
        let k = DataKey::from_bytes([5; 32]);
        let sealed = k
            .seal("accounts.email", b"ash", b"canary+1234@example.invalid")
            .unwrap();
        let mut detected = 0;
        for i in 0..1000 {
            let mut t = sealed.clone();
            let at = i % t.len();
            t[at] ^= 1 << (i % 8);
            if k.open("accounts.email", b"ash", &t).is_err() {
                detected += 1;
            }
        }
        assert_eq!(detected, 1000);
        for len in 0..sealed.len() {
            assert!(k.open("accounts.email", b"ash", &sealed[..len]).is_err());
        }
    }
}
