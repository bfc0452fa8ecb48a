//! The choice of learner, measured: `linfa-logistic`'s multinomial logistic regression (shipped)
//! against `linfa-bayes`' multinomial naive Bayes, both over the same features and TF-IDF
//! weights, by 5-fold cross-validation on the demo corpus. Run with
//! `cargo test --lib classify::compare -- --ignored --nocapture`.

use linfa::prelude::*;
use linfa_bayes::{MultinomialNb, NaiveBayes};

use super::eval::{self, Figures};
use super::{Design, TrainOptions};
use crate::domain::CategoryCode;

fn corpus() -> Vec<(String, CategoryCode)> {
    #[derive(serde::Deserialize)]
    struct Row {
        text: String,
        category: CategoryCode,
    }
    let rows: Vec<Row> =
        serde_json::from_str(include_str!("../../geodata/categorizer/corpus.json")).expect("the corpus reads");
    rows.into_iter().map(|r| (r.text, r.category)).collect()
}

fn naive_bayes_cv(rows: &[(String, CategoryCode)], options: TrainOptions, folds: usize, alpha: f64) -> Figures {
    let mut f = Figures::default();
    for k in 0..folds {
        let train: Vec<_> = rows.iter().enumerate().filter(|(i, _)| i % folds != k).map(|(_, r)| r.clone()).collect();
        let d = Design::of(&train, options).expect("a design");
        let nb = MultinomialNb::params().alpha(alpha).fit(&Dataset::new(d.x.clone(), d.y.clone())).expect("fitted");
        for (text, right) in rows.iter().enumerate().filter(|(i, _)| i % folds == k).map(|(_, r)| r) {
            let (p, labels) = nb.predict_proba(d.row(text).view());
            let mut order: Vec<(usize, f64)> = labels.iter().map(|&&l| l).zip(p.row(0).iter().copied()).collect();
            order.sort_by(|a, b| b.1.total_cmp(&a.1));
            let right = d.categories.binary_search(right).ok();
            f.texts += 1;
            f.top1 += usize::from(order.first().map(|x| x.0) == right);
            f.top3 += usize::from(order.iter().take(3).any(|x| Some(x.0) == right));
        }
    }
    f
}

#[test]
#[ignore = "a measurement of a few minutes; see docs/BENCHMARKS.md"]
fn logistic_regression_against_naive_bayes_on_the_corpus() {
    let rows = corpus();
    let options = TrainOptions::default();
    for alpha in [0.1, 1.0] {
        let nb = naive_bayes_cv(&rows, options, 5, alpha);
        println!(
            "naive Bayes (alpha {alpha}): top-1 {:.1} %, top-3 {:.1} %",
            100.0 * nb.top1_rate(),
            100.0 * nb.top3_rate()
        );
        assert_eq!(nb.texts, rows.len());
    }
    let lr = eval::cross_validate(&rows, options, 5).expect("cross-validation");
    println!("logistic regression: top-1 {:.1} %, top-3 {:.1} %", 100.0 * lr.top1_rate(), 100.0 * lr.top3_rate());
    assert_eq!(lr.texts, rows.len());
}
