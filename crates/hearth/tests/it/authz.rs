//! T8: every route × every principal, from `tests/authz/matrix.toml`. The
//! matrix must name every route of the OpenAPI document and every page
//! route registered in `src/`; a denial must never carry private text.

use std::collections::{BTreeSet, HashMap};

use hearth::accounts::model::{AgeBracket, Handle, Role};
use hearth::accounts::{sessions, store as accounts};
use hearth::web::CurrentUser;
use hearth::web::ctx::AuthVia;
use reqwest::StatusCode;
use serde::Deserialize;

use crate::helpers::{PASSWORD, TestApp};

const PRINCIPALS: [&str; 8] = [
    "anon",
    "outsider",
    "member",
    "facilitator",
    "moderator",
    "admin",
    "youth",
    "deleted",
];

/// Private text that only members of G may ever receive.
const CANARY: &str = "CANARY-private-words";

#[derive(Debug, Deserialize)]
struct Matrix {
    api: Vec<Row>,
    page: Vec<Row>,
}

#[derive(Debug, Deserialize)]
struct Row {
    method: String,
    path: String,
    slug: Option<String>,
    id: Option<String>,
    /// A room's address in page paths (`chat`).
    room: Option<String>,
    /// A fixture whose number replaces `{seq}` (a chat message).
    seq: Option<String>,
    kind: Option<String>,
    /// A member's handle in the path (`{handle}`).
    handle: Option<String>,
    /// A secret address's token in the path (`{token}`).
    token: Option<String>,
    /// A query string (`{post}` is the members' thread's opening post).
    query: Option<String>,
    file: Option<String>,
    body: Option<String>,
    form: Option<String>,
    #[serde(default)]
    fresh: bool,
    expect: Vec<u16>,
}

struct World {
    app: TestApp,
    hash: String,
    n: u32,
    ids: HashMap<&'static str, i64>,
    tokens: HashMap<&'static str, String>,
    thread: i64,
    /// The opening post of `thread` (`{post}` in bodies and forms).
    first_post: i64,
    term: i64,
    other_session: i64,
    /// A weekly live session in G, meeting on [`meeting_date`].
    meeting: i64,
}

impl World {
    fn next(&mut self) -> u32 {
        self.n += 1;
        self.n
    }

    /// An account made straight in the database (reusing one Argon2 hash).
    async fn account(&mut self, prefix: &str, role: Role, age: AgeBracket) -> i64 {
        let n = self.next();
        let handle = Handle::parse(&format!("{prefix}{n}")).unwrap();
        accounts::insert_account(
            &self.app.state.db,
            accounts::NewAccount {
                handle: &handle,
                password_hash: &self.hash,
                email_sealed: None,
                age_bracket: age,
                role,
                language: None,
                now: hearth::db::now_ms(),
            },
        )
        .await
        .unwrap()
    }

    async fn token(&self, id: i64) -> (i64, String) {
        let (session, token, _) = sessions::create(&self.app.state, id, AuthVia::Bearer)
            .await
            .unwrap();
        (session, token)
    }

    async fn user(&self, token: &str) -> CurrentUser {
        let found = sessions::authenticate(&self.app.state, token, AuthVia::Bearer)
            .await
            .unwrap()
            .unwrap();
        CurrentUser {
            account: found.account,
            session_id: found.session_id,
            via: AuthVia::Bearer,
            staff_waiting: found.staff_waiting,
        }
    }

    async fn group(
        &mut self,
        slug: &str,
        creator: i64,
        age_space: &str,
        joining: &str,
        status: &str,
    ) {
        hearth::groups::store::insert_group(
            &self.app.state.db,
            hearth::groups::store::NewGroup {
                slug,
                name: slug,
                purpose: "A place to share what helps.",
                guidelines: "",
                language: "en",
                leadership: "peer",
                age_space,
                visibility: "listed",
                joining,
                status,
                created_by: creator,
                term_ids: &[],
                intake_questions: "",
                now: hearth::db::now_ms(),
            },
        )
        .await
        .unwrap();
    }

    async fn group_id(&self, slug: &str) -> i64 {
        hearth::groups::store::group_by_slug(&self.app.state.db, slug)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    async fn build() -> World {
        // The matrix makes hundreds of writes a minute as each principal;
        // the write limits are tested on their own (security.rs).
        let app = TestApp::spawn_with(|s| {
            s.limits.writes_per_account_per_minute = u32::MAX;
            s.limits.writes_per_client_per_minute = u32::MAX;
        })
        .await;
        app.api_member("authz_seed").await;
        let hash: String = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
            "SELECT password_hash FROM accounts WHERE handle_key = 'authz_seed'"
        )
        .fetch_one(pool)
        .await
        .unwrap());
        let mut w = World {
            app,
            hash,
            n: 0,
            ids: HashMap::new(),
            tokens: HashMap::new(),
            thread: 0,
            meeting: 0,
            first_post: 0,
            term: 0,
            other_session: 0,
        };
        for (name, role, age) in [
            ("outsider", Role::Member, AgeBracket::Adult),
            ("member", Role::Member, AgeBracket::Adult),
            ("facilitator", Role::Member, AgeBracket::Adult),
            ("moderator", Role::Moderator, AgeBracket::Adult),
            ("admin", Role::Admin, AgeBracket::Adult),
            ("youth", Role::Member, AgeBracket::Youth),
            ("deleted", Role::Member, AgeBracket::Adult),
        ] {
            let id = w.account(name, role, age).await;
            let (_, token) = w.token(id).await;
            w.ids.insert(name, id);
            w.tokens.insert(name, token);
        }
        let (fac, out, youth) = (w.ids["facilitator"], w.ids["outsider"], w.ids["youth"]);
        w.group("g-room", fac, "adult", "open", "active").await;
        w.group("c-room", fac, "adult", "closed", "active").await;
        w.group("h-room", out, "adult", "open", "active").await;
        w.group("y-room", youth, "youth", "open", "active").await;
        let g = w.group_id("g-room").await;
        hearth::groups::store::join(&w.app.state.db, g, w.ids["member"], 0)
            .await
            .unwrap();
        let member = w.user(&w.tokens["member"]).await;
        let thread = hearth::forum::service::create_thread(
            &w.app.state,
            &member,
            "g-room",
            &hearth::forum::service::PostInput {
                title: "A members' thread".into(),
                body: CANARY.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
        w.thread = thread;
        w.first_post = hearth::on_db!(&w.app.state.db, |pool| sqlx::query_scalar(
            "SELECT MIN(id) FROM posts WHERE thread_id = $1"
        )
        .bind(thread)
        .fetch_one(pool)
        .await
        .unwrap());
        w.term = hearth::groups::store::terms(&w.app.state.db).await.unwrap()[0].id;
        w.meeting = w.meeting().await;
        let seed: i64 = hearth::on_db!(&w.app.state.db, |pool| sqlx::query_scalar(
            "SELECT id FROM accounts WHERE handle_key = 'authz_seed'"
        )
        .fetch_one(pool)
        .await
        .unwrap());
        w.other_session = w.token(seed).await.0;
        // The deleted principal's token outlives its account.
        let deleted = w.ids["deleted"];
        accounts::delete_account(&w.app.state.db, deleted)
            .await
            .unwrap();
        w
    }

    async fn reply_by(&mut self, who: &str) -> i64 {
        let user = self.user(&self.tokens[who].clone()).await;
        let n = self.next();
        hearth::forum::service::reply(
            &self.app.state,
            &user,
            "g-room",
            self.thread,
            &hearth::forum::service::PostInput {
                body: format!("{CANARY} reply {n}"),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id
    }

    /// A weekly session in G whose dates include [`meeting_date`].
    async fn meeting(&self) -> i64 {
        let g = self.group_id("g-room").await;
        let start = format!("{}T12:00:00", meeting_date());
        hearth::meetings::store::create(
            &self.app.state.db,
            &hearth::meetings::store::NewMeeting {
                group_id: g,
                title: "Weekly circle",
                description: "",
                first_start: &start,
                time_zone: "UTC",
                minutes: 60,
                recurrence: hearth::meetings::schedule::Recurrence::Weekly,
                until_date: None,
                capacity: 12,
                format: hearth::meetings::store::Format::Audio,
                created_by: self.ids["facilitator"],
                now: 0,
            },
        )
        .await
        .unwrap()
    }

    async fn slug(&mut self, name: &str) -> String {
        match name {
            "G" => "g-room".into(),
            "C" => "c-room".into(),
            "H" => "h-room".into(),
            "Y" => "y-room".into(),
            "new_open" => {
                let slug = format!("open-{}", self.next());
                self.group(&slug, self.ids["facilitator"], "adult", "open", "active")
                    .await;
                slug
            }
            "new_proposal" => {
                let slug = format!("proposal-{}", self.next());
                self.group(&slug, self.ids["member"], "adult", "open", "proposed")
                    .await;
                slug
            }
            other => panic!("unknown slug fixture {other}"),
        }
    }

    async fn id(&mut self, name: &str, own_session: Option<i64>) -> i64 {
        match name {
            "thread" => self.thread,
            "meeting" => self.meeting,
            "new_meeting" => self.meeting().await,
            "new_thread" => {
                let user = self.user(&self.tokens["member"].clone()).await;
                let n = self.next();
                hearth::forum::service::create_thread(
                    &self.app.state,
                    &user,
                    "g-room",
                    &hearth::forum::service::PostInput {
                        title: format!("Thread {n}"),
                        body: CANARY.into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap()
                .id
            }
            "new_member_post" => self.reply_by("member").await,
            "new_phq9" => {
                // A PHQ-9 the `member` principal completed.
                let user = self.user(&self.tokens["member"].clone()).await;
                hearth::wellness::tracking::take(
                    &self.app.state,
                    &user,
                    hearth::wellness::instruments::Kind::Phq9,
                    &hearth::wellness::tracking::AssessmentDraft {
                        answers: vec![Some(1); 9],
                        difficulty: None,
                    },
                )
                .await
                .unwrap()
                .id
            }
            "new_goal" => {
                // A goal of the `member` principal's.
                let user = self.user(&self.tokens["member"].clone()).await;
                hearth::wellness::goals::create(
                    &self.app.state,
                    &user,
                    &hearth::wellness::goals::GoalDraft {
                        title: "Walk every morning".into(),
                        why: CANARY.into(),
                    },
                )
                .await
                .unwrap()
                .id
            }
            "new_journal" => {
                // An entry in the `member` principal's own journal.
                let user = self.user(&self.tokens["member"].clone()).await;
                let n = self.next();
                hearth::wellness::journal::create(
                    &self.app.state,
                    &user,
                    &hearth::wellness::journal::Draft {
                        title: format!("Entry {n}"),
                        body: CANARY.into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap()
                .id
            }
            "room" => {
                let g = self.group_id("g-room").await;
                hearth::live::store::main_room(&self.app.state.db, g, 0)
                    .await
                    .unwrap()
                    .id
            }
            "new_member_message" => {
                // Stored directly: the fixture makes many, faster than a
                // member may send.
                let g = self.group_id("g-room").await;
                let room = hearth::live::store::main_room(&self.app.state.db, g, 0)
                    .await
                    .unwrap()
                    .id;
                let n = self.next();
                let body = format!("{CANARY} chat {n}");
                match hearth::live::store::insert_event(
                    &self.app.state.db,
                    room,
                    self.ids["member"],
                    &format!("fixture{n}"),
                    hearth::live::store::Change::Message { body: &body },
                    hearth::db::now_ms(),
                )
                .await
                .unwrap()
                {
                    hearth::live::store::Outcome::Stored(s) => s.seq,
                    other => panic!("fixture message not stored: {other:?}"),
                }
            }
            "new_facilitator_post" => self.reply_by("facilitator").await,
            "new_report" => {
                // A member's report of the member's own opening post (the
                // author, reported, is the `member` principal).
                let g = self.group_id("g-room").await;
                let reporter = self
                    .account("reporting", Role::Member, AgeBracket::Adult)
                    .await;
                hearth::on_db!(&self.app.state.db, |pool| {
                    sqlx::query_scalar(
                    "INSERT INTO reports (reporter_id, target_kind, target_id, target_account_id, group_id, reason, details, created_at) \
                     VALUES ($1, 'post', $2, $3, $4, 'spam', '', 0) RETURNING id"
                )
                .bind(reporter)
                .bind(self.first_post)
                .bind(self.ids["member"])
                .bind(g)
                .fetch_one(pool)
                .await
                .unwrap()
                })
            }
            "new_held" => {
                // A reply by the `member` principal, held for review.
                let post = self.reply_by("member").await;
                hearth::on_db!(&self.app.state.db, |pool| sqlx::query(
                    "UPDATE posts SET held_reason = 'first_post', held_at = 1 WHERE id = $1"
                )
                .bind(post)
                .execute(pool)
                .await
                .map(|_| ())
                .unwrap());
                post
            }
            "new_filter" => {
                let n = self.next();
                hearth::on_db!(&self.app.state.db, |pool| sqlx::query_scalar(
                    "INSERT INTO word_filters (phrase, phrase_key, action, created_at) \
                     VALUES ($1, $1, 'flag', 0) RETURNING id"
                )
                .bind(format!("fixtureword{n}"))
                .fetch_one(pool)
                .await
                .unwrap())
            }
            "new_warning" => {
                // An action about the `member` principal, by nobody in the
                // matrix (so no principal took it), and not yet appealed.
                hearth::on_db!(&self.app.state.db, |pool| sqlx::query_scalar(
                    "INSERT INTO sanctions (kind, account_id, reason, created_at) \
                     VALUES ('warn', $1, 'Be kind.', 0) RETURNING id"
                )
                .bind(self.ids["member"])
                .fetch_one(pool)
                .await
                .unwrap())
            }
            "new_appeal" => {
                let id: i64 = hearth::on_db!(&self.app.state.db, |pool| sqlx::query_scalar(
                    "INSERT INTO sanctions (kind, account_id, reason, created_at) \
                     VALUES ('warn', $1, 'Be kind.', 0) RETURNING id"
                )
                .bind(self.ids["member"])
                .fetch_one(pool)
                .await
                .unwrap());
                hearth::on_db!(&self.app.state.db, |pool| {
                    sqlx::query(
                    "INSERT INTO appeals (sanction_id, body, created_at) VALUES ($1, 'Please look again.', 0)"
                )
                .bind(id)
                .execute(pool)
                .await
                .map(|_| ())
                .unwrap()
                });
                id
            }
            "new_alert" => {
                let writer = self
                    .account("alerted", Role::Member, AgeBracket::Adult)
                    .await;
                let g = self.group_id("g-room").await;
                hearth::safety::store::raise(
                    &self.app.state.db,
                    &hearth::safety::store::NewAlert {
                        account_id: writer,
                        group_id: Some(g),
                        level: "imminent",
                        score: 0.9,
                        source_kind: "thread",
                        source_id: self.thread,
                        source_url: "/groups/g-room",
                        evidence: &[],
                        now: hearth::db::now_ms(),
                    },
                )
                .await
                .unwrap()
                .id
            }
            "new_member" => {
                let id = self
                    .account("joiner", Role::Member, AgeBracket::Adult)
                    .await;
                let g = self.group_id("g-room").await;
                hearth::groups::store::join(&self.app.state.db, g, id, 0)
                    .await
                    .unwrap();
                id
            }
            "new_facilitator" => {
                let id = self
                    .account("cofacil", Role::Member, AgeBracket::Adult)
                    .await;
                let g = self.group_id("g-room").await;
                hearth::groups::store::join(&self.app.state.db, g, id, 0)
                    .await
                    .unwrap();
                hearth::groups::store::promote(&self.app.state.db, g, id)
                    .await
                    .unwrap();
                id
            }
            "new_request" => {
                let id = self.account("asker", Role::Member, AgeBracket::Adult).await;
                let (_, token) = self.token(id).await;
                let user = self.user(&token).await;
                hearth::groups::service::request_to_join(&self.app.state, &user, "c-room", &[])
                    .await
                    .unwrap();
                hearth::on_db!(&self.app.state.db, |pool| sqlx::query_scalar(
                    "SELECT id FROM join_requests WHERE account_id = $1"
                )
                .bind(id)
                .fetch_one(pool)
                .await
                .unwrap())
            }
            "new_term" => self.term,
            // Callers with no session of their own ask for session 0.
            "own_session" => own_session.unwrap_or(0),
            "other_session" => self.other_session,
            other => panic!("unknown id fixture {other}"),
        }
    }

    /// A new account of the principal's kind, with its group relations.
    async fn fresh(&mut self, principal: &str) -> (i64, String) {
        let (role, age) = match principal {
            "moderator" => (Role::Moderator, AgeBracket::Adult),
            "admin" => (Role::Admin, AgeBracket::Adult),
            "youth" => (Role::Member, AgeBracket::Youth),
            _ => (Role::Member, AgeBracket::Adult),
        };
        let id = self.account(principal, role, age).await;
        let g = self.group_id("g-room").await;
        if matches!(principal, "member" | "facilitator") {
            hearth::groups::store::join(&self.app.state.db, g, id, 0)
                .await
                .unwrap();
        }
        if principal == "facilitator" {
            hearth::groups::store::promote(&self.app.state.db, g, id)
                .await
                .unwrap();
        }
        self.token(id).await
    }
}

fn fill(template: &str, n: u32) -> String {
    template
        .replace("{n}", &n.to_string())
        .replace("{password}", PASSWORD)
        .replace("{date}", &meeting_date())
}

/// A week from today (UTC): a date of the session fixtures.
fn meeting_date() -> String {
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    today
        .checked_add(jiff::Span::new().days(7))
        .unwrap()
        .to_string()
}

/// Method and path of every page route registered in `src/`.
fn page_routes() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut dirs = vec![std::path::PathBuf::from(src)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let mut rest = text.as_str();
            while let Some(at) = rest.find(".route(") {
                rest = rest[at + 7..].trim_start();
                let Some(literal) = rest.strip_prefix('"') else {
                    continue;
                };
                rest = literal;
                let end = rest.find('"').unwrap();
                let route = rest[..end].to_owned();
                // The handlers: up to the parenthesis closing `.route(`.
                let mut depth = 1;
                let mut close = rest.len();
                for (i, c) in rest.char_indices().skip(end) {
                    match c {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                close = i;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let handlers = &rest[end..close];
                for (needle, method) in [("get(", "GET"), ("post(", "POST")] {
                    if handlers.contains(needle) {
                        out.insert((method.to_owned(), route.clone()));
                    }
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn every_route_answers_every_principal_as_the_matrix_says() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/authz/matrix.toml"
    ))
    .unwrap();
    let matrix: Matrix = toml::from_str(&text).unwrap();
    let mut w = World::build().await;
    let http = w.app.http();

    // Completeness: the matrix names every route, and only real ones.
    let doc = w.app.get_json("/api/openapi.json").await;
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let in_matrix: BTreeSet<(String, String)> = matrix
        .api
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    let missing: Vec<_> = documented.difference(&in_matrix).collect();
    let extra: Vec<_> = in_matrix.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "API routes missing from the matrix: {missing:?}"
    );
    assert!(extra.is_empty(), "matrix rows for no API route: {extra:?}");
    let pages = page_routes();
    let in_matrix: BTreeSet<(String, String)> = matrix
        .page
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    let missing: Vec<_> = pages.difference(&in_matrix).collect();
    let extra: Vec<_> = in_matrix.difference(&pages).collect();
    assert!(
        missing.is_empty(),
        "page routes missing from the matrix: {missing:?}"
    );
    assert!(extra.is_empty(), "matrix rows for no page route: {extra:?}");

    let mut mismatches = Vec::new();
    let mut cases = 0;
    for (is_api, row) in matrix
        .api
        .iter()
        .map(|r| (true, r))
        .chain(matrix.page.iter().map(|r| (false, r)))
    {
        assert_eq!(
            row.expect.len(),
            PRINCIPALS.len(),
            "{} {}",
            row.method,
            row.path
        );
        for (i, principal) in PRINCIPALS.iter().enumerate() {
            let (token, own_session) = match *principal {
                "anon" => (None, None),
                p if row.fresh && p != "deleted" => {
                    let (session, token) = w.fresh(p).await;
                    (Some(token), Some(session))
                }
                p => (Some(w.tokens[p].clone()), None),
            };
            let mut path = row.path.clone();
            if let Some(slug) = &row.slug {
                let slug = w.slug(slug).await;
                path = path.replace("{slug}", &slug);
            }
            if let Some(id) = &row.id {
                let id = w.id(id, own_session).await;
                path = path.replace("{id}", &id.to_string());
            }
            if let Some(room) = &row.room {
                path = path.replace("{room}", room);
            }
            if let Some(seq) = &row.seq {
                let seq = w.id(seq, own_session).await;
                path = path.replace("{seq}", &seq.to_string());
            }
            if let Some(kind) = &row.kind {
                path = path.replace("{kind}", kind);
            }
            path = path.replace("{date}", &meeting_date());
            if let Some(handle) = &row.handle {
                path = path.replace("{handle}", handle);
            }
            if let Some(token) = &row.token {
                path = path.replace("{token}", token);
            }
            if let Some(query) = &row.query {
                path = format!(
                    "{path}?{}",
                    query
                        .replace("{post}", &w.first_post.to_string())
                        .replace("{date}", &meeting_date())
                );
            }
            if row.file.is_some() {
                let home = http
                    .get(w.app.url("/"))
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                let at = home.find("/assets/").unwrap();
                let end = home[at..].find('"').unwrap() + at;
                path = home[at..end].to_owned();
            }
            let n = w.next();
            let method = reqwest::Method::from_bytes(row.method.as_bytes()).unwrap();
            // Someone without a live session posts a page's form as a
            // browser does: with the cookie and token the log-in page set.
            let browser = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let mut csrf = String::new();
            if !is_api && row.method == "POST" && matches!(*principal, "anon" | "deleted") {
                csrf = crate::helpers::Browser::read(
                    browser.get(w.app.url("/login")).send().await.unwrap(),
                )
                .await
                .csrf();
            }
            let mut req = browser
                .request(method, w.app.url(&path))
                .header("accept-language", "en");
            if let Some(t) = &token {
                req = req.bearer_auth(t);
            }
            if is_api {
                if let Some(body) = &row.body {
                    req = req
                        .header("content-type", "application/json")
                        .body(fill(body, n).replace("{post}", &w.first_post.to_string()));
                }
            } else if row.method == "POST" {
                // Pages take forms; same-origin as a browser would send it.
                req = req
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("sec-fetch-site", "same-origin")
                    .body(format!(
                        "{}&csrf={csrf}",
                        fill(row.form.as_deref().unwrap_or(""), n)
                            .replace("{post}", &w.first_post.to_string())
                    ));
            }
            let r = req.send().await.unwrap();
            let status = r.status();
            let body = r.text().await.unwrap();
            cases += 1;
            let expected = StatusCode::from_u16(row.expect[i]).unwrap();
            // The API says what it answers: every status seen is in the
            // document for that operation.
            if is_api
                && doc["paths"][&row.path][row.method.to_lowercase()]["responses"][status.as_str()]
                    .is_null()
            {
                mismatches.push(format!(
                    "{} {} as {principal}: {status} is not in the OpenAPI document",
                    row.method, row.path
                ));
            }
            if status != expected {
                mismatches.push(format!(
                    "{} {} as {principal}: got {status}, expected {expected}: {}",
                    row.method,
                    row.path,
                    body.chars().take(200).collect::<String>()
                ));
            }
            if !status.is_success() && body.contains(CANARY) {
                mismatches.push(format!(
                    "{} {} as {principal}: a {status} answer carries private text",
                    row.method, row.path
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {cases} cases differ from the matrix:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
