//! The media directory: photos and thumbnails by content hash, written atomically and durably.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::Semaphore;

use super::{MediaError, MediaLimits, Processed};
use crate::domain::PhotoHash;

/// Temporary files left by a crash are removed at start-up once they are this old (another
/// instance sharing the directory may be writing a younger one).
const STALE_TEMP: Duration = Duration::from_secs(3600);

/// Which file of a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// `{hash}.jpg`: at most [`super::MAIN_EDGE`] pixels on its longest edge.
    Full,
    /// `{hash}.thumb.jpg`: at most [`super::THUMB_EDGE`] pixels.
    Thumb,
}

impl Variant {
    pub fn file_name(self, hash: &PhotoHash) -> String {
        match self {
            Variant::Full => format!("{hash}.jpg"),
            Variant::Thumb => format!("{hash}.thumb.jpg"),
        }
    }

    /// `{hash}.jpg` or `{hash}.thumb.jpg` with a valid hash; anything else (`..`, slashes, other
    /// extensions) is `None`.
    pub fn parse_file_name(name: &str) -> Option<(PhotoHash, Variant)> {
        let (stem, variant) = match name.strip_suffix(".thumb.jpg") {
            Some(stem) => (stem, Variant::Thumb),
            None => (name.strip_suffix(".jpg")?, Variant::Full),
        };
        let hash = PhotoHash::parse(stem, "hash").ok()?;
        // One spelling per file: upper-case hex would be a second URL for the same content.
        (hash.as_str() == stem).then_some((hash, variant))
    }
}

/// The photos on disk, and a bound on how many are decoded at once.
#[derive(Debug, Clone)]
pub struct MediaStore {
    dir: PathBuf,
    limits: MediaLimits,
    /// Decoding a large photo takes a few hundred MB and a core for a while: at most this many
    /// at once (one per core), whatever the number of uploads in flight.
    decode_slots: Arc<Semaphore>,
}

impl MediaStore {
    /// The photos under `dir` (created by [`MediaStore::ensure_dir`] or the first save).
    pub fn new(dir: impl Into<PathBuf>, limits: MediaLimits) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self { dir: dir.into(), limits, decode_slots: Arc::new(Semaphore::new(cores)) }
    }

    /// Creates the directory if needed (so a server that cannot write it fails at start-up,
    /// not at the first upload) and sweeps temporary files that a crash left behind.
    pub fn ensure_dir(&self) -> io::Result<()> {
        fs::create_dir_all(&self.dir).map_err(|e| {
            io::Error::new(e.kind(), format!("creating the media directory {}: {e}", self.dir.display()))
        })?;
        sweep_temp_files(&self.dir);
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn limits(&self) -> &MediaLimits {
        &self.limits
    }

    pub fn path(&self, hash: &PhotoHash, variant: Variant) -> PathBuf {
        self.dir.join(variant.file_name(hash))
    }

    /// Checks and re-encodes one upload on a blocking thread (see [`super::process`]).
    pub async fn process(&self, bytes: Vec<u8>) -> Result<Processed, MediaError> {
        let _slot = self.decode_slots.acquire().await.map_err(|e| MediaError::Io(io::Error::other(e)))?;
        let limits = self.limits.clone();
        tokio::task::spawn_blocking(move || super::process(&bytes, &limits))
            .await
            .map_err(|e| MediaError::Io(io::Error::other(e)))?
    }

    /// Makes the photo and its thumbnail durable under their final names. Content already
    /// there (the same hash) is not written again.
    pub async fn save(&self, photo: &Processed) -> Result<(), MediaError> {
        let dir = self.dir.clone();
        let files = [
            (Variant::Thumb.file_name(&photo.hash), photo.thumb.clone()),
            (Variant::Full.file_name(&photo.hash), photo.jpeg.clone()),
        ];
        tokio::task::spawn_blocking(move || {
            fs::create_dir_all(&dir)?;
            let mut wrote = false;
            for (name, bytes) in files {
                wrote |= write_once(&dir, &name, &bytes)?;
            }
            if wrote {
                // The renames are durable once the directory entry is.
                File::open(&dir)?.sync_all()?;
            }
            Ok::<_, io::Error>(())
        })
        .await
        .map_err(|e| MediaError::Io(io::Error::other(e)))??;
        Ok(())
    }

    /// The bytes of a stored file, or `None` if there is none.
    pub async fn read(&self, hash: &PhotoHash, variant: Variant) -> io::Result<Option<Vec<u8>>> {
        match tokio::fs::read(self.path(hash, variant)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Writes `dir/name` through a fsynced temporary file and a rename, unless it exists.
/// Returns whether it wrote.
fn write_once(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<bool> {
    let target = dir.join(name);
    if target.exists() {
        return Ok(false);
    }
    let temp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::now_v7().simple()));
    let result = (|| {
        let mut f = File::create_new(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&temp, &target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map(|()| true)
}

fn sweep_temp_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with('.') && name.ends_with(".tmp")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > STALE_TEMP);
        if old && let Err(e) = fs::remove_file(entry.path()) {
            tracing::warn!(file = %entry.path().display(), error = %e, "cannot remove a stale temporary photo");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_a_lower_case_hash_and_a_known_suffix() {
        let h = "a".repeat(64);
        assert_eq!(Variant::parse_file_name(&format!("{h}.jpg")).map(|x| x.1), Some(Variant::Full));
        assert_eq!(Variant::parse_file_name(&format!("{h}.thumb.jpg")).map(|x| x.1), Some(Variant::Thumb));
        for bad in [
            format!("{}.jpg", "A".repeat(64)),
            format!("{h}.png"),
            format!("{h}.jpg.tmp"),
            "..%2f..%2fetc%2fpasswd.jpg".to_owned(),
            format!("../{h}.jpg"),
            ".jpg".to_owned(),
        ] {
            assert_eq!(Variant::parse_file_name(&bad), None, "{bad}");
        }
    }

    #[tokio::test]
    async fn saving_twice_keeps_one_copy_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = MediaStore::new(dir.path().join("media"), MediaLimits::default());
        let img = image::RgbImage::from_pixel(64, 48, image::Rgb([30, 60, 90]));
        let mut png = std::io::Cursor::new(Vec::new());
        img.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let photo = store.process(png.into_inner()).await.unwrap();
        store.save(&photo).await.unwrap();
        store.save(&photo).await.unwrap();
        let mut names: Vec<String> =
            fs::read_dir(store.dir()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert_eq!(names, [format!("{}.jpg", photo.hash), format!("{}.thumb.jpg", photo.hash)]);
        assert_eq!(store.read(&photo.hash, Variant::Full).await.unwrap(), Some(photo.jpeg.clone()));
        let other = PhotoHash::parse(&"0".repeat(64), "hash").unwrap();
        assert_eq!(store.read(&other, Variant::Thumb).await.unwrap(), None);
    }
}
