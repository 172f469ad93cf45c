package org.apotheca.net4j.db.derby;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.eclipse.net4j.db.DBException;
import org.eclipse.net4j.db.DBUtil;
import org.eclipse.net4j.db.IDBConnectionProvider;

/**
 * Embedded Derby databases in directories on disk, one directory per CDO repository.
 * <p>
 * Autocommit costs a disk sync per statement: Derby forces its log at every commit, and a connection handed out
 * here starts in autocommit mode as JDBC demands. CDO's DBStore switches its own connections to manual commit and
 * commits once per CDO commit; anything else using these connections for more than one statement must do the same.
 */
public final class DerbyDatabase {

  /** Derby reports a successful shutdown of one database as an SQLException with this state... */
  private static final String DATABASE_SHUT_DOWN = "08006";

  /** ...and of the whole embedded engine with this one. */
  private static final String ENGINE_SHUT_DOWN = "XJ015";

  /** "Database 'X' not found": it was not booted in this JVM (and create=false). */
  private static final String DATABASE_NOT_FOUND = "XJ004";

  private DerbyDatabase() {
  }

  /** A data source for the database in {@code directory}, which Derby creates on the first connection. */
  public static EmbeddedDataSource dataSource(Path directory) {
    EmbeddedDataSource dataSource = new EmbeddedDataSource();
    dataSource.setDatabaseName(databaseName(directory));
    dataSource.setCreateDatabase("create");
    return dataSource;
  }

  /** What CDODBUtil.createStore(...) expects; every call opens a new embedded connection (cheap: no socket). */
  public static IDBConnectionProvider connectionProvider(Path directory) {
    return DBUtil.createConnectionProvider(dataSource(directory));
  }

  /**
   * Shuts the database in {@code directory} down cleanly: its open connections are closed, the next boot needs no
   * log recovery and the files may be copied. Deactivate the CDO repository first, or its store's connections fail.
   *
   * @return true if Derby confirmed the shutdown, false if the database was not booted in this JVM
   * @throws DBException for any other failure
   */
  public static boolean shutdown(Path directory) {
    EmbeddedDataSource dataSource = new EmbeddedDataSource();
    dataSource.setDatabaseName(databaseName(directory));
    dataSource.setShutdownDatabase("shutdown");
    try (Connection connection = dataSource.getConnection()) {
      throw new DBException("Derby did not shut down " + directory);
    } catch (SQLException ex) {
      String state = ex.getSQLState();
      if (DATABASE_SHUT_DOWN.equals(state) || ENGINE_SHUT_DOWN.equals(state)) {
        return true;
      }
      if (DATABASE_NOT_FOUND.equals(state)) {
        return false;
      }
      throw new DBException("Shutting down Derby database " + directory + " failed", ex);
    }
  }

  private static String databaseName(Path directory) {
    // Derby resolves relative names against derby.system.home, not the working directory: pin it down.
    return directory.toAbsolutePath().normalize().toString();
  }
}
