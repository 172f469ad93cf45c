package org.apotheca.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apotheca.core.catalogue.CatalogueCsv;
import org.apotheca.core.catalogue.CatalogueCsv.Entry;
import org.apotheca.core.net.Endpoint;
import org.apotheca.model.ControlledDrugSchedule;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.NodeConfig;
import org.apotheca.sync.NodeIdentity;
import org.apotheca.sync.PharmacyNode;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * {@code ./apotheca bench catalogue --import N}: a catalogue file of N new products imported at central through the
 * console command ({@code apotheca catalogue import}), as one commit, then the same N products updated (every price
 * changed), then export and re-import of the whole catalogue (no change).
 * <p>
 * Central runs in a child JVM with the heap the server product has ({@code -Xmx1g} in {@code ./apotheca server};
 * {@code --central-heap} to try another), so the figure answers "does one commit of N products fit in central as
 * shipped"; the child samples its heap while it works. With {@code --nodes 1} a pharmacy node in this JVM is online
 * during the imports and the benchmark measures when the last imported product is sellable there.
 */
public final class CatalogueImportBench {

  private static final String SITE = "0001";

  private CatalogueImportBench() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      try {
        child(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Boolean.parseBoolean(args[4]));
      } catch (Throwable t) {
        t.printStackTrace();
        System.out.println("FAILED " + t);
      } finally {
        System.out.flush();
        System.exit(0); // CDO's keep-alive threads would keep the child alive
      }
      return;
    }
    int rows = SyncBench.intArg(args, "--import", 100_000);
    int products = SyncBench.intArg(args, "--products", 2_000);
    int nodes = SyncBench.intArg(args, "--nodes", 1);
    String heap = "1g";
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--central-heap")) {
        heap = args[i + 1];
      }
    }
    Path dir = Files.createTempDirectory("apotheca-bench-import-");
    System.out.printf("bench catalogue import: rows=%d existing=%d nodes=%d central-heap=%s java=%s cores=%d dir=%s%n", rows, products,
        nodes, heap, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), dir);

    long t0 = System.nanoTime();
    List<Entry> fresh = generate(rows, 0);
    write(dir.resolve("new.csv"), fresh);
    write(dir.resolve("update.csv"), generate(rows, 1));
    System.out.printf("files written: new.csv and update.csv, %d rows each, %.1f MB each, in %.1f s%n", rows,
        Files.size(dir.resolve("new.csv")) / 1e6, (System.nanoTime() - t0) / 1e9);

    int port = SyncBench.freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx" + heap, "-XX:+UseG1GC",
        "-Dderby.stream.error.file=" + dir.resolve("derby-central.log"), "-cp", System.getProperty("java.class.path"),
        CatalogueImportBench.class.getName(), "--child", dir.toString(), String.valueOf(port), String.valueOf(products),
        String.valueOf(nodes > 0));
    pb.redirectError(dir.resolve("central-stderr.log").toFile());
    Process child = pb.start();
    BufferedReader from = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter to = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
    List<String> results = new ArrayList<>();
    PharmacyNode node = null;
    try {
      expect(from, "CENTRAL-READY", results, child, dir);
      if (nodes > 0) {
        NodeConfig nc = NodeConfig.of(SITE, dir.resolve("node"), new Endpoint("127.0.0.1", port), new Endpoint("127.0.0.1", SyncBench.freePort()));
        t0 = System.nanoTime();
        node = new PharmacyNode(nc).start();
        if (!node.awaitReady(600_000)) {
          throw new IllegalStateException("node not ready: " + node.status().line());
        }
        System.out.printf("node %s ready in %.1f s%n", SITE, (System.nanoTime() - t0) / 1e9);
      }
      String last = fresh.get(fresh.size() - 1).barcode();
      for (String step : List.of("new", "update")) {
        to.println("import " + dir.resolve(step + ".csv"));
        String done = expect(from, "IMPORTED", results, child, dir);
        long started = Long.parseLong(field(done, "start"));
        if (node != null) {
          long price = generate(rows, step.equals("new") ? 0 : 1).get(rows - 1).priceMinor();
          long deadline = System.currentTimeMillis() + 1_800_000;
          while (!hasPrice(node, last, price)) {
            if (System.currentTimeMillis() > deadline || !child.isAlive()) {
              throw new IllegalStateException("the " + step + " import did not reach the node within 30 min: " + node.status().line());
            }
            Thread.sleep(20);
          }
          long seen = System.currentTimeMillis() - started;
          results.add(String.format("RESULT import %s (%d rows): from the command's start to the last product sellable at the node: %.1f s",
              step, rows, seen / 1e3));
          System.out.printf("node sees the %s import's last product %.1f s after the command started (node: %s)%n", step, seen / 1e3,
              node.status().line());
        }
      }
      to.println("roundtrip " + dir.resolve("export.csv"));
      expect(from, "ROUNDTRIP", results, child, dir);
      to.println("quit");
      expect(from, "BYE", results, child, dir);
    } finally {
      if (node != null) {
        node.stop();
      }
      child.destroy();
      child.waitFor();
    }
    results.forEach(System.out::println);
    System.exit(0);
  }

  /** Relays the child's lines until one starts with {@code marker}; a line starting RESULT is kept for the summary. */
  private static String expect(BufferedReader from, String marker, List<String> results, Process child, Path dir) throws Exception {
    String line;
    while ((line = from.readLine()) != null) {
      System.out.println("  central| " + line);
      if (line.startsWith("RESULT")) {
        results.add(line);
      }
      if (line.startsWith(marker)) {
        return line;
      }
      if (line.startsWith("FAILED")) {
        throw new IllegalStateException("central: " + line + " (its stderr: " + dir.resolve("central-stderr.log") + ")");
      }
    }
    int code = child.waitFor();
    String tail = String.join("\n", tail(dir.resolve("central-stderr.log"), 15));
    throw new IllegalStateException("central exited (status " + code + ") before " + marker + "; its stderr ends with:\n" + tail);
  }

  private static List<String> tail(Path file, int n) throws Exception {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    return lines.subList(Math.max(0, lines.size() - n), lines.size());
  }

  private static String field(String line, String key) {
    for (String w : line.split(" ")) {
      if (w.startsWith(key + "=")) {
        return w.substring(key.length() + 1);
      }
    }
    throw new IllegalStateException("no " + key + " in " + line);
  }

  private static final String[] INGREDIENTS = { "Paracetamol", "Ibuprofen", "Amoxicillin", "Omeprazole", "Atorvastatin", "Metformin" };
  private static final String[] FORMS = { "tablets", "capsules", "oral solution" };

  /** N products with distinct EAN-13 barcodes (prefix 52, unlike the sample catalogue's 50); round 1 changes every price. */
  static List<Entry> generate(int n, int round) {
    List<Entry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String body = "52" + String.format("%010d", i);
      String barcode = org.apotheca.gs1.Gs1.withCheckDigit(body);
      String ingredient = INGREDIENTS[i % INGREDIENTS.length];
      String form = FORMS[i % FORMS.length];
      int pack = 10 + i % 90;
      out.add(new Entry(0, barcode, CatalogueCsv.gtin(barcode), ingredient + " " + (5 + i % 50) + " mg " + form + " (Import Labs) x" + pack
          + " #" + i, 100 + (i * 31L) % 9000 + round, i % 3 == 0 ? 500 : 2000, ingredient, form, (5 + i % 50) + " mg", pack,
          form.contains("solution") ? "ml" : "units", "Import Labs", "N02BE01", ControlledDrugSchedule.NONE, i % 2 == 0, false,
          List.of(ingredient)));
    }
    return out;
  }

  private static void write(Path file, List<Entry> entries) throws Exception {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      CatalogueCsv.write(w, entries);
    }
  }

  // ---- the child: central in a JVM with the server product's heap ------------------------------------------------

  private static void child(Path dir, int port, int products, boolean withNode) throws Exception {
    HeapSampler heap = new HeapSampler();
    ServerConfig cfg = ServerConfig.defaults(dir.resolve("central")).withEndpoint(new Endpoint("127.0.0.1", port))
        .withSites(withNode ? List.of(SITE) : List.of()).withSampleProducts(products);
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    CentralServer central = new CentralServer(cfg, container).start();
    if (withNode) {
      NodeConfig nc = NodeConfig.of(SITE, dir.resolve("node"), cfg.endpoint(), new Endpoint("127.0.0.1", 1));
      NodeIdentity.install(nc.secretsDir(), central.security().issueSite(SITE));
    }
    ServerCommands console = new ServerCommands(central);
    System.out.println("CENTRAL-READY max-heap=" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "MB " + heap.line());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String command;
    while ((command = in.readLine()) != null) {
      String[] w = command.split(" ", 2);
      switch (w[0]) {
        case "import" -> {
          Path file = Path.of(w[1]);
          long t = System.nanoTime();
          CatalogueCsv.Parsed parsed = CatalogueCsv.read(file);
          double parse = (System.nanoTime() - t) / 1e9;
          if (!parsed.ok()) {
            throw new IllegalStateException(parsed.problems().get(0).toString());
          }
          parsed = null;
          heap.reset();
          t = System.nanoTime();
          String dry = console.apotheca("catalogue", "import", file.toString(), "--dry-run", "--by", "bench");
          double dryRun = (System.nanoTime() - t) / 1e9;
          System.out.println("dry run: " + dry.lines().findFirst().orElse("") + " in " + String.format("%.1f s", dryRun) + "; " + heap.line());
          heap.reset();
          long start = System.currentTimeMillis();
          t = System.nanoTime();
          String reply = console.apotheca("catalogue", "import", file.toString(), "--by", "bench", "--reason", "bench import");
          double took = (System.nanoTime() - t) / 1e9;
          System.out.println(reply.lines().findFirst().orElse(""));
          System.out.printf("RESULT import %s: %s in %.1f s (read and check the file %.1f s, dry run %.1f s); central %s%n",
              file.getFileName(), summary(reply), took, parse, dryRun, heap.line());
          System.out.println("IMPORTED start=" + start);
        }
        case "roundtrip" -> {
          long t = System.nanoTime();
          String exported = console.apotheca("catalogue", "export", w[1]);
          double export = (System.nanoTime() - t) / 1e9;
          heap.reset();
          t = System.nanoTime();
          String reply = console.apotheca("catalogue", "import", w[1], "--by", "bench");
          double took = (System.nanoTime() - t) / 1e9;
          System.out.println(exported);
          System.out.printf("RESULT export %s in %.1f s; import of that file: %s in %.1f s; central %s%n", exported.replaceAll(".* products=", "products=")
              .replaceAll(" version=.*", ""), export, summary(reply), took, heap.line());
          System.out.println("ROUNDTRIP");
        }
        case "quit" -> {
          central.stop();
          LifecycleUtil.deactivate(container);
          System.out.println("BYE");
          System.out.flush();
          System.exit(0);
        }
        default -> throw new IllegalStateException("unknown step " + command);
      }
    }
  }

  private static String summary(String reply) {
    String first = reply.lines().findFirst().orElse("");
    return first.replaceAll("^catalogue import file=\\S+ ", "").replaceAll(" fields=.*", "");
  }

  /** The child's heap: the most used at any sample (garbage included) and the most still live after a collection. */
  private static final class HeapSampler {
    private final AtomicLong maxUsed = new AtomicLong();
    private final AtomicLong maxAfterGc = new AtomicLong();

    HeapSampler() {
      Thread t = new Thread(() -> {
        while (true) {
          long used = 0;
          long afterGc = 0;
          for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
              used += pool.getUsage().getUsed();
              if (pool.getCollectionUsage() != null) {
                afterGc += pool.getCollectionUsage().getUsed();
              }
            }
          }
          maxUsed.accumulateAndGet(used, Math::max);
          maxAfterGc.accumulateAndGet(afterGc, Math::max);
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      t.setDaemon(true);
      t.start();
    }

    void reset() {
      System.gc();
      maxUsed.set(0);
      maxAfterGc.set(0);
    }

    String line() {
      return String.format("heap peak %d MB, peak live after GC %d MB of %d MB", maxUsed.get() >> 20, maxAfterGc.get() >> 20,
          Runtime.getRuntime().maxMemory() >> 20);
    }
  }

  private static boolean hasPrice(PharmacyNode node, String barcode, long price) {
    var p = node.product(barcode);
    return p != null && p.priceMinor() == price;
  }

}
