//! The chatbot's words: every answer it gives, Vietnamese first with English after, built only
//! from the catalogue and the public view of a report — never from anything it was not given.

use crate::domain::{Procedure, SubmissionChannel};

/// A link to a page of the portal: absolute with the public address, else the path.
pub fn link(base: Option<&str>, path: &str) -> String {
    match base {
        Some(b) => format!("{}{path}", b.trim_end_matches('/')),
        None => path.to_owned(),
    }
}

fn channel_vi(c: SubmissionChannel) -> &'static str {
    match c {
        SubmissionChannel::Direct => "Trực tiếp",
        SubmissionChannel::Online => "Trực tuyến",
        SubmissionChannel::Postal => "Qua bưu chính",
    }
}

/// How long an answer may be: an SMS answer keeps to the essentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Length {
    Full,
    Sms,
}

/// The answer to a question the catalogue holds: the procedure by name and code, its documents,
/// time limits and fees, where to submit, and its page. `others` are other procedures that may
/// be meant.
pub fn procedure(p: &Procedure, others: &[&Procedure], base: Option<&str>, length: Length) -> String {
    let page = link(base, &format!("/thu-tuc/{}", p.code));
    let mut out = format!("Thủ tục \"{}\" (mã {}):\n", p.name, p.code);
    let docs: Vec<String> = p
        .documents
        .iter()
        .map(|d| match &d.copies {
            Some(c) => format!("{} ({c})", d.name),
            None => d.name.clone(),
        })
        .collect();
    let methods: Vec<String> =
        p.methods.iter().map(|m| format!("{}: {}; phí: {}", channel_vi(m.channel), m.time_limit, m.fee)).collect();
    match length {
        Length::Full => {
            out.push_str("• Hồ sơ cần có:\n");
            for d in &docs {
                out.push_str(&format!("  - {d}\n"));
            }
            out.push_str("• Thời hạn và lệ phí:\n");
            for m in &methods {
                out.push_str(&format!("  - {m}\n"));
            }
            out.push_str(&format!("• Nộp tại: {}\n", p.submit_at));
            out.push_str(&format!("• Cơ quan giải quyết: {}\n", p.agency));
            if let Some(url) = &p.online_url {
                out.push_str(&format!("• Nộp trực tuyến: {url}\n"));
            }
        }
        Length::Sms => {
            out.push_str(&format!("Hồ sơ: {}. ", docs.join("; ")));
            if let Some(m) = methods.first() {
                out.push_str(&format!("{m}. "));
            }
            out.push_str(&format!("Nộp tại: {}.\n", p.submit_at));
        }
    }
    out.push_str(&format!("Chi tiết: {page}\n"));
    if p.demo {
        out.push_str("(Nội dung mẫu của hệ thống thử nghiệm.)\n");
    }
    if !others.is_empty() {
        let names: Vec<String> = others.iter().map(|o| format!("\"{}\" ({})", o.name, o.code)).collect();
        out.push_str(&format!("Nếu bạn hỏi về thủ tục khác: {}.\n", names.join(", ")));
    }
    let en = p.name_en.as_deref().unwrap_or(&p.name);
    out.push_str(&format!("EN: {en} (code {}), details: {page}. Reply \"gặp nhân viên\" to talk to a person.", p.code));
    out
}

/// When the catalogue holds no confident answer: say so, never guess, and hand over.
pub fn not_sure(handing_over: bool) -> String {
    if handing_over {
        "Xin lỗi, tôi chưa tìm được thông tin chắc chắn cho câu hỏi này trong danh mục thủ tục. \
         Tôi đã chuyển cuộc trò chuyện cho tổng đài viên, bạn vui lòng chờ trong giây lát.\n\
         EN: Sorry, I could not find a sure answer in the procedures catalogue. An operator will reply shortly."
            .into()
    } else {
        "Xin lỗi, tôi chưa tìm được thông tin chắc chắn. Bạn có thể hỏi lại cụ thể hơn, hoặc nhắn \"gặp nhân viên\" \
         để trao đổi với tổng đài viên.\n\
         EN: Sorry, I could not find a sure answer. Ask again in other words, or reply \"gặp nhân viên\" to talk to a person."
            .into()
    }
}

pub fn handed_over() -> String {
    "Tôi đã chuyển cuộc trò chuyện cho tổng đài viên. Bạn vui lòng chờ trong giây lát, tổng đài viên sẽ trả lời tại đây.\n\
     EN: An operator will reply here shortly."
        .into()
}

pub fn greeting() -> String {
    "Xin chào! Tôi là trợ lý tự động của Tổng đài 1022. Tôi có thể: hướng dẫn thủ tục hành chính (hồ sơ, lệ phí, \
     thời hạn, nơi nộp), cho biết tình trạng phản ánh theo mã phiếu, và tiếp nhận phản ánh (mô tả sự việc và địa điểm). \
     Nhắn \"gặp nhân viên\" để trao đổi với tổng đài viên.\n\
     EN: Hello! I am the 1022 hotline's assistant: procedures, the status of a report by its code, new reports. \
     Reply \"gặp nhân viên\" to talk to a person."
        .into()
}

pub fn thanks() -> String {
    "Cảm ơn bạn đã liên hệ Tổng đài 1022. EN: Thank you for contacting the 1022 hotline.".into()
}

pub fn status_unknown(code: &str) -> String {
    format!(
        "Không tìm thấy phản ánh mã {code}. Bạn kiểm tra lại mã trong tin nhắn xác nhận, hoặc nhắn \"gặp nhân viên\".\n\
         EN: No report {code} was found; check the code, or reply \"gặp nhân viên\"."
    )
}

/// A report's status, from its public view only.
pub fn status(
    code: &str,
    status_vi: &str,
    category: Option<&str>,
    deadline: Option<&str>,
    result: Option<&str>,
    page: &str,
) -> String {
    let mut out = format!("Phản ánh {code}: {status_vi}.");
    if let Some(c) = category {
        out.push_str(&format!(" Lĩnh vực: {c}."));
    }
    if let Some(d) = deadline {
        out.push_str(&format!(" Hạn xử lý: {d}."));
    }
    if let Some(r) = result {
        out.push_str(&format!(" Kết quả: {r}"));
    }
    out.push_str(&format!("\nTheo dõi: {page}\nEN: Report {code}: {status_vi}. Follow it at {page}"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_procedure_answer_quotes_its_code_documents_fees_and_page() {
        let p: Procedure = serde_json::from_value(serde_json::json!({
            "code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "level": "commune",
            "steps": ["Nộp"], "methods": [{"channel": "direct", "time_limit": "Ngay trong ngày", "fee": "Miễn lệ phí"}],
            "documents": [{"name": "Tờ khai", "copies": "01 bản chính"}], "applicants": "Công dân",
            "agency": "UBND cấp xã", "submit_at": "UBND phường", "result": "Giấy khai sinh", "legal_basis": [], "demo": true
        }))
        .unwrap();
        let full = procedure(&p, &[], Some("https://1022.example.vn/"), Length::Full);
        assert!(full.contains("mã 1.001193"), "{full}");
        assert!(full.contains("Tờ khai (01 bản chính)"));
        assert!(full.contains("Trực tiếp: Ngay trong ngày; phí: Miễn lệ phí"));
        assert!(full.contains("https://1022.example.vn/thu-tuc/1.001193"));
        assert!(full.contains("Nội dung mẫu"));
        let sms = procedure(&p, &[], None, Length::Sms);
        assert!(sms.len() < full.len());
        assert!(sms.contains("/thu-tuc/1.001193"));
    }
}
