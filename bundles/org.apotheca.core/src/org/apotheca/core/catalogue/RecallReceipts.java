package org.apotheca.core.catalogue;

import org.apotheca.core.Repositories;
import org.apotheca.core.ResourceRoots;
import org.apotheca.model.RecallLog;
import org.apotheca.model.RecallReceipt;
import org.eclipse.emf.cdo.view.CDOView;

/** Reads the recall receipts a pharmacy's node wrote into its own repository (central's recall status). */
public final class RecallReceipts {

  /** When the node received the recall and its lift (0: not yet). */
  public record Seen(long receivedAt, long liftReceivedAt) {
  }

  private RecallReceipts() {
  }

  public static Seen seen(CDOView siteView, String siteId, String recallId) {
    long received = 0;
    long lift = 0;
    for (RecallLog log : ResourceRoots.of(siteView, "/sites/" + Repositories.checkSiteId(siteId) + "/recalls", RecallLog.class)) {
      for (RecallReceipt rr : log.getReceipts()) {
        if (rr.getRecallId().equals(recallId)) {
          if (rr.isLifted()) {
            lift = rr.getReceivedAt();
          } else {
            received = rr.getReceivedAt();
          }
        }
      }
    }
    return new Seen(received, lift);
  }
}
