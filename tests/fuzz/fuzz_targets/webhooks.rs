#![no_main]
//! `switchboard::fuzzing::webhooks` under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard::fuzzing::webhooks(data));
