//! Group pages: the directory (filters, search, sorting, pages; no
//! JavaScript needed), a group's page, joining and leaving, and the form to
//! create or propose a group.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::model::{GroupRole, GroupStatus, Joining, Leadership, RequestStatus};
use super::service::{self, GroupInput};
use super::store::{self, Filters, GroupRow, Sort, Term};
use crate::AppState;
use crate::web::extract::{PageUser, encode_path};
use crate::web::i18n::{Lang, Tr};
use crate::web::render::{FormView, NoticeQuery, Shell, html, html_with_status, notice_id};
use crate::web::{AppError, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/groups", get(directory))
        .route("/groups/new", get(new_page).post(create))
        .route("/groups/{slug}/join", post(join))
        .route("/groups/{slug}/leave", post(leave))
        .route("/welcome", get(welcome_page).post(save_welcome))
        .merge(super::membership_pages::router())
        .merge(super::admin_pages::router())
}

const PAGE_SIZE: i64 = 20;

fn term_name(t: &Term, lang: Lang) -> String {
    match lang {
        Lang::Es => t.name_es.clone(),
        Lang::En => t.name_en.clone(),
    }
}

/// A `<select>` of one kind of filter.
pub struct FilterSelect {
    pub name: &'static str,
    pub label: String,
    pub any: String,
    pub options: Vec<(String, String, bool)>,
}

/// A group as a directory entry.
pub struct GroupCard {
    pub slug: String,
    pub name: String,
    pub purpose: String,
    pub tags: Vec<String>,
    pub meta: String,
}

impl GroupCard {
    /// `/admin/groups/<slug>/<action>`.
    pub fn admin_path(&self, action: &str) -> String {
        format!("/admin/groups/{}/{action}", self.slug)
    }
}

impl GroupCard {
    /// `/groups/<slug>` or `/groups/<slug>/<action>`.
    pub fn path(&self, action: &str) -> String {
        if action.is_empty() {
            format!("/groups/{}", self.slug)
        } else {
            format!("/groups/{}/{action}", self.slug)
        }
    }
}

#[derive(Template)]
#[template(path = "groups/directory.html")]
struct DirectoryPage {
    s: Shell,
    q: String,
    selects: Vec<FilterSelect>,
    sort: String,
    sorts: Vec<(&'static str, String)>,
    groups: Vec<GroupCard>,
    summary: String,
    prev: Option<String>,
    next: Option<String>,
    can_create: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DirectoryQuery {
    q: String,
    condition: String,
    community: String,
    format: String,
    leadership: String,
    language: String,
    sort: String,
    page: Option<u32>,
    lang: Option<String>,
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

pub(super) fn cards(
    rows: &[GroupRow],
    group_terms: &[(i64, i64)],
    terms: &[Term],
    tr: Tr,
) -> Vec<GroupCard> {
    let by_id: HashMap<i64, &Term> = terms.iter().map(|t| (t.id, t)).collect();
    rows.iter()
        .map(|g| {
            let tags = group_terms
                .iter()
                .filter(|(gid, _)| *gid == g.id)
                .filter_map(|(_, tid)| by_id.get(tid))
                .map(|t| term_name(t, tr.0))
                .collect();
            GroupCard {
                slug: g.slug.clone(),
                name: g.name.clone(),
                purpose: g.purpose.chars().take(240).collect(),
                tags,
                meta: describe(g, tr),
            }
        })
        .collect()
}

/// "Peer-led · Open · 12 members · English"
fn describe(g: &GroupRow, tr: Tr) -> String {
    let leadership = tr.t(if g.leadership == Leadership::Professional {
        "group-professional-led"
    } else {
        "group-peer-led"
    });
    let joining = tr.t(if g.joining == Joining::Open {
        "group-open"
    } else {
        "group-closed"
    });
    let members = tr.t_args("group-members", &[("count", g.member_count)]);
    let language = Lang::from_code(&g.language)
        .map(Lang::native_name)
        .unwrap_or_default();
    format!("{leadership} · {joining} · {members} · {language}")
}

async fn directory(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DirectoryQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let terms = service::terms(&state).await?;
    let viewer = ctx.user.as_ref();
    let filters = Filters {
        condition: non_empty(&q.condition),
        community: non_empty(&q.community),
        format: non_empty(&q.format),
        leadership: non_empty(&q.leadership),
        language: non_empty(&q.language),
        search: store::search_words(&q.q),
        age_space: match viewer {
            Some(u) if u.is_staff() => None,
            Some(u) => Some(
                super::model::AgeSpace::of(u.account.age_bracket)
                    .as_str()
                    .to_owned(),
            ),
            None => Some("adult".to_owned()),
        },
    };
    // A search is ranked by relevance unless another order is chosen.
    let sort_name = if q.sort.is_empty() && filters.search.is_some() {
        "relevance".to_owned()
    } else {
        q.sort.clone()
    };
    let sort = Sort::parse(&sort_name);
    let page = i64::from(q.page.unwrap_or(1).clamp(1, 10_000));
    let store::Directory {
        groups: rows,
        total,
        group_terms,
    } = store::directory(&state.db, &filters, sort, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;

    let kind_select = |kind: &'static str, chosen: &str| FilterSelect {
        name: kind,
        label: tr.t(&format!("groups-filter-{kind}")),
        any: tr.t("groups-filter-any"),
        options: terms
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| (t.slug.clone(), term_name(t, ctx.lang), t.slug == chosen))
            .collect(),
    };
    let selects = vec![
        kind_select("condition", &q.condition),
        kind_select("community", &q.community),
        kind_select("format", &q.format),
        FilterSelect {
            name: "leadership",
            label: tr.t("groups-filter-leadership"),
            any: tr.t("groups-filter-any"),
            options: Leadership::ALL
                .iter()
                .map(|l| {
                    let id = if *l == Leadership::Professional {
                        "group-professional-led"
                    } else {
                        "group-peer-led"
                    };
                    (l.as_str().to_owned(), tr.t(id), q.leadership == l.as_str())
                })
                .collect(),
        },
        FilterSelect {
            name: "language",
            label: tr.t("field-language"),
            any: tr.t("groups-filter-any"),
            options: Lang::ALL
                .iter()
                .map(|l| {
                    (
                        l.code().to_owned(),
                        l.native_name().to_owned(),
                        q.language == l.code(),
                    )
                })
                .collect(),
        },
    ];
    // Links to the neighbouring pages keep every filter.
    let base_query: Vec<(&str, &str)> = [
        ("q", q.q.as_str()),
        ("condition", q.condition.as_str()),
        ("community", q.community.as_str()),
        ("format", q.format.as_str()),
        ("leadership", q.leadership.as_str()),
        ("language", q.language.as_str()),
        ("sort", q.sort.as_str()),
        ("lang", q.lang.as_deref().unwrap_or("")),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let page_link = |p: i64| {
        let mut query: Vec<String> = base_query
            .iter()
            .map(|(k, v)| format!("{k}={}", encode_path(v)))
            .collect();
        query.push(format!("page={p}"));
        format!("/groups?{}", query.join("&"))
    };
    let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let summary = if total == 0 {
        tr.t("groups-none")
    } else {
        tr.t_args(
            "groups-summary",
            &[("count", total), ("page", page), ("pages", pages.max(1))],
        )
    };
    html(&DirectoryPage {
        s: Shell::new(&state, &ctx, tr.t("groups-title")),
        q: q.q.chars().take(100).collect(),
        selects,
        sorts: [
            ("relevance", "groups-sort-relevance"),
            ("activity", "groups-sort-activity"),
            ("newest", "groups-sort-newest"),
            ("name", "groups-sort-name"),
            ("members", "groups-sort-members"),
        ]
        .into_iter()
        .map(|(v, id)| (v, tr.t(id)))
        .collect(),
        sort: sort_name,
        groups: cards(&rows, &group_terms, &terms, tr),
        summary,
        prev: (page > 1).then(|| page_link(page - 1)),
        next: (page < pages).then(|| page_link(page + 1)),
        can_create: ctx.user.is_some(),
    })
}

#[derive(Template)]
#[template(path = "groups/group.html")]
pub struct GroupPage {
    s: Shell,
    g: GroupCard,
    guidelines: String,
    facilitators: Vec<String>,
    proposed: bool,
    declined: bool,
    archived: bool,
    logged_in: bool,
    role: Option<String>,
    can_join: bool,
    closed: bool,
    login_path: String,
    /// For a closed group the viewer may ask to join: its questions.
    questions: Option<Vec<(&'static str, String)>>,
    request_pending: bool,
    declined_message: Option<String>,
    /// For facilitators: a link text saying how many requests wait.
    pending_requests: Option<String>,
    /// Members and staff see the member list.
    can_see_members: bool,
    f: FormView,
    /// The forum's part (its thread list), as HTML, for members and staff.
    pub forum: Option<String>,
    /// The viewer's role in the group.
    pub member_role: Option<GroupRole>,
    pub group: GroupRow,
}

pub async fn group_view(
    state: &AppState,
    ctx: &Ctx,
    group: GroupRow,
    f: FormView,
    notice: Option<&str>,
) -> Result<GroupPage, AppError> {
    let tr = ctx.tr();
    let viewer = ctx.user.as_ref();
    let terms = service::terms(state).await?;
    let group_terms = store::terms_of(&state.db, &[group.id]).await?;
    let role = match viewer {
        Some(u) => store::membership(&state.db, group.id, u.account.id).await?,
        None => None,
    };
    let same_space = viewer
        .is_some_and(|u| group.age_space == super::model::AgeSpace::of(u.account.age_bracket));
    let card = cards(std::slice::from_ref(&group), &group_terms, &terms, tr).remove(0);
    let latest = match viewer {
        Some(u) if role.is_none() && group.joining == Joining::Closed => {
            store::latest_request(&state.db, group.id, u.account.id).await?
        }
        _ => None,
    };
    let request_pending = latest
        .as_ref()
        .is_some_and(|r| r.status == RequestStatus::Pending);
    let may_ask = role.is_none()
        && same_space
        && group.open_for_writing()
        && group.joining == Joining::Closed
        && !request_pending;
    let questions = may_ask.then(|| {
        service::questions(&group)
            .into_iter()
            .zip(service::ANSWER_FIELDS)
            .map(|(q, field)| (field, q.to_owned()))
            .collect()
    });
    let pending_requests = match viewer {
        Some(u)
            if group.joining == Joining::Closed
                && service::can_facilitate(state, u, &group).await? =>
        {
            let n = store::count_pending_requests(&state.db, group.id).await?;
            Some(tr.t_args("group-requests-link", &[("count", n)]))
        }
        _ => None,
    };
    Ok(GroupPage {
        s: Shell::new(state, ctx, group.name.clone()).with_notice(notice),
        questions,
        request_pending,
        declined_message: latest
            .filter(|r| r.status == RequestStatus::Declined)
            .map(|r| r.decision_message.unwrap_or_default()),
        pending_requests,
        can_see_members: role.is_some() || viewer.is_some_and(crate::web::CurrentUser::is_staff),
        f,
        forum: None,
        member_role: role,
        guidelines: group.guidelines.clone(),
        facilitators: store::facilitators(&state.db, group.id).await?,
        proposed: group.status == GroupStatus::Proposed,
        declined: group.status == GroupStatus::Declined,
        archived: group.archived_at.is_some(),
        logged_in: viewer.is_some(),
        can_join: role.is_none()
            && same_space
            && group.open_for_writing()
            && group.joining == Joining::Open,
        closed: group.joining == Joining::Closed,
        login_path: format!(
            "/login?next={}",
            encode_path(&format!("/groups/{}", group.slug))
        ),
        group: group.clone(),
        role: role.map(|r| {
            tr.t(if r == GroupRole::Facilitator {
                "group-role-facilitator"
            } else {
                "group-role-member"
            })
        }),
        g: card,
    })
}

async fn join(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let group = service::join(&state, &user, &slug).await?;
    Ok(Redirect::to(&ctx.href(&format!("/groups/{}?notice=joined", group.slug))).into_response())
}

async fn leave(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let group = service::leave(&state, &user, &slug).await?;
    Ok(Redirect::to(&ctx.href(&format!("/groups/{}?notice=left", group.slug))).into_response())
}

/// A term as a checkbox: (id, name, checked).
type TermChoice = (i64, String, bool);

#[derive(Template)]
#[template(path = "groups/new.html")]
struct NewGroupPage {
    s: Shell,
    f: FormView,
    trusted: bool,
    /// Each kind's legend and its terms.
    kinds: Vec<(String, Vec<TermChoice>)>,
}

async fn new_group_page(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::web::CurrentUser,
    f: FormView,
    chosen: &[i64],
) -> Result<NewGroupPage, AppError> {
    let tr = ctx.tr();
    let terms = service::terms(state).await?;
    let kinds = super::model::TERM_KINDS
        .iter()
        .map(|kind| {
            (
                tr.t(&format!("groups-filter-{kind}")),
                terms
                    .iter()
                    .filter(|t| t.kind == *kind)
                    .map(|t| (t.id, term_name(t, ctx.lang), chosen.contains(&t.id)))
                    .collect(),
            )
        })
        .collect();
    Ok(NewGroupPage {
        s: Shell::new(state, ctx, tr.t("group-new-title")),
        f,
        trusted: user.is_staff() || user.account.is_professional,
        kinds,
    })
}

async fn new_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
) -> Result<Response, AppError> {
    let f = FormView::new(ctx.tr())
        .with_value("language", ctx.lang.code())
        .with_value("leadership", "peer")
        .with_value("visibility", "listed")
        .with_value("joining", "open")
        .with_value("age_space", "adult");
    html(&new_group_page(&state, &ctx, &user, f, &[]).await?)
}

async fn create(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    // Parsed by hand: the tags arrive as a repeated `term` field.
    let mut input = GroupInput::default();
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "name" => input.name = v.into_owned(),
            "slug" => input.slug = v.into_owned(),
            "purpose" => input.settings.purpose = v.into_owned(),
            "guidelines" => input.settings.guidelines = v.into_owned(),
            "language" => input.language = v.into_owned(),
            "leadership" => input.settings.leadership = v.into_owned(),
            "age_space" => input.age_space = v.into_owned(),
            "visibility" => input.settings.visibility = v.into_owned(),
            "joining" => input.settings.joining = v.into_owned(),
            "intake_questions" => input.settings.intake_questions = v.into_owned(),
            "term" => input.term_ids.push(
                v.parse()
                    .map_err(|_| AppError::BadRequest("error-bad-form"))?,
            ),
            _ => {}
        }
    }
    match service::create(&state, &user, &input).await {
        Ok((slug, true)) => Ok(Redirect::to(
            &ctx.href(&format!("/groups/{slug}?notice=group-created")),
        )
        .into_response()),
        Ok((slug, false)) => Ok(Redirect::to(
            &ctx.href(&format!("/groups/{slug}?notice=group-proposed")),
        )
        .into_response()),
        Err(AppError::Validation(errors)) => {
            let tr = ctx.tr();
            let f = FormView::new(tr)
                .with_value("name", &input.name)
                .with_value("slug", &input.slug)
                .with_value("purpose", &input.settings.purpose)
                .with_value("guidelines", &input.settings.guidelines)
                .with_value("language", &input.language)
                .with_value("leadership", &input.settings.leadership)
                .with_value("age_space", &input.age_space)
                .with_value("visibility", &input.settings.visibility)
                .with_value("joining", &input.settings.joining)
                .with_value("intake_questions", &input.settings.intake_questions)
                .with_errors(tr, &errors);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &new_group_page(&state, &ctx, &user, f, &input.term_ids).await?,
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "groups/welcome.html")]
struct WelcomePage {
    s: Shell,
    f: FormView,
    kinds: Vec<(String, Vec<TermChoice>)>,
    languages: Vec<(&'static str, &'static str, bool)>,
    has_interests: bool,
    /// Each recommended group and why, in words.
    recommendations: Vec<(GroupCard, String)>,
}

async fn welcome(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::web::CurrentUser,
    f: FormView,
    notice: Option<&str>,
) -> Result<WelcomePage, AppError> {
    let tr = ctx.tr();
    let (interests, groups, group_terms, terms) = service::recommendations(state, user).await?;
    let recs = super::matching::recommend(&interests, &groups, &group_terms, &terms, 10);
    let names: HashMap<i64, String> = terms
        .iter()
        .map(|t| (t.id, term_name(t, ctx.lang)))
        .collect();
    let recommendations = recs
        .iter()
        .map(|r| {
            let why = r
                .reasons
                .iter()
                .map(|reason| match reason {
                    super::matching::Reason::Term(t) => names.get(t).cloned().unwrap_or_default(),
                    super::matching::Reason::Language(l) => Lang::from_code(l)
                        .map(Lang::native_name)
                        .unwrap_or_default()
                        .to_owned(),
                })
                .collect::<Vec<_>>()
                .join(" · ");
            (
                cards(std::slice::from_ref(r.group), &group_terms, &terms, tr).remove(0),
                why,
            )
        })
        .collect();
    let kinds = super::model::TERM_KINDS
        .iter()
        .map(|kind| {
            (
                tr.t(&format!("welcome-{kind}")),
                terms
                    .iter()
                    .filter(|t| t.kind == *kind)
                    .map(|t| {
                        (
                            t.id,
                            term_name(t, ctx.lang),
                            interests.term_ids.contains(&t.id),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    Ok(WelcomePage {
        s: Shell::new(state, ctx, tr.t("welcome-title")).with_notice(notice),
        f,
        kinds,
        languages: Lang::ALL
            .iter()
            .map(|l| {
                (
                    l.code(),
                    l.native_name(),
                    interests.languages.iter().any(|x| x == l.code()),
                )
            })
            .collect(),
        has_interests: !interests.is_empty(),
        recommendations,
    })
}

async fn welcome_page(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    html(
        &welcome(
            &state,
            &ctx,
            &user,
            FormView::new(ctx.tr()),
            notice_id(n.notice.as_deref()),
        )
        .await?,
    )
}

async fn save_welcome(
    State(state): State<AppState>,
    PageUser(user, ctx): PageUser,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let mut interests = super::matching::Interests::default();
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "term" => interests.term_ids.push(
                v.parse()
                    .map_err(|_| AppError::BadRequest("error-bad-form"))?,
            ),
            "language" => interests.languages.push(v.into_owned()),
            _ => {}
        }
    }
    match service::save_interests(&state, &user, &interests).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}#recommended",
            ctx.href("/welcome?notice=interests")
        ))
        .into_response()),
        Err(AppError::Validation(errors)) => {
            let f = FormView::new(ctx.tr()).with_errors(ctx.tr(), &errors);
            html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &welcome(&state, &ctx, &user, f, None).await?,
            )
        }
        Err(e) => Err(e),
    }
}
