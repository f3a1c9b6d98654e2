//! Moderation: reports as cases, moderators' and facilitators' actions
//! (hide, warn, mute, suspend, ban) with reasons, the notices members see
//! and their appeals (`service`, `pages`, `api`), what a report points at
//! (`target`); the review queue of held
//! posts (`review`, `review_pages`); members one has blocked (`blocks`);
//! each member's share of a group's writing (`dynamics`). It writes the
//! forum's and chat's tables only through their stores' functions
//! (`forum::store::hide_in`, `live::store::hide_in`, …), inside its own
//! transactions.

pub mod api;
pub mod blocks;
pub mod dynamics;
pub mod pages;
pub mod review;
pub mod review_pages;
pub mod service;
pub mod target;
