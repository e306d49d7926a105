package io.peapod.controllers.pods;

import io.peapod.base.error.AlreadyExistsException;
import io.peapod.controllers.object.Workload;
import java.util.Map;

/// Creates a workload's pods under generated names (`<base><5 chars>`), trying another name when one is
/// taken: names never collide, even with pods made by hand.
public final class Creator {
  private static final int TRIES = 8;
  private final Pods pods;
  private final PodNames names;

  public Creator(Pods pods, PodNames names) {
    this.pods = pods;
    this.names = names;
  }

  public PodInfo create(Workload owner, String base, Map<String, Object> template, PodTemplates.Extras extras) {
    AlreadyExistsException last = null;
    for (int attempt = 0; attempt < TRIES; attempt++) {
      String name = names.generate(base);
      if (pods.exists(owner.namespace(), name)) {
        continue;
      }
      try {
        return pods.create(PodTemplates.pod(owner, template, name, extras));
      } catch (AlreadyExistsException e) {
        last = e;
      }
    }
    throw new AlreadyExistsException("no free pod name for " + owner.ref() + " after " + TRIES + " tries", last);
  }

  public Pods pods() {
    return pods;
  }
}
