package org.apotheca.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Logger;

import org.apotheca.model.schema.ModelSchema;

/**
 * Keeps a data directory and the model it was written with together (docs/model-evolution.md).
 * <p>
 * CDO 4.7 makes its tables from the model a repository is created with and has no model evolution: opening data of
 * one model with another either fails deep inside CDO or, worse, writes new-model rows next to old-model ones. So
 * central (before its repositories) and the pharmacy node (before its clones) call {@link #check(Path)} first. It
 * records {@value #MARKER} (the schema number, one line, for scripts) and {@value #FINGERPRINT} (what CDO stores)
 * in the data directory when they are missing: new data gets the installation's schema, data of the builds before
 * the marker gets {@value #LEGACY_SCHEMA} (all of them had it). When they are there and differ from the
 * installation's, it refuses with one sentence for the admin and changes nothing. No migration is shipped, so every
 * difference is refused, older data (after an update) and newer data (after a rollback) alike; a pharmacy node can
 * still move to a new schema by being restored from central, which the docs describe.
 */
public final class ModelSchemaGuard {

  /** The file in a data directory holding the schema number its data was written with. */
  public static final String MARKER = "model-schema";
  /** Beside it: the fingerprint of that model ({@link ModelSchema#fingerprint}). */
  public static final String FINGERPRINT = "model-fingerprint";
  /**
   * What central's and the node's applications exit with when they refuse data of another schema (sysexits'
   * EX_DATAERR): not 13 (Equinox's "application failed"), not 23 (restart), so scripts can tell it apart.
   */
  public static final int EXIT_CODE = 65;
  /** The schema of data written before markers existed: every build until the marker was schema 1. */
  public static final int LEGACY_SCHEMA = 1;

  private static final Logger LOG = Logger.getLogger(ModelSchemaGuard.class.getName());

  private final int schema;
  private final String fingerprint;

  public ModelSchemaGuard(int schema, String fingerprint) {
    this.schema = schema;
    this.fingerprint = fingerprint;
  }

  /** The guard for the model this installation was built with. */
  public static ModelSchemaGuard installed() {
    return new ModelSchemaGuard(ModelSchema.current().schema(), ModelSchema.currentFingerprint());
  }

  public int schema() {
    return schema;
  }

  /** What happened at {@link #check}. */
  public enum Outcome {
    /** The data directory's markers match this installation. */
    MATCHES,
    /** The data directory had no marker (new, or written before markers existed): the current one was written. */
    MARKED
  }

  /**
   * Makes sure the data in {@code dataDir} was written with this installation's model; creates the directory and
   * its markers if they are missing.
   *
   * @throws ModelSchemaMismatch the data was written with another schema (or another model under the same number);
   *     nothing was changed
   * @throws UncheckedIOException a marker could not be read or written
   */
  public Outcome check(Path dataDir) {
    Path marker = dataDir.resolve(MARKER);
    Path fingerprintFile = dataDir.resolve(FINGERPRINT);
    try {
      if (!Files.exists(marker)) {
        boolean legacy = hasData(dataDir);
        if (legacy && schema != LEGACY_SCHEMA) {
          throw older(dataDir, LEGACY_SCHEMA);
        }
        Files.createDirectories(dataDir);
        // the fingerprint first: a crash in between leaves no schema marker, and the next start writes both again
        write(fingerprintFile, fingerprint);
        write(marker, Integer.toString(schema));
        LOG.info(() -> "Model schema " + schema + " recorded in " + marker + (legacy ? " (data written before the marker)" : ""));
        return Outcome.MARKED;
      }
      String text = Files.readString(marker, StandardCharsets.UTF_8).trim();
      int written;
      try {
        written = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new ModelSchemaMismatch("The file " + marker + " should hold the model schema number the data was written"
            + " with but holds '" + abbreviate(text) + "'; this installation has schema " + schema + " and will not guess."
            + " Nothing was changed. Restore the file (it held a single number) or the data from a backup.", dataDir, 0, schema);
      }
      if (written < schema) {
        throw older(dataDir, written);
      }
      if (written > schema) {
        throw new ModelSchemaMismatch("The data in " + dataDir + " was written by model schema " + written
            + ", newer than this installation's schema " + schema + " (an update rolled back after it ran?), and this"
            + " installation cannot read it. Nothing was changed. Install the newer version again with ./apotheca"
            + " update, or restore a backup taken before the update.", dataDir, written, schema);
      }
      if (!Files.exists(fingerprintFile)) {
        write(fingerprintFile, fingerprint);
        return Outcome.MATCHES;
      }
      String recorded = Files.readString(fingerprintFile, StandardCharsets.UTF_8).trim();
      if (!recorded.equals(fingerprint)) {
        throw new ModelSchemaMismatch("The data in " + dataDir + " was written by a different model that also called"
            + " itself schema " + schema + " (a development build whose model changed without a new schema number), and"
            + " this installation cannot read it. Nothing was changed. Run the build that wrote it, or start from new"
            + " data.", dataDir, written, schema);
      }
      return Outcome.MATCHES;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write the model schema marker in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private ModelSchemaMismatch older(Path dataDir, int written) {
    return new ModelSchemaMismatch("The data in " + dataDir + " was written by model schema " + written
        + "; this installation has schema " + schema + " and cannot migrate it. Nothing was changed. Roll back with"
        + " ./apotheca update --rollback.", dataDir, written, schema);
  }

  /** True when {@code dataDir} holds anything besides the markers: data of a build that wrote no marker. */
  private static boolean hasData(Path dataDir) throws IOException {
    if (!Files.isDirectory(dataDir)) {
      return false;
    }
    try (var entries = Files.list(dataDir)) {
      return entries.map(p -> p.getFileName().toString()).anyMatch(n -> !n.startsWith(MARKER) && !n.startsWith(FINGERPRINT));
    }
  }

  /**
   * Copies {@code from}'s markers into {@code to} (a backup), so that restoring the backup restores the schema its
   * data was written with instead of stamping the installation's on it. Does nothing for a marker that is missing.
   */
  public static void copyMarkers(Path from, Path to) {
    try {
      for (String name : new String[] { MARKER, FINGERPRINT }) {
        if (Files.exists(from.resolve(name))) {
          Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy the model schema marker of " + from + ": " + e.getMessage(), e);
    }
  }

  /** The schema number recorded in {@code dataDir}, or 0 when it has none (or an unreadable one). */
  public static int recorded(Path dataDir) {
    try {
      return Integer.parseInt(Files.readString(dataDir.resolve(MARKER), StandardCharsets.UTF_8).trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  private static void write(Path file, String value) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "...";
  }
}
