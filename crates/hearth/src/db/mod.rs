//! The one data-access layer for SQLite and PostgreSQL.
//!
//! Every dialect difference lives in this module and in the two migration
//! trees (`migrations/sqlite` and `migrations/postgres`, same file names).
//! Feature stores write one query body and run it on either pool through
//! [`on_db!`], or inside a transaction ([`Db::begin`], [`Tx`]) through
//! [`on_tx!`]; the SQL they use is the common subset both backends share
//! (`$n` placeholders, `RETURNING`, `ON CONFLICT`, BIGINT epoch milliseconds).

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// A pool on one of the two supported databases.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs one body against whichever pool `db` holds: `on_db!(db, |pool| query.fetch_one(pool).await)`.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// A transaction on one of the two databases, from [`Db::begin`]. Feature
/// stores take `&mut Tx<'_>` to write inside their caller's transaction,
/// and run each query body on it through [`on_tx!`]. Dropped without
/// [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub enum Tx<'c> {
    Sqlite(sqlx::Transaction<'c, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'c, sqlx::Postgres>),
}

/// Runs one body inside a transaction, on whichever database it is on:
/// `on_tx!(tx, |conn| query.execute(conn).await)`, where `tx: &mut Tx<'_>`
/// and `conn` is that database's connection.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// Stores an enum of words (`as_str`, and `from_stored` back) as TEXT on either
/// database: `stored_word!(GroupStatus)`. A word the code does not know
/// fails to decode, rather than turning into some default.
#[macro_export]
macro_rules! stored_word {
    ($t:ty) => {
        impl<DB: sqlx::Database> sqlx::Type<DB> for $t
        where
            str: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as sqlx::Type<DB>>::compatible(ty)
            }
        }
        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $t
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let word = <&'r str as sqlx::Decode<'r, DB>>::decode(value)?;
                <$t>::from_stored(word)
                    .ok_or_else(|| format!("not a {}: {word:?}", stringify!($t)).into())
            }
        }
        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $t
        where
            &'q str: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&'q str as sqlx::Encode<'q, DB>>::encode_by_ref(&self.as_str(), buf)
            }
        }
    };
}

/// An enum of words, stored as TEXT (see [`stored_word!`]): `ALL`,
/// `as_str` and `parse`. `word_enum!(Joining { Open = "open", Closed = "closed" })`;
/// doc comments and further derives go before the name, and a variant's
/// doc comment before the variant.
#[macro_export]
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                match raw.trim() { $($text => Some($name::$variant),)+ _ => None }
            }

            pub fn from_stored(word: &str) -> Option<Self> {
                Self::parse(word)
            }
        }

        $crate::stored_word!($name);
    };
}

impl Tx<'_> {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How long a request waits for a connection before the server answers 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`).
    ///
    /// SQLite runs in WAL mode with `synchronous=FULL`, so a commit is on disk
    /// before we acknowledge it (RELIABILITY.md §1.2 promise 1), with foreign
    /// keys enforced and a busy timeout instead of immediate lock errors.
    /// Opens the pool. A SQLite file is made readable by its owner alone
    /// before SQLite opens it (SQLite gives its `-wal` and `-shm` files the
    /// database file's mode), and repaired if it was not.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await?;
            Ok(Self::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?;
            private_files(options.get_filename()).map_err(sqlx::Error::Io)?;
            let options = options
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                // Erased words are overwritten in the file, not left in
                // free pages for anyone with the file to read.
                .pragma("secure_delete", "ON")
                .busy_timeout(Duration::from_secs(5));
            // A local file needs no liveness check before each use (it
            // would cost a round trip to the connection's thread).
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await?;
            Ok(Self::Sqlite(pool))
        } else {
            Err(sqlx::Error::Configuration(
                "the database URL must start with sqlite: or postgres://".into(),
            ))
        }
    }

    /// Begins a transaction.
    pub async fn begin(&self) -> Result<Tx<'static>, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Self::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations. Each runs in its own transaction.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self {
            Self::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await,
            Self::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await,
        }
    }

    /// The pool's connections: (open, idle).
    pub fn pool_size(&self) -> (u32, u32) {
        match self {
            Self::Sqlite(p) => (p.size(), u32::try_from(p.num_idle()).unwrap_or(u32::MAX)),
            Self::Postgres(p) => (p.size(), u32::try_from(p.num_idle()).unwrap_or(u32::MAX)),
        }
    }

    /// A round trip to the database, for readiness checks.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(|_| ()))
    }

    /// After erasing words: on SQLite, copy the write-ahead log into the
    /// database (where `secure_delete` has zeroed them) and truncate it, so
    /// no earlier version of a page lingers in the `-wal` file. Best
    /// effort: a reader in the middle of a transaction can hold the log,
    /// and the next erasure or SQLite's own checkpoint carries on.
    pub async fn checkpoint_after_erasure(&self) {
        if let Db::Sqlite(pool) = self {
            let done: Result<(i64, i64, i64), sqlx::Error> =
                sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                    .fetch_one(pool)
                    .await;
            if let Err(e) = done {
                tracing::warn!(error = %e, "checkpoint after an erasure did not run");
            }
        }
    }

    pub async fn close(&self) {
        on_db!(self, |pool| pool.close().await)
    }
}

/// True when the error is a unique-constraint violation (on either backend).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

/// True when the error means "the database is unreachable or overloaded
/// right now" rather than "this query is wrong": the request gets a 503.
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(e) => {
            // SQLITE_BUSY / SQLITE_LOCKED; PostgreSQL class 08 (connection),
            // 53 (insufficient resources), 57P (operator intervention).
            let code = e.code().unwrap_or_default();
            matches!(code.as_ref(), "5" | "6" | "517")
                || code.starts_with("08")
                || code.starts_with("53")
                || code.starts_with("57P")
        }
        _ => false,
    }
}

/// Milliseconds since the Unix epoch: how every instant is stored.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Creates the SQLite file `path` with mode 0600 if it is missing, and sets
/// 0600 on it and on its `-wal`, `-shm` and `-journal` files if they exist
/// with any other mode. In-memory databases have no file.
fn private_files(path: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if path.as_os_str().is_empty() || path.as_os_str() == ":memory:" {
            return Ok(());
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            match std::fs::metadata(&name) {
                Ok(m) if m.permissions().mode() & 0o777 != 0o600 => {
                    std::fs::set_permissions(&name, std::fs::Permissions::from_mode(0o600))?;
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::groups::model::GroupRole;

    /// A stored word reads back as its enum; a word the code does not know
    /// is an error, never a default.
    #[tokio::test]
    async fn stored_words_read_back_and_unknown_ones_fail() {
        let db = super::Db::connect("sqlite::memory:").await.unwrap();
        let super::Db::Sqlite(pool) = &db else {
            unreachable!()
        };
        let role: GroupRole = sqlx::query_scalar("SELECT 'facilitator'")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(role, GroupRole::Facilitator);
        let stored: String = sqlx::query_scalar("SELECT $1")
            .bind(GroupRole::Member)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(stored, "member");
        let unknown = sqlx::query_scalar::<_, GroupRole>("SELECT 'owner'")
            .fetch_one(pool)
            .await;
        assert!(unknown.is_err());
    }
    #[test]
    fn both_migration_trees_have_the_same_file_names() {
        let names = |dir: &str| {
            let mut v: Vec<String> =
                std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
            v.sort();
            v
        };
        let sqlite = names("sqlite");
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, names("postgres"));
    }
}
