package org.apotheca.security.tests.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;

import org.apotheca.security.pki.CertificateAuthority;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.security.pki.MachineIdentity.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MachineIdentityTest {

  @Test
  void factoriesSubjectsAndPlainWords() {
    assertEquals("CN=0001,OU=site,O=Apotheca", MachineIdentity.site("0001").subjectDn());
    assertEquals("CN=0001/till-2,OU=till,O=Apotheca", MachineIdentity.till("0001", "till-2").subjectDn());
    assertEquals("CN=0001,OU=till_server,O=Apotheca", MachineIdentity.tillServer("0001").subjectDn());
    assertEquals("CN=central,OU=central,O=Apotheca", MachineIdentity.central("central").subjectDn());
    assertEquals("CN=anna-laptop,OU=staff_tool,O=Apotheca", MachineIdentity.staffTool("anna-laptop").subjectDn());

    assertEquals("site 0001", MachineIdentity.site("0001").toString());
    assertEquals("central (central)", MachineIdentity.central("central").toString());
    assertEquals("till 0001/till-2", MachineIdentity.till("0001", "till-2").toString());

    assertEquals(Optional.of("0001"), MachineIdentity.till("0001", "till-2").siteId());
    assertEquals(Optional.empty(), MachineIdentity.central("central").siteId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1", "00001", "abcd", "0001,OU=central", "0001 ", "０００１"})
  void aSiteIdIsFourDigits(String id) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineIdentity.site(id));
    assertTrue(e.getMessage().startsWith("A site id is 4 digits"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Central", "central,OU=ca", "a=b", "a+b", "\"x\"", "x y", "-x", "a\\,b", "a/b", "é",
      "a234567890123456789012345678901234567890123456789012345678901234"})
  void namesRefuseWhatCouldBreakOutOfADn(String name) {
    assertThrows(IllegalArgumentException.class, () -> MachineIdentity.central(name));
    assertThrows(IllegalArgumentException.class, () -> MachineIdentity.staffTool(name));
    assertThrows(IllegalArgumentException.class, () -> MachineIdentity.till("0001", name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0001", "0001/", "/till", "01/till", "0001/till/2", "0001/Till"})
  void aTillIdIsASiteAndAName(String id) {
    assertThrows(IllegalArgumentException.class, () -> new MachineIdentity(Kind.TILL, id));
  }

  @Test
  void readsTheIdentityBackFromACertificateAndRefusesTheCa(@TempDir Path dir) {
    CertificateAuthority ca = CertificateAuthority.createOrOpen(dir.resolve("ca"), "Apotheca Central CA");
    for (MachineIdentity who : new MachineIdentity[] {MachineIdentity.site("0042"), MachineIdentity.till("0042", "t1"),
        MachineIdentity.tillServer("0042"), MachineIdentity.central("central"), MachineIdentity.staffTool("ops.1")}) {
      X509Certificate c = ca.issue(who, KeyMaterial.newKeyPair().getPublic(), Duration.ofDays(1));
      assertEquals(who, MachineIdentity.of(c));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MachineIdentity.of(ca.certificate()));
    assertEquals("not an Apotheca certificate: CN=Apotheca Central CA,OU=ca,O=Apotheca", e.getMessage());
  }
}
