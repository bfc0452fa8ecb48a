//! The search benchmark's PostgreSQL side computes real figures: on the demo catalogue an exact
//! question ranks its procedure first through `unaccent` full-text search, and a question of
//! question words only finds nothing — beside the engine, which finds the unaccented one too.

use switchboard::bench::search::{Question, engine, pg_query, postgres};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_engines_are_scored_on_the_same_questions() {
    let url = crate::harness::db::fresh_pg_url().await;
    let procedures = switchboard::demo::procedures().unwrap();
    let birth = procedures.iter().find(|p| p.name == "Đăng ký khai sinh").unwrap().code.as_str().to_owned();
    let questions = vec![
        Question { q: "Đăng ký khai sinh".into(), relevant: vec![birth.clone()], accents: true },
        Question { q: "dang ky khai sinh cho con".into(), relevant: vec![birth.clone()], accents: false },
        Question { q: "cần gì ở đâu".into(), relevant: vec![birth.clone()], accents: true },
    ];
    assert_eq!(pg_query("cần gì ở đâu"), "");
    assert_eq!(pg_query("Đăng ký khai sinh"), "dang | ky | khai | sinh");
    let pg = postgres(&url, &procedures, &questions).await.unwrap();
    assert_eq!(pg.with_diacritics.questions, 2);
    assert!(pg.all.mrr5 > 0.3 && pg.all.mrr5 < 1.0, "{pg:?}");
    let (ours, _) = engine(&procedures, &questions).unwrap();
    assert!((ours.without_diacritics.mrr5 - 1.0).abs() < 1e-9, "{ours:?}");
}
