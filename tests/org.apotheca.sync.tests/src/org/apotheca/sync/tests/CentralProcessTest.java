package org.apotheca.sync.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueReader;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.apotheca.sync.tests.faults.ChildJvm;
import org.apotheca.sync.tests.faults.LinkRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * The process plumbing the fault-injection tests stand on, checked on its own so that a fault test failing means
 * a fault, not plumbing: central ({@code ServerMain}) as a real child JVM that answers console commands and CDO
 * clients, loses nothing when SIGKILLed, and the link relay that cuts and restores a client's connection.
 */
class CentralProcessTest {

  private static final int PRODUCTS = 300;
  private static final Duration COMMAND = Duration.ofSeconds(60);

  @TempDir
  Path tmp;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    // reverse order: clients and relays before the server they talk to, and never a child JVM left behind
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  private Endpoint writeConfig() throws IOException {
    int port = SyncFixture.freePort();
    Files.writeString(tmp.resolve("server.properties"), "server.host=127.0.0.1\nserver.port=" + port
        + "\nconsole.port=0\ndata.dir=central\nsites=" + SyncFixture.SITE + "\nsample.products=" + PRODUCTS + "\n",
        StandardCharsets.UTF_8);
    return new Endpoint("127.0.0.1", port);
  }

  /** Logs must outlive the @TempDir: the test runtime's derby.log sits in this bundle's target folder. */
  private Path logs(String test) {
    String derbyLog = System.getProperty("derby.stream.error.file");
    Path target = derbyLog != null ? Path.of(derbyLog).toAbsolutePath().getParent() : Path.of(System.getProperty("user.dir"), "target");
    return target.resolve("process-logs").resolve(test + "-" + tmp.getFileName());
  }

  private ChildJvm startCentral(String test) throws IOException {
    return track(ChildJvm.start("central", logs(test), "org.apotheca.server.ServerMain", "--config",
        tmp.resolve("server.properties").toString()));
  }

  /** Read as one of central's staff tools, through its TLS gate (the authority's directory is on this machine). */
  private int catalogueSize(Endpoint endpoint) {
    try (CdoConnection c = SyncFixture.staff(tmp.resolve("central"), endpoint, Repositories.CATALOGUE)) {
      return CatalogueReader.count(c.session().openView());
    }
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  @Test
  void centralAsAChildProcessServesSurvivesSigkillAndRestartsOnItsData() throws Exception {
    Endpoint endpoint = writeConfig();
    long t0 = System.nanoTime();
    ChildJvm central = startCentral("sigkill");
    long firstStart = ms(t0);

    List<String> sites = central.command("apotheca sites", COMMAND);
    assertTrue(sites.stream().anyMatch(l -> l.startsWith("site id=" + SyncFixture.SITE + " state=never ")),
        "central lists its site: " + sites);
    assertThrows(ChildJvm.CommandFailed.class, () -> central.command("no-such-command", COMMAND),
        "an unknown command is answered with ERROR");
    String status = central.command("status", COMMAND).get(0); // still serving after an ERROR
    assertTrue(status.contains("server=RUNNING") && status.contains("address=" + endpoint), status);

    t0 = System.nanoTime();
    assertEquals(PRODUCTS, catalogueSize(endpoint), "the seeded catalogue, read by a CDO client over TCP");
    long firstRead = ms(t0);

    central.kill();
    assertFalse(central.isAlive());
    // the kernel drops a dead process's listening socket at once: clients are refused, not left hanging
    assertThrows(ConnectException.class, () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 1_000);
      }
    });
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> catalogueSize(endpoint));
    assertTrue(refused.getMessage().startsWith("Cannot reach the Apotheca server at " + endpoint), refused.getMessage());

    t0 = System.nanoTime();
    ChildJvm again = startCentral("sigkill");
    long restart = ms(t0);
    assertEquals(PRODUCTS, catalogueSize(endpoint), "nothing lost and nothing seeded twice after SIGKILL and Derby recovery");
    assertTrue(again.command("apotheca sites", COMMAND).stream().anyMatch(l -> l.startsWith("site id=" + SyncFixture.SITE + " ")));
    t0 = System.nanoTime();
    again.stop();
    long stop = ms(t0);
    assertFalse(again.isAlive(), "'quit' ends the process");
    System.out.println("CentralProcessTest: first start " + firstStart + " ms (seeding " + PRODUCTS + "), first catalogue read "
        + firstRead + " ms, restart after SIGKILL " + restart + " ms, clean stop " + stop + " ms; our bundles installed from "
        + reactorBundleLocations());
  }

  @Test
  void theRelayCutsOpenSessionsRefusesNewOnesWhileDownAndForwardsAgainWhenUp() throws Exception {
    Endpoint endpoint = writeConfig();
    startCentral("relay");
    LinkRelay relay = track(new LinkRelay(endpoint));
    Endpoint via = relay.endpoint();

    assertEquals(PRODUCTS, catalogueSize(via), "through the relay");
    CdoConnection held = track(SyncFixture.staff(tmp.resolve("central"), via, Repositories.CATALOGUE));
    assertEquals(PRODUCTS, CatalogueReader.count(held.session().openView()));

    long t0 = System.nanoTime();
    relay.setUp(false);
    SyncFixture.await("the held session to notice the cut", 10_000, held.session()::isClosed, () -> "still open");
    long noticed = ms(t0);

    t0 = System.nanoTime();
    IllegalStateException down = assertThrows(IllegalStateException.class, () -> catalogueSize(via));
    long failed = ms(t0);
    assertTrue(down.getMessage().startsWith("Cannot ") && down.getMessage().contains(" at " + via), down.getMessage());
    // CdoClient's connect probe succeeds (the relay's port stays bound, as a router's does on a dead line). Net4j then
    // mostly waits out its 10 s channel registration although the peer closed at once; now and then it notices the
    // close during activation and fails in milliseconds (2 of 10 tries here, one of them with an NPE text).
    assertTrue(failed < 15_000, "the client is told within Net4j's registration timeout: " + failed + " ms, " + down.getMessage());
    // What a faster client check could key on: central never speaks first, so a read on a live link times out,
    // while the cut link answers EOF (or a reset) at once.
    assertEquals("eof", firstByte(via), "the cut link closes at once");
    assertEquals("silent", firstByte(endpoint), "central waits for the client to speak");
    assertEquals(PRODUCTS, catalogueSize(endpoint), "central itself is fine: only the link is down");

    relay.setUp(true);
    assertEquals(PRODUCTS, catalogueSize(via), "a new session once the link is up again");
    assertTrue(relay.connectionsAccepted() >= 4, "sessions really went through the relay: " + relay.connectionsAccepted());
    System.out.println("CentralProcessTest relay: held session closed " + noticed + " ms after the cut; new session on the dead "
        + "link failed after " + failed + " ms with: " + down.getMessage() + "; relay accepted " + relay.connectionsAccepted());
  }

  private static String firstByte(Endpoint e) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(e.host(), e.port()), 1_000);
      s.setSoTimeout(500);
      try {
        return s.getInputStream().read() < 0 ? "eof" : "data";
      } catch (SocketTimeoutException timeout) {
        return "silent";
      } catch (SocketException reset) {
        return "eof";
      }
    }
  }

  /** Where the framework installed our own bundles from, for the test log: a stale reactor jar would show here. */
  private static List<String> reactorBundleLocations() {
    List<String> out = new ArrayList<>();
    for (Bundle b : FrameworkUtil.getBundle(CentralProcessTest.class).getBundleContext().getBundles()) {
      if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.apotheca.")) {
        out.add(b.getSymbolicName() + "=" + b.getLocation());
      }
    }
    return out;
  }
}
