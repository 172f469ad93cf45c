package org.apotheca.sync;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.DispensingRecord;
import org.apotheca.model.Prescription;
import org.apotheca.model.PrescriptionItem;
import org.apotheca.model.PrescriptionStatus;
import org.apotheca.model.StockBatch;
import org.apotheca.model.StockMovement;
import org.eclipse.emf.cdo.CDOObject;
import org.eclipse.emf.cdo.common.id.CDOID;
import org.eclipse.emf.cdo.common.revision.delta.CDOFeatureDelta;
import org.eclipse.emf.cdo.common.revision.delta.CDORevisionDelta;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.emf.spi.cdo.DefaultCDOMerger;

/**
 * Merges a node's offline branch into MAIN: CDO's per-feature merger plus the pharmacy's rules for the one case in
 * which MAIN has site data the node did not write from there: a write-through whose answer was lost (central
 * committed, the node never heard back and went OFFLINE). Then MAIN may hold
 * <ul>
 * <li>resource folders and journals with the same names as ones the offline branch created (the first sale of a
 * day): they are folded into MAIN's, or the commit fails on "Duplicate resource node";</li>
 * <li>the same document as the branch (a sale, refund, goods receipt ... kept offline under the same id by
 * {@code NodeBook.inDoubt}): the offline copy and what its commit made leave the merge ({@link DuplicateDocuments}, where
 * each kind of document is registered);</li>
 * <li>a batch quantity moved on both sides: stock is the sum of movements, so MAIN's quantity plus the branch's own
 * movements (the new movements of this merge), never one side overwriting the other;</li>
 * <li>the same prescription item dispensed on both sides (an in-doubt dispensing kept offline, then more of the item
 * dispensed offline): what an item has dispensed is the sum of its dispensing records, so MAIN's count plus the
 * branch's surviving records, and the prescription's status follows from what is still owed.</li>
 * </ul>
 * Every repair is returned as a resolution (kind, text) for staff to see. Any other conflict stays a conflict.
 */
final class LedgerMerger extends DefaultCDOMerger.PerFeature.ManyValued {

  private static final EStructuralFeature QUANTITY = ApothecaPackage.Literals.STOCK_BATCH__QUANTITY;
  private static final EStructuralFeature DISPENSED = ApothecaPackage.Literals.PRESCRIPTION_ITEM__QUANTITY_DISPENSED;
  private static final EStructuralFeature STATUS = ApothecaPackage.Literals.PRESCRIPTION__STATUS;

  private final Set<CDOID> crossedBatches = new LinkedHashSet<>();
  private final Set<CDOID> crossedItems = new LinkedHashSet<>();

  @Override
  protected Object changedInSourceAndTarget(CDORevisionDelta targetDelta, CDORevisionDelta sourceDelta) {
    if (targetDelta.getFeatureDelta(QUANTITY) != null && sourceDelta.getFeatureDelta(QUANTITY) != null) {
      crossedBatches.add(targetDelta.getID());
    }
    if (targetDelta.getFeatureDelta(DISPENSED) != null && sourceDelta.getFeatureDelta(DISPENSED) != null) {
      crossedItems.add(targetDelta.getID());
    }
    return super.changedInSourceAndTarget(targetDelta, sourceDelta);
  }

  @Override
  protected CDOFeatureDelta changedInSourceAndTargetSingleValued(EStructuralFeature feature, CDOFeatureDelta targetFeatureDelta,
      CDOFeatureDelta sourceFeatureDelta) {
    if (feature == QUANTITY || feature == DISPENSED) {
      return targetFeatureDelta; // MAIN's value here; repair() adds the branch's movements / dispensings
    }
    if (feature == STATUS) {
      return targetFeatureDelta; // repair() sets it again from what the prescription still owes
    }
    return super.changedInSourceAndTargetSingleValued(feature, targetFeatureDelta, sourceFeatureDelta);
  }

  /** Applies the rules to {@code tx} after {@code tx.merge(..., this)}; returns what it did, stamped {@code at}. */
  List<NodeJournal.Resolution> repair(CDOTransaction tx, long at) {
    List<NodeJournal.Resolution> done = new ArrayList<>();
    foldDuplicateNodes(tx, at, done);
    done.addAll(new DuplicateDocuments(tx, crossedBatches).drop(at));
    addBranchMovements(tx, at, done);
    addBranchDispensings(tx, at, done);
    return done;
  }

  private static void foldDuplicateNodes(CDOTransaction tx, long at, List<NodeJournal.Resolution> done) {
    for (CDOObject o : List.copyOf(tx.getNewObjects().values())) {
      // only the top of each subtree the branch created; fold() walks down from there
      if (o instanceof CDOResourceNode n && o.cdoView() == tx && (n.getFolder() == null || !isNew(tx, n.getFolder()))) {
        CDOResourceNode twin = twin(siblings(tx, n), n);
        if (twin != null) {
          String path = n.getPath();
          fold(n, twin);
          done.add(new NodeJournal.Resolution(at, "container-folded",
              path + " was created at central and offline: merged into central's"));
        }
      }
    }
  }

  private static List<? extends EObject> siblings(CDOTransaction tx, CDOResourceNode n) {
    CDOResourceFolder folder = n.getFolder();
    return folder != null ? folder.getNodes() : tx.getRootResource().getContents();
  }

  private static CDOResourceNode twin(List<? extends EObject> siblings, CDOResourceNode n) {
    for (EObject s : siblings) {
      if (s != n && s instanceof CDOResourceNode other && n.getName().equals(other.getName())) {
        return other;
      }
    }
    return null;
  }

  /** Moves what {@code n} holds into {@code twin} (recursively for folders), then removes {@code n}. */
  @SuppressWarnings("unchecked")
  private static void fold(CDOResourceNode n, CDOResourceNode twin) {
    if (n instanceof CDOResourceFolder f && twin instanceof CDOResourceFolder t) {
      for (CDOResourceNode child : List.copyOf(f.getNodes())) {
        CDOResourceNode childTwin = twin(t.getNodes(), child);
        if (childTwin != null) {
          fold(child, childTwin);
        } else {
          t.getNodes().add(child);
        }
      }
    } else if (n instanceof CDOResource r && twin instanceof CDOResource t) {
      for (EObject root : List.copyOf(r.getContents())) {
        EObject target = t.getContents().stream().filter(x -> x.eClass() == root.eClass()).findFirst().orElse(null);
        if (target == null) {
          t.getContents().add(root);
          continue;
        }
        for (EReference ref : root.eClass().getEAllContainments()) {
          if (ref.isMany()) {
            ((List<EObject>) target.eGet(ref)).addAll(List.copyOf((List<EObject>) root.eGet(ref)));
          }
        }
      }
    } else {
      throw new IllegalStateException("cannot merge " + n.getPath() + ": a folder and a resource of the same name");
    }
    if (n.getFolder() != null) {
      n.getFolder().getNodes().remove(n);
    } else {
      n.cdoView().getRootResource().getContents().remove(n);
    }
  }

  private void addBranchMovements(CDOTransaction tx, long at, List<NodeJournal.Resolution> done) {
    for (CDOID id : crossedBatches) {
      StockBatch batch = (StockBatch) tx.getObject(id);
      int moved = 0;
      for (CDOObject o : tx.getNewObjects().values()) {
        if (o instanceof StockMovement m && m.getBatch() == batch && m.eContainer() != null) {
          moved += m.getQuantity();
        }
      }
      int atCentral = batch.getQuantity();
      batch.setQuantity(atCentral + moved);
      done.add(new NodeJournal.Resolution(at, "stock-merged", "batch " + batch.getBarcode() + " lot " + batch.getLotNumber()
          + " changed at central and offline: central had " + atCentral + ", offline movements " + (moved >= 0 ? "+" : "")
          + moved + ", now " + batch.getQuantity()));
    }
  }

  private void addBranchDispensings(CDOTransaction tx, long at, List<NodeJournal.Resolution> done) {
    Set<Prescription> touched = new LinkedHashSet<>();
    for (CDOID id : crossedItems) {
      PrescriptionItem item = (PrescriptionItem) tx.getObject(id);
      int dispensed = 0;
      for (CDOObject o : tx.getNewObjects().values()) {
        if (o instanceof DispensingRecord r && r.getItem() == item && r.eContainer() != null) {
          dispensed += r.getQuantity();
        }
      }
      int atCentral = item.getQuantityDispensed();
      item.setQuantityDispensed(atCentral + dispensed);
      if (item.eContainer() instanceof Prescription p) {
        touched.add(p);
      }
      done.add(new NodeJournal.Resolution(at, "dispensing-merged", item.getProductName() + " on a prescription dispensed at "
          + "central and offline: central had " + atCentral + ", offline dispensings +" + dispensed + ", now "
          + item.getQuantityDispensed() + " of " + item.getQuantityPrescribed()));
    }
    for (Prescription p : touched) {
      if (p.getStatus() != PrescriptionStatus.CANCELLED) {
        boolean owes = p.getItems().stream().anyMatch(i -> i.getQuantityDispensed() < i.getQuantityPrescribed());
        p.setStatus(owes ? PrescriptionStatus.PARTIALLY_DISPENSED : PrescriptionStatus.DISPENSED);
      }
    }
  }

  private static boolean isNew(CDOTransaction tx, CDOObject o) {
    return tx.getNewObjects().containsKey(o.cdoID());
  }
}
