package org.apotheca.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;

import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueRow;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sample.SampleCatalogue;
import org.junit.jupiter.api.Test;

class NamingAndFormatsTest {

  @Test
  void endpointsParseStrictly() {
    assertEquals(new Endpoint("127.0.0.1", 2036), Endpoint.parse(" 127.0.0.1:2036 "));
    assertEquals("localhost:1", Endpoint.parse("localhost:1").net4jDescription());
    for (String bad : new String[] { "127.0.0.1", ":2036", "host:", "host:abc", "host:0", "host:65536" }) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(bad), bad);
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
  }

  @Test
  void siteRepositoriesAreNamedAfterValidSiteIds() {
    assertEquals("site-0001", Repositories.siteRepository("0001"));
    assertThrows(IllegalArgumentException.class, () -> Repositories.siteRepository("Central Pharmacy"));
    assertThrows(IllegalArgumentException.class, () -> Repositories.siteRepository("central"));
    assertThrows(IllegalArgumentException.class, () -> Repositories.siteRepository("../etc"));
    assertEquals("/sites/0001/sales/2026-11-23/till-1-0", Repositories.salesJournal("0001", LocalDate.of(2026, 11, 23), "till-1", 0));
    assertEquals("/catalogue/products/b00012", Repositories.productBucket(12));
  }

  @Test
  void sampleBarcodesAreValidDistinctEan13() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i += 7) {
      String code = SampleCatalogue.barcode(i);
      assertEquals(13, code.length());
      assertTrue(code.chars().allMatch(Character::isDigit));
      int sum = 0;
      for (int k = 0; k < 13; k++) {
        sum += (code.charAt(k) - '0') * (k % 2 == 0 ? 1 : 3);
      }
      assertEquals(0, sum % 10, "EAN-13 check digit of " + code);
      assertTrue(seen.add(code), "duplicate " + code);
    }
    assertEquals("5000010000002", SampleCatalogue.barcode(0));
  }

  @Test
  void samplePricesArePositiveMinorUnits() {
    for (int i = 0; i < 10_000; i++) {
      long p = SampleCatalogue.listPriceMinor(i);
      assertTrue(p >= 99 && p < 5_000, "price " + p);
    }
  }

  @Test
  void moneyAndVatAreShownWithoutFloatingPoint() {
    assertEquals("12.34", CatalogueRow.formatMinor(1234));
    assertEquals("0.05", CatalogueRow.formatMinor(5));
    assertEquals("-1.00", CatalogueRow.formatMinor(-100));
    assertEquals("20 %", new CatalogueRow("i", "b", "n", "a", "p", 1, 2000, "").vatPercent());
    assertEquals("5.50 %", new CatalogueRow("i", "b", "n", "a", "p", 1, 550, "").vatPercent());
  }
}
