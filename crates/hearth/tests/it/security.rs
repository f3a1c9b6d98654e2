//! CSRF, cross-site requests, cookies and security headers (RELIABILITY.md
//! T11, T12).

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp};

/// Every state-changing form route, with fields that would succeed.
const FORMS: &[(&str, &[(&str, &str)])] = &[
    (
        "/register",
        &[
            ("handle", "csrf_victim2"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
            ("age_bracket", "18+"),
        ],
    ),
    (
        "/login",
        &[("handle", "csrf_victim"), ("password", PASSWORD)],
    ),
    (
        "/account/preferences",
        &[("language", "es"), ("region", "MX")],
    ),
    (
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", "violet harbor canyon bell"),
            ("new_password_confirm", "violet harbor canyon bell"),
        ],
    ),
    ("/account/sessions/end-others", &[]),
    ("/account/sessions/1/end", &[]),
    (
        "/account/delete",
        &[("password", PASSWORD), ("confirm", "yes")],
    ),
    ("/logout", &[]),
];

#[tokio::test]
async fn every_form_without_a_valid_token_or_from_another_site_is_refused_with_no_effect() {
    let app = TestApp::spawn().await;
    let b = app.member("csrf_victim").await;
    let other = app.browser();
    other.login("csrf_victim", PASSWORD).await;
    let good_token = b.get("/account").await.csrf();
    let sessions_before = app.count("sessions").await;

    for (route, fields) in FORMS {
        // (a) no token
        let page = b.post_raw(route, fields).await;
        assert_eq!(
            page.status,
            StatusCode::FORBIDDEN,
            "{route} without a token"
        );
        assert!(
            page.body
                .contains("This form has expired or came from another site"),
            "{route}"
        );
        // (b) a wrong token
        let mut wrong = fields.to_vec();
        wrong.push((
            "csrf",
            "0000000000000000000000000000000000000000000000000000000000000000",
        ));
        assert_eq!(
            b.post_raw(route, &wrong).await.status,
            StatusCode::FORBIDDEN,
            "{route} with a wrong token"
        );
        // (c) the right token, sent by another site
        let mut right = fields.to_vec();
        right.push(("csrf", &good_token));
        for (header, value) in [
            ("origin", "https://evil.invalid"),
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-site", "same-site"),
        ] {
            let r = b
                .client
                .post(app.url(route))
                .header(header, value)
                .form(&right)
                .send()
                .await
                .unwrap();
            assert_eq!(
                r.status(),
                StatusCode::FORBIDDEN,
                "{route} with {header}: {value}"
            );
        }
        // Another person's token is not this person's.
        let mut foreign = fields.to_vec();
        let their_token = other.get("/account").await.csrf();
        foreign.push(("csrf", &their_token));
        assert_eq!(
            b.post_raw(route, &foreign).await.status,
            StatusCode::FORBIDDEN,
            "{route} with someone else's token"
        );
    }

    // Nothing changed.
    assert_eq!(app.count("accounts").await, 1);
    assert_eq!(app.count("sessions").await, sessions_before);
    assert!(b.logged_in_as().await.is_some());
    let page = b.get("/account").await;
    assert!(
        page.body.contains("<html lang=\"en\""),
        "preferences unchanged"
    );
    app.browser()
        .login("csrf_victim", PASSWORD)
        .await
        .assert_redirects_to("/?notice=logged-in");
}

#[tokio::test]
async fn the_same_form_from_our_own_page_is_accepted() {
    let app = TestApp::spawn().await;
    let b = app.member("own_origin").await;
    let token = b.get("/account").await.csrf();
    // What browsers send for our own forms: with `Referrer-Policy:
    // no-referrer` the Origin is "null", and Fetch metadata says same-origin.
    for origin in [app.base.as_str(), "null"] {
        let r = b
            .client
            .post(app.url("/account/preferences"))
            .header("origin", origin)
            .header("sec-fetch-site", "same-origin")
            .form(&[("language", "es"), ("region", ""), ("csrf", &token)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "origin {origin}");
    }
}

#[tokio::test]
async fn api_calls_made_with_the_browser_cookie_need_the_csrf_header() {
    let app = TestApp::spawn().await;
    let b = app.member("cookie_api").await;
    let token = b.get("/account").await.csrf();

    let without = b
        .client
        .patch(app.url("/api/v1/me"))
        .json(&json!({"language": "es"}))
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = without.json().await.unwrap();
    assert_eq!(body["error"]["code"], "csrf");

    let with = b
        .client
        .patch(app.url("/api/v1/me"))
        .header("x-csrf-token", &token)
        .json(&json!({"language": "es"}))
        .send()
        .await
        .unwrap();
    assert_eq!(with.status(), StatusCode::OK);
    // Reads need no token.
    assert_eq!(
        b.client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let home = b.get("/").await;
    let css = home
        .body
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    for path in [
        "/",
        "/help",
        "/register",
        "/login",
        "/no-such-page",
        "/api/v1/me",
        "/healthz",
        css.as_str(),
        "/api/openapi.json",
    ] {
        let page = b.get(path).await;
        let h = &page.headers;
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert!(h.contains_key("x-request-id"), "{path}");
    }
    let dynamic = b.get("/").await;
    assert_eq!(dynamic.headers["cache-control"], "no-store");
    let asset = b.get(&css).await;
    assert_eq!(
        asset.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        asset.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn pages_have_no_inline_scripts_or_styles_and_no_third_party_assets() {
    let app = TestApp::spawn().await;
    let b = app.member("strict_page").await;
    for path in ["/", "/help", "/account", "/no-such-page"] {
        let body = b.get(path).await.body;
        assert!(
            !body.contains("<script>") && !body.contains("<style") && !body.contains(" style="),
            "{path}"
        );
        for src in body
            .split("src=\"")
            .skip(1)
            .chain(body.split("<link rel=\"stylesheet\" href=\"").skip(1))
        {
            assert!(
                src.starts_with('/'),
                "{path} loads {}",
                &src[..src.len().min(60)]
            );
        }
    }
}

#[tokio::test]
async fn behind_https_cookies_are_host_prefixed_secure_httponly_and_samesite() {
    let app = TestApp::spawn_with(|s| s.public_url = "https://hearth.example".into()).await;
    let r = app.http().get(app.url("/register")).send().await.unwrap();
    let cookies: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let csrf = cookies
        .iter()
        .find(|c| c.starts_with("__Host-csrf="))
        .expect("a __Host-csrf cookie");
    for flag in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(csrf.contains(flag), "{flag} in {csrf}");
    }
    assert!(!csrf.contains("Domain="));
    assert!(
        r.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .contains("max-age=31536000")
    );

    // Registering sets the session cookie the same way.
    let token = {
        let body = r.text().await.unwrap();
        let start = body.find("name=\"csrf\" value=\"").unwrap() + 19;
        let end = body[start..].find('"').unwrap() + start;
        body[start..end].to_owned()
    };
    let csrf_cookie = csrf.split(';').next().unwrap().to_owned();
    let reg = app
        .http()
        .post(app.url("/register"))
        .header("cookie", csrf_cookie)
        .form(&[
            ("handle", "secure_one"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
            ("age_bracket", "18+"),
            ("csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(reg.status(), StatusCode::SEE_OTHER);
    let session = reg
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("__Host-session="))
        .expect("a __Host-session cookie");
    for flag in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(flag), "{flag} in {session}");
    }
    assert!(
        !session.contains("Max-Age"),
        "a browser-session cookie: gone when the browser closes"
    );
}

#[tokio::test]
async fn only_the_session_and_csrf_cookies_are_ever_set() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let mut names = std::collections::BTreeSet::new();
    let pages = [
        b.get("/").await,
        b.get("/register").await,
        b.register("cookie_count", PASSWORD).await,
        b.get("/account").await,
        b.get("/help").await,
    ];
    for page in &pages {
        for c in page.cookies() {
            names.insert(c.split('=').next().unwrap().to_owned());
        }
    }
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        ["hearth_csrf", "hearth_session"]
    );
}

#[tokio::test]
async fn session_tokens_are_stored_only_as_keyed_hashes() {
    let app = TestApp::spawn().await;
    let token = app.api_member("hash_check").await;
    let sql = "SELECT token_hash FROM sessions";
    let stored: Vec<Vec<u8>> = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(sql)
        .fetch_all(pool)
        .await
        .unwrap());
    assert!(!stored.is_empty());
    for h in stored {
        assert_eq!(h.len(), 32);
        assert_ne!(hearth::secret::hex(&h), token);
    }
}

#[tokio::test]
async fn an_idle_session_ends_and_is_purged() {
    let app = TestApp::spawn().await;
    let token = app.api_member("idle_one").await;
    // Thirty-one minutes without use.
    let sql = "UPDATE sessions SET last_seen_at = last_seen_at - 1860000";
    hearth::on_db!(&app.state.db, |pool| sqlx::query(sql)
        .execute(pool)
        .await
        .map(|_| ())
        .unwrap());
    let (status, _) = app.api(&token).get("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let purged =
        hearth::accounts::store::purge_sessions(&app.state.db, hearth::db::now_ms(), 30 * 60_000)
            .await
            .unwrap();
    assert_eq!(purged, 1);
}

#[tokio::test]
async fn a_session_ends_twelve_hours_after_log_in_even_when_used() {
    let app = TestApp::spawn().await;
    let token = app.api_member("long_one").await;
    let sql = "UPDATE sessions SET expires_at = $1";
    let now = hearth::db::now_ms();
    hearth::on_db!(&app.state.db, |pool| sqlx::query(sql)
        .bind(now - 1)
        .execute(pool)
        .await
        .map(|_| ())
        .unwrap());
    let (status, _) = app.api(&token).get("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_new_server_secret_ends_every_session() {
    let app = TestApp::spawn().await;
    let token = app.api_member("rotated").await;
    let db = app.state.db.clone();
    let mut settings = app.state.settings.clone();
    settings.bind = "127.0.0.1:0".parse().unwrap();
    let rotated = hearth::AppState::with_parts(
        settings,
        db,
        hearth::secret::Secret::from_bytes([9; 32]),
        hearth::keys::Keys::from_bytes([9; 32]),
        hearth::crypto::DataKey::from_bytes([9; 32]),
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(hearth::serve(listener, rotated, std::future::pending()));
    let r = app
        .http()
        .get(format!("http://{addr}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.api(&token).get("/api/v1/me").await.0, StatusCode::OK);
}

#[tokio::test]
async fn every_write_is_rate_limited_per_account_and_per_client_but_never_logging_out() {
    let app = TestApp::spawn_with(|s| {
        s.limits.writes_per_account_per_minute = 3;
        s.limits.writes_per_client_per_minute = 8;
    })
    .await;
    // Registering counts against the client (1 of 8); a member's refused
    // writes do not.
    let member = app.member("hasty").await;
    for _ in 0..3 {
        let page = save(&member).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let refused = save(&member).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers.contains_key("retry-after"));
    let text = refused.text();
    assert!(
        text.contains("what you wrote is still in the form"),
        "{text}"
    );
    assert!(text.contains("crisis lines"), "{text}");

    // The API says the same, with a code.
    let token = app.api_login("hasty", PASSWORD).await; // client: 5 of 8
    let (status, body) = app
        .api(&token)
        .call("PUT", "/api/v1/account/blocks/nobody_here", None)
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"]["code"], "rate_limited", "{body}");

    // Another member at the same address has their own allowance, until
    // the address's runs out.
    let other = app.member("patient").await; // client: 6 of 8
    assert_eq!(save(&other).await.status, StatusCode::SEE_OTHER); // 7 of 8
    assert_eq!(save(&other).await.status, StatusCode::SEE_OTHER); // 8 of 8
    assert_eq!(save(&other).await.status, StatusCode::TOO_MANY_REQUESTS);

    // Leaving always works.
    let out = member.submit("/account", "/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER, "{}", out.body);
    assert!(member.logged_in_as().await.is_none());
}

async fn save(b: &crate::helpers::Browser) -> crate::helpers::Page {
    b.submit(
        "/account",
        "/account/preferences",
        &[("language", "en"), ("region", "")],
    )
    .await
}

#[tokio::test]
async fn staff_are_not_held_to_the_write_limit() {
    let app = TestApp::spawn_with(|s| s.limits.writes_per_account_per_minute = 2).await;
    let admin = app.staff("steady", "admin").await;
    for _ in 0..4 {
        let page = save(&admin).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
}

/// Pages go compressed to those who ask (brotli or gzip), and never carry
/// the same CSRF bytes twice: the token is masked afresh on every page, so
/// compression cannot leak it (BREACH); every masked copy still works, and
/// a changed one does not.
#[tokio::test]
async fn pages_go_compressed_and_the_csrf_token_never_repeats() {
    let app = TestApp::spawn().await;
    let http = app.http();
    let plain = http.get(app.url("/help")).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain_len = plain.bytes().await.unwrap().len();
    for (asked, got) in [("gzip", "gzip"), ("br", "br"), ("br, gzip", "br")] {
        let r = http
            .get(app.url("/help"))
            .header("accept-encoding", asked)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-encoding"], got, "asked {asked}");
        let vary: Vec<String> = r
            .headers()
            .get_all("vary")
            .iter()
            .map(|v| v.to_str().unwrap().to_lowercase())
            .collect();
        assert!(
            vary.iter().any(|v| v.contains("accept-encoding")),
            "{vary:?}"
        );
        let body = r.bytes().await.unwrap();
        if got == "gzip" {
            assert_eq!(&body[..2], &[0x1f, 0x8b], "a gzip stream");
        }
        assert!(
            body.len() * 2 < plain_len,
            "{asked}: {} bytes of {plain_len}",
            body.len()
        );
    }

    let b = app.browser();
    let first = b.get("/login").await.csrf();
    let second = b.get("/login").await.csrf();
    assert_ne!(first, second, "masked afresh on every page");
    assert_eq!(first.len(), 128);
    // The older copy still works; a changed one is refused.
    let mut changed = first.clone().into_bytes();
    changed[100] = if changed[100] == b'0' { b'1' } else { b'0' };
    let changed = String::from_utf8(changed).unwrap();
    let refused = b
        .post_raw(
            "/login",
            &[
                ("csrf", changed.as_str()),
                ("handle", "nobody"),
                ("password", "x"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let answered = b
        .post_raw(
            "/login",
            &[
                ("csrf", first.as_str()),
                ("handle", "nobody"),
                ("password", "x"),
            ],
        )
        .await;
    assert_eq!(
        answered.status,
        StatusCode::UNAUTHORIZED,
        "the form was heard"
    );
}
