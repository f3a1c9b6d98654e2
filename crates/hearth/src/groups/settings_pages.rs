//! A group's settings page, for its facilitators and staff: what it is
//! for, its guidelines, how people join and find it, who leads it. The
//! page is composed in `home` with the forum's own settings.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::GroupRole;
use super::service::{self, SettingsInput};
use super::store::GroupRow;
use crate::AppState;
use crate::web::extract::{FormData, PageUser};
use crate::web::render::{FormView, Shell, html_with_status};
use crate::web::{AppError, Ctx, CurrentUser};

#[derive(Template)]
#[template(path = "groups/settings.html")]
pub struct SettingsPage {
    pub s: Shell,
    pub group_name: String,
    pub group_href: String,
    pub action: String,
    pub members_href: String,
    pub trusted: bool,
    pub f: FormView,
    /// The forum's settings form (from `forum`), when the page has it.
    pub forum_settings: Option<String>,
    pub archived: bool,
    pub archive_action: String,
}

/// The page for `group`, with the form as given.
pub async fn view(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    slug: &str,
    f: Option<FormView>,
) -> Result<(SettingsPage, GroupRow, Option<GroupRole>), AppError> {
    let group = service::visible_group(state, slug, Some(user)).await?;
    if !service::can_facilitate(state, user, &group).await? {
        return Err(AppError::Forbidden);
    }
    let role = super::store::membership(&state.db, group.id, user.account.id).await?;
    let tr = ctx.tr();
    let f = f.unwrap_or_else(|| {
        FormView::new(tr)
            .with_value("purpose", &group.purpose)
            .with_value("guidelines", &group.guidelines)
            .with_value("leadership", group.leadership.as_str())
            .with_value("visibility", group.visibility.as_str())
            .with_value("joining", group.joining.as_str())
            .with_value("intake_questions", &group.intake_questions)
    });
    let page = SettingsPage {
        s: Shell::new(
            state,
            ctx,
            tr.t_args("group-settings-title", &[("group", group.name.clone())]),
        ),
        group_name: group.name.clone(),
        group_href: format!("/groups/{}", group.slug),
        action: format!("/groups/{}/settings", group.slug),
        members_href: format!("/groups/{}/members", group.slug),
        trusted: user.is_staff() || user.account.is_professional,
        f,
        forum_settings: None,
        archived: group.archived_at.is_some(),
        archive_action: format!("/groups/{}/archive", group.slug),
    };
    Ok((page, group, role))
}

pub async fn save(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    FormData(form): FormData<SettingsInput>,
) -> Result<Response, AppError> {
    match service::update_settings(&state, &user, &slug, &form).await {
        Ok(group) => Ok(Redirect::to(&ctx.href(&format!(
            "/groups/{}/settings?notice=group-settings",
            group.slug
        )))
        .into_response()),
        Err(AppError::Validation(errors)) => {
            let tr = ctx.tr();
            let f = FormView::new(tr)
                .with_value("purpose", &form.purpose)
                .with_value("guidelines", &form.guidelines)
                .with_value("leadership", &form.leadership)
                .with_value("visibility", &form.visibility)
                .with_value("joining", &form.joining)
                .with_value("intake_questions", &form.intake_questions)
                .with_errors(tr, &errors);
            let (page, _, _) = view(&state, &ctx, &user, &slug, Some(f)).await?;
            html_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ArchiveForm {
    /// `1` to archive, anything else to bring it back.
    archive: String,
}

pub async fn archive(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    FormData(form): FormData<ArchiveForm>,
) -> Result<Response, AppError> {
    let archived = form.archive == "1";
    let group = service::set_archived(&state, &user, &slug, archived).await?;
    Ok(Redirect::to(&ctx.href(&format!(
        "/groups/{}/settings?notice={}",
        group.slug,
        if archived {
            "group-archived"
        } else {
            "group-unarchived"
        }
    )))
    .into_response())
}
