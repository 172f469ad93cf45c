package org.apotheca.security.pki;

/**
 * A keystore or enrollment bundle that is intact but was opened with the wrong password; worth asking the person
 * again, unlike the other {@link IllegalArgumentException}s about such files.
 */
public final class WrongPasswordException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public WrongPasswordException(String message) {
    super(message);
  }
}
