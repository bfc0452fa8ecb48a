#![no_main]
//! `switchboard::fuzzing::geojson_cameras` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::geojson_cameras(data));
