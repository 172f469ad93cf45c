package org.apotheca.security.pki;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

/**
 * A small certificate authority of our own, kept in one owner-only directory:
 * <ul>
 * <li>{@code ca.p12}: the CA's key and certificate (PKCS12), under the password in {@code ca.pass};</li>
 * <li>{@code ca.pass}: that password, random, owner-only;</li>
 * <li>{@code ca.pem}: the CA certificate, readable by all (it is what peers trust);</li>
 * <li>{@code revoked.txt}: revoked identities (see {@link #revoke});</li>
 * <li>{@code issued.txt}: an append-only ledger of the certificates issued (see {@link #issuedTo}).</li>
 * </ul>
 * Central runs one, issuing to its own TLS endpoint, pharmacy nodes and staff tools; each pharmacy node runs another
 * for the tills on its LAN. Its certificate lives 20 years and may sign only machine certificates (path length 0).
 * <p>
 * Revocation is by identity, not by certificate: {@link #revoke} revokes every certificate the identity was issued
 * until that moment and stops the CA issuing to it; {@link #reinstate} lets it issue to the identity again (a
 * pharmacy enrolled anew) but never brings back a certificate from before the revocation, which may be on a stolen
 * disk.
 * <p>
 * Issuing and revoking are synchronized; files are replaced atomically. Two processes must not open the same
 * directory at once.
 */
public final class CertificateAuthority {

  /** Tolerated difference between our clock and a peer's: a certificate is valid from this long before issue. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private static final Duration LIFETIME = Duration.ofDays(20 * 365);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9 ._-]{0,62}[A-Za-z0-9])?");

  private final Path dir;
  private final Clock clock;
  private final KeyMaterial material;
  private final CertificateWriter.Issuer issuer;
  private final RevocationList revocations;
  private final Ledger ledger;

  private CertificateAuthority(Path dir, Clock clock, KeyMaterial material) {
    this.dir = dir;
    this.clock = clock;
    this.material = material;
    X509Certificate certificate = material.certificate();
    this.issuer = new CertificateWriter.Issuer(certificate.getSubjectX500Principal(), material.key(),
        certificate.getPublicKey());
    this.revocations = RevocationList.load(dir.resolve("revoked.txt"));
    this.ledger = new Ledger(dir.resolve("issued.txt"));
  }

  public static CertificateAuthority createOrOpen(Path dir, String name) {
    return createOrOpen(dir, name, Clock.systemUTC());
  }

  /**
   * Opens the CA in {@code dir}, creating the directory (owner-only), key and certificate if there is no
   * {@code ca.p12} yet. {@code name} becomes the CA certificate's CN ({@code CN=<name>,OU=ca,O=Apotheca}) when the CA
   * is created; an existing CA keeps its name. {@code clock} tells the time for validity and revocations.
   *
   * @throws IllegalArgumentException for a name with other than letters, digits, spaces, '.', '-' and '_'
   * @throws IllegalStateException when {@code dir} holds something that is not a CA of ours
   */
  public static CertificateAuthority createOrOpen(Path dir, String name, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("A CA name is 1 to 64 letters, digits, spaces, '.', '-' and '_', beginning "
          + "and ending with a letter or digit, not \"" + name + "\".");
    }
    SecretFiles.createOwnerOnlyDirectories(dir);
    Path p12 = dir.resolve("ca.p12");
    Path pass = dir.resolve("ca.pass");
    if (Files.exists(p12)) {
      if (!Files.exists(pass)) {
        throw new IllegalStateException(dir + " has a CA key (ca.p12) but not its password (ca.pass)");
      }
      KeyMaterial material;
      try {
        material = KeyMaterial.load(p12, new String(SecretFiles.read(pass), StandardCharsets.UTF_8).toCharArray());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("cannot open the CA in " + dir + ": " + e.getMessage(), e);
      }
      if (material.certificate().getBasicConstraints() < 0) {
        throw new IllegalStateException(p12 + " holds a certificate that is not a CA's");
      }
      return new CertificateAuthority(dir, clock, material);
    }
    return new CertificateAuthority(dir, clock, create(dir, name, clock.instant()));
  }

  private static KeyMaterial create(Path dir, String name, Instant now) {
    KeyPair keys = KeyMaterial.newKeyPair();
    X500Principal subject = new X500Principal("CN=" + name + ",OU=ca,O=Apotheca");
    X509Certificate certificate = CertificateWriter.authority(
        new CertificateWriter.Issuer(subject, keys.getPrivate(), keys.getPublic()), now.minus(CLOCK_SKEW),
        now.plus(LIFETIME));
    KeyMaterial material = new KeyMaterial(keys.getPrivate(), new X509Certificate[] {certificate}, certificate);
    // the password first: a crash between the two leaves no key without its password, just a CA created again
    char[] password = SecretFiles.newPassword();
    SecretFiles.write(dir.resolve("ca.pass"), new String(password).getBytes(StandardCharsets.UTF_8));
    material.save(dir.resolve("ca.p12"), password);
    SecretFiles.writePublic(dir.resolve("ca.pem"), pem(certificate).getBytes(StandardCharsets.US_ASCII));
    return material;
  }

  /** The CA's own (self-signed) certificate, which every peer trusts. */
  public X509Certificate certificate() {
    return material.certificate();
  }

  /** The directory the CA lives in. */
  public Path directory() {
    return dir;
  }

  /**
   * A certificate for {@code who}'s {@code key}, valid from {@link #CLOCK_SKEW} ago for {@code validity} from now.
   * After a lifted revocation it is valid from no earlier than the revocation, so it is not revoked itself.
   *
   * @throws IllegalStateException when {@code who} is revoked
   * @throws IllegalArgumentException when it would outlive the CA certificate
   */
  public synchronized X509Certificate issue(MachineIdentity who, PublicKey key, Duration validity) {
    Instant now = clock.instant();
    Instant notBefore = now.minus(CLOCK_SKEW);
    Optional<Instant> revoked = revocations.lastRevoked(who);
    if (revoked.isPresent()) {
      // the certificate holds whole seconds; round up so it does not start before the revocation
      Instant after = revoked.get().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
      notBefore = notBefore.isBefore(after) ? after : notBefore;
    }
    return issue(who, key, notBefore, now.plus(validity));
  }

  /**
   * A certificate for {@code who}'s {@code key}, valid from {@code notBefore} to {@code notAfter} (whole seconds),
   * recorded in the ledger.
   *
   * @throws IllegalStateException when {@code who} is revoked
   * @throws IllegalArgumentException when {@code notAfter} is not after {@code notBefore}, the certificate would begin
   *           more than {@link #CLOCK_SKEW} from now, outlive the CA certificate, or begin before {@code who}'s last
   *           revocation (and so be revoked)
   */
  public synchronized X509Certificate issue(MachineIdentity who, PublicKey key, Instant notBefore, Instant notAfter) {
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(key, "key");
    Optional<Revocation> revocation = revocations.inForce(who);
    if (revocation.isPresent()) {
      throw new IllegalStateException(who + " is revoked since " + revocation.get().at() + " ("
          + revocation.get().reason() + "): reinstate it before issuing it a certificate");
    }
    Instant from = notBefore.truncatedTo(ChronoUnit.SECONDS);
    Instant until = notAfter.truncatedTo(ChronoUnit.SECONDS);
    if (!until.isAfter(from)) {
      throw new IllegalArgumentException("A certificate must end after it begins: " + from + " to " + until + ".");
    }
    Instant latest = clock.instant().plus(CLOCK_SKEW);
    if (from.isAfter(latest)) {
      // it would escape a revocation made before it begins (see isRevoked)
      throw new IllegalArgumentException("A certificate cannot begin later than " + latest + ", not " + from + ".");
    }
    Instant caUntil = certificate().getNotAfter().toInstant();
    if (until.isAfter(caUntil)) {
      throw new IllegalArgumentException("A certificate until " + until + " would outlive its CA, which is valid until "
          + caUntil + ".");
    }
    Optional<Instant> revoked = revocations.lastRevoked(who);
    if (revoked.isPresent() && from.isBefore(revoked.get())) {
      throw new IllegalArgumentException("A certificate for " + who + " must begin after its revocation at "
          + revoked.get() + ", or it would be revoked itself.");
    }
    X509Certificate certificate = CertificateWriter.machine(issuer, new X500Principal(who.subjectDn()), key, from,
        until);
    ledger.record(who, certificate);
    return certificate;
  }

  /**
   * The key of one of this authority's own servers (central's TLS endpoint, a node towards its tills), kept in
   * {@code p12}: made the first time, and made anew at start once within {@code renewWithin} of its end (or when it is
   * not this authority's any more), so that a server never presents an expired certificate.
   */
  public KeyMaterial serverKey(MachineIdentity who, Path p12, char[] password, Duration validity, Duration renewWithin) {
    if (Files.exists(p12)) {
      KeyMaterial existing = KeyMaterial.load(p12, password);
      if (clock.instant().isBefore(existing.certificate().getNotAfter().toInstant().minus(renewWithin))
          && issued(existing.certificate()) && existing.identity().equals(who)) {
        return existing;
      }
    }
    KeyMaterial fresh = issueKeyMaterial(who, validity);
    fresh.save(p12, password);
    return fresh;
  }

  /** A new key pair and its certificate for {@code who}, with this CA's certificate as chain and trust anchor. */
  public KeyMaterial issueKeyMaterial(MachineIdentity who, Duration validity) {
    KeyPair keys = KeyMaterial.newKeyPair();
    X509Certificate certificate = issue(who, keys.getPublic(), validity);
    return new KeyMaterial(keys.getPrivate(), new X509Certificate[] {certificate, certificate()}, certificate());
  }

  /**
   * Whether {@code c} carries this CA's name as issuer and this CA's signature. Says nothing of its dates or
   * revocation.
   */
  public boolean issued(X509Certificate c) {
    if (!c.getIssuerX500Principal().equals(issuer.name())) {
      return false;
    }
    try {
      c.verify(issuer.publicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Revokes {@code who}: every certificate issued to it before now is revoked for good (see {@link #isRevoked}), and
   * the CA refuses to issue to it until {@link #reinstate reinstated}. Persisted at once. Revoking an identity already
   * revoked changes nothing (the first time and reason stay).
   *
   * @param reason one line for people (line breaks become spaces)
   */
  public synchronized void revoke(MachineIdentity who, String reason) {
    revocations.revoke(Objects.requireNonNull(who, "who"), Objects.requireNonNull(reason, "reason"), clock.instant());
  }

  /**
   * Lets the CA issue to {@code who} again. Certificates from before its revocation stay revoked; new ones begin after
   * it. Does nothing for an identity not revoked.
   */
  public synchronized void reinstate(MachineIdentity who) {
    revocations.reinstate(Objects.requireNonNull(who, "who"), clock.instant());
  }

  /** The revocation of {@code who} in force, if any (empty once reinstated). */
  public synchronized Optional<Revocation> revocation(MachineIdentity who) {
    return revocations.inForce(who);
  }

  /**
   * Whether {@code c} names an identity this CA has revoked, now or in the past, and begins (notBefore) before that
   * revocation. A certificate whose subject is not an Apotheca identity is not revoked by this CA; whether this CA
   * issued {@code c} at all is {@link #issued}'s question, and its dates {@code checkValidity}'s.
   */
  public synchronized boolean isRevoked(X509Certificate c) {
    MachineIdentity who;
    try {
      who = MachineIdentity.of(c);
    } catch (IllegalArgumentException notOurs) {
      return false;
    }
    Optional<Instant> revoked = revocations.lastRevoked(who);
    return revoked.isPresent() && c.getNotBefore().toInstant().isBefore(revoked.get());
  }

  /** The certificates the ledger says were issued to {@code who}, oldest first. */
  public synchronized List<IssuedCertificate> issuedTo(MachineIdentity who) {
    return ledger.issuedTo(who);
  }

  @Override
  public String toString() {
    return "certificate authority " + certificate().getSubjectX500Principal().getName() + " in " + dir;
  }

  static String pem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
    }
  }
}
