package org.apotheca.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueReader;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.PharmacySite;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.server.IRepository;
import org.eclipse.emf.cdo.view.CDOView;

/**
 * Apotheca's own console commands on the central server, as one Gogo function with sub-commands (see
 * docs/console.md). Replies are lines that scripts can parse; a bad command or argument throws, so the Gogo
 * console prints "gogo: ..." and the one-shot console exits non-zero. Nothing is half done on error.
 */
public class ServerCommands {

  static final String USAGE = "Commands: apotheca status | apotheca repos | apotheca sites | apotheca sales <siteId> "
      + "| apotheca seed [--products N] [--sites K] | apotheca help";

  private final CentralServer server;

  public ServerCommands(CentralServer server) {
    this.server = server;
  }

  public String apotheca(String... args) throws Exception {
    String sub = args.length == 0 ? "help" : args[0];
    return switch (sub) {
      case "status" -> status();
      case "repos" -> repos();
      case "sites" -> sites();
      case "sales" -> sales(args);
      case "seed" -> seed(args);
      case "help" -> USAGE;
      default -> throw new IllegalArgumentException("unknown command 'apotheca " + sub + "'. " + USAGE);
    };
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

  private String sites() {
    List<String> ids = server.siteIds();
    if (ids.isEmpty()) {
      return "no sites (add them with 'apotheca seed --sites K' or the 'sites' key of the server config)";
    }
    CDONet4jSession session = server.openLocalSession(Repositories.CATALOGUE);
    try {
      CDOView view = session.openView();
      StringBuilder sb = new StringBuilder();
      for (String id : ids) {
        String path = Repositories.SITES_FOLDER + "/" + id;
        String name = "";
        if (view.hasResource(path)) {
          CDOResource r = view.getResource(path);
          if (!r.getContents().isEmpty() && r.getContents().get(0) instanceof PharmacySite site) {
            name = site.getName();
          }
        }
        sb.append("site id=").append(id).append(" repository=").append(Repositories.siteRepository(id))
            .append(" name=\"").append(name).append("\"\n");
      }
      return sb.toString().stripTrailing();
    } finally {
      session.close();
    }
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
