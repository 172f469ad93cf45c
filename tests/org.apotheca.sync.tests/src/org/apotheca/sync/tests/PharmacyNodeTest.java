package org.apotheca.sync.tests;

import static org.apotheca.sync.tests.SyncFixture.JOURNAL;
import static org.apotheca.sync.tests.SyncFixture.SITE;
import static org.apotheca.sync.tests.SyncFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.node.remote.TillTransport;
import org.apotheca.security.pki.Enrollment;
import org.apotheca.sync.TillAccess;
import org.apotheca.core.catalogue.CatalogueReader;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.net.Endpoint;
import org.apotheca.model.Product;
import org.apotheca.model.Sale;
import org.apotheca.model.SalesDay;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.ReplicatorSessions;
import org.eclipse.emf.cdo.CDOObject;
import org.eclipse.emf.cdo.common.branch.CDOBranch;
import org.eclipse.emf.cdo.common.id.CDOID;
import org.eclipse.emf.cdo.common.revision.CDORevisionKey;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.session.CDOSessionInvalidationEvent;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.util.CommitException;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.emf.spi.cdo.DefaultCDOMerger;
import org.eclipse.net4j.util.event.IListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real pharmacy node (offline clones on Derby) against a real central server (Derby), both in this JVM, each
 * with its own Net4j container, talking Net4j TCP on loopback.
 */
class PharmacyNodeTest {

  private static final long ONLINE_TIMEOUT_MS = 60_000;

  @TempDir
  Path tmp;

  private CentralServer central;
  private PharmacyNode node;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // keep closing
      }
    }
    if (node != null) {
      node.stop();
    }
    SyncFixture.stopCentral(central);
  }

  private ServerConfig startCentral(int products) {
    ServerConfig config = SyncFixture.centralConfig(tmp.resolve("central"), SyncFixture.freePort(), products);
    central = SyncFixture.startCentral(config);
    return config;
  }

  private NodeConfig nodeConfig(ServerConfig config) {
    return SyncFixture.enroll(central, NodeConfig.of(SITE, tmp.resolve("node"), config.endpoint(),
        new Endpoint("127.0.0.1", SyncFixture.freePort())));
  }

  private PharmacyNode startNode(NodeConfig config, ReplicatorSessions.Fix fix) {
    node = new PharmacyNode(config, fix).start();
    long ms = awaitState(PharmacyNode.State.ONLINE);
    System.out.println("TIMING node ONLINE " + ms + " ms after start (" + fix + ")");
    return node;
  }

  private long awaitState(PharmacyNode.State state) {
    return await("node " + state, ONLINE_TIMEOUT_MS, () -> node.state() == state,
        () -> "state " + node.state() + ", history " + node.stateHistory() + ", errors " + node.errors());
  }

  private CdoConnection centralClient(ServerConfig config, String repository) {
    CdoConnection c = SyncFixture.staff(central, config.endpoint(), repository);
    closeables.add(c);
    return c;
  }

  private CDONet4jSession nodeSession(String repository) {
    CDONet4jSession s = node.openLocalSession(repository);
    closeables.add(s::close);
    return s;
  }

  private static SyncFixture.Journal journal(CDONet4jSession session) {
    CDOView view = session.openView();
    try {
      return SyncFixture.Journal.read(view);
    } finally {
      view.close();
    }
  }

  @Test
  void initialCloneBringsTheWholeCatalogue() throws Exception {
    int products = 1_200;
    ServerConfig config = startCentral(products);
    int centralCount;
    CDOView centralView = centralClient(config, Repositories.CATALOGUE).session().openView();
    centralCount = CatalogueReader.count(centralView);
    assertEquals(products, centralCount);

    startNode(nodeConfig(config), ReplicatorSessions.Fix.ALL);
    CDOView view = nodeSession(Repositories.CATALOGUE).openView();
    assertEquals(centralCount, CatalogueReader.count(view));
    assertEquals(3, CatalogueReader.buckets(view).size());
    // a till paired with the node reaches the same clone over the shop's network, in TLS
    TillAccess.Pairing pairing = node.tillAccess().pair("till-2");
    TillTransport transport = TillTransport.tls(Enrollment.read(pairing.bundle(), pairing.oneTimePassword()));
    try (CdoConnection till = CdoConnection.open(Endpoint.parse(transport.open(node.config().tills())), Repositories.CATALOGUE,
        transport)) {
      assertEquals(centralCount, CatalogueReader.count(till.session().openView()));
    }
    assertTrue(node.errors().isEmpty(), node.errors().toString());
  }

  @Test
  void salesCommittedThroughTheOnlineNodeReachCentralExactlyOnce() throws Exception {
    ServerConfig config = startCentral(0);
    startNode(nodeConfig(config), ReplicatorSessions.Fix.ALL);
    CDOTransaction tx = nodeSession(Repositories.siteRepository(SITE)).openTransaction();
    SalesDay day = SyncFixture.newSalesDay();
    tx.createResource(JOURNAL).getContents().add(day);
    tx.commit();
    long expectedTotal = 0;
    long[] ms = new long[20];
    for (int i = 0; i < 20; i++) {
      Sale sale = SyncFixture.sale("R-" + i, i, 1 + i % 3);
      expectedTotal += sale.getTotalMinor();
      day.getSales().add(sale);
      long t0 = System.nanoTime();
      tx.commit();
      ms[i] = (System.nanoTime() - t0) / 1_000_000;
    }
    Arrays.sort(ms);
    System.out.println("TIMING write-through commit ms: p50 " + ms[10] + ", max " + ms[19]);
    assertEquals(CDOBranch.MAIN_BRANCH_ID, tx.getBranch().getID(), "commits stayed on MAIN: they were written through");

    // written through: visible at central when commit() returned (no waiting)
    SyncFixture.Journal atCentral = journal(centralClient(config, Repositories.siteRepository(SITE)).session());
    assertEquals(20, atCentral.count());
    assertEquals(20, atCentral.distinctIds());
    assertEquals(expectedTotal, atCentral.total());
    SyncFixture.Journal atNode = journal(nodeSession(Repositories.siteRepository(SITE)));
    assertEquals(atCentral, atNode);
    assertEquals(PharmacyNode.State.ONLINE, node.state());
    assertTrue(node.errors().isEmpty(), node.errors().toString());
  }

  /** The upstream bug is still there: without the route-around a write-through commit fails with the NPE. */
  @Test
  void withoutTheRouteAroundWriteThroughFailsWithTheUpstreamNpe() {
    ServerConfig config = startCentral(0);
    startNode(nodeConfig(config), ReplicatorSessions.Fix.NO_WRITE_THROUGH_FIX);
    CDOTransaction tx = nodeSession(Repositories.siteRepository(SITE)).openTransaction();
    SalesDay day = SyncFixture.newSalesDay();
    day.getSales().add(SyncFixture.sale("R-npe", 1, 1));
    tx.createResource(JOURNAL).getContents().add(day);
    CommitException e = assertThrows(CommitException.class, tx::commit);
    boolean npe = false;
    StringBuilder chain = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      chain.append(" <- ").append(t);
      npe |= t instanceof NullPointerException;
    }
    System.out.println("UPSTREAM write-through failure without route-around:" + chain);
    e.printStackTrace(System.out);
    assertTrue(npe || chain.toString().contains("NullPointerException"), chain.toString());
    assertEquals(0, journal(centralClient(config, Repositories.siteRepository(SITE)).session()).count());
  }

  @Test
  void everyPriceChangeAtCentralReachesTheNode() throws Exception {
    assertPriceChangesReachTheNode(ReplicatorSessions.Fix.ALL, 10);
  }

  AtomicInteger assertPriceChangesReachTheNode(ReplicatorSessions.Fix fix, int expectedAtNode) throws Exception {
    ServerConfig config = startCentral(20);
    startNode(nodeConfig(config), fix);
    CDONet4jSession nodeCatalogue = nodeSession(Repositories.CATALOGUE);
    CDOView nodeView = nodeCatalogue.openView();
    Product atNode = CatalogueReader.buckets(nodeView).get(0).getProducts().get(7);
    CDOID id = ((CDOObject) atNode).cdoID();
    AtomicInteger commitsSeen = new AtomicInteger();
    IListener counter = event -> {
      if (event instanceof CDOSessionInvalidationEvent e && e.isRemote()) {
        for (CDORevisionKey key : e.getChangedObjects()) {
          if (key.getID().equals(id)) {
            commitsSeen.incrementAndGet();
          }
        }
      }
    };
    nodeCatalogue.addListener(counter);

    CDOTransaction tx = centralClient(config, Repositories.CATALOGUE).session().openTransaction();
    Product atCentral = CatalogueReader.buckets(tx).get(0).getProducts().get(7);
    assertEquals(((CDOObject) atCentral).cdoID(), id);
    long last = 0;
    long t0 = System.nanoTime();
    for (int i = 1; i <= 10; i++) {
      last = 10_000 + i;
      atCentral.setListPriceMinor(last);
      tx.commit();
    }
    long finalPrice = last;
    if (expectedAtNode == 10) {
      long ms = await("10 price changes at the node", 30_000, () -> commitsSeen.get() >= 10 && atNode.getListPriceMinor() == finalPrice,
          () -> commitsSeen.get() + " commits seen, node price " + atNode.getListPriceMinor() + ", errors " + node.errors());
      System.out.println("TIMING 10 master commits reached the node " + (System.nanoTime() - t0) / 1_000_000 + " ms after the first ("
          + ms + " ms after the last)");
      assertEquals(10, commitsSeen.get());
      assertEquals(finalPrice, atNode.getListPriceMinor());
      // a fresh view on the clone reads the same from the clone's own store
      CDOView fresh = nodeCatalogue.openView();
      assertEquals(finalPrice, CatalogueReader.buckets(fresh).get(0).getProducts().get(7).getListPriceMinor());
      fresh.close();
    }
    return commitsSeen;
  }

  @Test
  void offlineSalesMergeBackExactlyOnce() throws Exception {
    ServerConfig config = startCentral(0);
    startNode(nodeConfig(config), ReplicatorSessions.Fix.ALL);
    String site = Repositories.siteRepository(SITE);
    CDONet4jSession session = nodeSession(site);
    CDOTransaction tx = session.openTransaction();
    SalesDay day = SyncFixture.newSalesDay();
    day.getSales().add(SyncFixture.sale("ON-0", 0, 1));
    tx.createResource(JOURNAL).getContents().add(day);
    tx.commit();
    long expectedTotal = day.getSales().get(0).getTotalMinor();

    SyncFixture.stopCentral(central);
    central = null;
    awaitState(PharmacyNode.State.OFFLINE);
    for (int i = 0; i < 5; i++) {
      Sale sale = SyncFixture.sale("OFF-" + i, 10 + i, 1 + i);
      expectedTotal += sale.getTotalMinor();
      day.getSales().add(sale);
      tx.commit();
    }
    CDOBranch offlineBranch = tx.getBranch();
    tx.close();
    central = SyncFixture.startCentral(config);
    awaitState(PharmacyNode.State.ONLINE);

    // the node's merge agent merges by itself, with the recorded base
    long base = node.offlineBases(site).get(0);
    long ms = await("central has the 5 offline sales", 60_000,
        () -> journal(centralClient(config, site).session()).count() == 6, () -> node.status().line());
    System.out.println("TIMING automatic merge of 5 offline sales visible at central " + ms + " ms after ONLINE");
    SyncFixture.Journal atCentral = journal(centralClient(config, site).session());
    assertEquals(6, atCentral.count());
    assertEquals(6, atCentral.distinctIds());
    assertEquals(expectedTotal, atCentral.total());
    await("the merge recorded", 10_000, () -> node.status().pendingCommits() == 0, () -> node.status().line());
    assertEquals(1, node.status().merges(), node.status().line());

    // merging again computes nothing (CDO records the merge source): no duplicates
    CDOTransaction again = session.openTransaction();
    again.merge(offlineBranch.getHead(), session.getBranchManager().getMainBranch().getPoint(base),
        new DefaultCDOMerger.PerFeature.ManyValued());
    boolean dirty = again.isDirty();
    if (dirty) {
      again.commit();
    }
    again.close();
    assertFalse(dirty, "second merge found changes");
    assertEquals(atCentral, journal(centralClient(config, site).session()));
    assertTrue(node.errors().isEmpty(), node.errors().toString());
  }

  @Test
  void offlineSalesAreDurableOnTheNodeAndTheNodeComesBackOnline() throws Exception {
    ServerConfig config = startCentral(0);
    NodeConfig nodeConfig = nodeConfig(config);
    startNode(nodeConfig, ReplicatorSessions.Fix.ALL);
    String site = Repositories.siteRepository(SITE);
    CDOTransaction tx = nodeSession(site).openTransaction();
    SalesDay day = SyncFixture.newSalesDay();
    day.getSales().add(SyncFixture.sale("ON-0", 0, 1));
    tx.createResource(JOURNAL).getContents().add(day);
    tx.commit();
    long onlineTotal = day.getSales().get(0).getTotalMinor();

    SyncFixture.stopCentral(central);
    central = null;
    long offlineMs = awaitState(PharmacyNode.State.OFFLINE);
    System.out.println("TIMING node OFFLINE " + offlineMs + " ms after central stopped");

    long offlineTotal = 0;
    for (int i = 0; i < 5; i++) {
      Sale sale = SyncFixture.sale("OFF-" + i, 10 + i, 1 + i);
      offlineTotal += sale.getTotalMinor();
      day.getSales().add(sale);
      tx.commit();
    }
    CDOBranch offlineBranch = tx.getBranch();
    assertTrue(offlineBranch.getName().startsWith("Offline-"), offlineBranch.getPathName());
    assertEquals(CDOBranch.MAIN_BRANCH_ID, offlineBranch.getBase().getBranch().getID());
    String offlineBranchPath = offlineBranch.getPathName();
    assertEquals(1, node.offlineBases(site).size(), "offline base recorded once for " + site);

    // the node restarts, still offline, on its existing databases and still has the offline sales
    closeables.forEach(c -> {
      try {
        c.close();
      } catch (Exception e) {
        // ignore
      }
    });
    closeables.clear();
    node.stop();
    assertEquals(PharmacyNode.State.STOPPED, node.state());
    node = new PharmacyNode(nodeConfig).start();
    awaitState(PharmacyNode.State.OFFLINE);
    CDONet4jSession session = nodeSession(site);
    CDOBranch branch = session.getBranchManager().getBranch(offlineBranchPath);
    assertTrue(branch != null, "offline branch " + offlineBranchPath + " after restart");
    CDOView offlineView = session.openView(branch);
    SyncFixture.Journal offlineJournal = SyncFixture.Journal.read(offlineView);
    assertEquals(6, offlineJournal.count());
    assertEquals(6, offlineJournal.distinctIds());
    assertEquals(onlineTotal + offlineTotal, offlineJournal.total());
    assertTrue(offlineJournal.receipts().containsAll(List.of("ON-0", "OFF-0", "OFF-1", "OFF-2", "OFF-3", "OFF-4")));
    SyncFixture.Journal mainAtNode = journal(session);
    assertEquals(1, mainAtNode.count());
    assertEquals(onlineTotal, mainAtNode.total());
    central = SyncFixture.startCentral(config);
    long onlineMs = awaitState(PharmacyNode.State.ONLINE);
    System.out.println("TIMING node ONLINE " + onlineMs + " ms after central restarted");
    List<PharmacyNode.State> history = node.stateHistory();
    // restarted node: STOPPED, OFFLINE (central down), [SYNCING,] ONLINE
    assertEquals(PharmacyNode.State.OFFLINE, history.get(1), history.toString());
    assertEquals(PharmacyNode.State.ONLINE, history.get(history.size() - 1), history.toString());
    assertFalse(history.contains(PharmacyNode.State.ERROR), history + " " + node.errors());

    // merged by the node on its own, exactly once
    await("central has all 6 sales", 60_000, () -> journal(centralClient(config, site).session()).count() == 6,
        () -> node.status().line());
    SyncFixture.Journal atCentral = journal(centralClient(config, site).session());
    assertEquals(6, atCentral.distinctIds());
    assertEquals(onlineTotal + offlineTotal, atCentral.total());
    await("node MAIN converged", 10_000, () -> journal(session).count() == 6, () -> node.status().line());

    System.out.println("offline bases recorded: " + node.offlineBases(site) + "; root cause helper " + CdoClient.class.getSimpleName());
  }
}
