package org.apotheca.server.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apotheca.core.ConsoleFunction;
import org.apotheca.core.Repositories;
import org.apotheca.core.ResourceRoots;
import org.apotheca.core.catalogue.CatalogueIndex;
import org.apotheca.core.catalogue.CatalogueReader;
import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.model.ActiveIngredient;
import org.apotheca.model.InteractionBucket;
import org.apotheca.model.InteractionRule;
import org.apotheca.model.Product;
import org.apotheca.model.ProductBucket;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.eclipse.emf.cdo.common.commit.CDOCommitInfo;
import org.eclipse.emf.cdo.session.CDOSession;
import org.eclipse.emf.cdo.view.CDOView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apotheca catalogue import|export} on a real central server: a bad file is refused whole with its line
 * numbers and writes nothing; a good one adds and updates in exactly one commit, new products filling the buckets
 * of 500; export then import of the same file changes nothing. Checked from a staff tool's session over TCP.
 */
class CatalogueImportTest {

  @TempDir
  Path dir;

  private static final String HEADER = "barcode,name,price_minor,vat_bp,generic_name,pack_size,schedule,prescription_only,ingredients";

  @Test
  void aBadFileIsRefusedWithEveryLineAndChangesNothing() throws Exception {
    ServerConfig config = TestServers.config(dir.resolve("central"), TestServers.freePort(), 30);
    CentralServer server = TestServers.start(config);
    try {
      ServerCommands console = new ServerCommands(server);
      long lastCommit = lastCommit(server);
      Path file = write("bad.csv",
          HEADER,
          SampleCatalogue.barcode(1) + ",Changed name,1,2000,,,,no,",         // 2: fine on its own (an update)
          "5000010000012,New product,100,2000,,,,no,",                        // 3: wrong check digit
          "5212345678904,New product,-1,2000,,,,no,",                         // 4: negative price (and a good barcode)
          "5212345678911,\"Quoted, with comma\",100,1234,,,,no,",             // 5: no such VAT rate in the catalogue
          SampleCatalogue.barcode(2) + ",Dup,100,2000,,,,no,",                // 6
          SampleCatalogue.barcode(2) + ",Dup again,100,2000,,,,no,",          // 7: duplicate of line 6
          "5212345678928,Unknown ingredient,100,500,,,,no,Unobtainium",       // 8: not in the catalogue
          "5212345678935,Too few fields,100");                                // 9
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> console.apotheca("catalogue", "import", file.toString(), "--by", "tester"));
      List<String> lines = e.getMessage().lines().toList();
      assertEquals("catalogue file " + file + " refused, nothing was changed: 6 errors", lines.get(0));
      assertEquals(List.of(
          "line 3: barcode 5000010000012 has a wrong check digit (expected 9)",
          "line 4: price_minor -1 is negative",
          "line 5: no VAT rate of 1234 basis points in the catalogue (it has 0, 500, 2000)",
          "line 7: barcode " + SampleCatalogue.barcode(2) + " is also on line 6 (one row per product)",
          "line 8: no active ingredient 'Unobtainium' in the catalogue",
          "line 9: 3 fields, but the header has 9 columns (a comma inside a value needs the value in double quotes)"),
          lines.subList(1, lines.size()));
      assertEquals(lastCommit, lastCommit(server), "the catalogue's last commit time is unchanged");
      // on the console (telnet or one-shot) the refusal keeps every line, not only the first as other errors do
      String shown = new ConsoleFunction(console::apotheca).apotheca("catalogue", "import", file.toString());
      assertEquals("error: " + e.getMessage(), shown);
      assertEquals(7, shown.lines().count());
      try (CdoConnection c = TestServers.client(config, Repositories.CATALOGUE)) {
        CDOView view = c.session().openView();
        assertEquals(30, CatalogueReader.count(view));
        try (CatalogueIndex index = new CatalogueIndex(view)) {
          assertEquals(CatalogueReader.row(index.find(SampleCatalogue.barcode(1))).name(), index.find(SampleCatalogue.barcode(1)).getName());
          assertTrue(!index.find(SampleCatalogue.barcode(1)).getName().equals("Changed name"));
        }
      }
      // the command itself: a missing file, no file, an unknown option
      IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
          () -> console.apotheca("catalogue", "import", dir.resolve("nope.csv").toString()));
      assertEquals("No file " + dir.resolve("nope.csv") + " (a path on central's computer)", missing.getMessage());
      assertThrows(IllegalArgumentException.class, () -> console.apotheca("catalogue", "import"));
      assertThrows(IllegalArgumentException.class, () -> console.apotheca("catalogue", "import", file.toString(), "--force"));
      assertThrows(IllegalArgumentException.class, () -> console.apotheca("catalogue", "bogus"));
      assertEquals(lastCommit, lastCommit(server));
    } finally {
      TestServers.stop(server);
    }
  }

  @Test
  void aGoodFileAddsAndUpdatesInOneCommitAndExportThenImportChangesNothing() throws Exception {
    // 499 products: the first new one fills bucket b00000 to 500, the next ones open b00001
    ServerConfig config = TestServers.config(dir.resolve("central"), TestServers.freePort(), 499);
    CentralServer server = TestServers.start(config);
    try {
      ServerCommands console = new ServerCommands(server);
      String b1 = SampleCatalogue.barcode(1);
      String b2 = SampleCatalogue.barcode(2);
      String b3 = SampleCatalogue.barcode(3);
      long oldPrice3;
      String name3;
      String name2;
      try (CdoConnection c = TestServers.client(config, Repositories.CATALOGUE); CatalogueIndex index = new CatalogueIndex(c.session().openView())) {
        oldPrice3 = index.find(b3).getListPriceMinor();
        name3 = index.find(b3).getName();
        name2 = index.find(b2).getName();
        assertEquals("Ibuprofen", index.find(b1).getGenericName());
        assertEquals(16, index.find(b2).getPackSize());
        assertTrue(index.find(b2).isPrescriptionOnly());
      }
      String updated1 = "updated barcode=" + b1 + " fields=name,price_minor,generic_name,pack_size,ingredients";
      String updated2 = "updated barcode=" + b2 + " fields=prescription_only";
      String fields = "generic_name:1,ingredients:1,name:1,pack_size:1,prescription_only:1,price_minor:1";
      Path file = write("spring.csv",
          "\uFEFF" + HEADER,
          // 2: sample product 1 is Ibuprofen x16 at 2000 bp: name, price, generic name, pack size and ingredient change
          b1 + ",Paracetamol 500 mg caplets x32,4321,2000,Paracetamol,32,,no,Paracetamol",
          // 3: sample product 2 as it is, but no longer prescription-only
          b2 + "," + quote(name2) + "," + SampleCatalogue.listPriceMinor(2) + ",2000,Amoxicillin,16,,no,Amoxicillin",
          "5212345678904,\"New, one\",100,500,Ibuprofen,16,,no,Ibuprofen",                   // 4: new
          "5212345678911,New two,200,0,,,SCHEDULE_2,yes,Morphine",                           // 5: new
          "96385074,New three (EAN-8),300,2000,,,,no,");                                     // 6: new
      long before = lastCommit(server);
      String dry = console.apotheca("catalogue", "import", file.toString(), "--dry-run");
      assertEquals("catalogue import file=" + file + " rows=5 added=3 updated=2 unchanged=0 commit=none dry-run=yes fields=" + fields + "\n"
          + updated1 + "\n" + updated2, dry);
      assertEquals(before, lastCommit(server), "a dry run commits nothing");

      String reply = console.apotheca("catalogue", "import", file.toString(), "--by", "anna.pricing", "--reason", "spring list");
      long commit = lastCommit(server);
      assertEquals("catalogue import file=" + file + " rows=5 added=3 updated=2 unchanged=0 commit=" + Instant.ofEpochMilli(commit)
          + " fields=" + fields + "\n" + updated1 + "\n" + updated2, reply);

      try (CdoConnection c = TestServers.client(config, Repositories.CATALOGUE)) {
        CDOSession s = c.session();
        List<CDOCommitInfo> commits = new ArrayList<>();
        s.getCommitInfoManager().getCommitInfos(s.getBranchManager().getMainBranch(), before + 1, null, null, 100, commits::add);
        assertEquals(1, commits.size(), "exactly one commit: " + commits);
        assertEquals("anna.pricing: spring list (catalogue import spring.csv: 3 added, 2 updated)", commits.get(0).getComment());

        CDOView view = s.openView();
        List<ProductBucket> buckets = CatalogueReader.buckets(view);
        assertEquals(List.of("b00000", "b00001"), buckets.stream().map(ProductBucket::getBucketKey).toList());
        assertEquals(500, buckets.get(0).getProducts().size());
        assertEquals(2, buckets.get(1).getProducts().size());
        try (CatalogueIndex index = new CatalogueIndex(view)) {
          Product p1 = index.find(b1);
          assertEquals("Paracetamol 500 mg caplets x32", p1.getName());
          assertEquals(4321, p1.getListPriceMinor());
          assertEquals(32, p1.getPackSize());
          assertEquals(List.of("Paracetamol"), p1.getIngredients().stream().map(ActiveIngredient::getName).toList());
          Product n1 = index.find("5212345678904");
          assertEquals("New, one", n1.getName());
          assertEquals(500, n1.getVatRate().getRateBasisPoints());
          assertEquals("Ibuprofen", n1.getGenericName());
          assertEquals("b00000", ((ProductBucket) n1.eContainer()).getBucketKey());
          Product n2 = index.find("05212345678911"); // by its GTIN, as a scan finds it
          assertEquals("SCHEDULE_2", n2.getSchedule().getName());
          assertTrue(n2.isPrescriptionOnly());
          assertEquals(List.of("Morphine"), n2.getIngredients().stream().map(ActiveIngredient::getName).toList());
          assertEquals(300, index.find("96385074").getListPriceMinor());
          assertEquals("b00001", ((ProductBucket) index.find("96385074").eContainer()).getBucketKey());
          // a product the file does not name is left alone
          assertEquals(oldPrice3, index.find(b3).getListPriceMinor());
          assertEquals(name3, index.find(b3).getName());
        }
      }

      // the same file again: every row unchanged, no commit
      String again = console.apotheca("catalogue", "import", file.toString());
      assertTrue(again.startsWith("catalogue import file=" + file + " rows=5 added=0 updated=0 unchanged=5 commit=none fields=none"), again);
      assertEquals(commit, lastCommit(server));

      // export then import of that file: no change
      Path export = dir.resolve("export.csv");
      String exported = console.apotheca("catalogue", "export", export.toString());
      assertEquals("catalogue export file=" + export + " products=502 version=" + Instant.ofEpochMilli(commit), exported);
      assertEquals(503, Files.readAllLines(export, StandardCharsets.UTF_8).size());
      String roundTrip = console.apotheca("catalogue", "import", export.toString());
      assertEquals("catalogue import file=" + export + " rows=502 added=0 updated=0 unchanged=502 commit=none fields=none", roundTrip);
      assertEquals(commit, lastCommit(server));
    } finally {
      TestServers.stop(server);
    }
  }

  @Test
  void anInteractionRulesFileAddsUpdatesAndWithdrawsRulesInOneCommitOrRefusesWhole() throws Exception {
    ServerConfig config = TestServers.config(dir.resolve("central"), TestServers.freePort(), 30);
    CentralServer server = TestServers.start(config);
    try {
      ServerCommands console = new ServerCommands(server);
      int sampleRules = rules(config).size();
      long lastCommit = lastCommit(server);
      Path bad = write("bad-rules.csv",
          "ingredient_a,ingredient_b,severity,description,advice",
          "Warfarin,Unobtainium,MAJOR,Bleeding,",                          // 2: unknown ingredient
          "Warfarin,warfarin,MAJOR,Bleeding,",                             // 3: the same ingredient twice
          "Amlodipine,Simvastatin,SEVERE,Raised simvastatin levels,",      // 4: no such severity
          "Metformin,Omeprazole,MODERATE,,",                               // 5: no description
          "Paracetamol,Metformin,WITHDRAWN,,");                            // 6: no such rule to withdraw
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> console.apotheca("catalogue", "import", bad.toString()));
      assertEquals(List.of("catalogue file " + bad + " refused, nothing was changed: 5 errors",
          "line 2: no active ingredient 'Unobtainium' in the catalogue",
          "line 3: ingredient_a and ingredient_b are both Warfarin (a rule is between two ingredients)",
          "line 4: severity 'SEVERE' is not one of MINOR, MODERATE, MAJOR, CONTRAINDICATED, WITHDRAWN",
          "line 5: no description (what happens when both are taken)",
          "line 6: no rule for Paracetamol with Metformin to withdraw"), e.getMessage().lines().toList());
      assertEquals(lastCommit, lastCommit(server), "nothing written");

      Path good = write("rules.csv",
          "ingredient_a,ingredient_b,severity,description,advice",
          "Simvastatin,Amlodipine,MODERATE,Amlodipine raises simvastatin levels,Keep simvastatin at 20 mg a day or less",
          "aspirin,WARFARIN,CONTRAINDICATED,Increased bleeding risk,Do not supply together without the prescriber's confirmation",
          "Citalopram,Tramadol,WITHDRAWN,,",
          "Sertraline,Tramadol,MODERATE,Risk of serotonin syndrome,\"Warn the patient of agitation, tremor, fever\"");
      String reply = console.apotheca("catalogue", "import", good.toString(), "--by", "hq.clinical", "--reason", "BNF update");
      List<String> lines = reply.lines().toList();
      assertTrue(lines.get(0).startsWith("catalogue import file=" + good + " rows=4 added=1 updated=2 unchanged=1 commit=2"), reply);
      assertTrue(lines.get(0).endsWith(" fields=advice:1,severity:1,withdrawn:1"), reply);
      assertEquals(List.of("updated rule=Aspirin+Warfarin severity=CONTRAINDICATED fields=severity,advice", "withdrawn rule=Citalopram+Tramadol"),
          lines.subList(1, lines.size()));
      List<String> after = rules(config);
      assertEquals(sampleRules, after.size(), "one added, one withdrawn");
      assertTrue(after.contains("Simvastatin+Amlodipine MODERATE Amlodipine raises simvastatin levels"), after.toString());
      assertTrue(after.contains("Warfarin+Aspirin CONTRAINDICATED Increased bleeding risk"), after.toString());
      assertTrue(after.stream().noneMatch(r -> r.startsWith("Citalopram+Tramadol")), after.toString());
      long imported = lastCommit(server);
      IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
          () -> console.apotheca("catalogue", "import", good.toString()));
      assertTrue(again.getMessage().endsWith("line 4: no rule for Citalopram with Tramadol to withdraw"), again.getMessage());
      assertEquals(imported, lastCommit(server));
    } finally {
      TestServers.stop(server);
    }
  }

  /** Every interaction rule at central as "A+B SEVERITY description", read through a staff tool's session. */
  private static List<String> rules(ServerConfig config) {
    try (CdoConnection c = TestServers.client(config, Repositories.CATALOGUE)) {
      List<String> result = new ArrayList<>();
      for (InteractionBucket b : ResourceRoots.of(c.session().openView(), Repositories.INTERACTIONS_FOLDER, InteractionBucket.class)) {
        for (InteractionRule r : b.getRules()) {
          result.add(r.getIngredientA().getName() + "+" + r.getIngredientB().getName() + " " + r.getSeverity().getName() + " "
              + r.getDescription());
        }
      }
      return result;
    }
  }

  private static long lastCommit(CentralServer server) {
    return server.repositories().get(Repositories.CATALOGUE).getLastCommitTimeStamp();
  }

  private Path write(String name, String... lines) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\r\n", lines) + "\r\n", StandardCharsets.UTF_8);
    return file;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
