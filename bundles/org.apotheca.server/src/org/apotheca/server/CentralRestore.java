package org.apotheca.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apotheca.core.store.ModelSchemaGuard;
import org.apotheca.security.pki.SecretFiles;

/**
 * Rebuilds central's data directory (and its security directory) from a backup made by {@link CentralBackup}, with the
 * server stopped: {@code ./apotheca server --restore <backup> [--config FILE]} ({@link RestoreMain}). It checks every
 * file of the backup against its manifest first, restores only into an empty or new data directory, and checks each
 * file again as it copies it; a failure leaves the target directories as they were found.
 * <p>
 * The restored databases boot like those of a server that was killed: Derby replays their logs and CDO rebuilds
 * what it keeps of a repository in memory from the tables, as after any crash (docs/server.md).
 */
public final class CentralRestore {

  /** What a restore did, as its reply says it. */
  public record Result(Path backup, Instant taken, List<CentralBackup.Repository> repositories, Path dataDir,
      Path securityDir, int files, long bytes, Duration took) {
    public String line() {
      return "restored backup=" + backup + " taken=" + taken + " repositories="
          + repositories.stream().map(CentralBackup.Repository::name).collect(Collectors.joining(",")) + " data=" + dataDir
          + " security=" + (securityDir == null ? "none" : securityDir.toString()) + " size="
          + CentralBackup.megabytes(bytes) + " took=" + CentralBackup.seconds(took);
    }
  }

  private CentralRestore() {
  }

  /**
   * Checks the backup in {@code backup} against its manifest, reading every file.
   *
   * @throws IllegalArgumentException it is no backup, or a file is missing, changed or not listed
   */
  public static BackupManifest verify(Path backup, Consumer<String> progress) {
    Path dir = backupDir(backup);
    BackupManifest manifest = BackupManifest.read(dir);
    long t0 = System.nanoTime();
    AtomicLong checked = new AtomicLong();
    manifest.verify(dir, checked);
    progress.accept("verified backup=" + dir + " taken=" + manifest.taken() + " files=" + manifest.files().size() + " size="
        + CentralBackup.megabytes(checked.get()) + " took=" + CentralBackup.seconds(Duration.ofNanos(System.nanoTime() - t0)));
    return manifest;
  }

  /**
   * Restores the backup in {@code backup} into {@code config}'s data directory and security directory, which must be
   * empty or absent.
   *
   * @throws IllegalArgumentException the backup is damaged or the targets are not empty: nothing was written
   * @throws IllegalStateException the copy failed; what it had written was removed
   */
  public static Result restore(Path backup, ServerConfig config, Consumer<String> progress) {
    long t0 = System.nanoTime();
    Path dir = backupDir(backup);
    Path data = config.dataDir().toAbsolutePath().normalize();
    Path security = config.securityDir().toAbsolutePath().normalize();
    if (data.startsWith(dir) || dir.startsWith(data) || security.startsWith(dir) || dir.startsWith(security)) {
      throw new IllegalArgumentException("the backup " + dir + " and the directories to restore into (" + data + ", " + security
          + ") overlap: restore into directories outside the backup");
    }
    // the cheap refusals first: reading every file of a large backup takes minutes
    BackupManifest manifest = BackupManifest.read(dir);
    refuseNonEmpty(data, "data directory");
    refuseOtherSchema(dir);
    if (manifest.security()) {
      refuseNonEmpty(security, "security directory");
    }
    verify(dir, progress);
    boolean dataCreated = !Files.exists(data);
    boolean securityCreated = manifest.security() && !Files.exists(security);
    AtomicLong copied = new AtomicLong();
    try {
      Files.createDirectories(data);
      if (manifest.security()) {
        SecretFiles.createOwnerOnlyDirectories(security);
      }
      for (BackupManifest.Entry e : manifest.files()) {
        Path to = target(e.path(), data, security);
        String sha = BackupFiles.copyWithSha256(dir.resolve(e.path()), to, copied);
        if (!sha.equals(e.sha256())) {
          throw new IllegalStateException(e.path() + " changed while it was restored (its SHA-256 no longer matches "
              + CentralBackup.MANIFEST + " line " + e.line() + ")");
        }
      }
      if (manifest.security()) {
        BackupFiles.ownerOnly(security);
      }
    } catch (IOException | RuntimeException e) {
      String why = e instanceof UncheckedIOException || e instanceof IllegalStateException ? e.getMessage() : e.toString();
      undo(data, dataCreated);
      if (manifest.security()) {
        undo(security, securityCreated);
      }
      throw new IllegalStateException("restore failed, nothing kept in " + data + ": " + why, e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    return new Result(dir, manifest.taken(), manifest.repositories(), data, manifest.security() ? security : null,
        manifest.files().size(), copied.get(), took);
  }

  private static Path target(String path, Path data, Path security) {
    if (path.startsWith(CentralBackup.DATABASES + "/")) {
      return data.resolve(path.substring(CentralBackup.DATABASES.length() + 1));
    }
    if (path.startsWith(CentralBackup.SECURITY + "/")) {
      return security.resolve(path.substring(CentralBackup.SECURITY.length() + 1));
    }
    throw new IllegalStateException("the manifest lists " + path + ", which belongs neither to " + CentralBackup.DATABASES
        + "/ nor to " + CentralBackup.SECURITY + "/");
  }

  private static Path backupDir(Path backup) {
    Path dir = backup.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("there is no backup directory " + dir);
    }
    return dir;
  }

  /**
   * A backup of another model schema would be restored only for central to refuse it at start: refused here, before
   * anything is written. A backup without a marker was taken before markers existed, when the schema was 1.
   */
  private static void refuseOtherSchema(Path backup) {
    int recorded = ModelSchemaGuard.recorded(backup.resolve(CentralBackup.DATABASES));
    int schema = recorded == 0 ? ModelSchemaGuard.LEGACY_SCHEMA : recorded;
    int installed = ModelSchemaGuard.installed().schema();
    if (schema != installed) {
      throw new IllegalArgumentException("the backup " + backup + " holds data of model schema " + schema + " and this"
          + " installation has schema " + installed + ", which cannot open it: restore it with an installation of schema "
          + schema + " (docs/model-evolution.md); nothing was restored");
    }
  }

  private static void refuseNonEmpty(Path dir, String what) {
    if (!BackupFiles.isEmptyOrMissing(dir)) {
      throw new IllegalArgumentException("the " + what + " " + dir + " is not empty: a restore writes only into a new or"
          + " empty directory (stop the server and move the old one aside first); nothing was restored");
    }
  }

  private static void undo(Path dir, boolean created) {
    try {
      BackupFiles.deleteContents(dir);
      if (created) {
        Files.deleteIfExists(dir);
      }
    } catch (IOException | RuntimeException e) {
      // the caller's error says what failed; this one only adds work for the operator
      System.err.println("could not remove the partial restore in " + dir + " (" + e.getMessage() + "): delete it by hand");
    }
  }
}
