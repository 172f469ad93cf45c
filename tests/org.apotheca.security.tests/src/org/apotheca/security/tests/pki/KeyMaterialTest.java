package org.apotheca.security.tests.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import org.apotheca.security.pki.CertificateAuthority;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.security.pki.WrongPasswordException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyMaterialTest {

  private static final char[] PASSWORD = "s3cret-keystore".toCharArray();

  @TempDir
  Path tmp;

  private CertificateAuthority ca;
  private KeyMaterial till;

  @BeforeEach
  void issue() {
    ca = CertificateAuthority.createOrOpen(tmp.resolve("ca"), "Pharmacy 0001 tills");
    till = ca.issueKeyMaterial(MachineIdentity.till("0001", "till-2"), Duration.ofDays(30));
  }

  @Test
  void savesAndLoadsThePkcs12Layout() throws Exception {
    Path p12 = tmp.resolve("till.p12");
    till.save(p12, PASSWORD);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p12)));

    KeyMaterial loaded = KeyMaterial.load(p12, PASSWORD);
    assertEquals(till, loaded);
    assertEquals(MachineIdentity.till("0001", "till-2"), loaded.identity());
    assertArrayEquals(new X509Certificate[] {till.certificate(), ca.certificate()}, loaded.chain());
    assertEquals(ca.certificate(), loaded.trustAnchor());

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(p12)) {
      store.load(in, PASSWORD);
    }
    assertEquals(List.of("apotheca", "apotheca-ca"), Collections.list(store.aliases()).stream().sorted().toList());
    assertTrue(store.isKeyEntry("apotheca"));
    assertTrue(store.isCertificateEntry("apotheca-ca"));

    KeyStore trust = till.trustStore();
    assertEquals(List.of("apotheca-ca"), Collections.list(trust.aliases()));
    assertFalse(trust.isKeyEntry("apotheca-ca"));
  }

  @Test
  void saysWhatIsWrongWithAFile() throws Exception {
    Path p12 = tmp.resolve("till.p12");
    till.save(p12, PASSWORD);
    WrongPasswordException wrong = assertThrows(WrongPasswordException.class,
        () -> KeyMaterial.load(p12, "s3cret-keystorE".toCharArray()));
    assertEquals("wrong password for " + p12, wrong.getMessage());

    Path garbage = tmp.resolve("garbage.p12");
    Files.write(garbage, "-----BEGIN CERTIFICATE-----\nnot really\n".getBytes());
    IllegalArgumentException notP12 = assertThrows(IllegalArgumentException.class,
        () -> KeyMaterial.load(garbage, PASSWORD));
    assertEquals(garbage + " is not a PKCS12 keystore", notP12.getMessage());

    Path foreign = tmp.resolve("foreign.p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("mykey", till.key(), PASSWORD, till.chain());
    try (OutputStream out = new FileOutputStream(foreign.toFile())) {
      store.store(out, PASSWORD);
    }
    IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
        () -> KeyMaterial.load(foreign, PASSWORD));
    assertEquals(foreign + " has no Apotheca key", noKey.getMessage());

    assertThrows(java.io.UncheckedIOException.class, () -> KeyMaterial.load(tmp.resolve("absent.p12"), PASSWORD));
  }

  @Test
  void aKeyMustBeTheOneItsCertificateCertifies() {
    KeyMaterial other = ca.issueKeyMaterial(MachineIdentity.till("0001", "till-3"), Duration.ofDays(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new KeyMaterial(other.key(), till.chain(), till.trustAnchor()));
    assertTrue(e.getMessage().contains("CN=0001/till-2"), e.getMessage());
  }

  @Test
  void theChainCannotBeChangedFromOutsideAndToStringHidesTheKey() {
    X509Certificate[] chain = till.chain();
    chain[0] = ca.certificate();
    assertEquals(MachineIdentity.till("0001", "till-2"), till.identity());
    assertFalse(till.toString().contains(till.key().toString()));
    assertTrue(till.toString().contains("CN=0001/till-2"), till.toString());
  }
}
