package org.apotheca.security.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Secret files and directories only their owner can read. On POSIX file systems that is {@code rw-------} for files
 * and {@code rwx------} for directories, set when the file is created, so a secret is never readable by others even
 * for a moment; elsewhere (Windows) an ACL granting only the owner. Failures are {@link UncheckedIOException}s whose
 * message names the file.
 */
public final class SecretFiles {

  static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");

  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretFiles() {
  }

  /**
   * Creates {@code dir} (and missing parents, with default permissions) so that only its owner can use it; an
   * existing {@code dir} has its permissions tightened.
   */
  public static void createOwnerOnlyDirectories(Path dir) {
    try {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (posix(dir)) {
        try {
          Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
        } catch (FileAlreadyExistsException exists) {
          if (!Files.isDirectory(dir)) {
            throw new IOException("it exists and is not a directory");
          }
        }
        // the umask may have taken bits from a new directory, and an old one may have been open to others
        Files.setPosixFilePermissions(dir, OWNER_DIRECTORY);
      } else {
        Files.createDirectories(dir);
        restrictAcl(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the owner-only directory " + dir + ": " + message(e), e);
    }
  }

  /**
   * Replaces {@code file} with {@code content}, owner-only from the start: the bytes go to a temporary file created
   * owner-only in the same directory, are forced to disk and then moved over {@code file} in one step, so readers see
   * the old content or the new, never a part.
   */
  public static void write(Path file, byte[] content) {
    writeAtomically(file, content, OWNER_FILE);
  }

  /** Like {@link #write} but readable by everyone, for what is public anyway (a CA certificate). */
  static void writePublic(Path file, byte[] content) {
    writeAtomically(file, content, PUBLIC_FILE);
  }

  public static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + message(e), e);
    }
  }

  /**
   * Appends {@code content} to {@code file} in one write, creating it owner-only if absent; for append-only ledgers,
   * whose lines are never rewritten.
   */
  static void append(Path file, byte[] content) {
    boolean posix = posix(file);
    FileAttribute<?>[] attributes = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
        : new FileAttribute<?>[0];
    try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE), attributes)) {
      writeFully(channel, content);
      channel.force(true);
      if (!posix) {
        restrictAcl(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + message(e), e);
    }
  }

  /** Whether nobody but the owner has any access to {@code p} (on POSIX: no group or other permission bits). */
  public static boolean isOwnerOnly(Path p) {
    try {
      if (Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS) != null) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        return permissions.stream().noneMatch(OTHERS::contains);
      }
      AclFileAttributeView acl = Files.getFileAttributeView(p, AclFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (acl == null) {
        return false;
      }
      UserPrincipal owner = acl.getOwner();
      return acl.getAcl().stream().allMatch(e -> e.type() != AclEntryType.ALLOW || e.principal().equals(owner));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the permissions of " + p + ": " + message(e), e);
    }
  }

  /**
   * The password kept in {@code file} (a keystore's, beside it), made at random the first time: the keystore is then
   * only as open as this owner-only file.
   */
  public static char[] passwordIn(Path file) {
    if (!Files.exists(file)) {
      write(file, new String(newPassword()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return new String(read(file), java.nio.charset.StandardCharsets.UTF_8).toCharArray();
  }

  /** A random password of 32 URL-safe base64 characters (192 bits). */
  public static char[] newPassword() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
  }

  private static void writeAtomically(Path file, byte[] content, Set<PosixFilePermission> permissions) {
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = posix(file);
    Path temp = null;
    try {
      temp = posix
          ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_FILE))
          : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      if (!posix) {
        restrictAcl(temp);
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        writeFully(channel, content);
        channel.force(true);
      }
      if (posix && !permissions.equals(OWNER_FILE)) {
        Files.setPosixFilePermissions(temp, permissions);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
      syncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + message(e), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // the write already failed; that failure is what the caller needs to hear about
        }
      }
    }
  }

  /** Makes the rename itself durable; Linux allows fsync on a directory, other systems may not, which is harmless. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException notSupported) {
      // best effort: the file's own content is already on disk
    }
  }

  private static void restrictAcl(Path p) throws IOException {
    AclFileAttributeView view = Files.getFileAttributeView(p, AclFileAttributeView.class);
    if (view == null) {
      return;
    }
    UserPrincipal owner = view.getOwner();
    AclEntry ownerOnly = AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(owner)
        .setPermissions(EnumSet.allOf(AclEntryPermission.class)).build();
    view.setAcl(List.of(ownerOnly));
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void writeFully(FileChannel channel, byte[] content) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(content);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** The JDK's messages for these two are just the path, which says nothing about what went wrong. */
  static String message(IOException e) {
    if (e instanceof NoSuchFileException missing) {
      return "no such file or directory: " + missing.getFile();
    }
    if (e instanceof AccessDeniedException denied) {
      return "permission denied: " + denied.getFile();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
