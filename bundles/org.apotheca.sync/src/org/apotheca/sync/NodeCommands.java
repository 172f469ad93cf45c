package org.apotheca.sync;

import java.util.ArrayList;
import java.util.List;

import org.apotheca.core.CommandArgs;
import org.apotheca.core.ledger.SaleReceipt;
import org.apotheca.gs1.Gs1;
import org.apotheca.gs1.ScanRefusedException;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.ProductInfo;

/**
 * The pharmacy node's console commands, one Gogo function {@code apotheca} with sub-commands (docs/console.md).
 * Replies are single lines scripts can parse; a refused or bad command throws, which the console shows as one line
 * {@code error: ...} ({@code ConsoleFunction}) and the one-shot console turns into a non-zero exit. The same object
 * serves the headless node's stdin in tests.
 */
public class NodeCommands {

  static final String USAGE = "Commands: apotheca status | apotheca sell <barcode> <quantity> [--lot LOT] [--till T] [--user U] "
      + "| apotheca sales | apotheca receive <barcode> <quantity> <lot> <expiry yyyy-MM-dd> [--cost minor] "
      + "| apotheca stock <barcode> | apotheca product <barcode> | apotheca catalogue [--since <epoch millis>] "
      + "| apotheca resolutions | apotheca scan <what the scanner sent; <GS> for the group separator> "
      + "| apotheca till pair <name> | apotheca till unpair <name> --reason \"...\" | apotheca sync progress "
      + "| apotheca report sales|products|stock|expiry [--from D] [--to D] [--limit N] [--on D] [--days N] | apotheca version | apotheca help";

  private final PharmacyNode node;

  public NodeCommands(PharmacyNode node) {
    this.node = node;
  }

  public String apotheca(String... args) throws Exception {
    String sub = args.length == 0 ? "help" : args[0];
    return switch (sub) {
      case "status" -> status();
      case "sell" -> sell(args);
      case "sales" -> node.sales().line();
      case "receive" -> receive(args);
      case "stock" -> stock(args);
      case "product" -> product(args);
      case "catalogue" -> catalogue(args);
      case "resolutions" -> resolutions();
      case "scan" -> scan(args);
      case "till" -> till(args);
      case "sync" -> syncProgress(args);
      case "report" -> report(args);
      case "version" -> VersionReport.report();
      case "help" -> USAGE;
      default -> throw new IllegalArgumentException("unknown command 'apotheca " + sub + "'. " + USAGE);
    };
  }

  /** The pharmacy's figures, printed exactly as central's {@code apotheca report ... <site>} prints them. */
  private String report(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException(org.apotheca.core.reports.ReportConsole.usage(""));
    }
    return org.apotheca.core.reports.ReportConsole.run(node.config().siteId(), args[1],
        java.util.Arrays.copyOfRange(args, 2, args.length), java.time.LocalDate.now(), work -> node.ledgerHost().report(work), "");
  }

  /** The first sync's catalogue seed: percent, MB, time left (docs/offline.md, "First sync and seeds"). */
  private String syncProgress(String[] args) {
    if (args.length != 2 || !args[1].equals("progress")) {
      throw new IllegalArgumentException("usage: apotheca sync progress");
    }
    SeedProgress p = node.seedProgress();
    return p == null ? "progress catalogue-seed phase=NONE note=\"the catalogue was here when the node started\"" : p.line();
  }

  /** The status line, and while the pharmacy's data is being built from central a second line saying how far. */
  private String status() {
    String line = node.status().line();
    String restoring = node.restoreProgress();
    return restoring == null ? line : line + "\n" + restoring;
  }

  private static final String TILL_USAGE = "usage: apotheca till pair <name> | apotheca till unpair <name> --reason \"...\"";

  /** Pairs a till of the LAN with this node (or unpairs it): the till's TLS certificate, issued by the node. */
  private String till(String[] args) {
    TillAccess tills = node.tillAccess();
    if (tills == null) {
      throw new IllegalArgumentException("this node serves tills in plain TCP (dev.plain.tcp=true): there is nothing to pair");
    }
    String sub = args.length > 1 ? args[1] : "";
    if (args.length < 3 || !args[2].matches("[a-z0-9][a-z0-9.-]{0,31}")) {
      throw new IllegalArgumentException(args.length < 3 ? TILL_USAGE
          : "a till name is 1-32 lower-case letters, digits, '-' or '.' (like till-2), not '" + args[2] + "'");
    }
    String name = args[2];
    switch (sub) {
      case "pair" -> {
        TillAccess.Pairing p = tills.pair(name);
        // the one time the password is shown; it is not logged
        return "paired till=" + node.config().siteId() + "/" + name + " bundle=" + p.bundle() + " password=" + p.oneTimePassword()
            + "\nOn the till: ./apotheca client --node <this node's address> --till " + name + " --pair <bundle>";
      }
      case "unpair" -> {
        String reason = null;
        for (int i = 3; i < args.length - 1; i++) {
          if (args[i].equals("--reason")) {
            reason = args[i + 1];
          }
        }
        if (reason == null || reason.isBlank()) {
          throw new IllegalArgumentException(TILL_USAGE);
        }
        int closed = tills.revoke(name, reason);
        return "unpaired till=" + node.config().siteId() + "/" + name + " links-closed=" + closed;
      }
      default -> throw new IllegalArgumentException(TILL_USAGE);
    }
  }

  private String sell(String[] args) {
    List<String> pos = new ArrayList<>();
    String till = "console";
    String user = "console";
    String lot = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--till" -> till = value(args, ++i, "--till");
        case "--user" -> user = value(args, ++i, "--user");
        case "--lot" -> lot = value(args, ++i, "--lot");
        default -> pos.add(args[i]);
      }
    }
    if (pos.size() != 2) {
      throw new IllegalArgumentException("usage: apotheca sell <barcode> <quantity> [--lot LOT] [--till T] [--user U]");
    }
    SaleReceipt r = node.sell(till, user, pos.get(0), lot, quantity(pos.get(1)));
    return r.line();
  }

  private String receive(String[] args) {
    List<String> pos = new ArrayList<>();
    long cost = 0;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--cost")) {
        String v = value(args, ++i, "--cost");
        try {
          cost = Long.parseLong(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--cost must be whole minor units, not '" + v + "'");
        }
      } else {
        pos.add(args[i]);
      }
    }
    if (pos.size() != 4) {
      throw new IllegalArgumentException("usage: apotheca receive <barcode> <quantity> <lot> <expiry yyyy-MM-dd> [--cost minor]");
    }
    BatchInfo b = node.receive("console", pos.get(0), pos.get(2), pos.get(3), quantity(pos.get(1)), cost);
    return "received batch=" + b.batchId() + " lot=" + b.lot() + " expiry=" + b.expiry() + " quantity=" + b.quantity();
  }

  private String stock(String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: apotheca stock <barcode>");
    }
    ProductInfo p = node.product(args[1]);
    if (p == null) {
      throw new IllegalArgumentException("Unknown barcode " + args[1] + ": no product in the catalogue has it");
    }
    StringBuilder sb = new StringBuilder();
    int total = 0;
    for (BatchInfo b : node.stock(args[1])) {
      sb.append("batch lot=").append(b.lot()).append(" expiry=").append(b.expiry()).append(" quantity=")
          .append(b.quantity()).append(b.quarantined() ? " quarantined=yes" : "").append('\n');
      total += b.quantity();
    }
    sb.append("stock barcode=").append(p.barcode()).append(" onHand=").append(total);
    return sb.toString();
  }

  /** {@code product barcode=<b> price=<minor> recalled=<yes|no>}, as this node holds the catalogue now. */
  private String product(String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: apotheca product <barcode>");
    }
    ProductInfo p = node.product(args[1]);
    if (p == null) {
      throw new IllegalArgumentException("Unknown barcode " + args[1] + ": no product in the catalogue has it");
    }
    List<String> recalls = node.recalls(args[1]);
    StringBuilder sb = new StringBuilder("product barcode=").append(args[1]).append(" price=").append(p.priceMinor())
        .append(" recalled=").append(recalls.isEmpty() ? "no" : "yes");
    for (String r : recalls) {
      sb.append(" recall=").append(r);
    }
    if (p.withdrawn()) {
      sb.append(" withdrawn=yes");
    }
    return sb.append(" name=\"").append(p.name()).append('"').toString();
  }

  /** {@code catalogue version=<ts> commits=<n>}: the catalogue commits the node holds after {@code --since}. */
  private String catalogue(String[] args) {
    long since = 0;
    if (args.length == 3 && args[1].equals("--since")) {
      since = CommandArgs.number("--since (epoch milliseconds)", args[2]);
    } else if (args.length != 1) {
      throw new IllegalArgumentException("usage: apotheca catalogue [--since <epoch millis>]");
    }
    NodeStatus s = node.status();
    return "catalogue version=" + s.catalogueVersion() + " central=" + s.centralCatalogueVersion() + " commits="
        + node.catalogueCommitsAfter(since) + " " + node.catalogueTimes();
  }

  /**
   * What the till would read from a scan, for support staff: {@code scan gtin=<14 digits> lot=.. expiry=yyyy-MM-dd
   * serial=..}, or the refusal. The console cannot carry ASCII 29, so {@code <GS>} stands for it.
   */
  private static String scan(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: apotheca scan <scanned text> (type <GS> for the group separator)");
    }
    try {
      return Gs1.parseConsole(String.join(" ", java.util.Arrays.copyOfRange(args, 1, args.length))).line();
    } catch (ScanRefusedException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private String resolutions() {
    List<String> all = node.resolutions();
    return all.isEmpty() ? "resolutions none" : String.join("\n", all);
  }

  private static int quantity(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Quantity must be a whole number, not '" + text + "'");
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
