//! Users, passwords (argon2id), web sessions and API keys.
//!
//! Session tokens and API keys are 256-bit random secrets; only their SHA-256 hashes are
//! stored, so a leaked database does not leak usable credentials.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use chrono::{DateTime, Utc};
use quick_cache::sync::Cache;
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::login_throttle::LoginThrottle;
use super::{ReferenceData, ServiceError, ServiceResult};
use crate::domain::{AreaCode, Principal, Role, StaffContact, UnitCode, User, ValidationErrors};
use crate::store::{ApiKey, NewUser, Store};

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Hashes a password with argon2id (the crate's default parameters: 19 MiB, t=2, p=1).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt_bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

/// Checks a password against a stored argon2 PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// An argon2id hash of a random password, made once: checked against when a name is unknown.
fn dummy_hash() -> anyhow::Result<String> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let h = hash_password(&new_secret("").0)?;
    Ok(DUMMY.get_or_init(|| h).clone())
}

/// A fresh random secret (URL-safe base64 of 32 bytes) with `prefix`, and its SHA-256.
pub fn new_secret(prefix: &str) -> (String, Vec<u8>) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash_secret(&secret);
    (secret, hash)
}

pub fn hash_secret(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// What an admin supplies to create a user.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct NewUserInput {
    pub name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    pub role: String,
    pub password: String,
    #[serde(default)]
    pub areas: Vec<String>,
    #[serde(default)]
    pub units: Vec<String>,
    /// For clerks: the offices whose counters they work (at least one).
    #[serde(default)]
    pub offices: Vec<String>,
}

fn valid_login_name(name: &str) -> bool {
    (3..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
}

/// Users, their sessions and API keys. Cheap to clone.
#[derive(Clone)]
pub struct Accounts {
    store: Arc<dyn Store>,
    /// To check a new user's areas and units.
    reference: ReferenceData,
    /// Lifetime of a web session.
    session_ttl: Duration,
    /// Failed sign-ins, counted to slow guessing down.
    pub throttle: Arc<LoginThrottle>,
    /// Sessions found live in the store in the last [`SESSION_RECHECK`], by token hash: the
    /// requests of a map that loads dozens of tiles at once ask the store once.
    sessions: Arc<Checked<User>>,
    /// API keys found in the store in the last [`SESSION_RECHECK`], by key hash: a BI tool or a
    /// tile client making hundreds of requests a second asks the store once every so often.
    keys: Arc<Checked<Principal>>,
}

/// How long a session found live, or an API key found in the store, is taken on trust before
/// the store is asked again. Signing out on this instance ends a session at once; on another
/// instance sharing the store, within this (as does a check already under way when it signs
/// out). A key deleted from the store is refused within this.
pub const SESSION_RECHECK: Duration = Duration::from_secs(2);
/// Sessions (and, apart, API keys) remembered at most (quick_cache evicts the coldest first,
/// CLOCK-Pro).
const SESSIONS_REMEMBERED: usize = 10_000;

/// Credentials the store confirmed, by the hash of their secret, each with the time of the
/// check. Only confirmed ones are kept: an unknown secret is never remembered, so guesses
/// cannot fill the memory, and always asks the store.
struct Checked<T> {
    found: Cache<Vec<u8>, (Instant, T)>,
}

impl<T: Clone> Checked<T> {
    fn new(capacity: usize) -> Self {
        Self { found: Cache::new(capacity) }
    }

    /// What the store said about `hash` less than [`SESSION_RECHECK`] before `now`.
    fn fresh(&self, hash: &[u8], now: Instant) -> Option<T> {
        self.found
            .get(hash)
            .filter(|(checked, _)| now.saturating_duration_since(*checked) < SESSION_RECHECK)
            .map(|(_, found)| found)
    }

    /// What the store answered for `hash` in a check started at `checked`.
    fn record(&self, hash: Vec<u8>, checked: Instant, found: Option<&T>) {
        match found {
            Some(found) => self.found.insert(hash, (checked, found.clone())),
            None => {
                self.found.remove(&hash);
            }
        }
    }

    fn forget(&self, hash: &[u8]) {
        self.found.remove(hash);
    }
}

impl Accounts {
    pub fn new(store: Arc<dyn Store>, reference: ReferenceData, session_ttl: Duration) -> Self {
        Self {
            store,
            reference,
            session_ttl,
            throttle: Arc::new(LoginThrottle::default()),
            sessions: Arc::new(Checked::new(SESSIONS_REMEMBERED)),
            keys: Arc::new(Checked::new(SESSIONS_REMEMBERED)),
        }
    }

    /// Every user, by name.
    pub async fn users(&self) -> ServiceResult<Vec<User>> {
        Ok(self.store.users().await?)
    }

    /// Checks a name and password; on success opens a session and returns its token.
    pub async fn login(
        &self,
        name: &str,
        password: &str,
        from: Option<IpAddr>,
    ) -> ServiceResult<(User, String, DateTime<Utc>)> {
        if let Err(wait) = self.throttle.check(name, from, Instant::now()) {
            tracing::warn!(account = name, address = ?from, wait_secs = wait.as_secs(), "sign-in throttled");
            return Err(ServiceError::RateLimited {
                wait,
                detail: "too many failed sign-ins for this account or from this address".into(),
            });
        }
        let Some(_turn) = self.throttle.permit(Duration::from_secs(5)).await else {
            return Err(ServiceError::Unavailable {
                wait: Duration::from_secs(2),
                detail: "too many sign-ins at once".into(),
            });
        };
        let found = self.store.user_by_name(name).await?;
        // Verify against a real hash of a random password when the user does not exist, so the
        // time taken does not tell which names exist.
        let phc = found.as_ref().map(|(_, h)| h.clone());
        let pw = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || match phc {
            Some(h) => Ok(verify_password(&pw, &h)),
            // Spend the same time, then refuse: no such user.
            None => dummy_hash().map(|h| {
                let _ = verify_password(&pw, &h);
                false
            }),
        })
        .await
        .map_err(|e| anyhow::anyhow!("password check panicked: {e}"))??;
        let user = match (found, ok) {
            (Some((user, _)), true) => user,
            _ => {
                self.throttle.failed(name, from, Instant::now());
                tracing::warn!(account = name, address = ?from, "sign-in failed");
                return Err(ServiceError::Unauthenticated);
            }
        };
        self.throttle.succeeded(name, from, Instant::now());
        let (token, hash) = new_secret("sbs_");
        let ttl = chrono::Duration::from_std(self.session_ttl).unwrap_or(chrono::Duration::hours(12));
        let expires = Utc::now() + ttl;
        self.store.create_session(&hash, user.id, expires).await?;
        Ok((user, token, expires))
    }

    pub async fn logout(&self, token: &str) -> ServiceResult<()> {
        let hash = hash_secret(token);
        self.store.delete_session(&hash).await?;
        self.sessions.forget(&hash);
        Ok(())
    }

    /// The user of a live session token: from the store, or from a check of the last
    /// [`SESSION_RECHECK`]. Unknown tokens are not remembered (so guesses cannot fill the
    /// memory) and always ask the store.
    pub async fn session_user(&self, token: &str) -> ServiceResult<Option<User>> {
        let hash = hash_secret(token);
        let checked = Instant::now();
        if let Some(user) = self.sessions.fresh(&hash, checked) {
            return Ok(Some(user));
        }
        let user = self.store.session_user(&hash, Utc::now()).await?;
        self.sessions.record(hash, checked, user.as_ref());
        Ok(user)
    }

    /// The principal of a bearer API key: from the store, or from a check of the last
    /// [`SESSION_RECHECK`]. Unknown keys are not remembered and always ask the store.
    pub async fn api_key_principal(&self, key: &str) -> ServiceResult<Option<Principal>> {
        let hash = hash_secret(key);
        let checked = Instant::now();
        if let Some(principal) = self.keys.fresh(&hash, checked) {
            return Ok(Some(principal));
        }
        let principal = self.store.api_key(&hash).await?.map(|k| Principal::ApiKey { name: k.name, role: k.role });
        self.keys.record(hash, checked, principal.as_ref());
        Ok(principal)
    }

    /// Validates and creates a user. Leaders need areas, agency staff need units.
    pub async fn add_user(&self, input: NewUserInput) -> ServiceResult<User> {
        let mut errs = ValidationErrors::new();
        if !valid_login_name(&input.name) {
            errs.push("name", "3-64 characters: lowercase letters, digits, '.', '_' or '-'");
        }
        if input.password.chars().count() < MIN_PASSWORD_CHARS {
            errs.push("password", format!("must be at least {MIN_PASSWORD_CHARS} characters"));
        }
        let role = errs.take(Role::parse(&input.role, "role"));
        let reference = self.reference.current();
        let mut areas = Vec::new();
        for (i, a) in input.areas.iter().enumerate() {
            let field = format!("areas[{i}]");
            if let Some(code) = errs.take(AreaCode::parse(a, &field)) {
                if reference.areas.ancestors(&code).is_empty() {
                    errs.push(field, "no such area");
                }
                areas.push(code);
            }
        }
        let mut units = Vec::new();
        for (i, u) in input.units.iter().enumerate() {
            let field = format!("units[{i}]");
            if let Some(code) = errs.take(UnitCode::parse(u, &field)) {
                if reference.unit(&code).is_none() {
                    errs.push(field, "no such unit");
                }
                units.push(code);
            }
        }
        match role {
            Some(Role::Leader) if areas.is_empty() => errs.push("areas", "a leader needs at least one area"),
            Some(Role::Agency) if units.is_empty() => errs.push("units", "agency staff need at least one unit"),
            Some(Role::Clerk) if input.offices.is_empty() => errs.push("offices", "a clerk needs at least one office"),
            Some(Role::Analyst) => errs.push("role", "analyst is a role for a BI tool's API key: create a key instead"),
            _ => {}
        }
        let known: Vec<_> = self.store.offices().await?.into_iter().map(|o| o.id).collect();
        let mut offices = Vec::new();
        for (i, o) in input.offices.iter().enumerate() {
            let field = format!("offices[{i}]");
            if let Some(id) = errs.take(crate::domain::OfficeId::parse(o, &field)) {
                if !known.contains(&id) {
                    errs.push(field, "no such office");
                }
                offices.push(id.as_str().to_owned());
            }
        }
        errs.into_result()?;
        let role = role.expect("validated");
        let password = input.password;
        let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| anyhow::anyhow!("password hashing panicked: {e}"))??;
        let user = User {
            id: Uuid::now_v7(),
            display_name: input.display_name.filter(|d| !d.trim().is_empty()).unwrap_or_else(|| input.name.clone()),
            name: input.name,
            role,
            areas,
            units,
            offices,
        };
        self.store.create_user(NewUser { user: user.clone(), password_hash }).await?;
        Ok(user)
    }

    /// A user's staff contact (empty if none was given). Roles: the user themselves, admins.
    pub async fn contact(&self, p: &Principal, user: Uuid) -> ServiceResult<StaffContact> {
        Self::may_edit_contact(p, user)?;
        Ok(self.store.staff_contact(user).await?.unwrap_or_default())
    }

    /// Stores a user's staff contact. The user may change their own, except whether they head
    /// their units, which only an admin sets (a user's own change keeps what was stored).
    pub async fn set_contact(&self, p: &Principal, user: Uuid, contact: StaffContact) -> ServiceResult<StaffContact> {
        Self::may_edit_contact(p, user)?;
        let mut contact = contact.validated()?;
        if p.role() != Some(Role::Admin) {
            contact.unit_head = self.store.staff_contact(user).await?.is_some_and(|c| c.unit_head);
        }
        self.store.set_staff_contact(user, &contact, Utc::now()).await?;
        Ok(contact)
    }

    fn may_edit_contact(p: &Principal, user: Uuid) -> ServiceResult<()> {
        match p {
            Principal::User(u) if u.id == user || u.role == Role::Admin => Ok(()),
            Principal::Public => Err(ServiceError::Unauthenticated),
            _ => Err(ServiceError::Forbidden("only the user and admins see a staff contact".into())),
        }
    }

    /// Creates an API key for an integration and returns it (shown once). Scoped roles
    /// (leader, agency) need a user account, so their keys are refused.
    pub async fn create_api_key(&self, name: &str, role: &str) -> ServiceResult<(ApiKey, String)> {
        let mut errs = ValidationErrors::new();
        if !valid_login_name(name) {
            errs.push("name", "3-64 characters: lowercase letters, digits, '.', '_' or '-'");
        }
        let role = errs.take(Role::parse(role, "role"));
        if matches!(role, Some(Role::Leader | Role::Agency)) {
            errs.push("role", "leader and agency access is scoped: create a user instead");
        }
        errs.into_result()?;
        let (secret, hash) = new_secret("sbk_");
        let key = ApiKey {
            id: Uuid::now_v7(),
            name: name.to_owned(),
            role: role.expect("validated"),
            created_at: Utc::now(),
        };
        self.store.create_api_key(&key, &hash).await?;
        Ok((key, secret))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_verify_only_the_right_password() {
        let h = hash_password("mật khẩu dài").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("mật khẩu dài", &h));
        assert!(!verify_password("mat khau dai", &h));
        assert!(!verify_password("x", "not a hash"));
        let dummy = dummy_hash().unwrap();
        assert!(dummy.starts_with("$argon2id$") && PasswordHash::new(&dummy).is_ok());
        assert_eq!(dummy, dummy_hash().unwrap(), "made once");
    }

    #[test]
    fn a_confirmed_credential_is_trusted_for_the_recheck_window_only() {
        let checked = Checked::<&str>::new(16);
        let t0 = Instant::now();
        let (key, other) = (hash_secret("sbk_a"), hash_secret("sbk_b"));
        checked.record(key.clone(), t0, Some(&"operator key"));
        assert_eq!(checked.fresh(&key, t0), Some("operator key"));
        assert_eq!(checked.fresh(&key, t0 + SESSION_RECHECK - Duration::from_millis(1)), Some("operator key"));
        assert_eq!(checked.fresh(&key, t0 + SESSION_RECHECK), None, "then the store is asked again");
        assert_eq!(checked.fresh(&other, t0), None, "another secret is not confirmed by this one");
        // The store no longer knows it (deleted, expired): forgotten at once.
        checked.record(key.clone(), t0, None);
        assert_eq!(checked.fresh(&key, t0), None);
        checked.record(key.clone(), t0, Some(&"operator key"));
        checked.forget(&key);
        assert_eq!(checked.fresh(&key, t0), None, "signed out");
        checked.record(other.clone(), t0, None);
        assert_eq!(checked.found.len(), 0, "an unknown secret is not remembered");
    }

    #[test]
    fn secrets_are_random_and_hashed() {
        let (a, ha) = new_secret("sbk_");
        let (b, _) = new_secret("sbk_");
        assert_ne!(a, b);
        assert!(a.starts_with("sbk_") && a.len() == 4 + 43);
        assert_eq!(ha, hash_secret(&a));
    }
}
