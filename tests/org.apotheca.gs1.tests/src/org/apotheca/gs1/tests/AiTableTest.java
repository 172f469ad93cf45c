package org.apotheca.gs1.tests;

import static org.apotheca.gs1.tests.Scans.GS;
import static org.apotheca.gs1.tests.Scans.GTIN;
import static org.apotheca.gs1.tests.Scans.assertContains;
import static org.apotheca.gs1.tests.Scans.parse;
import static org.apotheca.gs1.tests.Scans.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.List;

import org.apotheca.gs1.Scan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parser knows the lengths and character sets of the whole GS1 AI table, so it steps over what the till ignores. */
class AiTableTest {

  @ParameterizedTest(name = "AI {0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "00|106141411234567897", "02|15012345678907", "03|15012345678907",
      "11|250115", "12|260101", "13|250201", "16|270101", "20|07",
      "22|CPV-1", "235|TPX0001", "240|ADD-ID", "241|CUST/77", "242|123456", "243|PCN1", "250|SEC-SER", "251|REF1",
      "253|4012345000009", "253|4012345000009DOC-17", "254|EXT1", "255|4012345000009123456789012",
      "30|12345678", "3100|000250", "3105|123456", "3160|000001", "3295|000100", "3300|001000", "3375|000200",
      "3495|010000", "3505|000300", "3575|000330", "3600|000001", "3695|999999",
      "37|24", "3900|123456789012345", "3911|978123456789012345", "3925|1995", "3932|9781995", "3943|2500",
      "3955|001995",
      "400|PO-4711", "401|GINC/1", "402|06141411234567890", "403|ROUTE-7",
      "410|4012345000009", "411|4012345000016", "412|4012345000009", "413|4012345000009", "414|4012345000009",
      "415|4012345000009", "416|4012345000009", "417|4012345000016",
      "420|SW1A1AA", "421|826SW1A1AA", "422|250", "423|250276380", "424|276", "425|250", "426|380", "427|BY",
      "4300|ACME%20Ltd", "4302|1%20Main%20Street", "4307|GB", "4309|51507400000001277700", "4318|SW1A1AA",
      "4321|1", "4324|2701011230", "4325|2701001800", "4326|270101", "4330|001234-", "4333|000500",
      "7001|1234567890123", "7002|MEAT-CUT", "7004|250", "7005|FAO27", "7006|250101", "7007|250101",
      "7007|250101250115", "7008|COD", "7009|G1", "7010|2", "7011|270101", "7011|2701011200", "7020|REF-LOT",
      "7021|OK", "7022|R2", "7023|ASM-1", "7030|250PROC-APPROVAL-1", "7039|999X", "7040|1ABC", "7041|BX",
      "710|12345678", "711|3400912345678", "712|123456", "713|1234567890", "714|1234567", "715|0123-4567-89",
      "716|012345678", "717|SRN1",
      "7230|AB-CERT-1", "7239|01X", "7240|PROTO-1", "7241|01", "7242|VCN-1", "7250|19800229", "7251|198002291230",
      "7252|2", "7253|SMITH", "7256|JOHN%20SMITH", "7258|1/2", "7259|BABY",
      "8001|01230123401231", "8002|CMT-1", "8003|04012345000009ASSET-7", "8004|GIAI-1", "8005|000450",
      "8006|150123456789070102", "8007|GB82WEST12345698765432", "8008|25010112", "8008|250101123059",
      "8009|SENSOR-1", "8010|AB#-/12", "8011|123456789012", "8012|V1.2", "8013|GMN-1", "8014|MUDI-1",
      "8017|006141410000000012", "8018|006141410000000012", "8019|1234567890", "8020|REF-1",
      "8026|150123456789070102", "8030|AbC-_xyz09=", "8040|123456789012345", "8041|123456789012345",
      "8042|12345678901234567890123456789012", "8043|123456789012345678", "8043|12345678901234567890",
      "8110|COUPON1", "8111|0100", "8112|PAPERLESS1", "8200|https://example.com/p?a=1", "90|INT-1", "99|COMPANY-9",
  })
  void everyKindOfAiIsSteppedOverAndKept(String ai, String value) {
    Scan scan = parse("]d201" + GTIN + ai + value + GS + "10LOT1" + GS + "21S1");
    assertEquals(value, scan.elements().get(ai));
    assertEquals(List.of("01", ai, "10", "21"), List.copyOf(scan.elements().keySet()));
    assertEquals("scan gtin=05012345678900 lot=LOT1 expiry= serial=S1", scan.line());
  }

  @ParameterizedTest(name = "AI {0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "00|106141411234567897", "02|15012345678907", "03|15012345678907", "11|250115", "12|260101", "13|250201",
      "15|270630", "16|270101", "20|07", "3100|000250", "3565|000001", "3695|999999", "410|4012345000009",
      "417|4012345000016",
  })
  void predefinedLengthAisNeedNoSeparator(String ai, String value) {
    Scan scan = parse("01" + GTIN + ai + value + "10LOT1");
    assertEquals(value, scan.elements().get(ai));
    assertEquals("LOT1", scan.lot());
  }

  @Test
  void formatsBeyondLengthAreChecked() {
    assertContains("The harvest date (AI 7007) cannot be 9 digits long", refusal("01" + GTIN + "7007250101250" + GS));
    assertContains("The document type identifier (GDTI) (AI 253) has 12 characters, fewer than the 13",
        refusal("01" + GTIN + "253401234500000" + GS));
    assertContains("The component identifier (CPID) (AI 8010) contains 'a'", refusal("01" + GTIN + "8010AB-a" + GS));
    assertContains("The digital signature (AI 8030) contains '.'", refusal("01" + GTIN + "8030AbC.d" + GS));
    assertContains("The ship-to postal code with country (AI 421) may only contain digits, but has 'X'",
        refusal("01" + GTIN + "42182XSW1" + GS));
    assertEquals("Check digit of the shipping container code (SSCC) (AI 00), 106141411234567890, is wrong "
        + "(expected 7): scan refused", refusal("01" + GTIN + "00106141411234567890"));
    assertContains("Check digit of the shipment number (GSIN) (AI 402), 06141411234567891, is wrong (expected 0)",
        refusal("01" + GTIN + "40206141411234567891" + GS));
    assertContains("Check digit of the returnable asset (GRAI) (AI 8003), 4012345000008, is wrong (expected 9)",
        refusal("01" + GTIN + "800304012345000008A" + GS));
    assertContains("The expiry date and time (AI 7003) has the impossible time 2561",
        refusal("01" + GTIN + "70032703312561" + GS));
    assertContains("The production date and time (AI 8008) has the impossible time 24",
        refusal("01" + GTIN + "800825010124" + GS));
  }

  @Test
  void onlyAi17IsTheExpiry() {
    Scan scan = parse("01" + GTIN + "11250115" + "13250201" + "15270630" + "16270101" + "7003" + "2703311230" + GS
        + "10L");
    assertNull(scan.expiry());
    assertEquals("scan gtin=05012345678900 lot=L expiry= serial=", scan.line());
    assertEquals(LocalDate.of(2027, 3, 31), parse("01" + GTIN + "15270630" + "17270331").expiry());
  }
}
