//! Groups: the directory, creating and proposing, age spaces, joining.

use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn staff_create_a_tagged_group_and_become_its_facilitator() {
    let app = TestApp::spawn().await;
    let admin = app.staff("ops_admin", "admin").await;
    let grief = app.term("condition", "grief").await.to_string();
    let forum = app.term("format", "forum").await.to_string();

    let page = admin
        .create_group(
            "Evening Circle: Grief & Loss",
            &[("term", &grief), ("term", &forum)],
        )
        .await;

    page.assert_redirects_to("/groups/evening-circle-grief-loss?notice=group-created");
    let group = admin
        .get("/groups/evening-circle-grief-loss?notice=group-created")
        .await;
    assert_eq!(group.status, StatusCode::OK);
    let text = group.text();
    assert!(text.contains("Your group is live."));
    assert!(text.contains("Grief and loss") && text.contains("Forum"));
    assert!(text.contains("You are a <strong>facilitator</strong>"));
    assert!(
        text.contains("<li>ops_admin</li>"),
        "listed among the facilitators"
    );
    assert!(text.contains("Peer-led · Open to join · 1 member · English"));
    let listed = app.browser().get("/groups").await;
    assert!(listed.text().contains("Evening Circle: Grief & Loss"));
}

#[tokio::test]
async fn a_members_proposal_waits_for_approval_and_is_hidden_from_everyone_else() {
    let app = TestApp::spawn().await;
    let member = app.member("proposer").await;
    let page = member
        .create_group("Night Owls", &[("leadership", "peer")])
        .await;
    page.assert_redirects_to("/groups/night-owls?notice=group-proposed");
    let own = member.get("/groups/night-owls").await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(
        own.text()
            .contains("waiting for an administrator's approval")
    );

    assert_eq!(
        app.member("passerby")
            .await
            .get("/groups/night-owls")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.browser().get("/groups/night-owls").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !app.browser()
            .get("/groups")
            .await
            .body
            .contains("Night Owls")
    );
    assert_eq!(
        app.staff("mod_one", "moderator")
            .await
            .get("/groups/night-owls")
            .await
            .status,
        StatusCode::OK
    );

    let pro = member
        .create_group("Therapy Group", &[("leadership", "professional")])
        .await;
    assert_eq!(
        pro.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "members cannot start professional-led groups"
    );
}

#[tokio::test]
async fn a_mistake_keeps_the_form_and_says_what_to_fix() {
    let app = TestApp::spawn().await;
    let admin = app.staff("form_admin", "admin").await;
    let page = admin
        .create_group(
            "x",
            &[
                ("purpose", "short"),
                ("slug", "Not A Slug"),
                ("term", "999999"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = page.text();
    assert!(text.contains("The name needs 3 to 80 characters"));
    assert!(text.contains("Please describe the group in 10 to 2,000 characters."));
    assert!(text.contains("The web address can use lower-case letters"));
    assert!(text.contains("Please choose topics from the list."));
    assert!(page.body.contains("value=\"Not A Slug\""));
    admin
        .create_group("Taken Name", &[])
        .await
        .assert_redirects_to("/groups/taken-name?notice=group-created");
    let again = admin.create_group("Taken Name", &[]).await;
    assert!(again.text().contains("That web address is taken."));
    assert_eq!(app.count("groups").await, 1);
}

#[tokio::test]
async fn filters_search_sorting_and_pages_narrow_the_directory() {
    let app = TestApp::spawn().await;
    let admin = app.staff("dir_admin", "admin").await;
    let anxiety = app.term("condition", "anxiety").await.to_string();
    let veterans = app.term("community", "veterans").await.to_string();
    let chat = app.term("format", "chat").await.to_string();
    admin
        .create_group("Calm Harbor", &[("term", &anxiety), ("term", &chat)])
        .await;
    admin
        .create_group(
            "Veterans Anxiety Circle",
            &[
                ("term", &anxiety),
                ("term", &veterans),
                ("leadership", "professional"),
            ],
        )
        .await;
    admin
        .create_group(
            "Grupo de Duelo",
            &[
                ("language", "es"),
                ("purpose", "Un espacio para compartir el duelo con calma."),
            ],
        )
        .await;
    for i in 0..22 {
        admin
            .create_group(&format!("Filler Group {i:02}"), &[])
            .await;
    }
    let b = app.browser();

    let by_condition = b.get("/groups?condition=anxiety").await.text();
    assert!(
        by_condition.contains("Calm Harbor") && by_condition.contains("Veterans Anxiety Circle")
    );
    assert!(!by_condition.contains("Filler Group") && by_condition.contains("2 groups"));
    let combined = b
        .get("/groups?condition=anxiety&community=veterans&leadership=professional")
        .await
        .text();
    assert!(combined.contains("Veterans Anxiety Circle") && !combined.contains("Calm Harbor"));
    assert!(
        b.get("/groups?format=chat")
            .await
            .text()
            .contains("Calm Harbor")
    );
    let spanish = b.get("/groups?language=es").await.text();
    assert!(spanish.contains("Grupo de Duelo") && spanish.contains("1 group"));
    let search = b.get("/groups?q=HARBOR").await.text();
    assert!(search.contains("Calm Harbor") && search.contains("1 group"));
    let punctuation = b.get("/groups?q=%25%22*%29").await.text();
    assert!(
        punctuation.contains("25 groups"),
        "punctuation alone searches for nothing"
    );
    let none = b.get("/groups?condition=ocd").await.text();
    assert!(none.contains("No groups match"));

    let first = b.get("/groups?sort=name").await.text();
    assert!(first.contains("25 groups (page 1 of 2)"));
    assert!(first.find("Calm Harbor").unwrap() < first.find("Filler Group 00").unwrap());
    assert!(
        first.contains("href=\"/groups?sort=name&page=2\""),
        "the next page keeps the order"
    );
    let second = b.get("/groups?sort=name&page=2").await.text();
    assert!(second.contains("Veterans Anxiety Circle") && second.contains("rel=\"prev\""));
    assert_eq!(
        b.get("/groups?page=0&sort=bogus&condition=%3Cscript%3E")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn search_matches_words_by_prefix_and_ranks_the_best_match_first() {
    let app = TestApp::spawn().await;
    let admin = app.staff("search_admin", "admin").await;
    admin
        .create_group(
            "Evening Circle",
            &[("purpose", "A calm hour to talk at the end of the day.")],
        )
        .await;
    admin
        .create_group(
            "Calm Minds",
            &[(
                "purpose",
                "Calm breathing, calm nights and calm mornings for anxious minds.",
            )],
        )
        .await;
    admin.create_group("Grief Room", &[]).await;
    let b = app.browser();
    let calm = b.get("/groups?q=calm").await.text();
    assert!(calm.contains("2 groups"));
    assert!(
        calm.find("Calm Minds").unwrap() < calm.find("Evening Circle").unwrap(),
        "the closer match first"
    );
    assert!(calm.contains("<option value=\"relevance\" selected"));
    let by_name = b.get("/groups?q=calm&sort=name").await.text();
    assert!(by_name.find("Calm Minds").unwrap() < by_name.find("Evening Circle").unwrap());
    // Prefixes match; every word must match.
    assert!(b.get("/groups?q=anxi").await.text().contains("Calm Minds"));
    let both = b.get("/groups?q=calm+evening").await.text();
    assert!(both.contains("1 group") && both.contains("Evening Circle"));
    // Query syntax is never interpreted.
    for q in [
        "calm%22+OR+%22grief",
        "NEAR(calm",
        "calm:*+%7C+grief",
        "calm%27%3B--",
    ] {
        let page = b.get(&format!("/groups?q={q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{q}");
        assert!(!page.text().contains("Grief Room"), "{q}");
    }
    let api: serde_json::Value = app
        .http()
        .get(app.url("/api/v1/groups?q=calm"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api["groups"][0]["name"], "Calm Minds");
}

#[tokio::test]
async fn youth_and_adult_spaces_never_mix() {
    let app = TestApp::spawn().await;
    let admin = app.staff("space_admin", "admin").await;
    admin
        .create_group("Teen Talk", &[("age_space", "youth")])
        .await;
    admin
        .create_group("Grown-ups Only", &[("age_space", "adult")])
        .await;
    let teen = app.youth("teen_one").await;
    let adult = app.member("adult_one").await;
    let visitor = app.browser();

    let teen_dir = teen.get("/groups").await.text();
    assert!(teen_dir.contains("Teen Talk") && !teen_dir.contains("Grown-ups Only"));
    let adult_dir = adult.get("/groups").await.text();
    assert!(adult_dir.contains("Grown-ups Only") && !adult_dir.contains("Teen Talk"));
    let visitor_dir = visitor.get("/groups").await.text();
    assert!(
        !visitor_dir.contains("Teen Talk"),
        "youth groups are not shown to people who are not logged in"
    );

    assert_eq!(
        teen.get("/groups/grown-ups-only").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        adult.get("/groups/teen-talk").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        visitor.get("/groups/teen-talk").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        teen.submit("/groups/teen-talk", "/groups/grown-ups-only/join", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        adult
            .submit("/groups/grown-ups-only", "/groups/teen-talk/join", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    teen.submit("/groups/teen-talk", "/groups/teen-talk/join", &[])
        .await
        .assert_redirects_to("/groups/teen-talk?notice=joined");

    // A youth member's proposal lands in the youth space whatever the form says.
    teen.create_group("Exam Stress", &[("age_space", "adult")])
        .await;
    let space: String = {
        let sql = "SELECT age_space FROM groups WHERE slug = 'exam-stress'";
        hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(sql)
            .fetch_one(pool)
            .await
            .unwrap())
    };
    assert_eq!(space, "youth");
}

#[tokio::test]
async fn members_join_and_leave_open_groups_and_counts_follow() {
    let app = TestApp::spawn().await;
    let admin = app.staff("join_admin", "admin").await;
    admin.create_group("Open Door", &[]).await;
    admin
        .create_group("Quiet Room", &[("joining", "closed")])
        .await;
    let m = app.member("joiner").await;

    let page = m.get("/groups/open-door").await;
    assert!(page.text().contains("Join this group"));
    m.submit("/groups/open-door", "/groups/open-door/join", &[])
        .await
        .assert_redirects_to("/groups/open-door?notice=joined");
    let joined = m.get("/groups/open-door?notice=joined").await.text();
    assert!(
        joined.contains("Welcome to the group.")
            && joined.contains("2 members")
            && joined.contains("Leave this group")
    );
    // Joining twice changes nothing.
    m.submit("/groups/open-door", "/groups/open-door/join", &[])
        .await;
    assert!(
        m.get("/groups/open-door")
            .await
            .text()
            .contains("2 members")
    );

    let closed = m.get("/groups/quiet-room").await.text();
    assert!(
        closed.contains("welcome new members by request") && !closed.contains("Join this group")
    );
    assert_eq!(
        m.submit("/groups/quiet-room", "/groups/quiet-room/join", &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    m.submit("/groups/open-door", "/groups/open-door/leave", &[])
        .await
        .assert_redirects_to("/groups/open-door?notice=left");
    assert!(m.get("/groups/open-door").await.text().contains("1 member"));

    // Deleting an account takes its memberships with it.
    m.submit("/groups/open-door", "/groups/open-door/join", &[])
        .await;
    m.submit(
        "/account",
        "/account/delete",
        &[("password", crate::helpers::PASSWORD), ("confirm", "yes")],
    )
    .await;
    assert!(
        admin
            .get("/groups/open-door")
            .await
            .text()
            .contains("1 member")
    );

    let visitor = app.browser().get("/groups/open-door").await.text();
    assert!(visitor.contains("Log in to join"));
    assert_eq!(
        app.browser()
            .post_raw("/groups/open-door/join", &[])
            .await
            .status,
        StatusCode::FORBIDDEN,
        "no CSRF token"
    );
}

#[tokio::test]
async fn groups_pages_are_in_spanish_for_spanish_speakers() {
    let app = TestApp::spawn().await;
    let mut b = crate::helpers::Browser::new(&app.base);
    b.accept_language = "es".into();
    let page = b.get("/groups").await.text();
    assert!(
        page.contains("Encuentra un grupo")
            && page.contains("Ansiedad")
            && page.contains("Ningún grupo coincide")
    );
}

#[tokio::test]
async fn an_admin_approves_or_declines_proposals_and_nobody_else_can() {
    let app = TestApp::spawn().await;
    let member = app.member("hopeful").await;
    member.create_group("Night Owls", &[]).await;
    member.create_group("Morning Larks", &[]).await;
    let moderator = app.staff("mod_two", "moderator").await;
    let admin = app.staff("admin_two", "admin").await;

    assert_eq!(
        member.get("/admin/groups").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        moderator.get("/admin/groups").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        moderator
            .submit(
                "/groups/night-owls",
                "/admin/groups/night-owls/approve",
                &[]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.browser().get("/admin/groups").await.status,
        StatusCode::SEE_OTHER
    );

    let list = admin.get("/admin/groups").await.text();
    assert!(
        list.contains("Night Owls")
            && list.contains("Morning Larks")
            && list.contains("proposed by hopeful")
    );
    admin
        .submit("/admin/groups", "/admin/groups/night-owls/approve", &[])
        .await
        .assert_redirects_to("/admin/groups?notice=proposal-approved");
    admin
        .submit("/admin/groups", "/admin/groups/morning-larks/decline", &[])
        .await
        .assert_redirects_to("/admin/groups?notice=proposal-declined");
    assert!(
        admin
            .get("/admin/groups")
            .await
            .text()
            .contains("No proposals are waiting.")
    );
    // Deciding twice is not possible.
    assert_eq!(
        admin
            .submit("/admin/groups", "/admin/groups/night-owls/decline", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let dir = app.browser().get("/groups").await.text();
    assert!(dir.contains("Night Owls") && !dir.contains("Morning Larks"));
    let own = member.get("/groups/night-owls").await.text();
    assert!(
        own.contains("You are a <strong>facilitator</strong>"),
        "the proposer leads the approved group"
    );
    assert!(
        member
            .get("/groups/morning-larks")
            .await
            .text()
            .contains("This proposal was not approved.")
    );
    assert_eq!(
        app.member("stranger")
            .await
            .get("/groups/morning-larks")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_groups_api_follows_the_same_rules() {
    use serde_json::{Value, json};
    let app = TestApp::spawn().await;
    let http = app.http();
    let admin = app.api(&app.api_member("api_admin").await);
    let sql = "UPDATE accounts SET role = 'admin' WHERE handle_key = 'api_admin'";
    hearth::on_db!(&app.state.db, |pool| sqlx::query(sql)
        .execute(pool)
        .await
        .map(|_| ())
        .unwrap());
    let member = app.api(&app.api_member("api_member").await);

    let terms: Value = http
        .get(app.url("/api/v1/taxonomy"))
        .header("accept-language", "es")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let anxiety = terms
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "anxiety")
        .unwrap();
    assert_eq!(anxiety["name"], "Ansiedad");
    let anxiety_id = anxiety["id"].as_i64().unwrap();

    let body = |name: &str, joining: &str| {
        json!({"name": name, "purpose": "A place to share what helps.", "language": "en", "leadership": "peer",
               "visibility": "listed", "joining": joining, "age_space": "adult", "terms": [anxiety_id]})
    };
    let (status, created) = admin
        .post("/api/v1/groups", body("Calm Harbor", "open"))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created, json!({"slug": "calm-harbor", "active": true}));
    admin
        .post("/api/v1/groups", body("Quiet Room", "closed"))
        .await;
    let (_, proposed) = member.post("/api/v1/groups", body("My Idea", "open")).await;
    assert_eq!(proposed["active"], false);
    let r = http
        .post(app.url("/api/v1/groups"))
        .json(&body("No Token", "open"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let (status, _) = admin.post("/api/v1/groups", json!({"name": "x"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let page: Value = http
        .get(app.url("/api/v1/groups?condition=anxiety&sort=name"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 2);
    assert_eq!(page["groups"][0]["slug"], "calm-harbor");
    assert_eq!(page["groups"][0]["terms"], json!(["condition:anxiety"]));

    let (status, _) = member
        .call("POST", "/api/v1/groups/calm-harbor/membership", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let g: Value = http
        .get(app.url("/api/v1/groups/calm-harbor"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(g["member_count"], 2);
    let (status, _) = member
        .call("POST", "/api/v1/groups/quiet-room/membership", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = member.delete("/api/v1/groups/calm-harbor/membership").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        http.get(app.url("/api/v1/groups/my-idea"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let own: Value = member.get_json("/api/v1/groups/my-idea").await;
    assert_eq!(own["status"], "proposed");
}

#[tokio::test]
async fn onboarding_recommends_fitting_groups_and_says_why() {
    let app = TestApp::spawn().await;
    let admin = app.staff("match_admin", "admin").await;
    let anxiety = app.term("condition", "anxiety").await.to_string();
    let grief = app.term("condition", "grief").await.to_string();
    let veterans = app.term("community", "veterans").await.to_string();
    let chat = app.term("format", "chat").await.to_string();
    admin
        .create_group(
            "Veterans Anxiety Circle",
            &[("term", &anxiety), ("term", &veterans)],
        )
        .await;
    admin
        .create_group("Calm Chat", &[("term", &anxiety), ("term", &chat)])
        .await;
    admin
        .create_group("Grief Companions", &[("term", &grief)])
        .await;
    admin
        .create_group(
            "Círculo de Ansiedad",
            &[("term", &anxiety), ("language", "es")],
        )
        .await;
    admin
        .create_group("Teen Calm", &[("term", &anxiety), ("age_space", "youth")])
        .await;

    let b = app.browser();
    b.register("veteran_ash", crate::helpers::PASSWORD)
        .await
        .assert_redirects_to("/welcome?notice=welcome");
    let skip = b.get("/welcome?notice=welcome").await;
    assert!(skip.body.contains("Skip for now") && !skip.body.contains("Groups for you"));

    let saved = b
        .submit(
            "/welcome",
            "/welcome",
            &[
                ("term", &anxiety),
                ("term", &veterans),
                ("term", &chat),
                ("language", "en"),
            ],
        )
        .await;
    saved.assert_redirects_to("/welcome?notice=interests#recommended");
    let page = b.get("/welcome?notice=interests").await.text();
    let first = page
        .find("Veterans Anxiety Circle")
        .expect("the closest fit is recommended");
    let second = page
        .find("Calm Chat")
        .expect("a partial fit is recommended");
    assert!(first < second, "the closer fit comes first");
    assert!(page.contains("Why:</strong> Anxiety · Veterans · English"));
    assert!(!page.contains("Grief Companions"), "nothing in common");
    assert!(
        !page.contains("Círculo de Ansiedad"),
        "not in a chosen language"
    );
    assert!(!page.contains("Teen Calm"), "never across age spaces");
    assert!(
        page.contains("checked"),
        "the choices are shown again, to change later"
    );

    // Joined groups drop out of the recommendations.
    b.submit(
        "/groups/veterans-anxiety-circle",
        "/groups/veterans-anxiety-circle/join",
        &[],
    )
    .await;
    assert!(
        !b.get("/welcome")
            .await
            .text()
            .contains("Veterans Anxiety Circle")
    );

    let bad = b
        .submit(
            "/welcome",
            "/welcome",
            &[("term", "987654"), ("language", "xx")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("Please choose topics from the list."));
    // Someone else never sees these choices.
    let other = app.member("other_person").await;
    assert!(
        !other
            .get("/welcome")
            .await
            .text()
            .contains("Groups for you")
    );
}

#[tokio::test]
async fn a_closed_group_asks_its_questions_and_facilitators_decide() {
    let app = TestApp::spawn().await;
    let facilitator = app.staff("circle_lead", "professional").await;
    facilitator
        .create_group(
            "Quiet Room",
            &[
                ("joining", "closed"),
                (
                    "intake_questions",
                    "What brings you here?\nHow can we support you?",
                ),
            ],
        )
        .await
        .assert_redirects_to("/groups/quiet-room?notice=group-created");
    let asker = app.member("asker").await;
    let second = app.member("second_asker").await;

    let page = asker.get("/groups/quiet-room").await.text();
    assert!(page.contains("What brings you here?") && page.contains("Ask to join"));
    let missing = asker
        .submit(
            "/groups/quiet-room",
            "/groups/quiet-room/requests",
            &[("answer_1", "Loneliness after a move")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing
            .text()
            .contains("Please answer in 1 to 2,000 characters.")
    );
    assert!(
        missing.body.contains("Loneliness after a move"),
        "what was typed is kept"
    );

    let sent = asker
        .submit(
            "/groups/quiet-room",
            "/groups/quiet-room/requests",
            &[
                ("answer_1", "Loneliness after a move"),
                ("answer_2", "Listening"),
            ],
        )
        .await;
    sent.assert_redirects_to("/groups/quiet-room?notice=requested");
    assert!(
        asker
            .get("/groups/quiet-room")
            .await
            .text()
            .contains("waiting for the facilitators")
    );
    second
        .submit(
            "/groups/quiet-room",
            "/groups/quiet-room/requests",
            &[("answer_1", "Anxiety"), ("answer_2", "Company")],
        )
        .await;

    // The answers are sealed at rest.
    let sql = "SELECT answers_sealed FROM join_requests";
    let sealed: Vec<Vec<u8>> = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(sql)
        .fetch_all(pool)
        .await
        .unwrap());
    assert!(
        sealed
            .iter()
            .all(|s| !String::from_utf8_lossy(s).contains("Loneliness"))
    );

    // Only facilitators and staff see the requests.
    assert_eq!(
        asker.get("/groups/quiet-room/requests").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.member("nosy")
            .await
            .get("/groups/quiet-room/requests")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert!(
        facilitator
            .get("/groups/quiet-room")
            .await
            .text()
            .contains("2 requests to join are waiting")
    );
    let list = facilitator.get("/groups/quiet-room/requests").await;
    let text = list.text();
    assert!(
        text.contains("asker")
            && text.contains("Loneliness after a move")
            && text.contains("How can we support you?")
    );

    let ids: Vec<i64> = {
        let sql = "SELECT id FROM join_requests ORDER BY id";
        hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(sql)
            .fetch_all(pool)
            .await
            .unwrap())
    };
    assert_eq!(
        asker
            .submit(
                "/groups/quiet-room",
                &format!("/groups/quiet-room/requests/{}/approve", ids[0]),
                &[]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    facilitator
        .submit(
            "/groups/quiet-room/requests",
            &format!("/groups/quiet-room/requests/{}/approve", ids[0]),
            &[("message", "Welcome!")],
        )
        .await
        .assert_redirects_to("/groups/quiet-room/requests?notice=request-approved");
    facilitator
        .submit(
            "/groups/quiet-room/requests",
            &format!("/groups/quiet-room/requests/{}/decline", ids[1]),
            &[("message", "This group is full for now.")],
        )
        .await
        .assert_redirects_to("/groups/quiet-room/requests?notice=request-declined");
    assert_eq!(
        facilitator
            .submit(
                "/groups/quiet-room/requests",
                &format!("/groups/quiet-room/requests/{}/decline", ids[0]),
                &[]
            )
            .await
            .status,
        StatusCode::NOT_FOUND,
        "a decided request stays decided"
    );

    let member_view = asker.get("/groups/quiet-room").await.text();
    assert!(
        member_view.contains("You are a <strong>member</strong>")
            && member_view.contains("2 members")
    );
    let declined_view = second.get("/groups/quiet-room").await.text();
    assert!(
        declined_view.contains("did not accept your request")
            && declined_view.contains("This group is full for now.")
    );
    assert!(
        declined_view.contains("Ask to join"),
        "they may ask again later"
    );
}

#[tokio::test]
async fn members_see_the_member_list_and_facilitators_manage_it() {
    let app = TestApp::spawn().await;
    let lead = app.staff("lead_one", "professional").await;
    lead.create_group("Open Door", &[])
        .await
        .assert_redirects_to("/groups/open-door?notice=group-created");
    let member = app.member("member_one").await;
    let other = app.member("member_two").await;
    for b in [&member, &other] {
        b.submit("/groups/open-door", "/groups/open-door/join", &[])
            .await;
    }
    let outsider = app.member("outsider").await;

    assert_eq!(
        outsider.get("/groups/open-door/members").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        !outsider
            .get("/groups/open-door")
            .await
            .text()
            .contains("/groups/open-door/members")
    );
    let list = member.get("/groups/open-door/members").await.text();
    assert!(list.contains("lead_one · facilitator") && list.contains("member_two · member"));
    assert!(
        !list.contains("Remove from group"),
        "members cannot manage the list"
    );

    let id = |handle: &'static str| {
        let db = app.state.db.clone();
        async move {
            let sql = "SELECT id FROM accounts WHERE handle_key = $1";
            hearth::on_db!(&db, |pool| sqlx::query_scalar::<_, i64>(sql)
                .bind(handle)
                .fetch_one(pool)
                .await
                .unwrap())
        }
    };
    let (m1, m2, lead_id) = (
        id("member_one").await,
        id("member_two").await,
        id("lead_one").await,
    );
    assert_eq!(
        member
            .submit(
                "/groups/open-door",
                &format!("/groups/open-door/members/{m2}/remove"),
                &[]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    lead.submit(
        "/groups/open-door/members",
        &format!("/groups/open-door/members/{m1}/facilitator"),
        &[],
    )
    .await
    .assert_redirects_to("/groups/open-door/members?notice=facilitator-added");
    // A facilitator cannot remove another facilitator; staff can.
    assert_eq!(
        member
            .submit(
                "/groups/open-door",
                &format!("/groups/open-door/members/{lead_id}/remove"),
                &[]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    member
        .submit(
            "/groups/open-door/members",
            &format!("/groups/open-door/members/{m2}/remove"),
            &[],
        )
        .await
        .assert_redirects_to("/groups/open-door/members?notice=member-removed");
    // Removal takes effect at once.
    assert_eq!(
        other.get("/groups/open-door/members").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        other
            .get("/groups/open-door")
            .await
            .text()
            .contains("Join this group")
    );
    let moderator = app.staff("mod_three", "moderator").await;
    moderator
        .submit(
            "/groups/open-door/members",
            &format!("/groups/open-door/members/{m1}/remove"),
            &[],
        )
        .await
        .assert_redirects_to("/groups/open-door/members?notice=member-removed");
    assert!(
        lead.get("/groups/open-door")
            .await
            .text()
            .contains("1 member")
    );
}

#[tokio::test]
async fn admins_rename_and_add_topics_and_nobody_else_can() {
    let app = TestApp::spawn().await;
    let admin = app.staff("topic_admin", "admin").await;
    let moderator = app.staff("topic_mod", "moderator").await;
    assert_eq!(
        moderator.get("/admin/taxonomy").await.status,
        StatusCode::FORBIDDEN
    );
    let ocd = app.term("condition", "ocd").await;
    assert_eq!(
        moderator
            .submit(
                "/groups",
                &format!("/admin/taxonomy/{ocd}"),
                &[("name_en", "Hacked"), ("name_es", "Hackeado")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    admin
        .submit(
            "/admin/taxonomy",
            &format!("/admin/taxonomy/{ocd}"),
            &[
                ("name_en", "Obsessive-compulsive disorder (OCD)"),
                ("name_es", "Trastorno obsesivo-compulsivo (TOC)"),
            ],
        )
        .await
        .assert_redirects_to("/admin/taxonomy?notice=term-saved");
    admin
        .submit(
            "/admin/taxonomy",
            "/admin/taxonomy",
            &[
                ("kind", "community"),
                ("slug", "farmers"),
                ("name_en", "Farmers"),
                ("name_es", "Agricultores"),
            ],
        )
        .await
        .assert_redirects_to("/admin/taxonomy?notice=term-saved");
    let bad = admin
        .submit(
            "/admin/taxonomy",
            "/admin/taxonomy",
            &[
                ("kind", "planet"),
                ("slug", "Bad Slug"),
                ("name_en", ""),
                ("name_es", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("value=\"Bad Slug\""));
    let dup = admin
        .submit(
            "/admin/taxonomy",
            "/admin/taxonomy",
            &[
                ("kind", "community"),
                ("slug", "farmers"),
                ("name_en", "Farmers"),
                ("name_es", "Agricultores"),
            ],
        )
        .await;
    assert!(dup.text().contains("That web address is taken."));

    let dir = app.browser().get("/groups").await.text();
    assert!(dir.contains("Obsessive-compulsive disorder (OCD)") && dir.contains("Farmers"));
    // Seeding again at the next start keeps the admin's names.
    hearth::groups::store::seed_taxonomy(
        &app.state.db,
        &hearth::groups::model::Taxonomy::shipped().unwrap(),
    )
    .await
    .unwrap();
    assert!(
        app.browser()
            .get("/groups")
            .await
            .text()
            .contains("Obsessive-compulsive disorder (OCD)")
    );
}
