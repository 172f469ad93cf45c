package org.apotheca.gs1;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one scan named. {@code gtin} is always 14 digits; {@code lot}, {@code expiry} and {@code serial} are null when
 * the scan did not carry them. {@code elements} holds every application identifier of the scan with its value, in scan
 * order (a plain EAN/UPC scan gives just {@code 01}); it cannot be modified.
 */
public record Scan(String gtin, String lot, LocalDate expiry, String serial, Map<String, String> elements) {

  public Scan {
    Objects.requireNonNull(gtin, "gtin");
    if (gtin.length() != 14 || !gtin.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("gtin must be 14 digits: " + gtin);
    }
    elements = elements == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(elements));
  }

  /**
   * Support-console form, e.g. {@code scan gtin=05012345678900 lot=ABC123 expiry=2027-03-31 serial=XYZ}; absent
   * elements are left empty ({@code lot= }).
   */
  public String line() {
    return "scan gtin=" + gtin + " lot=" + (lot == null ? "" : lot) + " expiry=" + (expiry == null ? "" : expiry)
        + " serial=" + (serial == null ? "" : serial);
  }
}
