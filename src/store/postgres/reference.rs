//! Reference data: area versions (boundaries as WKB), categories, units and routing rules.

use sqlx::Row;
use sqlx::postgres::PgPool;

use super::boundary;
use crate::domain::{Area, AreaCode, Category, CategoryCode, RoutingRule, ServiceAttribute, Unit, UnitCode};
use crate::store::codec::{AreaRow, enum_str, micros, parse_code, parse_codes, parse_enum};
use crate::store::{StoreError, StoreResult};

/// Inserts or replaces area versions keyed by `(code, valid_from)`, in one transaction.
#[tracing::instrument(skip_all, fields(backend = "postgres", count = areas.len()))]
pub(super) async fn upsert_areas(pool: &PgPool, areas: &[Area]) -> StoreResult<()> {
    let mut tx = pool.begin().await?;
    for a in areas {
        sqlx::query(
            "INSERT INTO areas (code, valid_from, valid_to, name, name_en, level, parent, geom) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, ST_GeomFromWKB($8, 4326)) \
             ON CONFLICT (code, valid_from) DO UPDATE SET valid_to = EXCLUDED.valid_to, name = EXCLUDED.name, \
             name_en = EXCLUDED.name_en, level = EXCLUDED.level, parent = EXCLUDED.parent, geom = EXCLUDED.geom",
        )
        .bind(a.code.as_str())
        .bind(micros(a.valid_from))
        .bind(a.valid_to.map(micros))
        .bind(&a.name)
        .bind(&a.name_en)
        .bind(&a.level)
        .bind(a.parent.as_ref().map(AreaCode::as_str))
        .bind(boundary::encode_multipolygon(&a.geometry))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every area version, by code then `valid_from`.
#[tracing::instrument(skip_all, fields(backend = "postgres"))]
pub(super) async fn areas(pool: &PgPool) -> StoreResult<Vec<Area>> {
    let rows = sqlx::query(
        "SELECT code, valid_from, valid_to, name, name_en, level, parent, ST_AsBinary(geom) AS wkb \
         FROM areas ORDER BY code COLLATE \"C\", valid_from",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let code: String = row.try_get("code")?;
            let wkb: Vec<u8> = row.try_get("wkb")?;
            let geometry = boundary::decode_multipolygon(&wkb)
                .map_err(|e| StoreError::Corrupt(format!("areas.geom of {code}: {e}")))?;
            AreaRow {
                code,
                name: row.try_get("name")?,
                name_en: row.try_get("name_en")?,
                level: row.try_get("level")?,
                parent: row.try_get("parent")?,
                geometry,
                valid_from: row.try_get("valid_from")?,
                valid_to: row.try_get("valid_to")?,
            }
            .into_area()
        })
        .collect()
}

#[tracing::instrument(skip_all, fields(backend = "postgres", count = categories.len()))]
pub(super) async fn upsert_categories(pool: &PgPool, categories: &[Category]) -> StoreResult<()> {
    let mut tx = pool.begin().await?;
    for c in categories {
        sqlx::query(
            "INSERT INTO categories (code, field, name_vi, name_en, deadline_days, attributes) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (code) DO UPDATE SET field = EXCLUDED.field, name_vi = EXCLUDED.name_vi, \
             name_en = EXCLUDED.name_en, deadline_days = EXCLUDED.deadline_days, attributes = EXCLUDED.attributes",
        )
        .bind(c.code.as_str())
        .bind(enum_str(&c.field))
        .bind(&c.name_vi)
        .bind(&c.name_en)
        .bind(c.deadline_days.map(i64::from))
        .bind(attributes_json(&c.attributes)?)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every category, by code.
#[tracing::instrument(skip_all, fields(backend = "postgres"))]
pub(super) async fn categories(pool: &PgPool) -> StoreResult<Vec<Category>> {
    let rows = sqlx::query(
        "SELECT code, field, name_vi, name_en, deadline_days, attributes FROM categories ORDER BY code COLLATE \"C\"",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let days: Option<i32> = row.try_get("deadline_days")?;
            Ok(Category {
                code: parse_code(row.try_get("code")?, "categories.code", CategoryCode::parse)?,
                field: parse_enum(row.try_get("field")?, "categories.field")?,
                name_vi: row.try_get("name_vi")?,
                name_en: row.try_get("name_en")?,
                deadline_days: days
                    .map(|d| {
                        u32::try_from(d).map_err(|e| StoreError::Corrupt(format!("categories.deadline_days: {e}")))
                    })
                    .transpose()?,
                attributes: parse_attributes(row.try_get("attributes")?)?,
            })
        })
        .collect()
}

fn attributes_json(attributes: &[ServiceAttribute]) -> StoreResult<serde_json::Value> {
    serde_json::to_value(attributes).map_err(|e| StoreError::Invalid(format!("category attributes: {e}")))
}

fn parse_attributes(v: serde_json::Value) -> StoreResult<Vec<ServiceAttribute>> {
    serde_json::from_value(v).map_err(|e| StoreError::Corrupt(format!("categories.attributes: {e}")))
}

#[tracing::instrument(skip_all, fields(backend = "postgres", count = units.len()))]
pub(super) async fn upsert_units(pool: &PgPool, units: &[Unit]) -> StoreResult<()> {
    let mut tx = pool.begin().await?;
    for u in units {
        let areas: Vec<&str> = u.areas.iter().map(AreaCode::as_str).collect();
        sqlx::query(
            "INSERT INTO units (code, name_vi, name_en, parent, kind, areas) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (code) DO UPDATE SET name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en, \
             parent = EXCLUDED.parent, kind = EXCLUDED.kind, areas = EXCLUDED.areas",
        )
        .bind(u.code.as_str())
        .bind(&u.name_vi)
        .bind(&u.name_en)
        .bind(u.parent.as_ref().map(UnitCode::as_str))
        .bind(&u.kind)
        .bind(&areas)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every unit, by code.
#[tracing::instrument(skip_all, fields(backend = "postgres"))]
pub(super) async fn units(pool: &PgPool) -> StoreResult<Vec<Unit>> {
    let rows = sqlx::query("SELECT code, name_vi, name_en, parent, kind, areas FROM units ORDER BY code COLLATE \"C\"")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|row| {
            let parent: Option<&str> = row.try_get("parent")?;
            let areas: Vec<String> = row.try_get("areas")?;
            Ok(Unit {
                code: parse_code(row.try_get("code")?, "units.code", UnitCode::parse)?,
                name_vi: row.try_get("name_vi")?,
                name_en: row.try_get("name_en")?,
                parent: parent.map(|p| parse_code(p, "units.parent", UnitCode::parse)).transpose()?,
                kind: row.try_get("kind")?,
                areas: parse_codes(&areas, "units.areas", AreaCode::parse)?,
            })
        })
        .collect()
}

/// Deletes every rule and inserts `rules` with `position` 0, 1, 2, … in one transaction.
#[tracing::instrument(skip_all, fields(backend = "postgres", count = rules.len()))]
pub(super) async fn replace_routing_rules(pool: &PgPool, rules: &[RoutingRule]) -> StoreResult<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM routing_rules").execute(&mut *tx).await?;
    for (position, r) in rules.iter().enumerate() {
        sqlx::query("INSERT INTO routing_rules (position, category, area, unit) VALUES ($1, $2, $3, $4)")
            .bind(i32::try_from(position).map_err(|_| StoreError::Invalid("too many routing rules".into()))?)
            .bind(r.category.as_ref().map(CategoryCode::as_str))
            .bind(r.area.as_ref().map(AreaCode::as_str))
            .bind(r.unit.as_str())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The rules in the order they were given.
#[tracing::instrument(skip_all, fields(backend = "postgres"))]
pub(super) async fn routing_rules(pool: &PgPool) -> StoreResult<Vec<RoutingRule>> {
    let rows = sqlx::query("SELECT category, area, unit FROM routing_rules ORDER BY position").fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            let category: Option<&str> = row.try_get("category")?;
            let area: Option<&str> = row.try_get("area")?;
            Ok(RoutingRule {
                category: category.map(|c| parse_code(c, "routing_rules.category", CategoryCode::parse)).transpose()?,
                area: area.map(|a| parse_code(a, "routing_rules.area", AreaCode::parse)).transpose()?,
                unit: parse_code(row.try_get("unit")?, "routing_rules.unit", UnitCode::parse)?,
            })
        })
        .collect()
}
