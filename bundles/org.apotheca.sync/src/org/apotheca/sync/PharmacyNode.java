package org.apotheca.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apotheca.core.ApothecaModel;
import org.apotheca.core.Repositories;
import org.apotheca.core.ledger.LedgerException;
import org.apotheca.core.ledger.SaleReceipt;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.remote.TillEndpoint;
import org.apotheca.security.tls.AuthorityGatekeeper;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.net.CdoLogNoise;
import org.apotheca.core.net.Net4jWiring;
import org.apotheca.core.store.DerbyStores;
import org.apotheca.core.store.ModelSchemaGuard;
import org.apotheca.net4j.db.derby.BootKey;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.eclipse.emf.cdo.common.CDOCommonRepository;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.server.CDOServerUtil;
import org.eclipse.emf.cdo.server.IRepositorySynchronizer;
import org.eclipse.emf.cdo.server.ISynchronizableRepository;
import org.eclipse.emf.cdo.server.db.IDBStore;
import org.eclipse.emf.cdo.session.CDOSession;
import org.eclipse.emf.cdo.spi.server.InternalSynchronizableRepository;
import org.eclipse.emf.cdo.server.net4j.CDONet4jServerUtil;
import org.eclipse.emf.cdo.spi.server.InternalRepository;
import org.eclipse.net4j.acceptor.IAcceptor;
import org.eclipse.net4j.internal.tcp.TCPSelector;
import org.eclipse.net4j.jvm.JVMUtil;
import org.eclipse.net4j.tcp.ITCPAcceptor;
import org.eclipse.net4j.tcp.TCPUtil;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.event.IEvent;
import org.eclipse.net4j.util.event.IListener;
import org.eclipse.net4j.util.event.ThrowableEvent;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * A pharmacy node: CDO offline clones of central's "catalogue" and of the pharmacy's own "site-&lt;id&gt;"
 * repository, each on its own embedded Derby database, served to the tills on an in-JVM acceptor and on Net4j
 * TCP.
 * <p>
 * While central is reachable the clones are ONLINE: central's commits replicate into them, and commits made
 * through them are written through to central first (this needs {@link ReplicatorSessions}' route-arounds). While
 * central is unreachable they are OFFLINE and commits land on a local branch {@code MAIN/Offline-<ts>}; the node's
 * merge agent ({@link NodeBook}) merges that branch into central as soon as central is back, exactly once.
 * <p>
 * Tills sell through the node ({@link #sell}), never through their own CDO transactions on the site repository:
 * one writer keeps FEFO exact and the offline branch single (see {@link NodeBook}).
 * <p>
 * The node's {@link #state()} is derived from the clones' own states plus the replication errors their
 * synchronizers report (CDO only traces them: a failed replication can leave a clone saying ONLINE while empty).
 */
public final class PharmacyNode implements AutoCloseable {

  public enum State {
    /** Every clone is connected to central and caught up: commits write through. */
    ONLINE,
    /** A clone is (re)connected and replicating what it missed. */
    SYNCING,
    /** A clone cannot reach central: commits stay local, on an offline branch. */
    OFFLINE,
    /** A clone's replication failed since it last (re)connected: see {@link #errors()}. */
    ERROR,
    /** Not started, or stopped. */
    STOPPED
  }

  /** A replication error a clone's synchronizer reported. */
  public record ReplicationError(String repository, long at, CDOCommonRepository.State cloneState, Throwable error) {
    @Override
    public String toString() {
      return repository + " (" + cloneState + "): " + error;
    }
  }


  private static final Logger LOG = Logger.getLogger(PharmacyNode.class.getName());

  private final NodeConfig config;
  private final ReplicatorSessions.Fix fix;
  private final Clock clock;
  private final NodeJournal journal;
  /** As for central's (CentralServer): unique in the JVM, or a second node of the site reaches the first one's clones. */
  private final String localAcceptor;
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  // own lock, not the node's monitor: CDO threads read it while stop() holds the monitor and waits for them
  private final Map<String, Clone> clones = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<IAcceptor> acceptors = new ArrayList<>();
  private final List<Consumer<State>> stateListeners = new CopyOnWriteArrayList<>();
  private final List<State> stateHistory = Collections.synchronizedList(new ArrayList<>());
  private final List<ReplicationError> errors = new CopyOnWriteArrayList<>();
  private IManagedContainer container;
  private NodeBook book;
  private volatile boolean running;
  private State lastState = State.STOPPED;
  private volatile long stateSince;
  private boolean tillsServed;
  private CentralLink centralLink;
  private TillAccess tillAccess;
  /** Starts the catalogue clone from a seed (a new node only); null once not needed. */
  private volatile CatalogueSeeding seeding;
  /** Held while a clone starts or the clones stop: the seeding thread starts the catalogue clone late. */
  private final Object cloneLock = new Object();
  private StatusReporter reporter;

  public PharmacyNode(NodeConfig config) {
    this(config, ReplicatorSessions.Fix.ALL);
  }

  /** Only tests switch a route-around off, to prove the upstream CDO bug is still there. */
  public PharmacyNode(NodeConfig config, ReplicatorSessions.Fix fix) {
    this(config, fix, Clock.systemDefaultZone());
  }

  /** Tests move the clock to see batches expire. */
  public PharmacyNode(NodeConfig config, ReplicatorSessions.Fix fix, Clock clock) {
    this.config = config;
    this.fix = fix;
    this.clock = clock;
    this.journal = new NodeJournal(config.dataDir());
    this.localAcceptor = config.localAcceptorName() + "-" + INSTANCES.incrementAndGet();
  }

  public NodeConfig config() {
    return config;
  }

  /**
   * Opens the clones and starts serving the tills.
   *
   * @throws org.apotheca.core.store.ModelSchemaMismatch the data directory was written with another model schema;
   *     nothing was opened or changed
   */
  public synchronized PharmacyNode start() {
    if (running) {
      return this;
    }
    // before the clones, the seed or the journal touch the data: a refusal leaves it exactly as it was, offline
    // sales not yet merged included
    ModelSchemaGuard.installed().check(config.dataDir());
    try {
      Files.createDirectories(config.dataDir());
      CdoLogNoise.install();
      container = ContainerUtil.createContainer();
      Net4jWiring.prepareClient(container);
      CDONet4jServerUtil.prepareContainer(container);
      container.activate();
      centralLink = new CentralLink(config, Clock.systemUTC());
      running = true;
      boolean seed = CatalogueSeeding.wanted(config);
      for (String name : config.repositoryNames()) {
        Clone clone = new Clone(name);
        clones.put(name, clone);
        if (seed && Repositories.CATALOGUE.equals(name)) {
          clone.seeding = true; // started by the seeding, once its database is in place (docs/offline.md)
        } else {
          clone.start();
        }
      }
      if (seed) {
        CentralLink link = centralLink;
        seeding = new CatalogueSeeding(config, link::requestLink, () -> NodeStorageKey.loadOrCreate(config),
            () -> startLateClone(Repositories.CATALOGUE));
        seeding.start();
      }
      acceptors.add(JVMUtil.getAcceptor(container, localAcceptor));
      if (config.plainTcp()) {
        acceptors.add(TCPUtil.getAcceptor(container, config.tills().net4jDescription()));
      } else {
        // Net4j on loopback only; the tills of the LAN come in through the TLS gate
        int loopback = AuthorityGatekeeper.freeLoopbackPort();
        acceptors.add(TCPUtil.getAcceptor(container, "127.0.0.1:" + loopback));
        tillAccess = new TillAccess(config, Clock.systemUTC());
        tillAccess.open(loopback);
      }
      book = new NodeBook(this, journal, clock);
      book.start();
      if (!config.plainTcp()) {
        reporter = new StatusReporter(this, centralLink, Clock.systemUTC()).start(); // central's site board
      }
      LOG.info(() -> "Apotheca pharmacy node " + config.siteId() + " cloning " + clones.keySet() + " from "
          + config.central() + ", serving tills on " + config.tills());
      updateState();
      return this;
    } catch (RuntimeException | IOException e) {
      stop();
      throw new IllegalStateException("Pharmacy node " + config.siteId() + " did not start: " + CdoClient.rootMessage(e), e);
    }
  }

  /** Starts a clone whose database was not there at the node's start (the catalogue, once its seed is in place). */
  private void startLateClone(String name) {
    synchronized (cloneLock) {
      Clone clone = clones.get(name);
      if (!running || clone == null) {
        return;
      }
      // sessions opened on a seeded clone before it caught up missed the commits its raw replication brought
      // (the node's catalogue index lacked a product made after the seed): the ledger waits for ONLINE once
      clone.awaitingFirstOnline = true;
      clone.start();
      clone.seeding = false;
    }
    updateState();
  }

  /**
   * False while a clone started from a seed has not yet been ONLINE (caught up with central) since: the node's
   * ledger opens only afterwards.
   */
  boolean caughtUpOnce(String repository) {
    Clone c = clones.get(repository);
    return c != null && !c.seeding && !c.awaitingFirstOnline;
  }

  /**
   * How far the node is in starting its catalogue from a seed; null if it did not need one (its catalogue was there
   * at start).
   */
  public SeedProgress seedProgress() {
    CatalogueSeeding s = seeding;
    return s == null ? null : s.progress();
  }

  /** A CDO session on one of the node's clones through its in-JVM acceptor (the till on this machine). */
  public CDONet4jSession openLocalSession(String repository) {
    return openLocalSession(repository, false);
  }

  /** As {@link #openLocalSession(String)} without a revision cache (see {@code CdoClient.open(..., uncached, ...)}). */
  CDONet4jSession openUncachedLocalSession(String repository) {
    return openLocalSession(repository, true);
  }

  private CDONet4jSession openLocalSession(String repository, boolean uncached) {
    IManagedContainer c = container;
    if (!running || c == null) {
      throw new IllegalStateException("Pharmacy node " + config.siteId() + " is not running");
    }
    return CdoClient.open(JVMUtil.getConnector(c, localAcceptor), repository,
        "pharmacy node " + config.siteId(), uncached, ApothecaModel.packages());
  }

  /** The node's overall state: ERROR before OFFLINE before SYNCING before ONLINE (the worst clone wins). */
  public State state() {
    if (!running) {
      return State.STOPPED;
    }
    State worst = State.ONLINE;
    for (Clone clone : clonesSnapshot()) {
      State s = clone.state();
      if (s.ordinal() > worst.ordinal()) {
        worst = s;
      }
    }
    return worst;
  }

  /** The state of one clone ("catalogue" or "site-&lt;id&gt;"). */
  public State state(String repository) {
    Clone clone = clone(repository);
    return running ? clone.state() : State.STOPPED;
  }

  /** When the node entered its current {@link #state()} (0: never started). */
  public long stateSince() {
    return stateSince;
  }

  /**
   * Until when the node knows its copy of the repository was current: now while its clone is ONLINE, else the moment
   * it went OFFLINE (0 when it never was online since the node started).
   */
  public long currentUntil(String repository) {
    Clone c = clone(repository);
    return c.state() == State.ONLINE ? clock.millis() : c.lastOfflineAt;
  }

  /** Every distinct state the node has been in since it was created, in order. */
  public List<State> stateHistory() {
    synchronized (stateHistory) {
      return List.copyOf(stateHistory);
    }
  }

  public void addStateListener(Consumer<State> listener) {
    stateListeners.add(listener);
  }

  public void removeStateListener(Consumer<State> listener) {
    stateListeners.remove(listener);
  }

  /** Replication errors reported since the node started (connection failures while OFFLINE are not errors). */
  public List<ReplicationError> errors() {
    return List.copyOf(errors);
  }

  /** The clone repository itself (state, last replicated commit time, ...). */
  public ISynchronizableRepository repository(String repository) {
    return clone(repository).repository;
  }

  /**
   * The clone's last replicated commit time recorded at each OFFLINE transition, oldest first: the base an offline
   * branch must be merged from (the default base drops master edits made during the outage, see docs/building.md).
   * Read from disk: CDO itself persists its last replicated time only on a graceful shutdown.
   */
  public List<Long> offlineBases(String repository) {
    return offlineBaseRecords(repository).stream().map(r -> r[1]).toList();
  }

  /** The records behind {@link #offlineBases}: {wall-clock time of the OFFLINE transition, base}. */
  List<long[]> offlineBaseRecords(String repository) {
    return journal.offlineBases(clone(repository).name);
  }

  // ---- the tills' operations: every till of the pharmacy goes through the node's one ledger ----

  /**
   * Sells {@code quantity} packs FEFO; returns once the sale is durable (on central when ONLINE, on the node's
   * Derby when OFFLINE).
   *
   * @throws LedgerException with a message for the person at the till; nothing was recorded
   */
  public SaleReceipt sell(String tillId, String userName, String barcode, int quantity) {
    return book().sell(tillId, userName, barcode, null, quantity);
  }

  /** Sells from one lot only (the lot a scanned GS1 DataMatrix names); refused if it is recalled or expired. */
  public SaleReceipt sell(String tillId, String userName, String barcode, String lot, int quantity) {
    return book().sell(tillId, userName, barcode, lot, quantity);
  }

  /** Receives a batch into the pharmacy's stock (the console's and the tests' short form). */
  public BatchInfo receive(String tillId, String barcode, String lot, String expiryDate, int quantity, long unitCostMinor) {
    return book().receive(tillId, tillId, ReceiveRequest.of(barcode, lot, expiryDate, quantity, unitCostMinor, null));
  }

  /** Answers the pharmacy's other tills on the node's till endpoint from {@code service}. */
  public synchronized void serveTills(NodeService service) {
    if (!running || container == null) {
      throw new IllegalStateException("Pharmacy node " + config.siteId() + " is not running");
    }
    TillEndpoint.install(container, service);
    tillsServed = true;
  }

  /** Pairing and unpairing of this pharmacy's tills; null with the development flag (plain TCP tills). */
  public synchronized TillAccess tillAccess() {
    return tillAccess;
  }

  /** The book, or null while the node is not running. */
  NodeBook ledgerHostOrNull() {
    return running ? book : null;
  }

  /** The book the node's till service answers from. */
  NodeBook ledgerHost() {
    return book();
  }

  /** True if the pharmacy has received any stock. */
  public boolean hasStock() {
    return book().ledger().hasStock();
  }

  /** Blocks until the node has the catalogue and its site data (first sync done), or the timeout passes. */
  public boolean awaitReady(long timeoutMillis) throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < end) {
      NodeBook b = book;
      if (b != null) {
        try {
          b.ledger();
          return true;
        } catch (LedgerException notYet) {
          // keep waiting: first replication still running
        }
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** The batches with stock of one product, earliest expiry first. */
  public List<BatchInfo> stock(String barcode) {
    return book().batches(barcode);
  }

  /** Active recalls of the product as "number:lot,lot" or "number:all". */
  public List<String> recalls(String barcode) {
    return book().recallSummaries(barcode);
  }

  /** The catalogue product as this node holds it now, with its stock here, or null for an unknown code. */
  public ProductInfo product(String barcode) {
    try {
      return book().product(barcode);
    } catch (LedgerException e) {
      if (e.refusal() == Refusal.UNKNOWN_BARCODE) {
        return null;
      }
      throw e;
    }
  }

  /** The pharmacy's completed sales as this node sees them (merged and not yet merged). */
  public SalesReader.Summary sales() {
    return book().sales();
  }

  /** Every non-trivial resolution the merge agent made (e.g. a sale that crossed a price change), oldest first. */
  public List<String> resolutions() {
    return book().resolutions().stream().map(NodeJournal.Resolution::line).toList();
  }

  /**
   * Why central does not let this pharmacy in (revoked, expired, not enrolled), in plain words; null while it does or
   * while central is merely unreachable. The node sells offline all the same.
   */
  public String centralRefusal() {
    CentralLink link = centralLink;
    return link == null ? null : link.refusal();
  }

  /** What staff need to see at a glance; {@link NodeStatus#line()} is the console form. */
  public NodeStatus status() {
    NodeBook b = book;
    String error = null;
    if (!errors.isEmpty()) {
      ReplicationError last = errors.get(errors.size() - 1);
      if (state() == State.ERROR) {
        error = last.repository() + ": " + CdoClient.rootMessage(last.error());
      }
    }
    if (error == null && b != null && b.lastMergeError() != null) {
      error = "merge: " + b.lastMergeError();
    }
    if (error == null && centralRefusal() != null) {
      error = centralRefusal();
    }
    NodeBook.PendingWork pending = b == null ? NodeBook.PendingWork.NONE : b.pendingWork();
    return new NodeStatus(config.siteId(), state(), b == null ? "-" : b.branch(), pending.commits(),
        b == null ? 0 : b.lastSyncAt(), running && repository(Repositories.CATALOGUE) != null
            ? repository(Repositories.CATALOGUE).getLastReplicatedCommitTime() : 0,
        centralCatalogueVersion(), b == null ? 0 : b.mergesDone(), b == null ? 0 : b.resolutions().size(), b != null && b.isReady(), error,
        pending.sales());
  }

  /**
   * While a site clone is being built from central (a first start, or a pharmacy restored onto a new computer): one
   * console line, {@code restoring repository=site-0001 from=central received=12.3MB elapsed=14s}; null otherwise.
   */
  public String restoreProgress() {
    return restoreProgress(false);
  }

  /** {@link #restoreProgress()} as a sentence for the workbench, or null. */
  String restoreProgressSentence() {
    return restoreProgress(true);
  }

  private String restoreProgress(boolean sentence) {
    if (!running) {
      return null;
    }
    for (Clone c : clonesSnapshot()) {
      FirstReplication f = c.first;
      String p = f == null ? null : sentence ? f.progressSentence() : f.progress();
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  /** Central's last catalogue commit as the replicator session last heard it; 0 when not connected. */
  private long centralCatalogueVersion() {
    if (!running || state(Repositories.CATALOGUE) == State.OFFLINE || repository(Repositories.CATALOGUE) == null) {
      return 0;
    }
    try {
      CDOSession remote = ((InternalSynchronizableRepository) repository(Repositories.CATALOGUE)).getSynchronizer().getRemoteSession();
      return remote == null || remote.isClosed() ? 0 : remote.getLastUpdateTime();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * Central catalogue commits this node's clone holds with a time stamp after {@code since} (central's clock):
   * proves that none was dropped, whether the node was online, offline or restarted when they were made.
   */
  public int catalogueCommitsAfter(long since) {
    return book().catalogueCommitsAfter(since);
  }

  /** Diagnostics: the catalogue clone's, session's and view's last update times. */
  public String catalogueTimes() {
    return book().catalogueTimes();
  }

  /** Catalogue commits that reached this node since it started (each is logged). */
  public int catalogueCommitsReceived() {
    NodeBook b = book;
    return b == null ? 0 : b.catalogueCommitsReceived();
  }

  private NodeBook book() {
    NodeBook b = book;
    if (!running || b == null) {
      throw new LedgerException(Refusal.NODE_NOT_READY, "The pharmacy node " + config.siteId() + " is not running");
    }
    return b;
  }

  public boolean isRunning() {
    return running;
  }

  /** Closes the acceptors, the clones and their synchronizers, then each Derby database. Idempotent. */
  public synchronized void stop() {
    if (reporter != null) {
      reporter.close(); // first: its last word tells central's board the node stops
      reporter = null;
    }
    boolean wasRunning = running;
    running = false;
    CatalogueSeeding s = seeding;
    if (s != null) {
      s.close(); // stops between chunks; what it has is kept for the next start
    }
    if (book != null) {
      book.close();
      book = null;
    }
    if (tillsServed && container != null) {
      TillEndpoint.uninstall(container);
      tillsServed = false;
    }
    if (tillAccess != null) {
      tillAccess.close();
      tillAccess = null;
    }
    for (IAcceptor acceptor : acceptors) {
      LifecycleUtil.deactivate(acceptor);
      // as in CentralServer: wake the selector so the listening socket really closes now
      if (acceptor instanceof ITCPAcceptor tcp && tcp.getSelector() instanceof TCPSelector selector
          && selector.getSocketSelector() != null) {
        selector.getSocketSelector().wakeup();
      }
    }
    acceptors.clear();
    synchronized (cloneLock) {
      List<Clone> list = clonesSnapshot();
      Collections.reverse(list);
      for (Clone clone : list) {
        clone.stop();
      }
      clones.clear();
    }
    if (container != null) {
      LifecycleUtil.deactivate(container);
      container = null;
    }
    if (centralLink != null) {
      centralLink.close();
    }
    updateState();
    if (wasRunning) {
      LOG.info(() -> "Apotheca pharmacy node " + config.siteId() + " stopped");
    }
  }

  @Override
  public void close() {
    stop();
  }

  private List<Clone> clonesSnapshot() {
    synchronized (clones) {
      return new ArrayList<>(clones.values());
    }
  }

  private Clone clone(String repository) {
    Clone clone = clones.get(repository);
    if (clone == null) {
      throw new IllegalArgumentException("Pharmacy node " + config.siteId() + " has no clone of '" + repository
          + "' (it clones " + List.of(config.repositoryNames()) + ")" + (running ? "" : "; it is not running"));
    }
    return clone;
  }

  private void updateState() {
    State now = state();
    boolean changed;
    synchronized (stateHistory) {
      changed = now != lastState || stateHistory.isEmpty();
      if (changed) {
        lastState = now;
        stateSince = clock.millis();
        stateHistory.add(now);
      }
    }
    if (changed) {
      LOG.fine(() -> "Pharmacy node " + config.siteId() + " is " + now);
      for (Consumer<State> listener : stateListeners) {
        try {
          listener.accept(now);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "State listener failed", e);
        }
      }
    }
  }

  private Path databaseDir(String name) {
    return config.dataDir().resolve(name);
  }


  /** One offline clone with its store, synchronizer and error bookkeeping. */
  private final class Clone {
    final String name;
    ISynchronizableRepository repository;
    IRepositorySynchronizer synchronizer;
    /** True while the node gets this clone's database from a seed: the clone starts afterwards. */
    volatile boolean seeding;
    /** Started from a seed and not ONLINE since. */
    volatile boolean awaitingFirstOnline;
    /** Set while the clone's tables still need their revision index (after its first replication). */
    volatile BootKey key;
    /** Site clones: whether the first replication completed (null for the catalogue clone). */
    volatile FirstReplication first;
    volatile boolean raw;
    /** Wall-clock time of the last transition into OFFLINE; errors before it no longer count. */
    volatile long lastOfflineAt;
    volatile ReplicationError failure;

    Clone(String name) {
      this.name = name;
    }

    void start() {
      Path dbDir = databaseDir(name);
      BootKey key = NodeStorageKey.loadOrCreate(config); // every clone encrypted at rest, always (docs/security.md)
      // Raw replication only builds a fresh clone: after a crash between central's and the clone's commit it
      // loops forever on a duplicate key. Non-raw replication recovers but cannot build a fresh clone, so a site
      // clone whose first (raw) replication never completed is discarded and built raw again (FirstReplication).
      boolean fresh;
      if (Repositories.CATALOGUE.equals(name)) {
        fresh = !Files.exists(dbDir.resolve("service.properties"));
      } else {
        first = new FirstReplication(name, config.dataDir(), dbDir, journal, () -> centralLink.bytesReceived(name),
            this::receivingFirst);
        fresh = first.prepare(key);
      }
      raw = fresh || Repositories.CATALOGUE.equals(name);

      IDBStore store = DerbyStores.store(dbDir, key);
      Map<String, String> props = DerbyStores.repositoryProperties(name);

      // The catalogue clone is never written at the node, so the crash case above cannot happen to it, while
      // non-raw replication of a restarted catalogue clone was seen to apply only the first of 50 missed commits
      // (CatalogueDeliveryTest): the catalogue always replicates raw. A site clone built raw in this run replicates
      // raw only until its first replication is recorded complete: raw again at a reconnect re-imports commits the
      // clone already has (written through while the link flapped) and stops on a duplicate key in CDO_COMMIT_INFOS.
      FirstReplication building = first;
      Synchronizer sync = new Synchronizer(() -> raw && (building == null || !building.isComplete()));
      sync.setRemoteSessionConfigurationFactory(
          new ReplicatorSessions(container, () -> centralLink.connectorDescription(name), name, fix));
      sync.setRetryInterval(config.retryIntervalSeconds());
      synchronizer = sync;
      synchronizer.addListener(errorListener);

      repository = CDOServerUtil.createOfflineClone(name, store, props, synchronizer);
      // a clone refuses packages that reach it later through a client commit
      ((InternalRepository) repository).setInitialPackages(ApothecaModel.packages());
      repository.addListener(stateListener);
      CDOServerUtil.addRepository(container, repository);
      if (first != null && fresh) {
        // Its tables come with the raw import, whose transaction holds Derby's catalog locks until it ends: indexing
        // now blocked the node's start for the whole first replication (and gave up after Derby's 60 s lock wait).
        this.key = key;
      } else {
        DerbyStores.prepareActive(name, dbDir, key);
      }
      LOG.fine(() -> "Clone " + name + " started (" + (fresh ? "fresh database, raw replication" : "existing database") + ")");
    }

    /**
     * Whether central is sending now. A first replication runs while CDO still says INITIAL (it says SYNCING only
     * for later ones): then the open link tells.
     */
    boolean receivingFirst() {
      ISynchronizableRepository r = repository;
      if (r == null) {
        return false;
      }
      CDOCommonRepository.State s = r.getState();
      return s == CDOCommonRepository.State.SYNCING
          || s == CDOCommonRepository.State.INITIAL && !config.plainTcp() && centralLink.bytesReceived(name) >= 0;
    }

    State state() {
      ISynchronizableRepository r = repository;
      if (seeding && r == null) {
        CatalogueSeeding s = PharmacyNode.this.seeding;
        return s != null && s.waiting() ? State.OFFLINE : State.SYNCING; // waiting: central cannot be reached (yet)
      }
      if (r != null && !LifecycleUtil.isActive(r) && running && first != null && first.progress() != null) {
        return State.SYNCING; // CDO activates a fresh clone only once its first replication is through
      }
      if (r == null || !LifecycleUtil.isActive(r)) {
        return State.STOPPED;
      }
      if (failure != null) {
        return State.ERROR;
      }
      return switch (r.getState()) {
      case ONLINE -> State.ONLINE;
      case SYNCING -> State.SYNCING;
      default -> State.OFFLINE;
      };
    }

    final IListener stateListener = new IListener() {
      @Override
      public void notifyEvent(IEvent event) {
        if (event instanceof CDOCommonRepository.StateChangedEvent e) {
          LOG.fine(() -> "Clone " + name + ": " + e.getOldState() + " -> " + e.getNewState());
          if (e.getNewState() == CDOCommonRepository.State.OFFLINE && e.getOldState() != CDOCommonRepository.State.INITIAL) {
            lastOfflineAt = clock.millis();
            failure = null; // a reconnect replicates again from scratch
            recordOfflineBase();
          }
          if (e.getNewState() == CDOCommonRepository.State.ONLINE) {
            awaitingFirstOnline = false;
          }
          if (e.getNewState() == CDOCommonRepository.State.ONLINE && raw && first != null) {
            try {
              first.completed(repository.getLastReplicatedCommitTime());
            } catch (RuntimeException x) {
              // not recorded: the next start rebuilds this clone from central, which is slow but safe
              LOG.log(Level.WARNING, "Clone " + name + ": " + x.getMessage(), x);
            }
            BootKey k = key;
            if (k != null) {
              key = null;
              // not on CDO's thread: the replication of central's next commits must not wait for the indexes
              Thread.ofVirtual().name("apotheca-index-" + name).start(() -> DerbyStores.prepareActive(name, databaseDir(name), k));
            }
          }
          if (e.getNewState() == CDOCommonRepository.State.ONLINE && failure != null) {
            // replication went through to ONLINE after the error (e.g. a timeout while SYNCING on a flaky link):
            // the clone caught up, so the error is history (kept in errors()), not the node's state
            LOG.info(() -> "Clone " + name + " is ONLINE again after: " + CdoClient.rootMessage(failure.error()));
            failure = null;
          }
          updateState();
        }
      }
    };

    final IListener errorListener = new IListener() {
      @Override
      public void notifyEvent(IEvent event) {
        if (event instanceof ThrowableEvent e) {
          onError(e.getThrowable());
        }
      }
    };

    void onError(Throwable t) {
      ISynchronizableRepository r = repository;
      CDOCommonRepository.State s = r == null ? CDOCommonRepository.State.INITIAL : r.getState();
      if (CentralLink.Unreachable.isIn(t)) {
        // A connect attempt failed on the link. CDO 4.7's synchronizer only schedules its next attempt when the clone
        // says it is disconnected; a failure that comes while the clone still says SYNCING or ONLINE (a TLS handshake
        // cut by a flapping line) made it stop trying for good. It calls this listener before it decides: say so now.
        if (running && r instanceof InternalSynchronizableRepository internal && s.isConnected()) {
          internal.setState(internal.hasBeenReplicated() ? CDOCommonRepository.State.OFFLINE : CDOCommonRepository.State.INITIAL);
          LOG.fine(() -> "Clone " + name + " marked offline after a failed connect while it said " + s);
        }
        LOG.finer(() -> "Clone " + name + " cannot reach central: " + t.getMessage());
        return;
      }
      if (!running || s == CDOCommonRepository.State.OFFLINE || s == CDOCommonRepository.State.INITIAL) {
        // a failed attempt to reach central: that is what OFFLINE means, not an error
        LOG.finer(() -> "Clone " + name + " cannot reach central: " + CdoClient.rootMessage(t));
        return;
      }
      if (isLockReplicationNoise(t)) {
        return;
      }
      ReplicationError error = new ReplicationError(name, System.currentTimeMillis(), s, t);
      errors.add(error);
      failure = error;
      LOG.log(Level.WARNING, "Replication of " + name + " failed while " + s, t);
      updateState();
    }

    /**
     * Non-raw replication reports an NPE ("lockAreaID", SyncingUtil.openViewWithLockArea) every retry interval
     * from lock replication; commits are unaffected (docs/building.md). Not an error for the node's state.
     */
    boolean isLockReplicationNoise(Throwable t) {
      for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
        for (StackTraceElement e : c.getStackTrace()) {
          if (e.getMethodName().equals("openViewWithLockArea") || e.getClassName().endsWith("$LocksRunnable")) {
            return true;
          }
        }
      }
      return false;
    }

    /** Appends "wallclock lastReplicatedCommitTime" and forces it to disk. */
    void recordOfflineBase() {
      long base = repository.getLastReplicatedCommitTime();
      try {
        journal.recordOfflineBase(name, System.currentTimeMillis(), base);
      } catch (IllegalStateException e) {
        LOG.log(Level.WARNING, "Cannot record the offline base of " + name, e);
      }
    }

    void stop() {
      if (repository != null) {
        repository.removeListener(stateListener);
        LifecycleUtil.deactivate(repository);
      }
      if (synchronizer != null) {
        synchronizer.removeListener(errorListener);
        LifecycleUtil.deactivate(synchronizer);
      }
      try {
        DerbyDatabase.shutdown(databaseDir(name));
      } catch (RuntimeException e) {
        LOG.warning(() -> "Derby database of clone " + name + " did not shut down cleanly: " + CdoClient.rootMessage(e));
      }
    }
  }
}
