package org.apotheca.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The MANIFEST.txt of a central backup: when it was taken, which repositories it holds (with the last commit each had
 * when its copy began), and the size and SHA-256 of every other file in the backup. A restore checks every file
 * against it, and refuses a backup with a file missing, changed, or not listed.
 * <pre>
 * # Apotheca central backup ...
 * format 1
 * taken 2026-12-01T01:02:03.456Z
 * source data=/srv/apotheca/central
 * source security=/srv/apotheca/central-security
 * repository name=site-0001 lastCommit=2026-12-01T01:02:03.001Z files=14 bytes=2170880
 * security yes
 * file sha256=9f86d0... bytes=65536 path=databases/catalogue/seg0/c10.dat
 * </pre>
 * A path is the rest of its line after {@code path=}, relative to the backup, with '/' separators.
 */
public record BackupManifest(Instant taken, Map<String, String> source, List<CentralBackup.Repository> repositories,
    boolean security, List<Entry> files) {

  static final int FORMAT = 1;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** One file of the backup; {@code line} is where the manifest lists it. */
  public record Entry(String path, String sha256, long bytes, int line) {
  }

  public long totalBytes() {
    return files.stream().mapToLong(Entry::bytes).sum();
  }

  /** Sums every file under {@code dir} and writes the manifest beside them (aside first, then moved into place). */
  static BackupManifest write(Path dir, Instant taken, ServerConfig config, List<CentralBackup.Repository> repositories,
      boolean security, AtomicLong hashed) {
    List<Entry> files = new ArrayList<>();
    for (String rel : BackupFiles.files(dir)) {
      if (!rel.equals(CentralBackup.MANIFEST)) {
        Path f = dir.resolve(rel);
        String sha = BackupFiles.sha256(f, hashed);
        try {
          files.add(new Entry(rel, sha, Files.size(f), 0));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
      }
    }
    Map<String, String> source = new LinkedHashMap<>();
    source.put("data", config.dataDir().toAbsolutePath().toString());
    source.put("security", config.securityDir().toAbsolutePath().toString());
    BackupManifest m = new BackupManifest(taken, source, repositories, security, files);
    StringBuilder sb = new StringBuilder();
    sb.append("# Apotheca central backup. Do not edit: a restore checks every file against this list.\n");
    sb.append("format ").append(FORMAT).append('\n');
    sb.append("taken ").append(taken).append('\n');
    source.forEach((k, v) -> sb.append("source ").append(k).append('=').append(v).append('\n'));
    for (CentralBackup.Repository r : repositories) {
      sb.append("repository name=").append(r.name()).append(" lastCommit=").append(r.lastCommit()).append(" files=")
          .append(r.files()).append(" bytes=").append(r.bytes()).append('\n');
    }
    sb.append("security ").append(security ? "yes" : "no").append('\n');
    for (Entry e : files) {
      sb.append("file sha256=").append(e.sha256()).append(" bytes=").append(e.bytes()).append(" path=").append(e.path())
          .append('\n');
    }
    Path target = dir.resolve(CentralBackup.MANIFEST);
    Path aside = dir.resolve(CentralBackup.MANIFEST + ".tmp");
    try {
      Files.writeString(aside, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try (FileChannel c = FileChannel.open(aside, StandardOpenOption.WRITE)) {
        c.force(true);
      }
      Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
      BackupFiles.ownerOnly(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
    return m;
  }

  /** Reads the manifest of the backup in {@code dir}; a bad line is refused with its number. */
  static BackupManifest read(Path dir) {
    Path file = dir.resolve(CentralBackup.MANIFEST);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(dir + " is not a central backup: it has no " + CentralBackup.MANIFEST, e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Instant taken = null;
    Integer format = null;
    Boolean security = null;
    Map<String, String> source = new LinkedHashMap<>();
    List<CentralBackup.Repository> repositories = new ArrayList<>();
    List<Entry> files = new ArrayList<>();
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      int no = i + 1;
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.indexOf(' ');
      String word = space < 0 ? line : line.substring(0, space);
      String rest = space < 0 ? "" : line.substring(space + 1);
      try {
        switch (word) {
          case "format" -> format = Integer.parseInt(rest.trim());
          case "taken" -> taken = Instant.parse(rest.trim());
          case "source" -> {
            int eq = rest.indexOf('=');
            source.put(rest.substring(0, eq), rest.substring(eq + 1));
          }
          case "repository" -> {
            Map<String, String> kv = fields(rest);
            repositories.add(new CentralBackup.Repository(required(kv, "name"), Instant.parse(required(kv, "lastCommit")),
                Integer.parseInt(required(kv, "files")), Long.parseLong(required(kv, "bytes"))));
          }
          case "security" -> security = rest.trim().equals("yes");
          case "file" -> {
            int at = rest.indexOf(" path=");
            if (at < 0) {
              throw new IllegalArgumentException("no path=");
            }
            Map<String, String> kv = fields(rest.substring(0, at));
            String path = rest.substring(at + " path=".length());
            String sha = required(kv, "sha256");
            if (!SHA256.matcher(sha).matches()) {
              throw new IllegalArgumentException("sha256 is not 64 hex digits");
            }
            if (path.isEmpty() || path.startsWith("/") || List.of(path.split("/")).contains("..")) {
              throw new IllegalArgumentException("the path '" + path + "' leaves the backup");
            }
            if (!paths.add(path)) {
              throw new IllegalArgumentException(path + " is listed twice");
            }
            files.add(new Entry(path, sha, Long.parseLong(required(kv, "bytes")), no));
          }
          default -> throw new IllegalArgumentException("unknown entry '" + word + "'");
        }
      } catch (RuntimeException e) {
        String why = e instanceof DateTimeParseException ? "not a time" : e instanceof NumberFormatException ? "not a number"
            : e instanceof StringIndexOutOfBoundsException ? "no key=value" : e.getMessage();
        throw new IllegalArgumentException(file + " line " + no + " is not a manifest line (" + why + "): " + line, e);
      }
    }
    if (format == null || format != FORMAT) {
      throw new IllegalArgumentException(file + " is not a central backup manifest of format " + FORMAT
          + (format == null ? " (no format line)" : " (it says format " + format + ")"));
    }
    if (taken == null || security == null || repositories.isEmpty()) {
      throw new IllegalArgumentException(file + " is incomplete: it names " + (taken == null ? "no time taken"
          : repositories.isEmpty() ? "no repository" : "no security line") + " (the backup did not finish)");
    }
    return new BackupManifest(taken, source, repositories, security, files);
  }

  /**
   * Checks every file of the backup in {@code dir} against this manifest: present, of the size and SHA-256 listed, and
   * no file that the manifest does not list.
   *
   * @throws IllegalArgumentException naming the first file that does not match, and the manifest line that lists it
   */
  void verify(Path dir, AtomicLong checked) {
    Set<String> listed = new HashSet<>();
    for (Entry e : files) {
      listed.add(e.path());
      Path f = dir.resolve(e.path());
      if (!Files.isRegularFile(f)) {
        throw damaged(dir, e.path() + " is missing (" + CentralBackup.MANIFEST + " line " + e.line() + " lists it)");
      }
      long size;
      try {
        size = Files.size(f);
      } catch (IOException ex) {
        throw damaged(dir, "cannot read " + e.path() + ": " + ex.getMessage());
      }
      if (size != e.bytes()) {
        throw damaged(dir, e.path() + " has " + size + " bytes where " + CentralBackup.MANIFEST + " line " + e.line()
            + " says " + e.bytes());
      }
      String sha = BackupFiles.sha256(f, checked);
      if (!sha.equals(e.sha256())) {
        throw damaged(dir, e.path() + " does not match its SHA-256 in " + CentralBackup.MANIFEST + " line " + e.line()
            + " (it changed after the backup was taken)");
      }
    }
    for (String rel : BackupFiles.files(dir)) {
      if (!rel.equals(CentralBackup.MANIFEST) && !listed.contains(rel)) {
        throw damaged(dir, rel + " is not listed in " + CentralBackup.MANIFEST + " (added after the backup was taken)");
      }
    }
    for (CentralBackup.Repository r : repositories) {
      if (files.stream().noneMatch(e -> e.path().startsWith(CentralBackup.DATABASES + "/" + r.name() + "/"))) {
        throw damaged(dir, "repository " + r.name() + " has no file in the backup");
      }
    }
  }

  private static IllegalArgumentException damaged(Path dir, String what) {
    return new IllegalArgumentException("the backup in " + dir + " is damaged: " + what);
  }

  private static Map<String, String> fields(String s) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String w : s.trim().split(" +")) {
      int eq = w.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("'" + w + "' is not key=value");
      }
      kv.put(w.substring(0, eq), w.substring(eq + 1));
    }
    return kv;
  }

  private static String required(Map<String, String> kv, String key) {
    String v = kv.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no " + key + "=");
    }
    return v;
  }
}
