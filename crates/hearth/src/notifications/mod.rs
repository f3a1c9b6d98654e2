//! Notifications: what a member is told of (a reply in a thread they
//! follow, a mention, a decision on their request to join). The features
//! that cause them write them through `store`'s `…_in(tx)` functions, in
//! their own transactions; members read them on `/notifications` and over
//! the API.

pub mod api;
pub mod pages;
pub mod store;
