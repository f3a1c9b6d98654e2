//! The per-request context: who is asking (if anyone), in which language,
//! and the CSRF token for the forms we render. Built once per request by
//! [`crate::web::middleware::context`] and read by handlers as an extractor.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::error::AppError;
use super::i18n::{Lang, Tr};
use crate::accounts::model::{Account, Role};
pub use crate::accounts::store::Badges;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthVia {
    /// A browser session cookie: state-changing requests need a CSRF token.
    Cookie,
    /// An API bearer token: no ambient authority, no CSRF token needed.
    Bearer,
}

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub account: Account,
    pub session_id: i64,
    pub via: AuthVia,
    /// A moderator or admin whose session has not proved a second factor:
    /// `account.role` is a member's until it does.
    pub staff_waiting: bool,
}

impl CurrentUser {
    pub fn is_staff(&self) -> bool {
        self.account.role >= Role::Moderator
    }
}

/// A short random id that ties a person's error page to our log lines.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    /// The language came from `?lang=`: internal links carry it on.
    pub lang_param: bool,
    pub user: Option<CurrentUser>,
    /// The token our forms carry (a keyed hash of the CSRF cookie).
    pub csrf: String,
    pub request_id: String,
    /// Region subtag of the browser's language, a hint for crisis lines.
    pub accept_region: Option<String>,
    pub path: String,
    /// The header's counts, read for pages only (zero for API calls and
    /// live connections, and for visitors).
    pub badges: Badges,
}

impl Ctx {
    pub fn tr(&self) -> Tr {
        Tr(self.lang)
    }

    /// `path` with the `?lang=` the visitor chose, if they chose one.
    pub fn href(&self, path: &str) -> String {
        with_lang(path, self.lang_param.then(|| self.lang.code()))
    }
}

/// `path` carrying `lang=` in its query when a language is given, before
/// any `#fragment` (a parameter after the fragment would never reach us).
pub fn with_lang(path: &str, lang: Option<&str>) -> String {
    let Some(lang) = lang else {
        return path.to_owned();
    };
    let (target, fragment) = match path.find('#') {
        Some(i) => path.split_at(i),
        None => (path, ""),
    };
    let sep = if target.contains('?') { '&' } else { '?' };
    format!("{target}{sep}lang={lang}{fragment}")
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::internal("request context missing"))
    }
}

#[cfg(test)]
mod tests {
    use super::with_lang;

    #[test]
    fn the_language_goes_before_the_fragment() {
        assert_eq!(with_lang("/a", None), "/a");
        assert_eq!(with_lang("/a", Some("es")), "/a?lang=es");
        assert_eq!(
            with_lang("/a?x=1#post-3", Some("es")),
            "/a?x=1&lang=es#post-3"
        );
        assert_eq!(with_lang("/a#forum", Some("es")), "/a?lang=es#forum");
    }
}
