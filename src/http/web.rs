//! Web pages. The map wall, console, leader and portal pages arrive with their issues; until
//! then `/` is a bilingual landing page linking to the API.

use axum::Router;
use axum::response::Html;
use axum::routing::get;

use crate::service::Services;

pub fn router() -> Router<Services> {
    Router::new().route("/", get(index))
}

async fn index() -> Html<&'static str> {
    Html(include_str!("../../web/index.html"))
}
