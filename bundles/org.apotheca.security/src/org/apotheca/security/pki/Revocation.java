package org.apotheca.security.pki;

import java.time.Instant;
import java.util.Objects;

/** A revocation in force: since {@code at}, for {@code reason} (one line, possibly empty). */
public record Revocation(MachineIdentity who, Instant at, String reason) {

  public Revocation {
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reason, "reason");
  }
}
