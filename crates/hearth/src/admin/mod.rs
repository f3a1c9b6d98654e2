//! The admins' hub (`/admin`): one place that leads to every admin task,
//! and people and their roles (make or remove a moderator). Group
//! proposals, topics, word filters and the audit log stay with their
//! features; the hub links to them.

pub mod api;
pub mod pages;
pub mod service;
