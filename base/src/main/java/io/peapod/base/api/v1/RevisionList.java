package io.peapod.base.api.v1;

import io.peapod.base.json.KeepEmpty;
import java.util.List;

/// `rollout history`: a Deployment's revisions, oldest first.
public record RevisionList(@KeepEmpty List<Revision> items) {
  public RevisionList {
    items = List.copyOf(items);
  }

  public record Revision(long revision, String replicaSet, String changeCause) {}
}
