//! Every camera route × every role gives exactly the status declared here (independently of
//! the code's own role constants): staff read the registry, admins edit it, admins, operators
//! and leaders watch; agency staff and Open311 keys get 403, the public 401.

use reqwest::{Client, Method};
use serde_json::{Value, json};

use super::support::{app_allowing_loopback, camera, camsim, create};
use crate::harness::Backend;
use crate::on_both_stores;

const WHO: [&str; 6] = ["public", "admin", "operator", "leader", "agency", "open311"];

async fn every_camera_route_answers_each_role_as_declared(backend: Backend) {
    let sim = camsim().await;
    let app = app_allowing_loopback(backend).await;
    let src = sim.base_url();
    create(&app, &camera("CAM-R", "mjpeg", &format!("{src}cam/1/mjpeg"))).await;
    create(&app, &camera("CAM-H", "hls", &format!("{src}cam/2/index.m3u8"))).await;
    create(&app, &camera("CAM-D", "snapshot", &format!("{src}cam/3/snapshot.jpg"))).await;
    let mut n = 0;
    let mut new_camera = move || {
        n += 1;
        camera(&format!("CAM-N{n}"), "snapshot", &format!("{src}cam/1/snapshot.jpg"))
    };
    let put = camera("CAM-R", "mjpeg", &format!("{}cam/1/mjpeg", sim.base_url()));

    // (method, path, body, expected status for public, admin, operator, leader, agency, open311)
    let routes: Vec<(Method, &str, Option<Value>, [u16; 6])> = vec![
        (Method::GET, "/api/v1/cameras", None, [401, 200, 200, 200, 200, 403]),
        (Method::GET, "/api/v1/cameras?near=108.2272,16.0610", None, [401, 200, 200, 200, 200, 403]),
        (Method::GET, "/api/v1/cameras/CAM-R", None, [401, 200, 200, 200, 200, 403]),
        (Method::POST, "/api/v1/cameras", Some(json!("new")), [401, 201, 403, 403, 403, 403]),
        (Method::PUT, "/api/v1/cameras/CAM-R", Some(put), [401, 200, 403, 403, 403, 403]),
        (Method::GET, "/api/v1/cameras/CAM-R/snapshot", None, [401, 200, 200, 200, 403, 403]),
        (Method::GET, "/api/v1/cameras/CAM-R/stream", None, [401, 200, 200, 200, 403, 403]),
        (Method::GET, "/api/v1/cameras/CAM-H/hls", None, [401, 200, 200, 200, 403, 403]),
        (Method::DELETE, "/api/v1/cameras/CAM-D", None, [401, 204, 403, 403, 403, 403]),
    ];
    let clients: [&Client; 6] = [&app.public, &app.admin, &app.operator, &app.leader, &app.agency, &app.open311];
    for (method, path, body, expected) in routes {
        for ((who, client), want) in WHO.iter().zip(clients).zip(expected) {
            let mut req = client.request(method.clone(), app.url(path));
            match &body {
                Some(Value::String(s)) if s == "new" => req = req.json(&new_camera()),
                Some(b) => req = req.json(b),
                None => {}
            }
            let r = req.send().await.unwrap();
            assert_eq!(r.status().as_u16(), want, "{method} {path} as {who}");
            drop(r); // a stream ends here
        }
    }
}
on_both_stores!(every_camera_route_answers_each_role_as_declared);
