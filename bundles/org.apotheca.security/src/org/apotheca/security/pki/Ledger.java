package org.apotheca.security.pki;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CA's {@code issued.txt}: one line per certificate issued, {@code <serial hex> <kind> <id> <not before> <not
 * after>}, only ever appended to. It is a record for people (the console lists it), not a source of trust.
 */
final class Ledger {

  private static final System.Logger LOG = System.getLogger(Ledger.class.getName());

  private final Path file;

  Ledger(Path file) {
    this.file = file;
  }

  void record(MachineIdentity who, X509Certificate certificate) {
    String line = certificate.getSerialNumber().toString(16) + " " + who.kind().unit() + " " + who.id() + " "
        + certificate.getNotBefore().toInstant() + " " + certificate.getNotAfter().toInstant() + "\n";
    SecretFiles.append(file, line.getBytes(StandardCharsets.UTF_8));
  }

  List<IssuedCertificate> issuedTo(MachineIdentity who) {
    List<IssuedCertificate> issued = new ArrayList<>();
    if (!Files.exists(file)) {
      return issued;
    }
    for (String line : new String(SecretFiles.read(file), StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.split(" ");
      try {
        MachineIdentity identity = new MachineIdentity(
            MachineIdentity.Kind.valueOf(fields[1].toUpperCase(Locale.ROOT)), fields[2]);
        if (identity.equals(who)) {
          issued.add(new IssuedCertificate(fields[0], identity, Instant.parse(fields[3]), Instant.parse(fields[4])));
        }
      } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException | DateTimeParseException e) {
        // a line cut short by a crash loses one entry of a list for people, not a revocation
        LOG.log(Level.WARNING, "skipping an unreadable line of {0}: {1}", file, line);
      }
    }
    return issued;
  }
}
