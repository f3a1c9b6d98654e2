//! Languages: the account setting, then `?lang=`, then Accept-Language.

use crate::helpers::{Browser, TestApp};

#[tokio::test]
async fn a_spanish_browser_gets_spanish_pages() {
    let app = TestApp::spawn().await;
    let mut b = Browser::new(&app.base);
    b.accept_language = "es-MX,es;q=0.9,en;q=0.5".into();
    let home = b.get("/").await;
    assert!(home.body.contains("<html lang=\"es\""));
    assert!(home.body.contains("Pide ayuda ahora"));
    assert!(home.body.contains("Salida rápida"));
    assert!(home.body.contains("No es consejo médico"));
    let help = b.get("/help").await;
    assert!(
        help.body.contains("Líneas de crisis en México"),
        "the region comes from the browser too"
    );
    let missing = b.get("/nada").await;
    assert!(missing.body.contains("Página no encontrada"));
}

#[tokio::test]
async fn the_language_links_switch_language_and_links_keep_it() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let page = b.get("/register?lang=es").await;
    assert!(page.body.contains("<html lang=\"es\""));
    assert!(page.body.contains("href=\"/help?lang=es\""));
    assert!(page.body.contains("action=\"/register?lang=es\""));
    let english = b.get("/register").await;
    assert!(english.body.contains("<html lang=\"en\""));
}

#[tokio::test]
async fn registering_in_spanish_keeps_spanish_for_the_account() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let token = b.get("/register?lang=es").await.csrf();
    let page = b
        .post_raw(
            "/register?lang=es",
            &[
                ("handle", "luz_del_sur"),
                ("password", crate::helpers::PASSWORD),
                ("password_confirm", crate::helpers::PASSWORD),
                ("age_bracket", "18+"),
                ("language", "es"),
                ("csrf", &token),
            ],
        )
        .await;
    page.assert_redirects_to("/welcome?notice=welcome&lang=es");
    // Even without ?lang= and with an English browser, the account's language wins.
    let account = b.get("/account").await;
    assert!(account.body.contains("<html lang=\"es\""));
    assert!(account.body.contains("Cerrar sesión"));
}

#[tokio::test]
async fn spanish_errors_explain_the_problem_in_spanish() {
    let app = TestApp::spawn().await;
    let mut b = Browser::new(&app.base);
    b.accept_language = "es".into();
    let page = b
        .submit(
            "/register",
            "/register",
            &[
                ("handle", "ab"),
                ("password", "corta"),
                ("password_confirm", "corta"),
                ("age_bracket", "18+"),
            ],
        )
        .await;
    assert!(
        page.body
            .contains("Tu nombre de usuario debe tener de 3 a 30 caracteres.")
    );
    assert!(page.body.contains("Revisa lo siguiente"));
}
