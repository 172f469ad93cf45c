package org.apotheca.security.tests.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apotheca.security.pki.CertificateAuthority;
import org.apotheca.security.pki.IssuedCertificate;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.security.pki.Revocation;
import org.apotheca.security.pki.SecretFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

  private static final MachineIdentity SITE = MachineIdentity.site("0001");

  @TempDir
  Path tmp;

  @Test
  void aLeafIsAnX509v3MachineCertificateThatPkixAccepts() throws Exception {
    CertificateAuthority ca = CertificateAuthority.createOrOpen(tmp.resolve("ca"), "Apotheca Central CA");
    KeyPair keys = KeyMaterial.newKeyPair();
    X509Certificate leaf = ca.issue(SITE, keys.getPublic(), Duration.ofDays(365));

    assertEquals(3, leaf.getVersion());
    assertEquals("SHA256withECDSA", leaf.getSigAlgName());
    assertEquals("1.2.840.10045.4.3.2", leaf.getSigAlgOID());
    assertNull(leaf.getSigAlgParams(), "ecdsa-with-SHA256 has no parameters");
    assertTrue(leaf.getSerialNumber().signum() > 0);
    assertTrue(leaf.getSerialNumber().bitLength() > 64, "random 128-bit serial");
    assertEquals(keys.getPublic(), leaf.getPublicKey());
    assertEquals("CN=0001,OU=site,O=Apotheca", leaf.getSubjectX500Principal().getName());
    assertEquals(ca.certificate().getSubjectX500Principal(), leaf.getIssuerX500Principal());
    assertEquals(SITE, MachineIdentity.of(leaf));
    leaf.verify(ca.certificate().getPublicKey());
    assertTrue(ca.issued(leaf));

    assertEquals(-1, leaf.getBasicConstraints(), "not a CA");
    assertTrue(leaf.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
    boolean[] usage = leaf.getKeyUsage();
    assertTrue(usage[0], "digitalSignature");
    assertFalse(usage[5], "not keyCertSign");
    assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), leaf.getExtendedKeyUsage());
    // the leaf's authority key id (inside [0]) is the CA's subject key id
    byte[] ski = ca.certificate().getExtensionValue("2.5.29.14");
    byte[] aki = leaf.getExtensionValue("2.5.29.35");
    byte[] caKeyId = Arrays.copyOfRange(ski, ski.length - 20, ski.length);
    assertArrayEquals(caKeyId, Arrays.copyOfRange(aki, aki.length - 20, aki.length));

    Instant now = Instant.now();
    assertTrue(leaf.getNotBefore().toInstant().isBefore(now.minus(Duration.ofMinutes(4))), "backdated for skew");
    assertTrue(leaf.getNotAfter().toInstant().isAfter(now.plus(Duration.ofDays(364))));

    // what a TLS peer does with it: a PKIX path from the leaf to the CA as trust anchor
    PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    pkix.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), pkix);
  }

  @Test
  void theCaCertificateIsASelfSignedCaForMachinesOnly() throws Exception {
    X509Certificate c = CertificateAuthority.createOrOpen(tmp.resolve("ca"), "Pharmacy 0001 tills").certificate();
    assertEquals(3, c.getVersion());
    assertEquals("CN=Pharmacy 0001 tills,OU=ca,O=Apotheca", c.getSubjectX500Principal().getName());
    assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
    c.verify(c.getPublicKey());
    assertEquals(0, c.getBasicConstraints(), "a CA, path length 0");
    boolean[] usage = c.getKeyUsage();
    assertTrue(usage[5] && usage[6], "keyCertSign and cRLSign");
    assertTrue(c.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(19 * 365))));
  }

  @Test
  void aCertificateFromAnotherCaIsNotIssuedByThisOne() {
    CertificateAuthority central = CertificateAuthority.createOrOpen(tmp.resolve("central"), "Apotheca CA");
    // same name, different key: only the signature tells them apart
    CertificateAuthority impostor = CertificateAuthority.createOrOpen(tmp.resolve("impostor"), "Apotheca CA");
    X509Certificate forged = impostor.issue(SITE, KeyMaterial.newKeyPair().getPublic(), Duration.ofDays(1));
    assertTrue(impostor.issued(forged));
    assertFalse(central.issued(forged));
    assertFalse(central.issued(impostor.certificate()));
  }

  @Test
  void explicitDatesMakeAnExpiredCertificateAndFarDatesUseGeneralizedTime() throws Exception {
    CertificateAuthority ca = CertificateAuthority.createOrOpen(tmp.resolve("ca"), "Apotheca CA");
    Instant now = Instant.now();
    X509Certificate expired = ca.issue(SITE, KeyMaterial.newKeyPair().getPublic(), now.minus(Duration.ofDays(30)),
        now.minus(Duration.ofDays(1)));
    assertTrue(ca.issued(expired));
    assertThrows(CertificateExpiredException.class, expired::checkValidity);
    PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    pkix.setRevocationEnabled(false);
    assertThrows(CertPathValidatorException.class, () -> CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(expired)), pkix));

    // a CA made in 2045 lives past 2050, where RFC 5280 switches to GeneralizedTime
    Instant in2045 = Instant.parse("2045-06-01T12:00:00Z");
    CertificateAuthority late = CertificateAuthority.createOrOpen(tmp.resolve("late"), "Late CA",
        new MutableClock(in2045));
    Instant in2055 = Instant.parse("2055-01-31T23:59:59Z");
    X509Certificate far = late.issue(SITE, KeyMaterial.newKeyPair().getPublic(), in2045, in2055);
    assertEquals(Date.from(in2045), far.getNotBefore());
    assertEquals(Date.from(in2055), far.getNotAfter());
    far.checkValidity(Date.from(Instant.parse("2050-01-01T00:00:00Z")));
  }

  @Test
  void refusesDatesThatMakeNoSense() {
    CertificateAuthority ca = CertificateAuthority.createOrOpen(tmp.resolve("ca"), "Apotheca CA");
    Instant now = Instant.now();
    var key = KeyMaterial.newKeyPair().getPublic();
    assertThrows(IllegalArgumentException.class, () -> ca.issue(SITE, key, now, now));
    assertThrows(IllegalArgumentException.class, () -> ca.issue(SITE, key, now.plus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(2))), "begins in the future");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ca.issue(SITE, key, Duration.ofDays(30 * 365)));
    assertTrue(e.getMessage().contains("would outlive its CA"), e.getMessage());
  }

  @Test
  void reopeningGivesTheSameCaAndKeepsItsFilesOwnerOnly() throws Exception {
    Path dir = tmp.resolve("ca");
    CertificateAuthority ca = CertificateAuthority.createOrOpen(dir, "Apotheca CA");
    X509Certificate leaf = ca.issue(SITE, KeyMaterial.newKeyPair().getPublic(), Duration.ofDays(1));

    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    for (String secret : List.of("ca.p12", "ca.pass", "issued.txt")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(secret))),
          secret);
    }
    assertFalse(SecretFiles.isOwnerOnly(dir.resolve("ca.pem")), "the CA certificate is public");
    X509Certificate pem = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(Files.newInputStream(dir.resolve("ca.pem")));
    assertEquals(ca.certificate(), pem);

    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    CertificateAuthority reopened = CertificateAuthority.createOrOpen(dir, "another name is ignored");
    assertEquals(ca.certificate(), reopened.certificate());
    assertTrue(reopened.issued(leaf));
    assertTrue(SecretFiles.isOwnerOnly(dir), "reopening tightens the directory again");
    try (var listing = Files.list(dir)) {
      assertEquals(Set.of("ca.p12", "ca.pass", "ca.pem", "issued.txt"),
          Set.copyOf(listing.map(p -> p.getFileName().toString()).toList()), "no temporary files left behind");
    }
  }

  @Test
  void aCaKeyWithoutItsPasswordIsRefused() throws Exception {
    Path dir = tmp.resolve("ca");
    CertificateAuthority.createOrOpen(dir, "Apotheca CA");
    Files.delete(dir.resolve("ca.pass"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> CertificateAuthority.createOrOpen(dir, "Apotheca CA"));
    assertTrue(e.getMessage().contains("not its password"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CertificateAuthority.createOrOpen(tmp.resolve("x"), "CA,OU=x"));
  }

  @Test
  void revocationIsByIdentityPersistsAndIsIdempotent() {
    Path dir = tmp.resolve("ca");
    MutableClock clock = new MutableClock(Instant.parse("2030-03-01T10:00:00Z"));
    CertificateAuthority ca = CertificateAuthority.createOrOpen(dir, "Apotheca CA", clock);
    var key = KeyMaterial.newKeyPair().getPublic();
    X509Certificate first = ca.issue(SITE, key, Duration.ofDays(365));
    X509Certificate other = ca.issue(MachineIdentity.site("0002"), key, Duration.ofDays(365));
    assertFalse(ca.isRevoked(first));

    clock.advance(Duration.ofHours(1));
    ca.revoke(SITE, "laptop stolen\nfrom the back office");
    Instant revokedAt = clock.instant();
    clock.advance(Duration.ofHours(1));
    ca.revoke(SITE, "again");
    assertEquals(Optional.of(new Revocation(SITE, revokedAt, "laptop stolen from the back office")),
        ca.revocation(SITE), "the first revocation stands");
    assertTrue(ca.isRevoked(first));
    assertFalse(ca.isRevoked(other));
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> ca.issue(SITE, key, Duration.ofDays(1)));
    assertTrue(refused.getMessage().startsWith("site 0001 is revoked"), refused.getMessage());

    CertificateAuthority reopened = CertificateAuthority.createOrOpen(dir, "Apotheca CA", clock);
    assertTrue(reopened.isRevoked(first));
    assertEquals(revokedAt, reopened.revocation(SITE).orElseThrow().at());
    assertTrue(SecretFiles.isOwnerOnly(dir.resolve("revoked.txt")));
  }

  @Test
  void reinstatingLetsTheCaIssueAgainButTheOldCertificatesStayRevoked() {
    Path dir = tmp.resolve("ca");
    MutableClock clock = new MutableClock(Instant.parse("2030-03-01T10:00:00Z"));
    CertificateAuthority ca = CertificateAuthority.createOrOpen(dir, "Apotheca CA", clock);
    var key = KeyMaterial.newKeyPair().getPublic();
    X509Certificate stolen = ca.issue(SITE, key, Duration.ofDays(365));
    ca.revoke(SITE, "stolen");
    // no time passes: the new certificate must still begin after the revocation, not 5 minutes before it
    ca.reinstate(SITE);
    assertEquals(Optional.empty(), ca.revocation(SITE));
    X509Certificate fresh = ca.issue(SITE, key, Duration.ofDays(365));
    assertFalse(ca.isRevoked(fresh));
    assertTrue(ca.isRevoked(stolen));
    assertThrows(IllegalArgumentException.class, () -> ca.issue(SITE, key, clock.instant().minusSeconds(60),
        clock.instant().plus(Duration.ofDays(1))), "would begin before the revocation");

    CertificateAuthority reopened = CertificateAuthority.createOrOpen(dir, "Apotheca CA", clock);
    assertTrue(reopened.isRevoked(stolen));
    assertFalse(reopened.isRevoked(fresh));
    assertEquals(Optional.empty(), reopened.revocation(SITE));
  }

  @Test
  void theLedgerListsWhatWasIssuedToWhom() {
    Path dir = tmp.resolve("ca");
    CertificateAuthority ca = CertificateAuthority.createOrOpen(dir, "Apotheca CA");
    var key = KeyMaterial.newKeyPair().getPublic();
    X509Certificate a = ca.issue(SITE, key, Duration.ofDays(1));
    ca.issue(MachineIdentity.till("0001", "till-1"), key, Duration.ofDays(1));
    X509Certificate b = ca.issue(SITE, key, Duration.ofDays(2));

    List<IssuedCertificate> issued = CertificateAuthority.createOrOpen(dir, "Apotheca CA").issuedTo(SITE);
    assertEquals(List.of(a.getSerialNumber().toString(16), b.getSerialNumber().toString(16)),
        issued.stream().map(IssuedCertificate::serial).toList());
    assertEquals(new IssuedCertificate(b.getSerialNumber().toString(16), SITE, b.getNotBefore().toInstant(),
        b.getNotAfter().toInstant()), issued.get(1));
    assertEquals(List.of(), ca.issuedTo(MachineIdentity.site("0009")));
  }

  @Test
  void aServerKeyIsKeptUntilItsLastDaysThenMadeAnew() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    CertificateAuthority ca = CertificateAuthority.createOrOpen(tmp.resolve("ca"), "Apotheca Central CA", clock);
    Path p12 = tmp.resolve("server.p12");
    char[] password = SecretFiles.passwordIn(tmp.resolve("server.pass"));
    assertArrayEquals(password, SecretFiles.passwordIn(tmp.resolve("server.pass")), "the password file is made once");
    assertTrue(SecretFiles.isOwnerOnly(tmp.resolve("server.pass")));
    MachineIdentity central = MachineIdentity.central("central");

    KeyMaterial first = ca.serverKey(central, p12, password, Duration.ofDays(100), Duration.ofDays(30));
    assertEquals(central, first.identity());
    assertTrue(SecretFiles.isOwnerOnly(p12));
    clock.advance(Duration.ofDays(60));
    assertEquals(first, ca.serverKey(central, p12, password, Duration.ofDays(100), Duration.ofDays(30)), "kept with 40 days left");
    clock.advance(Duration.ofDays(15));
    KeyMaterial renewed = ca.serverKey(central, p12, password, Duration.ofDays(100), Duration.ofDays(30));
    assertFalse(renewed.key().equals(first.key()), "made anew with 25 days left");
    assertTrue(renewed.certificate().getNotAfter().after(first.certificate().getNotAfter()));
    assertEquals(renewed, KeyMaterial.load(p12, password), "and stored");
  }
}
