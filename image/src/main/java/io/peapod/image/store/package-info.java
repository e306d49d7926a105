/// The image store: which names point at which manifest, in the `images` table of the state database.
/// Schema v1: `images(name PRIMARY KEY, manifest_digest, config_digest, size, created)`; one manifest
/// may carry several names. Blobs live in the content store, unpacked layers in the layer store.
/// [io.peapod.image.store.ImageUsers] says which manifests containers run, so that garbage collection
/// keeps them after their names have gone.
package io.peapod.image.store;
