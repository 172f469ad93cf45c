package org.apotheca.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./apotheca bench central}: how many pharmacies one central server holds on this machine. Central runs in a
 * process of its own ({@link CentralBenchServer}: the product's server, TLS 1.3, Derby); the pharmacy nodes run
 * several to a process ({@link CentralBenchNodes}: the product's node, two encrypted Derby clones each, TLS links).
 * The run ramps the number of pharmacies (by default 10, 50, 100, 150, 200; two clones each) while every node sells one
 * pack every few seconds and central changes a price every few seconds, and measures each step over a fixed window:
 * errors, sale commits per second at central, online-sale lag to central, price-change lag until every node has it,
 * central's heap and threads per site, CPU. It stops at the first step that breaks (a node that does not start, failed
 * sales, lag beyond its target) or saturates the machine, and says why. At the end the nodes stop selling and the
 * sales central holds are compared with the sales the nodes recorded.
 * <p>
 * Times across processes are {@code System.nanoTime()}: CLOCK_MONOTONIC on Linux, one clock for every process on the
 * machine. The databases are deleted after a run that finished; {@code --keep} keeps them (their directory is printed).
 */
public final class CentralBench {

  private CentralBench() {
  }

  /** One child process and its line protocol ({@link BenchChild}). */
  static final class Child implements AutoCloseable {
    final String name;
    final Process process;
    private final BufferedWriter in;
    private final LinkedBlockingQueue<String> out = new LinkedBlockingQueue<>();

    Child(String name, String mainClass, String heap, Path log, Path derbyLog, List<String> args) throws IOException {
      this.name = name;
      List<String> cmd = new ArrayList<>();
      cmd.add(ProcessHandle.current().info().command().orElse("java"));
      cmd.add(heap);
      cmd.add("-XX:+UseParallelGC"); // the 2-core machine's default would be Serial; G1 threads per JVM are not wanted either
      cmd.add("-Dderby.stream.error.file=" + derbyLog);
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(mainClass);
      cmd.addAll(args);
      process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
      Thread pump = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String l; (l = r.readLine()) != null;) {
            if (l.startsWith("@")) {
              out.add(l.substring(1));
            }
          }
        } catch (IOException e) {
          // the process ended
        }
        out.add("error " + name + " ended (exit " + waitExit() + "), see " + log);
      }, "bench-" + name);
      pump.setDaemon(true);
      pump.start();
    }

    private String waitExit() {
      try {
        return process.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "?";
      } catch (InterruptedException e) {
        return "?";
      }
    }

    void send(String command) throws IOException {
      in.write(command);
      in.newLine();
      in.flush();
    }

    /** The reply lines up to {@code done}; throws on {@code error} or after the timeout. */
    List<String> await(long timeoutMs) throws InterruptedException {
      List<String> lines = new ArrayList<>();
      long end = System.currentTimeMillis() + timeoutMs;
      while (true) {
        String l = out.poll(Math.max(1, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        if (l == null) {
          throw new IllegalStateException(name + ": no answer within " + timeoutMs / 1000 + " s");
        }
        if (l.equals("done")) {
          return lines;
        }
        if (l.startsWith("error ")) {
          throw new IllegalStateException(name + ": " + l.substring(6));
        }
        lines.add(l);
      }
    }

    List<String> call(String command, long timeoutMs) throws IOException, InterruptedException {
      send(command);
      return await(timeoutMs);
    }

    /** CPU time of the process so far (utime + stime), in seconds. */
    double cpuSeconds() {
      try {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // USER_HZ
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }

    @Override
    public void close() {
      try {
        if (process.isAlive()) {
          send("quit");
          if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroy();
          }
        }
      } catch (IOException | InterruptedException e) {
        process.destroy();
      }
    }
  }

  record Stats(long heap, int threads, long rssKb, Map<String, Integer> threadKinds) {
    static Stats parse(List<String> lines) {
      long heap = 0;
      int threads = 0;
      long rss = 0;
      Map<String, Integer> kinds = new LinkedHashMap<>();
      for (String l : lines) {
        if (l.startsWith("stats ")) {
          Map<String, String> kv = kv(l);
          heap = Long.parseLong(kv.get("heap"));
          threads = Integer.parseInt(kv.get("threads"));
          rss = Long.parseLong(kv.get("rssKb"));
        } else if (l.startsWith("threads ")) {
          String[] w = l.split(" ", 3);
          kinds.put(w[2], Integer.parseInt(w[1]));
        }
      }
      return new Stats(heap, threads, rss, kinds);
    }
  }

  static Map<String, String> kv(String line) {
    Map<String, String> m = new HashMap<>();
    for (String w : line.split(" ")) {
      int eq = w.indexOf('=');
      if (eq > 0) {
        m.put(w.substring(0, eq), w.substring(eq + 1));
      }
    }
    return m;
  }

  public static void main(String[] args) {
    try {
      run(args);
      System.exit(0);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    List<Integer> steps = new ArrayList<>();
    for (String s : stringArg(args, "--steps", "10,50,100,150,200").split(",")) {
      steps.add(Integer.parseInt(s.trim()));
    }
    int perJvm = SyncBench.intArg(args, "--nodes-per-jvm", 25);
    int products = SyncBench.intArg(args, "--products", 1_000);
    int saleEvery = SyncBench.intArg(args, "--sale-every-ms", 5_000);
    int priceEvery = SyncBench.intArg(args, "--price-every-ms", 3_000);
    int seconds = SyncBench.intArg(args, "--seconds", 60);
    int stopAfterMinutes = SyncBench.intArg(args, "--stop-after-minutes", 240);
    boolean keep = List.of(args).contains("--keep");
    String nodeHeap = "-Xmx" + stringArg(args, "--node-heap", "2500m");
    String centralHeap = "-Xmx" + stringArg(args, "--central-heap", "4g");
    Path dir = Files.createTempDirectory("apotheca-bench-central");
    System.out.printf("bench central: steps=%s nodes/JVM=%d products=%d sale every %d ms per node, price change every %d ms, "
        + "window %d s; central %s, node JVMs %s; dir=%s java=%s cores=%d memory=%s%n", steps, perJvm, products, saleEvery,
        priceEvery, seconds, centralHeap, nodeHeap, dir, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), meminfo("MemTotal"));
    Path nodesDir = dir.resolve("nodes");
    Files.createDirectories(nodesDir);
    int port = SyncBench.freePort();
    long t0 = System.nanoTime();
    List<Child> jvms = new ArrayList<>();
    Map<Child, List<String>> sitesOf = new LinkedHashMap<>();
    List<String> sites = new ArrayList<>();
    List<String> summary = new ArrayList<>();
    String stoppedBecause = null;
    try (Child central = new Child("central", CentralBenchServer.class.getName(), centralHeap, dir.resolve("central.log"),
        dir.resolve("derby-central.log"), List.of(dir.resolve("central").toString(), String.valueOf(port), String.valueOf(products)))) {
      central.await(600_000);
      System.out.printf("central started with %d products in %.1f s (pid %d)%n", products, secs(t0), central.process.pid());
      Stats base = Stats.parse(central.call("stats", 120_000));
      System.out.printf("central, no pharmacies: heap used %.1f MB after GC, %d threads, RSS %.0f MB%n", base.heap() / 1e6,
          base.threads(), base.rssKb() / 1e3);
      try {
        for (int step : steps) {
          if (step <= sites.size()) {
            continue;
          }
          if (secs(t0) > stopAfterMinutes * 60.0) {
            stoppedBecause = String.format("after N=%d: no further step begun after %d minutes (--stop-after-minutes)", sites.size(),
                stopAfterMinutes);
            break;
          }
          List<String> added = new ArrayList<>();
          for (int i = sites.size() + 1; i <= step; i++) {
            added.add(String.format("%04d", i));
          }
          long a0 = System.nanoTime();
          Map<String, String> addTimes = kv(central.call("addsites " + nodesDir + " " + String.join(" ", added), 3_600_000).get(0));
          double addSecs = secs(a0);
          Stats repos = Stats.parse(central.call("stats", 120_000));
          sites.addAll(added);
          // fill the node processes in order, a new one when the last is full
          Map<Child, List<String>> startOn = new LinkedHashMap<>();
          for (String site : added) {
            Child c = jvms.isEmpty() ? null : jvms.get(jvms.size() - 1);
            if (c == null || sitesOf.get(c).size() >= perJvm) {
              int k = jvms.size() + 1;
              c = new Child("nodes-" + k, CentralBenchNodes.class.getName(), nodeHeap, dir.resolve("nodes-" + k + ".log"),
                  dir.resolve("derby-nodes-" + k + ".log"), List.of(nodesDir.toString(), String.valueOf(port)));
              c.await(120_000);
              jvms.add(c);
              sitesOf.put(c, new ArrayList<>());
            }
            sitesOf.get(c).add(site);
            startOn.computeIfAbsent(c, x -> new ArrayList<>()).add(site);
          }
          long s0 = System.nanoTime();
          for (Map.Entry<Child, List<String>> e : startOn.entrySet()) {
            e.getKey().send("start " + String.join(" ", e.getValue()));
          }
          int startFailed = 0;
          List<String> startFailures = new ArrayList<>();
          for (Child c : startOn.keySet()) {
            for (String l : c.await(30 * 60_000)) {
              if (l.startsWith("startfail ")) {
                startFailures.add(l.substring(10));
              } else if (l.startsWith("started ")) {
                startFailed += Integer.parseInt(kv(l).get("failed"));
              }
            }
          }
          double startSecs = secs(s0);
          System.out.printf("%nN=%d pharmacies (%d clones) in %d node processes: %d sites added at central in %.1f s (repository and "
              + "directory entry %.2f s per site, enrollment %.3f s per site); "
              + "%d nodes started, first sync done and stock received in %.1f s, %d failed%n", sites.size(), 2 * sites.size(),
              jvms.size(), added.size(), addSecs, Long.parseLong(addTimes.get("repositoryMs")) / 1e3 / added.size(),
              Long.parseLong(addTimes.get("enrollMs")) / 1e3 / added.size(), added.size() - startFailed, startSecs, startFailed);
          startFailures.stream().limit(5).forEach(f -> System.out.println("  start failure: " + f));
          for (Child c : jvms) {
            c.call("sell " + saleEvery, 60_000);
          }
          Thread.sleep(Math.min(10_000, 2L * saleEvery)); // every node has sold at least once before the window
          Step.evaluate(0, List.of(), central.call("commits", 120_000), List.of(), 0, 0); // keeps them for the lags
          for (Child c : jvms) {
            c.call("mark", 60_000);
          }
          double cpu0 = cpu(central, jvms);
          double cpuCentral0 = central.cpuSeconds();
          long[] machine0 = machineCpu();
          long w0 = System.nanoTime();
          central.call("prices " + priceEvery, 60_000);
          Thread.sleep(seconds * 1000L);
          List<String> changeLines = central.call("pricesstop", 120_000);
          long w1 = System.nanoTime();
          Thread.sleep(3_000); // the last change's way to the nodes
          double cpu = cpu(central, jvms) - cpu0;
          double cpuCentral = central.cpuSeconds() - cpuCentral0;
          long[] machine1 = machineCpu();
          double wall = (System.nanoTime() - w0) / 1e9;
          List<String> reports = new ArrayList<>();
          for (Child c : jvms) {
            reports.addAll(c.call("report", 300_000));
          }
          List<String> commitLines = central.call("commits", 300_000);
          Stats now = Stats.parse(central.call("stats", 120_000));
          long nodeHeap0 = 0;
          int nodeThreads = 0;
          for (Child c : jvms) {
            Map<String, String> s = kv(c.call("stats", 120_000).get(0));
            nodeHeap0 += Long.parseLong(s.get("heap"));
            nodeThreads += Integer.parseInt(s.get("threads"));
          }
          Step r = Step.evaluate(sites.size(), reports, commitLines, changeLines, w0, w1);
          double machineBusy = 1.0 - (double) (machine1[1] - machine0[1]) / Math.max(1, machine1[0] - machine0[0]);
          String line = r.print(seconds, saleEvery, priceEvery) + String.format("%n  central: heap used %.1f MB after GC (%.2f MB per site "
              + "over the empty server; %.2f MB per site with the repositories open and no node connected), %d threads (%.2f per "
              + "site; %.2f per site before the nodes connected), RSS %.0f MB; CPU: central %.2f cores, all bench processes %.2f "
              + "of %d cores, machine %.0f %% busy (other sessions' work included); node processes: %.1f MB heap per node, %.1f "
              + "threads per node", now.heap() / 1e6, (now.heap() - base.heap()) / 1e6 / sites.size(), (repos.heap() - base.heap())
              / 1e6 / sites.size(), now.threads(), (double) (now.threads() - base.threads()) / sites.size(),
              (double) (repos.threads() - base.threads()) / sites.size(), now.rssKb() / 1e3, cpuCentral / wall, cpu / wall,
              Runtime.getRuntime().availableProcessors(), machineBusy * 100, nodeHeap0 / 1e6 / sites.size(),
              (double) nodeThreads / sites.size());
          System.out.println(line);
          System.out.println("  central's threads by name: " + topKinds(now.threadKinds(), 8));
          summary.add(String.format("RESULT N=%d clones=%d: start %.0f s, sale commits at central %.1f/s, online-sale lag p50 %.0f "
              + "ms p99 %.0f ms, price change to every node p50 %.0f ms p99 %.0f ms, errors %d, central %.2f MB and %.1f threads per "
              + "site, CPU %.2f of %d cores", sites.size(), 2 * sites.size(), startSecs, r.commitsPerSecond, r.lagP50, r.lagP99,
              r.allP50, r.allP99, r.errors() + startFailed, (now.heap() - base.heap()) / 1e6 / sites.size(),
              (double) (now.threads() - base.threads()) / sites.size(), cpu / wall, Runtime.getRuntime().availableProcessors()));
          List<String> why = new ArrayList<>();
          if (startFailed > 0) {
            why.add(startFailed + " nodes did not start");
          }
          why.addAll(r.broken());
          if (cpu / wall > 0.9 * Runtime.getRuntime().availableProcessors()) {
            why.add(String.format("the machine is saturated: the bench processes used %.2f of %d cores", cpu / wall,
                Runtime.getRuntime().availableProcessors()));
          }
          long avail = meminfoKb("MemAvailable");
          if (avail > 0 && avail < 3_000_000) {
            why.add(String.format("memory: %.1f GB left available", avail / 1e6));
          }
          if (!why.isEmpty()) {
            stoppedBecause = "at N=" + sites.size() + ": " + String.join("; ", why);
            break;
          }
        }
      } finally {
        System.out.printf("%nstopping the sales; checking central against the nodes%n");
        for (Child c : jvms) {
          c.call("stopsell", 120_000);
        }
        boolean settled = true;
        for (Child c : jvms) {
          settled &= c.call("settle 300", 400_000).contains("settled yes");
        }
        Map<String, Integer> nodeSold = new HashMap<>();
        for (Child c : jvms) {
          for (String l : c.call("sold", 60_000)) {
            String[] w = l.split(" ");
            nodeSold.put(w[1], Integer.parseInt(w[2]));
          }
        }
        int atCentral = 0;
        int recorded = 0;
        List<String> mismatches = new ArrayList<>();
        if (!nodeSold.isEmpty()) {
          for (String l : central.call("count " + String.join(" ", nodeSold.keySet()), 1_800_000)) {
            String[] w = l.split(" ");
            int c = Integer.parseInt(w[2]);
            int n = nodeSold.get(w[1]);
            atCentral += c;
            recorded += n;
            if (c != n) {
              mismatches.add(w[1] + ": central " + c + ", node " + n);
            }
          }
        }
        System.out.printf("check: every node ONLINE with nothing pending: %s; central holds %d sales, the nodes recorded %d: %s%n",
            settled ? "yes" : "NO", atCentral, recorded, mismatches.isEmpty() ? "OK" : "MISMATCH " + mismatches.stream().limit(5).toList());
        long warnings = 0;
        List<String> first = new ArrayList<>();
        for (Child c : concat(central, jvms)) {
          for (String l : c.call("warnings", 60_000)) {
            if (l.startsWith("warnings ")) {
              warnings += Long.parseLong(l.substring(9));
            } else if (first.size() < 5) {
              first.add(c.name + ": " + l.substring(8));
            }
          }
        }
        System.out.printf("warnings logged over the whole run (all processes, WARNING and CDO errors): %d%n", warnings);
        first.forEach(f -> System.out.println("  " + f));
        System.out.println();
        summary.forEach(System.out::println);
        System.out.println("RESULT " + (stoppedBecause == null ? "stopped after the last step, " + sites.size() + " pharmacies, without breaking"
            : "stopped " + stoppedBecause));
        System.out.printf("RESULT largest step measured: %d pharmacies, %d clones syncing at once   [aim >= 200 clones: %s]%n", sites.size(),
            2 * sites.size(), 2 * sites.size() >= 200 ? "reached" : "NOT reached");
        if (!mismatches.isEmpty()) {
          throw new IllegalStateException("central's sales differ from the nodes' for " + mismatches.size() + " pharmacies");
        }
        for (Child c : jvms) {
          c.close();
        }
      }
    }
    if (!keep) {
      org.apotheca.core.store.FileTrees.deleteTree(dir); // 100 pharmacies leave ~3 GB of Derby databases behind
    }
  }

  /** Every sale commit central reported, "site receipt" to when. */
  static final Map<String, Long> COMMITTED = new HashMap<>();

  /** One step's window, computed from the processes' raw lines. */
  static final class Step {
    int pharmacies;
    int salesOnline;
    int salesOffline;
    long failed;
    List<String> failures = new ArrayList<>();
    int unmatched;
    double commitsPerSecond;
    double lagP50;
    double lagP99;
    double tillP50;
    double tillP99;
    double nodeP50;
    double nodeP99;
    double allP50;
    double allP99;
    int changes;
    int missed;
    int notOnline;
    long replicationErrors;
    List<String> nodeProblems = new ArrayList<>();

    long errors() {
      return failed + missed + replicationErrors + notOnline;
    }

    static Step evaluate(int pharmacies, List<String> reports, List<String> commitLines, List<String> changeLines, long w0, long w1) {
      Step s = new Step();
      s.pharmacies = pharmacies;
      int inWindow = 0;
      for (String l : commitLines) {
        String[] w = l.split(" "); // commit site receipt ns
        long ns = Long.parseLong(w[3]);
        // kept over the whole run: a sale begun just before the window may have committed before it
        COMMITTED.put(w[1] + " " + w[2], ns);
        if (ns >= w0 && ns <= w1) {
          inWindow++;
        }
      }
      Map<String, Long> atCentral = COMMITTED;
      s.commitsPerSecond = inWindow / ((w1 - w0) / 1e9);
      List<Long> lags = new ArrayList<>();
      List<Long> till = new ArrayList<>();
      Map<String, List<long[]>> seen = new HashMap<>();
      for (String l : reports) {
        String[] w = l.split(" ");
        switch (w[0]) {
        case "sale" -> { // sale site receipt t0 t1 online|offline
          long start = Long.parseLong(w[3]);
          if (w[5].equals("offline")) {
            s.salesOffline++;
          } else {
            s.salesOnline++;
            till.add(Long.parseLong(w[4]) - start);
            Long c = atCentral.get(w[1] + " " + w[2]);
            if (c == null) {
              s.unmatched++;
            } else {
              lags.add(c - start);
            }
          }
        }
        case "failed" -> s.failed += Long.parseLong(w[1]);
        case "failure" -> s.failures.add(l.substring(8));
        case "price" -> seen.computeIfAbsent(w[1], k -> new ArrayList<>()).add(new long[] { Long.parseLong(w[2]), Long.parseLong(w[3]) });
        case "node" -> {
          if (!w[2].equals("ONLINE")) {
            s.notOnline++;
            s.nodeProblems.add(l.substring(5));
          }
          long errs = Long.parseLong(kv(l).get("replicationErrors"));
          if (errs > 0 && !s.nodeProblems.contains(l.substring(5))) {
            s.nodeProblems.add(l.substring(5));
          }
          s.replicationErrors += errs;
        }
        default -> {
        }
        }
      }
      s.lagP50 = pct(lags, 50);
      s.lagP99 = pct(lags, 99);
      s.tillP50 = pct(till, 50);
      s.tillP99 = pct(till, 99);
      List<Long> perNode = new ArrayList<>();
      List<Long> all = new ArrayList<>();
      for (String l : changeLines) {
        String[] w = l.split(" "); // change seq t0 t1
        if (w[1].equals("failed")) {
          s.failures.add("price change at central failed: " + l);
          s.failed++;
          continue;
        }
        s.changes++;
        long price = CentralBenchServer.PRICE_BASE + Long.parseLong(w[1]);
        long t0 = Long.parseLong(w[2]);
        long worst = 0;
        for (int i = 1; i <= pharmacies; i++) {
          String site = String.format("%04d", i);
          long at = -1;
          for (long[] o : seen.getOrDefault(site, List.of())) {
            if (o[0] >= price && (at < 0 || o[1] < at)) {
              at = o[1];
            }
          }
          if (at < 0) {
            s.missed++;
          } else {
            perNode.add(Math.max(0, at - t0));
            worst = Math.max(worst, at - t0);
          }
        }
        all.add(worst);
      }
      s.nodeP50 = pct(perNode, 50);
      s.nodeP99 = pct(perNode, 99);
      s.allP50 = pct(all, 50);
      s.allP99 = pct(all, 99);
      return s;
    }

    String print(int seconds, int saleEvery, int priceEvery) {
      StringBuilder b = new StringBuilder();
      b.append(String.format("  window %d s: %d online sales, %d offline, %d failed; sale commits at central %.1f/s (offered: %.1f/s)%n",
          seconds, salesOnline, salesOffline, failed, commitsPerSecond, pharmacies * 1000.0 / saleEvery));
      b.append(String.format("  online sale -> committed at central: p50 %.1f ms, p99 %.1f ms (sale returned at the till: p50 %.1f ms, "
          + "p99 %.1f ms)%s%n", lagP50, lagP99, tillP50, tillP99, unmatched == 0 ? "" : "; " + unmatched + " sales not found among central's commits"));
      b.append(String.format("  price change at central -> in every node's catalogue: p50 %.0f ms, p99 %.0f ms (per node: p50 %.0f ms, "
          + "p99 %.0f ms; %d changes x %d nodes, %d not seen by the end of the window)%n", allP50, allP99, nodeP50, nodeP99, changes,
          pharmacies, missed));
      b.append(String.format("  errors: %d failed sales, %d replication errors, %d nodes not ONLINE at the end, %d price sightings missing",
          failed, replicationErrors, notOnline, missed));
      failures.stream().limit(3).forEach(f -> b.append(String.format("%n    sale failure: %s", f)));
      nodeProblems.stream().limit(3).forEach(f -> b.append(String.format("%n    node: %s", f)));
      return b.toString();
    }

    /** Why this step counts as broken, if it does. */
    List<String> broken() {
      List<String> why = new ArrayList<>();
      int attempts = salesOnline + salesOffline + (int) failed;
      if (failed > 0 && failed * 100 > attempts) {
        why.add(failed + " of " + attempts + " sales failed");
      }
      if (salesOffline > 0) {
        why.add(salesOffline + " sales went offline (a node lost central)");
      }
      if (lagP99 > 2_000) {
        why.add(String.format("online-sale lag p99 %.0f ms > 2 s", lagP99));
      }
      if (missed > 0 || allP99 > 10_000) {
        why.add(String.format("price changes reach every node too late (p99 %.0f ms, %d sightings missing)", allP99, missed));
      }
      if (replicationErrors > 0 || notOnline > 0) {
        why.add(replicationErrors + " replication errors, " + notOnline + " nodes not ONLINE");
      }
      return why;
    }
  }

  private static double pct(List<Long> nanos, int p) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    return SyncBench.pct(nanos.stream().mapToLong(Long::longValue).toArray(), p);
  }

  private static List<Child> concat(Child first, List<Child> rest) {
    List<Child> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  private static String topKinds(Map<String, Integer> kinds, int n) {
    return kinds.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
        .map(e -> e.getKey() + " " + e.getValue()).toList().toString();
  }

  private static double cpu(Child central, List<Child> jvms) {
    double s = central.cpuSeconds();
    for (Child c : jvms) {
      s += c.cpuSeconds();
    }
    return s;
  }

  /** {total, idle} jiffies of the whole machine. */
  private static long[] machineCpu() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      return new long[] { total, Long.parseLong(f[4]) + Long.parseLong(f[5]) };
    } catch (IOException | RuntimeException e) {
      return new long[] { 0, 0 };
    }
  }

  private static long meminfoKb(String key) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith(key + ":")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  private static String meminfo(String key) {
    long kb = meminfoKb(key);
    return kb < 0 ? "?" : String.format("%.1f GB", kb / 1e6);
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static String stringArg(String[] args, String name, String def) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return def;
  }
}
