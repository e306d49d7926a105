package io.peapod.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// lgetxattr through the real binding, on `user.*` attributes, which need no privilege.
class XattrTest {
  @TempDir Path tmp;

  @Test
  void getXattr_readsWhatWasSet_andAnAbsentOneIsEmpty() throws Exception {
    Path f = Files.createFile(tmp.resolve("f"));
    byte[] big = "v".repeat(3000).getBytes(StandardCharsets.US_ASCII);
    UserDefinedFileAttributeView view = Files.getFileAttributeView(f, UserDefinedFileAttributeView.class);
    view.write("peapod.small", ByteBuffer.wrap("y".getBytes(StandardCharsets.US_ASCII)));
    view.write("peapod.big", ByteBuffer.wrap(big));
    Syscalls sys = Syscalls.linux();
    assertArrayEquals("y".getBytes(StandardCharsets.US_ASCII), sys.getXattr(f, "user.peapod.small").orElseThrow());
    assertArrayEquals(big, sys.getXattr(f, "user.peapod.big").orElseThrow());
    assertTrue(sys.getXattr(f, "user.peapod.none").isEmpty());
  }
}
