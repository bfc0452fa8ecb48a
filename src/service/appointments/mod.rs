//! [`Appointments`]: bookings and queue numbers at public offices (`docs/appointments.md`).
//!
//! - [`booking`]: free slots, booking (portal, console, chatbot), the citizen's own view,
//!   rescheduling and cancelling with their token, the office's list of the day.
//! - [`queue`]: numbers for today, check-in, the counters' calls, the display board.
//! - [`closure`]: closing an office for a period, moving every booking in it.
//! - [`figures`]: bookings, shows, waits and surveys counted for leaders.
//! - [`texts`]: the messages citizens receive.

pub mod booking;
pub mod closure;
pub mod figures;
pub mod queue;
pub mod texts;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::{Procedures, ServiceError, ServiceResult};
use crate::config::Secret;
use crate::domain::office::{Closure, Office, OfficeId};
use crate::domain::{HolidayCalendar, Medium, Principal, Role};
use crate::store::{NewNotification, Store};

/// The appointments' settings, from the server's.
#[derive(Debug, Clone, Default)]
pub struct AppointmentSettings {
    /// The media the notifier delivers on (others get no message enqueued).
    pub notify_media: BTreeSet<Medium>,
    /// The portal's public address, for the links in messages.
    pub public_base_url: Option<String>,
}

/// Offices, bookings and queues. Cheap to clone.
#[derive(Clone)]
pub struct Appointments {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    procedures: Procedures,
    calendar: Arc<HolidayCalendar>,
    settings: AppointmentSettings,
    /// The key a person's phone number is hashed with for the per-day limit.
    person_key: Secret,
    /// Bumped by every queue change this instance makes, to wake the boards waiting here
    /// (other instances' changes are seen by the waiters' look at the store every second).
    changed: watch::Sender<u64>,
}

impl Appointments {
    pub fn new(
        store: Arc<dyn Store>,
        procedures: Procedures,
        calendar: Arc<HolidayCalendar>,
        person_key: Secret,
        settings: AppointmentSettings,
    ) -> Self {
        let (changed, _) = watch::channel(0);
        Self { inner: Arc::new(Inner { store, procedures, calendar, settings, person_key, changed }) }
    }

    fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }

    /// Every office, by id.
    pub async fn offices(&self) -> ServiceResult<Vec<Office>> {
        Ok(self.store().offices().await?)
    }

    /// The office `id`, or 404.
    pub async fn office(&self, id: &str) -> ServiceResult<Office> {
        let id = OfficeId::parse(id, "office")?;
        self.offices()
            .await?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or_else(|| ServiceError::NotFound(format!("office {id}")))
    }

    /// Closures of an office that have not ended at `now`.
    pub async fn closures(&self, office: &OfficeId, now: DateTime<Utc>) -> ServiceResult<Vec<Closure>> {
        Ok(self.store().closures(office, now).await?)
    }

    /// Creates or replaces an office. Roles: admin.
    pub async fn put_office(&self, p: &Principal, id: &str, office: Office) -> ServiceResult<Office> {
        require(p, &[Role::Admin])?;
        let id = OfficeId::parse(id, "id")?;
        if office.id != id {
            return Err(crate::domain::ValidationErrors::single("id", "must be the office of the address").into());
        }
        let office = office.validate()?;
        let mut errs = crate::domain::ValidationErrors::new();
        for (i, s) in office.services.iter().enumerate() {
            for (j, code) in s.procedures.iter().enumerate() {
                if self.inner.procedures.procedure(code).await.is_none() {
                    errs.push(format!("services[{i}].procedures[{j}]"), "not in the procedures catalogue");
                }
            }
        }
        errs.into_result()?;
        self.store().put_office(&office, Utc::now()).await?;
        self.touched();
        Ok(office)
    }

    /// Whether `p` works the counters of `office`: admins everywhere, clerks at their offices.
    pub fn may_work(p: &Principal, office: &OfficeId) -> ServiceResult<()> {
        match p {
            Principal::Public => Err(ServiceError::Unauthenticated),
            Principal::User(u) if u.role == Role::Admin => Ok(()),
            Principal::User(u) if u.role == Role::Clerk && u.offices.iter().any(|o| o == office.as_str()) => Ok(()),
            Principal::User(u) if u.role == Role::Clerk => {
                Err(ServiceError::OutOfScope(format!("office {office} is not one of yours")))
            }
            Principal::ApiKey { role: Role::Admin, .. } => Ok(()),
            _ => Err(ServiceError::Forbidden("only the office's clerks and admins work its counters".into())),
        }
    }

    fn touched(&self) {
        self.inner.changed.send_modify(|v| *v += 1);
    }

    /// Enqueues messages for the notifier, leaving out media it does not deliver on.
    async fn notify(&self, items: Vec<NewNotification>) -> ServiceResult<()> {
        let items: Vec<_> =
            items.into_iter().filter(|n| self.inner.settings.notify_media.contains(&n.medium)).collect();
        if !items.is_empty() {
            self.store().enqueue_notifications(&items, Utc::now()).await?;
        }
        Ok(())
    }

    /// The token of a booking or a queue number (`kind`): derived from its id under the
    /// server's key, so a reminder can carry the link again; only its hash is stored.
    pub(crate) fn token_for(&self, kind: &str, id: uuid::Uuid) -> String {
        use hmac::Mac as _;
        let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(self.inner.person_key.expose().as_bytes())
            .expect("HMAC takes a key of any length");
        m.update(kind.as_bytes());
        m.update(id.as_bytes());
        m.finalize().into_bytes()[..20].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Keeps the slots the chatbot offered in a conversation.
    pub async fn remember_offer(&self, conversation: uuid::Uuid, offer: &serde_json::Value) -> ServiceResult<()> {
        Ok(self.store().put_chat_offer(conversation, offer, Utc::now()).await?)
    }

    /// The chatbot's last offer in a conversation, with when it was made.
    pub async fn offer(&self, conversation: uuid::Uuid) -> ServiceResult<Option<(serde_json::Value, DateTime<Utc>)>> {
        Ok(self.store().chat_offer(conversation).await?)
    }

    /// The manage link of a booking (`{public_url}/dat-lich/{code}?token=…`).
    fn manage_link(&self, code: &str, token: &str) -> String {
        let base = self.inner.settings.public_base_url.as_deref().unwrap_or("").trim_end_matches('/');
        format!("{base}/dat-lich/{code}?token={token}")
    }
}

/// Whether `token` is the one whose hash was stored (compared in constant time).
fn token_matches(stored: &[u8], token: &str) -> bool {
    bool::from(subtle::ConstantTimeEq::ct_eq(stored, crate::service::auth::hash_secret(token).as_slice()))
}

/// The principal's role must be one of `roles`.
fn require(p: &Principal, roles: &[Role]) -> ServiceResult<()> {
    match p.role() {
        None => Err(ServiceError::Unauthenticated),
        Some(r) if roles.contains(&r) => Ok(()),
        Some(_) => Err(ServiceError::Forbidden("this role may not do that".into())),
    }
}
