//! `switchboard bench search`: the procedures search measured on a labelled set of questions —
//! MRR@5 and recall@5, overall and with or without diacritics — next to PostgreSQL's full-text
//! search over the same texts (`unaccent`, the `simple` configuration, weights A–D like the
//! engine's fields, `ts_rank_cd`). PostgreSQL's `plainto_tsquery` ANDs every word, which finds
//! nothing for a spoken question; it is given its fairest form instead: the question's words
//! (unaccented, question words dropped as for the engine) OR-ed.

use std::time::Instant;

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::domain::Procedure;
use crate::domain::text::fold;
use crate::search::{ProcedureSearch, SearchFilter};

/// One labelled question.
#[derive(Debug, Clone, Deserialize)]
pub struct Question {
    pub q: String,
    /// The codes that answer it, the best first.
    pub relevant: Vec<String>,
    pub accents: bool,
}

/// MRR@5 and recall@5 of one engine on one part of the set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    pub questions: usize,
    pub mrr5: f64,
    pub recall5: f64,
}

/// One engine's figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EngineReport {
    pub engine: String,
    pub all: Scores,
    pub with_diacritics: Scores,
    pub without_diacritics: Scores,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

fn score(ranked: &[Vec<String>], questions: &[Question], keep: impl Fn(&Question) -> bool) -> Scores {
    let mut s = Scores::default();
    for (codes, q) in ranked.iter().zip(questions).filter(|(_, q)| keep(q)) {
        s.questions += 1;
        let first = codes.iter().take(5).position(|c| q.relevant.contains(c));
        s.mrr5 += first.map_or(0.0, |i| 1.0 / (i as f64 + 1.0));
        let found = q.relevant.iter().filter(|r| codes.iter().take(5).any(|c| c == *r)).count();
        s.recall5 += found as f64 / q.relevant.len().max(1) as f64;
    }
    if s.questions > 0 {
        s.mrr5 /= s.questions as f64;
        s.recall5 /= s.questions as f64;
    }
    s
}

fn report(engine: &str, ranked: &[Vec<String>], questions: &[Question], mut ms: Vec<f64>) -> EngineReport {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms.get(((ms.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0);
    EngineReport {
        engine: engine.into(),
        all: score(ranked, questions, |_| true),
        with_diacritics: score(ranked, questions, |q| q.accents),
        without_diacritics: score(ranked, questions, |q| !q.accents),
        p50_ms: at(0.5),
        p99_ms: at(0.99),
    }
}

/// The engine's figures.
pub fn engine(procedures: &[Procedure], questions: &[Question]) -> anyhow::Result<(EngineReport, f64)> {
    let started = Instant::now();
    let search = ProcedureSearch::build(procedures)?;
    let build_ms = started.elapsed().as_secs_f64() * 1e3;
    let mut ranked = Vec::new();
    let mut ms = Vec::new();
    for q in questions {
        let t = Instant::now();
        let hits = search.search(&q.q, &SearchFilter::default(), 5);
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        ranked.push(hits.into_iter().map(|h| h.code.as_str().to_owned()).collect());
    }
    Ok((report("tantivy (Switchboard)", &ranked, questions, ms), build_ms))
}

/// The words of a question as PostgreSQL gets them: folded, question words dropped, OR-ed.
pub fn pg_query(q: &str) -> String {
    let stop: std::collections::HashSet<String> = crate::search::STOP.iter().map(|w| fold(w)).collect();
    let words: Vec<String> = fold(q)
        .split(' ')
        .filter(|w| !w.is_empty() && !stop.contains(*w))
        .map(|w| w.chars().filter(char::is_ascii_alphanumeric).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" | ")
}

/// PostgreSQL's figures, in a throwaway schema of the database at `url` (dropped after).
pub async fn postgres(url: &str, procedures: &[Procedure], questions: &[Question]) -> anyhow::Result<EngineReport> {
    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(url).await?;
    let schema = format!("bench_search_{}", std::process::id());
    let mut conn = pool.acquire().await?;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS unaccent").execute(&mut *conn).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}"))).execute(&mut *conn).await?;
    let result = async {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE TABLE {schema}.p (code text, a text, b text, c text, d text, doc tsvector)"
        )))
        .execute(&mut *conn)
        .await?;
        for p in procedures {
            let a = format!("{} {}", p.name, p.name_en.as_deref().unwrap_or(""));
            let b = p.keywords.join(" ");
            let c = p.field.clone();
            let d = format!(
                "{} {} {} {}",
                p.steps.join(" "),
                p.documents.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join(" "),
                p.result,
                p.applicants
            );
            sqlx::query(sqlx::AssertSqlSafe(format!("INSERT INTO {schema}.p (code, a, b, c, d) VALUES ($1, $2, $3, $4, $5)")))
                .bind(p.code.as_str())
                .bind(a)
                .bind(b)
                .bind(c)
                .bind(d)
                .execute(&mut *conn)
                .await?;
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {schema}.p SET doc = setweight(to_tsvector('simple', unaccent(a)), 'A') || \
             setweight(to_tsvector('simple', unaccent(b)), 'A') || setweight(to_tsvector('simple', unaccent(c)), 'C') || \
             setweight(to_tsvector('simple', unaccent(d)), 'D')"
        )))
        .execute(&mut *conn)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE INDEX ON {schema}.p USING gin (doc)"))).execute(&mut *conn).await?;
        let sql = format!(
            "SELECT code FROM {schema}.p, to_tsquery('simple', $1) q WHERE doc @@ q \
             ORDER BY ts_rank_cd(doc, q) DESC, code LIMIT 5"
        );
        let mut ranked = Vec::new();
        let mut ms = Vec::new();
        for q in questions {
            let query = pg_query(&q.q);
            let t = Instant::now();
            let codes: Vec<String> = if query.is_empty() {
                Vec::new()
            } else {
                sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(&query)
                    .fetch_all(&mut *conn)
                    .await?
                    .iter()
                    .map(|r| r.get::<String, _>("code"))
                    .collect()
            };
            ms.push(t.elapsed().as_secs_f64() * 1e3);
            ranked.push(codes);
        }
        anyhow::Ok(report("PostgreSQL FTS (unaccent, OR)", &ranked, questions, ms))
    }
    .await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE"))).execute(&mut *conn).await?;
    result
}
