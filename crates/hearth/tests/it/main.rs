//! The behavioural suite: each test starts the real server on a random port
//! with a fresh database (SQLite, or PostgreSQL when
//! `HEARTH_TEST_DATABASE_URL` is set) and speaks HTTP to it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod abuse;
mod accounts;
mod admin;
mod api;
mod authz;
mod backup;
mod connections;
mod drafts;
mod factors;
mod forum;
mod groups;
mod helpers;
mod home;
mod i18n;
mod live;
mod loops;
mod mail;
mod meetings;
mod moderation;
mod ops;
mod rooms;
mod safety;
mod security;
#[path = "../smtp/mod.rs"]
mod smtp;
mod wellness;
