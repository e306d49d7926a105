package io.peapod.base.api.v1;

import io.peapod.base.json.JsonNode;

/// One line of a watch: `ADDED`, `MODIFIED` or `DELETED`, and the object as `get` shows it.
public record WatchEvent(String type, JsonNode object) {}
