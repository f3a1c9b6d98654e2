//! A second factor: a member sets up an authenticator app (the test is
//! the app, computing codes from the key the page shows), logs in with a
//! code and with a recovery code, each once; the API asks for the code too;
//! moderators and admins act only from a session that proved one.

use reqwest::StatusCode;
use serde_json::{Value, json};
use totp_rs::{Builder, Secret};

use crate::helpers::{Browser, PASSWORD, TestApp, decode_html, hidden_value, reset_link_in};

/// What an authenticator app shows `offset` steps from now for `key`.
fn app_code(key: &str, offset: i64) -> String {
    let totp = Builder::new()
        .with_secret(Secret::try_from_base32(key).unwrap())
        .build()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    totp.generate(now.saturating_add_signed(offset * 30))
        .to_string()
}

/// Sets up the app from the security page; returns the key, the recovery
/// codes shown, and the code that confirmed it (spent).
async fn set_up(b: &Browser) -> (String, Vec<String>, String) {
    let page = b
        .submit("/account/security", "/account/security/totp", &[])
        .await;
    page.assert_redirects_to("/account/security#set-up");
    let html = b.get("/account/security").await.text();
    assert!(html.contains("<svg") && html.contains("QR code"), "{html}");
    let start = html.find("id=\"totp-secret\">").unwrap() + "id=\"totp-secret\">".len();
    let key = html[start..start + html[start..].find('<').unwrap()].to_owned();

    let wrong = b
        .submit(
            "/account/security",
            "/account/security/totp/confirm",
            &[("current_password", PASSWORD), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(decode_html(&wrong.text()).contains("That code is not right"));
    let code = app_code(&key, 0);
    let bad_password = b
        .submit(
            "/account/security",
            "/account/security/totp/confirm",
            &[("current_password", "not the password"), ("code", &code)],
        )
        .await;
    assert_eq!(bad_password.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = b
        .submit(
            "/account/security",
            "/account/security/totp/confirm",
            &[("current_password", PASSWORD), ("code", &code)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    let text = done.text();
    assert!(text.contains("Your second factor is on."), "{text}");
    let codes: Vec<String> = text
        .match_indices("<li><code>")
        .map(|(i, m)| {
            let rest = &text[i + m.len()..];
            rest[..rest.find('<').unwrap()].to_owned()
        })
        .collect();
    assert_eq!(codes.len(), 10, "{text}");
    (key, codes, code)
}

async fn password_step(b: &Browser, handle: &str) -> String {
    let page = b.login(handle, PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let to = page.location().to_owned();
    assert!(to.starts_with("/login/second-factor"), "{to}");
    assert_eq!(b.logged_in_as().await, None, "no session before the code");
    to
}

#[tokio::test]
async fn a_member_logs_in_with_a_code_from_their_app_and_each_code_works_once() {
    let app = TestApp::spawn().await;
    let b = app.member("two_step").await;
    assert!(b.get("/account").await.text().contains("/account/security"));
    let (key, codes, spent_code) = set_up(&b).await;

    // Log out, then in: the password, then a code.
    let fresh = app.browser();
    let step = password_step(&fresh, "two_step").await;
    assert!(fresh.get(&step).await.text().contains("Enter your code"));
    // The code used to confirm the app is spent.
    let replay = fresh
        .submit(&step, "/login/second-factor", &[("code", &spent_code)])
        .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    let next = fresh
        .submit(
            &step,
            "/login/second-factor",
            &[("code", &app_code(&key, 1))],
        )
        .await;
    next.assert_redirects_to("/?notice=logged-in");
    assert_eq!(fresh.logged_in_as().await.as_deref(), Some("two_step"));

    // A recovery code, typed loosely, works once.
    let other = app.browser();
    let step = password_step(&other, "two_step").await;
    let loose = codes[0].to_uppercase().replace('-', " ");
    other
        .submit(&step, "/login/second-factor", &[("code", &loose)])
        .await
        .assert_redirects_to("/?notice=logged-in");
    let third = app.browser();
    let step = password_step(&third, "two_step").await;
    let spent = third
        .submit(&step, "/login/second-factor", &[("code", &codes[0])])
        .await;
    assert_eq!(spent.status, StatusCode::UNAUTHORIZED);
    // Without the cookie from the password step, there is no code step.
    let stranger = app.browser();
    stranger
        .submit("/login", "/login/second-factor", &[("code", &codes[1])])
        .await
        .assert_redirects_to("/login?notice=second-factor-expired");

    // The API asks for the code too.
    let http = app.http();
    let login = |body: Value| {
        let http = http.clone();
        let url = app.url("/api/v1/sessions");
        async move { http.post(url).json(&body).send().await.unwrap() }
    };
    let r = login(json!({"handle": "two_step", "password": PASSWORD})).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "second_factor_required");
    let r = login(json!({"handle": "two_step", "password": PASSWORD, "code": codes[1]})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = login(json!({"handle": "two_step", "password": PASSWORD, "code": codes[1]})).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r =
        login(json!({"handle": "wrong_handle_x", "password": PASSWORD, "code": "123456"})).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Turned off with the password: the password alone again.
    let page = b.get("/account/security").await.text();
    assert!(page.contains("Recovery codes left: 8"), "{page}");
    b.submit(
        "/account/security",
        "/account/security/totp/remove",
        &[("current_password", PASSWORD)],
    )
    .await
    .assert_redirects_to("/account/security?notice=second-factor-off");
    let last = app.browser();
    last.login("two_step", PASSWORD)
        .await
        .assert_redirects_to("/?notice=logged-in");
    let actions = app.audited_actions().await;
    for a in ["account.second_factor_on", "account.second_factor_off"] {
        assert!(actions.iter().any(|x| x == a), "{a}: {actions:?}");
    }
    // The key is sealed at rest, like other private data.
    let sealed: Vec<Vec<u8>> = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT sealed FROM totp_secrets"
    )
    .fetch_all(pool)
    .await
    .unwrap());
    assert!(sealed.is_empty(), "turned off: the key is gone");
}

#[tokio::test]
async fn moderators_act_only_from_a_session_that_proved_a_second_factor() {
    let app = TestApp::spawn_with(|s| s.limits.staff_second_factor = true).await;
    let moderator = app.staff("careful_mod", "moderator").await;
    let page = moderator.get("/moderation/alerts").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(
        decode_html(&page.text()).contains("Your moderator tools wait for a second factor"),
        "{}",
        page.text()
    );
    let token = app.api_login("careful_mod", PASSWORD).await;
    let (status, _) = app.api(&token).get("/api/v1/moderation/alerts").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Setting one up opens the tools in this session at once…
    let (key, _, _) = set_up(&moderator).await;
    assert_eq!(
        moderator.get("/moderation/alerts").await.status,
        StatusCode::OK
    );
    // …and in each session that logs in with a code.
    let later = app.browser();
    let step = password_step(&later, "careful_mod").await;
    later
        .submit(
            &step,
            "/login/second-factor",
            &[("code", &app_code(&key, 1))],
        )
        .await
        .assert_redirects_to("/?notice=logged-in");
    assert_eq!(later.get("/moderation/alerts").await.status, StatusCode::OK);
    // The token made before still has a member's powers.
    let (status, _) = app.api(&token).get("/api/v1/moderation/alerts").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A member's pages never mention it.
    let member = app.member("plain_member").await;
    assert!(
        !decode_html(&member.get("/").await.text())
            .contains("Your moderator tools wait for a second factor")
    );
}

#[tokio::test]
async fn passkey_challenges_name_the_site_and_answers_they_did_not_ask_for_are_refused() {
    // Passkeys need a domain name: on an IP address the pages say so.
    let plain = TestApp::spawn().await;
    assert!(
        !plain
            .browser()
            .get("/login")
            .await
            .text()
            .contains("data-passkey")
    );
    let member = plain.member("ip_member").await;
    assert!(
        decode_html(&member.get("/account/security").await.text())
            .contains("does not allow passkeys")
    );

    let app = TestApp::spawn_with(|s| {
        s.public_url = format!("http://localhost:{}", s.bind.port());
    })
    .await;
    let visitor = app.browser();
    let login = decode_html(&visitor.get("/login").await.text());
    assert!(login.contains("data-passkey=\"get\""), "{login}");
    assert!(login.contains("\"rpId\":\"localhost\""), "{login}");
    let b = app.member("key_member").await;
    let security = decode_html(&b.get("/account/security").await.text());
    assert!(security.contains("data-passkey=\"create\""), "{security}");
    assert!(security.contains("\"name\":\"key_member\""), "{security}");

    // An answer that is no passkey's, a state this server never sealed,
    // and a state sealed for someone else are all refused plainly.
    let page = visitor.get("/login").await.text();
    let state = hidden_value(&page, "state");
    for (state, credential) in [
        (state.as_str(), "{}"),
        ("00", "{}"),
        (hidden_value(&security, "state").as_str(), "{}"),
    ] {
        let r = visitor
            .submit(
                "/login",
                "/login/passkey",
                &[("state", state), ("credential", credential)],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    }
    let r = b
        .submit(
            "/account/security",
            "/account/security/passkeys",
            &[
                ("state", &hidden_value(&security, "state")),
                ("credential", "not json"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // A log-in challenge does not open as an enrolment.
    let r = b
        .submit(
            "/account/security",
            "/account/security/passkeys",
            &[("state", &state), ("credential", "{}")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_admins_reset_link_lets_in_someone_who_lost_their_phone_and_codes() {
    let app = TestApp::spawn().await;
    let admin = app.staff("helping_admin", "admin").await;
    let member = app.member("lost_phone").await;
    set_up(&member).await;
    let id: i64 = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT id FROM accounts WHERE handle_key = 'lost_phone'"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    let page = admin
        .submit(
            "/admin/people?q=lost",
            &format!("/admin/people/{id}/reset-link"),
            &[],
        )
        .await;
    let text = decode_html(&page.text());
    assert!(text.contains("turns off their authenticator app"), "{text}");
    let link = reset_link_in(&text);
    let person = app.browser();
    person
        .reset_password(
            &link,
            "harbour violet spindle oak",
            "harbour violet spindle oak",
        )
        .await
        .assert_redirects_to("/login?notice=password-reset");
    // The new password alone lets them in; they can set the app up again.
    person
        .login("lost_phone", "harbour violet spindle oak")
        .await
        .assert_redirects_to("/?notice=logged-in");
    assert!(
        person
            .get("/account/security")
            .await
            .text()
            .contains("Set up an authenticator app")
    );
}
