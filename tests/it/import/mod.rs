//! Importing areas: the library's GeoJSON reader on the fixture files (`areas`), and
//! `switchboard import areas` through the real binary into both stores (`cli`).

mod areas;
mod cli;
