//! What a report is about, for both ways one is raised: by a member
//! (`moderation::service::report`) and by a word filter
//! (`filters::flag`). Moderation handles them from there.

use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::on_db;

crate::word_enum!(
    /// What a report is about.
    #[derive(Serialize, Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    TargetKind {
        Post = "post",
        Message = "message",
        Member = "member",
    }
);

/// What the reporter pointed at, resolved to its group and author.
pub struct Target {
    pub kind: TargetKind,
    pub id: i64,
    pub account_id: Option<i64>,
    pub group_id: i64,
}

/// Reports not yet resolved.
pub async fn open_reports(db: &Db) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE status = 'open'")
            .fetch_one(pool)
            .await
    })
}
