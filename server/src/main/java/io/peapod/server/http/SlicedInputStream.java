package io.peapod.server.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/// Asks a channel's stream for at most [SlicedOutputStream#SLICE] bytes per read, for the reason
/// [SlicedOutputStream] gives: a read into a large heap array goes through a direct buffer of its size,
/// which the JDK keeps per carrier thread (a request body is read whole).
final class SlicedInputStream extends FilterInputStream {
  SlicedInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return in.read(b, off, Math.min(len, SlicedOutputStream.SLICE));
  }
}
