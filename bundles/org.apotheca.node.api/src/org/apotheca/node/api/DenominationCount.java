package org.apotheca.node.api;

/**
 * How many notes or coins of one value were counted in a till drawer.
 *
 * @param denominationMinor the value of one note or coin in minor units (5000 for a 50 note, 1 for a 1-cent coin)
 */
public record DenominationCount(long denominationMinor, int count) {

  public long totalMinor() {
    return denominationMinor * count;
  }
}
