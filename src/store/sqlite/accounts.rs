//! Users, sessions and API keys.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use uuid::Uuid;

use super::{ts, uuid};
use crate::domain::{AreaCode, Role, UnitCode, User};
use crate::store::codec::{UserRow, json_list, micros, parse_code, parse_json_list, ts_text, unique_to_exists};
use crate::store::{ApiKey, NewUser, StoreResult};

fn user_from_row(row: &SqliteRow) -> StoreResult<User> {
    UserRow {
        id: uuid(row, "users", "id")?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        role: row.try_get("role")?,
        areas: parse_json_list(row.try_get("areas")?, "users.areas")?,
        units: parse_json_list(row.try_get("units")?, "users.units")?,
    }
    .into_user()
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", name = %new.user.name))]
pub(super) async fn create_user(pool: &SqlitePool, new: NewUser) -> StoreResult<()> {
    let u = &new.user;
    sqlx::query(
        "INSERT INTO users (id, name, display_name, role, areas, units, password_hash, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(u.id.to_string())
    .bind(&u.name)
    .bind(&u.display_name)
    .bind(u.role.as_str())
    .bind(json_list(&u.areas.iter().map(AreaCode::as_str).collect::<Vec<_>>()))
    .bind(json_list(&u.units.iter().map(UnitCode::as_str).collect::<Vec<_>>()))
    .bind(&new.password_hash)
    .bind(ts_text(Utc::now()))
    .execute(pool)
    .await
    .map_err(|e| unique_to_exists(e, || format!("user {:?}", u.name)))?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", name = name))]
pub(super) async fn user_by_name(pool: &SqlitePool, name: &str) -> StoreResult<Option<(User, String)>> {
    let row =
        sqlx::query("SELECT id, name, display_name, role, areas, units, password_hash FROM users WHERE name = ?1")
            .bind(name)
            .fetch_optional(pool)
            .await?;
    row.map(|row| Ok((user_from_row(&row)?, row.try_get("password_hash")?))).transpose()
}

/// Every user, by name.
#[tracing::instrument(skip_all, fields(backend = "sqlite"))]
pub(super) async fn users(pool: &SqlitePool) -> StoreResult<Vec<User>> {
    let rows = sqlx::query("SELECT id, name, display_name, role, areas, units FROM users ORDER BY name")
        .fetch_all(pool)
        .await?;
    rows.iter().map(user_from_row).collect()
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", %user_id))]
pub(super) async fn create_session(
    pool: &SqlitePool,
    token_hash: &[u8],
    user_id: Uuid,
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at, created_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(token_hash)
        .bind(user_id.to_string())
        .bind(ts_text(expires_at))
        .bind(ts_text(Utc::now()))
        .execute(pool)
        .await
        .map_err(|e| unique_to_exists(e, || "session".to_owned()))?;
    Ok(())
}

/// The session's user if `now < expires_at`.
#[tracing::instrument(skip_all, fields(backend = "sqlite"))]
pub(super) async fn session_user(
    pool: &SqlitePool,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> StoreResult<Option<User>> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.display_name, u.role, u.areas, u.units FROM sessions s \
         JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.expires_at > ?2",
    )
    .bind(token_hash)
    .bind(ts_text(micros(now)))
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(user_from_row).transpose()
}

#[tracing::instrument(skip_all, fields(backend = "sqlite"))]
pub(super) async fn delete_session(pool: &SqlitePool, token_hash: &[u8]) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?1").bind(token_hash).execute(pool).await?;
    Ok(())
}

/// A taken name or key hash → [`StoreError::AlreadyExists`].
#[tracing::instrument(skip_all, fields(backend = "sqlite", name = %key.name))]
pub(super) async fn create_api_key(pool: &SqlitePool, key: &ApiKey, key_hash: &[u8]) -> StoreResult<()> {
    sqlx::query("INSERT INTO api_keys (id, name, role, key_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(key.id.to_string())
        .bind(&key.name)
        .bind(key.role.as_str())
        .bind(key_hash)
        .bind(ts_text(key.created_at))
        .execute(pool)
        .await
        .map_err(|e| unique_to_exists(e, || format!("API key {:?}", key.name)))?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(backend = "sqlite"))]
pub(super) async fn api_key(pool: &SqlitePool, key_hash: &[u8]) -> StoreResult<Option<ApiKey>> {
    let row = sqlx::query("SELECT id, name, role, created_at FROM api_keys WHERE key_hash = ?1")
        .bind(key_hash)
        .fetch_optional(pool)
        .await?;
    row.map(|row| {
        Ok(ApiKey {
            id: uuid(&row, "api_keys", "id")?,
            name: row.try_get("name")?,
            role: parse_code(row.try_get("role")?, "api_keys.role", Role::parse)?,
            created_at: ts(&row, "api_keys", "created_at")?,
        })
    })
    .transpose()
}
