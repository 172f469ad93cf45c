package org.apotheca.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.eclipse.emf.cdo.common.revision.CDORevision;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.emf.ecore.EObject;

/**
 * The bounded containers of one kind under a resource folder (product buckets, stock buckets, recall logs...):
 * every resource of the folder in name order (b00000, b00001, ...), each prefetched whole (one round trip per
 * resource), and the roots of the given type in them. Missing folder: none.
 */
public final class ResourceRoots {

  private ResourceRoots() {
  }

  public static <T> List<T> of(CDOView view, String folder, Class<T> type) {
    List<T> result = new ArrayList<>();
    if (!view.hasResource(folder)) {
      return result;
    }
    CDOResourceNode node = view.getResourceNode(folder);
    if (!(node instanceof CDOResourceFolder f)) {
      return result;
    }
    List<CDOResource> resources = new ArrayList<>();
    for (CDOResourceNode child : f.getNodes()) {
      if (child instanceof CDOResource r) {
        resources.add(r);
      }
    }
    resources.sort(Comparator.comparing(CDOResourceNode::getName));
    for (CDOResource r : resources) {
      r.cdoPrefetch(CDORevision.DEPTH_INFINITE);
      for (EObject root : r.getContents()) {
        if (type.isInstance(root)) {
          result.add(type.cast(root));
        }
      }
    }
    return result;
  }
}
