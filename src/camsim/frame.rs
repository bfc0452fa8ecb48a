//! camsim's frames: a moving test pattern with the camera number and the current time (Đà
//! Nẵng time, to the millisecond) drawn in the public-domain 8×8 bitmap font, as a JPEG.

use chrono::{DateTime, Utc};
use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, Rgb, RgbImage};

/// Frame size in pixels.
pub const WIDTH: u32 = 320;
pub const HEIGHT: u32 = 240;

/// Draws `text` at (`x`, `y`) with each font pixel a `scale`×`scale` square.
fn draw_text(img: &mut RgbImage, text: &str, x: u32, y: u32, scale: u32, colour: Rgb<u8>) {
    for (i, ch) in text.chars().enumerate() {
        let glyph = font8x8::legacy::BASIC_LEGACY.get(ch as usize).copied().unwrap_or([0; 8]);
        for (row, bits) in glyph.iter().enumerate() {
            for col in 0..8u32 {
                if bits & (1 << col) == 0 {
                    continue;
                }
                for dy in 0..scale {
                    for dx in 0..scale {
                        let px = x + (i as u32 * 8 + col) * scale + dx;
                        let py = y + row as u32 * scale + dy;
                        if px < img.width() && py < img.height() {
                            img.put_pixel(px, py, colour);
                        }
                    }
                }
            }
        }
    }
}

/// The frame of camera `n` at `at`.
pub fn render(n: usize, at: DateTime<Utc>) -> RgbImage {
    let ms = at.timestamp_millis();
    let shift = (ms / 20) as u32;
    let hue = (n as u32 * 47) % 255;
    let mut img = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let v = ((x + shift) % 256) as u8;
        Rgb([v / 2 + hue as u8 / 2, (y % 256) as u8 / 2 + 40, 160 - v / 3])
    });
    // A bar sweeping across once every 4 s, so motion is plain to see.
    let bar = ((ms % 4000) as u32 * WIDTH / 4000).min(WIDTH - 12);
    for x in bar..bar + 12 {
        for y in 0..HEIGHT {
            img.put_pixel(x, y, Rgb([255, 255, 255]));
        }
    }
    for x in 0..WIDTH {
        for y in 8..64 {
            img.put_pixel(x, y, Rgb([0, 0, 0]));
        }
    }
    let local = at.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    draw_text(&mut img, &format!("CAMSIM {n:03}"), 8, 12, 2, Rgb([255, 220, 0]));
    draw_text(&mut img, &local.format("%H:%M:%S%.3f").to_string(), 8, 32, 2, Rgb([255, 255, 255]));
    draw_text(&mut img, &local.format("%Y-%m-%d UTC+7").to_string(), 8, 52, 1, Rgb([200, 200, 200]));
    img
}

/// The frame of camera `n` at `at`, as a JPEG.
pub fn jpeg(n: usize, at: DateTime<Utc>) -> Vec<u8> {
    let img = render(n, at);
    let mut out = Vec::with_capacity(24 * 1024);
    JpegEncoder::new_with_quality(&mut out, 75)
        .encode(img.as_raw(), WIDTH, HEIGHT, ExtendedColorType::Rgb8)
        .expect("encoding a JPEG into memory cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_move_and_carry_the_time() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-22T01:02:03.456Z").unwrap().with_timezone(&Utc);
        let a = render(1, t);
        let b = render(1, t + chrono::Duration::milliseconds(500));
        assert_ne!(a, b, "the pattern moves");
        // The timestamp row differs between two times, at the same camera.
        let c = render(1, t + chrono::Duration::seconds(1));
        let row = |img: &RgbImage| {
            (32..48).flat_map(|y| (8..200).map(move |x| (x, y))).map(|(x, y)| img.get_pixel(x, y).0).collect::<Vec<_>>()
        };
        assert_ne!(row(&a), row(&c));
        let jpeg = jpeg(1, t);
        assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) && jpeg.ends_with(&[0xFF, 0xD9]));
    }
}
