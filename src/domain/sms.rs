//! SMS sizes: how many segments a text takes (GSM 7-bit or UCS-2, as the network bills it),
//! and the unaccented variant of Vietnamese text for gateways that cannot send Unicode.

use unicode_normalization::UnicodeNormalization;

/// GSM 03.38's basic character set (one septet each).
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                         ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Its extension table (an escape and the character: two septets each).
const GSM_EXTENDED: &str = "^{}\\[~]|€\u{c}";

/// Septets of `c` in GSM 7-bit, or `None` if it needs UCS-2.
fn septets(c: char) -> Option<usize> {
    if GSM_BASIC.contains(c) {
        Some(1)
    } else if GSM_EXTENDED.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// How many SMS segments `text` takes: GSM 7-bit when every character allows it (160 in one
/// segment, 153 per segment of a longer message), else UCS-2 (70, then 67 per segment).
pub fn segments(text: &str) -> usize {
    let gsm: Option<usize> = text.chars().map(septets).sum();
    let (units, single, part) = match gsm {
        Some(s) => (s, 160, 153),
        None => (text.encode_utf16().count(), 70, 67),
    };
    match units {
        0 => 0,
        u if u <= single => 1,
        u => u.div_ceil(part),
    }
}

/// `text` without diacritics, in GSM 7-bit: `Hải Châu` → `Hai Chau`, `đ` → `d`; dashes and
/// quotes become their ASCII forms; anything else outside GSM becomes `?`.
pub fn unaccent(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            '–' | '—' | '−' => '-',
            '‘' | '’' => '\'',
            '“' | '”' => '"',
            '…' => '.',
            '→' => '>',
            c if septets(c).is_some() => c,
            _ => '?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_needs_ucs2_and_its_unaccented_form_fits_gsm() {
        assert_eq!(segments(""), 0);
        assert_eq!(segments(&"a".repeat(160)), 1);
        assert_eq!(segments(&"a".repeat(161)), 2);
        assert_eq!(segments(&"a".repeat(306)), 2);
        assert_eq!(segments(&"a".repeat(307)), 3);
        // An escape character counts twice.
        assert_eq!(segments(&"[".repeat(80)), 1);
        assert_eq!(segments(&"[".repeat(81)), 2);
        let vi = "Hải Châu: nhận 412, xong 398";
        assert_eq!(segments(vi), 1);
        assert_eq!(segments(&"ả".repeat(70)), 1);
        assert_eq!(segments(&"ả".repeat(71)), 2);
        assert_eq!(segments(&"ả".repeat(134)), 2);
        assert_eq!(segments(&"ả".repeat(135)), 3);
        assert_eq!(unaccent("Hải Châu, Sơn Trà – Đà Nẵng: trễ hạn 3,1%"), "Hai Chau, Son Tra - Da Nang: tre han 3,1%");
        assert_eq!(unaccent("Ngũ Hành Sơn → “Hòa Vang”"), "Ngu Hanh Son > \"Hoa Vang\"");
        assert!(unaccent("Liên Chiểu, Cẩm Lệ, Thanh Khê").chars().all(|c| septets(c).is_some()));
    }
}
