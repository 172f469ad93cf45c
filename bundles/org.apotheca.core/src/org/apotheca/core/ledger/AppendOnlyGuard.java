package org.apotheca.core.ledger;

import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.ControlledDrugEntry;
import org.apotheca.model.RegisterPage;
import org.eclipse.emf.cdo.CDOObject;
import org.eclipse.emf.cdo.common.id.CDOID;
import org.eclipse.emf.cdo.common.revision.delta.CDOAddFeatureDelta;
import org.eclipse.emf.cdo.common.revision.delta.CDOFeatureDelta;
import org.eclipse.emf.cdo.common.revision.delta.CDOListFeatureDelta;
import org.eclipse.emf.cdo.common.revision.delta.CDORevisionDelta;
import org.eclipse.emf.cdo.transaction.CDOCommitContext;
import org.eclipse.emf.cdo.transaction.CDODefaultTransactionHandler2;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.apotheca.node.api.Refusal;

/**
 * Refuses, on the node, any commit of the ledger's transaction that would change or remove a controlled-drugs
 * register entry, or change a register page other than by appending entries to it. The register's code has no such
 * path; this makes sure no future one (or a bug) can slip through: the commit fails, the ledger rolls the operation
 * back whole, and the person gets one sentence. Central refuses the same independently.
 */
public final class AppendOnlyGuard extends CDODefaultTransactionHandler2 {

  @Override
  public void committingTransaction(CDOTransaction transaction, CDOCommitContext context) {
    check(context);
  }

  /** Throws {@link LedgerException} (NOT_ALLOWED) when the commit changes the register other than by appending. */
  public static void check(CDOCommitContext context) {
    for (CDOObject o : context.getDetachedObjects().values()) {
      if (o instanceof ControlledDrugEntry || o instanceof RegisterPage) {
        throw refused();
      }
    }
    for (CDOID id : context.getDirtyObjects().keySet()) {
      CDOObject o = context.getDirtyObjects().get(id);
      if (o instanceof ControlledDrugEntry) {
        throw refused();
      }
      if (o instanceof RegisterPage) {
        CDORevisionDelta delta = context.getRevisionDeltas().get(id);
        if (delta != null && !onlyAppends(delta)) {
          throw refused();
        }
      }
    }
  }

  private static boolean onlyAppends(CDORevisionDelta delta) {
    for (CDOFeatureDelta fd : delta.getFeatureDeltas()) {
      if (fd.getFeature() != ApothecaPackage.Literals.REGISTER_PAGE__ENTRIES) {
        return false;
      }
      if (fd instanceof CDOListFeatureDelta list) {
        for (CDOFeatureDelta inner : list.getListChanges()) {
          if (!(inner instanceof CDOAddFeatureDelta)) {
            return false;
          }
        }
      } else if (!(fd instanceof CDOAddFeatureDelta)) {
        return false;
      }
    }
    return true;
  }

  private static LedgerException refused() {
    return new LedgerException(Refusal.NOT_ALLOWED,
        "Controlled-drugs register entries cannot be changed or removed: add a dated correction note instead");
  }
}
