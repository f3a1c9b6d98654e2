//! The admins' hub: one place for every admin task, and people and their
//! roles. Only admins make or remove moderators; nobody changes their own
//! role or an admin's from the web; every change is audited and holds from
//! the person's next request.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn an_admin_makes_a_moderator_who_can_then_moderate_and_removes_them_again() {
    let app = TestApp::spawn().await;
    let admin = app.staff("hub_admin", "admin").await;
    let helper = app.member("kind_helper").await;
    app.member("kind_other").await;

    // The hub leads to each task; the header leads to the hub.
    let hub = admin.get("/admin").await;
    assert_eq!(hub.status, StatusCode::OK);
    let hub = hub.text();
    for link in [
        "/admin/people",
        "/admin/groups",
        "/admin/taxonomy",
        "/admin/filters",
        "/admin/audit",
    ] {
        assert!(hub.contains(&format!("href=\"{link}\"")), "{link}: {hub}");
    }
    assert!(admin.get("/").await.text().contains("href=\"/admin\""));
    assert_eq!(helper.get("/admin").await.status, StatusCode::FORBIDDEN);

    // Before: a member, with no way into the moderators' pages.
    assert_eq!(
        helper.get("/moderation/alerts").await.status,
        StatusCode::FORBIDDEN
    );

    // The admin finds them by the start of their handle.
    let people = admin.get("/admin/people?q=KIND_h").await.text();
    assert!(
        people.contains("kind_helper") && !people.contains("kind_other"),
        "{people}"
    );
    let id: i64 = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT id FROM accounts WHERE handle_key = 'kind_helper'"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    let page = admin
        .submit(
            "/admin/people?q=kind_h",
            &format!("/admin/people/{id}/role"),
            &[("role", "moderator"), ("q", "kind_h")],
        )
        .await;
    page.assert_redirects_to(&format!(
        "/admin/people?q=kind_h&notice=role-saved#person-{id}"
    ));
    let people = admin.get("/admin/people?q=kind_h").await.text();
    assert!(
        people.contains("Moderator") && people.contains("Remove as moderator"),
        "{people}"
    );

    // From their next page on, they moderate.
    assert_eq!(
        helper.get("/moderation/alerts").await.status,
        StatusCode::OK
    );
    assert_eq!(
        helper.get("/admin/people").await.status,
        StatusCode::FORBIDDEN
    );

    // Nobody changes their own role or an admin's, on the page or the API.
    let admin_id: i64 = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT id FROM accounts WHERE handle_key = 'hub_admin'"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    let page = admin
        .submit(
            "/admin/people",
            &format!("/admin/people/{admin_id}/role"),
            &[("role", "member")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text().contains("cannot be changed here"),
        "{}",
        page.text()
    );
    let api = app.api(&app.api_login("hub_admin", PASSWORD).await);
    let (status, v) = api
        .call(
            "PUT",
            &format!("/api/v1/admin/people/{admin_id}/role"),
            Some(json!({"role": "member"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (status, _) = api
        .call(
            "PUT",
            &format!("/api/v1/admin/people/{id}/role"),
            Some(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "no admins from the web: not a role the API offers"
    );
    let moderator_api = app.api(&app.api_login("kind_helper", PASSWORD).await);
    let (status, _) = moderator_api
        .call(
            "PUT",
            &format!("/api/v1/admin/people/{id}/role"),
            Some(json!({"role": "member"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a moderator changes no roles"
    );

    // The API lists and removes; the change is audited, both ways.
    let (status, _) = api
        .get(&format!("/api/v1/admin/people?q={}", "k".repeat(41)))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a query past its length is refused"
    );
    let (status, list) = api.get("/api/v1/admin/people?q=kind").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["handle"], "kind_helper", "staff first: {list}");
    assert_eq!(list[0]["role"], "moderator");
    let (status, v) = api
        .call(
            "PUT",
            &format!("/api/v1/admin/people/{id}/role"),
            Some(json!({"role": "member"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["role"], "member");
    assert_eq!(
        helper.get("/moderation/alerts").await.status,
        StatusCode::FORBIDDEN
    );
    let actions = app.audited_actions().await;
    assert_eq!(
        actions.iter().filter(|a| *a == "account.role").count(),
        2,
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_facilitator_steps_down_but_never_leaves_the_group_without_one() {
    let app = TestApp::spawn().await;
    let scene =
        crate::helpers::Scene::open_group(&app, "step_admin", "Open Door", &["ana", "ben"]).await;
    let ids: Vec<i64> = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT id FROM accounts WHERE handle_key IN ('ana', 'ben') ORDER BY handle_key"
    )
    .fetch_all(pool)
    .await
    .unwrap());
    let (ana_id, ben_id) = (ids[0], ids[1]);
    // The admin makes ana the group's one facilitator.
    scene
        .admin
        .submit(
            "/groups/open-door/members",
            &format!("/groups/open-door/members/{ana_id}/facilitator"),
            &[],
        )
        .await
        .assert_redirects_to("/groups/open-door/members?notice=facilitator-added");
    // The admin who made the group (and so facilitated it) steps down
    // from it: ana is its one facilitator.
    let admin_id: i64 = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT id FROM accounts WHERE handle_key = 'step_admin'"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    scene
        .admin
        .submit(
            "/groups/open-door/members",
            &format!("/groups/open-door/members/{admin_id}/step-down"),
            &[],
        )
        .await
        .assert_redirects_to("/groups/open-door/members?notice=stepped-down");
    let ana = app.browser();
    ana.login("ana", PASSWORD).await;
    let members = ana.get("/groups/open-door/members").await.text();
    assert!(members.contains("Step down as a facilitator"), "{members}");

    // The only facilitator cannot step down on their own.
    let page = ana
        .submit(
            "/groups/open-door/members",
            &format!("/groups/open-door/members/{ana_id}/step-down"),
            &[],
        )
        .await;
    page.assert_redirects_to("/groups/open-door/members?notice=last-facilitator");
    let role = |id: i64| {
        let db = app.state.db.clone();
        async move {
            hearth::on_db!(&db, |pool| sqlx::query_scalar::<_, String>(
                "SELECT role FROM group_members WHERE account_id = $1"
            )
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap())
        }
    };
    assert_eq!(role(ana_id).await, "facilitator");

    // With ben facilitating too, she may; she cannot step ben down.
    scene
        .admin
        .submit(
            "/groups/open-door/members",
            &format!("/groups/open-door/members/{ben_id}/facilitator"),
            &[],
        )
        .await;
    let page = ana
        .submit(
            "/groups/open-door/members",
            &format!("/groups/open-door/members/{ben_id}/step-down"),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    ana.submit(
        "/groups/open-door/members",
        &format!("/groups/open-door/members/{ana_id}/step-down"),
        &[],
    )
    .await
    .assert_redirects_to("/groups/open-door/members?notice=stepped-down");
    assert_eq!(role(ana_id).await, "member");

    // Staff step any facilitator down, the last one too.
    scene
        .admin
        .submit(
            "/groups/open-door/members",
            &format!("/groups/open-door/members/{ben_id}/step-down"),
            &[],
        )
        .await
        .assert_redirects_to("/groups/open-door/members?notice=stepped-down");
    assert_eq!(role(ben_id).await, "member");
}

#[tokio::test]
async fn facilitators_change_a_group_after_it_was_made_and_members_cannot() {
    let app = TestApp::spawn().await;
    let scene = crate::helpers::Scene::open_group(&app, "set_admin", "Open Door", &["mia"]).await;
    let admin = &scene.admin;

    // The group page leads facilitators to the settings; its forum section
    // no longer holds them.
    let group = admin.get("/groups/open-door").await.text();
    assert!(
        group.contains("href=\"/groups/open-door/settings\""),
        "{group}"
    );
    assert!(!group.contains("name=\"allow_anonymous\""), "{group}");
    let page = admin.get("/groups/open-door/settings").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    assert!(
        page.contains("name=\"purpose\"") && page.contains("name=\"allow_anonymous\""),
        "{page}"
    );

    // Bad input keeps what was typed and says why.
    let bad = admin
        .submit(
            "/groups/open-door/settings",
            "/groups/open-door/settings",
            &[
                ("purpose", "short"),
                ("guidelines", "Be kind."),
                ("leadership", "peer"),
                ("visibility", "listed"),
                ("joining", "open"),
                ("intake_questions", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("Be kind."), "{}", bad.text());

    // A real change: closed, with a question, new guidelines.
    admin
        .submit(
            "/groups/open-door/settings",
            "/groups/open-door/settings",
            &[
                ("purpose", "For those of us who find evenings hardest."),
                ("guidelines", "Be gentle.\nNo advice unless asked."),
                ("leadership", "peer"),
                ("visibility", "listed"),
                ("joining", "closed"),
                ("intake_questions", "What brings you here?"),
            ],
        )
        .await
        .assert_redirects_to("/groups/open-door/settings?notice=group-settings");
    let visitor = app.member("newcomer").await;
    let page = visitor.get("/groups/open-door").await.text();
    assert!(
        page.contains("For those of us who find evenings hardest."),
        "{page}"
    );
    assert!(
        page.contains("What brings you here?"),
        "now by request: {page}"
    );
    assert!(page.contains("No advice unless asked."), "{page}");

    // A member may not.
    let mia = app.browser();
    mia.login("mia", PASSWORD).await;
    assert_eq!(
        mia.get("/groups/open-door/settings").await.status,
        StatusCode::FORBIDDEN
    );
    let token = mia.get("/groups/open-door").await.csrf();
    let refused = mia
        .post_raw(
            "/groups/open-door/settings",
            &[
                ("csrf", &token),
                ("purpose", "Taken over by mia, for good."),
                ("leadership", "peer"),
                ("visibility", "listed"),
                ("joining", "open"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // The forum's settings save from the same page, and return to it.
    admin
        .submit(
            "/groups/open-door/settings",
            "/groups/open-door/forum-settings",
            &[("allow_anonymous", "on")],
        )
        .await
        .assert_redirects_to("/groups/open-door/settings?notice=forum-settings");
}

/// The code in an invitation link on the admins' site page.
fn invite_code(page: &str) -> String {
    let at = page.find("register?invite=").expect("an invitation link") + "register?invite=".len();
    page[at..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

#[tokio::test]
async fn an_admin_names_the_site_and_says_who_may_join() {
    let app = TestApp::spawn().await;
    let admin = app.staff("site_admin", "admin").await;
    let save = |name: &'static str, registration: &'static str| {
        let admin = &admin;
        async move {
            admin
                .submit(
                    "/admin/site",
                    "/admin/site",
                    &[("name", name), ("registration", registration)],
                )
                .await
        }
    };

    // A name of its own, in the header and the tab.
    save("Harbour Peer Support", "open")
        .await
        .assert_redirects_to("/admin/site?notice=site-saved");
    let visitor = app.browser();
    let home = visitor.get("/").await.text();
    assert!(
        home.contains("<title>") && home.contains("· Harbour Peer Support</title>"),
        "{home}"
    );
    assert!(home.contains(">Harbour Peer Support</a>"), "{home}");
    assert_eq!(
        save("", "open").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Closed: no form, and neither the form nor the API makes an account.
    save("Harbour Peer Support", "closed").await;
    let page = visitor.get("/register").await.text();
    assert!(page.contains("not taking new members right now"), "{page}");
    assert!(!page.contains("name=\"password\""), "{page}");
    let token = visitor.get("/login").await.csrf();
    let refused = visitor
        .post_raw(
            "/register",
            &[
                ("csrf", &token),
                ("handle", "closed_out"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("age_bracket", "18+"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, v) = crate::helpers::api_call(
        &app.http(),
        &app.url("/api/v1/accounts"),
        "POST",
        "",
        Some(json!({"handle": "closed_api", "password": PASSWORD, "age_bracket": "18+"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(app.count("accounts").await, 1, "only the admin");

    // By invitation: one link, one account.
    save("Harbour Peer Support", "invite").await;
    let page = admin
        .submit("/admin/site", "/admin/site/invites", &[])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let code = invite_code(&page.text());
    assert_eq!(code.len(), 32, "{code}");
    let form = visitor
        .get(&format!("/register?invite={code}"))
        .await
        .text();
    assert!(
        form.contains(&format!("value=\"{code}\"")),
        "the link fills it in: {form}"
    );
    let without = visitor.register("no_code", PASSWORD).await;
    assert_eq!(without.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        without.text().contains("invitation is not valid"),
        "{}",
        without.text()
    );
    let with = visitor
        .submit(
            "/register",
            "/register",
            &[
                ("handle", "invited_one"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("email", ""),
                ("age_bracket", "18+"),
                ("language", "en"),
                ("invite", &code),
            ],
        )
        .await;
    assert_eq!(with.status, StatusCode::SEE_OTHER, "{}", with.body);
    // Used once: the same code makes no second account, over the API either.
    let (status, _) = crate::helpers::api_call(
        &app.http(),
        &app.url("/api/v1/accounts"),
        "POST",
        "",
        Some(json!({"handle": "invited_two", "password": PASSWORD, "age_bracket": "18+", "invite": code})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A mistake in the form gives the invitation back for another try.
    let page = admin
        .submit("/admin/site", "/admin/site/invites", &[])
        .await;
    let code = invite_code(&page.text());
    let (status, _) = crate::helpers::api_call(
        &app.http(),
        &app.url("/api/v1/accounts"),
        "POST",
        "",
        Some(json!({"handle": "x", "password": PASSWORD, "age_bracket": "18+", "invite": code})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "handle too short");
    let (status, v) = crate::helpers::api_call(
        &app.http(),
        &app.url("/api/v1/accounts"),
        "POST",
        "",
        Some(json!({"handle": "invited_api", "password": PASSWORD, "age_bracket": "18+", "invite": code})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let actions = app.audited_actions().await;
    assert!(actions.iter().any(|a| a == "site.settings"), "{actions:?}");
    assert!(actions.iter().any(|a| a == "invite.make"), "{actions:?}");
}

#[tokio::test]
async fn an_archived_group_is_read_but_not_written_listed_or_joined() {
    let app = TestApp::spawn().await;
    let scene = crate::helpers::Scene::open_group(&app, "arch_admin", "Open Door", &["mia"]).await;
    let mia = scene.api(&app, "mia");
    let thread = mia
        .ok_post(
            "/api/v1/groups/open-door/threads",
            json!({"title": "Before", "body": "Written before the archive.", "accept_guidelines": true}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    scene
        .admin
        .submit(
            "/groups/open-door/settings",
            "/groups/open-door/archive",
            &[("archive", "1")],
        )
        .await
        .assert_redirects_to("/groups/open-door/settings?notice=group-archived");

    // Read, not written: neither the forum nor chat takes words.
    let browser = app.browser();
    browser.login("mia", PASSWORD).await;
    let page = browser
        .get(&format!("/groups/open-door/threads/{thread}"))
        .await
        .text();
    assert!(page.contains("Written before the archive."), "{page}");
    let group = browser.get("/groups/open-door").await.text();
    assert!(group.contains("This group is archived"), "{group}");
    let (status, _) = mia
        .post(
            &format!("/api/v1/groups/open-door/threads/{thread}/posts"),
            json!({"body": "After.", "accept_guidelines": true}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let chat = browser.get("/groups/open-door/chat").await.text();
    assert!(!chat.contains("id=\"chat-form\""), "no composer: {chat}");
    let room = mia.get_json("/api/v1/groups/open-door/rooms").await[0]["id"]
        .as_i64()
        .unwrap();
    let mut ws = crate::helpers::live_socket(&app, &mia.token).await;
    use futures_util::SinkExt;
    ws.send(tokio_tungstenite::tungstenite::Message::text(
        json!({"type": "send", "room": room, "client_id": "a1", "body": "Anyone?"}).to_string(),
    ))
    .await
    .unwrap();
    let refused = crate::helpers::next_of(&mut ws, "error").await;
    assert_eq!(refused["code"], "group_archived", "{refused}");

    // Not listed, not joined.
    let directory = app.browser().get("/groups").await.text();
    assert!(!directory.contains("Open Door"), "{directory}");
    let newcomer = app.api(&app.api_member("newcomer").await);
    let (status, _) = newcomer
        .call("POST", "/api/v1/groups/open-door/membership", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Brought back, it is written in again.
    scene
        .admin
        .submit(
            "/groups/open-door/settings",
            "/groups/open-door/archive",
            &[("archive", "0")],
        )
        .await
        .assert_redirects_to("/groups/open-door/settings?notice=group-unarchived");
    let (status, v) = mia
        .post(
            &format!("/api/v1/groups/open-door/threads/{thread}/posts"),
            json!({"body": "After, again.", "accept_guidelines": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
}
