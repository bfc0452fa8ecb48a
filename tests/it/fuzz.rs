//! The fuzz targets (`switchboard::fuzzing`) on every `make test`: each committed corpus file
//! (`tests/fuzz/corpus/<target>/`: the seeds and every input the coverage-guided runs kept,
//! regressions included) and a batch of inputs mutated from them — bits flipped, bytes
//! replaced by interesting values, ranges cut, repeated or spliced from another seed, numbers
//! made extreme — must all return without a panic. The long runs are `make fuzz`
//! (`docs/testing.md`, "Fuzzing"). A failing input is written to `target/fuzz-failures/`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use switchboard::fuzzing::TARGETS;

/// Mutated inputs per target on each run.
const MUTANTS: usize = 1_500;

/// xorshift64*: deterministic, so a failure is the same on the next run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

const INTERESTING: &[&[u8]] = &[
    b"\0",
    b"\xff",
    b"\x7f",
    b"\x80",
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"%",
    b"&",
    b"=",
    b"\n",
    b"\xc3",
    b"\xe1\xba",
    b"-0",
    b"1e309",
    b"-1e309",
    b"NaN",
    b"99999999999999999999",
    b"null",
    b"[[[[[[[[",
    b"%ff",
    b"%00",
    b"+84",
    b"\xef\xbb\xbf",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], base: &[u8]) -> Vec<u8> {
    let mut data = base.to_vec();
    for _ in 0..=rng.below(4) {
        let len = data.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = (rng.next() & 0xff) as u8;
            }
            2 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(64)).min(len);
                data.drain(start..end);
            }
            3 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(256)).min(len);
                let chunk = data[start..end].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, chunk.iter().copied().cycle().take(chunk.len() * (1 + rng.below(8))));
            }
            4 => {
                let value = INTERESTING[rng.below(INTERESTING.len())];
                let at = rng.below(len + 1);
                if rng.below(2) == 0 && at < len {
                    let end = (at + value.len()).min(len);
                    data.splice(at..end, value.iter().copied());
                } else {
                    data.splice(at..at, value.iter().copied());
                }
            }
            5 if len > 0 => data.truncate(rng.below(len)),
            6 => {
                let other = &seeds[rng.below(seeds.len())];
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            _ => {
                // A run of digits becomes an extreme number.
                if let Some(start) = (0..len).map(|i| (i + rng.below(len)) % len).find(|&i| data[i].is_ascii_digit()) {
                    let end = (start..len).find(|&i| !data[i].is_ascii_digit()).unwrap_or(len);
                    let value = INTERESTING[17 + rng.below(4)];
                    data.splice(start..end, value.iter().copied());
                }
            }
        }
    }
    data
}

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus of {target} at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files.into_iter().map(|p| std::fs::read(p).unwrap()).collect()
}

#[test]
fn every_parser_survives_its_corpus_and_mutated_inputs() {
    let failures_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
    let mut failures = Vec::new();
    for &(name, target) in TARGETS {
        let seeds = corpus(name);
        assert!(!seeds.is_empty(), "{name} has no seed inputs in tests/fuzz/corpus/{name}");
        let mut rng = Rng(0x5EED_0000 ^ name.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))));
        let mutants = (0..MUTANTS).map(|i| {
            let base = &seeds[i % seeds.len()];
            mutate(&mut rng, &seeds, base)
        });
        for (n, input) in seeds.iter().cloned().chain(mutants).enumerate() {
            if catch_unwind(AssertUnwindSafe(|| target(&input))).is_err() {
                std::fs::create_dir_all(&failures_dir).unwrap();
                let file = failures_dir.join(format!("{name}-{n}"));
                std::fs::write(&file, &input).unwrap();
                failures.push(format!("{name}: input {n} panicked (saved as {})", file.display()));
            }
        }
    }
    assert!(failures.is_empty(), "parsers panicked:\n{}", failures.join("\n"));
}

/// The fuzz crate has a binary for every target and a corpus directory for each, and nothing
/// else: a target added to `TARGETS` without them would never be fuzzed.
#[test]
fn every_target_has_a_fuzz_binary_and_a_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for &(name, _) in TARGETS {
        let source = std::fs::read_to_string(root.join("fuzz_targets").join(format!("{name}.rs")))
            .unwrap_or_else(|e| panic!("tests/fuzz/fuzz_targets/{name}.rs: {e}"));
        assert!(source.contains(&format!("switchboard::fuzzing::{name}(")), "{name}.rs calls its target");
        assert!(manifest.contains(&format!("name = \"{name}\"")), "{name} is a [[bin]] of tests/fuzz/Cargo.toml");
        assert!(root.join("corpus").join(name).is_dir(), "tests/fuzz/corpus/{name}");
    }
    let binaries = manifest.matches("[[bin]]").count();
    assert_eq!(binaries, TARGETS.len(), "one fuzz binary per target");
}

fn seed(target: &str, name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus").join(target).join(name)).unwrap()
}

/// The seeds are real inputs that the parsers accept, so mutations start deep in each parser
/// rather than at its first check.
#[test]
fn the_seeds_are_accepted_inputs() {
    use switchboard::import::{ImportAreasOptions, gpkg, parse_areas, shp};
    let text = String::from_utf8(seed("geojson_areas", "danang-3")).unwrap();
    let areas = parse_areas(&text, &ImportAreasOptions::new("ward", "code", "name")).unwrap();
    assert_eq!(areas.areas.len(), 3, "{:?}", areas.errors);
    let data = seed("shapefile", "two-zones");
    let cut = usize::from(u16::from_le_bytes([data[0], data[1]]));
    let features = shp::features_from_bytes(&data[2..2 + cut], &data[2 + cut..]).unwrap();
    assert_eq!(features.len(), 2);
    assert_eq!(features[0]["properties"]["TEN"], "Khu dân cư An Khê");
    assert_eq!(features[1]["geometry"]["type"], "MultiPolygon");
    assert_eq!(gpkg::geometry_json(&seed("gpkg_geometry", "polygon-env"))["type"], "Polygon");
    let sub =
        switchboard::live::protocol::parse_subscribe(&String::from_utf8(seed("live_message", "subscribe")).unwrap());
    assert_eq!(sub.unwrap().since, Some(1234));
    let zalo: serde_json::Value = serde_json::from_slice(&seed("webhooks", "zalo-text")[1..]).unwrap();
    assert_eq!(switchboard::intake::adapters::zalo(&zalo).unwrap().messages.len(), 1);
    let limits = switchboard::media::MediaLimits::default();
    for photo in ["small.png", "gradient.jpg", "rotated.jpg", "gradient.webp"] {
        assert!(switchboard::media::process(&seed("photo", photo), &limits).is_ok(), "{photo}");
    }
}
