//! The camera registry's operations: listing (with "near a point"), and the admin's create,
//! replace and delete. Each write commits its `camera.updated`/`camera.deleted` event with the
//! camera and wakes the camera follower. Roles are checked by the HTTP layer.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{ReferenceData, ServiceError, ServiceResult};
use crate::cameras::CameraClient;
use crate::domain::camera::{CameraInput, CameraSpec};
use crate::domain::{Camera, CameraCode, Location, ValidationErrors};
use crate::live::Live;
use crate::store::Store;

/// Farthest "near" search, in metres.
pub const MAX_NEAR_RADIUS_M: f64 = 20_000.0;
/// Most cameras a "near" search returns.
pub const MAX_NEAR_LIMIT: usize = 50;

/// The camera registry and the guarded client every camera request goes through. Cheap to clone.
#[derive(Clone)]
pub struct Cameras {
    store: Arc<dyn Store>,
    client: CameraClient,
    reference: ReferenceData,
    /// Its camera feed's follower is woken after each write.
    live: Arc<Live>,
}

impl Cameras {
    pub fn new(store: Arc<dyn Store>, client: CameraClient, reference: ReferenceData, live: Arc<Live>) -> Self {
        Self { store, client, reference, live }
    }

    /// The guarded HTTP client of the camera proxy and the health checker.
    pub fn client(&self) -> &CameraClient {
        &self.client
    }

    /// Every camera, by code.
    pub async fn cameras(&self) -> ServiceResult<Vec<Camera>> {
        Ok(self.store.cameras().await?)
    }

    pub async fn camera(&self, code: &CameraCode) -> ServiceResult<Camera> {
        self.store.camera(code).await?.ok_or_else(|| ServiceError::NotFound(format!("camera {code}")))
    }

    /// Cameras within `radius_m` metres of `at`, nearest first, at most `limit`, each with its
    /// distance in metres. A scan of the registry: a city has hundreds of cameras, not millions.
    pub async fn cameras_near(&self, at: Location, radius_m: f64, limit: usize) -> ServiceResult<Vec<(Camera, f64)>> {
        let mut near: Vec<(Camera, f64)> = self
            .store
            .cameras()
            .await?
            .into_iter()
            .map(|c| {
                let d = c.location.distance_m(&at);
                (c, d)
            })
            .filter(|(_, d)| *d <= radius_m)
            .collect();
        near.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.code.cmp(&b.0.code)));
        near.truncate(limit);
        Ok(near)
    }

    /// Adds a camera; [`ServiceError::AlreadyExists`] if the code is taken.
    pub async fn create_camera(&self, input: &CameraInput) -> ServiceResult<Camera> {
        let spec = self.camera_spec(input)?;
        if self.store.camera(&spec.code).await?.is_some() {
            return Err(ServiceError::AlreadyExists(format!("camera {}", spec.code)));
        }
        self.save_camera(spec, None).await
    }

    /// Replaces the camera `code` (the body's code must be the same).
    pub async fn replace_camera(&self, code: &CameraCode, input: &CameraInput) -> ServiceResult<Camera> {
        let spec = self.camera_spec(input)?;
        if &spec.code != code {
            return Err(ValidationErrors::single("code", "the code in the body must be the camera's code").into());
        }
        let old = self.camera(code).await?;
        self.save_camera(spec, Some(&old)).await
    }

    /// Inserts or replaces cameras from an import (no existence check), one event each.
    pub async fn import_camera(&self, spec: CameraSpec) -> ServiceResult<Camera> {
        let old = self.store.camera(&spec.code).await?;
        self.save_camera(spec, old.as_ref()).await
    }

    pub async fn delete_camera(&self, code: &CameraCode) -> ServiceResult<()> {
        match self.store.delete_camera(code, Utc::now()).await? {
            Some(ev) => {
                tracing::info!(camera = %code, seq = ev.seq, "camera deleted");
                self.live.cameras.wake.notify_one();
                Ok(())
            }
            None => Err(ServiceError::NotFound(format!("camera {code}"))),
        }
    }

    /// Parses an admin's camera and refuses a source whose host is written as an address the
    /// proxy would refuse (names are checked when they are resolved, at every request).
    fn camera_spec(&self, input: &CameraInput) -> ServiceResult<CameraSpec> {
        let spec = input.parse()?;
        if let Some(ip) = spec.source.literal_ip()
            && let Err(why) = self.client.policy().check(ip)
        {
            return Err(ValidationErrors::single(
                "source",
                format!("the address {ip} is {} and not allow-listed (serve --camera-allow)", why.as_str()),
            )
            .into());
        }
        Ok(spec)
    }

    async fn save_camera(&self, spec: CameraSpec, old: Option<&Camera>) -> ServiceResult<Camera> {
        let now: DateTime<Utc> = Utc::now();
        let area = self.reference.current().areas.locate(spec.location, now).cloned();
        let camera = spec.into_camera(old, area, now);
        let ev = self.store.upsert_camera(&camera).await?;
        tracing::info!(camera = %camera.code, seq = ev.seq, "camera saved");
        self.live.cameras.wake.notify_one();
        self.camera(&camera.code).await
    }
}
