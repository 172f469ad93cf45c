package org.apotheca.core.catalogue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.apotheca.core.Repositories;
import org.apotheca.core.ResourceRoots;
import org.apotheca.core.catalogue.CatalogueCsv.Column;
import org.apotheca.core.catalogue.CatalogueCsv.Entry;
import org.apotheca.core.catalogue.CatalogueCsv.Problem;
import org.apotheca.model.ActiveIngredient;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.Barcode;
import org.apotheca.model.BarcodeType;
import org.apotheca.model.ControlledDrugSchedule;
import org.apotheca.model.IngredientBucket;
import org.apotheca.model.Product;
import org.apotheca.model.ProductBucket;
import org.apotheca.model.TaxTable;
import org.apotheca.model.VatRate;
import org.apotheca.model.ownership.Ownership;
import org.eclipse.emf.cdo.common.id.CDOID;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.view.CDOView;

/**
 * Applies a checked catalogue file to one open transaction: rows whose barcode the catalogue knows update that
 * product (only the fields that differ, only the columns the file has), the others become new products at the end
 * of the product buckets, 500 per bucket as everywhere else. What only the catalogue can refuse (a VAT rate it does
 * not have, an unknown ingredient, two barcodes of one product in one file) is collected with its line, so the
 * caller can refuse the whole file without committing.
 */
final class CatalogueImport {

  private static final ApothecaFactory F = ApothecaFactory.eINSTANCE;
  static final int DETAIL_LINES = 20;

  private final CDOTransaction tx;
  private final CatalogueIndex index;
  private final Map<Integer, VatRate> vatByBasisPoints = new HashMap<>();
  private final Map<String, ActiveIngredient> ingredientByName = new HashMap<>();

  final List<Problem> problems = new ArrayList<>();
  int added;
  int updated;
  int unchanged;
  final Map<String, Integer> fieldCounts = new LinkedHashMap<>();
  final List<String> details = new ArrayList<>();

  private List<ProductBucket> buckets;
  private ProductBucket last;

  CatalogueImport(CDOTransaction tx, CatalogueIndex index) {
    this.tx = tx;
    this.index = index;
    if (tx.hasResource(Repositories.VAT_RESOURCE)) {
      for (Object o : tx.getResource(Repositories.VAT_RESOURCE).getContents()) {
        if (o instanceof TaxTable t) {
          for (VatRate r : t.getVatRates()) {
            vatByBasisPoints.putIfAbsent(r.getRateBasisPoints(), r);
          }
        }
      }
    }
    for (IngredientBucket b : ResourceRoots.of(tx, Repositories.INGREDIENTS_FOLDER, IngredientBucket.class)) {
      for (ActiveIngredient ai : b.getIngredients()) {
        ingredientByName.putIfAbsent(ai.getName().strip().toLowerCase(Locale.ROOT), ai);
      }
    }
  }

  void apply(CatalogueCsv.Parsed file) {
    // Known barcodes are looked up in the index without loading their products, and the buckets are read into this
    // transaction in one round trip each, so an update of 100,000 products does not load them one by one.
    Map<Entry, CDOID> known = new IdentityHashMap<>();
    for (Entry e : file.entries()) {
      CDOID id = index.indexedId(e.barcode());
      if (id == null) {
        id = index.indexedId(e.gtin());
      }
      if (id != null) {
        known.put(e, id);
      }
    }
    if (!known.isEmpty()) {
      loadBuckets();
    }
    Map<CDOID, Integer> lineOfProduct = new HashMap<>();
    for (Entry e : file.entries()) {
      int before = problems.size();
      VatRate vat = vatByBasisPoints.get(e.vatBasisPoints());
      if (vat == null) {
        problems.add(new Problem(e.line(), "no VAT rate of " + e.vatBasisPoints() + " basis points in the catalogue (it has "
            + String.join(", ", vatByBasisPoints.keySet().stream().sorted().map(String::valueOf).toList()) + ")"));
      }
      List<ActiveIngredient> ingredients = ingredients(e);
      CDOID id = known.get(e);
      if (id != null) {
        Integer first = lineOfProduct.putIfAbsent(id, e.line());
        if (first != null) {
          problems.add(new Problem(e.line(), "barcode " + e.barcode() + " belongs to the same product as the barcode on line " + first
              + " (one row per product)"));
        }
      }
      if (problems.size() > before) {
        continue;
      }
      if (id == null) {
        add(e, vat, ingredients);
      } else {
        update((Product) tx.getObject(id), e, vat, ingredients);
      }
    }
  }

  private List<ActiveIngredient> ingredients(Entry e) {
    if (e.ingredients() == null) {
      return null;
    }
    List<ActiveIngredient> result = new ArrayList<>();
    for (String name : e.ingredients()) {
      ActiveIngredient ai = ingredientByName.get(name.toLowerCase(Locale.ROOT));
      if (ai == null) {
        problems.add(new Problem(e.line(), "no active ingredient '" + name + "' in the catalogue"));
      } else if (!result.contains(ai)) {
        result.add(ai);
      }
    }
    return result;
  }

  private void add(Entry e, VatRate vat, List<ActiveIngredient> ingredients) {
    Product p = Ownership.stamp(F.createProduct(), Ownership.CENTRAL_SITE_ID);
    p.setName(e.name());
    p.setListPriceMinor(e.priceMinor());
    p.setVatRate(vat);
    p.setGenericName(emptyToNull(e.genericName()));
    p.setForm(emptyToNull(e.form()));
    p.setStrength(emptyToNull(e.strength()));
    p.setPackSize(e.packSize() == null ? 0 : e.packSize());
    p.setPackUnit(emptyToNull(e.packUnit()));
    p.setManufacturer(emptyToNull(e.manufacturer()));
    p.setAtcCode(emptyToNull(e.atcCode()));
    p.setSchedule(e.schedule() == null ? ControlledDrugSchedule.NONE : e.schedule());
    p.setPrescriptionOnly(Boolean.TRUE.equals(e.prescriptionOnly()));
    p.setDiscontinued(Boolean.TRUE.equals(e.discontinued()));
    if (ingredients != null) {
      p.getIngredients().addAll(ingredients);
    }
    Barcode b = Ownership.stamp(F.createBarcode(), Ownership.CENTRAL_SITE_ID);
    b.setCode(e.barcode());
    b.setGtin(e.gtin());
    b.setType(switch (e.barcode().length()) {
      case 8 -> BarcodeType.EAN8;
      case 12 -> BarcodeType.UPC_A;
      case 13 -> BarcodeType.EAN13;
      default -> BarcodeType.GS1_128;
    });
    b.setPrimary(true);
    p.getBarcodes().add(b);
    bucketWithRoom().getProducts().add(p);
    added++;
  }

  /** The last bucket while it has room, then a new one (b00000, b00001, ...), as {@code CatalogueEditor.addProduct} does. */
  private ProductBucket bucketWithRoom() {
    loadBuckets();
    if (last == null || last.getProducts().size() >= Repositories.PRODUCTS_PER_BUCKET) {
      last = Ownership.stamp(F.createProductBucket(), Ownership.CENTRAL_SITE_ID);
      last.setBucketKey(Repositories.bucketKey(buckets.size()));
      tx.getOrCreateResource(Repositories.productBucket(buckets.size())).getContents().add(last);
      buckets.add(last);
    }
    return last;
  }

  private void loadBuckets() {
    if (buckets == null) {
      buckets = new ArrayList<>(CatalogueReader.buckets(tx));
      last = buckets.isEmpty() ? null : buckets.get(buckets.size() - 1);
    }
  }

  private void update(Product p, Entry e, VatRate vat, List<ActiveIngredient> ingredients) {
    List<String> changed = new ArrayList<>();
    if (!e.name().equals(p.getName())) {
      p.setName(e.name());
      changed.add(Column.NAME.header());
    }
    if (e.priceMinor() != p.getListPriceMinor()) {
      p.setListPriceMinor(e.priceMinor());
      changed.add(Column.PRICE_MINOR.header());
    }
    if (p.getVatRate() == null || p.getVatRate().getRateBasisPoints() != e.vatBasisPoints()) {
      p.setVatRate(vat);
      changed.add(Column.VAT_BP.header());
    }
    if (differs(e.genericName(), p.getGenericName())) {
      p.setGenericName(emptyToNull(e.genericName()));
      changed.add(Column.GENERIC_NAME.header());
    }
    if (differs(e.form(), p.getForm())) {
      p.setForm(emptyToNull(e.form()));
      changed.add(Column.FORM.header());
    }
    if (differs(e.strength(), p.getStrength())) {
      p.setStrength(emptyToNull(e.strength()));
      changed.add(Column.STRENGTH.header());
    }
    if (e.packSize() != null && e.packSize() != p.getPackSize()) {
      p.setPackSize(e.packSize());
      changed.add(Column.PACK_SIZE.header());
    }
    if (differs(e.packUnit(), p.getPackUnit())) {
      p.setPackUnit(emptyToNull(e.packUnit()));
      changed.add(Column.PACK_UNIT.header());
    }
    if (differs(e.manufacturer(), p.getManufacturer())) {
      p.setManufacturer(emptyToNull(e.manufacturer()));
      changed.add(Column.MANUFACTURER.header());
    }
    if (differs(e.atcCode(), p.getAtcCode())) {
      p.setAtcCode(emptyToNull(e.atcCode()));
      changed.add(Column.ATC_CODE.header());
    }
    if (e.schedule() != null && e.schedule() != (p.getSchedule() == null ? ControlledDrugSchedule.NONE : p.getSchedule())) {
      p.setSchedule(e.schedule());
      changed.add(Column.SCHEDULE.header());
    }
    if (e.prescriptionOnly() != null && e.prescriptionOnly() != p.isPrescriptionOnly()) {
      p.setPrescriptionOnly(e.prescriptionOnly());
      changed.add(Column.PRESCRIPTION_ONLY.header());
    }
    if (e.discontinued() != null && e.discontinued() != p.isDiscontinued()) {
      p.setDiscontinued(e.discontinued());
      changed.add(Column.DISCONTINUED.header());
    }
    if (ingredients != null && !ingredients.equals(p.getIngredients())) {
      p.getIngredients().clear();
      p.getIngredients().addAll(ingredients);
      changed.add(Column.INGREDIENTS.header());
    }
    if (changed.isEmpty()) {
      unchanged++;
      return;
    }
    updated++;
    for (String f : changed) {
      fieldCounts.merge(f, 1, Integer::sum);
    }
    if (details.size() < DETAIL_LINES) {
      details.add("updated barcode=" + e.barcode() + " fields=" + String.join(",", changed));
    }
  }

  /** Every product of a catalogue view as a file row, in bucket order. */
  static List<Entry> entries(CDOView view) {
    List<Entry> entries = new ArrayList<>();
    for (ProductBucket bucket : CatalogueReader.buckets(view)) {
      for (Product p : bucket.getProducts()) {
        entries.add(entry(p));
      }
    }
    return entries;
  }

  static Entry entry(Product p) {
    String barcode = CatalogueReader.row(p).barcode();
    List<String> ingredients = new ArrayList<>();
    for (ActiveIngredient ai : p.getIngredients()) {
      ingredients.add(ai.getName());
    }
    return new Entry(0, barcode, barcode.isEmpty() ? "" : CatalogueCsv.gtin(barcode), p.getName(), p.getListPriceMinor(),
        p.getVatRate() == null ? 0 : p.getVatRate().getRateBasisPoints(), nz(p.getGenericName()), nz(p.getForm()), nz(p.getStrength()),
        p.getPackSize(), nz(p.getPackUnit()), nz(p.getManufacturer()), nz(p.getAtcCode()),
        p.getSchedule() == null ? ControlledDrugSchedule.NONE : p.getSchedule(), p.isPrescriptionOnly(), p.isDiscontinued(), ingredients);
  }

  /** A column the file has and whose value is not the product's (absent columns never differ; "" equals no value). */
  private static boolean differs(String fromFile, String current) {
    return fromFile != null && !Objects.equals(fromFile, nz(current));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
