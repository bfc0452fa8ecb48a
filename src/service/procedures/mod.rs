//! [`Procedures`]: the procedures catalogue (thủ tục hành chính) the hotline answers from, the
//! portal's `/thu-tuc` page browses and the console searches beside the call form.
//!
//! Each instance keeps the whole catalogue in memory (a few thousand procedures at most) with
//! its search index, built from the store at start and rebuilt when the store's revision moves:
//! a request looks at the revision at most every [`RECHECK`], so an import by any instance or
//! by `switchboard import procedures` shows everywhere within seconds.

pub mod parse;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{ServiceError, ServiceResult};
use crate::domain::text::fold;
use crate::domain::{Principal, Procedure, ProcedureCode, ProcedureLevel, Role, ValidationErrors};
use crate::store::{ProcedureImport, Store};

/// How often a request may look at the store's catalogue revision.
pub const RECHECK: Duration = Duration::from_secs(3);
/// Most procedures in one page of a list.
pub const MAX_PAGE: usize = 100;
/// Longest search text, in characters.
pub const MAX_QUERY_CHARS: usize = 300;

/// One catalogue, as loaded from one revision of the store.
struct Catalogue {
    revision: i64,
    /// By field, then folded name: the order a citizen browses in.
    list: Vec<Arc<Procedure>>,
    by_code: HashMap<ProcedureCode, Arc<Procedure>>,
    /// The catalogue's search index (Vietnamese, with or without diacritics).
    search: crate::search::ProcedureSearch,
}

impl Catalogue {
    fn new(revision: i64, mut procedures: Vec<Procedure>) -> anyhow::Result<Self> {
        procedures.sort_by_cached_key(|p| (fold(&p.field), fold(&p.name), p.code.clone()));
        let search = crate::search::ProcedureSearch::build(&procedures)?;
        let list: Vec<Arc<Procedure>> = procedures.into_iter().map(Arc::new).collect();
        let by_code = list.iter().map(|p| (p.code.clone(), p.clone())).collect();
        Ok(Self { revision, list, by_code, search })
    }
}

/// The catalogue of one server instance. Cheap to clone.
#[derive(Clone)]
pub struct Procedures {
    store: Arc<dyn Store>,
    current: Arc<RwLock<Arc<Catalogue>>>,
    /// When the revision was last compared with the store's; a std mutex held only to read and
    /// set the instant.
    checked: Arc<Mutex<Instant>>,
    /// One reload at a time.
    reloading: Arc<tokio::sync::Mutex<()>>,
}

/// A procedure as a list shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProcedureSummary {
    #[schema(value_type = String)]
    pub code: ProcedureCode,
    pub name: String,
    pub name_en: Option<String>,
    pub field: String,
    pub field_en: Option<String>,
    pub level: ProcedureLevel,
    /// Whether it can be applied for online.
    pub online: bool,
    /// The shortest time limit of its ways to submit, as written.
    pub time_limit: String,
    /// The fee of that way to submit, as written.
    pub fee: String,
    pub demo: bool,
}

impl From<&Procedure> for ProcedureSummary {
    fn from(p: &Procedure) -> Self {
        let fastest = p.methods.iter().min_by_key(|m| m.time_limit_days.unwrap_or(u16::MAX));
        Self {
            code: p.code.clone(),
            name: p.name.clone(),
            name_en: p.name_en.clone(),
            field: p.field.clone(),
            field_en: p.field_en.clone(),
            level: p.level,
            online: p.online_url.is_some()
                || p.methods.iter().any(|m| m.channel == crate::domain::SubmissionChannel::Online),
            time_limit: fastest.map(|m| m.time_limit.clone()).unwrap_or_default(),
            fee: fastest.map(|m| m.fee.clone()).unwrap_or_default(),
            demo: p.demo,
        }
    }
}

/// What a list asks for.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProcedureQuery {
    /// Free text, searched in Vietnamese with or without diacritics.
    pub q: Option<String>,
    /// Only this field (as the catalogue names it).
    pub field: Option<String>,
    pub level: Option<ProcedureLevel>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// A page of procedures.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProcedurePage {
    /// How many procedures match in all.
    pub total: usize,
    pub items: Vec<ProcedureSummary>,
    /// The catalogue's revision the page was read from.
    pub revision: i64,
}

/// A field with how many procedures it holds.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProcedureField {
    pub field: String,
    pub field_en: Option<String>,
    pub count: usize,
}

/// The procedure that best answers a question, how sure the search is, and the runners-up
/// close behind it.
#[derive(Debug, Clone)]
pub struct Best {
    pub procedure: Arc<Procedure>,
    /// 0–1: how surely the catalogue holds the answer (see [`Procedures::best`]).
    pub confidence: f32,
    pub others: Vec<Arc<Procedure>>,
}

/// One procedure whole, with the names of the related ones.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProcedureDetail {
    #[serde(flatten)]
    pub procedure: Procedure,
    /// The related procedures the catalogue holds.
    pub related_procedures: Vec<ProcedureSummary>,
}

impl Procedures {
    /// Loads the catalogue from the store.
    pub async fn start(store: Arc<dyn Store>) -> anyhow::Result<Self> {
        let catalogue = load(&*store).await?;
        Ok(Self {
            store,
            current: Arc::new(RwLock::new(Arc::new(catalogue))),
            checked: Arc::new(Mutex::new(Instant::now())),
            reloading: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    /// The current catalogue, reloaded first if the store's revision moved (looked at no more
    /// than every [`RECHECK`]). A failed look keeps the copy in memory.
    async fn catalogue(&self) -> Arc<Catalogue> {
        let due = {
            let mut checked = self.checked.lock().expect("procedures lock");
            let due = checked.elapsed() >= RECHECK;
            if due {
                *checked = Instant::now();
            }
            due
        };
        if due && let Err(e) = self.reload_if_moved().await {
            tracing::error!(error = %e, "reloading the procedures catalogue failed; keeping the copy in memory");
        }
        self.current.read().expect("procedures lock").clone()
    }

    async fn reload_if_moved(&self) -> anyhow::Result<()> {
        let _one = self.reloading.lock().await;
        let revision = self.store.procedure_revision().await?;
        if revision != self.current.read().expect("procedures lock").revision {
            let fresh = load(&*self.store).await?;
            *self.current.write().expect("procedures lock") = Arc::new(fresh);
        }
        Ok(())
    }

    /// A page of procedures: those matching `q` best first, else by field and name.
    pub async fn list(&self, query: &ProcedureQuery) -> ServiceResult<ProcedurePage> {
        let limit = query.limit.unwrap_or(20);
        let offset = query.offset.unwrap_or(0);
        let mut errs = ValidationErrors::new();
        if !(1..=MAX_PAGE).contains(&limit) {
            errs.push("limit", format!("must be from 1 to {MAX_PAGE}"));
        }
        if offset > 100_000 {
            errs.push("offset", "must be at most 100000");
        }
        let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
        if q.is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
            errs.push("q", format!("must be at most {MAX_QUERY_CHARS} characters"));
        }
        errs.into_result()?;
        let catalogue = self.catalogue().await;
        let field = query.field.as_deref().map(fold).filter(|f| !f.is_empty());
        let keep = |p: &Procedure| {
            field.as_deref().is_none_or(|f| fold(&p.field) == f) && query.level.is_none_or(|l| p.level == l)
        };
        let matching: Vec<&Arc<Procedure>> = match q {
            None => catalogue.list.iter().filter(|p| keep(p)).collect(),
            Some(q) => {
                let filter = crate::search::SearchFilter { field: field.clone(), level: query.level };
                catalogue
                    .search
                    .search(q, &filter, MAX_PAGE + offset.min(1_000))
                    .into_iter()
                    .filter_map(|h| catalogue.by_code.get(&h.code))
                    .collect()
            }
        };
        Ok(ProcedurePage {
            total: matching.len(),
            items: matching.into_iter().skip(offset).take(limit).map(|p| ProcedureSummary::from(&**p)).collect(),
            revision: catalogue.revision,
        })
    }

    /// The fields of the catalogue, by name, with their counts.
    pub async fn fields(&self) -> Vec<ProcedureField> {
        let catalogue = self.catalogue().await;
        let mut fields: BTreeMap<String, ProcedureField> = BTreeMap::new();
        for p in &catalogue.list {
            let f = fields.entry(fold(&p.field)).or_insert_with(|| ProcedureField {
                field: p.field.clone(),
                field_en: p.field_en.clone(),
                count: 0,
            });
            f.count += 1;
        }
        fields.into_values().collect()
    }

    /// One procedure by its code, with its related procedures.
    pub async fn get(&self, code: &str) -> ServiceResult<ProcedureDetail> {
        let code = ProcedureCode::parse(code, "code")?;
        let catalogue = self.catalogue().await;
        let p = catalogue.by_code.get(&code).ok_or_else(|| ServiceError::NotFound(format!("procedure {code}")))?;
        let related_procedures =
            p.related.iter().filter_map(|c| catalogue.by_code.get(c)).map(|r| ProcedureSummary::from(&**r)).collect();
        Ok(ProcedureDetail { procedure: (**p).clone(), related_procedures })
    }

    /// One procedure by its code, if the catalogue holds it.
    pub async fn procedure(&self, code: &ProcedureCode) -> Option<Procedure> {
        self.catalogue().await.by_code.get(code).map(|p| (**p).clone())
    }

    /// Imports procedures read from a file (added or replaced by code; with `whole`, those the
    /// file lacks are removed). Admins only.
    pub async fn import(
        &self,
        principal: &Principal,
        procedures: &[Procedure],
        whole: bool,
    ) -> ServiceResult<ProcedureImport> {
        if principal.role() != Some(Role::Admin) {
            return Err(ServiceError::Forbidden("only an administrator imports the procedures catalogue".into()));
        }
        self.import_as_tool(procedures, whole).await
    }

    /// [`Self::import`] for the command line and the demo, which act as the system.
    pub async fn import_as_tool(&self, procedures: &[Procedure], whole: bool) -> ServiceResult<ProcedureImport> {
        let done = self.store.import_procedures(procedures, whole, chrono::Utc::now()).await?;
        let _one = self.reloading.lock().await;
        *self.current.write().expect("procedures lock") = Arc::new(load(&*self.store).await?);
        Ok(done)
    }

    /// The procedure that best answers `question`, if any matches at all.
    pub async fn best(&self, question: &str) -> Option<Best> {
        let catalogue = self.catalogue().await;
        let hits = catalogue.search.search(question, &crate::search::SearchFilter::default(), 3);
        let first = hits.first()?;
        let procedure = catalogue.by_code.get(&first.code)?.clone();
        let others = hits
            .iter()
            .skip(1)
            .filter(|h| h.score >= first.score * 0.9 && h.confidence >= first.confidence * 0.9)
            .filter_map(|h| catalogue.by_code.get(&h.code).cloned())
            .collect();
        Some(Best { procedure, confidence: first.confidence, others })
    }

    /// How many procedures the catalogue holds now.
    pub async fn count(&self) -> usize {
        self.catalogue().await.list.len()
    }
}

async fn load(store: &dyn Store) -> anyhow::Result<Catalogue> {
    // The revision first: an import committed between the two reads is seen again next time.
    let revision = store.procedure_revision().await?;
    let procedures = store.procedures().await?;
    tokio::task::spawn_blocking(move || Catalogue::new(revision, procedures)).await?
}
