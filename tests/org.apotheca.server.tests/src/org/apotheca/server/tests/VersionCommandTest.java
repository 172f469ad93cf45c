package org.apotheca.server.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.apotheca.sync.VersionReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/** {@code apotheca version} on central: the lines other tools parse (docs/console.md), from what really runs. */
class VersionCommandTest {

  @TempDir
  Path tmp;

  @Test
  void versionListsEveryApothecaBundleThisServerRunsWithItsVersionAndTheModelSchema() throws Exception {
    ServerConfig config = TestServers.config(tmp.resolve("data"), TestServers.freePort(), 0);
    CentralServer server = TestServers.start(config);
    try {
      List<String> lines = new ServerCommands(server).apotheca("version").lines().toList();
      // the test runtime is no installed product: it has no p2 profile
      assertEquals("product=unknown", lines.get(0), String.join("\n", lines));
      Bundle[] all = FrameworkUtil.getBundle(VersionCommandTest.class).getBundleContext().getBundles();
      List<String> expected = java.util.Arrays.stream(all).filter(b -> b.getSymbolicName().startsWith("org.apotheca."))
          .map(b -> "bundle " + b.getSymbolicName() + " " + b.getVersion()).sorted().toList();
      assertTrue(expected.stream().anyMatch(l -> l.startsWith("bundle org.apotheca.server ")), expected.toString());
      assertEquals(expected, lines.subList(1, lines.size() - 1), "every bundle, by name, nothing optional here");
      Bundle model = java.util.Arrays.stream(all).filter(b -> b.getSymbolicName().equals("org.apotheca.model")).findFirst()
          .orElseThrow();
      String schema = model.getHeaders("").get(VersionReport.SCHEMA_HEADER);
      assertEquals("model-schema=" + (schema == null ? "unknown" : schema.strip()), lines.get(lines.size() - 1));
      for (String l : lines) {
        assertTrue(l.matches("(product|model-schema)=\\S.*|(bundle|optional) org\\.apotheca\\.[\\w.]+ \\d+\\.\\d+\\.\\d+(\\.\\S+)?"), l);
      }
    } finally {
      TestServers.stop(server);
    }
  }

  @Test
  void optionalBundlesComeAfterTheOthersAndTheSchemaIsUnknownWithoutTheHeader() {
    List<VersionReport.Part> parts = List.of(new VersionReport.Part("org.apotheca.ui.labels", "1.0.0.2", true, null),
        new VersionReport.Part("org.apotheca.model", "1.0.0.1", false, null),
        new VersionReport.Part("org.eclipse.ui", "3.0.0", false, null),
        new VersionReport.Part("org.apotheca.core", "1.0.0.1", false, null));
    assertEquals("product=apotheca-client 1.0.0.3\nbundle org.apotheca.core 1.0.0.1\nbundle org.apotheca.model 1.0.0.1\n"
        + "optional org.apotheca.ui.labels 1.0.0.2\nmodel-schema=unknown", VersionReport.format("apotheca-client 1.0.0.3", parts));
    assertEquals("product=unknown\nbundle org.apotheca.model 1.0.0.1\nmodel-schema=2",
        VersionReport.format(null, List.of(new VersionReport.Part("org.apotheca.model", "1.0.0.1", false, " 2 "))));
  }

  /** A p2 profile folder as the director leaves it: one file per state, the newest one counts. */
  @Test
  void theProductIsTheProductUnitOfTheNewestProfileState() throws Exception {
    Path profile = tmp.resolve("p2/org.eclipse.equinox.p2.engine/profileRegistry/DefaultProfile.profile");
    Files.createDirectories(profile);
    assertNull(VersionReport.product(profile), "no state yet");
    assertNull(VersionReport.product(tmp.resolve("nowhere")));
    writeState(profile.resolve("1796102455091.profile.gz"), "1.0.0.202612010520", true);
    assertEquals("apotheca-server 1.0.0.202612010520", VersionReport.product(profile));
    writeState(profile.resolve("1796102999000.profile.gz"), "1.0.0.202612020700", true); // an update
    writeState(profile.resolve("1796102455095.profile"), "0.9.0.old", false); // an older state, not compressed
    assertEquals("apotheca-server 1.0.0.202612020700", VersionReport.product(profile));
  }

  private static void writeState(Path file, String version, boolean gz) throws IOException {
    String xml = "<?xml version='1.0' encoding='UTF-8'?>\n<profile id='DefaultProfile' timestamp='1'>\n  <units size='3'>\n"
        + "    <unit id='org.apotheca.server.feature.feature.group' version='" + version + "' singleton='false'>\n"
        + "      <properties size='1'>\n        <property name='org.eclipse.equinox.p2.type.group' value='true'/>\n"
        + "      </properties>\n    </unit>\n"
        + "    <unit id='org.apotheca.server.product' version='" + version + "'>\n"
        + "      <update id='org.apotheca.server.product' range='0.0.0' severity='0'/>\n      <properties size='2'>\n"
        + "        <property name='org.eclipse.equinox.p2.name' value='Apotheca Central Server'/>\n"
        + "        <property name='org.eclipse.equinox.p2.type.product' value='true'/>\n      </properties>\n    </unit>\n"
        + "  </units>\n</profile>\n";
    try (OutputStream out = gz ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(xml.getBytes(StandardCharsets.UTF_8));
    }
  }
}
