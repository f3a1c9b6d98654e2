//! Safety: the crisis detector at every write path, the crisis response
//! shown to the writer, and alerts for moderators.

pub mod cli;
