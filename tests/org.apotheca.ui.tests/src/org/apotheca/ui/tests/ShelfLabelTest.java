package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apotheca.ui.labels.ShelfLabel;
import org.apotheca.ui.labels.ShelfLabelPrintouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a shelf label says, on paper and to a thermal printer, and the files one print writes. */
class ShelfLabelTest {

  @TempDir
  Path tmp;

  private static final ShelfLabel IBU = new ShelfLabel("Ibuprofen 400 mg film-coated tablets (Northfield Generics) x24",
      "24 tablets", 495, 2000, "4006381333931", 1);

  @Test
  void theLabelTextWrapsTheNameOnTwoLinesAndEndsWithPriceAndBarcode() {
    assertEquals(List.of("Ibuprofen 400 mg film-coated", "tablets (Northfield Generics)...", "24 tablets", "",
        "PRICE 4.95   incl. VAT 20 %", "EAN 4006381333931"), IBU.lines());
    ShelfLabel shortName = new ShelfLabel("Aspirin 75 mg", "", 120, 550, "00012345678905", 1);
    assertEquals(List.of("Aspirin 75 mg", "", "PRICE 1.20   incl. VAT 5.5 %", "Code 00012345678905"), shortName.lines());
  }

  @Test
  void zplPrintsEan13BarsFromTwelveDigitsAndEscapesWhatWouldBeACommand() {
    String z = IBU.withCopies(3).zpl();
    assertTrue(z.startsWith("^XA\n^CI28\n^PW400\n^LL240\n"), z);
    assertTrue(z.contains("^BEN,50,Y,N^FD400638133393^FS"), "the printer adds the check digit: " + z);
    assertTrue(z.contains("^FD4.95^FS") && z.contains("^PQ3\n") && z.endsWith("^XZ\n"), z);
    String odd = new ShelfLabel("Caf\u00e9 ^Cream~ 5_0", "1 tube", 100, 0, "ABC-1", 1).zpl();
    assertTrue(odd.contains("^FDCaf_C3_A9 _5ECream_7E 5_5F0^FS"), odd);
    assertTrue(odd.contains("^BCN,50,Y,N,N^FH_^FDABC-1^FS"), "not an EAN-13: Code 128 " + odd);
    assertEquals(2, odd.split("\\^FO16,66", -1).length, "one pack line");
  }

  @Test
  void onePrintWritesAPdfPagePerLabelAndOneZplFileOnlyWhenAPrinterFolderIsSet() throws Exception {
    ShelfLabelPrintouts.Printed p = ShelfLabelPrintouts.write(List.of(IBU.withCopies(2),
        new ShelfLabel("Aspirin 75 mg", "28 tablets", 120, 550, "5000000000001", 1)), tmp.resolve("pdf"), tmp.resolve("zpl"));
    assertEquals(3, p.labels());
    String pdf = Files.readString(p.pdf(), StandardCharsets.ISO_8859_1);
    assertEquals(3, pdf.split("/Type /Page /Parent", -1).length - 1, "a page per label");
    assertTrue(pdf.contains("(EAN 5000000000001) Tj"), pdf);
    String zpl = Files.readString(p.zpl());
    assertEquals(2, zpl.split("\\^XA", -1).length - 1, "a format per product, ^PQ for the copies: " + zpl);
    try (var files = Files.list(tmp.resolve("zpl"))) {
      assertEquals(List.of(p.zpl()), files.toList(), "nothing half-written left beside it");
    }
    ShelfLabelPrintouts.Printed noPrinter = ShelfLabelPrintouts.write(List.of(IBU), tmp.resolve("pdf"), null);
    assertNull(noPrinter.zpl());
    assertTrue(Files.isRegularFile(noPrinter.pdf()));
  }
}
