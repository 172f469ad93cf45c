package org.apotheca.core.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import org.apotheca.core.Repositories;
import org.apotheca.model.ActiveIngredient;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.Barcode;
import org.apotheca.model.BarcodeType;
import org.apotheca.model.ControlledDrugSchedule;
import org.apotheca.model.IngredientBucket;
import org.apotheca.model.InteractionBucket;
import org.apotheca.model.InteractionRule;
import org.apotheca.model.InteractionSeverity;
import org.apotheca.model.PharmacySite;
import org.apotheca.model.Product;
import org.apotheca.model.ProductBucket;
import org.apotheca.model.Supplier;
import org.apotheca.model.SupplierBucket;
import org.apotheca.model.TaxTable;
import org.apotheca.model.VatRate;
import org.apotheca.model.ownership.Ownership;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.session.CDOSession;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.util.CommitException;

/**
 * A deterministic, plausible sample catalogue for demos, tests and benchmarks: real ingredient names,
 * valid EAN-13 barcodes, prices in minor units, VAT rates, a few controlled drugs and interaction rules.
 * Product i is always the same product, so tests can name what they expect.
 */
public final class SampleCatalogue {

  private static final ApothecaFactory F = ApothecaFactory.eINSTANCE;

  // name, ATC code, controlled-drug schedule
  private static final String[][] INGREDIENTS = {
      { "Paracetamol", "N02BE01", "NONE" }, { "Ibuprofen", "M01AE01", "NONE" }, { "Amoxicillin", "J01CA04", "NONE" },
      { "Omeprazole", "A02BC01", "NONE" }, { "Atorvastatin", "C10AA05", "NONE" }, { "Simvastatin", "C10AA01", "NONE" },
      { "Metformin", "A10BA02", "NONE" }, { "Amlodipine", "C08CA01", "NONE" }, { "Lisinopril", "C09AA03", "NONE" },
      { "Ramipril", "C09AA05", "NONE" }, { "Bisoprolol", "C07AB07", "NONE" }, { "Levothyroxine", "H03AA01", "NONE" },
      { "Salbutamol", "R03AC02", "NONE" }, { "Cetirizine", "R06AE07", "NONE" }, { "Loratadine", "R06AX13", "NONE" },
      { "Sertraline", "N06AB06", "NONE" }, { "Citalopram", "N06AB04", "NONE" }, { "Warfarin", "B01AA03", "NONE" },
      { "Clopidogrel", "B01AC04", "NONE" }, { "Aspirin", "B01AC06", "NONE" }, { "Naproxen", "M01AE02", "NONE" },
      { "Codeine", "R05DA04", "SCHEDULE_5" }, { "Tramadol", "N02AX02", "SCHEDULE_3" }, { "Morphine", "N02AA01", "SCHEDULE_2" },
      { "Diazepam", "N05BA01", "SCHEDULE_4_PART_1" }, { "Prednisolone", "H02AB06", "NONE" }, { "Doxycycline", "J01AA02", "NONE" },
      { "Clarithromycin", "J01FA09", "NONE" }, { "Fluconazole", "J02AC01", "NONE" }, { "Furosemide", "C03CA01", "NONE" },
      { "Lansoprazole", "A02BC03", "NONE" }, { "Gabapentin", "N03AX12", "SCHEDULE_3" }, };

  /**
   * ingredient, ingredient, severity, what happens, what to do. Duplicate therapy needs no rule: it follows from the
   * ATC codes above (Ibuprofen and Naproxen are both M01AE, Atorvastatin and Simvastatin both C10AA).
   */
  static final String[][] INTERACTIONS = {
      { "Warfarin", "Aspirin", "MAJOR", "Increased bleeding risk", "Avoid unless the prescriber intends both; monitor INR closely" },
      { "Warfarin", "Ibuprofen", "MAJOR", "Increased bleeding risk", "Prefer paracetamol for pain; if needed, short course with a PPI" },
      { "Warfarin", "Naproxen", "MAJOR", "Increased bleeding risk", "Prefer paracetamol for pain" },
      { "Warfarin", "Fluconazole", "MAJOR", "Fluconazole raises the INR: bleeding risk", "Check INR within 3-5 days; the dose may need reducing" },
      { "Simvastatin", "Clarithromycin", "CONTRAINDICATED", "Risk of myopathy and rhabdomyolysis",
          "Stop simvastatin for the course of clarithromycin" },
      { "Atorvastatin", "Clarithromycin", "MAJOR", "Raised atorvastatin levels: risk of myopathy",
          "Consider pausing atorvastatin; report muscle pain" },
      { "Morphine", "Diazepam", "MAJOR", "Profound sedation and respiratory depression",
          "Use together only if no alternative; lowest doses, warn the patient and carers" },
      { "Codeine", "Diazepam", "MAJOR", "Sedation and respiratory depression", "Lowest doses; warn about drowsiness and driving" },
      { "Sertraline", "Tramadol", "MODERATE", "Risk of serotonin syndrome", "Warn the patient of agitation, tremor, fever" },
      { "Citalopram", "Tramadol", "MODERATE", "Risk of serotonin syndrome and seizures", "Warn the patient of agitation, tremor, fever" },
      { "Lisinopril", "Ibuprofen", "MODERATE", "Reduced blood-pressure control, risk to the kidneys", "Short courses only; keep hydrated" },
      { "Clopidogrel", "Omeprazole", "MODERATE", "Omeprazole reduces the effect of clopidogrel", "Lansoprazole is preferred with clopidogrel" },
      { "Aspirin", "Ibuprofen", "MINOR", "Ibuprofen may reduce aspirin's protective effect", "Take aspirin at least 30 minutes before" }, };

  private static final String[] FORMS = { "tablets", "capsules", "film-coated tablets", "oral suspension" };
  private static final String[] STRENGTHS = { "5 mg", "10 mg", "20 mg", "40 mg", "100 mg", "250 mg", "500 mg" };
  private static final int[] PACKS = { 16, 28, 30, 56, 100 };
  private static final String[] MAKERS = { "Accord", "Teva", "Sandoz", "Zentiva", "Aurobindo", "Mylan", "Bristol" };

  private SampleCatalogue() {
  }

  /** True when the catalogue repository already holds products (seeding is then skipped). */
  public static boolean hasProducts(CDOSession session) {
    CDOTransaction tx = session.openTransaction();
    try {
      return tx.hasResource(Repositories.productBucket(0));
    } finally {
      tx.close();
    }
  }

  /**
   * Writes {@code products} products into an empty catalogue, one commit per bucket of
   * {@link Repositories#PRODUCTS_PER_BUCKET} so that no transaction grows with the catalogue.
   *
   * @param progress told the number of products committed so far
   */
  public static void seed(CDOSession session, int products, IntConsumer progress) throws CommitException {
    if (products <= 0 || hasProducts(session)) {
      return;
    }
    CDOTransaction tx = session.openTransaction();
    try {
      TaxTable taxes = central(F.createTaxTable());
      VatRate standard = vat(taxes, "S", "Standard", 2000);
      VatRate reduced = vat(taxes, "R", "Reduced", 500);
      VatRate zero = vat(taxes, "Z", "Zero", 0);
      tx.getOrCreateResource(Repositories.VAT_RESOURCE).getContents().add(taxes);

      IngredientBucket ingredientBucket = central(F.createIngredientBucket());
      ingredientBucket.setBucketKey(Repositories.bucketKey(0));
      List<ActiveIngredient> ingredients = new ArrayList<>();
      for (String[] row : INGREDIENTS) {
        ActiveIngredient ai = central(F.createActiveIngredient());
        ai.setName(row[0]);
        ai.setCode(row[1]);
        ingredientBucket.getIngredients().add(ai);
        ingredients.add(ai);
      }
      tx.getOrCreateResource(Repositories.INGREDIENTS_FOLDER + "/" + Repositories.bucketKey(0)).getContents().add(ingredientBucket);

      InteractionBucket interactions = central(F.createInteractionBucket());
      interactions.setBucketKey(Repositories.bucketKey(0));
      for (String[] r : INTERACTIONS) {
        interactions.getRules().add(rule(ingredients, r[0], r[1], InteractionSeverity.get(r[2]), r[3], r[4]));
      }
      tx.getOrCreateResource(Repositories.INTERACTIONS_FOLDER + "/" + Repositories.bucketKey(0)).getContents().add(interactions);

      SupplierBucket suppliers = central(F.createSupplierBucket());
      suppliers.setBucketKey(Repositories.bucketKey(0));
      Supplier wholesaler = central(F.createSupplier());
      wholesaler.setName("Alliance Healthcare");
      wholesaler.setGln("5012345000017");
      suppliers.getSuppliers().add(wholesaler);
      tx.getOrCreateResource(Repositories.SUPPLIERS_FOLDER + "/" + Repositories.bucketKey(0)).getContents().add(suppliers);
      tx.commit();

      int buckets = (products + Repositories.PRODUCTS_PER_BUCKET - 1) / Repositories.PRODUCTS_PER_BUCKET;
      for (int b = 0; b < buckets; b++) {
        ProductBucket bucket = central(F.createProductBucket());
        bucket.setBucketKey(Repositories.bucketKey(b));
        int first = b * Repositories.PRODUCTS_PER_BUCKET;
        int last = Math.min(products, first + Repositories.PRODUCTS_PER_BUCKET);
        for (int i = first; i < last; i++) {
          bucket.getProducts().add(product(i, ingredients, wholesaler, standard, reduced, zero));
        }
        tx.getOrCreateResource(Repositories.productBucket(b)).getContents().add(bucket);
        tx.commit();
        if (progress != null) {
          progress.accept(last);
        }
      }
    } finally {
      tx.close();
    }
  }

  /** Creates the directory entry of each pharmacy site that does not have one yet. */
  public static void ensureSites(CDOSession session, List<String> siteIds) throws CommitException {
    CDOTransaction tx = session.openTransaction();
    try {
      for (String siteId : siteIds) {
        String path = Repositories.SITES_FOLDER + "/" + Repositories.checkSiteId(siteId);
        if (!tx.hasResource(path)) {
          PharmacySite site = F.createPharmacySite();
          site.setId(siteId);
          site.setSiteId(Ownership.CENTRAL_SITE_ID);
          site.setCode(siteId);
          site.setName("Pharmacy " + siteId);
          site.setCurrencyCode("GBP");
          site.setTimeZone("Europe/London");
          site.setActive(true);
          CDOResource resource = tx.createResource(path);
          resource.getContents().add(site);
        }
      }
      if (tx.isDirty()) {
        tx.commit();
      }
    } finally {
      tx.close();
    }
  }

  /** The barcode of sample product {@code index}: EAN-13 with prefix 50 and a valid check digit. */
  public static String barcode(int index) {
    String body = "50" + String.format("%010d", 1_000_000L + index);
    return org.apotheca.gs1.Gs1.withCheckDigit(body);
  }

  /** The list price of sample product {@code index} in minor units: 0.99 .. 49.98, spread deterministically. */
  public static long listPriceMinor(int index) {
    return 99 + (index * 7919L) % 4900;
  }

  private static Product product(int i, List<ActiveIngredient> ingredients, Supplier supplier, VatRate standard,
      VatRate reduced, VatRate zero) {
    // Mixed-radix digits of i: every product up to 31,360 has a distinct name; beyond that a variant number.
    int rest = i;
    String[] ing = INGREDIENTS[rest % INGREDIENTS.length];
    rest /= INGREDIENTS.length;
    String strength = STRENGTHS[rest % STRENGTHS.length];
    rest /= STRENGTHS.length;
    String form = FORMS[rest % FORMS.length];
    rest /= FORMS.length;
    int pack = PACKS[rest % PACKS.length];
    rest /= PACKS.length;
    String maker = MAKERS[rest % MAKERS.length];
    rest /= MAKERS.length;
    String variant = rest == 0 ? "" : " v" + (rest + 1);
    Product p = central(F.createProduct());
    p.setName(ing[0] + " " + strength + " " + form + " (" + maker + ") x" + pack + variant);
    p.setGenericName(ing[0]);
    p.setForm(form);
    p.setStrength(strength);
    p.setPackSize(pack);
    p.setPackUnit(form.contains("suspension") ? "ml" : "units");
    p.setManufacturer(maker);
    p.setAtcCode(ing[1]);
    p.setListPriceMinor(listPriceMinor(i));
    p.setVatRate(i % 10 == 0 ? reduced : i % 4 == 0 ? zero : standard);
    p.setSchedule(ControlledDrugSchedule.get(ing[2]));
    p.setPrescriptionOnly(!"Paracetamol".equals(ing[0]) && !"Ibuprofen".equals(ing[0]) && !"Cetirizine".equals(ing[0]));
    p.getIngredients().add(ingredients.get(i % INGREDIENTS.length));
    p.setPreferredSupplier(supplier);
    Barcode code = central(F.createBarcode());
    code.setCode(barcode(i));
    code.setGtin("0" + code.getCode());
    code.setType(BarcodeType.EAN13);
    code.setPrimary(true);
    p.getBarcodes().add(code);
    return p;
  }

  private static VatRate vat(TaxTable table, String code, String name, int basisPoints) {
    VatRate rate = central(F.createVatRate());
    rate.setCode(code);
    rate.setName(name);
    rate.setRateBasisPoints(basisPoints);
    rate.setValidFromDate("2011-01-04");
    table.getVatRates().add(rate);
    return rate;
  }

  private static InteractionRule rule(List<ActiveIngredient> all, String a, String b, InteractionSeverity severity, String text,
      String advice) {
    InteractionRule r = central(F.createInteractionRule());
    r.setIngredientA(find(all, a));
    r.setIngredientB(find(all, b));
    r.setSeverity(severity);
    r.setDescription(text);
    r.setAdvice(advice);
    return r;
  }

  private static ActiveIngredient find(List<ActiveIngredient> all, String name) {
    return all.stream().filter(ai -> ai.getName().equals(name)).findFirst().orElseThrow();
  }

  private static <T extends org.apotheca.model.Identified> T central(T object) {
    return Ownership.stamp(object, Ownership.CENTRAL_SITE_ID);
  }
}
