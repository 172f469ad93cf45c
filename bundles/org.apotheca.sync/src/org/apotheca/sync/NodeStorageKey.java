package org.apotheca.sync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.apotheca.net4j.db.derby.BootKey;
import org.apotheca.net4j.db.derby.DerbyDatabase;

/**
 * The key a pharmacy node's clone databases are encrypted with (docs/security.md, "Encryption at rest"): 32 random
 * bytes made at the node's first start, kept in {@code <secretsDir>/storage.key}, readable by the node's user only.
 * <p>
 * The file is made owner-only from its first byte (created with rw-------, never chmod-ed afterwards, so that it is
 * never readable by others even for a moment) and appears whole or not at all (written aside, forced to disk, then
 * linked into place, which also refuses to replace a key another process made meanwhile).
 */
public final class NodeStorageKey {

  public static final String FILE_NAME = "storage.key";

  private static final Logger LOG = Logger.getLogger(NodeStorageKey.class.getName());
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

  private NodeStorageKey() {
  }

  /** Where the node keeps its storage key. */
  public static Path file(NodeConfig config) {
    return config.secretsDir().resolve(FILE_NAME);
  }

  /**
   * The node's storage key: read from {@link #file}, or made there if the node has no data yet. Refuses (with a
   * message for staff) to make a new key while clone databases exist: they could not be opened with it.
   */
  public static BootKey loadOrCreate(NodeConfig config) {
    Path file = file(config);
    if (Files.exists(file)) {
      return load(file);
    }
    List<Path> encrypted = new ArrayList<>();
    List<Path> clear = new ArrayList<>();
    for (String name : config.repositoryNames()) {
      Path db = config.dataDir().resolve(name);
      if (DerbyDatabase.exists(db)) {
        (DerbyDatabase.isEncrypted(db) ? encrypted : clear).add(db);
      }
    }
    if (!encrypted.isEmpty()) {
      throw new IllegalStateException("this pharmacy's data is encrypted and its storage key is missing from " + file
          + ": restore the key or restore the pharmacy from central");
    }
    if (!clear.isEmpty()) {
      throw new IllegalStateException("this pharmacy's data in " + config.dataDir() + " was stored unencrypted (by an"
          + " earlier version), and pharmacy data is now kept encrypted only: once central has all of it (no offline"
          + " work pending), move " + config.dataDir() + " away and start again to restore the pharmacy from central");
    }
    return create(file);
  }

  private static BootKey load(Path file) {
    byte[] bytes = read(file);
    try {
      return BootKey.of(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * The key the node's own journal files are sealed with (what they say of sales, stock and lots): derived from the
   * storage key (HMAC-SHA256 with a label), so that Derby's key serves no second cipher. Null while the node has
   * no storage key.
   */
  static SecretKey journalKey(Path dataDir) {
    Path file = NodeConfig.secretsDirOf(dataDir).resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return null;
    }
    byte[] bytes = read(file);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(bytes, "HmacSHA256"));
      byte[] derived = mac.doFinal("apotheca node journal v1".getBytes(StandardCharsets.US_ASCII));
      try {
        return new SecretKeySpec(derived, "AES");
      } finally {
        Arrays.fill(derived, (byte) 0);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot derive the journal key: " + e.getMessage(), e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static byte[] read(Path file) {
    keepOwnerOnly(file);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read this pharmacy's storage key " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length != BootKey.LENGTH) {
      Arrays.fill(bytes, (byte) 0);
      throw new IllegalStateException("this pharmacy's storage key " + file + " is damaged (" + bytes.length
          + " bytes where " + BootKey.LENGTH + " belong): restore the key or restore the pharmacy from central");
    }
    return bytes;
  }

  private static BootKey create(Path file) {
    Path dir = file.getParent();
    byte[] bytes = new byte[BootKey.LENGTH];
    Path tmp = null;
    try {
      createSecretsDir(dir);
      new SecureRandom().nextBytes(bytes);
      FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE);
      tmp = Files.createTempFile(dir, FILE_NAME + ".", ".new", ownerOnly);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      try {
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException raced) {
        // another start of this node made one first: that one may already encrypt data
        return load(file);
      } catch (UnsupportedOperationException | FileSystemException noLinks) {
        if (Files.exists(file)) {
          return load(file);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      }
      forceDirectory(dir);
      LOG.info(() -> "Made this pharmacy's storage key " + file + " (keep a copy apart from the data; docs/security.md)");
      return BootKey.of(bytes);
    } catch (UnsupportedOperationException e) {
      throw noOwnerOnly(dir, e);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot make this pharmacy's storage key " + file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          LOG.warning(() -> "Cannot remove " + e.getMessage());
        }
      }
    }
  }

  private static void createSecretsDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      } catch (FileAlreadyExistsException raced) {
        // made meanwhile by another start: checked below like any existing one
      }
    }
    keepOwnerOnly(dir);
  }

  /** Takes back what group and others were given on the key or its directory (by hand, a restore, a copy). */
  private static void keepOwnerOnly(Path path) {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view == null) {
      throw noOwnerOnly(path, null);
    }
    try {
      Set<PosixFilePermission> perms = view.readAttributes().permissions();
      Set<PosixFilePermission> owner = Files.isDirectory(path) ? OWNER_ONLY_DIR : OWNER_ONLY_FILE;
      if (!owner.containsAll(perms)) {
        perms.retainAll(owner);
        view.setPermissions(perms);
        LOG.warning(() -> path + " was open to other users than the node's: made owner-only again");
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot check the permissions of " + path + ": " + e.getMessage(), e);
    }
  }

  private static IllegalStateException noOwnerOnly(Path path, Exception cause) {
    return new IllegalStateException("Cannot keep this pharmacy's storage key in " + path + ": its file system has no"
        + " owner-only permissions (POSIX), which the key needs", cause);
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // the key is on disk; only its directory entry may wait for the next sync
      LOG.fine(() -> "Cannot force " + dir + ": " + e.getMessage());
    }
  }
}
