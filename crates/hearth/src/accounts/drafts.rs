//! Writing is never lost to an ended session. A form posted after the
//! writer's session expired (or was ended elsewhere) is answered with the
//! log-in page, which carries what they wrote in a hidden field: nothing is
//! stored while nobody is logged in. Once they log in again the words are
//! kept for their account, sealed with the data key, and the form they came
//! from (`back`, a hidden field of every composer) shows them again, once.
//! Words that suggest risk bring the crisis lines onto the log-in page at
//! once; nothing is posted and nobody is alerted until the writer posts.

use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::web::render::FormView;
use crate::web::{AppError, CurrentUser};

/// The fields of writing that are kept (never a password, never a token).
pub const KEPT_FIELDS: &[&str] = &[
    "title",
    "body",
    "content_warning",
    "details",
    "message",
    "reason",
    "appeal",
    "decision",
];

/// Most bytes of writing kept from one form.
const KEPT_MAX: usize = 64 * 1024;
/// How long kept writing waits for its form.
const KEPT_FOR_MS: i64 = 24 * 3600 * 1000;
const PURPOSE: &str = "kept-draft";

/// What a writer had typed, and the page of the form it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    pub back: String,
    pub fields: Vec<(String, String)>,
}

impl Kept {
    /// The writing fields of a posted form, if it had any words in them.
    pub fn from_form(body: &[u8]) -> Option<Kept> {
        let mut back = None;
        let mut fields = Vec::new();
        for (k, v) in form_urlencoded::parse(body) {
            if k == "back" {
                back = Some(v.into_owned());
            } else if KEPT_FIELDS.contains(&k.as_ref()) && !v.trim().is_empty() {
                fields.push((k.into_owned(), v.into_owned()));
            }
        }
        Kept::checked(back?, fields)
    }

    /// A kept draft as the log-in page carries it.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A draft the log-in form sent back, checked again: a local page,
    /// known fields, within the size.
    pub fn decode(text: &str) -> Option<Kept> {
        if text.is_empty() || text.len() > KEPT_MAX * 2 {
            return None;
        }
        let kept: Kept = serde_json::from_str(text).ok()?;
        Kept::checked(kept.back, kept.fields)
    }

    fn checked(back: String, fields: Vec<(String, String)>) -> Option<Kept> {
        let local = crate::web::extract::safe_next(Some(&back)) == back && back != "/";
        let size: usize = fields.iter().map(|(k, v)| k.len() + v.len()).sum();
        let known = fields
            .iter()
            .all(|(k, _)| KEPT_FIELDS.contains(&k.as_str()));
        (local && known && !fields.is_empty() && size <= KEPT_MAX).then_some(Kept { back, fields })
    }

    /// The words, for the crisis detector.
    pub fn text(&self) -> String {
        self.fields
            .iter()
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Keeps the draft for `account_id` until its form shows it.
pub async fn keep(state: &AppState, account_id: i64, kept: &Kept) -> Result<(), AppError> {
    let sealed = state
        .data_key
        .seal(PURPOSE, &account_id.to_be_bytes(), kept.encode().as_bytes())
        .map_err(|e| AppError::internal(format!("sealing a draft: {e}")))?;
    crate::accounts::store::keep_draft(
        &state.db,
        account_id,
        &kept.back,
        &sealed,
        crate::db::now_ms(),
    )
    .await?;
    Ok(())
}

/// The form at `path` with the words kept for it, if any (they are shown
/// once, then forgotten), and whether there were some.
pub async fn restore(
    state: &AppState,
    user: &CurrentUser,
    path: &str,
    mut f: FormView,
) -> Result<(FormView, bool), AppError> {
    let since = crate::db::now_ms() - KEPT_FOR_MS;
    let Some(sealed) =
        crate::accounts::store::take_draft(&state.db, user.account.id, path, since).await?
    else {
        return Ok((f, false));
    };
    let Some(kept) = state
        .data_key
        .open(PURPOSE, &user.account.id.to_be_bytes(), &sealed)
        .ok()
        .and_then(|plain| String::from_utf8(plain).ok())
        .and_then(|text| Kept::decode(&text))
    else {
        return Ok((f, false));
    };
    for (k, v) in &kept.fields {
        if let Some(field) = KEPT_FIELDS.iter().find(|f| **f == k.as_str()) {
            f = f.with_value(field, v);
        }
    }
    Ok((f, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_writing_from_a_local_form_is_kept() {
        let kept = Kept::from_form(
            b"csrf=x&back=%2Fgroups%2Fa%2Fthreads%2F3&body=Hello+there&password=secret",
        )
        .expect("kept");
        assert_eq!(kept.back, "/groups/a/threads/3");
        assert_eq!(kept.fields, [("body".to_owned(), "Hello there".to_owned())]);
        assert_eq!(Kept::decode(&kept.encode()), Some(kept));
        assert!(Kept::from_form(b"back=https%3A%2F%2Fevil.example&body=x").is_none());
        assert!(Kept::from_form(b"back=%2F%2Fevil.example&body=x").is_none());
        assert!(Kept::from_form(b"back=%2Fgroups&body=+++").is_none());
        assert!(Kept::from_form(b"body=no+back").is_none());
        assert!(Kept::decode(r#"{"back":"/a","fields":[["password","x"]]}"#).is_none());
    }
}
