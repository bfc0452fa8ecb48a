//! [`AccountStore`]: users, web sessions and API keys.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::StoreResult;
use super::codec::{parse_code, parse_codes, unique_to_exists};
use super::sql::{Bind, Dialect, Get, SqlStore};
use crate::domain::{AreaCode, Role, UnitCode, User};

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// [`StoreError::AlreadyExists`](super::StoreError::AlreadyExists) if the name is taken.
    async fn create_user(&self, new: NewUser) -> StoreResult<()>;
    /// The user and their password hash.
    async fn user_by_name(&self, name: &str) -> StoreResult<Option<(User, String)>>;
    /// Every user, by name.
    async fn users(&self) -> StoreResult<Vec<User>>;
    async fn create_session(&self, token_hash: &[u8], user_id: Uuid, expires_at: DateTime<Utc>) -> StoreResult<()>;
    /// The user of a session that is unexpired at `now` (`now < expires_at`).
    async fn session_user(&self, token_hash: &[u8], now: DateTime<Utc>) -> StoreResult<Option<User>>;
    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()>;
    /// [`StoreError::AlreadyExists`](super::StoreError::AlreadyExists) if the name (or the key hash) is
    /// taken.
    async fn create_api_key(&self, key: &ApiKey, key_hash: &[u8]) -> StoreResult<()>;
    async fn api_key(&self, key_hash: &[u8]) -> StoreResult<Option<ApiKey>>;
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub user: User,
    /// argon2id PHC string.
    pub password_hash: String,
}

/// An API key as stored (its secret only as a hash).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

const USER_COLS: &str = "id, name, display_name, role, areas, units, offices";

pub(super) fn user_from_row(row: &impl Get) -> StoreResult<User> {
    Ok(User {
        id: row.col("users.id")?,
        name: row.col("name")?,
        display_name: row.col("display_name")?,
        role: parse_code(&row.col::<String>("role")?, "users.role", Role::parse)?,
        areas: parse_codes(&row.col::<Vec<String>>("users.areas")?, "users.areas", AreaCode::parse)?,
        units: parse_codes(&row.col::<Vec<String>>("users.units")?, "users.units", UnitCode::parse)?,
        offices: row.col("users.offices")?,
    })
}

/// Codes as a list parameter.
fn codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    codes.into_iter().map(str::to_owned).collect()
}

#[async_trait]
impl<D: Dialect> AccountStore for SqlStore<D> {
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, name = %new.user.name))]
    async fn create_user(&self, new: NewUser) -> StoreResult<()> {
        let u = &new.user;
        self.execute_write(
            D::query(
                "INSERT INTO users (id, name, display_name, role, areas, units, offices, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .arg(u.id)
            .arg(u.name.as_str())
            .arg(u.display_name.as_str())
            .arg(u.role.as_str())
            .arg(codes(u.areas.iter().map(AreaCode::as_str)))
            .arg(codes(u.units.iter().map(UnitCode::as_str)))
            .arg(u.offices.clone())
            .arg(new.password_hash.as_str())
            .arg(Utc::now()),
        )
        .await
        .map_err(|e| unique_to_exists(e, || format!("user {:?}", u.name)))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, name = name))]
    async fn user_by_name(&self, name: &str) -> StoreResult<Option<(User, String)>> {
        let sql = format!("SELECT {USER_COLS}, password_hash FROM users WHERE name = $1");
        let row = D::query(AssertSqlSafe(sql)).arg(name).fetch_optional(self.db()).await?;
        row.map(|row| Ok((user_from_row(&row)?, row.col("password_hash")?))).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn users(&self) -> StoreResult<Vec<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users ORDER BY name{}", D::BYTEWISE);
        let rows = D::query(AssertSqlSafe(sql)).fetch_all(self.db()).await?;
        rows.iter().map(user_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %user_id))]
    async fn create_session(&self, token_hash: &[u8], user_id: Uuid, expires_at: DateTime<Utc>) -> StoreResult<()> {
        self.execute_write(
            D::query("INSERT INTO sessions (token_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)")
                .arg(token_hash)
                .arg(user_id)
                .arg(expires_at)
                .arg(Utc::now()),
        )
        .await
        .map_err(|e| unique_to_exists(e, || "session".to_owned()))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn session_user(&self, token_hash: &[u8], now: DateTime<Utc>) -> StoreResult<Option<User>> {
        let row = D::query(
            "SELECT u.id, u.name, u.display_name, u.role, u.areas, u.units, u.offices FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .arg(token_hash)
        .arg(now)
        .fetch_optional(self.db())
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        self.execute_write(D::query("DELETE FROM sessions WHERE token_hash = $1").arg(token_hash)).await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, name = %key.name))]
    async fn create_api_key(&self, key: &ApiKey, key_hash: &[u8]) -> StoreResult<()> {
        self.execute_write(
            D::query("INSERT INTO api_keys (id, name, role, key_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
                .arg(key.id)
                .arg(key.name.as_str())
                .arg(key.role.as_str())
                .arg(key_hash)
                .arg(key.created_at),
        )
        .await
        .map_err(|e| unique_to_exists(e, || format!("API key {:?}", key.name)))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn api_key(&self, key_hash: &[u8]) -> StoreResult<Option<ApiKey>> {
        let row = D::query("SELECT id, name, role, created_at FROM api_keys WHERE key_hash = $1")
            .arg(key_hash)
            .fetch_optional(self.db())
            .await?;
        row.map(|row| {
            Ok(ApiKey {
                id: row.col("api_keys.id")?,
                name: row.col("name")?,
                role: parse_code(&row.col::<String>("role")?, "api_keys.role", Role::parse)?,
                created_at: row.col("api_keys.created_at")?,
            })
        })
        .transpose()
    }
}
