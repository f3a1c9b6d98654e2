//! Accounts: pseudonymous registration, log-in, sessions, settings.

pub mod api;
pub mod drafts;
pub mod factor_pages;
pub mod factors;
pub mod model;
pub mod pages;
pub mod passkeys;
pub mod password;
pub mod reset;
pub mod service;
pub mod sessions;
pub mod store;
