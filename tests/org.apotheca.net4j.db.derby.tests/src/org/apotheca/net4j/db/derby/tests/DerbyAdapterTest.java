package org.apotheca.net4j.db.derby.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apotheca.net4j.db.derby.DerbyAdapter;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.eclipse.net4j.db.DBException;
import org.eclipse.net4j.db.DBType;
import org.eclipse.net4j.db.DBUtil;
import org.eclipse.net4j.db.IDBConnectionProvider;
import org.eclipse.net4j.db.IDBDatabase;
import org.eclipse.net4j.db.IDBSchemaTransaction;
import org.eclipse.net4j.db.ddl.IDBField;
import org.eclipse.net4j.db.ddl.IDBIndex;
import org.eclipse.net4j.db.ddl.IDBSchema;
import org.eclipse.net4j.db.ddl.IDBTable;
import org.eclipse.net4j.db.ddl.delta.IDBSchemaDelta;
import org.eclipse.net4j.util.io.ExtendedDataInputStream;
import org.eclipse.net4j.util.io.ExtendedDataOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter against real embedded Derby databases on disk, through Net4j's own DDL and value code. */
class DerbyAdapterTest {

  /** Long enough to rule out LONG VARCHAR (32,700 characters) and VARCHAR FOR BIT DATA (32,672 bytes). */
  private static final int LONG = 100_000;

  /** What LONG VARCHAR FOR BIT DATA holds at most. */
  private static final int LONG_VARBINARY = 32_700;

  @TempDir
  Path dir;

  private final DerbyAdapter adapter = new DerbyAdapter();

  private final List<Path> databases = new ArrayList<>();

  @BeforeAll
  static void keepDerbyLogOutOfTheWorkingDirectory(@TempDir Path logDir) {
    DerbyTestSupport.redirectDerbyLog(logDir);
  }

  @AfterEach
  void shutDownDatabases() {
    databases.forEach(DerbyDatabase::shutdown);
  }

  private IDBConnectionProvider open(String name) {
    Path db = dir.resolve(name);
    databases.add(db);
    return DerbyDatabase.connectionProvider(db);
  }

  /** One column per Net4j type; lengths only where Net4j types carry one. */
  private static IDBTable addAllTypesTable(IDBSchema schema, String name) {
    IDBTable table = schema.addTable(name);
    table.addIndex(IDBIndex.Type.PRIMARY_KEY, table.addField("ID", DBType.BIGINT, true));
    for (DBType type : DBType.values()) {
      switch (type) {
      case CHAR, BINARY -> table.addField(column(type), type, 8);
      case NUMERIC, DECIMAL -> table.addField(column(type), type, 20, 2);
      default -> table.addField(column(type), type);
      }
    }
    table.addIndex(IDBIndex.Type.NON_UNIQUE, column(DBType.VARCHAR));
    return table;
  }

  private static String column(DBType type) {
    return "F_" + type.name();
  }

  @Test
  void createsEveryNet4jTypeAndMovesValuesThroughNet4jsOwnReadersAndWriters() throws Exception {
    IDBConnectionProvider connections = open("types");
    IDBSchema schema = DBUtil.createSchema("TYPES");
    IDBTable source = addAllTypesTable(schema, "SOURCE");
    IDBTable copy = addAllTypesTable(schema, "COPY");
    assertEquals(Set.of(source, copy), schema.create(adapter, connections));

    try (Connection c = connections.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement(source.sqlInsert())) {
        insertSampleRow(insert, source);
        insert.setLong(1, 2); // a second row of NULLs
        for (int i = 2; i <= source.getFieldCount(); i++) {
          DBType type = source.getField(i - 1).getType();
          insert.setNull(i, type.getCode());
        }
        insert.executeUpdate();
      }

      // What CDO's raw replication does: every value out through DBType.writeValue, back in through readValue.
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int rows = 0;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM SOURCE ORDER BY ID")) {
        ExtendedDataOutputStream out = new ExtendedDataOutputStream(bytes);
        while (rs.next()) {
          rows++;
          for (int i = 0; i < source.getFieldCount(); i++) {
            DBType type = source.getField(i).getType();
            if (movableByNet4j(type)) {
              type.writeValue(out, rs, i + 1, true);
            }
          }
        }
        out.flush();
      }
      assertEquals(2, rows);
      try (PreparedStatement insert = c.prepareStatement(copy.sqlInsert())) {
        ExtendedDataInputStream in = new ExtendedDataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        for (int row = 0; row < rows; row++) {
          for (int i = 0; i < copy.getFieldCount(); i++) {
            DBType type = copy.getField(i).getType();
            if (movableByNet4j(type)) {
              type.readValue(in, insert, i + 1, true);
            } else {
              insert.setNull(i + 1, type.getCode());
            }
          }
          insert.executeUpdate();
        }
      }
      c.commit();

      try (Statement s1 = c.createStatement();
          ResultSet expected = s1.executeQuery("SELECT * FROM SOURCE ORDER BY ID");
          Statement s2 = c.createStatement();
          ResultSet actual = s2.executeQuery("SELECT * FROM COPY ORDER BY ID")) {
        while (expected.next()) {
          assertTrue(actual.next());
          for (int i = 0; i < source.getFieldCount(); i++) {
            IDBField field = source.getField(i);
            if (!movableByNet4j(field.getType())) {
              continue;
            }
            assertArrayEquals(valueOf(expected, i + 1, field.getType()), valueOf(actual, i + 1, field.getType()),
                field.getName());
          }
        }
        assertFalse(actual.next());
      }
      c.commit();
    }
  }

  /**
   * NUMERIC and DECIMAL: Net4j 4.7 cannot move them at all, whatever the database (writeValue always throws
   * "UnsupportedOperationException: SQL NULL has to be considered"). Keep money in BIGINT minor units.
   * <p>
   * CLOB and BLOB: their readValue hands Derby a temp-file stream that closes itself after the announced length. In
   * this row Derby then failed at executeUpdate, in some runs only and on either column, with "XSDA4: An unexpected
   * exception was thrown" caused by "java.io.IOException: Stream closed"; a one-column table did not reproduce it.
   * That is CDO's raw import path (offline clones): keep EByteArray/EJavaObject (CDO maps them to BLOB) and
   * CDOBlob/CDOClob out of replicated models until it is pinned down. LONGVARCHAR (CLOB in Derby) goes through
   * setString and is fine.
   */
  private static boolean movableByNet4j(DBType type) {
    return switch (type) {
    case NUMERIC, DECIMAL, CLOB, BLOB -> false;
    default -> true;
    };
  }

  private static void insertSampleRow(PreparedStatement insert, IDBTable table) throws SQLException {
    insert.setLong(1, 1);
    for (int i = 1; i < table.getFieldCount(); i++) {
      int p = i + 1;
      switch (table.getField(i).getType()) {
      case BOOLEAN -> insert.setBoolean(p, true);
      case BIT -> insert.setBoolean(p, false);
      case TINYINT -> insert.setByte(p, (byte) -7);
      case SMALLINT -> insert.setShort(p, Short.MIN_VALUE);
      case INTEGER -> insert.setInt(p, Integer.MAX_VALUE);
      case BIGINT -> insert.setLong(p, Long.MIN_VALUE);
      case FLOAT -> insert.setFloat(p, 1.1f);
      case REAL -> insert.setFloat(p, -2.25f);
      case DOUBLE -> insert.setDouble(p, 0.1);
      case NUMERIC, DECIMAL -> insert.setBigDecimal(p, new BigDecimal("-123456789012345678.90"));
      case CHAR -> insert.setString(p, "ABCDEFGH");
      case VARCHAR -> insert.setString(p, "Paracetamol 500 mg \u00e4\u00df\u20ac");
      case LONGVARCHAR, CLOB -> insert.setString(p, "\u00e4".repeat(LONG));
      case DATE -> insert.setDate(p, Date.valueOf("2026-11-23"));
      case TIME -> insert.setTime(p, Time.valueOf("13:14:15"));
      case TIMESTAMP -> insert.setTimestamp(p, new Timestamp(1_795_400_000_123L));
      case BINARY -> insert.setBytes(p, new byte[] { 0, 1, 2, 3, 4, 5, 6, (byte) 0xFF });
      case VARBINARY -> insert.setBytes(p, new byte[] { 0, (byte) 0x80, (byte) 0xFF });
      case LONGVARBINARY -> insert.setBytes(p, pattern(LONG_VARBINARY));
      case BLOB -> insert.setBytes(p, pattern(LONG));
      }
    }
    insert.executeUpdate();
  }

  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    return bytes;
  }

  private static Object[] valueOf(ResultSet rs, int column, DBType type) throws SQLException {
    Object value = switch (type) {
    case BINARY, VARBINARY, LONGVARBINARY, BLOB -> rs.getBytes(column);
    default -> rs.getString(column);
    };
    return new Object[] { value instanceof byte[] b ? Arrays.toString(b) : value };
  }

  @Test
  void mapsNet4jTypesToDerbyColumnTypes() throws Exception {
    IDBConnectionProvider connections = open("columns");
    IDBSchema schema = DBUtil.createSchema("COLUMNS");
    IDBTable table = addAllTypesTable(schema, "ALL_TYPES");
    schema.create(adapter, connections);
    try (Connection c = connections.getConnection();
        ResultSet rs = c.getMetaData().getColumns(null, "APP", "ALL_TYPES", null)) {
      List<String> columns = new ArrayList<>();
      while (rs.next()) {
        columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME") + "(" + rs.getInt("COLUMN_SIZE") + ")");
      }
      assertEquals(table.getFieldCount(), columns.size());
      assertTrue(columns.contains("F_BOOLEAN BOOLEAN(1)"), columns::toString);
      assertTrue(columns.contains("F_BIT BOOLEAN(1)"), columns::toString);
      assertTrue(columns.contains("F_TINYINT SMALLINT(5)"), columns::toString);
      assertTrue(columns.contains("F_FLOAT DOUBLE(52)"), columns::toString);
      assertTrue(columns.contains("F_VARCHAR VARCHAR(255)"), columns::toString); // Net4j's default length
      assertTrue(columns.contains("F_LONGVARCHAR CLOB(2147483647)"), columns::toString);
      assertTrue(columns.contains("F_BINARY CHAR () FOR BIT DATA(8)"), columns::toString);
      assertTrue(columns.contains("F_VARBINARY VARCHAR () FOR BIT DATA(255)"), columns::toString);
      assertTrue(columns.contains("F_LONGVARBINARY LONG VARCHAR FOR BIT DATA(32700)"), columns::toString);
      assertTrue(columns.contains("F_BLOB BLOB(2147483647)"), columns::toString);
    }
  }

  /** CDO's DBStore evolves its schema through IDBDatabase and reads it back from Derby on every start. */
  @Test
  void evolvesASchemaThroughIDBDatabaseAndReadsItBackAfterARestart() {
    Path db = dir.resolve("evolve");
    databases.add(db);

    IDBDatabase database = DBUtil.openDatabase(adapter, DerbyDatabase.connectionProvider(db), "REPO1");
    database.updateSchema(schema -> {
      IDBTable products = schema.addTable("products");
      products.addIndex(IDBIndex.Type.PRIMARY_KEY, products.addField("id", DBType.VARCHAR, 36, true));
      products.addField("name", DBType.VARCHAR, 200);
      products.addField("price_cents", DBType.BIGINT);
      products.addIndex(IDBIndex.Type.UNIQUE, "name");
    });
    database.updateSchema(schema -> {
      IDBTable products = schema.getTable("products");
      products.addField("controlled", DBType.BOOLEAN);
      products.addIndex(IDBIndex.Type.NON_UNIQUE, "price_cents");
    });
    database.close();
    assertTrue(DerbyDatabase.shutdown(db));

    IDBDatabase reopened = DBUtil.openDatabase(adapter, DerbyDatabase.connectionProvider(db), "REPO1");
    try {
      IDBTable products = reopened.getSchema().getTable("PRODUCTS");
      assertNotNull(products, () -> Arrays.toString(reopened.getSchema().getTables()));
      assertEquals(List.of("ID", "NAME", "PRICE_CENTS", "CONTROLLED"),
          Arrays.stream(products.getFields()).map(IDBField::getName).toList());
      assertNotNull(products.getPrimaryKeyIndex());
      assertTrue(products.hasIndexFor(products.getField("NAME")));
      assertTrue(products.hasIndexFor(products.getField("PRICE_CENTS")));

      // What DBStore does on every start: "ensure" the schema it wants. Nothing may be created or altered twice.
      IDBSchema wanted = DBUtil.createSchema("REPO1");
      IDBTable wantedProducts = wanted.addTable("products");
      wantedProducts.addIndex(IDBIndex.Type.PRIMARY_KEY, wantedProducts.addField("id", DBType.VARCHAR, 36, true));
      wantedProducts.addField("name", DBType.VARCHAR, 200);
      wantedProducts.addField("price_cents", DBType.BIGINT);
      wantedProducts.addField("controlled", DBType.BOOLEAN);
      IDBSchemaTransaction tx = reopened.openSchemaTransaction();
      try {
        IDBSchemaDelta delta = tx.ensureSchema(wanted);
        assertEquals(0, delta.getTableDeltaCount(), () -> delta.getTableDeltas().toString());
        tx.commit();
      } finally {
        tx.close();
      }
    } finally {
      reopened.close();
    }
  }

  /** Net4j's schema read must stay in the store's schema, even when the database holds other schemas' tables. */
  @Test
  void readsOnlyTheCurrentSchemaWhenTheRepositoryNameIsNoDerbySchema() throws Exception {
    IDBConnectionProvider connections = open("schemas");
    try (Connection c = connections.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE MINE (ID INT PRIMARY KEY)");
      s.execute("CREATE SCHEMA OTHER");
      s.execute("CREATE TABLE OTHER.MINE (ID INT, OTHER_ONLY INT)");
      s.execute("CREATE TABLE OTHER.NOT_MINE (ID INT)");
      IDBSchema read = adapter.readSchema(c, "repository1");
      assertEquals(List.of("MINE"), Arrays.stream(read.getTables()).map(IDBTable::getName).toList());
      assertEquals(1, read.getTable("MINE").getFieldCount());
    }
  }

  @Test
  void recognisesDerbysErrors() throws Exception {
    IDBConnectionProvider connections = open("errors");
    try (Connection c = connections.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE T (ID BIGINT PRIMARY KEY, NAME VARCHAR(10))");
      s.execute("INSERT INTO T VALUES (1, 'a')");

      SQLException duplicate = assertThrows(SQLException.class, () -> s.execute("INSERT INTO T VALUES (1, 'b')"));
      assertTrue(adapter.isDuplicateKeyException(duplicate), duplicate::getSQLState);
      assertFalse(adapter.isTableNotFoundException(duplicate));
      assertFalse(adapter.isColumnNotFoundException(duplicate));

      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO T VALUES (?, 'c')")) {
        insert.setLong(1, 2);
        insert.addBatch();
        insert.setLong(1, 1);
        insert.addBatch();
        BatchUpdateException batch = assertThrows(BatchUpdateException.class, insert::executeBatch);
        assertTrue(adapter.isDuplicateKeyException(batch), batch::getSQLState);
      }
      c.rollback();
      c.setAutoCommit(true);

      for (String sql : List.of("SELECT * FROM NO_SUCH_TABLE", "INSERT INTO NO_SUCH_TABLE VALUES (1)",
          "DROP TABLE NO_SUCH_TABLE")) {
        SQLException noTable = assertThrows(SQLException.class, () -> s.execute(sql));
        assertTrue(adapter.isTableNotFoundException(noTable), () -> sql + ": " + noTable.getSQLState());
        assertFalse(adapter.isDuplicateKeyException(noTable));
        assertFalse(adapter.isColumnNotFoundException(noTable));
      }

      for (String sql : List.of("SELECT NO_SUCH_COLUMN FROM T", "SELECT * FROM T WHERE NO_SUCH_COLUMN = 1",
          "INSERT INTO T (ID, NO_SUCH_COLUMN) VALUES (3, 'x')", "UPDATE T SET NO_SUCH_COLUMN = 1",
          "ALTER TABLE T DROP COLUMN NO_SUCH_COLUMN")) {
        SQLException noColumn = assertThrows(SQLException.class, () -> s.execute(sql));
        assertTrue(adapter.isColumnNotFoundException(noColumn), () -> sql + ": " + noColumn.getSQLState());
        assertFalse(adapter.isTableNotFoundException(noColumn));
      }

      // Net4j wraps SQL errors; the adapter is asked about the SQLException inside.
      DBException wrapped = assertThrows(DBException.class, () -> DBUtil.execute(c, "INSERT INTO T VALUES (1, 'd')"));
      assertTrue(adapter.isDuplicateKeyException((SQLException) wrapped.getCause()));
    }
  }

  /**
   * Every candidate word that Derby refuses as an unquoted table or column name must count as reserved, or CDO would
   * generate DDL that fails for a model feature of that name.
   */
  @Test
  void everyWordDerbyRejectsAsAnIdentifierIsReserved() throws Exception {
    Set<String> candidates = new TreeSet<>(Arrays.asList(adapter.getSQL92ReservedWords()));
    candidates.addAll(List.of("ALIAS", "BOOLEAN", "CALL", "CLASS", "CURRENT_ROLE", "EXPLAIN", "FETCH",
        "GETCURRENTCONNECTION", "INDEX", "LONGINT", "LTRIM", "NVARCHAR", "OFFSET", "OVER", "RENAME", "ROW_NUMBER",
        "RTRIM", "SUBSTR", "WINDOW", "XML", "XMLEXISTS", "XMLPARSE", "XMLQUERY", "XMLSERIALIZE", "NAME", "TYPE",
        "VALUE", "DATA", "STATUS", "QUANTITY", "PRICE"));
    List<String> rejectedButNotReserved = new ArrayList<>();
    int rejected = 0;
    try (Connection c = open("words").getConnection(); Statement s = c.createStatement()) {
      int i = 0;
      for (String word : candidates) {
        if (!worksAsIdentifier(s, word, i++)) {
          rejected++;
          if (!adapter.isReservedWord(word) || !adapter.isReservedWord(word.toLowerCase())) {
            rejectedButNotReserved.add(word);
          }
        }
      }
    }
    assertTrue(rejected > 200, "the probe works: " + rejected);
    assertEquals(List.of(), rejectedButNotReserved);
    assertFalse(adapter.isReservedWord("PRODUCT"));
  }

  private static boolean worksAsIdentifier(Statement s, String word, int i) {
    try {
      s.execute("CREATE TABLE T" + i + " (" + word + " INT)");
      s.execute("INSERT INTO T" + i + " (" + word + ") VALUES (1)");
      s.execute("UPDATE T" + i + " SET " + word + " = 2 WHERE " + word + " = 1");
      s.executeQuery("SELECT " + word + " FROM T" + i + " ORDER BY " + word).close();
      s.execute("CREATE INDEX I" + i + " ON T" + i + " (" + word + ")");
      s.execute("CREATE TABLE " + word + " (A INT)");
      s.executeQuery("SELECT A FROM " + word).close();
      return true;
    } catch (SQLException ex) {
      return false;
    }
  }

  @Test
  void respectsDerbysIdentifierRules() throws Exception {
    assertEquals(128, adapter.getMaxTableNameLength());
    assertEquals(128, adapter.getMaxFieldNameLength());
    assertFalse(adapter.isValidFirstChar('_'));
    assertFalse(adapter.isValidFirstChar('1'));
    assertTrue(adapter.isValidFirstChar('a'));
    try (Connection c = open("names").getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + "T".repeat(128) + " (" + "C".repeat(128) + " INT)");
      SQLException tooLong = assertThrows(SQLException.class, () -> s.execute("CREATE TABLE " + "T".repeat(129) + " (A INT)"));
      assertEquals("42622", tooLong.getSQLState());
      assertThrows(SQLException.class, () -> s.execute("CREATE TABLE _T (A INT)"));
    }
  }

  @Test
  void renamesAndWidensColumnsWithDerbysSyntax() throws Exception {
    IDBConnectionProvider connections = open("alter");
    IDBSchema schema = DBUtil.createSchema("ALTER");
    IDBTable table = schema.addTable("NOTES");
    IDBField text = table.addField("TEXT", DBType.VARCHAR, 10);
    schema.create(adapter, connections);
    try (Connection c = connections.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO NOTES VALUES ('0123456789')");
      IDBSchema wider = DBUtil.createSchema("ALTER");
      IDBField widerText = wider.addTable("NOTES").addField("TEXT", DBType.VARCHAR, 40);
      s.execute(adapter.sqlModifyField(widerText));
      s.execute("UPDATE NOTES SET TEXT = '" + "x".repeat(40) + "'");

      IDBSchema renamed = DBUtil.createSchema("ALTER");
      IDBField body = renamed.addTable("NOTES").addField("BODY", DBType.VARCHAR, 40);
      s.execute(adapter.sqlRenameField(body, text.getName()));
      try (ResultSet rs = s.executeQuery("SELECT BODY FROM NOTES")) {
        assertTrue(rs.next());
        assertEquals(40, rs.getString(1).length());
      }
    }
  }

  @Test
  void shutsDownCleanlyAndKeepsCommittedData() throws Exception {
    Path db = dir.resolve("restart");
    try (Connection c = DerbyDatabase.connectionProvider(db).getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE SALES (ID VARCHAR(36) PRIMARY KEY, TOTAL_CENTS BIGINT)");
      s.execute("INSERT INTO SALES VALUES ('a', 1234)");
    }
    assertTrue(DerbyDatabase.shutdown(db), "Derby confirms the shutdown");
    assertFalse(DerbyDatabase.shutdown(db), "a database that is not booted");
    assertFalse(DerbyDatabase.shutdown(dir.resolve("never-created")));
    assertFalse(Files.exists(dir.resolve("never-created")));
    assertTrue(Files.isDirectory(db.resolve("seg0")));

    databases.add(db);
    try (Connection c = DerbyDatabase.connectionProvider(db).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT TOTAL_CENTS FROM SALES WHERE ID = 'a'")) {
      assertTrue(rs.next());
      assertEquals(1234, rs.getLong(1));
    }
  }

  @Test
  void registersUnderItsName() {
    DerbyAdapter registered = DerbyAdapter.register();
    assertSame(registered, DBUtil.getDBAdapter(DerbyAdapter.NAME));
    assertSame(registered, DerbyAdapter.register());
    assertEquals("derby-10.17", registered.toString());
    assertNull(DBUtil.getDBAdapter("no-such-adapter"));
  }

  @Test
  void nullsUseTheTypeCodesNet4jPasses() throws Exception {
    // DBType.BOOLEAN/BIT write NULL with setNull(Types.BOOLEAN/BIT): Derby must accept both on the mapped column.
    IDBConnectionProvider connections = open("nulls");
    IDBSchema schema = DBUtil.createSchema("NULLS");
    IDBTable table = schema.addTable("FLAGS");
    table.addField("A", DBType.BOOLEAN);
    table.addField("B", DBType.BIT);
    schema.create(adapter, connections);
    try (Connection c = connections.getConnection(); PreparedStatement ps = c.prepareStatement(table.sqlInsert())) {
      ps.setNull(1, Types.BOOLEAN);
      ps.setNull(2, Types.BIT);
      assertEquals(1, ps.executeUpdate());
    }
  }
}
