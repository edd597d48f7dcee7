//! One allocation bitmap kept in storage, in the shape of upstream's `RangeAllocation`:
//!
//! ```json
//! {"kind":"RangeAllocation","apiVersion":"v1","metadata":{"creationTimestamp":null},
//!  "range":"10.0.0.0/24","data":"<base64>"}
//! ```
//!
//! `data` is the bitmap as upstream writes it: the bytes of a big integer, big-endian with no
//! leading zero bytes, whose bit `n` is set when offset `n` of the range is taken. Every change
//! is a read-modify-write under compare-and-swap, so several apiservers can share one range.

use crate::storage::{Storage, StorageError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Why an allocation failed; the service decorator turns these into upstream's messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("already allocated")]
    Taken,
    #[error("range is full")]
    Full,
    #[error("allocation storage: {0}")]
    Storage(String),
}

/// How many times a write retries after losing a compare-and-swap race.
const MAX_ATTEMPTS: usize = 64;

/// The taken offsets of one range, persisted under one storage key.
pub struct PersistedBitmap {
    storage: Arc<dyn Storage>,
    key: String,
    /// The range as written in the object's `range` field (`10.0.0.0/24`, `30000-32767`).
    range: String,
    /// Number of offsets in the range.
    size: u64,
}

impl PersistedBitmap {
    /// A bitmap of `size` offsets for `range`, stored at `key`.
    pub fn new(storage: Arc<dyn Storage>, key: String, range: String, size: u64) -> Self {
        PersistedBitmap { storage, key, range, size }
    }

    /// Takes `offset`; fails with [`AllocationError::Taken`] if it is already taken.
    pub async fn allocate(&self, offset: u64) -> Result<(), AllocationError> {
        self.modify(|taken| if taken.insert(offset) { Ok(()) } else { Err(AllocationError::Taken) })
            .await
    }

    /// Takes a free offset, preferring a random one so that concurrent servers rarely collide;
    /// offsets in `reserved` are never handed out this way.
    pub async fn allocate_next(&self, reserved: &[u64]) -> Result<u64, AllocationError> {
        let size = self.size;
        self.modify(|taken| {
            let start = if size == 0 { 0 } else { fastrand::u64(0..size) };
            let free = (0..size)
                .map(|step| (start + step) % size)
                .find(|offset| !taken.contains(offset) && !reserved.contains(offset))
                .ok_or(AllocationError::Full)?;
            taken.insert(free);
            Ok(free)
        })
        .await
    }

    /// Frees `offset`; freeing a free offset is not an error.
    pub async fn release(&self, offset: u64) -> Result<(), AllocationError> {
        self.modify(|taken| {
            taken.remove(&offset);
            Ok(())
        })
        .await
    }

    /// Replaces the whole bitmap (the repair pass, rebuilt from the stored objects).
    pub async fn replace(&self, offsets: BTreeSet<u64>) -> Result<(), AllocationError> {
        self.modify(|taken| {
            *taken = offsets.clone();
            Ok(())
        })
        .await
    }

    /// The taken offsets as stored now.
    pub async fn taken(&self) -> Result<BTreeSet<u64>, AllocationError> {
        Ok(self.read().await?.0)
    }

    async fn read(&self) -> Result<(BTreeSet<u64>, Option<i64>), AllocationError> {
        match self.storage.get(&self.key).await {
            Ok(stored) => {
                let object: Value = serde_json::from_slice(&stored.value)
                    .map_err(|error| AllocationError::Storage(error.to_string()))?;
                // A bitmap written for another range says nothing about this one; the repair pass
                // rebuilds it from the stored objects.
                let taken = if object["range"].as_str() == Some(self.range.as_str()) {
                    decode(object["data"].as_str().unwrap_or_default())?
                } else {
                    BTreeSet::new()
                };
                Ok((taken, Some(stored.mod_revision)))
            }
            Err(StorageError::NotFound { .. }) => Ok((BTreeSet::new(), None)),
            Err(error) => Err(AllocationError::Storage(error.to_string())),
        }
    }

    async fn modify<R>(
        &self,
        change: impl Fn(&mut BTreeSet<u64>) -> Result<R, AllocationError>,
    ) -> Result<R, AllocationError> {
        for _ in 0..MAX_ATTEMPTS {
            let (mut taken, revision) = self.read().await?;
            let result = change(&mut taken)?;
            let value = serde_json::to_vec(&json!({
                "kind": "RangeAllocation",
                "apiVersion": "v1",
                "metadata": {"creationTimestamp": null},
                "range": self.range,
                "data": encode(&taken),
            }))
            .map_err(|error| AllocationError::Storage(error.to_string()))?;
            let written = match revision {
                Some(revision) => self.storage.update(&self.key, value, revision).await,
                None => self.storage.create(&self.key, value).await,
            };
            match written {
                Ok(_) => return Ok(result),
                Err(
                    StorageError::Conflict { .. }
                    | StorageError::AlreadyExists { .. }
                    | StorageError::NotFound { .. },
                ) => continue,
                Err(error) => return Err(AllocationError::Storage(error.to_string())),
            }
        }
        Err(AllocationError::Storage(format!("{}: too many concurrent writers", self.key)))
    }
}

/// Base64 of the big-endian bytes of the integer whose set bits are `taken`.
fn encode(taken: &BTreeSet<u64>) -> String {
    let Some(&highest) = taken.last() else { return String::new() };
    let length = (highest / 8 + 1) as usize;
    let mut bytes = vec![0u8; length];
    for &offset in taken {
        bytes[length - 1 - (offset / 8) as usize] |= 1 << (offset % 8);
    }
    STANDARD.encode(bytes)
}

fn decode(data: &str) -> Result<BTreeSet<u64>, AllocationError> {
    let bytes = STANDARD
        .decode(data)
        .map_err(|error| AllocationError::Storage(format!("allocation bitmap: {error}")))?;
    let mut taken = BTreeSet::new();
    for (position, byte) in bytes.iter().rev().enumerate() {
        for bit in 0..8 {
            if byte & (1 << bit) != 0 {
                taken.insert(position as u64 * 8 + bit);
            }
        }
    }
    Ok(taken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::embedded::{EmbeddedOptions, EmbeddedStorage, SyncMode};

    async fn embedded() -> (Arc<dyn Storage>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let options = EmbeddedOptions {
            compaction_interval: None,
            sync_mode: SyncMode::Normal,
            ..Default::default()
        };
        let storage = EmbeddedStorage::open(dir.path(), options).await.unwrap();
        (Arc::new(storage), dir)
    }

    fn bitmap(storage: &Arc<dyn Storage>, size: u64) -> PersistedBitmap {
        PersistedBitmap::new(Arc::clone(storage), "/r/ranges/x".into(), "0-9".into(), size)
    }

    #[tokio::test]
    async fn allocations_persist_and_release() {
        let (storage, _dir) = embedded().await;
        let first = bitmap(&storage, 4);
        first.allocate(2).await.unwrap();
        assert_eq!(first.allocate(2).await, Err(AllocationError::Taken));
        // A second handle on the same key (another apiserver) sees the same state.
        let second = bitmap(&storage, 4);
        assert_eq!(second.taken().await.unwrap(), BTreeSet::from([2]));
        let mut handed_out = BTreeSet::new();
        for _ in 0..2 {
            handed_out.insert(second.allocate_next(&[0]).await.unwrap());
        }
        assert_eq!(handed_out, BTreeSet::from([1, 3]));
        assert_eq!(first.allocate_next(&[0]).await, Err(AllocationError::Full));
        first.release(3).await.unwrap();
        assert_eq!(second.allocate_next(&[0]).await, Ok(3));
        first.replace(BTreeSet::from([0])).await.unwrap();
        assert_eq!(second.taken().await.unwrap(), BTreeSet::from([0]));

        let stored: Value =
            serde_json::from_slice(&storage.get("/r/ranges/x").await.unwrap().value).unwrap();
        assert_eq!(stored["kind"], "RangeAllocation");
        assert_eq!(stored["range"], "0-9");
        assert_eq!(stored["data"], STANDARD.encode([1u8]));
    }

    #[tokio::test]
    async fn concurrent_allocators_never_hand_out_one_offset_twice() {
        let (storage, _dir) = embedded().await;
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let allocator = bitmap(&storage, 64);
                tokio::spawn(async move {
                    let mut mine = Vec::new();
                    for _ in 0..8 {
                        mine.push(allocator.allocate_next(&[]).await.unwrap());
                    }
                    mine
                })
            })
            .collect();
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        let distinct: BTreeSet<u64> = all.iter().copied().collect();
        assert_eq!(distinct.len(), 32);
        assert_eq!(bitmap(&storage, 64).taken().await.unwrap(), distinct);
    }

    #[test]
    fn bitmap_bytes_are_a_big_endian_integer() {
        let taken = BTreeSet::from([0, 9]);
        // 2^9 + 2^0 = 0x0201
        assert_eq!(STANDARD.decode(encode(&taken)).unwrap(), vec![0x02, 0x01]);
        assert_eq!(decode(&encode(&taken)).unwrap(), taken);
        assert_eq!(encode(&BTreeSet::new()), "");
        assert!(decode("").unwrap().is_empty());
    }
}
