#![no_main]
//! `switchboard::fuzzing::gpkg_geometry` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::gpkg_geometry(data));
