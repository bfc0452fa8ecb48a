//! Reference data: area versions (boundaries as GeoJSON text), categories, units and routing
//! rules.

use sqlx::Row;
use sqlx::sqlite::SqlitePool;

use super::{begin_write, opt_ts, ts};
use crate::domain::{Area, AreaCode, Category, CategoryCode, RoutingRule, Unit, UnitCode};
use crate::store::codec::{
    AreaRow, enum_str, geojson_text, json_list, parse_code, parse_codes, parse_enum, parse_geojson, parse_json_list,
    ts_text,
};
use crate::store::{StoreError, StoreResult};

/// Inserts or replaces area versions keyed by `(code, valid_from)`, in one transaction.
#[tracing::instrument(skip_all, fields(backend = "sqlite", count = areas.len()))]
pub(super) async fn upsert_areas(pool: &SqlitePool, areas: &[Area]) -> StoreResult<()> {
    let mut tx = begin_write(pool).await?;
    for a in areas {
        sqlx::query(
            "INSERT INTO areas (code, valid_from, valid_to, name, name_en, level, parent, geometry) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
             ON CONFLICT (code, valid_from) DO UPDATE SET valid_to = excluded.valid_to, name = excluded.name, \
             name_en = excluded.name_en, level = excluded.level, parent = excluded.parent, \
             geometry = excluded.geometry",
        )
        .bind(a.code.as_str())
        .bind(ts_text(a.valid_from))
        .bind(a.valid_to.map(ts_text))
        .bind(&a.name)
        .bind(&a.name_en)
        .bind(&a.level)
        .bind(a.parent.as_ref().map(AreaCode::as_str))
        .bind(geojson_text(&a.geometry))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every area version, by code then `valid_from`.
#[tracing::instrument(skip_all, fields(backend = "sqlite"))]
pub(super) async fn areas(pool: &SqlitePool) -> StoreResult<Vec<Area>> {
    let rows = sqlx::query(
        "SELECT code, valid_from, valid_to, name, name_en, level, parent, geometry FROM areas \
         ORDER BY code, valid_from",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let code: String = row.try_get("code")?;
            let geometry = parse_geojson(row.try_get("geometry")?, &format!("areas.geometry of {code}"))?;
            AreaRow {
                code,
                name: row.try_get("name")?,
                name_en: row.try_get("name_en")?,
                level: row.try_get("level")?,
                parent: row.try_get("parent")?,
                geometry,
                valid_from: ts(row, "areas", "valid_from")?,
                valid_to: opt_ts(row, "areas", "valid_to")?,
            }
            .into_area()
        })
        .collect()
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", count = categories.len()))]
pub(super) async fn upsert_categories(pool: &SqlitePool, categories: &[Category]) -> StoreResult<()> {
    let mut tx = begin_write(pool).await?;
    for c in categories {
        sqlx::query(
            "INSERT INTO categories (code, field, name_vi, name_en, deadline_days, attributes) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (code) DO UPDATE SET field = excluded.field, name_vi = excluded.name_vi, \
             name_en = excluded.name_en, deadline_days = excluded.deadline_days, attributes = excluded.attributes",
        )
        .bind(c.code.as_str())
        .bind(enum_str(&c.field))
        .bind(&c.name_vi)
        .bind(&c.name_en)
        .bind(c.deadline_days.map(i64::from))
        .bind(
            serde_json::to_string(&c.attributes)
                .map_err(|e| StoreError::Invalid(format!("category attributes: {e}")))?,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every category, by code.
#[tracing::instrument(skip_all, fields(backend = "sqlite"))]
pub(super) async fn categories(pool: &SqlitePool) -> StoreResult<Vec<Category>> {
    let rows =
        sqlx::query("SELECT code, field, name_vi, name_en, deadline_days, attributes FROM categories ORDER BY code")
            .fetch_all(pool)
            .await?;
    rows.iter()
        .map(|row| {
            let days: Option<i64> = row.try_get("deadline_days")?;
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
                attributes: serde_json::from_str(row.try_get("attributes")?)
                    .map_err(|e| StoreError::Corrupt(format!("categories.attributes: {e}")))?,
            })
        })
        .collect()
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", count = units.len()))]
pub(super) async fn upsert_units(pool: &SqlitePool, units: &[Unit]) -> StoreResult<()> {
    let mut tx = begin_write(pool).await?;
    for u in units {
        sqlx::query(
            "INSERT INTO units (code, name_vi, name_en, parent, kind, areas) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, \
             parent = excluded.parent, kind = excluded.kind, areas = excluded.areas",
        )
        .bind(u.code.as_str())
        .bind(&u.name_vi)
        .bind(&u.name_en)
        .bind(u.parent.as_ref().map(UnitCode::as_str))
        .bind(&u.kind)
        .bind(json_list(&u.areas.iter().map(AreaCode::as_str).collect::<Vec<_>>()))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every unit, by code.
#[tracing::instrument(skip_all, fields(backend = "sqlite"))]
pub(super) async fn units(pool: &SqlitePool) -> StoreResult<Vec<Unit>> {
    let rows = sqlx::query("SELECT code, name_vi, name_en, parent, kind, areas FROM units ORDER BY code")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|row| {
            let parent: Option<&str> = row.try_get("parent")?;
            let areas = parse_json_list(row.try_get("areas")?, "units.areas")?;
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
#[tracing::instrument(skip_all, fields(backend = "sqlite", count = rules.len()))]
pub(super) async fn replace_routing_rules(pool: &SqlitePool, rules: &[RoutingRule]) -> StoreResult<()> {
    let mut tx = begin_write(pool).await?;
    sqlx::query("DELETE FROM routing_rules").execute(&mut *tx).await?;
    for (position, r) in rules.iter().enumerate() {
        sqlx::query("INSERT INTO routing_rules (position, category, area, unit) VALUES (?1, ?2, ?3, ?4)")
            .bind(i64::try_from(position).map_err(|_| StoreError::Invalid("too many routing rules".into()))?)
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
#[tracing::instrument(skip_all, fields(backend = "sqlite"))]
pub(super) async fn routing_rules(pool: &SqlitePool) -> StoreResult<Vec<RoutingRule>> {
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
