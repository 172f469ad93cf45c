package org.apotheca.sync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;

import org.apotheca.security.pki.CertificateAuthority;
import org.apotheca.security.pki.Enrollment;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.security.pki.SecretFiles;
import org.apotheca.security.tls.AuthorityGatekeeper;
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

  private KeyMaterial serverKey() {
    return authority.serverKey(MachineIdentity.tillServer(config.siteId()), config.secretsDir().resolve("till-server.p12"),
        password(), TILL_VALIDITY, Duration.ofDays(30));
  }

  private char[] password() {
    return SecretFiles.passwordIn(config.secretsDir().resolve(NodeIdentity.PASSWORD));
  }

  @Override
  public synchronized void close() {
    if (gate != null) {
      gate.close();
      gate = null;
    }
  }

  /** Tills of this pharmacy with a current certificate of the node's authority, not unpaired since. */
  private final class TillGatekeeper extends AuthorityGatekeeper {
    TillGatekeeper() {
      super(authority, Set.of(MachineIdentity.Kind.TILL), clock);
    }

    @Override
    protected String revokedSentence(MachineIdentity who, String when) {
      return "this till was unpaired from the pharmacy node" + when + ": pair it again (docs/security.md)";
    }

    @Override
    protected Object admitMachine(MachineIdentity who) throws Refusal {
      if (!who.siteId().orElse("").equals(config.siteId())) {
        throw new Refusal("NOT_ALLOWED", "this till belongs to pharmacy " + who.siteId().orElse("?") + ", not " + config.siteId());
      }
      return who;
    }
  }
}
