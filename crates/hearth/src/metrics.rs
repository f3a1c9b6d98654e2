//! Prometheus metrics, served on their own address (`--metrics-bind`),
//! never on the public one.
//!
//! Labels stay few and general: a request is counted by its route's
//! template (`/groups/{slug}`), method and status, never by who made it or
//! which group it was about, so a small community's metrics reveal nobody's
//! habits. Figures that live in the database (open crisis alerts, the pool)
//! are read when Prometheus scrapes.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

use crate::AppState;
use crate::db::Db;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

fn latency_buckets() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// Every metric Hearth keeps: one set per process.
pub struct Metrics {
    /// Whether this process serves metrics; requests are labelled and
    /// counted only then (the other figures are single atomic counters).
    serving: AtomicBool,
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: Family<RouteLabels, Histogram, fn() -> Histogram>,
    websockets_open: Gauge,
    chat_events: Counter,
    chat_deliveries: Counter,
    chat_overflows: Counter,
    alerts_open: Gauge,
    alert_ack_seconds: Histogram,
    db_connections: Family<PoolLabels, Gauge>,
    statement_seconds: Histogram,
    password_hashes_waiting: Gauge,
    mail_queued: Gauge,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// The process's metrics.
pub fn global() -> &'static Metrics {
    &METRICS
}

impl Metrics {
    fn new() -> Self {
        let mut registry = Registry::with_prefix("hearth");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route template, method and status",
            requests.clone(),
        );
        let request_seconds =
            Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
                latency_buckets,
            );
        registry.register_with_unit(
            "http_request_duration",
            "Time to answer an HTTP request, by route template",
            Unit::Seconds,
            request_seconds.clone(),
        );
        let websockets_open = Gauge::default();
        registry.register(
            "websockets_open",
            "Live (chat) WebSocket connections open on this node",
            websockets_open.clone(),
        );
        let chat_events = Counter::default();
        registry.register(
            "chat_events",
            "Stored chat events (messages, edits, deletions) offered to this node's listeners",
            chat_events.clone(),
        );
        let chat_deliveries = Counter::default();
        registry.register(
            "chat_deliveries",
            "Chat events queued for a listener on this node",
            chat_deliveries.clone(),
        );
        let chat_overflows = Counter::default();
        registry.register(
            "chat_queue_overflows",
            "Listeners dropped because their queue was full (they reconnect and catch up)",
            chat_overflows.clone(),
        );
        let alerts_open = Gauge::default();
        registry.register(
            "crisis_alerts_open",
            "Crisis alerts no moderator has acknowledged yet",
            alerts_open.clone(),
        );
        let alert_ack_seconds = Histogram::new(exponential_buckets(15.0, 2.0, 12));
        registry.register_with_unit(
            "crisis_alert_acknowledge",
            "Time from a crisis alert being raised to a moderator acknowledging it",
            Unit::Seconds,
            alert_ack_seconds.clone(),
        );
        let db_connections = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "Database pool connections, idle or in use",
            db_connections.clone(),
        );
        let statement_seconds = Histogram::new(exponential_buckets(0.0001, 2.0, 16));
        registry.register_with_unit(
            "db_statement_duration",
            "Time to run one database statement",
            Unit::Seconds,
            statement_seconds.clone(),
        );
        let password_hashes_waiting = Gauge::default();
        registry.register(
            "password_hashes_waiting",
            "Password hashes (log-ins, registrations) waiting for the hashing thread",
            password_hashes_waiting.clone(),
        );
        let mail_queued = Gauge::default();
        registry.register(
            "mail_queued",
            "E-mails waiting in the outgoing queue",
            mail_queued.clone(),
        );
        Self {
            serving: AtomicBool::new(false),
            registry,
            requests,
            request_seconds,
            websockets_open,
            chat_events,
            chat_deliveries,
            chat_overflows,
            alerts_open,
            alert_ack_seconds,
            db_connections,
            statement_seconds,
            password_hashes_waiting,
            mail_queued,
        }
    }

    /// From now on this process serves its metrics (`--metrics-bind`).
    pub fn start_serving(&self) {
        self.serving.store(true, Ordering::Relaxed);
    }

    /// Whether requests are being counted.
    pub fn serving(&self) -> bool {
        self.serving.load(Ordering::Relaxed)
    }

    /// One answered request; `route` is the matched template, or none for
    /// a path no route matched. Nothing is kept unless metrics are served.
    pub fn request(&self, route: Option<&str>, method: &str, status: u16, took: Duration) {
        if !self.serving() {
            return;
        }
        let route = route.unwrap_or("unmatched").to_owned();
        self.requests
            .get_or_create(&RequestLabels {
                route: route.clone(),
                method: method.to_owned(),
                status,
            })
            .inc();
        self.request_seconds
            .get_or_create(&RouteLabels { route })
            .observe(took.as_secs_f64());
    }

    /// A WebSocket opened; it is counted closed when the guard drops.
    pub fn websocket_opened(&self) -> WebSocketGuard {
        self.websockets_open.inc();
        WebSocketGuard
    }

    /// A stored chat event offered to `delivered` listeners, `overflowed`
    /// of them dropped for a full queue.
    pub fn chat_event(&self, delivered: u64, overflowed: u64) {
        self.chat_events.inc();
        self.chat_deliveries.inc_by(delivered);
        self.chat_overflows.inc_by(overflowed);
    }

    /// A crisis alert acknowledged `waited_ms` after it was raised.
    pub fn alert_acknowledged(&self, waited_ms: i64) {
        self.alert_ack_seconds
            .observe(waited_ms.max(0) as f64 / 1000.0);
    }

    /// A password hash starts waiting (and stops, when the guard drops).
    pub fn password_hash_waiting(&self) -> HashWaitGuard {
        self.password_hashes_waiting.inc();
        HashWaitGuard
    }

    /// One database statement took `seconds`.
    pub fn statement(&self, seconds: f64) {
        self.statement_seconds.observe(seconds);
    }

    /// The text exposition, with the figures read from the database now.
    pub async fn render(&self, db: &Db) -> String {
        let (size, idle) = db.pool_size();
        self.db_connections
            .get_or_create(&PoolLabels { state: "idle" })
            .set(i64::from(idle));
        self.db_connections
            .get_or_create(&PoolLabels { state: "in_use" })
            .set(i64::from(size.saturating_sub(idle)));
        match tokio::time::timeout(Duration::from_secs(2), open_alerts(db)).await {
            Ok(Ok(n)) => {
                self.alerts_open.set(n);
            }
            Ok(Err(e)) => tracing::warn!(error = %e, "metrics: counting open alerts failed"),
            Err(_) => tracing::warn!("metrics: counting open alerts timed out"),
        }
        if let Ok(Ok(n)) =
            tokio::time::timeout(Duration::from_secs(2), crate::mail::store::queued(db)).await
        {
            self.mail_queued.set(n);
        }
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            tracing::warn!("metrics: encoding failed");
        }
        out
    }
}

async fn open_alerts(db: &Db) -> Result<i64, sqlx::Error> {
    crate::on_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM crisis_alerts WHERE status = 'open'")
            .fetch_one(pool)
            .await
    })
}

/// Counts a WebSocket closed when dropped.
pub struct WebSocketGuard;

impl Drop for WebSocketGuard {
    fn drop(&mut self) {
        global().websockets_open.dec();
    }
}

/// Counts a password hash no longer waiting when dropped.
pub struct HashWaitGuard;

impl Drop for HashWaitGuard {
    fn drop(&mut self) {
        global().password_hashes_waiting.dec();
    }
}

/// The metrics address's only route: `GET /metrics`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(state)
}

async fn scrape(State(state): State<AppState>) -> Response {
    let body = global().render(&state.db).await;
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

/// A tracing layer that times database statements from sqlx's own
/// per-statement events (`sqlx::query`, which carry `elapsed_secs`);
/// installed only when metrics are served, with a filter that lets those
/// events through to it alone.
pub struct StatementTimer;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for StatementTimer {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        struct Elapsed(Option<f64>);
        impl tracing::field::Visit for Elapsed {
            fn record_f64(&mut self, field: &tracing::field::Field, value: f64) {
                if field.name() == "elapsed_secs" {
                    self.0 = Some(value);
                }
            }
            fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
        }
        let mut elapsed = Elapsed(None);
        event.record(&mut elapsed);
        if let Some(seconds) = elapsed.0 {
            global().statement(seconds);
        }
    }
}
