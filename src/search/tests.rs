use super::*;

fn catalogue() -> Vec<Procedure> {
    let list = include_bytes!("../../geodata/procedures/danang-demo.json");
    serde_json::from_slice(list).unwrap()
}

fn top(s: &ProcedureSearch, q: &str) -> (String, f32) {
    let hits = s.search(q, &SearchFilter::default(), 5);
    let h = hits.first().unwrap_or_else(|| panic!("no hit for {q:?}"));
    let name = catalogue().into_iter().find(|p| p.code == h.code).unwrap().name;
    (name, h.confidence)
}

#[test]
fn unaccented_accented_and_misspelt_questions_find_their_procedure() {
    let s = ProcedureSearch::build(&catalogue()).unwrap();
    assert!(s.len() >= 60);
    let (name, c) = top(&s, "cap lai so do");
    assert!(name.starts_with("Cấp lại Giấy chứng nhận"), "{name}");
    assert!(c >= 0.5, "{c}");
    assert!(top(&s, "Đăng ký khai sinh cho con").0.contains("khai sinh"));
    assert!(top(&s, "dang ky kết hôn").0.contains("kết hôn"));
    assert!(top(&s, "dang ky tam tru").0.contains("tạm trú"), "{}", top(&s, "dang ky tam tru").0);
    assert!(top(&s, "giay phep xay dung nha o").0.to_lowercase().contains("giấy phép xây dựng"));
    assert!(top(&s, "dang ky ket hom").0.contains("kết hôn"), "a typo: {}", top(&s, "dang ky ket hom").0);
}

#[test]
fn questions_the_catalogue_does_not_answer_are_not_confident() {
    let s = ProcedureSearch::build(&catalogue()).unwrap();
    for q in [
        "gia vang hom nay bao nhieu",
        "thời tiết Đà Nẵng ngày mai thế nào",
        "ket qua bong da",
        "alo alo, cho hỏi chút, Chợ Cồn",
    ] {
        let best = s.search(q, &SearchFilter::default(), 1).first().map_or(0.0, |h| h.confidence);
        assert!(best < 0.5, "{q}: {best}");
    }
}

#[test]
fn garbage_empty_and_huge_questions_are_answered_quickly() {
    let s = ProcedureSearch::build(&catalogue()).unwrap();
    assert!(s.search("", &SearchFilter::default(), 5).is_empty());
    assert!(s.search("?!?! 🙂 ...", &SearchFilter::default(), 5).is_empty());
    assert!(s.search("cần gì ở đâu", &SearchFilter::default(), 5).is_empty(), "only question words");
    let huge = "khai sinh ".repeat(5_000);
    assert!(!s.search(&huge, &SearchFilter::default(), 5).is_empty());
    let filtered = s.search("khai sinh", &SearchFilter { field: Some("dat dai".into()), level: None }, 5);
    assert!(filtered.iter().all(|h| !h.code.as_str().is_empty()));
}
