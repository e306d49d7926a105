package io.peapod.image.store;

import io.peapod.image.ref.Digest;
import io.peapod.image.ref.ImageRef;
import java.time.Instant;

/// One name of an image: the name, the manifest it points at, the config (whose digest is the image
/// id, as docker prints it), the size of config plus layers, and when it was stored.
public record ImageRecord(ImageRef name, Digest manifest, Digest config, long size, Instant created) {}
