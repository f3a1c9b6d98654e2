//! The group forum: threads and replies in safely rendered Markdown,
//! reactions, content warnings, edit history, soft delete, pin and lock,
//! follows, anonymous posting, personal filters and notifications.

pub mod api;
pub mod cache;
pub mod markdown;
pub mod pages;
pub mod service;
pub mod store;
