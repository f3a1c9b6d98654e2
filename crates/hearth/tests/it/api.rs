//! The JSON API: accounts, sessions, errors and the OpenAPI document.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Browser, PASSWORD, TestApp};

#[tokio::test]
async fn a_client_registers_logs_in_reads_itself_and_logs_out() {
    let app = TestApp::spawn().await;
    let http = app.http();

    let r = http
        .post(app.url("/api/v1/accounts"))
        .json(&json!({"handle": "api_person", "password": PASSWORD, "age_bracket": "13-17", "language": "es"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let account: Value = r.json().await.unwrap();
    assert_eq!(account["handle"], "api_person");
    assert_eq!(account["age_bracket"], "13-17");
    assert_eq!(account["role"], "member");
    assert_eq!(account["language"], "es");
    assert!(account.get("password_hash").is_none());

    let token = app.api_login("API_PERSON", PASSWORD).await;
    assert_eq!(token.len(), 64, "256-bit tokens, hex");

    let person = app.api(&token);
    let me: Value = person.get_json("/api/v1/me").await;
    assert_eq!(me["handle"], "api_person");

    let (status, _) = person.delete("/api/v1/sessions/current").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = person.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
}

#[tokio::test]
async fn invalid_fields_get_422_with_a_message_for_each() {
    let app = TestApp::spawn().await;
    let r = app
        .http()
        .post(app.url("/api/v1/accounts"))
        .header("accept-language", "es")
        .json(&json!({"handle": "x", "password": "short", "age_bracket": "under-13", "email": "nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation");
    let fields = &body["error"]["fields"];
    assert_eq!(
        fields["handle"],
        "Tu nombre de usuario debe tener de 3 a 30 caracteres."
    );
    assert_eq!(
        fields["password"],
        "Tu contraseña necesita al menos 10 caracteres."
    );
    assert_eq!(
        fields["age_bracket"],
        "Hearth es para personas de 13 años o más."
    );
    assert!(fields["email"].is_string());
}

#[tokio::test]
async fn malformed_json_wrong_content_type_and_missing_fields_are_400s_with_messages() {
    let app = TestApp::spawn().await;
    let http = app.http();
    let url = app.url("/api/v1/accounts");

    let broken = http
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"handle\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
    let body: Value = broken.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    assert_eq!(
        body["error"]["message"],
        "The request body is not valid JSON."
    );

    let text = http
        .post(&url)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), StatusCode::BAD_REQUEST);

    let missing = http
        .post(&url)
        .json(&json!({"handle": "someone"}))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    let body: Value = missing.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("missing a field")
    );

    let unknown = http
        .post(&url)
        .json(&json!({"handle": "someone", "password": PASSWORD, "age_bracket": "18+", "is_admin": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        unknown.status(),
        StatusCode::BAD_REQUEST,
        "unknown fields are refused, not ignored"
    );
    assert_eq!(app.count("accounts").await, 0);
}

#[tokio::test]
async fn an_oversize_body_is_refused_with_413() {
    let app = TestApp::spawn().await;
    let huge = "x".repeat(400 * 1024);
    let r = app
        .http()
        .post(app.url("/api/v1/accounts"))
        .json(&json!({"handle": huge, "password": PASSWORD, "age_bracket": "18+"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let b = app.browser();
    let token = b.get("/register").await.csrf();
    let page = b
        .post_raw("/register", &[("csrf", &token), ("handle", &huge)])
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.text().contains("What you sent is too large."));
    assert!(page.body.contains("href=\"/help\""));
    assert_eq!(app.count("accounts").await, 0);
}

#[tokio::test]
async fn preferences_password_and_deletion_work_over_the_api() {
    let app = TestApp::spawn().await;
    let owner = app.api(&app.api_member("api_owner").await);

    let (status, me) = owner
        .patch("/api/v1/me", json!({"language": "es", "region": "es"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["language"], "es");
    assert_eq!(me["region"], "ES");

    let other = app.api(&app.api_login("api_owner", PASSWORD).await);
    let (status, _) = owner
        .put(
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "copper meadow violin rain"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(other.get("/api/v1/me").await.0, StatusCode::UNAUTHORIZED);

    let sessions: Value = owner.get_json("/api/v1/sessions").await;
    assert_eq!(sessions.as_array().unwrap().len(), 1);
    assert_eq!(sessions[0]["current"], true);

    let (status, _) = owner
        .call(
            "DELETE",
            "/api/v1/me",
            Some(json!({"password": "wrong password"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = owner
        .call(
            "DELETE",
            "/api/v1/me",
            Some(json!({"password": "copper meadow violin rain"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.count("accounts").await, 0);
}

#[tokio::test]
async fn a_browser_cookie_is_not_a_bearer_token_and_a_bearer_token_is_not_a_cookie() {
    let app = TestApp::spawn().await;
    let b = app.member("two_doors").await;
    let cookie = b.get("/account").await;
    assert_eq!(cookie.status, StatusCode::OK);
    let token = app.api_login("two_doors", PASSWORD).await;

    let as_cookie = app
        .http()
        .get(app.url("/account"))
        .header("cookie", format!("hearth_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        as_cookie.status(),
        StatusCode::SEE_OTHER,
        "an API token does not log a browser in"
    );

    let session_cookie: String = {
        let page = Browser::new(&app.base).login("two_doors", PASSWORD).await;
        page.cookies()
            .into_iter()
            .find(|c| c.starts_with("hearth_session="))
            .unwrap()
    };
    let value = session_cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("hearth_session=")
        .to_owned();
    let as_bearer = app
        .http()
        .get(app.url("/api/v1/me"))
        .bearer_auth(value)
        .send()
        .await
        .unwrap();
    assert_eq!(as_bearer.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = TestApp::spawn().await;
    let r = app
        .http()
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let doc: Value = r.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/accounts", "post"),
        ("/api/v1/sessions", "post"),
        ("/api/v1/sessions", "get"),
        ("/api/v1/sessions/current", "delete"),
        ("/api/v1/sessions/{id}", "delete"),
        ("/api/v1/me", "get"),
        ("/api/v1/me", "patch"),
        ("/api/v1/me", "delete"),
        ("/api/v1/me/password", "put"),
        ("/api/v1/crisis-resources", "get"),
        ("/api/v1/taxonomy", "get"),
        ("/api/v1/groups", "get"),
        ("/api/v1/groups", "post"),
        ("/api/v1/groups/{slug}", "get"),
        ("/api/v1/groups/{slug}/membership", "post"),
        ("/api/v1/groups/{slug}/membership", "delete"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is documented"
        );
    }
    // Registration requires exactly a pseudonym, a password and an age group (T26).
    let required = &doc["components"]["schemas"]["RegisterRequest"]["required"];
    let mut required: Vec<&str> = required
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    required.sort();
    assert_eq!(required, ["age_bracket", "handle", "password"]);
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

/// Every write can be refused as too many (429) or from another site
/// (403), and every route that needs a session can answer 401: the
/// document says so for each (schemathesis checks answers against it).
#[tokio::test]
async fn the_openapi_document_names_the_answers_every_route_can_give() {
    let app = TestApp::spawn_with(|s| s.limits.writes_per_client_per_minute = 2).await;
    let http = app.http();
    let doc = app.get_json("/api/openapi.json").await;
    let mut missing = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let answers = &op["responses"];
            let secured = op["security"]
                .as_array()
                .is_some_and(|s| !s.is_empty() && s.iter().all(|r| r != &json!({})));
            let mut wanted = vec!["400"];
            if secured {
                wanted.push("401");
            }
            if method != "get" {
                wanted.push("403");
                let exempt = path == "/api/v1/crisis/check"
                    || (method == "delete" && path.starts_with("/api/v1/sessions"));
                if !exempt {
                    wanted.push("429");
                }
            }
            for status in wanted {
                if answers[status].is_null() {
                    missing.push(format!("{method} {path}: {status}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "undocumented answers: {missing:?}");
    // And a 429 is what a write past the limit gets.
    let mut last = StatusCode::OK;
    for i in 0..4 {
        last = http
            .post(app.url("/api/v1/accounts"))
            .json(
                &json!({"handle": format!("many{i}"), "password": PASSWORD, "age_bracket": "18+"}),
            )
            .send()
            .await
            .unwrap()
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn crisis_lines_are_available_to_anyone_over_the_api() {
    let app = TestApp::spawn().await;
    let r = app.get_json("/api/v1/crisis-resources?region=gb").await;
    assert_eq!(r["code"], "GB");
    assert_eq!(r["emergency"], "999");
    assert!(
        r["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["phone"] == "116 123")
    );
    let us: Value = app
        .http()
        .get(app.url("/api/v1/crisis-resources"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(us["code"], "US");
    assert!(
        us["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["phone"] == "988")
    );
}

#[tokio::test]
async fn an_unknown_api_route_answers_json_404() {
    let app = TestApp::spawn().await;
    let r = app
        .http()
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn an_email_address_is_stored_encrypted_and_bound_to_its_account() {
    let app = TestApp::spawn().await;
    let r = app
        .http()
        .post(app.url("/api/v1/accounts"))
        .json(&json!({"handle": "with_mail", "password": PASSWORD, "age_bracket": "18+", "email": "someone@example.org"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let account: Value = r.json().await.unwrap();
    assert_eq!(account["has_email"], true);
    assert!(
        account.get("email").is_none(),
        "the address is not echoed back"
    );

    let sql = "SELECT email_sealed FROM accounts WHERE handle_key = 'with_mail'";
    let sealed: Vec<u8> = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .unwrap());
    assert!(!String::from_utf8_lossy(&sealed).contains("someone"));
    let opened = app
        .state
        .data_key
        .open("accounts.email", b"with_mail", &sealed)
        .unwrap();
    assert_eq!(opened, b"someone@example.org");
    assert!(
        app.state
            .data_key
            .open("accounts.email", b"another", &sealed)
            .is_err()
    );
}

#[tokio::test]
async fn malformed_paths_queries_and_bodies_get_our_json_errors() {
    let app = TestApp::spawn().await;
    let token = app.api_member("shape_member").await;
    let http = app.http();
    // A struct is never read from an array, even in field order.
    let r = http
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("[null, null]")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["code"],
        "bad_request"
    );
    // Paths and queries that do not parse answer in JSON too, not plain text.
    for path in [
        "/api/v1/groups/x/threads/99999999999999999999",
        "/api/v1/groups?page=true",
        "/api/v1/groups?page=10001",
    ] {
        let r = app.api(&token).response("GET", path, None).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{path}"
        );
    }
    // And pages get a page.
    let page = app
        .member("page_member")
        .await
        .get("/groups/x/threads/abc")
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("href=\"/help\""));
}
