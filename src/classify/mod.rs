//! Suggesting a category for a free text (issue 14): a multinomial logistic regression
//! (`linfa-logistic`) over TF-IDF weights of the text's features ([`features`]), trained from
//! categorised texts and kept as a small JSON document.
//!
//! Synchronous and without I/O: [`Categorizer::train`] takes texts with their category and
//! returns a [`Model`]; [`Model::suggest`] takes a text and returns every category with its
//! probability, best first; [`Model::to_bytes`] / [`Model::from_bytes`] carry the model to and
//! from a file. [`eval`] measures a model (cross-validation, a held-out set).
//!
//! Cost: training is dominated by L-BFGS over a dense matrix of texts × features (1 700 texts ×
//! 5 000 features × 35 categories: about 20 s on one core); a suggestion reads each feature of
//! the text once and adds its row of weights (microseconds).

#[cfg(test)]
mod compare;
pub mod eval;
pub mod features;

use std::collections::HashMap;

use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use crate::domain::CategoryCode;

/// Why a model could not be trained or read.
#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    #[error("the corpus has no text with a feature")]
    Empty,
    #[error("the corpus names only {0} category; a model needs at least two")]
    TooFewCategories(usize),
    #[error("training failed: {0}")]
    Fit(String),
    #[error("not a categorizer model: {0}")]
    Format(String),
}

/// How a model is trained.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    /// The most features kept (those found in the most texts); bounds the model's size.
    pub max_features: usize,
    /// A feature is kept only if at least this many texts have it.
    pub min_df: usize,
    /// Strength of the L2 penalty on the weights.
    pub alpha: f64,
    /// L-BFGS iterations at most.
    pub max_iterations: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self { max_features: 5_000, min_df: 2, alpha: 0.02, max_iterations: 150 }
    }
}

/// One suggested category and the model's probability for it (0–1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub category: CategoryCode,
    pub confidence: f64,
}

/// The trainer (a namespace for [`Categorizer::train`]).
pub struct Categorizer;

/// A trained model: the categories it knows, the chosen features with their inverse document
/// frequency, and one weight per (feature, category) plus one intercept per category.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Model {
    /// The categories, in the order of the weights' columns.
    pub categories: Vec<CategoryCode>,
    vocabulary: Vec<String>,
    idf: Vec<f32>,
    intercept: Vec<f32>,
    /// Row-major: feature `f`'s weight for category `c` is `weights[f * categories.len() + c]`.
    weights: Vec<f32>,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

/// Term counts of one text over the vocabulary, weighted and L2-normalised.
fn vectorise(text: &str, index: &HashMap<String, usize>, idf: &[f32]) -> Vec<(usize, f64)> {
    let mut counts: HashMap<usize, f64> = HashMap::new();
    for f in features::features(text) {
        if let Some(&i) = index.get(&f) {
            *counts.entry(i).or_default() += 1.0;
        }
    }
    let mut v: Vec<(usize, f64)> = counts.into_iter().map(|(i, tf)| (i, (1.0 + tf.ln()) * f64::from(idf[i]))).collect();
    let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, x)| *x /= norm);
    }
    v.sort_unstable_by_key(|(i, _)| *i);
    v
}

/// What training builds before fitting: the categories (sorted), the chosen features with their
/// IDF and index, and the texts as a dense matrix with their category's column.
pub(crate) struct Design {
    pub categories: Vec<CategoryCode>,
    pub vocabulary: Vec<String>,
    pub idf: Vec<f32>,
    pub index: HashMap<String, usize>,
    pub x: Array2<f64>,
    pub y: Array1<usize>,
}

impl Design {
    /// Chooses the vocabulary from `rows` and weighs every text.
    pub(crate) fn of(rows: &[(String, CategoryCode)], options: TrainOptions) -> Result<Design, ClassifyError> {
        let mut categories: Vec<CategoryCode> = rows.iter().map(|(_, c)| c.clone()).collect();
        categories.sort();
        categories.dedup();
        if categories.len() < 2 {
            return Err(ClassifyError::TooFewCategories(categories.len()));
        }
        // Document frequency of every feature.
        let mut df: HashMap<String, usize> = HashMap::new();
        for (text, _) in rows {
            let mut fs = features::features(text);
            fs.sort_unstable();
            fs.dedup();
            for f in fs {
                *df.entry(f).or_default() += 1;
            }
        }
        let mut chosen: Vec<(String, usize)> = df.into_iter().filter(|(_, n)| *n >= options.min_df).collect();
        chosen.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        chosen.truncate(options.max_features);
        chosen.sort_unstable();
        if chosen.is_empty() {
            return Err(ClassifyError::Empty);
        }
        let n = rows.len() as f64;
        let idf: Vec<f32> = chosen.iter().map(|(_, d)| (((1.0 + n) / (1.0 + *d as f64)).ln() + 1.0) as f32).collect();
        let vocabulary: Vec<String> = chosen.into_iter().map(|(f, _)| f).collect();
        let index: HashMap<String, usize> = vocabulary.iter().enumerate().map(|(i, f)| (f.clone(), i)).collect();
        let mut x = Array2::<f64>::zeros((rows.len(), vocabulary.len()));
        let mut y = Array1::<usize>::zeros(rows.len());
        for (r, (text, cat)) in rows.iter().enumerate() {
            for (i, v) in vectorise(text, &index, &idf) {
                x[[r, i]] = v;
            }
            y[r] = categories.binary_search(cat).unwrap_or(0);
        }
        Ok(Design { categories, vocabulary, idf, index, x, y })
    }

    /// A text weighed over this vocabulary, as one dense row.
    #[cfg(test)]
    pub(crate) fn row(&self, text: &str) -> Array2<f64> {
        let mut x = Array2::<f64>::zeros((1, self.vocabulary.len()));
        for (i, v) in vectorise(text, &self.index, &self.idf) {
            x[[0, i]] = v;
        }
        x
    }
}

impl Categorizer {
    /// Trains a model on `(text, category)` pairs.
    pub fn train(rows: &[(String, CategoryCode)], options: TrainOptions) -> Result<Model, ClassifyError> {
        let Design { categories, vocabulary, idf, index, x, y } = Design::of(rows, options)?;
        let fitted = MultiLogisticRegression::default()
            .alpha(options.alpha)
            .max_iterations(options.max_iterations)
            .fit(&Dataset::new(x, y))
            .map_err(|e| ClassifyError::Fit(e.to_string()))?;
        // linfa sorts the classes it saw; map its columns back to ours.
        let k = categories.len();
        let mut weights = vec![0f32; vocabulary.len() * k];
        let mut intercept = vec![0f32; k];
        let params = fitted.params();
        for (col, &class) in fitted.classes().iter().enumerate() {
            intercept[class] = round(fitted.intercept()[col]);
            for f in 0..vocabulary.len() {
                weights[f * k + class] = round(params[[f, col]]);
            }
        }
        Ok(Model { categories, vocabulary, idf, intercept, weights, index })
    }
}

/// Weights kept to 4 decimals: the JSON stays small and the probabilities move by < 0.1 %.
fn round(v: f64) -> f32 {
    ((v * 10_000.0).round() / 10_000.0) as f32
}

impl Model {
    /// Every category of the model with its probability for `text`, best first. Any text is
    /// answered: one without a known feature gets the categories' prior (the intercepts).
    pub fn suggest(&self, text: &str) -> Vec<Suggestion> {
        let k = self.categories.len();
        let mut scores: Vec<f64> = self.intercept.iter().map(|&b| f64::from(b)).collect();
        for (f, v) in vectorise(text, &self.index, &self.idf) {
            for (c, s) in scores.iter_mut().enumerate() {
                *s += v * f64::from(self.weights[f * k + c]);
            }
        }
        let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let exp: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
        let sum: f64 = exp.iter().sum();
        let mut out: Vec<Suggestion> = self
            .categories
            .iter()
            .zip(exp)
            .map(|(c, e)| Suggestion { category: c.clone(), confidence: e / sum })
            .collect();
        out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then_with(|| a.category.cmp(&b.category)));
        out
    }

    /// The number of features the model knows.
    pub fn feature_count(&self) -> usize {
        self.vocabulary.len()
    }

    /// The model as JSON.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads a model written by [`Model::to_bytes`], checking that its parts agree.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ClassifyError> {
        let mut m: Model = serde_json::from_slice(bytes).map_err(|e| ClassifyError::Format(e.to_string()))?;
        let (k, v) = (m.categories.len(), m.vocabulary.len());
        if k < 2 || m.intercept.len() != k || m.idf.len() != v || m.weights.len() != v * k {
            return Err(ClassifyError::Format(format!(
                "{k} categories, {v} features, {} intercepts, {} idf values and {} weights do not agree",
                m.intercept.len(),
                m.idf.len(),
                m.weights.len()
            )));
        }
        if m.weights.iter().chain(&m.idf).chain(&m.intercept).any(|w| !w.is_finite()) {
            return Err(ClassifyError::Format("a weight is not a finite number".into()));
        }
        m.index = m.vocabulary.iter().enumerate().map(|(i, f)| (f.clone(), i)).collect();
        Ok(m)
    }
}

/// The model shipped with the binary, trained on the demo corpus
/// (`geodata/categorizer/corpus.json`) by `switchboard train categorizer`.
pub const SHIPPED: &[u8] = include_bytes!("../../geodata/categorizer/model.json");

#[cfg(test)]
mod tests;
