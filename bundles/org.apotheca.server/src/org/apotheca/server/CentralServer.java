package org.apotheca.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.logging.Logger;

import org.apotheca.core.ApothecaModel;
import org.apotheca.core.Repositories;
import org.apotheca.core.store.DerbyStores;
import org.apotheca.core.store.ModelSchemaGuard;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.net.Net4jWiring;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.apotheca.security.tls.AuthorityGatekeeper;
import org.apotheca.server.access.CentralSecurity;
import org.apotheca.server.access.SessionGate;
import org.apotheca.sync.CatalogueSeedMaker;
import org.eclipse.emf.cdo.server.CDOServerUtil;
import org.eclipse.emf.cdo.server.IRepository;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.server.net4j.CDONet4jServerUtil;
import org.eclipse.emf.cdo.util.CommitException;
import org.eclipse.net4j.acceptor.IAcceptor;
import org.eclipse.net4j.internal.tcp.TCPSelector;
import org.eclipse.net4j.jvm.JVMUtil;
import org.eclipse.net4j.tcp.ITCPAcceptor;
import org.eclipse.net4j.tcp.TCPUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * The central Apotheca server: the catalogue repository and one repository per pharmacy, each a CDO
 * DBStore on its own embedded Derby database, served over Net4j TCP.
 * <p>
 * Also listens on an in-JVM acceptor (named {@link #LOCAL_ACCEPTOR}-n) so console commands and seeding talk to
 * the repositories through the same CDO client API as everyone else, without a loopback socket.
 */
public final class CentralServer implements AutoCloseable {

  public static final String LOCAL_ACCEPTOR = "apotheca-central";
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private static final Logger LOG = Logger.getLogger(CentralServer.class.getName());

  private final ServerConfig config;
  private final IManagedContainer container;
  /**
   * Net4j keeps in-JVM acceptors in one JVM-wide table by name and silently ignores a second acceptor of the same
   * name, whose connectors then reach the first one: a second central in the JVM (benchmarks, tests) was seeded
   * into the first one's catalogue. Each server its own name.
   */
  private final String localAcceptor = LOCAL_ACCEPTOR + "-" + INSTANCES.incrementAndGet();
  private final Map<String, IRepository> repositories = new LinkedHashMap<>();
  private final List<IAcceptor> acceptors = new ArrayList<>();
  private boolean running;
  private final UserAdmin users = new UserAdmin(this);
  /** Read by the TLS gate's threads without the server's lock (stop() holds it while the gate closes). */
  private final Set<String> hostedSites = ConcurrentHashMap.newKeySet();
  private CentralSecurity security;
  private SessionGate sessionGate;
  private Duration seedEvery;
  private int seedChunkSize = CatalogueSeedMaker.DEFAULT_CHUNK_SIZE;
  private CatalogueSeedMaker seeds;
  private SiteBoard board;

  public CentralServer(ServerConfig config, IManagedContainer container) {
    this.config = config;
    this.container = container;
  }

  /** The one writer of every site's staff list (one instance, so that two consoles never interleave changes). */
  public UserAdmin users() {
    return users;
  }

  public ServerConfig config() {
    return config;
  }

  public IManagedContainer container() {
    return container;
  }

  /**
   * Keep a catalogue seed for new pharmacies (docs/offline.md, "First sync and seeds"): made after start and then
   * every {@code every}; zero: only on {@code apotheca catalogue-seed refresh} ({@link CatalogueSeedMaker#refresh()}).
   * Call before {@link #start()}. Off unless called (the server application turns it on, {@code seed.refresh.minutes}).
   */
  public synchronized CentralServer withCatalogueSeeds(Duration every, int chunkSize) {
    this.seedEvery = every;
    this.seedChunkSize = chunkSize;
    return this;
  }

  /** The catalogue seeds; null when this server makes none. */
  public synchronized CatalogueSeedMaker catalogueSeeds() {
    return seeds;
  }

  /** Beside the data directory, like the security directory: central's clone of its catalogue and the seeds. */
  public static Path seedDir(ServerConfig config) {
    Path abs = config.dataDir().toAbsolutePath().normalize();
    return abs.resolveSibling(abs.getFileName() + "-seed");
  }

  /**
   * Opens the repositories and starts serving.
   *
   * @throws org.apotheca.core.store.ModelSchemaMismatch the data directory was written with another model schema;
   *     nothing was opened or changed
   */
  public synchronized CentralServer start() {
    if (running) {
      return this;
    }
    // before anything opens or writes the data: a refusal leaves it exactly as it was
    ModelSchemaGuard.installed().check(config.dataDir());
    try {
      Files.createDirectories(config.dataDir());
      board = new SiteBoard(config.dataDir(), SiteBoard.configuredHeartbeat(), Clock.systemUTC());
      if (!config.plainTcp()) {
        security = new CentralSecurity(config.securityDir(), hostedSites::contains, Clock.systemUTC());
        security.onSiteReports(board);
      }
      sessionGate = new SessionGate(security == null ? null : security::identityOf, config.plainTcp());
      Net4jWiring.prepareClient(container);
      CDONet4jServerUtil.prepareContainer(container);
      addRepository(Repositories.CATALOGUE);
      for (String site : siteIdsToOpen()) {
        addRepository(Repositories.siteRepository(site));
      }
      acceptors.add(JVMUtil.getAcceptor(container, localAcceptor));
      prepareCatalogue();
      if (config.demoUsers()) {
        // before the TCP acceptor opens, like the sample catalogue: no node sees a half-written staff list
        List<String> seeded = users.seedDemoUsers();
        if (!seeded.isEmpty()) {
          LOG.info(() -> "Demo users (docs/users.md) given to sites " + seeded);
        }
      }
      if (security == null) {
        acceptors.add(TCPUtil.getAcceptor(container, config.endpoint().net4jDescription()));
        LOG.warning("DEVELOPMENT MODE (dev.plain.tcp=true): plain Net4j TCP on " + config.endpoint()
            + ", no certificates, every connection may open every repository. Never on a network others can reach.");
      } else {
        // Net4j listens on loopback only; the TLS gate is the only way in from outside this machine
        int loopback = AuthorityGatekeeper.freeLoopbackPort();
        acceptors.add(TCPUtil.getAcceptor(container, "127.0.0.1:" + loopback));
        board.watch(security.openGate(config.endpoint(), loopback));
      }
      running = true;
      if (seedEvery != null) {
        seeds = new CatalogueSeedMaker(seedDir(config), localAcceptor, seedChunkSize, seedEvery).start();
        if (security != null) {
          security.serveSeeds(seeds::reply);
        }
      }
      LOG.info(() -> "Apotheca central server listening on " + config.endpoint() + (security == null ? " (plain TCP)" : " (TLS 1.3)")
          + " with repositories " + repositories.keySet());
      return this;
    } catch (RuntimeException | IOException | CommitException e) {
      stop();
      throw new IllegalStateException("Central server did not start: " + CdoClient.rootMessage(e), e);
    }
  }

  private void addRepository(String name) {
    IRepository repository = DerbyRepositoryFactory.create(name, config.dataDir().resolve(name), ApothecaModel.packages());
    sessionGate.install(repository);
    CDOServerUtil.addRepository(container, repository);
    repositories.put(name, repository);
    if (name.startsWith(Repositories.SITE_REPOSITORY_PREFIX)) {
      hostedSites.add(name.substring(Repositories.SITE_REPOSITORY_PREFIX.length()));
    }
    DerbyStores.prepareActive(name, config.dataDir().resolve(name));
  }

  /** The configured sites plus every site whose database is already on disk (added at run time earlier). */
  private List<String> siteIdsToOpen() throws IOException {
    TreeSet<String> sites = new TreeSet<>(config.sites());
    try (Stream<Path> dirs = Files.list(config.dataDir())) {
      dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
          .filter(n -> n.startsWith(Repositories.SITE_REPOSITORY_PREFIX))
          .map(n -> n.substring(Repositories.SITE_REPOSITORY_PREFIX.length())).forEach(sites::add);
    }
    return new ArrayList<>(sites);
  }

  /**
   * Opens a repository for a new pharmacy site (and its directory entry) while the server runs; it is
   * reopened on later starts because its database is on disk.
   *
   * @return false if the site existed already
   */
  public synchronized boolean addSite(String siteId) throws CommitException {
    String name = Repositories.siteRepository(siteId);
    if (!running) {
      throw new IllegalStateException("the server is not running");
    }
    if (repositories.containsKey(name)) {
      return false;
    }
    addRepository(name);
    CDONet4jSession session = openLocalSession(Repositories.CATALOGUE);
    try {
      SampleCatalogue.ensureSites(session, List.of(siteId));
    } finally {
      session.close();
    }
    return true;
  }

  /** Site ids with a repository on this server, sorted. */
  public synchronized List<String> siteIds() {
    List<String> ids = new ArrayList<>();
    for (String name : repositories.keySet()) {
      if (name.startsWith(Repositories.SITE_REPOSITORY_PREFIX)) {
        ids.add(name.substring(Repositories.SITE_REPOSITORY_PREFIX.length()));
      }
    }
    ids.sort(null);
    return ids;
  }

  /**
   * Directory entries for the configured sites and, when asked for and the catalogue is empty, the sample
   * catalogue: done before the TCP acceptor opens so that no client ever sees a half-seeded catalogue.
   */
  private void prepareCatalogue() throws CommitException {
    CDONet4jSession session = openLocalSession(Repositories.CATALOGUE);
    try {
      SampleCatalogue.ensureSites(session, siteIds());
      if (config.sampleProducts() > 0 && !SampleCatalogue.hasProducts(session)) {
        long t0 = System.nanoTime();
        SampleCatalogue.seed(session, config.sampleProducts(), n -> LOG.fine(() -> "seeded " + n + " products"));
        LOG.info(() -> "Seeded a sample catalogue of " + config.sampleProducts() + " products in "
            + (System.nanoTime() - t0) / 1_000_000 + " ms");
      }
    } finally {
      session.close();
    }
  }

  /** A CDO session on one of this server's repositories through the in-JVM acceptor (console, seeding). */
  public CDONet4jSession openLocalSession(String repository) {
    return CdoClient.open(JVMUtil.getConnector(container, localAcceptor), repository, "this server", ApothecaModel.packages());
  }

  /** Every pharmacy's state as central knows it (docs/server.md, "Site board"); null while stopped. */
  public synchronized SiteBoard board() {
    return board;
  }

  /** Central's certificate authority and TLS gate; null with the development flag {@code dev.plain.tcp}. */
  public synchronized CentralSecurity security() {
    return security;
  }

  public synchronized boolean isRunning() {
    return running;
  }

  public synchronized Map<String, IRepository> repositories() {
    return Map.copyOf(repositories);
  }

  /** Stops accepting, closes every repository and shuts each Derby database down cleanly. Idempotent. */
  public synchronized void stop() {
    if (seeds != null) {
      seeds.close(); // before the repositories: its clone replicates from the catalogue
      seeds = null;
    }
    if (security != null) {
      security.close(); // first: no new link while the repositories close
      security = null;
    }
    for (IAcceptor acceptor : acceptors) {
      LifecycleUtil.deactivate(acceptor);
      // NIO defers closing a registered server socket until its selector wakes up: until then the kernel
      // keeps accepting connections that nobody answers (clients hang 10 s instead of being refused).
      if (acceptor instanceof ITCPAcceptor tcp && tcp.getSelector() instanceof TCPSelector selector
          && selector.getSocketSelector() != null) {
        selector.getSocketSelector().wakeup();
      }
    }
    acceptors.clear();
    if (board != null) {
      board.close(); // after the gate: the last links' closes are on it
      board = null;
    }
    for (IRepository repository : repositories.values()) {
      LifecycleUtil.deactivate(repository);
    }
    for (String name : repositories.keySet()) {
      try {
        DerbyDatabase.shutdown(config.dataDir().resolve(name));
      } catch (RuntimeException e) {
        // keep closing the others; Derby recovers this one from its log on the next start
        LOG.warning(() -> "Derby database of repository " + name + " did not shut down cleanly: " + CdoClient.rootMessage(e));
      }
    }
    repositories.clear();
    hostedSites.clear();
    if (running) {
      LOG.info("Apotheca central server stopped");
    }
    running = false;
  }

  @Override
  public void close() {
    stop();
  }
}
