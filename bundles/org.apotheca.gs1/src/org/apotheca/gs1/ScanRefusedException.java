package org.apotheca.gs1;

/**
 * A scan that cannot be sold from. The message is a plain sentence for the person at the till: what was wrong and,
 * where it helps, what to do.
 */
public final class ScanRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ScanRefusedException(String message) {
    super(message);
  }
}
