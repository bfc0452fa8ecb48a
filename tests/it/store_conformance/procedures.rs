//! The procedures catalogue: imported all or none, replaced by code, trimmed to a whole file,
//! read back exactly, with a revision every import moves.

use std::sync::Arc;

use switchboard::domain::{Procedure, ProcedureLevel};
use switchboard::store::{Store, StoreError};

use crate::harness::*;
use crate::on_both_stores;

/// A procedure with every optional part filled in, so that a round trip shows each of them.
pub fn procedure(code: &str, name: &str) -> Procedure {
    serde_json::from_value(serde_json::json!({
        "code": code, "name": name, "name_en": "Birth registration", "field": "Hộ tịch", "field_en": "Civil status",
        "level": "commune",
        "steps": ["Nộp hồ sơ tại Bộ phận một cửa", "Nhận kết quả"],
        "methods": [
            {"channel": "direct", "time_limit": "Ngay trong ngày", "fee": "Miễn lệ phí"},
            {"channel": "online", "time_limit": "03 ngày làm việc", "time_limit_days": 3, "fee": "Miễn lệ phí", "note": "qua Cổng DVC"}
        ],
        "documents": [{"name": "Tờ khai đăng ký khai sinh", "copies": "01 bản chính", "note": "theo mẫu"}],
        "applicants": "Công dân Việt Nam", "agency": "UBND cấp xã",
        "submit_at": "Bộ phận một cửa UBND phường Hải Châu", "result": "Giấy khai sinh",
        "legal_basis": ["Luật Hộ tịch 2014"], "conditions": "Trong 60 ngày kể từ ngày sinh",
        "online_url": "https://dichvucong.gov.vn/", "keywords": ["làm giấy khai sinh"], "demo": true
    }))
    .unwrap()
}

async fn imports_replace_by_code_and_a_whole_file_removes_the_rest((store, _db): (Arc<dyn Store>, TestDb)) {
    assert_eq!(store.procedures().await.unwrap(), vec![]);
    let r0 = store.procedure_revision().await.unwrap();
    let (mut a, b) = (procedure("1.001193", "Đăng ký khai sinh"), procedure("1.000894", "Đăng ký kết hôn"));
    let done = store.import_procedures(&[a.clone(), b.clone()], false, at(1_000)).await.unwrap();
    assert_eq!((done.added, done.updated, done.removed), (2, 0, 0));
    assert!(done.revision > r0);
    assert_eq!(store.procedure_revision().await.unwrap(), done.revision);
    // By code, bytewise; every part read back as written.
    assert_eq!(store.procedures().await.unwrap(), vec![b.clone(), a.clone()]);

    a.level = ProcedureLevel::District;
    a.related = vec![b.code.clone()];
    let c = procedure("2.000001", "Cấp Giấy phép xây dựng");
    let done2 = store.import_procedures(&[a.clone(), c.clone()], false, at(2_000)).await.unwrap();
    assert_eq!((done2.added, done2.updated, done2.removed), (1, 1, 0));
    assert!(done2.revision > done.revision);
    assert_eq!(store.procedures().await.unwrap(), vec![b.clone(), a.clone(), c.clone()]);

    let done3 = store.import_procedures(std::slice::from_ref(&c), true, at(3_000)).await.unwrap();
    assert_eq!((done3.added, done3.updated, done3.removed), (0, 1, 2));
    assert_eq!(store.procedures().await.unwrap(), vec![c.clone()]);

    // A file naming a code twice changes nothing.
    let err = store.import_procedures(&[a.clone(), a.clone()], true, at(4_000)).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    assert_eq!(store.procedures().await.unwrap(), vec![c]);
    assert_eq!(store.procedure_revision().await.unwrap(), done3.revision);
}
on_both_stores!(imports_replace_by_code_and_a_whole_file_removes_the_rest);
