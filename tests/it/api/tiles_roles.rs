//! The vector-tile routes' rows of the role matrix (`roles.rs`); their behaviour is tested in
//! the `tiles` module.

use reqwest::Method;
use serde_json::Value;

type Row = (Method, String, Option<Box<dyn FnMut() -> Value>>, [u16; 7]);

/// (public, admin, operator, leader, agency, open311, analyst).
pub fn role_rows() -> Vec<Row> {
    vec![
        (Method::GET, "/tiles".into(), None, [200; 7]),
        (Method::GET, "/tiles/areas".into(), None, [200; 7]),
        (Method::GET, "/tiles/areas/12/3279/1862".into(), None, [200; 7]),
        (Method::GET, "/tiles/basemap/12/3279/1862".into(), None, [200; 7]),
        // Ticket tiles are the wall's: every staff role, each cut to its scope (`tiles::scoped`).
        (Method::GET, "/tiles/tickets".into(), None, [401, 200, 200, 200, 200, 403, 403]),
        (Method::GET, "/tiles/tickets/12/3279/1862".into(), None, [401, 200, 200, 200, 200, 403, 403]),
        (Method::DELETE, "/api/v1/tiles/cache".into(), None, [401, 204, 403, 403, 403, 403, 403]),
    ]
}
