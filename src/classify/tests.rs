use super::{Categorizer, ClassifyError, Model, TrainOptions};
use crate::domain::CategoryCode;

fn code(s: &str) -> CategoryCode {
    CategoryCode::parse(s, "category").unwrap()
}

fn tiny() -> Vec<(String, CategoryCode)> {
    let garbage = [
        "Rác không ai thu gom ba ngày",
        "xe rác không đến lấy rác",
        "thùng rác đầy tràn bốc mùi",
        "rac ko ai thu gom, hoi qua",
        "công nhân không thu rác cả tuần",
        "rác sinh hoạt ứ đọng đầu kiệt",
    ];
    let light = [
        "Đèn đường trong kiệt tắt cả tuần",
        "den duong hu toi om",
        "trụ đèn chiếu sáng chập chờn",
        "bóng đèn đường cháy, tối thui",
        "đèn chiếu sáng công cộng không sáng",
        "cả dãy đèn đường không sáng",
    ];
    garbage
        .iter()
        .map(|t| (t.to_string(), code("garbage-uncollected")))
        .chain(light.iter().map(|t| (t.to_string(), code("street-light-broken"))))
        .collect()
}

fn trained() -> Model {
    Categorizer::train(&tiny(), TrainOptions { max_features: 500, min_df: 1, ..TrainOptions::default() }).unwrap()
}

#[test]
fn a_tiny_model_separates_two_obvious_categories() {
    let m = trained();
    let s = m.suggest("Rác nhà tôi không ai đến thu gom");
    assert_eq!(s[0].category.as_str(), "garbage-uncollected");
    assert!(s[0].confidence > 0.6, "{s:?}");
    let s = m.suggest("Đèn đường hư mấy hôm nay");
    assert_eq!(s[0].category.as_str(), "street-light-broken");
    let total: f64 = s.iter().map(|x| x.confidence).sum();
    assert!((total - 1.0).abs() < 1e-9);
    assert!(s[0].confidence >= s[1].confidence);
}

#[test]
fn unaccented_text_and_shorthand_are_understood() {
    let m = trained();
    assert_eq!(m.suggest("nha e o kiet 45 rac ko ai thu gom 3 ngay r")[0].category.as_str(), "garbage-uncollected");
    assert_eq!(m.suggest("den duong tat toi thui")[0].category.as_str(), "street-light-broken");
}

#[test]
fn empty_garbage_and_huge_input_are_answered() {
    let m = trained();
    for text in ["", "   ", "?!#@", "\u{0}\u{300}\u{301}", "zzzz qqqq xxxx"] {
        let s = m.suggest(text);
        assert_eq!(s.len(), 2);
        assert!(s.iter().all(|x| x.confidence.is_finite()));
    }
    let huge = "rác ".repeat(500_000);
    assert_eq!(m.suggest(&huge)[0].category.as_str(), "garbage-uncollected");
}

#[test]
fn a_model_survives_its_bytes_and_broken_bytes_are_refused() {
    let m = trained();
    let back = Model::from_bytes(&m.to_bytes()).unwrap();
    assert_eq!(back.suggest("rác không thu"), m.suggest("rác không thu"));
    assert!(matches!(Model::from_bytes(b"{}"), Err(ClassifyError::Format(_))));
    assert!(matches!(Model::from_bytes(b"\xff"), Err(ClassifyError::Format(_))));
    let mut json: serde_json::Value = serde_json::from_slice(&m.to_bytes()).unwrap();
    json["weights"].as_array_mut().unwrap().pop();
    assert!(Model::from_bytes(&serde_json::to_vec(&json).unwrap()).is_err());
}

#[test]
fn one_category_is_not_a_model() {
    let rows = vec![("rác".to_string(), code("other"))];
    assert!(matches!(Categorizer::train(&rows, TrainOptions::default()), Err(ClassifyError::TooFewCategories(1))));
}

#[test]
fn the_shipped_model_reads_the_city_s_categories() {
    let m = Model::from_bytes(super::SHIPPED).unwrap();
    assert_eq!(m.categories.len(), 35);
    let s = m.suggest("nha e o kiet 45 ong ich khiem rac ko ai thu gom 3 ngay roi");
    assert_eq!(s[0].category.as_str(), "garbage-uncollected", "{:?}", &s[..3]);
}
