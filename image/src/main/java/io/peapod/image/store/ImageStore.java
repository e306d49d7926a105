package io.peapod.image.store;

import io.peapod.image.ref.Digest;
import io.peapod.image.ref.ImageRef;
import io.peapod.state.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// Image names in the state database.
public final class ImageStore {
  private static final List<String> SCHEMA = List.of(
      "CREATE TABLE images (name TEXT PRIMARY KEY, manifest_digest TEXT NOT NULL, config_digest TEXT NOT NULL,"
          + " size INTEGER NOT NULL, created TEXT NOT NULL)");
  private final Database db;

  public ImageStore(Database db) {
    this.db = db;
    db.migrate("images", SCHEMA);
  }

  public void put(ImageRecord r) {
    db.update("INSERT INTO images(name, manifest_digest, config_digest, size, created) VALUES (?,?,?,?,?) "
            + "ON CONFLICT(name) DO UPDATE SET manifest_digest=excluded.manifest_digest,"
            + " config_digest=excluded.config_digest, size=excluded.size, created=excluded.created",
        r.name().toString(), r.manifest().toString(), r.config().toString(), r.size(), r.created().toString());
  }

  public Optional<ImageRecord> byName(ImageRef name) {
    return db.queryOne("SELECT * FROM images WHERE name = ?", ImageStore::row, name.toString());
  }

  public List<ImageRecord> byManifest(Digest manifest) {
    return db.query("SELECT * FROM images WHERE manifest_digest = ? ORDER BY name", ImageStore::row, manifest.toString());
  }

  /// Images whose config digest (image id) starts with the given hex prefix.
  public List<ImageRecord> byIdPrefix(String hexPrefix) {
    return db.query("SELECT * FROM images WHERE config_digest LIKE ? ORDER BY name", ImageStore::row,
        "sha256:" + hexPrefix + "%");
  }

  public List<ImageRecord> list() {
    return db.query("SELECT * FROM images ORDER BY name", ImageStore::row);
  }

  public boolean remove(ImageRef name) {
    return db.update("DELETE FROM images WHERE name = ?", name.toString()) > 0;
  }

  private static ImageRecord row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new ImageRecord(ImageRef.parse(rs.getString("name")), Digest.parse(rs.getString("manifest_digest")),
        Digest.parse(rs.getString("config_digest")), rs.getLong("size"), Instant.parse(rs.getString("created")));
  }
}
