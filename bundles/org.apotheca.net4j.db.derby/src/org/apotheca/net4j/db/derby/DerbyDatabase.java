package org.apotheca.net4j.db.derby;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;

import javax.sql.DataSource;

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
 * <p>
 * A database is either always encrypted or never: one made with a {@link BootKey} is encrypted by Derby itself (every
 * page of seg0/ and every record of log/), and is only opened with that key again; an unencrypted one is never
 * opened with a key, lest Derby encrypt it in place or, worse, keep it clear while the caller thinks it is not.
 */
public final class DerbyDatabase {

  /** Derby reports a successful shutdown of one database as an SQLException with this state... */
  private static final String DATABASE_SHUT_DOWN = "08006";

  /** ...and of the whole embedded engine with this one. */
  private static final String ENGINE_SHUT_DOWN = "XJ015";

  /** "Database 'X' not found": it was not booted in this JVM (and create=false). */
  private static final String DATABASE_NOT_FOUND = "XJ004";

  /**
   * Booting an encrypted database failed: Derby says XJ040 and chains the reason as the next exception. XBCXK: the
   * given {@code encryptionKey} does not decrypt the database's verifyKey.dat. XBM06: the database is encrypted and
   * no key (or no right boot password) was given.
   */
  private static final String WRONG_ENCRYPTION_KEY = "XBCXK";
  private static final String NEEDS_BOOT_SECRET = "XBM06";

  /** Our refusals: "the data source rejected establishment of the connection"; Derby's exception, if any, is suppressed in it. */
  public static final String REFUSED = "08004";

  /**
   * AES-256 in CBC mode. Derby only takes NoPadding modes (it encrypts whole pages and log records, already
   * block-aligned); CBC, unlike ECB, does not show equal 16-byte blocks within a page (Derby uses one IV per database,
   * derived from the key, so pages that begin alike still encrypt alike). 256 rather than 128 bits: Derby 10.17
   * accepts it and JDK 21+ ships the unlimited crypto policy, so it needs nothing extra (checked on Temurin 25).
   * Derby does not record the algorithm of a database made with an external key: it must be given at every boot,
   * or Derby assumes DES and reports a wrong key.
   */
  private static final String ENCRYPTION_ALGORITHM = "AES/CBC/NoPadding";

  private DerbyDatabase() {
  }

  /**
   * A data source for the unencrypted database in {@code directory}, which Derby creates on the first connection. An
   * encrypted database is refused with a plain message unless it is booted already (Derby checks the key at boot only).
   */
  public static EmbeddedDataSource dataSource(Path directory) {
    EmbeddedDataSource dataSource = new EmbeddedDataSource() {
      private static final long serialVersionUID = 1L;

      @Override
      public Connection getConnection() throws SQLException {
        try {
          return super.getConnection();
        } catch (SQLException e) {
          throw refusal(e, directory, false);
        }
      }

      @Override
      public Connection getConnection(String user, String password) throws SQLException {
        try {
          return super.getConnection(user, password);
        } catch (SQLException e) {
          throw refusal(e, directory, false);
        }
      }
    };
    dataSource.setDatabaseName(databaseName(directory));
    dataSource.setCreateDatabase("create");
    return dataSource;
  }

  /**
   * A data source for the encrypted database in {@code directory}: the first connection creates it encrypted with
   * {@code key}; later ones boot it with {@code key}. Refused with a plain message: a wrong key ("cannot be opened
   * with this computer's storage key") and an existing unencrypted database (left as it is). The key is in no
   * message.
   * <p>
   * Derby's {@code encryptionKey} rather than {@code bootPassword}: the 32 random bytes are the AES-256 key of the
   * data itself. With a boot password Derby generates the data key and stores it in service.properties wrapped under
   * a key it makes from the password by a byte shuffle (no key derivation function), only 128 bits long for AES
   * whatever the data key's length; that buys a cheap change of password, which protects nothing once the data key
   * was exposed (it stays the same). Changing an external key re-encrypts the database (Derby's
   * {@code newEncryptionKey}), which is what a real rotation needs anyway.
   */
  public static DataSource dataSource(Path directory, BootKey key) {
    if (key == null) {
      throw new IllegalArgumentException("no boot key for " + directory);
    }
    return new EncryptedDataSource(directory, key);
  }

  /** What CDODBUtil.createStore(...) expects; every call opens a new embedded connection (cheap: no socket). */
  public static IDBConnectionProvider connectionProvider(Path directory) {
    return DBUtil.createConnectionProvider(dataSource(directory));
  }

  /** As {@link #connectionProvider(Path)}, for the encrypted database in {@code directory}. */
  public static IDBConnectionProvider connectionProvider(Path directory, BootKey key) {
    return DBUtil.createConnectionProvider(dataSource(directory, key));
  }

  /** True if {@code directory} holds a Derby database (created, whether booted or not). */
  public static boolean exists(Path directory) {
    return Files.isRegularFile(directory.resolve(SERVICE_PROPERTIES));
  }

  /**
   * True if {@code directory} holds a Derby database that Derby encrypts: it records {@code dataEncryption=true} in
   * the database's service.properties (its algorithm and key stay out of it for an external key). False for none.
   */
  public static boolean isEncrypted(Path directory) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(directory.resolve(SERVICE_PROPERTIES))) {
      p.load(in);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new DBException("Cannot read " + directory.resolve(SERVICE_PROPERTIES) + ": " + e.getMessage(), e);
    }
    return Boolean.parseBoolean(p.getProperty("dataEncryption"));
  }

  /**
   * Shuts the database in {@code directory} down cleanly: its open connections are closed, the next boot needs no
   * log recovery and the files may be copied. Deactivate the CDO repository first, or its store's connections fail.
   * An encrypted database shuts down without its key (Derby needs the key to boot, not to stop).
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

  /**
   * Encrypts the unencrypted, cleanly shut down database in {@code directory} in place with {@code key} and shuts it
   * down again: Derby boots it with {@code dataEncryption=true}, rewrites every page of seg0/ encrypted and starts a
   * new, encrypted log. Used for a database made elsewhere (a catalogue seed from central) before it is put where the
   * node's clones live; {@link #dataSource(Path, BootKey)} never does this on its own.
   *
   * @throws DBException if there is no database, it is encrypted already, or Derby failed (the directory is then
   *           not usable: delete it)
   */
  public static void encryptExisting(Path directory, BootKey key) {
    if (!exists(directory)) {
      throw new DBException("There is no database in " + directory + " to encrypt");
    }
    if (isEncrypted(directory)) {
      throw new DBException("The database in " + directory + " is encrypted already");
    }
    EmbeddedDataSource ds = new EmbeddedDataSource();
    ds.setDatabaseName(databaseName(directory));
    ds.setConnectionAttributes("dataEncryption=true;encryptionAlgorithm=" + ENCRYPTION_ALGORITHM + ";encryptionKey="
        + key.hex());
    try (Connection connection = ds.getConnection()) {
      // booting it with these attributes is what encrypts it
    } catch (SQLException e) {
      throw new DBException("Derby could not encrypt the database in " + directory + ": " + e.getMessage());
    }
    shutdown(directory);
    if (!isEncrypted(directory)) {
      throw new DBException("Derby booted " + directory + " but did not encrypt it");
    }
  }

  private static final String SERVICE_PROPERTIES = "service.properties";

  /**
   * Derby's boot failures about keys, said plainly; any other exception as it was. Derby's exception goes along as a
   * suppressed one, not as the cause: callers show the root cause's message.
   */
  private static SQLException refusal(SQLException e, Path directory, boolean keyGiven) {
    Set<String> states = states(e);
    String message;
    if (keyGiven && (states.contains(WRONG_ENCRYPTION_KEY) || states.contains(NEEDS_BOOT_SECRET))) {
      message = "the data of " + directory + " cannot be opened with this computer's storage key";
    } else if (!keyGiven && states.contains(NEEDS_BOOT_SECRET)) {
      message = "the data of " + directory + " is encrypted: it can only be opened with its storage key";
    } else {
      return e;
    }
    SQLException plain = new SQLException(message, REFUSED);
    plain.addSuppressed(e);
    return plain;
  }

  private static Set<String> states(SQLException e) {
    Set<String> states = new LinkedHashSet<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    collectStates(e, states, seen);
    return states;
  }

  private static void collectStates(Throwable t, Set<String> states, Set<Throwable> seen) {
    if (t == null || !seen.add(t)) {
      return;
    }
    if (t instanceof SQLException sql) {
      if (sql.getSQLState() != null) {
        states.add(sql.getSQLState());
      }
      collectStates(sql.getNextException(), states, seen);
    }
    collectStates(t.getCause(), states, seen);
  }

  /**
   * One encrypted database. Each connection gets a fresh EmbeddedDataSource with the attributes it needs (create and
   * encrypt, or boot with the key): one long-lived EmbeddedDataSource would need its attributes switched under
   * concurrent callers, and would keep the key in its serializable state.
   */
  private static final class EncryptedDataSource implements DataSource {
    private final Path directory;
    private final BootKey key;
    /** Set once service.properties showed an encrypted database: it does not turn unencrypted again. */
    private volatile boolean seenEncrypted;
    private PrintWriter logWriter;
    private int loginTimeout;

    EncryptedDataSource(Path directory, BootKey key) {
      this.directory = directory;
      this.key = key;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return connect(null, null);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return connect(user, password);
    }

    private Connection connect(String user, String password) throws SQLException {
      EmbeddedDataSource ds = new EmbeddedDataSource();
      ds.setDatabaseName(databaseName(directory));
      String keyAttributes = "encryptionAlgorithm=" + ENCRYPTION_ALGORITHM + ";encryptionKey=" + key.hex();
      if (seenEncrypted) {
        ds.setConnectionAttributes(keyAttributes);
      } else if (exists(directory)) {
        if (!isEncrypted(directory)) {
          // Derby would boot it with the key ignored (clear), or with dataEncryption=true encrypt it in place
          throw new SQLException("the data of " + directory + " is stored unencrypted where encrypted data is"
              + " expected: it was not opened and is left as it is", REFUSED);
        }
        seenEncrypted = true;
        ds.setConnectionAttributes(keyAttributes);
      } else {
        // never dataEncryption=true on an existing database: on an unencrypted one Derby encrypts it in place
        ds.setCreateDatabase("create");
        ds.setConnectionAttributes("dataEncryption=true;" + keyAttributes);
      }
      try {
        return user == null ? ds.getConnection() : ds.getConnection(user, password);
      } catch (SQLException e) {
        throw refusal(e, directory, true);
      }
    }

    @Override
    public PrintWriter getLogWriter() {
      return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
      logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
      loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
      return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("Derby logs to derby.log");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      if (iface.isInstance(this)) {
        return iface.cast(this);
      }
      throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return iface.isInstance(this);
    }

    @Override
    public String toString() {
      return "encrypted Derby database " + directory;
    }
  }

  private static String databaseName(Path directory) {
    // Derby resolves relative names against derby.system.home, not the working directory: pin it down.
    return directory.toAbsolutePath().normalize().toString();
  }
}
