package io.peapod.runtime;

import java.util.ArrayDeque;
import java.util.Deque;

/// The undo steps of a create that is still in progress. Each step made registers its undo; on
/// failure the undos run newest first, and their own failures are attached to the original error.
public final class Rollback {
  @FunctionalInterface
  public interface Undo {
    void run() throws Exception;
  }

  private final Deque<Undo> undos = new ArrayDeque<>();

  public void add(Undo undo) {
    undos.push(undo);
  }

  /// Runs every undo and returns `cause` with undo failures suppressed into it.
  public <E extends Throwable> E undo(E cause) {
    while (!undos.isEmpty()) {
      try {
        undos.pop().run();
      } catch (Exception e) {
        cause.addSuppressed(e);
      }
    }
    return cause;
  }
}
