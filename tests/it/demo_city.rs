//! The demo city of Đà Nẵng (`geodata/danang/`): its areas tile the city exactly at every level,
//! real landmarks fall in the right district, and its categories, units and routing rules only
//! reference codes that exist. Geometry is checked with `geo` directly.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use geo::{Area as _, BooleanOps, Intersects, MultiPolygon, Point, Validation, Winding, Within};
use switchboard::demo::{self, DemoCity};
use switchboard::domain::{Area, AreaCode, CategoryCode, Field, routing};

static CITY: LazyLock<DemoCity> = LazyLock::new(|| DemoCity::embedded().expect("the embedded demo city parses"));

fn area(code: &str) -> &'static Area {
    CITY.area(code).unwrap_or_else(|| panic!("no area {code}"))
}

fn level(name: &str) -> Vec<&'static Area> {
    CITY.areas.iter().filter(|a| a.level == name).collect()
}

fn children(parent: &str) -> Vec<&'static Area> {
    CITY.areas.iter().filter(|a| a.parent.as_ref().is_some_and(|p| p.as_str() == parent)).collect()
}

/// Total length of the rings of `areas`, in degrees.
fn boundary_length(areas: &[&Area]) -> f64 {
    let rings = areas.iter().flat_map(|a| &a.geometry).flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
    rings.flat_map(|r| r.lines()).map(|l| l.dx().hypot(l.dy())).sum()
}

/// Children tile a parent: their areas add up to the parent's (relative 1e-9), no two overlap,
/// and their union is the parent. Boolean operations round coordinates internally, so "no
/// overlap" and "no gap" allow slivers 1e-9° (0.1 mm) wide along every border, nothing more.
fn assert_tiles(parent: &Area, kids: &[&Area]) {
    let whole = parent.geometry.unsigned_area();
    let sum: f64 = kids.iter().map(|k| k.geometry.unsigned_area()).sum();
    assert!(((sum - whole) / whole).abs() < 1e-9, "{}: children cover {sum} deg², the area is {whole}", parent.code);
    let sliver = 1e-9 * boundary_length(kids);
    for (i, a) in kids.iter().enumerate() {
        for b in &kids[i + 1..] {
            let overlap = a.geometry.intersection(&b.geometry).unsigned_area();
            assert!(overlap <= sliver, "{} and {} overlap by {overlap} deg²", a.code, b.code);
        }
    }
    let union = kids.iter().fold(MultiPolygon::<f64>::new(vec![]), |acc, k| acc.union(&k.geometry));
    let gap = parent.geometry.difference(&union).unsigned_area();
    let spill = union.difference(&parent.geometry).unsigned_area();
    assert!(gap <= sliver, "{}: its children leave {gap} deg² uncovered", parent.code);
    assert!(spill <= sliver, "{}: its children reach {spill} deg² beyond it", parent.code);
}

#[test]
fn the_city_is_da_nang_in_vietnam_time() {
    assert_eq!(CITY.code.as_str(), "DN");
    assert_eq!((CITY.name.as_str(), CITY.name_en.as_str()), ("Đà Nẵng", "Da Nang"));
    assert_eq!(CITY.timezone, chrono_tz::Asia::Ho_Chi_Minh);
    assert_eq!(CITY.levels.0, ["city", "district", "ward"]);
    assert_eq!(CITY.default_deadline_days, 7);
    let [lon, lat] = CITY.center;
    assert!(area("DN").geometry.intersects(&Point::new(lon, lat)), "the map centre is outside the city");
    assert!((9.0..=14.0).contains(&CITY.zoom));
}

#[test]
fn there_is_one_city_with_seven_districts_of_three_to_eight_wards() {
    let cities = level("city");
    assert_eq!(cities.len(), 1);
    assert_eq!(cities[0].code, CITY.code);
    assert!(cities[0].parent.is_none());
    let districts = level("district");
    let names: HashSet<_> = districts.iter().map(|d| d.name.as_str()).collect();
    let want = ["Hải Châu", "Thanh Khê", "Sơn Trà", "Ngũ Hành Sơn", "Liên Chiểu", "Cẩm Lệ", "Hòa Vang"];
    assert_eq!(names, HashSet::from(want));
    for d in &districts {
        assert_eq!(d.parent.as_ref(), Some(&CITY.code), "{}", d.code);
        let wards = children(d.code.as_str());
        assert!((3..=8).contains(&wards.len()), "{} has {} wards", d.code, wards.len());
        assert!(wards.iter().all(|w| w.level == "ward"));
    }
    assert_eq!(level("ward").len(), CITY.areas.len() - 1 - districts.len());
}

#[test]
fn every_code_is_unique_and_every_parent_is_one_level_up() {
    let mut seen = HashSet::new();
    for a in &CITY.areas {
        assert!(seen.insert(a.code.as_str()), "{} appears twice", a.code);
        assert_eq!(a.valid_from, demo::valid_from());
        assert!(a.valid_to.is_none());
        if let Some(p) = &a.parent {
            let parent = area(p.as_str());
            assert_eq!(CITY.levels.rank(&parent.level) + 1, CITY.levels.rank(&a.level), "{} under {}", a.code, p);
            assert!(a.code.as_str().starts_with(&format!("{p}-")), "{} does not extend its parent's code", a.code);
        }
    }
}

#[test]
fn boundaries_are_valid_counter_clockwise_multipolygons() {
    for a in &CITY.areas {
        assert!(a.geometry.is_valid(), "{}: {:?}", a.code, a.geometry.check_validation());
        for p in &a.geometry {
            assert!(p.exterior().is_ccw(), "{}: exterior ring is not counter-clockwise", a.code);
            assert!(p.interiors().iter().all(|r| r.is_cw()), "{}: a hole is not clockwise", a.code);
        }
    }
}

#[test]
fn the_districts_tile_the_city() {
    assert_tiles(area("DN"), &level("district"));
}

#[test]
fn the_wards_of_each_district_tile_it() {
    for d in level("district") {
        assert_tiles(d, &children(d.code.as_str()));
    }
    // And so the wards tile the city.
    let city = area("DN").geometry.unsigned_area();
    let wards: f64 = level("ward").iter().map(|w| w.geometry.unsigned_area()).sum();
    assert!(((wards - city) / city).abs() < 1e-9);
}

#[test]
fn every_ward_lies_within_its_district() {
    for w in level("ward") {
        let d = area(w.parent.as_ref().expect("a ward has a district").as_str());
        assert!(w.geometry.is_within(&d.geometry), "{} is not within {}", w.code, d.code);
    }
}

#[test]
fn landmarks_fall_in_the_right_district() {
    let landmarks = [
        ("Nhà thờ Chính tòa Đà Nẵng", 108.2232, 16.0668, "DN-HC"),
        ("Chợ Cồn", 108.2143, 16.0677, "DN-HC"),
        ("Công viên 29/3", 108.2040, 16.0660, "DN-TK"),
        ("Chùa Linh Ứng Bãi Bụt", 108.2775, 16.1003, "DN-ST"),
        ("Vincom Plaza Ngô Quyền", 108.2306, 16.0718, "DN-ST"),
        ("Ngũ Hành Sơn", 108.2636, 16.0034, "DN-NHS"),
        ("Khu đô thị Hòa Xuân", 108.2200, 16.0040, "DN-CL"),
        ("Đại học Bách khoa Đà Nẵng", 108.1498, 16.0738, "DN-LC"),
        ("Bà Nà Hills", 107.99, 15.99, "DN-HV"),
        ("Làng Túy Loan", 108.1250, 16.0010, "DN-HV"),
    ];
    for (name, lon, lat, want) in landmarks {
        let p = Point::new(lon, lat);
        let hits: Vec<_> = level("district").into_iter().filter(|d| d.geometry.intersects(&p)).collect();
        assert_eq!(hits.len(), 1, "{name} is in {} districts", hits.len());
        assert_eq!(hits[0].code.as_str(), want, "{name} is in {}", hits[0].name);
    }
    // The sea is not part of any district: the middle of the bay, and offshore from Mỹ Khê.
    for (lon, lat) in [(108.18, 16.13), (108.27, 16.06)] {
        assert!(!area("DN").geometry.intersects(&Point::new(lon, lat)), "{lon},{lat} should be sea");
    }
}

#[test]
fn every_place_lies_in_the_city() {
    assert!((20..=40).contains(&CITY.places.len()));
    let city = &area("DN").geometry;
    for p in &CITY.places {
        assert!(city.intersects(&Point::new(p.location.lon, p.location.lat)), "{} is outside the city", p.name);
        assert!(["landmark", "market", "bridge", "beach", "transport", "street"].contains(&p.kind.as_str()));
    }
    let names: HashSet<_> = CITY.places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names.len(), CITY.places.len(), "a place is listed twice");
    assert!(names.contains("Cầu Rồng") && names.contains("Chợ Hàn") && names.contains("Bãi biển Mỹ Khê"));
}

/// `name` without Vietnamese diacritics, e.g. "Hải Châu" → "Hai Chau".
fn fold(name: &str) -> String {
    const GROUPS: [(&str, char); 14] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'A'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ÈÉẺẼẸÊỀẾỂỄỆ", 'E'),
        ("ìíỉĩị", 'i'),
        ("ÌÍỈĨỊ", 'I'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'O'),
        ("ùúủũụưừứửữự", 'u'),
        ("ÙÚỦŨỤƯỪỨỬỮỰ", 'U'),
        ("ỳýỷỹỵ", 'y'),
        ("ỲÝỶỸỴ", 'Y'),
        ("đ", 'd'),
        ("Đ", 'D'),
    ];
    name.chars().map(|c| GROUPS.iter().find(|(g, _)| g.contains(c)).map_or(c, |(_, a)| *a)).collect()
}

#[test]
fn names_carry_their_diacritics_and_english_names_do_not() {
    assert_eq!(fold("Ngũ Hành Sơn"), "Ngu Hanh Son");
    for a in &CITY.areas {
        assert!(!a.name.is_ascii(), "{}: {:?} has lost its diacritics", a.code, a.name);
        assert!(a.name_en.is_ascii(), "{}: {:?}", a.code, a.name_en);
        assert_eq!(fold(&a.name), a.name_en, "{}", a.code);
        assert!(a.code.as_str().is_ascii());
    }
    for c in &CITY.categories {
        assert!(!c.name_vi.is_ascii() && c.name_en.is_ascii(), "{}", c.code);
    }
    for u in &CITY.units {
        assert!(!u.name_vi.is_ascii() && u.name_en.is_ascii(), "{}", u.code);
    }
    for name in ["Đà Nẵng", "Hải Châu", "Sơn Trà", "Ngũ Hành Sơn", "Liên Chiểu", "Cẩm Lệ", "Hòa Vang", "Thanh Khê"]
    {
        assert!(CITY.areas.iter().any(|a| a.name == name), "{name} is missing");
    }
}

#[test]
fn categories_are_unique_with_sensible_deadlines_in_every_field() {
    assert!((25..=35).contains(&CITY.categories.len()), "{} categories", CITY.categories.len());
    let codes: HashSet<_> = CITY.categories.iter().map(|c| &c.code).collect();
    assert_eq!(codes.len(), CITY.categories.len());
    for f in Field::ALL {
        assert!(CITY.categories.iter().any(|c| c.field == f), "no category in {f:?}");
    }
    for c in &CITY.categories {
        assert!(c.deadline_days.is_none_or(|d| (1..=30).contains(&d)), "{}: {:?}", c.code, c.deadline_days);
    }
    let days = |code: &str| CITY.categories.iter().find(|c| c.code.as_str() == code).unwrap().deadline_days;
    assert_eq!(days("land-dispute"), Some(15));
    assert!(days("fallen-tree").unwrap() < CITY.default_deadline_days);
}

#[test]
fn units_and_routing_rules_reference_only_existing_codes() {
    let areas: HashSet<_> = CITY.areas.iter().map(|a| &a.code).collect();
    let categories: HashSet<_> = CITY.categories.iter().map(|c| &c.code).collect();
    let units: HashMap<_, _> = CITY.units.iter().map(|u| (&u.code, u)).collect();
    assert_eq!(units.len(), CITY.units.len(), "a unit code appears twice");
    for u in &CITY.units {
        assert!(["agency", "station"].contains(&u.kind.as_str()), "{}: kind {}", u.code, u.kind);
        assert!(u.areas.iter().all(|a| areas.contains(a)), "{}: unknown area in {:?}", u.code, u.areas);
        if let Some(p) = &u.parent {
            assert!(units.contains_key(p), "{}: unknown parent {p}", u.code);
        }
    }
    assert!(CITY.units.iter().any(|u| u.parent.is_none()), "the unit hierarchy has no root");
    for r in &CITY.routing {
        assert!(units.contains_key(&r.unit), "rule {r:?}: unknown unit");
        assert!(r.category.as_ref().is_none_or(|c| categories.contains(c)), "rule {r:?}: unknown category");
        assert!(r.area.as_ref().is_none_or(|a| areas.contains(a)), "rule {r:?}: unknown area");
    }
    assert!(CITY.routing.iter().any(|r| r.category.is_none() && r.area.is_none()), "no catch-all rule");
}

/// The ward's own code, then its district's, then the city's.
fn chain(ward: &Area) -> Vec<AreaCode> {
    let mut out = vec![ward.code.clone()];
    while let Some(p) = &area(out.last().unwrap().as_str()).parent {
        out.push(p.clone());
    }
    out
}

#[test]
fn every_ticket_in_every_ward_is_routed_to_a_unit_that_answers_for_it() {
    let units: HashMap<_, _> = CITY.units.iter().map(|u| (&u.code, u)).collect();
    for w in level("ward") {
        let chain = chain(w);
        assert_eq!(chain.len(), 3);
        for c in &CITY.categories {
            let unit = routing::suggest(&CITY.routing, &c.code, &chain)
                .unwrap_or_else(|| panic!("{} in {}: no unit", c.code, w.code));
            let unit = units[unit];
            assert!(
                unit.areas.is_empty() || unit.areas.iter().any(|a| chain.contains(a)),
                "{} in {} goes to {}, which answers for {:?}",
                c.code,
                w.code,
                unit.code,
                unit.areas
            );
        }
        // Noise has no city department: the ward's own People's Committee takes it.
        let karaoke = CategoryCode::parse("noise-karaoke", "category").unwrap();
        let unit = units[routing::suggest(&CITY.routing, &karaoke, &chain).unwrap()];
        assert_eq!((unit.kind.as_str(), unit.areas.as_slice()), ("station", std::slice::from_ref(&w.code)));
    }
}
