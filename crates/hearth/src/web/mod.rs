//! Shared web plumbing: the request context, middleware, errors, rendering,
//! assets, languages and rate limits.

pub mod assets;
pub mod ctx;
pub mod error;
pub mod extract;
pub mod i18n;
pub mod middleware;
pub mod ratelimit;
pub mod render;
pub mod server;
pub mod time;

pub use ctx::{AuthVia, Ctx, CurrentUser};
pub use error::{AppError, FieldErrors};
