/// The content store: immutable blobs addressed by digest, as in the OCI image layout.
///
/// On disk (layout v1) under `<state>/content/`: `blobs/sha256/<hex>` for committed blobs and
/// `ingest/<random>` for writes in flight. A write streams to `ingest/`, is hashed on the way,
/// fsynced, checked against the expected digest and renamed into `blobs/`; a crash mid-write leaves
/// only an `ingest/` file, which the next start removes. Nothing in `blobs/` is ever partial.
package io.peapod.image.content;
