package org.apotheca.core;

import java.time.LocalDate;
import java.util.regex.Pattern;

import org.apotheca.model.ownership.Ownership;

/**
 * How Apotheca's data is partitioned into CDO repositories and resources.
 * <p>
 * CDO clones copy whole repositories, so the partition is by repository: one shared {@link #CATALOGUE}
 * (written only at central) and one repository per pharmacy site (written only by that site's tills). A
 * pharmacy node clones the catalogue and its own repository, nothing else.
 * <p>
 * Inside a repository, lists are kept short (docs/building.md: 50k objects in one list made raw replication
 * quadratic): products live in buckets of at most {@link #PRODUCTS_PER_BUCKET}, each the root of its own
 * resource; a site's sales live in one resource per business day and till.
 */
public final class Repositories {

  public static final String CATALOGUE = "catalogue";

  /** The site id of objects owned by central (catalogue, suppliers, sites, users). */
  public static final String CENTRAL_SITE = Ownership.CENTRAL_SITE_ID;

  public static final int PRODUCTS_PER_BUCKET = 500;

  // Resource paths follow the http://apotheca.org/bounds annotations of the model's container classes.
  public static final String PRODUCTS_FOLDER = "/catalogue/products";

  public static final String VAT_RESOURCE = "/catalogue/vat";

  public static final String INGREDIENTS_FOLDER = "/catalogue/ingredients";

  public static final String SUPPLIERS_FOLDER = "/catalogue/suppliers";

  public static final String SITES_FOLDER = "/directory/sites";

  public static final String RECALLS_FOLDER = "/catalogue/recalls";
  /** Interaction rules, in buckets of at most 500 ({@code b00000}, ...). */
  public static final String INTERACTIONS_FOLDER = "/catalogue/interactions";

  private static final Pattern SITE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  private Repositories() {
  }

  public static String checkSiteId(String siteId) {
    if (siteId == null || !SITE_ID.matcher(siteId).matches()) {
      throw new IllegalArgumentException("'" + siteId + "' is not a valid site id (1-32 of a-z, 0-9, '-', starting with a letter or digit)");
    }
    if (CENTRAL_SITE.equals(siteId)) {
      throw new IllegalArgumentException("'" + CENTRAL_SITE + "' is reserved for central-owned data");
    }
    return siteId;
  }

  public static final String SITE_REPOSITORY_PREFIX = "site-";

  public static String siteRepository(String siteId) {
    return SITE_REPOSITORY_PREFIX + checkSiteId(siteId);
  }

  public static String productBucket(int bucket) {
    return PRODUCTS_FOLDER + "/" + bucketKey(bucket);
  }

  /** Bucket keys sort in creation order as text: b00000, b00001, ... */
  public static String bucketKey(int bucket) {
    return String.format("b%05d", bucket);
  }

  public static String salesFolder(String siteId) {
    return "/sites/" + checkSiteId(siteId) + "/sales";
  }

  public static String salesJournal(String siteId, LocalDate day, String tillId, int part) {
    return salesFolder(siteId) + "/" + day + "/" + tillId + "-" + part;
  }

  public static String movementJournal(String siteId, LocalDate day, String tillId, int part) {
    return "/sites/" + checkSiteId(siteId) + "/movements/" + day + "/" + tillId + "-" + part;
  }

  public static String receivingJournal(String siteId, LocalDate day, String tillId, int part) {
    return "/sites/" + checkSiteId(siteId) + "/receiving/" + day + "/" + tillId + "-" + part;
  }

  public static String recallBucket(int bucket) {
    return RECALLS_FOLDER + "/" + bucketKey(bucket);
  }

  public static String recallLog(String siteId, int bucket) {
    return "/sites/" + checkSiteId(siteId) + "/recalls/" + bucketKey(bucket);
  }

  /**
   * The staff list of a pharmacy (SiteStaff): written by central into the site's own repository, never into the
   * catalogue, because it carries password hashes that must reach only that pharmacy.
   */
  public static String staffResource(String siteId) {
    return "/sites/" + checkSiteId(siteId) + "/staff";
  }

  public static String stockBucket(String siteId, int bucket) {
    return "/sites/" + checkSiteId(siteId) + "/stock/" + bucketKey(bucket);
  }
}
