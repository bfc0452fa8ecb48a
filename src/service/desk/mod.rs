//! [`Desk`]: the hotline desk beside the tickets — calls that are questions (inquiries), the
//! callback list, the phone system's call events with the operator's screen pop, and the
//! desk's figures for leaders. Everything here is personal data (the centre's roles only),
//! except [`figures`], which counts and shows no caller.
//!
//! - [`inquiries`]: recording an inquiry call, and the callback it may open.
//! - [`pbx`]: the PBX's events, the operators' extensions, the screen pop and a caller's history.
//! - [`figures`]: inquiries, calls and callbacks counted for the leaders' statistics.

pub mod figures;
pub mod inquiries;
pub mod pbx;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::{Procedures, ServiceError, ServiceResult, Tickets};
use crate::config::Secret;
use crate::domain::{Principal, Role};
use crate::store::Store;

/// Settings of the desk (`--pbx-secret`, `--caller-key`, `--callback-due` in `cli::serve`).
#[derive(Debug, Clone)]
pub struct DeskSettings {
    /// The PBX webhook's shared secret (`X-Switchboard-Signature`); without one the webhook
    /// refuses every call.
    pub pbx_secret: Option<Secret>,
    /// The key callers' numbers are hashed with. Without one, a key made once and kept in the
    /// store is used (the same for every instance).
    pub caller_key: Option<Secret>,
    /// When a callback is due after a missed call, or by default after an inquiry.
    pub callback_due: Duration,
    /// How far the webhook's signed time may be from the server's clock.
    pub tolerance: Duration,
}

impl Default for DeskSettings {
    fn default() -> Self {
        Self {
            pbx_secret: None,
            caller_key: None,
            callback_due: Duration::from_secs(2 * 3600),
            tolerance: Duration::from_secs(300),
        }
    }
}

/// The hotline desk. Cheap to clone.
#[derive(Clone)]
pub struct Desk {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    tickets: Tickets,
    procedures: Procedures,
    settings: DeskSettings,
    /// The HMAC key of callers' numbers.
    key: Vec<u8>,
    /// Bumped by every call event this instance records, to wake the screen pops waiting here
    /// (other instances' events are seen by the waiters' periodic look at the store).
    changed: watch::Sender<u64>,
}

impl Desk {
    /// Reads (or makes, once for all instances) the key callers' numbers are hashed with.
    pub async fn start(
        store: Arc<dyn Store>,
        tickets: Tickets,
        procedures: Procedures,
        settings: DeskSettings,
    ) -> anyhow::Result<Self> {
        let key = match &settings.caller_key {
            Some(k) => k.expose().as_bytes().to_vec(),
            None => {
                let candidate: [u8; 32] = rand::random();
                store.desk_key(&candidate).await?
            }
        };
        let (changed, _) = watch::channel(0);
        Ok(Self { inner: Arc::new(Inner { store, tickets, procedures, settings, key, changed }) })
    }

    pub fn settings(&self) -> &DeskSettings {
        &self.inner.settings
    }

    fn store(&self) -> &dyn Store {
        &*self.inner.store
    }

    /// The keyed hash of a number, `None` if it is not one.
    fn key_of(&self, phone: &str) -> Option<Vec<u8>> {
        crate::domain::desk::caller_key(&self.inner.key, phone)
    }
}

/// The login name the desk records for the centre's principal; others are refused.
fn operator(p: &Principal) -> ServiceResult<String> {
    match p {
        Principal::Public => Err(ServiceError::Unauthenticated),
        Principal::User(u) if matches!(u.role, Role::Admin | Role::Operator) => Ok(u.name.clone()),
        Principal::ApiKey { name, role: Role::Admin | Role::Operator } => Ok(format!("key:{name}")),
        _ => Err(ServiceError::Forbidden("the call centre's desk is for operators and administrators".into())),
    }
}
