//! Who may read and write in a group: its members (a removed member at
//! once no longer), and moderators and admins; facilitators, moderators
//! and admins moderate it. Which groups a viewer may see at all (youth
//! and adult spaces apart, unlisted and closed groups) is
//! `service::visible_group`. The forum, chat and moderation all ask here.

use super::model::GroupRole;
use super::service::visible_group;
use super::store::{GroupRow, membership};
use crate::AppState;
use crate::web::{AppError, CurrentUser};

/// What the viewer may do in a group.
#[derive(Debug, Clone)]
pub struct Access {
    pub group: GroupRow,
    pub account_id: i64,
    /// `None` for staff who are not members.
    pub role: Option<GroupRole>,
    /// The group's facilitators, moderators and admins: they pin, lock,
    /// delete and see who wrote anonymous posts.
    pub facilitates: bool,
}

impl Access {
    /// Writing a moderator hid (or that waits for review) is withheld from
    /// every reader but its author and those who moderate the group (its
    /// words are kept). The one rule for posts, chat messages and reports.
    pub fn withholds(&self, hidden: bool, author_id: Option<i64>) -> bool {
        hidden && !(self.facilitates || author_id == Some(self.account_id))
    }
}

/// The viewer's access to the group at `slug`: refused (403) to anyone
/// who is neither a member nor staff, and 404 where the group is not
/// theirs to see.
pub async fn check(state: &AppState, user: &CurrentUser, slug: &str) -> Result<Access, AppError> {
    let group = visible_group(state, slug, Some(user)).await?;
    let role = membership(&state.db, group.id, user.account.id).await?;
    with_role(group, user, role).ok_or(AppError::Forbidden)
}

/// The same rule for a group the viewer may see and their role in it,
/// both already read.
pub fn with_role(group: GroupRow, user: &CurrentUser, role: Option<GroupRole>) -> Option<Access> {
    if role.is_none() && !user.is_staff() {
        return None;
    }
    let facilitates = user.is_staff() || role == Some(GroupRole::Facilitator);
    Some(Access {
        group,
        account_id: user.account.id,
        role,
        facilitates,
    })
}
