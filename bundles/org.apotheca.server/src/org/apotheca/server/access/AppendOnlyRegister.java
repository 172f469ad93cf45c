package org.apotheca.server.access;

import java.util.List;
import java.util.Map;

import org.apotheca.model.ApothecaPackage;
import org.eclipse.emf.cdo.common.id.CDOID;
import org.eclipse.emf.cdo.common.revision.CDORevision;
import org.eclipse.emf.cdo.common.revision.delta.CDOFeatureDelta;
import org.eclipse.emf.cdo.common.revision.delta.CDORevisionDelta;
import org.eclipse.emf.cdo.server.IStoreAccessor.CommitContext;
import org.eclipse.emf.cdo.server.ITransaction;
import org.eclipse.emf.cdo.spi.common.revision.InternalCDORevision;
import org.eclipse.emf.ecore.EClass;

/**
 * The controlled-drugs register is append-only at central, whoever commits (a pharmacy, a staff tool, central's own
 * console): a commit may add register pages and add entries to a page, and nothing else touches the register. Refused:
 * any change to an existing entry, any change to a page other than new entries, removing or reordering a page's
 * entries, detaching an entry or a page. A correction is a new CORRECTION_NOTE entry.
 * <p>
 * What a node's offline merge commits stays allowed: the entries it made offline are new objects added to pages
 * (possibly in front of entries central got meanwhile from a write-through whose answer was lost; their order among
 * each other is kept, and the register reads chronologically by {@code enteredAt}), and a page created both at central
 * and offline is merged by adding the offline page's entries to central's.
 */
public final class AppendOnlyRegister {

  private static final EClass ENTRY = ApothecaPackage.Literals.CONTROLLED_DRUG_ENTRY;
  private static final EClass PAGE = ApothecaPackage.Literals.REGISTER_PAGE;
  private static final String ENTRIES = ApothecaPackage.Literals.REGISTER_PAGE__ENTRIES.getName();

  private AppendOnlyRegister() {
  }

  /** @return null when the commit leaves every existing register entry and page as it was, else the sentence to refuse with */
  public static String commitRefusal(CommitContext commit) {
    for (CDORevisionDelta delta : commit.getDirtyObjectDeltas()) {
      if (is(delta.getEClass(), ENTRY)) {
        return "the controlled-drugs register is append-only: entry " + delta.getID()
            + " may not be changed (a correction is a new dated note)";
      }
      if (is(delta.getEClass(), PAGE)) {
        for (CDOFeatureDelta change : delta.getFeatureDeltas()) {
          if (!ENTRIES.equals(change.getFeature().getName())) {
            return "the controlled-drugs register is append-only: a register page's " + change.getFeature().getName()
                + " may not be changed";
          }
          if (!keepsEveryEntry(commit, delta.getID(), change)) {
            return "the controlled-drugs register is append-only: entries may be added to a register page, never removed, "
                + "replaced or moved";
          }
        }
      }
    }
    for (CDOID id : commit.getDetachedObjects()) {
      EClass type = typeOf(commit, id);
      if (is(type, ENTRY) || is(type, PAGE)) {
        return "the controlled-drugs register is append-only: " + (is(type, ENTRY) ? "an entry" : "a register page")
            + " may not be deleted";
      }
    }
    return null;
  }

  /** True when the page's entries before the commit are all still there afterwards, in the same order. */
  private static boolean keepsEveryEntry(CommitContext commit, CDOID page, CDOFeatureDelta change) {
    InternalCDORevision before = stored(commit, page);
    if (before == null) {
      // without the stored page nothing can be compared: accept additions only
      return change.getType() == CDOFeatureDelta.Type.ADD;
    }
    List<Object> old = List.copyOf(before.getList(change.getFeature()));
    InternalCDORevision after = null;
    if (commit.getDirtyObjects() != null) {
      for (InternalCDORevision r : commit.getDirtyObjects()) {
        if (r != null && page.equals(r.getID())) {
          after = r; // CDO computed the page as the commit leaves it before it asks the write handlers
        }
      }
    }
    if (after == null) {
      after = before.copy();
      change.apply(after);
    }
    int i = 0;
    for (Object o : after.getList(change.getFeature())) {
      if (i < old.size() && old.get(i).equals(o)) {
        i++;
      }
    }
    return i == old.size();
  }

  /** The object as the repository holds it before this commit, or null. */
  private static InternalCDORevision stored(CommitContext commit, CDOID id) {
    Map<CDOID, InternalCDORevision> old = commit.getOldRevisions();
    if (old != null && old.get(id) != null) {
      return old.get(id);
    }
    ITransaction tx = commit.getTransaction();
    CDORevision r = tx.getRepository().getRevisionManager().getRevision(id, tx.getBranch().getHead(), CDORevision.UNCHUNKED,
        CDORevision.DEPTH_NONE, true);
    return r instanceof InternalCDORevision ir ? ir : null;
  }

  private static EClass typeOf(CommitContext commit, CDOID id) {
    Map<CDOID, EClass> types = commit.getDetachedObjectTypes();
    if (types != null && types.get(id) != null) {
      return types.get(id);
    }
    CDORevision r = stored(commit, id);
    return r == null ? null : r.getEClass();
  }

  /** By name and package: the server may hold the model as its own EClass instances. */
  private static boolean is(EClass type, EClass expected) {
    return type != null && expected.getName().equals(type.getName()) && type.getEPackage() != null
        && expected.getEPackage().getNsURI().equals(type.getEPackage().getNsURI());
  }
}
