//! [`ReferenceStore`]: area versions (boundaries as PostGIS geometry or GeoJSON text),
//! categories, units and routing rules.

use async_trait::async_trait;
use sqlx::AssertSqlSafe;
use sqlx::types::Json;

use super::codec::{enum_str, parse_code, parse_codes, parse_enum};
use super::sql::{Bind, Dialect, Get, SqlStore, WriteTransaction};
use super::{StoreError, StoreResult};
use crate::domain::{Area, AreaCode, Category, CategoryCode, RoutingRule, Unit, UnitCode};

#[async_trait]
pub trait ReferenceStore: Send + Sync {
    /// Inserts or replaces area versions, keyed by `(code, valid_from)`.
    async fn upsert_areas(&self, areas: &[Area]) -> StoreResult<()>;
    /// Every stored area version.
    async fn areas(&self) -> StoreResult<Vec<Area>>;
    /// Inserts or replaces categories by code.
    async fn upsert_categories(&self, categories: &[Category]) -> StoreResult<()>;
    async fn categories(&self) -> StoreResult<Vec<Category>>;
    /// Inserts or replaces units by code.
    async fn upsert_units(&self, units: &[Unit]) -> StoreResult<()>;
    async fn units(&self) -> StoreResult<Vec<Unit>>;
    /// Replaces the whole rule list (order is kept).
    async fn replace_routing_rules(&self, rules: &[RoutingRule]) -> StoreResult<()>;
    async fn routing_rules(&self) -> StoreResult<Vec<RoutingRule>>;
}

fn opt_code<T, E: std::fmt::Display>(
    row: &impl Get,
    label: &str,
    parse: impl Fn(&str, &str) -> Result<T, E>,
) -> StoreResult<Option<T>> {
    row.col::<Option<String>>(label)?.map(|s| parse_code(&s, label, parse)).transpose()
}

#[async_trait]
impl<D: Dialect> ReferenceStore for SqlStore<D> {
    /// In one transaction.
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, count = areas.len()))]
    async fn upsert_areas(&self, areas: &[Area]) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO areas (code, valid_from, valid_to, name, name_en, level, parent, population, {geom}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, {value}) \
             ON CONFLICT (code, valid_from) DO UPDATE SET valid_to = excluded.valid_to, name = excluded.name, \
             name_en = excluded.name_en, level = excluded.level, parent = excluded.parent, \
             population = excluded.population, {geom} = excluded.{geom}",
            geom = D::GEOM,
            value = D::geom_in(9),
        );
        let mut tx = self.begin_write().await?;
        for a in areas {
            D::query(AssertSqlSafe(sql.clone()))
                .arg(a.code.as_str())
                .arg(a.valid_from)
                .arg(a.valid_to)
                .arg(a.name.as_str())
                .arg(a.name_en.as_str())
                .arg(a.level.as_str())
                .arg(a.parent.as_ref().map(AreaCode::as_str))
                .arg(a.population.map(|p| i64::try_from(p).unwrap_or(i64::MAX)))
                .arg(&a.geometry)
                .execute(D::conn(&mut tx))
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every area version, by code then `valid_from`.
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn areas(&self) -> StoreResult<Vec<Area>> {
        let sql = format!(
            "SELECT code, valid_from, valid_to, name, name_en, level, parent, population, {} FROM areas \
             ORDER BY code{}, valid_from",
            D::GEOM_OUT,
            D::BYTEWISE
        );
        let rows = D::query(AssertSqlSafe(sql)).fetch_all(self.db()).await?;
        rows.iter()
            .map(|row| {
                Ok(Area {
                    code: parse_code(&row.col::<String>("code")?, "areas.code", AreaCode::parse)?,
                    name: row.col("name")?,
                    name_en: row.col("name_en")?,
                    level: row.col("level")?,
                    parent: opt_code(row, "areas.parent", AreaCode::parse)?,
                    geometry: row.col("areas.geometry")?,
                    valid_from: row.col("areas.valid_from")?,
                    valid_to: row.col("areas.valid_to")?,
                    population: row.col::<Option<i64>>("areas.population")?.and_then(|p| u64::try_from(p).ok()),
                })
            })
            .collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, count = categories.len()))]
    async fn upsert_categories(&self, categories: &[Category]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for c in categories {
            D::query(
                "INSERT INTO categories (code, field, name_vi, name_en, deadline_days, attributes) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (code) DO UPDATE SET field = excluded.field, name_vi = excluded.name_vi, \
                 name_en = excluded.name_en, deadline_days = excluded.deadline_days, attributes = excluded.attributes",
            )
            .arg(c.code.as_str())
            .arg(enum_str(&c.field))
            .arg(c.name_vi.as_str())
            .arg(c.name_en.as_str())
            .arg(c.deadline_days.map(i64::from))
            .arg(Json(&c.attributes))
            .execute(D::conn(&mut tx))
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every category, by code.
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn categories(&self) -> StoreResult<Vec<Category>> {
        let sql = format!(
            "SELECT code, field, name_vi, name_en, deadline_days, attributes FROM categories ORDER BY code{}",
            D::BYTEWISE
        );
        let rows = D::query(AssertSqlSafe(sql)).fetch_all(self.db()).await?;
        rows.iter()
            .map(|row| {
                let days: Option<i64> = row.col("deadline_days")?;
                let attributes = row.col("categories.attributes")?;
                Ok(Category {
                    code: parse_code(&row.col::<String>("code")?, "categories.code", CategoryCode::parse)?,
                    field: parse_enum(&row.col::<String>("field")?, "categories.field")?,
                    name_vi: row.col("name_vi")?,
                    name_en: row.col("name_en")?,
                    deadline_days: days
                        .map(|d| {
                            u32::try_from(d).map_err(|e| StoreError::Corrupt(format!("categories.deadline_days: {e}")))
                        })
                        .transpose()?,
                    attributes: serde_json::from_value(attributes)
                        .map_err(|e| StoreError::Corrupt(format!("categories.attributes: {e}")))?,
                })
            })
            .collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, count = units.len()))]
    async fn upsert_units(&self, units: &[Unit]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for u in units {
            D::query(
                "INSERT INTO units (code, name_vi, name_en, parent, kind, areas) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, \
                 parent = excluded.parent, kind = excluded.kind, areas = excluded.areas",
            )
            .arg(u.code.as_str())
            .arg(u.name_vi.as_str())
            .arg(u.name_en.as_str())
            .arg(u.parent.as_ref().map(UnitCode::as_str))
            .arg(u.kind.as_str())
            .arg(u.areas.iter().map(|a| a.as_str().to_owned()).collect::<Vec<String>>())
            .execute(D::conn(&mut tx))
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every unit, by code.
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn units(&self) -> StoreResult<Vec<Unit>> {
        let sql = format!("SELECT code, name_vi, name_en, parent, kind, areas FROM units ORDER BY code{}", D::BYTEWISE);
        let rows = D::query(AssertSqlSafe(sql)).fetch_all(self.db()).await?;
        rows.iter()
            .map(|row| {
                Ok(Unit {
                    code: parse_code(&row.col::<String>("code")?, "units.code", UnitCode::parse)?,
                    name_vi: row.col("name_vi")?,
                    name_en: row.col("name_en")?,
                    parent: opt_code(row, "units.parent", UnitCode::parse)?,
                    kind: row.col("kind")?,
                    areas: parse_codes(&row.col::<Vec<String>>("units.areas")?, "units.areas", AreaCode::parse)?,
                })
            })
            .collect()
    }

    /// Deletes every rule and inserts `rules` with `position` 0, 1, 2, … in one transaction.
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, count = rules.len()))]
    async fn replace_routing_rules(&self, rules: &[RoutingRule]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        D::query("DELETE FROM routing_rules").execute(D::conn(&mut tx)).await?;
        for (position, r) in rules.iter().enumerate() {
            D::query("INSERT INTO routing_rules (position, category, area, unit) VALUES ($1, $2, $3, $4)")
                .arg(i32::try_from(position).map_err(|_| StoreError::Invalid("too many routing rules".into()))?)
                .arg(r.category.as_ref().map(CategoryCode::as_str))
                .arg(r.area.as_ref().map(AreaCode::as_str))
                .arg(r.unit.as_str())
                .execute(D::conn(&mut tx))
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The rules in the order they were given.
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn routing_rules(&self) -> StoreResult<Vec<RoutingRule>> {
        let rows =
            D::query("SELECT category, area, unit FROM routing_rules ORDER BY position").fetch_all(self.db()).await?;
        rows.iter()
            .map(|row| {
                Ok(RoutingRule {
                    category: opt_code(row, "routing_rules.category", CategoryCode::parse)?,
                    area: opt_code(row, "routing_rules.area", AreaCode::parse)?,
                    unit: parse_code(&row.col::<String>("unit")?, "routing_rules.unit", UnitCode::parse)?,
                })
            })
            .collect()
    }
}
