package org.apotheca.core.catalogue;

import java.util.HashMap;
import java.util.Map;

import org.apotheca.model.Barcode;
import org.apotheca.model.Product;
import org.apotheca.model.ProductBucket;
import org.eclipse.emf.cdo.CDOObject;
import org.eclipse.emf.cdo.common.id.CDOID;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.emf.cdo.view.CDOViewInvalidationEvent;
import org.eclipse.net4j.util.event.IListener;

/**
 * Barcode/GTIN → product lookup on a catalogue view (central's or a node's clone).
 * <p>
 * A till scans one code per line; walking 100k products per scan is out of the question and the DBStore offers
 * no query language we can rely on across repositories, so the index holds code → CDOID in memory (~10 MB for
 * 100k products) and follows the view's invalidations: a product that central changes or adds is re-indexed
 * as soon as the commit reaches this view. The product itself is always read from the view, so prices are the
 * view's current ones.
 */
public final class CatalogueIndex implements AutoCloseable {

  private final CDOView view;
  private final Map<String, CDOID> byCode = new HashMap<>();
  private final IListener listener = event -> {
    if (event instanceof CDOViewInvalidationEvent e) {
      onInvalidation(e);
    }
  };

  public CatalogueIndex(CDOView view) {
    this.view = view;
    synchronized (this) {
      for (ProductBucket bucket : CatalogueReader.buckets(view)) {
        index(bucket);
      }
    }
    view.addListener(listener);
  }

  /** The product with this EAN/GTIN/internal code, or null. A 13-digit EAN and its 14-digit GTIN both match. */
  public Product find(String code) {
    if (code == null) {
      return null;
    }
    String c = code.trim();
    CDOID id;
    synchronized (this) {
      id = byCode.get(c);
      if (id == null && c.length() == 14 && c.startsWith("0")) {
        id = byCode.get(c.substring(1));
      }
    }
    if (id == null) {
      return null;
    }
    synchronized (view) {
      CDOObject o = view.getObject(id, true);
      return o instanceof Product p && p.cdoState() != org.eclipse.emf.cdo.CDOState.INVALID ? p : null;
    }
  }

  public synchronized int size() {
    return byCode.size();
  }

  @Override
  public void close() {
    view.removeListener(listener);
  }

  private synchronized void onInvalidation(CDOViewInvalidationEvent e) {
    for (CDOObject o : e.getDirtyObjects()) {
      if (o instanceof ProductBucket bucket) {
        index(bucket); // products added to a bucket
      } else if (o instanceof Product p) {
        index(p);
      } else if (o instanceof Barcode b && b.eContainer() instanceof Product p) {
        index(p);
      }
    }
  }

  private void index(ProductBucket bucket) {
    for (Product p : bucket.getProducts()) {
      index(p);
    }
  }

  private void index(Product p) {
    CDOID id = p.cdoID();
    for (Barcode b : p.getBarcodes()) {
      if (b.getCode() != null && !b.getCode().isEmpty()) {
        byCode.put(b.getCode(), id);
      }
      if (b.getGtin() != null && !b.getGtin().isEmpty()) {
        byCode.put(b.getGtin(), id);
      }
    }
  }
}
