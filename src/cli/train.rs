//! `switchboard train categorizer` (a model of categories from free text, from a corpus file
//! and/or the store's own tickets) and `switchboard bench categorizer` (its figures on a
//! held-out set).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::classify::eval::{self, Evaluation, Figures};
use crate::classify::{Categorizer, Model, TrainOptions};
use crate::domain::CategoryCode;

#[derive(Subcommand)]
pub enum TrainCommand {
    /// Train the category suggester from categorised texts and write the model (JSON).
    Categorizer(TrainCategorizer),
}

#[derive(Args)]
pub struct TrainCategorizer {
    /// A corpus: JSON `[{"text": "…", "category": "code"}]`.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Also learn from the tickets of this store (title and description with their category;
    /// tickets still under `other` and those no operator has handled are left out).
    #[arg(long)]
    pub database_url: Option<String>,
    /// Where the model is written.
    #[arg(long, default_value = "categorizer-model.json")]
    pub out: PathBuf,
    /// Folds of the cross-validation printed (0: none).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// The most features the model keeps.
    #[arg(long, default_value_t = TrainOptions::default().max_features)]
    pub max_features: usize,
    /// Strength of the L2 penalty.
    #[arg(long, default_value_t = TrainOptions::default().alpha)]
    pub alpha: f64,
}

#[derive(Args)]
pub struct BenchCategorizer {
    /// The held-out set: JSON `[{"text", "category", "channel"}]`.
    #[arg(long, default_value = "geodata/categorizer/heldout.json")]
    pub heldout: PathBuf,
    /// A model file (default: the model shipped in the binary).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Confidence below which a text goes to triage.
    #[arg(long, default_value_t = crate::service::categorizer::DEFAULT_THRESHOLD)]
    pub threshold: f64,
}

#[derive(serde::Deserialize)]
struct Row {
    text: String,
    category: CategoryCode,
    #[serde(default)]
    channel: Option<String>,
}

fn read_rows(path: &PathBuf) -> anyhow::Result<Vec<Row>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("{} is not [{{\"text\", \"category\"}}]", path.display()))
}

pub async fn run(command: TrainCommand) -> anyhow::Result<ExitCode> {
    match command {
        TrainCommand::Categorizer(args) => train(args).await,
    }
}

async fn train(args: TrainCategorizer) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.corpus.is_some() || args.database_url.is_some(),
        "give --corpus FILE and/or --database-url URL"
    );
    let mut rows: Vec<(String, CategoryCode)> = Vec::new();
    if let Some(path) = &args.corpus {
        rows.extend(read_rows(path)?.into_iter().map(|r| (r.text, r.category)));
        println!("{}: {} texts", path.display(), rows.len());
    }
    if let Some(url) = &args.database_url {
        let n = rows.len();
        rows.extend(crate::service::categorizer::store_corpus(url).await?);
        println!("the store: {} tickets", rows.len() - n);
    }
    let city = crate::demo::DemoCity::embedded()?;
    let known: std::collections::BTreeSet<&str> = city.categories.iter().map(|c| c.code.as_str()).collect();
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for (_, c) in &rows {
        *counts.entry(c.as_str()).or_default() += 1;
    }
    println!("{:<28} texts", "category");
    for (c, n) in &counts {
        let mark = if known.contains(c) { "" } else { "  (not a category of the demo city)" };
        println!("{c:<28} {n}{mark}");
    }
    let options = TrainOptions { max_features: args.max_features, alpha: args.alpha, ..TrainOptions::default() };
    let out = args.out.clone();
    let folds = args.folds;
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        if folds >= 2 {
            let t = Instant::now();
            let f = eval::cross_validate(&rows, options, folds)?;
            println!(
                "{folds}-fold cross-validation: top-1 {:.1} %, top-3 {:.1} % of {} texts ({:.1} s)",
                100.0 * f.top1_rate(),
                100.0 * f.top3_rate(),
                f.texts,
                t.elapsed().as_secs_f64()
            );
        }
        let t = Instant::now();
        let model = Categorizer::train(&rows, options)?;
        let bytes = model.to_bytes();
        std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
        println!(
            "trained on {} texts in {:.1} s: {} categories, {} features, {} bytes -> {}",
            rows.len(),
            t.elapsed().as_secs_f64(),
            model.categories.len(),
            model.feature_count(),
            bytes.len(),
            out.display()
        );
        Ok(())
    })
    .await??;
    Ok(ExitCode::SUCCESS)
}

fn line(name: &str, f: &Figures) {
    println!(
        "{name:<10} {:>5} {:>7.1} % {:>7.1} % {:>8.1} % {:>9.1} %",
        f.texts,
        100.0 * f.top1_rate(),
        100.0 * f.top3_rate(),
        100.0 * f.triage_rate(),
        100.0 * f.kept_accuracy()
    );
}

pub async fn bench(args: BenchCategorizer) -> anyhow::Result<ExitCode> {
    let model = match &args.model {
        Some(p) => Model::from_bytes(&std::fs::read(p).with_context(|| format!("reading {}", p.display()))?)?,
        None => Model::from_bytes(crate::classify::SHIPPED)?,
    };
    let rows: Vec<(String, CategoryCode, String)> = read_rows(&args.heldout)?
        .into_iter()
        .map(|r| (r.text, r.category, r.channel.unwrap_or_else(|| "-".into())))
        .collect();
    let t = Instant::now();
    let e: Evaluation = eval::evaluate(&model, &rows, args.threshold);
    let per_text = t.elapsed().as_secs_f64() * 1e6 / rows.len().max(1) as f64;
    println!("{} texts from {}, threshold {}", rows.len(), args.heldout.display(), args.threshold);
    println!("{:<10} {:>5} {:>9} {:>9} {:>10} {:>11}", "channel", "texts", "top-1", "top-3", "triage", "kept right");
    for (ch, f) in &e.per_channel {
        line(ch, f);
    }
    line("overall", &e.overall);
    println!("{per_text:.0} µs per suggestion");
    println!("threshold  triage  kept right");
    for t in [0.2, 0.3, 0.4, 0.5, 0.6, 0.7] {
        let f = eval::evaluate(&model, &rows, t).overall;
        println!("{t:<9}  {:>5.1} %  {:>8.1} %", 100.0 * f.triage_rate(), 100.0 * f.kept_accuracy());
    }
    println!("most frequent confusions (right -> suggested):");
    for (a, b, n) in e.top_confusions(12) {
        println!("  {n:>3}  {a} -> {b}");
    }
    Ok(ExitCode::SUCCESS)
}
