//! Decoding under limits and re-encoding to a metadata-free JPEG plus a thumbnail.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage};
use sha2::{Digest, Sha256};

use super::{MediaError, MediaLimits};
use crate::domain::PhotoHash;

/// Longest edge of a stored photo, in pixels (larger photos are scaled down).
pub const MAIN_EDGE: u32 = 2560;
/// Longest edge of a thumbnail, in pixels.
pub const THUMB_EDGE: u32 = 320;
/// JPEG quality of stored photos and thumbnails.
pub const QUALITY: u8 = 85;
/// Longest edge a photo may declare, whatever its pixel count.
const MAX_SIDE: u32 = 20_000;

/// A photo ready to store: JPEG bytes without metadata, named by their SHA-256.
#[derive(Debug, Clone)]
pub struct Processed {
    pub hash: PhotoHash,
    pub jpeg: Vec<u8>,
    pub thumb: Vec<u8>,
    /// Of `jpeg`, upright.
    pub width: u32,
    pub height: u32,
}

/// Checks, decodes and re-encodes one photo (CPU-bound: run it off the async runtime).
pub fn process(bytes: &[u8], limits: &MediaLimits) -> Result<Processed, MediaError> {
    let format = accepted_format(bytes)?;
    let image = decode(bytes, format, limits)?;
    let rgb = flatten(image);
    let main = if rgb.width().max(rgb.height()) > MAIN_EDGE {
        DynamicImage::ImageRgb8(rgb).resize(MAIN_EDGE, MAIN_EDGE, FilterType::CatmullRom)
    } else {
        DynamicImage::ImageRgb8(rgb)
    };
    let thumb = if main.width().max(main.height()) > THUMB_EDGE {
        main.thumbnail(THUMB_EDGE, THUMB_EDGE)
    } else {
        main.clone()
    };
    let jpeg = encode(&main)?;
    let thumb = encode(&thumb)?;
    let hash = PhotoHash::from_digest(&Sha256::digest(&jpeg));
    Ok(Processed { hash, jpeg, thumb, width: main.width(), height: main.height() })
}

/// The format the magic bytes announce, if it is one we accept.
fn accepted_format(bytes: &[u8]) -> Result<ImageFormat, MediaError> {
    match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Ok(f),
        Ok(other) => Err(MediaError::UnsupportedType { detected: other.extensions_str().first().copied() }),
        Err(_) => Err(MediaError::UnsupportedType { detected: None }),
    }
}

/// Decodes with the dimensions checked before any pixel data is read, then turns the image
/// upright by its EXIF orientation.
fn decode(bytes: &[u8], format: ImageFormat, limits: &MediaLimits) -> Result<DynamicImage, MediaError> {
    // Room for the largest accepted image at 16 bits × 4 channels, plus the decoder's own
    // buffers; the pixel check below is the real guard.
    let max_alloc = limits.max_pixels.saturating_mul(8).saturating_add(64 * 1024 * 1024);
    let mut header_limits = Limits::default();
    header_limits.max_alloc = Some(max_alloc);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(header_limits.clone());
    // Reading the header allocates nothing in proportion to the declared size.
    let mut decoder = reader.into_decoder().map_err(|e| decode_error(e, limits))?;
    let (width, height) = decoder.dimensions();
    if width > MAX_SIDE
        || height > MAX_SIDE
        || u64::from(width) * u64::from(height) > limits.max_pixels
        || decoder.total_bytes() > max_alloc
    {
        return Err(too_many_pixels(Some((width, height)), limits));
    }
    let mut pixel_limits = header_limits;
    pixel_limits.max_image_width = Some(MAX_SIDE);
    pixel_limits.max_image_height = Some(MAX_SIDE);
    decoder.set_limits(pixel_limits).map_err(|e| decode_error(e, limits))?;
    // A broken EXIF block is no reason to refuse the photo: keep it as it is stored.
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| decode_error(e, limits))?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn too_many_pixels(dimensions: Option<(u32, u32)>, limits: &MediaLimits) -> MediaError {
    let megapixels = limits.max_pixels as f64 / 1e6;
    MediaError::TooManyPixels(match dimensions {
        Some((w, h)) => format!(
            "the image declares {w} × {h} pixels; at most {megapixels} megapixels and {MAX_SIDE} pixels a side are accepted"
        ),
        None => format!(
            "the image declares more pixels than accepted (at most {megapixels} megapixels, {MAX_SIDE} pixels a side)"
        ),
    })
}

fn decode_error(e: ImageError, limits: &MediaLimits) -> MediaError {
    match e {
        ImageError::Limits(_) => too_many_pixels(None, limits),
        ImageError::Unsupported(u) => MediaError::Malformed(u.to_string()),
        other => MediaError::Malformed(other.to_string()),
    }
}

/// 8-bit RGB; transparent parts laid over white (JPEG has no alpha).
fn flatten(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a)) + 127) / 255) as u8;
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

/// A baseline JPEG with a JFIF header and nothing else: no EXIF, XMP, IPTC or ICC segment.
fn encode(image: &DynamicImage) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(image)
        .map_err(|e| MediaError::Io(std::io::Error::other(e)))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, rgba: [u8; 4]) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(width, height, image::Rgba(rgba));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_large_png_becomes_a_jpeg_of_the_main_edge_and_a_thumbnail() {
        let p = process(&png(3000, 1500, [10, 120, 200, 255]), &MediaLimits::default()).unwrap();
        assert_eq!((p.width, p.height), (MAIN_EDGE, MAIN_EDGE / 2));
        assert_eq!(image::guess_format(&p.jpeg).unwrap(), ImageFormat::Jpeg);
        let thumb = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (THUMB_EDGE, THUMB_EDGE / 2));
        assert_eq!(p.hash, PhotoHash::from_digest(&Sha256::digest(&p.jpeg)));
    }

    #[test]
    fn the_same_picture_gives_the_same_hash() {
        let a = process(&png(40, 30, [1, 2, 3, 255]), &MediaLimits::default()).unwrap();
        let b = process(&png(40, 30, [1, 2, 3, 255]), &MediaLimits::default()).unwrap();
        let c = process(&png(40, 30, [200, 2, 3, 255]), &MediaLimits::default()).unwrap();
        assert_eq!(a.hash, b.hash);
        assert_ne!(a.hash, c.hash);
    }

    #[test]
    fn transparency_is_laid_over_white() {
        let p = process(&png(8, 8, [0, 0, 0, 0]), &MediaLimits::default()).unwrap();
        let px = image::load_from_memory(&p.jpeg).unwrap().to_rgb8().get_pixel(4, 4).0;
        assert!(px.iter().all(|&c| c > 245), "a transparent pixel is white, got {px:?}");
    }

    #[test]
    fn the_pixel_limit_is_checked_from_the_header() {
        let limits = MediaLimits { max_pixels: 1000, ..MediaLimits::default() };
        let err = process(&png(40, 30, [0, 0, 0, 255]), &limits).unwrap_err();
        assert!(matches!(&err, MediaError::TooManyPixels(m) if m.contains("40 × 30")), "{err}");
    }

    #[test]
    fn other_content_is_refused_by_its_magic_bytes() {
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert!(matches!(process(gif, &MediaLimits::default()), Err(MediaError::UnsupportedType { .. })));
        let text = b"<html><script>alert(1)</script></html>";
        assert!(matches!(process(text, &MediaLimits::default()), Err(MediaError::UnsupportedType { detected: None })));
        let mut truncated = png(40, 30, [0, 0, 0, 255]);
        truncated.truncate(60);
        assert!(matches!(process(&truncated, &MediaLimits::default()), Err(MediaError::Malformed(_))));
    }
}
