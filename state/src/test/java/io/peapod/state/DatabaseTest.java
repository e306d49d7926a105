package io.peapod.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path dir;

  @Test
  void migrate_runsOnlyNewSteps_acrossReopen() {
    Path file = dir.resolve("peapod.db");
    try (Database db = Database.open(file)) {
      db.migrate("t", List.of("CREATE TABLE a (x TEXT)"));
      db.update("INSERT INTO a VALUES ('one')");
    }
    try (Database db = Database.open(file)) {
      db.migrate("t", List.of("CREATE TABLE a (x TEXT)", "ALTER TABLE a ADD COLUMN y TEXT"));
      assertEquals(List.of("one"), db.query("SELECT x FROM a WHERE y IS NULL", r -> r.getString(1)));
    }
  }

  @Test
  void inTransaction_throwing_rollsBack() {
    try (Database db = Database.open(dir.resolve("peapod.db"))) {
      db.migrate("t", List.of("CREATE TABLE a (x TEXT)"));
      assertThrows(IllegalStateException.class, () -> db.inTransaction(tx -> {
        tx.update("INSERT INTO a VALUES ('lost')");
        throw new IllegalStateException("boom");
      }));
      assertEquals(0, db.query("SELECT x FROM a", r -> r.getString(1)).size());
    }
  }
}
