use super::*;

const HEADER_VI: &str = "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Trình tự thực hiện,Cách thức thực hiện,\
Thành phần hồ sơ,Đối tượng thực hiện,Cơ quan thực hiện,Địa chỉ tiếp nhận,Kết quả thực hiện,Căn cứ pháp lý,Từ khóa,Dữ liệu mẫu";

fn row(code: &str, level: &str, methods: &str) -> String {
    format!(
        "{code},Đăng ký khai sinh,Hộ tịch,{level},\"Bước 1: Nộp hồ sơ\n- Bước 2: Nhận kết quả\",\"{methods}\",\
         \"Tờ khai đăng ký khai sinh | 01 bản chính\nGiấy chứng sinh | 01 bản chính | do cơ sở y tế cấp\",\
         Công dân Việt Nam,UBND cấp xã,\"Bộ phận một cửa UBND phường Hải Châu\",Giấy khai sinh,Luật Hộ tịch 2014,\
         \"khai sinh; làm giấy khai sinh, giấy khai sinh cho con\",có"
    )
}

#[test]
fn a_csv_with_vietnamese_headers_reads_lists_methods_and_documents() {
    let methods = "Trực tiếp | Ngay trong ngày | Miễn lệ phí\nTrực tuyến | 03 ngày làm việc | Miễn lệ phí";
    let csv = format!("{HEADER_VI}\n{}\n", row("1.001193", "Cấp xã", methods));
    let list = parse(csv.as_bytes(), Format::Csv).unwrap();
    assert_eq!(list.len(), 1);
    let p = &list[0];
    assert_eq!(p.code.as_str(), "1.001193");
    assert_eq!(p.level, ProcedureLevel::Commune);
    assert_eq!(p.steps, ["Bước 1: Nộp hồ sơ", "Bước 2: Nhận kết quả"]);
    assert_eq!(p.methods.len(), 2);
    assert_eq!(p.methods[1].channel, SubmissionChannel::Online);
    assert_eq!(p.methods[1].time_limit_days, Some(3));
    assert_eq!(p.methods[0].time_limit_days, None);
    assert_eq!(p.documents[1].note.as_deref(), Some("do cơ sở y tế cấp"));
    assert_eq!(p.keywords, ["khai sinh", "làm giấy khai sinh", "giấy khai sinh cho con"]);
    assert!(p.demo);
}

#[test]
fn bad_rows_are_all_reported_by_row_and_column_and_nothing_is_read() {
    let csv = format!(
        "{HEADER_VI}\n{}\n{}\n{}\n",
        row("1.001193", "Cấp xã", "Trực tiếp | 1 ngày | Không"),
        row("1.001194", "Trung ương", "Bằng fax | 1 ngày | Không"),
        row("bad code!", "Cấp xã", "Trực tiếp | 1 ngày"),
    );
    let errs = parse(csv.as_bytes(), Format::Csv).unwrap_err();
    let fields: Vec<_> = errs.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["rows[3].level", "rows[3].methods[0]", "rows[4].code", "rows[4].methods[0]"], "{errs}");
}

#[test]
fn duplicate_codes_name_both_rows() {
    let one = row("1.001193", "Cấp xã", "Trực tiếp | 1 ngày | Không");
    let csv = format!("{HEADER_VI}\n{one}\n{one}\n");
    let errs = parse(csv.as_bytes(), Format::Csv).unwrap_err();
    assert_eq!(errs.0.len(), 1, "{errs}");
    assert_eq!(errs.0[0].field, "rows[3].code");
    assert!(errs.0[0].message.contains("rows[2]"), "{errs}");
}

#[test]
fn unknown_and_missing_columns_are_named() {
    let csv = "Mã thủ tục,Tên thủ tục,Phí tổn\n1.1,Tên,5\n";
    let errs = parse(csv.as_bytes(), Format::Csv).unwrap_err();
    assert_eq!(errs.0[0].field, "header[2]");
    assert!(errs.0[0].message.contains("Phí tổn"));
    assert!(errs.0.iter().any(|e| e.message == "has no field column"), "{errs}");
}

#[test]
fn json_errors_name_the_path_and_invalid_procedures_their_index() {
    let errs = parse(br#"[{"code": "1.1", "name": 5}]"#, Format::Json).unwrap_err();
    assert_eq!(errs.0[0].field, "[0].name");
    let csv = format!("{HEADER_VI}\n{}\n", row("1.001193", "Cấp xã", "Trực tiếp | 1 ngày | Không"));
    let mut list = parse(csv.as_bytes(), Format::Csv).unwrap();
    list[0].steps.clear();
    let json = serde_json::to_vec(&list).unwrap();
    let errs = parse(&json, Format::Json).unwrap_err();
    assert_eq!(errs.0[0].field, "[0].steps");
    assert_eq!(parse(b"[]", Format::Json).unwrap_err().0[0].field, "file");
    assert_eq!(parse(b"{", Format::Json).unwrap_err().0[0].field, "file");
}

#[test]
fn an_xlsx_sheet_reads_like_the_csv() {
    use rust_xlsxwriter::Workbook;
    let csv = format!("{HEADER_VI}\n{}\n", row("1.001193", "Cấp xã", "Trực tiếp | 05 ngày làm việc | Không"));
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv.as_bytes());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, rec) in reader.records().enumerate() {
        for (c, v) in rec.unwrap().iter().enumerate() {
            sheet.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let from_xlsx = parse(&bytes, Format::Xlsx).unwrap();
    assert_eq!(from_xlsx, parse(csv.as_bytes(), Format::Csv).unwrap());
    assert_eq!(from_xlsx[0].methods[0].time_limit_days, Some(5));
    assert_eq!(parse(b"not a zip", Format::Xlsx).unwrap_err().0[0].field, "file");
}

#[test]
fn working_days_are_read_from_the_time_limit() {
    assert_eq!(working_days("05 ngày làm việc kể từ ngày nhận đủ hồ sơ"), Some(5));
    assert_eq!(working_days("15 ngay lam viec"), Some(15));
    assert_eq!(working_days("Ngay trong ngày"), None);
    assert_eq!(working_days("30 ngày"), None);
}

#[test]
fn the_fuzz_seeds_are_good_files_of_each_format() {
    for (name, format) in [("corpus-00", Format::Json), ("corpus-01", Format::Csv), ("corpus-02", Format::Xlsx)] {
        let path = format!("{}/tests/fuzz/corpus/procedures/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap();
        let list = parse(&bytes[1..], format).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(list[0].name, "Đăng ký khai sinh", "{name}");
    }
}

#[test]
fn the_demo_catalogue_reads_whole_every_procedure_marked_and_linked_within_it() {
    let list = parse(include_bytes!("../../../../geodata/procedures/danang-demo.json"), Format::Json).unwrap();
    assert!(list.len() >= 60, "{}", list.len());
    assert!(list.iter().all(|p| p.demo), "every demo procedure is marked as such");
    let codes: std::collections::HashSet<_> = list.iter().map(|p| &p.code).collect();
    for p in &list {
        for r in &p.related {
            assert!(codes.contains(r), "{} names {r}, which the catalogue does not hold", p.code);
        }
    }
}
