package org.apotheca.security.tls;

/**
 * The far end completed the handshake and then said {@code REFUSED <code> <sentence>}: the message is the server's
 * sentence as it sent it, meant for a person; the code is for programs (REVOKED, EXPIRED, UNAVAILABLE ...).
 */
public final class LinkRefusedException extends LinkException {

  private static final long serialVersionUID = 1L;

  private final String code;

  public LinkRefusedException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
