//! Renders MapLibre/Mapbox SDF glyph PBFs for the Unicode ranges a map needs, and only those.
//!
//! ```text
//! switchboard-glyphs --out web/public/fonts --ranges 0-255,256-511 /path/NotoSans-Regular.ttf …
//! ```
//!
//! For each font it writes `OUT/{fontstack}/{start}-{end}.pbf`, where the fontstack is the font's
//! family and style name as FreeType reads them ("Noto Sans Regular"): the name a style puts in
//! `text-font`. Each range must be one of MapLibre's 256-codepoint blocks. The rendering itself is
//! `pbf_font_tools::glyph_range_for_face` with the parameters node-fontnik and Stadia Maps'
//! `build_pbf_glyphs` use (24 px, 3 px buffer, radius 8, cutoff 0.25), so the output matches
//! what MapLibre expects from any glyph server.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Parser;
use pbf_font_tools::freetype::Library;
use pbf_font_tools::prost::Message;
use pbf_font_tools::{Glyphs, glyph_range_for_face};

/// Font size in px, SDF radius and cutoff as node-fontnik and `build_pbf_glyphs` use them (the
/// 3 px buffer around each glyph is fixed inside `glyph_range_for_face`).
const SIZE: usize = 24;
const RADIUS: usize = 8;
const CUTOFF: f64 = 0.25;

#[derive(Parser, Debug)]
#[command(about)]
struct Args {
    /// Output directory; one subdirectory per fontstack is (re)written in it.
    #[arg(long)]
    out: PathBuf,
    /// Comma-separated 256-codepoint ranges, e.g. `0-255,256-511,7680-7935`.
    #[arg(long, value_delimiter = ',', required = true)]
    ranges: Vec<String>,
    /// Font files (TrueType/OpenType); every face of each file becomes a fontstack.
    #[arg(required = true)]
    fonts: Vec<PathBuf>,
}

fn parse_range(s: &str) -> Result<(u32, u32)> {
    let (a, b) = s.split_once('-').with_context(|| format!("range `{s}` is not START-END"))?;
    let (start, end): (u32, u32) = (a.trim().parse()?, b.trim().parse()?);
    if start % 256 != 0 || end != start + 255 || end > 0xFFFF {
        bail!("range `{s}` is not a 256-codepoint block like 7680-7935");
    }
    Ok((start, end))
}

fn main() -> Result<()> {
    let args = Args::parse();
    let ranges = args.ranges.iter().map(|r| parse_range(r)).collect::<Result<Vec<_>>>()?;
    let lib = Library::init().context("FreeType")?;
    for path in &args.fonts {
        let first = lib.new_face(path, 0).with_context(|| format!("reading {}", path.display()))?;
        for index in 0..first.num_faces() {
            let face = lib.new_face(path, index as isize)?;
            let mut written = Vec::new();
            let mut dir = None;
            for &(start, end) in &ranges {
                let stack = glyph_range_for_face(&face, start, end, SIZE, RADIUS, CUTOFF)
                    .with_context(|| format!("rendering {start}-{end} of {}", path.display()))?;
                let out = args.out.join(&stack.name);
                fs::create_dir_all(&out)?;
                let n = stack.glyphs.len();
                let bytes = Glyphs { stacks: vec![stack] }.encode_to_vec();
                fs::write(out.join(format!("{start}-{end}.pbf")), &bytes)?;
                written.push(format!("{start}-{end}: {n} glyphs, {} B", bytes.len()));
                dir = Some(out);
            }
            if let Some(dir) = dir {
                println!("{} → {}\n  {}", path.display(), dir.display(), written.join("\n  "));
            }
        }
    }
    Ok(())
}
