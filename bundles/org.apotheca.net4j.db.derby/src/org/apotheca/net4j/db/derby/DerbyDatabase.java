package org.apotheca.net4j.db.derby;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.eclipse.net4j.db.DBUtil;
import org.eclipse.net4j.db.IDBConnectionProvider;

/**
 * Embedded Derby databases in directories on disk, one per CDO repository.
 * <p>
 * Every autocommit in Derby waits for a disk sync, so callers batch work into transactions; CDO's DBStore
 * already does so per commit.
 */
public final class DerbyDatabase {

  /** Derby signals a successful shutdown of one database with this SQLState (as an exception). */
  private static final String DATABASE_SHUT_DOWN = "08006";

  /** ... and of the whole embedded engine with this one. */
  private static final String ENGINE_SHUT_DOWN = "XJ015";

  private DerbyDatabase() {
  }

  /** A data source for the database in {@code directory}, created on first connection. */
  public static EmbeddedDataSource dataSource(Path directory) {
    EmbeddedDataSource ds = new EmbeddedDataSource();
    ds.setDatabaseName(directory.toAbsolutePath().toString());
    ds.setCreateDatabase("create");
    return ds;
  }

  public static IDBConnectionProvider connectionProvider(Path directory) {
    return DBUtil.createConnectionProvider(dataSource(directory));
  }

  /**
   * Shuts the database in {@code directory} down cleanly, so that the next start needs no log recovery and
   * the files can be copied. Does nothing if the database was never opened in this JVM.
   *
   * @return true if Derby confirmed the shutdown
   */
  public static boolean shutdown(Path directory) {
    EmbeddedDataSource ds = new EmbeddedDataSource();
    ds.setDatabaseName(directory.toAbsolutePath().toString());
    ds.setShutdownDatabase("shutdown");
    try (Connection c = ds.getConnection()) {
      return false; // Derby never returns a connection for a shutdown request
    } catch (SQLException e) {
      return DATABASE_SHUT_DOWN.equals(e.getSQLState()) || ENGINE_SHUT_DOWN.equals(e.getSQLState());
    }
  }
}
