#![no_main]
//! `switchboard::fuzzing::geojson_areas` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::geojson_areas(data));
