package org.apotheca.security.pki;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A CA's {@code revoked.txt}: every identity ever revoked, one line each, {@code <kind> <id> <revoked at>
 * <reinstated at or -> <reason>}, rewritten whole and atomically on each change. A lifted revocation stays on file
 * because the certificates it revoked stay revoked. Not thread-safe: the CA serializes access.
 */
final class RevocationList {

  private static final String HEADER = "# kind id revoked-at reinstated-at reason\n";

  private record Entry(Instant revokedAt, String reason, Instant reinstatedAt) {
  }

  private final Path file;
  private final Map<MachineIdentity, Entry> entries = new LinkedHashMap<>();

  private RevocationList(Path file) {
    this.file = file;
  }

  /**
   * @throws IllegalStateException when a line cannot be read: dropping it would silently bring revoked certificates
   *           back
   */
  static RevocationList load(Path file) {
    RevocationList list = new RevocationList(file);
    if (!Files.exists(file)) {
      return list;
    }
    String[] lines = new String(SecretFiles.read(file), StandardCharsets.UTF_8).split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split(" ", 5);
      try {
        MachineIdentity who = new MachineIdentity(
            MachineIdentity.Kind.valueOf(fields[0].toUpperCase(Locale.ROOT)), fields[1]);
        Instant reinstated = fields[3].equals("-") ? null : Instant.parse(fields[3]);
        list.entries.put(who, new Entry(Instant.parse(fields[2]), fields.length > 4 ? fields[4] : "", reinstated));
      } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException | DateTimeParseException e) {
        throw new IllegalStateException("line " + (i + 1) + " of " + file + " is not a revocation: " + line, e);
      }
    }
    return list;
  }

  /** Revokes {@code who} at {@code now} unless already revoked; whether anything changed. */
  boolean revoke(MachineIdentity who, String reason, Instant now) {
    if (inForce(who).isPresent()) {
      return false;
    }
    entries.put(who, new Entry(now, oneLine(reason), null));
    save();
    return true;
  }

  /** Lifts the revocation of {@code who} at {@code now}, if in force; whether anything changed. */
  boolean reinstate(MachineIdentity who, Instant now) {
    Entry entry = entries.get(who);
    if (entry == null || entry.reinstatedAt() != null) {
      return false;
    }
    entries.put(who, new Entry(entry.revokedAt(), entry.reason(), now));
    save();
    return true;
  }

  Optional<Revocation> inForce(MachineIdentity who) {
    Entry entry = entries.get(who);
    return entry == null || entry.reinstatedAt() != null ? Optional.empty()
        : Optional.of(new Revocation(who, entry.revokedAt(), entry.reason()));
  }

  /** When {@code who} was last revoked, whether or not since reinstated. */
  Optional<Instant> lastRevoked(MachineIdentity who) {
    return Optional.ofNullable(entries.get(who)).map(Entry::revokedAt);
  }

  private void save() {
    StringBuilder text = new StringBuilder(HEADER);
    entries.forEach((who, entry) -> text.append(who.kind().unit()).append(' ').append(who.id()).append(' ')
        .append(entry.revokedAt()).append(' ').append(entry.reinstatedAt() == null ? "-" : entry.reinstatedAt())
        .append(' ').append(entry.reason()).append('\n'));
    SecretFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String oneLine(String reason) {
    return reason.replaceAll("\\s+", " ").strip();
  }
}
