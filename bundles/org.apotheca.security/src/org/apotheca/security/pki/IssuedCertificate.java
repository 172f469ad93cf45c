package org.apotheca.security.pki;

import java.time.Instant;
import java.util.Objects;

/** One line of a CA's ledger: a certificate it issued, by serial number (lower-case hex). */
public record IssuedCertificate(String serial, MachineIdentity who, Instant notBefore, Instant notAfter) {

  public IssuedCertificate {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
  }
}
