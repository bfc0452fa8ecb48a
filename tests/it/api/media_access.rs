//! Who may add which photos (tracking token, agency scope), who may fetch which file, the
//! serving headers, and photos surviving a restart of the real binary.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::media::citizen_ticket;
use super::photo_fixtures::{multipart, small_png, upload};
use crate::harness::bin::{cli, free_port, serve};
use crate::harness::{TestApp, TestDb, problem};
use crate::on_both_stores;

async fn hash_of(r: reqwest::Response) -> String {
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["photos"][0]["hash"].as_str().unwrap().to_owned()
}

async fn the_citizen_needs_the_tracking_token_and_agencies_their_own_tickets(app: TestApp) {
    let png = small_png([90, 90, 200]);
    let part = [("photo", "a.png", "image/png", &png[..])];
    let (id, token) = citizen_ticket(&app, "Đèn đường hỏng").await;

    let r = upload(&app, &app.public, &id, "", None, &part).await;
    assert_eq!(r.status(), 401, "no token");
    let r = upload(&app, &app.public, &id, "", Some("not-the-token"), &part).await;
    assert_eq!((r.status().as_u16(), problem(r).await["code"].clone()), (403, json!("forbidden")));
    let (other, _) = citizen_ticket(&app, "Phiếu khác").await;
    assert_eq!(
        upload(&app, &app.public, &other, "", Some(&token), &part).await.status(),
        403,
        "another ticket's token"
    );
    assert_eq!(upload(&app, &app.public, &id, "?kind=result", Some(&token), &part).await.status(), 403);
    assert_eq!(upload(&app, &app.public, &id, "", Some(&token), &part).await.status(), 201);
    assert_eq!(upload(&app, &app.leader, &id, "", None, &part).await.status(), 403);
    assert_eq!(upload(&app, &app.open311, &id, "", None, &part).await.status(), 403);

    // The agency: only tickets assigned to its unit, only result photos.
    let r = upload(&app, &app.agency, &id, "", None, &part).await;
    assert_eq!((r.status().as_u16(), problem(r).await["code"].clone()), (403, json!("out_of_scope")));
    let unit = app.agency_unit.clone();
    assert_eq!(app.act(&app.operator, &id, json!({"action": "assign", "unit": unit})).await.status(), 200);
    assert_eq!(upload(&app, &app.agency, &id, "?kind=report", None, &part).await.status(), 403);
    let done = small_png([0, 200, 90]);
    let r = upload(&app, &app.agency, &id, "", None, &[("photo", "xong.png", "image/png", &done)]).await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["photos"][0]["kind"], "result", "agency photos are results");
    // Within an hour of filing the citizen may still add photos after the centre moved on.
    let more = small_png([70, 70, 70]);
    let r = upload(&app, &app.public, &id, "", Some(&token), &[("photo", "them.png", "image/png", &more)]).await;
    assert_eq!(r.status(), 201);
    let kinds: Vec<Value> = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}")).await["photos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].clone())
        .collect();
    assert_eq!(kinds, [json!("report"), json!("result"), json!("report")]);

    // A rejected ticket takes no more photos from the citizen.
    let (gone, gone_token) = citizen_ticket(&app, "Phản ánh sai").await;
    assert_eq!(
        app.act(&app.operator, &gone, json!({"action": "reject", "reason": "Không thuộc thẩm quyền"})).await.status(),
        200
    );
    let r = upload(&app, &app.public, &gone, "", Some(&gone_token), &part).await;
    assert_eq!((r.status().as_u16(), problem(r).await["code"].clone()), (409, json!("conflict")));
}
on_both_stores!(the_citizen_needs_the_tracking_token_and_agencies_their_own_tickets);

async fn result_photos_are_public_once_resolved_and_report_photos_once_published(app: TestApp) {
    let t = app.file(&app.hai_chau, "Hố ga mất nắp").await;
    let id = t["id"].as_str().unwrap().to_owned();
    let (report_png, result_png) = (small_png([250, 250, 0]), small_png([0, 160, 0]));
    let report =
        hash_of(upload(&app, &app.operator, &id, "", None, &[("photo", "r.png", "image/png", &report_png)]).await)
            .await;
    let unit = app.agency_unit.clone();
    app.act(&app.operator, &id, json!({"action": "assign", "unit": unit})).await;
    app.act(&app.agency, &id, json!({"action": "accept"})).await;
    let result =
        hash_of(upload(&app, &app.agency, &id, "", None, &[("photo", "x.png", "image/png", &result_png)]).await).await;
    let get = |who: &reqwest::Client, path: String| who.get(app.url(&path)).send();

    // Before resolution nothing is public; 404s are not cached.
    let r = get(&app.public, format!("/media/{result}.jpg")).await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(app.services.tickets.photos_of(uuid(&id)).await.unwrap(), vec![]);
    // Staff who can see the ticket get it, privately cached.
    let r = get(&app.leader, format!("/media/{report}.jpg")).await.unwrap();
    assert_eq!(
        (r.status().as_u16(), r.headers()["cache-control"].to_str().unwrap()),
        (200, "private, max-age=31536000, immutable")
    );
    assert_eq!(get(&app.other_leader, format!("/media/{report}.jpg")).await.unwrap().status(), 404, "another district");
    assert_eq!(get(&app.open311, format!("/media/{report}.jpg")).await.unwrap().status(), 404);

    let r = app.act(&app.agency, &id, json!({"action": "resolve", "result": "Đã lắp nắp hố ga mới"})).await;
    assert_eq!(r.status(), 200);
    let resolved: Value = r.json().await.unwrap();
    let kinds: Vec<(&str, bool)> = resolved["ticket"]["photos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["kind"].as_str().unwrap(), p["public"].as_bool().unwrap()))
        .collect();
    assert_eq!(kinds, [("report", false), ("result", true)]);

    let r = get(&app.public, format!("/media/{result}.jpg")).await.unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "image/jpeg");
    assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["etag"].to_str().unwrap(), format!("\"{result}\""));
    let body = r.bytes().await.unwrap();
    assert_eq!(hex::encode(Sha256::digest(&body)), result, "the content is what its name says");
    let r = app
        .public
        .get(app.url(&format!("/media/{result}.jpg")))
        .header("if-none-match", format!("\"{result}\""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    let r = get(&app.public, format!("/media/{result}.thumb.jpg")).await.unwrap();
    assert_eq!((r.status().as_u16(), r.headers()["content-type"].to_str().unwrap()), (200, "image/jpeg"));
    assert_ne!(r.headers()["etag"], h["etag"], "the thumbnail has its own ETag");
    let public = app.services.tickets.photos_of(uuid(&id)).await.unwrap();
    assert_eq!(public.iter().map(|p| p.hash.as_str()).collect::<Vec<_>>(), [result.as_str()]);

    // Report photos: public once an operator publishes them, hidden again when withdrawn.
    assert_eq!(get(&app.public, format!("/media/{report}.jpg")).await.unwrap().status(), 404);
    let publish = app.url(&format!("/api/v1/tickets/{id}/photos/{report}/publish"));
    assert_eq!(app.agency.post(&publish).send().await.unwrap().status(), 403);
    let r = app.operator.post(&publish).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["public"], true);
    assert_eq!(get(&app.public, format!("/media/{report}.jpg")).await.unwrap().status(), 200);
    assert_eq!(app.services.tickets.photos_of(uuid(&id)).await.unwrap().len(), 2);
    assert_eq!(app.operator.delete(&publish).send().await.unwrap().status(), 200);
    assert_eq!(get(&app.public, format!("/media/{report}.jpg")).await.unwrap().status(), 404);
    let bad = app.url(&format!("/api/v1/tickets/{id}/photos/{}/publish", "0".repeat(64)));
    assert_eq!(app.operator.post(&bad).send().await.unwrap().status(), 404);

    // Names that are not a hash never reach the disk.
    for path in [
        "/media/..%2F..%2F..%2Fetc%2Fpasswd".to_owned(),
        format!("/media/{}.jpg", result.to_uppercase()),
        format!("/media/{result}.png"),
        format!("/media/{result}"),
        format!("/media/{}.jpg", "0".repeat(64)),
    ] {
        let r = get(&app.admin, path.clone()).await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
        assert_eq!(problem(r).await["code"], "not_found");
    }
}
on_both_stores!(result_photos_are_public_once_resolved_and_report_photos_once_published);

fn uuid(id: &str) -> switchboard::domain::TicketId {
    switchboard::domain::TicketId::parse(id, "id").unwrap()
}

// ---- restart of the real binary -------------------------------------------------------------

async fn photos_survive_sigkill_and_restart(db: TestDb) {
    cli(&db, &["seed", "--demo", "--tickets", "0"]);
    let key = cli(&db, &["apikeys", "create", "anh", "--role", "operator"]).trim().to_owned();
    let media = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let c = reqwest::Client::new();
    let mut server = serve(&db, port, &["--media-dir", media.path().to_str().unwrap()]).await;
    let cats: Value = c.get(format!("{base}/api/v1/categories")).send().await.unwrap().json().await.unwrap();
    let body = json!({"category": cats["categories"][0]["code"], "description": "Ảnh sau khởi động lại",
        "location": {"lon": 108.2208, "lat": 16.0678}});
    let t: Value = c
        .post(format!("{base}/api/v1/tickets"))
        .bearer_auth(&key)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = t["id"].as_str().unwrap();
    let png = small_png([5, 80, 160]);
    let (ctype, payload) = multipart(&[("photo", "p.png", "image/png", &png)]);
    let r = c
        .post(format!("{base}/api/v1/tickets/{id}/photos"))
        .bearer_auth(&key)
        .header("content-type", ctype)
        .body(payload);
    let r = r.send().await.unwrap();
    assert_eq!(r.status(), 201);
    let hash = r.json::<Value>().await.unwrap()["photos"][0]["hash"].as_str().unwrap().to_owned();
    server.kill().unwrap(); // SIGKILL right after the 201
    server.wait().unwrap();

    let mut server = serve(&db, port, &["--media-dir", media.path().to_str().unwrap()]).await;
    let view: Value =
        c.get(format!("{base}/api/v1/tickets/{id}")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
    assert_eq!(view["photos"][0]["hash"], hash.as_str());
    let r = c.get(format!("{base}/media/{hash}.jpg")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(hex::encode(Sha256::digest(r.bytes().await.unwrap())), hash);
    server.kill().unwrap();
    server.wait().unwrap();
}

on_both_stores!(photos_survive_sigkill_and_restart);
