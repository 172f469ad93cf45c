package org.apotheca.server.access;

import java.util.Locale;

/**
 * Who a CDO session at central belongs to. Kept as the session's user id ({@code "site:0001"}), so that every later
 * check (each read, each commit) asks the session itself and no second table can drift from it.
 *
 * @param name the site id for {@link Kind#SITE}; a free label for the others
 */
public record Principal(Kind kind, String name) {

  public enum Kind {
    /** Central's own processes through the in-JVM acceptor: the console and seeding. */
    CONSOLE,
    /** A pharmacy node, identified by its certificate at the TLS gate. */
    SITE,
    /** A central staff tool (reports, imports, checks) with a staff-tool certificate: central's role, every repository. */
    STAFF,
    /** Anyone on a plain TCP acceptor opened with the development flag: no identity, no limits. */
    DEVELOPER
  }

  public static final Principal CONSOLE = new Principal(Kind.CONSOLE, "central-console");

  public static Principal site(String siteId) {
    return new Principal(Kind.SITE, siteId);
  }

  public String userId() {
    return kind.name().toLowerCase(Locale.ROOT) + ":" + name;
  }

  /** @return null for a user id this class did not make (a session opened before the rules were in place) */
  public static Principal parse(String userId) {
    if (userId == null) {
      return null;
    }
    int colon = userId.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    try {
      return new Principal(Kind.valueOf(userId.substring(0, colon).toUpperCase(Locale.ROOT)), userId.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return switch (kind) {
      case CONSOLE -> "central's console";
      case SITE -> "pharmacy " + name;
      case STAFF -> "staff tool " + name;
      case DEVELOPER -> "a development connection";
    };
  }
}
