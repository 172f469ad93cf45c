package org.apotheca.sync;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apotheca.core.net.Endpoint;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.tls.LinkException;
import org.apotheca.security.tls.LinkRefusedException;
import org.apotheca.security.tls.TlsLink;

/**
 * How the node's Net4j connector reaches central: in TLS through a local forwarder (the connector talks plain Net4j to
 * 127.0.0.1, the forwarder carries it over TLS 1.3 with this pharmacy's certificate), or straight to central with the
 * development flag. Each clone has a link of its own (see {@code forwarders}).
 * <p>
 * Also renews the node's certificate over the link, without a visit, once it is within 30 days of expiry.
 */
final class CentralLink implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(CentralLink.class.getName());
  private static final Duration RENEW_WITHIN = Duration.ofDays(30);

  private final NodeConfig config;
  private final Clock clock;
  /** One link per clone: each clone's connector has its own connection, so one clone's trouble is not the other's. */
  private final Map<String, TlsLink.Forwarder> forwarders = new ConcurrentHashMap<>();
  private volatile String refusal;
  private long refusedAt;
  private long refusedIdentity;
  private static final long REFUSED_PAUSE_NANOS = Duration.ofSeconds(30).toNanos();
  private volatile boolean renewTried;

  CentralLink(NodeConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /**
   * The Net4j TCP description to connect to now: the open forwarder's, or a new link's. Throws (the synchronizer then
   * retries after its interval) when central cannot be reached or refuses this pharmacy; {@link #refusal()} says why.
   */
  synchronized String connectorDescription(String repository) {
    if (config.plainTcp()) {
      return config.central().net4jDescription();
    }
    TlsLink.Forwarder forwarder = forwarders.get(repository);
    if (forwarder != null && forwarder.isOpen()) {
      return "127.0.0.1:" + forwarder.localPort();
    }
    long identityStamp = NodeIdentity.stamp(secretsDir());
    if (refusal != null && identityStamp == refusedIdentity && System.nanoTime() - refusedAt < REFUSED_PAUSE_NANOS) {
      // central said no for a reason that does not pass by itself (revoked, expired, unknown): ask again only now and
      // then, or at once when this computer gets a new enrollment
      throw new Unreachable(refusal, null);
    }
    KeyMaterial identity;
    try {
      identity = NodeIdentity.require(secretsDir(), config.siteId());
    } catch (RuntimeException e) {
      refused(capitalized(e.getMessage()) + ".", identityStamp); // not central's answer: this computer cannot even ask
      throw new Unreachable(e.getMessage(), e);
    }
    TlsLink link = link(identity);
    try {
      forwarder = link.open();
      forwarders.put(repository, forwarder);
      refusal = null;
    } catch (LinkRefusedException e) {
      String why = "Central refused this pharmacy: " + e.getMessage();
      if (!why.equals(refusal)) {
        LOG.warning("Central refused pharmacy " + config.siteId() + ": " + e.getMessage());
      }
      refused(why, identityStamp);
      throw new Unreachable(why, e);
    } catch (LinkException e) {
      // unreachable or a broken handshake: offline like any other outage; keep a refusal only if central said so
      throw new Unreachable(e.getMessage(), e);
    } catch (IOException e) {
      throw new Unreachable("Central at " + config.central() + " cannot be reached: " + e.getMessage(), e);
    }
    renewIfDue(identity, link);
    return "127.0.0.1:" + forwarder.localPort();
  }

  /**
   * A TLS link to central with this pharmacy's identity, for requests beside the clones' tunnels (the catalogue seed's
   * download); null in the development mode's plain TCP.
   *
   * @throws Unreachable if this computer cannot ask (not enrolled, enrolled as another pharmacy)
   */
  TlsLink requestLink() {
    if (config.plainTcp()) {
      return null;
    }
    try {
      return link(NodeIdentity.require(secretsDir(), config.siteId()));
    } catch (RuntimeException e) {
      throw new Unreachable(capitalized(e.getMessage()) + ".", e);
    }
  }

  /** Bytes central has sent on the clone's open link; -1 without one (or in plain development TCP). */
  long bytesReceived(String repository) {
    TlsLink.Forwarder forwarder = forwarders.get(repository);
    return forwarder == null || !forwarder.isOpen() ? -1 : forwarder.bytesReceived();
  }

  /** Central could not be reached or refused this pharmacy: the clone stays offline and tries again; not a replication error. */
  static final class Unreachable extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }

    /** Whether {@code t} is, or was caused by, a failure of the link itself. */
    static boolean isIn(Throwable t) {
      for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
        if (c instanceof Unreachable) {
          return true;
        }
      }
      return false;
    }
  }

  private void refused(String why, long identityStamp) {
    refusal = why;
    refusedAt = System.nanoTime();
    refusedIdentity = identityStamp;
  }

  private static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /**
   * Why this pharmacy cannot sync, as a sentence for staff: central's refusal ("Central refused this pharmacy: ...
   * revoked ..."), or this computer's own reason (not enrolled, enrolled as another pharmacy); null once central lets
   * it in. Not set while central is merely unreachable.
   */
  String refusal() {
    return refusal;
  }

  private TlsLink link(KeyMaterial identity) {
    Endpoint c = config.central();
    return new TlsLink("central", NodeIdentity.clientContext(secretsDir(), identity), new InetSocketAddress(c.host(), c.port()),
        Duration.ofSeconds(3), Duration.ofSeconds(10));
  }

  private void renewIfDue(KeyMaterial identity, TlsLink link) {
    Instant renewFrom = NodeIdentity.expiry(identity).minus(RENEW_WITHIN);
    if (renewTried || clock.instant().isBefore(renewFrom)) {
      return;
    }
    renewTried = true; // once per run: a refusal must not turn every reconnect into a renewal attempt
    try {
      KeyPair pair = KeyMaterial.newKeyPair();
      String answer = link.request("RENEW", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
      if (!answer.startsWith("CERT ")) {
        throw new IOException("central answered the renewal with '" + answer.split(" ")[0] + "'");
      }
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(answer.substring(5).trim())));
      cert.verify(identity.trustAnchor().getPublicKey());
      if (!cert.getPublicKey().equals(pair.getPublic()) || !identity.identity().equals(new KeyMaterial(pair.getPrivate(),
          new X509Certificate[] { cert, identity.trustAnchor() }, identity.trustAnchor()).identity())) {
        throw new IOException("central's new certificate does not match the request");
      }
      NodeIdentity.install(secretsDir(), new KeyMaterial(pair.getPrivate(), new X509Certificate[] { cert, identity.trustAnchor() },
          identity.trustAnchor()));
      LOG.info(() -> "Renewed this pharmacy's certificate: valid until " + cert.getNotAfter().toInstant());
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Could not renew this pharmacy's certificate (expires " + NodeIdentity.expiry(identity)
          + "); will try again at the next start: " + e.getMessage());
    }
  }

  /**
   * One request other than CONNECT on a TLS connection of its own (the site board's STATUS report): null, without
   * trying, with the development flag (no gate to ask) or while central refuses this pharmacy (it would refuse this
   * too; the clones' next connect finds out when that changes).
   *
   * @throws IOException when central cannot be reached or refuses the request
   */
  String request(String verb, String argument) throws IOException {
    if (config.plainTcp() || refusal != null) {
      return null;
    }
    KeyMaterial identity;
    try {
      identity = NodeIdentity.require(secretsDir(), config.siteId());
    } catch (RuntimeException e) {
      return null; // not enrolled: the clones' connector says why in the node's status
    }
    return link(identity).request(verb, argument);
  }

  private Path secretsDir() {
    return config.secretsDir();
  }

  @Override
  public synchronized void close() {
    forwarders.values().forEach(TlsLink.Forwarder::close);
    forwarders.clear();
  }
}
