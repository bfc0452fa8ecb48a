//! The photo upload flags of `switchboard serve` (`docs/api.md`, "Photos").

use std::path::PathBuf;

use clap::Args;

use crate::media::MediaLimits;

/// Photo uploads (`docs/api.md`, "Photos").
#[derive(Args)]
pub struct MediaArgs {
    /// Where photos are kept, as `{sha256}.jpg` and `{sha256}.thumb.jpg`.
    #[arg(long, env = "SWITCHBOARD_MEDIA_DIR", default_value = "./data/media")]
    pub media_dir: PathBuf,
    /// Largest photo accepted, in MiB.
    #[arg(long, env = "SWITCHBOARD_PHOTO_MAX_FILE_MIB", default_value_t = 10)]
    pub photo_max_file_mib: usize,
    /// Most photos in one upload request.
    #[arg(long, env = "SWITCHBOARD_PHOTO_MAX_FILES", default_value_t = 5)]
    pub photo_max_files: usize,
    /// Largest upload request (all its photos), in MiB.
    #[arg(long, env = "SWITCHBOARD_PHOTO_MAX_REQUEST_MIB", default_value_t = 30)]
    pub photo_max_request_mib: usize,
    /// Most pixels a photo may declare, in megapixels (checked before decoding).
    #[arg(long, env = "SWITCHBOARD_PHOTO_MAX_MEGAPIXELS", default_value_t = 50)]
    pub photo_max_megapixels: u64,
    /// Most photos one ticket may have.
    #[arg(long, env = "SWITCHBOARD_PHOTO_MAX_PER_TICKET", default_value_t = 20)]
    pub photo_max_per_ticket: usize,
}

impl MediaArgs {
    /// The limits on photo uploads.
    pub fn limits(&self) -> anyhow::Result<MediaLimits> {
        const MIB: usize = 1024 * 1024;
        anyhow::ensure!((1..=1024).contains(&self.photo_max_file_mib), "--photo-max-file-mib must be 1 to 1024");
        anyhow::ensure!(
            (self.photo_max_file_mib..=4096).contains(&self.photo_max_request_mib),
            "--photo-max-request-mib must be at least --photo-max-file-mib and at most 4096"
        );
        anyhow::ensure!((1..=100).contains(&self.photo_max_files), "--photo-max-files must be 1 to 100");
        anyhow::ensure!((1..=400).contains(&self.photo_max_megapixels), "--photo-max-megapixels must be 1 to 400");
        anyhow::ensure!(self.photo_max_per_ticket >= 1, "--photo-max-per-ticket must be at least 1");
        Ok(MediaLimits {
            max_file_bytes: self.photo_max_file_mib * MIB,
            max_files: self.photo_max_files,
            max_request_bytes: self.photo_max_request_mib * MIB,
            max_pixels: self.photo_max_megapixels * 1_000_000,
            max_per_ticket: self.photo_max_per_ticket,
        })
    }
}
