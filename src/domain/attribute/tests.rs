use super::*;

fn noise_time() -> ServiceAttribute {
    ServiceAttribute {
        code: "time_of_day".into(),
        datatype: Datatype::Singlevaluelist,
        required: true,
        order: 1,
        description: "Tiếng ồn vào lúc nào?".into(),
        description_en: "When is the noise?".into(),
        values: vec![
            AttributeValue { key: "evening".into(), name: "Buổi tối".into(), name_en: "Evening".into() },
            AttributeValue { key: "night".into(), name: "Ban đêm".into(), name_en: "Night".into() },
        ],
    }
}

fn plain(code: &str, datatype: Datatype, order: u32) -> ServiceAttribute {
    ServiceAttribute {
        code: code.into(),
        datatype,
        required: false,
        order,
        description: "Câu hỏi".into(),
        description_en: "Question".into(),
        values: vec![],
    }
}

fn sent(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect())).collect()
}

fn fields(e: ValidationErrors) -> Vec<String> {
    e.0.into_iter().map(|f| f.field).collect()
}

#[test]
fn a_missing_required_answer_and_an_unknown_one_are_both_named() {
    let attrs = [noise_time()];
    let err = answer(&attrs, &sent(&[("colour", &["red"])])).unwrap_err();
    assert_eq!(fields(err), ["attribute[colour]", "attribute[time_of_day]"]);
    let err = answer(&attrs, &sent(&[("time_of_day", &["  "])])).unwrap_err();
    assert!(err.0[0].message.contains("Tiếng ồn vào lúc nào?"), "{err}");
}

#[test]
fn list_answers_must_be_keys_of_the_definition() {
    let attrs = [noise_time()];
    let ok = answer(&attrs, &sent(&[("time_of_day", &["night"])])).unwrap();
    assert_eq!(ok["time_of_day"], Answer::Text("night".into()));
    let err = answer(&attrs, &sent(&[("time_of_day", &["Ban đêm"])])).unwrap_err();
    assert!(err.0[0].message.contains("evening, night"), "{err}");
    let err = answer(&attrs, &sent(&[("time_of_day", &["night", "evening"])])).unwrap_err();
    assert_eq!(err.0[0].message, "takes one value");

    let mut multi = noise_time();
    multi.datatype = Datatype::Multivaluelist;
    let ok = answer(&[multi], &sent(&[("time_of_day", &["night", "evening", "night"])])).unwrap();
    assert_eq!(ok["time_of_day"], Answer::List(vec!["night".into(), "evening".into()]));
}

#[test]
fn numbers_dates_and_text_are_checked_by_datatype() {
    let attrs = [
        plain("volume", Datatype::Number, 1),
        plain("since", Datatype::Datetime, 2),
        plain("plate", Datatype::String, 3),
        plain("details", Datatype::Text, 4),
    ];
    let ok = answer(
        &attrs,
        &sent(&[
            ("volume", &["2,5"]),
            ("since", &["2026-11-05T22:30:00+07:00"]),
            ("plate", &["43A-123.45"]),
            ("details", &["Dòng một\nDòng hai"]),
        ]),
    )
    .unwrap();
    assert_eq!(ok["volume"], Answer::Number(2.5));
    assert_eq!(ok["since"], Answer::Text("2026-11-05T15:30:00Z".into()));
    assert_eq!(ok["details"], Answer::Text("Dòng một\nDòng hai".into()));
    let err = answer(
        &attrs,
        &sent(&[("volume", &["nhiều"]), ("since", &["tối qua"]), ("plate", &["a\nb"]), ("details", &["x\u{7}"])]),
    )
    .unwrap_err();
    assert_eq!(fields(err), ["attribute[volume]", "attribute[since]", "attribute[plate]", "attribute[details]"]);
    let long = "ă".repeat(MAX_STRING_CHARS + 1);
    assert!(answer(&attrs, &sent(&[("plate", &[long.as_str()])])).is_err());
}

#[test]
fn definitions_are_checked_for_codes_orders_and_values() {
    assert!(check_definitions(&[noise_time(), plain("volume", Datatype::Number, 2)], "").is_ok());
    let mut no_values = noise_time();
    no_values.values.clear();
    let mut with_values = plain("volume", Datatype::Number, 1);
    with_values.values = noise_time().values;
    let err = check_definitions(&[no_values, with_values, plain("bad code", Datatype::Text, 3)], "c.").unwrap_err();
    assert_eq!(
        fields(err),
        ["c.attributes[0].values", "c.attributes[1].order", "c.attributes[1].values", "c.attributes[2].code"]
    );
}

#[test]
fn media_urls_are_absolute_http_links() {
    assert_eq!(
        parse_media_url(" https://anh.danang.gov.vn/p/1.jpg ", "media_url").unwrap().as_deref(),
        Some("https://anh.danang.gov.vn/p/1.jpg")
    );
    assert_eq!(parse_media_url("", "media_url").unwrap(), None);
    for bad in ["ftp://x/y.jpg", "https://", "javascript:alert(1)", "http://a b/c", "/relative.jpg"] {
        assert!(parse_media_url(bad, "media_url").is_err(), "{bad}");
    }
}
