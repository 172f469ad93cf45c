package org.apotheca.sync;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.Identified;
import org.apotheca.model.MovementJournal;
import org.apotheca.model.MovementReason;
import org.apotheca.model.Sale;
import org.apotheca.model.StockBatch;
import org.apotheca.model.StockMovement;
import org.eclipse.emf.cdo.CDOObject;
import org.eclipse.emf.cdo.common.id.CDOID;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.ecore.EAttribute;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;

/**
 * Exactly once for every document the node writes under an id its caller chose before the first attempt. When a
 * write-through's answer is lost, central may have committed the document while the node, told "failed", kept the
 * same request (same id) on its offline branch ({@code NodeBook.inDoubt}). Merging that branch must then leave central
 * with one copy: this drops the branch's copy and everything its commit made beside it.
 * <p>
 * <b>Adding a kind of document</b>: put its class in {@link #KINDS}. That is all, provided it is written the way the
 * ledger writes documents: its {@code id} is the caller's, it lives in a list of a container that is the root of a
 * resource, and the other copies it could have are in resources of the same folder (the day's journals of every till,
 * the months of a register). If its commit also makes objects that name it by id in an attribute (as stock movements
 * name their document), put that attribute in {@link #MADE_BY}.
 * <p>
 * A document that is only stock movements (a supplier return, a write-off) is registered by its movement reason in
 * {@link #MOVEMENT_DOCUMENTS}.
 * <p>
 * What is dropped for a branch copy D whose twin T central already has:
 * <ul>
 * <li>D with everything it contains;</li>
 * <li>the branch's new objects that name D in a {@link #MADE_BY} attribute (its stock movements, its register
 * entries), a dropped movement's quantity taken off its batch again unless the batch moved on both sides (then
 * {@link LedgerMerger} adds up the surviving movements);</li>
 * <li>the branch's new objects D refers to where T refers to central's own (the batch a goods receipt made offline
 * against the one central made): later branch objects that refer to them are pointed at central's instead, and a
 * stock movement moved so carries its quantity to central's batch.</li>
 * </ul>
 */
final class DuplicateDocuments {

  /** Documents that carry the caller's id: the only place a new kind needs registering. */
  static final Set<EClass> KINDS = Set.of(
      ApothecaPackage.Literals.SALE,
      ApothecaPackage.Literals.REFUND,
      ApothecaPackage.Literals.GOODS_RECEIPT,
      ApothecaPackage.Literals.DISPENSING_RECORD,
      ApothecaPackage.Literals.CASH_UP,
      // a count carries the till's id; its sheet is not a kind: sheets get ids the node makes, so a sheet made twice
      // has two ids and never matches, and the counts on it are matched one by one
      ApothecaPackage.Literals.STOCKTAKE_LINE,
      ApothecaPackage.Literals.CONTROLLED_DRUG_ENTRY);

  /**
   * Attributes by which an object names the document whose commit made it. A movement names a sale, refund or receipt
   * as its document, and a dispensing record (one per line of a dispensing, its document) as its document line.
   */
  static final List<EAttribute> MADE_BY = List.of(
      ApothecaPackage.Literals.STOCK_MOVEMENT__DOCUMENT_ID,
      ApothecaPackage.Literals.STOCK_MOVEMENT__DOCUMENT_LINE_ID,
      ApothecaPackage.Literals.CONTROLLED_DRUG_ENTRY__GOODS_RECEIPT_ID,
      ApothecaPackage.Literals.CONTROLLED_DRUG_ENTRY__DISPENSING_RECORD_ID,
      ApothecaPackage.Literals.CONTROLLED_DRUG_ENTRY__INVOICE_NUMBER);

  /**
   * Documents that are stock movements and nothing else (a supplier return, an expired-stock write-off, a stocktake's
   * adjustments, all made when it is finished): the caller's id is their {@code documentId}, and central having a
   * movement of that reason under that id means it has the document. Everything named by that id on the branch then
   * leaves the merge (its movements, its register entries).
   */
  static final Set<MovementReason> MOVEMENT_DOCUMENTS = EnumSet.of(MovementReason.SUPPLIER_RETURN,
      MovementReason.EXPIRED_WRITE_OFF, MovementReason.STOCKTAKE);

  private static final EReference MOVEMENT_BATCH = ApothecaPackage.Literals.STOCK_MOVEMENT__BATCH;

  private final CDOTransaction tx;
  private final Set<CDOID> crossedBatches;
  /** Central's documents by id, per (folder, container class, list): one read per day folder, however many documents. */
  private final Map<List<Object>, Map<String, EObject>> atMain = new HashMap<>();

  DuplicateDocuments(CDOTransaction tx, Set<CDOID> crossedBatches) {
    this.tx = tx;
    this.crossedBatches = crossedBatches;
  }

  /** Drops every branch copy of a document central already has; returns one resolution per document dropped. */
  List<NodeJournal.Resolution> drop(long at) {
    List<NodeJournal.Resolution> done = new ArrayList<>();
    Map<EObject, EObject> replaced = new IdentityHashMap<>();
    List<Identified> duplicates = new ArrayList<>();
    for (CDOObject o : List.copyOf(tx.getNewObjects().values())) {
      if (!KINDS.contains(o.eClass()) || o.eContainer() == null || !(o instanceof Identified doc) || doc.getId() == null
          || replaced.containsKey(o)) {
        continue;
      }
      EObject twin = twinAtMain(o);
      if (twin != null) {
        pair(o, twin, replaced);
        duplicates.add(doc);
      }
    }
    Set<String> movementDocuments = duplicateMovementDocuments();
    for (String id : movementDocuments) {
      dropMadeBy(id, replaced);
      done.add(new NodeJournal.Resolution(at, "duplicate-dropped", "stock movements of " + id
          + " reached central from a write-through whose answer was lost and were kept offline too: merged once"));
    }
    if (duplicates.isEmpty()) {
      return done;
    }
    // in this order: a reference to an object already dropped no longer resolves to it
    for (Identified doc : duplicates) {
      dropMadeBy(doc.getId(), replaced);
    }
    repoint(replaced);
    for (Identified doc : duplicates) {
      String what = describe(doc);
      remove(doc);
      done.add(new NodeJournal.Resolution(at, "duplicate-dropped", what + " (" + doc.getId()
          + ") reached central from a write-through whose answer was lost and was kept offline too: merged once"));
    }
    for (EObject dropped : replaced.keySet()) {
      if (dropped.eContainer() != null && !inside(dropped, replaced)) {
        remove(dropped);
      }
    }
    return done;
  }

  /** Ids of movement-only documents the branch has and central has too (same reason, same day's journals). */
  private Set<String> duplicateMovementDocuments() {
    Set<String> ids = new LinkedHashSet<>();
    Map<CDOResourceFolder, Set<String>> mainByDay = new HashMap<>();
    for (CDOObject o : tx.getNewObjects().values()) {
      if (o instanceof StockMovement m && MOVEMENT_DOCUMENTS.contains(m.getReason()) && m.getDocumentId() != null
          && m.eContainer() instanceof CDOObject journal && journal.cdoResource() != null
          && journal.cdoResource().getFolder() != null) {
        Set<String> main = mainByDay.computeIfAbsent(journal.cdoResource().getFolder(), this::mainMovementDocuments);
        if (main.contains(m.getReason() + " " + m.getDocumentId())) {
          ids.add(m.getDocumentId());
        }
      }
    }
    return ids;
  }

  private Set<String> mainMovementDocuments(CDOResourceFolder day) {
    Set<String> keys = new HashSet<>();
    for (CDOResourceNode n : day.getNodes()) {
      if (n instanceof CDOResource r && !isNew(r)) {
        for (EObject root : r.getContents()) {
          if (root instanceof MovementJournal j) {
            for (StockMovement m : j.getMovements()) {
              if (!isNew(m) && MOVEMENT_DOCUMENTS.contains(m.getReason()) && m.getDocumentId() != null) {
                keys.add(m.getReason() + " " + m.getDocumentId());
              }
            }
          }
        }
      }
    }
    return keys;
  }

  /** Central's copy of a branch document: same id, same kind of list, in a resource of the same folder. */
  private EObject twinAtMain(EObject doc) {
    EObject container = doc.eContainer();
    EReference list = doc.eContainmentFeature();
    if (!(container instanceof CDOObject c) || c.cdoResource() == null || !list.isMany()) {
      return null;
    }
    CDOResource resource = c.cdoResource();
    CDOResourceFolder folder = resource.getFolder();
    List<Object> key = List.of(folder == null ? resource : folder, container.eClass(), list);
    return atMain.computeIfAbsent(key, k -> mainDocuments(folder, resource, container.eClass(), list))
        .get(((Identified) doc).getId());
  }

  private Map<String, EObject> mainDocuments(CDOResourceFolder folder, CDOResource resource, EClass containerClass, EReference list) {
    Map<String, EObject> ids = new HashMap<>();
    List<CDOResource> resources = new ArrayList<>();
    if (folder == null) {
      resources.add(resource);
    } else {
      for (CDOResourceNode n : folder.getNodes()) {
        if (n instanceof CDOResource r) {
          resources.add(r);
        }
      }
    }
    for (CDOResource r : resources) {
      if (isNew(r)) {
        continue;
      }
      for (EObject root : r.getContents()) {
        if (root.eClass() == containerClass) {
          for (Object element : (List<?>) root.eGet(list)) {
            if (element instanceof Identified d && !isNew((CDOObject) d) && d.getId() != null) {
              ids.put(d.getId(), d);
            }
          }
        }
      }
    }
    return ids;
  }

  /**
   * Walks the branch copy and central's side by side (the same code wrote both from the same request, so they have
   * the same shape): each branch object stands for central's, and so does each new object it refers to.
   */
  @SuppressWarnings("unchecked")
  private void pair(EObject branch, EObject main, Map<EObject, EObject> replaced) {
    if (branch.eClass() != main.eClass() || replaced.containsKey(branch)) {
      return;
    }
    replaced.put(branch, main);
    for (EReference ref : branch.eClass().getEAllReferences()) {
      if (ref.isDerived() || ref.isTransient() || ref.isContainer()) {
        continue;
      }
      List<Object> b = ref.isMany() ? (List<Object>) branch.eGet(ref) : single(branch.eGet(ref));
      List<Object> m = ref.isMany() ? (List<Object>) main.eGet(ref) : single(main.eGet(ref));
      for (int i = 0; i < Math.min(b.size(), m.size()); i++) {
        if (b.get(i) instanceof CDOObject bo && m.get(i) instanceof EObject mo && bo != mo
            && (ref.isContainment() || isNew(bo))) {
          pair(bo, mo, replaced);
        }
      }
    }
  }

  private static List<Object> single(Object value) {
    List<Object> l = new ArrayList<>(1);
    if (value != null) {
      l.add(value);
    }
    return l;
  }

  /** Drops the branch's objects that name the document as the one that made them. */
  private void dropMadeBy(String documentId, Map<EObject, EObject> replaced) {
    for (CDOObject o : List.copyOf(tx.getNewObjects().values())) {
      if (!isNew(o) || o.eContainer() == null) {
        continue; // left with an object dropped before
      }
      for (EAttribute a : MADE_BY) {
        if (a.getEContainingClass().isSuperTypeOf(o.eClass()) && documentId.equals(o.eGet(a))) {
          if (o instanceof StockMovement m) {
            StockBatch batch = m.getBatch();
            if (batch != null && !crossedBatches.contains(batch.cdoID()) && !replaced.containsKey(batch)) {
              batch.setQuantity(batch.getQuantity() - m.getQuantity());
            }
          }
          remove(o);
          break;
        }
      }
    }
  }

  /**
   * Points the branch's surviving objects at central's objects instead of the dropped ones; a stock movement that so
   * moves to central's batch moves that batch's quantity too (central's batch never saw the branch's movements).
   */
  @SuppressWarnings("unchecked")
  private void repoint(Map<EObject, EObject> replaced) {
    for (CDOObject o : List.copyOf(tx.getNewObjects().values())) {
      if (!isNew(o) || o.eContainer() == null || replaced.containsKey(o) || inside(o, replaced)) {
        continue; // dropped already, or about to be
      }
      for (EReference ref : o.eClass().getEAllReferences()) {
        if (ref.isContainment() || ref.isContainer() || ref.isDerived() || ref.isTransient() || !ref.isChangeable()) {
          continue;
        }
        if (ref.isMany()) {
          List<Object> values = (List<Object>) o.eGet(ref);
          for (int i = 0; i < values.size(); i++) {
            EObject to = replaced.get(values.get(i));
            if (to != null) {
              values.set(i, to);
            }
          }
        } else {
          EObject to = replaced.get(o.eGet(ref));
          if (to != null) {
            o.eSet(ref, to);
            if (ref == MOVEMENT_BATCH && to instanceof StockBatch b) {
              b.setQuantity(b.getQuantity() + ((StockMovement) o).getQuantity());
            }
          }
        }
      }
    }
  }

  /** True when {@code o} sits inside another dropped object (it leaves with that one). */
  private static boolean inside(EObject o, Map<EObject, EObject> replaced) {
    for (EObject c = o.eContainer(); c != null; c = c.eContainer()) {
      if (replaced.containsKey(c)) {
        return true;
      }
    }
    return false;
  }

  private static void remove(EObject o) {
    if (o.eContainer() != null) {
      ((List<?>) o.eContainer().eGet(o.eContainmentFeature())).remove(o);
    }
  }

  /** "sale till-1-20261201-3", "refund", "goods receipt": for the resolution staff read. */
  private static String describe(EObject doc) {
    if (doc instanceof Sale s) {
      return "sale " + s.getReceiptNumber();
    }
    return doc.eClass().getName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  private boolean isNew(CDOObject o) {
    return o.cdoID() != null && tx.getNewObjects().containsKey(o.cdoID());
  }
}
