//! What the load generator shares with Hearth's own tests: a synthetic
//! live-session participant.

pub mod media;
