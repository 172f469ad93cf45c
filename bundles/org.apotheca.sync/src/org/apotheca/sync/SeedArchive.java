package org.apotheca.sync;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A catalogue seed file: a zip holding {@value #INFO} (what the seed is) and, under {@code db/}, the files of a cleanly
 * shut down Derby database of a catalogue clone. A zip because the JDK reads and checks it (every entry's CRC-32) with
 * nothing added, and because Derby's pages shrink to about a third; the fastest compression level, since the node
 * inflates it on the way to being ready.
 * <p>
 * The same file is the installer's seed ({@code seed.file} in site.properties) and what central serves in chunks.
 */
final class SeedArchive {

  static final String INFO = "apotheca-seed.properties";
  private static final String DB = "db/";

  /** What the seed's {@value #INFO} says. */
  record Info(String id, String repository, long replicated, long created) {
  }

  private SeedArchive() {
  }

  /** Packs the database in {@code databaseDir} (shut down cleanly) into {@code out}, {@value #INFO} first. */
  static void pack(Path databaseDir, Info info, Path out) throws IOException {
    try (OutputStream file = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(file, 1 << 16))) {
      zip.setLevel(Deflater.BEST_SPEED);
      zip.putNextEntry(new ZipEntry(INFO));
      Properties p = new Properties();
      p.setProperty("id", info.id());
      p.setProperty("repository", info.repository());
      p.setProperty("replicated", Long.toString(info.replicated()));
      p.setProperty("created", Long.toString(info.created()));
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      p.store(text, "Apotheca catalogue seed");
      zip.write(text.toByteArray());
      zip.closeEntry();
      List<Path> files;
      try (Stream<Path> walk = Files.walk(databaseDir)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        String name = DB + databaseDir.relativize(f).toString().replace('\\', '/');
        zip.putNextEntry(new ZipEntry(name));
        Files.copy(f, zip);
        zip.closeEntry();
      }
    }
    force(out);
  }

  /**
   * Unpacks the seed read from {@code in} into {@code into} (which must not exist): the database files, each entry's
   * CRC checked by the JDK. Entries outside {@code db/} other than {@value #INFO}, and names that climb out, are
   * refused.
   *
   * @return what the seed says it is
   * @throws IOException also for a seed that is damaged or not a seed (the caller deletes {@code into})
   */
  static Info unpack(InputStream in, Path into) throws IOException {
    Files.createDirectories(into.getParent());
    Files.createDirectory(into);
    Info info = null;
    Path root = into.toAbsolutePath().normalize();
    try (ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
        String name = e.getName();
        if (name.equals(INFO)) {
          info = readInfo(zip.readAllBytes());
          continue;
        }
        if (!name.startsWith(DB) || name.contains("..") || name.contains("\\")) {
          throw new ZipException("the seed holds an entry it should not: '" + name + "'");
        }
        Path target = root.resolve(name.substring(DB.length())).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
          throw new ZipException("the seed holds an entry it should not: '" + name + "'");
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.copy(zip, target);
      }
    }
    if (info == null) {
      throw new ZipException("the seed has no " + INFO + ": not a catalogue seed");
    }
    return info;
  }

  /** Reads only {@value #INFO} (the first entry) of a seed file: what an installer seed is, without unpacking it. */
  static Info info(Path seedFile) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(seedFile))) {
      ZipEntry e = zip.getNextEntry();
      if (e == null || !e.getName().equals(INFO)) {
        throw new ZipException(seedFile + " is not a catalogue seed (it does not begin with " + INFO + ")");
      }
      return readInfo(zip.readAllBytes());
    }
  }

  private static Info readInfo(byte[] bytes) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(new String(bytes, UTF_8)));
    try {
      return new Info(p.getProperty("id"), p.getProperty("repository"), Long.parseLong(p.getProperty("replicated")),
          Long.parseLong(p.getProperty("created")));
    } catch (RuntimeException e) {
      throw new ZipException("the seed's " + INFO + " is incomplete");
    }
  }

  static void force(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Forces a directory's entries (a rename into it) to disk; not every platform can, which is fine. */
  static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory this way; its renames are durable by themselves
    }
  }

  /** Deletes a directory tree, quietly: what is left is retried at the next start. */
  static void deleteTree(Path dir) {
    org.apotheca.core.store.FileTrees.deleteTreeQuietly(dir);
  }
}
