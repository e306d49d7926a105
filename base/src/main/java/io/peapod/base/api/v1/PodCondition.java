package io.peapod.base.api.v1;

import java.time.Instant;
import java.util.Optional;

public record PodCondition(String type, String status, Instant lastTransitionTime, Optional<String> reason,
    Optional<String> message) {}
