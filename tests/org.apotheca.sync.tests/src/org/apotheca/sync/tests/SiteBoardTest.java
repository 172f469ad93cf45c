package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.apotheca.core.SiteReport;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.tls.LinkRefusedException;
import org.apotheca.security.tls.TlsContexts;
import org.apotheca.security.tls.TlsLink;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.apotheca.server.SiteBoard;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.NodeIdentity;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.SampleStock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Central's site board with real nodes reporting through the real TLS gate: online within seconds of a start, offline
 * at once when a node stops, pending offline sales and the node's last error, the board after central restarts, a
 * pharmacy that tries to report for another, and sites added, disabled and enabled from central's console. Central asks
 * for a heartbeat every 2 s here (30 s in production) so that the heartbeat window is short.
 */
class SiteBoardTest {

  private static final int PRODUCTS = 30;
  private static final Pattern PASSWORD = Pattern.compile(" password=(\\S+) ");
  private static final Pattern BUNDLE = Pattern.compile(" bundle=(\\S+) ");

  @TempDir
  Path tmp;

  private CentralServer central;
  private ServerConfig config;
  private final List<PharmacyNode> nodes = new ArrayList<>();

  @BeforeEach
  void startCentral() {
    System.setProperty(SiteBoard.HEARTBEAT_PROPERTY, "2");
    config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), PRODUCTS).withSites(List.of("0001", "0002"));
    central = SyncFixture.startCentral(config);
  }

  @AfterEach
  void tearDown() {
    nodes.forEach(PharmacyNode::stop);
    SyncFixture.stopCentral(central);
    System.clearProperty(SiteBoard.HEARTBEAT_PROPERTY);
  }

  private String console(String... words) throws Exception {
    return new ServerCommands(central).apotheca(words);
  }

  private SiteBoard.Row row(String site) {
    return central.board().row(site);
  }

  private String lineOf(String site) throws Exception {
    return console("sites").lines().filter(l -> l.startsWith("site id=" + site + " ")).findFirst().orElseThrow();
  }

  private PharmacyNode startNode(NodeConfig nc) throws InterruptedException {
    PharmacyNode node = new PharmacyNode(nc).start();
    nodes.add(node);
    assertTrue(node.awaitReady(60_000), "node " + nc.siteId() + " ready: " + node.status().line());
    SampleStock.receiveIfEmpty(node, 3);
    return node;
  }

  private NodeConfig nodeConfig(String site) {
    return NodeConfig.of(site, tmp.resolve("node-" + site), config.endpoint(), new Endpoint("127.0.0.1", SyncFixture.freePort()));
  }

  @Test
  void aNodeIsOnlineWithinSecondsOfItsStartAndOfflineAtOnceWhenItStops() throws Exception {
    assertEquals("never", row("0001").state());
    String before = console("sites");
    assertTrue(before.endsWith("sites total=2 online=0 offline=0 error=0 never=2 disabled=0"), before);

    long t0 = System.nanoTime();
    PharmacyNode node = new PharmacyNode(SyncFixture.enroll(central, nodeConfig("0001"))).start();
    nodes.add(node);
    long ms = await("the board to show 0001 online", 20_000,
        () -> row("0001").state().equals("online") && row("0001").report() != null && "ONLINE".equals(row("0001").report().state()),
        () -> row("0001").toString());
    System.out.println("TIMING board shows the node online " + ms + " ms after PharmacyNode.start() returned ("
        + (System.nanoTime() - t0) / 1_000_000 + " ms after it began)");
    SiteReport r = row("0001").report();
    assertNotEquals("unknown", r.version(), "the node's bundle version");
    await("the catalogue version held", 10_000, () -> row("0001").report().catalogueVersion() > 0, () -> row("0001").toString());
    assertEquals(node.status().catalogueVersion(), row("0001").report().catalogueVersion());
    String line = lineOf("0001");
    assertTrue(line.matches("site id=0001 state=online lastContact=\\S+ node=ONLINE pending=0 lastMerge=never catalogue=\\S+ version=\\S+ "
        + "name=\"Pharmacy 0001\" error=none"), line);
    assertTrue(console("sites").endsWith("sites total=2 online=1 offline=0 error=0 never=1 disabled=0"), console("sites"));
    assertEquals("site id=0002 state=never lastContact=never node=- pending=- lastMerge=- catalogue=- version=- name=\"Pharmacy 0002\" "
        + "error=none", console("sites", "--problems").lines().findFirst().orElseThrow(), "--problems leaves out the online ones");

    long stoppedAt = System.nanoTime();
    node.stop();
    ms = await("the board to show the stopped node offline", 10_000, () -> row("0001").state().equals("offline"), () -> row("0001").toString());
    System.out.println("TIMING board shows the node offline " + ms + " ms after stop() returned ("
        + (System.nanoTime() - stoppedAt) / 1_000_000 + " ms after it began)");
    // at once: because of its last word or the close of its links, not because its heartbeats stopped
    SiteBoard.Row gone = row("0001");
    assertTrue("STOPPED".equals(gone.report().state()) || gone.linkClosedAt() > gone.reportAt(), gone.toString());

    // started again: online again, and its heartbeats keep it so past the heartbeat window
    PharmacyNode again = startNode(node.config());
    await("online again", 20_000, () -> row("0001").state().equals("online"), () -> row("0001").toString());
    // nothing changes at the node now: what reaches central are heartbeats
    long quietFrom = row("0001").reportAt();
    await("two heartbeats", 30_000, () -> row("0001").reportAt() > quietFrom + central.board().heartbeat().toMillis(),
        () -> row("0001").toString());
    assertEquals(PharmacyNode.State.ONLINE, again.status().state());
    assertEquals("ONLINE", row("0001").report().state());
  }

  @Test
  void pendingOfflineSalesAndTheNodesLastErrorReachTheBoardAndTheErrorStaysInTheHistory() throws Exception {
    PharmacyNode node = startNode(SyncFixture.enroll(central, nodeConfig("0001")));
    await("online", 20_000, () -> row("0001").state().equals("online"), () -> row("0001").toString());

    // The node's own journal beside its databases cannot be read (on a pharmacy PC: a damaged disk, a file the
    // antivirus locked): here the file that records each clone's merge base is a directory.
    Path bases = node.config().dataDir().resolve("site-0001.offline-bases");
    Files.deleteIfExists(bases);
    Files.createDirectory(bases);

    SyncFixture.stopCentral(central);
    await("the node offline", 20_000, () -> node.state() == PharmacyNode.State.OFFLINE, () -> node.status().line());
    for (int i = 0; i < 3; i++) {
      assertTrue(node.sell("till-1", "alice", SampleCatalogue.barcode(0), 1).offline(), "sold offline");
    }
    central = SyncFixture.startCentral(config);
    await("the board to show 3 pending sales and the merge error", 30_000,
        () -> row("0001").state().equals("error") && row("0001").report().pendingSales() == 3 && row("0001").error() != null
            && row("0001").error().contains("offline-bases"),
        () -> row("0001") + " / node: " + node.status().line());
    String line = lineOf("0001");
    assertTrue(line.startsWith("site id=0001 state=error ") && line.contains(" node=ONLINE pending=3 ")
        && line.contains(" error=\"merge: ") && line.contains("site-0001.offline-bases"), line);
    assertTrue(console("sites").endsWith("sites total=2 online=0 offline=0 error=1 never=1 disabled=0"), console("sites"));

    // the problem fixed at the pharmacy: the node merges by itself, the board follows, the history keeps the error
    Files.delete(bases);
    await("the merge and a clean board", 30_000, () -> row("0001").state().equals("online") && row("0001").report().pendingSales() == 0,
        () -> row("0001") + " / node: " + node.status().line());
    assertTrue(row("0001").report().lastMergeAt() > 0, row("0001").toString());
    assertTrue(lineOf("0001").endsWith(" error=none"), lineOf("0001"));
    String show = console("site", "show", "0001");
    assertTrue(show.startsWith("site id=0001 state=online name=\"Pharmacy 0001\" repository=site-0001"), show);
    assertTrue(show.lines().anyMatch(l -> l.startsWith("error first=") && l.contains(" times=1 text=\"merge: ")
        && l.contains("offline-bases")), show);
    assertTrue(show.lines().anyMatch(l -> l.startsWith("node state=ONLINE pending=0 ")), show);
  }

  @Test
  void theBoardSurvivesACentralRestart() throws Exception {
    PharmacyNode node = startNode(SyncFixture.enroll(central, nodeConfig("0001")));
    await("online", 20_000, () -> row("0001").state().equals("online"), () -> row("0001").toString());
    node.stop();
    await("offline and its links closed", 10_000, () -> row("0001").state().equals("offline") && row("0001").liveLinks() == 0,
        () -> row("0001").toString());
    SiteBoard oldBoard = central.board();
    SyncFixture.stopCentral(central);
    SiteBoard.Row before = oldBoard.row("0001"); // as written when central stopped
    assertTrue(Files.exists(config.dataDir().resolve(SiteBoard.FILE)), "written when central stopped");

    central = SyncFixture.startCentral(config);
    SiteBoard.Row after = row("0001");
    assertEquals("offline", after.state());
    assertEquals(before.lastContact(), after.lastContact());
    assertEquals(before.report(), after.report());
    assertTrue(lineOf("0001").startsWith("site id=0001 state=offline lastContact=" + SiteReport.at(before.lastContact())
        + " node=STOPPED "), lineOf("0001"));
    assertEquals("never", row("0002").state());

    startNode(node.config());
    await("online after central's restart", 20_000, () -> row("0001").state().equals("online"), () -> row("0001").toString());
  }

  @Test
  void aPharmacyMayReportAboutItselfOnly() throws Exception {
    KeyMaterial site1 = central.security().issueSite("0001");
    char[] pw = "test-only".toCharArray();
    SSLContext context = TlsContexts.create(site1.keyStore(pw), pw, site1.trustAnchor(), TlsContexts.signedBy(site1.trustAnchor()));
    TlsLink link = new TlsLink("central", context, new InetSocketAddress("127.0.0.1", config.endpoint().port()), Duration.ofSeconds(3),
        Duration.ofSeconds(5));
    SiteReport aboutOther = new SiteReport("0002", "ERROR", 99, 99, 0, 0, 0, 0, true, "9.9.9", System.currentTimeMillis(),
        "made up by pharmacy 0001");
    LinkRefusedException e = assertThrows(LinkRefusedException.class, () -> link.request(SiteReport.VERB, aboutOther.encode()));
    assertEquals("NOT_ALLOWED", e.code());
    assertTrue(e.getMessage().contains("pharmacy 0001 may report about itself only, not about pharmacy 0002"), e.getMessage());
    assertEquals("never", row("0002").state(), "nothing recorded for 0002");

    LinkRefusedException bad = assertThrows(LinkRefusedException.class, () -> link.request(SiteReport.VERB, "site=0001 state=DANCING"));
    assertEquals("BAD_REQUEST", bad.code());

    String answer = link.request(SiteReport.VERB, aboutOther.withState("ONLINE", System.currentTimeMillis()).encode()
        .replace("site=0002", "site=0001"));
    assertTrue(answer.startsWith("SEEN at=") && answer.endsWith(" heartbeat=2"), answer);
    assertEquals("error", row("0001").state(), "its own report, with its error: " + row("0001"));
    assertEquals("made up by pharmacy 0001", row("0001").error());

    // what one report costs (a TLS 1.3 handshake and one line each way): a figure, not a limit
    String own = aboutOther.withState("ONLINE", System.currentTimeMillis()).encode().replace("site=0002", "site=0001");
    int n = 50;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      link.request(SiteReport.VERB, own);
    }
    System.out.println("TIMING " + n + " STATUS reports one after the other: " + (System.nanoTime() - t0) / 1_000 / n
        + " us each (client and central in one JVM, loopback)");
  }

  @Test
  void aSiteAddedFromTheConsoleSyncsAndOnceDisabledIsRefusedAndShownSo() throws Exception {
    Path bundleFile = tmp.resolve("site-0003.p12");
    String added = console("site", "add", "0003", "--name", "Hill", "Street", "Pharmacy", "--out", bundleFile.toString());
    assertTrue(added.startsWith("site added id=0003 name=\"Hill Street Pharmacy\" repository=site-0003 bundle=" + bundleFile), added);
    assertTrue(central.siteIds().contains("0003"));
    assertTrue(lineOf("0003").startsWith("site id=0003 state=never "), lineOf("0003"));
    assertTrue(lineOf("0003").contains(" name=\"Hill Street Pharmacy\" "), lineOf("0003"));
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> console("site", "add", "0003"));
    assertTrue(twice.getMessage().startsWith("central has pharmacy 0003 already"), twice.getMessage());

    NodeConfig nc = nodeConfig("0003");
    NodeIdentity.enroll(nc.secretsDir(), "0003", bundleFile, group(PASSWORD, added));
    PharmacyNode node = startNode(nc);
    await("0003 online on the board", 20_000, () -> row("0003").state().equals("online"), () -> row("0003").toString());

    String disabled = console("site", "disable", "0003", "--reason", "shop", "closed");
    assertTrue(disabled.startsWith("site disabled id=0003 links-closed=") && !disabled.startsWith("site disabled id=0003 links-closed=0 "),
        disabled);
    await("the node refused", 20_000, () -> node.centralRefusal() != null, () -> node.status().line());
    assertTrue(node.centralRefusal().contains("revoked"), node.centralRefusal());
    await("the refusal on the board", 20_000, () -> row("0003").refusals() > 0, () -> row("0003").toString());
    SiteBoard.Row r = row("0003");
    assertEquals("disabled", r.state());
    assertEquals("REVOKED", r.refusalCode());
    String line = lineOf("0003");
    assertTrue(line.startsWith("site id=0003 state=disabled ") && line.contains(" disabled=\"shop closed\" ")
        && line.contains(" error=\"central refused it: REVOKED central revoked pharmacy 0003"), line);
    String show = console("site", "show", "0003");
    assertTrue(show.lines().anyMatch(l -> l.startsWith("disabled yes at=") && l.endsWith(" reason=\"shop closed\"")), show);
    assertTrue(show.lines().anyMatch(l -> l.startsWith("refused count=") && l.contains(" code=REVOKED ")), show);
    IllegalArgumentException enroll = assertThrows(IllegalArgumentException.class, () -> console("site", "enroll", "0003"));
    assertTrue(enroll.getMessage().contains("is disabled (shop closed): 'apotheca site enable 0003'"), enroll.getMessage());
    assertTrue(node.sell("till-1", "alice", SampleCatalogue.barcode(0), 1).offline(), "it sells offline");

    // enabled again: a new bundle, installed on the node, lets it in; the offline sale arrives
    String enabled = console("site", "enable", "0003", "--out", tmp.resolve("site-0003-again.p12").toString());
    assertTrue(enabled.startsWith("site enabled id=0003 bundle="), enabled);
    NodeIdentity.enroll(nc.secretsDir(), "0003", Path.of(group(BUNDLE, enabled)), group(PASSWORD, enabled));
    await("0003 online again with nothing pending", 30_000,
        () -> row("0003").state().equals("online") && row("0003").report().pendingSales() == 0 && row("0003").report().merges() > 0,
        () -> row("0003") + " / node: " + node.status().line());
    assertFalse(central.board().isDisabled("0003"));
  }

  private static String group(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertTrue(m.find(), p + " in " + text);
    return m.group(1);
  }
}
