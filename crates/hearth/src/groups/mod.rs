//! Groups: the taxonomy, the directory, group pages and membership.

pub mod access;
pub mod admin_pages;
pub mod api;
pub mod matching;
pub mod membership_pages;
pub mod model;
pub mod pages;
pub mod service;
pub mod settings_pages;
pub mod store;
