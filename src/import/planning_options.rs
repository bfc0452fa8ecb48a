//! The options of `switchboard import planning`: which property holds which zone attribute,
//! and the layer's description (flags over the file's `"layer"` member).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::error::ImportError;
use crate::domain::{Decision, PlanningLayer, PlanningLayerCode, ValidationErrors};

/// Which property holds each attribute of a zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneFields {
    pub code: String,
    pub name: String,
    pub land_use: String,
    pub max_height_m: String,
    pub building_density_pct: String,
    pub far: String,
    pub decision_number: String,
    pub decision_date: String,
}

impl Default for ZoneFields {
    fn default() -> Self {
        Self {
            code: "code".into(),
            name: "name".into(),
            land_use: "land_use".into(),
            max_height_m: "max_height_m".into(),
            building_density_pct: "building_density_pct".into(),
            far: "far".into(),
            decision_number: "decision_number".into(),
            decision_date: "decision_date".into(),
        }
    }
}

impl ZoneFields {
    /// Applies `KEY=PROP` (e.g. `land_use=LOAI_DAT`); the keys are the default names.
    pub fn set(&mut self, assignment: &str) -> Result<(), ImportError> {
        let (key, prop) = assignment
            .split_once('=')
            .map(|(k, p)| (k.trim(), p.trim()))
            .filter(|(_, p)| !p.is_empty())
            .ok_or_else(|| ImportError::Options(format!("--field {assignment:?}: write KEY=PROPERTY")))?;
        let slot = match key {
            "code" => &mut self.code,
            "name" => &mut self.name,
            "land_use" => &mut self.land_use,
            "max_height_m" => &mut self.max_height_m,
            "building_density_pct" => &mut self.building_density_pct,
            "far" => &mut self.far,
            "decision_number" => &mut self.decision_number,
            "decision_date" => &mut self.decision_date,
            other => {
                return Err(ImportError::Options(format!(
                    "--field {other}=…: the keys are code, name, land_use, max_height_m, building_density_pct, far, \
                     decision_number, decision_date"
                )));
            }
        };
        *slot = prop.to_owned();
        Ok(())
    }
}

/// The layer's description as given on the command line; each part overrides the file's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerInfo {
    pub code: Option<String>,
    pub name: Option<String>,
    pub name_en: Option<String>,
    pub decision_number: Option<String>,
    /// `YYYY-MM-DD` or `DD/MM/YYYY`.
    pub decision_date: Option<String>,
}

impl LayerInfo {
    /// Reads the `"layer"` member of a FeatureCollection (anything but an object is ignored).
    pub(super) fn from_member(member: Option<&Value>) -> Self {
        let get = |k: &str| member.and_then(|m| m.get(k)).and_then(Value::as_str).map(str::to_owned);
        Self {
            code: get("code"),
            name: get("name"),
            name_en: get("name_en"),
            decision_number: get("decision_number"),
            decision_date: get("decision_date"),
        }
    }

    /// `self` where given, else `file`.
    pub(super) fn over(self, file: LayerInfo) -> Self {
        Self {
            code: self.code.or(file.code),
            name: self.name.or(file.name),
            name_en: self.name_en.or(file.name_en),
            decision_number: self.decision_number.or(file.decision_number),
            decision_date: self.decision_date.or(file.decision_date),
        }
    }

    /// The layer, or what is missing or wrong (naming the flag).
    pub(super) fn into_layer(self, imported_at: DateTime<Utc>) -> Result<PlanningLayer, ImportError> {
        let need = |v: Option<String>, flag: &str| {
            v.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
                ImportError::Options(format!(
                    "the layer needs --{flag} (or \"{}\" in the file's \"layer\")",
                    flag.replace("layer-", "").replace('-', "_")
                ))
            })
        };
        let code = need(self.code, "layer")?;
        let name = need(self.name, "layer-name")?;
        let name_en =
            self.name_en.filter(|s| !s.trim().is_empty()).unwrap_or_else(|| super::properties::fold_diacritics(&name));
        let number = need(self.decision_number, "decision-number")?;
        let date = need(self.decision_date, "decision-date")?;
        let bad = |flag: &str, e: ValidationErrors| {
            ImportError::Options(format!(
                "--{flag}: {}",
                e.0.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("; ")
            ))
        };
        let code = PlanningLayerCode::parse(code.trim(), "layer").map_err(|e| bad("layer", e))?;
        let date = Decision::parse_date(&date, "decision_date").map_err(|e| bad("decision-date", e))?;
        let decision = Decision::new(&number, date, "decision_").map_err(|e| bad("decision-number", e))?;
        PlanningLayer::new(code, &name, &name_en, decision, imported_at).map_err(|e| bad("layer-name", e))
    }
}

/// How to read a planning file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlanningOptions {
    pub layer: LayerInfo,
    pub fields: ZoneFields,
    /// The GeoPackage table to read, when the file has several feature tables.
    pub table: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_assignments_rename_properties_and_refuse_unknown_keys() {
        let mut f = ZoneFields::default();
        f.set("land_use=LOAI_DAT").unwrap();
        f.set(" far = HSSDD ").unwrap();
        assert_eq!((f.land_use.as_str(), f.far.as_str()), ("LOAI_DAT", "HSSDD"));
        assert!(f.set("colour=MAU").is_err());
        assert!(f.set("land_use").is_err());
        assert!(f.set("land_use=").is_err());
    }

    #[test]
    fn the_layer_needs_a_code_name_and_decision_naming_the_flag() {
        let file = LayerInfo {
            code: Some("DN-QHPK-TT".into()),
            name: Some("Quy hoạch phân khu trung tâm".into()),
            decision_number: Some("1287/QĐ-UBND".into()),
            decision_date: Some("14/04/2023".into()),
            ..LayerInfo::default()
        };
        let layer = LayerInfo::default().over(file.clone()).into_layer(Utc::now()).unwrap();
        assert_eq!(layer.name_en, "Quy hoach phan khu trung tam");
        let cli = LayerInfo { code: Some("DN-QHPK-HC".into()), ..LayerInfo::default() };
        assert_eq!(cli.over(file.clone()).into_layer(Utc::now()).unwrap().code.as_str(), "DN-QHPK-HC");
        let err = LayerInfo { decision_date: None, ..file.clone() }.into_layer(Utc::now()).unwrap_err();
        assert!(err.to_string().contains("--decision-date"), "{err}");
        let err = LayerInfo { code: Some("bad code".into()), ..file }.into_layer(Utc::now()).unwrap_err();
        assert!(err.to_string().contains("--layer"), "{err}");
    }
}
