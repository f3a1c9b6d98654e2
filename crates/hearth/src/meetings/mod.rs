//! Live sessions: a group's scheduled meetings (called meetings in the
//! code, since a session is also a log-in), who comes, and their calendars.

pub mod api;
pub mod feed;
pub mod ics;
pub mod pages;
pub mod relay;
pub mod reminders;
pub mod room;
pub mod schedule;
pub mod service;
pub mod store;
