package io.peapod.base.api.v1;

/// The answer of `label` / `annotate`: whether anything changed.
public record MetadataChange(boolean changed) {}
