package org.apotheca.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apotheca.core.net.Endpoint;

/**
 * The headless node's settings file (releng/config/site.properties, documented in docs/offline.md): the
 * {@link NodeConfig} plus what only the launcher needs (console port, demo stock, the test clock).
 *
 * @param adjustableClock {@code clock.adjustable=true}: tests and training only, see {@link AdjustableClock}
 */
public record NodeSettings(NodeConfig node, int consolePort, int sampleStock, boolean adjustableClock) {

  public static final String FILE_PROPERTY = "apotheca.site.config";

  public static NodeSettings load(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read site config " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    Path base = file.toAbsolutePath().getParent();
    try {
      String site = p.getProperty("site.id", "0001").trim();
      Path data = base.resolve(p.getProperty("data.dir", "site-" + site).trim()).normalize();
      Endpoint central = Endpoint.parse(p.getProperty("central", "127.0.0.1:2036").trim());
      Endpoint tills = Endpoint.parse(p.getProperty("tills", "127.0.0.1:2046").trim());
      int retry = Integer.parseInt(p.getProperty("retry.seconds", "1").trim());
      int console = Integer.parseInt(p.getProperty("console.port", "2047").trim());
      int stock = Integer.parseInt(p.getProperty("sample.stock", "0").trim());
      if (stock < 0) {
        throw new IllegalArgumentException("sample.stock must not be negative");
      }
      String clock = p.getProperty("clock.adjustable", "false").trim();
      if (!clock.equals("true") && !clock.equals("false")) {
        throw new IllegalArgumentException("clock.adjustable must be true or false, not '" + clock + "'");
      }
      String plain = p.getProperty("dev.plain.tcp", "false").trim();
      if (!plain.equals("true") && !plain.equals("false")) {
        throw new IllegalArgumentException("dev.plain.tcp must be true or false, not '" + plain + "'");
      }
      String seed = p.getProperty("seed.file", "").trim();
      Path seedFile = seed.isEmpty() ? null : base.resolve(seed).normalize();
      return new NodeSettings(new NodeConfig(site, data, central, tills, retry, plain.equals("true"), seedFile), console,
          stock, clock.equals("true"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Bad value in " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }
}
