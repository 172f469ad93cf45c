package org.apotheca.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.CashUpDay;
import org.apotheca.node.api.CashUpFigures;
import org.apotheca.node.api.CashUpInfo;
import org.apotheca.node.api.CashUpRequest;
import org.apotheca.node.api.CountRequest;
import org.apotheca.node.api.ExpiryReport;
import org.apotheca.node.api.FinishRequest;
import org.apotheca.node.api.FloatRequest;
import org.apotheca.node.api.StocktakeInfo;
import org.apotheca.node.api.StocktakeLineInfo;
import org.apotheca.node.api.StocktakeRequest;
import org.apotheca.node.api.SupplierReturnInfo;
import org.apotheca.node.api.SupplierReturnRequest;
import org.apotheca.node.api.WriteOffInfo;
import org.apotheca.node.api.WriteOffRequest;
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
import org.apotheca.model.Sale;
import org.apotheca.model.ownership.Ownership;
import org.eclipse.emf.cdo.common.branch.CDOBranch;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.session.CDOSessionInvalidationEvent;
import org.eclipse.net4j.util.event.IListener;
import org.eclipse.emf.cdo.server.StoreThreadLocal;
import org.eclipse.emf.cdo.spi.server.InternalRepository;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.view.CDOView;

/**
 * The host of the node's one {@link SiteLedger}: opens the sessions and views on the node's clones once central has
 * sent their data, answers the tills' requests with plain records only, and owns the {@link MergeAgent} that brings
 * offline work back to central.
 * <p>
 * <b>Why one ledger.</b> An offline clone gives every transaction that commits on MAIN while offline its own local
 * branch. Two tills with their own transactions would then write two branches that do not see each other (both
 * could sell the last pack) and whose journals collide when merged. So the node keeps exactly one site
 * transaction: online it is on MAIN (commits write through to central), offline its first commit moves it onto
 * {@code MAIN/Offline-<ts>}, and it stays there until the merge agent has merged that branch into MAIN; then it is
 * switched back. All under the ledger's lock, so no sale slips in between.
 */
final class NodeBook implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(NodeBook.class.getName());
  /** How long a till waits, after a failed write-through, for the clone to notice the link is down. */
  private static final long IN_DOUBT_WAIT_MS = 5_000;

  private final PharmacyNode node;
  private final String siteRepo;
  private final Clock clock;
  private final MergeAgent agent;
  private final NodeJournal journal;
  private final AtomicInteger catalogueCommits = new AtomicInteger();
  private CDONet4jSession catalogueSession;
  private CDONet4jSession siteSession;
  private CDOView catalogueView;
  /** The site's staff list as central last sent it: read on MAIN, whatever branch the ledger writes on. */
  private CDOView staffView;
  private CatalogueIndex index;
  private volatile SiteLedger ledger;
  private volatile boolean closed;

  NodeBook(PharmacyNode node, NodeJournal journal, Clock clock) {
    this.node = node;
    this.clock = clock;
    this.siteRepo = Repositories.siteRepository(node.config().siteId());
    this.journal = journal;
    this.agent = new MergeAgent(this, node, journal, clock);
  }

  void start() {
    agent.start();
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
          // the root resource comes a moment after the replicated time stamp at the end of a first replication; a
          // session opened in between fails ("RootResourceID is null")
          if (node.repository(repo) == null || node.repository(repo).getLastReplicatedCommitTime() <= 0
              || node.repository(repo).getRootResourceID() == null || !node.caughtUpOnce(repo)) {
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
    // computing a large merge can exceed Net4j's default 10 s signal timeout (docs/building.md)
    siteSession.options().getNet4jProtocol().setTimeout(120_000);
    catalogueView = catalogueSession.openView();
    staffView = siteSession.openView();
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
      if (!e.getNewObjects().isEmpty()) {
        agent.rescanCatalogue();
      }
      LOG.info(() -> "Node " + node.config().siteId() + " received catalogue change " + NodeBook.at(e.getTimeStamp()) + " \""
          + (e.getComment() == null ? "" : e.getComment()) + "\": " + e.getChangedObjects().size() + " changed, "
          + e.getNewObjects().size() + " new");
    }
  }


  // ---- what the merge agent reads ----

  CatalogueIndex index() {
    return index;
  }

  CDONet4jSession siteSession() {
    return siteSession;
  }

  /** How far the node's catalogue session and view have heard (both must have, for tills to see current prices). */
  long catalogueHeard() {
    return Math.min(catalogueSession.getLastUpdateTime(), catalogueView.getLastUpdateTime());
  }

  void refreshCatalogue() {
    synchronized (catalogueView) {
      CdoClient.refresh(catalogueSession);
    }
  }

  long siteHeard() {
    return siteSession.getLastUpdateTime();
  }

  void refreshSite() {
    CdoClient.refresh(siteSession);
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

  // ---- stock control and cash-up (the ledger's StockControl and CashDesk) ----

  StocktakeInfo startStocktake(String tillId, String user, StocktakeRequest request) {
    return inDoubt("Stocktake " + (request == null ? "" : request.stocktakeId()), l -> l.stockControl().start(tillId, user, request));
  }

  List<StocktakeInfo> stocktakes() {
    return ledger().stockControl().stocktakes();
  }

  StocktakeInfo stocktake(String stocktakeId) {
    return ledger().stockControl().stocktake(stocktakeId);
  }

  StocktakeLineInfo countStock(String tillId, String user, CountRequest request) {
    return inDoubt("Count " + (request == null ? "" : request.countId()), l -> l.stockControl().count(tillId, user, request));
  }

  StocktakeInfo finishStocktake(String tillId, String user, FinishRequest request) {
    return inDoubt("Stocktake " + (request == null ? "" : request.stocktakeId()), l -> l.stockControl().finish(tillId, user, request));
  }

  StocktakeInfo cancelStocktake(String tillId, String user, String stocktakeId) {
    return inDoubt("Stocktake " + stocktakeId, l -> l.stockControl().cancel(tillId, user, stocktakeId));
  }

  SupplierReturnInfo returnToSupplier(String tillId, String user, SupplierReturnRequest request) {
    return inDoubt("Supplier return " + (request == null ? "" : request.returnId()),
        l -> l.stockControl().returnToSupplier(tillId, user, request));
  }

  List<SupplierReturnInfo> supplierReturns(java.time.LocalDate day) {
    return ledger().stockControl().supplierReturns(day);
  }

  ExpiryReport expiryReport(int days) {
    return ledger().stockControl().expiryReport(days);
  }

  WriteOffInfo writeOffExpired(String tillId, String user, WriteOffRequest request) {
    return inDoubt("Write-off " + (request == null ? "" : request.writeOffId()), l -> l.stockControl().writeOffExpired(tillId, user, request));
  }

  CashUpFigures cashUpFigures(String tillId, java.time.LocalDate day) {
    return ledger().cashDesk().figures(tillId, day);
  }

  CashUpFigures recordFloat(String user, FloatRequest request) {
    return inDoubt("Float " + (request == null ? "" : request.tillId()), l -> l.cashDesk().recordFloat(user, request));
  }

  CashUpInfo closeCashUp(String user, CashUpRequest request) {
    return inDoubt("Cash-up " + (request == null ? "" : request.cashUpId()), l -> l.cashDesk().close(user, request));
  }

  CashUpDay cashUps(java.time.LocalDate day) {
    return ledger().cashDesk().day(day);
  }

  /** A write of the dispensary or the register (its id fixed by the caller), with the same in-doubt handling as a sale. */
  <T> T write(String what, java.util.function.Function<SiteLedger, T> work) {
    return inDoubt(what, work);
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

  /**
   * Runs a report ({@link org.apotheca.core.reports.SiteFigures}) on a view of its own at the head of the branch the
   * ledger writes (offline work included), so tills go on selling while it reads.
   */
  <T> T report(java.util.function.Function<org.apotheca.core.reports.SiteFigures, T> work) {
    SiteLedger l = ledger();
    CDOView view = siteSession.openView(l.branch());
    try {
      return work.apply(new org.apotheca.core.reports.SiteFigures(view, node.config().siteId(),
          org.apotheca.core.reports.ListPrices.of(index)));
    } finally {
      view.close();
    }
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

  List<NodeJournal.Resolution> resolutions() {
    return agent.resolutions();
  }

  long lastSyncAt() {
    return agent.lastSyncAt();
  }

  String lastMergeError() {
    return agent.lastMergeError();
  }

  int mergesDone() {
    return agent.mergesDone();
  }

  long lastMergeAt() {
    return agent.lastMergeAt();
  }

  /** Commits on offline branches that are not merged yet. */
  int pendingCommits() {
    return pendingWork().commits();
  }

  /** Sales on offline branches that are not merged yet (the ledger names each sale's commit "sale ..."). */
  int pendingSales() {
    return pendingWork().sales();
  }

  /** Unmerged offline commits, and how many of them are sales. */
  record PendingWork(int commits, int sales) {
    static final PendingWork NONE = new PendingWork(0, 0);
  }

  /** Both counts in one walk of the offline branches' commit infos: the till's state poll asks every second. */
  PendingWork pendingWork() {
    if (ledger == null) {
      return PendingWork.NONE;
    }
    int commits = 0;
    int sales = 0;
    for (CDOBranch b : unmergedBranches()) {
      AtomicInteger all = new AtomicInteger();
      AtomicInteger sold = new AtomicInteger();
      // (start 1, "count" form): with UNSPECIFIED dates the store decodes a count of 0 and returns nothing
      siteSession.getCommitInfoManager().getCommitInfos(b, 1, null, null, 1_000_000, info -> {
        if (info.getBranch().getID() == b.getID()) {
          all.incrementAndGet();
          if (info.getComment() != null && info.getComment().startsWith("sale ")) {
            sold.incrementAndGet();
          }
        }
      });
      commits += all.get();
      sales += sold.get();
    }
    return new PendingWork(commits, sales);
  }

  /** The branch the ledger writes on now: "MAIN" online, "MAIN/Offline-..." while offline work is unmerged. */
  String branch() {
    SiteLedger l = ledger;
    return l == null ? "-" : l.branch().getPathName();
  }

  long catalogueVersion() {
    return node.repository(Repositories.CATALOGUE).getLastReplicatedCommitTime();
  }

  /** Local offline branches of MAIN that are not recorded as merged, oldest first. */
  List<CDOBranch> unmergedBranches() {
    if (siteSession == null) {
      return List.of();
    }
    Set<Integer> merged = journal.mergedBranches(siteRepo);
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

  @Override
  public void close() {
    closed = true;
    agent.close();
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
