package org.apotheca.core.catalogue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apotheca.model.ActiveIngredient;
import org.apotheca.model.Barcode;
import org.apotheca.model.InteractionBucket;
import org.apotheca.model.InteractionRule;
import org.apotheca.model.PharmacySite;
import org.apotheca.model.Product;
import org.apotheca.model.ProductBucket;
import org.apotheca.model.Recall;
import org.apotheca.model.RecallBucket;
import org.eclipse.emf.cdo.CDOObject;
import org.eclipse.emf.cdo.common.id.CDOID;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.emf.cdo.view.CDOViewInvalidationEvent;
import org.eclipse.net4j.util.event.IListener;

/**
 * Barcode/GTIN → product lookup, and product → recalls, on a catalogue view (central's or a node's clone).
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
  private final Map<String, CDOID> byProductId = new HashMap<>();
  /** productId → recalls ever issued for it (active or lifted: liftedAt is read from the view when asked). */
  private final Map<String, List<CDOID>> recallsByProduct = new HashMap<>();
  /** What search-as-you-type scans: one flat row per product, lower-cased once. */
  private final Map<CDOID, Searchable> searchable = new HashMap<>();
  private volatile Searchable[] searchSnapshot;
  /** ingredient id → the interaction rules naming it (a rule under both of its ingredients). */
  private volatile Map<String, List<InteractionRow>> interactions = Map.of();
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
      for (RecallBucket bucket : CatalogueReader.recallBuckets(view)) {
        index(bucket);
      }
      indexInteractions(view);
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

  /** The product with this catalogue id (a Product's {@code id} attribute, not its CDOID), or null. */
  public Product findById(String productId) {
    CDOID id;
    synchronized (this) {
      id = productId == null ? null : byProductId.get(productId);
    }
    if (id == null) {
      return null;
    }
    synchronized (view) {
      CDOObject o = view.getObject(id, true);
      return o instanceof Product p && p.cdoState() != org.eclipse.emf.cdo.CDOState.INVALID ? p : null;
    }
  }

  /** The id of the product with this code, or null (for writers that look the product up in their own transaction). */
  public synchronized CDOID findId(String code) {
    Product p = find(code);
    return p == null ? null : p.cdoID();
  }

  /**
   * The id this index holds for a code, without loading the product (for a writer that reads products in bulk in
   * its own transaction: a catalogue import); null when unknown. A 13-digit EAN and its 14-digit GTIN both match.
   */
  public synchronized CDOID indexedId(String code) {
    if (code == null) {
      return null;
    }
    String c = code.trim();
    CDOID id = byCode.get(c);
    if (id == null && c.length() == 14 && c.startsWith("0")) {
      id = byCode.get(c.substring(1));
    }
    return id;
  }

  /** Active recalls (not lifted) of the product, in the order they were issued. */
  public List<Recall> activeRecalls(String productId) {
    List<CDOID> ids;
    synchronized (this) {
      ids = new ArrayList<>(recallsByProduct.getOrDefault(productId, List.of()));
    }
    List<Recall> result = new ArrayList<>();
    synchronized (view) {
      for (CDOID id : ids) {
        if (view.getObject(id, true) instanceof Recall r && r.getLiftedAt() == 0) {
          result.add(r);
        }
      }
    }
    return result;
  }

  /** Every recall (active or lifted) known to this view, in the order they were issued. */
  public List<Recall> allRecalls() {
    List<Recall> result = new ArrayList<>();
    synchronized (view) {
      for (RecallBucket bucket : CatalogueReader.recallBuckets(view)) {
        result.addAll(bucket.getRecalls());
      }
    }
    return result;
  }

  /** The catalogue's interaction rules that name this ingredient (by ActiveIngredient id), in either place. */
  public List<InteractionRow> interactions(String ingredientId) {
    return interactions.getOrDefault(ingredientId, List.of());
  }

  /** Every interaction rule once, as the catalogue holds it now. */
  public List<InteractionRow> allInteractions() {
    java.util.Set<InteractionRow> all = new java.util.LinkedHashSet<>();
    interactions.values().forEach(all::addAll);
    return List.copyOf(all);
  }

  /** A pharmacy's card in central's directory (what its labels print), or null when central has none. */
  public record SiteCard(String name, String address, String phone) {
  }

  public SiteCard siteCard(String siteId) {
    String path = org.apotheca.core.Repositories.SITES_FOLDER + "/" + siteId;
    synchronized (view) {
      if (!view.hasResource(path)) {
        return null;
      }
      for (org.eclipse.emf.ecore.EObject o : view.getResource(path).getContents()) {
        if (o instanceof PharmacySite s) {
          return new SiteCard(s.getName(), s.getAddress(), s.getPhone());
        }
      }
      return null;
    }
  }

  /** A product as search sees it: the row and its lower-cased words. */
  private record Searchable(CatalogueRow row, String name, String ingredient) {
  }

  /**
   * Products whose name or ingredient contains every word of {@code text}, or whose barcode starts with it (digits
   * only), at most {@code limit}: names starting with the first word first, then other name matches, then
   * ingredient-only matches, each by name. A scan over flat rows in memory: ~100k products in a few milliseconds,
   * which is what typing at a till needs (a store query per keystroke is not).
   */
  public List<CatalogueRow> search(String text, int limit) {
    String q = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (q.isEmpty() || limit <= 0) {
      return List.of();
    }
    Searchable[] rows = searchSnapshot;
    if (rows == null) {
      synchronized (this) {
        rows = searchable.values().toArray(new Searchable[0]);
        // sorted once per catalogue change, so a query collects in order and stops when the best rank is full
        java.util.Arrays.sort(rows, Comparator.comparing(Searchable::name).thenComparing(s -> s.row().barcode()));
        searchSnapshot = rows;
      }
    }
    boolean digits = q.chars().allMatch(Character::isDigit);
    String[] words = q.split("\\s+");
    List<List<Searchable>> ranks = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (Searchable s : rows) {
      int rank = rank(s, q, words, digits);
      if (rank >= 0 && ranks.get(rank).size() < limit) {
        ranks.get(rank).add(s);
        if (rank == 0 && ranks.get(0).size() == limit) {
          break;
        }
      }
    }
    List<CatalogueRow> result = new ArrayList<>();
    for (List<Searchable> rank : ranks) {
      for (Searchable s : rank) {
        if (result.size() == limit) {
          return result;
        }
        result.add(s.row());
      }
    }
    return result;
  }

  private static int rank(Searchable s, String q, String[] words, boolean digits) {
    if (digits && s.row().barcode().startsWith(q)) {
      return 0;
    }
    boolean allInName = true;
    for (String w : words) {
      if (!s.name().contains(w)) {
        allInName = false;
        if (!s.ingredient().contains(w)) {
          return -1;
        }
      }
    }
    if (allInName) {
      return s.name().startsWith(words[0]) ? 0 : 1;
    }
    return 2;
  }

  public synchronized int size() {
    return byCode.size();
  }

  @Override
  public void close() {
    view.removeListener(listener);
  }

  /**
   * Above this many changed products in one commit (a catalogue import), re-reading every bucket (one round trip
   * each) is faster than loading each changed product on its own (one round trip each: minutes for 100,000).
   */
  static final int BULK_CHANGE = 1_000;

  private synchronized void onInvalidation(CDOViewInvalidationEvent e) {
    boolean newResources = false;
    int products = 0;
    for (CDOObject o : e.getDirtyObjects()) {
      // a new bucket resource shows only as a change of its folder (or of the root resource for a new folder)
      newResources |= o instanceof CDOResourceNode;
      products += o instanceof Product ? 1 : 0;
    }
    if (newResources || products > BULK_CHANGE) {
      rescan();
    }
    if (products > BULK_CHANGE) {
      return; // the rescan read them all
    }
    for (CDOObject o : e.getDirtyObjects()) {
      if (o instanceof ProductBucket bucket) {
        index(bucket); // products added to a bucket
      } else if (o instanceof Product p) {
        index(p);
      } else if (o instanceof Barcode b && b.eContainer() instanceof Product p) {
        index(p);
      } else if (o instanceof RecallBucket bucket) {
        index(bucket);
      }
    }
    for (CDOObject o : e.getDirtyObjects()) {
      if (o instanceof InteractionBucket || o instanceof InteractionRule || o instanceof ActiveIngredient) {
        indexInteractions(view); // a handful of rules: read them all again
        break;
      }
    }
  }

  /** Reads every interaction bucket: rules are few (hundreds), read whole on any change of them. */
  private void indexInteractions(CDOView from) {
    Map<String, List<InteractionRow>> byIngredient = new HashMap<>();
    for (InteractionBucket bucket : org.apotheca.core.ResourceRoots.of(from, org.apotheca.core.Repositories.INTERACTIONS_FOLDER,
        InteractionBucket.class)) {
      for (InteractionRule r : bucket.getRules()) {
        ActiveIngredient a = r.getIngredientA();
        ActiveIngredient b = r.getIngredientB();
        if (a == null || b == null) {
          continue;
        }
        InteractionRow row = new InteractionRow(a.getId(), a.getName(), b.getId(), b.getName(), r.getSeverity(),
            r.getDescription() == null ? "" : r.getDescription(), r.getAdvice() == null ? "" : r.getAdvice());
        byIngredient.computeIfAbsent(a.getId(), k -> new ArrayList<>()).add(row);
        if (!b.getId().equals(a.getId())) {
          byIngredient.computeIfAbsent(b.getId(), k -> new ArrayList<>()).add(row);
        }
      }
    }
    interactions = byIngredient;
  }

  private void index(ProductBucket bucket) {
    for (Product p : bucket.getProducts()) {
      index(p);
    }
  }

  /**
   * Re-reads every bucket through a fresh view. The long-lived view was seen (on a node whose catalogue was empty
   * when it started) not to find resources created later under a path it had looked up before, while a new view
   * found them; ids are the same in every view, so lookups keep going through the long-lived one.
   */
  public synchronized void rescan() {
    CDOView fresh = view.getSession().openView();
    try {
      for (ProductBucket bucket : CatalogueReader.buckets(fresh)) {
        index(bucket);
      }
      for (RecallBucket bucket : CatalogueReader.recallBuckets(fresh)) {
        index(bucket);
      }
      indexInteractions(fresh);
    } finally {
      fresh.close();
    }
  }

  private void index(RecallBucket bucket) {
    for (Recall r : bucket.getRecalls()) {
      List<CDOID> list = recallsByProduct.computeIfAbsent(r.getProductId(), k -> new ArrayList<>());
      if (!list.contains(r.cdoID())) {
        list.add(r.cdoID());
      }
    }
  }

  private void index(Product p) {
    CDOID id = p.cdoID();
    CatalogueRow row = CatalogueReader.row(p);
    byProductId.put(p.getId(), id);
    searchable.put(id, new Searchable(row, row.name().toLowerCase(Locale.ROOT), row.ingredient().toLowerCase(Locale.ROOT)));
    searchSnapshot = null;
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
