package org.apotheca.security.tls;

import java.util.regex.Pattern;

/**
 * A gatekeeper's "no": the peer gets {@code REFUSED <code> <message>} and the connection closes. The code is for
 * programs (REVOKED, EXPIRED, UNKNOWN, NOT_ALLOWED, BUSY, BAD_REQUEST, UNAVAILABLE ...), the message is a plain
 * sentence a person at the till or the node can read.
 */
public final class Refusal extends Exception {

  private static final long serialVersionUID = 1L;

  private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

  private final String code;

  /**
   * @param code upper-case letters, digits and underscores, at most 32
   * @param message a plain sentence for a person, one line
   */
  public Refusal(String code, String message) {
    super(oneLine(message));
    if (code == null || !CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("a refusal's code is a word like REVOKED, not '" + code + "'");
    }
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The message travels on one protocol line: line breaks would end it early. */
  static String oneLine(String text) {
    if (text == null || text.isBlank()) {
      return "no reason given";
    }
    return text.replaceAll("[\\r\\n\\t]+", " ").strip();
  }
}
