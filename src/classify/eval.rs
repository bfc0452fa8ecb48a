//! Measuring a model: k-fold cross-validation on a corpus, and the figures of a held-out set
//! (top-1 and top-3 accuracy, the share a threshold sends to triage, the accuracy of the rest),
//! per channel and overall, with the most frequent confusions.

use std::collections::BTreeMap;

use super::{Categorizer, ClassifyError, Model, TrainOptions};
use crate::domain::CategoryCode;

/// Counts over a set of labelled texts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Figures {
    pub texts: usize,
    pub top1: usize,
    pub top3: usize,
    /// Texts whose best suggestion is below the threshold (they go to triage).
    pub triaged: usize,
    /// Texts above the threshold whose best suggestion is right.
    pub kept_right: usize,
}

impl Figures {
    fn add(&mut self, top1: bool, top3: bool, triaged: bool) {
        self.texts += 1;
        self.top1 += usize::from(top1);
        self.top3 += usize::from(top3);
        self.triaged += usize::from(triaged);
        self.kept_right += usize::from(!triaged && top1);
    }

    fn share(n: usize, d: usize) -> f64 {
        if d == 0 { 0.0 } else { n as f64 / d as f64 }
    }
    pub fn top1_rate(&self) -> f64 {
        Self::share(self.top1, self.texts)
    }
    pub fn top3_rate(&self) -> f64 {
        Self::share(self.top3, self.texts)
    }
    pub fn triage_rate(&self) -> f64 {
        Self::share(self.triaged, self.texts)
    }
    /// Accuracy of the texts filed automatically (not sent to triage).
    pub fn kept_accuracy(&self) -> f64 {
        Self::share(self.kept_right, self.texts - self.triaged)
    }
}

/// The figures of a labelled set, overall and per channel, and the confusions seen.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub overall: Figures,
    pub per_channel: BTreeMap<String, Figures>,
    /// (right category, suggested category) → how many texts.
    pub confusions: BTreeMap<(CategoryCode, CategoryCode), usize>,
}

impl Evaluation {
    /// The `n` most frequent confusions, most frequent first.
    pub fn top_confusions(&self, n: usize) -> Vec<(&CategoryCode, &CategoryCode, usize)> {
        let mut v: Vec<_> = self.confusions.iter().map(|((a, b), c)| (a, b, *c)).collect();
        v.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(b.0)).then_with(|| a.1.cmp(b.1)));
        v.truncate(n);
        v
    }
}

/// Measures `model` on `(text, right category, channel)` rows with `threshold` for triage.
pub fn evaluate(model: &Model, rows: &[(String, CategoryCode, String)], threshold: f64) -> Evaluation {
    let mut e = Evaluation::default();
    for (text, right, channel) in rows {
        let s = model.suggest(text);
        let top1 = s.first().is_some_and(|x| &x.category == right);
        let top3 = s.iter().take(3).any(|x| &x.category == right);
        let triaged = s.first().is_none_or(|x| x.confidence < threshold);
        e.overall.add(top1, top3, triaged);
        e.per_channel.entry(channel.clone()).or_default().add(top1, top3, triaged);
        if let (false, Some(best)) = (top1, s.first()) {
            *e.confusions.entry((right.clone(), best.category.clone())).or_default() += 1;
        }
    }
    e
}

/// Top-1 and top-3 accuracy of `folds`-fold cross-validation (text `i` is in fold `i % folds`).
pub fn cross_validate(
    rows: &[(String, CategoryCode)],
    options: TrainOptions,
    folds: usize,
) -> Result<Figures, ClassifyError> {
    let folds = folds.max(2);
    let mut total = Figures::default();
    for k in 0..folds {
        let train: Vec<_> = rows.iter().enumerate().filter(|(i, _)| i % folds != k).map(|(_, r)| r.clone()).collect();
        let test: Vec<_> = rows
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds == k)
            .map(|(_, (t, c))| (t.clone(), c.clone(), String::new()))
            .collect();
        let model = Categorizer::train(&train, options)?;
        let f = evaluate(&model, &test, 0.0).overall;
        total.texts += f.texts;
        total.top1 += f.top1;
        total.top3 += f.top3;
        total.kept_right += f.kept_right;
    }
    Ok(total)
}
