//! Passkeys (WebAuthn, `webauthn-rs`): log in with one instead of a
//! password (it is a device and a PIN or fingerprint: both factors at
//! once), or use one at the code step after a password. Added and removed
//! on the security page.
//!
//! No state waits on the server between a challenge and its answer: the
//! challenge's state travels in the page, sealed with the data key and good
//! for five minutes, and each is accepted once (its nonce is recorded).
//! What the crate serialises of a passkey is stored whole (counter and
//! backup flags included) and updated after each use.
//!
//! Browsers offer passkeys only to a site reached by a domain name, so a
//! server whose public address is an IP address has none.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

use crate::AppState;
use crate::db::{Db, is_unique_violation, now_ms};
use crate::on_db;
use crate::secret::{hex, random_bytes};
use crate::web::AppError;

/// How long a challenge may wait for its answer.
const CHALLENGE_MS: i64 = 5 * 60 * 1000;
/// What a sealed challenge is for: each kind opens only as itself.
const REGISTER: &str = "passkeys.register";
const LOGIN: &str = "passkeys.login";
const SECOND: &str = "passkeys.second_factor";
/// Passkeys an account may hold.
pub const MAX_PER_ACCOUNT: i64 = 20;

/// The relying party for the public address, if browsers allow passkeys
/// there (a domain name, not an IP address).
pub fn relying_party(public_url: &str) -> Option<Webauthn> {
    let url = Url::parse(public_url).ok()?;
    let domain = url.domain()?.to_owned();
    WebauthnBuilder::new(&domain, &url)
        .ok()?
        .rp_name("Hearth")
        .build()
        .ok()
}

// ---- store ----

/// A passkey as the security page lists it.
#[derive(Debug, sqlx::FromRow)]
pub struct PasskeyRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

pub async fn list(db: &Db, account_id: i64) -> Result<Vec<PasskeyRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, name, created_at, last_used_at FROM passkeys WHERE account_id = $1 ORDER BY id",
        )
        .bind(account_id)
        .fetch_all(pool)
        .await
    })
}

async fn keys_of(db: &Db, account_id: i64) -> Result<Vec<(i64, Passkey)>, AppError> {
    let rows: Vec<(i64, String)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT id, passkey FROM passkeys WHERE account_id = $1")
            .bind(account_id)
            .fetch_all(pool)
            .await
    })?;
    rows.into_iter()
        .map(|(id, json)| {
            serde_json::from_str(&json)
                .map(|p| (id, p))
                .map_err(AppError::internal)
        })
        .collect()
}

async fn by_credential(
    db: &Db,
    credential_id: &[u8],
) -> Result<Option<(i64, i64, Passkey)>, AppError> {
    let row: Option<(i64, i64, String)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT id, account_id, passkey FROM passkeys WHERE credential_id = $1")
            .bind(hex(credential_id))
            .fetch_optional(pool)
            .await
    })?;
    row.map(|(id, account, json)| {
        serde_json::from_str(&json)
            .map(|p| (id, account, p))
            .map_err(AppError::internal)
    })
    .transpose()
}

async fn save_use(db: &Db, id: i64, passkey: &Passkey, now: i64) -> Result<(), AppError> {
    let json = serde_json::to_string(passkey).map_err(AppError::internal)?;
    on_db!(db, |pool| {
        sqlx::query("UPDATE passkeys SET passkey = $1, last_used_at = $2 WHERE id = $3")
            .bind(&json)
            .bind(now)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// Records a challenge's nonce as answered; false if it already was.
async fn spend(db: &Db, nonce: &str, now: i64) -> Result<bool, sqlx::Error> {
    let r = on_db!(db, |pool| {
        sqlx::query("INSERT INTO passkey_challenges_used (nonce, used_at) VALUES ($1, $2)")
            .bind(nonce)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
    });
    match r {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Forgets answered challenges old enough never to be accepted again.
pub async fn purge_spent(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM passkey_challenges_used WHERE used_at < $1")
            .bind(now - 2 * CHALLENGE_MS)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
}

// ---- challenges in the page ----

#[derive(Serialize, Deserialize)]
struct Sealed<T> {
    expires: i64,
    nonce: String,
    state: T,
}

/// A challenge for the browser: the options (JSON, for the page's script)
/// and the state sealed for the form to send back.
pub struct Challenge {
    pub options: String,
    pub state: String,
}

fn seal<T: Serialize>(
    state: &AppState,
    purpose: &str,
    owner: &[u8],
    options: &impl Serialize,
    value: T,
) -> Result<Challenge, AppError> {
    let sealed = Sealed {
        expires: now_ms() + CHALLENGE_MS,
        nonce: hex(&random_bytes::<16>().map_err(AppError::internal)?),
        state: value,
    };
    let json = serde_json::to_vec(&sealed).map_err(AppError::internal)?;
    let bytes = state
        .data_key
        .seal(purpose, owner, &json)
        .map_err(AppError::internal)?;
    Ok(Challenge {
        options: serde_json::to_string(options).map_err(AppError::internal)?,
        state: hex(&bytes),
    })
}

/// The state of a challenge this server made for `owner`, unexpired and
/// never answered before (it is spent now).
async fn open<T: DeserializeOwned>(
    state: &AppState,
    purpose: &str,
    owner: &[u8],
    sealed_hex: &str,
) -> Result<T, AppError> {
    let refused = AppError::BadRequest("error-passkey-failed");
    let bytes = crate::secret::decode_hex(sealed_hex)
        .ok_or(AppError::BadRequest("error-passkey-failed"))?;
    let json = state
        .data_key
        .open(purpose, owner, &bytes)
        .map_err(|_| AppError::BadRequest("error-passkey-failed"))?;
    let sealed: Sealed<T> =
        serde_json::from_slice(&json).map_err(|_| AppError::BadRequest("error-passkey-failed"))?;
    let now = now_ms();
    if sealed.expires < now || !spend(&state.db, &sealed.nonce, now).await? {
        return Err(refused);
    }
    Ok(sealed.state)
}

/// The handle an account's passkeys carry: derived from the server secret,
/// so it says nothing about the account to anyone else.
fn user_handle(state: &AppState, account_id: i64) -> Uuid {
    let mac = state
        .secret
        .mac("passkey-user", &[&account_id.to_be_bytes()]);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&mac[..16]);
    Uuid::from_bytes(bytes)
}

fn rp(state: &AppState) -> Result<&Webauthn, AppError> {
    state
        .webauthn
        .as_ref()
        .ok_or(AppError::BadRequest("error-passkeys-unavailable"))
}

fn credential<T: DeserializeOwned>(json: &str) -> Result<T, AppError> {
    if json.len() > 64 * 1024 {
        return Err(AppError::BadRequest("error-passkey-failed"));
    }
    serde_json::from_str(json).map_err(|_| AppError::BadRequest("error-passkey-failed"))
}

// ---- adding one ----

/// A challenge to add a passkey to the account.
pub async fn register_challenge(
    state: &AppState,
    account_id: i64,
    handle: &str,
) -> Result<Challenge, AppError> {
    let rp = rp(state)?;
    let exclude = keys_of(&state.db, account_id)
        .await?
        .iter()
        .map(|(_, p)| p.cred_id().clone())
        .collect::<Vec<_>>();
    let (options, registration) = rp
        .start_passkey_registration(
            user_handle(state, account_id),
            handle,
            handle,
            Some(exclude),
        )
        .map_err(AppError::internal)?;
    // Ask for a discoverable credential, so that the passkey can log in
    // without a handle typed first (the crate's passkeys leave it to the
    // authenticator; what the server checks is unchanged).
    let mut options = serde_json::to_value(&options).map_err(AppError::internal)?;
    if let Some(selection) = options
        .get_mut("publicKey")
        .and_then(|p| p.get_mut("authenticatorSelection"))
        .and_then(|a| a.as_object_mut())
    {
        selection.insert("residentKey".into(), "preferred".into());
    }
    seal::<PasskeyRegistration>(
        state,
        REGISTER,
        &account_id.to_be_bytes(),
        &options,
        registration,
    )
}

/// Adds the passkey the browser made for the challenge.
pub async fn register(
    state: &AppState,
    account_id: i64,
    sealed: &str,
    credential_json: &str,
    name: &str,
) -> Result<(), AppError> {
    let rp = rp(state)?;
    let name = name.trim();
    let name = if name.is_empty() {
        "Passkey".to_owned()
    } else {
        name.chars().take(60).collect()
    };
    let answer: RegisterPublicKeyCredential = credential(credential_json)?;
    let registration: PasskeyRegistration =
        open(state, REGISTER, &account_id.to_be_bytes(), sealed).await?;
    let passkey = rp
        .finish_passkey_registration(&answer, &registration)
        .map_err(|e| {
            tracing::info!(error = %e, "passkey registration refused");
            AppError::BadRequest("error-passkey-failed")
        })?;
    let held: i64 = on_db!(&state.db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM passkeys WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(pool)
            .await
    })?;
    if held >= MAX_PER_ACCOUNT {
        return Err(AppError::BadRequest("error-passkeys-too-many"));
    }
    let json = serde_json::to_string(&passkey).map_err(AppError::internal)?;
    let r = on_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO passkeys (account_id, credential_id, passkey, name, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(account_id)
        .bind(hex(passkey.cred_id()))
        .bind(&json)
        .bind(&name)
        .bind(now_ms())
        .execute(pool)
        .await
        .map(|_| ())
    });
    match r {
        Ok(_) => {
            tracing::info!(account.id = account_id, "passkey added");
            Ok(())
        }
        Err(e) if is_unique_violation(&e) => Err(AppError::BadRequest("error-passkey-failed")),
        Err(e) => Err(e.into()),
    }
}

/// Removes one of the account's passkeys.
pub async fn remove(state: &AppState, account_id: i64, id: i64) -> Result<(), AppError> {
    let n = on_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM passkeys WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(account_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    tracing::info!(account.id = account_id, "passkey removed");
    Ok(())
}

// ---- logging in with one ----

/// A challenge to log in with any passkey this site knows.
pub fn login_challenge(state: &AppState) -> Result<Challenge, AppError> {
    let (options, auth) = rp(state)?
        .start_discoverable_authentication()
        .map_err(AppError::internal)?;
    seal::<DiscoverableAuthentication>(state, LOGIN, b"login", &options, auth)
}

/// The account whose passkey answered the log-in challenge.
pub async fn login(state: &AppState, sealed: &str, credential_json: &str) -> Result<i64, AppError> {
    let rp = rp(state)?;
    let answer: PublicKeyCredential = credential(credential_json)?;
    let auth: DiscoverableAuthentication = open(state, LOGIN, b"login", sealed).await?;
    let refused = || AppError::BadRequest("error-passkey-failed");
    let (uuid, credential_id) = rp
        .identify_discoverable_authentication(&answer)
        .map_err(|_| refused())?;
    let (id, account_id, mut passkey) = by_credential(&state.db, credential_id)
        .await?
        .ok_or_else(refused)?;
    if uuid != user_handle(state, account_id) {
        return Err(refused());
    }
    let result = rp
        .finish_discoverable_authentication_v2(&answer, auth, &passkey)
        .map_err(|e| {
            tracing::info!(error = %e, "passkey log-in refused");
            refused()
        })?;
    passkey.update_credential(&result);
    save_use(&state.db, id, &passkey, now_ms()).await?;
    Ok(account_id)
}

/// A challenge for the code step: any of the account's passkeys; none if
/// it has none (or the site cannot have passkeys).
pub async fn second_factor_challenge(
    state: &AppState,
    account_id: i64,
) -> Result<Option<Challenge>, AppError> {
    let Some(rp) = state.webauthn.as_ref() else {
        return Ok(None);
    };
    let keys: Vec<Passkey> = keys_of(&state.db, account_id)
        .await?
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    if keys.is_empty() {
        return Ok(None);
    }
    let (options, auth) = rp
        .start_passkey_authentication(&keys)
        .map_err(AppError::internal)?;
    seal::<PasskeyAuthentication>(state, SECOND, &account_id.to_be_bytes(), &options, auth)
        .map(Some)
}

/// Whether one of the account's passkeys answered its code-step challenge.
pub async fn second_factor(
    state: &AppState,
    account_id: i64,
    sealed: &str,
    credential_json: &str,
) -> Result<(), AppError> {
    let rp = rp(state)?;
    let answer: PublicKeyCredential = credential(credential_json)?;
    let auth: PasskeyAuthentication =
        open(state, SECOND, &account_id.to_be_bytes(), sealed).await?;
    let result = rp
        .finish_passkey_authentication(&answer, &auth)
        .map_err(|_| AppError::BadRequest("error-passkey-failed"))?;
    for (id, mut passkey) in keys_of(&state.db, account_id).await? {
        if passkey.update_credential(&result).is_some() {
            save_use(&state.db, id, &passkey, now_ms()).await?;
        }
    }
    Ok(())
}
