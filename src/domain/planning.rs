//! Planning maps: a [`PlanningLayer`] is one approved plan (e.g. a zonal plan of the city
//! centre), made of [`PlanningZone`]s, each a land-use zone with its limits: maximum height,
//! building density and floor-area ratio, and the decision that approved it.
//!
//! Values are checked once, here ([`PlanningZone::new`], [`PlanningLayer::new`]); every error
//! names the field at fault, so an importer can report it per feature. Geometry is a
//! `MultiPolygon` in EPSG:4326 (lon/lat); its topology is checked by the importer
//! (`crate::import::geometry`), like an area boundary.

use chrono::{DateTime, NaiveDate, Utc};
use geo::MultiPolygon;
use serde::{Deserialize, Serialize};

use super::code::code_newtype;
use super::error::ValidationErrors;

code_newtype!(
    /// Code of a planning layer, e.g. `DN-QHPK-TT` (the zonal plan of Đà Nẵng's centre).
    PlanningLayerCode
);

code_newtype!(
    /// Code of a zone, unique within its layer, e.g. `HC-ODT-012` (Hải Châu, urban housing, 12).
    ZoneCode
);

/// What a zone is planned for: the seven kinds of Vietnamese zonal plans, and `other`
/// (defence, security, religious land, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LandUse {
    /// Đất ở: housing.
    Residential,
    /// Đất thương mại, dịch vụ: shops, offices, hotels.
    Commercial,
    /// Đất hỗn hợp: housing with shops and services.
    Mixed,
    /// Đất cây xanh: parks, squares, beaches, forest.
    GreenSpace,
    /// Đất công trình công cộng: schools, hospitals, offices of the state, culture, sport.
    PublicFacility,
    /// Đất giao thông: roads, squares for traffic, stations, the airport, ports.
    Transport,
    /// Mặt nước: rivers, lakes, canals.
    Water,
    /// Anything else (đất khác).
    Other,
}

impl LandUse {
    pub const ALL: [LandUse; 8] = [
        LandUse::Residential,
        LandUse::Commercial,
        LandUse::Mixed,
        LandUse::GreenSpace,
        LandUse::PublicFacility,
        LandUse::Transport,
        LandUse::Water,
        LandUse::Other,
    ];

    /// The snake_case name used in the API and in files, e.g. `green_space`.
    pub fn as_str(self) -> &'static str {
        match self {
            LandUse::Residential => "residential",
            LandUse::Commercial => "commercial",
            LandUse::Mixed => "mixed",
            LandUse::GreenSpace => "green_space",
            LandUse::PublicFacility => "public_facility",
            LandUse::Transport => "transport",
            LandUse::Water => "water",
            LandUse::Other => "other",
        }
    }

    /// The symbol Vietnamese plans print on the map (Circular 01/2021/TT-BXD usage):
    /// `ODT`, `TMDV`, `HH`, `CX`, `CC`, `GT`, `MN`, `K`.
    pub fn symbol(self) -> &'static str {
        match self {
            LandUse::Residential => "ODT",
            LandUse::Commercial => "TMDV",
            LandUse::Mixed => "HH",
            LandUse::GreenSpace => "CX",
            LandUse::PublicFacility => "CC",
            LandUse::Transport => "GT",
            LandUse::Water => "MN",
            LandUse::Other => "K",
        }
    }

    /// The legend label in Vietnamese.
    pub fn label_vi(self) -> &'static str {
        match self {
            LandUse::Residential => "Đất ở",
            LandUse::Commercial => "Đất thương mại, dịch vụ",
            LandUse::Mixed => "Đất hỗn hợp",
            LandUse::GreenSpace => "Đất cây xanh",
            LandUse::PublicFacility => "Đất công trình công cộng",
            LandUse::Transport => "Đất giao thông",
            LandUse::Water => "Mặt nước",
            LandUse::Other => "Đất khác",
        }
    }

    /// The legend label in English.
    pub fn label_en(self) -> &'static str {
        match self {
            LandUse::Residential => "Residential",
            LandUse::Commercial => "Commercial and services",
            LandUse::Mixed => "Mixed use",
            LandUse::GreenSpace => "Green space",
            LandUse::PublicFacility => "Public facilities",
            LandUse::Transport => "Transport",
            LandUse::Water => "Water",
            LandUse::Other => "Other",
        }
    }

    /// The fill colour on the map, after the colours Vietnamese plans use (housing yellow,
    /// commerce and public works reds, green, water blue, roads grey).
    pub fn colour(self) -> &'static str {
        match self {
            LandUse::Residential => "#f6d45c",
            LandUse::Commercial => "#e8698a",
            LandUse::Mixed => "#e39b4f",
            LandUse::GreenSpace => "#6cbf5b",
            LandUse::PublicFacility => "#c8423b",
            LandUse::Transport => "#b8b8b8",
            LandUse::Water => "#6fb7e0",
            LandUse::Other => "#b49ad6",
        }
    }

    /// Reads a land use as files write it: the snake_case name (`green_space`, also with
    /// spaces or hyphens), the map symbol (`CX`; `TMD` too), the English or Vietnamese legend
    /// label with or without diacritics (`Đất cây xanh`, `cay xanh`). Case is ignored. The error
    /// names `field`.
    pub fn parse(s: &str, field: &str) -> Result<Self, ValidationErrors> {
        let key = fold_key(s);
        LandUse::ALL
            .into_iter()
            .find(|l| {
                key == l.as_str()
                    || key == fold_key(l.symbol())
                    || key == fold_key(l.label_vi())
                    || key == fold_key(l.label_en())
                    || l.aliases().contains(&key.as_str())
            })
            .ok_or_else(|| {
                ValidationErrors::single(
                    field,
                    format!(
                        "unknown land use {s:?}: use one of {} (or the symbols {})",
                        LandUse::ALL.map(LandUse::as_str).join(", "),
                        LandUse::ALL.map(LandUse::symbol).join(", ")
                    ),
                )
            })
    }

    /// Other spellings seen in planning files, as [`fold_key`] writes them.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            LandUse::Residential => &["o", "o_do_thi", "dat_o_do_thi", "housing"],
            LandUse::Commercial => &["tmd", "thuong_mai_dich_vu", "thuong_mai", "dich_vu"],
            LandUse::Mixed => &["hon_hop", "mixed_use"],
            LandUse::GreenSpace => &["cay_xanh", "green", "park"],
            LandUse::PublicFacility => &["cong_cong", "cong_trinh_cong_cong", "public"],
            LandUse::Transport => &["giao_thong"],
            LandUse::Water => &["song", "ho", "mnc", "son"],
            LandUse::Other => &["khac"],
        }
    }
}

/// Lower-case ASCII words joined by `_`, without Vietnamese diacritics (đ → d):
/// "Đất cây xanh" → `dat_cay_xanh`, "green-space" → `green_space`.
fn fold_key(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(s.len());
    for c in s.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)) {
        let c = if c == 'đ' || c == 'Đ' { 'd' } else { c };
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

/// The decision that approved a plan or a zone: its number as printed ("1287/QĐ-UBND") and
/// its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    /// E.g. "1287/QĐ-UBND": 1–64 characters, with a digit, no control characters.
    pub number: String,
    /// The day it was signed.
    pub date: NaiveDate,
}

impl Decision {
    /// Checks the number; errors name `{prefix}number`.
    pub fn new(number: &str, date: NaiveDate, prefix: &str) -> Result<Self, ValidationErrors> {
        let number = number.trim();
        if number.is_empty()
            || number.chars().count() > 64
            || number.chars().any(char::is_control)
            || !number.chars().any(|c| c.is_ascii_digit())
        {
            return Err(ValidationErrors::single(
                format!("{prefix}number"),
                "a decision number such as 1287/QĐ-UBND (1-64 characters, with its number)",
            ));
        }
        Ok(Self { number: number.to_owned(), date })
    }

    /// Parses a date written `YYYY-MM-DD` or, as Vietnamese documents do, `DD/MM/YYYY`.
    pub fn parse_date(s: &str, field: &str) -> Result<NaiveDate, ValidationErrors> {
        let s = s.trim();
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
            .map_err(|_| ValidationErrors::single(field, "a date as YYYY-MM-DD or DD/MM/YYYY"))
    }
}

/// One approved plan, shown as one layer of the planning map.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanningLayer {
    pub code: PlanningLayerCode,
    /// Vietnamese name, e.g. "Quy hoạch phân khu khu vực trung tâm".
    pub name: String,
    /// English name.
    pub name_en: String,
    /// The decision approving the plan; a zone may carry a later one (an amendment).
    pub decision: Decision,
    /// When the layer was last imported (set by the importer, kept to the microsecond).
    pub imported_at: DateTime<Utc>,
}

impl PlanningLayer {
    /// Checks the names (1–200 characters each); errors name `name` / `name_en`.
    pub fn new(
        code: PlanningLayerCode,
        name: &str,
        name_en: &str,
        decision: Decision,
        imported_at: DateTime<Utc>,
    ) -> Result<Self, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let name = errs.take(short_text(name, "name", 200));
        let name_en = errs.take(short_text(name_en, "name_en", 200));
        errs.into_result()?;
        Ok(Self { code, name: name.expect("checked"), name_en: name_en.expect("checked"), decision, imported_at })
    }
}

/// The limits a zone is planned with. Each is optional: water and roads have none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ZoneLimits {
    /// Highest building allowed, metres above ground (0–1 000).
    pub max_height_m: Option<f64>,
    /// Share of the lot that buildings may cover, percent (0–100).
    pub building_density_pct: Option<f64>,
    /// Floor-area ratio (hệ số sử dụng đất): total floor area over lot area (0–100).
    pub far: Option<f64>,
}

impl ZoneLimits {
    /// Checks each limit's range; errors name the field.
    pub fn new(
        max_height_m: Option<f64>,
        building_density_pct: Option<f64>,
        far: Option<f64>,
    ) -> Result<Self, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let mut check = |v: Option<f64>, field: &str, max: f64, what: &str| {
            if v.is_some_and(|x| !x.is_finite() || !(0.0..=max).contains(&x)) {
                errs.push(field, format!("{what} must be a number from 0 to {max}"));
            }
        };
        check(max_height_m, "max_height_m", 1000.0, "the maximum height in metres");
        check(building_density_pct, "building_density_pct", 100.0, "the building density in percent");
        check(far, "far", 100.0, "the floor-area ratio");
        errs.into_result().map(|_| Self { max_height_m, building_density_pct, far })
    }
}

/// One land-use zone of a planning layer.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanningZone {
    pub layer: PlanningLayerCode,
    /// Unique within the layer.
    pub code: ZoneCode,
    /// A name, when the plan gives one ("Công viên Biển Đông").
    pub name: Option<String>,
    pub land_use: LandUse,
    pub limits: ZoneLimits,
    /// The decision this zone was approved by: the layer's, or a later amendment.
    pub decision: Decision,
    /// EPSG:4326, lon/lat order.
    pub geometry: MultiPolygon<f64>,
}

impl PlanningZone {
    /// The zone's `id` across layers: `{layer}:{code}` (neither code contains a colon).
    pub fn id(&self) -> String {
        format!("{}:{}", self.layer, self.code)
    }

    /// Checks the name (at most 200 characters; blank means none); errors name `name`.
    pub fn check_name(name: Option<&str>) -> Result<Option<String>, ValidationErrors> {
        match name.map(str::trim).filter(|n| !n.is_empty()) {
            None => Ok(None),
            Some(n) => short_text(n, "name", 200).map(Some),
        }
    }
}

fn short_text(s: &str, field: &str, max: usize) -> Result<String, ValidationErrors> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > max || s.chars().any(char::is_control) {
        return Err(ValidationErrors::single(field, format!("1-{max} characters of text")));
    }
    Ok(s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn land_use_reads_names_symbols_and_vietnamese_labels() {
        let cases = [
            ("residential", LandUse::Residential),
            ("ODT", LandUse::Residential),
            ("Đất ở", LandUse::Residential),
            ("green space", LandUse::GreenSpace),
            ("green-space", LandUse::GreenSpace),
            ("Đất cây xanh", LandUse::GreenSpace),
            ("cay xanh", LandUse::GreenSpace),
            ("TMD", LandUse::Commercial),
            ("tmdv", LandUse::Commercial),
            ("Đất thương mại, dịch vụ", LandUse::Commercial),
            ("HH", LandUse::Mixed),
            ("public_facility", LandUse::PublicFacility),
            ("Đất công trình công cộng", LandUse::PublicFacility),
            ("GT", LandUse::Transport),
            ("Mặt nước", LandUse::Water),
            ("MN", LandUse::Water),
            ("other", LandUse::Other),
        ];
        for (text, want) in cases {
            assert_eq!(LandUse::parse(text, "land_use").unwrap(), want, "{text}");
        }
        let err = LandUse::parse("farm", "props.loai_dat").unwrap_err();
        assert_eq!(err.0[0].field, "props.loai_dat");
        assert!(err.0[0].message.contains("green_space"), "{err}");
    }

    #[test]
    fn every_land_use_round_trips_through_its_name_and_symbol() {
        for l in LandUse::ALL {
            assert_eq!(LandUse::parse(l.as_str(), "f").unwrap(), l);
            assert_eq!(LandUse::parse(l.symbol(), "f").unwrap(), l);
            assert_eq!(LandUse::parse(l.label_vi(), "f").unwrap(), l);
            assert_eq!(serde_json::to_value(l).unwrap(), l.as_str());
        }
    }

    #[test]
    fn limits_out_of_range_name_their_field() {
        assert!(ZoneLimits::new(Some(45.0), Some(60.0), Some(4.5)).is_ok());
        assert!(ZoneLimits::new(None, None, None).is_ok());
        let err = ZoneLimits::new(Some(-1.0), Some(120.0), Some(f64::NAN)).unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["max_height_m", "building_density_pct", "far"]);
    }

    #[test]
    fn decisions_need_a_number_and_read_vietnamese_dates() {
        let d = Decision::parse_date("14/04/2023", "decision_date").unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2023, 4, 14).unwrap());
        assert_eq!(Decision::parse_date("2023-04-14", "x").unwrap(), d);
        assert_eq!(Decision::parse_date("April 14", "decision_date").unwrap_err().0[0].field, "decision_date");
        assert_eq!(Decision::new(" 1287/QĐ-UBND ", d, "decision_").unwrap().number, "1287/QĐ-UBND");
        assert_eq!(Decision::new("QĐ-UBND", d, "decision_").unwrap_err().0[0].field, "decision_number");
    }

    #[test]
    fn layers_need_names() {
        let code = PlanningLayerCode::parse("DN-QHPK-TT", "code").unwrap();
        let d = Decision::new("1287/QĐ-UBND", NaiveDate::from_ymd_opt(2023, 4, 14).unwrap(), "").unwrap();
        let err = PlanningLayer::new(code, " ", "Centre", d, Utc::now()).unwrap_err();
        assert_eq!(err.0[0].field, "name");
    }
}
