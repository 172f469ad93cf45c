package org.apotheca.security.tls;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns JSSE's failures into plain words. JSSE says what went wrong only in exception messages (an alert it
 * received is "Received fatal alert: certificate_unknown"; there is no public field for it), so these are read
 * here, in one place, and the tests pin down each one this package relies on.
 */
final class Why {

  private static final Pattern ALERT = Pattern.compile("Received fatal alert: ([a-z_]+)");
  /** Alerts a server sends after it looked at a client's certificate and did not like it. */
  private static final Set<String> CERTIFICATE_ALERTS = Set.of("bad_certificate", "certificate_unknown",
      "unknown_ca", "certificate_revoked", "certificate_expired", "unsupported_certificate", "access_denied");

  private Why() {
  }

  static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static boolean says(Throwable t, String words) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null && c.getMessage().toLowerCase(Locale.ROOT).contains(words)) {
        return true;
      }
    }
    return false;
  }

  /** The TLS alert the peer sent, e.g. "certificate_unknown", or null. */
  static String alert(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null) {
        Matcher m = ALERT.matcher(c.getMessage());
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    return null;
  }

  static boolean timedOut(Throwable t) {
    return find(t, SocketTimeoutException.class) != null;
  }

  static boolean notTls(Throwable t) {
    return says(t, "plaintext connection?") || says(t, "unsupported or unrecognized ssl message");
  }

  static boolean notTls13(Throwable t) {
    return "protocol_version".equals(alert(t)) || says(t, "protocol version") || says(t, "requested protocol")
        || says(t, "supported protocol versions");
  }

  static boolean noClientCertificate(Throwable t) {
    return says(t, "empty client certificate chain");
  }

  static boolean closedByPeer(Throwable t) {
    return find(t, EOFException.class) != null || says(t, "remote host terminated") || says(t, "connection reset")
        || says(t, "broken pipe") || (find(t, SocketException.class) != null && says(t, "closed"));
  }

  static boolean certificateAlert(Throwable t) {
    String alert = alert(t);
    return alert != null && CERTIFICATE_ALERTS.contains(alert);
  }

  /** Why a TLS handshake with a client failed, as the gate logs it. */
  static String clientHandshake(Throwable e) {
    CertificateException refused = find(e, CertificateException.class);
    if (refused != null && refused.getMessage() != null) {
      return refused.getMessage();
    }
    if (noClientCertificate(e)) {
      return "no client certificate";
    }
    if (notTls13(e)) {
      return "does not speak TLS 1.3";
    }
    String alert = alert(e);
    if (alert != null) {
      if (CERTIFICATE_ALERTS.contains(alert)) {
        return "the client does not accept this server's certificate (" + alert + ")";
      }
      return "the client ended the TLS handshake (" + alert + ")";
    }
    if (notTls(e)) {
      return "plain TCP, not TLS";
    }
    if (closedByPeer(e)) {
      return "closed the connection during the TLS handshake";
    }
    return "the TLS handshake failed (" + e.getMessage() + ")";
  }
}
