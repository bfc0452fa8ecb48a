//! `switchboard import`: reference data from GIS files (areas, planning zones, cameras) and the
//! procedures catalogue. Each
//! refused feature is printed on stderr and makes the command fail after the good ones are in.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::{Db, report_errors};
use crate::import::{ImportError, ImportPlanningOptions, LayerInfo, ZoneFields};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import administrative boundaries from a GeoJSON FeatureCollection.
    Areas {
        file: PathBuf,
        /// The level of these areas (e.g. district, ward, commune).
        #[arg(long)]
        level: String,
        /// Property holding the area code.
        #[arg(long)]
        code_field: String,
        /// Property holding the (Vietnamese) name.
        #[arg(long)]
        name_field: String,
        /// Property holding the English / unaccented name.
        #[arg(long)]
        name_en_field: Option<String>,
        /// Property holding the parent area's code.
        #[arg(long)]
        parent_field: Option<String>,
        /// Prefix added to codes (and parent codes), e.g. `VN-`.
        #[arg(long)]
        code_prefix: Option<String>,
        /// Property holding the number of residents (e.g. `population`, `dan_so`).
        #[arg(long)]
        population_field: Option<String>,
        /// The boundaries apply from this RFC 3339 instant (default: now).
        #[arg(long)]
        valid_from: Option<String>,
        #[command(flatten)]
        db: Db,
    },
    /// Import (replace) a planning layer's zones from GeoJSON, a Shapefile (.shp) or a GeoPackage (.gpkg).
    Planning {
        file: PathBuf,
        #[command(flatten)]
        flags: PlanningFlags,
        #[command(flatten)]
        db: Db,
    },
    /// Import cameras from a GeoJSON FeatureCollection of points (docs/cameras.md).
    Cameras {
        file: PathBuf,
        /// Base URL that relative `source` properties are resolved against.
        #[arg(long)]
        source_base: Option<String>,
        #[command(flatten)]
        db: Db,
    },
    /// Import the procedures catalogue (thủ tục hành chính) from JSON, CSV or XLSX
    /// (docs/procedures.md): procedures are added or replaced by code, all or none.
    Procedures {
        file: PathBuf,
        /// The file is the whole catalogue: remove the procedures it does not hold.
        #[arg(long)]
        whole: bool,
        #[command(flatten)]
        db: Db,
    },
    /// Import (add or replace) offices from a JSON list, as `PUT /api/v1/offices/{id}` takes
    /// them (docs/appointments.md; the demo city's: geodata/danang/offices.json). All or nothing.
    Offices {
        file: PathBuf,
        #[command(flatten)]
        db: Db,
    },
}

/// The layer's description and the zones' property names of `import planning`.
#[derive(Debug, Clone, Default, Args)]
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
    /// The importer's options (an unknown `--field` key is refused).
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

/// Runs one import and prints what was imported and what was refused.
pub async fn run(command: ImportCommand) -> anyhow::Result<ExitCode> {
    match command {
        ImportCommand::Areas {
            file,
            level,
            code_field,
            name_field,
            name_en_field,
            parent_field,
            code_prefix,
            population_field,
            valid_from,
            db,
        } => {
            let valid_from = match valid_from {
                Some(v) => chrono::DateTime::parse_from_rfc3339(&v)
                    .map_err(|e| anyhow::anyhow!("--valid-from: {e}"))?
                    .with_timezone(&chrono::Utc),
                None => chrono::Utc::now(),
            };
            let s = db.settings()?;
            let store = crate::store::open(s.database_url.as_deref()).await?;
            let opts = crate::import::areas::ImportAreasOptions {
                level,
                code_field,
                name_field,
                name_en_field,
                parent_field,
                valid_from,
                code_prefix,
                population_field,
            };
            let report = crate::import::areas::import_areas(store.as_ref(), &file, &opts, true).await?;
            let code = report_errors(&report.errors);
            println!("imported {} areas, {} features refused", report.imported, report.errors.len());
            Ok(code)
        }
        ImportCommand::Planning { file, flags, db } => {
            let store = crate::store::open(db.settings()?.database_url.as_deref()).await?;
            let report = crate::import::import_planning(store.as_ref(), &file, &flags.options()?, true).await?;
            let code = report_errors(&report.errors);
            println!(
                "layer {}: {} zones imported, {} features refused",
                report.layer,
                report.imported,
                report.errors.len()
            );
            Ok(code)
        }
        ImportCommand::Cameras { file, source_base, db } => {
            let base = source_base
                .map(|b| url::Url::parse(&b).map_err(|e| anyhow::anyhow!("--source-base: {e}")))
                .transpose()?;
            let text =
                std::fs::read_to_string(&file).map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))?;
            let svc = db.services().await?;
            let report = crate::import::cameras::import_cameras(&svc.cameras, &text, base.as_ref()).await?;
            let code = report_errors(&report.errors);
            println!("imported {} cameras, {} features refused", report.imported, report.errors.len());
            Ok(code)
        }
        ImportCommand::Procedures { file, whole, db } => {
            use crate::service::procedures::parse::{self, Format};
            let name = file.display().to_string();
            let format = Format::from_name(&name)
                .ok_or_else(|| anyhow::anyhow!("{name}: the file must end in .json, .csv or .xlsx"))?;
            let bytes = std::fs::read(&file).map_err(|e| anyhow::anyhow!("reading {name}: {e}"))?;
            let procedures = match parse::parse(&bytes, format) {
                Ok(p) => p,
                Err(errs) => {
                    report_errors(
                        &errs.0.iter().map(|e| format!("{name}: {}: {}", e.field, e.message)).collect::<Vec<_>>(),
                    );
                    eprintln!("nothing was imported");
                    return Ok(ExitCode::FAILURE);
                }
            };
            let store = crate::store::open(db.settings()?.database_url.as_deref()).await?;
            let done = store.import_procedures(&procedures, whole, chrono::Utc::now()).await?;
            println!(
                "procedures: {} added, {} updated, {} removed (catalogue revision {})",
                done.added, done.updated, done.removed, done.revision
            );
            Ok(ExitCode::SUCCESS)
        }
        ImportCommand::Offices { file, db } => {
            let name = file.display().to_string();
            let bytes = std::fs::read(&file).map_err(|e| anyhow::anyhow!("reading {name}: {e}"))?;
            let offices: Vec<crate::domain::Office> = serde_json::from_slice(&bytes)
                .map_err(|e| anyhow::anyhow!("{name}: not a JSON list of offices: {e}"))?;
            let mut faults = Vec::new();
            for (i, o) in offices.iter().enumerate() {
                if let Err(errs) = o.clone().validate() {
                    faults.extend(errs.0.iter().map(|e| format!("{name}: [{i}] {}: {}: {}", o.id, e.field, e.message)));
                }
            }
            if !faults.is_empty() {
                report_errors(&faults);
                eprintln!("nothing was imported");
                return Ok(ExitCode::FAILURE);
            }
            let svc = db.services().await?;
            for (i, o) in offices.iter().enumerate() {
                for s in &o.services {
                    for code in &s.procedures {
                        if svc.procedures.procedure(code).await.is_none() {
                            faults.push(format!(
                                "{name}: [{i}] {}: service {}: {code} is not in the procedures catalogue",
                                o.id, s.id
                            ));
                        }
                    }
                }
            }
            if !faults.is_empty() {
                report_errors(&faults);
                eprintln!("nothing was imported");
                return Ok(ExitCode::FAILURE);
            }
            let admin = crate::domain::Principal::ApiKey { name: "cli".into(), role: crate::domain::Role::Admin };
            for o in &offices {
                if let Err(e) = svc.appointments.put_office(&admin, o.id.as_str(), o.clone()).await {
                    eprintln!("{name}: {}: {e}", o.id);
                    return Ok(ExitCode::FAILURE);
                }
            }
            println!("offices: {} added or replaced", offices.len());
            Ok(ExitCode::SUCCESS)
        }
    }
}
