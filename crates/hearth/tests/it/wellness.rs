//! A member's own tools: the journal, theirs alone and sealed with their
//! own key; and the keys under it (rotation, a wrong or missing data key,
//! damaged entries).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};

/// A word nobody else will write: `prefix` and the clock's nanoseconds.
fn marker(prefix: &str) -> String {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}{n}")
}

/// Where `marker` lies in clear in the database: SQLite's file and its
/// write-ahead log byte for byte; on PostgreSQL, every table of the schema
/// read through SQL (binary columns as hex, so a value stored in clear in
/// one shows as its hex).
pub async fn in_clear(app: &TestApp, marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    match &app.state.db {
        hearth::db::Db::Sqlite(_) => {
            let mut read = 0;
            for file in ["hearth.db", "hearth.db-wal"] {
                let Ok(bytes) = std::fs::read(app.data_dir().join(file)) else {
                    continue;
                };
                read += bytes.len();
                if bytes.windows(marker.len()).any(|w| w == marker.as_bytes()) {
                    found.push(file.to_owned());
                }
            }
            assert!(read > 0, "the database files were read");
        }
        hearth::db::Db::Postgres(pool) => {
            let hex: String = marker.bytes().map(|b| format!("{b:02x}")).collect();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            assert!(tables.len() > 10, "the tables were listed: {tables:?}");
            for table in tables {
                let sql = sqlx::AssertSqlSafe(format!("SELECT t::text FROM \"{table}\" t"));
                let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(pool).await.unwrap();
                if rows.iter().any(|r| r.contains(marker) || r.contains(&hex)) {
                    found.push(table);
                }
            }
        }
    }
    found
}

async fn write(app: &TestApp, token: &str, entry: Value) -> (StatusCode, Value) {
    app.api(token).post("/api/v1/me/journal", entry).await
}

#[tokio::test]
async fn a_journal_is_its_writers_alone_and_sealed_at_rest() {
    let app = TestApp::spawn().await;
    let alex = app.api_member("alex").await;
    let blair = app.api_member("blair").await;
    let secret = marker("heronlake");
    let (status, saved) = write(
        &app,
        &alex,
        json!({"title": "Tuesday", "body": format!("Walked by the {secret} and felt lighter."), "mood": "calm", "prompt": "today"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["crisis"], Value::Null);
    let id = saved["entry"]["id"].as_i64().unwrap();
    assert_eq!(saved["entry"]["mood"], "calm");
    let (status, _) = write(&app, &alex, json!({"body": "A second, plainer day."})).await;
    assert_eq!(status, StatusCode::CREATED);

    // Search reads the sealed words; the mood filters.
    let api = app.api(&alex);
    let list = |q: &str| format!("/api/v1/me/journal?{q}");
    let found = api
        .get_json(&list(&format!("q={}", secret.to_uppercase())))
        .await;
    assert_eq!(found["entries"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["entries"][0]["id"], id);
    let all = api.get_json(&list("")).await;
    assert_eq!(all["entries"].as_array().unwrap().len(), 2, "{all}");
    assert_eq!(
        all["entries"][0]["body"], "A second, plainer day.",
        "newest first"
    );
    let calm = api.get_json(&list("mood=calm")).await;
    assert_eq!(calm["entries"].as_array().unwrap().len(), 1, "{calm}");
    let low = api.get_json(&list("mood=low")).await;
    assert!(low["entries"].as_array().unwrap().is_empty(), "{low}");
    let (status, _) = api.get(&list("mood=sunny")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Nobody else reaches it, by the API or the pages.
    let other = app.api(&blair);
    let path = format!("/api/v1/me/journal/{id}");
    assert_eq!(other.get(&path).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        other.put(&path, json!({"body": "mine now"})).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(other.delete(&path).await.0, StatusCode::NOT_FOUND);
    let theirs = other.get_json("/api/v1/me/journal").await;
    assert!(theirs["entries"].as_array().unwrap().is_empty());
    let browser = app.member("casey").await;
    assert_eq!(
        browser.get(&format!("/journal/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let alex_pages = app.browser();
    alex_pages.login("alex", PASSWORD).await;
    let page = alex_pages.get("/journal").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Tuesday"), "{}", page.body);
    assert!(page.body.contains("Only you can read your journal"));

    // At rest: the words are nowhere in clear; a handle, stored in clear,
    // is found the same way (the search can find words).
    let plain = marker("ctl");
    app.api_member(&plain).await;
    assert!(
        !in_clear(&app, &plain).await.is_empty(),
        "the search finds words stored in clear"
    );
    assert_eq!(in_clear(&app, &secret).await, Vec::<String>::new());

    // Rewritten, then deleted.
    let (status, again) = api
        .put(
            &path,
            json!({"title": "Tuesday", "body": "Shorter now.", "mood": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["entry"]["body"], "Shorter now.");
    assert_eq!(again["entry"]["mood"], Value::Null);
    assert_eq!(api.delete(&path).await.0, StatusCode::NO_CONTENT);
    assert_eq!(api.get(&path).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn entries_are_checked_and_a_refused_one_loses_nothing() {
    let app = TestApp::spawn().await;
    let alex = app.api_member("alex").await;
    for (entry, field) in [
        (json!({"body": "   "}), "body"),
        (json!({"body": "x".repeat(20_001)}), "body"),
        (json!({"title": "t".repeat(201), "body": "ok"}), "title"),
        (json!({"title": "two\nlines", "body": "ok"}), "title"),
        (json!({"body": "ok", "mood": "sunny"}), "mood"),
        (json!({"body": "ok", "prompt": "nothing"}), "prompt"),
    ] {
        let (status, v) = write(&app, &alex, entry.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{entry}: {v}");
        assert!(v["error"]["fields"][field].is_string(), "{entry}: {v}");
    }
    let (status, _) = write(&app, &alex, json!({"body": "ok", "colour": "blue"})).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "unknown fields are refused"
    );
    // On the page, a refused entry comes back as typed.
    let b = app.browser();
    b.login("alex", PASSWORD).await;
    let form = b.get("/journal/new?prompt=need").await;
    assert!(form.body.contains("What do you need right now?"));
    let page = b
        .submit(
            "/journal/new",
            "/journal",
            &[
                ("title", "Keep this title"),
                ("body", ""),
                ("prompt", "need"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("value=\"Keep this title\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Write something"), "{}", page.body);
    let page = b
        .submit(
            "/journal/new",
            "/journal",
            &[
                ("title", "Kept"),
                ("body", "Now with words."),
                ("prompt", "need"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let shown = b.get(page.location()).await;
    assert!(shown.body.contains("Now with words."), "{}", shown.body);
    assert!(shown.body.contains("What do you need right now?"));
}

#[tokio::test]
async fn words_of_risk_in_a_journal_bring_crisis_lines_and_alert_nobody() {
    let app = TestApp::spawn().await;
    let alex = app.api_member("alex").await;
    let (status, saved) = write(
        &app,
        &alex,
        json!({"body": "I have decided to kill myself tonight, I have the pills ready."}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert!(saved["crisis"]["region"].is_object(), "{saved}");
    assert_eq!(app.count("crisis_alerts").await, 0, "nobody was alerted");
    let b = app.browser();
    b.login("alex", PASSWORD).await;
    let page = b
        .submit(
            "/journal/new",
            "/journal",
            &[("body", "I want to end my life. I can't do this anymore.")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let shown = b.get(page.location()).await;
    assert!(shown.body.contains("id=\"crisis-panel\""), "{}", shown.body);
    assert!(
        shown
            .body
            .contains("only you can read it. Nobody has been told")
    );
    assert_eq!(app.count("crisis_alerts").await, 0, "nobody was alerted");
}

#[tokio::test]
async fn a_damaged_entry_is_reported_and_never_shown_as_garbage() {
    let app = TestApp::spawn().await;
    let alex = app.api_member("alex").await;
    let (_, kept) = write(&app, &alex, json!({"body": "This one is fine."})).await;
    let (_, hurt) = write(&app, &alex, json!({"body": "This one will be damaged."})).await;
    let id = hurt["entry"]["id"].as_i64().unwrap();
    // One byte of the sealed entry changes.
    hearth::on_db!(&app.state.db, |pool| {
        let mut sealed: Vec<u8> =
            sqlx::query_scalar("SELECT entry_sealed FROM journal_entries WHERE id = $1")
                .bind(id)
                .fetch_one(pool)
                .await
                .unwrap();
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        sqlx::query("UPDATE journal_entries SET entry_sealed = $1 WHERE id = $2")
            .bind(sealed)
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
    });
    let api = app.api(&alex);
    let (status, v) = api.get(&format!("/api/v1/me/journal/{id}")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{v}");
    assert!(!v.to_string().contains("damaged."), "{v}");
    let list = api.get_json("/api/v1/me/journal").await;
    assert_eq!(list["damaged"], json!([{"id": id}]), "{list}");
    assert_eq!(list["entries"][0]["id"], kept["entry"]["id"]);
    let b = app.browser();
    b.login("alex", PASSWORD).await;
    let page = b.get("/journal").await;
    assert!(page.body.contains("could not be opened"), "{}", page.body);
    assert!(page.body.contains("This one is fine."));
}

#[tokio::test]
async fn rotating_the_data_key_rewraps_every_key_and_loses_nothing() {
    let app = TestApp::spawn().await;
    app.register_with_email("alex", "alex@example.org").await;
    let alex = app.api_login("alex", PASSWORD).await;
    let (_, saved) = write(&app, &alex, json!({"body": "Before the rotation."})).await;
    let id = saved["entry"]["id"].as_i64().unwrap();
    let dir = app.data_dir().to_path_buf();
    let key_file = dir.join("data.key");
    let before = std::fs::read_to_string(&key_file).unwrap();
    let rewrapped = hearth::keys::rotate(&dir, &app.state.db).await.unwrap();
    assert!(rewrapped >= 1, "alex's key was re-wrapped");
    let after = std::fs::read_to_string(&key_file).unwrap();
    assert_ne!(before, after, "a new data key");
    assert!(!dir.join(hearth::keys::NEXT_FILE).exists());

    // A node started with the new key reads everything.
    let node = app.another_node(|_| {}).await;
    let entry = node
        .api(&alex)
        .get_json(&format!("/api/v1/me/journal/{id}"))
        .await;
    assert_eq!(entry["body"], "Before the rotation.", "{entry}");
    // The site's own sealed values (an e-mail address) open too.
    let sealed: Vec<u8> = hearth::on_db!(&node.state.db, |pool| {
        sqlx::query_scalar("SELECT email_sealed FROM accounts WHERE handle_key = 'alex'")
            .fetch_one(pool)
            .await
            .unwrap()
    });
    let email = node
        .state
        .data_key
        .open("accounts.email", b"alex", &sealed)
        .unwrap();
    assert_eq!(email, b"alex@example.org");

    // A rotation cut short before the rows were re-wrapped (or still under
    // way): the stray new key is left alone and the current one holds.
    std::fs::write(
        dir.join(hearth::keys::NEXT_FILE),
        format!("{}\n", "ab".repeat(32)),
    )
    .unwrap();
    let node = app.another_node(|_| {}).await;
    assert!(dir.join(hearth::keys::NEXT_FILE).exists(), "never deleted");
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), after);
    std::fs::remove_file(dir.join(hearth::keys::NEXT_FILE)).unwrap();
    assert_eq!(
        node.api(&alex)
            .get(&format!("/api/v1/me/journal/{id}"))
            .await
            .0,
        StatusCode::OK
    );

    // A wrong data key, or none: a clear refusal to start, nothing changed.
    let settings = app.state.settings.clone();
    std::fs::write(&key_file, format!("{}\n", "cd".repeat(32))).unwrap();
    let err = hearth::AppState::build(settings.clone())
        .await
        .err()
        .expect("a wrong data key stops the start");
    assert!(err.to_string().contains("does not open"), "{err}");
    std::fs::remove_file(&key_file).unwrap();
    let err = hearth::AppState::build(settings.clone())
        .await
        .err()
        .expect("a missing data key stops the start");
    assert!(err.to_string().contains("is missing"), "{err}");
    assert!(!key_file.exists(), "no new data key was made");
    std::fs::write(&key_file, &after).unwrap();
    let node = app.another_node(|_| {}).await;
    assert_eq!(
        node.api(&alex)
            .get(&format!("/api/v1/me/journal/{id}"))
            .await
            .0,
        StatusCode::OK,
        "the right key opens everything again"
    );
    // A database with people in it but no key hierarchy yet (made before
    // it) and no data key: refused, never given a new key.
    hearth::on_db!(&app.state.db, |pool| {
        sqlx::query("DELETE FROM data_keys")
            .execute(pool)
            .await
            .unwrap();
    });
    std::fs::remove_file(&key_file).unwrap();
    let err = hearth::AppState::build(settings)
        .await
        .err()
        .expect("a missing data key stops the start");
    assert!(err.to_string().contains("is missing"), "{err}");
    assert!(!key_file.exists(), "no new data key was made");
}

#[tokio::test]
async fn deleting_the_account_erases_the_journal_and_its_key() {
    let app = TestApp::spawn().await;
    let b = app.member("rowan").await;
    let page = b
        .submit("/journal/new", "/journal", &[("body", "Mine alone.")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("journal_entries").await, 1);
    assert_eq!(app.count("member_keys").await, 1);
    let done = b
        .submit(
            "/account",
            "/account/delete",
            &[("password", PASSWORD), ("confirm", "yes")],
        )
        .await;
    done.assert_redirects_to("/?notice=deleted");
    assert_eq!(app.count("journal_entries").await, 0);
    assert_eq!(app.count("member_keys").await, 0, "the key went with them");
}

#[tokio::test]
async fn a_safety_plan_is_the_members_own_sealed_and_one_click_from_crisis_lines() {
    let app = TestApp::spawn().await;
    let alex = app.api_member("alex").await;
    let blair = app.api_member("blair").await;
    let api = app.api(&alex);
    let empty = api.get_json("/api/v1/me/safety-plan").await;
    assert_eq!(empty["plan"]["coping"], "");
    assert_eq!(empty["updated_at"], Value::Null);
    let secret = marker("kestrelpath");
    let (status, saved) = api
        .put(
            "/api/v1/me/safety-plan",
            json!({"warning_signs": "Not sleeping\nSkipping meals", "people": format!("Sam, {secret}"), "coping": "A long shower"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        saved["plan"]["warning_signs"],
        "Not sleeping\nSkipping meals"
    );
    assert!(saved["updated_at"].is_i64());
    // Someone else's plan is their own, empty one.
    let theirs = app.api(&blair).get_json("/api/v1/me/safety-plan").await;
    assert_eq!(theirs["plan"]["people"], "", "{theirs}");
    // Too long: refused, the saved plan kept.
    let (status, v) = api
        .put(
            "/api/v1/me/safety-plan",
            json!({"coping": "x".repeat(2_001)}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["error"]["fields"]["coping"].is_string(), "{v}");
    let kept = api.get_json("/api/v1/me/safety-plan").await;
    assert_eq!(kept["plan"]["coping"], "A long shower");
    assert_eq!(in_clear(&app, &secret).await, Vec::<String>::new());

    // The page: each step, one item a line, and the region's crisis lines
    // with step five; printable, and reached from the crisis lines.
    let b = app.browser();
    b.login("alex", PASSWORD).await;
    let page = b.get("/safety-plan").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<li>Skipping meals</li>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Step 5: Professionals and crisis lines"));
    assert!(page.body.contains("988"), "the region's lines are shown");
    let help = b.get("/help").await;
    assert!(help.body.contains("href=\"/safety-plan\""), "{}", help.body);
    // Saved through the form; a refusal keeps what was typed.
    let form = b.get("/safety-plan/edit").await;
    assert!(form.body.contains("A long shower"));
    let refused = b
        .submit(
            "/safety-plan/edit",
            "/safety-plan",
            &[("coping", &"y".repeat(2_001)), ("people", "Kept words")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Kept words"));
    let done = b
        .submit(
            "/safety-plan/edit",
            "/safety-plan",
            &[("coping", "Music"), ("people", "Sam")],
        )
        .await;
    done.assert_redirects_to("/safety-plan?notice=plan-saved");
    let now = api.get_json("/api/v1/me/safety-plan").await;
    assert_eq!(now["plan"]["coping"], "Music");
    assert_eq!(
        now["plan"]["warning_signs"], "",
        "the form replaces the whole plan"
    );
}

/// Answers summing to `total` (three at most each), item 9 as given.
fn phq9(total: u8, item9: u8) -> Vec<u8> {
    let mut left = total - item9;
    let mut a: Vec<u8> = (0..8)
        .map(|_| {
            let x = left.min(3);
            left -= x;
            x
        })
        .collect();
    a.push(item9);
    a
}

#[tokio::test]
async fn questionnaires_score_and_band_and_item_nine_brings_the_crisis_response_and_the_plan() {
    let app = TestApp::spawn().await;
    let alex = app.api_member("alex").await;
    let api = app.api(&alex);
    let (status, taken) = api
        .post(
            "/api/v1/me/assessments/phq9",
            json!({"answers": phq9(12, 0), "difficulty": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{taken}");
    assert_eq!(taken["assessment"]["score"], 12);
    assert_eq!(taken["assessment"]["band"], "moderate");
    assert_eq!(taken["crisis"], Value::Null);
    let (_, gad) = api
        .post(
            "/api/v1/me/assessments/gad7",
            json!({"answers": [3, 3, 3, 3, 3, 0, 0]}),
        )
        .await;
    assert_eq!(gad["assessment"]["score"], 15);
    assert_eq!(gad["assessment"]["band"], "severe");

    // Partial, out of range, too many, unknown: refused, with the item named.
    let mut partial: Vec<Value> = phq9(10, 0).into_iter().map(Value::from).collect();
    partial[4] = Value::Null;
    for (body, field) in [
        (json!({"answers": partial}), "q5"),
        (json!({"answers": [1, 1, 1, 1, 1, 1, 1, 1]}), "q9"),
        (json!({"answers": [0, 0, 0, 4, 0, 0, 0, 0, 0]}), "q4"),
        (json!({"answers": vec![0; 10]}), "answers"),
    ] {
        let (status, v) = api.post("/api/v1/me/assessments/phq9", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        assert!(v["error"]["fields"][field].is_string(), "{body}: {v}");
    }
    let (status, _) = api
        .post("/api/v1/me/assessments/bdi", json!({"answers": [0]}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Item 9 above zero: the crisis response and the plan at once; nobody
    // is alerted until the member asks.
    api.put(
        "/api/v1/me/safety-plan",
        json!({"coping": "Cold water on my face"}),
    )
    .await;
    let (status, hard) = api
        .post(
            "/api/v1/me/assessments/phq9",
            json!({"answers": phq9(6, 1)}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{hard}");
    assert_eq!(hard["assessment"]["thoughts_of_harm"], true);
    assert!(hard["crisis"]["region"].is_object(), "{hard}");
    assert_eq!(
        hard["safety_plan"]["plan"]["coping"],
        "Cold water on my face"
    );
    assert_eq!(app.count("crisis_alerts").await, 0, "nobody was alerted");
    let (status, _) = api.post("/api/v1/me/help-requests", json!({})).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(
        app.count("crisis_alerts").await,
        1,
        "asked: the team is told"
    );

    let list = api.get_json("/api/v1/me/assessments?kind=phq9").await;
    let scores: Vec<i64> = list["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["score"].as_i64().unwrap())
        .collect();
    assert_eq!(scores, [12, 6], "oldest first");
    assert_eq!(
        api.get("/api/v1/me/assessments?kind=bdi").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        api.get("/api/v1/me/assessments?days=0").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // The pages: the published items, in Spanish too; a partial form comes
    // back with its answers; the result of item 9 shows lines and plan.
    let b = app.browser();
    b.login("alex", PASSWORD).await;
    let form = b.get("/assessments/phq9").await;
    assert!(
        form.body
            .contains("Little interest or pleasure in doing things")
    );
    assert!(form.body.contains("No permission required to reproduce"));
    let es = b.get("/assessments/gad7?lang=es").await;
    assert!(
        es.body
            .contains("Sentirse nervioso/a, intranquilo/a o con los nervios de punta"),
        "{}",
        es.body
    );
    let refused = b
        .submit(
            "/assessments/phq9",
            "/assessments/phq9",
            &[("q1", "2"), ("q2", "1")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("id=\"q1-2\" name=\"q1\" value=\"2\" checked"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("Answer this question to see your score")
    );
    let answers: Vec<(String, String)> = phq9(20, 2)
        .iter()
        .enumerate()
        .map(|(i, a)| (format!("q{}", i + 1), a.to_string()))
        .collect();
    let fields: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let done = b
        .submit("/assessments/phq9", "/assessments/phq9", &fields)
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let result = b.get(done.location()).await;
    assert!(result.body.contains("20 / 27"), "{}", result.body);
    assert!(result.body.contains("severe"));
    assert!(result.body.contains("id=\"crisis-panel\""));
    assert!(result.body.contains("Cold water on my face"));
    assert!(result.body.contains("Ask someone to reach out to me"));
    let overview = b.get("/assessments?range=3m").await;
    assert_eq!(overview.status, StatusCode::OK);
    assert_eq!(
        overview.body.matches("class=\"point\"").count(),
        4,
        "three PHQ-9s and a GAD-7"
    );
}

#[tokio::test]
async fn check_ins_record_a_mood_and_draw_its_trend_with_a_table() {
    let app = TestApp::spawn().await;
    let alex = app.api_member("alex").await;
    let api = app.api(&alex);
    let secret = marker("wrenhollow");
    let (status, saved) = api
        .post(
            "/api/v1/me/check-ins",
            json!({"mood": 4, "tags": ["sleep", "outdoors", "sleep"], "note": format!("Slept well, {secret}")}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["checkin"]["tags"], json!(["sleep", "outdoors"]));
    for (body, field) in [
        (json!({"mood": 0}), "mood"),
        (json!({"mood": 6}), "mood"),
        (json!({}), "mood"),
        (json!({"mood": 3, "tags": ["weather"]}), "tags"),
        (json!({"mood": 3, "note": "n".repeat(1_001)}), "note"),
    ] {
        let (status, v) = api.post("/api/v1/me/check-ins", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        assert!(v["error"]["fields"][field].is_string(), "{body}: {v}");
    }
    assert_eq!(in_clear(&app, &secret).await, Vec::<String>::new());

    let b = app.browser();
    b.login("alex", PASSWORD).await;
    let done = b
        .submit(
            "/check-ins",
            "/check-ins",
            &[("mood", "2"), ("tag", "work"), ("tag", "money")],
        )
        .await;
    done.assert_redirects_to("/check-ins?notice=checkin-saved");
    // The first check-in was three days ago, the second today.
    hearth::on_db!(&app.state.db, |pool| {
        sqlx::query("UPDATE checkins SET created_at = created_at - 3 * 86400000 WHERE id = $1")
            .bind(saved["checkin"]["id"].as_i64().unwrap())
            .execute(pool)
            .await
            .unwrap();
    });
    let page = b.get("/check-ins?range=12m").await;
    assert_eq!(
        page.body.matches("class=\"point\"").count(),
        2,
        "{}",
        page.body
    );
    let days: std::collections::BTreeSet<&str> = page
        .body
        .match_indices("<time datetime=\"")
        .map(|(i, _)| &page.body[i + 16..i + 26])
        .collect();
    assert_eq!(days.len(), 2, "two days in the table: {days:?}");
    let xs: Vec<f64> = page
        .body
        .match_indices("class=\"point\" cx=\"")
        .map(|(i, _)| {
            let rest = &page.body[i + "class=\"point\" cx=\"".len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    assert!(xs[1] > xs[0], "older check-ins lie to the left: {xs:?}");
    assert!(page.body.contains("<td>4 (Good)</td>"), "{}", page.body);
    assert!(page.body.contains("Work or study, Money"));
    assert!(page.body.contains("role=\"img\""));
    assert!(!page.body.contains("streak"), "no streaks");
    let refused = b
        .submit("/check-ins", "/check-ins", &[("note", "Kept note")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Kept note"));
    let list = api.get_json("/api/v1/me/check-ins?days=7").await;
    assert_eq!(list["damaged"], 0);
    let moods: Vec<i64> = list["checkins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["mood"].as_i64().unwrap())
        .collect();
    assert_eq!(moods, [4, 2]);
}

#[tokio::test]
async fn downloading_my_data_gives_everything_i_wrote_opened_and_nobody_elses() {
    let app = TestApp::spawn().await;
    let scene =
        crate::helpers::Scene::open_group(&app, "export_admin", "Open Door", &["blair"]).await;
    app.register_with_email("alex", "alex@example.org").await;
    let alex = app.api_login("alex", PASSWORD).await;
    let api = app.api(&alex);
    let (status, _) = api
        .post(
            &format!("/api/v1/groups/{}/membership", scene.slug),
            json!({}),
        )
        .await;
    assert!(status.is_success(), "{status}");
    let (status, t) = api
        .post(
            &format!("/api/v1/groups/{}/threads", scene.slug),
            json!({"title": "Evenings", "body": "Evenings are the hardest for me.", "accept_guidelines": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    write(
        &app,
        &alex,
        json!({"title": "Mine", "body": "A private line."}),
    )
    .await;
    api.put("/api/v1/me/safety-plan", json!({"people": "Sam"}))
        .await;
    api.post(
        "/api/v1/me/check-ins",
        json!({"mood": 3, "note": "Steady."}),
    )
    .await;
    api.post(
        "/api/v1/me/assessments/gad7",
        json!({"answers": [1, 1, 1, 1, 0, 0, 0]}),
    )
    .await;
    // Blair's words are not in Alex's copy.
    write(
        &app,
        &scene.tokens["blair"],
        json!({"body": "Blair's own line."}),
    )
    .await;

    let data = api.get_json("/api/v1/me/export").await;
    assert_eq!(data["account"]["handle"], "alex");
    assert_eq!(data["account"]["email"], "alex@example.org");
    assert_eq!(data["groups"][0]["name"], "Open Door", "{data}");
    assert_eq!(data["posts"][0]["body"], "Evenings are the hardest for me.");
    assert_eq!(data["journal"][0]["body"], "A private line.");
    assert_eq!(data["safety_plan"]["plan"]["people"], "Sam");
    assert_eq!(data["check_ins"][0]["note"], "Steady.");
    assert_eq!(data["assessments"][0]["score"], 4);
    assert_eq!(data["damaged"], 0);
    assert!(!data.to_string().contains("Blair's own line."));

    let b = app.browser();
    b.login("alex", PASSWORD).await;
    let page = b.get("/account/export").await;
    assert!(page.body.contains("href=\"/account/export.json\""));
    let json_copy = b.get("/account/export.json").await;
    assert_eq!(json_copy.status, StatusCode::OK);
    let disposition = json_copy.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"hearth-alex-"),
        "{disposition}"
    );
    let parsed: Value = serde_json::from_str(&json_copy.body).unwrap();
    assert_eq!(parsed["journal"][0]["title"], "Mine");
    let html_copy = b.get("/account/export.html").await;
    assert_eq!(html_copy.status, StatusCode::OK);
    assert!(html_copy.body.contains("A private line."));
    assert!(html_copy.body.contains("Evenings are the hardest for me."));
    assert!(html_copy.body.contains("alex@example.org"));
}

#[tokio::test]
async fn deleting_an_account_with_its_posts_leaves_no_trace_of_them_in_the_database() {
    let app = TestApp::spawn().await;
    let scene =
        crate::helpers::Scene::open_group(&app, "erase_admin", "Open Door", &["alex", "blair"])
            .await;
    let post = |token: String, title: String, body: String| {
        let app = &app;
        let slug = scene.slug.clone();
        async move {
            let (status, t) = app
                .api(&token)
                .post(
                    &format!("/api/v1/groups/{slug}/threads"),
                    json!({"title": title, "body": body, "accept_guidelines": true}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{t}");
            t
        }
    };
    let (title, body, reply) = (marker("osprey"), marker("larchwood"), marker("fernbrook"));
    let alex = scene.tokens["alex"].clone();
    let blair = scene.tokens["blair"].clone();
    post(
        alex.clone(),
        format!("About {title}"),
        format!("Mine: {body}"),
    )
    .await;
    // Alex also replies in Blair's thread; Blair's words stay.
    let kept = marker("blairsown");
    let theirs = post(blair.clone(), "Blair asks".into(), kept.clone()).await;
    let (status, _) = app
        .api(&alex)
        .post(
            &format!(
                "/api/v1/groups/{}/threads/{}/posts",
                scene.slug, theirs["id"]
            ),
            json!({"body": format!("A reply: {reply}")}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let journal = marker("quietcove");
    write(&app, &alex, json!({"body": journal.clone()})).await;
    for m in [&title, &body, &reply] {
        assert!(
            !in_clear(&app, m).await.is_empty(),
            "{m} is stored in clear before"
        );
    }

    let (status, v) = app
        .api(&alex)
        .call(
            "DELETE",
            "/api/v1/me",
            Some(json!({"password": PASSWORD, "erase_posts": true})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{v}");
    if let hearth::db::Db::Sqlite(pool) = &app.state.db {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(pool)
            .await
            .unwrap();
        sqlx::query("VACUUM").execute(pool).await.unwrap();
    }
    for m in [&title, &body, &reply, &journal] {
        assert_eq!(in_clear(&app, m).await, Vec::<String>::new(), "{m} is gone");
    }
    assert_eq!(app.count("journal_entries").await, 0);
    assert_eq!(app.count("member_keys").await, 0);
    // Blair's thread and words are still there.
    assert!(
        !in_clear(&app, &kept).await.is_empty(),
        "Blair's words stay"
    );
    let thread = app
        .api(&blair)
        .get_json(&format!(
            "/api/v1/groups/{}/threads/{}",
            scene.slug, theirs["id"]
        ))
        .await;
    assert!(thread.to_string().contains("Blair asks"), "{thread}");
}

#[tokio::test]
async fn self_care_guides_work_without_script_and_a_break_reminder_is_the_members_choice() {
    let app = TestApp::spawn().await;
    let alex = app.api_member("alex").await;
    let b = app.browser();
    b.login("alex", PASSWORD).await;
    let pacer = b.get("/self-care/breathing").await;
    assert!(pacer.body.contains("class=\"pacer-circle\""));
    assert!(
        pacer.body.contains("for a count of four"),
        "the steps are written out"
    );
    // The grounding guide, one sense a page, then done.
    let first = b.get("/self-care/grounding").await;
    assert!(first.body.contains("Name five things you can see"));
    assert!(first.body.contains("href=\"/self-care/grounding?step=2\""));
    let last = b.get("/self-care/grounding?step=5").await;
    assert!(last.body.contains("Name one thing you can taste"));
    let done = b.get("/self-care/grounding?step=6").await;
    assert!(done.body.contains("Well done"));
    assert!(
        b.get("/self-care/grounding?step=99")
            .await
            .body
            .contains("Name five things")
    );

    // No reminder unless asked for.
    assert!(!b.get("/journal").await.body.contains("data-break-minutes"));
    let saved = b
        .submit("/self-care", "/self-care/break", &[("minutes", "45")])
        .await;
    saved.assert_redirects_to("/self-care?notice=break-saved");
    let page = b.get("/journal").await;
    assert!(
        page.body.contains("data-break-minutes=\"45\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"break-reminder\""));
    let me = app.api(&alex).get_json("/api/v1/me").await;
    assert_eq!(me["break_minutes"], 45, "the same account, through the API");
    let api = app.api(&alex);
    for bad in [json!({"minutes": 5}), json!({"minutes": 241})] {
        let (status, _) = api.put("/api/v1/me/break-reminder", bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, _) = api
        .put("/api/v1/me/break-reminder", json!({"minutes": 30}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(api.get_json("/api/v1/me").await["break_minutes"], 30);
    let off = b
        .submit("/self-care", "/self-care/break", &[("minutes", "off")])
        .await;
    off.assert_redirects_to("/self-care?notice=break-saved");
    assert!(!b.get("/journal").await.body.contains("data-break-minutes"));
}

#[tokio::test]
async fn goals_are_private_until_the_member_shares_one_in_their_own_words() {
    let app = TestApp::spawn().await;
    let scene =
        crate::helpers::Scene::open_group(&app, "goal_admin", "Open Door", &["alex", "blair"])
            .await;
    let alex = scene.tokens["alex"].clone();
    let api = app.api(&alex);
    let why = marker("saltmarsh");
    let (status, goal) = api
        .post(
            "/api/v1/me/goals",
            json!({"title": "Walk every morning", "why": format!("For my head: {why}")}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{goal}");
    let id = goal["id"].as_i64().unwrap();
    for (body, field) in [
        (json!({"title": ""}), "title"),
        (json!({"title": "t".repeat(201)}), "title"),
        (json!({"title": "ok", "why": "w".repeat(1_001)}), "why"),
    ] {
        let (status, v) = api.post("/api/v1/me/goals", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        assert!(v["error"]["fields"][field].is_string(), "{body}: {v}");
    }
    let path = format!("/api/v1/me/goals/{id}");
    let (status, v) = api
        .post(&format!("{path}/check-ins"), json!({"went": "maybe"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    for went in ["some", "not_this_time", "did"] {
        let (status, _) = api
            .post(
                &format!("{path}/check-ins"),
                json!({"went": went, "note": "ok"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let got = api.get_json(&path).await;
    assert_eq!(got["checkins"][0]["went"], "did", "newest first: {got}");
    assert_eq!(got["checkins"].as_array().unwrap().len(), 3);
    assert_eq!(
        app.api(&scene.tokens["blair"]).get(&path).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(in_clear(&app, &why).await, Vec::<String>::new());

    // Shared with the group: a thread in the member's words, nothing more.
    let b = app.browser();
    b.login("alex", PASSWORD).await;
    let form = b.get(&format!("/goals/{id}/share")).await;
    assert!(
        form.body.contains("value=\"My goal: Walk every morning\""),
        "{}",
        form.body
    );
    let posted = b
        .submit(
            &format!("/goals/{id}/share"),
            &format!("/goals/{id}/share"),
            &[
                ("group", &scene.slug),
                ("title", "Walking each morning"),
                ("body", "Holding myself to it, a week at a time."),
                ("accept_guidelines", "yes"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let thread = b.get(posted.location()).await;
    assert!(thread.body.contains("Walking each morning"));
    assert!(thread.body.contains("Holding myself to it"));
    assert!(
        !thread.body.contains(&why),
        "the goal's other words stay private"
    );
    // A group they are not in is refused, and what they typed is kept.
    let refused = b
        .submit(
            &format!("/goals/{id}/share"),
            &format!("/goals/{id}/share"),
            &[
                ("group", "elsewhere"),
                ("title", "Kept title"),
                ("body", "Kept body"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Kept body"));

    let (status, _) = api
        .put(&format!("{path}/done"), json!({"done": true}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let list = api.get_json("/api/v1/me/goals").await;
    assert!(list["goals"][0]["done_at"].is_i64(), "{list}");
    let page = b.get("/goals").await;
    assert!(page.body.contains("Done"));
    assert_eq!(api.delete(&path).await.0, StatusCode::NO_CONTENT);
    assert_eq!(
        app.count("goal_checkins").await,
        0,
        "its check-ins went with it"
    );
}
