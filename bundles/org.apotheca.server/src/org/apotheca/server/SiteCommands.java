package org.apotheca.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apotheca.core.CommandArgs;
import org.apotheca.core.Repositories;
import org.apotheca.core.SiteReport;
import org.apotheca.core.net.CdoClient;
import org.apotheca.model.PharmacySite;
import org.apotheca.server.SiteBoard.ErrorSeen;
import org.apotheca.server.SiteBoard.Row;
import org.apotheca.server.access.CentralSecurity;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.view.CDOView;

/**
 * The console's site board and site management on central: {@code apotheca sites}, {@code apotheca site show|add|
 * disable|enable} (the {@code enroll} and {@code revoke} sub-commands stay in {@link ServerCommands}). Replies are
 * {@code word key=value} lines; a bad command throws IllegalArgumentException with the one line the operator sees.
 */
final class SiteCommands {

  static final String USAGE = "apotheca sites [--problems] | apotheca site show <id> | apotheca site add <id> [--name \"...\"] [--out <file>] "
      + "| apotheca site disable <id> --reason \"...\" | apotheca site enable <id> [--out <file>]";
  private static final int MAX_NAME = 80;

  private final CentralServer server;

  SiteCommands(CentralServer server) {
    this.server = server;
  }

  private SiteBoard board() {
    SiteBoard b = server.board();
    if (b == null) {
      throw new IllegalStateException("the server is not running");
    }
    return b;
  }

  /** One line per pharmacy, then the counts. */
  String sites(String[] args) {
    CommandArgs a = CommandArgs.parse(args, 1, Set.of("problems"));
    if (!a.positional().isEmpty() || (a.has("problems") && !a.values("problems").isEmpty())) {
      throw new IllegalArgumentException("usage: apotheca sites [--problems]");
    }
    boolean problemsOnly = a.has("problems");
    List<Row> rows = board().rows(server.siteIds());
    if (rows.isEmpty()) {
      return "no sites (add one with 'apotheca site add <id> --name \"...\"', or 'apotheca seed --sites K')";
    }
    Map<String, String> names = names(rows.stream().map(Row::siteId).toList());
    Map<String, Integer> counts = new HashMap<>();
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      counts.merge(r.state(), 1, Integer::sum);
      if (!problemsOnly || !r.state().equals("online")) {
        out.add(line(r, names.getOrDefault(r.siteId(), "")));
      }
    }
    out.add("sites total=" + rows.size() + " online=" + counts.getOrDefault("online", 0) + " offline="
        + counts.getOrDefault("offline", 0) + " error=" + counts.getOrDefault("error", 0) + " never="
        + counts.getOrDefault("never", 0) + " disabled=" + counts.getOrDefault("disabled", 0));
    return String.join("\n", out);
  }

  private static String line(Row r, String name) {
    SiteReport p = r.report();
    StringBuilder sb = new StringBuilder("site id=").append(r.siteId()).append(" state=").append(r.state())
        .append(" lastContact=").append(SiteReport.at(r.lastContact()));
    if (p == null) {
      sb.append(" node=- pending=- lastMerge=- catalogue=- version=-");
    } else {
      sb.append(" node=").append(p.state()).append(" pending=").append(p.pendingSales()).append(" lastMerge=")
          .append(SiteReport.at(p.lastMergeAt())).append(" catalogue=").append(SiteReport.at(p.catalogueVersion()))
          .append(" version=").append(p.version());
    }
    sb.append(" name=").append(quoted(name));
    if (r.state().equals("disabled")) {
      sb.append(" disabled=").append(quoted(r.disabledReason()));
    }
    sb.append(" error=").append(r.error() == null ? "none" : quoted(r.error()));
    return sb.toString();
  }

  private static String quoted(String s) {
    return "\"" + (s == null ? "" : s.replace('"', '\'')) + "\"";
  }

  String site(String[] args) {
    String sub = args[1];
    return switch (sub) {
      case "show" -> show(args);
      case "add" -> add(args);
      case "disable" -> disable(args);
      case "enable" -> enable(args);
      default -> throw new IllegalArgumentException("usage: " + USAGE);
    };
  }

  private String show(String[] args) {
    CommandArgs a = CommandArgs.parse(args, 2, Set.of());
    if (a.positional().size() != 1) {
      throw new IllegalArgumentException("usage: apotheca site show <id>");
    }
    String id = known(a.positional().get(0));
    Row r = board().row(id);
    SiteReport p = r.report();
    List<String> out = new ArrayList<>();
    out.add("site id=" + id + " state=" + r.state() + " name=" + quoted(names(List.of(id)).getOrDefault(id, "")) + " repository="
        + Repositories.siteRepository(id));
    out.add("contact last=" + SiteReport.at(r.lastContact()) + " report=" + SiteReport.at(r.reportAt()) + " links=" + r.liveLinks()
        + " linkOpened=" + SiteReport.at(r.linkOpenedAt()) + " linkClosed=" + SiteReport.at(r.linkClosedAt()) + " heartbeat="
        + board().heartbeat().toSeconds() + "s");
    if (p == null) {
      out.add("node never reported");
    } else {
      out.add("node state=" + p.state() + " pending=" + p.pendingSales() + " pendingCommits=" + p.pendingCommits() + " lastSync="
          + SiteReport.at(p.lastSyncAt()) + " lastMerge=" + SiteReport.at(p.lastMergeAt()) + " merges=" + p.merges() + " catalogue="
          + SiteReport.at(p.catalogueVersion()) + " ready=" + (p.ready() ? "yes" : "no") + " version=" + p.version() + " sent="
          + SiteReport.at(p.sentAt()) + " error=" + (p.error() == null ? "none" : quoted(p.error())));
    }
    out.add(r.disabledReason() == null ? "disabled no"
        : "disabled yes at=" + SiteReport.at(r.disabledAt()) + " reason=" + quoted(r.disabledReason()));
    if (r.refusals() > 0) {
      out.add("refused count=" + r.refusals() + " last=" + SiteReport.at(r.refusedAt()) + " code=" + r.refusalCode() + " reason="
          + quoted(r.refusal()));
    }
    if (r.errors().isEmpty()) {
      out.add("errors none");
    }
    for (ErrorSeen e : r.errors()) {
      out.add("error first=" + SiteReport.at(e.firstAt()) + " last=" + SiteReport.at(e.lastAt()) + " times=" + e.times() + " text="
          + quoted(e.text()));
    }
    return String.join("\n", out);
  }

  private String add(String[] args) {
    CommandArgs a = CommandArgs.parse(args, 2, Set.of("name", "out"));
    if (a.positional().size() != 1) {
      throw new IllegalArgumentException("usage: apotheca site add <id> [--name \"...\"] [--out <file>]");
    }
    String id = Repositories.checkSiteId(a.positional().get(0));
    String name = a.value("name", "Pharmacy " + id).strip();
    if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("--name must be 1 to " + MAX_NAME + " characters on one line");
    }
    if (server.siteIds().contains(id)) {
      throw new IllegalArgumentException("central has pharmacy " + id + " already (" + quoted(names(List.of(id)).getOrDefault(id, ""))
          + "): 'apotheca site enroll " + id + "' makes a new enrollment bundle for it");
    }
    String out = a.value("out", null);
    if (out != null) {
      Path parent = Path.of(out).toAbsolutePath().getParent();
      if (Files.isDirectory(Path.of(out)) || (parent != null && Files.exists(parent) && !Files.isDirectory(parent))) {
        throw new IllegalArgumentException("--out must name a file in a folder: " + out);
      }
    }
    CentralSecurity security = server.security();
    try {
      server.addSite(id);
    } catch (Exception e) {
      throw new IllegalStateException("pharmacy " + id + " was not added: " + CdoClient.rootMessage(e), e);
    }
    card(id, "central-console: pharmacy " + id + " added as " + name, site -> site.setName(name));
    board().register(id);
    String reply = "site added id=" + id + " name=" + quoted(name) + " repository=" + Repositories.siteRepository(id);
    if (security == null) {
      return reply + " bundle=none (development mode: no certificates)";
    }
    CentralSecurity.EnrollmentBundle bundle = security.enroll(id, out == null ? null : Path.of(out).toAbsolutePath());
    // the one time the password is shown: it is not logged, and central keeps no copy of it
    return reply + " bundle=" + bundle.file() + " password=" + bundle.oneTimePassword() + " valid-until="
        + bundle.validUntil().toString().substring(0, 10)
        + "\nGive the bundle and the password to the pharmacy by separate ways; on its node: ./apotheca site --enroll <bundle>";
  }

  private String disable(String[] args) {
    CommandArgs a = CommandArgs.parse(args, 2, Set.of("reason"));
    if (a.positional().size() != 1 || !a.has("reason")) {
      throw new IllegalArgumentException("usage: apotheca site disable <id> --reason \"...\"");
    }
    String id = known(a.positional().get(0));
    String reason = a.value("reason", "").strip();
    if (reason.isEmpty()) {
      throw new IllegalArgumentException("--reason must say why the pharmacy is disabled");
    }
    boolean already = board().isDisabled(id);
    CentralSecurity security = server.security();
    int closed = security == null ? 0 : security.revoke(id, "disabled: " + reason);
    board().disable(id, reason);
    card(id, "central-console: pharmacy " + id + " disabled: " + reason, site -> site.setActive(false));
    return "site disabled id=" + id + " links-closed=" + closed + " reason=" + quoted(reason)
        + (already ? " (it was disabled already: reason replaced)" : "")
        + "\nIts certificates are refused from now on; its node keeps selling offline. 'apotheca site enable " + id
        + "' lets it in again with a new enrollment.";
  }

  private String enable(String[] args) {
    CommandArgs a = CommandArgs.parse(args, 2, Set.of("out"));
    if (a.positional().size() != 1) {
      throw new IllegalArgumentException("usage: apotheca site enable <id> [--out <file>]");
    }
    String id = known(a.positional().get(0));
    if (!board().isDisabled(id)) {
      throw new IllegalArgumentException("pharmacy " + id + " is not disabled ('apotheca site enroll " + id
          + "' makes a new enrollment bundle)");
    }
    CentralSecurity security = server.security();
    String out = a.value("out", null);
    CentralSecurity.EnrollmentBundle bundle = security == null ? null
        : security.enroll(id, out == null ? null : Path.of(out).toAbsolutePath());
    board().enable(id);
    card(id, "central-console: pharmacy " + id + " enabled", site -> site.setActive(true));
    if (bundle == null) {
      return "site enabled id=" + id + " bundle=none (development mode: no certificates)";
    }
    return "site enabled id=" + id + " bundle=" + bundle.file() + " password=" + bundle.oneTimePassword() + " valid-until="
        + bundle.validUntil().toString().substring(0, 10)
        + "\nIts old certificates stay revoked: install this bundle on its node (./apotheca site --enroll <bundle>).";
  }

  /** Refuses an enrollment of a disabled pharmacy: enabling it is the one way back, so it is never let in by mistake. */
  void checkNotDisabled(String id) {
    SiteBoard b = server.board();
    if (b != null && b.isDisabled(id)) {
      throw new IllegalArgumentException("pharmacy " + id + " is disabled (" + b.disabledReason(id) + "): 'apotheca site enable " + id
          + "' lets it in again with a new enrollment");
    }
  }

  private String known(String typed) {
    String id = Repositories.checkSiteId(typed);
    if (!server.siteIds().contains(id)) {
      throw new IllegalArgumentException("central has no pharmacy " + id + " (known: " + server.siteIds() + ")");
    }
    return id;
  }

  /** The pharmacies' names from their cards in the catalogue's directory. */
  private Map<String, String> names(List<String> ids) {
    Map<String, String> names = new HashMap<>();
    CDONet4jSession session = server.openLocalSession(Repositories.CATALOGUE);
    try {
      CDOView view = session.openView();
      for (String id : ids) {
        String path = Repositories.SITES_FOLDER + "/" + id;
        if (view.hasResource(path)) {
          CDOResource r = view.getResource(path);
          if (!r.getContents().isEmpty() && r.getContents().get(0) instanceof PharmacySite site) {
            names.put(id, site.getName());
          }
        }
      }
    } finally {
      session.close();
    }
    return names;
  }

  private interface CardChange {
    void apply(PharmacySite site);
  }

  /** One catalogue commit on the pharmacy's card (every node receives it like any catalogue change). */
  private void card(String id, String comment, CardChange change) {
    CDONet4jSession session = server.openLocalSession(Repositories.CATALOGUE);
    try {
      CDOTransaction tx = session.openTransaction();
      String path = Repositories.SITES_FOLDER + "/" + id;
      if (!tx.hasResource(path)) {
        return; // a site from before the directory existed: nothing to change
      }
      CDOResource r = tx.getResource(path);
      if (!r.getContents().isEmpty() && r.getContents().get(0) instanceof PharmacySite site) {
        change.apply(site);
        if (tx.isDirty()) {
          tx.setCommitComment(comment);
          tx.commit();
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("pharmacy " + id + "'s card in the catalogue was not changed: " + CdoClient.rootMessage(e), e);
    } finally {
      session.close();
    }
  }
}
