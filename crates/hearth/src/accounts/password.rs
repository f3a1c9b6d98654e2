//! Password hashing with Argon2id at OWASP's recommended minimum
//! (19 MiB, 2 passes, 1 lane). Hashing runs on the blocking pool behind a
//! semaphore, so a burst of logins queues instead of starving the server.

use std::sync::Arc;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed")]
    Failed,
    #[error("the password hashing task was cancelled")]
    Cancelled,
}

pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Verified against when a handle is unknown, so the answer takes as
    /// long as for a wrong password (no account enumeration by timing).
    dummy_hash: String,
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Result<Self, HashError> {
        let dummy_hash = argon2()
            .hash_password(b"hearth dummy password")
            .map_err(|_| HashError::Failed)?
            .to_string();
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash,
        })
    }

    /// A PHC string (`$argon2id$v=19$…`) for a new password.
    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let password = password.as_bytes().to_vec();
        self.run(move || {
            argon2()
                .hash_password(&password)
                .map(|h| h.to_string())
                .map_err(|_| HashError::Failed)
        })
        .await
    }

    /// Checks `password` against `stored`; `None` checks against a dummy hash
    /// and always fails, taking the same time.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, HashError> {
        let known = stored.is_some();
        let stored = stored.unwrap_or(&self.dummy_hash).to_owned();
        let password = password.as_bytes().to_vec();
        let ok = self
            .run(move || {
                let parsed = PasswordHash::new(&stored).map_err(|_| HashError::Failed)?;
                Ok(argon2().verify_password(&password, &parsed).is_ok())
            })
            .await?;
        Ok(ok && known)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        let _permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| HashError::Cancelled)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|_| HashError::Cancelled)?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let h = PasswordHasher::new(1).unwrap();
        let stored = h.hash("lantern orchard mosaic tide").await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            h.verify("lantern orchard mosaic tide", Some(&stored))
                .await
                .unwrap()
        );
        assert!(
            !h.verify("lantern orchard mosaic", Some(&stored))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies_even_with_the_dummy_password() {
        let h = PasswordHasher::new(1).unwrap();
        assert!(!h.verify("hearth dummy password", None).await.unwrap());
    }
}
