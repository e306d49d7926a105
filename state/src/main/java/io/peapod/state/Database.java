package io.peapod.state;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.ResourceExhaustedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/// One SQLite connection used by all callers in turn. SQLite serializes writers anyway; one
/// connection behind a lock keeps transactions simple and cannot deadlock on `SQLITE_BUSY`.
public final class Database implements AutoCloseable {
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  /// Below this much free space, a failed statement is taken for a full disk.
  private static final long MIN_FREE_BYTES = 256 * 1024;
  private final Path file;

  private Database(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
      .withZone(ZoneOffset.UTC);

  /// An instant as stored: fixed width with nanoseconds, so that text order is time order in SQL
  /// (`Instant.toString` drops zero digits, and "05Z" would sort after "05.1Z"). `Instant.parse` reads it.
  public static String time(Instant t) {
    return TIME.format(t);
  }

  public static Database open(Path file) {
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("CREATE TABLE IF NOT EXISTS schema_versions (owner TEXT PRIMARY KEY, version INTEGER NOT NULL)");
      }
      return new Database(file, c);
    } catch (SQLException e) {
      throw new InternalException("open state database " + file, e);
    }
  }

  /// Applies the owner's migration steps that have not run yet, each in its own transaction.
  /// Step `i` (0-based) takes the owner's schema from version `i` to `i + 1`.
  public void migrate(String owner, List<String> steps) {
    inTransaction(tx -> {
      int current = tx.queryOne("SELECT version FROM schema_versions WHERE owner = ?", r -> r.getInt(1), owner)
          .orElse(0);
      for (int i = current; i < steps.size(); i++) {
        for (String sql : steps.get(i).split(";")) {
          if (!sql.isBlank()) {
            tx.update(sql);
          }
        }
      }
      tx.update("INSERT INTO schema_versions(owner, version) VALUES(?, ?) "
          + "ON CONFLICT(owner) DO UPDATE SET version = excluded.version", owner, Math.max(current, steps.size()));
      return null;
    });
  }

  /// Runs `work` in one transaction, committed when it returns and rolled back when it throws.
  public <T> T inTransaction(TransactionWork<T> work) {
    lock.lock();
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run(new Transaction());
        connection.commit();
        return result;
      } catch (RuntimeException | SQLException e) {
        // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL among them); the rollback
        // then fails too, and must not hide the first error, which says what happened.
        RuntimeException cause = e instanceof SQLException s ? translate(s) : (RuntimeException) e;
        try {
          connection.rollback();
        } catch (SQLException alreadyRolledBack) {
          cause.addSuppressed(alreadyRolledBack);
        }
        throw cause;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw translate(e);
    } finally {
      lock.unlock();
    }
  }

  public int update(String sql, Object... params) {
    return inTransaction(tx -> tx.update(sql, params));
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
    return inTransaction(tx -> tx.query(sql, mapper, params));
  }

  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
    return inTransaction(tx -> tx.queryOne(sql, mapper, params));
  }

  /// A full disk does not always say so: SQLite may roll the transaction back when it cannot spill its
  /// cache, and the commit then only says that no transaction is active. So any failure while the
  /// database's file system is (nearly) full is reported as what it is.
  private RuntimeException translate(SQLException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("SQLITE_FULL") || msg.contains("disk is full") || msg.contains("No space left")
        || usableBytes() < MIN_FREE_BYTES) {
      return new ResourceExhaustedException("state database " + file + ": disk full (" + usableBytes()
          + " bytes free); free space on that file system and try again", e);
    }
    return new InternalException("state database " + file + ": " + msg, e);
  }

  private long usableBytes() {
    try {
      return Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace();
    } catch (IOException unknown) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw translate(e);
    } finally {
      lock.unlock();
    }
  }

  /// Statements within one transaction.
  public final class Transaction {
    private Transaction() {}

    public int update(String sql, Object... params) {
      try (PreparedStatement ps = prepare(sql, params)) {
        return ps.executeUpdate();
      } catch (SQLException e) {
        throw translate(e);
      }
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
      try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      } catch (SQLException e) {
        throw translate(e);
      }
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
      List<T> rows = query(sql, mapper, params);
      return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
      PreparedStatement ps = connection.prepareStatement(sql);
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps;
    }
  }

  @FunctionalInterface
  public interface TransactionWork<T> {
    T run(Transaction tx);
  }

  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }
}
