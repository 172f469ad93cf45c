package org.apotheca.node.api;

import java.util.Objects;

/** A till's request was refused, or could not be done; nothing of it was written. The message is for the user. */
public class NodeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Refusal refusal;

  public NodeException(Refusal refusal, String message) {
    super(message);
    this.refusal = Objects.requireNonNull(refusal);
  }

  public NodeException(Refusal refusal, String message, Throwable cause) {
    super(message, cause);
    this.refusal = Objects.requireNonNull(refusal);
  }

  public Refusal refusal() {
    return refusal;
  }
}
