package org.apotheca.node.api;

import java.util.List;
import java.util.UUID;

/**
 * Starts a stocktake.
 *
 * @param stocktakeId chosen by the caller (a UUID) before the first attempt: asking again with it returns the
 *        stocktake started the first time
 * @param description what is counted, for people ("full store", "controlled drugs cabinet"); 1-{@value #MAX_DESCRIPTION}
 *        characters
 * @param productCodes barcodes (or internal codes) of the products to count; empty: every product this pharmacy holds
 */
public record StocktakeRequest(String stocktakeId, String description, List<String> productCodes) {

  public static final int MAX_DESCRIPTION = 80;
  /** A stocktake of more products than this is a whole-store one: leave the list empty. */
  public static final int MAX_PRODUCTS = 500;

  public StocktakeRequest {
    productCodes = productCodes == null ? List.of() : List.copyOf(productCodes);
  }

  public static StocktakeRequest of(String description, List<String> productCodes) {
    return new StocktakeRequest(UUID.randomUUID().toString(), description, productCodes);
  }
}
