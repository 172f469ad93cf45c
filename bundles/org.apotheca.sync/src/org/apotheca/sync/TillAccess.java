package org.apotheca.sync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;

import org.apotheca.security.pki.CertificateAuthority;
import org.apotheca.security.pki.Enrollment;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.security.pki.SecretFiles;
import org.apotheca.security.tls.Gatekeeper;
import org.apotheca.security.tls.Refusal;
import org.apotheca.security.tls.TlsContexts;
import org.apotheca.security.tls.TlsGate;

/**
 * The pharmacy's LAN, as the node sees it: the node is the certificate authority of its own tills (central is not
 * needed to pair a till while the internet is down), and a TLS 1.3 gate in front of the node's loopback-only till
 * acceptor lets in tills with a current, unrevoked certificate of this pharmacy. Staff then log in on the till as
 * before; the certificate only says which machine it is.
 * <p>
 * Files, in the node's secrets directory: {@code tills-ca/} (the authority), {@code till-server.p12} (the node's own
 * key towards its tills, under the identity password), {@code till-bundles/} (pairing bundles not yet collected).
 */
public final class TillAccess implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TillAccess.class.getName());
  static final Duration TILL_VALIDITY = Duration.ofDays(3 * 365);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  private final NodeConfig config;
  private final Clock clock;
  private final CertificateAuthority authority;
  private TlsGate gate;

  TillAccess(NodeConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    SecretFiles.createOwnerOnlyDirectories(config.secretsDir());
    this.authority = CertificateAuthority.createOrOpen(config.secretsDir().resolve("tills-ca"),
        "Apotheca tills of pharmacy " + config.siteId(), clock);
  }

  /** Opens the gate on the configured till address in front of the acceptor on 127.0.0.1:{@code loopbackPort}. */
  synchronized void open(int loopbackPort) throws IOException {
    KeyMaterial server = serverKey();
    char[] pw = password();
    SSLContext context = TlsContexts.create(server.keyStore(pw), pw, authority.certificate(), TlsContexts.signedBy(authority.certificate()));
    gate = new TlsGate("tills of pharmacy " + config.siteId(), context,
        new InetSocketAddress(config.tills().host(), config.tills().port()), new InetSocketAddress("127.0.0.1", loopbackPort),
        new TillGatekeeper(), Duration.ofSeconds(5), 256);
    gate.start();
  }

  /** The result of {@link #pair}: the bundle for the till and the one-time password to read it, shown once. */
  public record Pairing(String till, Path bundle, String oneTimePassword) {
  }

  /**
   * Pairs a new till: a key and certificate for it, written as a bundle under a one-time password. The till installs it
   * with {@code ./apotheca client --till <node> --pair <bundle>}; until then the bundle is the till's only copy.
   */
  public Pairing pair(String tillName) {
    MachineIdentity who = MachineIdentity.till(config.siteId(), tillName);
    if (authority.revocation(who).isPresent()) {
      authority.reinstate(who); // pairing again after an unpairing: the old certificate stays refused
    }
    KeyMaterial material = authority.issueKeyMaterial(who, TILL_VALIDITY);
    String password = Enrollment.newOneTimePassword();
    Path bundle = config.secretsDir().resolve("till-bundles").resolve(tillName + ".p12");
    try {
      Files.createDirectories(bundle.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + bundle.getParent() + ": " + e.getMessage(), e);
    }
    Enrollment.write(bundle, material, password);
    LOG.info(() -> "Paired till " + who.id() + ": bundle written to " + bundle);
    return new Pairing(tillName, bundle, password);
  }

  /** Unpairs a till: refused from now on, its open link closed. @return the number of links closed */
  public synchronized int revoke(String tillName, String reason) {
    MachineIdentity who = MachineIdentity.till(config.siteId(), tillName);
    authority.revoke(who, reason);
    int closed = gate == null ? 0 : gate.closeTunnels(who::equals);
    LOG.warning("Unpaired till " + who.id() + " (" + reason + "): " + closed + " open link(s) closed");
    return closed;
  }

  /** The authority's certificate: what a paired till trusts the node by. */
  X509Certificate authorityCertificate() {
    return authority.certificate();
  }

  private KeyMaterial serverKey() {
    Path p12 = config.secretsDir().resolve("till-server.p12");
    if (Files.exists(p12)) {
      KeyMaterial existing = KeyMaterial.load(p12, password());
      if (clock.instant().isBefore(existing.chain()[0].getNotAfter().toInstant().minus(Duration.ofDays(30)))) {
        return existing;
      }
    }
    KeyMaterial fresh = authority.issueKeyMaterial(MachineIdentity.tillServer(config.siteId()), TILL_VALIDITY);
    fresh.save(p12, password());
    return fresh;
  }

  private char[] password() {
    Path pass = config.secretsDir().resolve(NodeIdentity.PASSWORD);
    if (!Files.exists(pass)) {
      SecretFiles.write(pass, new String(SecretFiles.newPassword()).getBytes(StandardCharsets.UTF_8));
    }
    return new String(SecretFiles.read(pass), StandardCharsets.UTF_8).toCharArray();
  }

  static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  @Override
  public synchronized void close() {
    if (gate != null) {
      gate.close();
      gate = null;
    }
  }

  private final class TillGatekeeper implements Gatekeeper {
    @Override
    public Object admit(X509Certificate peer, InetSocketAddress from, String verb) throws Refusal {
      MachineIdentity who;
      try {
        who = MachineIdentity.of(peer);
      } catch (IllegalArgumentException e) {
        throw new Refusal("UNKNOWN", "this certificate does not name a till of this pharmacy");
      }
      if (who.kind() != MachineIdentity.Kind.TILL || !who.id().startsWith(config.siteId() + "/")) {
        throw new Refusal("NOT_ALLOWED", "a " + who + " certificate is not a till of pharmacy " + config.siteId());
      }
      if (authority.isRevoked(peer)) {
        throw new Refusal("REVOKED", "this till was unpaired from the pharmacy node: pair it again (docs/security.md)");
      }
      Instant now = clock.instant();
      if (now.isAfter(peer.getNotAfter().toInstant())) {
        throw new Refusal("EXPIRED", "this till's certificate expired on " + DAY.format(peer.getNotAfter().toInstant())
            + ": pair it again");
      }
      return who;
    }
  }

  Optional<TlsGate> gate() {
    return Optional.ofNullable(gate);
  }
}
