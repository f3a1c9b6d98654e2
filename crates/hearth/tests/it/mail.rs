//! E-mail and password reset: a member who gave an address gets a link by
//! mail (through a real SMTP exchange with a local catcher) that works once
//! and ends their sessions; asking answers the same whoever asks; mail the
//! server refuses for now is retried; an admin makes a link for a member
//! without an address; with mail off, the page says whom to ask.

use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::{Browser, PASSWORD, TestApp, decode_html, reset_link_in};
use crate::smtp::Catcher;

const NEW_PASSWORD: &str = "harbour violet spindle oak";

async fn with_mail(catcher: &Catcher, retry_secs: u64) -> TestApp {
    let url = catcher.url.clone();
    TestApp::spawn_with(move |s| {
        s.mail_url = Some(url);
        s.mail_from = Some("Hearth <hearth@example.org>".into());
        s.limits.mail_retry_secs = retry_secs;
    })
    .await
}

async fn ask(app: &TestApp, handle: &str, email: &str) -> String {
    let b = app.browser();
    let page = b
        .submit(
            "/account/forgot",
            "/account/forgot",
            &[("handle", handle), ("email", email)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().to_owned()
}

/// Waits (up to 5 s) for the queue to empty: the worker deletes a message
/// once the server has answered for it, just after the catcher has it.
async fn queue_empties(app: &TestApp) -> bool {
    for _ in 0..250 {
        if app.count("mail_queue").await == 0 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn a_member_who_forgot_their_password_gets_a_link_by_mail_that_works_once() {
    let catcher = Catcher::start().await;
    let app = with_mail(&catcher, 30).await;
    app.register_with_email("Mail_Member", "Mail.Member@example.org")
        .await;
    let old_session = app.browser();
    old_session.login("mail_member", PASSWORD).await;
    assert_eq!(
        old_session.logged_in_as().await.as_deref(),
        Some("Mail_Member")
    );

    let b = app.browser();
    let login = b.get("/login").await.text();
    assert!(login.contains("href=\"/account/forgot\""), "{login}");
    assert!(
        b.get("/account/forgot")
            .await
            .text()
            .contains("The e-mail address you gave")
    );
    // The handle in other case and the address in other case still match.
    let to = ask(&app, "MAIL_member", " mail.member@EXAMPLE.org ").await;
    assert_eq!(to, "/account/forgot?notice=reset-sent");
    let said = decode_html(&b.get(&to).await.text());
    assert!(said.contains("If that handle has that address"), "{said}");

    let caught = catcher.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(caught.len(), 1, "one mail");
    assert_eq!(caught[0].to, vec!["Mail.Member@example.org".to_owned()]);
    assert!(
        caught[0].subject.contains("Reset your password"),
        "{:?}",
        caught[0]
    );
    assert!(
        caught[0].body.contains("Hello Mail_Member"),
        "{}",
        caught[0].body
    );
    let link = reset_link_in(&caught[0].body);
    // Only a keyed hash of the token is stored.
    let token = link.split('=').nth(1).unwrap();
    let stored: Vec<Vec<u8>> = hearth::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT token_hash FROM password_resets"
    )
    .fetch_all(pool)
    .await
    .unwrap());
    assert_eq!(stored.len(), 1);
    assert!(!String::from_utf8_lossy(&stored[0]).contains(token));

    let form = b.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("Mail_Member"));
    // A mistake keeps the link working.
    let mismatch = b
        .reset_password(&link, NEW_PASSWORD, "something else entirely")
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = b.reset_password(&link, NEW_PASSWORD, NEW_PASSWORD).await;
    done.assert_redirects_to("/login?notice=password-reset");

    // Every open session ended; the new password works, the old does not.
    assert_eq!(old_session.logged_in_as().await, None);
    let fresh = app.browser();
    assert_eq!(
        fresh.login("mail_member", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    fresh.login("mail_member", NEW_PASSWORD).await;
    assert_eq!(fresh.logged_in_as().await.as_deref(), Some("Mail_Member"));
    // Once only.
    assert_eq!(b.get(&link).await.status, StatusCode::GONE);
    let again = b
        .submit(
            "/account/forgot",
            "/account/reset",
            &[
                ("token", token),
                ("new_password", "another long passphrase"),
                ("new_password_confirm", "another long passphrase"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    let actions = app.audited_actions().await;
    assert!(
        actions.iter().any(|a| a == "account.password_reset"),
        "{actions:?}"
    );
    assert!(queue_empties(&app).await, "a sent message leaves the queue");
}

#[tokio::test]
async fn asking_for_a_link_answers_the_same_whoever_asks() {
    let catcher = Catcher::start().await;
    let app = with_mail(&catcher, 30).await;
    app.register_with_email("has_mail", "has@example.org").await;
    app.api_member("no_mail").await;

    let answers = [
        ask(&app, "nobody_here", "has@example.org").await,
        ask(&app, "has_mail", "other@example.org").await,
        ask(&app, "no_mail", "has@example.org").await,
    ];
    for a in &answers {
        assert_eq!(a, "/account/forgot?notice=reset-sent");
    }
    // Only a real match sends, and at most three an hour to one account.
    for _ in 0..4 {
        assert_eq!(
            ask(&app, "has_mail", "has@example.org").await,
            "/account/forgot?notice=reset-sent"
        );
    }
    let caught = catcher.wait_for(3, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(catcher.caught().len(), 3, "{caught:?}");
    assert!(
        caught
            .iter()
            .all(|c| c.to == vec!["has@example.org".to_owned()])
    );

    // Empty fields are a mistake to fix, said plainly.
    let b = app.browser();
    let page = b
        .submit(
            "/account/forgot",
            "/account/forgot",
            &[("handle", ""), ("email", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text().contains("Type your handle."));
}

#[tokio::test]
async fn mail_the_server_refuses_for_now_is_retried_until_it_is_taken() {
    let catcher = Catcher::start().await;
    let app = with_mail(&catcher, 1).await;
    app.register_with_email("retry_member", "retry@example.org")
        .await;
    catcher.refuse_next(2);
    ask(&app, "retry_member", "retry@example.org").await;
    let caught = catcher.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(caught.len(), 1, "delivered after the refusals");
    assert_eq!(catcher.tries(), 3, "two refusals, then taken");
    assert!(queue_empties(&app).await);
    let admin = app.staff("mail_admin", "admin").await;
    let hub = admin.get("/admin").await.text();
    assert!(
        hub.contains("This server sends e-mail.") && hub.contains("Waiting to be sent: 0"),
        "{hub}"
    );
}

#[tokio::test]
async fn an_admin_makes_a_one_time_link_for_a_member_without_an_address() {
    let app = TestApp::spawn().await;
    let admin = app.staff("reset_admin", "admin").await;
    let member = app.member("forgetful").await;
    app.staff("other_admin", "admin").await;

    // Mail is off here: the page says whom to ask.
    let forgot = decode_html(&app.browser().get("/account/forgot").await.text());
    assert!(forgot.contains("does not send e-mail"), "{forgot}");
    assert!(!forgot.contains("name=\"email\""));

    let id = |handle: &'static str| {
        let db = app.state.db.clone();
        async move {
            hearth::on_db!(&db, |pool| sqlx::query_scalar::<_, i64>(
                "SELECT id FROM accounts WHERE handle_key = $1"
            )
            .bind(handle)
            .fetch_one(pool)
            .await
            .unwrap())
        }
    };
    let member_id = id("forgetful").await;
    let people = admin.get("/admin/people?q=forget").await.text();
    assert!(people.contains(&format!("/admin/people/{member_id}/reset-link")));
    let page = admin
        .submit(
            "/admin/people?q=forget",
            &format!("/admin/people/{member_id}/reset-link"),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let text = decode_html(&page.text());
    let link = reset_link_in(&text);
    assert!(text.contains("It works once, for 24 hours"), "{text}");
    // Not for another admin, and not by a member.
    let other = id("other_admin").await;
    let refused = admin
        .submit(
            "/admin/people",
            &format!("/admin/people/{other}/reset-link"),
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let by_member = member
        .submit(
            "/account",
            &format!("/admin/people/{member_id}/reset-link"),
            &[],
        )
        .await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);

    let person = Browser::new(&app.base);
    let done = person
        .reset_password(&link, NEW_PASSWORD, NEW_PASSWORD)
        .await;
    done.assert_redirects_to("/login?notice=password-reset");
    assert_eq!(member.logged_in_as().await, None, "their old session ended");
    person.login("forgetful", NEW_PASSWORD).await;
    assert_eq!(person.logged_in_as().await.as_deref(), Some("forgetful"));
    let actions = app.audited_actions().await;
    assert!(
        actions.iter().any(|a| a == "account.reset_link"),
        "{actions:?}"
    );

    // A link past its time does not work.
    let page = admin
        .submit(
            "/admin/people?q=forget",
            &format!("/admin/people/{member_id}/reset-link"),
            &[],
        )
        .await;
    let link = reset_link_in(&page.text());
    hearth::on_db!(&app.state.db, |pool| sqlx::query(
        "UPDATE password_resets SET expires_at = 0 WHERE used_at IS NULL"
    )
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
    assert_eq!(person.get(&link).await.status, StatusCode::GONE);
}
