package org.apotheca.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** The file work of a backup and its restore: walking, sizes, copies with SHA-256, owner-only permissions. */
final class BackupFiles {

  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private BackupFiles() {
  }

  /** Regular files under {@code root}, as paths relative to it with '/' separators, sorted. */
  static List<String> files(Path root) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .forEach(p -> out.add(root.relativize(p).toString().replace(root.getFileSystem().getSeparator(), "/")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
    out.sort(null);
    return out;
  }

  /** {files, bytes} under {@code root}; files that vanish while it walks (Derby's temporary ones) are skipped. */
  static long[] size(Path root) {
    long[] total = new long[2];
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            total[0]++;
            total[1] += attrs.size();
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure " + root + ": " + e.getMessage(), e);
    }
    return total;
  }

  static String sha256(Path file, AtomicLong counted) {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0;) {
        digest.update(buffer, 0, n);
        counted.addAndGet(n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Copies {@code from} to {@code to} (a new, owner-only file), forced to disk.
   *
   * @return the SHA-256 of the bytes copied, as they were read
   */
  static String copyWithSha256(Path from, Path to, AtomicLong counted) {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[1 << 16];
    try {
      Files.createDirectories(to.getParent());
      try (InputStream in = Files.newInputStream(from);
          OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ownerOnlyIfPosix(to, OWNER_FILE);
        for (int n; (n = in.read(buffer)) > 0;) {
          digest.update(buffer, 0, n);
          out.write(buffer, 0, n);
          counted.addAndGet(n);
        }
      }
      try (var channel = java.nio.channels.FileChannel.open(to, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Copies the tree {@code from} into {@code to} (created), files and directories owner-only. */
  static void copyTree(Path from, Path to) {
    AtomicLong ignored = new AtomicLong();
    try {
      Files.createDirectories(to);
      ownerOnlyIfPosix(to, OWNER_DIRECTORY);
      for (String rel : files(from)) {
        copyWithSha256(from.resolve(rel), to.resolve(rel), ignored);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + ": " + e.getMessage(), e);
    }
  }

  /** Makes everything under {@code root} (itself included) readable by its owner only. */
  static void ownerOnly(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        ownerOnlyIfPosix(p, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? OWNER_DIRECTORY : OWNER_FILE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict the permissions under " + root + ": " + e.getMessage(), e);
    }
  }

  private static void ownerOnlyIfPosix(Path p, Set<PosixFilePermission> permissions) throws IOException {
    if (Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS) != null) {
      Files.setPosixFilePermissions(p, permissions);
    }
  }

  /** Deletes everything inside {@code dir}, leaving {@code dir} itself; nothing to do if it does not exist. */
  static void deleteContents(Path dir) throws IOException {
    org.apotheca.core.store.FileTrees.deleteContents(dir);
  }

  static boolean isEmptyOrMissing(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no SHA-256", e);
    }
  }
}
