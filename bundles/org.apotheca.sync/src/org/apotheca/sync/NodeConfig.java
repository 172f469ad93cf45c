package org.apotheca.sync;

import java.nio.file.Path;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.Endpoint;

/**
 * A pharmacy node's settings.
 *
 * @param siteId the pharmacy ("0001"); the node clones "catalogue" and "site-&lt;siteId&gt;"
 * @param dataDir where the clones' Derby databases live (one directory per repository)
 * @param central the central server's Net4j TCP endpoint
 * @param tills where the node listens for the other tills of the pharmacy (Net4j TCP; keep it on loopback or
 *        the shop's LAN)
 * @param retryIntervalSeconds how often a clone retries to reach central
 * @param plainTcp development only ({@code dev.plain.tcp=true}, docs/security.md): plain Net4j TCP to central and from
 *        tills, no certificates
 */
public record NodeConfig(String siteId, Path dataDir, Endpoint central, Endpoint tills, int retryIntervalSeconds,
    boolean plainTcp, Path installerSeed) {

  /**
   * @param installerSeed a catalogue seed file that came with the installer ({@code seed.file}): a node without a
   *        catalogue starts its clone from it instead of downloading central's seed; null for none
   */
  public NodeConfig(String siteId, Path dataDir, Endpoint central, Endpoint tills, int retryIntervalSeconds, boolean plainTcp) {
    this(siteId, dataDir, central, tills, retryIntervalSeconds, plainTcp, null);
  }

  public NodeConfig {
    Repositories.checkSiteId(siteId);
    if (dataDir == null || central == null || tills == null) {
      throw new IllegalArgumentException("dataDir, central and tills are required");
    }
    if (retryIntervalSeconds < 1) {
      throw new IllegalArgumentException("retry interval must be at least 1 s");
    }
  }

  public static NodeConfig of(String siteId, Path dataDir, Endpoint central, Endpoint tills) {
    return new NodeConfig(siteId, dataDir, central, tills, 1, false);
  }

  public NodeConfig withPlainTcp(boolean on) {
    return new NodeConfig(siteId, dataDir, central, tills, retryIntervalSeconds, on, installerSeed);
  }

  /** With a catalogue seed file from the installer (null: none; download central's). */
  public NodeConfig withInstallerSeed(Path seedFile) {
    return new NodeConfig(siteId, dataDir, central, tills, retryIntervalSeconds, plainTcp, seedFile);
  }

  /** The repositories the node clones: the shared catalogue first, then the pharmacy's own. */
  public String[] repositoryNames() {
    return new String[] { Repositories.CATALOGUE, Repositories.siteRepository(siteId) };
  }

  /**
   * Where the node keeps its secrets (its identity towards central, its tills' authority, the storage key of its
   * databases), owner-only: beside the data directory, not in it, so that a copy or backup of the data directory does
   * not carry the keys along. docs/security.md says why and what this does not protect against.
   */
  public Path secretsDir() {
    return secretsDirOf(dataDir);
  }

  /** {@link #secretsDir()} for a node whose data directory is {@code dataDir}. */
  static Path secretsDirOf(Path dataDir) {
    return dataDir.resolveSibling(dataDir.getFileName() + "-secrets");
  }

  /** The start of the node's in-JVM acceptor name (the node adds a number unique in the JVM, see PharmacyNode). */
  public String localAcceptorName() {
    return "apotheca-node-" + siteId;
  }
}
