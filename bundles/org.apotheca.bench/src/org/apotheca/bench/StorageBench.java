package org.apotheca.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apotheca.core.ApothecaModel;
import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueIndex;
import org.apotheca.core.ledger.SiteLedger;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.net.CdoLogNoise;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.net.Net4jWiring;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.core.store.DerbyStores;
import org.apotheca.model.ownership.Ownership;
import org.apotheca.net4j.db.derby.BootKey;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.ReplicatorSessions;
import org.eclipse.emf.cdo.common.CDOCommonRepository;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.server.CDOServerUtil;
import org.eclipse.emf.cdo.server.IRepositorySynchronizer;
import org.eclipse.emf.cdo.server.ISynchronizableRepository;
import org.eclipse.emf.cdo.server.db.IDBStore;
import org.eclipse.emf.cdo.server.net4j.CDONet4jServerUtil;
import org.eclipse.emf.cdo.spi.server.InternalRepository;
import org.eclipse.emf.cdo.transaction.CDOCommitContext;
import org.eclipse.emf.cdo.transaction.CDODefaultTransactionHandler2;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.net4j.jvm.JVMUtil;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * {@code ./apotheca bench storage}: what a pharmacy node's offline sale commit costs on Derby, side by side in one
 * run: (a) the floor, a plain JDBC commit of exactly the rows a CDO offline sale commit writes; (b) the sale through
 * CDO on an unencrypted clone; (c) the same on an encrypted clone (docs/security.md). Targets: (b) ≤ 3× (a), (c) ≤
 * (b) + 20 %.
 * <p>
 * The rows of the floor are read off a real offline sale: a capture node commits offline sales while Derby logs
 * every statement with its parameters ({@code derby.language.logStatementText}); the statements of its last sale
 * commit are replayed with fresh object ids and commit times, one JDBC transaction per sale, prepared once (as CDO
 * keeps its prepared statements), on a copy of that node's site database (same schema, indexes and data).
 * <p>
 * The pharmacy node always encrypts its clones, so (b) and (c) run on a bench node built from the same parts
 * (DerbyStores, CDO offline clones, ReplicatorSessions, SiteLedger as NodeBook opens it) with and without the key;
 * the production {@link PharmacyNode} (encrypted) runs beside them as a check that the bench node is the node. For
 * (b) and (c) the CDO commit alone ({@code tx.commit()}, seen through a transaction handler) is reported besides the
 * whole sale: the ledger's work around the commit (the receipt reads the day's journals) is not storage. The series
 * are interleaved in rounds so that the shared VM's noise falls on all of them alike. docs/benchmarks.md has figures.
 */
public final class StorageBench {

  private static final String CAPTURE = "0001";
  private static final String CLEAR = "0002";
  private static final String ENCRYPTED = "0003";
  private static final String REAL = "0004";
  private static final int STOCKED_PRODUCTS = 10;
  private static final String ALGORITHM = "AES/CBC/NoPadding";
  /** Per product and node; the ledger takes at most 9,999 at once. Ten products: ~90,000 sales. */
  private static final int STOCK = 9_000;

  private StorageBench() {
  }

  public static void main(String[] args) throws Exception {
    int products = SyncBench.intArg(args, "--products", 1_000);
    int sales = SyncBench.intArg(args, "--sales", 400);
    int warmup = SyncBench.intArg(args, "--warmup", 60);
    int rounds = SyncBench.intArg(args, "--rounds", 10);
    // e.g. "--series cdo" to profile one of them alone; the ratios need floor, cdo and cdo-enc
    Set<String> only = Set.of(stringArg(args, "--series", "floor,floor-enc,cdo,cdo-enc,node").split(","));
    Path dir = Files.createTempDirectory("apotheca-bench-storage");
    Path derbyLog = Path.of(System.getProperty("derby.stream.error.file", "derby.log")).toAbsolutePath();
    System.out.printf("bench storage: products=%d sales=%d (after %d warm-up) per series in %d rounds, dir=%s java=%s cores=%d%n",
        products, sales, warmup, rounds, dir, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    CdoLogNoise.install();

    ServerConfig cfg = ServerConfig.defaults(dir.resolve("central")).withEndpoint(new Endpoint("127.0.0.1", SyncBench.freePort()))
        .withSites(List.of(CAPTURE, CLEAR, ENCRYPTED, REAL)).withSampleProducts(products)
        // the figures are of the offline commit (central is stopped before they are taken): the link's TLS is no part of them
        .withPlainTcp(true);
    IManagedContainer centralContainer = ContainerUtil.createContainer();
    centralContainer.activate();
    CentralServer central = new CentralServer(cfg, centralContainer).start();

    // the capture node's connections log their statements; the others' do not (Derby reads it per connection)
    long logStart = Files.exists(derbyLog) ? Files.size(derbyLog) : 0;
    System.setProperty("derby.language.logStatementText", "true");
    BenchNode capture = new BenchNode(CAPTURE, dir.resolve("capture"), cfg.endpoint(), null);
    capture.ready();
    System.setProperty("derby.language.logStatementText", "false");

    BootKey key = randomKey();
    BenchNode clear = new BenchNode(CLEAR, dir.resolve("clear"), cfg.endpoint(), null);
    BenchNode encrypted = new BenchNode(ENCRYPTED, dir.resolve("encrypted"), cfg.endpoint(), key);
    PharmacyNode real = new PharmacyNode(NodeConfig.of(REAL, dir.resolve("real"), cfg.endpoint(),
        new Endpoint("127.0.0.1", SyncBench.freePort())).withPlainTcp(true)).start();
    clear.ready();
    encrypted.ready();
    if (!real.awaitReady(300_000)) {
      throw new IllegalStateException("production node not ready: " + real.status().line());
    }
    int quantity = STOCK;
    for (int p = 0; p < STOCKED_PRODUCTS; p++) {
      real.receive("receiving", SampleCatalogue.barcode(p), "L" + p, LocalDate.now().plusYears(1).toString(), quantity, 10);
    }

    central.stop();
    LifecycleUtil.deactivate(centralContainer);
    await(() -> capture.offline() && clear.offline() && encrypted.offline() && real.state() == PharmacyNode.State.OFFLINE,
        60_000, "all nodes OFFLINE");

    System.setProperty("derby.language.logStatementText", "true");
    for (int i = 0; i < 20; i++) {
      capture.sell(i);
    }
    System.setProperty("derby.language.logStatementText", "false");
    Path captureSite = capture.dir.resolve(Repositories.siteRepository(CAPTURE));
    capture.close();
    List<Statement> commit = lastSaleCommit(derbyLog, logStart, captureSite);
    System.out.printf("captured the last offline sale commit of the capture node: %d statements (%s)%n", commit.size(), summary(commit));

    Path floorDb = dir.resolve("floor");
    copy(captureSite, floorDb);
    Path floorEncDb = dir.resolve("floor-encrypted");
    copy(captureSite, floorEncDb);
    String floorEncKey = HexFormat.of().formatHex(randomBytes());
    // a bench-only way in: the product never encrypts an existing database in place (DerbyDatabase refuses it)
    try (Connection c = DriverManager.getConnection("jdbc:derby:" + floorEncDb + ";dataEncryption=true;encryptionAlgorithm="
        + ALGORITHM + ";encryptionKey=" + floorEncKey)) {
      c.getMetaData();
    }
    Replay floor = new Replay(commit, DriverManager.getConnection("jdbc:derby:" + floorDb));
    Replay floorEnc = new Replay(commit, DriverManager.getConnection("jdbc:derby:" + floorEncDb + ";encryptionAlgorithm="
        + ALGORITHM + ";encryptionKey=" + floorEncKey));

    Map<String, Series> series = new LinkedHashMap<>();
    series.put("floor", new Series("(a) floor: plain JDBC commit of the same rows, unencrypted Derby", i -> floor.sale(i)));
    series.put("floor-enc", new Series("(a') the same plain JDBC commit on an encrypted copy", i -> floorEnc.sale(i)));
    series.put("cdo", new Series("(b) offline sale through CDO, unencrypted clone", clear::sell, clear::lastCommitNanos));
    series.put("cdo-enc", new Series("(c) offline sale through CDO, encrypted clone", encrypted::sell, encrypted::lastCommitNanos));
    series.put("node", new Series("(c*) the same on the production PharmacyNode (encrypted)",
        i -> real.sell("till-1", "bench", SampleCatalogue.barcode(i % STOCKED_PRODUCTS), 1)));

    series.keySet().retainAll(only);
    long logBefore = Files.size(derbyLog);
    for (Series s : series.values()) {
      for (int i = 0; i < warmup; i++) {
        s.call.run(i);
      }
    }
    int perRound = (sales + rounds - 1) / rounds;
    for (int r = 0; r < rounds; r++) {
      for (Series s : series.values()) {
        for (int i = 0; i < perRound && s.times.size() < sales; i++) {
          long t = System.nanoTime();
          s.call.run(warmup + s.times.size());
          s.times.add(System.nanoTime() - t);
          if (s.commit != null) {
            s.commits.add(s.commit.getAsLong());
          }
        }
      }
    }
    long logGrowth = Files.size(derbyLog) - logBefore;

    System.out.printf("%nper sale commit (ms), n=%d each, after %d warm-up, %d interleaved rounds:%n", sales, warmup, rounds);
    for (Series s : series.values()) {
      System.out.printf("RESULT %-62s p50 %6.2f  p95 %6.2f  p99 %6.2f  max %7.2f%n", s.name, s.pct(50), s.pct(95), s.pct(99), s.pct(100));
      if (s.commit != null) {
        System.out.printf("RESULT %-62s p50 %6.2f  p95 %6.2f  p99 %6.2f  max %7.2f%n", "    of which the CDO commit alone (tx.commit())",
            s.commitPct(50), s.commitPct(95), s.commitPct(99), s.commitPct(100));
      }
    }
    Series a = series.get("floor");
    Series b = series.get("cdo");
    Series c = series.get("cdo-enc");
    Series ae = series.get("floor-enc");
    System.out.println();
    for (int p : a == null || b == null || c == null || ae == null ? new int[0] : new int[] { 50, 95 }) {
      ratios("sale", p, a.pct(p), b.pct(p), c.pct(p));
      ratios("commit alone", p, a.pct(p), b.commitPct(p), c.commitPct(p));
      System.out.printf("       p%d floor encrypted / floor = %+.1f %% (%+.2f ms)%n", p, (ae.pct(p) / a.pct(p) - 1) * 100, ae.pct(p) - a.pct(p));
    }
    System.out.printf("check: the floor's revision updates each hit %s row(s); derby.log grew %d bytes while timing (0 = no statement logging)%n",
        floor.updateHits(), logGrowth);

    floor.close();
    floorEnc.close();
    clear.close();
    encrypted.close();
    real.stop();
    shutdown(floorDb);
    shutdown(floorEncDb);
    System.exit(0);
  }

  /** @param commit the last call's CDO commit alone (ns), or null where the bench cannot see it */
  private record Series(String name, IntCall call, LongSupplier commit, List<Long> times, List<Long> commits) {
    Series(String name, IntCall call, LongSupplier commit) {
      this(name, call, commit, new ArrayList<>(), new ArrayList<>());
    }

    Series(String name, IntCall call) {
      this(name, call, null);
    }

    double pct(int p) {
      return SyncBench.pct(times.stream().mapToLong(Long::longValue).toArray(), p);
    }

    double commitPct(int p) {
      return SyncBench.pct(commits.stream().mapToLong(Long::longValue).toArray(), p);
    }
  }

  private interface IntCall {
    void run(int i) throws Exception;
  }

  /**
   * A node as {@link PharmacyNode} builds one, without its merge agent: offline clones of the catalogue and of its
   * site on Derby (encrypted when given a key), and the SiteLedger NodeBook opens on them.
   */
  private static final class BenchNode implements AutoCloseable {
    final String site;
    final Path dir;
    final IManagedContainer container = ContainerUtil.createContainer();
    final List<ISynchronizableRepository> clones = new ArrayList<>();
    final List<IRepositorySynchronizer> synchronizers = new ArrayList<>();
    CDONet4jSession catalogueSession;
    CDONet4jSession siteSession;
    SiteLedger ledger;
    /** The last sale's CDO commit alone: from the transaction's start of commit to its end (client, server, Derby). */
    volatile long lastCommit;

    BenchNode(String site, Path dir, Endpoint central, BootKey key) {
      this.site = site;
      this.dir = dir;
      Net4jWiring.prepareClient(container);
      CDONet4jServerUtil.prepareContainer(container);
      container.activate();
      for (String name : List.of(Repositories.CATALOGUE, Repositories.siteRepository(site))) {
        Path db = dir.resolve(name);
        IDBStore store = key == null ? DerbyStores.store(db) : DerbyStores.store(db, key);
        IRepositorySynchronizer sync = CDOServerUtil.createRepositorySynchronizer(
            new ReplicatorSessions(container, central::net4jDescription, name, ReplicatorSessions.Fix.ALL));
        sync.setRetryInterval(1);
        sync.setRawReplication(true);
        ISynchronizableRepository repo = CDOServerUtil.createOfflineClone(name, store, DerbyStores.repositoryProperties(name), sync);
        ((InternalRepository) repo).setInitialPackages(ApothecaModel.packages());
        CDOServerUtil.addRepository(container, repo);
        if (key == null) {
          DerbyStores.prepareActive(name, db);
        } else {
          DerbyStores.prepareActive(name, db, key);
        }
        clones.add(repo);
        synchronizers.add(sync);
      }
      JVMUtil.getAcceptor(container, acceptor());
    }

    String acceptor() {
      return "bench-node-" + site;
    }

    /** Waits for the first replication, opens the ledger and receives stock (written through to central). */
    void ready() throws InterruptedException {
      await(() -> clones.stream().allMatch(r -> r.getState() == CDOCommonRepository.State.ONLINE && r.getLastReplicatedCommitTime() > 0),
          300_000, "bench node " + site + " ONLINE");
      catalogueSession = CdoClient.open(JVMUtil.getConnector(container, acceptor()), Repositories.CATALOGUE, "bench node",
          true, ApothecaModel.packages());
      siteSession = CdoClient.open(JVMUtil.getConnector(container, acceptor()), Repositories.siteRepository(site), "bench node",
          false, ApothecaModel.packages());
      CDOTransaction tx = siteSession.openTransaction();
      tx.addTransactionHandler(new CDODefaultTransactionHandler2() {
        private long start;

        @Override
        public void committingTransaction(CDOTransaction transaction, CDOCommitContext context) {
          start = System.nanoTime();
        }

        @Override
        public void committedTransaction(CDOTransaction transaction, CDOCommitContext context) {
          lastCommit = System.nanoTime() - start;
        }
      });
      ledger = new SiteLedger(tx, new CatalogueIndex(catalogueSession.openView()), site, Clock.systemDefaultZone());
      for (int p = 0; p < STOCKED_PRODUCTS; p++) {
        ledger.receive("receiving", "receiving", ReceiveRequest.of(SampleCatalogue.barcode(p), "L" + p,
            LocalDate.now().plusYears(1).toString(), STOCK, 10, null));
      }
    }

    long lastCommitNanos() {
      return lastCommit;
    }

    boolean offline() {
      return clones.stream().allMatch(r -> r.getState() == CDOCommonRepository.State.OFFLINE);
    }

    void sell(int i) {
      ledger.sellOne("till-1", "bench", SampleCatalogue.barcode(i % STOCKED_PRODUCTS), null, 1, Ownership.newId());
    }

    @Override
    public void close() {
      for (CDONet4jSession s : new CDONet4jSession[] { siteSession, catalogueSession }) {
        if (s != null) {
          s.close();
        }
      }
      for (int i = clones.size() - 1; i >= 0; i--) {
        LifecycleUtil.deactivate(clones.get(i));
        LifecycleUtil.deactivate(synchronizers.get(i));
        DerbyDatabase.shutdown(dir.resolve(clones.get(i).getName()));
      }
      LifecycleUtil.deactivate(container);
    }
  }

  /** One statement as Derby logged it: its SQL and its parameters as text ("NULL"/"null": SQL NULL). */
  private record Statement(String sql, List<String> params) {
    boolean isInsert() {
      return sql.regionMatches(true, 0, "INSERT", 0, 6);
    }
  }

  private static final Pattern LOGGED = Pattern.compile(
      "\\(XID = (\\d+)\\).*?\\(DATABASE = (.*?)\\), \\(DRDAID = [^)]*\\), Executing prepared statement: (.*?) :End prepared statement(.*)$");
  private static final Pattern PARAM = Pattern.compile("begin parameter #\\d+: (.*?) :end parameter");

  /** The INSERT/UPDATE/DELETE statements of the last transaction on {@code db} that wrote a commit info. */
  static List<Statement> lastSaleCommit(Path derbyLog, long from, Path db) throws IOException {
    Map<String, List<Statement>> byXid = new LinkedHashMap<>();
    String dbName = db.toAbsolutePath().normalize().toString();
    try (RandomAccessFile f = new RandomAccessFile(derbyLog.toFile(), "r")) {
      f.seek(from);
      byte[] rest = new byte[(int) (f.length() - from)];
      f.readFully(rest);
      for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
        Matcher m = LOGGED.matcher(line);
        if (!m.find() || !m.group(2).equals(dbName)) {
          continue;
        }
        String sql = m.group(3).strip();
        String verb = sql.substring(0, Math.min(6, sql.length())).toUpperCase(Locale.ROOT);
        if (!verb.equals("INSERT") && !verb.equals("UPDATE") && !verb.equals("DELETE")) {
          continue;
        }
        List<String> params = new ArrayList<>();
        Matcher p = PARAM.matcher(m.group(4));
        while (p.find()) {
          params.add(p.group(1));
        }
        byXid.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(new Statement(sql, params));
      }
    }
    List<Statement> last = null;
    for (List<Statement> tx : byXid.values()) {
      if (tx.stream().anyMatch(s -> s.sql().toLowerCase(Locale.ROOT).startsWith("insert into cdo_commit_infos"))
          && tx.stream().anyMatch(s -> s.sql().toUpperCase(Locale.ROOT).startsWith("INSERT INTO SALE("))) {
        last = tx;
      }
    }
    if (last == null) {
      throw new IllegalStateException("no sale commit of " + dbName + " in " + derbyLog + " (is derby.language.logStatementText honoured?)");
    }
    return last;
  }

  private static String summary(List<Statement> commit) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Statement s : commit) {
      String[] w = s.sql().split("[ (]+");
      counts.merge(w[0].toUpperCase(Locale.ROOT) + " " + (w[0].equalsIgnoreCase("UPDATE") ? w[1] : w[2]), 1, Integer::sum);
    }
    return counts.toString();
  }

  /**
   * Replays one captured sale commit per call with fresh values where the database wants them unique: the ids of
   * the objects the commit wrote (new objects and new versions of changed ones) and its commit time. Inserts use this
   * sale's ids; revision updates point at the previous sale's rows (the current versions), as CDO's do.
   */
  private static final class Replay implements AutoCloseable {
    private final List<Statement> commit;
    private final Connection connection;
    private final List<PreparedStatement> prepared = new ArrayList<>();
    private final List<int[]> types = new ArrayList<>();
    private final Set<String> ids = new LinkedHashSet<>();
    private final long commitTime;
    private final Set<Integer> updateHits = new java.util.TreeSet<>();
    private Map<String, String> previous = new HashMap<>();
    private long previousTime;

    Replay(List<Statement> commit, Connection connection) throws SQLException {
      this.commit = commit;
      this.connection = connection;
      connection.setAutoCommit(false);
      long time = -1;
      for (Statement s : commit) {
        if (s.sql().toLowerCase(Locale.ROOT).startsWith("insert into cdo_commit_infos")) {
          time = Long.parseLong(s.params().get(0));
        } else if (s.isInsert() && s.sql().toUpperCase(Locale.ROOT).contains("(CDO_ID, CDO_VERSION")) {
          ids.add(s.params().get(0));
        }
        PreparedStatement ps = connection.prepareStatement(s.sql());
        ParameterMetaData md = ps.getParameterMetaData();
        int[] t = new int[md.getParameterCount()];
        for (int i = 0; i < t.length; i++) {
          t[i] = md.getParameterType(i + 1);
        }
        prepared.add(ps);
        types.add(t);
      }
      this.commitTime = time;
      this.previousTime = time;
    }

    void sale(int n) throws SQLException {
      Map<String, String> current = new HashMap<>();
      for (String id : ids) {
        current.put(id, freshId(id));
      }
      long time = commitTime + 1 + n;
      for (int s = 0; s < commit.size(); s++) {
        Statement st = commit.get(s);
        PreparedStatement ps = prepared.get(s);
        Map<String, String> idMap = st.isInsert() ? current : previous;
        boolean commitInfo = st.sql().toLowerCase(Locale.ROOT).startsWith("insert into cdo_commit_infos");
        for (int i = 0; i < st.params().size(); i++) {
          String v = st.params().get(i);
          if (commitInfo && i == 1) {
            v = Long.toString(previousTime);
          } else if (ids.contains(v)) {
            v = idMap.getOrDefault(v, v);
          } else if (v.equals(Long.toString(commitTime))) {
            v = Long.toString(time);
          } else if (v.equals(Long.toString(commitTime - 1))) {
            v = Long.toString(time - 1);
          }
          bind(ps, i + 1, types.get(s)[i], v);
        }
        int count = ps.executeUpdate();
        if (!st.isInsert()) {
          updateHits.add(count);
        }
      }
      connection.commit();
      previous = current;
      previousTime = time;
    }

    String updateHits() {
      return updateHits.toString();
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Same length and alphabet as CDO's string form of a UUID id ("@_" + 22 base64url characters). */
    private static String freshId(String like) {
      byte[] b = new byte[16];
      RANDOM.nextBytes(b);
      String s = like.substring(0, 2) + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      return s.length() >= like.length() ? s.substring(0, like.length()) : s;
    }

    private static void bind(PreparedStatement ps, int i, int type, String v) throws SQLException {
      boolean isNull = v.equals("NULL") || (v.equals("null") && type != Types.VARCHAR && type != Types.CHAR
          && type != Types.LONGVARCHAR && type != Types.CLOB);
      if (isNull) {
        ps.setNull(i, type);
        return;
      }
      switch (type) {
      case Types.BIGINT -> ps.setLong(i, Long.parseLong(v));
      case Types.INTEGER, Types.SMALLINT, Types.TINYINT -> ps.setInt(i, Integer.parseInt(v));
      case Types.BOOLEAN, Types.BIT -> ps.setBoolean(i, Boolean.parseBoolean(v));
      case Types.DOUBLE, Types.FLOAT, Types.REAL -> ps.setDouble(i, Double.parseDouble(v));
      case Types.DECIMAL, Types.NUMERIC -> ps.setBigDecimal(i, new java.math.BigDecimal(v));
      default -> ps.setString(i, v);
      }
    }

    @Override
    public void close() throws SQLException {
      for (PreparedStatement ps : prepared) {
        ps.close();
      }
      connection.close();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else if (!f.getFileName().toString().endsWith(".lck")) {
          Files.copy(f, target);
        }
      }
    }
  }

  private static void shutdown(Path db) {
    try {
      DriverManager.getConnection("jdbc:derby:" + db + ";shutdown=true").close();
    } catch (SQLException expected) {
      // 08006: shut down
    }
  }

  private static void ratios(String what, int p, double floor, double cdo, double cdoEncrypted) {
    double cdoRatio = cdo / floor;
    double encRatio = cdoEncrypted / cdo;
    System.out.printf("RESULT p%d %s: CDO / floor = %.2fx [target <= 3x: %s]; CDO encrypted / unencrypted = %+.1f %% (%+.2f ms)"
        + " [target <= +20 %%: %s]%n", p, what, cdoRatio, cdoRatio <= 3 ? "met" : "NOT met", (encRatio - 1) * 100,
        cdoEncrypted - cdo, encRatio <= 1.2 ? "met" : "NOT met");
  }

  private static String stringArg(String[] args, String name, String def) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return def;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[BootKey.LENGTH];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static BootKey randomKey() {
    return BootKey.of(randomBytes());
  }

  private static void await(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }
}
