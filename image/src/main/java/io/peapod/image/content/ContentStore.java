package io.peapod.image.content;

import io.peapod.image.ref.Digest;
import java.util.List;

/// All roles of the content store; consumers take the narrowest one they need.
public interface ContentStore extends ContentProvider, ContentIngester {
  void delete(Digest digest);

  List<Digest> list();
}
