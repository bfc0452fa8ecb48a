#![no_main]
//! `switchboard::fuzzing::api_json` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::api_json(data));
