#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ponder::fuzzing::prompt_files(data));
