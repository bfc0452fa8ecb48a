//! Keeping personal data out of public text. Citizens write their phone number, email, ID-card
//! number, licence plate or a neighbour's name into a description ("gọi lại cho tôi 0905 123
//! 456", "ông Nguyễn Văn Hùng đổ rác"), and units into a result. Every public surface —
//! Open311, `/api/v1/results`, the OGC `tickets` collection, the tracking page's result — shows
//! such text through [`redact`], one function, tested on a corpus of Vietnamese contact-data
//! patterns (`tests/fixtures/privacy/corpus.tsv`).
//!
//! The text is first brought to Unicode NFKC, so full-width digits and letters (`０９０５…`)
//! are read as the ASCII they look like (and stay so in the output when something was hidden).
//! Then, in order:
//! 1. email addresses, also written out to dodge filters (`an [at] example [dot] vn`,
//!    `an(at)example.vn`, `an @ example . vn`, `an a còng example chấm vn`,
//!    `an.nguyen AT gmail DOT com`); written out, they must end in a known domain (`vn`, `com`…);
//! 2. licence plates (`43A-123.45`, `29A1-12345`, `51F 123.45`, `43-B1 123.45`);
//! 3. ID numbers after their name (`CCCD 048095001234`, `CMND: 201234567`, `căn cước`,
//!    `chứng minh`, `số định danh`, `hộ chiếu C1234567`): 8 to 12 digits, or a letter and 7–8;
//! 4. numbers grouped by spaces, dots, dashes or an area code in brackets (`0905 123 456`,
//!    `(0236) 3821 234`, `+84 (236) 3821234`, `84-236-3821-234`): a phone number when it is
//!    `0`, `84`, `+84` or `0084` and a national number (9 digits, or 10 from `1`/`2`); a bare
//!    12-digit number from `0` is a citizen ID. A first group of one or two digits is a date or
//!    a count (`05.11.2026`, `17:00`), and a number glued to letters, `-`, `.` or `/` is a code
//!    or an address (`DN-2611-000123`, `123/45 Trần Phú`, `Km 12+300`); they stay, as does a
//!    bare 9-digit number (`201234567` is a CMND only after its name) and any 4-digit one (`1022`);
//! 5. names: capitalised words (one to four) after an honorific (`ông`, `bà`, `anh`, `chị`, `cô`,
//!    `chú`, `em`…) or after `tên là`, `tôi là` — the honorific stays ("ông [tên đã ẩn]");
//!    a capitalised honorific (`Ông Nguyễn Văn Hùng`) only at a sentence's start. Not after a
//!    place word (`đường Bà Triệu`, `chợ Bà Chiểu`), not in places that begin with one (`Bà Rịa`,
//!    `Ông Ích Khiêm`), not before a title (`ông Chủ tịch`). Names written in lower case cannot
//!    be told from words, and stay.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// What replaces a phone number.
pub const PHONE_MARK: &str = "[số điện thoại đã ẩn]";
/// What replaces an email address.
pub const EMAIL_MARK: &str = "[email đã ẩn]";
/// What replaces an ID-card or passport number.
pub const ID_MARK: &str = "[số giấy tờ đã ẩn]";
/// What replaces a person's name.
pub const NAME_MARK: &str = "[tên đã ẩn]";
/// What replaces a licence plate.
pub const PLATE_MARK: &str = "[biển số đã ẩn]";

/// `@` written out (after spaces, or in brackets: `[at]`, `(a còng)`).
const AT_WORDS: &[&str] = &["at", "a còng", "a móc"];
/// `.` written out (`[dot]`, ` chấm `).
const DOT_WORDS: &[&str] = &["dot", "chấm"];
/// The top-level domains an address written out must end with (a plain `a@b.c` needs none).
const TLDS: &[&str] = &["vn", "com", "net", "org", "edu", "gov", "info", "biz", "io", "me", "co"];
/// The names an ID number follows (`|` between them), longest first, in lower case.
const ID_NAMES: &str = "căn cước công dân|chứng minh nhân dân|chứng minh thư|số định danh cá nhân|số định danh|\
    định danh|căn cước|chứng minh|hộ chiếu|cccd|cmnd|cmt|passport";
/// Words between an ID's name and its number (`CCCD số: …`, `CMND của tôi là …`).
const ID_FILLERS: &[&str] = &["số", "là", "của", "tôi", "mình", "em", "anh", "chị", "ông", "bà", "cháu"];
/// Honorifics before a name, in lower case; capitalised only at a sentence's start.
const HONORIFICS: &[&str] = &["ông", "bà", "anh", "chị", "cô", "chú", "em", "bác", "cụ", "dì", "cậu"];
/// The words before `là` that introduce the speaker's name (`tên là`, `tên tôi là`, `tôi là`).
const NAME_INTROS: &[&str] = &["tên", "tôi", "mình"];
/// After these (lower case, `|` between them), an honorific starts a place's name, not a person's.
const PLACE_WORDS: &str = "đường|phố|chợ|cầu|phường|xã|quận|huyện|tỉnh|thị xã|thành phố|núi|bán đảo|trường|\
    chùa|đình|miếu|hẻm|kiệt|ngõ|ngã ba|ngã tư|khu|thôn|ấp|bến|cảng|sông|hồ|đèo|rạch|kênh|đảo|lăng|đền";
/// Words that end in a place word but name no place (`gia đình`, `yêu cầu`).
const NOT_PLACE_WORDS: &[&str] =
    &["gia đình", "yêu cầu", "nhu cầu", "đồng hồ", "thị trường", "môi trường", "hiện trường", "lập trường"];
/// Places (and a public figure) whose names begin with an honorific, `|` between them.
const NOT_NAMES: &str = "Bà Rịa|Bà Nà|Bà Chiểu|Bà Điểm|Bà Huyện Thanh Quan|Bà Triệu|Bà Đen|Bà Quẹo|Bà Hom|\
    Bà Lê Chân|Bà Hạt|Bà Lài|Ông Ích Khiêm|Ông Ích Đường|Ông Tạ|Ông Lãnh|Ông Đích|Anh Thơ|Cô Giang|Cô Bắc|\
    Cô Tô|Chú Ía|Bác Ái|Bác Hồ";
/// Capitalised words that start a title or a trade after an honorific (`ông Chủ tịch`,
/// `tôi là Trưởng thôn`, `chị em Hội Phụ nữ`), not a name; `|` between them.
const TITLES: &str = "Chủ|Phó|Giám|Trưởng|Bí|Tổ|Cán|Đội|Chánh|Ủy|Đại|Thượng|Trung|Thiếu|Hội|Công|Người|Đảng|\
    Giáo|Bác|Hiệu|Kế|Thư|Kỹ|Luật|Chiến|Cư|Nhân|Sinh|Phóng";

/// One pass of [`redact`]: the spans it replaces, in order, not overlapping.
type Step = fn(&[char]) -> Vec<Span>;

/// A replacement: the characters `start..end` become `mark`.
struct Span {
    start: usize,
    end: usize,
    mark: &'static str,
}

/// `text` with the personal data it names replaced by the marks above (see the module docs).
/// Borrowed when nothing was found.
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut chars: Vec<char> = text.nfkc().collect();
    let mut changed = false;
    let steps: [Step; 5] = [emails, plates, id_numbers, numbers, names];
    for step in steps {
        let spans = step(&chars);
        if spans.is_empty() {
            continue;
        }
        changed = true;
        let mut out = Vec::with_capacity(chars.len() + 16 * spans.len());
        let mut last = 0;
        for s in spans {
            out.extend_from_slice(&chars[last..s.start]);
            out.extend(s.mark.chars());
            last = s.end;
        }
        out.extend_from_slice(&chars[last..]);
        chars = out;
    }
    if changed { Cow::Owned(chars.into_iter().collect()) } else { Cow::Borrowed(text) }
}

/// The former name of [`redact`].
pub fn redact_contacts(text: &str) -> Cow<'_, str> {
    redact(text)
}

/// How many characters from `i` on satisfy `f`.
fn run(chars: &[char], i: usize, f: impl Fn(char) -> bool) -> usize {
    chars.get(i..).map_or(0, |rest| rest.iter().take_while(|&&c| f(c)).count())
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// The end of `word` (lower case; a space in it matches any white space) at `i`, ignoring case,
/// when it stands there as a whole word.
fn word_at(chars: &[char], i: usize, word: &str) -> Option<usize> {
    if i > 0 && chars.get(i - 1).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    let mut j = i;
    for w in word.chars() {
        if w == ' ' {
            let n = run(chars, j, char::is_whitespace);
            if n == 0 {
                return None;
            }
            j += n;
        } else if chars.get(j).is_some_and(|&c| lower(c) == w) {
            j += 1;
        } else {
            return None;
        }
    }
    (!chars.get(j).is_some_and(|c| c.is_alphanumeric())).then_some(j)
}

/// Up to 40 characters before `i`, lower case, trailing white space removed.
fn lower_before(chars: &[char], i: usize) -> String {
    let before: String = chars[i.saturating_sub(40)..i].iter().map(|&c| lower(c)).collect();
    before.trim_end().to_owned()
}

/// Whether `before` (from [`lower_before`]) ends with the whole word(s) `phrase`.
fn ends_with_words(before: &str, phrase: &str) -> bool {
    before.strip_suffix(phrase).is_some_and(|rest| !rest.chars().next_back().is_some_and(char::is_alphanumeric))
}

/// An `@` (`symbol`) or `.` at `i`, plain or written out: its end, and whether it was a plain
/// symbol with no space around it.
fn connector(chars: &[char], i: usize, symbol: char, words: &[&str]) -> Option<(usize, bool)> {
    let ws = |k: usize| k + run(chars, k, char::is_whitespace);
    let j = ws(i);
    let c = *chars.get(j)?;
    if c == symbol {
        let end = ws(j + 1);
        return Some((end, j == i && end == j + 1));
    }
    let close = match c {
        '[' => ']',
        '(' => ')',
        '{' => '}',
        '<' => '>',
        _ if j > i => {
            let end = words.iter().find_map(|w| word_at(chars, j, w))?;
            return (ws(end) > end).then_some((ws(end), false));
        }
        _ => return None,
    };
    let k = ws(j + 1);
    let inner = if chars.get(k) == Some(&symbol) { k + 1 } else { words.iter().find_map(|w| word_at(chars, k, w))? };
    let k = ws(inner);
    (chars.get(k) == Some(&close)).then(|| (ws(k + 1), false))
}

/// Email addresses: a local part, an `@`, then labels joined by `.`, each plain or written out.
fn emails(chars: &[char]) -> Vec<Span> {
    let local = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let label = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_');
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() || (i > 0 && local(chars[i - 1])) {
            i += 1;
            continue;
        }
        let at = i + run(chars, i, local);
        let mut best = None;
        if let Some((mut j, mut tight)) = connector(chars, at, '@', AT_WORDS) {
            let mut dots = 0;
            let mut n = run(chars, j, label);
            while n > 0 {
                let last: String = chars[j..j + n].iter().map(|&c| lower(c)).collect();
                if dots > 0 && (tight || TLDS.contains(&last.as_str())) {
                    best = Some(j + n);
                }
                let Some((k, t)) = connector(chars, j + n, '.', DOT_WORDS) else { break };
                (j, tight, dots) = (k, tight && t, dots + 1);
                n = run(chars, j, label);
            }
        }
        match best {
            Some(end) => {
                spans.push(Span { start: i, end, mark: EMAIL_MARK });
                i = end;
            }
            None => i = at,
        }
    }
    spans
}

/// Licence plates: a province's two digits, a series of one or two letters (and a digit), then
/// `123.45`, `12345`, or `1234` after a dash.
fn plates(chars: &[char]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = i == 0 || !(chars[i - 1].is_alphanumeric() || matches!(chars[i - 1], '-' | '.' | '/' | '_'));
        match starts.then(|| plate_at(chars, i)).flatten() {
            Some(end) => {
                spans.push(Span { start: i, end, mark: PLATE_MARK });
                i = end;
            }
            None => i += 1,
        }
    }
    spans
}

fn plate_at(chars: &[char], i: usize) -> Option<usize> {
    let digits = |j: usize| run(chars, j, |c| c.is_ascii_digit());
    if digits(i) != 2 {
        return None;
    }
    let dashed = chars.get(i + 2) == Some(&'-');
    let j = i + 2 + usize::from(dashed);
    let letters = run(chars, j, |c| c.is_ascii_uppercase());
    if !(1..=2).contains(&letters) {
        return None;
    }
    let j = j + letters;
    // The series' digit (`29A1`, `43-B1`) may be there; with it first, then without.
    let series = usize::from(chars.get(j).is_some_and(char::is_ascii_digit));
    (0..=series).rev().find_map(|s| {
        let sep = chars.get(j + s).copied().filter(|&c| c == '-' || c == ' ');
        let k = j + s + usize::from(sep.is_some());
        let n = digits(k);
        let end = if n == 3 && chars.get(k + 3) == Some(&'.') && digits(k + 4) == 2 {
            k + 6
        } else if n == 5 || (n == 4 && (sep == Some('-') || (dashed && sep.is_some()))) {
            k + n
        } else {
            return None;
        };
        let glued = |c: char| c.is_alphanumeric() || (matches!(c, '.' | '-') && digits(end + 1) > 0);
        (!chars.get(end).is_some_and(|&c| glued(c))).then_some(end)
    })
}

/// ID numbers after an ID's name (`CCCD`, `CMND`, `căn cước`, `hộ chiếu`…).
fn id_numbers(chars: &[char]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some(mut j) = ID_NAMES.split('|').find_map(|w| word_at(chars, i, w)) else {
            i += 1;
            continue;
        };
        for _ in 0..6 {
            j += run(chars, j, |c| c.is_whitespace() || matches!(c, ':' | '#' | '='));
            match ID_FILLERS.iter().find_map(|w| word_at(chars, j, w)) {
                Some(end) => j = end,
                None => break,
            }
        }
        match id_number_at(chars, j) {
            Some(end) => {
                spans.push(Span { start: j, end, mark: ID_MARK });
                i = end;
            }
            None => i = j.max(i + 1),
        }
    }
    spans
}

/// The end of the longest ID number at `i`: a passport's letter and 7–8 digits, or 8 to 12
/// digits, in groups split by single spaces, dots or dashes.
fn id_number_at(chars: &[char], i: usize) -> Option<usize> {
    let letter = chars.get(i).is_some_and(char::is_ascii_uppercase);
    let mut j = i + usize::from(letter);
    let (mut count, mut best) = (0, None);
    loop {
        let n = run(chars, j, |c| c.is_ascii_digit());
        if n == 0 || count + n > 12 {
            return best;
        }
        (count, j) = (count + n, j + n);
        let fits = if letter { (7..=8).contains(&count) } else { count >= 8 };
        if fits && !chars.get(j).is_some_and(|c| c.is_alphanumeric()) {
            best = Some(j);
        }
        if !(matches!(chars.get(j), Some(' ' | '.' | '-')) && chars.get(j + 1).is_some_and(char::is_ascii_digit)) {
            return best;
        }
        j += 1;
    }
}

/// A national number without its leading `0`: a mobile's 9 digits (`905 123 456`), or 10 from
/// `2` (a landline, `236 3821 234`) or `1` (an old mobile).
fn national(n: &str) -> bool {
    !n.starts_with('0') && (n.len() == 9 || (n.len() == 10 && (n.starts_with('1') || n.starts_with('2'))))
}

/// What a number's digits are, if personal: a citizen ID, or a phone number.
fn number_kind(digits: &str) -> Option<&'static str> {
    if digits.len() == 12 && digits.starts_with('0') {
        return Some(ID_MARK);
    }
    let intl = digits.strip_prefix("0084").or_else(|| digits.strip_prefix("84"));
    let intl = intl.map(|rest| rest.strip_prefix('0').unwrap_or(rest));
    [intl, digits.strip_prefix('0')].into_iter().flatten().any(national).then_some(PHONE_MARK)
}

/// Whether a number may start at `i`: not glued to a word, a code, a decimal or an address.
fn number_starts(chars: &[char], i: usize) -> bool {
    match i.checked_sub(1).map(|k| chars[k]) {
        None => true,
        Some('+') => i < 2 || !chars[i - 2].is_alphanumeric(),
        Some(c) => !(c.is_alphanumeric() || matches!(c, '-' | '.' | '/' | '_' | '\\')),
    }
}

/// Phone numbers and bare citizen IDs: at each start, the longest run of digit groups (split by
/// one or two of ` .-()`) that is one, with a leading `+` and a bracket closed inside it.
fn numbers(chars: &[char]) -> Vec<Span> {
    let digit = |c: char| c.is_ascii_digit();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || !number_starts(chars, i) {
            i += 1;
            continue;
        }
        let mut open = i;
        while open > 0
            && i - open < 2
            && matches!(chars[open - 1], '+' | '(')
            && !chars[open..i].contains(&chars[open - 1])
        {
            open -= 1;
        }
        let first = run(chars, i, digit);
        let mut digits = String::new();
        let (mut j, mut best) = (i, None);
        loop {
            let n = run(chars, j, digit);
            digits.extend(&chars[j..j + n]);
            j += n;
            if digits.len() > 14 {
                break;
            }
            let glued = chars.get(j).is_some_and(|&c| c.is_alphanumeric() || matches!(c, '/' | '_' | '@'));
            if let Some(mark) = number_kind(&digits).filter(|_| !glued) {
                // Start at the `+`/`(` if every bracket opened in the number closes in it.
                let balanced = |s: usize| {
                    let count = |b: char| chars[s..j].iter().filter(|&&c| c == b).count();
                    count('(') <= count(')')
                };
                if let Some(s) = [open, open + 1, i].into_iter().filter(|&s| s <= i).find(|&s| balanced(s)) {
                    best = Some(Span { start: s, end: j, mark });
                }
            }
            let seps = run(chars, j, |c| matches!(c, ' ' | '.' | '-' | '(' | ')'));
            if !((1..=2).contains(&seps) && chars.get(j + seps).is_some_and(char::is_ascii_digit)) {
                break;
            }
            j += seps;
        }
        let dated = first <= 2 && !(first == 2 && digits.starts_with("84"));
        match best.filter(|_| !dated) {
            Some(span) => {
                i = span.end;
                spans.push(span);
            }
            None => i += first,
        }
    }
    spans
}

/// A word with a capital first letter and the rest lower case (`Hùng`, `A`; not `UBND`).
fn capitalised(word: &[char]) -> bool {
    word.first().is_some_and(|c| c.is_uppercase()) && word[1..].iter().all(|c| c.is_lowercase())
}

/// Whether `i` starts a sentence: the text's or a line's start, or after `.`, `!`, `?`, `:`, a
/// quote, a bracket or a list's dash — not after an abbreviation (`TP. Bà Rịa`, `P. Bà Triệu`).
fn sentence_start(chars: &[char], i: usize) -> bool {
    let k = i - chars[..i].iter().rev().take_while(|&&c| c == ' ' || c == '\t').count();
    let Some(&p) = k.checked_sub(1).map(|p| &chars[p]) else { return true };
    let abbreviation = || {
        let word = chars[..k - 1].iter().rev().take_while(|c| c.is_alphabetic()).count();
        (1..=2).contains(&word) && chars[k - 1 - word].is_uppercase()
    };
    match p {
        '.' => !abbreviation(),
        c => matches!(c, '\n' | '\r' | '!' | '?' | ':' | ';' | '"' | '“' | '(' | '-' | '–' | '…' | '*' | '•'),
    }
}

/// Names after an honorific or `tên là`/`tôi là`; the honorific stays.
fn names(chars: &[char]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphabetic() || (i > 0 && chars[i - 1].is_alphanumeric()) {
            i += 1;
            continue;
        }
        let end = i + run(chars, i, char::is_alphanumeric);
        let word: String = chars[i..end].iter().collect();
        let lowered = word.to_lowercase();
        let (honorific_word, intro_word) = (HONORIFICS.contains(&lowered.as_str()), lowered == "là");
        if !(honorific_word || intro_word) {
            i = end;
            continue;
        }
        // What comes before, read once for every word list below.
        let before = lower_before(chars, i);
        let after_place = PLACE_WORDS.split('|').any(|w| ends_with_words(&before, w))
            && !NOT_PLACE_WORDS.iter().any(|w| ends_with_words(&before, w));
        let honorific = honorific_word
            && (word == lowered || (capitalised(&chars[i..end]) && sentence_start(chars, i)))
            && !after_place;
        let intro = intro_word && NAME_INTROS.iter().any(|w| ends_with_words(&before, w));
        if !(honorific || intro) {
            i = end;
            continue;
        }
        // One to four capitalised words, one space apart.
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut k = end;
        while words.len() < 4 {
            let gap = run(chars, k, |c| c == ' ' || c == '\t');
            let w = run(chars, k + gap, char::is_alphanumeric);
            if gap == 0 || w == 0 || !capitalised(&chars[k + gap..k + gap + w]) {
                break;
            }
            words.push((k + gap, k + gap + w));
            k += gap + w;
        }
        let (Some(&(first, first_end)), Some(&(_, last))) = (words.first(), words.last()) else {
            i = end;
            continue;
        };
        let title: String = chars[first..first_end].iter().collect();
        let mut phrase: String = chars[i..i + 1].iter().flat_map(|c| c.to_uppercase()).collect();
        phrase.extend(&chars[i + 1..last]);
        let place = NOT_NAMES
            .split('|')
            .any(|p| phrase.strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with(' ')));
        if honorific && place || TITLES.split('|').any(|t| t == title) {
            i = end;
            continue;
        }
        spans.push(Span { start: first, end: last, mark: NAME_MARK });
        i = last;
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_and_emails_are_hidden() {
        assert_eq!(
            redact_contacts("Gọi lại cho tôi: 0905 123 456 hoặc +84 236.3821.234, email an.nguyen@gmail.com."),
            format!("Gọi lại cho tôi: {PHONE_MARK} hoặc {PHONE_MARK}, email {EMAIL_MARK}.")
        );
        assert_eq!(redact_contacts("SĐT 0905123456"), format!("SĐT {PHONE_MARK}"));
        assert_eq!(redact_contacts("0236-3821-234"), PHONE_MARK);
    }

    #[test]
    fn other_numbers_stay() {
        for text in [
            "Trùng với phản ánh DN-2611-000123",
            "Khối lượng khoảng 2,5 m3 từ ngày 05.11.2026",
            "Số nhà 123/45 Trần Phú",
            "Mã số 123456789012345",
            "",
        ] {
            assert!(matches!(redact_contacts(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn the_marks_are_stable_under_nfkc() {
        for mark in [PHONE_MARK, EMAIL_MARK, ID_MARK, NAME_MARK, PLATE_MARK] {
            assert_eq!(mark.nfkc().collect::<String>(), mark);
            assert!(matches!(redact(mark), Cow::Borrowed(_)), "{mark}");
        }
    }

    #[test]
    fn the_corpus_of_vietnamese_contact_data() {
        let corpus = include_str!("../../tests/fixtures/privacy/corpus.tsv");
        let (mut failures, mut changed, mut unchanged) = (Vec::new(), 0, 0);
        for (line_no, line) in corpus.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (input, expected) = line.split_once('\t').unwrap_or_else(|| panic!("line {}: no tab", line_no + 1));
            if input == expected {
                unchanged += 1
            } else {
                changed += 1
            }
            let got = redact(input);
            if got != expected {
                failures.push(format!("line {}: {input:?}\n   got {got:?}\n  want {expected:?}", line_no + 1));
            } else if input == expected && matches!(got, Cow::Owned(_)) {
                failures.push(format!("line {}: {input:?} unchanged but not borrowed", line_no + 1));
            }
        }
        assert!(changed + unchanged >= 80 && unchanged >= 25, "the corpus has {changed} + {unchanged} cases");
        assert!(failures.is_empty(), "{} of {} cases:\n{}", failures.len(), changed + unchanged, failures.join("\n"));
    }

    #[test]
    fn random_text_never_panics_and_redacting_twice_changes_nothing_more() {
        // A fixed xorshift walk over characters and the words the rules look for.
        let words = "84|0905|123|456|(0236)|đường|ông|Bà|Anh|chị|em|Nguyễn|Văn|Hùng|Rịa|là|tên|tôi| at |dot| chấm | a còng |vn|com|\
            CCCD|CMND|căn cước|43A|TP";
        let chars = "0123456789０９   .-()+@[]:,/\năơĐA".split("").filter(|t| !t.is_empty());
        let tokens: Vec<&str> = chars.chain(words.split('|')).collect();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as usize
        };
        for _ in 0..5000 {
            let s: String = (0..next() % 40).map(|_| tokens[next() % tokens.len()]).collect::<String>();
            let once = redact(&s).into_owned();
            assert_eq!(redact(&once), once, "{s:?}");
        }
    }
}
