//! Reading feature properties as text, and Vietnamese names without diacritics.

use serde_json::{Map, Value};

use super::error::FeatureProblem;

/// The property `field` as trimmed text. Numbers are accepted (shapefile exports often store
/// codes such as `48` or `490101.0` as numbers): integral values are written without a fraction.
pub fn text(properties: Option<&Map<String, Value>>, field: &str) -> Result<String, FeatureProblem> {
    let value = properties.and_then(|p| p.get(field)).unwrap_or(&Value::Null);
    let text = match value {
        Value::Null => return Err(FeatureProblem::MissingField { field: field.to_owned() }),
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => number_text(n),
        Value::Bool(_) => return Err(FeatureProblem::NotText { field: field.to_owned(), found: "a boolean" }),
        Value::Array(_) => return Err(FeatureProblem::NotText { field: field.to_owned(), found: "an array" }),
        Value::Object(_) => return Err(FeatureProblem::NotText { field: field.to_owned(), found: "an object" }),
    };
    if text.is_empty() { Err(FeatureProblem::EmptyField { field: field.to_owned() }) } else { Ok(text) }
}

fn number_text(n: &serde_json::Number) -> String {
    match n.as_f64() {
        // 2^53: beyond it f64 no longer holds every integer exactly.
        Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => {
            format!("{}", f as i64)
        }
        _ => n.to_string(),
    }
}

/// `s` without Vietnamese diacritics: "Hải Châu" → "Hai Chau", "Đà Nẵng" → "Da Nang".
/// Handles precomposed (NFC) letters and combining marks (NFD input).
pub fn fold_diacritics(s: &str) -> String {
    const GROUPS: &[(char, &str)] = &[
        ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
        ('A', "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"),
        ('e', "èéẻẽẹêềếểễệ"),
        ('E', "ÈÉẺẼẸÊỀẾỂỄỆ"),
        ('i', "ìíỉĩị"),
        ('I', "ÌÍỈĨỊ"),
        ('o', "òóỏõọôồốổỗộơờớởỡợ"),
        ('O', "ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"),
        ('u', "ùúủũụưừứửữự"),
        ('U', "ÙÚỦŨỤƯỪỨỬỮỰ"),
        ('y', "ỳýỷỹỵ"),
        ('Y', "ỲÝỶỸỴ"),
        ('d', "đ"),
        ('D', "Đ"),
    ];
    s.chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| {
            if c.is_ascii() {
                return c;
            }
            GROUPS.iter().find(|(_, variants)| variants.contains(c)).map_or(c, |(base, _)| *base)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn strings_are_trimmed_and_numbers_become_text() {
        let p = props(json!({"name": "  Hải Châu ", "code": 48, "float": 490101.0, "frac": 1.5, "neg": -3}));
        assert_eq!(text(Some(&p), "name").unwrap(), "Hải Châu");
        assert_eq!(text(Some(&p), "code").unwrap(), "48");
        assert_eq!(text(Some(&p), "float").unwrap(), "490101");
        assert_eq!(text(Some(&p), "frac").unwrap(), "1.5");
        assert_eq!(text(Some(&p), "neg").unwrap(), "-3");
    }

    #[test]
    fn missing_null_blank_and_structured_values_are_refused_by_field() {
        let p = props(json!({"null": null, "blank": "  ", "flag": true, "list": [1]}));
        let missing = |f: &str| FeatureProblem::MissingField { field: f.into() };
        assert_eq!(text(Some(&p), "absent").unwrap_err(), missing("absent"));
        assert_eq!(text(None, "absent").unwrap_err(), missing("absent"));
        assert_eq!(text(Some(&p), "null").unwrap_err(), missing("null"));
        assert_eq!(text(Some(&p), "blank").unwrap_err(), FeatureProblem::EmptyField { field: "blank".into() });
        assert_eq!(
            text(Some(&p), "flag").unwrap_err(),
            FeatureProblem::NotText { field: "flag".into(), found: "a boolean" }
        );
        assert!(matches!(text(Some(&p), "list").unwrap_err(), FeatureProblem::NotText { .. }));
    }

    #[test]
    fn vietnamese_names_fold_to_ascii() {
        assert_eq!(fold_diacritics("Hải Châu"), "Hai Chau");
        assert_eq!(fold_diacritics("Đà Nẵng"), "Da Nang");
        assert_eq!(fold_diacritics("Ngũ Hành Sơn"), "Ngu Hanh Son");
        assert_eq!(fold_diacritics("Thủ Đức"), "Thu Duc");
        assert_eq!(fold_diacritics("QUẬN LIÊN CHIỂU"), "QUAN LIEN CHIEU");
        // Decomposed input: "Sơn Trà" with combining horn and grave.
        assert_eq!(fold_diacritics("So\u{31b}n Tra\u{300}"), "Son Tra");
    }
}
