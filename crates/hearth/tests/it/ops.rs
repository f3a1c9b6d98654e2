//! Health, readiness, error pages, the help page and assets.

use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    let http = app.http();
    let r = http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn without_a_database_pages_say_so_with_503_and_readiness_fails_but_health_holds() {
    let app = TestApp::spawn().await;
    let b = app.member("before_outage").await;
    app.state.db.close().await;

    let http = app.http();
    assert_eq!(
        http.get(app.url("/readyz")).send().await.unwrap().status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        http.get(app.url("/healthz")).send().await.unwrap().status(),
        StatusCode::OK
    );

    let page = b.get("/account").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.text()
            .contains("Hearth can't reach its database right now.")
    );
    assert!(
        page.body.contains("href=\"/help\""),
        "the crisis link survives an outage"
    );

    let api = http
        .post(app.url("/api/v1/accounts"))
        .json(&serde_json::json!({"handle": "during_outage", "password": crate::helpers::PASSWORD, "age_bracket": "18+"}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable");

    // The help page needs no database at all.
    let help = app.browser().get("/help").await;
    assert_eq!(help.status, StatusCode::OK);
    assert!(help.body.contains("988"));
}

#[tokio::test]
async fn an_unknown_page_is_a_friendly_404_with_the_help_link() {
    let app = TestApp::spawn().await;
    let page = app.browser().get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"));
    assert!(
        page.body
            .contains("<a class=\"get-help\" href=\"/help\">Get help now</a>")
    );
    assert!(page.body.contains("Quick exit"));
    let wrong_method = app.browser().get("/logout").await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.body.contains("Get help now"));
}

#[tokio::test]
async fn every_page_has_the_help_link_quick_exit_and_disclaimer() {
    let app = TestApp::spawn().await;
    let b = app.member("shell_check").await;
    for path in ["/", "/help", "/account", "/no-such-page"] {
        let body = b.get(path).await.body;
        assert!(
            body.contains("<a class=\"get-help\" href=\"/help\">Get help now</a>"),
            "{path}"
        );
        assert!(body.contains("data-quick-exit"), "{path}");
        assert!(body.contains("It is not medical advice"), "{path}");
    }
    let anon = app.browser();
    for path in ["/register", "/login"] {
        let body = anon.get(path).await.body;
        assert!(body.contains("href=\"/help\""), "{path}");
        assert!(body.contains("data-quick-exit"), "{path}");
    }
}

#[tokio::test]
async fn the_help_page_lists_the_us_lines_by_default_and_others_on_request() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let us = b.get("/help").await;
    assert_eq!(us.status, StatusCode::OK);
    let text = us.text();
    for expected in [
        "988 Suicide & Crisis Lifeline",
        "href=\"tel:988\"",
        "Crisis Text Line",
        "href=\"sms:741741?&body=HOME\"",
        "Veterans Crisis Line",
        "The Trevor Project",
        "href=\"tel:18664887386\"",
        "call 911 now",
        "https://findahelpline.com",
    ] {
        assert!(text.contains(expected), "missing {expected}");
    }
    let uk = b.get("/help?region=GB").await;
    assert!(uk.body.contains("Samaritans") && uk.body.contains("call 999 now"));
    let unknown = b.get("/help?region=ZZ").await;
    assert!(
        unknown.body.contains("988 Suicide"),
        "an unknown region falls back to the default"
    );
}

#[tokio::test]
async fn an_operator_can_replace_the_crisis_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lines.toml");
    std::fs::write(
        &file,
        "default_region = \"NZ\"\n[international]\nname = { en = \"Directory\" }\nurl = \"https://findahelpline.com\"\n[[region]]\ncode = \"NZ\"\nname = { en = \"Aotearoa New Zealand\" }\nemergency = \"111\"\n[[region.line]]\nname = \"Need to talk? 1737\"\ndescription = { en = \"Call or text 1737.\" }\nphone = \"1737\"\n",
    )
    .unwrap();
    let app = TestApp::spawn_with(|s| s.crisis_resources = Some(file.clone())).await;
    let page = app.browser().get("/help").await;
    assert!(page.body.contains("Need to talk? 1737"));
    assert!(page.body.contains("call 111 now"));
    assert!(!page.body.contains("988"));
}

#[tokio::test]
async fn an_unknown_asset_is_404_and_assets_are_not_cookie_dependent() {
    let app = TestApp::spawn().await;
    let r = app
        .http()
        .get(app.url("/assets/hearth-000000000000.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
