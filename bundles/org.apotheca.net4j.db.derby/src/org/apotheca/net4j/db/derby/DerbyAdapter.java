package org.apotheca.net4j.db.derby;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.eclipse.net4j.db.DBType;
import org.eclipse.net4j.db.ddl.IDBField;
import org.eclipse.net4j.spi.db.DBAdapter;

/**
 * Net4j's DB adapter for Apache Derby (embedded). CDO 4.7 ships adapters for H2, HSQLDB, MySQL, PostgreSQL and
 * Oracle in separate bundles, none of which is on Maven Central, and none for Derby at all.
 * <p>
 * What differs from the SQL-92 defaults of {@link DBAdapter}: Derby has no BOOLEAN-like TINYINT or BIT,
 * spells binary columns as character columns "FOR BIT DATA", calls the long text type LONG VARCHAR,
 * has no FLOAT with the meaning CDO expects, and reports errors with its own SQLStates.
 */
public class DerbyAdapter extends DBAdapter {

  public static final String NAME = "derby";

  public static final String VERSION = "10.17";

  /** Derby's limit for identifiers (tables, columns, indexes). */
  private static final int MAX_NAME_LENGTH = 128;

  private static final String DUPLICATE_KEY = "23505";

  private static final String TABLE_NOT_FOUND = "42X05";

  private static final String COLUMN_NOT_FOUND = "42X04";

  private static final String COLUMN_NOT_IN_TABLE = "42X14";

  // Reserved in Derby beyond SQL-92: a model feature with one of these names must be quoted or renamed.
  private static final String[] DERBY_RESERVED = { "BIGINT", "BLOB", "BOOLEAN", "CALL", "CLOB", "CURRENT_ROLE", "DOUBLE",
      "EXPLAIN", "FETCH", "LONGINT", "LTRIM", "NONE", "OFFSET", "OVER", "ROW_NUMBER", "ROWS", "RTRIM", "SUBSTR", "WINDOW",
      "XML", "XMLEXISTS", "XMLPARSE", "XMLQUERY", "XMLSERIALIZE" };

  private volatile String[] reservedWords;

  public DerbyAdapter() {
    super(NAME, VERSION);
  }

  @Override
  public DataSource createJDBCDataSource() {
    return new EmbeddedDataSource();
  }

  @Override
  protected String getTypeName(IDBField field) {
    DBType type = field.getType();
    switch (type) {
    case BOOLEAN:
    case BIT:
    case TINYINT:
      return "SMALLINT";
    case FLOAT:
      return "DOUBLE";
    case LONGVARCHAR:
      return "LONG VARCHAR";
    case BINARY:
      return "CHAR" + field.formatPrecision() + " FOR BIT DATA";
    case VARBINARY:
      return "VARCHAR" + field.formatPrecision() + " FOR BIT DATA";
    case LONGVARBINARY:
      return "BLOB";
    default:
      return super.getTypeName(field);
    }
  }

  @Override
  public boolean isTypeIndexable(DBType type) {
    switch (type) {
    case LONGVARCHAR:
    case LONGVARBINARY:
    case CLOB:
    case BLOB:
      return false;
    default:
      return super.isTypeIndexable(type);
    }
  }

  @Override
  public int getMaxTableNameLength() {
    return MAX_NAME_LENGTH;
  }

  @Override
  public int getMaxFieldNameLength() {
    return MAX_NAME_LENGTH;
  }

  @Override
  public String[] getReservedWords() {
    String[] words = reservedWords;
    if (words == null) {
      Set<String> all = new LinkedHashSet<>(Arrays.asList(getSQL92ReservedWords()));
      all.addAll(Arrays.asList(DERBY_RESERVED));
      words = all.toArray(new String[0]);
      reservedWords = words;
    }
    return words;
  }

  @Override
  public boolean isDuplicateKeyException(SQLException ex) {
    return hasState(ex, DUPLICATE_KEY);
  }

  @Override
  public boolean isTableNotFoundException(SQLException ex) {
    return hasState(ex, TABLE_NOT_FOUND);
  }

  @Override
  public boolean isColumnNotFoundException(SQLException ex) {
    return hasState(ex, COLUMN_NOT_FOUND) || hasState(ex, COLUMN_NOT_IN_TABLE);
  }

  /** Derby wraps the interesting state into chained exceptions (e.g. inside a batch update). */
  private static boolean hasState(SQLException ex, String state) {
    for (SQLException e = ex; e != null; e = e.getNextException()) {
      if (state.equals(e.getSQLState())) {
        return true;
      }
      if (e.getCause() instanceof SQLException cause && state.equals(cause.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
