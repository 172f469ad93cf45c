package org.apotheca.security.pki;

import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

/**
 * Who a certificate says its holder is. The subject DN is {@code CN=<id>,OU=<kind in lower case>,O=Apotheca}, e.g.
 * {@code CN=0001,OU=site,O=Apotheca} or {@code CN=0001/till-2,OU=till,O=Apotheca}.
 * <p>
 * Ids by kind: a {@link Kind#SITE site} and a {@link Kind#TILL_SERVER till server} are a pharmacy's 4-digit site id
 * ({@code 0001}); a {@link Kind#TILL till} is {@code <site id>/<name>} ({@code 0001/till-2}); {@link Kind#CENTRAL
 * central} and a {@link Kind#STAFF_TOOL staff tool} are a name. A name is 1 to 63 lower-case letters, digits, '-' and
 * '.', beginning with a letter or digit. Because ids end up in a DN, nothing else is let in: no ',', '=', '+', quotes,
 * spaces or escapes, so the DN always reads back as it was written.
 */
public record MachineIdentity(Kind kind, String id) {

  public enum Kind {
    /** Central's own TLS endpoint. */
    CENTRAL,
    /** A pharmacy node talking to central. */
    SITE,
    /** A till on a pharmacy's LAN. */
    TILL,
    /** A pharmacy node as the server its tills talk to. */
    TILL_SERVER,
    /** A staff tool (console, support laptop) talking to central. */
    STAFF_TOOL;

    /** The OU of the subject DN. */
    String unit() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Pattern SITE_ID = Pattern.compile("[0-9]{4}");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");
  private static final Pattern DN = Pattern.compile("CN=([^,=+\"\\\\<>;#]+),OU=([a-z_]+),O=Apotheca");

  public MachineIdentity {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    switch (kind) {
      case SITE, TILL_SERVER -> requireSiteId(id);
      case CENTRAL, STAFF_TOOL -> requireName(id, kind);
      case TILL -> {
        int slash = id.indexOf('/');
        if (slash < 0) {
          throw new IllegalArgumentException("A till id is the site id, '/' and the till's name (like 0001/till-2), not "
              + quoted(id) + ".");
        }
        requireSiteId(id.substring(0, slash));
        requireName(id.substring(slash + 1), kind);
      }
    }
  }

  public static MachineIdentity central(String name) {
    return new MachineIdentity(Kind.CENTRAL, name);
  }

  public static MachineIdentity site(String siteId) {
    return new MachineIdentity(Kind.SITE, siteId);
  }

  public static MachineIdentity till(String siteId, String name) {
    return new MachineIdentity(Kind.TILL, siteId + "/" + name);
  }

  public static MachineIdentity tillServer(String siteId) {
    return new MachineIdentity(Kind.TILL_SERVER, siteId);
  }

  public static MachineIdentity staffTool(String name) {
    return new MachineIdentity(Kind.STAFF_TOOL, name);
  }

  /**
   * The identity a certificate's subject names.
   *
   * @throws IllegalArgumentException {@code not an Apotheca certificate: <subject>} when the subject is not exactly
   *           an Apotheca DN with a valid id (a CA certificate is not a machine and is refused too)
   */
  public static MachineIdentity of(X509Certificate certificate) {
    String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    Matcher m = DN.matcher(subject);
    if (m.matches()) {
      for (Kind kind : Kind.values()) {
        if (kind.unit().equals(m.group(2))) {
          try {
            return new MachineIdentity(kind, m.group(1));
          } catch (IllegalArgumentException badId) {
            break;
          }
        }
      }
    }
    throw new IllegalArgumentException("not an Apotheca certificate: " + subject);
  }

  public String subjectDn() {
    return "CN=" + id + ",OU=" + kind.unit() + ",O=Apotheca";
  }

  /** The pharmacy this machine belongs to: empty for central and staff tools. */
  public Optional<String> siteId() {
    return switch (kind) {
      case SITE, TILL_SERVER -> Optional.of(id);
      case TILL -> Optional.of(id.substring(0, id.indexOf('/')));
      case CENTRAL, STAFF_TOOL -> Optional.empty();
    };
  }

  /** In plain words, e.g. {@code site 0001}, {@code central (central)}, {@code till 0001/till-2}. */
  @Override
  public String toString() {
    return switch (kind) {
      case SITE -> "site " + id;
      case TILL -> "till " + id;
      case TILL_SERVER -> "till server of site " + id;
      case CENTRAL -> "central (" + id + ")";
      case STAFF_TOOL -> "staff tool (" + id + ")";
    };
  }

  private static void requireSiteId(String siteId) {
    if (!SITE_ID.matcher(siteId).matches()) {
      throw new IllegalArgumentException("A site id is 4 digits (like 0001), not " + quoted(siteId) + ".");
    }
  }

  private static void requireName(String name, Kind kind) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("A " + kind.unit().replace('_', ' ') + " name is 1 to 63 lower-case letters, "
          + "digits, '-' and '.', beginning with a letter or digit, not " + quoted(name) + ".");
    }
  }

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }
}
