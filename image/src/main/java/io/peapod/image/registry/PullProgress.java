package io.peapod.image.registry;

/// One step of a pull, for progress display: `layer` is a short digest (or the reference while
/// resolving), `status` one of resolving, exists, downloading, done, and bytes so far out of `total`
/// (-1 when unknown).
public record PullProgress(String layer, String status, long current, long total) {}
