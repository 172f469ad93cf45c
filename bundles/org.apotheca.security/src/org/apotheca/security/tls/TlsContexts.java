package org.apotheca.security.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import org.apotheca.security.tls.CertificateProblem.Kind;

/**
 * TLS 1.3 only contexts whose trust decision is ours: a pinned certificate authority, not the JDK's default PKIX
 * checks against the system's trusted roots.
 *
 * <p>Every socket, server socket and engine made from a context of this class enables TLS 1.3 alone and, in server
 * mode, requires a client certificate; nothing depends on callers remembering to set that.
 *
 * <p>There is no hostname verification, on purpose: the authority is private and issues certificates to machines
 * (central, pharmacy nodes, tills) whose addresses change with shop networks and DHCP, so a certificate's names
 * would prove nothing about an address. Callers decide who the peer is from its certificate's subject instead,
 * which this authority alone can vouch for.
 *
 * <p>The {@link PeerCheck} runs on full handshakes. TLS 1.3 session resumption (same context, within the session's
 * lifetime) reuses an earlier verdict, so decisions that can change, such as revocation, belong in the
 * {@link Gatekeeper}, which runs on every connection.
 */
public final class TlsContexts {

  static final String TLS13 = "TLSv1.3";

  private TlsContexts() {
  }

  /** A further check of a peer whose certificate the pinned authority signed. */
  public interface PeerCheck {

    /**
     * Called with the peer's chain after its signature against the pinned authority was checked; throw
     * {@link CertificateException} with a plain message to fail the handshake.
     *
     * <p>JSSE calls this when the peer's Certificate message arrives, before the peer's CertificateVerify proves it
     * holds the certificate's key: reject here, but do not record who connected (that is the
     * {@link Gatekeeper}'s, which runs after the handshake is complete).
     */
    void check(X509Certificate[] chain, boolean peerIsClient) throws CertificateException;
  }

  /**
   * A TLS 1.3 only context that presents the key entry of {@code keyStore} and trusts peers whose certificate
   * {@code trustedCa} signed and {@code peerCheck} accepts.
   *
   * @param keyStore this machine's identity: its private key with its certificate chain (an empty keystore makes a
   *          client without a certificate, which a gate refuses)
   */
  public static SSLContext create(KeyStore keyStore, char[] keyPassword, X509Certificate trustedCa,
      PeerCheck peerCheck) {
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(trustedCa, "trustedCa");
    Objects.requireNonNull(peerCheck, "peerCheck");
    try {
      // SunX509 and not PKIX: it chooses the key entry without preferring or skipping certificates by their dates,
      // so a machine whose certificate expired still presents it and can be told so in a sentence (REFUSED
      // EXPIRED) instead of failing a handshake with an empty certificate.
      KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
      keys.init(keyStore, keyPassword);
      SSLContext context = SSLContext.getInstance(TLS13);
      context.init(keys.getKeyManagers(), new PinnedTrustManager[] { new PinnedTrustManager(trustedCa, peerCheck) },
          null);
      return new TlsOnlyContext(context);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot make a TLS context from this keystore: " + e.getMessage(), e);
    }
  }

  /**
   * The standard check: the peer's certificate is signed by {@code ca}. Its dates are checked only when the peer is
   * a server (message "the server's certificate expired on &lt;date&gt;"); a client's dates are left to the
   * {@link Gatekeeper}, so an expired or revoked site still completes the handshake and gets a REFUSED line it can
   * show a person instead of a bare TLS alert.
   */
  public static PeerCheck signedBy(X509Certificate ca) {
    Objects.requireNonNull(ca, "ca");
    return (chain, peerIsClient) -> {
      if (chain == null || chain.length == 0) {
        throw new CertificateProblem(Kind.NONE, null, "no certificate");
      }
      PinnedTrustManager.checkSignedBy(chain[0], ca, peerIsClient);
      if (!peerIsClient) {
        checkDates(chain[0], Instant.now(), "the server's certificate");
      }
    };
  }

  /** @throws CertificateProblem with a plain sentence about {@code whose} certificate if it is not valid at {@code now} */
  static void checkDates(X509Certificate certificate, Instant now, String whose) throws CertificateProblem {
    Instant notAfter = certificate.getNotAfter().toInstant();
    Instant notBefore = certificate.getNotBefore().toInstant();
    if (now.isAfter(notAfter)) {
      throw new CertificateProblem(Kind.EXPIRED, notAfter, whose + " expired on " + CertificateProblem.date(notAfter));
    }
    if (now.isBefore(notBefore)) {
      throw new CertificateProblem(Kind.NOT_YET_VALID, notBefore,
          whose + " is not valid before " + CertificateProblem.date(notBefore)
              + " (is this computer's clock right?)");
    }
  }

  /**
   * Trusts exactly what the pinned authority signed. A chain is [leaf] or [leaf, the authority itself]; anything
   * longer would mean a second authority we never pinned.
   */
  static final class PinnedTrustManager extends X509ExtendedTrustManager {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private final X509Certificate ca;
    private final PeerCheck peerCheck;

    PinnedTrustManager(X509Certificate ca, PeerCheck peerCheck) {
      this.ca = ca;
      this.peerCheck = peerCheck;
    }

    private void check(X509Certificate[] chain, boolean peerIsClient) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateProblem(Kind.NONE, null, "no certificate");
      }
      if (chain.length > 2 || (chain.length == 2 && !Arrays.equals(chain[1].getEncoded(), ca.getEncoded()))) {
        throw new CertificateProblem(Kind.FOREIGN, null, "certificate not issued by this authority");
      }
      checkSignedBy(chain[0], ca, peerIsClient);
      peerCheck.check(chain.clone(), peerIsClient);
    }

    static void checkSignedBy(X509Certificate leaf, X509Certificate ca, boolean peerIsClient)
        throws CertificateException {
      try {
        leaf.verify(ca.getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new CertificateProblem(Kind.FOREIGN, null, "certificate not issued by this authority");
      }
      // The authority's own certificate verifies against its own key; it must never stand for a machine.
      if (leaf.getBasicConstraints() >= 0) {
        throw new CertificateProblem(Kind.FOREIGN, null, "an authority's certificate is not a machine's certificate");
      }
      List<String> purposes = leaf.getExtendedKeyUsage();
      String needed = peerIsClient ? CLIENT_AUTH : SERVER_AUTH;
      if (purposes != null && !purposes.contains(needed)) {
        throw new CertificateProblem(Kind.WRONG_PURPOSE, null,
            "certificate not meant for a " + (peerIsClient ? "client" : "server"));
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain, true);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain, false);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain, true);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain, false);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain, true);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain, false);
    }

    /**
     * None, on purpose: a server that names its authority makes a client's key manager skip certificates from any
     * other, and the client then sends no certificate at all; without the list a client presents what it has, and
     * the gate can log "certificate not issued by this authority" instead of the less helpful "no certificate".
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
