//! Accounts in the store: users, sessions and API keys.

use std::sync::Arc;

use chrono::{Duration, Utc};
use switchboard::domain::{Role, TrackingToken};
use switchboard::store::{ApiKey, Store, StoreError};
use uuid::Uuid;

use crate::harness::*;
use crate::on_both_stores;

async fn users_sessions_and_api_keys((store, _db): (Arc<dyn Store>, TestDb)) {
    let admin = sample_user("admin", Role::Admin);
    let mut leader = sample_user("lanh-dao", Role::Leader);
    leader.user.units.clear();
    store.create_user(admin.clone()).await.unwrap();
    store.create_user(leader.clone()).await.unwrap();
    let mut again = sample_user("admin", Role::Operator);
    again.password_hash = "other".into();
    match store.create_user(again).await {
        Err(StoreError::AlreadyExists(what)) => assert!(what.contains("admin"), "{what}"),
        other => panic!("expected AlreadyExists, got {other:?}"),
    }
    assert_eq!(store.user_by_name("admin").await.unwrap(), Some((admin.user.clone(), admin.password_hash.clone())));
    assert_eq!(store.user_by_name("nobody").await.unwrap(), None);
    assert_eq!(store.users().await.unwrap(), vec![admin.user.clone(), leader.user.clone()]);

    let now = Utc::now();
    let (live, stale) = (TrackingToken::generate().hash(), TrackingToken::generate().hash());
    store.create_session(&live, leader.user.id, now + Duration::hours(8)).await.unwrap();
    store.create_session(&stale, admin.user.id, now - Duration::seconds(1)).await.unwrap();
    assert_eq!(store.session_user(&live, now).await.unwrap(), Some(leader.user.clone()));
    assert_eq!(store.session_user(&stale, now).await.unwrap(), None, "an expired session is not returned");
    assert_eq!(store.session_user(&live, now + Duration::hours(9)).await.unwrap(), None);
    assert_eq!(store.session_user(b"unknown", now).await.unwrap(), None);
    store.delete_session(&live).await.unwrap();
    assert_eq!(store.session_user(&live, now).await.unwrap(), None);

    let key = ApiKey { id: Uuid::now_v7(), name: "open311-zalo".into(), role: Role::Open311, created_at: at(1_500) };
    let hash = TrackingToken::generate().hash();
    store.create_api_key(&key, &hash).await.unwrap();
    let mut expected = key.clone();
    expected.created_at = at(1_000);
    assert_eq!(store.api_key(&hash).await.unwrap(), Some(expected));
    assert_eq!(store.api_key(b"nope").await.unwrap(), None);
    let dup = ApiKey { id: Uuid::now_v7(), ..key.clone() };
    assert!(matches!(
        store.create_api_key(&dup, &TrackingToken::generate().hash()).await,
        Err(StoreError::AlreadyExists(_))
    ));
    let same_secret = ApiKey { id: Uuid::now_v7(), name: "other".into(), ..key };
    assert!(matches!(store.create_api_key(&same_secret, &hash).await, Err(StoreError::AlreadyExists(_))));
}

on_both_stores!(users_sessions_and_api_keys,);
