//! `switchboard import planning FILE`: one planning layer (an approved plan) and its land-use
//! zones from GeoJSON, a Shapefile or a GeoPackage, one zone per feature. The layer is replaced
//! whole: its zones afterwards are exactly the good features of the file.
//!
//! The layer's code, names and decision come from the flags, or from a `"layer"` member of a
//! GeoJSON FeatureCollection (`{"code", "name", "name_en", "decision_number", "decision_date"}`;
//! flags win). Zone properties have default names (`code`, `name`, `land_use`, `max_height_m`,
//! `building_density_pct`, `far`, `decision_number`, `decision_date`) that `--field KEY=PROP`
//! renames, so a Shapefile's 10-character DBF names (`LOAI_DAT`, `TANG_CAO`) work too. A zone
//! without a decision takes the layer's.
//!
//! A bad feature is reported (index, code, name, property, why) and skipped; the others are
//! imported.

use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use super::areas::{progress_bar, read_feature_collection};
use super::error::{FeatureError, FeatureProblem, ImportError, ParsedFeature, parse_all};
use super::geometry::boundary_from_geojson;
pub use super::planning_options::{ImportPlanningOptions, LayerInfo, ZoneFields};
use super::properties::text;
use crate::domain::{
    Decision, LandUse, PlanningLayer, PlanningLayerCode, PlanningZone, ValidationErrors, ZoneCode, ZoneLimits,
};
use crate::store::Store;

/// The outcome of parsing: the layer, its good zones and every bad feature.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPlanning {
    pub layer: PlanningLayer,
    /// Zones in file order.
    pub zones: Vec<PlanningZone>,
    /// Problems in file order; a feature may have several.
    pub errors: Vec<FeatureError>,
    /// Number of features in the file.
    pub features: usize,
}

/// What [`import_planning`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanningReport {
    pub layer: PlanningLayerCode,
    pub features: usize,
    /// Zones the layer now has.
    pub imported: usize,
    pub errors: Vec<FeatureError>,
}

/// Parses a GeoJSON FeatureCollection into a layer and zones. Pure: no I/O.
pub fn parse_planning(
    geojson_text: &str,
    opts: &ImportPlanningOptions,
    imported_at: DateTime<Utc>,
) -> Result<ParsedPlanning, ImportError> {
    let (features, top) = read_feature_collection(geojson_text)?;
    let layer = opts.layer.clone().over(LayerInfo::from_member(top.get("layer"))).into_layer(imported_at)?;
    Ok(parse_features(layer, features, &opts.fields, || {}))
}

/// Reads the file (GeoJSON by default; `.shp` as a Shapefile, `.gpkg` as a GeoPackage), checks
/// every feature (with a progress bar when `progress` is set and stderr is a terminal) and
/// replaces the layer in the store. Fails only if the file as a whole is unusable or the store
/// fails; bad features are in the report.
#[tracing::instrument(skip(store, opts), fields(path = %path.display()))]
pub async fn import_planning(
    store: &dyn Store,
    path: &Path,
    opts: &ImportPlanningOptions,
    progress: bool,
) -> anyhow::Result<PlanningReport> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let (features, file_layer) = match ext.as_str() {
        "shp" => (super::shp::read_features(path)?, LayerInfo::default()),
        "gpkg" => (super::gpkg::read_features(path, opts.table.as_deref()).await?, LayerInfo::default()),
        _ => {
            let text = tokio::fs::read_to_string(path).await.with_context(|| format!("reading {}", path.display()))?;
            let (features, top) =
                read_feature_collection(&text).with_context(|| format!("reading {}", path.display()))?;
            (features, LayerInfo::from_member(top.get("layer")))
        }
    };
    let layer = opts.layer.clone().over(file_layer).into_layer(Utc::now())?;

    let bar = progress_bar(features.len(), progress);
    bar.set_message("checking");
    let parsed = {
        let (fields, bar) = (opts.fields.clone(), bar.clone());
        tokio::task::spawn_blocking(move || parse_features(layer, features, &fields, || bar.inc(1)))
            .await
            .context("checking features")?
    };
    bar.set_message("saving");
    store
        .replace_planning_layer(&parsed.layer, &parsed.zones)
        .await
        .with_context(|| format!("saving planning layer {}", parsed.layer.code))?;
    bar.finish_and_clear();
    tracing::info!(layer = %parsed.layer.code, imported = parsed.zones.len(), failed = parsed.errors.len(), "planning layer imported");
    Ok(PlanningReport {
        layer: parsed.layer.code,
        features: parsed.features,
        imported: parsed.zones.len(),
        errors: parsed.errors,
    })
}

/// Turns each feature into a zone of `layer` or into errors; `tick` is called once per feature.
pub(super) fn parse_features(
    layer: PlanningLayer,
    features: Vec<Value>,
    fields: &ZoneFields,
    tick: impl FnMut(),
) -> ParsedPlanning {
    let count = features.len();
    let (zones, errors) = parse_all(features, |f| parse_feature(f, &layer, fields), tick);
    ParsedPlanning { layer, zones, errors, features: count }
}

fn invalid(field: &str, e: ValidationErrors) -> FeatureProblem {
    let message = e.0.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("; ");
    FeatureProblem::Invalid { field: field.to_owned(), message }
}

fn parse_feature(feature: Value, layer: &PlanningLayer, f: &ZoneFields) -> ParsedFeature<PlanningZone> {
    let mut problems = Vec::new();
    let mut object = match feature {
        Value::Object(o) if o.get("type").and_then(Value::as_str) == Some("Feature") => o,
        _ => return ParsedFeature::not_a_feature(),
    };
    let empty = Map::new();
    let props = match object.get("properties") {
        Some(Value::Object(p)) => p,
        _ => &empty,
    };

    let raw_code = text(Some(props), &f.code).map_err(|p| problems.push(p)).ok();
    let code = raw_code
        .as_deref()
        .and_then(|c| ZoneCode::parse(c, &f.code).map_err(|e| problems.push(invalid(&f.code, e))).ok());
    let name = optional_text(props, &f.name, &mut problems);
    let name = PlanningZone::check_name(name.as_deref()).map_err(|e| problems.push(invalid(&f.name, e))).ok().flatten();
    let land_use = text(Some(props), &f.land_use)
        .map_err(|p| problems.push(p))
        .ok()
        .and_then(|l| LandUse::parse(&l, &f.land_use).map_err(|e| problems.push(invalid(&f.land_use, e))).ok());

    let mut number = |field: &str| optional_number(props, field).map_err(|p| problems.push(p)).ok().flatten();
    let (height, density, far) = (number(&f.max_height_m), number(&f.building_density_pct), number(&f.far));
    let limits = ZoneLimits::new(height, density, far)
        .map_err(|e| {
            for err in e.0 {
                let field = match err.field.as_str() {
                    "max_height_m" => &f.max_height_m,
                    "building_density_pct" => &f.building_density_pct,
                    _ => &f.far,
                };
                problems.push(FeatureProblem::Invalid { field: field.clone(), message: err.message });
            }
        })
        .ok();
    let decision = zone_decision(props, layer, f, &mut problems);

    let geometry = match object.remove("geometry") {
        None | Some(Value::Null) => {
            problems.push(FeatureProblem::MissingGeometry);
            None
        }
        Some(g) => boundary_from_geojson(g).map_err(|e| problems.push(FeatureProblem::Geometry(e))).ok(),
    };

    let zone = match (code, land_use, limits, decision, geometry) {
        (Some(code), Some(land_use), Some(limits), Some(decision), Some(geometry)) if problems.is_empty() => {
            Some(PlanningZone {
                layer: layer.code.clone(),
                code,
                name: name.clone(),
                land_use,
                limits,
                decision,
                geometry,
            })
        }
        _ => None,
    };
    ParsedFeature { code: raw_code, name, item: zone, problems }
}

/// The zone's own decision, or the layer's when the feature names none. A number without a
/// date (or the reverse) is a problem: the two identify a decision together.
fn zone_decision(
    props: &Map<String, Value>,
    layer: &PlanningLayer,
    f: &ZoneFields,
    problems: &mut Vec<FeatureProblem>,
) -> Option<Decision> {
    let number = optional_text(props, &f.decision_number, problems);
    let date = optional_text(props, &f.decision_date, problems);
    match (number, date) {
        (None, None) => Some(layer.decision.clone()),
        (Some(_), None) => {
            problems.push(FeatureProblem::MissingField { field: f.decision_date.clone() });
            None
        }
        (None, Some(_)) => {
            problems.push(FeatureProblem::MissingField { field: f.decision_number.clone() });
            None
        }
        (Some(n), Some(d)) => {
            let date: Option<NaiveDate> = Decision::parse_date(&d, &f.decision_date)
                .map_err(|e| problems.push(invalid(&f.decision_date, e)))
                .ok();
            date.and_then(|date| {
                Decision::new(&n, date, "").map_err(|e| problems.push(invalid(&f.decision_number, e))).ok()
            })
        }
    }
}

/// An optional text property: absent or blank is `None`.
fn optional_text(props: &Map<String, Value>, field: &str, problems: &mut Vec<FeatureProblem>) -> Option<String> {
    match text(Some(props), field) {
        Ok(t) => Some(t),
        Err(FeatureProblem::MissingField { .. } | FeatureProblem::EmptyField { .. }) => None,
        Err(p) => {
            problems.push(p);
            None
        }
    }
}

/// An optional number: a JSON number, or text with a decimal point or comma ("4,5"); absent,
/// null or blank is `None`.
fn optional_number(props: &Map<String, Value>, field: &str) -> Result<Option<f64>, FeatureProblem> {
    let bad = || FeatureProblem::Invalid { field: field.to_owned(), message: "must be a number".into() };
    match props.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_f64().map(Some).ok_or_else(bad),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().replace(',', ".").parse::<f64>().map(Some).map_err(|_| bad()),
        Some(_) => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_may_be_text_with_a_decimal_comma() {
        let props: Map<String, Value> =
            serde_json::from_str(r#"{"a": 4.5, "b": "4,5", "c": " ", "d": "cao", "e": true, "f": null}"#).unwrap();
        assert_eq!(optional_number(&props, "a").unwrap(), Some(4.5));
        assert_eq!(optional_number(&props, "b").unwrap(), Some(4.5));
        assert_eq!(optional_number(&props, "c").unwrap(), None);
        assert_eq!(optional_number(&props, "f").unwrap(), None);
        assert_eq!(optional_number(&props, "missing").unwrap(), None);
        assert!(optional_number(&props, "d").is_err());
        assert!(optional_number(&props, "e").is_err());
    }
}
