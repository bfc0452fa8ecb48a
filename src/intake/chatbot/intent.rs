//! What a citizen's message asks for, read from its words alone (folded: with or without
//! diacritics, SMS shorthand included): a person, the status of a report, a greeting or thanks,
//! a question — or a statement, which may be a report. The catalogue's search and the category
//! suggester then decide how sure the chatbot is (`super::Chatbot::decide`).

use crate::domain::TicketCode;
use crate::domain::text::fold;

/// What a message asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// To talk to a person.
    Human,
    /// The status of a report, by its code (and the token of its tracking link, if pasted).
    Status { code: TicketCode, token: Option<String> },
    /// Only a greeting.
    Greeting,
    /// Only thanks or an acknowledgement.
    Thanks,
    /// A question (how, what, where, how long, how much…).
    Question,
    /// Anything else: a statement, perhaps a report of a problem.
    Statement,
}

/// Phrases asking for a person (folded).
const HUMAN: &[&str] = &[
    "gap nhan vien",
    "gap tong dai vien",
    "gap dien thoai vien",
    "gap can bo",
    "gap nguoi",
    "noi chuyen voi nguoi",
    "noi chuyen voi nhan vien",
    "cho gap",
    "chuyen nhan vien",
    "chuyen cho nhan vien",
    "chuyen tong dai vien",
    "nguoi that",
    "tu van vien",
    "ho tro truc tiep",
    "nhan vien ho tro",
    "tong dai vien",
    "talk to a person",
    "talk to someone",
    "human",
    "real person",
    "operator",
    "agent please",
];

/// Words that make a message a question (folded, whole words or phrases).
const QUESTION: &[&str] = &[
    "gi",
    "j",
    "nao",
    "dau",
    "sao",
    "the nao",
    "ntn",
    "bao lau",
    "bao nhieu",
    "bn",
    "co duoc",
    "duoc khong",
    "dc ko",
    "duoc ko",
    "can nhung",
    "can mang",
    "can giay",
    "can lam",
    "muon lam",
    "xin hoi",
    "cho hoi",
    "hoi",
    "lam sao",
    "lam the nao",
    "thu tuc",
    "ho so",
    "giay to",
    "le phi",
    "mat bao lau",
    "nop",
    "o dau",
    "how",
    "what",
    "where",
    "when",
    "which",
    "do i",
    "can i",
    "need",
];

/// Particles that make a message a question when it ends with them ("… được không", "… chưa").
/// ("hông" is left out: folded, it is also "hỏng", broken.)
const QUESTION_END: &[&str] = &["khong", "ko", "k", "hok", "chua", "nhi", "vay", "a"];

const GREETING: &[&str] =
    &["xin chao", "chao", "chao ban", "chao ad", "alo", "hello", "hi", "hey", "chao buoi sang", "a lo"];
const THANKS: &[&str] = &[
    "cam on",
    "cam on ban",
    "cam on nhieu",
    "cam on ad",
    "thanks",
    "thank you",
    "ok",
    "oke",
    "okay",
    "vang",
    "da",
    "da cam on",
    "tks",
    "thank",
    "camon",
    "ok cam on",
];

/// `DN-2611-000123`-like codes: letters, then groups of digits, joined by dashes.
fn ticket_code(text: &str) -> Option<TicketCode> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).find_map(|w| {
        let parts: Vec<&str> = w.split('-').collect();
        let ok = parts.len() == 3
            && (1..=6).contains(&parts[0].len())
            && parts[0].chars().all(|c| c.is_ascii_alphabetic())
            && parts[1].len() == 4
            && parts[2].len() >= 4
            && parts[1..].iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
        ok.then(|| TicketCode(w.to_ascii_uppercase()))
    })
}

/// The token of a tracking link pasted into the message (`…/#track/CODE/TOKEN`, or
/// `token=TOKEN`), if any.
fn token(text: &str) -> Option<String> {
    let at = match text.find("token=") {
        Some(i) => i + "token=".len(),
        None => {
            let i = text.find("#track/")? + "#track/".len();
            i + text[i..].find('/')? + 1
        }
    };
    let t: String = text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    (!t.is_empty()).then_some(t)
}

fn has_phrase(words: &str, phrases: &[&str]) -> bool {
    let padded = format!(" {words} ");
    phrases.iter().any(|p| padded.contains(&format!(" {p} ")))
}

/// Reads what `text` asks for.
pub fn classify(text: &str) -> Intent {
    let folded = fold(text);
    if has_phrase(&folded, HUMAN) {
        return Intent::Human;
    }
    if let Some(code) = ticket_code(text) {
        return Intent::Status { code, token: token(text) };
    }
    let words = folded.split(' ').filter(|w| !w.is_empty()).count();
    if words <= 4
        && GREETING.iter().any(|g| folded == *g || folded.starts_with(&format!("{g} ")))
        && !has_phrase(&folded, QUESTION)
    {
        return Intent::Greeting;
    }
    if words <= 5
        && THANKS.iter().any(|t| folded == *t || folded.starts_with(&format!("{t} ")))
        && !has_phrase(&folded, QUESTION)
    {
        return Intent::Thanks;
    }
    let last = folded.rsplit(' ').next().unwrap_or("");
    if text.contains('?') || has_phrase(&folded, QUESTION) || (words > 2 && QUESTION_END.contains(&last)) {
        return Intent::Question;
    }
    Intent::Statement
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_who_ask_for_a_person_get_one() {
        for t in [
            "cho mình gặp nhân viên",
            "cho gap tong dai vien voi",
            "Tôi muốn nói chuyện với người thật",
            "talk to a person",
        ] {
            assert_eq!(classify(t), Intent::Human, "{t}");
        }
    }

    #[test]
    fn a_report_code_asks_for_its_status_with_the_links_token() {
        assert_eq!(
            classify("phan anh dn-2611-000123 cua toi sao roi"),
            Intent::Status { code: TicketCode("DN-2611-000123".into()), token: None }
        );
        let link = "https://1022.danang.gov.vn/#track/DN-2611-000123/abc_DEF-12";
        assert_eq!(
            classify(link),
            Intent::Status { code: TicketCode("DN-2611-000123".into()), token: Some("abc_DEF-12".into()) }
        );
    }

    #[test]
    fn questions_with_or_without_diacritics_and_in_shorthand() {
        for t in [
            "cap lai so do can giay to gi",
            "Làm giấy khai sinh cho con ở đâu?",
            "dang ky tam tru mat bao lau",
            "doi bang lai xe het han can nhung j",
            "xin giấy phép xây nhà thì nộp hồ sơ ở đâu",
            "how do I register a birth",
        ] {
            assert_eq!(classify(t), Intent::Question, "{t}");
        }
    }

    #[test]
    fn greetings_thanks_and_statements() {
        assert_eq!(classify("Xin chào"), Intent::Greeting);
        assert_eq!(classify("alo"), Intent::Greeting);
        assert_eq!(classify("cảm ơn nhiều"), Intent::Thanks);
        assert_eq!(classify("ok"), Intent::Thanks);
        assert_eq!(classify("Rác tràn ra đường Lê Duẩn 3 ngày rồi"), Intent::Statement);
        assert_eq!(classify("kiet 45 ong ich khiem rac ko ai thu gom 3 ngay roi"), Intent::Statement);
        assert_eq!(classify("de nghi co quan chuc nang can xu ly gap"), Intent::Statement);
        assert_eq!(classify("lam ho chieu duoc khong"), Intent::Question);
        assert_eq!(classify("Đèn đường hỏng"), Intent::Statement);
        assert_eq!(classify("chào bạn, cho hỏi làm căn cước ở đâu"), Intent::Question);
    }
}
