package org.apotheca.server.access;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import org.apotheca.core.net.CdoConnection;
import org.apotheca.core.net.Endpoint;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.security.pki.SecretFiles;
import org.apotheca.security.tls.TlsContexts;
import org.apotheca.security.tls.TlsLink;

/**
 * A CDO connection to central through its TLS gate, as a given machine identity: what central's own tools (and the
 * tests, which play pharmacies and staff tools) use instead of plain TCP.
 */
public final class CentralClient {

  private CentralClient() {
  }

  public static CdoConnection open(KeyMaterial identity, Endpoint central, String repository) {
    TlsLink.Forwarder forwarder;
    try {
      forwarder = link(identity, central).open();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot reach the Apotheca server at " + central + ": " + e.getMessage(), e);
    }
    return CdoConnection.open(new Endpoint("127.0.0.1", forwarder.localPort()), repository, forwarder);
  }

  public static TlsLink link(KeyMaterial identity, Endpoint central) {
    char[] pw = SecretFiles.newPassword(); // the keystore lives in memory only
    SSLContext context = TlsContexts.create(identity.keyStore(pw), pw, identity.trustAnchor(), (chain, peerIsClient) -> {
      TlsContexts.signedBy(identity.trustAnchor()).check(chain, peerIsClient);
      if (MachineIdentity.of(chain[0]).kind() != MachineIdentity.Kind.CENTRAL) {
        throw new CertificateException("the server is not Apotheca central");
      }
    });
    return new TlsLink("central", context, new InetSocketAddress(central.host(), central.port()), Duration.ofSeconds(3),
        Duration.ofSeconds(10));
  }
}
