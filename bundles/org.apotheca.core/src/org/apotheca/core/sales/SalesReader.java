package org.apotheca.core.sales;

import java.util.ArrayList;
import java.util.List;

import org.apotheca.core.Repositories;
import org.apotheca.model.Sale;
import org.apotheca.model.SaleStatus;
import org.apotheca.model.SalesDay;
import org.eclipse.emf.cdo.common.revision.CDORevision;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.emf.ecore.EObject;

/** Reads a site's sales journals (one resource per business day and till) out of a site repository view. */
public final class SalesReader {

  /** Completed sales of one site: how many, and their total in minor units. */
  public record Summary(String siteId, int count, long totalMinor) {
    /** The console's one-line form, parsed by scripts: {@code sales site=0001 count=3 total=1234}. */
    public String line() {
      return "sales site=" + siteId + " count=" + count + " total=" + totalMinor;
    }
  }

  private SalesReader() {
  }

  public static Summary summary(CDOView view, String siteId) {
    int count = 0;
    long total = 0;
    for (SalesDay day : journals(view, siteId)) {
      for (Sale sale : day.getSales()) {
        if (sale.getStatus() == SaleStatus.COMPLETED) {
          count++;
          total += sale.getTotalMinor();
        }
      }
    }
    return new Summary(siteId, count, total);
  }

  /** Every sales journal of the site, each prefetched whole (one round trip per journal). */
  public static List<SalesDay> journals(CDOView view, String siteId) {
    List<SalesDay> result = new ArrayList<>();
    String folder = Repositories.salesFolder(siteId);
    if (view.hasResource(folder) && view.getResourceNode(folder) instanceof CDOResourceFolder f) {
      collect(f, result);
    }
    return result;
  }

  private static void collect(CDOResourceFolder folder, List<SalesDay> result) {
    for (CDOResourceNode node : folder.getNodes()) {
      if (node instanceof CDOResourceFolder sub) {
        collect(sub, result);
      } else if (node instanceof CDOResource resource) {
        resource.cdoPrefetch(CDORevision.DEPTH_INFINITE);
        for (EObject root : resource.getContents()) {
          if (root instanceof SalesDay day) {
            result.add(day);
          }
        }
      }
    }
  }
}
