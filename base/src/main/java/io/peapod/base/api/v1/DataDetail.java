package io.peapod.base.api.v1;

import java.util.Map;
import java.util.Optional;

/// One ConfigMap or Secret as `describe` shows it: a Secret's keys with the sizes of their values only;
/// a ConfigMap's text values, and the sizes of the values that are not UTF-8 text.
public record DataDetail(String apiVersion, String kind, ObjectMeta metadata, Optional<String> type,
    Map<String, Long> dataSizes, Map<String, String> data, Map<String, Long> binaryDataSizes) {}
