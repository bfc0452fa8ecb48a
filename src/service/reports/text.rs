//! The Friday report's texts: an SMS of at most two segments (Vietnamese, and without
//! diacritics for gateways that need it) and a plain-text email, Vietnamese then English.

use chrono::NaiveDate;

use crate::domain::{AreaCode, Field, sms};
use crate::service::Reference;
use crate::service::stats::{StatsReport, StatsRow};

/// The rendered texts of one report.
#[derive(Debug, Clone, PartialEq)]
pub struct Texts {
    pub sms: String,
    pub sms_unaccented: String,
    pub email_subject: String,
    pub email_text: String,
}

/// Segments an SMS may take.
pub const MAX_SEGMENTS: usize = 2;
/// Units listed in the email's league table, from each end.
const LEAGUE: usize = 5;

/// What the report covers, in words: `Hải Châu`, `Hải Châu, Sơn Trà`, `toàn thành phố`,
/// with the fields after a dash.
pub fn scope_name(reference: &Reference, areas: &[AreaCode], fields: &[Field]) -> String {
    let now = chrono::Utc::now();
    let mut names: Vec<String> = areas
        .iter()
        .map(|a| reference.areas.get(a, now).map_or_else(|| a.as_str().to_owned(), |x| x.name.clone()))
        .collect();
    if names.is_empty() {
        names.push("toàn thành phố".into());
    }
    let mut s = names.join(", ");
    if !fields.is_empty() {
        let f: Vec<&str> = fields.iter().map(|f| f.names().0).collect();
        s = format!("{s} – {}", f.join(", "));
    }
    s
}

fn pct(r: Option<f64>) -> String {
    r.map_or_else(|| "–".into(), |r| format!("{:.1}%", r * 100.0).replace('.', ","))
}

fn index(row: &StatsRow) -> Option<f64> {
    row.satisfaction.as_ref().and_then(|s| s.index)
}

/// The change of `now` against `before`, e.g. `+12%`, if there was a before.
fn change(now: u64, before: Option<u64>) -> Option<String> {
    let b = before.filter(|&b| b > 0)?;
    let c = (now as f64 - b as f64) * 100.0 / b as f64;
    Some(format!("{c:+.0}%"))
}

/// The unit with the highest lateness among those that settled at least 3 tickets.
fn worst(report: &StatsReport) -> Option<(&str, f64)> {
    report
        .rows
        .iter()
        .filter(|r| r.measures.on_time + r.measures.late >= 3)
        .filter_map(|r| Some((r.key.first()?.name.as_str(), r.measures.lateness_rate?)))
        .filter(|(_, l)| *l > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_owned() } else { format!("{}…", s.chars().take(max - 1).collect::<String>()) }
}

/// The first candidate within [`MAX_SEGMENTS`] (the last, cut, if none is).
fn fitting(candidates: Vec<String>, limit: impl Fn(&str) -> usize) -> String {
    let last = candidates.last().cloned().unwrap_or_default();
    candidates.into_iter().find(|c| limit(c) <= MAX_SEGMENTS).unwrap_or_else(|| {
        let mut s = last;
        while limit(&s) > MAX_SEGMENTS {
            s.pop();
        }
        s
    })
}

pub fn render(report: &StatsReport, scope: &str, from: NaiveDate, to: NaiveDate) -> Texts {
    let m = &report.total.measures;
    let before = report.previous.as_ref().map(|p| p.total.measures.received);
    let period = format!("{}–{}", from.format("%d/%m"), to.format("%d/%m"));
    let received_change = change(m.received, before).map(|c| format!(" ({c})")).unwrap_or_default();
    let sat = index(&report.total).map(|i| format!("{i:.0}")).unwrap_or_else(|| "–".into());
    let worst = worst(report);
    // Most detail first; each next candidate drops something.
    let base = |scope: &str, change: &str| {
        format!(
            "1022 {scope} {period}: nhận {}{change}, xong {}, trễ hạn {}, quá hạn {}, hài lòng {sat}/100.",
            m.received,
            m.resolved,
            pct(m.lateness_rate),
            m.overdue
        )
    };
    let worst_vi = worst.map(|(u, l)| format!(" Trễ nhiều nhất: {} {}.", short(u, 28), pct(Some(l))));
    let mut candidates = Vec::new();
    for scope in [scope.to_owned(), short(scope, 24), short(scope, 12)] {
        if let Some(w) = &worst_vi {
            candidates.push(format!("{}{w}", base(&scope, &received_change)));
        }
        candidates.push(base(&scope, &received_change));
        candidates.push(base(&scope, ""));
    }
    let sms_text = fitting(candidates.clone(), sms::segments);
    let unaccented = fitting(candidates.iter().map(|c| sms::unaccent(c)).collect(), sms::segments);

    let email_subject = format!("[1022] Báo cáo tuần {period}: {scope} / Weekly report");
    let mut e = String::new();
    e.push_str(&format!("Báo cáo tuần {period} – {scope}\n\n"));
    let line = |vi: &str, en: &str, v: String| format!("{vi} / {en}: {v}\n");
    e.push_str(&line("Tiếp nhận", "Received", format!("{}{received_change}", m.received)));
    e.push_str(&line("Đã giải quyết", "Resolved", m.resolved.to_string()));
    e.push_str(&line("Đúng hạn", "On time", format!("{} ({})", m.on_time, pct(m.on_time_rate))));
    e.push_str(&line("Trễ hạn", "Late", format!("{} ({})", m.late, pct(m.lateness_rate))));
    e.push_str(&line("Đang quá hạn", "Overdue now", m.overdue.to_string()));
    e.push_str(&line("Đang xử lý", "Open now", m.open.to_string()));
    e.push_str(&line("Chỉ số hài lòng", "Satisfaction index", format!("{sat}/100")));
    let rating = m.rating_mean.map_or_else(|| "–".into(), |r| format!("{r:.1}/5 ({} lượt / ratings)", m.rated));
    e.push_str(&line("Đánh giá của người dân", "Citizens' rating", rating));
    let mut units: Vec<&StatsRow> = report.rows.iter().filter(|r| r.measures.received + r.measures.open > 0).collect();
    units.sort_by(|a, b| {
        let key = |r: &StatsRow| r.measures.on_time_rate.unwrap_or(1.0);
        key(b).total_cmp(&key(a)).then(b.measures.resolved.cmp(&a.measures.resolved))
    });
    if !units.is_empty() {
        e.push_str("\nBảng xếp hạng đơn vị (đúng hạn, quá hạn, hài lòng) / Units' league table (on time, overdue, satisfaction)\n");
        let row = |r: &StatsRow| {
            let name = r.key.first().map_or("—", |k| k.name.as_str());
            let idx = index(r).map_or_else(|| "–".into(), |i| format!("{i:.0}"));
            format!("  {}: {} · {} · {idx}\n", short(name, 48), pct(r.measures.on_time_rate), r.measures.overdue)
        };
        let n = units.len();
        if n <= 2 * LEAGUE {
            units.iter().for_each(|r| e.push_str(&row(r)));
        } else {
            units[..LEAGUE].iter().for_each(|r| e.push_str(&row(r)));
            e.push_str(&format!("  … {} đơn vị khác / other units …\n", n - 2 * LEAGUE));
            units[n - LEAGUE..].iter().for_each(|r| e.push_str(&row(r)));
        }
    }
    e.push_str("\nChi tiết theo đơn vị trong tệp XLSX đính kèm. / Every unit's figures are in the attached XLSX.\n");
    Texts { sms: sms_text, sms_unaccented: unaccented, email_subject, email_text: e }
}
