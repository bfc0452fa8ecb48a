//! `switchboard import areas FILE.geojson`: administrative boundaries from a GeoJSON
//! FeatureCollection, one area per feature.
//!
//! The property names are options, so exports of any source work, e.g.
//! - GADM level 2: `--code-field GID_2 --name-field NAME_2 --name-en-field VARNAME_2 --parent-field GID_1`
//! - OSM admin boundaries (osm-boundaries.com, overpass → GeoJSON): `--code-field ref --name-field name
//!   --name-en-field name:en`
//!
//! A bad feature is reported (index, code, name, why) and skipped; the others are imported.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Map, Value};

use super::error::{FeatureError, FeatureProblem, ImportError, ParsedFeature, parse_all};
use super::geometry::boundary_from_geojson;
use super::properties::{fold_diacritics, text};
use crate::domain::{Area, AreaCode};
use crate::store::Store;

/// How to turn features into areas.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportAreasOptions {
    /// Level of every imported area (one of the configured levels, e.g. `district`).
    pub level: String,
    /// Property holding the area code (strings or numbers).
    pub code_field: String,
    /// Property holding the Vietnamese name.
    pub name_field: String,
    /// Property holding the name without diacritics / in English. When `None`, or when a
    /// feature lacks it, the name is folded to ASCII ("Hải Châu" → "Hai Chau").
    pub name_en_field: Option<String>,
    /// Property holding the parent area's code. A feature without it has no parent.
    pub parent_field: Option<String>,
    /// The imported boundaries apply from this instant.
    pub valid_from: DateTime<Utc>,
    /// Prepended to every code read from the file, the parent's included: `DN-` + `HC` = `DN-HC`.
    pub code_prefix: Option<String>,
    /// Property holding the number of residents (a whole number, or a string of digits with
    /// `.`, `,` or spaces between thousands). A feature without it has no population.
    pub population_field: Option<String>,
}

impl ImportAreasOptions {
    /// Options with the required fields; valid from now, no optional fields, no prefix.
    pub fn new(level: impl Into<String>, code_field: impl Into<String>, name_field: impl Into<String>) -> Self {
        Self {
            level: level.into(),
            code_field: code_field.into(),
            name_field: name_field.into(),
            name_en_field: None,
            parent_field: None,
            valid_from: Utc::now(),
            code_prefix: None,
            population_field: None,
        }
    }

    fn prefixed(&self, code: &str) -> String {
        match &self.code_prefix {
            Some(prefix) => format!("{prefix}{code}"),
            None => code.to_owned(),
        }
    }
}

/// The outcome of parsing a file: the good areas and every bad feature.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedAreas {
    /// Areas in file order.
    pub areas: Vec<Area>,
    /// Problems in file order; a feature may have several (e.g. no name and a bad geometry).
    pub errors: Vec<FeatureError>,
    /// Number of features in the file.
    pub features: usize,
}

/// What [`import_areas`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    /// Number of features in the file.
    pub features: usize,
    /// Number of areas written to the store.
    pub imported: usize,
    /// Features that were skipped, and why.
    pub errors: Vec<FeatureError>,
}

/// Parses a GeoJSON FeatureCollection into areas. Pure: no I/O.
pub fn parse_areas(geojson_text: &str, opts: &ImportAreasOptions) -> Result<ParsedAreas, ImportError> {
    check_options(opts)?;
    let features = read_features(geojson_text)?;
    Ok(parse_features(features, opts, || {}))
}

/// Reads the file, parses it (with a progress bar over the features when `progress` is set and
/// stderr is a terminal), and upserts the valid areas in batches. Fails only if the file is
/// unreadable as a whole or the store fails; bad features are in the report.
#[tracing::instrument(skip(store, opts), fields(path = %path.display(), level = %opts.level))]
pub async fn import_areas(
    store: &dyn Store,
    path: &Path,
    opts: &ImportAreasOptions,
    progress: bool,
) -> anyhow::Result<ImportReport> {
    const BATCH: usize = 100;

    check_options(opts)?;
    let text = tokio::fs::read_to_string(path).await.with_context(|| format!("reading {}", path.display()))?;
    let features = read_features(&text).with_context(|| format!("reading {}", path.display()))?;
    drop(text);

    let bar = progress_bar(features.len(), progress);
    bar.set_message("checking");
    let parsed = {
        let (opts, bar) = (opts.clone(), bar.clone());
        tokio::task::spawn_blocking(move || parse_features(features, &opts, || bar.inc(1)))
            .await
            .context("checking features")?
    };

    bar.set_message("saving");
    bar.set_length(parsed.areas.len() as u64);
    bar.set_position(0);
    for (n, batch) in parsed.areas.chunks(BATCH).enumerate() {
        store.upsert_areas(batch).await.with_context(|| {
            let first = n * BATCH;
            format!("saving areas {}..{} (from code {})", first, first + batch.len(), batch[0].code)
        })?;
        bar.inc(batch.len() as u64);
    }
    bar.finish_and_clear();
    tracing::info!(imported = parsed.areas.len(), failed = parsed.errors.len(), "areas imported");

    Ok(ImportReport { features: parsed.features, imported: parsed.areas.len(), errors: parsed.errors })
}

pub(super) fn progress_bar(len: usize, progress: bool) -> ProgressBar {
    if !progress || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{msg:>8} [{bar:40}] {pos}/{len} ({eta} left)")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::new(len as u64).with_style(style)
}

fn check_options(opts: &ImportAreasOptions) -> Result<(), ImportError> {
    if opts.level.trim().is_empty() {
        return Err(ImportError::Options("the level must not be empty".into()));
    }
    if opts.code_field.is_empty() || opts.name_field.is_empty() {
        return Err(ImportError::Options("the code and name fields must be named".into()));
    }
    if let Some(prefix) = &opts.code_prefix {
        // A prefix is only useful if prefix + code can be a valid code.
        AreaCode::parse(&format!("{prefix}0"), "code prefix")
            .map_err(|_| ImportError::Options(format!("code prefix \"{prefix}\" can't start an area code")))?;
    }
    Ok(())
}

/// The `features` of a FeatureCollection, each still raw JSON.
pub(crate) fn read_features(geojson_text: &str) -> Result<Vec<Value>, ImportError> {
    read_feature_collection(geojson_text).map(|(features, _)| features)
}

/// The `features` of a FeatureCollection, each still raw JSON, and its other top-level members.
pub(super) fn read_feature_collection(geojson_text: &str) -> Result<(Vec<Value>, Map<String, Value>), ImportError> {
    let text = geojson_text.strip_prefix('\u{feff}').unwrap_or(geojson_text);
    let value: Value = serde_json::from_str(text).map_err(|e| ImportError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string().rsplit_once(" at line ").map_or_else(|| e.to_string(), |(m, _)| m.to_owned()),
    })?;
    let Value::Object(mut top) = value else {
        return Err(ImportError::NotFeatureCollection(format!("the top-level value is {}", kind(&value))));
    };
    match top.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {}
        Some("Feature") => {
            return Err(ImportError::NotFeatureCollection(
                "it is a single Feature; wrap it as {\"type\": \"FeatureCollection\", \"features\": [...]}".into(),
            ));
        }
        Some(other) => return Err(ImportError::NotFeatureCollection(format!("its \"type\" is \"{other}\""))),
        None => return Err(ImportError::NotFeatureCollection("it has no \"type\" member".into())),
    }
    match top.remove("features") {
        Some(Value::Array(features)) => Ok((features, top)),
        Some(other) => Err(ImportError::NotFeatureCollection(format!("its \"features\" is {}", kind(&other)))),
        None => Err(ImportError::NotFeatureCollection("it has no \"features\" member".into())),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Turns each feature into an area or into errors; `tick` is called once per feature.
fn parse_features(features: Vec<Value>, opts: &ImportAreasOptions, tick: impl FnMut()) -> ParsedAreas {
    let count = features.len();
    let (areas, errors) = parse_all(features, |f| parse_feature(f, opts), tick);
    ParsedAreas { areas, errors, features: count }
}

fn parse_feature(feature: Value, opts: &ImportAreasOptions) -> ParsedFeature<Area> {
    let mut problems = Vec::new();
    let mut object = match feature {
        Value::Object(o) if o.get("type").and_then(Value::as_str) == Some("Feature") => o,
        _ => {
            return ParsedFeature::not_a_feature();
        }
    };
    let properties = match object.get("properties") {
        Some(Value::Object(p)) => Some(p),
        _ => None,
    };

    let raw_code = text(properties, &opts.code_field).map(|c| opts.prefixed(&c));
    let code = raw_code.as_ref().ok().cloned();
    let area_code = match raw_code {
        Ok(c) => parse_code(&c, &opts.code_field).map_err(|p| problems.push(p)).ok(),
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let name = text(properties, &opts.name_field).map_err(|p| problems.push(p)).ok();
    let name_en = optional_text(properties, opts.name_en_field.as_deref(), &mut problems);
    let parent = optional_text(properties, opts.parent_field.as_deref(), &mut problems).and_then(|p| {
        let field = opts.parent_field.as_deref().unwrap_or_default();
        let parent = parse_code(&opts.prefixed(&p), field).map_err(|p| problems.push(p)).ok()?;
        if Some(&parent) == area_code.as_ref() {
            problems.push(FeatureProblem::OwnParent { field: field.to_owned() });
        }
        Some(parent)
    });

    let population = opts.population_field.as_deref().and_then(|field| match properties.and_then(|p| p.get(field)) {
        None | Some(Value::Null) => None,
        Some(v) => population_of(v)
            .map_err(|message| problems.push(FeatureProblem::Invalid { field: field.to_owned(), message }))
            .ok(),
    });

    let geometry = match object.remove("geometry") {
        None | Some(Value::Null) => {
            problems.push(FeatureProblem::MissingGeometry);
            None
        }
        Some(g) => boundary_from_geojson(g).map_err(|e| problems.push(FeatureProblem::Geometry(e))).ok(),
    };

    let area = match (area_code, &name, geometry) {
        (Some(code), Some(name), Some(geometry)) if problems.is_empty() => Some(Area {
            code,
            name_en: name_en.unwrap_or_else(|| fold_diacritics(name)),
            name: name.clone(),
            level: opts.level.clone(),
            parent,
            geometry,
            valid_from: opts.valid_from,
            valid_to: None,
            population,
        }),
        _ => None,
    };
    ParsedFeature { code, name, item: area, problems }
}

/// A number of residents: a whole number, or digits grouped by `.`, `,` or spaces ("1.230.000").
fn population_of(v: &Value) -> Result<u64, String> {
    let bad = || "must be a whole number of residents (e.g. 1230000 or \"1.230.000\")".to_owned();
    match v {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0).map(|f| f as u64))
            .ok_or_else(bad),
        Value::String(s) => {
            let digits: String = s.trim().chars().filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}')).collect();
            if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            digits.parse().map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

fn parse_code(code: &str, field: &str) -> Result<AreaCode, FeatureProblem> {
    AreaCode::parse(code, field)
        .map_err(|_| FeatureProblem::InvalidCode { field: field.to_owned(), value: code.to_owned() })
}

/// An optional property: absent or blank is `None`; a value that is not text is a problem.
fn optional_text(
    properties: Option<&Map<String, Value>>,
    field: Option<&str>,
    problems: &mut Vec<FeatureProblem>,
) -> Option<String> {
    match text(properties, field?) {
        Ok(t) => Some(t),
        Err(FeatureProblem::MissingField { .. } | FeatureProblem::EmptyField { .. }) => None,
        Err(p) => {
            problems.push(p);
            None
        }
    }
}
