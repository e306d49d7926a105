package io.peapod.base.api.v1;

/// One entry of `metadata.ownerReferences`.
public record OwnerReference(String apiVersion, String kind, String name, String uid, boolean controller,
    boolean blockOwnerDeletion) {}
