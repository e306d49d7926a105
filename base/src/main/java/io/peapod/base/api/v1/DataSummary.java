package io.peapod.base.api.v1;

import java.util.Optional;

/// A ConfigMap or Secret as `get` lists it: name, a Secret's type, how many keys; never the values.
public record DataSummary(String apiVersion, String kind, ObjectMeta metadata, Optional<String> type, int dataKeys) {}
