//! Hearth: online mental-health support groups.
//!
//! `router(state)` builds the whole site; `serve(listener, state, shutdown)`
//! runs it. Tests bind port 0 and call `serve` directly.

pub mod accounts;
pub mod admin;
pub mod api;
pub mod backup;
pub mod bus;
pub mod config;
pub mod crypto;
pub mod db;
pub mod dev;
pub mod export;
pub mod forum;
pub mod fresh;
pub mod groups;
pub mod help;
pub mod home;
pub mod keys;
pub mod live;
pub mod mail;
pub mod media;
pub mod meetings;
pub mod metrics;
pub mod moderation;
pub mod notifications;
pub mod ops;
pub mod safety;
pub mod secret;
pub mod site;
#[cfg(feature = "test-hooks")]
pub mod test_hooks;
pub mod text;
pub mod web;
pub mod wellness;

use std::future::Future;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;

use crate::accounts::password::PasswordHasher;
use crate::config::Settings;
use crate::crypto::DataKey;
use crate::db::Db;
use crate::help::CrisisResources;
use crate::secret::Secret;
use crate::web::i18n::Lang;
use crate::web::middleware;
use crate::web::ratelimit::RateLimiter;

/// Everything a request handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub settings: Settings,
    pub db: Db,
    pub secret: Secret,
    /// The site key: seals the site's private values at rest (see `keys`).
    pub data_key: DataKey,
    /// The data key, which wraps the site key and each member's own key.
    pub keys: keys::Keys,
    pub hasher: PasswordHasher,
    pub crisis: CrisisResources,
    /// Reads risk in what members write (see `safety`).
    pub detector: crisis::Detector,
    pub limits: Limiters,
    /// `scheme://host[:port]` of the public URL, for Origin checks.
    pub public_origin: String,
    pub openapi: String,
    /// Thread pages as last read (checked against each thread's revision).
    pub thread_pages: forum::cache::PageCache,
    pub thread_lists: forum::cache::ListCache,
    pub terms: groups::service::TermCache,
    /// This node's copy of the word filters.
    pub filters: safety::filters::FilterCache,
    /// The site's name and registration policy, kept a few seconds.
    pub site: site::SiteCache,
    /// This node's chat fan-out.
    pub live: live::hub::Hub,
    /// This node's live-session rooms and their media engine.
    pub rooms: meetings::room::Rooms,
    /// Events for this node's listeners and, with `--bus`, every other
    /// node's.
    pub bus: bus::Bus,
    /// Outgoing mail, when `--mail-url` is set.
    pub mail: mail::Mailer,
    /// Passkeys' relying party, where the public address allows them.
    pub webauthn: Option<webauthn_rs::prelude::Webauthn>,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

pub struct Limiters {
    pub login_client: RateLimiter,
    /// Failed logins per handle from one address.
    pub login_handle: RateLimiter,
    /// Failed logins per handle from everywhere (ten times the above),
    /// which addresses that have logged in to the account before skip.
    pub login_handle_total: RateLimiter,
    /// (handle, address) pairs that have logged in: the real owner's.
    pub login_known: crate::web::ratelimit::KnownClients,
    pub register_client: RateLimiter,
    pub writes_account: RateLimiter,
    pub writes_client: RateLimiter,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error(transparent)]
    Secret(#[from] secret::SecretError),
    #[error(transparent)]
    Keys(#[from] keys::KeyError),
    #[error("cannot connect to the database ({0}): {1}")]
    Database(String, sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Resources(#[from] help::ResourcesError),
    #[error("cannot set up password hashing: {0}")]
    Hasher(#[from] accounts::password::HashError),
    #[error("the shipped taxonomy is not valid: {0}")]
    Taxonomy(#[from] toml::de::Error),
    #[error("cannot connect to the bus ({0}): {1}")]
    Bus(String, String),
    #[error("cannot build the API description: {0}")]
    OpenApi(#[from] serde_json::Error),
    #[error(transparent)]
    Mail(#[from] mail::MailSetupError),
    #[error("the crisis detector does not load: {0}")]
    CrisisRules(#[from] crisis::LoadError),
}

impl AppState {
    /// Opens the data dir, secret, database (migrating it) and resources.
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        secret::private_dir(&settings.data_dir)
            .map_err(|e| StartError::DataDir(settings.data_dir.display().to_string(), e))?;
        let secret = Secret::load_or_create(&settings.data_dir)?;
        let db = Db::connect(&settings.database_url)
            .await
            .map_err(|e| StartError::Database(config::redact_url(&settings.database_url), e))?;
        db.migrate().await?;
        groups::store::seed_taxonomy(&db, &groups::model::Taxonomy::shipped()?)
            .await
            .map_err(|e| StartError::Database(config::redact_url(&settings.database_url), e))?;
        let (keys, data_key) = keys::open(&settings.data_dir, &db).await?;
        let bus_url = settings.bus.clone();
        let state = Self::with_parts(settings, db, secret, keys, data_key)?;
        if let Some(url) = bus_url {
            bus::connect(&state, &url)
                .await
                .map_err(|e| StartError::Bus(config::redact_url(&url), e.to_string()))?;
        }
        Ok(state)
    }

    /// Assembles state from an open, migrated database.
    pub fn with_parts(
        settings: Settings,
        db: Db,
        secret: Secret,
        keys: keys::Keys,
        data_key: DataKey,
    ) -> Result<Self, StartError> {
        let crisis = CrisisResources::load(settings.crisis_resources.as_deref())?;
        let detector = crisis::Detector::shipped()?;
        let l = &settings.limits;
        let limits = Limiters {
            login_client: RateLimiter::new(l.login_attempts_per_client, l.login_window_secs),
            login_handle: RateLimiter::new(l.login_failures_per_handle, l.login_window_secs),
            login_handle_total: RateLimiter::new(
                l.login_failures_per_handle.saturating_mul(10),
                l.login_window_secs,
            ),
            login_known: crate::web::ratelimit::KnownClients::default(),
            register_client: RateLimiter::new(l.registrations_per_client_per_hour, 3600),
            writes_account: RateLimiter::new(l.writes_per_account_per_minute, 60),
            writes_client: RateLimiter::new(l.writes_per_client_per_minute, 60),
        };
        let hasher = PasswordHasher::new(l.concurrent_password_hashes)?;
        let public_origin = origin_of(&settings.public_url);
        let openapi = serde_json::to_string_pretty(&api::router().1)?;
        let mail = mail::Mailer::new(settings.mail_url.as_deref(), settings.mail_from.as_deref())?;
        let webauthn = accounts::passkeys::relying_party(&settings.public_url);
        let rooms = meetings::room::Rooms::new(settings.media.clone());
        let state = Self(Arc::new(Inner {
            settings,
            db,
            secret,
            data_key,
            keys,
            hasher,
            crisis,
            detector,
            limits,
            public_origin,
            openapi,
            thread_pages: forum::cache::page_cache(),
            thread_lists: forum::cache::list_cache(),
            terms: groups::service::TermCache::new(groups::service::TERMS_FRESH_FOR),
            filters: safety::filters::FilterCache::new(safety::filters::FILTERS_FRESH_FOR),
            site: site::SiteCache::new(site::SITE_FRESH_FOR),
            live: live::hub::Hub::default(),
            rooms,
            bus: bus::Bus::default(),
            mail,
            webauthn,
        }));
        // Chat's hub hears every event, this node's and the others'.
        state.bus.listen(live::bus::hear);
        Ok(state)
    }

    pub fn default_lang(&self) -> Lang {
        Lang::from_code(&self.settings.default_language).unwrap_or(Lang::En)
    }
}

fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
            format!("{scheme}://{host}")
        }
        None => url.to_owned(),
    }
}

/// The whole site.
pub fn router(state: AppState) -> Router {
    let (api, _) = api::router();
    let max_body = state.settings.limits.max_body_bytes;
    // Pages and API: these see the session, language and CSRF machinery.
    let app = Router::new()
        .merge(home::router())
        .merge(accounts::pages::router())
        .merge(accounts::reset::router())
        .merge(accounts::factor_pages::router())
        .merge(help::routes::router())
        .merge(groups::pages::router())
        .merge(forum::pages::router())
        .merge(meetings::pages::router())
        .merge(wellness::pages::router())
        .merge(wellness::track_pages::router())
        .merge(wellness::self_care::router())
        .merge(wellness::goal_pages::router())
        .merge(export::router())
        .merge(meetings::feed::router())
        .merge(notifications::pages::router())
        .merge(live::ws::router())
        .merge(live::pages::router())
        .merge(safety::pages::router())
        .merge(moderation::pages::router())
        .merge(moderation::dynamics::router())
        .merge(moderation::blocks::router())
        .merge(moderation::review_pages::router())
        .merge(admin::pages::router())
        .merge(api)
        .fallback(middleware::not_found)
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::write_throttle,
        ))
        .layer(from_fn_with_state(state.clone(), middleware::keep_writing))
        .layer(from_fn_with_state(state.clone(), middleware::csrf_guard))
        .layer(from_fn_with_state(state.clone(), middleware::read_in_time))
        .layer(from_fn_with_state(state.clone(), middleware::render_errors))
        .layer(from_fn_with_state(state.clone(), middleware::context));
    Router::new()
        .merge(ops::router())
        .merge(web::assets::router())
        .merge(app)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        // Pages, JSON and assets go compressed (brotli or gzip) to those who
        // ask: a thread of 100 replies is a fraction of its size on a slow
        // link. Pages carry their CSRF token masked afresh each time, so
        // compression cannot be used to guess it (BREACH).
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(from_fn(middleware::request_id_and_log))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes in-flight requests.
/// Connections are limited as `web::server` says.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let housekeeping = tokio::spawn(housekeeping(state.clone()));
    let mail_worker = tokio::spawn(mail::worker(state.clone()));
    let reminders = tokio::spawn(meetings::reminders::worker(state.clone()));
    let limits = &state.settings.limits;
    let gate = web::server::Gate::new(web::server::ConnectionLimits {
        header_read: Duration::from_secs(limits.header_read_secs.max(1)),
        total: web::server::total_limit(limits.max_connections.max(1)),
        // Behind a reverse proxy every connection comes from the proxy.
        per_address: if state.settings.trust_forwarded_for {
            0
        } else {
            limits.connections_per_address
        },
    });
    let app = router(state);
    let result = web::server::run(listener, app, gate, shutdown).await;
    housekeeping.abort();
    mail_worker.abort();
    reminders.abort();
    result
}

/// Forgets what must not be kept: ended sessions, finished rate-limit windows.
async fn housekeeping(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    loop {
        tick.tick().await;
        let now = db::now_ms();
        match accounts::store::purge_sessions(&state.db, now, accounts::sessions::idle_ms(&state))
            .await
        {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "purged ended sessions"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "session purge failed"),
        }
        state.limits.login_client.purge(now);
        state.limits.login_handle.purge(now);
        state.limits.login_handle_total.purge(now);
        state.limits.register_client.purge(now);
        let days = state.settings.limits.audit_retention_days;
        if days > 0 {
            match safety::audit::purge(&state.db, now - i64::from(days) * 86_400_000).await {
                Ok(n) if n > 0 => tracing::info!(rows = n, "purged audit rows past retention"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "audit purge failed"),
            }
        }
        if let Err(e) = accounts::passkeys::purge_spent(&state.db, now).await {
            tracing::warn!(error = %e, "passkey challenge purge failed");
        }
        state.limits.writes_account.purge(now);
        state.limits.writes_client.purge(now);
    }
}
