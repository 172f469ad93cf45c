package org.apotheca.security.tests.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apotheca.security.pki.CertificateAuthority;
import org.apotheca.security.pki.Enrollment;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.security.pki.SecretFiles;
import org.apotheca.security.pki.WrongPasswordException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentTest {

  private static final MachineIdentity SITE = MachineIdentity.site("0007");

  @TempDir
  Path tmp;

  @Test
  void oneTimePasswordsAreFiveGroupsOfFourWithoutLookAlikes() {
    Pattern shape = Pattern.compile("[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){4}");
    String first = Enrollment.newOneTimePassword();
    for (int i = 0; i < 200; i++) {
      String p = Enrollment.newOneTimePassword();
      assertTrue(shape.matcher(p).matches(), p);
    }
    assertNotEquals(first, Enrollment.newOneTimePassword());
  }

  @Test
  void roundTripWithThePasswordTypedLoosely() {
    CertificateAuthority ca = CertificateAuthority.createOrOpen(tmp.resolve("ca"), "Apotheca CA");
    KeyMaterial material = ca.issueKeyMaterial(SITE, Duration.ofDays(365));
    String password = Enrollment.newOneTimePassword();
    Path bundle = tmp.resolve("0007.enroll");
    Enrollment.write(bundle, material, password);
    assertTrue(SecretFiles.isOwnerOnly(bundle));

    String typed = password.replace("-", "").toLowerCase(Locale.ROOT);
    KeyMaterial read = Enrollment.read(bundle, " " + typed.substring(0, 10) + " " + typed.substring(10));
    assertEquals(material, read);
    assertEquals(SITE, read.identity());
  }

  @Test
  void plainMessagesForAWrongPasswordGarbageAndAnExpiredBundle() throws Exception {
    CertificateAuthority ca = CertificateAuthority.createOrOpen(tmp.resolve("ca"), "Apotheca CA");
    KeyMaterial material = ca.issueKeyMaterial(SITE, Duration.ofDays(365));
    String password = Enrollment.newOneTimePassword();
    Path bundle = tmp.resolve("0007.enroll");
    Enrollment.write(bundle, material, password);

    String wrong = password.charAt(0) == 'A' ? "B" + password.substring(1) : "A" + password.substring(1);
    assertEquals("the enrollment password is wrong",
        assertThrows(WrongPasswordException.class, () -> Enrollment.read(bundle, wrong)).getMessage());

    Path garbage = tmp.resolve("holiday.jpg");
    Files.write(garbage, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'});
    assertEquals(garbage + " is not an Apotheca enrollment bundle",
        assertThrows(IllegalArgumentException.class, () -> Enrollment.read(garbage, password)).getMessage());

    // the CA's own key material is an intact keystore, but no machine's
    KeyMaterial caMaterial = KeyMaterial.load(tmp.resolve("ca/ca.p12"),
        new String(SecretFiles.read(tmp.resolve("ca/ca.pass")), StandardCharsets.UTF_8).toCharArray());
    Path caBundle = tmp.resolve("ca.enroll");
    Enrollment.write(caBundle, caMaterial, password);
    assertEquals(caBundle + " is not an Apotheca enrollment bundle",
        assertThrows(IllegalArgumentException.class, () -> Enrollment.read(caBundle, password)).getMessage());

    Instant now = Instant.now();
    KeyMaterial old = new KeyMaterial(material.key(), new X509Certificate[] {
        ca.issue(MachineIdentity.site("0008"), material.certificate().getPublicKey(),
            Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2021-02-03T12:00:00Z")),
        ca.certificate()}, ca.certificate());
    Path expired = tmp.resolve("0008.enroll");
    Enrollment.write(expired, old, password);
    assertEquals("this bundle's certificate expired on 2021-02-03",
        assertThrows(IllegalArgumentException.class, () -> Enrollment.read(expired, password)).getMessage());

    Clock wrongClock = Clock.fixed(now.minus(Duration.ofDays(3)), ZoneOffset.UTC);
    IllegalArgumentException early = assertThrows(IllegalArgumentException.class,
        () -> Enrollment.read(bundle, password, wrongClock));
    assertTrue(early.getMessage().endsWith("check this computer's date and time"), early.getMessage());
  }

  @Test
  void refusesToWriteUnderAWeakPassword() {
    CertificateAuthority ca = CertificateAuthority.createOrOpen(tmp.resolve("ca"), "Apotheca CA");
    KeyMaterial material = ca.issueKeyMaterial(SITE, Duration.ofDays(1));
    assertThrows(IllegalArgumentException.class, () -> Enrollment.write(tmp.resolve("b"), material, "password"));
    assertThrows(IllegalArgumentException.class,
        () -> Enrollment.write(tmp.resolve("b"), material, "0000-0000-0000-0000-0000"));
    assertTrue(Files.notExists(tmp.resolve("b")));
  }
}
