//! Users, sessions and API keys.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgRow};
use uuid::Uuid;

use crate::domain::{AreaCode, Role, UnitCode, User};
use crate::store::codec::{UserRow, micros, parse_code, unique_to_exists};
use crate::store::{ApiKey, NewUser, StoreResult};

fn user_from_row(row: &PgRow) -> StoreResult<User> {
    UserRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        role: row.try_get("role")?,
        areas: row.try_get("areas")?,
        units: row.try_get("units")?,
    }
    .into_user()
}

#[tracing::instrument(skip_all, fields(backend = "postgres", name = %new.user.name))]
pub(super) async fn create_user(pool: &PgPool, new: NewUser) -> StoreResult<()> {
    let u = &new.user;
    let areas: Vec<&str> = u.areas.iter().map(AreaCode::as_str).collect();
    let units: Vec<&str> = u.units.iter().map(UnitCode::as_str).collect();
    sqlx::query(
        "INSERT INTO users (id, name, display_name, role, areas, units, password_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(u.id)
    .bind(&u.name)
    .bind(&u.display_name)
    .bind(u.role.as_str())
    .bind(&areas)
    .bind(&units)
    .bind(&new.password_hash)
    .execute(pool)
    .await
    .map_err(|e| unique_to_exists(e, || format!("user {:?}", u.name)))?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(backend = "postgres", name = name))]
pub(super) async fn user_by_name(pool: &PgPool, name: &str) -> StoreResult<Option<(User, String)>> {
    let row =
        sqlx::query("SELECT id, name, display_name, role, areas, units, password_hash FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(pool)
            .await?;
    row.map(|row| Ok((user_from_row(&row)?, row.try_get("password_hash")?))).transpose()
}

/// Every user, by name.
#[tracing::instrument(skip_all, fields(backend = "postgres"))]
pub(super) async fn users(pool: &PgPool) -> StoreResult<Vec<User>> {
    let rows = sqlx::query("SELECT id, name, display_name, role, areas, units FROM users ORDER BY name COLLATE \"C\"")
        .fetch_all(pool)
        .await?;
    rows.iter().map(user_from_row).collect()
}

#[tracing::instrument(skip_all, fields(backend = "postgres", %user_id))]
pub(super) async fn create_session(
    pool: &PgPool,
    token_hash: &[u8],
    user_id: Uuid,
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(token_hash)
        .bind(user_id)
        .bind(micros(expires_at))
        .execute(pool)
        .await
        .map_err(|e| unique_to_exists(e, || "session".to_owned()))?;
    Ok(())
}

/// The session's user if `now < expires_at`.
#[tracing::instrument(skip_all, fields(backend = "postgres"))]
pub(super) async fn session_user(pool: &PgPool, token_hash: &[u8], now: DateTime<Utc>) -> StoreResult<Option<User>> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.display_name, u.role, u.areas, u.units FROM sessions s \
         JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(user_from_row).transpose()
}

#[tracing::instrument(skip_all, fields(backend = "postgres"))]
pub(super) async fn delete_session(pool: &PgPool, token_hash: &[u8]) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
    Ok(())
}

/// A taken name or key hash → [`StoreError::AlreadyExists`].
#[tracing::instrument(skip_all, fields(backend = "postgres", name = %key.name))]
pub(super) async fn create_api_key(pool: &PgPool, key: &ApiKey, key_hash: &[u8]) -> StoreResult<()> {
    sqlx::query("INSERT INTO api_keys (id, name, role, key_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(key.id)
        .bind(&key.name)
        .bind(key.role.as_str())
        .bind(key_hash)
        .bind(micros(key.created_at))
        .execute(pool)
        .await
        .map_err(|e| unique_to_exists(e, || format!("API key {:?}", key.name)))?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(backend = "postgres"))]
pub(super) async fn api_key(pool: &PgPool, key_hash: &[u8]) -> StoreResult<Option<ApiKey>> {
    let row: Option<(Uuid, String, String, DateTime<Utc>)> =
        sqlx::query_as("SELECT id, name, role, created_at FROM api_keys WHERE key_hash = $1")
            .bind(key_hash)
            .fetch_optional(pool)
            .await?;
    row.map(|(id, name, role, created_at)| {
        Ok(ApiKey { id, name, role: parse_code(&role, "api_keys.role", Role::parse)?, created_at })
    })
    .transpose()
}
