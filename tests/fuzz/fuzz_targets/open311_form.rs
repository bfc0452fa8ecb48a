#![no_main]
//! `switchboard::fuzzing::open311_form` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::open311_form(data));
