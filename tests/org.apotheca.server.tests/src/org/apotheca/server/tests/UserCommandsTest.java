package org.apotheca.server.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.sample.SampleUsers;
import org.apotheca.core.users.PasswordHash;
import org.apotheca.core.users.StaffReader;
import org.apotheca.core.users.UserAccount;
import org.apotheca.model.User;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.ecore.EObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Central's user commands against a real server: staff lists land in exactly the site repositories where the user may
 * log in (read back over TCP as a pharmacy node would), never in the catalogue; copies stay identical; refusals change
 * nothing; no password or hash is ever printed or logged.
 */
class UserCommandsTest {

  private static final String PW = "alice-secret-1";

  @TempDir
  Path dataDir;

  private CentralServer server;

  @AfterEach
  void stop() {
    TestServers.stop(server);
  }

  @Test
  void addWritesTheStaffListIntoEachNamedSiteAndNowhereElse() throws Exception {
    ServerConfig config = TestServers.config(dataDir, TestServers.freePort(), 0, "0001", "0002", "0003");
    server = TestServers.start(config);
    ServerCommands commands = new ServerCommands(server);
    Map<String, Long> before = lastCommits();

    String reply = commands.apotheca("user", "add", "Alice", "--site", "0001,0002", "--role", "manager,pharmacist", "--password", PW,
        "--name", "Alice Pharmacist", "--by", "hq-admin");
    assertEquals("user added name=alice display=\"Alice Pharmacist\" roles=pharmacist,manager sites=0001,0002 active=yes", reply);

    UserAccount at1 = only(read(config, "0001"));
    UserAccount at2 = only(read(config, "0002"));
    assertEquals(at1, at2, "identical in every site repository that holds it");
    assertEquals("alice", at1.username());
    assertEquals("0001", at1.homeSiteId());
    assertEquals(List.of("0001", "0002"), at1.sites());
    assertTrue(at1.active());
    assertTrue(PasswordHash.verify(PW.toCharArray(), at1.passwordHash()));
    assertTrue(read(config, "0003").isEmpty());
    assertFalse(hasStaffResource(config, "0003"), "site 0003 was not named: nothing written there");

    // one commit per site named, none elsewhere, each saying who and what
    Map<String, Long> after = lastCommits();
    assertNotEquals(before.get("site-0001"), after.get("site-0001"));
    assertNotEquals(before.get("site-0002"), after.get("site-0002"));
    assertEquals(before.get("site-0003"), after.get("site-0003"));
    assertEquals(before.get(Repositories.CATALOGUE), after.get(Repositories.CATALOGUE));
    assertEquals("hq-admin: user alice added (roles pharmacist,manager; sites 0001,0002)", lastComment("site-0001"));
    assertEquals(lastComment("site-0001"), lastComment("site-0002"));

    // the catalogue, which every pharmacy clones, holds no user and no trace of the hash
    try (CdoConnection c = TestServers.client(config, Repositories.CATALOGUE)) {
      List<EObject> all = new ArrayList<>();
      collect(c.session().openView().getRootResource().getContents(), all);
      assertFalse(all.isEmpty(), "the catalogue has its site directory");
      for (EObject o : all) {
        assertFalse(o instanceof User, "a User in the catalogue");
        for (var a : o.eClass().getEAllAttributes()) {
          assertFalse(String.valueOf(o.eGet(a)).contains(at1.passwordHash().split("\\$")[3]), "hash in the catalogue");
        }
      }
    }

    assertEquals("user name=alice display=\"Alice Pharmacist\" roles=pharmacist,manager sites=0001,0002 active=yes",
        commands.apotheca("user", "list"));
    assertEquals(commands.apotheca("user", "list"), commands.apotheca("user", "list", "--site", "0002"));
    assertEquals("users none", commands.apotheca("user", "list", "--site", "0003"));

    // a second user at one site: the list is sorted, the other site untouched
    commands.apotheca("user", "add", "bob", "--site", "0002", "--role", "cashier", "--password", "bob-secret-2");
    assertEquals(List.of("alice", "bob"), read(config, "0002").stream().map(UserAccount::username).toList());
    assertEquals(List.of("alice"), read(config, "0001").stream().map(UserAccount::username).toList());
    assertEquals("bob", only(read(config, "0002").subList(1, 2)).displayName(), "display name defaults to the username");
  }

  @Test
  void passwdChangesTheHashInEveryCopyAndDisableEnableToo() throws Exception {
    ServerConfig config = TestServers.config(dataDir, TestServers.freePort(), 0, "0001", "0002", "0003");
    server = TestServers.start(config);
    ServerCommands commands = new ServerCommands(server);
    commands.apotheca("user", "add", "locum1", "--site", "0002,0003", "--role", "pharmacist", "--password", PW);
    String oldHash = only(read(config, "0002")).passwordHash();
    Map<String, Long> before = lastCommits();

    assertEquals("user passwd name=locum1 sites=0002,0003", commands.apotheca("user", "passwd", "locum1", "new-secret-9", "--by", "hq"));
    UserAccount at2 = only(read(config, "0002"));
    assertEquals(at2, only(read(config, "0003")));
    assertNotEquals(oldHash, at2.passwordHash());
    assertTrue(PasswordHash.verify("new-secret-9".toCharArray(), at2.passwordHash()));
    assertFalse(PasswordHash.verify(PW.toCharArray(), at2.passwordHash()));
    Map<String, Long> after = lastCommits();
    assertNotEquals(before.get("site-0002"), after.get("site-0002"));
    assertNotEquals(before.get("site-0003"), after.get("site-0003"));
    assertEquals(before.get("site-0001"), after.get("site-0001"));
    assertEquals(before.get(Repositories.CATALOGUE), after.get(Repositories.CATALOGUE));
    assertEquals("hq: password of user locum1 changed", lastComment("site-0003"));

    assertEquals("user disabled name=locum1 sites=0002,0003",
        commands.apotheca("user", "disable", "LOCUM1", "--reason", "contract ended", "--by", "hq"));
    assertFalse(only(read(config, "0002")).active());
    assertEquals(only(read(config, "0002")), only(read(config, "0003")));
    assertEquals("hq: user locum1 disabled: contract ended", lastComment("site-0002"));
    assertTrue(commands.apotheca("user", "list").endsWith("active=no"));
    Map<String, Long> disabled = lastCommits();
    assertEquals("user disabled name=locum1 sites=0002,0003 (already disabled: nothing changed)",
        commands.apotheca("user", "disable", "locum1"));
    assertEquals(disabled, lastCommits(), "nothing to change: no commit");

    assertEquals("user enabled name=locum1 sites=0002,0003", commands.apotheca("user", "enable", "locum1"));
    UserAccount enabled = only(read(config, "0003"));
    assertTrue(enabled.active());
    assertEquals(at2.passwordHash(), enabled.passwordHash(), "enabling keeps the password");
    assertEquals("central-console: user locum1 enabled", lastComment("site-0003"));
  }

  @Test
  void everyRefusalSaysWhyAndChangesNothing() throws Exception {
    ServerConfig config = TestServers.config(dataDir, TestServers.freePort(), 0, "0001", "0002");
    server = TestServers.start(config);
    ServerCommands commands = new ServerCommands(server);
    commands.apotheca("user", "add", "alice", "--site", "0001,0002", "--role", "pharmacist", "--password", PW);
    Map<String, Long> commits = lastCommits();
    Map<String, Integer> counts = commitCounts(config);
    List<List<UserAccount>> staff = List.of(read(config, "0001"), read(config, "0002"));

    String[][] refused = {
        { "user", "add", "carol", "--site", "0009", "--role", "cashier", "--password", "carol-pass-1" },
        { "user", "add", "carol", "--site", "0001,0009", "--role", "cashier", "--password", "carol-pass-1" },
        { "user", "add", "carol", "--site", "0001", "--role", "cashier,doctor", "--password", "carol-pass-1" },
        { "user", "add", "1carol", "--site", "0001", "--role", "cashier", "--password", "carol-pass-1" },
        { "user", "add", "c", "--site", "0001", "--role", "cashier", "--password", "carol-pass-1" },
        { "user", "add", "carol", "--site", "0001", "--role", "cashier", "--password", "short1" },
        { "user", "add", "carolsmith", "--site", "0001", "--role", "cashier", "--password", "CarolSmith" },
        { "user", "add", "carol", "--site", "0001", "--role", "cashier", "--password", "zzzzzzzzzz" },
        { "user", "add", "carol", "--site", "0001", "--role", "cashier" },
        { "user", "add", "carol", "--site", "0001", "--password", "carol-pass-1" },
        { "user", "add", "carol", "--site", "0001", "--role", "cashier", "--password", "carol-pass-1", "--name", "x".repeat(61) },
        { "user", "add", "carol", "--site", "0001", "--role", "cashier", "--password", "carol-pass-1", "--bogus", "1" },
        { "user", "add", "ALICE", "--site", "0002", "--role", "cashier", "--password", "carol-pass-1" },
        { "user", "passwd", "nobody", "nobody-pass-1" },
        { "user", "passwd", "alice", "short" },
        { "user", "passwd", "alice", "aaaaaaaaaa" },
        { "user", "passwd", "alice", "--looks-like-an-option" },
        { "user", "add", "carol", "--site", "0001", "--role", "cashier", "--password", "--looks-like-an-option" },
        { "user", "passwd", "alice" },
        { "user", "disable", "nobody", "--reason", "left" },
        { "user", "enable", "nobody" },
        { "user", "list", "--site", "0009" },
        { "user", "frobnicate" }, };
    for (String[] command : refused) {
      String what = String.join(" ", command);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.apotheca(command), what);
      String m = e.getMessage();
      assertTrue(m != null && !m.isBlank(), what);
      for (String secret : List.of("carol-pass-1", "short1", "zzzzzzzzzz", "nobody-pass-1", "aaaaaaaaaa", "CarolSmith", "looks-like")) {
        assertFalse(m.contains(secret), what + " -> " + m);
      }
      assertEquals(commits, lastCommits(), what);
    }
    assertEquals(counts, commitCounts(config));
    assertEquals(staff, List.of(read(config, "0001"), read(config, "0002")));

    // the messages name the problem in one sentence
    assertMessage(commands, "No site '0009' on this server", "user", "add", "carol", "--site", "0009", "--role", "cashier", "--password", "carol-pass-1");
    assertMessage(commands, "Unknown role 'doctor'", "user", "add", "carol", "--site", "0001", "--role", "doctor", "--password", "carol-pass-1");
    assertMessage(commands, "not a valid username", "user", "add", "1carol", "--site", "0001", "--role", "cashier", "--password", "carol-pass-1");
    assertMessage(commands, "at least 8 characters", "user", "add", "carol", "--site", "0001", "--role", "cashier", "--password", "short1");
    assertMessage(commands, "must not be the username", "user", "add", "carolsmith", "--site", "0001", "--role", "cashier", "--password", "CarolSmith");
    assertMessage(commands, "User 'alice' exists already", "user", "add", "alice", "--site", "0002", "--role", "cashier", "--password", "carol-pass-1");
    assertMessage(commands, "No user 'nobody'", "user", "passwd", "nobody", "nobody-pass-1");
    assertMessage(commands, "No user 'nobody'", "user", "disable", "nobody");
    // a password that looks like an option is refused without being quoted back
    assertMessage(commands, "must not start with '--'", "user", "passwd", "alice", "--weird-pass-1");
    assertMessage(commands, "must not start with '--'", "user", "add", "carol", "--site", "0001", "--role", "cashier", "--password", "--x-pass-1");
    assertEquals(counts, commitCounts(config));
  }

  @Test
  void listAndRepliesNeverShowAHashOrAPassword() throws Exception {
    ServerConfig config = TestServers.config(dataDir, TestServers.freePort(), 0, "0001", "0002");
    server = TestServers.start(config);
    ServerCommands commands = new ServerCommands(server);
    List<String> replies = new ArrayList<>();
    replies.add(commands.apotheca("user", "add", "alice", "--site", "0001", "--role", "pharmacist", "--password", PW));
    replies.add(commands.apotheca("user", "add", "maria", "--site", "0002,0001", "--role", "manager,admin", "--password", "maria-pw-123"));
    replies.add(commands.apotheca("user", "passwd", "maria", "maria-pw-456"));
    replies.add(commands.apotheca("user", "disable", "alice"));
    String list = commands.apotheca("user", "list");
    replies.add(list);
    replies.add(commands.apotheca("user", "list", "--site", "0001"));
    replies.add(commands.apotheca("help"));
    assertEquals("""
        user name=alice display="alice" roles=pharmacist sites=0001 active=no
        user name=maria display="maria" roles=manager,admin sites=0002,0001 active=yes""", list);
    List<String> secrets = new ArrayList<>(List.of(PW, "maria-pw-123", "maria-pw-456", "pbkdf2", "600000"));
    for (String site : List.of("0001", "0002")) {
      for (UserAccount u : read(config, site)) {
        secrets.addAll(hashParts(u.passwordHash()));
      }
    }
    for (String reply : replies) {
      for (String secret : secrets) {
        assertFalse(reply.contains(secret), reply);
      }
    }
  }

  @Test
  void demoUsersAreSeededOnceForEverySiteAndSurviveRestarts() throws Exception {
    ServerConfig config = TestServers.config(dataDir, TestServers.freePort(), 0, "0001", "0002").withDemoUsers(true);
    server = TestServers.start(config);
    List<UserAccount> at1 = read(config, "0001");
    assertEquals(List.of("admin", "alice", "bob", "maria"), at1.stream().map(UserAccount::username).toList());
    assertEquals(at1, read(config, "0002"), "one person each, identical at both sites");
    for (SampleUsers.DemoUser d : SampleUsers.ALL) {
      UserAccount u = at1.stream().filter(a -> a.username().equals(d.username())).findFirst().orElseThrow();
      assertEquals(List.of(d.role()), List.copyOf(u.roles()));
      assertEquals(d.displayName(), u.displayName());
      assertEquals(List.of("0001", "0002"), u.sites());
      assertTrue(u.mayLogInAt("0002"));
      assertTrue(PasswordHash.verify(d.password().toCharArray(), u.passwordHash()), d.username());
      assertTrue(d.password().length() >= 8);
    }
    assertEquals("Alice Pharmacist", at1.get(1).displayName());
    Map<String, Integer> counts = commitCounts(config);

    // a restart finds the staff lists full: nothing is added, nothing rehashed, no commit
    TestServers.stop(server);
    server = TestServers.start(config);
    assertEquals(at1, read(config, "0001"));
    assertEquals(at1, read(config, "0002"));
    assertEquals(counts, commitCounts(config));

    // a site added later gets them at the next start; the copies elsewhere list it too and stay identical
    new ServerCommands(server).apotheca("seed", "--sites", "3");
    TestServers.stop(server);
    server = TestServers.start(config);
    List<UserAccount> at3 = read(config, "0003");
    assertEquals(4, at3.size());
    assertEquals(at3, read(config, "0001"));
    assertEquals(List.of("0001", "0002", "0003"), at3.get(0).sites());
    assertEquals(at1.get(0).passwordHash(), at3.get(0).passwordHash(), "extended, not re-created");

    // off by default: a server without demo.users seeds nobody
    TestServers.stop(server);
    server = TestServers.start(TestServers.config(dataDir.resolve("other"), TestServers.freePort(), 0, "0001"));
    assertTrue(new ServerCommands(server).apotheca("user", "list").equals("users none"));
  }

  @Test
  void noLogRecordEverHoldsAPasswordOrAnyPartOfAHash() throws Exception {
    List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    capture.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    Level rootLevel = root.getLevel();
    root.setLevel(Level.ALL);
    root.addHandler(capture);
    List<String> secrets = new ArrayList<>(List.of(PW, "second-secret-7", "wk-7"));
    try {
      ServerConfig config = TestServers.config(dataDir, TestServers.freePort(), 0, "0001", "0002");
      server = TestServers.start(config);
      ServerCommands commands = new ServerCommands(server);
      commands.apotheca("user", "add", "alice", "--site", "0001,0002", "--role", "pharmacist", "--password", PW);
      secrets.addAll(hashParts(only(read(config, "0001")).passwordHash()));
      commands.apotheca("user", "passwd", "alice", "second-secret-7");
      secrets.addAll(hashParts(only(read(config, "0002")).passwordHash()));
      commands.apotheca("user", "disable", "alice", "--reason", "on leave");
      assertThrows(IllegalArgumentException.class, () -> commands.apotheca("user", "passwd", "alice", "wk-7"));
      commands.apotheca("user", "list");
    } finally {
      root.removeHandler(capture);
      root.setLevel(rootLevel);
    }
    assertTrue(records.stream().anyMatch(r -> r.getLoggerName() != null && r.getLoggerName().endsWith("UserAdmin")),
        "the changes are logged (without secrets)");
    SimpleFormatter formatter = new SimpleFormatter();
    for (LogRecord r : List.copyOf(records)) {
      StringBuilder text = new StringBuilder(String.valueOf(r.getMessage())).append('\n').append(formatter.format(r));
      if (r.getParameters() != null) {
        for (Object p : r.getParameters()) {
          text.append('\n').append(p);
        }
      }
      if (r.getThrown() != null) {
        StringWriter w = new StringWriter();
        r.getThrown().printStackTrace(new PrintWriter(w));
        text.append('\n').append(w);
      }
      for (String secret : secrets) {
        assertFalse(text.toString().contains(secret), "log record of " + r.getLoggerName() + " holds a secret");
      }
    }
  }

  // ---- helpers

  private static void assertMessage(ServerCommands commands, String expected, String... command) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.apotheca(command));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  /** The whole encoded hash, its salt and its key: none may appear anywhere. */
  private static List<String> hashParts(String hash) {
    String[] p = hash.split("\\$");
    return List.of(hash, p[2], p[3], p[2].substring(0, 12), p[3].substring(0, 12), p[3].substring(p[3].length() - 16));
  }

  private static UserAccount only(List<UserAccount> users) {
    assertEquals(1, users.size(), users.toString());
    return users.get(0);
  }

  /** The staff list as a pharmacy node reads it: over TCP, through StaffReader. */
  private static List<UserAccount> read(ServerConfig config, String site) {
    try (CdoConnection c = TestServers.client(config, Repositories.siteRepository(site))) {
      return StaffReader.read(c.session().openView(), site);
    }
  }

  private static boolean hasStaffResource(ServerConfig config, String site) {
    try (CdoConnection c = TestServers.client(config, Repositories.siteRepository(site))) {
      return c.session().openView().hasResource(Repositories.staffResource(site));
    }
  }

  private Map<String, Long> lastCommits() {
    Map<String, Long> out = new LinkedHashMap<>();
    server.repositories().forEach((name, r) -> out.put(name, r.getLastCommitTimeStamp()));
    return out;
  }

  private String lastComment(String repository) {
    CDONet4jSession s = server.openLocalSession(repository);
    try {
      long last = server.repositories().get(repository).getLastCommitTimeStamp();
      return s.getCommitInfoManager().getCommitInfo(last).getComment();
    } finally {
      s.close();
    }
  }

  /** How many commits each repository holds (all branches). */
  private Map<String, Integer> commitCounts(ServerConfig config) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String name : server.repositories().keySet()) {
      CDONet4jSession s = server.openLocalSession(name);
      try {
        int[] n = { 0 };
        s.getCommitInfoManager().getCommitInfos(null, 0L, Long.MAX_VALUE, info -> n[0]++);
        out.put(name, n[0]);
      } finally {
        s.close();
      }
    }
    return out;
  }

  private static void collect(List<? extends EObject> nodes, List<EObject> out) {
    for (EObject o : nodes) {
      if (o instanceof CDOResourceFolder f) {
        collect(f.getNodes(), out);
      } else if (o instanceof CDOResource r) {
        for (EObject root : r.getContents()) {
          out.add(root);
          root.eAllContents().forEachRemaining(out::add);
        }
      } else if (!(o instanceof CDOResourceNode)) {
        out.add(o);
      }
    }
  }
}
