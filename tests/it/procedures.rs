//! The procedures catalogue through HTTP on both stores: an administrator imports JSON, CSV and
//! XLSX files (all or none, errors naming row and column), anyone browses by field and level,
//! reads one procedure whole with its related ones, and another instance's import shows within
//! seconds.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestApp, fields, problem};
use crate::on_both_stores;
use crate::store_conformance::procedures::procedure;

async fn import(app: &TestApp, who: &reqwest::Client, format: &str, whole: bool, body: Vec<u8>) -> reqwest::Response {
    let url = app.url(&format!("/api/v1/procedures/import?format={format}&whole={whole}"));
    who.post(url).body(body).send().await.unwrap()
}

fn catalogue() -> Vec<Value> {
    let mut birth = serde_json::to_value(procedure("1.001193", "Đăng ký khai sinh")).unwrap();
    birth["related"] = json!(["1.000894"]);
    let mut marriage = serde_json::to_value(procedure("1.000894", "Đăng ký kết hôn")).unwrap();
    marriage["keywords"] = json!(["cưới", "đăng ký kết hôn"]);
    let mut permit = serde_json::to_value(procedure("1.009794", "Cấp giấy phép xây dựng nhà ở riêng lẻ")).unwrap();
    permit["field"] = json!("Hoạt động xây dựng");
    permit["field_en"] = json!("Construction");
    permit["level"] = json!("district");
    permit["methods"] =
        json!([{"channel": "direct", "time_limit": "15 ngày làm việc", "time_limit_days": 15, "fee": "75.000 đồng"}]);
    permit.as_object_mut().unwrap().remove("online_url");
    vec![birth, marriage, permit]
}

async fn an_admin_imports_and_anyone_browses_and_reads_a_procedure(app: TestApp) {
    let body = serde_json::to_vec(&catalogue()).unwrap();
    for who in [&app.public, &app.operator, &app.leader] {
        let r = import(&app, who, "json", true, body.clone()).await;
        assert!(matches!(r.status(), StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN), "{}", r.status());
    }
    let r = import(&app, &app.admin, "json", true, body).await;
    assert_eq!(r.status(), StatusCode::OK);
    let done: Value = r.json().await.unwrap();
    // Two of the three codes are in the demo catalogue too: replaced; the rest of it removed.
    let demo = switchboard::demo::procedures().unwrap().len();
    assert_eq!((done["added"].as_u64(), done["updated"].as_u64()), (Some(1), Some(2)), "{done}");
    assert_eq!(done["removed"].as_u64(), Some(demo as u64 - 2), "{done}");

    let page = app.get_json(&app.public, "/api/v1/procedures").await;
    assert_eq!(page["total"], 3, "the whole file replaced the demo catalogue: {page}");
    // By field, then name, folded: "ho tich" before "hoat dong xay dung", "ket hon" before "khai sinh".
    let names: Vec<&str> = page["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Đăng ký kết hôn", "Đăng ký khai sinh", "Cấp giấy phép xây dựng nhà ở riêng lẻ"]);
    let permit = &page["items"][2];
    assert_eq!(permit["online"], false);
    assert_eq!(permit["time_limit"], "15 ngày làm việc");
    assert_eq!(permit["fee"], "75.000 đồng");
    assert_eq!(page["items"][0]["online"], true);

    let fields_list = app.get_json(&app.public, "/api/v1/procedures/fields").await;
    assert_eq!(
        fields_list,
        json!([
            {"field": "Hộ tịch", "field_en": "Civil status", "count": 2},
            {"field": "Hoạt động xây dựng", "field_en": "Construction", "count": 1}
        ])
    );
    let by_field = app.get_json(&app.public, "/api/v1/procedures?field=ho%20tich").await;
    assert_eq!(by_field["total"], 2);
    let by_level = app.get_json(&app.public, "/api/v1/procedures?level=c%E1%BA%A5p%20huy%E1%BB%87n").await;
    assert_eq!(by_level["total"], 1);
    assert_eq!(by_level["items"][0]["code"], "1.009794");

    let one = app.get_json(&app.public, "/api/v1/procedures/1.001193").await;
    assert_eq!(one["name"], "Đăng ký khai sinh");
    assert_eq!(one["documents"][0]["copies"], "01 bản chính");
    assert_eq!(one["methods"][1]["time_limit_days"], 3);
    assert_eq!(one["related_procedures"][0]["code"], "1.000894");
    assert_eq!(one["related_procedures"][0]["name"], "Đăng ký kết hôn");

    let r = app.public.get(app.url("/api/v1/procedures/9.999999")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app.public.get(app.url("/api/v1/procedures/bad%20code")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), ["code"]);
    let r = app.public.get(app.url("/api/v1/procedures?limit=x&level=trung%20uong&offset=-1")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), ["level", "limit", "offset"]);
    let r = app.public.get(app.url("/api/v1/procedures?limit=101")).send().await.unwrap();
    assert_eq!(fields(&problem(r).await), ["limit"]);
}
on_both_stores!(an_admin_imports_and_anyone_browses_and_reads_a_procedure);

async fn a_bad_file_is_refused_whole_naming_each_fault(app: TestApp) {
    let before = app.get_json(&app.public, "/api/v1/procedures").await["total"].clone();
    let mut list = catalogue();
    list[1]["steps"] = json!([]);
    list[2]["online_url"] = json!("ftp://x");
    let r = import(&app, &app.admin, "json", true, serde_json::to_vec(&list).unwrap()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), ["[1].steps", "[2].online_url"]);

    let csv = "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Trình tự thực hiện,Cách thức thực hiện,Thành phần hồ sơ,\
               Đối tượng thực hiện,Cơ quan thực hiện,Địa chỉ tiếp nhận,Kết quả thực hiện\n\
               1.1,Tên,Hộ tịch,Cấp xã,Bước 1,Bằng bồ câu | 1 ngày | Không,Tờ khai,Công dân,UBND,Phường,Giấy\n";
    let r = import(&app, &app.admin, "csv", false, csv.as_bytes().to_vec()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), ["rows[2].methods[0]"]);
    let r = import(&app, &app.admin, "xlsx", false, b"PK\x03\x04 not really".to_vec()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), ["file"]);
    let r = import(&app, &app.admin, "pdf", false, b"%PDF".to_vec()).await;
    assert_eq!(fields(&problem(r).await), ["format"]);

    let after = app.get_json(&app.public, "/api/v1/procedures").await["total"].clone();
    assert_eq!(before, after, "nothing was imported");
}
on_both_stores!(a_bad_file_is_refused_whole_naming_each_fault);

async fn a_csv_or_xlsx_import_by_another_process_shows_within_seconds(app: TestApp) {
    // The server has read its catalogue once; another process (`switchboard import procedures`)
    // now writes to the same store.
    let _ = app.get_json(&app.public, "/api/v1/procedures").await;
    let p = procedure("DN-TEST-01", "Cấp phép sử dụng tạm thời vỉa hè");
    app.store.import_procedures(&[p], false, chrono::Utc::now()).await.unwrap();
    let start = Instant::now();
    loop {
        let r = app.public.get(app.url("/api/v1/procedures/DN-TEST-01")).send().await.unwrap();
        if r.status() == StatusCode::OK {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "the import did not show within 10 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
on_both_stores!(a_csv_or_xlsx_import_by_another_process_shows_within_seconds);
