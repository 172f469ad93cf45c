package org.apotheca.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.Endpoint;

/**
 * The central server's settings, read from one properties file (documented in docs/server.md and in
 * releng/config/apotheca-server.properties). Every key has a safe default: loopback only, data under
 * ./data/central.
 */
public record ServerConfig(Endpoint endpoint, int consolePort, Path dataDir, List<String> sites, int sampleProducts,
    boolean demoUsers, Path securityDir, boolean plainTcp) {

  public static final String FILE_PROPERTY = "apotheca.server.config";

  public ServerConfig {
    sites = List.copyOf(sites);
    if (sampleProducts < 0) {
      throw new IllegalArgumentException("sample.products must not be negative");
    }
  }

  public static ServerConfig defaults(Path dataDir) {
    return new ServerConfig(new Endpoint("127.0.0.1", 2036), 2037, dataDir, List.of(), 0, false, defaultSecurityDir(dataDir), false);
  }

  /** Beside the data, not inside it: a copy of the databases must not carry the authority's key along. */
  public static Path defaultSecurityDir(Path dataDir) {
    Path abs = dataDir.toAbsolutePath().normalize();
    return abs.resolveSibling(abs.getFileName() + "-security");
  }

  public ServerConfig withEndpoint(Endpoint e) {
    return new ServerConfig(e, consolePort, dataDir, sites, sampleProducts, demoUsers, securityDir, plainTcp);
  }

  public ServerConfig withSites(List<String> s) {
    return new ServerConfig(endpoint, consolePort, dataDir, s, sampleProducts, demoUsers, securityDir, plainTcp);
  }

  public ServerConfig withSampleProducts(int n) {
    return new ServerConfig(endpoint, consolePort, dataDir, sites, n, demoUsers, securityDir, plainTcp);
  }

  public ServerConfig withDemoUsers(boolean on) {
    return new ServerConfig(endpoint, consolePort, dataDir, sites, sampleProducts, on, securityDir, plainTcp);
  }

  /**
   * Development only (docs/security.md): pharmacies connect to the Net4j acceptor in plain TCP, without certificates,
   * and every connection may open every repository.
   */
  public ServerConfig withPlainTcp(boolean on) {
    return new ServerConfig(endpoint, consolePort, dataDir, sites, sampleProducts, demoUsers, securityDir, on);
  }

  public ServerConfig withSecurityDir(Path dir) {
    return new ServerConfig(endpoint, consolePort, dataDir, sites, sampleProducts, demoUsers, dir, plainTcp);
  }

  /** The catalogue repository first, then one repository per pharmacy site. */
  public List<String> repositoryNames() {
    List<String> names = new ArrayList<>();
    names.add(Repositories.CATALOGUE);
    for (String site : sites) {
      names.add(Repositories.siteRepository(site));
    }
    return names;
  }

  private static boolean flag(Properties p, String key) {
    String v = p.getProperty(key, "false").trim();
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(key + " must be true or false, not '" + v + "'");
    }
    return v.equals("true");
  }

  public static ServerConfig load(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read server config " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    Path base = file.toAbsolutePath().getParent();
    try {
      String host = p.getProperty("server.host", "127.0.0.1").trim();
      int port = Integer.parseInt(p.getProperty("server.port", "2036").trim());
      int consolePort = Integer.parseInt(p.getProperty("console.port", "2037").trim());
      Path data = base.resolve(p.getProperty("data.dir", "data/central").trim()).normalize();
      List<String> sites = new ArrayList<>();
      for (String s : p.getProperty("sites", "").split(",")) {
        if (!s.isBlank()) {
          sites.add(Repositories.checkSiteId(s.trim()));
        }
      }
      int sample = Integer.parseInt(p.getProperty("sample.products", "0").trim());
      String security = p.getProperty("security.dir", "").trim();
      Path securityDir = security.isEmpty() ? defaultSecurityDir(data) : base.resolve(security).normalize();
      return new ServerConfig(new Endpoint(host, port), consolePort, data, sites, sample, flag(p, "demo.users"), securityDir,
          flag(p, "dev.plain.tcp"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Bad value in " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }
}
