package org.apotheca.security.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * Decides about a peer that completed the TLS handshake, which proved only that the pinned authority signed its
 * certificate. Dates, revocation and what the peer may do are decided here, on every connection (TLS session
 * resumption skips the handshake's own checks, never this). A gatekeeper is called from many threads at once.
 */
public interface Gatekeeper {

  /**
   * @param peer the certificate the peer proved it holds the key of; its validity dates were NOT checked (see
   *          {@link #checkDates})
   * @param verb what the peer asks for: CONNECT for a tunnel, anything else for {@link #answer}
   * @return an identity object kept with the tunnel (e.g. the site); {@code null} stands for the certificate's subject
   * @throws Refusal to send {@code REFUSED <code> <message>} and close
   */
  Object admit(X509Certificate peer, InetSocketAddress from, String verb) throws Refusal;

  /**
   * Answers a verb other than CONNECT (e.g. {@code RENEW <key>}) with one line, which must not start with
   * "REFUSED " (throw a {@link Refusal} for that).
   */
  default String answer(Object identity, String verb, String argument) throws Refusal {
    throw new Refusal("BAD_REQUEST", "unknown request");
  }

  /**
   * What the gate sends back for a verb other than CONNECT: one line and, when {@code body} is not null, exactly
   * {@code length} raw bytes right after it (a chunk of a download). The line must say how long the body is, so that
   * the peer knows where it ends; the gate sends no more and no fewer bytes than {@code length}.
   */
  record Reply(String line, long length, Body body) {

    public Reply {
      if (length < 0 || (body == null && length != 0)) {
        throw new IllegalArgumentException("a reply without a body has length 0, with one a length of at least 0");
      }
    }

    public static Reply line(String line) {
      return new Reply(line, 0, null);
    }
  }

  /** Where a reply's body comes from; opened on the connection's thread, closed by the gate. */
  interface Body {
    InputStream open() throws IOException;
  }

  /**
   * As {@link #answer}, with a body allowed after the line. The default answers with {@link #answer}'s line alone;
   * a gatekeeper that serves downloads overrides it.
   */
  default Reply reply(Object identity, String verb, String argument) throws Refusal {
    return Reply.line(answer(identity, verb, argument));
  }

  /**
   * Whether answers to {@code verb} are routine (a heartbeat every pharmacy sends every few seconds): the gate then logs
   * them at FINE instead of one INFO line each.
   */
  default boolean routine(String verb) {
    return false;
  }

  /**
   * The usual date check for {@link #admit}: refuses EXPIRED ("this computer's certificate expired on ...") or
   * NOT_YET_VALID with a sentence the peer can show a person.
   */
  static void checkDates(X509Certificate peer, Instant now) throws Refusal {
    try {
      TlsContexts.checkDates(peer, now, "this computer's certificate");
    } catch (CertificateProblem e) {
      throw new Refusal(e.kind() == CertificateProblem.Kind.EXPIRED ? "EXPIRED" : "NOT_YET_VALID", e.getMessage());
    }
  }
}
