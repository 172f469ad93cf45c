package org.apotheca.sync;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a node needs to download a catalogue seed in pieces and trust each piece: the seed's id, the catalogue time
 * it holds (its clone's last replicated commit), its size, the chunk size and the SHA-256 of every chunk.
 * <p>
 * Text, one {@code key=value} a line, so that an operator can read it and a bad one is refused with its line number.
 *
 * @param id names this seed at central ({@code seed-<created>-<replicated>}); a new refresh makes a new id
 * @param replicated the catalogue clone's last replicated commit time (central's clock): the node replicates the
 *        commits after it
 * @param created when central made the seed
 * @param size bytes of the seed file
 * @param chunkSize bytes per chunk (the last may be shorter)
 * @param chunks SHA-256 of each chunk, lower-case hex
 */
public record SeedManifest(String id, long replicated, long created, long size, int chunkSize, List<String> chunks) {

  static final String HEADER = "apotheca-catalogue-seed 1";
  private static final Pattern ID = Pattern.compile("seed-[0-9]{1,19}-[0-9]{1,19}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public SeedManifest {
    chunks = List.copyOf(chunks);
    if (!isId(id)) {
      throw new IllegalArgumentException("not a seed id: '" + id + "'");
    }
    if (chunkSize < 1 || size < 0 || chunks.size() != chunkCount(size, chunkSize)) {
      throw new IllegalArgumentException("a seed of " + size + " bytes in chunks of " + chunkSize + " has "
          + chunkCount(size, chunkSize) + " chunks, not " + chunks.size());
    }
  }

  static boolean isId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  static String newId(long created, long replicated) {
    return "seed-" + created + "-" + replicated;
  }

  static int chunkCount(long size, int chunkSize) {
    return (int) ((size + chunkSize - 1) / chunkSize);
  }

  /** Bytes of chunk {@code index}. */
  public long chunkLength(int index) {
    return Math.min(chunkSize, size - (long) index * chunkSize);
  }

  public int chunkCount() {
    return chunks.size();
  }

  /** Reads {@code seedFile} and hashes it chunk by chunk. */
  static SeedManifest of(Path seedFile, String id, long replicated, long created, int chunkSize) throws IOException {
    List<String> hashes = new ArrayList<>();
    long size;
    try (FileChannel ch = FileChannel.open(seedFile, StandardOpenOption.READ)) {
      size = ch.size();
      InputStream in = java.nio.channels.Channels.newInputStream(ch);
      byte[] buffer = new byte[64 * 1024];
      for (long done = 0; done < size;) {
        MessageDigest sha = sha256();
        long left = Math.min(chunkSize, size - done);
        while (left > 0) {
          int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
          if (n < 0) {
            throw new IOException(seedFile + " became shorter while it was hashed");
          }
          sha.update(buffer, 0, n);
          left -= n;
          done += n;
        }
        hashes.add(HexFormat.of().formatHex(sha.digest()));
      }
    }
    return new SeedManifest(id, replicated, created, size, chunkSize, hashes);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no SHA-256", e);
    }
  }

  static String sha256(byte[] bytes, int length) {
    MessageDigest sha = sha256();
    sha.update(bytes, 0, length);
    return HexFormat.of().formatHex(sha.digest());
  }

  public String text() {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    b.append("id=").append(id).append('\n');
    b.append("replicated=").append(replicated).append('\n');
    b.append("created=").append(created).append('\n');
    b.append("size=").append(size).append('\n');
    b.append("chunk=").append(chunkSize).append('\n');
    b.append("chunks=").append(chunks.size()).append('\n');
    for (int i = 0; i < chunks.size(); i++) {
      b.append("sha256.").append(i).append('=').append(chunks.get(i)).append('\n');
    }
    return b.toString();
  }

  public byte[] bytes() {
    return text().getBytes(UTF_8);
  }

  /**
   * @param source names the manifest in messages ("central's answer", a file name)
   * @throws IllegalArgumentException with the line number of the first thing wrong
   */
  public static SeedManifest parse(String text, String source) {
    String[] lines = text.split("\n", -1);
    if (lines.length == 0 || !lines[0].equals(HEADER)) {
      throw new IllegalArgumentException(source + " line 1: not a catalogue seed manifest (expected '" + HEADER + "')");
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Integer> lineOf = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(source + " line " + (i + 1) + ": expected key=value");
      }
      String key = line.substring(0, eq);
      if (values.put(key, line.substring(eq + 1)) != null) {
        throw new IllegalArgumentException(source + " line " + (i + 1) + ": '" + key + "' a second time");
      }
      lineOf.put(key, i + 1);
    }
    String id = required(values, "id", source);
    long replicated = number(values, lineOf, "replicated", source);
    long created = number(values, lineOf, "created", source);
    long size = number(values, lineOf, "size", source);
    long chunk = number(values, lineOf, "chunk", source);
    long count = number(values, lineOf, "chunks", source);
    if (!isId(id)) {
      throw new IllegalArgumentException(source + " line " + lineOf.get("id") + ": not a seed id: '" + id + "'");
    }
    if (chunk < 1 || chunk > Integer.MAX_VALUE || count != chunkCount(size, (int) chunk)) {
      throw new IllegalArgumentException(source + " line " + lineOf.get("chunks") + ": " + count + " chunks do not fit "
          + size + " bytes in chunks of " + chunk);
    }
    List<String> hashes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = "sha256." + i;
      String h = required(values, key, source);
      if (!SHA256.matcher(h).matches()) {
        throw new IllegalArgumentException(source + " line " + lineOf.get(key) + ": not a SHA-256 in hex");
      }
      hashes.add(h);
    }
    return new SeedManifest(id, replicated, created, size, (int) chunk, hashes);
  }

  private static String required(Map<String, String> values, String key, String source) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException(source + ": no '" + key + "' line");
    }
    return v;
  }

  private static long number(Map<String, String> values, Map<String, Integer> lineOf, String key, String source) {
    String v = required(values, key, source);
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + " line " + lineOf.get(key) + ": '" + key + "' is not a number: '" + v + "'");
    }
  }
}
