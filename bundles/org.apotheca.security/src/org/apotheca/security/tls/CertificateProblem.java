package org.apotheca.security.tls;

import java.security.cert.CertificateException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A refused certificate, with what was wrong kept apart from the sentence so the client end can say it about the
 * named server ("central's certificate expired on ...") while the gate logs the sentence as it is.
 */
final class CertificateProblem extends CertificateException {

  private static final long serialVersionUID = 1L;

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'")
      .withZone(ZoneOffset.UTC);

  enum Kind {
    NONE, FOREIGN, WRONG_PURPOSE, EXPIRED, NOT_YET_VALID
  }

  private final Kind kind;
  private final Instant date;

  CertificateProblem(Kind kind, Instant date, String message) {
    super(message);
    this.kind = kind;
    this.date = date;
  }

  Kind kind() {
    return kind;
  }

  /** The date the problem is about (expiry, start of validity), or null. */
  Instant date() {
    return date;
  }

  static String date(Instant instant) {
    return DATE.format(instant);
  }
}
