package org.apotheca.node.remote;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import org.apotheca.core.net.Endpoint;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.security.pki.SecretFiles;
import org.apotheca.node.api.NodeState;
import org.apotheca.security.tls.LinkException;
import org.apotheca.security.tls.LinkRefusedException;
import org.apotheca.security.tls.TlsContexts;
import org.apotheca.security.tls.TlsLink;

/**
 * How a till's Net4j connector reaches its node: straight (the development flag, and the protocol's own tests), or
 * over TLS 1.3 with the till's certificate from its pairing, through a local forwarder.
 */
public interface TillTransport extends AutoCloseable {

  /** The Net4j TCP description to connect to now; throws with a sentence for the till when the node is not reachable. */
  String open(Endpoint node) throws IOException;

  @Override
  void close();

  /** Plain TCP: only with {@code dev.plain.tcp=true} or inside tests of the protocol itself. */
  TillTransport PLAIN = new TillTransport() {
    @Override
    public String open(Endpoint node) {
      return node.net4jDescription();
    }

    @Override
    public void close() {
      // nothing held
    }
  };

  /** TLS with the key and certificate this till got when it was paired with the node. */
  static TillTransport tls(KeyMaterial till) {
    char[] pw = SecretFiles.newPassword(); // the keystore lives in memory only
    SSLContext context = TlsContexts.create(till.keyStore(pw), pw, till.trustAnchor(), (chain, peerIsClient) -> {
      TlsContexts.signedBy(till.trustAnchor()).check(chain, peerIsClient);
      MachineIdentity node = MachineIdentity.of(chain[0]);
      String site = till.identity().id().split("/")[0];
      if (node.kind() != MachineIdentity.Kind.TILL_SERVER || !node.id().equals(site)) {
        throw new CertificateException("the computer there is not the node of pharmacy " + site);
      }
    });
    return new TillTransport() {
      private TlsLink.Forwarder forwarder;

      @Override
      public synchronized String open(Endpoint node) throws IOException {
        if (forwarder != null) {
          forwarder.close();
        }
        TlsLink link = new TlsLink("the pharmacy node", context, new InetSocketAddress(node.host(), node.port()),
            Duration.ofSeconds(3), Duration.ofSeconds(5));
        forwarder = link.open();
        return "127.0.0.1:" + forwarder.localPort();
      }

      @Override
      public synchronized void close() {
        if (forwarder != null) {
          forwarder.close();
          forwarder = null;
        }
      }
    };
  }

  /** A link failure in words for the till's status line. */
  static String sentence(IOException e) {
    if (e instanceof LinkRefusedException refused) {
      return NodeState.TILL_REFUSED + refused.getMessage();
    }
    return e instanceof LinkException ? e.getMessage() : "the node could not be reached: " + e.getMessage();
  }
}
