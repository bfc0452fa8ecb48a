//! Administrative procedures (thủ tục hành chính), as the national public-service portal
//! (Cổng Dịch vụ công quốc gia) describes them: what a resident must bring, pay and wait for,
//! and where to go. The hotline's operators answer most calls from this catalogue, the portal's
//! `/thu-tuc` page lets citizens browse it, and the chatbot quotes it — never anything else.
//!
//! A procedure is public information: nothing here is personal data.

use serde::{Deserialize, Serialize};

use super::ValidationErrors;
use super::code::code_newtype;

code_newtype!(
    /// The procedure's code in the national database, e.g. `1.004227`, or a city's own code
    /// (letters, digits, `.`, `-`, `_`).
    ProcedureCode
);

/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 500;
/// Longest free text of one part (a step, a document, the legal basis…), in characters.
pub const MAX_TEXT_CHARS: usize = 4_000;
/// Most items in one list (steps, documents, ways to submit, legal texts, related codes).
pub const MAX_ITEMS: usize = 60;

/// The level of government that settles a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureLevel {
    /// Cấp tỉnh / thành phố (departments of the city)
    Province,
    /// Cấp huyện / quận
    District,
    /// Cấp xã / phường
    Commune,
}

impl ProcedureLevel {
    pub const ALL: [ProcedureLevel; 3] = [Self::Province, Self::District, Self::Commune];

    /// The level's Vietnamese name.
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Province => "Cấp tỉnh",
            Self::District => "Cấp huyện",
            Self::Commune => "Cấp xã",
        }
    }

    /// Parses `province`/`district`/`commune` or their Vietnamese names (`cấp tỉnh`, `tỉnh`,
    /// `cấp huyện`, `quận`, `cấp xã`, `phường`…), case- and diacritics-insensitively.
    pub fn parse_loose(raw: &str) -> Option<Self> {
        let folded = super::text::fold(raw.trim());
        let s = folded.strip_prefix("cap ").unwrap_or(&folded);
        match s {
            "province" | "tinh" | "thanh pho" | "tinh/thanh pho" => Some(Self::Province),
            "district" | "huyen" | "quan" | "huyen/quan" | "quan/huyen" => Some(Self::District),
            "commune" | "xa" | "phuong" | "xa/phuong" | "phuong/xa" => Some(Self::Commune),
            _ => None,
        }
    }
}

/// How an application may be handed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionChannel {
    /// Trực tiếp: at the office's one-stop desk (bộ phận một cửa)
    Direct,
    /// Trực tuyến: on the public-service portal
    Online,
    /// Qua dịch vụ bưu chính: by post
    Postal,
}

/// One way to submit, with its own time limit and fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmissionMethod {
    pub channel: SubmissionChannel,
    /// The time limit as the portal writes it, e.g. `05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ`.
    pub time_limit: String,
    /// Working days, when the limit is a number of them (for comparisons and the chatbot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_days: Option<u16>,
    /// The fee or charge as written, e.g. `Lệ phí: 20.000 đồng/lần` or `Không`.
    pub fee: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One document the application must hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequiredDocument {
    /// e.g. `Tờ khai thay đổi thông tin cư trú (Mẫu CT01)`.
    pub name: String,
    /// e.g. `01 bản chính`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copies: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A procedure of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    #[schema(value_type = String)]
    pub code: ProcedureCode,
    /// The official Vietnamese name.
    pub name: String,
    /// An English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The field (lĩnh vực), e.g. `Đăng ký, quản lý cư trú`.
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_en: Option<String>,
    pub level: ProcedureLevel,
    /// The steps, in order.
    pub steps: Vec<String>,
    /// Ways to submit, each with its time limit and fee.
    pub methods: Vec<SubmissionMethod>,
    pub documents: Vec<RequiredDocument>,
    /// Who may apply (đối tượng thực hiện).
    pub applicants: String,
    /// The agency that settles it (cơ quan thực hiện).
    pub agency: String,
    /// Where to submit (địa chỉ tiếp nhận hồ sơ).
    pub submit_at: String,
    /// What the applicant receives (kết quả thực hiện).
    pub result: String,
    /// The laws and decrees it rests on (căn cứ pháp lý).
    pub legal_basis: Vec<String>,
    /// Conditions to be met (yêu cầu, điều kiện), when there are any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<String>,
    /// Codes of related procedures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<String>)]
    pub related: Vec<ProcedureCode>,
    /// Where to apply online, when it can be done online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    /// Other words people use for it (`sổ đỏ`, `làm giấy khai sinh`), searched like the name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Written for the demo city: not an official text.
    #[serde(default)]
    pub demo: bool,
}

impl Procedure {
    /// Checks a procedure read from outside; errors name `{prefix}field` (e.g. `[3].name`).
    pub fn validate(&self, prefix: &str) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let mut text = |name: &str, value: &str, max: usize, required: bool| {
            let n = value.trim().chars().count();
            if required && n == 0 {
                errs.push(format!("{prefix}{name}"), "must not be empty");
            } else if n > max {
                errs.push(format!("{prefix}{name}"), format!("must be at most {max} characters"));
            } else if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                errs.push(format!("{prefix}{name}"), "must not contain control characters");
            }
        };
        text("name", &self.name, MAX_NAME_CHARS, true);
        text("name_en", self.name_en.as_deref().unwrap_or(""), MAX_NAME_CHARS, false);
        text("field", &self.field, MAX_NAME_CHARS, true);
        text("field_en", self.field_en.as_deref().unwrap_or(""), MAX_NAME_CHARS, false);
        text("applicants", &self.applicants, MAX_TEXT_CHARS, true);
        text("agency", &self.agency, MAX_TEXT_CHARS, true);
        text("submit_at", &self.submit_at, MAX_TEXT_CHARS, true);
        text("result", &self.result, MAX_TEXT_CHARS, true);
        text("conditions", self.conditions.as_deref().unwrap_or(""), MAX_TEXT_CHARS, false);
        for (i, s) in self.steps.iter().enumerate() {
            text(&format!("steps[{i}]"), s, MAX_TEXT_CHARS, true);
        }
        for (i, d) in self.documents.iter().enumerate() {
            text(&format!("documents[{i}].name"), &d.name, MAX_TEXT_CHARS, true);
            text(&format!("documents[{i}].copies"), d.copies.as_deref().unwrap_or(""), MAX_NAME_CHARS, false);
            text(&format!("documents[{i}].note"), d.note.as_deref().unwrap_or(""), MAX_TEXT_CHARS, false);
        }
        for (i, m) in self.methods.iter().enumerate() {
            text(&format!("methods[{i}].time_limit"), &m.time_limit, MAX_NAME_CHARS, true);
            text(&format!("methods[{i}].fee"), &m.fee, MAX_NAME_CHARS, true);
            text(&format!("methods[{i}].note"), m.note.as_deref().unwrap_or(""), MAX_TEXT_CHARS, false);
        }
        for (i, l) in self.legal_basis.iter().enumerate() {
            text(&format!("legal_basis[{i}]"), l, MAX_TEXT_CHARS, true);
        }
        for (i, k) in self.keywords.iter().enumerate() {
            text(&format!("keywords[{i}]"), k, MAX_NAME_CHARS, true);
        }
        for (name, len) in [
            ("steps", self.steps.len()),
            ("methods", self.methods.len()),
            ("documents", self.documents.len()),
            ("legal_basis", self.legal_basis.len()),
            ("related", self.related.len()),
            ("keywords", self.keywords.len()),
        ] {
            if len > MAX_ITEMS {
                errs.push(format!("{prefix}{name}"), format!("must hold at most {MAX_ITEMS} items"));
            }
        }
        if self.steps.is_empty() {
            errs.push(format!("{prefix}steps"), "must list at least one step");
        }
        if self.methods.is_empty() {
            errs.push(format!("{prefix}methods"), "must list at least one way to submit");
        }
        if let Some(url) = &self.online_url {
            let ok = url.len() <= 2_000
                && (url.starts_with("https://") || url.starts_with("http://"))
                && !url.chars().any(|c| c.is_whitespace() || c.is_control());
            if !ok {
                errs.push(format!("{prefix}online_url"), "must be an http(s) address");
            }
        }
        if self.related.contains(&self.code) {
            errs.push(format!("{prefix}related"), "must not name the procedure itself");
        }
        errs.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Procedure {
        serde_json::from_value(serde_json::json!({
            "code": "1.004227", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "level": "commune",
            "steps": ["Nộp hồ sơ", "Nhận kết quả"],
            "methods": [{"channel": "direct", "time_limit": "Ngay trong ngày", "fee": "Miễn lệ phí"}],
            "documents": [{"name": "Tờ khai đăng ký khai sinh", "copies": "01 bản chính"}],
            "applicants": "Công dân Việt Nam", "agency": "UBND cấp xã", "submit_at": "Bộ phận một cửa UBND phường",
            "result": "Giấy khai sinh", "legal_basis": ["Luật Hộ tịch 2014"], "demo": true
        }))
        .unwrap()
    }

    #[test]
    fn a_complete_procedure_is_valid_and_a_broken_one_names_its_fields() {
        assert!(sample().validate("").is_ok());
        let mut p = sample();
        p.name = "  ".into();
        p.steps.clear();
        p.online_url = Some("javascript:alert(1)".into());
        p.related = vec![p.code.clone()];
        let errs = p.validate("[2].").unwrap_err();
        let fields: Vec<_> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["[2].name", "[2].steps", "[2].online_url", "[2].related"]);
    }

    #[test]
    fn levels_are_read_in_vietnamese_with_or_without_marks() {
        assert_eq!(ProcedureLevel::parse_loose("Cấp xã"), Some(ProcedureLevel::Commune));
        assert_eq!(ProcedureLevel::parse_loose("cap huyen"), Some(ProcedureLevel::District));
        assert_eq!(ProcedureLevel::parse_loose("Tỉnh"), Some(ProcedureLevel::Province));
        assert_eq!(ProcedureLevel::parse_loose("district"), Some(ProcedureLevel::District));
        assert_eq!(ProcedureLevel::parse_loose("trung ương"), None);
    }

    #[test]
    fn unknown_keys_are_refused() {
        let mut v = serde_json::to_value(sample()).unwrap();
        v["fees"] = "x".into();
        assert!(serde_json::from_value::<Procedure>(v).is_err());
    }
}
