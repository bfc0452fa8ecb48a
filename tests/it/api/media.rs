//! Photo uploads: what is stored (no EXIF, upright, deduplicated) and what is refused
//! (hostile and oversized input), on both stores.

use std::io::Cursor;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use switchboard::media::MediaLimits;

use super::photo_fixtures::{jpeg_with_gps, media_files, noise_png, png_bomb, small_png, upload};
use crate::harness::{Backend, TestApp, fields, problem, spawn_app_with};
use crate::on_both_stores;

/// Files a ticket as the public; returns (id, tracking token).
pub async fn citizen_ticket(app: &TestApp, description: &str) -> (String, String) {
    let r = app.public.post(app.url("/api/v1/tickets")).json(&app.ticket_body(&app.hai_chau, description)).send().await;
    let t: Value = r.unwrap().json().await.unwrap();
    (t["id"].as_str().unwrap().to_owned(), t["tracking_token"].as_str().unwrap().to_owned())
}

fn gps_of(jpeg: &[u8]) -> Option<String> {
    let exif = exif::Reader::new().read_from_container(&mut Cursor::new(jpeg)).ok()?;
    let lat = exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)?;
    Some(lat.display_value().to_string())
}

async fn a_citizen_photo_is_stored_upright_without_its_exif(app: TestApp) {
    let (id, token) = citizen_ticket(&app, "Cây đổ chắn ngang đường Bạch Đằng").await;
    // Taken with the phone on its side: 60 × 40 stored, EXIF orientation 6 (turn right).
    let original = jpeg_with_gps(60, 40, 6);
    assert_eq!(gps_of(&original).as_deref(), Some("16 deg 4 min 2 sec"), "the fixture carries a GPS position");
    assert!(original.windows(5).any(|w| w == b"Apple"));

    let r =
        upload(&app, &app.public, &id, "", Some(&token), &[("photo", "IMG_0412.JPG", "image/jpeg", &original)]).await;
    assert_eq!(r.status(), 201);
    let body: Value = r.json().await.unwrap();
    let photo = &body["photos"][0];
    let hash = photo["hash"].as_str().unwrap().to_owned();
    assert_eq!(photo["kind"], "report");
    assert_eq!((photo["width"].as_u64(), photo["height"].as_u64()), (Some(40), Some(60)), "turned upright");
    assert_eq!(photo["url"], format!("/media/{hash}.jpg"));
    assert_eq!(photo["thumb_url"], format!("/media/{hash}.thumb.jpg"));
    assert_eq!(photo["public"], false, "a report photo waits for the centre to publish it");

    let dir = &app.settings.media_dir;
    let stored = std::fs::read(dir.join(format!("{hash}.jpg"))).unwrap();
    assert_eq!(hex::encode(Sha256::digest(&stored)), hash, "named by the SHA-256 of its content");
    assert_eq!(photo["bytes"].as_u64(), Some(stored.len() as u64));
    for file in [stored.clone(), std::fs::read(dir.join(format!("{hash}.thumb.jpg"))).unwrap()] {
        assert!(exif::Reader::new().read_from_container(&mut Cursor::new(&file)).is_err(), "no EXIF left");
        assert!(!file.windows(4).any(|w| w == b"Exif"), "no EXIF segment");
        assert!(!file.windows(5).any(|w| w == b"Apple" || w == b"iPhon"), "no device name");
    }
    // Upright: the left (red) half of the sideways original is now the top.
    let img = image::load_from_memory(&stored).unwrap().to_rgb8();
    let (top, bottom) = (img.get_pixel(20, 5).0, img.get_pixel(20, 55).0);
    assert!(top[0] > 150 && top[2] < 100, "top is red, got {top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "bottom is blue, got {bottom:?}");

    // Staff see it in the ticket; the public does not get the file.
    let t = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(t["photos"].as_array().unwrap().len(), 1);
    assert_eq!(t["photos"][0]["hash"], hash.as_str());
    let list = app.get_json(&app.operator, "/api/v1/tickets").await;
    assert!(list["items"][0].get("photos").is_none(), "lists stay light");
    let r = app.operator.get(app.url(&format!("/media/{hash}.jpg"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().to_vec(), stored);
    assert_eq!(app.public.get(app.url(&format!("/media/{hash}.jpg"))).send().await.unwrap().status(), 404);
}
on_both_stores!(a_citizen_photo_is_stored_upright_without_its_exif);

async fn hostile_photos_are_refused_naming_the_photo_field_and_nothing_is_kept(app: TestApp) {
    let t = app.file(&app.hai_chau, "Ảnh độc hại").await;
    let id = t["id"].as_str().unwrap();
    let op = &app.operator;

    let bomb = png_bomb(50_000);
    assert!(bomb.len() < 200, "a few bytes declaring 7.5 GB of pixels");
    let started = std::time::Instant::now();
    let r = upload(&app, op, id, "", None, &[("photo", "bomb.png", "image/png", &bomb)]).await;
    assert_eq!(r.status(), 422);
    let p = problem(r).await;
    assert_eq!(fields(&p), ["photo"]);
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("50000 × 50000"), "{p}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "refused from the header, not by decoding");

    let html = b"<html><body><script>alert(document.cookie)</script></body></html>";
    let r = upload(&app, op, id, "", None, &[("photo", "anh.jpg", "image/jpeg", html)]).await;
    assert_eq!(r.status(), 415, "a .jpg name and an image/jpeg type do not make an image");
    let p = problem(r).await;
    assert_eq!(fields(&p), ["photo"]);
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("photo 1 (anh.jpg)"), "{p}");

    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    let r = upload(&app, op, id, "", None, &[("photo", "a.gif", "image/gif", gif)]).await;
    assert_eq!(r.status(), 415);
    assert_eq!(fields(&problem(r).await), ["photo"]);

    // JPEG magic bytes, then garbage: it claims to be an image but is not one.
    let mut broken = jpeg_with_gps(64, 64, 1);
    broken.truncate(broken.len() / 3);
    broken.extend_from_slice(&[0x55; 64]);
    let good = small_png([10, 200, 10]);
    let parts = [("photo", "ok.png", "image/png", &good[..]), ("photo", "broken.jpg", "image/jpeg", &broken[..])];
    let r = upload(&app, op, id, "", None, &parts).await;
    assert_eq!(r.status(), 422, "one bad photo refuses the request");
    let p = problem(r).await;
    assert_eq!(fields(&p), ["photo"]);
    assert!(p["errors"][0]["message"].as_str().unwrap().starts_with("photo 2 (broken.jpg)"), "{p}");

    let r = upload(&app, op, id, "", None, &[("file", "ok.png", "image/png", &good)]).await;
    assert_eq!((r.status().as_u16(), fields(&problem(r).await)), (422, vec!["photo".to_owned()]));
    let r = upload(&app, op, id, "", None, &[("photo", "empty.jpg", "image/jpeg", b"")]).await;
    assert_eq!(r.status(), 422);
    let r = upload(&app, op, id, "", None, &[]).await;
    assert_eq!((r.status().as_u16(), fields(&problem(r).await)), (422, vec!["photo".to_owned()]));
    let r = op.post(app.url(&format!("/api/v1/tickets/{id}/photos"))).json(&json!({"photo": "x"})).send().await;
    assert_eq!(r.unwrap().status(), 415, "not multipart");
    let r = upload(&app, op, id, "?kind=before", None, &[("photo", "ok.png", "image/png", &good)]).await;
    assert_eq!((r.status().as_u16(), fields(&problem(r).await)), (422, vec!["kind".to_owned()]));

    let t = app.get_json(op, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(t["photos"], json!([]), "nothing of a refused request was kept");
    assert!(media_files(&app).iter().all(|f| !f.ends_with(".tmp")), "no temporary files left: {:?}", media_files(&app));
}
on_both_stores!(hostile_photos_are_refused_naming_the_photo_field_and_nothing_is_kept);

async fn identical_photos_are_stored_once(app: TestApp) {
    let a = app.file(&app.hai_chau, "Ảnh trùng A").await["id"].as_str().unwrap().to_owned();
    let b = app.file(&app.hai_chau, "Ảnh trùng B").await["id"].as_str().unwrap().to_owned();
    let png = small_png([200, 120, 0]);
    let twice = [("photo", "1.png", "image/png", &png[..]), ("photo", "2.png", "image/png", &png[..])];
    let r = upload(&app, &app.operator, &a, "", None, &twice).await;
    assert_eq!(r.status(), 201);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["photos"][0]["hash"], body["photos"][1]["hash"]);
    let hash = body["photos"][0]["hash"].as_str().unwrap().to_owned();
    let r = upload(&app, &app.operator, &a, "", None, &twice[..1]).await;
    assert_eq!(r.status(), 201, "a retry returns the photo already there");
    let r = upload(&app, &app.admin, &b, "", None, &twice[..1]).await;
    assert_eq!(r.json::<Value>().await.unwrap()["photos"][0]["hash"], hash.as_str());

    for t in [&a, &b] {
        let view = app.get_json(&app.operator, &format!("/api/v1/tickets/{t}")).await;
        assert_eq!(view["photos"].as_array().unwrap().len(), 1, "one photo on ticket {t}");
        // The timeline shows the photo once: the retry added nothing, so it wrote no event.
        let events = app.get_json(&app.operator, &format!("/api/v1/tickets/{t}/events")).await;
        let added: Vec<&Value> = events.as_array().unwrap().iter().filter(|e| e["kind"] == "photo_added").collect();
        assert_eq!(added.len(), 1, "{events}");
        assert_eq!(added[0]["note"], "1 report");
    }
    assert_eq!(media_files(&app), [format!("{hash}.jpg"), format!("{hash}.thumb.jpg")], "one copy on disk");
}
on_both_stores!(identical_photos_are_stored_once);

fn tight(s: &mut switchboard::app::Settings) {
    s.media = MediaLimits {
        max_file_bytes: 100 * 1024,
        max_files: 3,
        max_request_bytes: 160 * 1024,
        max_pixels: 1_000_000,
        max_per_ticket: 4,
    };
}

async fn limits_per_file_request_and_ticket(backend: Backend) {
    let app = spawn_app_with(backend, tight).await;
    let id = app.file(&app.hai_chau, "Giới hạn ảnh").await["id"].as_str().unwrap().to_owned();
    let op = &app.operator;
    let big = noise_png(200, 1); // ~120 KB of incompressible pixels
    assert!(big.len() > 100 * 1024);
    let r = upload(&app, op, &id, "", None, &[("photo", "big.png", "image/png", &big)]).await;
    assert_eq!(r.status(), 413);
    let p = problem(r).await;
    assert_eq!((p["code"].as_str(), fields(&p)), (Some("payload_too_large"), vec!["photo".to_owned()]));
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("photo 1 (big.png) is larger than 100 KiB"), "{p}");

    let mid: Vec<Vec<u8>> = (0..3).map(|i| noise_png(140, 10 + i)).collect(); // ~59 KB each
    assert!(mid.iter().all(|m| m.len() > 160 * 1024 / 3 && m.len() < 100 * 1024));
    let parts: Vec<_> = mid.iter().map(|m| ("photo", "mid.png", "image/png", &m[..])).collect();
    let r = upload(&app, op, &id, "", None, &parts).await;
    assert_eq!(r.status(), 413, "together over the request limit");
    assert_eq!(fields(&problem(r).await), ["photo"]);

    let small: Vec<Vec<u8>> = (0..4).map(|i| small_png([i * 40, 10, 10])).collect();
    let parts: Vec<_> = small.iter().map(|m| ("photo", "s.png", "image/png", &m[..])).collect();
    let r = upload(&app, op, &id, "", None, &parts).await;
    assert_eq!(r.status(), 422, "4 files where 3 are allowed");
    let p = problem(r).await;
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("at most 3 photos"), "{p}");

    // A flat picture compresses to a few KB, so only the pixel limit stops it.
    let mut flat = Cursor::new(Vec::new());
    image::RgbImage::new(1100, 1000).write_to(&mut flat, image::ImageFormat::Png).unwrap();
    let r = upload(&app, op, &id, "", None, &[("photo", "flat.png", "image/png", flat.get_ref())]).await;
    assert_eq!(r.status(), 422, "1.1 megapixels where 1 is allowed");
    assert!(problem(r).await["errors"][0]["message"].as_str().unwrap().contains("1100 × 1000"));

    // Over the 64 KiB JSON limit but within this route's own: accepted.
    let fits = noise_png(160, 20);
    assert!(fits.len() > 64 * 1024 && fits.len() < 100 * 1024);
    assert_eq!(upload(&app, op, &id, "", None, &[("photo", "fits.png", "image/png", &fits)]).await.status(), 201);
    assert_eq!(upload(&app, op, &id, "", None, &parts[..3]).await.status(), 201, "the fourth fits");
    let extra = small_png([1, 2, 3]);
    let r = upload(&app, op, &id, "", None, &[("photo", "5.png", "image/png", &extra)]).await;
    assert_eq!(r.status(), 422, "a ticket holds at most 4");
    assert!(problem(r).await["errors"][0]["message"].as_str().unwrap().contains("at most 4 photos"));

    // A declared length over the limit is refused before the body is read.
    let r = op
        .post(app.url(&format!("/api/v1/tickets/{id}/photos")))
        .header("content-type", "multipart/form-data; boundary=x")
        // The server answers without reading the body, then drops the connection: don't reuse it.
        .header("connection", "close")
        .body(vec![b'x'; 300 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    // Other routes keep the JSON limit.
    let fresh = reqwest::Client::new();
    let r =
        fresh.post(app.url("/api/v1/tickets")).header("content-type", "application/json").body(vec![b' '; 100 * 1024]);
    assert_eq!(r.send().await.unwrap().status(), 413);
}

on_both_stores!(limits_per_file_request_and_ticket);
