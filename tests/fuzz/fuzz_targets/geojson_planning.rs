#![no_main]
//! `switchboard::fuzzing::geojson_planning` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::geojson_planning(data));
