//! `switchboard import areas`: what an operator importing a boundary file sees: which areas come
//! in, and which features are refused with a message naming the feature, the field and the reason.

use chrono::{TimeZone, Utc};
use switchboard::domain::Area;
use switchboard::import::{
    FeatureError, FeatureProblem, GeometryError, ImportAreasOptions, ImportError, RingAt, parse_areas,
};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/areas/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn codes(areas: &[Area]) -> Vec<&str> {
    areas.iter().map(|a| a.code.as_str()).collect()
}

fn district_options() -> ImportAreasOptions {
    ImportAreasOptions {
        name_en_field: Some("ten_khong_dau".into()),
        parent_field: Some("ma_tinh".into()),
        valid_from: Utc.with_ymd_and_hms(2025, 7, 1, 0, 0, 0).unwrap(),
        code_prefix: Some("VN-".into()),
        ..ImportAreasOptions::new("district", "ma_huyen", "ten_huyen")
    }
}

fn mixed_options() -> ImportAreasOptions {
    ImportAreasOptions { parent_field: Some("cha".into()), ..ImportAreasOptions::new("district", "ma", "ten") }
}

/// The errors of one feature.
fn errors_of(errors: &[FeatureError], index: usize) -> Vec<&FeatureProblem> {
    errors.iter().filter(|e| e.index == index).map(|e| &e.problem).collect()
}

#[test]
fn a_valid_file_imports_every_district_with_its_names_parent_and_shape() {
    let parsed = parse_areas(&fixture("danang-districts.geojson"), &district_options()).unwrap();

    assert_eq!(parsed.errors, vec![]);
    assert_eq!(parsed.features, 5);
    // Numeric codes (492) and string codes ("491") both become text, with the prefix.
    assert_eq!(codes(&parsed.areas), ["VN-492", "VN-493", "VN-495", "VN-497", "VN-491"]);

    let names: Vec<(&str, &str)> = parsed.areas.iter().map(|a| (a.name.as_str(), a.name_en.as_str())).collect();
    assert_eq!(
        names,
        [
            ("Hải Châu", "Hai Chau"),
            ("Sơn Trà", "Son Tra"),
            ("Cẩm Lệ", "Cam Le"),
            // No `ten_khong_dau` property: the name is folded to ASCII.
            ("Hoà Vang", "Hoa Vang"),
            ("Thanh Khê", "Thanh Khe"),
        ]
    );
    for area in &parsed.areas {
        assert_eq!(area.parent.as_ref().map(|p| p.as_str()), Some("VN-48"), "{}", area.code);
        assert_eq!(area.level, "district");
        assert_eq!(area.valid_from, Utc.with_ymd_and_hms(2025, 7, 1, 0, 0, 0).unwrap());
        assert_eq!(area.valid_to, None);
    }

    // Polygon → 1 part, MultiPolygon → 2, Polygon with a hole → 1 part with 1 hole,
    // GeometryCollection of 2 polygons → merged into 2 parts.
    let parts: Vec<usize> = parsed.areas.iter().map(|a| a.geometry.0.len()).collect();
    assert_eq!(parts, [1, 2, 1, 2, 1]);
    assert_eq!(parsed.areas[2].geometry.0[0].interiors().len(), 1);
    assert_eq!(parsed.areas[0].geometry.0[0].interiors().len(), 0);

    // Lon/lat order is kept as in the file.
    let first = parsed.areas[0].geometry.0[0].exterior().0[0];
    assert_eq!((first.x, first.y), (108.205, 16.03));
}

#[test]
fn without_a_prefix_the_codes_are_taken_as_they_are() {
    let opts = ImportAreasOptions { code_prefix: None, ..district_options() };
    let parsed = parse_areas(&fixture("danang-districts.geojson"), &opts).unwrap();
    assert_eq!(codes(&parsed.areas), ["492", "493", "495", "497", "491"]);
    assert_eq!(parsed.areas[0].parent.as_ref().unwrap().as_str(), "48");
}

#[test]
fn a_gadm_export_imports_with_its_own_property_names() {
    let opts = ImportAreasOptions {
        name_en_field: Some("VARNAME_3".into()),
        parent_field: Some("GID_2".into()),
        ..ImportAreasOptions::new("ward", "GID_3", "NAME_3")
    };
    let parsed = parse_areas(&fixture("gadm36-layout-wards.geojson"), &opts).unwrap();

    assert_eq!(parsed.errors, vec![]);
    assert_eq!(codes(&parsed.areas), ["VNM.19.1.1_1", "VNM.19.1.2_1", "VNM.19.1.3_1"]);
    let names: Vec<(&str, &str)> = parsed.areas.iter().map(|a| (a.name.as_str(), a.name_en.as_str())).collect();
    // GADM leaves VARNAME_3 empty for Hòa Phát: the folded name stands in.
    assert_eq!(names, [("Hòa An", "Hoa An"), ("Hòa Phát", "Hoa Phat"), ("Khuê Trung", "Khue Trung")]);
    assert!(parsed.areas.iter().all(|a| a.parent.as_ref().unwrap().as_str() == "VNM.19.1_1" && a.level == "ward"));
}

#[test]
fn bad_features_are_reported_by_index_and_field_while_the_good_ones_are_kept() {
    let parsed = parse_areas(&fixture("mixed.geojson"), &mixed_options()).unwrap();

    assert_eq!(parsed.features, 20);
    assert_eq!(codes(&parsed.areas), ["HC", "493", "HV", "LC"]);
    assert_eq!(parsed.areas[0].name, "Hải Châu", "the first HC is kept, not its duplicate");
    assert_eq!(parsed.areas[2].geometry.0.len(), 2, "a collection of polygons is merged");
    assert_eq!(parsed.areas[3].geometry.0[0].interiors().len(), 1);

    let failed: Vec<usize> = {
        let mut v: Vec<usize> = parsed.errors.iter().map(|e| e.index).collect();
        v.dedup();
        v
    };
    assert_eq!(failed, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 19]);

    let ring0 = RingAt { polygon: None, ring: 0 };
    let field = |f: &str| f.to_owned();
    assert_eq!(errors_of(&parsed.errors, 1), [&FeatureProblem::MissingField { field: field("ma") }]);
    assert_eq!(errors_of(&parsed.errors, 2), [&FeatureProblem::EmptyField { field: field("ten") }]);
    assert_eq!(
        errors_of(&parsed.errors, 3),
        [&FeatureProblem::InvalidCode { field: field("ma"), value: "Cẩm Lệ".into() }]
    );
    assert_eq!(errors_of(&parsed.errors, 4), [&FeatureProblem::MissingGeometry]);
    assert_eq!(errors_of(&parsed.errors, 5), [&FeatureProblem::Geometry(GeometryError::WrongType("Point".into()))]);
    assert_eq!(
        errors_of(&parsed.errors, 6),
        [&FeatureProblem::Geometry(GeometryError::WrongType("LineString".into()))]
    );
    assert_eq!(errors_of(&parsed.errors, 7), [&FeatureProblem::Geometry(GeometryError::NotClosed { at: ring0 })]);
    assert_eq!(
        errors_of(&parsed.errors, 8),
        [&FeatureProblem::Geometry(GeometryError::TooFewPositions { at: ring0, count: 3 })]
    );
    assert_eq!(
        errors_of(&parsed.errors, 9),
        [&FeatureProblem::Geometry(GeometryError::BadCoordinate {
            at: ring0,
            index: 0,
            lon: 548000.0,
            lat: 1780000.0
        })]
    );
    assert_eq!(
        errors_of(&parsed.errors, 10),
        [&FeatureProblem::Geometry(GeometryError::SelfIntersection { at: ring0 })]
    );
    assert_eq!(errors_of(&parsed.errors, 11), [&FeatureProblem::DuplicateCode { code: "HC".into(), first_index: 0 }]);
    assert_eq!(errors_of(&parsed.errors, 14), [&FeatureProblem::NotAFeature]);
    // Every problem of a feature is reported, so the file can be fixed in one pass.
    assert_eq!(
        errors_of(&parsed.errors, 15),
        [&FeatureProblem::MissingField { field: field("ten") }, &FeatureProblem::MissingGeometry]
    );
    assert_eq!(errors_of(&parsed.errors, 16), [&FeatureProblem::NotText { field: field("ten"), found: "a boolean" }]);
    assert_eq!(errors_of(&parsed.errors, 17), [&FeatureProblem::OwnParent { field: field("cha") }]);
    assert!(matches!(
        errors_of(&parsed.errors, 19)[..],
        [FeatureProblem::Geometry(GeometryError::WrongType(t))] if t.contains("LineString")
    ));
}

#[test]
fn each_error_line_names_the_feature_its_code_and_name_and_the_field_at_fault() {
    let parsed = parse_areas(&fixture("mixed.geojson"), &mixed_options()).unwrap();
    let line = |index: usize| {
        parsed.errors.iter().filter(|e| e.index == index).map(ToString::to_string).collect::<Vec<_>>().join("\n")
    };

    assert_eq!(
        line(7),
        "feature #7 (code OPEN \"Mở\"): invalid geometry: ring 0 is not closed (its last position differs from its first)"
    );
    assert_eq!(line(1), "feature #1 (\"Thanh Khê\"): missing property \"ma\"");
    assert_eq!(line(2), "feature #2 (code ST): property \"ten\" is empty");
    assert_eq!(
        line(5),
        "feature #5 (code P1 \"Cầu Rồng\"): wrong geometry type: Point is not an area (expected Polygon or MultiPolygon)"
    );
    assert_eq!(
        line(11),
        "feature #11 (code HC \"Hải Châu (bản trùng)\"): duplicate code HC: feature #0 already has it"
    );
    assert_eq!(line(14), "feature #14: not a GeoJSON Feature object");
    assert!(line(9).contains("EPSG:4326"), "{}", line(9));

    let fields: Vec<(usize, Option<&str>)> = parsed.errors.iter().map(|e| (e.index, e.field())).collect();
    assert!(fields.contains(&(3, Some("ma"))));
    assert!(fields.contains(&(17, Some("cha"))));
    assert!(fields.contains(&(10, None)));
}

#[test]
fn a_file_that_is_not_json_is_refused_with_line_and_column() {
    let err = parse_areas(&fixture("broken.geojson"), &mixed_options()).unwrap_err();
    let ImportError::Json { line, column, .. } = &err else { panic!("expected a JSON error, got {err:?}") };
    assert_eq!((*line, *column), (5, 3), "{err}");
    assert!(err.to_string().starts_with("not valid JSON at line 5, column 3: "), "{err}");

    let empty = parse_areas("", &mixed_options()).unwrap_err();
    assert!(matches!(empty, ImportError::Json { line: 1, column: 0, .. }), "{empty}");
}

#[test]
fn json_that_is_not_a_feature_collection_is_refused_saying_what_it_is() {
    let single = parse_areas(&fixture("single-feature.geojson"), &mixed_options()).unwrap_err();
    assert!(matches!(single, ImportError::NotFeatureCollection(_)));
    assert!(single.to_string().contains("single Feature"), "{single}");

    let geometry = parse_areas(r#"{"type": "Polygon", "coordinates": []}"#, &mixed_options()).unwrap_err();
    assert_eq!(geometry.to_string(), "not a GeoJSON FeatureCollection: its \"type\" is \"Polygon\"");

    let array = parse_areas("[1, 2]", &mixed_options()).unwrap_err();
    assert_eq!(array.to_string(), "not a GeoJSON FeatureCollection: the top-level value is an array");

    let no_features = parse_areas(r#"{"type": "FeatureCollection", "features": {}}"#, &mixed_options()).unwrap_err();
    assert_eq!(no_features.to_string(), "not a GeoJSON FeatureCollection: its \"features\" is an object");
}

#[test]
fn an_empty_collection_and_a_byte_order_mark_are_fine() {
    let parsed = parse_areas("\u{feff}{\"type\": \"FeatureCollection\", \"features\": []}", &mixed_options()).unwrap();
    assert_eq!((parsed.features, parsed.areas.len(), parsed.errors.len()), (0, 0, 0));
}

#[test]
fn unusable_options_are_refused_before_reading_the_file() {
    let no_level = ImportAreasOptions::new(" ", "ma", "ten");
    assert!(matches!(parse_areas("{}", &no_level), Err(ImportError::Options(_))));
    let bad_prefix = ImportAreasOptions { code_prefix: Some("Đà Nẵng/".into()), ..mixed_options() };
    assert!(matches!(parse_areas("{}", &bad_prefix), Err(ImportError::Options(_))));
}
