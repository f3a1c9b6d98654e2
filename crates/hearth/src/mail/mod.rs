//! Outgoing e-mail: a queue in the database and a worker that sends it over
//! SMTP (`lettre`, rustls), retrying with backoff.
//!
//! A feature that mails someone calls [`enqueue`]: the message is sealed
//! with the data key and stored, and the worker is woken. The worker (one
//! per node; nodes claim a message before sending it, so only one sends
//! it) delivers what is due, deletes what the server took, and retries what
//! failed for a passing reason after 1×, 2×, 4×… `mail_retry_secs`, up to
//! [`MAX_ATTEMPTS`] times; a permanent refusal (an unknown mailbox, say)
//! is given up at once. Nothing about a message reaches the logs but its
//! number.
//!
//! Mail is off unless `--mail-url` names an SMTP server; features that
//! would mail say so instead.

pub mod store;

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Notify;

use crate::AppState;
use crate::db::now_ms;

/// Tries before a message is given up on.
pub const MAX_ATTEMPTS: i64 = 8;
/// The longest wait between tries.
const MAX_BACKOFF_MS: i64 = 3600 * 1000;
/// How long a node may hold a claimed message before another may try it.
const CLAIM_MS: i64 = 5 * 60 * 1000;

/// The SMTP connection settings, when mail is on, and the worker's bell.
pub struct Mailer {
    transport: Option<(AsyncSmtpTransport<Tokio1Executor>, Mailbox)>,
    wake: Notify,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("enabled", &self.transport.is_some())
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    #[error("mail-url is not a valid SMTP URL (smtp://… or smtps://…): {0}")]
    Url(String),
    #[error("mail-from is not a valid address (Name <address@example.org>): {0}")]
    From(String),
    #[error("mail-url needs mail-from too: the address mail comes from")]
    NoFrom,
}

impl Mailer {
    /// From the settings: off without a mail URL.
    pub fn new(url: Option<&str>, from: Option<&str>) -> Result<Self, MailSetupError> {
        let transport = match url {
            None => None,
            Some(url) => {
                let from = from
                    .ok_or(MailSetupError::NoFrom)?
                    .parse::<Mailbox>()
                    .map_err(|e| MailSetupError::From(e.to_string()))?;
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailSetupError::Url(e.to_string()))?
                    .timeout(Some(Duration::from_secs(30)))
                    .build();
                Some((transport, from))
            }
        };
        Ok(Self {
            transport,
            wake: Notify::new(),
        })
    }

    /// Whether this server sends mail.
    pub fn enabled(&self) -> bool {
        self.transport.is_some()
    }
}

/// One message, as the queue keeps it (sealed).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Queues a message and wakes the worker. Errors if mail is off.
pub async fn enqueue(state: &AppState, message: &Outgoing) -> Result<i64, crate::web::AppError> {
    if !state.mail.enabled() {
        return Err(crate::web::AppError::internal("mail is not configured"));
    }
    let id = store::insert(state, message, now_ms()).await?;
    state.mail.wake.notify_one();
    Ok(id)
}

/// What became of one attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Attempt {
    Sent,
    /// Will be tried again at this time (epoch ms).
    Retry(i64, String),
    GaveUp(String),
    /// Another node holds it, or it was already sent.
    NotMine,
}

fn backoff_ms(state: &AppState, attempts: i64) -> i64 {
    let base = i64::try_from(state.settings.limits.mail_retry_secs)
        .unwrap_or(30)
        .saturating_mul(1000);
    let factor = 1i64 << attempts.clamp(0, 20);
    base.saturating_mul(factor).min(MAX_BACKOFF_MS)
}

/// Claims and tries one queued message.
pub async fn attempt(state: &AppState, row: &store::Queued) -> Result<Attempt, sqlx::Error> {
    let Some((transport, from)) = &state.mail.transport else {
        return Ok(Attempt::NotMine);
    };
    let now = now_ms();
    if !store::claim(&state.db, row, now, now + CLAIM_MS).await? {
        return Ok(Attempt::NotMine);
    }
    let outcome = match store::open(state, row) {
        None => Err((
            true,
            "the message does not open with the data key".to_owned(),
        )),
        Some(m) => match build(from, &m) {
            Err(e) => Err((true, e)),
            Ok(message) => match transport.send(message).await {
                Ok(_) => Ok(()),
                Err(e) => Err((e.is_permanent(), smtp_error(&e))),
            },
        },
    };
    let attempts = row.attempts + 1;
    match outcome {
        Ok(()) => {
            store::sent(&state.db, row.id).await?;
            tracing::info!(mail.id = row.id, attempts, "mail sent");
            Ok(Attempt::Sent)
        }
        Err((permanent, error)) if permanent || attempts >= MAX_ATTEMPTS => {
            store::give_up(&state.db, row.id, attempts, &error, now_ms()).await?;
            tracing::warn!(mail.id = row.id, attempts, error = %error, "mail given up");
            Ok(Attempt::GaveUp(error))
        }
        Err((_, error)) => {
            let next = now_ms() + backoff_ms(state, row.attempts);
            store::retry_at(&state.db, row.id, attempts, &error, next).await?;
            tracing::warn!(mail.id = row.id, attempts, error = %error, "mail not sent; will retry");
            Ok(Attempt::Retry(next, error))
        }
    }
}

/// The SMTP server's answer, without the addresses lettre may quote.
fn smtp_error(e: &lettre::transport::smtp::Error) -> String {
    match e.status() {
        Some(code) => format!("the mail server answered {code}"),
        None if e.is_timeout() => "the mail server did not answer in time".into(),
        None => "cannot reach the mail server".into(),
    }
}

fn build(from: &Mailbox, m: &Outgoing) -> Result<Message, String> {
    let to: Mailbox =
        m.to.parse()
            .map_err(|_| "the recipient's address is not valid".to_owned())?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(m.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(m.body.clone())
        .map_err(|e| format!("the message cannot be built: {e}"))
}

/// Sends what is due, until nothing is.
pub async fn deliver_due(state: &AppState) -> Result<usize, sqlx::Error> {
    let mut sent = 0;
    loop {
        let due = store::due(&state.db, now_ms(), 20).await?;
        if due.is_empty() {
            break;
        }
        for row in &due {
            if attempt(state, row).await? == Attempt::Sent {
                sent += 1;
            }
        }
    }
    Ok(sent)
}

/// The worker: wakes when a message is queued, and every 15 seconds for
/// retries and for messages other nodes queued.
pub async fn worker(state: AppState) {
    if !state.mail.enabled() {
        return;
    }
    let tick = Duration::from_secs(state.settings.limits.mail_retry_secs.clamp(1, 15));
    loop {
        if let Err(e) = deliver_due(&state).await {
            tracing::warn!(error = %e, "the mail queue could not be read");
        }
        tokio::select! {
            () = state.mail.wake.notified() => {}
            () = tokio::time::sleep(tick) => {}
        }
    }
}
