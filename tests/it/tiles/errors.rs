//! Tiles that do not exist are 404 problem+json.

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{TestApp, problem};
use crate::on_both_stores;

async fn unknown_sources_and_tiles_outside_the_grid_are_not_found(app: TestApp) {
    for path in [
        "/tiles/nope",
        "/tiles/nope/1/0/0",
        "/tiles/areas/23/0/0",
        "/tiles/areas/19/0/0",
        "/tiles/areas/2/4/0",
        "/tiles/areas/2/0/4",
        "/tiles/areas/x/0/0",
        "/tiles/areas/1/0/-1",
        "/tiles/areas/300/0/0",
    ] {
        let r = app.public.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(problem(r).await["code"], json!("not_found"), "{path}");
    }
    // A tile URL with an extension is the same tile.
    let r = app.public.get(app.url("/tiles/areas/10/819/460.pbf")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}
on_both_stores!(unknown_sources_and_tiles_outside_the_grid_are_not_found);
