//! What a report points at (a post, a chat message or a member), found
//! from the address and checked against the reporter's access: the same
//! for the report page and the API.

use serde::Deserialize;

use crate::AppState;
use crate::safety::reports::{Target, TargetKind};
use crate::web::{AppError, CurrentUser};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TargetQuery {
    pub post: Option<i64>,
    /// `ROOM-SEQ`: a chat message.
    pub message: Option<String>,
    pub member: Option<String>,
}

impl TargetQuery {
    pub fn new(post: Option<i64>, message: Option<String>, member: Option<String>) -> Self {
        Self {
            post,
            message,
            member,
        }
    }
}

/// The thing reported, checked against the group in the address: it must
/// be there, and readable by the reporter.
pub async fn resolve_target(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    q: &TargetQuery,
) -> Result<(Target, String), AppError> {
    if let Some(id) = q.post {
        // The forum's own read rule: a post held for review, or in a held
        // thread, is not there for those who may not see it, and reporting
        // it must not confirm it exists.
        let (access, post) = crate::forum::service::post(state, user, slug, id).await?;
        if post.deleted_at.is_some() {
            return Err(AppError::NotFound);
        }
        let group = access.group.id;
        let excerpt: String = if crate::forum::service::withheld(&access, &post) {
            String::new()
        } else {
            post.body.chars().take(300).collect()
        };
        return Ok((
            Target {
                kind: TargetKind::Post,
                id,
                account_id: post.author_id,
                group_id: group,
            },
            excerpt,
        ));
    }
    let access = crate::groups::access::check(state, user, slug).await?;
    let group = access.group.id;
    if let Some(at) = &q.message {
        let (room, seq) = at
            .split_once('-')
            .and_then(|(r, s)| Some((r.parse::<i64>().ok()?, s.parse::<i64>().ok()?)))
            .ok_or(AppError::BadRequest("error-bad-form"))?;
        let crate::live::store::Reportable {
            id,
            author_id: author,
            body,
            hidden_by,
        } = crate::live::store::reportable(&state.db, group, room, seq)
            .await?
            .ok_or(AppError::NotFound)?;
        // A hidden message's words are not shown to those they are
        // withheld from.
        let excerpt = if access.withholds(hidden_by.is_some(), author) {
            String::new()
        } else {
            body.chars().take(300).collect()
        };
        return Ok((
            Target {
                kind: TargetKind::Message,
                id,
                account_id: author,
                group_id: group,
            },
            excerpt,
        ));
    }
    if let Some(handle) = &q.member {
        let key = handle.trim().to_lowercase();
        let id = crate::forum::store::member_by_handle_key(&state.db, group, &key)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok((
            Target {
                kind: TargetKind::Member,
                id,
                account_id: Some(id),
                group_id: group,
            },
            handle.trim().to_owned(),
        ));
    }
    Err(AppError::BadRequest("error-bad-form"))
}
