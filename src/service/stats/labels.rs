//! Names of the statistics' group keys in Vietnamese and English, from the reference data.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::analytics::{Dimension, Key};
use crate::domain::{AreaCode, CategoryCode, Channel, Priority, UnitCode};
use crate::service::Reference;

/// A group's value on one dimension, with its names.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct KeyLabel {
    /// `area`, `unit`, `field`, `category`, `channel`, `priority`, `day`, `week`, `month`,
    /// `hour` or `weekday`.
    pub dimension: &'static str,
    /// The code, date (`YYYY-MM-DD`, a week by its Monday), month (`YYYY-MM`) or number;
    /// `null` for tickets without an area or unit.
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
    pub name: String,
    pub name_en: String,
}

pub fn dimension_name(d: &Dimension) -> &'static str {
    match d {
        Dimension::Area(_) => "area",
        Dimension::Unit => "unit",
        Dimension::Field => "field",
        Dimension::Category => "category",
        Dimension::Channel => "channel",
        Dimension::Priority => "priority",
        Dimension::Day => "day",
        Dimension::Week => "week",
        Dimension::Month => "month",
        Dimension::Hour => "hour",
        Dimension::Weekday => "weekday",
    }
}

pub fn channel_names(c: Channel) -> (&'static str, &'static str) {
    match c {
        Channel::Hotline => ("Đường dây nóng 1022", "Hotline 1022"),
        Channel::Web => ("Cổng thông tin", "Web portal"),
        Channel::App => ("Ứng dụng di động", "Mobile app"),
        Channel::Email => ("Thư điện tử", "Email"),
        Channel::Zalo => ("Zalo", "Zalo"),
        Channel::Facebook => ("Facebook", "Facebook"),
        Channel::Sms => ("Tin nhắn SMS", "SMS"),
        Channel::Open311 => ("Open311", "Open311"),
        Channel::Operator => ("Tổng đài viên nhập", "Entered by an operator"),
        Channel::Press => ("Báo chí", "Press"),
    }
}

pub fn priority_names(p: Priority) -> (&'static str, &'static str) {
    match p {
        Priority::Low => ("Thấp", "Low"),
        Priority::Normal => ("Bình thường", "Normal"),
        Priority::High => ("Cao", "High"),
        Priority::Urgent => ("Khẩn cấp", "Urgent"),
    }
}

/// Weekday names, Monday first: Vietnamese and English.
pub const WEEKDAYS: [(&str, &str); 7] = [
    ("Thứ Hai", "Monday"),
    ("Thứ Ba", "Tuesday"),
    ("Thứ Tư", "Wednesday"),
    ("Thứ Năm", "Thursday"),
    ("Thứ Sáu", "Friday"),
    ("Thứ Bảy", "Saturday"),
    ("Chủ nhật", "Sunday"),
];

/// The names of an area code (its latest boundary version), else the code itself.
pub fn area_names(r: &Reference, code: &AreaCode) -> (String, String) {
    r.areas
        .versions()
        .iter()
        .rev()
        .find(|a| &a.code == code)
        .map_or_else(|| (code.to_string(), code.to_string()), |a| (a.name.clone(), a.name_en.clone()))
}

pub fn unit_names(r: &Reference, code: &UnitCode) -> (String, String) {
    r.unit(code).map_or_else(|| (code.to_string(), code.to_string()), |u| (u.name_vi.clone(), u.name_en.clone()))
}

pub fn category_names(r: &Reference, code: &CategoryCode) -> (String, String) {
    r.category(code).map_or_else(|| (code.to_string(), code.to_string()), |c| (c.name_vi.clone(), c.name_en.clone()))
}

/// Labels a key of dimension `d`.
pub fn label(r: &Reference, d: &Dimension, k: &Key) -> KeyLabel {
    let owned = |(a, b): (&str, &str)| (a.to_owned(), b.to_owned());
    let none = || ("Không xác định".to_owned(), "Unknown".to_owned());
    let (value, (name, name_en)) = match (d, k) {
        (Dimension::Area(_), Key::Code(Some(c))) => {
            (c.clone().into(), AreaCode::parse(c, "").map_or_else(|_| none(), |c| area_names(r, &c)))
        }
        (Dimension::Unit, Key::Code(Some(c))) => {
            (c.clone().into(), UnitCode::parse(c, "").map_or_else(|_| none(), |c| unit_names(r, &c)))
        }
        (Dimension::Category, Key::Code(Some(c))) => {
            (c.clone().into(), CategoryCode::parse(c, "").map_or_else(|_| none(), |c| category_names(r, &c)))
        }
        (_, Key::Code(_)) => (serde_json::Value::Null, none()),
        (_, Key::Field(f)) => (serde_json::to_value(f).unwrap_or_default(), owned(f.names())),
        (_, Key::Channel(c)) => (serde_json::to_value(c).unwrap_or_default(), owned(channel_names(*c))),
        (_, Key::Priority(p)) => (serde_json::to_value(p).unwrap_or_default(), owned(priority_names(*p))),
        (Dimension::Week, Key::Date(d)) => {
            let w = d.iso_week();
            (
                d.to_string().into(),
                (format!("Tuần {}/{}", w.week(), w.year()), format!("Week {} of {}", w.week(), w.year())),
            )
        }
        (_, Key::Date(d)) => {
            (d.to_string().into(), (d.format("%d/%m/%Y").to_string(), d.format("%Y-%m-%d").to_string()))
        }
        (_, Key::Month(m)) => {
            let date = NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok();
            let vi = date.map_or_else(|| m.clone(), |d| format!("Tháng {}/{}", d.month(), d.year()));
            let en = date.map_or_else(|| m.clone(), |d| d.format("%B %Y").to_string());
            (m.clone().into(), (vi, en))
        }
        (Dimension::Weekday, Key::Number(n)) => {
            let (vi, en) = WEEKDAYS.get((*n as usize).wrapping_sub(1)).copied().unwrap_or(("?", "?"));
            ((*n).into(), owned((vi, en)))
        }
        (_, Key::Number(n)) => ((*n).into(), (format!("{n:02}:00"), format!("{n:02}:00"))),
    };
    KeyLabel { dimension: dimension_name(d), value, name, name_en }
}
