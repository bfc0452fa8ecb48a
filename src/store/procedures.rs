//! [`ProcedureStore`]: the procedures catalogue (thủ tục hành chính) — public information, one
//! row per procedure with the whole record as JSON, and a revision every import bumps so that
//! each instance reloads its copy.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::types::Json;

use super::codec::parse_enum;
use super::sql::{Bind, Dialect, Get, SqlStore, WriteTransaction};
use super::{StoreError, StoreResult};
use crate::domain::{Procedure, ProcedureCode};

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ProcedureImport {
    /// Procedures that were not in the catalogue.
    pub added: usize,
    /// Procedures replaced by the file's version (same code).
    pub updated: usize,
    /// Procedures removed because the file, imported as the whole catalogue, no longer has them.
    pub removed: usize,
    /// The catalogue's revision after the import.
    pub revision: i64,
}

#[async_trait]
pub trait ProcedureStore: Send + Sync {
    /// Adds or replaces `procedures` (by code) in one transaction and bumps the revision; with
    /// `whole`, the file is the whole catalogue and every procedure it does not hold is removed.
    /// Codes must be unique within `procedures` ([`StoreError::Invalid`] otherwise).
    async fn import_procedures(
        &self,
        procedures: &[Procedure],
        whole: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<ProcedureImport>;
    /// Every procedure, by code (bytewise).
    async fn procedures(&self) -> StoreResult<Vec<Procedure>>;
    /// The revision of the catalogue: changes with every import.
    async fn procedure_revision(&self) -> StoreResult<i64>;
}

#[async_trait]
impl<D: Dialect> ProcedureStore for SqlStore<D> {
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, procedures = procedures.len(), whole))]
    async fn import_procedures(
        &self,
        procedures: &[Procedure],
        whole: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<ProcedureImport> {
        let mut seen = std::collections::HashSet::new();
        if let Some(p) = procedures.iter().find(|p| !seen.insert(&p.code)) {
            return Err(StoreError::Invalid(format!("procedure {} is listed twice", p.code)));
        }
        let mut tx = self.begin_write().await?;
        let existing: Vec<String> = D::query("SELECT code FROM procedures")
            .fetch_all(D::conn(&mut tx))
            .await?
            .iter()
            .map(|r| r.col("code"))
            .collect::<StoreResult<_>>()?;
        let existing: std::collections::HashSet<String> = existing.into_iter().collect();
        let mut out = ProcedureImport::default();
        for p in procedures {
            if existing.contains(p.code.as_str()) {
                out.updated += 1;
            } else {
                out.added += 1;
            }
            D::query(
                "INSERT INTO procedures (code, name, field, level, body, imported_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, field = excluded.field, \
                 level = excluded.level, body = excluded.body, imported_at = excluded.imported_at",
            )
            .arg(p.code.as_str())
            .arg(p.name.as_str())
            .arg(p.field.as_str())
            .arg(super::codec::enum_str(&p.level))
            .arg(Json(p))
            .arg(at)
            .execute(D::conn(&mut tx))
            .await?;
        }
        if whole {
            let keep: std::collections::HashSet<&str> = procedures.iter().map(|p| p.code.as_str()).collect();
            for code in existing.iter().filter(|c| !keep.contains(c.as_str())) {
                D::query("DELETE FROM procedures WHERE code = $1").arg(code.as_str()).execute(D::conn(&mut tx)).await?;
                out.removed += 1;
            }
        }
        let row = D::query(
            "UPDATE procedure_catalogue SET revision = revision + 1, imported_at = $1 WHERE id = 1 RETURNING revision",
        )
        .arg(at)
        .fetch_one(D::conn(&mut tx))
        .await?;
        out.revision = row.col("revision")?;
        tx.commit().await?;
        Ok(out)
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn procedures(&self) -> StoreResult<Vec<Procedure>> {
        let sql = format!("SELECT code, level, body FROM procedures ORDER BY code{}", D::BYTEWISE);
        let rows = D::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.db()).await?;
        rows.iter()
            .map(|row| {
                let code: String = row.col("code")?;
                let _: crate::domain::ProcedureLevel = parse_enum(&row.col::<String>("level")?, "procedures.level")?;
                let body: serde_json::Value = row.col("procedures.body")?;
                let p: Procedure = serde_json::from_value(body)
                    .map_err(|e| StoreError::Corrupt(format!("procedures.body of {code}: {e}")))?;
                if p.code != ProcedureCode::parse(&code, "code").map_err(|e| StoreError::Corrupt(e.to_string()))? {
                    return Err(StoreError::Corrupt(format!("procedures.body of {code} names {}", p.code)));
                }
                Ok(p)
            })
            .collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn procedure_revision(&self) -> StoreResult<i64> {
        let row = D::query("SELECT revision FROM procedure_catalogue WHERE id = 1").fetch_one(self.db()).await?;
        row.col("revision")
    }
}
