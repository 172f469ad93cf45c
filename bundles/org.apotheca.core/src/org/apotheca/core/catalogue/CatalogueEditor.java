package org.apotheca.core.catalogue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoClient;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.Barcode;
import org.apotheca.model.BarcodeType;
import org.apotheca.model.Product;
import org.apotheca.model.ProductBucket;
import org.apotheca.model.Recall;
import org.apotheca.model.RecallBucket;
import org.apotheca.model.TaxTable;
import org.apotheca.model.VatRate;
import org.apotheca.model.ownership.Ownership;
import org.eclipse.emf.cdo.common.commit.CDOCommitInfo;
import org.eclipse.emf.cdo.common.id.CDOID;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.session.CDOSession;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.view.CDOView;

/**
 * Central's changes to the shared catalogue: prices, products, withdrawals, recalls. Each change is exactly one
 * catalogue commit whose comment says who and why ({@code "<who>: <why>"}), so every pharmacy's node can log it
 * and the history says who did what. Arguments are checked before anything is written: a bad one throws
 * {@link IllegalArgumentException} with a message for the operator and changes nothing.
 */
public final class CatalogueEditor implements AutoCloseable {

  private static final ApothecaFactory F = ApothecaFactory.eINSTANCE;
  private static final Logger LOG = Logger.getLogger(CatalogueEditor.class.getName());
  private static final int RECALLS_PER_BUCKET = 500;

  private final CDOSession session;
  private final CDOView view;
  private final CatalogueIndex index;

  /** @param session a session on central's catalogue repository; the editor keeps one view and index on it. */
  public CatalogueEditor(CDOSession session) {
    this.session = session;
    this.view = session.openView();
    this.index = new CatalogueIndex(view);
  }

  public CatalogueIndex index() {
    return index;
  }

  /** Sets the list price; returns the product's name. */
  public synchronized String setPrice(String code, long priceMinor, String who, String why) {
    if (priceMinor < 0) {
      throw new IllegalArgumentException("A price cannot be negative (got " + priceMinor + ")");
    }
    CDOID id = productId(code);
    return commit(who, why == null ? "price of " + code + " set to " + priceMinor : why, tx -> {
      Product p = (Product) tx.getObject(id);
      p.setListPriceMinor(priceMinor);
      return p.getName();
    });
  }

  /** Adds a product with one EAN-13 barcode; returns its id. */
  public synchronized String addProduct(String barcode, String name, long priceMinor, int vatBasisPoints, String who) {
    if (barcode == null || !barcode.matches("\\d{8,14}")) {
      throw new IllegalArgumentException("A barcode is 8 to 14 digits (got '" + barcode + "')");
    }
    if (index.find(barcode) != null) {
      throw new IllegalArgumentException("Barcode " + barcode + " already belongs to " + index.find(barcode).getName());
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("A product needs a name");
    }
    if (priceMinor < 0) {
      throw new IllegalArgumentException("A price cannot be negative (got " + priceMinor + ")");
    }
    return commit(who, "product " + barcode + " added: " + name, tx -> {
      VatRate vat = vatRate(tx, vatBasisPoints);
      Product p = Ownership.stamp(F.createProduct(), Ownership.CENTRAL_SITE_ID);
      p.setName(name.strip());
      p.setListPriceMinor(priceMinor);
      p.setVatRate(vat);
      Barcode b = Ownership.stamp(F.createBarcode(), Ownership.CENTRAL_SITE_ID);
      b.setCode(barcode);
      b.setGtin(barcode.length() < 14 ? "0".repeat(14 - barcode.length()) + barcode : barcode);
      b.setType(barcode.length() == 13 ? BarcodeType.EAN13 : barcode.length() == 8 ? BarcodeType.EAN8 : barcode.length() == 12 ? BarcodeType.UPC_A : BarcodeType.GS1_128);
      b.setPrimary(true);
      p.getBarcodes().add(b);
      productBucketWithRoom(tx).getProducts().add(p);
      return p.getId();
    });
  }

  /** Withdraws a product from sale (tills refuse it); returns its name. */
  public synchronized String withdraw(String code, String who, String why) {
    requireReason(why);
    CDOID id = productId(code);
    Product current = (Product) view.getObject(id);
    if (current.isWithdrawn()) {
      throw new IllegalArgumentException(current.getName() + " is already withdrawn");
    }
    return commit(who, why, tx -> {
      Product p = (Product) tx.getObject(id);
      p.setWithdrawn(true);
      return p.getName();
    });
  }

  /** Issues a recall of a product (no lots: every batch) or of named lots; returns the recall. */
  public synchronized RecallInfo recall(String code, List<String> lots, String who, String why) {
    requireReason(why);
    CDOID id = productId(code);
    for (String lot : lots) {
      if (lot == null || lot.isBlank()) {
        throw new IllegalArgumentException("An empty lot number was given");
      }
    }
    return commit(who, why, tx -> {
      Product p = (Product) tx.getObject(id);
      List<RecallBucket> buckets = CatalogueReader.recallBuckets(tx);
      int count = buckets.stream().mapToInt(b -> b.getRecalls().size()).sum();
      Recall r = Ownership.stamp(F.createRecall(), Ownership.CENTRAL_SITE_ID);
      r.setNumber(String.format("R-%06d", count + 1));
      r.setProductId(p.getId());
      r.setCode(code.strip());
      r.getLotNumbers().addAll(lots.stream().map(String::strip).toList());
      r.setReason(why.strip());
      r.setIssuedAt(System.currentTimeMillis());
      r.setIssuedBy(who);
      RecallBucket bucket = buckets.isEmpty() || buckets.get(buckets.size() - 1).getRecalls().size() >= RECALLS_PER_BUCKET
          ? newRecallBucket(tx, buckets.size()) : buckets.get(buckets.size() - 1);
      bucket.getRecalls().add(r);
      return new RecallInfo(r.getId(), r.getNumber(), p.getName(), List.copyOf(r.getLotNumbers()));
    });
  }

  /** Lifts an active recall, given its id or number; returns it. */
  public synchronized RecallInfo lift(String idOrNumber, String who, String why) {
    requireReason(why);
    Recall found = findRecall(idOrNumber);
    if (found.getLiftedAt() != 0) {
      throw new IllegalArgumentException("Recall " + found.getNumber() + " was already lifted");
    }
    CDOID id = found.cdoID();
    return commit(who, why, tx -> {
      Recall r = (Recall) tx.getObject(id);
      r.setLiftedAt(System.currentTimeMillis());
      r.setLiftedBy(who);
      r.setLiftReason(why.strip());
      return new RecallInfo(r.getId(), r.getNumber(), productName(r), List.copyOf(r.getLotNumbers()));
    });
  }

  /**
   * Imports a catalogue file (docs/catalogue.md): every row is checked first, then every row is applied in one
   * transaction that is committed once, or not at all (a refused file, a dry run, a file that changes nothing).
   * Rows add the products whose barcode the catalogue does not know and update the others; products the file does
   * not name are left as they are (withdrawing is {@link #withdraw}, with a reason).
   *
   * @throws CatalogueCsv.RefusedException listing every problem with its line; nothing was written
   */
  public synchronized ImportReport importFile(Path file, boolean dryRun, String who, String why) {
    byte[] bytes = CatalogueCsv.bytes(file);
    if (InteractionCsv.isRulesFile(bytes)) {
      return importRules(file.toString(), InteractionCsv.parse(bytes), dryRun, who, why);
    }
    return importParsed(file.toString(), CatalogueCsv.parse(bytes), dryRun, who, why);
  }

  /**
   * Imports an interaction-rules file (its header names {@code ingredient_a}): checked whole, then one commit or
   * none, like a product file; the report counts rules instead of products.
   */
  public synchronized ImportReport importRules(String fileName, InteractionCsv.Parsed parsed, boolean dryRun, String who, String why) {
    if (why != null && why.isBlank()) {
      throw new IllegalArgumentException("--reason needs words: it goes into the catalogue history");
    }
    if (parsed.rules().isEmpty()) {
      throw new CatalogueCsv.RefusedException(fileName, parsed.problems());
    }
    CDOTransaction tx = session.openTransaction();
    try {
      InteractionImport run = new InteractionImport(tx);
      run.apply(parsed);
      if (!parsed.ok() || !run.problems.isEmpty()) {
        List<CatalogueCsv.Problem> all = new ArrayList<>(parsed.problems());
        all.addAll(run.problems);
        all.sort(Comparator.comparingInt(CatalogueCsv.Problem::line));
        throw new CatalogueCsv.RefusedException(fileName, all);
      }
      String summary = "interaction rules " + Path.of(fileName).getFileName() + ": " + run.added + " added, " + run.updated + " updated";
      String comment = (who == null || who.isBlank() ? "central" : who.strip()) + ": "
          + (why == null ? summary : why.strip() + " (" + summary + ")");
      long commitTime = 0;
      if (!dryRun && (run.added > 0 || run.updated > 0)) {
        tx.setCommitComment(comment);
        commitTime = tx.commit().getTimeStamp();
        view.waitForUpdate(commitTime, IMPORT_VISIBLE_TIMEOUT_MS);
      }
      return new ImportReport(fileName, parsed.rules().size(), run.added, run.updated, run.unchanged, Map.copyOf(run.fieldCounts),
          List.copyOf(run.details), commitTime, dryRun, comment);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Interaction rules import of " + fileName + " failed", e);
      throw new IllegalStateException("The import of " + fileName + " failed (" + CdoClient.rootMessage(e)
          + "): import the same file again, it changes only what is not in the catalogue yet");
    } finally {
      tx.close();
    }
  }

  /** As {@link #importFile} for a file already read; {@code fileName} names it in messages and the commit comment. */
  public synchronized ImportReport importParsed(String fileName, CatalogueCsv.Parsed parsed, boolean dryRun, String who, String why) {
    if (why != null && why.isBlank()) {
      throw new IllegalArgumentException("--reason needs words: it goes into the catalogue history");
    }
    if (parsed.columns().isEmpty() || parsed.entries().isEmpty()) {
      throw new CatalogueCsv.RefusedException(fileName, parsed.problems()); // unreadable: nothing to check against the catalogue
    }
    CDOTransaction tx = session.openTransaction();
    try {
      CatalogueImport run = new CatalogueImport(tx, index);
      run.apply(parsed);
      if (!parsed.ok() || !run.problems.isEmpty()) {
        List<CatalogueCsv.Problem> all = new ArrayList<>(parsed.problems());
        all.addAll(run.problems);
        all.sort(Comparator.comparingInt(CatalogueCsv.Problem::line)); // stable: the file's problems first on a line
        throw new CatalogueCsv.RefusedException(fileName, all);
      }
      String summary = "catalogue import " + Path.of(fileName).getFileName() + ": " + run.added + " added, " + run.updated + " updated";
      String comment = (who == null || who.isBlank() ? "central" : who.strip()) + ": "
          + (why == null ? summary : why.strip() + " (" + summary + ")");
      long commitTime = 0;
      if (!dryRun && (run.added > 0 || run.updated > 0)) {
        tx.setCommitComment(comment);
        commitTime = commitLarge(tx);
        // the next command checks against the editor's view: it must hold what was just written
        view.waitForUpdate(commitTime, IMPORT_VISIBLE_TIMEOUT_MS);
      }
      return new ImportReport(fileName, parsed.entries().size(), run.added, run.updated, run.unchanged, Map.copyOf(run.fieldCounts),
          List.copyOf(run.details), commitTime, dryRun, comment);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      // The commit may have reached the store even though its answer did not arrive; an import only adds and updates
      // by barcode, so the same file imported again is safe and says what is still to do. The cause goes to the log
      // only: the console shows the innermost message of an exception, and this sentence is the one to show.
      LOG.log(Level.WARNING, "Catalogue import of " + fileName + " failed", e);
      throw new IllegalStateException("The catalogue import of " + fileName + " failed (" + CdoClient.rootMessage(e)
          + "): import the same file again, it changes only what is not in the catalogue yet");
    } finally {
      tx.close();
    }
  }

  /**
   * Commits a transaction of possibly 100,000s of objects. The client gives up on a commit's answer after Net4j's
   * signal timeout (10 s) without a progress report from the server; writing 100,000 changed products into Derby on a
   * busy machine went longer than that without one, and the commit completed at the server after the client had given
   * up. So this session's timeouts are raised for this commit only (the editor is synchronized: nothing else commits
   * through it meanwhile).
   */
  private long commitLarge(CDOTransaction tx) throws Exception {
    if (!(session instanceof CDONet4jSession net4j)) {
      return tx.commit().getTimeStamp();
    }
    long signalTimeout = net4j.options().getNet4jProtocol().getTimeout();
    int commitTimeout = net4j.options().getCommitTimeout();
    net4j.options().getNet4jProtocol().setTimeout(Math.max(signalTimeout, LARGE_COMMIT_TIMEOUT_S * 1000L));
    net4j.options().setCommitTimeout(Math.max(commitTimeout, LARGE_COMMIT_TIMEOUT_S));
    try {
      CDOCommitInfo info = tx.commit();
      return info.getTimeStamp();
    } finally {
      net4j.options().getNet4jProtocol().setTimeout(signalTimeout);
      net4j.options().setCommitTimeout(commitTimeout);
    }
  }

  private static final int LARGE_COMMIT_TIMEOUT_S = 3_600;

  private static final long IMPORT_VISIBLE_TIMEOUT_MS = 120_000;

  /**
   * What an import did. {@code commitTime} is 0 when nothing was committed (a dry run, or no row changed anything);
   * {@code fields} counts updated products per column; {@code details} names the first updated products.
   */
  public record ImportReport(String file, int rows, int added, int updated, int unchanged, Map<String, Integer> fields,
      List<String> details, long commitTime, boolean dryRun, String comment) {
  }

  /**
   * Writes every product of the catalogue as it is now into {@code file} in the import format (a file written
   * next to it and moved into place, so a reader never sees half a file); returns what was written.
   */
  public ExportReport exportFile(Path file) {
    Path target = file.toAbsolutePath();
    CDOView snapshot = session.openView();
    try {
      long version = snapshot.getLastUpdateTime();
      List<CatalogueCsv.Entry> entries = CatalogueImport.entries(snapshot);
      Path dir = target.getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw new IllegalArgumentException("No directory " + dir + " to write " + target.getFileName() + " into (a path on central's computer)");
      }
      Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
      try {
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          CatalogueCsv.write(out, entries);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return new ExportReport(target, entries.size(), version);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      snapshot.close();
    }
  }

  /** What an export wrote: the file, its product rows, and the catalogue version they are (last commit time). */
  public record ExportReport(Path file, int products, long version) {
  }

  /** A recall by id or number (R-000001), from central's current catalogue. */
  public synchronized Recall findRecall(String idOrNumber) {
    for (Recall r : index.allRecalls()) {
      if (r.getId().equals(idOrNumber) || r.getNumber().equalsIgnoreCase(idOrNumber)) {
        return r;
      }
    }
    throw new IllegalArgumentException("No recall '" + idOrNumber + "' (give its number, e.g. R-000001, or its id)");
  }

  public synchronized List<Recall> recalls() {
    return index.allRecalls();
  }

  /** What a recall command reports back. */
  public record RecallInfo(String id, String number, String productName, List<String> lots) {
  }

  /** The recalled product's name, looked up by the code the recall was issued for (no catalogue walk). */
  private String productName(Recall r) {
    Product p = index.find(r.getCode());
    return p == null ? r.getProductId() : p.getName();
  }

  private CDOID productId(String code) {
    if (code == null || code.isBlank()) {
      throw new IllegalArgumentException("No barcode given");
    }
    CDOID id = index.findId(code);
    if (id == null) {
      throw new IllegalArgumentException("Unknown barcode " + code.strip() + ": no product in the catalogue has it");
    }
    return id;
  }

  private static void requireReason(String why) {
    if (why == null || why.isBlank()) {
      throw new IllegalArgumentException("A reason is required (--reason \"...\"): it goes into the catalogue history");
    }
  }

  private static VatRate vatRate(CDOTransaction tx, int basisPoints) {
    if (tx.hasResource(Repositories.VAT_RESOURCE)) {
      for (Object o : tx.getResource(Repositories.VAT_RESOURCE).getContents()) {
        if (o instanceof TaxTable t) {
          for (VatRate r : t.getVatRates()) {
            if (r.getRateBasisPoints() == basisPoints) {
              return r;
            }
          }
        }
      }
    }
    throw new IllegalArgumentException("No VAT rate of " + basisPoints + " basis points in the catalogue");
  }

  private static ProductBucket productBucketWithRoom(CDOTransaction tx) {
    List<ProductBucket> buckets = CatalogueReader.buckets(tx);
    if (!buckets.isEmpty() && buckets.get(buckets.size() - 1).getProducts().size() < Repositories.PRODUCTS_PER_BUCKET) {
      return buckets.get(buckets.size() - 1);
    }
    ProductBucket b = Ownership.stamp(F.createProductBucket(), Ownership.CENTRAL_SITE_ID);
    b.setBucketKey(Repositories.bucketKey(buckets.size()));
    tx.getOrCreateResource(Repositories.productBucket(buckets.size())).getContents().add(b);
    return b;
  }

  private static RecallBucket newRecallBucket(CDOTransaction tx, int n) {
    RecallBucket b = Ownership.stamp(F.createRecallBucket(), Ownership.CENTRAL_SITE_ID);
    b.setBucketKey(Repositories.bucketKey(n));
    tx.getOrCreateResource(Repositories.recallBucket(n)).getContents().add(b);
    return b;
  }

  private interface Change<T> {
    T apply(CDOTransaction tx) throws Exception;
  }

  private <T> T commit(String who, String why, Change<T> change) {
    CDOTransaction tx = session.openTransaction();
    try {
      T result = change.apply(tx);
      tx.setCommitComment((who == null || who.isBlank() ? "central" : who.strip()) + ": " + why.strip());
      tx.commit();
      // the editor's own view must see the change before the next command checks against it
      view.waitForUpdate(tx.getLastCommitTime(), 10_000);
      return result;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("The catalogue change was not made: " + CdoClient.rootMessage(e), e);
    } finally {
      tx.close();
    }
  }

  @Override
  public void close() {
    index.close();
    view.close();
  }

}
