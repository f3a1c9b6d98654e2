//! Backup and restore: `hearth backup FILE`, `hearth backup --verify FILE`
//! and `hearth restore FILE`.
//!
//! A backup is one file holding the database and the data dir's two keys
//! (the server secret and the data key, without which members' sealed
//! private data cannot be read), all sealed under a passphrase the
//! operator types ([`sealed`]). The keys never sit in clear beside the
//! data, and a copied backup file tells its finder nothing but when it was
//! taken.
//!
//! - **SQLite**: `VACUUM INTO` copies the database from one read
//!   transaction while the server goes on writing: a consistent snapshot
//!   holding every write committed before it began.
//! - **PostgreSQL**: `pg_dump --format=custom` (also one snapshot), run
//!   with the settings' connection details; restored with `pg_restore`.
//!
//! Every backup taken is recorded in the database's `backups` table, and
//! the admin hub shows the latest.

pub mod sealed;

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgSslMode};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

pub use sealed::Passphrase;
use sealed::{OpenReader, SealWriter};

use crate::config::Settings;
use crate::db::{Backend, Db, now_ms};
use crate::{crypto, on_db, secret};

/// The database entry's name inside a backup, by backend.
const SQLITE_ENTRY: &str = "hearth.db";
const POSTGRES_ENTRY: &str = "postgres.dump";
const KEYS: [&str; 2] = [secret::KEY_FILE, crypto::KEY_FILE];

/// What a finished backup was.
#[derive(Debug)]
pub struct Taken {
    pub bytes: u64,
    pub backend: Backend,
}

/// A backup the database remembers, for the admin hub.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BackupRecord {
    pub taken_at: i64,
    pub bytes: i64,
    pub backend: String,
}

/// The latest backup taken of this database, if any.
pub async fn latest(db: &Db) -> Result<Option<BackupRecord>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT taken_at, bytes, backend FROM backups ORDER BY taken_at DESC LIMIT 1",
        )
        .fetch_optional(pool)
        .await
    })
}

fn backend_of(url: &str) -> Result<Backend, String> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else {
        Err("the database URL must start with sqlite: or postgres://".into())
    }
}

pub fn backend_word(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// A file removed when dropped (a scratch copy of the database, which
/// must not outlive the command, even when it fails).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A scratch name in `dir` (the private data dir, or a private temp dir).
fn scratch_in(dir: &Path, what: &str) -> Result<Scratch, String> {
    let tag: [u8; 8] = secret::random_bytes().map_err(|e| e.to_string())?;
    Ok(Scratch(dir.join(format!(".{what}-{}", secret::hex(&tag)))))
}

fn private_file(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Takes a backup of the server described by `settings` into `file`,
/// while it runs. The file appears only once whole (it is written beside
/// and renamed), so a failed backup never replaces a good one.
pub async fn take(settings: &Settings, file: &Path, pass: &Passphrase) -> Result<Taken, String> {
    if !pass.strong_enough() {
        return Err(format!(
            "the passphrase must be at least {} characters",
            sealed::MIN_PASSPHRASE_CHARS
        ));
    }
    let dir = &settings.data_dir;
    let mut keys = Vec::new();
    for name in KEYS {
        let text = std::fs::read_to_string(dir.join(name)).map_err(|e| {
            format!(
                "cannot read {} in {}: {e} (is this the server's data dir?)",
                name,
                dir.display()
            )
        })?;
        if secret::decode_hex32(text.trim()).is_none() {
            return Err(format!("{name} in {} is damaged", dir.display()));
        }
        keys.push((name, text.into_bytes()));
    }
    let backend = backend_of(&settings.database_url)?;
    let copy = scratch_in(dir, "backup-copy")?;
    match backend {
        Backend::Sqlite => sqlite_copy(&settings.database_url, &copy.0).await?,
        Backend::Postgres => postgres_dump(&settings.database_url, &copy.0).await?,
    }
    let taken_at = now_ms();
    let partial = file.with_file_name(format!(
        ".{}.partial",
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "backup".into())
    ));
    let partial_guard = Scratch(partial.clone());
    let bytes = {
        let out = private_file(&partial)
            .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
        let mut w = SealWriter::start(
            BufWriter::with_capacity(256 * 1024, out),
            pass,
            taken_at,
            backend_word(backend),
        )
        .map_err(|e| e.to_string())?;
        for (name, text) in &keys {
            w.entry(name, text.len() as u64, &mut text.as_slice())
                .map_err(|e| e.to_string())?;
        }
        let mut db_file = File::open(&copy.0).map_err(|e| e.to_string())?;
        let len = db_file.metadata().map_err(|e| e.to_string())?.len();
        let entry = match backend {
            Backend::Sqlite => SQLITE_ENTRY,
            Backend::Postgres => POSTGRES_ENTRY,
        };
        w.entry(entry, len, &mut db_file)
            .map_err(|e| format!("cannot write the backup: {e}"))?;
        let (out, bytes) = w.finish().map_err(|e| e.to_string())?;
        let out = out.into_inner().map_err(|e| e.to_string())?;
        out.sync_all().map_err(|e| e.to_string())?;
        bytes
    };
    std::fs::rename(&partial, file)
        .map_err(|e| format!("cannot move the backup into {}: {e}", file.display()))?;
    std::mem::forget(partial_guard);
    sync_parent(file);
    drop(copy);
    record(settings, taken_at, bytes, backend).await;
    Ok(Taken { bytes, backend })
}

fn sync_parent(file: &Path) {
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(d) = File::open(parent)
    {
        let _ = d.sync_all();
    }
}

/// Remembers the backup in the database it copied. A failure here is
/// reported, not fatal: the backup itself is whole.
async fn record(settings: &Settings, taken_at: i64, bytes: u64, backend: Backend) {
    let result = async {
        let db = Db::connect(&settings.database_url).await?;
        let r = on_db!(&db, |pool| {
            sqlx::query("INSERT INTO backups (taken_at, bytes, backend) VALUES ($1, $2, $3)")
                .bind(taken_at)
                .bind(i64::try_from(bytes).unwrap_or(i64::MAX))
                .bind(backend_word(backend))
                .execute(pool)
                .await
                .map(|_| ())
        });
        db.close().await;
        r
    }
    .await;
    if let Err(e) = result {
        eprintln!("hearth: the backup is whole, but recording it in the database failed: {e}");
    }
}

async fn sqlite_copy(url: &str, to: &Path) -> Result<(), String> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| e.to_string())?
        .create_if_missing(false)
        .busy_timeout(std::time::Duration::from_secs(30));
    let source = options.get_filename().to_owned();
    if !source.exists() {
        return Err(format!(
            "there is no database at {}: nothing to back up",
            source.display()
        ));
    }
    let mut conn = options
        .connect()
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    let to_text = to
        .to_str()
        .ok_or("the data dir's path is not valid UTF-8")?
        .to_owned();
    sqlx::query("VACUUM INTO $1")
        .bind(to_text)
        .execute(&mut conn)
        .await
        .map_err(|e| format!("cannot copy the database: {e}"))?;
    let _ = conn.close().await;
    Ok(())
}

/// `pg_dump` and `pg_restore` arguments and environment for a URL; the
/// password goes in the environment, never on a command line others see.
fn pg_command(program: &str, url: &str) -> Result<tokio::process::Command, String> {
    let options = PgConnectOptions::from_str(url).map_err(|e| e.to_string())?;
    let mut cmd = tokio::process::Command::new(program);
    cmd.arg("--host")
        .arg(options.get_host())
        .arg("--port")
        .arg(options.get_port().to_string())
        .arg("--username")
        .arg(options.get_username())
        .arg("--no-password");
    if let Some(db) = options.get_database() {
        cmd.arg("--dbname").arg(db);
    }
    if let Some(password) = url_password(url) {
        cmd.env("PGPASSWORD", password);
    }
    let mode = match options.get_ssl_mode() {
        PgSslMode::Disable => "disable",
        PgSslMode::Allow => "allow",
        PgSslMode::Prefer => "prefer",
        PgSslMode::Require => "require",
        PgSslMode::VerifyCa => "verify-ca",
        PgSslMode::VerifyFull => "verify-full",
    };
    cmd.env("PGSSLMODE", mode);
    Ok(cmd)
}

/// The password in `scheme://user:password@host/…`, percent-decoded.
fn url_password(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let userinfo = authority.rsplit_once('@')?.0;
    let raw = userinfo.split_once(':')?.1;
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = raw
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

async fn run_pg(mut cmd: tokio::process::Command, what: &str) -> Result<String, String> {
    let out = cmd
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| format!("cannot run {what} (is the PostgreSQL client installed?): {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

async fn postgres_dump(url: &str, to: &Path) -> Result<(), String> {
    let mut cmd = pg_command("pg_dump", url)?;
    cmd.arg("--format=custom")
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--file")
        .arg(to);
    run_pg(cmd, "pg_dump").await.map(|_| ())
}

/// What a backup holds, found by opening it whole.
#[derive(Debug)]
pub struct Verified {
    pub header: sealed::Header,
    pub checks: Vec<String>,
}

/// A private scratch directory, removed (with what is in it) when dropped.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> Result<Self, String> {
        let tag: [u8; 8] = secret::random_bytes().map_err(|e| e.to_string())?;
        let dir = std::env::temp_dir().join(format!("hearth-verify-{}", secret::hex(&tag)));
        secret::private_dir(&dir).map_err(|e| e.to_string())?;
        Ok(Self(dir))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The entries of a backup, unsealed into `dir` (each authenticated; the
/// whole stream too, before this returns).
fn unseal_into(
    file: &Path,
    pass: &Passphrase,
    dir: &Path,
) -> Result<(sealed::Header, Vec<(String, PathBuf)>), String> {
    let input = File::open(file).map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let (header, mut reader) = OpenReader::open(BufReader::with_capacity(256 * 1024, input), pass)
        .map_err(|e| e.to_string())?;
    let mut entries = Vec::new();
    while let Some((name, len)) = reader.next_entry().map_err(|e| e.to_string())? {
        let known = KEYS.contains(&name.as_str()) || name == SQLITE_ENTRY || name == POSTGRES_ENTRY;
        if !known || entries.iter().any(|(n, _)| *n == name) {
            return Err(format!("the backup holds an unexpected entry {name:?}"));
        }
        let path = dir.join(format!(".restoring-{name}"));
        let _ = std::fs::remove_file(&path);
        let mut out = BufWriter::new(
            private_file(&path).map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        );
        let copied = std::io::copy(&mut (&mut reader).take(len), &mut out)
            .map_err(|e| format!("cannot read the backup: {e}"))?;
        if copied != len {
            return Err(sealed::SealError::Truncated.to_string());
        }
        let out = out.into_inner().map_err(|e| e.to_string())?;
        out.sync_all().map_err(|e| e.to_string())?;
        entries.push((name, path));
    }
    for key in KEYS {
        let Some((_, path)) = entries.iter().find(|(n, _)| n == key) else {
            return Err(format!("the backup lacks {key}"));
        };
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        if secret::decode_hex32(text.trim()).is_none() {
            return Err(format!("the backup's {key} is damaged"));
        }
    }
    let wanted = match header.backend.as_str() {
        "sqlite" => SQLITE_ENTRY,
        "postgres" => POSTGRES_ENTRY,
        other => return Err(format!("the backup is of an unknown database {other:?}")),
    };
    if !entries.iter().any(|(n, _)| n == wanted) {
        return Err(format!("the backup lacks {wanted}"));
    }
    Ok((header, entries))
}

fn entry<'a>(entries: &'a [(String, PathBuf)], name: &str) -> Result<&'a Path, String> {
    entries
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, p)| p.as_path())
        .ok_or_else(|| format!("the backup lacks {name}"))
}

/// Proves a backup restores: opens it with the passphrase, unseals every
/// entry into a private scratch dir, and checks the database there (SQLite:
/// integrity, foreign keys, migrations, the audit chain, and that the data
/// key opens the sealed values; PostgreSQL: the dump's table of contents).
pub async fn verify(file: &Path, pass: &Passphrase) -> Result<Verified, String> {
    let scratch = ScratchDir::new()?;
    let (header, entries) = unseal_into(file, pass, &scratch.0)?;
    let mut checks = vec!["every entry opened with the passphrase and is whole".to_owned()];
    if header.backend == "postgres" {
        let mut cmd = tokio::process::Command::new("pg_restore");
        cmd.arg("--list").arg(entry(&entries, POSTGRES_ENTRY)?);
        let toc = run_pg(cmd, "pg_restore --list").await?;
        let items = toc
            .lines()
            .filter(|l| !l.starts_with(';') && !l.trim().is_empty())
            .count();
        checks.push(format!(
            "the PostgreSQL dump reads: {items} items in its table of contents"
        ));
        return Ok(Verified { header, checks });
    }
    let db_path = entry(&entries, SQLITE_ENTRY)?;
    let options = SqliteConnectOptions::new()
        .filename(db_path)
        .read_only(true)
        .create_if_missing(false);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| format!("the database does not open: {e}"))?;
    let db = Db::Sqlite(pool);
    let result = check_sqlite(&db, &entries, &mut checks).await;
    db.close().await;
    result?;
    Ok(Verified { header, checks })
}

async fn check_sqlite(
    db: &Db,
    entries: &[(String, PathBuf)],
    checks: &mut Vec<String>,
) -> Result<(), String> {
    let Db::Sqlite(pool) = db else {
        return Err("not a SQLite database".into());
    };
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())?;
    if integrity != "ok" {
        return Err(format!("the database is damaged: {integrity}"));
    }
    let fk: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(pool)
        .await
        .map_err(|e| e.to_string())?;
    if !fk.is_empty() {
        return Err(format!("{} rows break foreign keys", fk.len()));
    }
    checks.push("the database's integrity and foreign keys check out".into());
    let (migrations, failed): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN success THEN 0 ELSE 1 END), 0) FROM _sqlx_migrations",
    )
    .fetch_one(pool)
    .await
    .map_err(|e| format!("the database has no migration record: {e}"))?;
    if failed > 0 {
        return Err(format!("{failed} migrations are marked failed"));
    }
    checks.push(format!("{migrations} migrations applied"));
    let verdict = crate::safety::audit::verify(db)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(seq) = verdict.broken_at {
        return Err(format!("the audit log is broken at row {seq}"));
    }
    checks.push(format!("the audit log is intact: {} rows", verdict.rows));
    let key_text =
        std::fs::read_to_string(entry(entries, crypto::KEY_FILE)?).map_err(|e| e.to_string())?;
    let key = secret::decode_hex32(key_text.trim()).ok_or("the data key is damaged")?;
    // A database from before the key hierarchy has no site key (or no
    // table for it): its values are sealed with the data key itself.
    let data_key = match crate::keys::site_key(db, key).await {
        Ok(Some(site)) => {
            checks.push("the data key opens the site key".into());
            site
        }
        Ok(None) | Err(crate::keys::KeyError::Database(_)) => crypto::DataKey::from_bytes(key),
        Err(_) => {
            return Err(
                "the data key does not open the site key: the keys are not this database's".into(),
            );
        }
    };
    let sealed: Vec<(String, Vec<u8>)> = sqlx::query_as(
        "SELECT handle_key, email_sealed FROM accounts WHERE email_sealed IS NOT NULL LIMIT 50",
    )
    .fetch_all(pool)
    .await
    .map_err(|e| e.to_string())?;
    for (owner, value) in &sealed {
        data_key
            .open("accounts.email", owner.as_bytes(), value)
            .map_err(|_| "the data key does not open the sealed values: the keys are not this database's")?;
    }
    if !sealed.is_empty() {
        checks.push(format!(
            "the data key opens the sealed values ({} tried)",
            sealed.len()
        ));
    }
    let mut counts = Vec::new();
    for (table, what) in [
        ("accounts", "accounts"),
        ("groups", "groups"),
        ("posts", "posts"),
        ("messages", "chat messages"),
    ] {
        let n: Result<i64, _> =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(pool)
                .await;
        if let Ok(n) = n {
            counts.push(format!("{n} {what}"));
        }
    }
    checks.push(format!("it holds {}", counts.join(", ")));
    Ok(())
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub header: sealed::Header,
}

/// Restores a backup into the data dir (and, for PostgreSQL, the database)
/// that `settings` name. Refuses a data dir with anything in it unless
/// `force`; nothing is replaced until the whole backup has been read and
/// authenticated.
pub async fn restore(
    settings: &Settings,
    file: &Path,
    pass: &Passphrase,
    force: bool,
) -> Result<Restored, String> {
    let dir = &settings.data_dir;
    let in_use = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if in_use && !force {
        return Err(format!(
            "{} is not empty: restore into a new data dir, or stop the server and add --force to replace what is there",
            dir.display()
        ));
    }
    secret::private_dir(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let backend = backend_of(&settings.database_url)?;
    let (header, entries) = unseal_into(file, pass, dir)?;
    // From here on, scratch files are removed whatever happens.
    let _cleanup: Vec<Scratch> = entries.iter().map(|(_, p)| Scratch(p.clone())).collect();
    if header.backend != backend_word(backend) {
        return Err(format!(
            "this is a backup of a {} database, but the settings name a {} one",
            header.backend,
            backend_word(backend)
        ));
    }
    match backend {
        Backend::Sqlite => {
            let options = SqliteConnectOptions::from_str(&settings.database_url)
                .map_err(|e| e.to_string())?;
            let target = options.get_filename().to_owned();
            if target.exists() && !force {
                return Err(format!(
                    "{} exists: add --force to replace it",
                    target.display()
                ));
            }
            // A stale write-ahead log would be replayed into the restored
            // file: it goes first.
            for suffix in ["-wal", "-shm"] {
                let mut side = target.clone().into_os_string();
                side.push(suffix);
                match std::fs::remove_file(&side) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(format!("cannot remove {}: {e}", side.display())),
                }
            }
            std::fs::rename(entry(&entries, SQLITE_ENTRY)?, &target)
                .map_err(|e| format!("cannot move the database into place: {e}"))?;
        }
        Backend::Postgres => {
            let db = Db::connect(&settings.database_url)
                .await
                .map_err(|e| format!("cannot connect to the database: {e}"))?;
            let tables: Result<i64, _> = on_db!(&db, |pool| {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
                )
                .fetch_one(pool)
                .await
            });
            db.close().await;
            let tables = tables.map_err(|e| e.to_string())?;
            if tables > 0 && !force {
                return Err(
                    "the database has tables in it: restore into an empty database, or add --force to replace them".into(),
                );
            }
            let mut cmd = pg_command("pg_restore", &settings.database_url)?;
            cmd.arg("--clean")
                .arg("--if-exists")
                .arg("--no-owner")
                .arg("--no-privileges")
                .arg("--single-transaction")
                .arg("--exit-on-error")
                .arg(entry(&entries, POSTGRES_ENTRY)?);
            run_pg(cmd, "pg_restore").await?;
        }
    }
    for key in KEYS {
        std::fs::rename(entry(&entries, key)?, dir.join(key))
            .map_err(|e| format!("cannot move {key} into place: {e}"))?;
    }
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(Restored { header })
}

/// Reads the passphrase: from `file` if given (its first line), else from
/// standard input (at a terminal, asked for without echo, and twice when
/// `confirm`).
pub fn read_passphrase(file: Option<&Path>, confirm: bool) -> Result<Passphrase, String> {
    use std::io::IsTerminal;
    let first_line = |text: &str| text.lines().next().unwrap_or("").to_owned();
    if let Some(file) = file {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        return Ok(Passphrase::new(first_line(&text)));
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut text = String::new();
        stdin
            .lock()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read the passphrase: {e}"))?;
        return Ok(Passphrase::new(first_line(&text)));
    }
    let ask = |prompt: &str| -> Result<String, String> {
        eprint!("{prompt}");
        let _ = std::io::stderr().flush();
        let echo_off = std::process::Command::new("stty")
            .arg("-echo")
            .stdin(std::process::Stdio::inherit())
            .status()
            .is_ok_and(|s| s.success());
        let mut line = String::new();
        let read = stdin.read_line(&mut line);
        if echo_off {
            let _ = std::process::Command::new("stty")
                .arg("echo")
                .stdin(std::process::Stdio::inherit())
                .status();
            eprintln!();
        }
        read.map_err(|e| format!("cannot read the passphrase: {e}"))?;
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    };
    let first = ask("Backup passphrase: ")?;
    if confirm {
        let again = ask("The same passphrase again: ")?;
        if again != first {
            return Err("the two passphrases differ".into());
        }
    }
    Ok(Passphrase::new(first))
}

#[cfg(test)]
mod tests {
    use super::url_password;

    #[test]
    fn the_password_comes_out_of_the_url_decoded() {
        assert_eq!(
            url_password("postgres://u:p%40ss%2Bw@host:5432/db?sslmode=disable").as_deref(),
            Some("p@ss+w")
        );
        assert_eq!(url_password("postgres://u@host/db"), None);
        assert_eq!(
            url_password("postgres://u:a+b@host/db").as_deref(),
            Some("a+b")
        );
    }
}
