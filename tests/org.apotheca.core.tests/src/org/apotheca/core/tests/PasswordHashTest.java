package org.apotheca.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.apotheca.core.users.PasswordHash;
import org.junit.jupiter.api.Test;

/** PBKDF2 hashes as central writes them and the node checks them: ~0.3-1 s each, so each test hashes little. */
class PasswordHashTest {

  private static final char[] PASSWORD = "correct horse".toCharArray();

  @Test
  void roundTripRefusesAWrongPasswordAndSaltsEveryHash() {
    String a = PasswordHash.hash(PASSWORD);
    String b = PasswordHash.hash(PASSWORD);
    assertNotEquals(a, b, "a fresh salt every time");
    assertTrue(PasswordHash.verify("correct horse".toCharArray(), a));
    assertTrue(PasswordHash.verify("correct horse".toCharArray(), b));
    assertFalse(PasswordHash.verify("correct horsE".toCharArray(), a));
    assertFalse(PasswordHash.verify("correct horse ".toCharArray(), a));
    assertFalse(PasswordHash.verify(new char[0], a));
    assertFalse(PasswordHash.verify(null, a));
  }

  @Test
  void theEncodingNames600000Iterations16ByteSaltAnd32ByteKey() {
    String h = PasswordHash.hash(PASSWORD);
    String[] parts = h.split("\\$");
    assertEquals(4, parts.length, "scheme, iterations, salt, key");
    assertEquals("pbkdf2-sha256", parts[0]);
    assertEquals("600000", parts[1]);
    assertEquals(600_000, PasswordHash.ITERATIONS);
    assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
    assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
    assertFalse(h.contains("correct"), "never the password");
  }

  @Test
  void aHashWithFewerIterationsIsRefusedEvenForTheRightPassword() throws Exception {
    byte[] salt = new byte[16];
    salt[0] = 7;
    String weak = "pbkdf2-sha256$1000$" + b64(salt) + "$" + b64(pbkdf2(PASSWORD, salt, 1000));
    assertFalse(PasswordHash.verify(PASSWORD, weak));
    // the same construction at the full count passes: it is the count that is refused, not the encoding
    String full = "pbkdf2-sha256$600000$" + b64(salt) + "$" + b64(pbkdf2(PASSWORD, salt, 600_000));
    assertTrue(PasswordHash.verify(PASSWORD, full));
    assertFalse(PasswordHash.verify(PASSWORD, full.replace("$600000$", "$599999$")));
    assertFalse(PasswordHash.verify(PASSWORD, full.replace("$600000$", "$600001$")), "another count gives another key");
  }

  @Test
  void malformedHashesAreFalseNeverAnException() {
    String good = PasswordHash.hash(PASSWORD);
    String[] p = good.split("\\$");
    String[] bad = { null, "", "$", "$$$", "plain", "pbkdf2-sha256", "pbkdf2-sha256$600000$", good + "$", "$" + good,
        "pbkdf2-sha1$600000$" + p[2] + "$" + p[3], "PBKDF2-SHA256$600000$" + p[2] + "$" + p[3],
        "pbkdf2-sha256$abc$" + p[2] + "$" + p[3], "pbkdf2-sha256$-600000$" + p[2] + "$" + p[3],
        "pbkdf2-sha256$0600000$" + p[2] + "$" + p[3], "pbkdf2-sha256$99999999999999999999$" + p[2] + "$" + p[3],
        "pbkdf2-sha256$2147483647$" + p[2] + "$" + p[3], "pbkdf2-sha256$600000$!!notbase64!!$" + p[3],
        "pbkdf2-sha256$600000$" + p[2] + "$" + p[3].substring(4), "pbkdf2-sha256$600000$" + b64(new byte[8]) + "$" + p[3],
        "pbkdf2-sha256$600000$$" + p[3], "pbkdf2-sha256$600000$" + p[2] + "$", "pbkdf2-sha256 600000 " + p[2] + " " + p[3] };
    for (String s : bad) {
      assertFalse(PasswordHash.verify(PASSWORD, s), String.valueOf(s));
    }
  }

  @Test
  void strengthRulesSayWhyInOneSentenceWithoutThePassword() {
    assertNull(PasswordHash.checkStrength("alice-demo".toCharArray(), "alice"));
    assertNull(PasswordHash.checkStrength("12345678".toCharArray(), "bob"), "eight characters are enough");
    assertStrength("at least 8", "short12", "alice");
    assertStrength("at least 8", "", "alice");
    assertStrength("one character repeated", "aaaaaaaaaa", "alice");
    assertStrength("not be the username", "pharmacist1", "pharmacist1");
    assertStrength("not be the username", "Pharmacist1", "pharmacist1");
    assertStrength("at most 128", "x".repeat(100) + "y".repeat(29), "alice");
    assertNull(PasswordHash.checkStrength(("x".repeat(100) + "y".repeat(28)).toCharArray(), "alice"));
    assertStrength("at least 8", null, "alice");
  }

  @Test
  void emptyPasswordsAreNotHashed() {
    assertThrows(IllegalArgumentException.class, () -> PasswordHash.hash(new char[0]));
    assertThrows(IllegalArgumentException.class, () -> PasswordHash.hash(null));
  }

  private static void assertStrength(String expected, String password, String username) {
    String why = PasswordHash.checkStrength(password == null ? null : password.toCharArray(), username);
    assertTrue(why != null && why.contains(expected) && why.endsWith("."), why);
    if (password != null && !password.isEmpty()) {
      assertFalse(why.contains(password), why);
    }
  }

  private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) throws Exception {
    return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(new PBEKeySpec(password, salt, iterations, 256))
        .getEncoded();
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
