//! The category suggester as a service handle: the model (shipped in the binary, or a file
//! named by `serve --categorizer-model`), the threshold above which chat, SMS and Open311
//! reports filed under `other` take the best suggestion, and the city's categories to name
//! the suggestions with. Also the corpus `switchboard train categorizer` reads from a store.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use serde::Serialize;

use crate::classify::Model;
use crate::domain::{CategoryCode, Status};
use crate::service::ReferenceData;

/// The confidence at or above which a report under `other` takes the best suggestion
/// (chosen on a held-back fifth of the demo corpus: see `docs/BENCHMARKS.md`).
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// The category texts no one has sorted yet are filed under (the triage queue).
pub const TRIAGE: &str = "other";

/// How many suggestions the portal and the console show.
pub const SHOWN: usize = 3;

/// The suggester's settings.
#[derive(Debug, Clone)]
pub struct CategorizerSettings {
    /// A model file instead of the shipped one (`--categorizer-model`).
    pub model: Option<PathBuf>,
    /// See [`DEFAULT_THRESHOLD`] (`--categorizer-threshold`).
    pub threshold: f64,
}

impl Default for CategorizerSettings {
    fn default() -> Self {
        Self { model: None, threshold: DEFAULT_THRESHOLD }
    }
}

/// One suggestion as the portal and the console show it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CategorySuggestion {
    #[schema(value_type = String)]
    pub code: CategoryCode,
    /// The category's field (`environment`, `traffic`, …).
    #[schema(value_type = String)]
    pub field: crate::domain::Field,
    pub name_vi: String,
    pub name_en: String,
    /// The model's probability, 0–1.
    pub confidence: f64,
}

/// What the intake does with a report under `other`: the category it takes (or `other`,
/// triage) and the note its `created` event carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Triage {
    pub category: CategoryCode,
    pub note: String,
}

/// The handle (cheap to clone).
#[derive(Clone)]
pub struct Categories {
    model: Arc<Model>,
    reference: ReferenceData,
    threshold: f64,
}

impl Categories {
    /// Reads the model. A model file that names a category the city does not have is refused
    /// (the shipped model is trained on the demo city; a city with other categories trains
    /// its own, and meanwhile suggestions of categories it lacks are left out).
    pub fn new(settings: &CategorizerSettings, reference: ReferenceData) -> anyhow::Result<Self> {
        anyhow::ensure!(
            (0.0..=1.0).contains(&settings.threshold),
            "--categorizer-threshold must be between 0 and 1 (got {})",
            settings.threshold
        );
        let model = match &settings.model {
            Some(path) => {
                let bytes =
                    std::fs::read(path).with_context(|| format!("reading the categorizer model {}", path.display()))?;
                let model = Model::from_bytes(&bytes).with_context(|| format!("{}", path.display()))?;
                let current = reference.current();
                let unknown: Vec<&str> = model
                    .categories
                    .iter()
                    .filter(|c| current.category(c).is_none())
                    .map(CategoryCode::as_str)
                    .collect();
                anyhow::ensure!(
                    unknown.is_empty() || current.categories.is_empty(),
                    "the categorizer model {} names categories the city does not have: {}",
                    path.display(),
                    unknown.join(", ")
                );
                model
            }
            None => Model::from_bytes(crate::classify::SHIPPED).context("the shipped categorizer model")?,
        };
        Ok(Self { model: Arc::new(model), reference, threshold: settings.threshold })
    }

    /// The threshold of automatic filing.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The best [`SHOWN`] categories of the city for `text`, best first.
    pub fn suggest(&self, text: &str) -> Vec<CategorySuggestion> {
        let reference = self.reference.current();
        self.model
            .suggest(text)
            .into_iter()
            .filter_map(|s| {
                let c = reference.category(&s.category)?;
                Some(CategorySuggestion {
                    code: c.code.clone(),
                    field: c.field,
                    name_vi: c.name_vi.clone(),
                    name_en: c.name_en.clone(),
                    confidence: s.confidence,
                })
            })
            .take(SHOWN)
            .collect()
    }

    /// For a report filed under `other`: the best suggestion if its confidence reaches the
    /// threshold, else `other` (triage); either way a note saying so for the operator.
    pub fn triage(&self, text: &str) -> Option<Triage> {
        let best = self.suggest(text).into_iter().next()?;
        let pct = (best.confidence * 100.0).round();
        if best.confidence >= self.threshold && best.code.as_str() != TRIAGE {
            Some(Triage {
                note: format!(
                    "Danh mục gợi ý tự động: {} ({pct} %) / Category suggested automatically: {} ({pct} %)",
                    best.name_vi, best.code
                ),
                category: best.code,
            })
        } else {
            let category = CategoryCode::parse(TRIAGE, "category").ok()?;
            Some(Triage {
                note: format!(
                    "Cần phân loại: gợi ý tốt nhất {} ({pct} %) dưới ngưỡng / Needs triage: best suggestion {} ({pct} %) below the threshold",
                    best.name_vi, best.code
                ),
                category,
            })
        }
    }
}

/// The categorised tickets of a store as a training corpus: description and category of every
/// ticket an operator has handled (forwarded to a unit or beyond), leaving out those still
/// under `other`, those received and not yet sorted, and rejected ones and duplicates.
pub async fn store_corpus(database_url: &str) -> anyhow::Result<Vec<(String, CategoryCode)>> {
    let store = crate::store::open(Some(database_url)).await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let reader = tokio::spawn(async move { store.ticket_batches(tx).await });
    let mut out = Vec::new();
    while let Some(batch) = rx.recv().await {
        for t in batch {
            let handled = !matches!(t.status, Status::Received | Status::Rejected | Status::Duplicate);
            if handled && t.category.as_str() != TRIAGE {
                out.push((t.description, t.category));
            }
        }
    }
    reader.await.context("reading the store's tickets")??;
    Ok(out)
}
