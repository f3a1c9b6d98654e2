//! Password hashing with Argon2id at OWASP's recommended minimum
//! (19 MiB, 2 passes, 1 lane). Hashing runs on a few dedicated threads fed
//! by a bounded queue: a burst of logins waits its turn instead of starving
//! the server, and memory stays at one 19 MiB working area per thread
//! instead of one per blocking-pool thread that ever hashed.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::{mpsc, oneshot};

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed")]
    Failed,
    #[error("the password hashing threads are gone")]
    Cancelled,
    #[error("cannot start a password hashing thread: {0}")]
    Spawn(std::io::Error),
}

type Job = Box<dyn FnOnce() + Send>;

/// Jobs waiting beyond this make callers wait to enqueue (backpressure).
const QUEUE: usize = 256;

pub struct PasswordHasher {
    jobs: mpsc::Sender<Job>,
    /// Verified against when a handle is unknown, so the answer takes as
    /// long as for a wrong password (no account enumeration by timing).
    dummy_hash: String,
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
}

impl PasswordHasher {
    /// Starts `threads` hashing threads; they end when the hasher is dropped.
    pub fn new(threads: usize) -> Result<Self, HashError> {
        let dummy_hash = argon2()
            .hash_password(b"hearth dummy password")
            .map_err(|_| HashError::Failed)?
            .to_string();
        let (jobs, rx) = mpsc::channel::<Job>(QUEUE);
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..threads.max(1) {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("hearth-hash-{i}"))
                .spawn(move || {
                    loop {
                        // Take the next job, releasing the lock before running it.
                        let job = match rx.lock() {
                            Ok(mut rx) => rx.blocking_recv(),
                            Err(_) => None,
                        };
                        match job {
                            Some(job) => job(),
                            None => break,
                        }
                    }
                })
                .map_err(HashError::Spawn)?;
        }
        Ok(Self { jobs, dummy_hash })
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
        let (tx, rx) = oneshot::channel();
        let waiting = crate::metrics::global().password_hash_waiting();
        let job: Job = Box::new(move || {
            drop(waiting);
            let _ = tx.send(work());
        });
        self.jobs
            .send(job)
            .await
            .map_err(|_| HashError::Cancelled)?;
        rx.await.map_err(|_| HashError::Cancelled)?
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
