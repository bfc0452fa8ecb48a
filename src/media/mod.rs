//! Photos: checked by content, decoded under limits, re-encoded without metadata, and kept on
//! disk by content hash. No HTTP types here; `crate::http::media` maps requests onto it.
//!
//! - [`process`]: the bytes a client sent → a clean JPEG and its thumbnail. The format comes
//!   from the magic bytes, never from a file name or a declared type; only JPEG, PNG and WebP
//!   are accepted. Dimensions are read from the header and checked against the pixel limit
//!   before any pixel is decoded, so a "decompression bomb" (a few KB declaring 50 000 × 50 000
//!   pixels) is refused without allocating. The EXIF orientation is applied, then the image is
//!   re-encoded as a baseline JPEG: EXIF (GPS position, device, time), XMP, IPTC and ICC data
//!   are all left behind.
//! - [`MediaStore`]: `{dir}/{sha256}.jpg` and `{dir}/{sha256}.thumb.jpg`, written to a temporary
//!   file, fsynced and renamed into place (then the directory fsynced), so a crash never leaves
//!   half a file under a final name and identical content is stored once.

mod files;
mod process;

pub use files::{MediaStore, Variant};
pub use process::{MAIN_EDGE, Processed, QUALITY, THUMB_EDGE, process};

/// Limits on uploads (settings `--photo-*`).
#[derive(Debug, Clone, PartialEq)]
pub struct MediaLimits {
    /// Largest photo file accepted, in bytes.
    pub max_file_bytes: usize,
    /// Most photos in one request.
    pub max_files: usize,
    /// Largest upload request (all its photos together), in bytes.
    pub max_request_bytes: usize,
    /// Most pixels (width × height) a photo may declare; checked before decoding.
    pub max_pixels: u64,
    /// Most photos one ticket may have.
    pub max_per_ticket: usize,
}

impl Default for MediaLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 10 * 1024 * 1024,
            max_files: 5,
            max_request_bytes: 30 * 1024 * 1024,
            max_pixels: 50_000_000,
            max_per_ticket: 20,
        }
    }
}

/// Why a photo was refused or could not be kept.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The content is not a JPEG, PNG or WebP image (whatever its name or declared type).
    #[error("not a JPEG, PNG or WebP image{}", .detected.map(|d| format!(" (the content is {d})")).unwrap_or_default())]
    UnsupportedType { detected: Option<&'static str> },
    /// The image declares more pixels than allowed (a decompression bomb, or simply too big).
    #[error("{0}")]
    TooManyPixels(String),
    /// The content claims to be an image but cannot be decoded.
    #[error("the image cannot be decoded: {0}")]
    Malformed(String),
    /// The media directory could not be written or read.
    #[error("media storage: {0}")]
    Io(#[from] std::io::Error),
}
