package org.apotheca.sync;

import java.time.Instant;

/**
 * A pharmacy node's state in plain words.
 *
 * @param branch where the node's sales go now: MAIN (through to central) or MAIN/Offline-... (kept locally)
 * @param pendingCommits offline commits not merged into central yet
 * @param lastSyncAt when the node was last seen ONLINE with nothing left to merge (0: never)
 * @param catalogueVersion the last central catalogue commit the node has received (0: none yet)
 * @param centralCatalogueVersion central's last catalogue commit as last heard from central (0: not connected)
 * @param ready false until the node has received the catalogue and its site data from central once
 * @param lastError the current error in one line, or null
 * @param pendingSales how many of the pending commits are sales (counted in the same walk)
 */
public record NodeStatus(String siteId, PharmacyNode.State state, String branch, int pendingCommits, long lastSyncAt,
    long catalogueVersion, long centralCatalogueVersion, int merges, int resolutions, boolean ready, String lastError,
    int pendingSales) {

  /** One line for the console, parsed by scripts: {@code status site=0001 state=ONLINE pending=0 ...}. */
  public String line() {
    return "status site=" + siteId + " state=" + state + " pending=" + pendingCommits + " branch=" + branch
        + " lastSync=" + at(lastSyncAt) + " catalogue=" + at(catalogueVersion) + " centralCatalogue="
        + (centralCatalogueVersion <= 0 ? "unknown" : at(centralCatalogueVersion)) + " merges=" + merges
        + " resolutions=" + resolutions + " ready=" + (ready ? "yes" : "no") + " error="
        + (lastError == null ? "none" : "\"" + lastError.replace('"', '\'') + "\"");
  }

  private static String at(long millis) {
    return millis <= 0 ? "never" : Instant.ofEpochMilli(millis).toString();
  }
}
