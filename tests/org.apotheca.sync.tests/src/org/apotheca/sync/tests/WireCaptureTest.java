package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apotheca.core.Repositories;
import org.apotheca.core.ledger.SaleReceipt;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.PaymentRequest;
import org.apotheca.node.api.Quote;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.api.Session;
import org.apotheca.node.remote.RemoteNodeService;
import org.apotheca.node.remote.TillTransport;
import org.apotheca.security.pki.Enrollment;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.LocalNodeService;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.SampleStock;
import org.apotheca.sync.TillAccess;
import org.eclipse.emf.cdo.view.CDOView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a sale looks like on the wire, captured with tcpdump on the loopback interface: the ports that cross a network
 * (central's public port, the node's till port) carry nothing readable in TLS, and everything in the development
 * mode's plain TCP (the control that proves the capture itself sees the traffic).
 * <p>
 * The legs inside one machine (the node's Net4j connector to its local forwarder, central's gate to its loopback
 * acceptor) stay plain by design and are left out of the capture filter: in a pharmacy they never leave the computer.
 */
class WireCaptureTest {

  private static final String SITE = "0001";

  @TempDir
  Path tmp;

  private CentralServer central;
  private PharmacyNode node;
  private RemoteNodeService till;

  @AfterEach
  void tearDown() {
    if (till != null) {
      till.close();
    }
    if (node != null) {
      node.stop();
    }
    SyncFixture.stopCentral(central);
  }

  @Test
  void aSaleInTlsShowsNoProductBarcodeOrSiteOnTheWire() throws Exception {
    String wire = captureASale(false);
    assertFalse(wire.contains(productName), "product name in clear");
    assertFalse(wire.contains(barcode), "barcode in clear");
    assertFalse(wire.contains(Repositories.siteRepository(SITE)), "site repository in clear");
    assertFalse(wire.contains("org.apotheca"), "model and class names in clear");
  }

  @Test
  void theSameSaleInPlainDevelopmentTcpShowsThemAll() throws Exception {
    String wire = captureASale(true);
    assertTrue(wire.contains(barcode), "the capture sees plain traffic (the control): barcode");
    assertTrue(wire.contains(Repositories.siteRepository(SITE)), "the capture sees plain traffic (the control): site");
  }

  private String productName;
  private String barcode;

  /** Starts central and an enrolled node, captures their public ports while a till on the LAN and the node each sell. */
  private String captureASale(boolean plain) throws Exception {
    ServerConfig config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), 20).withDemoUsers(true)
        .withPlainTcp(plain);
    central = SyncFixture.startCentral(config);
    NodeConfig nc = NodeConfig.of(SITE, tmp.resolve("node"), config.endpoint(), new Endpoint("127.0.0.1", SyncFixture.freePort()))
        .withPlainTcp(plain);
    if (!plain) {
      SyncFixture.enroll(central, nc);
    }
    node = new PharmacyNode(nc).start();
    assertTrue(node.awaitReady(60_000), node.status().line());
    SampleStock.receiveIfEmpty(node, 3);
    LocalNodeService local = new LocalNodeService(node, false);
    node.serveTills(local);
    String address = nc.tills().host() + ":" + nc.tills().port();
    if (plain) {
      till = new RemoteNodeService(address);
    } else {
      TillAccess.Pairing pairing = node.tillAccess().pair("till-2");
      till = new RemoteNodeService(address, TillTransport.tls(Enrollment.read(pairing.bundle(), pairing.oneTimePassword())));
    }
    barcode = SampleCatalogue.barcode(2);

    Path pcap = tmp.resolve(plain ? "plain.pcap" : "tls.pcap");
    Capture tcpdump = startCapture(pcap, config.endpoint().port(), nc.tills().port());
    String said;
    try {
      Session bob = till.login("till-2", "bob", "bob-demo".toCharArray());
      Quote q = till.quote(bob.token(), LineRequest.of(barcode, 1));
      productName = q.product().name();
      till.sell(bob.token(), SaleRequest.of(List.of(q.line()), List.of(PaymentRequest.card(q.lineTotalMinor()))));
      SaleReceipt r = node.sell("till-1", "alice", barcode, 1);
      assertFalse(r.offline(), "sold online");
      await("both sales at central", 20_000, () -> salesAtCentral(config, plain) == 2, () -> node.status().line());
      Thread.sleep(1_000); // the last acknowledgements
    } finally {
      said = stopCapture(tcpdump);
    }
    byte[] bytes = Files.readAllBytes(pcap);
    assertTrue(bytes.length > 4_000, "the capture holds the traffic: " + bytes.length + " bytes; tcpdump: " + said);
    System.out.println("WireCapture " + (plain ? "plain" : "TLS") + ": " + bytes.length + " bytes captured on ports "
        + config.endpoint().port() + " and " + nc.tills().port() + " (" + said + ")");
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private int salesAtCentral(ServerConfig config, boolean plain) {
    try (CdoConnection c = plain ? CdoConnection.open(config.endpoint(), Repositories.siteRepository(SITE))
        : SyncFixture.staff(central, config.endpoint(), Repositories.siteRepository(SITE))) {
      CDOView view = c.session().openView();
      return SalesReader.summary(view, SITE).count();
    }
  }

  /** tcpdump and what it says on stderr (its summary comes at exit). */
  private record Capture(Process process, StringBuffer said, Thread reader) {
  }

  private static Capture startCapture(Path pcap, int... ports) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(tcpdump(), "-i", "lo", "--immediate-mode", "-U", "-n", "-s", "0", "-Z", "root",
        "-w", pcap.toString()));
    for (int i = 0; i < ports.length; i++) {
      if (i > 0) {
        cmd.add("or");
      }
      cmd.addAll(List.of("tcp", "port", String.valueOf(ports[i])));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuffer said = new StringBuffer();
    CountDownLatch listening = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          said.append(line).append('\n');
          if (line.contains("listening on")) {
            listening.countDown();
          }
        }
      } catch (IOException e) {
        said.append(e);
      }
      listening.countDown();
    }, "tcpdump-output");
    reader.start();
    listening.await(20, TimeUnit.SECONDS);
    if (!said.toString().contains("listening on")) {
      p.destroyForcibly();
      fail("tcpdump did not start capturing (./apotheca test installs it; it needs CAP_NET_RAW): " + said);
    }
    return new Capture(p, said, reader);
  }

  /** @return what tcpdump said, its packet counts included */
  private static String stopCapture(Capture c) throws Exception {
    c.process().destroy(); // SIGTERM: tcpdump writes out what it holds and exits
    if (!c.process().waitFor(10, TimeUnit.SECONDS)) {
      c.process().destroyForcibly();
    }
    c.reader().join(5_000);
    assertFalse(c.process().isAlive());
    return c.said().toString().strip().replace('\n', ' ');
  }

  private static String tcpdump() {
    for (String dir : new String[] { "/usr/bin", "/usr/sbin", "/bin", "/sbin" }) {
      Path p = Path.of(dir, "tcpdump");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    fail("tcpdump is not installed: ./apotheca test installs it (Debian package tcpdump)");
    return null;
  }
}
