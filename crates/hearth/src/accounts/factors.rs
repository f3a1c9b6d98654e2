//! A second factor: an authenticator app (TOTP, RFC 6238) with recovery
//! codes. Optional for members; moderators and admins act only from a
//! session that proved one (`limits.staff_second_factor`, on by default):
//! until then their session has a member's powers, and the pages tell them
//! how to set one up.
//!
//! Logging in with a second factor is two steps: the password, then (within
//! five minutes, named by a signed cookie and no session yet) a code from
//! the app or a recovery code. A code works once; failures are throttled
//! like passwords.

use subtle::ConstantTimeEq;
use totp_rs::{Builder, Totp};

use super::service;
use crate::AppState;
use crate::db::{Db, Tx, now_ms};
use crate::safety::audit::{self, Action, ObjectKind};
use crate::secret::{hex, random_bytes};
use crate::web::{AppError, CurrentUser};
use crate::{on_db, on_tx};

/// Recovery codes made at a time.
pub const RECOVERY_CODES: usize = 10;
/// How long the step between the password and the code may take.
pub const PENDING_MS: i64 = 5 * 60 * 1000;
const PURPOSE: &str = "accounts.totp";

// ---- store ----

async fn secret_row(
    db: &Db,
    account_id: i64,
) -> Result<Option<(Vec<u8>, Option<i64>)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as("SELECT sealed, confirmed_at FROM totp_secrets WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(pool)
            .await
    })
}

/// Whether the account logs in with a second factor.
pub async fn enabled(db: &Db, account_id: i64) -> Result<bool, sqlx::Error> {
    Ok(matches!(
        secret_row(db, account_id).await?,
        Some((_, Some(_)))
    ))
}

async fn codes_left(db: &Db, account_id: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(pool)
            .await
    })
}

/// Takes `step` for the account if no later or equal step was used: a code
/// works once.
async fn use_step(db: &Db, account_id: i64, step: i64) -> Result<bool, sqlx::Error> {
    let n = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE totp_secrets SET last_step = $1 \
             WHERE account_id = $2 AND confirmed_at IS NOT NULL AND last_step < $1",
        )
        .bind(step)
        .bind(account_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

async fn use_code(db: &Db, account_id: i64, hash: &[u8]) -> Result<bool, sqlx::Error> {
    let n = on_db!(db, |pool| {
        sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1 AND code_hash = $2")
            .bind(account_id)
            .bind(hash)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

async fn replace_codes_in(
    tx: &mut Tx<'_>,
    account_id: i64,
    hashes: &[[u8; 32]],
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM recovery_codes WHERE account_id = $1"
    )
    .bind(account_id)
    .execute(c)
    .await
    .map(|_| ()))?;
    for hash in hashes {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO recovery_codes (code_hash, account_id, created_at) VALUES ($1, $2, $3)"
        )
        .bind(hash.as_slice())
        .bind(account_id)
        .bind(now)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Marks a session as having proved a second factor (or not).
pub async fn mark_session(db: &Db, session_id: i64, proved: bool) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE sessions SET second_factor = $1 WHERE id = $2")
            .bind(proved)
            .bind(session_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

// ---- the app's secret ----

fn totp(state: &AppState, secret: Vec<u8>, handle: &str) -> Result<Totp, AppError> {
    // Neither part of the label may hold a colon; handles never do.
    let issuer = crate::site::name(state).replace(':', " ");
    Builder::new()
        .with_secret(secret)
        .with_account_name(handle.replace(':', " "))
        .with_issuer(Some(issuer))
        .build()
        .map_err(AppError::internal)
}

fn open_secret(state: &AppState, account_id: i64, sealed: &[u8]) -> Result<Vec<u8>, AppError> {
    state
        .data_key
        .open(PURPOSE, &account_id.to_be_bytes(), sealed)
        .map_err(AppError::internal)
}

/// What the set-up page shows while a new secret waits to be confirmed.
pub struct Setup {
    /// The secret in base32, to type into an app by hand.
    pub secret: String,
    /// `otpauth://…`, which the QR code holds.
    pub uri: String,
    /// The QR code, as SVG.
    pub qr_svg: String,
}

/// Starts setting up an app: a new secret, unconfirmed (replacing one not
/// yet confirmed). Refused while one is in use.
pub async fn begin(state: &AppState, user: &CurrentUser) -> Result<(), AppError> {
    let id = user.account.id;
    let secret: [u8; 20] = random_bytes().map_err(AppError::internal)?;
    let sealed = state
        .data_key
        .seal(PURPOSE, &id.to_be_bytes(), &secret)
        .map_err(AppError::internal)?;
    let n = on_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO totp_secrets (account_id, sealed, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id) DO UPDATE SET sealed = excluded.sealed, \
             created_at = excluded.created_at, last_step = 0 \
             WHERE totp_secrets.confirmed_at IS NULL",
        )
        .bind(id)
        .bind(&sealed)
        .bind(now_ms())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(AppError::BadRequest("error-second-factor-on"));
    }
    Ok(())
}

/// The secret waiting to be confirmed, if any.
pub async fn pending(state: &AppState, user: &CurrentUser) -> Result<Option<Setup>, AppError> {
    let Some((sealed, None)) = secret_row(&state.db, user.account.id).await? else {
        return Ok(None);
    };
    let totp = totp(
        state,
        open_secret(state, user.account.id, &sealed)?,
        &user.account.handle,
    )?;
    let uri = totp.to_url().map_err(AppError::internal)?;
    Ok(Some(Setup {
        secret: totp.secret().to_base32(),
        qr_svg: qr_svg(&uri)?,
        uri,
    }))
}

/// The QR code for `text` as an SVG drawing, dark on light with a quiet zone.
fn qr_svg(text: &str) -> Result<String, AppError> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).map_err(AppError::internal)?;
    let border = 4;
    let size = qr.size() + border * 2;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"220\" height=\"220\" role=\"img\" aria-labelledby=\"qr-title\" class=\"qr\"><title id=\"qr-title\">QR code</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

/// The step a code matches for this secret, if any (now, or one step
/// either side, for clocks a little apart).
fn matching_step(totp: &Totp, code: &str) -> Option<i64> {
    let now = u64::try_from(now_ms() / 1000).ok()?;
    let step = totp.check(code, now)?;
    i64::try_from(step).ok()
}

/// A code's digits, if it looks like an app's code (6 digits, spaces
/// allowed).
fn app_code(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

fn new_codes(state: &AppState, account_id: i64) -> Result<(Vec<String>, Vec<[u8; 32]>), AppError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    let mut hashes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let bytes: [u8; 10] = random_bytes().map_err(AppError::internal)?;
        let raw: String = bytes
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect();
        hashes.push(code_hash(state, account_id, &raw));
        codes.push(format!("{}-{}", &raw[..5], &raw[5..]));
    }
    Ok((codes, hashes))
}

fn code_hash(state: &AppState, account_id: i64, normalised: &str) -> [u8; 32] {
    state.secret.mac(
        "recovery-code",
        &[&account_id.to_be_bytes(), normalised.as_bytes()],
    )
}

/// A recovery code as typed, without dashes, spaces or capitals.
fn normalise_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Security changes ask for the current password (throttled like log-ins).
async fn require_password(state: &AppState, id: i64, password: &str) -> Result<(), AppError> {
    if service::reauthenticate(state, id, password).await? {
        Ok(())
    } else {
        Err(AppError::Validation(vec![(
            "current_password",
            "error-current-password",
        )]))
    }
}

fn audit_entry(account_id: i64, action: Action) -> audit::Entry<'static> {
    audit::Entry {
        actor_id: Some(account_id),
        action,
        object_kind: ObjectKind::Account,
        object_id: account_id,
        reason: "",
    }
}

/// Confirms the waiting secret with the current password and a code from
/// the app; the second factor is on from now, this session counts as having
/// proved it, and the recovery codes (shown once) are returned.
pub async fn confirm(
    state: &AppState,
    user: &CurrentUser,
    password: &str,
    code: &str,
) -> Result<Vec<String>, AppError> {
    let id = user.account.id;
    require_password(state, id, password).await?;
    let Some((sealed, None)) = secret_row(&state.db, id).await? else {
        return Err(AppError::BadRequest("error-second-factor-none-waiting"));
    };
    let totp = totp(
        state,
        open_secret(state, id, &sealed)?,
        &user.account.handle,
    )?;
    let Some(step) = app_code(code).and_then(|c| matching_step(&totp, &c)) else {
        return Err(AppError::Validation(vec![("code", "error-code-wrong")]));
    };
    let (codes, hashes) = new_codes(state, id)?;
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let n = on_tx!(&mut tx, |c| sqlx::query(
        "UPDATE totp_secrets SET confirmed_at = $1, last_step = $2 \
         WHERE account_id = $3 AND confirmed_at IS NULL"
    )
    .bind(now)
    .bind(step)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    if n != 1 {
        return Err(AppError::BadRequest("error-second-factor-none-waiting"));
    }
    replace_codes_in(&mut tx, id, &hashes, now).await?;
    audit::append_in(&mut tx, &audit_entry(id, Action::SecondFactorOn)).await?;
    tx.commit().await?;
    mark_session(&state.db, user.session_id, true).await?;
    tracing::info!(account.id = id, "second factor turned on");
    Ok(codes)
}

/// Turns the second factor off (with the current password). No session of
/// the account counts as having proved one any more.
pub async fn remove(state: &AppState, user: &CurrentUser, password: &str) -> Result<(), AppError> {
    let id = user.account.id;
    require_password(state, id, password).await?;
    let mut tx = state.db.begin().await?;
    remove_in(&mut tx, id).await?;
    tx.commit().await?;
    tracing::info!(account.id = id, "second factor turned off");
    Ok(())
}

/// Turns the app off inside the caller's transaction (audited): the
/// secret and recovery codes go, and no session counts as having proved a
/// second factor.
pub async fn remove_in(tx: &mut Tx<'_>, id: i64) -> Result<(), sqlx::Error> {
    for sql in [
        "DELETE FROM totp_secrets WHERE account_id = $1",
        "DELETE FROM recovery_codes WHERE account_id = $1",
        "UPDATE sessions SET second_factor = FALSE WHERE account_id = $1",
    ] {
        on_tx!(tx, |c| sqlx::query(sql)
            .bind(id)
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    audit::append_in(tx, &audit_entry(id, Action::SecondFactorOff)).await?;
    Ok(())
}

/// New recovery codes (with the current password), replacing the old.
pub async fn regenerate(
    state: &AppState,
    user: &CurrentUser,
    password: &str,
) -> Result<Vec<String>, AppError> {
    let id = user.account.id;
    require_password(state, id, password).await?;
    if !enabled(&state.db, id).await? {
        return Err(AppError::BadRequest("error-second-factor-off"));
    }
    let (codes, hashes) = new_codes(state, id)?;
    let mut tx = state.db.begin().await?;
    replace_codes_in(&mut tx, id, &hashes, now_ms()).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Checks a code from the app, or a recovery code (used up), for the
/// account; failures are throttled like passwords.
pub async fn verify(state: &AppState, account_id: i64, input: &str) -> Result<bool, AppError> {
    let now = now_ms();
    let key = state
        .secret
        .mac("second-factor", &[&account_id.to_be_bytes()]);
    state
        .limits
        .login_handle
        .check(key, now)
        .map_err(|l| AppError::RateLimited {
            retry_after_secs: l.retry_after_secs,
        })?;
    let ok = match secret_row(&state.db, account_id).await? {
        Some((sealed, Some(_))) => match app_code(input) {
            Some(code) => {
                let handle = String::new();
                let totp = totp(state, open_secret(state, account_id, &sealed)?, &handle)?;
                match matching_step(&totp, &code) {
                    Some(step) => use_step(&state.db, account_id, step).await?,
                    None => false,
                }
            }
            None => {
                let normalised = normalise_code(input);
                normalised.len() == 10
                    && use_code(
                        &state.db,
                        account_id,
                        &code_hash(state, account_id, &normalised),
                    )
                    .await?
            }
        },
        _ => false,
    };
    if ok {
        state.limits.login_handle.clear(key);
    } else {
        state.limits.login_handle.record(key, now);
        tracing::info!(account.id = account_id, "second factor failed");
    }
    Ok(ok)
}

/// What the security page says about the account.
pub struct Status {
    pub on: bool,
    pub codes_left: i64,
}

pub async fn status(state: &AppState, account_id: i64) -> Result<Status, AppError> {
    Ok(Status {
        on: enabled(&state.db, account_id).await?,
        codes_left: codes_left(&state.db, account_id).await?,
    })
}

// ---- the step between password and code ----

/// The signed value of the cookie that carries an account from its
/// password to its code: `id.expires.nonce.mac`.
pub fn pending_value(state: &AppState, account_id: i64) -> Result<String, AppError> {
    let expires = now_ms() + PENDING_MS;
    let nonce = hex(&random_bytes::<12>().map_err(AppError::internal)?);
    let mac = state.secret.mac(
        "second-factor-pending",
        &[
            &account_id.to_be_bytes(),
            &expires.to_be_bytes(),
            nonce.as_bytes(),
        ],
    );
    Ok(format!("{account_id}.{expires}.{nonce}.{}", hex(&mac)))
}

/// The account a pending cookie names, if it is ours and not expired.
pub fn pending_account(state: &AppState, value: &str) -> Option<i64> {
    let mut parts = value.split('.');
    let id: i64 = parts.next()?.parse().ok()?;
    let expires: i64 = parts.next()?.parse().ok()?;
    let nonce = parts.next()?;
    let mac = parts.next()?;
    if parts.next().is_some() || expires < now_ms() {
        return None;
    }
    let expected = state.secret.mac(
        "second-factor-pending",
        &[&id.to_be_bytes(), &expires.to_be_bytes(), nonce.as_bytes()],
    );
    bool::from(hex(&expected).as_bytes().ct_eq(mac.as_bytes())).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_leniently_and_only_in_their_shapes() {
        assert_eq!(app_code(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(app_code("12345"), None);
        assert_eq!(app_code("12345a"), None);
        assert_eq!(normalise_code("ABCDE-fghjk"), "abcdefghjk");
    }

    #[test]
    fn the_qr_code_is_an_svg_with_a_title() {
        let svg = qr_svg("otpauth://totp/Hearth:someone?secret=ABC&issuer=Hearth")
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(svg.starts_with("<svg") && svg.contains("<title"));
        assert!(svg.matches('M').count() > 100);
    }
}
