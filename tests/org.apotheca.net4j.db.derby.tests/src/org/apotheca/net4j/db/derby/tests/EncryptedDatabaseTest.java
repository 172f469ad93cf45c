package org.apotheca.net4j.db.derby.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.apotheca.net4j.db.derby.BootKey;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Derby's own encryption through {@link DerbyDatabase#dataSource(Path, BootKey)}, on real database files: what it
 * keeps out of the files, and how it refuses a wrong key, a missing key and an unencrypted database.
 */
class EncryptedDatabaseTest {

  /** Would show up in the files of an unencrypted database: the scan below must find it there. */
  private static final String SECRET = "Paracetamol-ZEBRA-7731 sold to Mrs Quaintance";

  @TempDir
  Path dir;

  private final List<Path> booted = new ArrayList<>();
  private final SecureRandom random = new SecureRandom();

  @BeforeAll
  static void keepDerbyLogOutOfTheWorkingDirectory(@TempDir Path logDir) {
    DerbyTestSupport.redirectDerbyLog(logDir);
  }

  @AfterEach
  void shutDown() {
    booted.forEach(DerbyDatabase::shutdown);
  }

  private BootKey newKey() {
    byte[] b = new byte[BootKey.LENGTH];
    random.nextBytes(b);
    return BootKey.of(b);
  }

  private static String hex(BootKey key) throws Exception {
    // the test peeks at what the key holds only to prove it is in no message
    var m = BootKey.class.getDeclaredMethod("hex");
    m.setAccessible(true);
    return (String) m.invoke(key);
  }

  private Connection open(Path db, BootKey key) throws SQLException {
    booted.add(db);
    DataSource ds = key == null ? DerbyDatabase.dataSource(db) : DerbyDatabase.dataSource(db, key);
    return ds.getConnection();
  }

  private static void insertSecrets(Connection c, int rows) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE SALES (ID INT PRIMARY KEY, NOTE VARCHAR(200))");
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO SALES VALUES (?, ?)")) {
      for (int i = 0; i < rows; i++) {
        p.setInt(1, i);
        p.setString(2, SECRET + " #" + i);
        p.executeUpdate();
      }
    }
  }

  private static int count(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM SALES WHERE NOTE LIKE 'Paracetamol-ZEBRA%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void keepsDataAcrossShutdownAndReopenWithTheSameKey() throws Exception {
    Path db = dir.resolve("enc");
    BootKey key = newKey();
    try (Connection c = open(db, key)) {
      insertSecrets(c, 10);
    }
    assertTrue(DerbyDatabase.isEncrypted(db));
    assertTrue(DerbyDatabase.shutdown(db), "an encrypted database shuts down without its key");
    assertFalse(DerbyDatabase.shutdown(db), "and is then no longer booted");

    try (Connection c = open(db, key)) {
      assertEquals(10, count(c));
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO SALES VALUES (100, 'after the reboot')");
      }
    }
    assertTrue(DerbyDatabase.shutdown(db));
    try (Connection c = open(db, key); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM SALES")) {
      rs.next();
      assertEquals(11, rs.getInt(1));
    }
  }

  @Test
  void refusesAWrongKeyPlainlyAndShowsNoKey() throws Exception {
    Path db = dir.resolve("enc");
    BootKey key = newKey();
    try (Connection c = open(db, key)) {
      insertSecrets(c, 1);
    }
    assertTrue(DerbyDatabase.shutdown(db));

    BootKey wrong = newKey();
    SQLException e = assertThrows(SQLException.class, () -> open(db, wrong).close());
    assertEquals("the data of " + db + " cannot be opened with this computer's storage key", e.getMessage());
    assertEquals(DerbyDatabase.REFUSED, e.getSQLState());
    assertEquals(null, e.getCause(), "callers show the root cause: it is this message");
    String everything = stackTrace(e);
    assertTrue(everything.contains("XBCXK"), "Derby's own exception goes along (suppressed): " + everything);
    assertFalse(everything.contains(hex(wrong)) || everything.contains(hex(key)), "no key in any message");
    assertFalse(wrong.toString().contains(hex(wrong)));
    assertFalse(derbyLog().contains(hex(wrong)) || derbyLog().contains(hex(key)), "no key in derby.log");

    try (Connection c = open(db, key)) {
      assertEquals(1, count(c), "the right key still opens it");
    }
  }

  @Test
  void refusesAnEncryptedDatabaseWithoutKey() throws Exception {
    Path db = dir.resolve("enc");
    try (Connection c = open(db, newKey())) {
      insertSecrets(c, 1);
    }
    assertTrue(DerbyDatabase.shutdown(db));
    SQLException e = assertThrows(SQLException.class, () -> open(db, null).close());
    assertEquals("the data of " + db + " is encrypted: it can only be opened with its storage key", e.getMessage());
    assertTrue(stackTrace(e).contains("XBM06"));
  }

  @Test
  void refusesAnUnencryptedDatabaseWithAKeyAndLeavesItAsItWas() throws Exception {
    Path db = dir.resolve("clear");
    try (Connection c = open(db, null)) {
      insertSecrets(c, 3);
    }
    BootKey key = newKey();
    // booted (Derby would just hand out a connection) and shut down (Derby would boot it clear, or encrypt it)
    SQLException whileBooted = assertThrows(SQLException.class, () -> open(db, key).close());
    assertTrue(DerbyDatabase.shutdown(db));
    SQLException whileDown = assertThrows(SQLException.class, () -> open(db, key).close());
    for (SQLException e : List.of(whileBooted, whileDown)) {
      assertEquals("the data of " + db + " is stored unencrypted where encrypted data is expected: it was not opened"
          + " and is left as it is", e.getMessage());
      assertFalse(stackTrace(e).contains(hex(key)));
    }
    assertFalse(DerbyDatabase.isEncrypted(db), "not encrypted in place");
    try (Connection c = open(db, null)) {
      assertEquals(3, count(c), "still opens as before, without a key");
    }
  }

  @Test
  void leavesNoClearTextInAnyFileWhileAnUnencryptedDatabaseShowsIt() throws Exception {
    Path clear = dir.resolve("clear");
    Path enc = dir.resolve("enc");
    try (Connection c = open(clear, null)) {
      insertSecrets(c, 200);
    }
    try (Connection c = open(enc, newKey())) {
      insertSecrets(c, 200);
    }
    // committed: in the transaction log, forced at commit, before any checkpoint writes the pages
    assertFalse(filesContaining(clear.resolve("log"), SECRET).isEmpty(), "the scan finds the rows in an unencrypted log");
    assertEquals(List.of(), filesContaining(enc, SECRET), "no row in clear in any file of the encrypted database");

    assertTrue(DerbyDatabase.shutdown(clear));
    assertTrue(DerbyDatabase.shutdown(enc));
    // shut down: the checkpoint wrote the pages to seg0/
    assertFalse(filesContaining(clear.resolve("seg0"), SECRET).isEmpty(), "the scan finds the rows in unencrypted pages");
    assertEquals(List.of(), filesContaining(enc, SECRET), "no row in clear in any file of the encrypted database");
    assertEquals(List.of(), filesContaining(enc, "Quaintance"), "nor a part of one");
    assertFalse(filesContaining(clear, "Quaintance").isEmpty());
    assertTrue(Files.isDirectory(enc.resolve("seg0")) && Files.isDirectory(enc.resolve("log")), "the scan covered both");
  }

  /** Every regular file under {@code root} whose raw bytes contain {@code text} (UTF-8, as Derby stores ASCII). */
  static List<Path> filesContaining(Path root, String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<Path> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (indexOf(Files.readAllBytes(f), needle) >= 0) {
          hits.add(root.relativize(f));
        }
      }
    }
    return hits;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private static String derbyLog() throws IOException {
    String file = System.getProperty("derby.stream.error.file");
    return file != null && Files.exists(Path.of(file)) ? Files.readString(Path.of(file), StandardCharsets.ISO_8859_1) : "";
  }

  @Test
  void bootKeyTakesExactly32BytesAndNeverPrintsThem() {
    assertThrows(IllegalArgumentException.class, () -> BootKey.of(new byte[16]));
    byte[] b = new byte[32];
    b[0] = 0x5a;
    BootKey key = BootKey.of(b);
    b[1] = 1; // a copy was taken
    assertEquals("BootKey[256 bits, not shown]", key.toString());
    assertFalse(key.toString().contains(HexFormat.of().formatHex(new byte[] { 0x5a })));
  }
}
