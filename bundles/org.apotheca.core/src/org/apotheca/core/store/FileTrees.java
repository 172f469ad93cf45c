package org.apotheca.core.store;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Deleting directory trees: Derby databases, unpacked seeds, backups being replaced, benchmark leftovers. One walker
 * for all of them, so that every caller gets the same two guarantees: a symbolic link inside the tree is removed as a
 * link, never followed (a link to /home inside a data directory must not empty /home), and a file that vanished
 * while the walk ran (Derby closing a log file) is not an error.
 */
public final class FileTrees {

  private FileTrees() {
  }

  /** Deletes {@code dir} and everything in it; nothing to do if it does not exist. */
  public static void deleteTree(Path dir) throws IOException {
    delete(dir, true);
  }

  /** Deletes everything inside {@code dir}, keeping {@code dir} itself (and its permissions). */
  public static void deleteContents(Path dir) throws IOException {
    delete(dir, false);
  }

  /**
   * Deletes what it can of the tree and says nothing about the rest: for leftovers that the next start retries
   * (an unpacked seed, a download directory).
   *
   * @return true if the tree is gone
   */
  public static boolean deleteTreeQuietly(Path dir) {
    try {
      delete(dir, true);
      return true;
    } catch (IOException e) {
      return !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
    }
  }

  private static void delete(Path dir, boolean includingRoot) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      if (includingRoot) {
        Files.deleteIfExists(dir);
      }
      return;
    }
    // walkFileTree does not follow links unless asked to: a link is visited as a file and deleted as one
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        if (includingRoot || !d.equals(dir)) {
          Files.deleteIfExists(d);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
