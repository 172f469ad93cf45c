package org.apotheca.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apotheca.core.catalogue.CatalogueCsv;
import org.apotheca.core.catalogue.CatalogueCsv.Column;
import org.apotheca.core.catalogue.CatalogueCsv.Entry;
import org.apotheca.core.catalogue.CatalogueCsv.Parsed;
import org.apotheca.core.catalogue.CatalogueCsv.Problem;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.ControlledDrugSchedule;
import org.junit.jupiter.api.Test;

/** The catalogue file reader: RFC 4180 quoting, BOM, every row checked, every problem with its line. */
class CatalogueCsvTest {

  private static final String HEADER = "barcode,name,price_minor,vat_bp";
  private static final String B1 = SampleCatalogue.barcode(1);
  private static final String B2 = SampleCatalogue.barcode(2);
  private static final String B3 = SampleCatalogue.barcode(3);

  private static Parsed parse(String text) {
    return CatalogueCsv.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> problems(Parsed p) {
    return p.problems().stream().map(Problem::toString).toList();
  }

  @Test
  void readsQuotedFieldsBomAndLineBreaksWithTheLinesAnEditorShows() {
    String text = "\uFEFFBarcode, Name ,price_minor,vat_bp,manufacturer,schedule,prescription_only,ingredients\r\n"
        + B1 + ",\"Paracetamol 500 mg, tablets x32\",199,2000,\"Accord \"\"UK\"\"\",,no,Paracetamol\r\n"
        + B2 + ",Codeine 30 mg,450,0,\"Line one\nline two\",schedule_5,yes,Codeine; Paracetamol\r\n"
        + "\r\n"
        + "  " + B3 + "  ,  Plain  ,0,500,,NONE,,\r\n";
    Parsed p = parse(text);
    assertEquals(List.of(), problems(p));
    assertEquals(List.of(Column.BARCODE, Column.NAME, Column.PRICE_MINOR, Column.VAT_BP, Column.MANUFACTURER, Column.SCHEDULE,
        Column.PRESCRIPTION_ONLY, Column.INGREDIENTS), p.columns());
    assertEquals(3, p.entries().size());
    Entry a = p.entries().get(0);
    assertEquals(2, a.line());
    assertEquals("Paracetamol 500 mg, tablets x32", a.name());
    assertEquals("Accord \"UK\"", a.manufacturer());
    assertEquals(199, a.priceMinor());
    assertEquals(2000, a.vatBasisPoints());
    assertEquals("0" + B1, a.gtin());
    assertEquals(ControlledDrugSchedule.NONE, a.schedule());
    assertEquals(false, a.prescriptionOnly());
    assertEquals(List.of("Paracetamol"), a.ingredients());
    Entry b = p.entries().get(1);
    assertEquals(3, b.line());
    assertEquals("Line one\nline two", b.manufacturer());
    assertEquals(ControlledDrugSchedule.SCHEDULE_5, b.schedule());
    assertEquals(List.of("Codeine", "Paracetamol"), b.ingredients());
    Entry c = p.entries().get(2);
    assertEquals(6, c.line(), "the quoted line break counts, the blank line is skipped");
    assertEquals(B3, c.barcode());
    assertEquals("Plain", c.name());
    assertEquals(List.of(), c.ingredients());
    // columns the file does not have are null: an update leaves those fields alone
    assertNull(c.genericName());
    assertNull(c.packSize());
    assertNull(c.discontinued());
  }

  @Test
  void everyRowIsCheckedAndEveryProblemNamesItsLine() {
    String text = HEADER + ",pack_size,schedule,discontinued\n"
        + B1 + ",Good,100,2000,30,,no\n"               // 2: fine
        + "50000100000X9,Letters,100,2000,,,\n"        // 3
        + "123456789,Nine digits,100,2000,,,\n"        // 4
        + "5000010000012,Bad check,100,2000,,,\n"      // 5
        + ",No barcode,100,2000,,,\n"                  // 6
        + B1 + ",Duplicate,100,2000,,,\n"              // 7
        + B2 + ",Negative,-5,2000,,,\n"                // 8
        + B3 + ",Decimal,12.99,2000,,,\n"              // 9
        + SampleCatalogue.barcode(4) + ",Text price,abc,2000,,,\n"    // 10
        + SampleCatalogue.barcode(5) + ",VAT,100,25000,,,\n"          // 11
        + SampleCatalogue.barcode(6) + ",VAT text,100,20%,,,\n"       // 12
        + SampleCatalogue.barcode(7) + ",,100,2000,,,\n"              // 13
        + SampleCatalogue.barcode(8) + ",Short,100,2000\n"            // 14
        + SampleCatalogue.barcode(9) + ",Sched,100,2000,-3,SCHEDULE_9,maybe\n" // 15
        + SampleCatalogue.barcode(10) + ",No price,,,,,\n";           // 16
    Parsed p = parse(text);
    assertFalse(p.ok());
    // the rows that passed are kept for the catalogue's own checks (VAT rates, ingredients); the file is still refused
    assertEquals(List.of(2), p.entries().stream().map(Entry::line).toList());
    List<String> got = problems(p);
    String[] expected = {
        "line 3: barcode '50000100000X9' has characters other than digits",
        "line 4: barcode 123456789 has 9 digits; a barcode has 8, 12, 13 or 14",
        "line 5: barcode 5000010000012 has a wrong check digit (expected ",
        "line 6: no barcode",
        "line 7: barcode " + B1 + " is also on line 2",
        "line 8: price_minor -5 is negative",
        "line 9: price_minor '12.99' is not a whole number of minor units (write 1299 for 12.99)",
        "line 10: price_minor 'abc' is not a whole number",
        "line 11: vat_bp 25000 is out of range: 0 to 10000",
        "line 12: vat_bp '20%' is not a whole number of basis points",
        "line 13: no name",
        "line 14: 4 fields, but the header has 7 columns",
        "line 15: pack_size '-3' is not a whole number",
        "line 15: schedule 'SCHEDULE_9' is not one of NONE, SCHEDULE_1,",
        "line 15: discontinued 'maybe' is not yes or no",
        "line 16: no price",
        "line 16: no VAT rate",
    };
    assertEquals(expected.length, got.size(), String.join("\n", got));
    for (int i = 0; i < expected.length; i++) {
      assertTrue(got.get(i).startsWith(expected[i]), "problem " + i + ": expected «" + expected[i] + "…», got «" + got.get(i) + "»");
    }
  }

  @Test
  void theSameProductTwiceIsFoundAcrossBarcodeLengths() {
    // an EAN-13 and its 14-digit GTIN are one product
    Parsed p = parse(HEADER + "\n" + B1 + ",A,1,0\n0" + B1 + ",B,2,0\n");
    assertEquals(List.of("line 3: barcode 0" + B1 + " is also on line 2 (one row per product)"), problems(p));
  }

  @Test
  void aWrongHeaderIsReportedAloneAndStopsTheCheck() {
    Parsed p = parse("barcode,name,price,vat_bp,name,colour\n" + B1 + ",x\n");
    assertEquals(List.of(
        "line 1: unknown column 'price' (the columns are barcode,name,price_minor,vat_bp,generic_name,form,strength,pack_size,"
            + "pack_unit,manufacturer,atc_code,schedule,prescription_only,discontinued,ingredients)",
        "line 1: column 'name' is named twice",
        "line 1: unknown column 'colour' (the columns are barcode,name,price_minor,vat_bp,generic_name,form,strength,pack_size,"
            + "pack_unit,manufacturer,atc_code,schedule,prescription_only,discontinued,ingredients)",
        "line 1: the header has no column 'price_minor' (required: barcode, name, price_minor, vat_bp)"), problems(p));
  }

  @Test
  void brokenQuotingIsNamedByLine() {
    Parsed p = parse(HEADER + "\n"
        + B1 + ",Ok,1,0\n"
        + B2 + ",Say \"hi\",1,0\n"           // 3: quote inside an unquoted value
        + B3 + ",\"Closed\" late,1,0\n"      // 4: text after the closing quote
        + SampleCatalogue.barcode(4) + ",Fine,1,0\n"
        + SampleCatalogue.barcode(5) + ",\"Never closed,1,0\n"   // 6: runs to the end of the file
        + SampleCatalogue.barcode(6) + ",Swallowed,1,0\n");
    List<String> got = problems(p);
    assertEquals(3, got.size(), String.join("\n", got));
    assertTrue(got.get(0).startsWith("line 3: a quote inside an unquoted value"), got.get(0));
    assertTrue(got.get(1).startsWith("line 4: text after a closing quote (\"late\")"), got.get(1));
    assertTrue(got.get(2).startsWith("line 6: a quoted field opened on this line is never closed"), got.get(2));
  }

  @Test
  void aFileThatIsNotUtf8IsRefusedAtItsLine() {
    byte[] latin1 = (HEADER + "\n" + B1 + ",Ok,1,0\n" + B2 + ",Caf\u00e9,1,0\n").getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(List.of("line 3: the file is not UTF-8 (byte 0xE9): save it as \"CSV UTF-8\""), problems(CatalogueCsv.parse(latin1)));
    byte[] utf16 = (HEADER + "\n").getBytes(StandardCharsets.UTF_16LE);
    byte[] withBom = new byte[utf16.length + 2];
    withBom[0] = (byte) 0xFF;
    withBom[1] = (byte) 0xFE;
    System.arraycopy(utf16, 0, withBom, 2, utf16.length);
    assertTrue(problems(CatalogueCsv.parse(withBom)).get(0).contains("it looks like UTF-16"), problems(CatalogueCsv.parse(withBom)).toString());
  }

  @Test
  void emptyFilesAndHeaderOnlyAreRefused() {
    assertTrue(problems(parse("")).get(0).startsWith("file: the file is empty"));
    assertTrue(problems(parse("\uFEFF\r\n\r\n")).get(0).startsWith("file: the file is empty"));
    assertEquals(List.of("file: the file has a header but no product rows"), problems(parse(HEADER + "\r\n")));
  }

  @Test
  void aTotallyWrongFileGivesAReadableRefusal() {
    StringBuilder text = new StringBuilder(HEADER + "\n");
    for (int i = 0; i < 250; i++) {
      text.append("x").append(i).append(",name,1,0\n");
    }
    Parsed p = parse(text.toString());
    assertEquals(250, p.problems().size());
    String message = new CatalogueCsv.RefusedException("prices.csv", p.problems()).getMessage();
    List<String> lines = message.lines().toList();
    assertEquals("catalogue file prices.csv refused, nothing was changed: 250 errors", lines.get(0));
    assertEquals(1 + CatalogueCsv.MAX_LISTED_PROBLEMS + 1, lines.size());
    assertTrue(lines.get(1).startsWith("line 2: barcode 'x0'"), lines.get(1));
    assertTrue(lines.get(100).startsWith("line 101: "), lines.get(100));
    assertEquals("and 150 more errors (fix these and import again to see them)", lines.get(lines.size() - 1));
  }

  @Test
  void whatIsWrittenReadsBackTheSame() {
    List<Entry> entries = new ArrayList<>();
    entries.add(new Entry(0, B1, "0" + B1, "Name, with \"comma\"", 1234, 2000, "generic", "tablets", "500 mg", 32, "units",
        " Maker\nwith break ", "N02BE01", ControlledDrugSchedule.SCHEDULE_2, true, false, List.of("Paracetamol", "Codeine")));
    entries.add(new Entry(0, "96385074", "00000096385074", "EAN-8 product", 0, 0, "", "", "", 0, "", "", "", ControlledDrugSchedule.NONE,
        false, true, List.of()));
    StringWriter out = new StringWriter();
    CatalogueCsv.write(out, entries);
    assertTrue(out.toString().startsWith("barcode,name,price_minor,vat_bp,generic_name,form,strength,pack_size,pack_unit,manufacturer,"
        + "atc_code,schedule,prescription_only,discontinued,ingredients\r\n"), out.toString());
    Parsed p = parse(out.toString());
    assertEquals(List.of(), problems(p));
    assertEquals(List.of(Column.values()), p.columns());
    Entry a = p.entries().get(0);
    assertEquals(2, a.line());
    assertEquals(entries.get(0).name(), a.name());
    assertEquals("Maker\nwith break", a.manufacturer(), "values are read stripped");
    assertEquals(ControlledDrugSchedule.SCHEDULE_2, a.schedule());
    assertEquals(List.of("Paracetamol", "Codeine"), a.ingredients());
    assertEquals(true, a.prescriptionOnly());
    assertEquals(32, a.packSize());
    Entry b = p.entries().get(1);
    assertEquals(4, b.line(), "the line break inside the first row's quoted value moves the second row to line 4");
    assertEquals(new Entry(4, "96385074", "00000096385074", "EAN-8 product", 0, 0, "", "", "", 0, "", "", "", ControlledDrugSchedule.NONE,
        false, true, List.of()), b);
  }
}
