package org.apotheca.net4j.db.derby.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;

import org.apotheca.net4j.db.derby.DerbyAdapter;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.eclipse.net4j.db.DBType;
import org.eclipse.net4j.db.DBUtil;
import org.eclipse.net4j.db.IDBConnectionProvider;
import org.eclipse.net4j.db.ddl.IDBIndex;
import org.eclipse.net4j.db.ddl.IDBSchema;
import org.eclipse.net4j.db.ddl.IDBTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter against real embedded Derby databases in temporary directories. */
class DerbyAdapterTest {

  @TempDir
  Path dir;

  private final DerbyAdapter adapter = new DerbyAdapter();

  private Path db;

  @AfterEach
  void shutDown() {
    if (db != null) {
      DerbyDatabase.shutdown(db);
    }
  }

  /** Every DBType Net4j knows becomes a column Derby accepts, and values of each round-trip. */
  @Test
  void createsATableWithEveryTypeAndRoundTripsValues() throws Exception {
    db = dir.resolve("types");
    IDBConnectionProvider connections = DerbyDatabase.connectionProvider(db);
    IDBSchema schema = DBUtil.createSchema("APOTHECA");
    IDBTable table = schema.addTable("ALL_TYPES");
    table.addIndex(IDBIndex.Type.PRIMARY_KEY, table.addField("ID", DBType.BIGINT, true));
    for (DBType type : DBType.values()) {
      if (type == DBType.CHAR || type == DBType.VARCHAR || type == DBType.BINARY || type == DBType.VARBINARY) {
        table.addField("F_" + type.name(), type, 64);
      } else if (type == DBType.NUMERIC || type == DBType.DECIMAL) {
        table.addField("F_" + type.name(), type, 12, 2);
      } else {
        table.addField("F_" + type.name(), type);
      }
    }
    table.addIndex(IDBIndex.Type.NON_UNIQUE, "F_VARCHAR");
    assertEquals(1, schema.create(adapter, connections).size());

    try (Connection c = connections.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO ALL_TYPES (ID, F_BOOLEAN, F_BIGINT, F_VARCHAR, F_LONGVARCHAR, F_VARBINARY, F_TIMESTAMP, F_FLOAT) VALUES (?,?,?,?,?,?,?,?)")) {
        ps.setLong(1, 1);
        ps.setShort(2, (short) 1);
        ps.setLong(3, Long.MAX_VALUE);
        ps.setString(4, "Paracetamol 500 mg");
        ps.setString(5, "x".repeat(32_000));
        ps.setBytes(6, new byte[] { 0, 1, (byte) 0xFF });
        ps.setTimestamp(7, new Timestamp(1_795_400_000_000L));
        ps.setDouble(8, 0.1);
        ps.executeUpdate();
      }
      c.commit();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT F_BOOLEAN, F_BIGINT, F_VARCHAR, F_LONGVARCHAR, F_VARBINARY, F_TIMESTAMP, F_FLOAT FROM ALL_TYPES")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getShort(1));
        assertEquals(Long.MAX_VALUE, rs.getLong(2));
        assertEquals("Paracetamol 500 mg", rs.getString(3));
        assertEquals(32_000, rs.getString(4).length()); // LONG VARCHAR holds up to 32,700 characters
        assertArrayEquals(new byte[] { 0, 1, (byte) 0xFF }, rs.getBytes(5));
        assertEquals(1_795_400_000_000L, rs.getTimestamp(6).getTime());
        assertEquals(0.1, rs.getDouble(7));
      }
      c.commit();
    }
    // the adapter reads the schema it created back from Derby's catalogue
    try (Connection c = connections.getConnection()) {
      IDBSchema read = adapter.readSchema(c, "APP");
      List<String> names = Arrays.stream(read.getTables()).map(IDBTable::getName).toList();
      assertTrue(names.stream().anyMatch("ALL_TYPES"::equalsIgnoreCase), names.toString());
    }
  }

  @Test
  void recognisesDerbysErrors() throws Exception {
    db = dir.resolve("errors");
    IDBConnectionProvider connections = DerbyDatabase.connectionProvider(db);
    try (Connection c = connections.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE T (ID BIGINT PRIMARY KEY, NAME VARCHAR(10))");
      s.execute("INSERT INTO T VALUES (1, 'a')");
      SQLException dup = assertThrows(SQLException.class, () -> s.execute("INSERT INTO T VALUES (1, 'b')"));
      assertTrue(adapter.isDuplicateKeyException(dup), dup.getSQLState());
      assertFalse(adapter.isTableNotFoundException(dup));

      SQLException noTable = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM NO_SUCH_TABLE"));
      assertTrue(adapter.isTableNotFoundException(noTable), noTable.getSQLState());
      assertFalse(adapter.isDuplicateKeyException(noTable));

      SQLException noColumn = assertThrows(SQLException.class, () -> s.executeQuery("SELECT NO_SUCH_COLUMN FROM T"));
      assertTrue(adapter.isColumnNotFoundException(noColumn), noColumn.getSQLState());
    }
  }

  @Test
  void reservedWordsIncludeDerbysOwn() {
    assertTrue(adapter.isReservedWord("boolean"));
    assertTrue(adapter.isReservedWord("SELECT"));
    assertFalse(adapter.isReservedWord("PRODUCT"));
    assertEquals(128, adapter.getMaxTableNameLength());
  }

  @Test
  void committedDataSurvivesACleanShutdownAndReopen() throws Exception {
    db = dir.resolve("restart");
    try (Connection c = DerbyDatabase.connectionProvider(db).getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE SALES (ID VARCHAR(36) PRIMARY KEY, TOTAL BIGINT)");
      s.execute("INSERT INTO SALES VALUES ('a', 1234)");
    }
    assertTrue(DerbyDatabase.shutdown(db), "Derby confirms the shutdown");
    assertTrue(Files.isDirectory(db.resolve("seg0")), "database files on disk");
    try (Connection c = DerbyDatabase.connectionProvider(db).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT TOTAL FROM SALES WHERE ID = 'a'")) {
      assertTrue(rs.next());
      assertEquals(1234, rs.getLong(1));
    }
  }

  @Test
  void shuttingDownADatabaseThatIsNotOpenIsHarmless() {
    assertFalse(DerbyDatabase.shutdown(dir.resolve("never-created")));
  }
}
