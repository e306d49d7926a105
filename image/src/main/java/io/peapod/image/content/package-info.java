/// The content store: immutable blobs addressed by digest, as in the OCI image layout.
///
/// On disk (layout v1) under `<state>/content/`: `blobs/sha256/<hex>` for committed blobs and
/// `ingest/<random>` for writes in flight. A write streams to `ingest/`, is hashed on the way,
/// fsynced, checked against the expected digest and renamed into `blobs/`; a crash mid-write leaves
/// only an `ingest/` file, which the next start removes. Nothing in `blobs/` is ever partial.
///
/// It holds manifests, configs and the layers of imported archives (an archive is read once, in its
/// own file order, so its layers wait here until the manifest says what they are). Pulled layers do
/// not pass through it: they stream through a [io.peapod.image.content.VerifyingInputStream] straight
/// into the layer store, and only the unpacked copy is kept.
package io.peapod.image.content;
