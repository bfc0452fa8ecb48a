//! The flags of `switchboard import planning` (flattened into the CLI by `main.rs`).

use super::error::ImportError;
use super::planning::{ImportPlanningOptions, LayerInfo, ZoneFields};

#[derive(Debug, Clone, Default, clap::Args)]
pub struct PlanningFlags {
    /// The layer's code, e.g. DN-QHPK-TT (default: the file's "layer" member).
    #[arg(long)]
    pub layer: Option<String>,
    /// The layer's Vietnamese name.
    #[arg(long)]
    pub layer_name: Option<String>,
    /// The layer's English name (default: the Vietnamese one without diacritics).
    #[arg(long)]
    pub layer_name_en: Option<String>,
    /// The number of the decision approving the plan, e.g. 1287/QĐ-UBND.
    #[arg(long)]
    pub decision_number: Option<String>,
    /// The date of that decision, YYYY-MM-DD or DD/MM/YYYY.
    #[arg(long)]
    pub decision_date: Option<String>,
    /// Property names, KEY=PROPERTY (repeatable), e.g. --field land_use=LOAI_DAT. Keys: code, name,
    /// land_use, max_height_m, building_density_pct, far, decision_number, decision_date.
    #[arg(long = "field", value_name = "KEY=PROPERTY")]
    pub fields: Vec<String>,
    /// The GeoPackage table to read, when the file has several.
    #[arg(long)]
    pub table: Option<String>,
}

impl PlanningFlags {
    pub fn options(&self) -> Result<ImportPlanningOptions, ImportError> {
        let mut fields = ZoneFields::default();
        for f in &self.fields {
            fields.set(f)?;
        }
        Ok(ImportPlanningOptions {
            layer: LayerInfo {
                code: self.layer.clone(),
                name: self.layer_name.clone(),
                name_en: self.layer_name_en.clone(),
                decision_number: self.decision_number.clone(),
                decision_date: self.decision_date.clone(),
            },
            fields,
            table: self.table.clone(),
        })
    }
}
