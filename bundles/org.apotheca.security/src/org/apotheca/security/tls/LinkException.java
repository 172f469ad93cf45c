package org.apotheca.security.tls;

import java.io.IOException;

/** A link that could not be opened, with a plain sentence saying why that a person can act on. */
public class LinkException extends IOException {

  private static final long serialVersionUID = 1L;

  public LinkException(String message) {
    super(message);
  }

  public LinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
