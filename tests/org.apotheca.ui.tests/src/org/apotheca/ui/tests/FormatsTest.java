package org.apotheca.ui.tests;

import org.apotheca.gs1.Scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.apotheca.node.api.NodeServiceFactory;
import org.apotheca.node.api.NodeState;
import org.apotheca.node.api.NodeState.Connection;
import org.apotheca.node.api.RecallAlert;
import org.apotheca.ui.Money;
import org.apotheca.ui.NodeChoice;
import org.apotheca.ui.NodeSnapshot;
import org.apotheca.ui.StatusTexts;
import org.apotheca.ui.TextPdf;
import org.apotheca.ui.till.Scans;
import org.apotheca.ui.till.TillView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The till's words and numbers: money, scans, status sentences, the recall line, the receipt PDF. */
class FormatsTest {

  @TempDir
  Path tmp;

  @Test
  void moneyReadsWhatPeopleTypeAndRefusesTheRest() {
    assertEquals("12.50", Money.format(1250));
    assertEquals("0.05", Money.format(5));
    assertEquals("-3.00", Money.format(-300));
    assertEquals(1250, Money.parse(" 12.5 "));
    assertEquals(1250, Money.parse("12,50"));
    assertEquals(2000, Money.parse("20"));
    assertEquals("Use at most two decimals: 1.234", assertThrows(IllegalArgumentException.class, () -> Money.parse("1.234")).getMessage());
    assertEquals("Not an amount: abc", assertThrows(IllegalArgumentException.class, () -> Money.parse("abc")).getMessage());
    assertEquals("20 %", Money.vat(2000));
    assertEquals("5.5 %", Money.vat(550));
    assertEquals("0 %", Money.vat(0));
  }

  @Test
  void scansAreCodesAndEverythingElseIsASearch() {
    assertEquals("04006381333931", Scans.read("4006381333931").gtin());
    assertNull(Scans.read("paracetamol"), "words are a search");
    assertNull(Scans.read("4006"), "a few digits search by barcode");
    String gs = "\u001D";
    Scan dm = Scans.read("]d2010400638133393117301231" + "10L2B" + gs + "21SN-77");
    assertEquals("04006381333931", dm.gtin());
    assertEquals("L2B", dm.lot());
    assertEquals(LocalDate.of(2030, 12, 31), dm.expiry());
    assertEquals("SN-77", dm.serial());
    Scan brackets = Scans.read("(01)04006381333931(17)270300(10)AB12");
    assertEquals(LocalDate.of(2027, 3, 31), brackets.expiry(), "day 00 is the month's last day");
    assertEquals("AB12", brackets.lot());
    String refused = assertThrows(IllegalArgumentException.class, () -> Scans.read("4006381333932")).getMessage();
    assertTrue(refused.toLowerCase().contains("check digit"), refused);
  }

  @Test
  void statusSentencesSayWhatIsGoingOn() {
    long at = LocalDateTime.of(LocalDate.now(), java.time.LocalTime.of(14, 5)).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    NodeState offline = new NodeState("0001", Connection.OFFLINE, at, null, 2, at - 120_000, at - 420_000, List.of());
    NodeSnapshot s = new NodeSnapshot(offline, null, true, at + 60_000);
    assertEquals("Offline since 14:05 \u2014 sales are kept on this computer", StatusTexts.connection(s, "x"));
    assertEquals("2 sales waiting for central", StatusTexts.pending(s));
    assertEquals("Last reached central 14:03", StatusTexts.contact(s));
    assertEquals("Catalogue from 13:58", StatusTexts.catalogue(s));
    assertTrue(s.canSell(), "offline sales are kept");
    NodeState justNow = new NodeState("0001", Connection.OFFLINE, at, null, 2, at + 20_000, at - 420_000, List.of());
    assertEquals("", StatusTexts.contact(new NodeSnapshot(justNow, null, true, at + 60_000)), "no repeat of 'since 14:05'");

    NodeState online = new NodeState("0001", Connection.ONLINE, at, null, 0, at, at, List.of());
    assertEquals("Online", StatusTexts.connection(new NodeSnapshot(online, null, true, at), "x"));
    assertEquals("All sales at central", StatusTexts.pending(new NodeSnapshot(online, null, true, at)));
    NodeState dispensedOffline = new NodeState("0001", Connection.OFFLINE, at, null, 0, 3, at, at, List.of());
    assertEquals("All sales at central \u00b7 3 other changes waiting", StatusTexts.pending(new NodeSnapshot(dispensedOffline, null, true, at)));
    NodeState both = new NodeState("0001", Connection.OFFLINE, at, null, 1, 1, at, at, List.of());
    assertEquals("1 sale and 1 other change waiting for central", StatusTexts.pending(new NodeSnapshot(both, null, true, at)));
    NodeState error = new NodeState("0001", Connection.ERROR, at, "central refused the merge", 1, at, at, List.of());
    assertEquals("Error: central refused the merge \u2014 sales are still kept",
        StatusTexts.connection(new NodeSnapshot(error, null, true, at), "x"));
    NodeState notReady = new NodeState("0001", Connection.NOT_READY, 0, null, 0, 0, 0, List.of());
    NodeSnapshot waiting = new NodeSnapshot(notReady, null, true, at);
    assertEquals("Node not ready: waiting for the catalogue from central", StatusTexts.connection(waiting, "x"));
    assertEquals("No catalogue yet", StatusTexts.catalogue(waiting));
    assertTrue(!waiting.canSell());
    NodeState gone = new NodeState("0001", Connection.NODE_UNREACHABLE, 0, null, 0, 0, 0, List.of());
    assertEquals("Cannot reach the pharmacy node at 10.0.0.5:2046 \u2014 cannot sell",
        StatusTexts.connection(new NodeSnapshot(gone, null, false, at), "the pharmacy node at 10.0.0.5:2046"));
    NodeState unpaired = new NodeState("0001", Connection.NODE_UNREACHABLE, 0,
        NodeState.TILL_REFUSED + "this till was unpaired from the pharmacy node: pair it again", 0, 0, 0, List.of());
    assertEquals("The pharmacy node refused this till: this till was unpaired from the pharmacy node: pair it again \u2014 cannot sell",
        StatusTexts.connection(new NodeSnapshot(unpaired, null, false, at), "the pharmacy node at 10.0.0.5:2046"));
  }

  @Test
  void theRecallBannerNamesProductLotsAndStock() {
    RecallAlert a = new RecallAlert("R-2026-001", "4006381333931", "Paracetamol 500mg", List.of("L1", "L2"), 24, "contamination", 0);
    assertEquals("RECALL R-2026-001: Paracetamol 500mg lots L1, L2 \u2014 24 units on hand: do not sell", TillView.recallText(a));
  }

  @Test
  void theNodeIsChosenFromArgumentsThenSystemProperties() {
    NodeChoice remote = NodeChoice.from(new String[] { "-node", "10.0.0.5:2046", "-till", "till-3" }, k -> null);
    assertEquals(NodeServiceFactory.REMOTE, remote.kind());
    assertEquals("10.0.0.5:2046", remote.settings().get(NodeServiceFactory.NODE_ADDRESS));
    assertTrue(remote.settings().get("identity").endsWith("till-3-pairing"), remote.settings().toString());
    assertEquals("false", remote.settings().get("plain"));
    assertEquals("till-3", remote.tillId());
    NodeChoice local = NodeChoice.from(new String[0], Map.of(NodeChoice.CONFIG_PROPERTY, "site.properties")::get);
    assertEquals(NodeServiceFactory.LOCAL, local.kind());
    assertTrue(local.settings().get(NodeServiceFactory.SITE_CONFIG).endsWith("site.properties"));
    assertEquals("till-1", local.tillId());
    NodeChoice none = NodeChoice.from(new String[0], k -> null);
    assertTrue(none.problem().startsWith("No pharmacy node is set up for this till"), none.problem());
  }

  @Test
  void aReceiptIsAOnePagePdf() throws Exception {
    Path pdf = TextPdf.write(tmp.resolve("r/receipt-1.pdf"), "Receipt 1", List.of("APOTHECA", "Paracetamol (500) \\ x2", "TOTAL 5.00"));
    byte[] bytes = Files.readAllBytes(pdf);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    assertTrue(text.startsWith("%PDF-1.4"), text.substring(0, 10));
    assertTrue(text.contains("(Paracetamol \\(500\\) \\\\ x2) Tj"), "parentheses and backslashes escaped");
    assertTrue(text.endsWith("%%EOF\n"));
    int xref = Integer.parseInt(text.substring(text.lastIndexOf("startxref") + 10, text.lastIndexOf("\n%%EOF")).strip());
    assertTrue(text.startsWith("xref", xref), "startxref points at the cross-reference table");
    assertEquals(1, text.split("/Type /Page ", -1).length - 1, "one page");
  }

  @Test
  void aLongRegisterIsPagedWithItsHeaderOnEveryPage() {
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      lines.add("entry " + i);
    }
    String text = new String(TextPdf.pagesBytes("Register", List.of("CONTROLLED DRUGS REGISTER", "Date  Balance"), lines),
        StandardCharsets.ISO_8859_1);
    int pages = text.split("/Type /Page ", -1).length - 1;
    assertTrue(pages >= 3, pages + " pages");
    assertTrue(text.contains("/Count " + pages + " "), "the page tree counts them");
    assertEquals(pages, text.split("\\(CONTROLLED DRUGS REGISTER\\) Tj", -1).length - 1, "the header on every page");
    assertTrue(text.contains("(Page " + pages + " of " + pages + ") Tj"), "numbered");
    assertTrue(text.contains("(entry 1) Tj") && text.contains("(entry 100) Tj"), "every line is there");
    int xref = Integer.parseInt(text.substring(text.lastIndexOf("startxref") + 10, text.lastIndexOf("\n%%EOF")).strip());
    assertTrue(text.startsWith("xref", xref), "startxref points at the cross-reference table");
  }
}
