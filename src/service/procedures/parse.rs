//! Reading a procedures catalogue from a file: JSON (an array of [`Procedure`]s), or CSV and
//! XLSX with one procedure per row, as provinces export them from their one-stop systems.
//!
//! Columns of a CSV or XLSX file (first row; Vietnamese or English names, any case, with or
//! without diacritics — `docs/procedures.md` lists them): lists hold one item per line
//! (steps, documents, ways to submit, legal texts), a way to submit is `channel | time limit |
//! fee [| note]` and a document `name [| copies [| note]]`; related codes and keywords are
//! separated by lines, `;` or `,`.
//!
//! All or nothing: every problem is reported, naming the row (as the spreadsheet numbers it)
//! and the column, and nothing is imported while one remains.

use std::collections::HashMap;

use crate::domain::procedure::MAX_ITEMS;
use crate::domain::text::fold;
use crate::domain::{
    Procedure, ProcedureCode, ProcedureLevel, RequiredDocument, SubmissionChannel, SubmissionMethod, ValidationErrors,
};

/// Largest file read, in bytes.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Most procedures in one file.
pub const MAX_PROCEDURES: usize = 20_000;

/// The formats a catalogue is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
}

impl Format {
    /// From a file name's extension (`.json`, `.csv`, `.xlsx`).
    pub fn from_name(name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Self::Json),
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }
}

/// Reads and checks every procedure of a file.
pub fn parse(bytes: &[u8], format: Format) -> Result<Vec<Procedure>, ValidationErrors> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ValidationErrors::single("file", format!("must be at most {MAX_FILE_BYTES} bytes")));
    }
    let procedures = match format {
        Format::Json => parse_json(bytes)?,
        Format::Csv => rows_to_procedures(csv_rows(bytes)?)?,
        Format::Xlsx => rows_to_procedures(xlsx_rows(bytes)?)?,
    };
    check_all(&procedures, format)?;
    Ok(procedures)
}

fn parse_json(bytes: &[u8]) -> Result<Vec<Procedure>, ValidationErrors> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let list: Vec<Procedure> = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "file".to_owned() } else { path };
        ValidationErrors::single(field, e.into_inner().to_string())
    })?;
    if list.len() > MAX_PROCEDURES {
        return Err(ValidationErrors::single("file", format!("must hold at most {MAX_PROCEDURES} procedures")));
    }
    Ok(list)
}

/// The label of the `i`-th procedure in errors: `[i].` for JSON, `rows[n].` (the sheet's row
/// number, the header being row 1) for tables.
fn prefix(format: Format, i: usize) -> String {
    match format {
        Format::Json => format!("[{i}]."),
        Format::Csv | Format::Xlsx => format!("rows[{}].", i + 2),
    }
}

fn check_all(procedures: &[Procedure], format: Format) -> Result<(), ValidationErrors> {
    let mut errs = ValidationErrors::new();
    if procedures.is_empty() {
        errs.push("file", "holds no procedure");
    }
    let mut first: HashMap<&ProcedureCode, usize> = HashMap::new();
    for (i, p) in procedures.iter().enumerate() {
        let at = prefix(format, i);
        if let Err(e) = p.validate(&at) {
            errs.0.extend(e.0);
        }
        if let Some(j) = first.insert(&p.code, i) {
            errs.push(
                format!("{at}code"),
                format!("{} is also the code of {}", p.code, prefix(format, j).trim_end_matches('.')),
            );
        }
    }
    errs.into_result()
}

/// A table: its header and its rows, each a list of cell texts.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn csv_rows(bytes: &[u8]) -> Result<Table, ValidationErrors> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes); // Excel's UTF-8 mark
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut all = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ValidationErrors::single(format!("rows[{}]", i + 1), e.to_string()))?;
        if all.len() > MAX_PROCEDURES {
            return Err(ValidationErrors::single("file", format!("must hold at most {MAX_PROCEDURES} procedures")));
        }
        all.push(record.iter().map(str::to_owned).collect::<Vec<_>>());
    }
    split_header(all)
}

fn xlsx_rows(bytes: &[u8]) -> Result<Table, ValidationErrors> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| ValidationErrors::single("file", format!("is not a readable XLSX workbook: {e}")))?;
    let Some(range) = book.worksheet_range_at(0) else {
        return Err(ValidationErrors::single("file", "has no worksheet"));
    };
    let range = range.map_err(|e| ValidationErrors::single("file", format!("its first sheet cannot be read: {e}")))?;
    if range.height() > MAX_PROCEDURES + 1 {
        return Err(ValidationErrors::single("file", format!("must hold at most {MAX_PROCEDURES} procedures")));
    }
    let text = |c: &Data| match c {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::Error(e) => format!("#{e:?}"),
    };
    split_header(range.rows().map(|r| r.iter().map(text).collect()).collect())
}

fn split_header(mut all: Vec<Vec<String>>) -> Result<Table, ValidationErrors> {
    // Rows with nothing in them (a sheet's trailing blank lines) are not procedures.
    all.retain(|r| r.iter().any(|c| !c.trim().is_empty()));
    if all.is_empty() {
        return Err(ValidationErrors::single("file", "has no header row"));
    }
    let header = all.remove(0);
    Ok(Table { header, rows: all })
}

/// The columns a table may have: the key, then the names it may be given (folded).
const COLUMNS: &[(&str, &[&str])] = &[
    ("code", &["code", "ma", "ma thu tuc", "ma tthc", "ma so"]),
    ("name", &["name", "ten", "ten thu tuc", "ten tthc"]),
    ("name_en", &["name en", "ten tieng anh", "english name"]),
    ("field", &["field", "linh vuc"]),
    ("field_en", &["field en", "linh vuc tieng anh"]),
    ("level", &["level", "cap", "cap thuc hien"]),
    ("steps", &["steps", "trinh tu", "trinh tu thuc hien", "cac buoc"]),
    ("methods", &["methods", "cach thuc", "cach thuc thuc hien"]),
    ("documents", &["documents", "thanh phan ho so", "ho so", "giay to"]),
    ("applicants", &["applicants", "doi tuong", "doi tuong thuc hien"]),
    ("agency", &["agency", "co quan", "co quan thuc hien", "co quan giai quyet"]),
    ("submit_at", &["submit at", "where", "dia chi tiep nhan", "noi tiep nhan", "dia chi tiep nhan ho so"]),
    ("result", &["result", "ket qua", "ket qua thuc hien"]),
    ("legal_basis", &["legal basis", "can cu phap ly"]),
    ("conditions", &["conditions", "yeu cau dieu kien", "dieu kien"]),
    ("related", &["related", "thu tuc lien quan"]),
    ("online_url", &["online url", "url", "link", "nop truc tuyen", "duong dan"]),
    ("keywords", &["keywords", "tu khoa"]),
    ("demo", &["demo", "mau", "du lieu mau"]),
];

const REQUIRED: &[&str] =
    &["code", "name", "field", "level", "steps", "methods", "documents", "applicants", "agency", "submit_at", "result"];

fn rows_to_procedures(table: Table) -> Result<Vec<Procedure>, ValidationErrors> {
    let mut errs = ValidationErrors::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, raw) in table.header.iter().enumerate() {
        let name = fold(raw);
        if name.is_empty() {
            continue;
        }
        match COLUMNS.iter().find(|(_, names)| names.contains(&name.as_str())) {
            Some((key, _)) => {
                if index.insert(key, i).is_some() {
                    errs.push(format!("header[{i}]"), format!("{raw:?} is a second {key} column"));
                }
            }
            None => errs.push(
                format!("header[{i}]"),
                format!(
                    "{raw:?} is not a column of a procedures catalogue; the columns are {}",
                    COLUMNS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
                ),
            ),
        }
    }
    for key in REQUIRED.iter().filter(|k| !index.contains_key(*k)) {
        errs.push("header", format!("has no {key} column"));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let mut out = Vec::with_capacity(table.rows.len());
    for (i, row) in table.rows.iter().enumerate() {
        let cells: HashMap<&str, &str> =
            index.iter().map(|(&key, &c)| (key, row.get(c).map_or("", |s| s.trim()))).collect();
        match row_to_procedure(&cells, &format!("rows[{}].", i + 2)) {
            Ok(p) => out.push(p),
            Err(e) => errs.0.extend(e.0),
        }
    }
    errs.into_result()?;
    Ok(out)
}

fn lines(cell: &str) -> Vec<String> {
    cell.lines()
        .map(|l| l.trim().trim_start_matches(['-', '•', '+', '*']).trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn items(cell: &str) -> Vec<String> {
    cell.split(['\n', ';', ',']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn optional(cell: &str) -> Option<String> {
    (!cell.is_empty()).then(|| cell.to_owned())
}

/// `05 ngày làm việc …` → 5: the working days of a time limit that starts with them.
pub fn working_days(time_limit: &str) -> Option<u16> {
    let folded = fold(time_limit);
    let mut words = folded.split(' ');
    let n: u16 = words.next()?.parse().ok()?;
    (words.next() == Some("ngay") && words.next() == Some("lam") && words.next() == Some("viec")).then_some(n)
}

fn channel(raw: &str) -> Option<SubmissionChannel> {
    let f = fold(raw);
    if f.contains("truc tiep") || f == "direct" {
        Some(SubmissionChannel::Direct)
    } else if f.contains("truc tuyen") || f == "online" {
        Some(SubmissionChannel::Online)
    } else if f.contains("buu chinh") || f == "postal" || f == "post" {
        Some(SubmissionChannel::Postal)
    } else {
        None
    }
}

fn row_to_procedure(cells: &HashMap<&str, &str>, at: &str) -> Result<Procedure, ValidationErrors> {
    let cell = |key: &str| cells.get(key).copied().unwrap_or("");
    let mut errs = ValidationErrors::new();
    let code = ProcedureCode::parse(cell("code"), &format!("{at}code")).map_err(|e| errs.0.extend(e.0)).ok();
    let level = ProcedureLevel::parse_loose(cell("level"));
    if level.is_none() {
        errs.push(format!("{at}level"), "must be province, district or commune (cấp tỉnh, cấp huyện, cấp xã)");
    }
    let mut methods = Vec::new();
    for (i, line) in lines(cell("methods")).iter().enumerate() {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(channel) = channel(parts[0]) else {
            errs.push(
                format!("{at}methods[{i}]"),
                "must start with trực tiếp, trực tuyến or bưu chính (direct, online, postal)",
            );
            continue;
        };
        if parts.len() < 3 || parts.len() > 4 {
            errs.push(format!("{at}methods[{i}]"), "must read `channel | time limit | fee` (then `| note`, if any)");
            continue;
        }
        methods.push(SubmissionMethod {
            channel,
            time_limit: parts[1].to_owned(),
            time_limit_days: working_days(parts[1]),
            fee: parts[2].to_owned(),
            note: parts.get(3).and_then(|n| optional(n)),
        });
    }
    let documents = lines(cell("documents"))
        .into_iter()
        .map(|line| {
            let mut parts = line.split('|').map(str::trim);
            RequiredDocument {
                name: parts.next().unwrap_or_default().to_owned(),
                copies: parts.next().and_then(optional),
                note: parts.next().and_then(optional),
            }
        })
        .collect::<Vec<_>>();
    let mut related = Vec::new();
    for (i, r) in items(cell("related")).iter().enumerate().take(MAX_ITEMS + 1) {
        match ProcedureCode::parse(r, &format!("{at}related[{i}]")) {
            Ok(c) => related.push(c),
            Err(e) => errs.0.extend(e.0),
        }
    }
    let demo = match fold(cell("demo")).as_str() {
        "" | "false" | "0" | "khong" | "no" => false,
        "true" | "1" | "co" | "x" | "yes" => true,
        _ => {
            errs.push(format!("{at}demo"), "must be empty, true/false, có/không or 1/0");
            false
        }
    };
    let (Some(code), Some(level), true) = (code, level, errs.is_empty()) else { return Err(errs) };
    Ok(Procedure {
        code,
        name: cell("name").to_owned(),
        name_en: optional(cell("name_en")),
        field: cell("field").to_owned(),
        field_en: optional(cell("field_en")),
        level,
        steps: lines(cell("steps")),
        methods,
        documents,
        applicants: cell("applicants").to_owned(),
        agency: cell("agency").to_owned(),
        submit_at: cell("submit_at").to_owned(),
        result: cell("result").to_owned(),
        legal_basis: lines(cell("legal_basis")),
        conditions: optional(cell("conditions")),
        related,
        online_url: optional(cell("online_url")),
        keywords: items(cell("keywords")),
        demo,
    })
}

#[cfg(test)]
mod tests;
