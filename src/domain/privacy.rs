//! Keeping reporters' contact details out of public text. A citizen sometimes writes their
//! phone number or email into the description ("gọi lại cho tôi 0905 123 456"), and staff
//! sometimes into a note; public endpoints show such text through [`redact_contacts`].

use std::borrow::Cow;

/// What replaces a phone number.
pub const PHONE_MARK: &str = "[số điện thoại đã ẩn]";
/// What replaces an email address.
pub const EMAIL_MARK: &str = "[email đã ẩn]";

/// `text` with email addresses and Vietnamese phone numbers replaced by [`EMAIL_MARK`] and
/// [`PHONE_MARK`]. A phone number is 9 to 12 digits starting with `0`, `84` or `+84`,
/// possibly grouped by single spaces, dots or dashes (`0905 123 456`, `+84 236.3821.234`);
/// other numbers (ticket codes `DN-2611-000123`, amounts, dates) stay.
pub fn redact_contacts(text: &str) -> Cow<'_, str> {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<Cow<str>> = Vec::with_capacity(words.len());
    let mut changed = false;
    for w in &words {
        if is_email(w) {
            let trail = w.len() - w.trim_end_matches(['.', ',', ';', ':', ')', '!', '?']).len();
            out.push(Cow::Owned(format!("{EMAIL_MARK}{}", &w[w.len() - trail..])));
            changed = true;
        } else {
            out.push(Cow::Borrowed(w));
        }
    }
    let joined = out.join(" ");
    let phones = redact_phones(&joined);
    if !changed && matches!(phones, Cow::Borrowed(_)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(phones.into_owned())
}

fn is_email(w: &str) -> bool {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    match w.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !domain.starts_with('.'),
        None => false,
    }
}

/// Replaces each phone-number-like run of digits and single separators.
fn redact_phones(text: &str) -> Cow<'_, str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let prev_ok = i == 0 || !(chars[i - 1].1.is_alphanumeric() || chars[i - 1].1 == '-');
        if (c == '+' || c.is_ascii_digit()) && prev_ok {
            let mut j = if c == '+' { i + 1 } else { i };
            let mut digits = String::new();
            let mut end = j;
            while j < chars.len() {
                let d = chars[j].1;
                if d.is_ascii_digit() {
                    digits.push(d);
                    j += 1;
                    end = j;
                } else if matches!(d, ' ' | '.' | '-') && chars.get(j + 1).is_some_and(|n| n.1.is_ascii_digit()) {
                    j += 1;
                } else {
                    break;
                }
            }
            let next_ok = chars.get(end).is_none_or(|n| !n.1.is_alphanumeric());
            let local = digits.starts_with('0') && (9..=11).contains(&digits.len());
            let intl = digits.starts_with("84") && (10..=12).contains(&digits.len());
            if next_ok && (local || intl) {
                let stop = chars.get(end).map_or(text.len(), |n| n.0);
                out.push_str(&text[last..start]);
                out.push_str(PHONE_MARK);
                last = stop;
                i = end;
                continue;
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    if last == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
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
}
