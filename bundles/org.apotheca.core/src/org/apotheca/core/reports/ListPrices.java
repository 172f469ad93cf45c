package org.apotheca.core.reports;

import java.util.HashMap;
import java.util.Map;

import org.apotheca.core.catalogue.CatalogueIndex;
import org.apotheca.core.catalogue.CatalogueReader;
import org.apotheca.model.Product;
import org.apotheca.model.ProductBucket;
import org.eclipse.emf.cdo.view.CDOView;

/**
 * The catalogue's current list price (VAT included) of the product a batch holds, for valuing stock "at list price".
 * Batches name their product by id and by the barcode it was received under; 0 when the catalogue no longer has it.
 */
@FunctionalInterface
public interface ListPrices {

  long listPriceMinor(String productId, String barcode);

  /**
   * Through the node's catalogue index: by the batch's barcode, counted only when the barcode still names the batch's
   * product, so that the node and central (which reads by id, {@link #read}) agree.
   */
  static ListPrices of(CatalogueIndex index) {
    return (productId, barcode) -> {
      Product p = index.find(barcode);
      return p != null && p.getId().equals(productId) ? p.getListPriceMinor() : 0;
    };
  }

  /** Reads the prices only when a report first asks for one (a sales report never does). */
  static ListPrices lazy(java.util.function.Supplier<ListPrices> read) {
    return new ListPrices() {
      private ListPrices prices;

      @Override
      public synchronized long listPriceMinor(String productId, String barcode) {
        if (prices == null) {
          prices = read.get();
        }
        return prices.listPriceMinor(productId, barcode);
      }
    };
  }

  /** Reads every product of a catalogue view once (central's console: one report, one pass). */
  static ListPrices read(CDOView catalogue) {
    Map<String, Long> byId = new HashMap<>();
    for (ProductBucket bucket : CatalogueReader.buckets(catalogue)) {
      for (Product p : bucket.getProducts()) {
        byId.put(p.getId(), p.getListPriceMinor());
      }
    }
    return (productId, barcode) -> byId.getOrDefault(productId, 0L);
  }
}
