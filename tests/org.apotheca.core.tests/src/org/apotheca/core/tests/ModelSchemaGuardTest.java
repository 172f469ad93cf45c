package org.apotheca.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apotheca.core.store.ModelSchemaGuard;
import org.apotheca.core.store.ModelSchemaGuard.Outcome;
import org.apotheca.core.store.ModelSchemaMismatch;
import org.apotheca.model.schema.ModelSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data side of the model schema (docs/model-evolution.md), on real files. */
class ModelSchemaGuardTest {

  @TempDir
  Path tmp;

  private final ModelSchemaGuard one = new ModelSchemaGuard(1, "f1");
  private final ModelSchemaGuard two = new ModelSchemaGuard(2, "f2");

  @Test
  void newDataIsMarkedWithTheInstallationsSchema() throws IOException {
    Path data = tmp.resolve("data");
    assertEquals(Outcome.MARKED, two.check(data));
    assertEquals("2", read(data, ModelSchemaGuard.MARKER));
    assertEquals("f2", read(data, ModelSchemaGuard.FINGERPRINT));
    assertEquals(2, ModelSchemaGuard.recorded(data));
    assertEquals(Outcome.MATCHES, two.check(data), "the second start finds its own marker");
    try (Stream<Path> files = Files.list(data)) {
      assertEquals(2, files.count(), "nothing but the two markers (no temporary file left)");
    }
  }

  @Test
  void dataOfTheBuildsBeforeTheMarkerIsSchemaOne() throws IOException {
    Path data = tmp.resolve("data");
    Files.createDirectories(data.resolve("catalogue"));
    Files.writeString(data.resolve("catalogue/service.properties"), "x");
    assertEquals(Outcome.MARKED, one.check(data));
    assertEquals("1", read(data, ModelSchemaGuard.MARKER));

    Path other = tmp.resolve("other");
    Files.createDirectories(other.resolve("site-0001"));
    Map<String, String> before = listing(other);
    ModelSchemaMismatch e = assertThrows(ModelSchemaMismatch.class, () -> two.check(other),
        "unmarked data is schema 1, which schema 2 cannot open");
    assertEquals(1, e.dataSchema());
    assertEquals(before, listing(other), "no marker written on a refusal");
  }

  @Test
  void olderDataIsRefusedAndLeftAsItWas() throws IOException {
    Path data = tmp.resolve("data");
    one.check(data);
    Files.writeString(data.resolve("journal"), "offline sale not yet merged");
    Map<String, String> before = listing(data);
    ModelSchemaMismatch e = assertThrows(ModelSchemaMismatch.class, () -> two.check(data));
    assertEquals("The data in " + data + " was written by model schema 1; this installation has schema 2 and cannot"
        + " migrate it. Nothing was changed. Roll back with ./apotheca update --rollback.", e.getMessage());
    assertEquals(1, e.dataSchema());
    assertEquals(2, e.installedSchema());
    assertEquals(before, listing(data));
  }

  @Test
  void newerDataAfterARollbackIsRefusedAndLeftAsItWas() throws IOException {
    Path data = tmp.resolve("data");
    two.check(data);
    Map<String, String> before = listing(data);
    ModelSchemaMismatch e = assertThrows(ModelSchemaMismatch.class, () -> one.check(data));
    assertTrue(e.getMessage().startsWith("The data in " + data + " was written by model schema 2, newer than this"
        + " installation's schema 1"), e.getMessage());
    assertTrue(e.getMessage().contains("Nothing was changed. Install the newer version again with ./apotheca update"), e.getMessage());
    assertEquals(before, listing(data));
  }

  @Test
  void aChangedModelUnderTheSameNumberIsRefused() throws IOException {
    Path data = tmp.resolve("data");
    one.check(data);
    Map<String, String> before = listing(data);
    ModelSchemaMismatch e = assertThrows(ModelSchemaMismatch.class, () -> new ModelSchemaGuard(1, "changed").check(data));
    assertTrue(e.getMessage().contains("a different model that also called itself schema 1"), e.getMessage());
    assertEquals(before, listing(data));
  }

  @Test
  void aMissingFingerprintIsRecordedAndAnUnreadableMarkerRefused() throws IOException {
    Path data = tmp.resolve("data");
    one.check(data);
    Files.delete(data.resolve(ModelSchemaGuard.FINGERPRINT));
    assertEquals(Outcome.MATCHES, one.check(data));
    assertEquals("f1", read(data, ModelSchemaGuard.FINGERPRINT));

    Files.writeString(data.resolve(ModelSchemaGuard.MARKER), "schema one\n");
    Map<String, String> before = listing(data);
    ModelSchemaMismatch e = assertThrows(ModelSchemaMismatch.class, () -> one.check(data));
    assertTrue(e.getMessage().contains("holds 'schema one'"), e.getMessage());
    assertEquals(0, ModelSchemaGuard.recorded(data));
    assertEquals(before, listing(data));
  }

  @Test
  void aBackupCarriesTheMarkers() throws IOException {
    Path data = tmp.resolve("data");
    two.check(data);
    Path backup = Files.createDirectories(tmp.resolve("backup"));
    ModelSchemaGuard.copyMarkers(data, backup);
    for (String name : new String[] { ModelSchemaGuard.MARKER, ModelSchemaGuard.FINGERPRINT }) {
      assertEquals(read(data, name), read(backup, name), name); // contents: the copy has its own modification time
    }
    assertEquals(2, ModelSchemaGuard.recorded(backup));
    Path unmarked = Files.createDirectories(tmp.resolve("unmarked"));
    ModelSchemaGuard.copyMarkers(unmarked, Files.createDirectories(tmp.resolve("backup2")));
    assertFalse(Files.exists(tmp.resolve("backup2").resolve(ModelSchemaGuard.MARKER)));
  }

  @Test
  void theInstalledGuardIsTheModelBundlesRecord() {
    ModelSchemaGuard installed = ModelSchemaGuard.installed();
    assertEquals(ModelSchema.current().schema(), installed.schema());
    assertTrue(installed.schema() >= 1);
    Path data = tmp.resolve("data");
    installed.check(data);
    assertEquals(ModelSchema.currentFingerprint(), read(data, ModelSchemaGuard.FINGERPRINT));
  }

  private static String read(Path dir, String name) {
    try {
      return Files.readString(dir.resolve(name), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every file and directory under {@code dir} with its content (files) and modification time. */
  static Map<String, String> listing(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String key = dir.relativize(p).toString();
        out.put(key, Files.isDirectory(p) ? "dir " + Files.getLastModifiedTime(p)
            : Files.readString(p, StandardCharsets.ISO_8859_1) + " @" + Files.getLastModifiedTime(p));
      }
    }
    return out;
  }
}
