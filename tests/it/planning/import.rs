//! What a planner importing a GeoJSON file sees: which zones come in, and which features are
//! refused, each naming the feature, the property and the reason.

use chrono::{NaiveDate, TimeZone, Utc};
use switchboard::domain::LandUse;
use switchboard::import::{
    FeatureProblem, GeometryError, ImportError, ImportPlanningOptions, ZoneFields, parse_planning,
};

pub fn fixture() -> String {
    let path = format!("{}/tests/fixtures/planning/zones.geojson", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The field names of the fixture (Vietnamese DBF-style).
pub fn options() -> ImportPlanningOptions {
    let mut fields = ZoneFields::default();
    for f in [
        "code=MA_KHU",
        "name=TEN",
        "land_use=LOAI_DAT",
        "max_height_m=TANG_CAO",
        "building_density_pct=MDXD",
        "far=HSSDD",
        "decision_number=SO_QD",
        "decision_date=NGAY_QD",
    ] {
        fields.set(f).unwrap();
    }
    ImportPlanningOptions { fields, ..ImportPlanningOptions::default() }
}

#[test]
fn good_zones_come_in_with_their_attributes_and_the_layers_decision() {
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    let parsed = parse_planning(&fixture(), &options(), at).unwrap();
    assert_eq!(parsed.layer.code.as_str(), "HC-QHPK-01");
    assert_eq!(parsed.layer.decision.date, NaiveDate::from_ymd_opt(2023, 4, 14).unwrap());
    assert_eq!(parsed.features, 7);
    let codes: Vec<&str> = parsed.zones.iter().map(|z| z.code.as_str()).collect();
    assert_eq!(codes, ["ODT-01", "CX-01"]);

    let housing = &parsed.zones[0];
    assert_eq!((housing.land_use, housing.name.as_deref()), (LandUse::Residential, Some("Khu dân cư Phước Ninh")));
    assert_eq!(
        (housing.limits.max_height_m, housing.limits.building_density_pct, housing.limits.far),
        (Some(27.0), Some(70.0), Some(3.5)),
        "numbers as text, with a decimal comma"
    );
    assert_eq!(housing.decision.number, "1287/QĐ-UBND", "no decision of its own: the layer's");
    let park = &parsed.zones[1];
    assert_eq!(park.land_use, LandUse::GreenSpace);
    assert_eq!(park.limits.max_height_m, None);
    assert_eq!(
        (park.decision.number.as_str(), park.decision.date.to_string().as_str()),
        ("1625/QĐ-UBND", "2024-06-18")
    );
}

#[test]
fn bad_features_are_reported_by_index_code_and_property() {
    let parsed = parse_planning(&fixture(), &options(), Utc::now()).unwrap();
    let of = |i: usize| parsed.errors.iter().filter(|e| e.index == i).collect::<Vec<_>>();

    let bad = of(2);
    assert_eq!(bad.iter().map(|e| e.field()).collect::<Vec<_>>(), [Some("LOAI_DAT"), Some("TANG_CAO"), None]);
    assert!(matches!(bad[2].problem, FeatureProblem::Geometry(GeometryError::TooFewPositions { .. })), "{:?}", bad[2]);
    assert!(
        bad[0].to_string().starts_with("feature #2 (code XX-01): property \"LOAI_DAT\": unknown land use \"farm\""),
        "{}",
        bad[0]
    );

    let no_code = of(3);
    assert_eq!(no_code.iter().map(|e| e.field()).collect::<Vec<_>>(), [Some("MA_KHU"), Some("HSSDD")]);
    assert!(matches!(no_code[0].problem, FeatureProblem::MissingField { .. }));

    assert!(matches!(of(4)[0].problem, FeatureProblem::DuplicateCode { first_index: 0, .. }));
    let undated = of(5);
    assert!(undated.iter().any(|e| e.field() == Some("NGAY_QD")), "a decision number without its date: {undated:?}");
    assert!(
        undated.iter().any(|e| matches!(e.problem, FeatureProblem::Geometry(GeometryError::SelfIntersection { .. })))
    );
    assert!(matches!(of(6)[0].problem, FeatureProblem::Geometry(GeometryError::WrongType(_))));
}

#[test]
fn a_layer_without_a_decision_or_a_file_that_is_no_collection_is_refused_whole() {
    let no_layer = fixture().replacen("\"layer\"", "\"not_the_layer\"", 1);
    let err = parse_planning(&no_layer, &options(), Utc::now()).unwrap_err();
    assert!(matches!(err, ImportError::Options(ref m) if m.contains("--layer")), "{err}");
    let mut flags = options();
    flags.layer.code = Some("X".into());
    flags.layer.name = Some("Kế hoạch".into());
    flags.layer.decision_number = Some("1/QĐ-UBND".into());
    let err = parse_planning(&no_layer, &flags, Utc::now()).unwrap_err();
    assert!(err.to_string().contains("--decision-date"), "{err}");
    assert!(matches!(parse_planning("[]", &options(), Utc::now()).unwrap_err(), ImportError::NotFeatureCollection(_)));
}
