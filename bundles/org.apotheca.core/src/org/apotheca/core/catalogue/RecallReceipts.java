package org.apotheca.core.catalogue;

import org.apotheca.core.Repositories;
import org.apotheca.model.RecallLog;
import org.apotheca.model.RecallReceipt;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.emf.ecore.EObject;

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
    String folder = "/sites/" + Repositories.checkSiteId(siteId) + "/recalls";
    if (siteView.hasResource(folder) && siteView.getResourceNode(folder) instanceof CDOResourceFolder f) {
      for (CDOResourceNode n : f.getNodes()) {
        if (n instanceof CDOResource r) {
          for (EObject root : r.getContents()) {
            if (root instanceof RecallLog log) {
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
          }
        }
      }
    }
    return new Seen(received, lift);
  }
}
