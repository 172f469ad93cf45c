package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueReader;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.Product;
import org.apotheca.node.api.NodeState;
import org.apotheca.security.pki.CertificateAuthority;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.security.pki.SecretFiles;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.apotheca.server.access.CentralClient;
import org.apotheca.server.access.CentralSecurity;
import org.apotheca.sync.LocalNodeService;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.NodeIdentity;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.SampleStock;
import org.apotheca.sync.TillAccess;
import org.apotheca.node.remote.RemoteNodeService;
import org.apotheca.node.remote.TillTransport;
import org.apotheca.security.pki.Enrollment;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.util.CommitException;
import org.eclipse.emf.cdo.view.CDOView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Central's security as pharmacies and hostile peers meet it: every link in TLS with a client certificate, each
 * pharmacy sealed off from the others and from the catalogue's writes, revocation, expiry, renewal, foreign and missing
 * certificates, plain-TCP and idle peers, and a flood of half-open connections while a pharmacy goes on selling.
 * Real central server, real nodes, real sockets on 127.0.0.1.
 */
class SecurityTest {

  private static final int PRODUCTS = 30;

  @TempDir
  Path tmp;

  private CentralServer central;
  private ServerConfig config;
  private final List<PharmacyNode> nodes = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Warnings warnings = new Warnings();

  @BeforeEach
  void startCentral() {
    Logger.getLogger("").addHandler(warnings);
    config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), PRODUCTS).withSites(List.of("0001", "0002"));
    central = SyncFixture.startCentral(config);
  }

  @AfterEach
  void tearDown() {
    Logger.getLogger("").removeHandler(warnings);
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // keep closing
      }
    }
    nodes.forEach(PharmacyNode::stop);
    SyncFixture.stopCentral(central);
  }

  private NodeConfig nodeConfig(String site) {
    return NodeConfig.of(site, tmp.resolve("node-" + site), config.endpoint(), new Endpoint("127.0.0.1", SyncFixture.freePort()));
  }

  private PharmacyNode startNode(NodeConfig nc) throws InterruptedException {
    PharmacyNode node = new PharmacyNode(nc).start();
    nodes.add(node);
    assertTrue(node.awaitReady(60_000), "node " + nc.siteId() + " ready: " + node.status().line());
    SampleStock.receiveIfEmpty(node, 3);
    return node;
  }

  private PharmacyNode enrolledNode(String site) throws InterruptedException {
    return startNode(SyncFixture.enroll(central, nodeConfig(site)));
  }

  private int salesAtCentral(String site) {
    try (CdoConnection c = SyncFixture.staff(central, config.endpoint(), Repositories.siteRepository(site))) {
      CDOView view = c.session().openView();
      return SalesReader.summary(view, site).count();
    }
  }

  private KeyMaterial identityOf(PharmacyNode node) {
    return NodeIdentity.load(node.config().secretsDir()).orElseThrow();
  }

  @Test
  void twoEnrolledPharmaciesSellAndEachIsSealedOffFromTheOtherAndFromTheCatalogue() throws Exception {
    PharmacyNode first = enrolledNode("0001");
    PharmacyNode second = enrolledNode("0002");
    first.sell("till-1", "alice", SampleCatalogue.barcode(0), 1);
    second.sell("till-1", "bob", SampleCatalogue.barcode(1), 2);
    await("both sales at central", 20_000, () -> salesAtCentral("0001") == 1 && salesAtCentral("0002") == 1,
        () -> first.status().line() + " / " + second.status().line());

    // the first pharmacy's own certificate, used by hand against the other pharmacy's repository
    KeyMaterial site1 = identityOf(first);
    warnings.clear();
    IllegalStateException other = assertThrows(IllegalStateException.class,
        () -> CentralClient.open(site1, config.endpoint(), Repositories.siteRepository("0002")).close());
    assertTrue(other.getMessage().contains("pharmacy 0001 may open the catalogue and site-0001 only, not site-0002"),
        other.getMessage());
    assertEquals(1, warnings.matching("site-0002").size(), "one log line at central: " + warnings.lines());

    // it may read the catalogue, but not change it
    try (CdoConnection catalogue = CentralClient.open(site1, config.endpoint(), Repositories.CATALOGUE)) {
      CDOTransaction tx = catalogue.session().openTransaction();
      Product p = CatalogueReader.buckets(tx).get(0).getProducts().get(0);
      long before = p.getListPriceMinor();
      p.setListPriceMinor(1);
      warnings.clear();
      CommitException refused = assertThrows(CommitException.class, tx::commit);
      assertTrue(refused.getMessage().contains("may not change the catalogue"), refused.getMessage());
      tx.rollback();
      assertEquals(before, CatalogueReader.buckets(tx).get(0).getProducts().get(0).getListPriceMinor());
      assertEquals(1, warnings.matching("may not change the catalogue").size(), warnings.lines());
    }

    // the first pharmacy's enrollment bundle on a node configured as the second: refused, nothing installed
    CentralSecurity.EnrollmentBundle bundle = central.security().enroll("0001", tmp.resolve("site-0001.p12"));
    NodeConfig elsewhere = NodeConfig.of("0002", tmp.resolve("elsewhere"), config.endpoint(), new Endpoint("127.0.0.1", 1));
    IllegalArgumentException wrongSite = assertThrows(IllegalArgumentException.class,
        () -> NodeIdentity.enroll(elsewhere.secretsDir(), "0002", bundle.file(), bundle.oneTimePassword()));
    assertTrue(wrongSite.getMessage().contains("enrolls pharmacy 0001, but this node is configured as pharmacy 0002"),
        wrongSite.getMessage());
    assertTrue(NodeIdentity.load(elsewhere.secretsDir()).isEmpty(), "nothing installed");
    assertThrows(IllegalArgumentException.class,
        () -> NodeIdentity.enroll(elsewhere.secretsDir(), "0001", bundle.file(), "WRONG-PASSWORD-1234-5678"));

    // neither the one-time password nor any key went into a log line
    assertTrue(warnings.all().stream().noneMatch(l -> l.contains(bundle.oneTimePassword())), "password logged");
  }

  @Test
  void aRevokedPharmacyIsCutOffAtOnceAndSellsOfflineWhileTheOtherKeepsSyncing() throws Exception {
    PharmacyNode first = enrolledNode("0001");
    PharmacyNode second = enrolledNode("0002");
    String reply = new ServerCommands(central).apotheca("site", "revoke", "0002", "--reason", "PC stolen");
    assertTrue(reply.startsWith("revoked site=0002 links-closed="), reply);
    assertFalse(reply.startsWith("revoked site=0002 links-closed=0"), "its open link was closed: " + reply);

    long ms = await("the revoked node to be refused", 20_000,
        () -> second.centralRefusal() != null && second.state() == PharmacyNode.State.OFFLINE, () -> second.status().line());
    System.out.println("TIMING revoked node offline and told why " + ms + " ms after the revocation");
    assertTrue(second.centralRefusal().contains("revoked"), second.centralRefusal());
    NodeState shown = new LocalNodeService(second, false).state();
    assertEquals(NodeState.Connection.ERROR, shown.connection());
    assertTrue(shown.error().startsWith("Central refused this pharmacy: central revoked pharmacy 0002's certificate"), shown.error());
    assertTrue(shown.canSell(), "a refused pharmacy still sells");
    assertTrue(second.sell("till-1", "bob", SampleCatalogue.barcode(1), 1).offline(), "kept on the node");

    // the other pharmacy is not disturbed
    first.sell("till-1", "alice", SampleCatalogue.barcode(0), 1);
    await("pharmacy 0001's sale at central", 20_000, () -> salesAtCentral("0001") == 1, () -> first.status().line());
    assertEquals(0, salesAtCentral("0002"));

    // a new enrollment (the pharmacy's replacement computer) lets it in again, and its offline sale arrives once
    NodeIdentity.install(second.config().secretsDir(), central.security().issueSite("0002"));
    await("the re-enrolled node to merge", 30_000, () -> salesAtCentral("0002") == 1, () -> second.status().line());
    await("no refusal shown any more", 10_000, () -> second.centralRefusal() == null, () -> second.status().line());
  }

  @Test
  void expiredForeignAndMissingCertificatesAndNonTlsPeersAreRefusedWithOneLogLineEach() throws Exception {
    CertificateAuthority ca = central.security().authority();
    Instant now = Instant.now();
    KeyPair keys = KeyMaterial.newKeyPair();
    X509Certificate old = ca.issue(MachineIdentity.site("0001"), keys.getPublic(), now.minus(Duration.ofDays(400)),
        now.minus(Duration.ofDays(35)));
    KeyMaterial expired = new KeyMaterial(keys.getPrivate(), new X509Certificate[] { old, ca.certificate() }, ca.certificate());
    warnings.clear();
    IllegalStateException e1 = assertThrows(IllegalStateException.class,
        () -> CentralClient.open(expired, config.endpoint(), Repositories.CATALOGUE).close());
    assertTrue(e1.getMessage().contains("certificate expired on"), e1.getMessage());
    // the gate writes its line once it has closed the connection, which may be just after the client gave up
    await("one log line for the expired certificate", 5_000, () -> warnings.matching("expired").size() == 1, warnings::lines);

    CertificateAuthority foreign = CertificateAuthority.createOrOpen(tmp.resolve("foreign-ca"), "Someone else");
    KeyMaterial stranger = foreign.issueKeyMaterial(MachineIdentity.site("0001"), Duration.ofDays(30));
    // the stranger trusts our CA (it knows central's certificate), so only central's check can stop it
    KeyMaterial strangerTrustingUs = new KeyMaterial(stranger.key(), new X509Certificate[] { stranger.certificate() }, ca.certificate());
    warnings.clear();
    assertThrows(IllegalStateException.class,
        () -> CentralClient.open(strangerTrustingUs, config.endpoint(), Repositories.CATALOGUE).close());
    await("one log line for the foreign certificate", 5_000, () -> warnings.matching("not issued by").size() == 1, warnings::lines);

    warnings.clear();
    assertEquals("closed", plainPeer("hello central\n".getBytes(StandardCharsets.US_ASCII)), "plain TCP gets no answer but a close");
    await("one log line for the plain-TCP peer", 5_000, () -> warnings.matching("TLS").size() + warnings.matching("plain").size() >= 1,
        warnings::lines);

    warnings.clear();
    long t0 = System.nanoTime();
    assertEquals("closed", plainPeer(new byte[] { 0x16, 0x03, 0x01 }), "three bytes and silence");
    long idleMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("TIMING a peer that sent 3 bytes and idled was closed after " + idleMs + " ms");
    await("one log line for the idle peer", 5_000, () -> !warnings.all().isEmpty(), warnings::lines);
    assertEquals(1, warnings.all().size(), warnings.lines());
  }

  /** Writes {@code bytes} and waits (at most 15 s) for central to close: "closed", or "data" / "open". */
  private String plainPeer(byte[] bytes) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", config.endpoint().port()), 2_000);
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(bytes);
      out.flush();
      InputStream in = s.getInputStream();
      try {
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
          // a TLS alert may come first; anything readable as our data would be a failure
          if (new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains("catalogue")) {
            return "data";
          }
        }
        return "closed";
      } catch (SocketException reset) {
        return "closed";
      } catch (java.net.SocketTimeoutException stillOpen) {
        return "open";
      }
    }
  }

  @Test
  void aFloodOfHalfOpenConnectionsIsShedWhileAPharmacyKeepsSellingOnline() throws Exception {
    PharmacyNode node = enrolledNode("0001");
    long[] quiet = onlineLags(node, 10, 0);
    List<Socket> attack = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", config.endpoint().port()), 2_000);
        attack.add(s);
      }
      long[] underAttack = onlineLags(node, 10, 10);
      Arrays.sort(quiet);
      Arrays.sort(underAttack);
      System.out.println("TIMING online-sale lag (sale done -> at central) p50 quiet " + quiet[quiet.length / 2]
          + " ms, during 200 half-open handshakes " + underAttack[underAttack.length / 2] + " ms (max " + underAttack[underAttack.length - 1] + " ms)");
      // the flood is shed: central closes every silent peer at its handshake timeout, none is left hanging
      long t0 = System.nanoTime();
      for (Socket s : attack) {
        assertTrue(closedByPeer(s, 15_000), "a half-open connection was left open");
      }
      System.out.println("TIMING 200 half-open connections closed by central within " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    } finally {
      for (Socket s : attack) {
        s.close();
      }
    }
    assertEquals(20, salesAtCentral("0001"), "every sale made during the attack reached central");
  }

  private static boolean closedByPeer(Socket s, int timeoutMs) throws java.io.IOException {
    s.setSoTimeout(timeoutMs);
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketException reset) {
      return true;
    } catch (java.net.SocketTimeoutException open) {
      return false;
    }
  }

  /** Sells {@code n} units online and returns, for each, ms from the till's "done" to central having it. */
  private long[] onlineLags(PharmacyNode node, int n, int already) {
    long[] lags = new long[n];
    try (CdoConnection watch = SyncFixture.staff(central, config.endpoint(), Repositories.siteRepository("0001"))) {
      for (int i = 0; i < n; i++) {
        assertFalse(node.sell("till-1", "alice", SampleCatalogue.barcode(i % 3), 1).offline(), "sold online");
        long done = System.nanoTime();
        int want = already + i + 1;
        await("sale " + want + " at central", 20_000, () -> {
          org.apotheca.core.net.CdoClient.refresh(watch.session());
          return SalesReader.summary(watch.session().openView(), "0001").count() >= want;
        }, () -> node.status().line());
        lags[i] = (System.nanoTime() - done) / 1_000_000;
      }
    }
    return lags;
  }

  @Test
  void onlyTillsPairedWithThisNodeGetInAndAnUnpairedTillIsToldWhy() throws Exception {
    PharmacyNode node = enrolledNode("0001");
    PharmacyNode other = enrolledNode("0002");
    node.serveTills(new LocalNodeService(node, false));
    String address = node.config().tills().host() + ":" + node.config().tills().port();
    TillAccess.Pairing pairing = node.tillAccess().pair("till-2");
    try (RemoteNodeService till = new RemoteNodeService(address,
        TillTransport.tls(Enrollment.read(pairing.bundle(), pairing.oneTimePassword())))) {
      assertEquals(NodeState.Connection.ONLINE, till.state().connection(), String.valueOf(till.state().error()));
      String reply = new org.apotheca.sync.NodeCommands(node).apotheca("till", "unpair", "till-2", "--reason", "stolen");
      assertTrue(reply.startsWith("unpaired till=0001/till-2 links-closed="), reply);
      await("the unpaired till to be told", 10_000, () -> till.state().connection() == NodeState.Connection.NODE_UNREACHABLE,
          () -> String.valueOf(till.state()));
      String said = till.state().error();
      assertTrue(said.startsWith(NodeState.TILL_REFUSED + "this till was unpaired from the pharmacy node"), said);
    }
    // a till paired with another pharmacy's node: its certificate is not of this node's authority
    TillAccess.Pairing foreign = other.tillAccess().pair("till-2");
    try (RemoteNodeService stranger = new RemoteNodeService(address,
        TillTransport.tls(Enrollment.read(foreign.bundle(), foreign.oneTimePassword())))) {
      assertEquals(NodeState.Connection.NODE_UNREACHABLE, stranger.state().connection());
    }
  }

  @Test
  void aNodeNeverEnrolledSaysHowToEnrollAndSyncsOnceItIs() throws Exception {
    NodeConfig nc = nodeConfig("0001");
    PharmacyNode node = new PharmacyNode(nc).start();
    nodes.add(node);
    await("the node to say it is not enrolled", 20_000, () -> node.centralRefusal() != null, () -> node.status().line());
    assertTrue(node.centralRefusal().startsWith("This computer is not enrolled as pharmacy 0001: ask central for an enrollment "
        + "bundle, then run ./apotheca site --enroll <bundle>"), node.centralRefusal());
    assertTrue(node.status().line().contains("not enrolled"), node.status().line());
    // the operator's two steps, central's then the node's: no restart needed, the node takes the new identity at once
    CentralSecurity.EnrollmentBundle bundle = central.security().enroll("0001", tmp.resolve("site-0001.p12"));
    NodeIdentity.enroll(nc.secretsDir(), "0001", bundle.file(), bundle.oneTimePassword().toLowerCase().replace("-", ""));
    long t0 = System.nanoTime();
    assertTrue(node.awaitReady(30_000), node.status().line());
    assertEquals(null, node.centralRefusal());
    System.out.println("TIMING a node enrolled while running was ready " + (System.nanoTime() - t0) / 1_000_000 + " ms later");
  }

  @Test
  void aCertificateNearItsEndIsRenewedOverTheLinkWithoutAVisit() throws Exception {
    NodeConfig nc = nodeConfig("0001");
    CertificateAuthority ca = central.security().authority();
    Instant now = Instant.now();
    KeyPair keys = KeyMaterial.newKeyPair();
    X509Certificate soon = ca.issue(MachineIdentity.site("0001"), keys.getPublic(), now.minus(Duration.ofDays(300)),
        now.plus(Duration.ofDays(10)));
    NodeIdentity.install(nc.secretsDir(), new KeyMaterial(keys.getPrivate(), new X509Certificate[] { soon, ca.certificate() },
        ca.certificate()));
    startNode(nc);
    await("the node's certificate renewed", 20_000,
        () -> NodeIdentity.load(nc.secretsDir()).orElseThrow().certificate().getNotAfter().toInstant()
            .isAfter(now.plus(Duration.ofDays(300))), () -> "still " + soon.getNotAfter());
    KeyMaterial renewed = NodeIdentity.load(nc.secretsDir()).orElseThrow();
    assertFalse(renewed.key().equals(keys.getPrivate()), "a new key, not just a new date");
    assertEquals(MachineIdentity.site("0001"), renewed.identity());
  }

  @Test
  void keysPasswordsAndTheAuthorityAreReadableByTheirOwnerOnly() throws Exception {
    PharmacyNode node = enrolledNode("0001");
    Path secrets = node.config().secretsDir();
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
    List<Path> files;
    try (var walk = Files.walk(secrets)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().equals("identity.p12")), files.toString());
    for (Path f : files) {
      if (!f.getFileName().toString().endsWith(".pem")) {
        assertTrue(SecretFiles.isOwnerOnly(f), f + " is " + PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
      }
    }
    Path authority = config.securityDir();
    try (var walk = Files.walk(authority)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        if (!f.getFileName().toString().endsWith(".pem")) {
          assertTrue(SecretFiles.isOwnerOnly(f), f + " is " + PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
      }
    }
    // a till's pairing bundle waits for its till readable by the node's owner only
    Path bundle = node.tillAccess().pair("till-2").bundle();
    assertTrue(SecretFiles.isOwnerOnly(bundle), PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle)));
  }

  /** Central's warnings (and errors) as one line each, the way an operator reads the log. */
  static final class Warnings extends Handler {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= Level.WARNING.intValue() && r.getLoggerName() != null
          && (r.getLoggerName().startsWith("org.apotheca.security") || r.getLoggerName().startsWith("org.apotheca.server"))) {
        String msg = r.getMessage();
        if (r.getParameters() != null && msg != null) {
          msg = java.text.MessageFormat.format(msg, r.getParameters());
        }
        lines.add(r.getLoggerName() + ": " + msg);
      }
    }

    List<String> matching(String text) {
      return lines.stream().filter(l -> l.contains(text)).toList();
    }

    List<String> all() {
      return List.copyOf(lines);
    }

    String lines() {
      return String.join("\n", lines);
    }

    void clear() {
      lines.clear();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  }
}
