use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestApp, fields, problem};
use crate::on_both_stores;

async fn bad_input_gets_a_problem_naming_the_field_and_files_nothing(app: TestApp) {
    let good = app.ticket_body(&app.hai_chau.clone(), "Ổ gà");
    let post = |body: Value| app.public.post(app.url("/api/v1/tickets")).json(&body).send();

    let mut b = good.clone();
    b["location"]["lon"] = json!(200.0);
    let r = post(b).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p = problem(r).await;
    assert_eq!(p["code"], "validation");
    assert_eq!(fields(&p), vec!["location.lon"]);

    let mut b = good.clone();
    b["category"] = json!("no-such-thing");
    let p = problem(post(b).await.unwrap()).await;
    assert_eq!(fields(&p), vec!["category"]);

    let mut b = good.clone();
    b["location"]["lat"] = json!("mười sáu");
    let r = post(b).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), vec!["location.lat"]);

    let mut b = good.clone();
    b["description"] = json!("   ");
    b["reporter"]["email"] = json!("not-an-email");
    let p = problem(post(b).await.unwrap()).await;
    let mut f = fields(&p);
    f.sort();
    assert_eq!(f, vec!["description", "reporter.email"]);

    let mut b = good.clone();
    b["location"] = json!({"lon": 150.0, "lat": -30.0});
    let p = problem(post(b).await.unwrap()).await;
    assert_eq!(fields(&p), vec!["location"], "outside the city: {p}");

    let mut b = good.clone();
    b["channel"] = json!("hotline");
    let p = problem(post(b).await.unwrap()).await;
    assert_eq!(fields(&p), vec!["channel"], "the public cannot claim the hotline channel");

    let mut b = good.clone();
    b["surprise"] = json!(1);
    let r = post(b).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let r = app
        .public
        .post(app.url("/api/v1/tickets"))
        .header("content-type", "application/json")
        .body("{\"category\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(problem(r).await["code"], "bad_request");

    let r = app.public.post(app.url("/api/v1/tickets")).body("category=x").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let page = app.get_json(&app.operator, "/api/v1/tickets").await;
    assert!(page["items"].as_array().unwrap().is_empty(), "nothing was filed");
}
on_both_stores!(bad_input_gets_a_problem_naming_the_field_and_files_nothing);

async fn a_50_mb_body_is_refused_with_413(app: TestApp) {
    let huge = format!("{{\"description\": \"{}\"}}", "a".repeat(50 * 1024 * 1024));
    let r =
        app.public.post(app.url("/api/v1/tickets")).header("content-type", "application/json").body(huge).send().await;
    match r {
        Ok(r) => {
            assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
            assert_eq!(problem(r).await["code"], "payload_too_large");
        }
        // The server may close the connection before the client finishes sending 50 MB.
        Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
    }
    // The server is still fine.
    assert_eq!(app.public.get(app.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
}
on_both_stores!(a_50_mb_body_is_refused_with_413);

async fn bad_queries_are_422s_and_unknown_paths_404s(app: TestApp) {
    for (q, field) in [
        ("bbox=1,2,3", "bbox"),
        ("bbox=108.3,16,108.2,16.1", "bbox"),
        ("status=lost", "status"),
        ("limit=0", "limit"),
        ("limit=100000", "limit"),
        ("cursor=zzz", "cursor"),
        ("near=108.2", "near"),
        ("near=108.2,16.0&radius=-5", "radius"),
        ("received_from=yesterday", "received_from"),
    ] {
        let r = app.operator.get(app.url(&format!("/api/v1/tickets?{q}"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert_eq!(fields(&problem(r).await), vec![field], "{q}");
    }
    let r = app.operator.get(app.url("/api/v1/tickets/0190f0e2-0000-7000-8000-000000000000")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(problem(r).await["code"], "not_found");
    let r = app.operator.get(app.url("/api/v1/nothing-here")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    problem(r).await;
}
on_both_stores!(bad_queries_are_422s_and_unknown_paths_404s);

/// The review's findings: a body was validated before the caller was (an anonymous `POST
/// /api/v1/calls {}` listed the call's fields in a 422), and a path that is not UTF-8 or a
/// wrong method answered in plain text.
async fn the_caller_is_checked_before_the_body_and_every_error_is_a_problem(app: TestApp) {
    for path in [
        "/api/v1/calls",
        "/api/v1/users",
        "/api/v1/apikeys",
        "/api/v1/directions",
        "/api/v1/cameras",
        "/api/v1/tickets/DN-0001-000001/transitions",
    ] {
        let r = app.public.post(app.url(path)).json(&json!({})).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert!(fields(&problem(r).await).is_empty(), "{path}: no field is named to the public");
    }
    let r = app.leader.post(app.url("/api/v1/calls")).json(&json!({})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app.agency.post(app.url("/api/v1/users")).body("not json").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The right role still gets the fields.
    let r = app.operator.post(app.url("/api/v1/calls")).json(&json!({})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!fields(&problem(r).await).is_empty());

    let r = app.operator.get(app.url("/api/v1/tickets/%ff")).send().await.unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    assert!(problem(r).await["detail"].is_string());
    let r = app.operator.put(app.url("/api/v1/categories")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.headers().contains_key("allow"), "the allowed methods are kept");
    assert_eq!(problem(r).await["code"], "method_not_allowed");
    let r = app.operator.post(app.url("/api/v1/tickets")).header("content-type", "text/xml").body("<a/>").send().await;
    let r = r.unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    problem(r).await;
}
on_both_stores!(the_caller_is_checked_before_the_body_and_every_error_is_a_problem);
