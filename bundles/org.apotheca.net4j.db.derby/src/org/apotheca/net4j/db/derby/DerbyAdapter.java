package org.apotheca.net4j.db.derby;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.eclipse.net4j.db.DBType;
import org.eclipse.net4j.db.IDBAdapter;
import org.eclipse.net4j.db.ddl.IDBField;
import org.eclipse.net4j.db.ddl.IDBIndex;
import org.eclipse.net4j.db.ddl.IDBTable;
import org.eclipse.net4j.spi.db.DBAdapter;

/**
 * Net4j {@link DBAdapter} for Apache Derby 10.17, so that CDO's DBStore can run on embedded Derby.
 * CDO 4.7 never shipped a Derby adapter and the H2/PostgreSQL/... adapters it did ship are not on Maven Central.
 * <p>
 * Stateless apart from a lazily built word set in the base class: one instance may serve any number of stores.
 */
public class DerbyAdapter extends DBAdapter {

  public static final String NAME = "derby";

  public static final String VERSION = "10.17";

  /** Derby's limit for every identifier (42622 "The name '...' is too long. The maximum length is '128'"). */
  public static final int MAX_IDENTIFIER_LENGTH = 128;

  /** Derby's hard limit for VARCHAR and VARCHAR FOR BIT DATA (42611 above it). */
  public static final int MAX_VARCHAR_LENGTH = 32672;

  private static final String DUPLICATE_KEY = "23505";

  /** "Table/View 'X' does not exist." (SELECT, INSERT, UPDATE, DELETE). */
  private static final String TABLE_NOT_FOUND = "42X05";

  /** "'DROP TABLE' cannot be performed on 'X' because it does not exist." (DDL on a missing table). */
  private static final String DDL_TARGET_NOT_FOUND = "42Y55";

  /** "Column 'X' is either not in any table in the FROM list ..." (SELECT, WHERE). */
  private static final String COLUMN_NOT_FOUND = "42X04";

  /** "'X' is not a column in table or VTI 'T'." (INSERT, UPDATE SET, ALTER TABLE). */
  private static final String COLUMN_NOT_IN_TABLE = "42X14";

  /**
   * Words Derby 10.17 rejects as unquoted table or column names that are not already in SQL-92's list. Found by
   * creating and querying a table and a column of each candidate name; DerbyAdapterTest repeats that probe.
   */
  private static final String[] DERBY_ONLY_RESERVED_WORDS = { "EXPLAIN", "GETCURRENTCONNECTION", "LTRIM", "NVARCHAR",
      "ROW_NUMBER", "RTRIM", "SUBSTR", "XML", "XMLEXISTS", "XMLPARSE", "XMLQUERY", "XMLSERIALIZE" };

  private static DerbyAdapter registered;

  private String[] reservedWords;

  public DerbyAdapter() {
    super(NAME, VERSION);
  }

  /**
   * Makes the adapter known by name ({@code DBUtil.getDBAdapter("derby")}, a DBStore configured by name). In
   * Eclipse the Net4j DB bundle fills this registry from plugin.xml, but the repackaged Net4j jar from Maven Central
   * carries no plugin.xml and is not started as the original bundle, so nothing is ever registered on its own.
   *
   * @return the registered instance; an adapter registered under "derby" before is kept if it is one of ours
   */
  public static synchronized DerbyAdapter register() {
    IDBAdapter existing = IDBAdapter.REGISTRY.get(NAME);
    if (existing instanceof DerbyAdapter derby) {
      registered = derby;
    } else {
      if (registered == null) {
        registered = new DerbyAdapter();
      }
      IDBAdapter.REGISTRY.put(NAME, registered);
    }
    return registered;
  }

  /** The base class throws here; a bare data source to be configured is the honest answer for Derby. */
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
      // Derby has had a real BOOLEAN since 10.7; Net4j writes both with setBoolean() and nulls as Types.BIT/BOOLEAN.
      return "BOOLEAN";
    case TINYINT:
      return "SMALLINT";
    case FLOAT:
      // Net4j moves FLOAT values as Java floats; Derby's FLOAT would be DOUBLE anyway, say so.
      return "DOUBLE";
    case VARCHAR:
      return "VARCHAR(" + varcharLength(field) + ")";
    case LONGVARCHAR:
      // Derby's LONG VARCHAR holds 32,700 characters, hardly more than VARCHAR, and is no more comparable than CLOB;
      // a CLOB takes Net4j's setString() and setNull(Types.LONGVARCHAR) alike.
      return "CLOB";
    case BINARY:
      return "CHAR" + field.formatPrecision() + " FOR BIT DATA";
    case VARBINARY:
      return "VARCHAR(" + varcharLength(field) + ") FOR BIT DATA";
    case LONGVARBINARY:
      // Not BLOB: Net4j writes a null LONGVARBINARY as setNull(Types.LONGVARBINARY), which a Derby BLOB rejects
      // (22005). Derby's own match holds 32,700 bytes; bigger binaries belong in BLOB (DBType.BLOB, CDO lobs).
      return "LONG VARCHAR FOR BIT DATA";
    default:
      return super.getTypeName(field);
    }
  }

  /** Derby rejects VARCHAR without a length, which Net4j emits for fields created without one. */
  private static int varcharLength(IDBField field) {
    int precision = field.getPrecision();
    return precision > 0 ? precision : MAX_VARCHAR_LENGTH;
  }

  @Override
  public int getFieldLength(DBType type) {
    // The base class gives VARCHAR its maximum but leaves VARBINARY without a length.
    return type == DBType.VARBINARY ? MAX_VARCHAR_LENGTH : super.getFieldLength(type);
  }

  @Override
  public int getMaxTableNameLength() {
    return MAX_IDENTIFIER_LENGTH;
  }

  @Override
  public int getMaxFieldNameLength() {
    return MAX_IDENTIFIER_LENGTH;
  }

  /** Unquoted Derby identifiers must start with a letter ("_A" and "1A" are syntax errors). */
  @Override
  public boolean isValidFirstChar(char ch) {
    return Character.isLetter(ch);
  }

  @Override
  public synchronized String[] getReservedWords() {
    if (reservedWords == null) {
      Set<String> words = new LinkedHashSet<>(Arrays.asList(getSQL92ReservedWords()));
      words.addAll(Arrays.asList(DERBY_ONLY_RESERVED_WORDS));
      reservedWords = words.toArray(new String[0]);
    }
    return reservedWords.clone();
  }

  @Override
  public boolean isDuplicateKeyException(SQLException ex) {
    return hasSQLState(ex, DUPLICATE_KEY);
  }

  @Override
  public boolean isTableNotFoundException(SQLException ex) {
    return hasSQLState(ex, TABLE_NOT_FOUND, DDL_TARGET_NOT_FOUND);
  }

  @Override
  public boolean isColumnNotFoundException(SQLException ex) {
    return hasSQLState(ex, COLUMN_NOT_FOUND, COLUMN_NOT_IN_TABLE);
  }

  /**
   * Batched statements report the failing row's state on the next exception rather than on the
   * BatchUpdateException itself, so the whole chain counts.
   */
  private static boolean hasSQLState(SQLException ex, String... states) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      for (SQLException e = t instanceof SQLException sql ? sql : null; e != null; e = e.getNextException()) {
        for (String state : states) {
          if (state.equals(e.getSQLState())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Net4j reads the tables of the schema named like the CDO repository, and when Derby has no such schema it passes
   * null, which means every user schema of the database. Tables are created unqualified, i.e. in the connection's
   * current schema, so that is the one to read.
   */
  @Override
  protected ResultSet readTables(Connection connection, DatabaseMetaData metaData, String schemaName)
      throws SQLException {
    return super.readTables(connection, metaData, schemaName != null ? schemaName : connection.getSchema());
  }

  @Override
  protected void readIndices(Connection connection, DatabaseMetaData metaData, IDBTable table, String schemaName)
      throws SQLException {
    super.readIndices(connection, metaData, table, schemaName != null ? schemaName : connection.getSchema());
  }

  /** Derby's syntax is RENAME COLUMN table.old TO new, not an ALTER TABLE clause. */
  @Override
  public String sqlRenameField(IDBField field, String oldName) {
    return "RENAME COLUMN " + field.getTable() + "." + oldName + " TO " + field;
  }

  /**
   * Derby can only change a column's type with SET DATA TYPE (and in practice only lengthen a VARCHAR); nullability
   * is a separate ALTER that Net4j never asks for here, so the NOT NULL of the field definition is left out.
   */
  @Override
  public String sqlModifyField(IDBField field) {
    return "ALTER TABLE " + field.getTable() + " ALTER COLUMN " + field + " SET DATA TYPE " + getTypeName(field);
  }

  /** The base class appends nothing for a plain index and would then execute an empty statement. */
  @Override
  protected void dropIndex(IDBIndex index, StringBuilder builder) {
    builder.append("DROP INDEX ").append(index);
  }
}
