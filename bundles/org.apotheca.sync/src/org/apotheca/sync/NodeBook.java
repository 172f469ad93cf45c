package org.apotheca.sync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueIndex;
import org.apotheca.core.ledger.LedgerException;
import org.apotheca.core.ledger.SaleReceipt;
import org.apotheca.core.ledger.SiteLedger;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.core.users.StaffReader;
import org.apotheca.core.users.UserAccount;
import org.apotheca.model.Product;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.node.api.Quote;
import org.apotheca.node.api.RecallAlert;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.RefundInfo;
import org.apotheca.node.api.RefundRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.model.Recall;
import org.apotheca.model.Sale;
import org.apotheca.model.SaleLine;
import org.apotheca.model.ownership.Ownership;
import org.eclipse.emf.cdo.CDOObject;
import org.eclipse.emf.cdo.common.branch.CDOBranch;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.session.CDOSessionInvalidationEvent;
import org.eclipse.net4j.util.event.IListener;
import org.eclipse.emf.cdo.server.StoreThreadLocal;
import org.eclipse.emf.cdo.spi.server.InternalRepository;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.transaction.CDOUndoDetector;
import org.eclipse.emf.cdo.view.CDOView;

/**
 * The node's book-keeping on top of its clones: the one {@link SiteLedger} all tills of the pharmacy sell
 * through, and the merge agent that brings offline work back to central.
 * <p>
 * <b>Why one ledger.</b> An offline clone gives every transaction that commits on MAIN while offline its own local
 * branch. Two tills with their own transactions would then write two branches that do not see each other (both
 * could sell the last pack) and whose journals collide when merged. So the node keeps exactly one site
 * transaction: online it is on MAIN (commits write through to central), offline its first commit moves it onto
 * {@code MAIN/Offline-<ts>}, and it stays there until the merge agent has merged that branch into MAIN; then it is
 * switched back. All under the ledger's lock, so no sale slips in between.
 * <p>
 * <b>Exactly once.</b> Merged branches are recorded (fsynced) in {@code site-<id>.merged}; a merge is always
 * computed against an explicit base (the clone's last replicated commit time recorded when it went OFFLINE, see
 * TOOLCHAIN.md's base-time hazard) and retried as a whole on failure. If the node dies after central accepted the
 * merge but before it was recorded, the next merge of the branch computes nothing (CDO records merge sources).
 */
final class NodeBook implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(NodeBook.class.getName());
  static final String MERGED_SUFFIX = ".merged";
  static final String RESOLUTIONS_FILE = "resolutions.log";
  private static final long CATALOGUE_WAIT_MS = 30_000;
  /** How long a till waits, after a failed write-through, for the clone to notice the link is down. */
  private static final long IN_DOUBT_WAIT_MS = 5_000;

  /** A non-trivial resolution made while merging: shown to staff, never silent. */
  record Resolution(long at, String kind, String text) {
    String line() {
      return Instant.ofEpochMilli(at) + " " + kind + " " + text;
    }
  }

  private final PharmacyNode node;
  private final String siteRepo;
  private final Clock clock;
  private final ScheduledExecutorService agent;
  private final List<Resolution> resolutions = new CopyOnWriteArrayList<>();
  private final AtomicInteger merges = new AtomicInteger();
  private final AtomicInteger catalogueCommits = new AtomicInteger();
  private volatile long lastCatalogueChangeAt;
  private CDONet4jSession catalogueSession;
  private CDONet4jSession siteSession;
  private CDOView catalogueView;
  /** The site's staff list as central last sent it: read on MAIN, whatever branch the ledger writes on. */
  private CDOView staffView;
  private LagWatch catalogueWatch;
  private LagWatch siteWatch;
  private CatalogueIndex index;
  private volatile SiteLedger ledger;
  private volatile long lastSyncAt;
  private volatile String lastMergeError;
  private volatile boolean closed;

  NodeBook(PharmacyNode node, Clock clock) {
    this.node = node;
    this.clock = clock;
    this.siteRepo = Repositories.siteRepository(node.config().siteId());
    this.agent = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "apotheca-merge-" + node.config().siteId());
      t.setDaemon(true);
      return t;
    });
    loadResolutions();
  }

  void start() {
    agent.scheduleWithFixedDelay(this::tick, 200, 500, TimeUnit.MILLISECONDS);
  }

  /** The ledger, once both clones have received central's data at least once. */
  SiteLedger ledger() {
    SiteLedger l = ledger;
    if (l != null) {
      return l;
    }
    synchronized (this) {
      if (ledger == null) {
        if (closed) {
          throw new LedgerException(Refusal.NODE_NOT_READY, "The pharmacy node is stopping");
        }
        for (String repo : node.config().repositoryNames()) {
          if (node.repository(repo).getLastReplicatedCommitTime() <= 0) {
            throw new LedgerException(Refusal.NODE_NOT_READY, "The pharmacy node has not received '" + repo + "' from central yet: it needs "
                + "to reach central once after installation (state " + node.state() + ")");
          }
        }
        open();
      }
      return ledger;
    }
  }

  boolean isReady() {
    return ledger != null;
  }

  private void open() {
    catalogueSession = node.openUncachedLocalSession(Repositories.CATALOGUE);
    siteSession = node.openLocalSession(siteRepo);
    // computing a large merge can exceed Net4j's default 10 s signal timeout (TOOLCHAIN.md)
    siteSession.options().getNet4jProtocol().setTimeout(120_000);
    catalogueView = catalogueSession.openView();
    staffView = siteSession.openView();
    catalogueWatch = new LagWatch("Node " + node.config().siteId() + ": catalogue view",
        () -> Math.min(catalogueSession.getLastUpdateTime(), catalogueView.getLastUpdateTime()),
        () -> node.repository(Repositories.CATALOGUE).getLastCommitTimeStamp(), () -> {
          synchronized (catalogueView) {
            CdoClient.refresh(catalogueSession);
          }
        });
    siteWatch = new LagWatch("Node " + node.config().siteId() + ": site session", siteSession::getLastUpdateTime,
        () -> node.repository(siteRepo).getLastCommitTimeStamp(), () -> CdoClient.refresh(siteSession));
    index = new CatalogueIndex(catalogueView);
    catalogueSession.addListener(catalogueLog);
    CDOBranch start = unmergedBranches().stream().reduce((a, b) -> b).orElse(siteSession.getBranchManager().getMainBranch());
    CDOTransaction tx = siteSession.openTransaction(start);
    ledger = new SiteLedger(tx, index, node.config().siteId(), clock);
    LOG.info(() -> "Node " + node.config().siteId() + " ledger open on branch " + start.getPathName() + ", catalogue of "
        + index.size() + " codes");
  }

  /** Logs every catalogue commit that reaches this node: who, why, how much (issue: staff can see what arrived). */
  private final IListener catalogueLog = this::onCatalogueEvent;

  private void onCatalogueEvent(org.eclipse.net4j.util.event.IEvent event) {
    if (event instanceof CDOSessionInvalidationEvent e && e.isRemote()) {
      catalogueCommits.incrementAndGet();
      lastCatalogueChangeAt = clock.millis();
      if (!e.getNewObjects().isEmpty()) {
        rescanNeeded = true; // new products or recalls: make sure the index has them (see CatalogueIndex.rescan)
      }
      LOG.info(() -> "Node " + node.config().siteId() + " received catalogue change " + NodeBook.at(e.getTimeStamp()) + " \""
          + (e.getComment() == null ? "" : e.getComment()) + "\": " + e.getChangedObjects().size() + " changed, "
          + e.getNewObjects().size() + " new");
    }
  }


  /** Commits in the node's catalogue clone (MAIN) with a time stamp after {@code since}: its replicated history. */
  int catalogueCommitsAfter(long since) {
    ledger();
    AtomicInteger n = new AtomicInteger();
    catalogueSession.getCommitInfoManager().getCommitInfos(catalogueSession.getBranchManager().getMainBranch(), since + 1,
        null, null, 1_000_000, info -> n.incrementAndGet());
    return n.get();
  }

  /** Diagnostics: how far the clone, the node's catalogue session and its view are. */
  String catalogueTimes() {
    ledger();
    return "clone=" + node.repository(Repositories.CATALOGUE).getLastCommitTimeStamp() + " session="
        + catalogueSession.getLastUpdateTime() + " view=" + catalogueView.getLastUpdateTime();
  }

  /** Catalogue commits received from central since the node started. */
  int catalogueCommitsReceived() {
    return catalogueCommits.get();
  }

  SaleReceipt sell(String tillId, String user, String barcode, String lot, int quantity) {
    String saleId = Ownership.newId();
    return inDoubt("Sale " + saleId, l -> l.sellOne(tillId, user, barcode, lot, quantity, saleId));
  }

  SaleInfo sell(String tillId, String user, SaleRequest request) {
    return inDoubt("Sale " + request.saleId(), l -> l.sell(tillId, user, request));
  }

  RefundInfo refund(String tillId, String user, RefundRequest request) {
    return inDoubt("Refund " + request.refundId(), l -> l.refund(tillId, user, request));
  }

  BatchInfo receive(String tillId, String user, ReceiveRequest request) {
    return inDoubt("Goods receipt " + request.receiptId(), l -> l.receive(tillId, user, request));
  }

  /**
   * Runs a write whose document id the caller fixed. If its write-through fails (typically central or the link
   * died during the commit) central may or may not have it: its answer can be lost after it committed. Once the
   * clone is OFFLINE the same write (same id) is kept on the node; if central did get the first attempt, the merge
   * recognises the id and keeps one.
   */
  private <T> T inDoubt(String what, java.util.function.Function<SiteLedger, T> write) {
    SiteLedger l = ledger();
    boolean writingThrough = !l.branch().isLocal();
    try {
      return write.apply(l);
    } catch (LedgerException e) {
      if (e.isRefusal() || !writingThrough) {
        throw e;
      }
      LOG.log(Level.WARNING, what + ": write-through to central failed, outcome unknown", e);
      if (awaitSiteOffline(IN_DOUBT_WAIT_MS)) {
        T kept = write.apply(l);
        LOG.warning(() -> what + " kept on the node after the failed write-through");
        return kept;
      }
      throw new LedgerException(Refusal.NOT_RECORDED, what.replaceFirst(" .*", "") + " NOT recorded: the connection to central "
          + "failed during it (" + e.getMessage() + "). Try again.", e);
    }
  }

  private boolean awaitSiteOffline(long timeoutMs) {
    long end = System.nanoTime() + timeoutMs * 1_000_000;
    while (System.nanoTime() < end) {
      PharmacyNode.State s = node.state(siteRepo);
      if (s == PharmacyNode.State.OFFLINE) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  List<BatchInfo> batches(String code) {
    return ledger().batches(code);
  }

  ProductInfo product(String code) {
    return ledger().product(code);
  }

  List<ProductInfo> search(String text, int limit) {
    return ledger().search(text, limit);
  }

  Quote quote(LineRequest line) {
    return ledger().quote(line);
  }

  SaleInfo sale(String receiptNumber) {
    return ledger().sale(receiptNumber);
  }

  List<SaleInfo> sales(java.time.LocalDate day) {
    return ledger().sales(day);
  }

  /** The user as the site's staff list has it now, or null. */
  UserAccount staffMember(String username) {
    ledger();
    synchronized (staffView) {
      for (UserAccount a : StaffReader.read(staffView, node.config().siteId())) {
        if (a.username().equals(username)) {
          return a;
        }
      }
    }
    return null;
  }

  List<String> recallSummaries(String code) {
    return ledger().recallSummaries(code);
  }

  List<RecallAlert> recallAlerts() {
    SiteLedger l = ledger;
    return l == null ? List.of() : l.recallAlerts();
  }

  /** Sales as this node sees them: on MAIN plus any not yet merged offline branch (where the ledger is). */
  SalesReader.Summary sales() {
    return ledger().summary();
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

  /** Commits on offline branches that are not merged yet. */
  int pendingCommits() {
    return pending(null);
  }

  /** Sales on offline branches that are not merged yet (the ledger names each sale's commit "sale ..."). */
  int pendingSales() {
    return pending("sale ");
  }

  private int pending(String commentPrefix) {
    if (ledger == null) {
      return 0;
    }
    int n = 0;
    for (CDOBranch b : unmergedBranches()) {
      AtomicInteger count = new AtomicInteger();
      // (start 1, "count" form): with UNSPECIFIED dates the store decodes a count of 0 and returns nothing
      siteSession.getCommitInfoManager().getCommitInfos(b, 1, null, null, 1_000_000, info -> {
        if (info.getBranch().getID() == b.getID()
            && (commentPrefix == null || info.getComment() != null && info.getComment().startsWith(commentPrefix))) {
          count.incrementAndGet();
        }
      });
      n += count.get();
    }
    return n;
  }

  /** The branch the ledger writes on now: "MAIN" online, "MAIN/Offline-..." while offline work is unmerged. */
  String branch() {
    SiteLedger l = ledger;
    return l == null ? "-" : l.branch().getPathName();
  }

  long catalogueVersion() {
    return node.repository(Repositories.CATALOGUE).getLastReplicatedCommitTime();
  }

  private void tick() {
    if (closed || !node.isRunning()) {
      return;
    }
    try {
      if (ledger == null) {
        try {
          ledger();
        } catch (LedgerException notYet) {
          return;
        }
      }
      boolean catalogueCurrent = catalogueWatch.current();
      if (rescanNeeded) {
        rescanNeeded = false;
        index.rescan();
      }
      acknowledgeRecalls();
      if (node.state(siteRepo) != PharmacyNode.State.ONLINE) {
        return;
      }
      List<CDOBranch> pending = unmergedBranches();
      if (!pending.isEmpty() && (!catalogueReadyForMerge(catalogueCurrent) || !siteWatch.current())) {
        return;
      }
      for (CDOBranch b : pending) {
        merge(b);
      }
      if (node.state() == PharmacyNode.State.ONLINE && unmergedBranches().isEmpty()) {
        lastSyncAt = clock.millis();
        lastMergeError = null;
      }
    } catch (RuntimeException e) {
      String msg = CdoClient.rootMessage(e);
      if (!msg.equals(lastMergeError)) {
        LOG.log(Level.WARNING, "Merge of offline work of node " + node.config().siteId() + " failed (will retry): " + msg, e);
      }
      lastMergeError = msg;
    }
  }

  private volatile boolean rescanNeeded;
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
      LOG.info(() -> "Node " + node.config().siteId() + ": offline work waits for the catalogue to catch up before merging");
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
   * behind for more than 2 s it is refreshed from the clone, which lets the stalled notifications through.
   */
  private static final class LagWatch {
    private final String what;
    private final LongSupplier heard;
    private final LongSupplier clone;
    private final Runnable refresh;
    private long behindSince;

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
      } else if (now - behindSince > 2_000) {
        LOG.warning(() -> what + " stalled at " + at(h) + " while the clone has " + at(c) + ": refreshing it");
        refresh.run();
        behindSince = 0;
      }
      return false;
    }
  }

  /** Writes receipts for recalls this node has received (offline too: they reach central with the merge). */
  private void acknowledgeRecalls() {
    SiteLedger l = ledger;
    if (l == null) {
      return;
    }
    try {
      int n = l.acknowledgeRecalls(index.allRecalls());
      if (n > 0) {
        LOG.info(() -> "Node " + node.config().siteId() + " acknowledged " + n + " recall notice(s) to central");
      }
    } catch (LedgerException e) {
      LOG.fine(() -> "Recall receipts not written yet: " + e.getMessage());
    }
  }

  private void merge(CDOBranch branch) {
    SiteLedger l = ledger;
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
        recordMerged(branch);
        for (Resolution r : found) {
          addResolution(r);
        }
        merges.incrementAndGet();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        LOG.info(() -> "Node " + node.config().siteId() + " merged " + branch.getPathName() + " into MAIN: " + sales
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
        Product p = index.find(line.getBarcode());
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

  /** Local offline branches of MAIN that are not recorded as merged, oldest first. */
  List<CDOBranch> unmergedBranches() {
    if (siteSession == null) {
      return List.of();
    }
    Set<Integer> merged = mergedIds();
    List<CDOBranch> result = new ArrayList<>();
    // Ask the clone repository itself: the clone creates offline branches without telling its sessions, so a
    // session's view of MAIN's sub-branches stays as it was first loaded.
    InternalRepository clone = (InternalRepository) node.repository(siteRepo);
    CDOBranch[] branches;
    try {
      // server-side branch loading reads the store through the calling thread's session
      StoreThreadLocal.setSession(clone.getSessionManager().getSession(siteSession.getSessionID()));
      branches = clone.getBranchManager().getMainBranch().getBranches();
    } finally {
      StoreThreadLocal.release();
    }
    for (CDOBranch b : branches) {
      if (b.isLocal() && b.getName().startsWith("Offline-") && !merged.contains(b.getID())) {
        result.add(siteSession.getBranchManager().getBranch(b.getID()));
      }
    }
    result.sort(Comparator.comparingLong(b -> b.getBase().getTimeStamp()));
    return result;
  }

  private boolean isMerged(CDOBranch b) {
    return mergedIds().contains(b.getID());
  }

  /**
   * The merge base of an offline branch: the last replicated commit time recorded at the OFFLINE transition
   * that preceded the branch (its first offline commit). Falls back to the branch's own base.
   */
  private long baseOf(CDOBranch branch) {
    long branchBase = branch.getBase().getTimeStamp();
    long best = -1;
    for (long[] rec : node.offlineBaseRecords(siteRepo)) {
      if (rec[0] <= branchBase + 1 && rec[1] > 0) {
        best = rec[1];
      }
    }
    return best > 0 ? Math.min(best, branchBase) : branchBase;
  }

  private Path mergedFile() {
    return node.config().dataDir().resolve(siteRepo + MERGED_SUFFIX);
  }

  private Set<Integer> mergedIds() {
    Set<Integer> ids = new HashSet<>();
    try {
      if (Files.exists(mergedFile())) {
        for (String line : Files.readAllLines(mergedFile(), StandardCharsets.UTF_8)) {
          String[] parts = line.trim().split(" ");
          if (parts.length >= 1 && !parts[0].isEmpty()) {
            ids.add(Integer.parseInt(parts[0]));
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("Cannot read " + mergedFile() + ": " + e.getMessage(), e);
    }
    return ids;
  }

  private void recordMerged(CDOBranch b) {
    append(mergedFile(), b.getID() + " " + b.getPathName() + " " + clock.millis() + "\n");
  }

  private void addResolution(Resolution r) {
    resolutions.add(r);
    LOG.info(() -> "Node " + node.config().siteId() + " resolution: " + r.line());
    append(node.config().dataDir().resolve(RESOLUTIONS_FILE), r.at() + "\t" + r.kind() + "\t" + r.text() + "\n");
  }

  private void loadResolutions() {
    Path file = node.config().dataDir().resolve(RESOLUTIONS_FILE);
    try {
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          String[] p = line.split("\t", 3);
          if (p.length == 3) {
            resolutions.add(new Resolution(Long.parseLong(p[0]), p[1], p[2]));
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      LOG.warning(() -> "Cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Appends a line and forces it to disk: these records must survive a power cut right after the merge. */
  static void append(Path file, String line) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closed = true;
    agent.shutdownNow();
    try {
      agent.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (index != null) {
        index.close();
      }
      if (catalogueSession != null) {
        catalogueSession.removeListener(catalogueLog);
      }
      for (CDONet4jSession s : new CDONet4jSession[] { siteSession, catalogueSession }) {
        if (s != null && !s.isClosed()) {
          try {
            s.close();
          } catch (RuntimeException e) {
            LOG.fine(() -> "closing a node session: " + e);
          }
        }
      }
      ledger = null;
    }
  }

  static String at(long millis) {
    return millis <= 0 ? "never" : Instant.ofEpochMilli(millis).toString();
  }

}
