//! Hearth's keys, and how they hold each other.
//!
//! - The **data key**, `<data-dir>/data.key`, kept apart from the
//!   database. It only wraps (seals) the keys below, so rotating it
//!   re-wraps a few rows and re-encrypts nothing.
//! - The **site key** (`data_keys`, named `site`) seals the site's own
//!   private values: e-mail addresses, second factors, drafts, the mail
//!   queue, alert evidence, join answers, facilitators' notes. It is
//!   [`crate::AppState::data_key`]. A database made before this hierarchy
//!   keeps its first data key as its site key (its values were sealed
//!   with it); a new one gets a random site key.
//! - **Member keys** (`member_keys`), one per member, made on first use,
//!   seal what a member keeps for themselves: journal entries, and the
//!   other wellness records and private messages as they come. Deleting
//!   an account deletes its key, and with it anything sealed under it,
//!   wherever a copy of the rows lies.
//!
//! At start the data key must open the site key: a missing or wrong one
//! stops the server with a clear error and changes nothing. `hearth keys
//! rotate` writes a new data key beside the old (`data.key.next`),
//! re-wraps every row in one transaction, then puts the new key in place.
//! A start that finds `data.key.next` opening the rows (a rotation that
//! committed but stopped before the rename) puts it in place; one that
//! does not open them is left alone, so a rotation cut short anywhere, or
//! still under way, loses nothing.
//!
//! A database made before the hierarchy kept its first data key as its
//! site key: rotating re-wraps it, but a leaked copy of that first key
//! still opens the site's own sealed values (not members' keys).

use std::io::Write;
use std::path::Path;

use crate::crypto::{DataKey, KEY_FILE};
use crate::db::{Db, now_ms};
use crate::secret::{self, SecretError, random_bytes};
use crate::{on_db, on_tx};

/// Where a rotation writes the new data key until the rows are re-wrapped.
pub const NEXT_FILE: &str = "data.key.next";
const SITE: &str = "site";
const SITE_PURPOSE: &str = "data_keys.key";
const MEMBER_PURPOSE: &str = "member_keys.key";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    File(#[from] SecretError),
    #[error(
        "the data key {0} is missing, and this database's private data is sealed under one: put the data dir's data.key back (a backup holds it); nothing was changed"
    )]
    Missing(String),
    #[error(
        "the data key {0} does not open this database's keys: it belongs to another database or is damaged; nothing was changed"
    )]
    Wrong(String),
    #[error("a member's sealed key is damaged")]
    Damaged,
    #[error("the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot write {0}: {1}")]
    Io(String, std::io::Error),
    #[error("the operating system's random number generator failed")]
    Random,
}

/// The data key, which wraps the site key and the member keys.
pub struct Keys {
    wrapping: DataKey,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys([redacted])")
    }
}

impl Keys {
    /// Keys for tools and tests that keep nothing.
    pub fn from_bytes(key: [u8; 32]) -> Self {
        Self {
            wrapping: DataKey::from_bytes(key),
        }
    }

    /// A member's own key, made on first use.
    pub async fn member(&self, db: &Db, account: i64) -> Result<DataKey, KeyError> {
        let owner = account.to_be_bytes();
        if let Some(wrapped) = member_row(db, account).await? {
            return unwrap(&self.wrapping, MEMBER_PURPOSE, &owner, &wrapped)
                .ok_or(KeyError::Damaged);
        }
        let fresh: [u8; 32] = random_bytes().map_err(|_| KeyError::Random)?;
        let wrapped = self
            .wrapping
            .seal(MEMBER_PURPOSE, &owner, &fresh)
            .map_err(|_| KeyError::Random)?;
        on_db!(db, |pool| {
            sqlx::query(
                "INSERT INTO member_keys (account_id, wrapped, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (account_id) DO NOTHING",
            )
            .bind(account)
            .bind(&wrapped)
            .bind(now_ms())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        // Another request may have made it first: theirs holds.
        let wrapped = member_row(db, account).await?.ok_or(KeyError::Damaged)?;
        unwrap(&self.wrapping, MEMBER_PURPOSE, &owner, &wrapped).ok_or(KeyError::Damaged)
    }
}

fn unwrap(key: &DataKey, purpose: &str, owner: &[u8], wrapped: &[u8]) -> Option<DataKey> {
    let plain = key.open(purpose, owner, wrapped).ok()?;
    let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
    Some(DataKey::from_bytes(bytes))
}

async fn member_row(db: &Db, account: i64) -> Result<Option<Vec<u8>>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT wrapped FROM member_keys WHERE account_id = $1")
            .bind(account)
            .fetch_optional(pool)
            .await
    })
}

async fn site_row(db: &Db) -> Result<Option<Vec<u8>>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT wrapped FROM data_keys WHERE name = $1")
            .bind(SITE)
            .fetch_optional(pool)
            .await
    })
}

/// The site key that the data key `data_key` wraps in `db`: none for a
/// database made before the hierarchy (its values are sealed with the data
/// key itself); an error if the data key does not open it.
pub async fn site_key(db: &Db, data_key: [u8; 32]) -> Result<Option<DataKey>, KeyError> {
    let Some(wrapped) = site_row(db).await? else {
        return Ok(None);
    };
    unwrap(
        &DataKey::from_bytes(data_key),
        SITE_PURPOSE,
        SITE.as_bytes(),
        &wrapped,
    )
    .map(Some)
    .ok_or_else(|| KeyError::Wrong(KEY_FILE.to_owned()))
}

/// A key file's key; none if there is no such file.
fn read_key(path: &Path) -> Result<Option<[u8; 32]>, SecretError> {
    let shown = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => secret::decode_hex32(text.trim())
            .map(Some)
            .ok_or(SecretError::Damaged(shown)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SecretError::Io(shown, e)),
    }
}

/// Opens the hierarchy at start: the data key, and the site key it wraps
/// (made on the first start).
pub async fn open(data_dir: &Path, db: &Db) -> Result<(Keys, DataKey), KeyError> {
    let file = data_dir.join(KEY_FILE);
    let shown = file.display().to_string();
    let Some(wrapped) = site_row(db).await? else {
        return first_start(data_dir, db, &shown).await;
    };
    let site_of = |bytes: [u8; 32]| {
        let keys = Keys::from_bytes(bytes);
        unwrap(&keys.wrapping, SITE_PURPOSE, SITE.as_bytes(), &wrapped).map(|site| (keys, site))
    };
    let next = data_dir.join(NEXT_FILE);
    if let Some(bytes) = read_key(&next)?
        && let Some(opened) = site_of(bytes)
    {
        // A rotation committed but stopped before putting its key in place.
        write_key(&file, &bytes)?;
        let _ = std::fs::remove_file(&next);
        return Ok(opened);
    }
    // A `data.key.next` that does not open the rows is a rotation still
    // under way, or one that stopped before committing: left alone (the
    // next rotation replaces it), the current key holds.
    let bytes = read_key(&file)?.ok_or_else(|| KeyError::Missing(shown.clone()))?;
    site_of(bytes).ok_or(KeyError::Wrong(shown))
}

async fn first_start(data_dir: &Path, db: &Db, shown: &str) -> Result<(Keys, DataKey), KeyError> {
    let accounts: i64 = on_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(pool)
            .await
    })?;
    // A database with people in it sealed their values with a data key:
    // a missing one is never replaced by a new one.
    if accounts > 0 && read_key(&data_dir.join(KEY_FILE))?.is_none() {
        return Err(KeyError::Missing(shown.to_owned()));
    }
    let bytes = secret::load_or_create_key(data_dir, KEY_FILE)?;
    let keys = Keys::from_bytes(bytes);
    // Values sealed before the hierarchy were sealed with the data key.
    let site: [u8; 32] = if accounts == 0 {
        random_bytes().map_err(|_| KeyError::Random)?
    } else {
        bytes
    };
    let wrapped = keys
        .wrapping
        .seal(SITE_PURPOSE, SITE.as_bytes(), &site)
        .map_err(|_| KeyError::Random)?;
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO data_keys (name, wrapped, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(SITE)
        .bind(&wrapped)
        .bind(now_ms())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    // Another node may have started first: its site key holds.
    let wrapped = site_row(db).await?.ok_or(KeyError::Damaged)?;
    let site = unwrap(&keys.wrapping, SITE_PURPOSE, SITE.as_bytes(), &wrapped)
        .ok_or_else(|| KeyError::Wrong(shown.to_owned()))?;
    Ok((keys, site))
}

/// `hearth keys rotate`: a new data key, every key re-wrapped under it.
/// Run with the site's servers stopped, then copy the new `data.key` to
/// every node. Returns how many member keys were re-wrapped.
pub async fn rotate(data_dir: &Path, db: &Db) -> Result<usize, KeyError> {
    let (old, _) = open(data_dir, db).await?;
    let fresh: [u8; 32] = random_bytes().map_err(|_| KeyError::Random)?;
    let next = data_dir.join(NEXT_FILE);
    // On disk before any row is re-wrapped under it.
    write_key(&next, &fresh)?;
    sync_dir(data_dir);
    let new = Keys::from_bytes(fresh);
    let rewrap = |purpose: &str, owner: &[u8], wrapped: &[u8]| -> Result<Vec<u8>, KeyError> {
        let plain = old
            .wrapping
            .open(purpose, owner, wrapped)
            .map_err(|_| KeyError::Damaged)?;
        new.wrapping
            .seal(purpose, owner, &plain)
            .map_err(|_| KeyError::Random)
    };
    let mut tx = db.begin().await?;
    let sites: Vec<(String, Vec<u8>)> = on_tx!(&mut tx, |conn| {
        sqlx::query_as("SELECT name, wrapped FROM data_keys")
            .fetch_all(conn)
            .await
    })?;
    for (name, wrapped) in sites {
        let again = rewrap(SITE_PURPOSE, name.as_bytes(), &wrapped)?;
        on_tx!(&mut tx, |conn| {
            sqlx::query("UPDATE data_keys SET wrapped = $1 WHERE name = $2")
                .bind(&again)
                .bind(&name)
                .execute(conn)
                .await
                .map(|r| r.rows_affected())
        })?;
    }
    let members: Vec<(i64, Vec<u8>)> = on_tx!(&mut tx, |conn| {
        sqlx::query_as("SELECT account_id, wrapped FROM member_keys")
            .fetch_all(conn)
            .await
    })?;
    let count = members.len();
    for (account, wrapped) in members {
        let again = rewrap(MEMBER_PURPOSE, &account.to_be_bytes(), &wrapped)?;
        on_tx!(&mut tx, |conn| {
            sqlx::query("UPDATE member_keys SET wrapped = $1 WHERE account_id = $2")
                .bind(&again)
                .bind(account)
                .execute(conn)
                .await
                .map(|r| r.rows_affected())
        })?;
    }
    tx.commit().await?;
    // Written from memory (not renamed from `data.key.next`, which
    // something else may have touched meanwhile), through a temporary file.
    let file = data_dir.join(KEY_FILE);
    let tmp = data_dir.join("data.key.tmp");
    write_key(&tmp, &fresh)?;
    std::fs::rename(&tmp, &file).map_err(|e| KeyError::Io(file.display().to_string(), e))?;
    sync_dir(data_dir);
    let _ = std::fs::remove_file(&next);
    Ok(count)
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes a new key file (mode 0600), replacing a stale one, to disk.
fn write_key(path: &Path, key: &[u8; 32]) -> Result<(), KeyError> {
    let shown = path.display().to_string();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let write = || -> std::io::Result<()> {
        let mut f = options.open(path)?;
        f.write_all(secret::hex(key).as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()
    };
    write().map_err(|e| KeyError::Io(shown, e))
}
