#![no_main]
//! `switchboard::fuzzing::shapefile` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::shapefile(data));
