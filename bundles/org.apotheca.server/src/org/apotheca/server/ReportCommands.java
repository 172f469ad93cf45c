package org.apotheca.server;

import java.time.LocalDate;
import java.util.Arrays;

import org.apotheca.core.Repositories;
import org.apotheca.core.reports.ListPrices;
import org.apotheca.core.reports.ReportConsole;
import org.apotheca.core.reports.SiteFigures;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;

/**
 * {@code apotheca report sales|products|stock|expiry <site> ...}: a pharmacy's figures computed at central from its
 * site repository, by the code the node runs for its own reports (docs/console.md). Read-only; each report opens its
 * own sessions (the catalogue's only when stock is valued at list price) and closes them.
 */
final class ReportCommands {

  static final String SITE_WORD = " <site>";

  private final CentralServer server;

  ReportCommands(CentralServer server) {
    this.server = server;
  }

  String report(String[] args) {
    if (args.length < 3 || !ReportConsole.KINDS.contains(args[1])) {
      throw new IllegalArgumentException(args.length >= 2 && !ReportConsole.KINDS.contains(args[1])
          ? "unknown report '" + args[1] + "'. " + ReportConsole.usage(SITE_WORD)
          : ReportConsole.usage(SITE_WORD));
    }
    String siteId = args[2];
    Repositories.checkSiteId(siteId);
    if (!server.siteIds().contains(siteId)) {
      throw new IllegalArgumentException("no site '" + siteId + "' on this server (known: " + server.siteIds() + ")");
    }
    return ReportConsole.run(siteId, args[1], Arrays.copyOfRange(args, 3, args.length), LocalDate.now(), work -> {
      CDONet4jSession site = server.openLocalSession(Repositories.siteRepository(siteId));
      CDONet4jSession[] catalogue = new CDONet4jSession[1];
      try {
        ListPrices prices = ListPrices.lazy(() -> {
          catalogue[0] = server.openLocalSession(Repositories.CATALOGUE);
          return ListPrices.read(catalogue[0].openView());
        });
        return work.apply(new SiteFigures(site.openView(), siteId, prices));
      } finally {
        site.close();
        if (catalogue[0] != null) {
          catalogue[0].close();
        }
      }
    }, SITE_WORD);
  }
}
