package io.peapod.image.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.image.ref.Digest;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalContentStoreTest {
  @TempDir
  Path root;

  @Test
  void aDocumentIsReadWholeUpToTheLimitAndRefusedAboveIt() {
    LocalContentStore store = new LocalContentStore(root);
    byte[] atLimit = new byte[ContentProvider.MAX_DOCUMENT_BYTES];
    byte[] above = new byte[ContentProvider.MAX_DOCUMENT_BYTES + 1];
    above[0] = 1;
    Digest fits = store.ingest(new ByteArrayInputStream(atLimit), Optional.empty()).digest();
    Digest tooLarge = store.ingest(new ByteArrayInputStream(above), Optional.empty()).digest();

    assertArrayEquals(atLimit, store.readAll(fits));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> store.readAll(tooLarge));
    assertTrue(e.getMessage().contains("larger than 4 MiB"), e.getMessage());
  }
}
