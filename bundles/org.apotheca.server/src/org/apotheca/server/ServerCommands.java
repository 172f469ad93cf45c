package org.apotheca.server;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apotheca.core.CommandArgs;
import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueEditor;
import org.apotheca.core.catalogue.CatalogueReader;
import org.apotheca.core.catalogue.RecallReceipts;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.core.users.UserAccount;
import org.apotheca.model.Recall;
import org.apotheca.security.tls.TlsGate.TunnelInfo;
import org.apotheca.server.access.CentralSecurity;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.server.IRepository;
import org.eclipse.emf.cdo.util.CommitException;
import org.eclipse.emf.cdo.view.CDOView;

/**
 * Apotheca's own console commands on the central server, as one Gogo function with sub-commands (see
 * docs/console.md). Replies are lines that scripts can parse; a bad command or argument throws, so the Gogo
 * console shows one line "error: ..." (ConsoleFunction) and the one-shot console exits non-zero. Nothing is half done on error.
 */
public class ServerCommands {

  static final String USAGE = "Commands: apotheca status | apotheca repos | apotheca sites [--problems] | apotheca sales <siteId> "
      + "| apotheca seed [--products N] [--sites K] | apotheca price <barcode> <minor units> [--reason \"...\"] [--by WHO] "
      + "| apotheca product add <barcode> \"<name>\" --price <minor> [--vat <basis points>] [--by WHO] "
      + "| apotheca product withdraw <barcode> --reason \"...\" [--by WHO] "
      + "| apotheca recall <barcode|GTIN> [--batch LOT ...] --reason \"...\" [--by WHO] | apotheca recall lift <id|number> --reason \"...\" "
      + "| apotheca recall status <id|number> | apotheca recalls "
      + "| apotheca user add <username> --site <id>[,<id>...] --role <role>[,<role>...] --password <password> [--name \"Display Name\"] [--by WHO] "
      + "| apotheca user passwd <username> <new password> [--by WHO] | apotheca user disable <username> [--reason \"...\"] [--by WHO] "
      + "| apotheca user enable <username> [--by WHO] | apotheca user list [--site <id>] "
      + "| apotheca site enroll <id> [--out <file>] | apotheca site revoke <id> --reason \"...\" "
      + "| apotheca site show <id> | apotheca site add <id> [--name \"...\"] [--out <file>] | apotheca site disable <id> --reason \"...\" "
      + "| apotheca site enable <id> [--out <file>] | apotheca links | apotheca backup <dir> "
      + "| apotheca catalogue import <file.csv> [--dry-run] [--by WHO] [--reason \"...\"] | apotheca catalogue export <file.csv> "
      + "| apotheca catalogue-seed status|refresh "
      + "| apotheca report sales|products|stock|expiry <site> [--from D] [--to D] [--limit N] [--on D] [--days N] | apotheca version | apotheca help";

  private final CentralServer server;
  private final SiteCommands siteCommands;

  public ServerCommands(CentralServer server) {
    this.server = server;
    this.siteCommands = new SiteCommands(server);
  }

  public String apotheca(String... args) throws Exception {
    String sub = args.length == 0 ? "help" : args[0];
    return switch (sub) {
      case "status" -> status();
      case "repos" -> repos();
      case "sites" -> siteCommands.sites(args);
      case "sales" -> sales(args);
      case "seed" -> seed(args);
      case "price" -> price(args);
      case "product" -> product(args);
      case "recall" -> recall(args);
      case "recalls" -> recalls();
      case "user" -> user(args);
      case "site" -> site(args);
      case "links" -> links();
      case "backup" -> backup(args);
      case "catalogue" -> catalogue(args);
      case "catalogue-seed" -> catalogueSeed(args);
      case "report" -> new ReportCommands(server).report(args);
      case "version" -> org.apotheca.sync.VersionReport.report();
      case "help" -> USAGE;
      default -> throw new IllegalArgumentException("unknown command 'apotheca " + sub + "'. " + USAGE);
    };
  }

  private CatalogueEditor editor;

  /** The catalogue seed new pharmacies start from (docs/offline.md, "First sync and seeds"). */
  private String catalogueSeed(String[] args) {
    String sub = args.length == 2 ? args[1] : "";
    org.apotheca.sync.CatalogueSeedMaker seeds = server.catalogueSeeds();
    if (!sub.equals("status") && !sub.equals("refresh")) {
      throw new IllegalArgumentException("usage: apotheca catalogue-seed status | apotheca catalogue-seed refresh");
    }
    if (seeds == null) {
      throw new IllegalArgumentException("this server makes no catalogue seed (seed.refresh.minutes is off in its config)");
    }
    if (sub.equals("refresh")) {
      long t0 = System.nanoTime();
      org.apotheca.sync.SeedManifest m = seeds.refresh();
      return "catalogue-seed refreshed id=" + m.id() + " replicated=" + Instant.ofEpochMilli(m.replicated()) + " size="
          + m.size() + " chunks=" + m.chunkCount() + " file=" + seeds.seedFile(m) + " took=" + (System.nanoTime() - t0) / 1_000_000 + "ms";
    }
    return seeds.status().line();
  }

  /** One editor (session, view, barcode index) for the console's catalogue changes, reopened if its session died. */
  private synchronized CatalogueEditor editor() {
    if (editor == null || editorSession == null || editorSession.isClosed()) {
      editorSession = server.openLocalSession(Repositories.CATALOGUE);
      editor = new CatalogueEditor(editorSession);
    }
    return editor;
  }

  private CDONet4jSession editorSession;

  private String price(String[] args) {
    CommandArgs a = CommandArgs.parse(args, 1, Set.of("reason", "by"));
    if (a.positional().size() != 2) {
      throw new IllegalArgumentException("usage: apotheca price <barcode> <minor units> [--reason \"...\"] [--by WHO]");
    }
    String code = a.positional().get(0);
    long price = CommandArgs.number("The price", a.positional().get(1));
    String name = editor().setPrice(code, price, a.value("by", "central-console"), a.value("reason", null));
    return "price barcode=" + code + " price=" + price + " product=\"" + name + "\"";
  }

  private String product(String[] args) {
    String sub = args.length > 1 ? args[1] : "";
    switch (sub) {
      case "add" -> {
        CommandArgs a = CommandArgs.parse(args, 2, Set.of("price", "vat", "by"));
        if (a.positional().size() < 2 || !a.has("price")) {
          throw new IllegalArgumentException("usage: apotheca product add <barcode> \"<name>\" --price <minor> [--vat <basis points>] [--by WHO]");
        }
        String code = a.positional().get(0);
        String name = String.join(" ", a.positional().subList(1, a.positional().size()));
        long price = a.longValue("price", 0);
        int vat = (int) a.longValue("vat", 2000);
        String id = editor().addProduct(code, name, price, vat, a.value("by", "central-console"));
        return "product added barcode=" + code + " id=" + id + " price=" + price + " vat=" + vat + " name=\"" + name + "\"";
      }
      case "withdraw" -> {
        CommandArgs a = CommandArgs.parse(args, 2, Set.of("reason", "by"));
        if (a.positional().size() != 1) {
          throw new IllegalArgumentException("usage: apotheca product withdraw <barcode> --reason \"...\" [--by WHO]");
        }
        String name = editor().withdraw(a.positional().get(0), a.value("by", "central-console"), a.value("reason", null));
        return "product withdrawn barcode=" + a.positional().get(0) + " product=\"" + name + "\"";
      }
      default -> throw new IllegalArgumentException("usage: apotheca product add ... | apotheca product withdraw <barcode> --reason \"...\"");
    }
  }

  private static final String CATALOGUE_USAGE = "usage: apotheca catalogue import <file.csv> [--dry-run] [--by WHO] [--reason \"...\"] "
      + "| apotheca catalogue export <file.csv> (files are on central's computer; format: docs/catalogue.md)";

  /** Catalogue files: import (checked whole, one commit or none) and export, in the format of {@code CatalogueCsv}. */
  private String catalogue(String[] args) {
    String sub = args.length > 1 ? args[1] : "";
    switch (sub) {
      case "import" -> {
        List<String> words = new ArrayList<>(List.of(args).subList(2, args.length));
        boolean dryRun = words.remove("--dry-run"); // a flag without a value: CommandArgs would take the next word as its value
        CommandArgs a = CommandArgs.parse(words.toArray(String[]::new), 0, Set.of("by", "reason"));
        if (a.positional().size() != 1) {
          throw new IllegalArgumentException(CATALOGUE_USAGE);
        }
        Path file = Path.of(a.positional().get(0)).toAbsolutePath();
        CatalogueEditor.ImportReport r = editor().importFile(file, dryRun, a.value("by", "central-console"), a.value("reason", null));
        StringBuilder sb = new StringBuilder("catalogue import file=").append(file).append(" rows=").append(r.rows()).append(" added=")
            .append(r.added()).append(" updated=").append(r.updated()).append(" unchanged=").append(r.unchanged()).append(" commit=")
            .append(r.commitTime() == 0 ? "none" : Instant.ofEpochMilli(r.commitTime()).toString());
        if (dryRun) {
          sb.append(" dry-run=yes");
        }
        sb.append(" fields=").append(r.fields().entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + ":" + e.getValue()).reduce((x, y) -> x + "," + y).orElse("none"));
        for (String d : r.details()) {
          sb.append('\n').append(d);
        }
        if (r.updated() > r.details().size()) {
          sb.append("\n... and ").append(r.updated() - r.details().size()).append(" more updated");
        }
        return sb.toString();
      }
      case "export" -> {
        CommandArgs a = CommandArgs.parse(args, 2, Set.of());
        if (a.positional().size() != 1) {
          throw new IllegalArgumentException(CATALOGUE_USAGE);
        }
        CatalogueEditor.ExportReport r = editor().exportFile(Path.of(a.positional().get(0)));
        return "catalogue export file=" + r.file() + " products=" + r.products() + " version=" + Instant.ofEpochMilli(r.version());
      }
      default -> throw new IllegalArgumentException(CATALOGUE_USAGE);
    }
  }

  private static final String USER_USAGE = "usage: apotheca user add <username> --site <id>[,<id>...] --role <role>[,<role>...] "
      + "--password <password> [--name \"Display Name\"] [--by WHO] | apotheca user passwd <username> <new password> [--by WHO] "
      + "| apotheca user disable <username> [--reason \"...\"] [--by WHO] | apotheca user enable <username> [--by WHO] "
      + "| apotheca user list [--site <id>]";

  /**
   * The password is taken out of the words before the options are parsed, so that no parse error (an unknown option,
   * a missing value) can ever quote it; the char array is cleared once hashed.
   */
  private String user(String[] args) {
    String sub = args.length > 1 ? args[1] : "";
    switch (sub) {
      case "add" -> {
        List<String> words = new ArrayList<>(List.of(args).subList(2, args.length));
        int at = words.indexOf("--password");
        if (at < 0 || at + 1 >= words.size()) {
          throw new IllegalArgumentException("apotheca user add needs --password <password>. " + USER_USAGE);
        }
        char[] password = words.remove(at + 1).toCharArray();
        words.remove(at);
        try {
          refuseOptionLike(password);
          if (words.contains("--password")) {
            throw new IllegalArgumentException("Give --password once. " + USER_USAGE);
          }
          CommandArgs a = CommandArgs.parse(words.toArray(String[]::new), 0, Set.of("site", "role", "name", "by"));
          if (a.positional().size() != 1 || !a.has("site") || !a.has("role")) {
            throw new IllegalArgumentException(USER_USAGE);
          }
          UserAdmin.Change c = server.users().add(a.positional().get(0), a.values("site"), String.join(",", a.values("role")), password,
              a.value("name", null), a.value("by", null));
          return "user added " + userFields(c.user());
        } finally {
          Arrays.fill(password, '\0');
        }
      }
      case "passwd" -> {
        if (args.length < 4) {
          throw new IllegalArgumentException("usage: apotheca user passwd <username> <new password> [--by WHO]");
        }
        char[] password = args[3].toCharArray();
        try {
          refuseOptionLike(password);
          CommandArgs a = CommandArgs.parse(args, 4, Set.of("by"));
          if (!a.positional().isEmpty()) {
            throw new IllegalArgumentException("usage: apotheca user passwd <username> <new password> [--by WHO] "
                + "(quote a password that has spaces)");
          }
          UserAdmin.Change c = server.users().passwd(args[2], password, a.value("by", null));
          return "user passwd name=" + c.user().username() + " sites=" + String.join(",", c.user().sites());
        } finally {
          Arrays.fill(password, '\0');
        }
      }
      case "disable", "enable" -> {
        boolean enable = sub.equals("enable");
        CommandArgs a = CommandArgs.parse(args, 2, enable ? Set.of("by") : Set.of("reason", "by"));
        if (a.positional().size() != 1) {
          throw new IllegalArgumentException(enable ? "usage: apotheca user enable <username> [--by WHO]"
              : "usage: apotheca user disable <username> [--reason \"...\"] [--by WHO]");
        }
        UserAdmin.Change c = server.users().setActive(a.positional().get(0), enable, a.value("reason", null), a.value("by", null));
        return "user " + sub + "d name=" + c.user().username() + " sites=" + String.join(",", c.user().sites())
            + (c.written().isEmpty() ? " (already " + sub + "d: nothing changed)" : "");
      }
      case "list" -> {
        CommandArgs a = CommandArgs.parse(args, 2, Set.of("site"));
        if (!a.positional().isEmpty()) {
          throw new IllegalArgumentException("usage: apotheca user list [--site <id>]");
        }
        List<String> out = new ArrayList<>();
        for (UserAccount u : server.users().list(a.value("site", null))) {
          out.add("user " + userFields(u));
        }
        return out.isEmpty() ? "users none" : String.join("\n", out);
      }
      default -> throw new IllegalArgumentException(USER_USAGE);
    }
  }

  // a typo such as a forgotten password before --by would otherwise make "--by" the password
  private static void refuseOptionLike(char[] password) {
    if (password.length >= 2 && password[0] == '-' && password[1] == '-') {
      throw new IllegalArgumentException("A password must not start with '--' (it would read as an option).");
    }
  }

  /** Everything the console shows of a user: never the hash. */
  private static String userFields(UserAccount u) {
    return "name=" + u.username() + " display=\"" + u.displayName() + "\" roles=" + String.join(",", u.roles()) + " sites="
        + String.join(",", u.sites()) + " active=" + (u.active() ? "yes" : "no");
  }

  private String recall(String[] args) {
    String sub = args.length > 1 ? args[1] : "";
    if (sub.equals("lift")) {
      CommandArgs a = CommandArgs.parse(args, 2, Set.of("reason", "by"));
      if (a.positional().size() != 1) {
        throw new IllegalArgumentException("usage: apotheca recall lift <id|number> --reason \"...\"");
      }
      CatalogueEditor.RecallInfo r = editor().lift(a.positional().get(0), a.value("by", "central-console"), a.value("reason", null));
      return "recall lifted number=" + r.number() + " id=" + r.id() + " product=\"" + r.productName() + "\"";
    }
    if (sub.equals("status")) {
      if (args.length != 3) {
        throw new IllegalArgumentException("usage: apotheca recall status <id|number>");
      }
      return recallStatus(args[2]);
    }
    CommandArgs a = CommandArgs.parse(args, 1, Set.of("batch", "reason", "by"));
    if (a.positional().size() != 1) {
      throw new IllegalArgumentException("usage: apotheca recall <barcode|GTIN> [--batch LOT ...] --reason \"...\" [--by WHO]");
    }
    if (a.has("batch") && a.values("batch").isEmpty()) {
      throw new IllegalArgumentException("--batch needs at least one lot number");
    }
    CatalogueEditor.RecallInfo r = editor().recall(a.positional().get(0), a.values("batch"), a.value("by", "central-console"),
        a.value("reason", null));
    return "recall issued number=" + r.number() + " id=" + r.id() + " product=\"" + r.productName() + "\" lots="
        + (r.lots().isEmpty() ? "all" : String.join(",", r.lots()));
  }

  private String recalls() {
    List<String> out = new ArrayList<>();
    for (Recall r : editor().recalls()) {
      out.add(recallLine(r));
    }
    return out.isEmpty() ? "recalls none" : String.join("\n", out);
  }

  private static String recallLine(Recall r) {
    return "recall number=" + r.getNumber() + " id=" + r.getId() + " code=" + r.getCode() + " lots="
        + (r.getLotNumbers().isEmpty() ? "all" : String.join(",", r.getLotNumbers())) + " active="
        + (r.getLiftedAt() == 0 ? "yes" : "no") + " issued=" + Instant.ofEpochMilli(r.getIssuedAt()) + " by=" + r.getIssuedBy()
        + " reason=\"" + r.getReason() + "\"";
  }

  /** Which pharmacies' nodes have reported the recall (and its lift), from the receipts they wrote when online. */
  private String recallStatus(String idOrNumber) {
    Recall r = editor().findRecall(idOrNumber);
    List<String> out = new ArrayList<>();
    out.add(recallLine(r));
    int received = 0;
    List<String> sites = server.siteIds();
    for (String site : sites) {
      CDONet4jSession s = server.openLocalSession(Repositories.siteRepository(site));
      try {
        RecallReceipts.Seen seen = RecallReceipts.seen(s.openView(), site, r.getId());
        received += seen.receivedAt() > 0 ? 1 : 0;
        out.add("site id=" + site + " received=" + (seen.receivedAt() > 0 ? "yes at=" + Instant.ofEpochMilli(seen.receivedAt()) : "no")
            + (r.getLiftedAt() != 0 ? " liftReceived=" + (seen.liftReceivedAt() > 0 ? "yes" : "no") : ""));
      } finally {
        s.close();
      }
    }
    out.add("recall " + r.getNumber() + " received by " + received + " of " + sites.size() + " sites"
        + (received < sites.size() && r.getLiftedAt() == 0 ? " (the others are still exposed)" : ""));
    return String.join("\n", out);
  }

  private String status() {
    return "status server=" + (server.isRunning() ? "RUNNING" : "STOPPED") + " address=" + server.config().endpoint()
        + " repositories=" + server.repositories().size() + " data=" + server.config().dataDir();
  }

  private String repos() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, IRepository> e : server.repositories().entrySet()) {
      IRepository r = e.getValue();
      sb.append("repository name=").append(e.getKey()).append(" state=").append(r.getState()).append(" sessions=")
          .append(r.getSessionManager().getSessions().length).append(" lastCommit=")
          .append(Instant.ofEpochMilli(r.getLastCommitTimeStamp())).append('\n');
    }
    return sb.toString().stripTrailing();
  }

  private static final String SITE_USAGE = "usage: apotheca site enroll <id> [--out <file>] | apotheca site revoke <id> --reason \"...\" | "
      + SiteCommands.USAGE.substring(SiteCommands.USAGE.indexOf("apotheca site "));

  private String site(String[] args) throws CommitException {
    String sub = args.length > 1 ? args[1] : "";
    CentralSecurity security = server.security();
    if (security == null && (sub.equals("enroll") || sub.equals("revoke"))) {
      throw new IllegalArgumentException("this server runs without TLS (dev.plain.tcp=true): there is nothing to enroll or revoke");
    }
    switch (sub) {
      case "show", "add", "disable", "enable" -> {
        return siteCommands.site(args);
      }
      case "enroll" -> {
        CommandArgs a = CommandArgs.parse(args, 2, Set.of("out"));
        if (a.positional().size() != 1) {
          throw new IllegalArgumentException(SITE_USAGE);
        }
        String id = Repositories.checkSiteId(a.positional().get(0));
        siteCommands.checkNotDisabled(id);
        boolean added = server.addSite(id);
        String out = a.value("out", null);
        CentralSecurity.EnrollmentBundle bundle = security.enroll(id, out == null ? null : Path.of(out).toAbsolutePath());
        // the one time the password is shown: it is not logged, and central keeps no copy of it
        return "enrolled site=" + id + (added ? " (new site)" : "") + " bundle=" + bundle.file() + " password="
            + bundle.oneTimePassword() + " valid-until=" + bundle.validUntil().toString().substring(0, 10)
            + "\nGive the bundle and the password to the pharmacy by separate ways; on its node: ./apotheca site --enroll <bundle>";
      }
      case "revoke" -> {
        CommandArgs a = CommandArgs.parse(args, 2, Set.of("reason"));
        if (a.positional().size() != 1 || !a.has("reason")) {
          throw new IllegalArgumentException(SITE_USAGE);
        }
        String id = Repositories.checkSiteId(a.positional().get(0));
        if (!server.siteIds().contains(id)) {
          throw new IllegalArgumentException("central has no pharmacy " + id);
        }
        int closed = security.revoke(id, a.value("reason", ""));
        return "revoked site=" + id + " links-closed=" + closed
            + "\nThe pharmacy keeps selling offline; enroll it again (apotheca site enroll " + id + ") to let a new computer in.";
      }
      default -> throw new IllegalArgumentException(SITE_USAGE);
    }
  }

  /** An online copy of central's whole store and its authority (CentralBackup); progress goes to central's log. */
  private String backup(String[] args) {
    if (args.length != 2 || args[1].startsWith("--")) {
      throw new IllegalArgumentException("usage: apotheca backup <dir> (a new or empty directory, ideally on another disk)");
    }
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(CentralBackup.class.getName());
    try {
      return CentralBackup.run(server, Path.of(args[1]), log::info).line();
    } catch (IllegalStateException e) {
      // its message is the sentence for the operator (what failed, that nothing was kept); the log has the trace
      log.log(java.util.logging.Level.WARNING, e.getMessage(), e);
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The pharmacies connected right now through the TLS gate. */
  private String links() {
    CentralSecurity security = server.security();
    if (security == null || security.gate() == null) {
      return "links: none (plain TCP development mode: connections are not tracked)";
    }
    List<TunnelInfo> tunnels = security.gate().tunnels();
    if (tunnels.isEmpty()) {
      return "links: none";
    }
    StringBuilder sb = new StringBuilder();
    for (TunnelInfo t : tunnels) {
      sb.append("link ").append(t.identity()).append(" from=").append(t.from()).append(" since=").append(t.since())
          .append(" in=").append(t.bytesIn()).append(" out=").append(t.bytesOut()).append('\n');
    }
    return sb.toString().stripTrailing();
  }

  private String sales(String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: apotheca sales <siteId>");
    }
    String siteId = args[1];
    Repositories.checkSiteId(siteId);
    if (!server.siteIds().contains(siteId)) {
      throw new IllegalArgumentException("no site '" + siteId + "' on this server (known: " + server.siteIds() + ")");
    }
    CDONet4jSession session = server.openLocalSession(Repositories.siteRepository(siteId));
    try {
      CDOView view = session.openView();
      return SalesReader.summary(view, siteId).line();
    } finally {
      session.close();
    }
  }

  private String seed(String[] args) throws Exception {
    int products = 0;
    int sites = 0;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--products" -> products = count(args, ++i, "--products");
        case "--sites" -> sites = count(args, ++i, "--sites");
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'. usage: apotheca seed [--products N] [--sites K]");
      }
    }
    if (products == 0 && sites == 0) {
      throw new IllegalArgumentException("nothing to seed. usage: apotheca seed [--products N] [--sites K]");
    }
    if (sites > 9999) {
      throw new IllegalArgumentException("--sites must be at most 9999");
    }
    List<String> out = new ArrayList<>();
    if (products > 0) {
      CDONet4jSession session = server.openLocalSession(Repositories.CATALOGUE);
      try {
        if (SampleCatalogue.hasProducts(session)) {
          throw new IllegalStateException("the catalogue already has products: seeding needs an empty catalogue");
        }
        long t0 = System.nanoTime();
        SampleCatalogue.seed(session, products, null);
        CDOView view = session.openView();
        out.add("seeded products=" + CatalogueReader.count(view) + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      } finally {
        session.close();
      }
    }
    if (sites > 0) {
      int added = 0;
      for (int k = 1; k <= sites; k++) {
        try {
          if (server.addSite(String.format("%04d", k))) {
            added++;
          }
        } catch (RuntimeException e) {
          throw new IllegalStateException("site " + String.format("%04d", k) + " could not be added: " + CdoClient.rootMessage(e), e);
        }
      }
      out.add("seeded sites=" + sites + " added=" + added);
    }
    return String.join("\n", out);
  }

  private static int count(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a number");
    }
    try {
      int n = Integer.parseInt(args[i]);
      if (n < 0) {
        throw new IllegalArgumentException(option + " must not be negative: " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, not '" + args[i] + "'");
    }
  }
}
