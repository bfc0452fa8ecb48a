//! Cross-site request forgery: the review's reproduction (a page on another port of the same
//! host attached a public result photo to a ticket with the operator's cookie) and the other
//! state-changing routes, refused from another origin and accepted from the site's own pages;
//! bearer keys are not affected, and the live socket refuses a cross-site upgrade.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::photo_fixtures::{multipart, small_png};
use crate::harness::TestApp;
use crate::harness::ws::{port_of, session_cookie, try_connect};
use crate::on_both_stores;

async fn cookie_writes_from_another_origin_are_refused(app: TestApp) {
    let t = app.file(&app.hai_chau.clone(), "Ổ gà trước chợ Hàn").await;
    let id = t["id"].as_str().unwrap().to_owned();
    let r = app.act(&app.operator, &id, json!({"action": "assign", "unit": app.agency_unit})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let own = app.base.clone();
    let evil = format!("http://127.0.0.1:{}", port_of(&app.base) + 1);

    // The review's reproduction: a multipart photo upload with the operator's cookie.
    let png = small_png([200, 40, 40]);
    let (ctype, body) = multipart(&[("photo", "p.png", "image/png", &png)]);
    let photo = |origin: &str, site: Option<&str>| {
        let mut r = app
            .operator
            .post(app.url(&format!("/api/v1/tickets/{id}/photos")))
            .header("content-type", ctype.clone())
            .header("origin", origin)
            .body(body.clone());
        if let Some(s) = site {
            r = r.header("sec-fetch-site", s);
        }
        r
    };
    let r = photo(&evil, Some("same-site")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let problem: Value = r.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("cross-site"), "{problem}");
    let r = photo(&evil, None).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "Origin alone is enough to tell");
    let after: Value = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(after["photos"].as_array().map_or(0, Vec::len), 0, "nothing was attached: {after}");
    let r = photo(&own, Some("same-origin")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "the console's own page may");

    // A transition, a JSON POST: refused cross-site, accepted same-origin.
    let note = json!({"action": "extend", "days": 1, "reason": "Chờ vật tư"});
    let act = |origin: &str| {
        app.operator.post(app.url(&format!("/api/v1/tickets/{id}/transitions"))).header("origin", origin).json(&note)
    };
    assert_eq!(act(&evil).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(act("null").send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(act(&own).send().await.unwrap().status(), StatusCode::OK);
    // Signing out is a write too.
    let r = app.operator.delete(app.url("/api/v1/session")).header("sec-fetch-site", "cross-site").send().await;
    assert_eq!(r.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(app.operator.get(app.url("/api/v1/tickets")).send().await.unwrap().status(), StatusCode::OK);

    // A bearer key carries no ambient credential: its origin does not matter.
    let r = app.open311.get(app.url("/api/v1/categories")).header("origin", &evil).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // The public (no cookie) files from anywhere, as an embedded form may.
    let r = app
        .public
        .post(app.url("/api/v1/tickets"))
        .header("origin", &evil)
        .json(&app.ticket_body(&app.hai_chau, "Đèn đường hỏng"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);

    // The live socket: a cross-site page may not open it with the cookie.
    let cookie = session_cookie(&app.base, "t.operator").await;
    let port = port_of(&app.base);
    let with = |origin: String| {
        let cookie = cookie.clone();
        async move {
            use tokio_tungstenite::tungstenite::client::IntoClientRequest;
            let mut req = format!("ws://127.0.0.1:{port}/api/v1/live").into_client_request().unwrap();
            req.headers_mut().insert("cookie", cookie.parse().unwrap());
            req.headers_mut().insert("origin", origin.parse().unwrap());
            tokio_tungstenite::connect_async(req).await
        }
    };
    match with(evil.clone()).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 403),
        other => panic!("a cross-site upgrade must be refused: {:?}", other.map(|_| ())),
    }
    assert!(with(own).await.is_ok(), "the wall's own page opens it");
    assert!(try_connect(port, Some(("cookie", &cookie))).await.is_ok(), "a client that sends no Origin");
}
on_both_stores!(cookie_writes_from_another_origin_are_refused);
