package io.peapod.sys.internal;

import io.peapod.base.error.InternalException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/// The FFM plumbing every native class shares: symbol lookup in glibc, downcall handles that capture
/// errno, and turning a failed call into a typed peapod error naming the call and its subject.
final class Libc {
  private final Linker linker = Linker.nativeLinker();
  private final SymbolLookup libc = linker.defaultLookup();
  private final StructLayout captureLayout = Linker.Option.captureStateLayout();
  private final VarHandle errnoHandle =
      captureLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private final MethodHandle strerror = plain("strerror", FunctionDescriptor.of(java.lang.foreign.ValueLayout.ADDRESS,
      java.lang.foreign.ValueLayout.JAVA_INT));

  /// A handle whose first argument is the errno capture segment.
  MethodHandle fn(String name, MemoryLayout ret, MemoryLayout... args) {
    return linker.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args),
        Linker.Option.captureCallState("errno"));
  }

  /// `syscall(2)` for calls glibc has no wrapper for (openat2, pidfd_open): the number, then
  /// `args` as variadic arguments, errno captured.
  MethodHandle syscall(MemoryLayout... args) {
    MemoryLayout[] all = new MemoryLayout[args.length + 1];
    all[0] = java.lang.foreign.ValueLayout.JAVA_LONG;
    System.arraycopy(args, 0, all, 1, args.length);
    return linker.downcallHandle(symbol("syscall"), FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_LONG, all),
        Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
  }

  MethodHandle plain(String name, FunctionDescriptor d) {
    return linker.downcallHandle(symbol(name), d);
  }

  private MemorySegment symbol(String name) {
    return libc.find(name).orElseThrow(() -> new InternalException("libc has no symbol " + name, null));
  }

  /// A call's result and the errno it left behind.
  record Result(long value, int errno) {
    boolean failed() {
      return value < 0;
    }
  }

  @FunctionalInterface
  interface Call {
    Object invoke(MemorySegment state) throws Throwable;
  }

  Result call(Arena arena, Call c) {
    MemorySegment state = arena.allocate(captureLayout);
    try {
      Object r = c.invoke(state);
      long v = r instanceof Integer i ? i : (Long) r;
      return new Result(v, v < 0 ? (int) errnoHandle.get(state, 0L) : 0);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new InternalException("native call failed", t);
    }
  }

  String describe(int errno) {
    try {
      MemorySegment s = (MemorySegment) strerror.invokeExact(errno);
      return s.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "unknown error";
    }
  }

  void check(Result r, String call, Object subject) {
    if (r.failed()) {
      throw Errno.failure(call, String.valueOf(subject), r.errno(), describe(r.errno()));
    }
  }

  /// Calls that return an error number instead of setting errno (posix_spawn and friends).
  @FunctionalInterface
  interface IntOp {
    int run() throws Throwable;
  }

  void checkReturned(String call, String what, IntOp op) {
    int rc;
    try {
      rc = op.run();
    } catch (Throwable t) {
      throw new InternalException(call + " " + what + " failed", t);
    }
    if (rc != 0) {
      throw Errno.failure(call, what, rc, describe(rc));
    }
  }
}
