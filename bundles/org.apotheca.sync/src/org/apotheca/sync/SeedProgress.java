package org.apotheca.sync;

import java.util.Locale;

/**
 * How far a node is in starting its catalogue from a seed, for the console ({@code apotheca sync progress}) and the
 * workbench's status line.
 *
 * @param phase WAITING (for central or its seed), DOWNLOADING, UNPACKING, ENCRYPTING, DONE, or NONE (no seed: the
 *        node replicates the whole catalogue instead)
 * @param bytesDone of the seed, downloaded (or unpacked, once unpacking)
 * @param bytesTotal of the seed (0 while unknown)
 * @param chunksHeld verified chunks on disk
 * @param chunksTotal chunks of the seed
 * @param chunksFetched chunks fetched from central since the node started (each verified)
 * @param chunksReused verified chunks found on disk at the start, from an earlier, interrupted download
 * @param chunksRefetched chunks fetched again because their bytes did not match the manifest
 * @param etaMillis estimated time left for the current phase; -1 while unknown
 * @param seedId the seed being used, or "-"
 * @param note the last problem in plain words (the link failed, central's seed was replaced ...), or null
 */
public record SeedProgress(String phase, long bytesDone, long bytesTotal, int chunksHeld, int chunksTotal,
    int chunksFetched, int chunksReused, int chunksRefetched, long etaMillis, String seedId, String note) {

  public int percent() {
    if ("DONE".equals(phase)) {
      return 100;
    }
    return bytesTotal <= 0 ? 0 : (int) Math.min(100, bytesDone * 100 / bytesTotal);
  }

  /** {@code progress catalogue-seed phase=DOWNLOADING percent=45 mb=120.3/267.0 eta=3s chunks=30/67 ...} */
  public String line() {
    return "progress catalogue-seed phase=" + phase + " percent=" + percent() + " mb="
        + String.format(Locale.ROOT, "%.1f/%.1f", bytesDone / 1e6, bytesTotal / 1e6) + " eta="
        + (etaMillis < 0 ? "unknown" : (etaMillis + 999) / 1000 + "s") + " chunks=" + chunksHeld + "/" + chunksTotal
        + " fetched=" + chunksFetched + " reused=" + chunksReused + " refetched=" + chunksRefetched + " seed=" + seedId
        + " note=" + (note == null ? "none" : "\"" + note.replace('"', '\'') + "\"");
  }

  /** A few words for a status line: "catalogue 45 % (120/267 MB, 3 s left)". */
  public String shortText() {
    return switch (phase) {
      case "DOWNLOADING" -> String.format(Locale.ROOT, "catalogue %d %% (%.0f/%.0f MB%s)", percent(), bytesDone / 1e6,
          bytesTotal / 1e6, etaMillis < 0 ? "" : ", " + (etaMillis + 999) / 1000 + " s left");
      case "UNPACKING", "ENCRYPTING" -> "catalogue: preparing the database";
      case "WAITING" -> "catalogue: waiting for central";
      default -> "";
    };
  }
}
