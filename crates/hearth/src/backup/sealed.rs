//! The backup file: a short header in clear, then everything else sealed
//! under a key derived from the operator's passphrase.
//!
//! ```text
//! MAGIC (16 bytes) | header length (u32, big-endian) | header (JSON)
//! chunk* : length (u32, big-endian) | XChaCha20-Poly1305(plaintext ≤ 64 KiB)
//! ```
//!
//! Each chunk's nonce is a random 19-byte prefix, the chunk's number (u32)
//! and a flag byte set only on the last chunk, and every chunk is bound to
//! the header's hash: chunks cannot be reordered, dropped, cut off at the
//! end or moved to another backup without the reader noticing. The header
//! says how the key was derived (argon2id and its salt), when the backup
//! was taken and of which database; nothing in it is private.
//!
//! Inside, the plaintext is a list of named entries (`name length (u8) |
//! name | length (u64) | bytes`) ended by an empty name.

use std::io::{self, Read, Write};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::secret::{decode_hex, hex, random_bytes};

pub const MAGIC: &[u8; 16] = b"HEARTH-BACKUP-1\n";
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const PREFIX: usize = 19;
/// The most memory (KiB) and passes a header may ask of the key
/// derivation: a damaged or hostile file cannot make us use more.
const MAX_M_KIB: u32 = 1024 * 1024;
const MAX_T: u32 = 16;
const MAX_HEADER: u32 = 64 * 1024;

/// The operator's passphrase; never printed.
pub struct Passphrase(String);

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase([redacted])")
    }
}

/// The shortest passphrase a new backup accepts.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

impl Passphrase {
    pub fn new(text: String) -> Self {
        Self(text)
    }

    /// Whether it is long enough to seal a new backup with.
    pub fn strong_enough(&self) -> bool {
        self.0.chars().count() >= MIN_PASSPHRASE_CHARS
    }
}

/// How the key was derived from the passphrase.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Kdf {
    pub algorithm: String,
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
    pub salt: String,
}

/// What the header says, in clear.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    /// Epoch milliseconds.
    pub taken_at: i64,
    pub hearth_version: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    pub kdf: Kdf,
    /// The chunks' nonce prefix, hexadecimal.
    pub nonce_prefix: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("this is not a Hearth backup (or not one this version reads)")]
    NotABackup,
    #[error("the backup's header is damaged: {0}")]
    BadHeader(String),
    #[error("the passphrase is wrong, or the backup is damaged")]
    WrongPassphraseOrDamaged,
    #[error("the backup is damaged at byte {0}")]
    Damaged(u64),
    #[error("the backup ends early: it was cut off or is still being written")]
    Truncated,
    #[error("the backup has data after its end")]
    Trailing,
    #[error("the random number generator failed")]
    Random,
    #[error("deriving the key failed: {0}")]
    Kdf(String),
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl From<SealError> for io::Error {
    fn from(e: SealError) -> Self {
        match e {
            SealError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidData, other),
        }
    }
}

fn derive(passphrase: &Passphrase, kdf: &Kdf) -> Result<XChaCha20Poly1305, SealError> {
    if kdf.algorithm != "argon2id" || kdf.m_kib > MAX_M_KIB || kdf.t > MAX_T || kdf.p > 16 {
        return Err(SealError::BadHeader("unsupported key derivation".into()));
    }
    let salt = decode_hex(&kdf.salt).ok_or_else(|| SealError::BadHeader("salt".into()))?;
    let params = Params::new(kdf.m_kib, kdf.t, kdf.p, Some(32))
        .map_err(|e| SealError::Kdf(e.to_string()))?;
    let mut key = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.0.as_bytes(), &salt, &mut key)
        .map_err(|e| SealError::Kdf(e.to_string()))?;
    Ok(XChaCha20Poly1305::new(&key.into()))
}

fn nonce(prefix: &[u8; PREFIX], counter: u32, last: bool) -> XNonce {
    let mut n = [0u8; 24];
    n[..PREFIX].copy_from_slice(prefix);
    n[PREFIX..PREFIX + 4].copy_from_slice(&counter.to_be_bytes());
    n[23] = u8::from(last);
    XNonce::from(n)
}

/// Writes a sealed backup: [`SealWriter::start`], entries, [`SealWriter::finish`].
pub struct SealWriter<W: Write> {
    out: W,
    cipher: XChaCha20Poly1305,
    prefix: [u8; PREFIX],
    aad: [u8; 32],
    counter: u32,
    buf: Vec<u8>,
    written: u64,
}

impl<W: Write> SealWriter<W> {
    /// Derives the key (about a second, on purpose) and writes the header.
    pub fn start(
        mut out: W,
        passphrase: &Passphrase,
        taken_at: i64,
        backend: &str,
    ) -> Result<Self, SealError> {
        let salt: [u8; 16] = random_bytes().map_err(|_| SealError::Random)?;
        let prefix: [u8; PREFIX] = random_bytes().map_err(|_| SealError::Random)?;
        let header = Header {
            taken_at,
            hearth_version: env!("CARGO_PKG_VERSION").to_owned(),
            backend: backend.to_owned(),
            kdf: Kdf {
                algorithm: "argon2id".into(),
                m_kib: 64 * 1024,
                t: 3,
                p: 1,
                salt: hex(&salt),
            },
            nonce_prefix: hex(&prefix),
        };
        let cipher = derive(passphrase, &header.kdf)?;
        let json = serde_json::to_vec(&header).map_err(|e| SealError::BadHeader(e.to_string()))?;
        let len = u32::try_from(json.len()).map_err(|_| SealError::BadHeader("too long".into()))?;
        let mut head = Vec::with_capacity(MAGIC.len() + 4 + json.len());
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&len.to_be_bytes());
        head.extend_from_slice(&json);
        out.write_all(&head)?;
        Ok(Self {
            out,
            cipher,
            prefix,
            aad: Sha256::digest(&head).into(),
            counter: 0,
            buf: Vec::with_capacity(CHUNK * 2),
            written: head.len() as u64,
        })
    }

    fn seal_chunk(&mut self, end: usize, last: bool) -> Result<(), SealError> {
        let sealed = self
            .cipher
            .encrypt(
                &nonce(&self.prefix, self.counter, last),
                Payload {
                    msg: &self.buf[..end],
                    aad: &self.aad,
                },
            )
            .map_err(|_| SealError::Kdf("encryption failed".into()))?;
        self.counter = self
            .counter
            .checked_add(1)
            .ok_or_else(|| SealError::BadHeader("too many chunks".into()))?;
        let len = u32::try_from(sealed.len()).map_err(|_| SealError::Damaged(self.written))?;
        self.out.write_all(&len.to_be_bytes())?;
        self.out.write_all(&sealed)?;
        self.written += 4 + sealed.len() as u64;
        self.buf.drain(..end);
        Ok(())
    }

    /// One named entry, its bytes read from `content` (`len` of them).
    pub fn entry(&mut self, name: &str, len: u64, content: &mut impl Read) -> io::Result<()> {
        let name_len = u8::try_from(name.len())
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "entry name"))?;
        self.write_all(&[name_len])?;
        self.write_all(name.as_bytes())?;
        self.write_all(&len.to_be_bytes())?;
        let copied = io::copy(&mut content.take(len), self)?;
        if copied != len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("{name} changed while it was being copied"),
            ));
        }
        Ok(())
    }

    /// Ends the entries and seals the last chunk; returns the writer and
    /// the bytes written.
    pub fn finish(mut self) -> Result<(W, u64), SealError> {
        self.buf.push(0);
        while self.buf.len() > CHUNK {
            self.seal_chunk(CHUNK, false)?;
        }
        let end = self.buf.len();
        self.seal_chunk(end, true)?;
        self.out.flush()?;
        Ok((self.out, self.written))
    }
}

impl<W: Write> Write for SealWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        // A full chunk goes out only once more follows it, so that the
        // last chunk (flagged) is never empty by accident of alignment.
        while self.buf.len() > CHUNK {
            self.seal_chunk(CHUNK, false)?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads the header of a backup, without the passphrase.
pub fn read_header(input: &mut impl Read) -> Result<(Header, [u8; 32]), SealError> {
    let mut magic = [0u8; 16];
    input
        .read_exact(&mut magic)
        .map_err(|_| SealError::NotABackup)?;
    if &magic != MAGIC {
        return Err(SealError::NotABackup);
    }
    let mut len = [0u8; 4];
    input
        .read_exact(&mut len)
        .map_err(|_| SealError::Truncated)?;
    let len = u32::from_be_bytes(len);
    if len > MAX_HEADER {
        return Err(SealError::BadHeader("too long".into()));
    }
    let mut json = vec![0u8; len as usize];
    input
        .read_exact(&mut json)
        .map_err(|_| SealError::Truncated)?;
    let header: Header =
        serde_json::from_slice(&json).map_err(|e| SealError::BadHeader(e.to_string()))?;
    let mut hasher = Sha256::new();
    hasher.update(magic);
    hasher.update(len.to_be_bytes());
    hasher.update(&json);
    Ok((header, hasher.finalize().into()))
}

/// Reads a sealed backup's plaintext; [`OpenReader::next_entry`] walks its entries.
pub struct OpenReader<R: Read> {
    input: R,
    cipher: XChaCha20Poly1305,
    prefix: [u8; PREFIX],
    aad: [u8; 32],
    counter: u32,
    plain: Vec<u8>,
    pos: usize,
    done: bool,
    offset: u64,
}

impl<R: Read> OpenReader<R> {
    /// Reads the header and derives the key; the first chunk is opened at
    /// once, so a wrong passphrase is known before anything is written.
    pub fn open(mut input: R, passphrase: &Passphrase) -> Result<(Header, Self), SealError> {
        let (header, aad) = read_header(&mut input)?;
        let prefix: [u8; PREFIX] = decode_hex(&header.nonce_prefix)
            .and_then(|p| p.try_into().ok())
            .ok_or_else(|| SealError::BadHeader("nonce prefix".into()))?;
        let cipher = derive(passphrase, &header.kdf)?;
        let mut reader = Self {
            input,
            cipher,
            prefix,
            aad,
            counter: 0,
            plain: Vec::new(),
            pos: 0,
            done: false,
            offset: 0,
        };
        reader.next_chunk().map_err(|e| match e {
            SealError::Damaged(_) => SealError::WrongPassphraseOrDamaged,
            other => other,
        })?;
        Ok((header, reader))
    }

    fn next_chunk(&mut self) -> Result<(), SealError> {
        let mut len = [0u8; 4];
        self.input
            .read_exact(&mut len)
            .map_err(|_| SealError::Truncated)?;
        let len = u32::from_be_bytes(len) as usize;
        if !(TAG..=CHUNK + TAG).contains(&len) {
            return Err(SealError::Damaged(self.offset));
        }
        let mut sealed = vec![0u8; len];
        self.input
            .read_exact(&mut sealed)
            .map_err(|_| SealError::Truncated)?;
        let open = |last| {
            self.cipher.decrypt(
                &nonce(&self.prefix, self.counter, last),
                Payload {
                    msg: &sealed,
                    aad: &self.aad,
                },
            )
        };
        let (plain, last) = match open(false) {
            Ok(p) => (p, false),
            Err(_) => (
                open(true).map_err(|_| SealError::Damaged(self.offset))?,
                true,
            ),
        };
        self.offset += 4 + len as u64;
        self.counter = self.counter.checked_add(1).ok_or(SealError::Trailing)?;
        self.plain = plain;
        self.pos = 0;
        if last {
            self.done = true;
            let mut extra = [0u8; 1];
            if self.input.read(&mut extra)? != 0 {
                return Err(SealError::Trailing);
            }
        }
        Ok(())
    }

    /// The next entry's name and length, or none at the end. Its bytes
    /// must be read (all `len` of them) before the next call.
    pub fn next_entry(&mut self) -> Result<Option<(String, u64)>, SealError> {
        let mut name_len = [0u8; 1];
        self.read_exact(&mut name_len)?;
        if name_len[0] == 0 {
            let mut rest = [0u8; 1];
            if self.read(&mut rest)? != 0 || !self.done {
                return Err(SealError::Trailing);
            }
            return Ok(None);
        }
        let mut name = vec![0u8; usize::from(name_len[0])];
        self.read_exact(&mut name)?;
        let name = String::from_utf8(name).map_err(|_| SealError::Damaged(self.offset))?;
        let mut len = [0u8; 8];
        self.read_exact(&mut len)?;
        Ok(Some((name, u64::from_be_bytes(len))))
    }
}

impl<R: Read> Read for OpenReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.plain.len() {
            if self.done {
                return Ok(0);
            }
            self.next_chunk()?;
        }
        let n = out.len().min(self.plain.len() - self.pos);
        out[..n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(entries: &[(&str, Vec<u8>)], pass: &str) -> Vec<u8> {
        let mut w = SealWriter::start(Vec::new(), &Passphrase::new(pass.into()), 1, "sqlite")
            .unwrap_or_else(|e| panic!("{e}"));
        for (name, bytes) in entries {
            w.entry(name, bytes.len() as u64, &mut bytes.as_slice())
                .unwrap_or_else(|e| panic!("{e}"));
        }
        w.finish().unwrap_or_else(|e| panic!("{e}")).0
    }

    fn read_all(file: &[u8], pass: &str) -> Result<Vec<(String, Vec<u8>)>, SealError> {
        let (_, mut r) = OpenReader::open(file, &Passphrase::new(pass.into()))?;
        let mut out = Vec::new();
        while let Some((name, len)) = r.next_entry()? {
            let mut bytes = Vec::new();
            (&mut r).take(len).read_to_end(&mut bytes)?;
            if bytes.len() as u64 != len {
                return Err(SealError::Truncated);
            }
            out.push((name, bytes));
        }
        Ok(out)
    }

    #[test]
    fn entries_come_back_whole_and_nothing_else_opens() {
        // Sizes around the chunk boundary, where an off-by-one would hide.
        let big: Vec<u8> = (0..(3 * CHUNK + 5)).map(|i| (i * 7 % 251) as u8).collect();
        let exact = vec![9u8; CHUNK - 14];
        let entries = vec![
            ("secret.key", b"abc".to_vec()),
            ("hearth.db", big),
            ("edge", exact),
            ("empty", Vec::new()),
        ];
        let file = sealed(&entries, "correct horse battery");
        let back = read_all(&file, "correct horse battery").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.len(), entries.len());
        for ((n, b), (m, c)) in back.iter().zip(&entries) {
            assert_eq!(n, m);
            assert_eq!(b, c);
        }
        assert!(matches!(
            read_all(&file, "wrong horse battery"),
            Err(SealError::WrongPassphraseOrDamaged)
        ));
        // Cut off at the end, or at a chunk boundary: never read as whole.
        for cut in [1, 20, CHUNK + 20] {
            assert!(read_all(&file[..file.len() - cut], "correct horse battery").is_err());
        }
        // One flipped bit anywhere after the magic is found.
        for at in [20, 60, file.len() / 2, file.len() - 1] {
            let mut bad = file.clone();
            bad[at] ^= 1;
            assert!(
                read_all(&bad, "correct horse battery").is_err(),
                "flip at {at}"
            );
        }
        let mut longer = file.clone();
        longer.push(0);
        assert!(read_all(&longer, "correct horse battery").is_err());
        assert!(matches!(
            read_all(b"not a backup at all, really", "x"),
            Err(SealError::NotABackup)
        ));
    }
}
