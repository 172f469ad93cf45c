package org.apotheca.core.net;

/**
 * A host and TCP port as people write them in config files and on command lines ("127.0.0.1:2036").
 * Parsing is strict so that a typo is reported where it was made, not as a connection timeout later.
 */
public record Endpoint(String host, int port) {

  public Endpoint {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
  }

  public static Endpoint parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("address is missing (expected host:port)");
    }
    String t = text.trim();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not host:port");
    }
    try {
      return new Endpoint(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no numeric port");
    }
  }

  /** The description Net4j's TCP factories expect. */
  public String net4jDescription() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
