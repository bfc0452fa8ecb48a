//! Categories (service types) of citizen reports, grouped by field.

use serde::{Deserialize, Serialize};

use super::attribute::ServiceAttribute;
use super::code::code_newtype;

code_newtype!(
    /// Stable code of a category, e.g. `garbage`, `noise-karaoke`.
    CategoryCode
);

/// The field (lĩnh vực) a category belongs to; leaders break statistics down by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Môi trường & vệ sinh
    Environment,
    /// Tiếng ồn
    Noise,
    /// Trật tự đô thị
    UrbanOrder,
    /// Hạ tầng
    Infrastructure,
    /// Giao thông
    Traffic,
    /// Xây dựng
    Construction,
    /// Đất đai
    Land,
    /// Thủ tục hành chính
    AdministrativeProcedures,
    /// An ninh trật tự
    SecurityOrder,
    /// Khác
    Other,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Environment,
        Field::Noise,
        Field::UrbanOrder,
        Field::Infrastructure,
        Field::Traffic,
        Field::Construction,
        Field::Land,
        Field::AdministrativeProcedures,
        Field::SecurityOrder,
        Field::Other,
    ];

    /// Vietnamese and English display names.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Field::Environment => ("Môi trường & vệ sinh", "Environment & sanitation"),
            Field::Noise => ("Tiếng ồn", "Noise"),
            Field::UrbanOrder => ("Trật tự đô thị", "Urban order"),
            Field::Infrastructure => ("Hạ tầng kỹ thuật", "Infrastructure"),
            Field::Traffic => ("Giao thông", "Traffic"),
            Field::Construction => ("Xây dựng", "Construction"),
            Field::Land => ("Đất đai", "Land"),
            Field::AdministrativeProcedures => ("Thủ tục hành chính", "Administrative procedures"),
            Field::SecurityOrder => ("An ninh trật tự", "Security & order"),
            Field::Other => ("Khác", "Other"),
        }
    }
}

/// A category citizens can report under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Category {
    pub code: CategoryCode,
    pub field: Field,
    /// Vietnamese name (shown first).
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Working days to settle a ticket of this category; `None` means the city default (7).
    #[serde(default)]
    pub deadline_days: Option<u32>,
    /// Extra questions a report of this category answers (Open311 service definition).
    #[serde(default)]
    pub attributes: Vec<ServiceAttribute>,
}
