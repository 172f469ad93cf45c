package org.apotheca.server.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;

import org.apotheca.core.SiteReport;
import org.apotheca.core.net.Endpoint;
import org.apotheca.security.pki.CertificateAuthority;
import org.apotheca.security.pki.Enrollment;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.security.pki.SecretFiles;
import org.apotheca.security.tls.AuthorityGatekeeper;
import org.apotheca.security.tls.Gatekeeper;
import org.apotheca.security.tls.Refusal;
import org.apotheca.security.tls.TlsContexts;
import org.apotheca.security.tls.TlsGate;

/**
 * Central's machine identities and its TLS front door. Central holds the certificate authority of the chain; it
 * enrolls pharmacies (a key and certificate per site, handed over as a bundle with a one-time password), renews their
 * certificates over the link itself before they expire, and revokes them. Pharmacies reach central only through the
 * {@link TlsGate}: TLS 1.3 with client certificates, in front of a Net4j TCP acceptor that listens on loopback only.
 * <p>
 * Layout of the security directory (owner-only): {@code ca/} (the authority), {@code central.p12} + {@code central.pass}
 * (central's own TLS key), {@code enrollments/} (bundles waiting to be handed over).
 */
public final class CentralSecurity implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(CentralSecurity.class.getName());

  /** How long a pharmacy's certificate is valid; nodes ask for a new one in the last {@link #RENEW_WITHIN}. */
  public static final Duration SITE_VALIDITY = Duration.ofDays(365);
  public static final Duration RENEW_WITHIN = Duration.ofDays(30);
  private static final Duration CENTRAL_VALIDITY = Duration.ofDays(2 * 365);

  private final Path dir;
  private final Clock clock;
  private final CertificateAuthority ca;
  private final Predicate<String> knownSite;
  private TlsGate gate;
  private volatile SeedSource seeds;

  /** Serves the catalogue seed's manifest and chunks to pharmacies (verb SEED, docs/offline.md). */
  public interface SeedSource {
    Gatekeeper.Reply reply(String argument) throws Refusal;
  }

  /** Who answers SEED requests from pharmacies; null: central makes no seed (refused as NO_SEED). */
  public void serveSeeds(SeedSource source) {
    seeds = source;
  }

  private volatile SiteReports siteReports;

  /**
   * Where what pharmacies say about themselves goes (the site board): their STATUS requests, and central's refusals of
   * their certificates at the gate. Called on the gate's threads.
   */
  public interface SiteReports {
    /**
     * @param siteId the pharmacy the certificate names: a report about any other is refused here
     * @return the one-line answer
     */
    String report(String siteId, String argument) throws Refusal;

    /** Central refused a certificate of this pharmacy at the gate (revoked, expired, unknown ...). */
    void refused(String siteId, String code, String sentence);
  }

  public void onSiteReports(SiteReports reports) {
    this.siteReports = reports;
  }

  /** @param knownSite whether central has a repository for this site id */
  public CentralSecurity(Path dir, Predicate<String> knownSite, Clock clock) {
    this.dir = dir;
    this.clock = clock;
    this.knownSite = knownSite;
    SecretFiles.createOwnerOnlyDirectories(dir);
    this.ca = CertificateAuthority.createOrOpen(dir.resolve("ca"), "Apotheca central authority", clock);
  }

  public CertificateAuthority authority() {
    return ca;
  }

  /**
   * Opens the TLS gate on {@code publicEndpoint} in front of the loopback acceptor on {@code loopbackPort}.
   *
   * @return the gate's identity lookup for {@link SessionGate}
   */
  public synchronized TlsGate openGate(Endpoint publicEndpoint, int loopbackPort) throws IOException {
    SSLContext context = TlsContexts.create(centralKey().keyStore(keyPassword()), keyPassword(), ca.certificate(),
        TlsContexts.signedBy(ca.certificate()));
    gate = new TlsGate("central", context, new InetSocketAddress(publicEndpoint.host(), publicEndpoint.port()),
        new InetSocketAddress("127.0.0.1", loopbackPort), new SiteGatekeeper(), Duration.ofSeconds(5), 512);
    return gate.start();
  }

  public synchronized Optional<Object> identityOf(int loopbackPort) {
    return gate == null ? Optional.empty() : gate.identityOfTargetConnection(loopbackPort);
  }

  public synchronized TlsGate gate() {
    return gate;
  }

  /**
   * A new key and certificate for a pharmacy. The key is made here and leaves central only inside an enrollment bundle
   * under a one-time password (or, for tests and the demo, straight into the node's secrets directory).
   */
  public KeyMaterial issueSite(String siteId) {
    MachineIdentity who = MachineIdentity.site(siteId);
    if (ca.revocation(who).isPresent()) {
      ca.reinstate(who); // re-enrolling a revoked pharmacy (a new PC after a theft): its old certificates stay revoked
    }
    return ca.issueKeyMaterial(who, SITE_VALIDITY);
  }

  /** A key and certificate for one of central's own tools (reports, imports, tests): they may open every repository. */
  public KeyMaterial issueStaffTool(String name) {
    return ca.issueKeyMaterial(MachineIdentity.staffTool(name), SITE_VALIDITY);
  }

  /** The result of {@link #enroll}: where the bundle is and the password to read it, shown to the operator once. */
  public record EnrollmentBundle(String siteId, Path file, String oneTimePassword, Instant validUntil) {
  }

  public EnrollmentBundle enroll(String siteId, Path out) {
    KeyMaterial material = issueSite(siteId);
    String password = Enrollment.newOneTimePassword();
    Path file = out != null ? out : dir.resolve("enrollments").resolve("site-" + siteId + ".p12");
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + file.getParent() + ": " + e.getMessage(), e);
    }
    Enrollment.write(file, material, password);
    // Issued right after a revocation, the certificate begins the second after it (so that the CA can tell it from the
    // revoked ones): hand the bundle out only once it is valid, or a node installing it at once is told to check its clock.
    long early = material.chain()[0].getNotBefore().getTime() - clock.millis();
    if (early > 0 && early <= 2_000) {
      try {
        Thread.sleep(early + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    LOG.info(() -> "Enrolled pharmacy " + siteId + ": bundle written to " + file);
    return new EnrollmentBundle(siteId, file, password, material.chain()[0].getNotAfter().toInstant());
  }

  /**
   * Revokes a pharmacy: refused from now on, and its open links closed at once (its node carries on selling offline
   * and shows why).
   *
   * @return how many open links were closed
   */
  public int revoke(String siteId, String reason) {
    ca.revoke(MachineIdentity.site(siteId), reason);
    int closed;
    synchronized (this) {
      closed = gate == null ? 0 : gate.closeTunnels(identity -> identity instanceof Principal p
          && p.kind() == Principal.Kind.SITE && p.name().equals(siteId));
    }
    LOG.warning("Revoked pharmacy " + siteId + " (" + reason + "): " + closed + " open link(s) closed");
    return closed;
  }

  private KeyMaterial centralKey() {
    return ca.serverKey(MachineIdentity.central("central"), dir.resolve("central.p12"), keyPassword(), CENTRAL_VALIDITY, RENEW_WITHIN);
  }

  private char[] keyPassword() {
    return SecretFiles.passwordIn(dir.resolve("central.pass"));
  }

  @Override
  public synchronized void close() {
    if (gate != null) {
      gate.close();
      gate = null;
    }
  }

  /** Who may come in: pharmacies with a current, unrevoked certificate of ours for a site we host, and staff tools. */
  private final class SiteGatekeeper extends AuthorityGatekeeper {
    SiteGatekeeper() {
      super(ca, Set.of(MachineIdentity.Kind.SITE, MachineIdentity.Kind.STAFF_TOOL), clock);
    }

    @Override
    protected String revokedSentence(MachineIdentity who, String when) {
      return "central revoked " + (who.kind() == MachineIdentity.Kind.SITE ? "pharmacy " + who.id() : who.toString())
          + "'s certificate" + when + ": this computer may not sync any more. Call central support.";
    }

    @Override
    protected void refused(MachineIdentity who, Refusal refusal) {
      SiteReports reports = siteReports;
      if (reports != null && who.kind() == MachineIdentity.Kind.SITE) {
        try {
          reports.refused(who.id(), refusal.code(), refusal.getMessage());
        } catch (RuntimeException e) {
          LOG.log(java.util.logging.Level.WARNING, "The site board could not record a refusal of pharmacy " + who.id(), e);
        }
      }
    }

    @Override
    public boolean routine(String verb) {
      return SiteReport.VERB.equals(verb); // a status report every 30 s from every pharmacy: not worth a log line
    }

    @Override
    protected Object admitMachine(MachineIdentity who) throws Refusal {
      if (who.kind() == MachineIdentity.Kind.STAFF_TOOL) {
        return new Principal(Principal.Kind.STAFF, who.id());
      }
      if (!knownSite.test(who.id())) {
        throw new Refusal("UNKNOWN", "central has no pharmacy " + who.id());
      }
      return Principal.site(who.id());
    }

    @Override
    public Gatekeeper.Reply reply(Object identity, String verb, String argument) throws Refusal {
      if ("SEED".equals(verb)) {
        if (!(identity instanceof Principal p) || p.kind() != Principal.Kind.SITE) {
          throw new Refusal("NOT_ALLOWED", "only pharmacies download the catalogue seed");
        }
        SeedSource source = seeds;
        if (source == null) {
          return Gatekeeper.Reply.line("NO_SEED central makes no catalogue seed"); // not a refusal: nothing is wrong
        }
        return source.reply(argument);
      }
      return super.reply(identity, verb, argument);
    }

    @Override
    public String answer(Object identity, String verb, String argument) throws Refusal {
      SiteReports reports = siteReports;
      if (SiteReport.VERB.equals(verb) && identity instanceof Principal p && p.kind() == Principal.Kind.SITE && reports != null) {
        return reports.report(p.name(), argument);
      }
      if (!"RENEW".equals(verb) || !(identity instanceof Principal p) || p.kind() != Principal.Kind.SITE) {
        throw new Refusal("BAD_REQUEST", "unknown request");
      }
      PublicKey key;
      try {
        byte[] encoded = Base64.getDecoder().decode(argument == null ? "" : argument.trim());
        key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(encoded));
      } catch (Exception e) {
        throw new Refusal("BAD_REQUEST", "the renewal request carries no usable public key");
      }
      X509Certificate cert = ca.issue(MachineIdentity.site(p.name()), key, SITE_VALIDITY);
      LOG.info(() -> "Renewed pharmacy " + p.name() + "'s certificate until " + cert.getNotAfter().toInstant().toString().substring(0, 10));
      try {
        return "CERT " + Base64.getEncoder().encodeToString(cert.getEncoded());
      } catch (CertificateEncodingException e) {
        throw new Refusal("UNAVAILABLE", "central could not encode the new certificate");
      }
    }
  }
}
