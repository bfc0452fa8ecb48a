//! `spawn_app`: a server with the demo city's reference data (no demo tickets) and one user
//! per role, on a fresh SQLite file or a fresh PostGIS database, with HTTP clients signed in
//! as each of them.

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use switchboard::app::Application;
use switchboard::app::Settings;
use switchboard::service::Services;
use switchboard::service::auth::NewUserInput;

use super::Backend;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub base: String,
    pub services: Services,
    /// The same database, opened by the test: for looking at what the server stored.
    pub store: std::sync::Arc<dyn switchboard::store::Store>,
    /// The settings the server was started with (a second instance may share its database).
    pub settings: Settings,
    /// No credentials.
    pub public: Client,
    pub admin: Client,
    pub operator: Client,
    /// Leader of Hải Châu.
    pub leader: Client,
    /// Leader of Sơn Trà.
    pub other_leader: Client,
    /// Staff of the unit that answers for Hải Châu.
    pub agency: Client,
    pub agency_unit: String,
    /// An Open311 API key.
    pub open311: Client,
    /// A BI tool's read-only `analyst` API key.
    pub analyst: Client,
    pub hai_chau: String,
    pub son_tra: String,
    _dir: Option<tempfile::TempDir>,
    /// Holds the media directory (`services.settings.media_dir`) for the test's lifetime.
    _media: tempfile::TempDir,
}

pub fn client() -> Client {
    Client::builder().cookie_store(true).build().expect("client")
}

fn bearer(key: &str) -> Client {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert(reqwest::header::AUTHORIZATION, format!("Bearer {key}").parse().expect("header"));
    Client::builder().default_headers(h).build().expect("client")
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// [`spawn_app`] with settings adjusted by `tweak`.
pub async fn spawn_app_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let (url, dir) = match backend {
        Backend::Sqlite => {
            let (dir, url) = super::db::fresh_sqlite_url();
            (url, Some(dir))
        }
        Backend::Postgres => (super::db::fresh_pg_url().await, None),
    };
    let media = tempfile::tempdir().expect("media dir");
    let mut settings = Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: Some(url),
        media_dir: media.path().join("media"),
        ..Settings::default()
    };
    // The Friday report is sent by the notifier for three days after each Friday 17:00 (Vietnam
    // time) to the demo leader, who is subscribed; a test that counts emails or messages would
    // find it there from Friday evening to Monday. Tests of the report drive its clock themselves.
    settings.notify.report_catch_up = std::time::Duration::ZERO;
    tweak(&mut settings);
    let store = switchboard::store::open(settings.database_url.as_deref()).await.expect("store");
    switchboard::demo::seed::seed(store.as_ref(), &settings.city(), 0, 1).await.expect("demo reference data");
    let app = Application::build(settings.clone()).await.expect("app");
    let base = format!("http://127.0.0.1:{}", app.port());
    let services = app.services().clone();
    tokio::spawn(app.run_until_stopped());

    let reference = services.reference.current();
    let district = |name: &str| {
        reference
            .areas
            .all(chrono::Utc::now())
            .into_iter()
            .find(|a| a.level == "district" && a.name == name)
            .unwrap_or_else(|| panic!("demo district {name}"))
            .code
            .to_string()
    };
    let (hai_chau, son_tra) = (district("Hải Châu"), district("Sơn Trà"));
    let agency_unit = reference
        .units
        .iter()
        .find(|u| u.kind == "agency" && u.areas.iter().any(|a| a.as_str() == hai_chau))
        .expect("a unit answering for Hải Châu")
        .code
        .to_string();
    let users: [(&str, &str, Vec<String>, Vec<String>); 5] = [
        ("t.admin", "admin", vec![], vec![]),
        ("t.operator", "operator", vec![], vec![]),
        ("t.leader", "leader", vec![hai_chau.clone()], vec![]),
        ("t.leader2", "leader", vec![son_tra.clone()], vec![]),
        ("t.agency", "agency", vec![], vec![agency_unit.clone()]),
    ];
    let mut clients = Vec::new();
    for (name, role, areas, units) in users {
        let input = NewUserInput {
            name: name.into(),
            display_name: None,
            role: role.into(),
            password: PASSWORD.into(),
            areas,
            units,
            offices: vec![],
        };
        services.accounts.add_user(input).await.expect("user");
        let c = client();
        let r = c
            .post(format!("{base}/api/v1/session"))
            .json(&json!({"name": name, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login {name}");
        clients.push(c);
    }
    let (_, key) = services.accounts.create_api_key("t-open311", "open311").await.expect("key");
    let (_, analyst_key) = services.accounts.create_api_key("t-analyst", "analyst").await.expect("key");
    let mut it = clients.into_iter();
    TestApp {
        base,
        services,
        store,
        settings,
        public: client(),
        admin: it.next().unwrap(),
        operator: it.next().unwrap(),
        leader: it.next().unwrap(),
        other_leader: it.next().unwrap(),
        agency: it.next().unwrap(),
        agency_unit,
        open311: bearer(&key),
        analyst: bearer(&analyst_key),
        hai_chau,
        son_tra,
        _dir: dir,
        _media: media,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A point well inside the named district's first ward (from the area index).
    pub fn point_in(&self, district: &str) -> (f64, f64) {
        use geo::InteriorPoint;
        let reference = self.services.reference.current();
        let now = chrono::Utc::now();
        let ward = reference
            .areas
            .all(now)
            .into_iter()
            .find(|a| a.parent.as_ref().map(|p| p.as_str()) == Some(district))
            .expect("a ward");
        let p = ward.geometry.interior_point().expect("interior point");
        (p.x(), p.y())
    }

    pub fn ticket_body(&self, district: &str, description: &str) -> Value {
        let (lon, lat) = self.point_in(district);
        let category = self.services.reference.current().categories[0].code.to_string();
        json!({
            "category": category,
            "description": description,
            "location": {"lon": lon, "lat": lat},
            "reporter": {"name": "Nguyễn Văn An", "phone": "0905123456"},
            "consent": true
        })
    }

    /// Files a ticket as the operator and returns its JSON.
    pub async fn file(&self, district: &str, description: &str) -> Value {
        let r = self
            .operator
            .post(self.url("/api/v1/tickets"))
            .json(&self.ticket_body(district, description))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json().await.unwrap()
    }

    /// GETs `path` as `who`, expecting 200, and returns the JSON body.
    pub async fn get_json(&self, who: &Client, path: &str) -> Value {
        let r = who.get(self.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.json().await.unwrap()
    }

    pub async fn act(&self, who: &Client, id: &str, action: Value) -> Response {
        who.post(self.url(&format!("/api/v1/tickets/{id}/transitions"))).json(&action).send().await.unwrap()
    }
}
