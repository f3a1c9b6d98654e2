//! Group rules: who sees which group, who may create one, joining and leaving.

use super::model::{AgeSpace, GroupRole, GroupSlug, GroupStatus, Joining, Leadership, Visibility};
use super::store::{self, GroupRow, InsertError, NewGroup};
use crate::AppState;
use crate::db::now_ms;
use crate::text::parse_text;
use crate::web::i18n::Lang;
use crate::web::{AppError, CurrentUser, FieldErrors};

/// Whether `viewer` may see the group at all. Youth spaces and adult spaces
/// never mix: a youth account sees only youth groups and an adult only
/// adult ones; visitors who are not logged in see adult groups' public page
/// only; staff see everything. A proposal is seen by its proposer and staff.
pub fn can_see(group: &GroupRow, viewer: Option<&CurrentUser>) -> bool {
    if viewer.is_some_and(CurrentUser::is_staff) {
        return true;
    }
    if group.status != GroupStatus::Active {
        return viewer.is_some_and(|u| Some(u.account.id) == group.created_by);
    }
    let space = match viewer {
        Some(u) => AgeSpace::of(u.account.age_bracket),
        None => AgeSpace::Adult,
    };
    group.age_space == space
}

/// The age space whose groups the directory lists for `viewer`: their own,
/// adult for visitors who are not logged in, both (`None`) for staff.
pub fn directory_space(viewer: Option<&CurrentUser>) -> Option<String> {
    match viewer {
        Some(u) if u.is_staff() => None,
        Some(u) => Some(AgeSpace::of(u.account.age_bracket).as_str().to_owned()),
        None => Some(AgeSpace::Adult.as_str().to_owned()),
    }
}

/// What someone typed into the new-group form.
#[derive(Debug, Default, Clone)]
pub struct GroupInput {
    pub name: String,
    pub slug: String,
    pub language: String,
    pub age_space: String,
    pub term_ids: Vec<i64>,
    /// What the group's settings page can change later.
    pub settings: SettingsInput,
}

pub const NAME_MAX: usize = 80;
pub const PURPOSE_MAX: usize = 2000;
pub const GUIDELINES_MAX: usize = 10_000;

/// Creates a group. Staff and verified professionals create it at once;
/// other members propose it for an admin's approval, in their own age space.
/// Returns the slug and whether it is live.
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    input: &GroupInput,
) -> Result<(String, bool), AppError> {
    let mut errors: FieldErrors = Vec::new();
    let name = parse_text(&input.name, 3, NAME_MAX, false, "error-group-name")
        .map_err(|e| errors.push(("name", e)))
        .ok();
    let slug = if input.slug.trim().is_empty() {
        name.as_deref()
            .and_then(GroupSlug::from_name)
            .ok_or("error-group-slug")
    } else {
        GroupSlug::parse(&input.slug)
    }
    .map_err(|e| errors.push(("slug", e)))
    .ok();
    let trusted = user.is_staff() || user.account.is_professional;
    let settings = parse_settings(&input.settings, trusted, &mut errors);
    let language = Lang::from_code(&input.language)
        .filter(|l| l.code() == input.language.trim())
        .ok_or("error-language-invalid")
        .map_err(|e| errors.push(("language", e)))
        .ok();
    let age_space = if trusted {
        AgeSpace::parse(&input.age_space)
            .ok_or("error-choose-one")
            .map_err(|e| errors.push(("age_space", e)))
            .ok()
    } else {
        Some(AgeSpace::of(user.account.age_bracket))
    };
    let known: Vec<i64> = terms(state).await?.iter().map(|t| t.id).collect();
    if input.term_ids.len() > 20 || input.term_ids.iter().any(|t| !known.contains(t)) {
        errors.push(("terms", "error-group-terms"));
    }
    let (Some(name), Some(slug), Some(settings), Some(language), Some(age_space), true) =
        (name, slug, settings, language, age_space, errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    let status = if trusted { "active" } else { "proposed" };
    let id = store::insert_group(
        &state.db,
        NewGroup {
            slug: slug.as_str(),
            name: &name,
            purpose: &settings.purpose,
            guidelines: &settings.guidelines,
            language: language.code(),
            leadership: settings.leadership.as_str(),
            age_space: age_space.as_str(),
            visibility: settings.visibility.as_str(),
            joining: settings.joining.as_str(),
            status,
            created_by: user.account.id,
            term_ids: &input.term_ids,
            intake_questions: &settings.intake_questions,
            now: now_ms(),
        },
    )
    .await
    .map_err(|e| match e {
        InsertError::SlugTaken => AppError::Validation(vec![("slug", "error-group-slug-taken")]),
        InsertError::Db(e) => e.into(),
    })?;
    tracing::info!(
        group.id = id,
        account.id = user.account.id,
        status,
        "group created"
    );
    Ok((slug.as_str().to_owned(), trusted))
}

/// The group at `slug`, if `viewer` may see it (else not found: whether a
/// hidden group exists is not revealed).
pub async fn visible_group(
    state: &AppState,
    slug: &str,
    viewer: Option<&CurrentUser>,
) -> Result<GroupRow, AppError> {
    match store::group_by_slug(&state.db, slug).await? {
        Some(g) if can_see(&g, viewer) => Ok(g),
        _ => Err(AppError::NotFound),
    }
}

/// Joins an open, active group in the member's age space.
pub async fn join(state: &AppState, user: &CurrentUser, slug: &str) -> Result<GroupRow, AppError> {
    let group = visible_group(state, slug, Some(user)).await?;
    if !group.open_for_writing()
        || group.joining != Joining::Open
        || group.age_space != AgeSpace::of(user.account.age_bracket)
    {
        return Err(AppError::Forbidden);
    }
    store::join(&state.db, group.id, user.account.id, now_ms()).await?;
    Ok(group)
}

pub async fn leave(state: &AppState, user: &CurrentUser, slug: &str) -> Result<GroupRow, AppError> {
    let group = visible_group(state, slug, Some(user)).await?;
    store::leave(&state.db, group.id, user.account.id).await?;
    crate::bus::publish(
        state,
        crate::bus::Event::GroupAccessChanged { group: group.id },
    )
    .await;
    Ok(group)
}

/// An admin approves (`true`) or declines a proposed group.
pub async fn decide(
    state: &AppState,
    admin: &CurrentUser,
    slug: &str,
    approve: bool,
) -> Result<GroupRow, AppError> {
    if admin.account.role != crate::accounts::model::Role::Admin {
        return Err(AppError::Forbidden);
    }
    let group = visible_group(state, slug, Some(admin)).await?;
    let status = if approve {
        GroupStatus::Active
    } else {
        GroupStatus::Declined
    };
    if !store::decide_proposal(&state.db, group.id, status, now_ms()).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(
        group.id = group.id,
        account.id = admin.account.id,
        status = status.as_str(),
        "proposal decided"
    );
    Ok(group)
}

/// Saves what a member would like support with (unknown terms and
/// languages are refused).
pub async fn save_interests(
    state: &AppState,
    user: &CurrentUser,
    interests: &super::matching::Interests,
) -> Result<(), AppError> {
    let known: Vec<i64> = terms(state).await?.iter().map(|t| t.id).collect();
    let mut errors: FieldErrors = Vec::new();
    if interests.term_ids.len() > 50 || interests.term_ids.iter().any(|t| !known.contains(t)) {
        errors.push(("terms", "error-group-terms"));
    }
    if interests
        .languages
        .iter()
        .any(|l| Lang::from_code(l).is_none_or(|x| x.code() != l))
    {
        errors.push(("languages", "error-language-invalid"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    store::set_interests(&state.db, user.account.id, interests).await?;
    Ok(())
}

/// Groups the member may join, ranked for their interests.
pub async fn recommendations(
    state: &AppState,
    user: &CurrentUser,
) -> Result<
    (
        super::matching::Interests,
        Vec<GroupRow>,
        Vec<(i64, i64)>,
        Vec<store::Term>,
    ),
    AppError,
> {
    let interests = store::interests(&state.db, user.account.id).await?;
    let groups = store::joinable(
        &state.db,
        user.account.id,
        AgeSpace::of(user.account.age_bracket).as_str(),
    )
    .await?;
    let ids: Vec<i64> = groups.iter().map(|g| g.id).collect();
    let group_terms = store::terms_of(&state.db, &ids).await?;
    let terms = terms(state).await?;
    Ok((interests, groups, group_terms, terms.to_vec()))
}

pub const MAX_QUESTIONS: usize = 5;
pub const ANSWER_MAX: usize = 2000;

/// Up to five questions, one a line, each at most 300 characters.
fn parse_questions(raw: &str) -> Result<Vec<String>, &'static str> {
    let questions: Vec<String> = raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if questions.len() > MAX_QUESTIONS
        || questions
            .iter()
            .any(|q| q.chars().count() > 300 || q.chars().any(char::is_control))
    {
        return Err("error-group-questions");
    }
    Ok(questions)
}

/// A group's intake questions.
pub fn questions(group: &GroupRow) -> Vec<&str> {
    group
        .intake_questions
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// Facilitators of the group, moderators and admins.
pub async fn can_facilitate(
    state: &AppState,
    user: &CurrentUser,
    group: &GroupRow,
) -> Result<bool, AppError> {
    if user.is_staff() {
        return Ok(true);
    }
    Ok(
        store::membership(&state.db, group.id, user.account.id).await?
            == Some(GroupRole::Facilitator),
    )
}

fn answers_owner(group_id: i64, account_id: i64) -> Vec<u8> {
    format!("{group_id}:{account_id}").into_bytes()
}

/// Asks to join a closed group, answering its questions (sealed at rest).
pub async fn request_to_join(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    answers: &[String],
) -> Result<GroupRow, AppError> {
    let group = visible_group(state, slug, Some(user)).await?;
    if !group.open_for_writing()
        || group.joining != Joining::Closed
        || group.age_space != AgeSpace::of(user.account.age_bracket)
    {
        return Err(AppError::Forbidden);
    }
    if store::membership(&state.db, group.id, user.account.id)
        .await?
        .is_some()
    {
        return Ok(group);
    }
    let asked = questions(&group).len();
    let mut errors: FieldErrors = Vec::new();
    if answers.len() != asked {
        return Err(AppError::BadRequest("error-bad-form"));
    }
    for (i, a) in answers.iter().enumerate() {
        if parse_text(a, 1, ANSWER_MAX, true, "error-answer").is_err() {
            errors.push((ANSWER_FIELDS[i.min(MAX_QUESTIONS - 1)], "error-answer"));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let plain = serde_json::to_vec(answers).map_err(AppError::internal)?;
    let sealed = state
        .data_key
        .seal(
            "join_requests.answers",
            &answers_owner(group.id, user.account.id),
            &plain,
        )
        .map_err(AppError::internal)?;
    store::insert_request(&state.db, group.id, user.account.id, &sealed, now_ms()).await?;
    tracing::info!(
        group.id = group.id,
        account.id = user.account.id,
        "join requested"
    );
    Ok(group)
}

/// Form field names of the answers, in order.
pub const ANSWER_FIELDS: [&str; MAX_QUESTIONS] =
    ["answer_1", "answer_2", "answer_3", "answer_4", "answer_5"];

/// A pending request with its answers opened, for the group's facilitators.
pub struct OpenRequest {
    pub id: i64,
    pub handle: String,
    pub answers: Vec<(String, String)>,
}

pub async fn pending_requests(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
) -> Result<(GroupRow, Vec<OpenRequest>), AppError> {
    let group = visible_group(state, slug, Some(user)).await?;
    if !can_facilitate(state, user, &group).await? {
        return Err(AppError::Forbidden);
    }
    let asked: Vec<String> = questions(&group).into_iter().map(str::to_owned).collect();
    let requests = store::pending_requests(&state.db, group.id)
        .await?
        .into_iter()
        .map(|r| {
            let answers: Vec<String> = state
                .data_key
                .open(
                    "join_requests.answers",
                    &answers_owner(group.id, r.account_id),
                    &r.answers_sealed,
                )
                .ok()
                .and_then(|plain| serde_json::from_slice(&plain).ok())
                .unwrap_or_default();
            OpenRequest {
                id: r.id,
                handle: r.handle,
                answers: asked.iter().cloned().zip(answers).collect(),
            }
        })
        .collect();
    Ok((group, requests))
}

/// A facilitator approves or declines a request, with an optional message.
pub async fn decide_request(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    request_id: i64,
    approve: bool,
    message: &str,
) -> Result<GroupRow, AppError> {
    let group = visible_group(state, slug, Some(user)).await?;
    if !can_facilitate(state, user, &group).await? {
        return Err(AppError::Forbidden);
    }
    let message = parse_text(message, 0, 1000, true, "error-decision-message")
        .map_err(|e| AppError::Validation(vec![("message", e)]))?;
    let message = (!message.is_empty()).then_some(message);
    if !store::decide_request(
        &state.db,
        group.id,
        request_id,
        approve,
        message.as_deref(),
        user.account.id,
        now_ms(),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    tracing::info!(
        group.id = group.id,
        request.id = request_id,
        approve,
        "join request decided"
    );
    Ok(group)
}

/// The member list: for the group's members and staff. Also says whether
/// the viewer may manage it (facilitators and staff).
pub async fn members(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
) -> Result<(GroupRow, Vec<store::Member>, bool), AppError> {
    let group = visible_group(state, slug, Some(user)).await?;
    let role = store::membership(&state.db, group.id, user.account.id).await?;
    if role.is_none() && !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    let can_manage = user.is_staff() || role == Some(GroupRole::Facilitator);
    let members = store::members(&state.db, group.id).await?;
    Ok((group, members, can_manage))
}

/// A facilitator (or staff) makes a member a facilitator too.
pub async fn make_facilitator(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    account_id: i64,
) -> Result<GroupRow, AppError> {
    let group = visible_group(state, slug, Some(user)).await?;
    if !can_facilitate(state, user, &group).await? {
        return Err(AppError::Forbidden);
    }
    if !store::promote(&state.db, group.id, account_id).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(
        group.id = group.id,
        account.id = account_id,
        by = user.account.id,
        "facilitator added"
    );
    Ok(group)
}

/// What the group settings form holds (and the new-group form, with more).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct SettingsInput {
    pub purpose: String,
    pub guidelines: String,
    pub leadership: String,
    pub visibility: String,
    pub joining: String,
    pub intake_questions: String,
}

/// A group's settings, checked.
pub struct ValidSettings {
    pub purpose: String,
    pub guidelines: String,
    pub leadership: Leadership,
    pub visibility: Visibility,
    pub joining: Joining,
    /// One question a line.
    pub intake_questions: String,
}

/// Checks what a group is for, its guidelines, who leads it, how it is
/// found and joined, the same whether it is being made or changed; each
/// mistake goes into `errors`. `may_lead_professionally`: staff, verified
/// professionals (and a group already professionally led).
fn parse_settings(
    input: &SettingsInput,
    may_lead_professionally: bool,
    errors: &mut FieldErrors,
) -> Option<ValidSettings> {
    let purpose = parse_text(&input.purpose, 10, PURPOSE_MAX, true, "error-group-purpose")
        .map_err(|e| errors.push(("purpose", e)))
        .ok();
    let guidelines = parse_text(
        &input.guidelines,
        0,
        GUIDELINES_MAX,
        true,
        "error-group-guidelines",
    )
    .map_err(|e| errors.push(("guidelines", e)))
    .ok();
    let leadership = Leadership::parse(&input.leadership)
        .ok_or("error-choose-one")
        .map_err(|e| errors.push(("leadership", e)))
        .ok();
    if leadership == Some(Leadership::Professional) && !may_lead_professionally {
        errors.push(("leadership", "error-group-professional-only"));
    }
    let visibility = Visibility::parse(&input.visibility)
        .ok_or("error-choose-one")
        .map_err(|e| errors.push(("visibility", e)))
        .ok();
    let joining = Joining::parse(&input.joining)
        .ok_or("error-choose-one")
        .map_err(|e| errors.push(("joining", e)))
        .ok();
    let questions = parse_questions(&input.intake_questions)
        .map_err(|e| errors.push(("intake_questions", e)))
        .ok();
    Some(ValidSettings {
        purpose: purpose?,
        guidelines: guidelines?,
        leadership: leadership?,
        visibility: visibility?,
        joining: joining?,
        intake_questions: questions?.join("\n"),
    })
}

/// The group's facilitators (and staff) change what it is for, its
/// guidelines, how people join and find it, and who leads it (professional
/// leadership only by staff or verified professionals). Its name, address
/// and age space stay as they were made.
pub async fn update_settings(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    input: &SettingsInput,
) -> Result<GroupRow, AppError> {
    let group = visible_group(state, slug, Some(user)).await?;
    if !can_facilitate(state, user, &group).await? {
        return Err(AppError::Forbidden);
    }
    let mut errors: FieldErrors = Vec::new();
    // Professional leadership is for staff and verified professionals; a
    // group already led so keeps it whoever saves its settings.
    let may_lead = user.is_staff()
        || user.account.is_professional
        || group.leadership == Leadership::Professional;
    let Some(settings) = parse_settings(input, may_lead, &mut errors).filter(|_| errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    store::update_settings(
        &state.db,
        group.id,
        &store::Settings {
            purpose: &settings.purpose,
            guidelines: &settings.guidelines,
            leadership: settings.leadership,
            visibility: settings.visibility,
            joining: settings.joining,
            intake_questions: &settings.intake_questions,
        },
    )
    .await?;
    tracing::info!(
        group.id = group.id,
        by = user.account.id,
        "group settings saved"
    );
    Ok(group)
}

/// Its facilitators (or staff) archive a group, or bring it back.
pub async fn set_archived(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    archived: bool,
) -> Result<GroupRow, AppError> {
    let group = visible_group(state, slug, Some(user)).await?;
    if !can_facilitate(state, user, &group).await? {
        return Err(AppError::Forbidden);
    }
    store::set_archived(&state.db, group.id, archived.then(now_ms)).await?;
    tracing::info!(
        group.id = group.id,
        archived,
        by = user.account.id,
        "group archive changed"
    );
    Ok(group)
}

/// A facilitator steps down to being a member: staff may step any
/// facilitator down; a facilitator may step down themself while another
/// facilitator remains, so a group is never left without one by its own.
pub async fn step_down(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    account_id: i64,
) -> Result<GroupRow, AppError> {
    let group = visible_group(state, slug, Some(user)).await?;
    if !can_facilitate(state, user, &group).await? {
        return Err(AppError::Forbidden);
    }
    if !user.is_staff() && account_id != user.account.id {
        return Err(AppError::Forbidden);
    }
    if store::membership(&state.db, group.id, account_id).await? != Some(GroupRole::Facilitator) {
        return Err(AppError::NotFound);
    }
    if !user.is_staff() && store::facilitators(&state.db, group.id).await?.len() < 2 {
        return Err(AppError::Validation(vec![(
            "facilitator",
            "error-last-facilitator",
        )]));
    }
    store::demote(&state.db, group.id, account_id).await?;
    tracing::info!(
        group.id = group.id,
        account.id = account_id,
        by = user.account.id,
        "facilitator stepped down"
    );
    Ok(group)
}

/// A facilitator removes a member (staff may also remove facilitators).
/// Access ends at once: every check reads the membership table.
pub async fn remove_member(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    account_id: i64,
) -> Result<GroupRow, AppError> {
    let group = visible_group(state, slug, Some(user)).await?;
    if !can_facilitate(state, user, &group).await? || account_id == user.account.id {
        return Err(AppError::Forbidden);
    }
    match store::membership(&state.db, group.id, account_id).await? {
        None => return Err(AppError::NotFound),
        Some(GroupRole::Facilitator) if !user.is_staff() => return Err(AppError::Forbidden),
        Some(_) => {}
    }
    store::leave(&state.db, group.id, account_id).await?;
    // Their open chat connections stop receiving the group's rooms now.
    crate::bus::publish(
        state,
        crate::bus::Event::GroupAccessChanged { group: group.id },
    )
    .await;
    tracing::info!(
        group.id = group.id,
        account.id = account_id,
        by = user.account.id,
        "member removed"
    );
    Ok(group)
}

/// Taxonomy terms, read at most every 30 seconds per node (and at once
/// after an admin's edit on this node): every directory and group page
/// needs them.
pub type TermCache = crate::fresh::Fresh<Vec<store::Term>>;

pub const TERMS_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(30);

pub async fn terms(state: &AppState) -> Result<std::sync::Arc<Vec<store::Term>>, AppError> {
    if let Some(terms) = state.terms.get() {
        return Ok(terms);
    }
    let fresh = std::sync::Arc::new(store::terms(&state.db).await?);
    state.terms.put(fresh.clone());
    Ok(fresh)
}

/// Admins only.
pub fn require_admin(user: &CurrentUser) -> Result<(), AppError> {
    if user.account.role == crate::accounts::model::Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// An admin adds a taxonomy term.
pub async fn add_term(
    state: &AppState,
    user: &CurrentUser,
    kind: &str,
    slug: &str,
    name_en: &str,
    name_es: &str,
) -> Result<(), AppError> {
    require_admin(user)?;
    let mut errors: FieldErrors = Vec::new();
    if !super::model::TERM_KINDS.contains(&kind) {
        errors.push(("kind", "error-choose-one"));
    }
    let slug = GroupSlug::parse(slug)
        .map_err(|_| errors.push(("slug", "error-group-slug")))
        .ok();
    let en = parse_text(name_en, 2, 60, false, "error-term-name")
        .map_err(|e| errors.push(("name_en", e)))
        .ok();
    let es = parse_text(name_es, 2, 60, false, "error-term-name")
        .map_err(|e| errors.push(("name_es", e)))
        .ok();
    let (Some(slug), Some(en), Some(es), true) = (slug, en, es, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    if !store::add_term(&state.db, kind, slug.as_str(), &en, &es).await? {
        return Err(AppError::Validation(vec![(
            "slug",
            "error-group-slug-taken",
        )]));
    }
    state.terms.forget();
    tracing::info!(account.id = user.account.id, "taxonomy term added");
    Ok(())
}

/// An admin renames a taxonomy term in both languages.
pub async fn rename_term(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    name_en: &str,
    name_es: &str,
) -> Result<(), AppError> {
    require_admin(user)?;
    let mut errors: FieldErrors = Vec::new();
    let en = parse_text(name_en, 2, 60, false, "error-term-name")
        .map_err(|e| errors.push(("name_en", e)))
        .ok();
    let es = parse_text(name_es, 2, 60, false, "error-term-name")
        .map_err(|e| errors.push(("name_es", e)))
        .ok();
    let (Some(en), Some(es), true) = (en, es, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    if !store::rename_term(&state.db, id, &en, &es).await? {
        return Err(AppError::NotFound);
    }
    state.terms.forget();
    tracing::info!(
        account.id = user.account.id,
        term.id = id,
        "taxonomy term renamed"
    );
    Ok(())
}
