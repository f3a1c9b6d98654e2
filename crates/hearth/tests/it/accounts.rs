//! Registering, logging in and out, settings: through the HTML pages.

use reqwest::StatusCode;

use crate::helpers::{Browser, PASSWORD, TestApp};

#[tokio::test]
async fn a_person_registers_with_only_a_handle_and_password_and_is_logged_in() {
    let app = TestApp::spawn().await;
    let b = app.browser();

    let page = b.register("quiet_river", PASSWORD).await;

    page.assert_redirects_to("/welcome?notice=welcome");
    let welcome = b.get("/welcome?notice=welcome").await;
    assert!(welcome.body.contains("Welcome to Hearth"));
    assert!(
        welcome.body.contains("What would you like support with?"),
        "onboarding comes next"
    );
    assert!(b.get("/").await.body.contains("Welcome back, quiet_river."));
    assert_eq!(b.logged_in_as().await.as_deref(), Some("quiet_river"));
    assert_eq!(app.count("accounts").await, 1);
}

#[tokio::test]
async fn registration_keeps_what_was_typed_and_explains_each_problem() {
    let app = TestApp::spawn().await;
    let b = app.browser();

    let page = b
        .submit(
            "/register",
            "/register",
            &[
                ("handle", "no spaces allowed"),
                ("password", "short"),
                ("password_confirm", "short"),
                ("email", "not-an-email"),
                ("age_bracket", ""),
                ("language", "en"),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("value=\"no spaces allowed\""),
        "the handle is kept"
    );
    assert!(
        page.body.contains("value=\"not-an-email\""),
        "the e-mail is kept"
    );
    assert!(page.body.contains("Please check the following"));
    assert!(page.body.contains("Your handle can use letters, numbers"));
    assert!(
        page.body
            .contains("Your password needs at least 10 characters.")
    );
    assert!(
        page.text()
            .contains("That doesn't look like an e-mail address.")
    );
    assert!(page.body.contains("Please tell us your age group."));
    assert!(page.body.contains("aria-invalid=\"true\""));
    assert!(
        !page.body.contains("value=\"short\""),
        "passwords are never echoed back"
    );
    assert_eq!(app.count("accounts").await, 0);
}

#[tokio::test]
async fn a_common_password_and_mismatched_confirmation_are_refused() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let common = b
        .submit(
            "/register",
            "/register",
            &[
                ("handle", "ash_tree"),
                ("password", "password1234"),
                ("password_confirm", "password1234"),
                ("age_bracket", "18+"),
            ],
        )
        .await;
    assert_eq!(common.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(common.body.contains("too common"));
    let mismatch = b
        .submit(
            "/register",
            "/register",
            &[
                ("handle", "ash_tree"),
                ("password", PASSWORD),
                ("password_confirm", "lantern orchard"),
                ("age_bracket", "18+"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.text().contains("The two passwords don't match."));
    assert_eq!(app.count("accounts").await, 0);
}

#[tokio::test]
async fn a_handle_that_imitates_another_is_refused() {
    let app = TestApp::spawn().await;
    app.member("paul_w").await;

    for imitation in ["PAUL_W", "pau1_w", "Paul_W"] {
        let page = app.browser().register(imitation, PASSWORD).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{imitation}");
        assert!(page.body.contains("is taken"), "{imitation}");
    }
    let reserved = app.browser().register("Moderator", PASSWORD).await;
    assert!(reserved.body.contains("That handle is reserved."));
    assert_eq!(app.count("accounts").await, 1);
}

#[tokio::test]
async fn someone_under_13_is_refused_kindly_and_shown_where_to_get_help() {
    let app = TestApp::spawn().await;
    let page = app
        .browser()
        .submit(
            "/register",
            "/register",
            &[
                ("handle", "little_one"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("age_bracket", "under-13"),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Hearth is for people aged 13 and over"));
    assert!(
        page.body
            .contains("class=\"button button-crisis\" href=\"/help\"")
    );
    assert_eq!(app.count("accounts").await, 0);
}

#[tokio::test]
async fn a_youth_account_is_recorded_in_the_youth_space() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let page = b
        .submit(
            "/register",
            "/register",
            &[
                ("handle", "teen_reader"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("age_bracket", "13-17"),
            ],
        )
        .await;
    page.assert_redirects_to("/welcome?notice=welcome");
    assert!(b.get("/account").await.body.contains("Youth (13 to 17)"));
}

#[tokio::test]
async fn logging_in_and_out_works_and_logout_ends_the_session_for_good() {
    let app = TestApp::spawn().await;
    app.member("ember").await;
    let b = app.browser();

    let page = b.login("Ember", PASSWORD).await;
    page.assert_redirects_to("/?notice=logged-in");
    let session_cookie = page
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("hearth_session="))
        .unwrap();
    assert_eq!(b.logged_in_as().await.as_deref(), Some("ember"));

    let out = b.submit("/account", "/logout", &[]).await;
    out.assert_redirects_to("/login?notice=logged-out");
    assert!(
        out.cookies()
            .iter()
            .any(|c| c.starts_with("hearth_session=;") || c.contains("Max-Age=0"))
    );
    assert_eq!(b.logged_in_as().await, None);

    // The old cookie, replayed, no longer works.
    let token = session_cookie.split(';').next().unwrap();
    let replay = app
        .http()
        .get(app.url("/account"))
        .header("cookie", token)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
    assert_eq!(replay.headers()["location"], "/login?next=%2Faccount");
}

#[tokio::test]
async fn a_protected_page_sends_a_visitor_to_log_in_and_back() {
    let app = TestApp::spawn().await;
    app.member("willow").await;
    let b = app.browser();
    let page = b.get("/account").await;
    page.assert_redirects_to("/login?next=%2Faccount");
    let back = b
        .submit(
            "/login?next=%2Faccount",
            "/login?next=%2Faccount",
            &[("handle", "willow"), ("password", PASSWORD)],
        )
        .await;
    back.assert_redirects_to("/account");
    let evil = app
        .browser()
        .submit(
            "/login",
            "/login?next=%2F%2Fevil.example",
            &[("handle", "willow"), ("password", PASSWORD)],
        )
        .await;
    evil.assert_redirects_to("/?notice=logged-in");
}

#[tokio::test]
async fn the_session_token_changes_at_every_log_in() {
    let app = TestApp::spawn().await;
    app.member("fern").await;
    let b = app.browser();
    let first = b.login("fern", PASSWORD).await.cookies();
    // Logging in again from a page of the logged-in site.
    let second = b
        .submit(
            "/account",
            "/login",
            &[("handle", "fern"), ("password", PASSWORD)],
        )
        .await
        .cookies();
    let token = |c: &Vec<String>| {
        c.iter()
            .find(|c| c.starts_with("hearth_session="))
            .cloned()
            .unwrap()
    };
    assert_ne!(token(&first), token(&second));
    // Logging in again from the same browser ended the earlier session.
    assert_eq!(
        app.count("sessions").await,
        2,
        "the registration session and the latest log-in"
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_handle_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.member("known_one").await;
    let b = app.browser();
    b.get("/login").await;

    // Handles of equal length, so the pages that repeat them are the same size.
    let known = b.login("known_one", "wrong password here").await;
    let unknown = b.login("nobody_99", "wrong password here").await;

    assert_eq!(known.status, StatusCode::UNAUTHORIZED);
    assert_eq!(known.status, unknown.status);
    let strip = |p: &crate::helpers::Page| {
        let mut h: Vec<_> = p
            .headers
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "date" | "x-request-id"))
            .map(|(k, v)| format!("{k}: {}", v.to_str().unwrap()))
            .collect();
        h.sort();
        h
    };
    assert_eq!(strip(&known), strip(&unknown));
    // The form keeps the typed handle; apart from it (and the CSRF token,
    // masked afresh on every page), the pages are identical.
    let token_free = |body: &str| {
        let at = body.find("name=\"csrf\" value=\"").map(|i| i + 19);
        match at {
            Some(start) => {
                let end = body[start..].find('"').map_or(start, |e| start + e);
                format!("{}{}", &body[..start], &body[end..])
            }
            None => body.to_owned(),
        }
    };
    assert_eq!(
        token_free(&known.body).replace("known_one", "HANDLE"),
        token_free(&unknown.body).replace("nobody_99", "HANDLE")
    );
    assert!(
        known
            .text()
            .contains("That handle and password don't match an account.")
    );
}

/// Wrong passwords for a handle throttle the address that typed them, the
/// same whether or not the handle exists; they never keep the owner out:
/// from another address the right password still works, and once many
/// addresses have failed, an address that has logged in to the account
/// before still gets in while new ones wait.
#[tokio::test]
async fn failures_throttle_the_guesser_never_the_owner_and_reveal_nothing() {
    let app = TestApp::spawn_with(|s| {
        s.limits.login_failures_per_handle = 2;
        s.limits.login_attempts_per_client = 1_000;
        s.trust_forwarded_for = true;
    })
    .await;
    app.member("target").await;
    let http = app.http();
    let attempt = |handle: &'static str, password: &'static str, ip: String| {
        let http = http.clone();
        let url = app.url("/api/v1/sessions");
        async move {
            http.post(url)
                .header("x-forwarded-for", ip)
                .json(&serde_json::json!({"handle": handle, "password": password}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // The guesser's address is throttled, for a real and an unknown handle
    // alike, even when it then types the right password.
    for handle in ["target", "ghost"] {
        for _ in 0..2 {
            assert_eq!(
                attempt(handle, "not the password", "127.0.0.2".into()).await,
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(
            attempt(handle, PASSWORD, "127.0.0.2".into()).await,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    // The owner, elsewhere, logs in.
    assert_eq!(
        attempt("target", PASSWORD, "127.0.0.9".into()).await,
        StatusCode::CREATED
    );
    // Twenty failures from twenty addresses: the handle waits for new
    // addresses (real or not, alike), and the owner's address still gets in.
    for handle in ["target", "ghost"] {
        for i in 0..20 {
            attempt(handle, "not the password", format!("127.0.1.{i}")).await;
        }
        assert_eq!(
            attempt(handle, PASSWORD, "127.0.2.1".into()).await,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    assert_eq!(
        attempt("target", PASSWORD, "127.0.0.9".into()).await,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn one_client_cannot_try_logins_without_limit() {
    let app = TestApp::spawn_with(|s| s.limits.login_attempts_per_client = 4).await;
    let b = app.browser();
    for i in 0..4 {
        let page = b.login(&format!("someone{i}"), "wrong password here").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    let page = b.login("someone9", "wrong password here").await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.headers.contains_key("retry-after"));
    assert!(page.body.contains("too many attempts"));
    assert!(
        page.body.contains("href=\"/help\""),
        "even an error page keeps the help link"
    );
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    let app = TestApp::spawn().await;
    let here = app.member("cedar").await;
    let elsewhere = app.browser();
    elsewhere.login("cedar", PASSWORD).await;
    assert!(elsewhere.logged_in_as().await.is_some());

    let wrong = here
        .submit(
            "/account",
            "/account/password",
            &[
                ("current_password", "not my password"),
                ("new_password", "river stone amber clock"),
                ("new_password_confirm", "river stone amber clock"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().contains("That isn't your current password"));

    let ok = here
        .submit(
            "/account",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "river stone amber clock"),
                ("new_password_confirm", "river stone amber clock"),
            ],
        )
        .await;
    ok.assert_redirects_to("/account?notice=password");

    assert!(here.logged_in_as().await.is_some(), "this session stays");
    assert!(
        elsewhere.logged_in_as().await.is_none(),
        "the other one ended"
    );
    assert_eq!(
        app.browser().login("cedar", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    app.browser()
        .login("cedar", "river stone amber clock")
        .await
        .assert_redirects_to("/?notice=logged-in");
}

#[tokio::test]
async fn a_member_sees_and_ends_their_other_sessions() {
    let app = TestApp::spawn().await;
    let here = app.member("birch").await;
    let phone = app.browser();
    phone.login("birch", PASSWORD).await;

    let page = here.get("/account").await;
    assert!(page.body.contains("This browser"));
    let start = page.body.find("/account/sessions/").unwrap() + "/account/sessions/".len();
    let id: String = page.body[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();

    here.submit("/account", &format!("/account/sessions/{id}/end"), &[])
        .await
        .assert_redirects_to("/account?notice=session-ended");
    assert!(phone.logged_in_as().await.is_none());
    assert!(here.logged_in_as().await.is_some());

    // Someone else's session id is not theirs to end.
    let other = app.member("alder").await;
    let sql = "SELECT MAX(id) FROM sessions";
    let alders: i64 = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .unwrap());
    let end = here
        .submit("/account", &format!("/account/sessions/{alders}/end"), &[])
        .await;
    assert_eq!(end.status, StatusCode::NOT_FOUND);
    assert!(other.logged_in_as().await.is_some());
}

#[tokio::test]
async fn preferences_are_saved_and_the_chosen_language_is_used() {
    let app = TestApp::spawn().await;
    let b = app.member("maple").await;

    let saved = b
        .submit(
            "/account",
            "/account/preferences",
            &[("language", "es"), ("region", "MX")],
        )
        .await;
    saved.assert_redirects_to("/account?notice=prefs");

    let page = b.get("/account?notice=prefs").await;
    assert!(page.body.contains("<html lang=\"es\""));
    assert!(page.body.contains("Tus preferencias están guardadas."));
    let help = b.get("/help").await;
    assert!(help.body.contains("Líneas de crisis en México"));
    assert!(help.body.contains("800 911 2000"));

    let bad = b
        .submit(
            "/account",
            "/account/preferences",
            &[("language", "xx"), ("region", "ZZ")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Elige uno de los idiomas de la lista."));
}

#[tokio::test]
async fn deleting_an_account_needs_the_password_and_a_tick_and_removes_everything() {
    let app = TestApp::spawn().await;
    let b = app.member("rowan").await;

    let unticked = b
        .submit("/account", "/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    let wrong = b
        .submit(
            "/account",
            "/account/delete",
            &[("password", "not my password"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("accounts").await, 1);

    let done = b
        .submit(
            "/account",
            "/account/delete",
            &[("password", PASSWORD), ("confirm", "yes")],
        )
        .await;
    done.assert_redirects_to("/?notice=deleted");
    assert_eq!(app.count("accounts").await, 0);
    assert_eq!(app.count("sessions").await, 0);
    assert!(b.logged_in_as().await.is_none());
    // The handle is free again.
    app.browser()
        .register("rowan", PASSWORD)
        .await
        .assert_redirects_to("/welcome?notice=welcome");
}

#[tokio::test]
async fn pages_work_for_people_who_are_already_logged_in() {
    let app = TestApp::spawn().await;
    let b: Browser = app.member("hazel").await;
    b.get("/register").await.assert_redirects_to("/account");
    b.get("/login").await.assert_redirects_to("/");
}

/// `?next=` goes only to paths on this site: a tab, a line break, a space
/// or a backslash in it (which browsers drop or read as `/`, making
/// `/\t/evil.example` into `//evil.example`) sends to the home page instead,
/// after logging in and when already logged in.
#[tokio::test]
async fn next_never_leads_to_another_site() {
    let app = TestApp::spawn().await;
    app.member("heron").await;
    for sneaky in [
        "%2F%09%2Fevil.example%2Fx",
        "%2F%0A%2Fevil.example",
        "%2F%5Cevil.example",
        "%2F%20%2Fevil.example",
        "%2F%2F%2Fevil.example",
    ] {
        let fresh = app
            .browser()
            .submit(
                "/login",
                &format!("/login?next={sneaky}"),
                &[("handle", "heron"), ("password", PASSWORD)],
            )
            .await;
        fresh.assert_redirects_to("/?notice=logged-in");
        let b = app.browser();
        b.login("heron", PASSWORD).await;
        let page = b.get(&format!("/login?next={sneaky}")).await;
        page.assert_redirects_to("/");
    }
}

/// Behind the operator's proxy, the client's address is the one the proxy
/// appends (right-most): a client writing its own `X-Forwarded-For` entries
/// still counts against one address.
#[tokio::test]
async fn a_client_cannot_choose_its_own_address_behind_a_proxy() {
    let app = TestApp::spawn_with(|s| {
        s.limits.login_attempts_per_client = 3;
        s.trust_forwarded_for = true;
    })
    .await;
    let http = app.http();
    let mut statuses = Vec::new();
    for i in 0..5 {
        let status = http
            .post(app.url("/api/v1/sessions"))
            .header("x-forwarded-for", format!("10.9.8.{i}, 127.0.0.7"))
            .json(&serde_json::json!({"handle": format!("nobody_{i}"), "password": "not the password"}))
            .send()
            .await
            .unwrap()
            .status();
        statuses.push(status);
    }
    assert_eq!(statuses[..3], [StatusCode::UNAUTHORIZED; 3], "{statuses:?}");
    assert_eq!(
        statuses[3..],
        [StatusCode::TOO_MANY_REQUESTS; 2],
        "{statuses:?}"
    );
    // Another address behind the same proxy is its own client.
    let other = http
        .post(app.url("/api/v1/sessions"))
        .header("x-forwarded-for", "127.0.0.8")
        .json(&serde_json::json!({"handle": "nobody_x", "password": "not the password"}))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(other, StatusCode::UNAUTHORIZED);
}

/// A handle that differs from another only by accents looks the same on
/// screen, and is refused as the other is taken; names and titles refuse
/// invisible direction overrides and zero-width spaces, while a family
/// emoji (joined by zero-width joiners) in a title is fine.
#[tokio::test]
async fn look_alike_handles_and_invisible_formatting_are_refused() {
    let app = TestApp::spawn().await;
    app.api_member("tallow1").await;
    let http = app.http();
    let r = http
        .post(app.url("/api/v1/accounts"))
        .json(&serde_json::json!({"handle": "tällow1", "password": PASSWORD, "age_bracket": "18+"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("handle"));

    let admin = app.staff("format_admin", "admin").await;
    admin.create_group("Open Door", &[]).await;
    let tallow = app.api(&app.api_login("tallow1", PASSWORD).await);
    let (status, _) = tallow
        .call("POST", "/api/v1/groups/open-door/membership", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let thread = |title: &'static str| {
        let tallow = &tallow;
        async move {
            tallow
                .post(
                    "/api/v1/groups/open-door/threads",
                    serde_json::json!({"title": title, "body": "Hello all.", "accept_guidelines": true}),
                )
                .await
                .0
        }
    };
    for sneaky in [
        "invoice\u{202E}txt.exe",
        "hello\u{200B}world",
        "\u{2066}isolated\u{2069}",
        "mark\u{200F}ed",
    ] {
        assert_eq!(
            thread(sneaky).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{sneaky:?}"
        );
    }
    let (status, created) = tallow
        .post(
            "/api/v1/groups/open-door/threads",
            serde_json::json!({"title": "Family day 👨\u{200D}👩\u{200D}👧", "body": "Hello all.", "accept_guidelines": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_i64().unwrap();
    // Written text is isolated in the page: its own direction, and the
    // writer's name in <bdi>, so an override inside stays inside.
    let b = app.browser();
    b.login("tallow1", PASSWORD).await;
    let page = b.get(&format!("/groups/open-door/threads/{id}")).await;
    assert!(page.body.contains("<h1 dir=\"auto\">"), "{}", page.body);
    assert!(page.body.contains("class=\"post-body\" dir=\"auto\""));
    assert!(page.body.contains("<bdi id=\"post-"));
}
