//! The group forum: threads and replies in safely rendered Markdown,
//! reactions, content warnings, edit history, soft delete, pin and lock,
//! follows, anonymous posting and personal filters.

pub mod api;
pub mod cache;
pub mod markdown;
pub mod pages;
pub mod post_pages;
pub mod service;
pub mod settings_pages;
pub mod store;
