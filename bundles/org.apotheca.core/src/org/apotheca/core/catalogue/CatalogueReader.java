package org.apotheca.core.catalogue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apotheca.core.Repositories;
import org.apotheca.core.ResourceRoots;
import org.apotheca.model.ActiveIngredient;
import org.apotheca.model.Barcode;
import org.apotheca.model.ControlledDrugSchedule;
import org.apotheca.model.Product;
import org.apotheca.model.ProductBucket;
import org.apotheca.model.RecallBucket;
import org.eclipse.emf.cdo.view.CDOView;

/** Reads products out of a catalogue repository view (central's or, later, a pharmacy's clone). */
public final class CatalogueReader {

  private CatalogueReader() {
  }

  /** Every product bucket in key order; each bucket is prefetched whole, one round trip per bucket. */
  public static List<ProductBucket> buckets(CDOView view) {
    return ResourceRoots.of(view, Repositories.PRODUCTS_FOLDER, ProductBucket.class);
  }

  /** Every recall bucket in key order (recalls in the order issued). */
  public static List<RecallBucket> recallBuckets(CDOView view) {
    return ResourceRoots.of(view, Repositories.RECALLS_FOLDER, RecallBucket.class);
  }



  public static int count(CDOView view) {
    int n = 0;
    for (ProductBucket b : buckets(view)) {
      n += b.getProducts().size();
    }
    return n;
  }

  /** Up to {@code max} products sorted by name, as immutable rows. */
  public static List<CatalogueRow> rows(CDOView view, int max) {
    List<CatalogueRow> rows = new ArrayList<>();
    for (ProductBucket b : buckets(view)) {
      for (Product p : b.getProducts()) {
        rows.add(row(p));
      }
    }
    rows.sort(Comparator.comparing(CatalogueRow::name, String.CASE_INSENSITIVE_ORDER).thenComparing(CatalogueRow::barcode));
    return rows.size() > max ? new ArrayList<>(rows.subList(0, max)) : rows;
  }

  public static CatalogueRow row(Product p) {
    String barcode = "";
    for (Barcode b : p.getBarcodes()) {
      if (barcode.isEmpty() || b.isPrimary()) {
        barcode = b.getCode();
        if (b.isPrimary()) {
          break;
        }
      }
    }
    StringBuilder ingredients = new StringBuilder();
    for (ActiveIngredient ai : p.getIngredients()) {
      ingredients.append(ingredients.length() == 0 ? "" : ", ").append(ai.getName());
    }
    String pack = p.getPackSize() + " " + (p.getPackUnit() == null ? "" : p.getPackUnit());
    int vat = p.getVatRate() == null ? 0 : p.getVatRate().getRateBasisPoints();
    String schedule = p.getSchedule() == null || p.getSchedule() == ControlledDrugSchedule.NONE ? "" : p.getSchedule().getLiteral();
    return new CatalogueRow(p.getId(), barcode, p.getName(), ingredients.toString(), pack.trim(), p.getListPriceMinor(), vat, schedule);
  }
}
