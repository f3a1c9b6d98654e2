//! `TestApp`: a real Hearth server on a random port with a fresh database,
//! and `Browser`: a cookie-keeping client that fills in forms like a person.

use std::net::SocketAddr;

use hearth::AppState;
use hearth::config::Settings;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::sync::oneshot;

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A fresh database URL: a SQLite file in `dir`, or a new database on the
/// PostgreSQL server named by `HEARTH_TEST_DATABASE_URL`.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("HEARTH_TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            use sqlx::Executor;
            let name = format!(
                "hearth_test_{}",
                hearth::secret::hex(&hearth::secret::random_bytes::<6>().unwrap())
            );
            let admin = sqlx::PgPool::connect(&admin_url)
                .await
                .expect("connect to HEARTH_TEST_DATABASE_URL");
            admin
                .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .unwrap();
            admin.close().await;
            let (base, query) = match admin_url.split_once('?') {
                Some((b, q)) => (b.to_owned(), format!("?{q}")),
                None => (admin_url.clone(), String::new()),
            };
            let prefix = base.rsplit_once('/').map(|(p, _)| p).unwrap_or(&base);
            format!("{prefix}/{name}{query}")
        }
        _ => format!("sqlite://{}?mode=rwc", dir.join("hearth.db").display()),
    }
}

impl TestApp {
    /// The server's data dir (its SQLite files, on SQLite).
    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Whether this suite runs on PostgreSQL (no database file here).
    pub fn on_postgres() -> bool {
        std::env::var("HEARTH_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty())
    }

    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// A server whose settings `configure` may change first.
    /// A second node serving this one's database and data directory
    /// (configured further by `configure`, e.g. with the same bus).
    pub async fn another_node(&self, configure: impl FnOnce(&mut Settings)) -> Self {
        let (data_dir, url) = (
            self.state.settings.data_dir.clone(),
            self.state.settings.database_url.clone(),
        );
        Self::spawn_with(|s| {
            s.database_url = url;
            s.data_dir = data_dir;
            configure(s);
        })
        .await
    }

    pub async fn spawn_with(configure: impl FnOnce(&mut Settings)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let mut settings = Settings::for_data_dir(dir.path());
        settings.bind = addr;
        settings.public_url = format!("http://{addr}");
        settings.database_url = fresh_database_url(dir.path()).await;
        // Tests post as brand-new accounts, many times a second; the
        // newcomers' wait is tested on its own (moderation.rs).
        settings.limits.newcomer_post_interval_secs = 0;
        // Staff here act without a second factor; `factors.rs` tests
        // that they cannot by default.
        settings.limits.staff_second_factor = false;
        configure(&mut settings);
        let state = AppState::build(settings).await.unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let serving = state.clone();
        tokio::spawn(async move {
            hearth::serve(listener, serving, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        Self {
            base: format!("http://{addr}"),
            state,
            shutdown: Some(tx),
            dir,
        }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// A plain client: no cookies, no redirects followed.
    pub fn http(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// An anonymous GET's JSON answer (the OpenAPI document, public lists).
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let r = self.http().get(self.url(path)).send().await.unwrap();
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        r.json().await.unwrap()
    }

    /// Someone speaking to the JSON API with `token`.
    pub fn api(&self, token: &str) -> Api {
        Api {
            http: self.http(),
            base: self.base.clone(),
            token: token.to_owned(),
        }
    }

    /// A browser with a freshly registered, logged-in adult member.
    pub async fn member(&self, handle: &str) -> Browser {
        let b = self.browser();
        let page = b.register(handle, PASSWORD).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "registering {handle}: {}",
            page.body
        );
        b
    }

    /// Registers over the API and returns a bearer token.
    pub async fn api_member(&self, handle: &str) -> String {
        let http = self.http();
        let r = http
            .post(self.url("/api/v1/accounts"))
            .json(
                &serde_json::json!({"handle": handle, "password": PASSWORD, "age_bracket": "18+"}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}",
            r.text().await.unwrap()
        );
        self.api_login(handle, PASSWORD).await
    }

    /// An adult account registered through the API with an e-mail address.
    pub async fn register_with_email(&self, handle: &str, email: &str) {
        let r = self
            .http()
            .post(self.url("/api/v1/accounts"))
            .json(&serde_json::json!({"handle": handle, "password": PASSWORD,
                                       "age_bracket": "18+", "email": email}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }

    pub async fn api_login(&self, handle: &str, password: &str) -> String {
        let r = self
            .http()
            .post(self.url("/api/v1/sessions"))
            .json(&serde_json::json!({"handle": handle, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: serde_json::Value = r.json().await.unwrap();
        v["token"].as_str().unwrap().to_owned()
    }

    /// Rows in a table, straight from the database.
    /// The audit log's privileged actions in order, without the
    /// authentication events and privileged reads around them.
    pub async fn audited_actions(&self) -> Vec<String> {
        hearth::on_db!(&self.state.db, |pool| sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE action NOT LIKE 'auth.%' \
             AND action NOT LIKE '%.list' AND action NOT LIKE '%.view' ORDER BY seq"
        )
        .fetch_all(pool)
        .await
        .unwrap())
    }

    /// A series' value in the process's metrics (shared by every server in
    /// this test process: compare before and after, at least).
    pub async fn metric(&self, series: &str) -> f64 {
        let text = hearth::metrics::global().render(&self.state.db).await;
        text.lines()
            .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no {series} in {text}"))
    }

    pub async fn count(&self, table: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"));
        hearth::on_db!(&self.state.db, |pool| sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .unwrap())
    }
}

pub const PASSWORD: &str = "lantern orchard mosaic tide";

/// A response, read.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn assert_redirects_to(&self, path: &str) {
        assert_eq!(
            self.status,
            StatusCode::SEE_OTHER,
            "expected a redirect: {}",
            self.body
        );
        assert_eq!(self.location(), path);
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> String {
        self.hidden("csrf")
    }

    /// The value of the first form field named `name` (a hidden input).
    pub fn hidden(&self, name: &str) -> String {
        hidden_value(&self.body, name)
    }

    /// The body with HTML character references decoded, for reading text.
    pub fn text(&self) -> String {
        decode_html(&self.body)
    }

    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }
}

/// A cookie-keeping client that does what a person does with pages.
pub struct Browser {
    base: String,
    pub client: reqwest::Client,
    pub accept_language: String,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_owned(),
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            accept_language: "en".into(),
        }
    }

    pub async fn read(r: reqwest::Response) -> Page {
        Page {
            status: r.status(),
            headers: r.headers().clone(),
            body: r.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .header("accept-language", &self.accept_language)
            .send()
            .await
            .unwrap();
        Self::read(r).await
    }

    /// Posts a form as-is (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("accept-language", &self.accept_language)
            .form(fields)
            .send()
            .await
            .unwrap();
        Self::read(r).await
    }

    /// Opens `page`, then submits a form to `action` with the page's CSRF token.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.get(page).await.csrf();
        let mut all = fields.to_vec();
        all.push(("csrf", &token));
        self.post_raw(action, &all).await
    }

    pub async fn register(&self, handle: &str, password: &str) -> Page {
        self.submit(
            "/register",
            "/register",
            &[
                ("handle", handle),
                ("password", password),
                ("password_confirm", password),
                ("email", ""),
                ("age_bracket", "18+"),
                ("language", "en"),
            ],
        )
        .await
    }

    pub async fn login(&self, handle: &str, password: &str) -> Page {
        self.submit(
            "/login",
            "/login",
            &[("handle", handle), ("password", password)],
        )
        .await
    }

    /// Sets a new password through a reset link's form, its token read
    /// from the page as a person's browser would send it.
    pub async fn reset_password(&self, link: &str, new: &str, confirm: &str) -> Page {
        let form = self.get(link).await;
        let (token, csrf) = (form.hidden("token"), form.csrf());
        self.post_raw(
            "/account/reset",
            &[
                ("token", token.as_str()),
                ("new_password", new),
                ("new_password_confirm", confirm),
                ("csrf", csrf.as_str()),
            ],
        )
        .await
    }

    /// The handle shown in the header, if logged in.
    pub async fn logged_in_as(&self) -> Option<String> {
        let page = self.get("/account").await;
        if page.status != StatusCode::OK {
            return None;
        }
        let marker = "<span class=\"handle\">(";
        let start = page.body.find(marker)? + marker.len();
        let end = page.body[start..].find(')')? + start;
        Some(page.body[start..end].to_owned())
    }
}

impl TestApp {
    /// A logged-in browser for an account with `role` (moderator or admin),
    /// or a verified professional when `role` is "professional".
    pub async fn staff(&self, handle: &str, role: &str) -> Browser {
        let b = self.member(handle).await;
        let sql = if role == "professional" {
            "UPDATE accounts SET is_professional = TRUE WHERE handle_key = $1".to_owned()
        } else {
            format!("UPDATE accounts SET role = '{role}' WHERE handle_key = $1")
        };
        let key = handle.to_lowercase();
        hearth::on_db!(&self.state.db, |pool| sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&key)
            .execute(pool)
            .await
            .map(|_| ())
            .unwrap());
        b
    }

    /// A logged-in browser for a 13–17-year-old member.
    pub async fn youth(&self, handle: &str) -> Browser {
        let b = self.browser();
        let page = b
            .submit(
                "/register",
                "/register",
                &[
                    ("handle", handle),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                    ("age_bracket", "13-17"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        b
    }

    /// The id of a taxonomy term.
    pub async fn term(&self, kind: &str, slug: &str) -> i64 {
        let sql = "SELECT id FROM taxonomy_terms WHERE kind = $1 AND slug = $2";
        hearth::on_db!(&self.state.db, |pool| sqlx::query_scalar(sql)
            .bind(kind)
            .bind(slug)
            .fetch_one(pool)
            .await
            .unwrap())
    }
}

impl Browser {
    /// Submits the new-group form; `extra` adds or overrides fields.
    pub async fn create_group(&self, name: &str, extra: &[(&str, &str)]) -> Page {
        let mut fields: Vec<(&str, &str)> = vec![
            ("name", name),
            (
                "purpose",
                "A place to share what helps and listen to each other.",
            ),
            ("guidelines", "Be kind.\nNo advice unless asked."),
            ("language", "en"),
            ("leadership", "peer"),
            ("age_space", "adult"),
            ("visibility", "listed"),
            ("joining", "open"),
        ];
        for (k, v) in extra {
            fields.retain(|(f, _)| f != k || *k == "term");
            fields.push((k, v));
        }
        self.submit("/groups/new", "/groups/new", &fields).await
    }
}

pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A `/live` connection with a bearer token.
pub async fn live_socket(app: &TestApp, token: &str) -> Ws {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = format!("{}/live", app.base.replacen("http://", "ws://", 1));
    let mut req = url.into_client_request().unwrap();
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    tokio_tungstenite::connect_async(req).await.unwrap().0
}

/// Sends one JSON frame.
pub async fn send_json(ws: &mut Ws, frame: serde_json::Value) {
    use futures_util::SinkExt;
    ws.send(tokio_tungstenite::tungstenite::Message::Text(
        frame.to_string().into(),
    ))
    .await
    .unwrap();
}

/// The next frame of `kind`, skipping others (failing after 5 s).
pub async fn next_of(ws: &mut Ws, kind: &str) -> serde_json::Value {
    use futures_util::StreamExt;
    loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(5), ws.next())
            .await
            .unwrap_or_else(|_| panic!("a {kind} frame within 5 s"))
            .unwrap()
            .unwrap();
        if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
            let v: serde_json::Value = serde_json::from_str(&t).unwrap();
            if v["type"] == kind {
                return v;
            }
        }
    }
}

/// An API request with a bearer token (and a JSON body, if any), sent:
/// the whole response.
pub async fn api_request(
    http: &reqwest::Client,
    url: &str,
    method: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> reqwest::Response {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let req = http.request(method, url).bearer_auth(token);
    let req = match body {
        Some(b) => req.json(&b),
        None => req,
    };
    req.send().await.unwrap()
}

/// An API call with a bearer token (and a JSON body, if any): the status
/// and the JSON answer (`null` when there is none).
pub async fn api_call(
    http: &reqwest::Client,
    url: &str,
    method: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let r = api_request(http, url, method, token, body).await;
    let status = r.status();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// A member (or moderator) using the JSON API: each call answers the
/// status and the JSON body (`null` when there is none).
pub struct Api {
    http: reqwest::Client,
    base: String,
    pub token: String,
}

impl Api {
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (StatusCode, serde_json::Value) {
        api_call(
            &self.http,
            &format!("{}{path}", self.base),
            method,
            &self.token,
            body,
        )
        .await
    }

    /// The whole response, for a test that reads more than the status and
    /// the JSON answer (a header).
    pub async fn response(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> reqwest::Response {
        api_request(
            &self.http,
            &format!("{}{path}", self.base),
            method,
            &self.token,
            body,
        )
        .await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, serde_json::Value) {
        self.call("GET", path, None).await
    }

    /// A GET's JSON answer, whatever its status.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        self.get(path).await.1
    }

    pub async fn post(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        self.call("POST", path, Some(body)).await
    }

    pub async fn put(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        self.call("PUT", path, Some(body)).await
    }

    pub async fn patch(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        self.call("PATCH", path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, serde_json::Value) {
        self.call("DELETE", path, None).await
    }

    /// A POST that must succeed: its JSON answer.
    pub async fn ok_post(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let (status, v) = self.post(path, body).await;
        assert!(status.is_success(), "POST {path}: {status} {v}");
        v
    }
}

/// A group and its people in one line, for tests that need a world:
/// `Scene::open_group(&app, "admin", "Open Door", &["writer", "reporter"]).await`
/// makes the admin, the group (open, adult, peer-led) and members who
/// joined it over the API, each with a token.
pub struct Scene {
    pub slug: String,
    /// The admin who made the group, logged in.
    pub admin: Browser,
    pub tokens: std::collections::HashMap<String, String>,
}

impl Scene {
    pub async fn open_group(app: &TestApp, admin: &str, name: &str, members: &[&str]) -> Scene {
        let admin = app.staff(admin, "admin").await;
        let page = admin.create_group(name, &[]).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "creating {name}: {}",
            page.body
        );
        let slug = page
            .location()
            .trim_start_matches("/groups/")
            .split(['?', '/'])
            .next()
            .unwrap_or_default()
            .to_owned();
        let mut tokens = std::collections::HashMap::new();
        for handle in members {
            let token = app.api_member(handle).await;
            let (status, v) = app
                .api(&token)
                .call("POST", &format!("/api/v1/groups/{slug}/membership"), None)
                .await;
            assert_eq!(status, StatusCode::NO_CONTENT, "{handle} joining: {v}");
            tokens.insert((*handle).to_owned(), token);
        }
        Scene {
            slug,
            admin,
            tokens,
        }
    }

    /// `handle`'s API client.
    pub fn api(&self, app: &TestApp, handle: &str) -> Api {
        app.api(&self.tokens[handle])
    }
}

/// The path and query of the first password reset link in a mail's body
/// or a page.
pub fn reset_link_in(text: &str) -> String {
    let start = text.find("/account/reset?token=").expect("a reset link");
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '"')
        .next()
        .unwrap()
        .to_owned()
}

/// The value of the first `name="…" value="…"` field in `html`.
pub fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no field {name} in {html}"))
        + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_owned()
}

/// HTML text or an attribute's value with its character references decoded.
pub fn decode_html(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}
