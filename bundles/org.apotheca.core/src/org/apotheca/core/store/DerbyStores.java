package org.apotheca.core.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apotheca.core.Repositories;
import org.apotheca.net4j.db.derby.BootKey;
import org.apotheca.net4j.db.derby.DerbyAdapter;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.eclipse.emf.cdo.server.IRepository;
import org.eclipse.emf.cdo.server.db.CDODBUtil;
import org.eclipse.emf.cdo.server.db.IDBStore;
import org.eclipse.emf.cdo.server.db.mapping.IMappingStrategy;
import org.eclipse.net4j.db.IDBConnectionProvider;

/**
 * The one definition of how an Apotheca CDO repository is stored, used by central's repositories and by the
 * pharmacy node's clones alike: a clone must be stored exactly like its master.
 * <p>
 * A DBStore on embedded Derby (one database directory per repository) with audits, branches and ranged lists;
 * tables created eagerly because raw replication fails on classes without a table; client-side (UUID) object ids,
 * which offline clones require so that offline creation never collides.
 */
public final class DerbyStores {

  private DerbyStores() {
  }

  /** An unencrypted store: central's (its disks are the data centre's to protect). */
  public static IDBStore store(Path databaseDir) {
    return store(DerbyDatabase.connectionProvider(databaseDir));
  }

  /**
   * A store whose Derby database is encrypted with {@code key} (a pharmacy node's clones): created encrypted, opened
   * only with that key, an unencrypted database refused (see {@link DerbyDatabase#dataSource(Path, BootKey)}).
   */
  public static IDBStore store(Path databaseDir, BootKey key) {
    return store(DerbyDatabase.connectionProvider(databaseDir, key));
  }

  private static IDBStore store(IDBConnectionProvider connections) {
    IMappingStrategy mapping = CDODBUtil.createHorizontalMappingStrategy(true, true, true);
    Map<String, String> mappingProps = new HashMap<>();
    mappingProps.put(IMappingStrategy.Props.EAGER_TABLE_CREATION, "true");
    mapping.setProperties(mappingProps);
    return CDODBUtil.createStore(mapping, new DerbyAdapter(), connections);
  }

  private static final Logger LOG = Logger.getLogger(DerbyStores.class.getName());
  private static final String REVISION_INDEX_PREFIX = "APO_REV_";

  /**
   * Adds, where missing, an index on (CDO_ID, CDO_BRANCH, CDO_REVISED) to every class table of the database.
   * <p>
   * Each commit that changes an object first marks its previous revision as revised: {@code UPDATE t SET
   * CDO_REVISED=? WHERE CDO_ID=? AND CDO_BRANCH=? AND CDO_REVISED=0}. CDO's own indexes are the primary key (CDO_ID,
   * CDO_VERSION, CDO_BRANCH) and CDO_REVISED alone, so Derby walks every version of the object: a till's sales
   * journal gains a version per sale, and the sale commit got slower through the day (offline p50 5-6 ms after 1,000
   * sales, 7.7 ms after 3,000). With this index the update is one index seek. Call it once the repository is
   * active (its tables exist); it is idempotent, leaves CDO's schema untouched and never fails the caller.
   *
   * @return the number of indexes created
   */
  public static int ensureRevisionIndexes(Path databaseDir) {
    return ensureRevisionIndexes(databaseDir, DerbyDatabase.connectionProvider(databaseDir));
  }

  /** As {@link #ensureRevisionIndexes(Path)} for a database encrypted with {@code key}. */
  public static int ensureRevisionIndexes(Path databaseDir, BootKey key) {
    return ensureRevisionIndexes(databaseDir, DerbyDatabase.connectionProvider(databaseDir, key));
  }

  private static int ensureRevisionIndexes(Path databaseDir, IDBConnectionProvider connections) {
    int created = 0;
    try (Connection c = connections.getConnection()) { // Derby classes stay in the adapter bundle
      DatabaseMetaData md = c.getMetaData();
      String schema = c.getSchema();
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = md.getTables(null, schema, "%", new String[] { "TABLE" })) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      for (String table : tables) {
        Set<String> columns = new HashSet<>();
        try (ResultSet rs = md.getColumns(null, schema, table, "%")) {
          while (rs.next()) {
            columns.add(rs.getString("COLUMN_NAME").toUpperCase(Locale.ROOT));
          }
        }
        if (!columns.containsAll(List.of("CDO_ID", "CDO_BRANCH", "CDO_REVISED"))) {
          continue;
        }
        String index = indexName(table);
        boolean exists = false;
        try (ResultSet rs = md.getIndexInfo(null, schema, table, false, false)) {
          while (rs.next()) {
            exists |= index.equalsIgnoreCase(rs.getString("INDEX_NAME"));
          }
        }
        if (!exists) {
          try (Statement st = c.createStatement()) {
            st.execute("CREATE INDEX " + index + " ON " + quote(table) + " (CDO_ID, CDO_BRANCH, CDO_REVISED)");
          }
          created++;
        }
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
    } catch (SQLException | RuntimeException e) {
      // only speed is at stake (e.g. a lock held by a replication running at the same time): say so, go on
      LOG.log(Level.WARNING, "Could not index the revisions of " + databaseDir + " (commits stay correct, only slower;"
          + " retried at the next start): " + e.getMessage(), e);
    }
    if (created > 0) {
      int n = created;
      LOG.info(() -> "Indexed the current revisions of " + n + " table(s) in " + databaseDir.getFileName());
    }
    return created;
  }

  /**
   * What a repository's database needs once the repository is active, at central and in a node's clone alike: the
   * revision index for site repositories (a revision per sale); the catalogue is written rarely and is left as CDO
   * made it.
   */
  public static void prepareActive(String repositoryName, Path databaseDir) {
    if (!Repositories.CATALOGUE.equals(repositoryName)) {
      ensureRevisionIndexes(databaseDir);
    }
  }

  /** As {@link #prepareActive(String, Path)} for a database encrypted with {@code key}. */
  public static void prepareActive(String repositoryName, Path databaseDir, BootKey key) {
    if (!Repositories.CATALOGUE.equals(repositoryName)) {
      ensureRevisionIndexes(databaseDir, key);
    }
  }

  private static String indexName(String table) {
    String name = REVISION_INDEX_PREFIX + table.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    return name.length() <= 128 ? name : name.substring(0, 119) + Integer.toHexString(table.hashCode());
  }

  private static String quote(String table) {
    return "\"" + table.replace("\"", "\"\"") + "\"";
  }

  /** @param name the repository name, also its UUID so that clones and logs name it the same everywhere */
  public static Map<String, String> repositoryProperties(String name) {
    Map<String, String> props = new HashMap<>();
    props.put(IRepository.Props.SUPPORTING_AUDITS, "true");
    props.put(IRepository.Props.SUPPORTING_BRANCHES, "true");
    props.put(IRepository.Props.ID_GENERATION_LOCATION, "CLIENT");
    props.put(IRepository.Props.OVERRIDE_UUID, name);
    return props;
  }
}
