package org.apotheca.server.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apotheca.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

  @TempDir
  Path dir;

  @Test
  void readsEveryKeyAndResolvesTheDataDirAgainstTheFile() throws Exception {
    Path file = dir.resolve("conf/server.properties");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "server.host=127.0.0.1\nserver.port=3036\nconsole.port=3037\ndata.dir=db\nsites=0001, 0002\nsample.products=10\n");
    ServerConfig c = ServerConfig.load(file);
    assertEquals("127.0.0.1:3036", c.endpoint().toString());
    assertEquals(3037, c.consolePort());
    assertEquals(dir.resolve("conf/db").toAbsolutePath(), c.dataDir());
    assertEquals(List.of("0001", "0002"), c.sites());
    assertEquals(List.of("catalogue", "site-0001", "site-0002"), c.repositoryNames());
    assertEquals(10, c.sampleProducts());
    assertFalse(c.demoUsers(), "demo users are off unless asked for");
  }

  @Test
  void demoUsersAreAnExplicitTrueOrFalse() throws Exception {
    Path file = dir.resolve("demo.properties");
    Files.writeString(file, "sites=0001\ndemo.users=true\n");
    assertTrue(ServerConfig.load(file).demoUsers());
    Files.writeString(file, "demo.users=yes\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file));
    assertTrue(e.getMessage().contains("demo.users") && e.getMessage().contains("yes"), e.getMessage());
  }

  @Test
  void defaultsAreLoopbackAndNoSites() throws Exception {
    Path file = dir.resolve("empty.properties");
    Files.writeString(file, "# nothing set\n");
    ServerConfig c = ServerConfig.load(file);
    assertEquals("127.0.0.1:2036", c.endpoint().toString());
    assertEquals(List.of("catalogue"), c.repositoryNames());
  }

  @Test
  void badValuesNameTheFileAndTheProblem() throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "server.port=70000\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file));
    assertTrue(e.getMessage().contains("bad.properties") && e.getMessage().contains("70000"), e.getMessage());

    Files.writeString(file, "sites=0001,Central Pharmacy\n");
    e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file));
    assertTrue(e.getMessage().contains("Central Pharmacy"), e.getMessage());

    Files.writeString(file, "sites=central\n");
    e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file));
    assertTrue(e.getMessage().contains("reserved"), e.getMessage());
  }

  @Test
  void missingFileIsReported() {
    Path file = dir.resolve("nope.properties");
    Exception e = assertThrows(RuntimeException.class, () -> ServerConfig.load(file));
    assertTrue(e.getMessage().contains("nope.properties"), e.getMessage());
  }
}
