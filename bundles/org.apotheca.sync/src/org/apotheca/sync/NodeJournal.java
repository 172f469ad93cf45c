package org.apotheca.sync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The node's own records beside its clones' databases, each an append-only file of lines whose fields are separated
 * by tabs, forced to disk on every append: they must survive a power cut right after a merge or an OFFLINE
 * transition, and CDO keeps none of them.
 * <ul>
 * <li>{@code <repo>.offline-bases}: at each OFFLINE transition of a clone, the wall-clock time and the clone's last
 * replicated commit time, the base its offline branch is merged from (CDO persists the latter only on a graceful
 * shutdown, and the branch's own base drops master edits made during the outage);
 * <li>{@code site-<id>.merged}: the offline branches merged into central (exactly once across restarts);
 * <li>{@code resolutions.log}: every non-trivial decision a merge made, shown to staff.
 * </ul>
 * Lines written by earlier versions separate the numeric fields by one space; the reader takes both.
 * <p>
 * A resolution's text names receipts, barcodes, lots and prices: it is sealed with a key derived from the node's
 * storage key (AES-GCM, {@value #SEALED} prefix), like the clones' databases (docs/security.md); its time and kind
 * stay readable. Lines written before that are read as they are.
 */
final class NodeJournal {

  private static final Logger LOG = Logger.getLogger(NodeJournal.class.getName());
  static final String OFFLINE_BASES_SUFFIX = ".offline-bases";
  static final String MERGED_SUFFIX = ".merged";
  static final String RESOLUTIONS_FILE = "resolutions.log";

  /** A non-trivial resolution made while merging: shown to staff, never silent. */
  record Resolution(long at, String kind, String text) {
    String line() {
      return NodeBook.at(at) + " " + kind + " " + text;
    }
  }

  static final String SEALED = "sealed1:";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte[] AAD = "resolution".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  /** Loaded at first use: the node makes its storage key at start, after this journal exists. */
  private volatile SecretKey key;

  NodeJournal(Path dataDir) {
    this.dir = dataDir;
  }

  /** {wall-clock time of the OFFLINE transition, last replicated commit time}, oldest first. */
  List<long[]> offlineBases(String repository) {
    List<long[]> result = new ArrayList<>();
    for (String[] f : read(dir.resolve(repository + OFFLINE_BASES_SUFFIX), 2, true)) {
      result.add(new long[] { Long.parseLong(f[0]), Long.parseLong(f[1]) });
    }
    return result;
  }

  void recordOfflineBase(String repository, long at, long base) {
    append(dir.resolve(repository + OFFLINE_BASES_SUFFIX), at, base);
  }

  Set<Integer> mergedBranches(String siteRepository) {
    Set<Integer> ids = new HashSet<>();
    for (String[] f : read(dir.resolve(siteRepository + MERGED_SUFFIX), 3, true)) {
      ids.add(Integer.parseInt(f[0]));
    }
    return ids;
  }

  /** When the newest recorded merge was made (0: none). */
  long lastMergedAt(String siteRepository) {
    long last = 0;
    for (String[] f : read(dir.resolve(siteRepository + MERGED_SUFFIX), 3, false)) {
      try {
        last = Math.max(last, Long.parseLong(f[2].strip()));
      } catch (NumberFormatException e) {
        // a line of another shape: its time is not needed for merging, only for the site board
      }
    }
    return last;
  }

  void recordMerged(String siteRepository, int branchId, String branchPath, long at) {
    append(dir.resolve(siteRepository + MERGED_SUFFIX), branchId, branchPath, at);
  }

  /** Unreadable lines are skipped with a warning: losing the history of resolutions must not stop the node. */
  List<Resolution> resolutions() {
    List<Resolution> result = new ArrayList<>();
    try {
      for (String[] f : read(dir.resolve(RESOLUTIONS_FILE), 3, false)) {
        result.add(new Resolution(Long.parseLong(f[0]), f[1], unseal(f[2])));
      }
    } catch (IllegalStateException | NumberFormatException e) {
      LOG.warning(() -> "Cannot read " + dir.resolve(RESOLUTIONS_FILE) + ": " + e.getMessage());
    }
    return result;
  }

  void recordResolution(Resolution r) {
    append(dir.resolve(RESOLUTIONS_FILE), r.at(), r.kind(), seal(r.text().replace('\t', ' ').replace('\n', ' ')));
  }

  private SecretKey key() {
    SecretKey k = key;
    if (k == null) {
      k = NodeStorageKey.journalKey(dir);
      key = k;
    }
    return k;
  }

  private String seal(String text) {
    SecretKey k = key();
    if (k == null) {
      throw new IllegalStateException("Cannot seal a resolution: this node has no storage key yet");
    }
    try {
      byte[] iv = new byte[IV_BYTES];
      RANDOM.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, iv));
      c.updateAAD(AAD);
      byte[] sealed = c.doFinal(text.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[iv.length + sealed.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(sealed, 0, out, iv.length, sealed.length);
      return SEALED + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot seal a resolution: " + e.getMessage(), e);
    }
  }

  private String unseal(String field) {
    if (!field.startsWith(SEALED)) {
      return field;
    }
    try {
      SecretKey k = key();
      if (k == null) {
        return "(sealed: this node's storage key is missing)";
      }
      byte[] in = Base64.getDecoder().decode(field.substring(SEALED.length()));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
      c.updateAAD(AAD);
      return new String(c.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // another node's key, or a damaged line: say so, keep the rest of the history
      return "(sealed with another storage key, or damaged)";
    }
  }

  /**
   * Reads the lines of {@code file} as {@code fields} fields each (the last takes the rest of the line). A missing
   * file is empty.
   *
   * @param strict a line with fewer fields is an error (the merge must not guess which branches it merged)
   */
  private static List<String[]> read(Path file, int fields, boolean strict) {
    List<String[]> result = new ArrayList<>();
    if (!Files.exists(file)) {
      return result;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.strip().split(line.indexOf('\t') >= 0 ? "\t" : " ", fields);
        if (f.length < fields) {
          if (strict) {
            throw new IllegalStateException("Cannot read " + file + ": bad line '" + line + "'");
          }
          continue;
        }
        result.add(f);
      }
    } catch (IOException e) {
      // no cause: staff see the deepest cause's message (CdoClient.rootMessage), which alone would not name the file
      throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage());
    }
    return result;
  }

  private static void append(Path file, Object... fields) {
    StringBuilder line = new StringBuilder();
    for (Object f : fields) {
      line.append(line.length() == 0 ? "" : "\t").append(f);
    }
    line.append('\n');
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write " + file + ": " + e.getMessage()); // no cause: as in read()
    }
  }
}
