//! Layered settings: built-in defaults, then a TOML file (`--config`), then
//! `HEARTH_*` environment variables, then command-line flags (flags win).
//!
//! Clap resolves "flag, else environment" for each option; anything it leaves
//! unset falls back to the TOML file and then to the defaults below.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use serde::Deserialize;

/// Command line of the `hearth` binary.
#[derive(Debug, Parser)]
#[command(
    name = "hearth",
    version,
    about = "Hearth: online mental-health support groups"
)]
pub struct Cli {
    /// A TOML configuration file.
    #[arg(long, env = "HEARTH_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: Overrides,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Administrative tasks.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Tools for development and load tests.
    #[command(subcommand)]
    Dev(DevCommand),
    /// The crisis detector, for moderators and operators testing wording.
    #[command(subcommand)]
    Crisis(CrisisCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The data key, which wraps the site's and each member's keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Back up the database and the data dir's keys into FILE, sealed under
    /// a passphrase, while the server runs; with --verify, prove that FILE
    /// restores instead.
    Backup {
        file: PathBuf,
        /// Open FILE and check everything in it; write nothing.
        #[arg(long)]
        verify: bool,
        /// Read the passphrase from this file's first line (for scheduled
        /// backups) instead of asking.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
    /// Outgoing mail.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Restore a backup into the data dir (--data-dir) and its database.
    /// Stop the server first.
    Restore {
        file: PathBuf,
        /// Replace what the data dir (or the PostgreSQL database) holds.
        #[arg(long)]
        force: bool,
        /// Read the passphrase from this file's first line instead of asking.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Queue a test message to ADDRESS and try to send it now, through the
    /// SMTP server the settings name; says what the server answered.
    Test { address: String },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a new data key and re-wrap every key under it (nothing is
    /// re-encrypted). Stop the site's servers first; afterwards, copy the
    /// data dir's new data.key to every node.
    Rotate,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain; exit non-zero if any row was
    /// changed, removed or reordered.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum CrisisCommand {
    /// Read JSON lines with `id` and `text` (and optional `lang`) on
    /// standard input; write one JSON line per input with `id`, `level`,
    /// `score` and `evidence`.
    Classify,
    /// Evaluate the detector on a labelled JSON-lines file (`id`, `text`,
    /// `label`: imminent, ideation, distress or safe): per-label precision,
    /// recall and F1, and the confusion matrix.
    ///
    /// With `--cv` instead of a file: stratified cross-validation over all
    /// the training data, each fold scored by a model trained on the
    /// others, by language and by context.
    Eval {
        #[arg(required_unless_present = "cv")]
        file: Option<PathBuf>,
        /// Also list every mistake with its evidence.
        #[arg(long)]
        mistakes: bool,
        /// Cross-validate instead of scoring a file.
        #[arg(long, conflicts_with = "file")]
        cv: bool,
        /// Folds for `--cv`.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(2..=20))]
        folds: u32,
        /// The repository's root, where the training files are found
        /// (`../shared/data` beside it).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Train the crisis model on the labelled data (the shared corpus, the
    /// development set and Hearth's own rows) and write it; the same data
    /// gives the same bytes.
    Train {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value = "crates/crisis/data/model.bin")]
        out: PathBuf,
        /// Write nothing; fail if training now would not give the model
        /// file's bytes.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Fill the database with synthetic members, groups, threads and
    /// replies (all seeded accounts share one password). Prints what it made
    /// as JSON. For test databases only.
    Seed {
        #[arg(long, default_value_t = 200)]
        groups: u32,
        #[arg(long, default_value_t = 20_000)]
        members: u32,
        #[arg(long, default_value_t = 20_000)]
        threads: u32,
        #[arg(long, default_value_t = 1_000_000)]
        replies: u32,
        /// The same seed makes the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Groups whose members are all in its chat room, with an API token
    /// for each, printed as JSON: for the chat benchmarks.
    ChatSeed {
        /// Members of each group.
        #[arg(long, default_value_t = 200)]
        members: u32,
        #[arg(long, default_value_t = 1)]
        groups: u32,
    },
    /// Groups, each with a live session whose room is open now and an API
    /// token for each participant, printed as JSON: for the media benchmark.
    SessionSeed {
        /// Participants in each session (the first facilitates).
        #[arg(long, default_value_t = 12)]
        participants: u32,
        #[arg(long, default_value_t = 1)]
        rooms: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an admin account; the password is read from standard input.
    Create {
        /// The admin's handle.
        #[arg(long)]
        handle: String,
    },
}

/// Settings that may come from flags or the environment.
#[derive(Debug, Default, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "HEARTH_BIND", global = true)]
    pub bind: Option<SocketAddr>,
    /// Directory for the secret key and the SQLite database [default: ./data].
    #[arg(long, env = "HEARTH_DATA_DIR", global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL: sqlite://… or postgres://… [default: SQLite file in the data dir].
    #[arg(long, env = "HEARTH_DATABASE_URL", global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// The address people use to reach this server, e.g. https://hearth.example.org.
    #[arg(long, env = "HEARTH_PUBLIC_URL", global = true, value_name = "URL")]
    pub public_url: Option<String>,
    /// A NATS server (nats://HOST:PORT) shared by every node serving one
    /// community, so that live chat reaches people on all of them
    /// [default: none, one node].
    #[arg(long, env = "HEARTH_BUS", global = true, value_name = "URL")]
    pub bus: Option<String>,
    /// A TOML file of crisis lines that replaces the shipped one.
    #[arg(
        long,
        env = "HEARTH_CRISIS_RESOURCES",
        global = true,
        value_name = "FILE"
    )]
    pub crisis_resources: Option<PathBuf>,
    /// Language for visitors whose browser asks for none we have: en or es [default: en].
    #[arg(long, env = "HEARTH_DEFAULT_LANGUAGE", global = true)]
    pub default_language: Option<String>,
    /// Log format: text or json [default: text].
    #[arg(long, env = "HEARTH_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// Where the "Quick exit" button goes [default: a neutral search page].
    #[arg(long, env = "HEARTH_QUICK_EXIT_URL", global = true, value_name = "URL")]
    pub quick_exit_url: Option<String>,
    /// Serve Prometheus metrics at http://ADDRESS/metrics, apart from the
    /// site (e.g. 127.0.0.1:9464) [default: none].
    #[arg(
        long,
        env = "HEARTH_METRICS_BIND",
        global = true,
        value_name = "ADDRESS"
    )]
    pub metrics_bind: Option<SocketAddr>,
    /// An SMTP server for outgoing mail: smtp://HOST:PORT (plain; add
    /// ?tls=required for STARTTLS) or smtps://USER:PASSWORD@HOST:465
    /// [default: none, no mail].
    #[arg(long, env = "HEARTH_MAIL_URL", global = true, value_name = "URL")]
    pub mail_url: Option<String>,
    /// The address mail comes from: "Hearth <hearth@example.org>".
    #[arg(long, env = "HEARTH_MAIL_FROM", global = true, value_name = "ADDRESS")]
    pub mail_from: Option<String>,
    /// Trust the X-Forwarded-For header (only behind a reverse proxy you run).
    #[arg(long, env = "HEARTH_TRUST_FORWARDED_FOR", global = true)]
    pub trust_forwarded_for: Option<bool>,
    /// The UDP address live sessions' audio and video use (open it in the
    /// firewall) [default: the bind address's IP, any free port].
    #[arg(long, env = "HEARTH_MEDIA_UDP", global = true, value_name = "ADDRESS")]
    pub media_udp: Option<SocketAddr>,
    /// The TCP address for media from networks that block UDP (ICE over
    /// TCP) [default: the bind address's IP, any free port].
    #[arg(long, env = "HEARTH_MEDIA_TCP", global = true, value_name = "ADDRESS")]
    pub media_tcp: Option<SocketAddr>,
    /// The IP address browsers reach the media ports at, when it is not
    /// the bound one (behind NAT, or bound to 0.0.0.0).
    #[arg(long, env = "HEARTH_MEDIA_PUBLIC_IP", global = true, value_name = "IP")]
    pub media_public_ip: Option<std::net::IpAddr>,
}

/// The TOML file: the same keys as the flags, plus tuning sections.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(flatten)]
    overrides: Overrides,
    #[serde(default)]
    limits: Option<Limits>,
    /// TURN (or STUN) servers given to browsers in live sessions.
    #[serde(default)]
    ice_servers: Vec<crate::media::IceServer>,
}

/// Abuse and resource limits. Defaults suit a public community.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Failed logins allowed per handle from one address in
    /// `login_window_secs` (ten times as many from everywhere, which an
    /// address that has logged in to the account before skips).
    pub login_failures_per_handle: u32,
    /// Login attempts allowed per client in `login_window_secs`.
    pub login_attempts_per_client: u32,
    pub login_window_secs: u64,
    /// Registrations allowed per client per hour.
    pub registrations_per_client_per_hour: u32,
    /// Password hashes computed at once; the rest wait, so logins cannot starve the server.
    pub concurrent_password_hashes: usize,
    /// Sessions end after this long without use.
    pub session_idle_minutes: u64,
    /// Sessions end this long after log-in, used or not.
    pub session_absolute_hours: u64,
    /// Chat messages (and edits and deletions) a member may send at once…
    pub chat_burst: u32,
    /// …and how many a second after that.
    pub chat_per_second: f64,
    /// Writes (every POST, PUT, PATCH or DELETE, pages and API) a member
    /// may make a minute; staff are exempt.
    pub writes_per_account_per_minute: u32,
    /// Writes a client address may make a minute, signed in or not (a
    /// household or clinic may share one).
    pub writes_per_client_per_minute: u32,
    /// Accounts younger than this, with no post approved by a reviewer yet,
    /// are newcomers: they wait `newcomer_post_interval_secs` between
    /// posts (0 turns the wait off). Never for writing that asks for help.
    pub newcomer_days: u32,
    pub newcomer_post_interval_secs: u32,
    /// Audit rows are kept this many days, then purged (0 keeps them).
    pub audit_retention_days: u32,
    /// A request's head must arrive within this long of the connection
    /// opening or of the previous response; idle keep-alive connections
    /// close after it too.
    pub header_read_secs: u64,
    /// A request's body must arrive whole within this long.
    pub request_secs: u64,
    /// Connections open at once (fewer where the process may not open as
    /// many files).
    pub max_connections: usize,
    /// Connections open at once from one address (an IPv6 /64 is one
    /// address); 0 for no limit. Not applied behind a reverse proxy
    /// (`trust_forwarded_for`), where the proxy is the only peer: limit
    /// each address there.
    pub connections_per_address: usize,
    /// A WebSocket that answers nothing, not even a ping, for this long is
    /// closed (pings go out every third of it).
    pub websocket_idle_secs: u64,
    /// A message the mail server would not take now is tried again after
    /// this long, then twice as long each time (at most an hour).
    pub mail_retry_secs: u64,
    /// How often each node looks for live-session reminders to send.
    pub reminder_check_secs: u64,
    /// Moderators and admins act only from a session that proved a second
    /// factor (an authenticator app); until then they have a member's
    /// powers. Turn off only where staff cannot use one.
    pub staff_second_factor: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 256 * 1024,
            login_failures_per_handle: 10,
            login_attempts_per_client: 30,
            login_window_secs: 15 * 60,
            registrations_per_client_per_hour: 20,
            concurrent_password_hashes: 1,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            chat_burst: 10,
            chat_per_second: 2.0,
            writes_per_account_per_minute: 60,
            writes_per_client_per_minute: 600,
            newcomer_days: 3,
            newcomer_post_interval_secs: 30,
            audit_retention_days: 365,
            header_read_secs: 10,
            request_secs: 60,
            max_connections: 10_000,
            connections_per_address: 256,
            websocket_idle_secs: 90,
            mail_retry_secs: 30,
            reminder_check_secs: 60,
            staff_second_factor: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Fully resolved settings.
#[derive(Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub public_url: String,
    /// `nats://…`, or none for a single node.
    pub bus: Option<String>,
    pub crisis_resources: Option<PathBuf>,
    pub default_language: String,
    pub log_format: LogFormat,
    pub quick_exit_url: String,
    pub trust_forwarded_for: bool,
    /// Where metrics are served, if anywhere.
    pub metrics_bind: Option<SocketAddr>,
    /// Outgoing mail's SMTP server and sender, if mail is on.
    pub mail_url: Option<String>,
    pub mail_from: Option<String>,
    /// Live sessions' media engine: its sockets and TURN servers.
    pub media: crate::media::sfu::SfuConfig,
    pub limits: Limits,
}

pub const DEFAULT_QUICK_EXIT_URL: &str = "https://www.google.com/search?q=weather";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is not valid: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

impl Settings {
    /// Resolves settings from the parsed command line (flags and environment)
    /// and the optional TOML file it names.
    pub fn resolve(cli_config: Option<&Path>, flags: Overrides) -> Result<Self, ConfigError> {
        let file = match cli_config {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                toml::from_str::<FileConfig>(&text).map_err(|source| ConfigError::Parse {
                    path: path.to_owned(),
                    source,
                })?
            }
            None => FileConfig::default(),
        };
        let f = file.overrides;
        let bind = flags
            .bind
            .or(f.bind)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
        let data_dir = flags
            .data_dir
            .or(f.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        let database_url = flags.database_url.or(f.database_url).unwrap_or_else(|| {
            format!("sqlite://{}?mode=rwc", data_dir.join("hearth.db").display())
        });
        let public_url = flags
            .public_url
            .or(f.public_url)
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Invalid(
                "public-url must start with http:// or https://".into(),
            ));
        }
        let metrics_bind = flags.metrics_bind.or(f.metrics_bind);
        if metrics_bind.is_some_and(|m| m == bind && m.port() != 0) {
            return Err(ConfigError::Invalid(
                "metrics-bind must be another address than bind: metrics are never served on the public address".into(),
            ));
        }
        let bus = flags.bus.or(f.bus).filter(|b| !b.trim().is_empty());
        if bus.as_deref().is_some_and(|b| !b.starts_with("nats://")) {
            return Err(ConfigError::Invalid("bus must be a nats:// address".into()));
        }
        let default_language = flags
            .default_language
            .or(f.default_language)
            .unwrap_or_else(|| "en".into());
        if crate::web::i18n::Lang::from_code(&default_language).is_none() {
            return Err(ConfigError::Invalid(format!(
                "default-language must be one of: {}",
                crate::web::i18n::Lang::ALL.map(|l| l.code()).join(", ")
            )));
        }
        let log_format = match flags.log_format.or(f.log_format).as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::Invalid(format!(
                    "log-format must be text or json, not {other:?}"
                )));
            }
        };
        let quick_exit_url = flags
            .quick_exit_url
            .or(f.quick_exit_url)
            .unwrap_or_else(|| DEFAULT_QUICK_EXIT_URL.into());
        if !quick_exit_url.starts_with("https://") && !quick_exit_url.starts_with("http://") {
            return Err(ConfigError::Invalid(
                "quick-exit-url must be an http(s) address".into(),
            ));
        }
        Ok(Self {
            bind,
            data_dir,
            database_url,
            public_url,
            bus,
            crisis_resources: flags.crisis_resources.or(f.crisis_resources),
            default_language,
            log_format,
            quick_exit_url,
            trust_forwarded_for: flags
                .trust_forwarded_for
                .or(f.trust_forwarded_for)
                .unwrap_or(false),
            metrics_bind,
            mail_url: flags
                .mail_url
                .or(f.mail_url)
                .filter(|u| !u.trim().is_empty()),
            mail_from: flags
                .mail_from
                .or(f.mail_from)
                .filter(|u| !u.trim().is_empty()),
            media: crate::media::sfu::SfuConfig {
                udp: flags
                    .media_udp
                    .or(f.media_udp)
                    .unwrap_or_else(|| SocketAddr::new(bind.ip(), 0)),
                tcp: Some(
                    flags
                        .media_tcp
                        .or(f.media_tcp)
                        .unwrap_or_else(|| SocketAddr::new(bind.ip(), 0)),
                ),
                public_ip: flags.media_public_ip.or(f.media_public_ip),
                ice_servers: file.ice_servers,
            },
            limits: file.limits.unwrap_or_default(),
        })
    }

    /// Settings for a server in `data_dir` with every other value at its default.
    pub fn for_data_dir(data_dir: &Path) -> Self {
        let overrides = Overrides {
            data_dir: Some(data_dir.to_owned()),
            ..Overrides::default()
        };
        // Defaults with only a data dir are always valid.
        match Self::resolve(None, overrides) {
            Ok(s) => s,
            Err(e) => unreachable!("default settings are valid: {e}"),
        }
    }

    /// Cookies get `Secure` (and the `__Host-` prefix) when people reach us over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// Settings print without secrets: the database password is redacted.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("public_url", &self.public_url)
            .field("bus", &self.bus.as_deref().map(redact_url))
            .field("crisis_resources", &self.crisis_resources)
            .field("default_language", &self.default_language)
            .field("log_format", &self.log_format)
            .field("metrics_bind", &self.metrics_bind)
            .field("mail_url", &self.mail_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:[redacted]@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:[redacted]@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hearth.toml");
        std::fs::write(
            &path,
            "bind = \"127.0.0.1:9000\"\npublic_url = \"https://file.example\"\n[limits]\nsession_idle_minutes = 5\n",
        )
        .unwrap();
        let flags = Overrides {
            public_url: Some("https://flag.example/".into()),
            ..Overrides::default()
        };
        let s = Settings::resolve(Some(&path), flags).unwrap();
        assert_eq!(s.bind.port(), 9000);
        assert_eq!(s.public_url, "https://flag.example");
        assert_eq!(s.limits.session_idle_minutes, 5);
        assert!(s.secure_cookies());
    }

    #[test]
    fn an_unknown_key_in_the_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hearth.toml");
        std::fs::write(&path, "bnid = \"127.0.0.1:9000\"\n").unwrap();
        assert!(Settings::resolve(Some(&path), Overrides::default()).is_err());
    }

    #[test]
    fn the_database_password_is_redacted_when_printed() {
        assert_eq!(
            redact_url("postgres://hearth:s3cret@db:5432/hearth"),
            "postgres://hearth:[redacted]@db:5432/hearth"
        );
    }
}
