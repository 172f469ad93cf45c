package org.apotheca.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Clock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apotheca.core.Repositories;
import org.apotheca.core.ledger.LedgerException;
import org.apotheca.core.ledger.SiteLedger;
import org.apotheca.core.net.CdoClient;
import org.apotheca.model.Product;
import org.apotheca.model.Sale;
import org.apotheca.model.SaleLine;
import org.apotheca.sync.NodeJournal.Resolution;
import org.eclipse.emf.cdo.CDOObject;
import org.eclipse.emf.cdo.common.branch.CDOBranch;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.transaction.CDOUndoDetector;

/**
 * The node's background duties, every 500 ms on one thread of their own: keep the catalogue index current, write
 * recall receipts, and merge offline work into central as soon as central is back, exactly once.
 * <p>
 * <b>Exactly once.</b> Merged branches are recorded (fsynced) in the {@link NodeJournal}; a merge is always computed
 * against an explicit base (the clone's last replicated commit time recorded when it went OFFLINE, the base-time
 * hazard in docs/offline.md) and retried as a whole on failure. If the node dies after central accepted the merge
 * but before it was recorded, the next merge of the branch computes nothing (CDO records merge sources). The merge
 * runs with the ledger exclusive, so no sale slips in between the merge and the ledger's switch back to MAIN.
 */
final class MergeAgent implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(MergeAgent.class.getName());
  private static final long CATALOGUE_WAIT_MS = 30_000;

  private final NodeBook book;
  private final PharmacyNode node;
  private final NodeJournal journal;
  private final Clock clock;
  private final String siteId;
  private final String siteRepo;
  private final ScheduledExecutorService thread;
  private final List<Resolution> resolutions = new CopyOnWriteArrayList<>();
  private final AtomicInteger merges = new AtomicInteger();
  private LagWatch catalogueWatch;
  private LagWatch siteWatch;
  private volatile boolean rescanNeeded;
  private volatile long lastSyncAt;
  private volatile String lastMergeError;
  private volatile long lastMergeAt;
  private volatile boolean closed;

  MergeAgent(NodeBook book, PharmacyNode node, NodeJournal journal, Clock clock) {
    this.book = book;
    this.node = node;
    this.journal = journal;
    this.clock = clock;
    this.siteId = node.config().siteId();
    this.siteRepo = Repositories.siteRepository(siteId);
    this.resolutions.addAll(journal.resolutions());
    this.lastMergeAt = journal.lastMergedAt(siteRepo);
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "apotheca-merge-" + siteId);
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    thread.scheduleWithFixedDelay(this::tick, 200, 500, TimeUnit.MILLISECONDS);
  }

  /** New products or recalls arrived: make sure the index has them (see CatalogueIndex.rescan). */
  void rescanCatalogue() {
    rescanNeeded = true;
  }

  List<Resolution> resolutions() {
    return List.copyOf(resolutions);
  }

  long lastSyncAt() {
    return lastSyncAt;
  }

  String lastMergeError() {
    return lastMergeError;
  }

  int mergesDone() {
    return merges.get();
  }

  /** When offline work was last merged into central (0: never, on this node). */
  long lastMergeAt() {
    return lastMergeAt;
  }

  private void tick() {
    if (closed || !node.isRunning()) {
      return;
    }
    try {
      try {
        book.ledger();
      } catch (LedgerException notYet) {
        return;
      }
      if (catalogueWatch == null) {
        catalogueWatch = new LagWatch("Node " + siteId + ": catalogue view", book::catalogueHeard,
            () -> node.repository(Repositories.CATALOGUE).getLastCommitTimeStamp(), book::refreshCatalogue);
        siteWatch = new LagWatch("Node " + siteId + ": site session", book::siteHeard,
            () -> node.repository(siteRepo).getLastCommitTimeStamp(), book::refreshSite);
      }
      boolean catalogueCurrent = catalogueWatch.current();
      if (rescanNeeded) {
        rescanNeeded = false;
        book.index().rescan();
      }
      acknowledgeRecalls();
      if (node.state(siteRepo) != PharmacyNode.State.ONLINE) {
        return;
      }
      List<CDOBranch> pending = book.unmergedBranches();
      // offline sales wait for these: a stalled session is refreshed sooner than when nothing waits (LagWatch)
      catalogueWatch.hurry = siteWatch.hurry = !pending.isEmpty();
      if (!pending.isEmpty() && (!catalogueReadyForMerge(catalogueCurrent) || !siteWatch.current())) {
        return;
      }
      for (CDOBranch b : pending) {
        merge(b);
      }
      if (node.state() == PharmacyNode.State.ONLINE && book.unmergedBranches().isEmpty()) {
        lastSyncAt = clock.millis();
        lastMergeError = null;
      }
    } catch (RuntimeException e) {
      String msg = CdoClient.rootMessage(e);
      if (!msg.equals(lastMergeError)) {
        LOG.log(Level.WARNING, "Merge of offline work of node " + siteId + " failed (will retry): " + msg, e);
      }
      lastMergeError = msg;
    }
  }

  private long catalogueWaitSince;

  /**
   * Price crossings are found by comparing offline sales with the catalogue the node holds, so the merge waits
   * until the catalogue clone is online and this node's view has everything the clone replicated: the site clone
   * often reconnects a moment before the catalogue clone, and merging then compared against the old price and
   * recorded nothing (seen in CI). If the catalogue stays behind for long, sales are not held back: they merge,
   * and the gap is recorded as a resolution so staff know prices were not compared.
   */
  private boolean catalogueReadyForMerge(boolean catalogueCurrent) {
    boolean current = node.state(Repositories.CATALOGUE) == PharmacyNode.State.ONLINE && catalogueCurrent && !rescanNeeded;
    long now = System.currentTimeMillis();
    if (current) {
      catalogueWaitSince = 0;
      return true;
    }
    if (catalogueWaitSince == 0) {
      catalogueWaitSince = now;
      LOG.info(() -> "Node " + siteId + ": offline work waits for the catalogue to catch up before merging");
      return false;
    }
    if (now - catalogueWaitSince < CATALOGUE_WAIT_MS) {
      return false;
    }
    catalogueWaitSince = 0;
    addResolution(new Resolution(clock.millis(), "price-unchecked", "catalogue not current after "
        + CATALOGUE_WAIT_MS / 1000 + " s: offline sales merged without comparing their prices with central's"));
    return true;
  }

  /**
   * Whether a session has heard of every commit in its clone. A session applies commit notifications strictly in
   * commit order (each names its predecessor), so one missing notification stalls every later one while the clone
   * itself is current: tills then sold at stale prices (seen in CatalogueDeliveryTest), and a merge computed MAIN's
   * side without central's latest commits (its side ends at the session's last update time). When a session stays
   * behind for more than 2 s (300 ms while offline work waits to be merged: a catch-up should not sit out the 2 s) it
   * is refreshed from the clone, which lets the stalled notifications through.
   */
  private static final class LagWatch {
    private final String what;
    private final LongSupplier heard;
    private final LongSupplier clone;
    private final Runnable refresh;
    private long behindSince;
    /** Offline work waits for this session: refresh it after 300 ms behind instead of 2 s. */
    volatile boolean hurry;

    LagWatch(String what, LongSupplier heard, LongSupplier clone, Runnable refresh) {
      this.what = what;
      this.heard = heard;
      this.clone = clone;
      this.refresh = refresh;
    }

    boolean current() {
      long h = heard.getAsLong();
      long c = clone.getAsLong();
      if (h >= c) {
        behindSince = 0;
        return true;
      }
      long now = System.currentTimeMillis();
      if (behindSince == 0) {
        behindSince = now;
      } else if (now - behindSince > (hurry ? 300 : 2_000)) {
        LOG.warning(() -> what + " stalled at " + NodeBook.at(h) + " while the clone has " + NodeBook.at(c) + ": refreshing it");
        refresh.run();
        behindSince = 0;
      }
      return false;
    }
  }

  /** Writes receipts for recalls this node has received (offline too: they reach central with the merge). */
  private void acknowledgeRecalls() {
    try {
      SiteLedger l = book.ledger();
      int n = l.acknowledgeRecalls(book.index().allRecalls());
      if (n > 0) {
        LOG.info(() -> "Node " + siteId + " acknowledged " + n + " recall notice(s) to central");
      }
    } catch (LedgerException e) {
      LOG.fine(() -> "Recall receipts not written yet: " + e.getMessage());
    }
  }

  private void merge(CDOBranch branch) {
    SiteLedger l = book.ledger();
    l.exclusive(() -> {
      mergeExclusive(l, branch);
      return null;
    });
  }

  /** Runs with the ledger exclusive: no sale slips in between the merge and the ledger's switch back to MAIN. */
  private void mergeExclusive(SiteLedger l, CDOBranch branch) {
    {
      if (isMerged(branch)) {
        return;
      }
      long base = baseOf(branch);
      CDONet4jSession siteSession = book.siteSession();
      CDOBranch main = siteSession.getBranchManager().getMainBranch();
      long t0 = System.nanoTime();
      CDOTransaction tx = siteSession.openTransaction(main);
      try {
        // the repairs change objects the merge changed; those have no clean revision here and CDO's undo
        // detection fails on them with an NPE
        tx.options().setUndoDetector(CDOUndoDetector.NO_FEATURES);
        LedgerMerger merger = new LedgerMerger();
        // Explicit base on both sides. MAIN's side by default starts at the offline branch's own base, which is
        // later than the last replicated commit: a commit central got in between (a write-through whose answer was
        // lost) was then invisible to the merge, and the branch overwrote it.
        tx.merge(branch.getHead(), main.getPoint(base), main.getPoint(base), merger);
        if (!merger.getConflicts().isEmpty()) {
          // ownership should make this impossible (one writer per site repository); never resolve it silently
          throw new IllegalStateException("merge of " + branch.getPathName() + " has " + merger.getConflicts().size()
              + " conflict(s), e.g. " + merger.getConflicts().values().iterator().next());
        }
        List<Resolution> found = merger.repair(tx, clock.millis());
        found.addAll(priceCrossings(tx));
        int sales = countNew(tx, Sale.class);
        if (tx.isDirty()) {
          tx.commit();
        }
        journal.recordMerged(siteRepo, branch.getID(), branch.getPathName(), clock.millis());
        for (Resolution r : found) {
          addResolution(r);
        }
        merges.incrementAndGet();
        lastMergeAt = clock.millis();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        LOG.info(() -> "Node " + siteId + " merged " + branch.getPathName() + " into MAIN: " + sales
            + " sale(s) in " + ms + " ms (base " + base + ")");
      } catch (Exception e) {
        throw new IllegalStateException("merge of " + branch.getPathName() + " failed: " + CdoClient.rootMessage(e), e);
      } finally {
        tx.close();
      }
      if (l.branch() == branch) {
        l.switchTo(main);
      }
    }
  }

  /** A sale made offline at a price central has changed since: the sale keeps its price, staff are told. */
  private List<Resolution> priceCrossings(CDOTransaction tx) {
    List<Resolution> result = new ArrayList<>();
    for (CDOObject o : tx.getNewObjects().values()) {
      if (o instanceof SaleLine line) {
        Product p = book.index().find(line.getBarcode());
        if (p != null && p.getListPriceMinor() != line.getUnitPriceMinor()) {
          String receipt = line.eContainer() instanceof Sale s ? s.getReceiptNumber() : "?";
          result.add(new Resolution(clock.millis(), "price-crossed",
              "sale " + receipt + " barcode=" + line.getBarcode() + " sold offline at " + line.getUnitPriceMinor()
                  + ", central price now " + p.getListPriceMinor() + ": the sale keeps " + line.getUnitPriceMinor()));
        }
      }
    }
    return result;
  }

  private static int countNew(CDOTransaction tx, Class<?> type) {
    int n = 0;
    for (CDOObject o : tx.getNewObjects().values()) {
      if (type.isInstance(o)) {
        n++;
      }
    }
    return n;
  }

  private boolean isMerged(CDOBranch b) {
    return journal.mergedBranches(siteRepo).contains(b.getID());
  }

  /**
   * The merge base of an offline branch: the last replicated commit time recorded at the OFFLINE transition
   * that preceded the branch (its first offline commit). Falls back to the branch's own base.
   */
  private long baseOf(CDOBranch branch) {
    long branchBase = branch.getBase().getTimeStamp();
    long best = -1;
    for (long[] rec : journal.offlineBases(siteRepo)) {
      if (rec[0] <= branchBase + 1 && rec[1] > 0) {
        best = rec[1];
      }
    }
    return best > 0 ? Math.min(best, branchBase) : branchBase;
  }

  private void addResolution(Resolution r) {
    resolutions.add(r);
    // the text names receipts, barcodes and lots: it goes to the sealed journal, not to a log file in clear
    LOG.info(() -> "Node " + siteId + " resolution: " + NodeBook.at(r.at()) + " " + r.kind() + " (console: apotheca resolutions)");
    journal.recordResolution(r);
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
    try {
      thread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
