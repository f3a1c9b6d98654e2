//! Live traffic over one WebSocket (`/live`): chat rooms now; later
//! notifications, moderation alerts and session signalling. See
//! `docs/protocol.md` for the frames.
//!
//! A message's path: the sender's frame is checked (membership, size),
//! stored in one transaction that gives it the room's next sequence number,
//! and acknowledged only then. The room's hub is told the room advanced;
//! it reads what is new from the database, in order, and fans it out. Each
//! connection delivers a room's messages strictly in sequence: anything it
//! already sent is skipped and any gap is read from the database first, so
//! a client that resumes from the last number it saw gets every later
//! message once, in order.

pub mod api;
pub mod bus;
pub mod hub;
pub mod pages;
pub mod protocol;
pub mod service;
pub mod store;
pub mod ws;
