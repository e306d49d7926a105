package io.peapod.server.http;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/// Hands a channel's stream at most [#SLICE] bytes per write. A channel copies each write of a heap array
/// into a direct buffer of its size, which the JDK then keeps per carrier thread: whole `get pods`
/// answers for a thousand pods (~0.4 MB each) held ~60 MB outside the heap during a burst
/// (docs/benchmarks.md, daemon memory).
final class SlicedOutputStream extends FilterOutputStream {
  static final int SLICE = 16 * 1024;

  SlicedOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    for (int done = 0; done < len; done += SLICE) {
      out.write(b, off + done, Math.min(SLICE, len - done));
    }
  }
}
