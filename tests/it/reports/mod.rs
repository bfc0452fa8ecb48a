//! Messages to staff and citizens that leaders run the system with: the Friday report (kept
//! and sent once per tick with two instances, once after a downtime), the escalation notices
//! and daily digests, and the survey after a resolution (on the tracking page and by SMS reply).

mod escalation;
mod survey;
mod weekly;

use std::sync::Arc;

use switchboard::notify::Notifier;
use switchboard::service::Services;

use crate::harness::TestApp;

/// The notifier of an instance's `services`, with the app's delivery settings and a
/// `catch_up` window (the tests drive the clock themselves).
pub fn notifier(app: &TestApp, services: &Services, catch_up: std::time::Duration) -> Notifier {
    let mut settings = app.settings.notify.clone();
    settings.report_catch_up = catch_up;
    Notifier {
        store: app.store.clone(),
        settings: Arc::new(settings),
        reference: services.reference.clone(),
        public_base_url: None,
    }
}

/// A second instance on `app`'s database, with the same settings.
pub async fn second_instance(app: &TestApp) -> Services {
    let settings = switchboard::app::Settings { listen: "127.0.0.1:0".parse().unwrap(), ..app.settings.clone() };
    let b = switchboard::app::Application::build(settings).await.expect("instance B");
    let services = b.services().clone();
    tokio::spawn(b.run_until_stopped());
    services
}
