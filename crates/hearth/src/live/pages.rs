//! A group's chat rooms as pages: recent history with earlier pages, and
//! forms that send, edit and delete without JavaScript (`/static/chat.js`
//! makes the same page live). Re-sending the same form (a double click, a
//! retry) stores the message once: each form carries a client id made when
//! the page was drawn. Facilitators add rooms and set slow mode and the
//! lock here too.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::service::{self, Refused, SLOW_CHOICES, Write};
use super::store::{self, RoomRow};
use crate::AppState;
use crate::db::now_ms;
use crate::groups::access::Access;
use crate::safety::{self, CrisisResponse};
use crate::secret::{hex, random_bytes};
use crate::web::extract::{FormData, PageUser};
use crate::web::render::{FormView, Shell, html, html_with_status};
use crate::web::time;
use crate::web::{AppError, Ctx, CurrentUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/groups/{slug}/chat", get(main_room_page).post(send_main))
        .route("/groups/{slug}/chat/{room}", get(room_page).post(send))
        .route("/groups/{slug}/chat/{room}/settings", post(settings))
        .route("/groups/{slug}/chat/{room}/mute", post(mute))
        .route("/groups/{slug}/rooms", post(add_room))
        .route(
            "/groups/{slug}/chat/{room}/messages/{seq}/edit",
            get(edit_page).post(edit),
        )
        .route(
            "/groups/{slug}/chat/{room}/messages/{seq}/delete",
            post(delete),
        )
}

const PAGE: i64 = 50;

pub struct Line {
    pub seq: i64,
    pub author: String,
    pub body: String,
    pub at_display: String,
    pub at_machine: String,
    pub edited: bool,
    /// "deleted" or "removed" (by a facilitator or moderator).
    pub deleted: Option<&'static str>,
    /// From someone the viewer blocked: collapsed.
    pub blocked: bool,
    /// Hidden by a moderator: its words are withheld from this viewer.
    pub withheld: bool,
    /// Hidden by a moderator, and shown to this viewer (its author, or
    /// someone who moderates the group) with a note saying so.
    pub hidden_shown: bool,
    pub can_edit: bool,
    pub can_delete: bool,
    /// Someone else's message, still there: it may be reported.
    pub can_report: bool,
    pub edit_href: String,
    pub delete_action: String,
    pub report_href: String,
}

pub struct RoomLink {
    pub name: String,
    pub href: String,
    pub current: bool,
    /// "3 new", for a room with messages the viewer has not seen.
    pub unread: Option<String>,
}

pub struct SlowChoice {
    pub seconds: i64,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "live/room.html")]
struct RoomPage {
    s: Shell,
    group_name: String,
    group_href: String,
    room_id: i64,
    room_name: String,
    room_base: String,
    settings_action: String,
    /// `?lang=…` when the language came from the address.
    lang_query: String,
    rooms: Vec<RoomLink>,
    locked: bool,
    slow_seconds: i64,
    slow_notice: String,
    chat_js: &'static str,
    /// What the script says, as `data-t-KEY` (placeholders `{$name}`).
    js_texts: Vec<(&'static str, String)>,
    /// May write now (a locked room is for facilitators).
    can_write: bool,
    facilitates: bool,
    slow_choices: Vec<SlowChoice>,
    can_add_room: bool,
    add_room_action: String,
    me: String,
    /// Handles the viewer blocked, as a JSON array for the script.
    blocked_json: String,
    /// The viewer muted this room: new messages are not read out, and
    /// typing is not shown.
    muted: bool,
    mute_action: String,
    /// A message's report form, but for its number.
    report_base: String,
    messages: Vec<Line>,
    last_seq: i64,
    earlier: Option<String>,
    later: Option<String>,
    client_id: String,
    f: FormView,
    /// Crisis lines, after the writer's own risky message (no JavaScript).
    crisis: Option<CrisisResponse>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RoomQuery {
    before: Option<i64>,
    crisis: Option<String>,
}

fn new_client_id() -> Result<String, AppError> {
    Ok(hex(&random_bytes::<16>().map_err(AppError::internal)?))
}

/// A message's report form, but for the message's number.
fn report_base(slug: &str, room_id: i64) -> String {
    format!("/groups/{slug}/report?message={room_id}-")
}

fn room_base(slug: &str, room: &RoomRow) -> String {
    format!("/groups/{slug}/chat/{}", room.slug)
}

fn line(ctx: &Ctx, access: &Access, base: &str, blocked: &[String], row: store::EventRow) -> Line {
    let tr = ctx.tr();
    let blocked = row.author.as_ref().is_some_and(|a| blocked.contains(a));
    let mine = row.author.as_deref() == Some(viewer(ctx));
    let hidden = row.hidden_by.is_some();
    let withheld = access.withholds(hidden, row.author_id);
    let deleted = row.deleted_by.as_deref().map(|by| {
        if by == "moderator" {
            "chat-removed"
        } else {
            "chat-deleted"
        }
    });
    Line {
        edit_href: format!("{base}/messages/{}/edit", row.seq),
        delete_action: format!("{base}/messages/{}/delete", row.seq),
        report_href: format!(
            "{}{}",
            report_base(&access.group.slug, row.room_id),
            row.seq
        ),
        seq: row.seq,
        // A hidden message is kept as it is for the appeal (its author may
        // still delete it, unless an appeal is open).
        can_edit: mine && deleted.is_none() && !hidden,
        can_delete: (mine || (access.facilitates && !hidden)) && deleted.is_none(),
        can_report: !mine && deleted.is_none() && !withheld,
        withheld,
        hidden_shown: hidden && !withheld && deleted.is_none(),
        author: row.author.unwrap_or_else(|| tr.t("forum-former-member")),
        body: if withheld { String::new() } else { row.body },
        at_display: time::display(row.created_at),
        at_machine: time::machine(row.created_at),
        edited: row.edited_at.is_some(),
        deleted,
        blocked,
    }
}

/// The handle of whoever is looking (pages here need a session).
fn viewer(ctx: &Ctx) -> &str {
    ctx.user.as_ref().map_or("", |u| u.account.handle.as_str())
}

/// The script's words, in the page's language. Placeholders stay for the
/// script to fill: `{$name}`.
fn js_texts(ctx: &Ctx) -> Vec<(&'static str, String)> {
    let tr = ctx.tr();
    let plain = [
        ("sending", "chat-sending"),
        ("actions", "chat-actions"),
        ("hint-js", "chat-message-hint"),
        ("earlier-loaded", "chat-earlier-loaded"),
        ("not-sent", "chat-not-sent"),
        ("retry", "chat-retry"),
        ("deleted", "chat-deleted"),
        ("removed", "chat-removed"),
        ("hidden", "chat-hidden"),
        ("hidden-shown", "chat-hidden-shown"),
        ("report", "forum-report"),
        ("edited", "chat-edited"),
        ("live", "chat-live"),
        ("reconnecting", "chat-reconnecting"),
        ("session-ended", "chat-session-ended"),
        ("former", "forum-former-member"),
        ("edit", "forum-edit"),
        ("delete", "forum-delete"),
        ("delete-confirm", "chat-delete-confirm"),
        ("err-locked", "error-room-locked"),
        ("err-archived", "group-archived-banner"),
        ("err-body", "error-chat-body"),
        ("blocked", "chat-blocked-summary"),
        // The crisis panel itself comes rendered from the server; these are
        // for the little one shown if it ever does not.
        ("crisis-title", "crisis-panel-title"),
        ("crisis-more", "crisis-panel-more"),
        ("crisis-dismiss", "crisis-panel-dismiss"),
    ];
    let with_args = [
        ("typing", "chat-typing", "name"),
        ("here", "chat-here", "names"),
        ("slow", "chat-slow-notice", "seconds"),
        ("err-slow", "error-slow-mode-wait", "seconds"),
    ];
    plain
        .into_iter()
        .map(|(key, id)| (key, tr.t(id)))
        .chain(
            with_args
                .into_iter()
                .map(|(key, id, arg)| (key, tr.t_args(id, &[(arg, format!("{{${arg}}}"))]))),
        )
        .collect()
}

async fn view(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    access: &Access,
    room: &RoomRow,
    before: Option<i64>,
    f: FormView,
) -> Result<RoomPage, AppError> {
    let tr = ctx.tr();
    let rooms = store::rooms_of(&state.db, access.group.id, now_ms()).await?;
    let unread =
        store::unread_messages(&state.db, access.account_id, Some(access.group.id)).await?;
    let blocked = crate::moderation::blocks::blocked_handles(&state.db, access.account_id).await?;
    let before = before.unwrap_or(i64::MAX).min(room.last_seq + 1);
    let rows = store::messages_before(&state.db, room.id, before, PAGE).await?;
    let base = room_base(slug, room);
    let first = rows.first().map(|m| m.seq);
    let last = rows.last().map(|m| m.seq);
    let newest = store::messages_before(&state.db, room.id, room.last_seq + 1, 1)
        .await?
        .first()
        .map(|m| m.seq);
    Ok(RoomPage {
        s: Shell::new(
            state,
            ctx,
            tr.t_args(
                "chat-title",
                &[
                    ("group", access.group.name.clone()),
                    ("room", room.name.clone()),
                ],
            ),
        ),
        group_name: access.group.name.clone(),
        group_href: format!("/groups/{slug}"),
        room_id: room.id,
        room_name: room.name.clone(),
        rooms: rooms
            .iter()
            .map(|r| RoomLink {
                name: r.name.clone(),
                href: room_base(slug, r),
                current: r.id == room.id,
                unread: unread
                    .iter()
                    .find(|u| u.1 == r.id && r.id != room.id)
                    .map(|u| unread_label(tr, u.2)),
            })
            .collect(),
        locked: room.locked,
        slow_seconds: room.slow_seconds,
        slow_notice: tr.t_args(
            "chat-slow-notice",
            &[("seconds", room.slow_seconds.to_string())],
        ),
        chat_js: crate::web::assets::CHAT_JS.path(),
        js_texts: js_texts(ctx),
        can_write: access.group.open_for_writing() && (!room.locked || access.facilitates),
        facilitates: access.facilitates,
        slow_choices: SLOW_CHOICES
            .iter()
            .map(|&seconds| SlowChoice {
                seconds,
                label: if seconds == 0 {
                    tr.t("chat-slow-off")
                } else {
                    tr.t_args("chat-slow-seconds", &[("seconds", seconds.to_string())])
                },
                selected: seconds == room.slow_seconds,
            })
            .collect(),
        can_add_room: access.facilitates && (rooms.len() as i64) < store::MAX_ROOMS,
        add_room_action: format!("/groups/{slug}/rooms"),
        me: viewer(ctx).to_owned(),
        blocked_json: serde_json::to_string(&blocked).unwrap_or_else(|_| "[]".into()),
        muted: store::mutes(&state.db, room.id, access.account_id).await?,
        mute_action: format!("{base}/mute"),
        earlier: first
            .filter(|s| *s > 1)
            .map(|s| format!("{base}?before={s}")),
        later: last.filter(|s| Some(*s) < newest).map(|_| base.clone()),
        // The script resumes from here; on an older page it starts from
        // the newest message it would show.
        last_seq: if before > room.last_seq {
            room.last_seq
        } else {
            last.unwrap_or(0)
        },
        messages: rows
            .into_iter()
            .map(|m| line(ctx, access, &base, &blocked, m))
            .collect(),
        report_base: report_base(slug, room.id),
        settings_action: format!("{base}/settings"),
        lang_query: ctx.href("/").trim_start_matches('/').to_owned(),
        room_base: base,
        client_id: new_client_id()?,
        f,
        crisis: None,
    })
}

async fn main_room_page(
    state: State<AppState>,
    user: PageUser,
    Path(slug): Path<String>,
    q: Query<RoomQuery>,
) -> Result<Response, AppError> {
    room_page(state, user, Path((slug, "chat".to_owned())), q).await
}

/// "3 new" (or "many new" past what is counted).
pub fn unread_label(tr: crate::web::i18n::Tr, count: i64) -> String {
    if count >= store::UNREAD_MANY {
        tr.t("chat-unread-many")
    } else {
        tr.t_args("chat-unread", &[("count", count)])
    }
}

async fn room_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, room)): Path<(String, String)>,
    Query(q): Query<RoomQuery>,
) -> Result<Response, AppError> {
    let (access, room) = service::group_room(&state, &user, &slug, &room).await?;
    // Opening the room shows its newest messages: they are read. A read
    // first, so an unchanged room costs no write.
    if store::read_mark(&state.db, user.account.id, room.id)
        .await?
        .is_none_or(|seq| seq < room.last_seq)
    {
        store::mark_read(&state.db, user.account.id, room.id, room.last_seq).await?;
    }
    let (f, _) =
        crate::accounts::drafts::restore(&state, &user, &ctx.path, FormView::new(ctx.tr())).await?;
    let mut page = view(&state, &ctx, &slug, &access, &room, q.before, f).await?;
    if q.crisis.is_some() {
        page.crisis = Some(safety::response(&state, &ctx, crisis::Level::Ideation));
    }
    html(&page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SendForm {
    client_id: String,
    body: String,
}

async fn send_main(
    state: State<AppState>,
    user: PageUser,
    Path(slug): Path<String>,
    form: FormData<SendForm>,
) -> Result<Response, AppError> {
    send(state, user, Path((slug, "chat".to_owned())), form).await
}

/// What a form shows for a refusal: a message id, or slow mode's wait in
/// seconds. The rest become error pages.
fn form_refusal(refused: Refused) -> Result<(&'static str, u32), AppError> {
    let key = match refused {
        Refused::Empty | Refused::TooLarge => "error-chat-body",
        Refused::ControlCharacters => "error-text-control",
        Refused::Locked => "error-room-locked",
        Refused::Archived => "group-archived-banner",
        Refused::SlowMode(secs) => return Ok(("error-slow-mode-wait", secs)),
        Refused::BadClientId => return Err(AppError::BadRequest("error-bad-form")),
        Refused::NotMember | Refused::NotYours => return Err(AppError::Forbidden),
        Refused::NotFound | Refused::NoTarget => return Err(AppError::NotFound),
        Refused::RateLimited => "error-chat-rate",
        Refused::Muted => "error-muted",
        Refused::Suspended => "error-suspended",
        Refused::Filtered => "error-chat-filtered",
        Refused::Hidden => "error-chat-hidden",
        Refused::Unavailable => return Err(AppError::Unavailable),
    };
    Ok((key, 0))
}

async fn send(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, room)): Path<(String, String)>,
    FormData(form): FormData<SendForm>,
) -> Result<Response, AppError> {
    let (access, room) = service::group_room(&state, &user, &slug, &room).await?;
    let written = service::write(
        &state,
        &user,
        room.id,
        &form.client_id,
        Write::Message(&form.body),
    )
    .await;
    let refused = match written {
        Ok(stored) if stored.crisis.is_some() => {
            // Sent, and the writer sees crisis lines first.
            return Ok(Redirect::to(&ctx.href(&format!(
                "{}?crisis=1#crisis-panel",
                room_base(&slug, &room)
            )))
            .into_response());
        }
        Ok(stored) => {
            return Ok(Redirect::to(&ctx.href(&format!(
                "{}#m{}",
                room_base(&slug, &room),
                stored.seq
            )))
            .into_response());
        }
        Err(r) => r,
    };
    let tr = ctx.tr();
    let mut f = FormView::new(tr).with_value("body", &form.body);
    let (key, secs) = form_refusal(refused)?;
    f.errors
        .push(("body", tr.t_args(key, &[("seconds", secs.to_string())])));
    html_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &view(&state, &ctx, &slug, &access, &room, None, f).await?,
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SettingsForm {
    name: String,
    slow_seconds: i64,
    locked: Option<String>,
}

/// Mutes the room for the viewer, or unmutes it.
async fn mute(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, room)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, room) = service::group_room(&state, &user, &slug, &room).await?;
    let on = !store::mutes(&state.db, room.id, user.account.id).await?;
    store::set_mute(&state.db, room.id, user.account.id, on, now_ms()).await?;
    Ok(Redirect::to(&ctx.href(&room_base(&slug, &room))).into_response())
}

async fn settings(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, room)): Path<(String, String)>,
    FormData(form): FormData<SettingsForm>,
) -> Result<Response, AppError> {
    let (access, room) = service::group_room(&state, &user, &slug, &room).await?;
    let name = if form.name.trim().is_empty() {
        None
    } else {
        Some(form.name.as_str())
    };
    match service::set_controls(
        &state,
        &access,
        &room,
        name,
        Some(form.slow_seconds),
        Some(form.locked.is_some()),
    )
    .await
    {
        Ok(room) => Ok(Redirect::to(&ctx.href(&room_base(&slug, &room))).into_response()),
        Err(AppError::Validation(errors)) => {
            let errors = rename(&errors, "room_name");
            let f = FormView::new(ctx.tr()).with_errors(ctx.tr(), &errors);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &view(&state, &ctx, &slug, &access, &room, None, f).await?,
            )
        }
        Err(e) => Err(e),
    }
}

/// The service names a room's name `name`; each form has its own field.
fn rename(
    errors: &[(&'static str, &'static str)],
    field: &'static str,
) -> Vec<(&'static str, &'static str)> {
    errors
        .iter()
        .map(|(f, key)| (if *f == "name" { field } else { *f }, *key))
        .collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AddRoomForm {
    name: String,
}

async fn add_room(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
    FormData(form): FormData<AddRoomForm>,
) -> Result<Response, AppError> {
    let access = crate::groups::access::check(&state, &user, &slug).await?;
    match service::add_room(&state, &access, &form.name).await {
        Ok(room) => Ok(Redirect::to(&ctx.href(&room_base(&slug, &room))).into_response()),
        Err(AppError::Validation(errors)) => {
            let tr = ctx.tr();
            let room = store::main_room(&state.db, access.group.id, now_ms()).await?;
            let f = FormView::new(tr)
                .with_errors(tr, &rename(&errors, "new_room_name"))
                .with_value("new_room_name", &form.name);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &view(&state, &ctx, &slug, &access, &room, None, f).await?,
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "live/edit.html")]
struct EditPage {
    s: Shell,
    room_href: String,
    action: String,
    client_id: String,
    f: FormView,
}

/// The author's own message that is still there, for the edit form.
async fn own_message(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    room: &str,
    seq: i64,
) -> Result<(RoomRow, store::EventRow), AppError> {
    let (_, room) = service::group_room(state, user, slug, room).await?;
    let message = store::message(&state.db, room.id, seq)
        .await?
        .filter(|m| m.deleted_by.is_none() && m.hidden_by.is_none())
        .ok_or(AppError::NotFound)?;
    if message.author.as_deref() != Some(user.account.handle.as_str()) {
        return Err(AppError::Forbidden);
    }
    Ok((room, message))
}

fn edit_view(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    room: &RoomRow,
    seq: i64,
    f: FormView,
) -> Result<EditPage, AppError> {
    let base = room_base(slug, room);
    Ok(EditPage {
        s: Shell::new(state, ctx, ctx.tr().t("chat-edit-title")),
        room_href: format!("{base}#m{seq}"),
        action: format!("{base}/messages/{seq}/edit"),
        client_id: new_client_id()?,
        f,
    })
}

async fn edit_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, room, seq)): Path<(String, String, i64)>,
) -> Result<Response, AppError> {
    let (room, message) = own_message(&state, &user, &slug, &room, seq).await?;
    let f = FormView::new(ctx.tr()).with_value("body", &message.body);
    html(&edit_view(&state, &ctx, &slug, &room, seq, f)?)
}

async fn edit(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, room, seq)): Path<(String, String, i64)>,
    FormData(form): FormData<SendForm>,
) -> Result<Response, AppError> {
    let (_, room) = service::group_room(&state, &user, &slug, &room).await?;
    let written = service::write(
        &state,
        &user,
        room.id,
        &form.client_id,
        Write::Edit {
            target: seq,
            body: &form.body,
        },
    )
    .await;
    match written {
        // Saved, and the writer sees crisis lines, as after sending.
        Ok(stored) if stored.crisis.is_some() => Ok(Redirect::to(&ctx.href(&format!(
            "{}?crisis=1#crisis-panel",
            room_base(&slug, &room)
        )))
        .into_response()),
        Ok(_) => Ok(
            Redirect::to(&ctx.href(&format!("{}#m{seq}", room_base(&slug, &room)))).into_response(),
        ),
        Err(refused) => {
            let (key, secs) = form_refusal(refused)?;
            let tr = ctx.tr();
            let mut f = FormView::new(tr).with_value("body", &form.body);
            f.errors
                .push(("body", tr.t_args(key, &[("seconds", secs.to_string())])));
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &edit_view(&state, &ctx, &slug, &room, seq, f)?,
            )
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeleteForm {
    client_id: String,
}

async fn delete(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path((slug, room, seq)): Path<(String, String, i64)>,
    FormData(form): FormData<DeleteForm>,
) -> Result<Response, AppError> {
    let (_, room) = service::group_room(&state, &user, &slug, &room).await?;
    service::write(
        &state,
        &user,
        room.id,
        &form.client_id,
        Write::Delete { target: seq },
    )
    .await
    .map_err(|r| form_refusal(r).err().unwrap_or(AppError::Forbidden))?;
    Ok(Redirect::to(&ctx.href(&format!("{}#m{seq}", room_base(&slug, &room)))).into_response())
}
