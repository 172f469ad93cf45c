package org.apotheca.core.users;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes as central writes them into a pharmacy's staff list and the node checks them offline:
 * PBKDF2-HMAC-SHA256 from the JDK (no extra library on a till), encoded as
 * {@code pbkdf2-sha256$600000$<base64 salt>$<base64 key>}.
 * <p>
 * The iteration count travels in the string so that it can be raised later without invalidating stored hashes, but
 * verification refuses anything below {@link #ITERATIONS}: a hash replicated to thousands of pharmacies must not be
 * downgradable by whoever can write one. Nothing here ever puts a password or a hash into an exception message or a
 * log line.
 */
public final class PasswordHash {

  public static final String SCHEME = "pbkdf2-sha256";

  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about 0.5-1 s on one core of a till, which is the point. */
  public static final int ITERATIONS = 600_000;

  /**
   * An upper limit too, because the node verifies whatever it holds: a hash claiming a billion iterations would hang
   * a till's login for minutes.
   */
  static final int MAX_ITERATIONS = 10 * ITERATIONS;

  static final int SALT_BYTES = 16;

  static final int KEY_BYTES = 32;

  public static final int MIN_LENGTH = 8;

  /** Long enough for any passphrase; bounds what a console argument can make PBKDF2 chew on. */
  public static final int MAX_LENGTH = 128;

  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";

  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHash() {
  }

  /**
   * A new salted hash of {@code password} (which the caller still owns and should clear).
   *
   * @throws IllegalArgumentException if the password is null or empty
   */
  public static String hash(char[] password) {
    if (password == null || password.length == 0) {
      throw new IllegalArgumentException("the password is empty");
    }
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] key = derive(password, salt, ITERATIONS);
    try {
      Base64.Encoder b64 = Base64.getEncoder();
      return SCHEME + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Whether {@code password} is the one {@code encoded} was made from. False, never an exception, for a null or
   * malformed hash, another scheme, or fewer than {@link #ITERATIONS} iterations.
   */
  public static boolean verify(char[] password, String encoded) {
    if (password == null || password.length == 0 || encoded == null) {
      return false;
    }
    String[] parts = encoded.split("\\$", -1);
    if (parts.length != 4 || !SCHEME.equals(parts[0]) || !parts[1].matches("[1-9][0-9]{0,9}")) {
      return false;
    }
    long iterations = Long.parseLong(parts[1]);
    if (iterations < ITERATIONS || iterations > MAX_ITERATIONS) {
      return false;
    }
    byte[] salt;
    byte[] expected;
    try {
      salt = Base64.getDecoder().decode(parts[2]);
      expected = Base64.getDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (salt.length != SALT_BYTES || expected.length != KEY_BYTES) {
      return false;
    }
    byte[] actual = derive(password, salt, (int) iterations);
    try {
      return MessageDigest.isEqual(expected, actual);
    } finally {
      Arrays.fill(actual, (byte) 0);
      Arrays.fill(expected, (byte) 0);
    }
  }

  /**
   * Why {@code password} is too weak for {@code username}, as one sentence for the console, or {@code null} when it
   * will do. The sentence never repeats the password.
   */
  public static String checkStrength(char[] password, String username) {
    if (password == null || password.length < MIN_LENGTH) {
      return "The password must be at least " + MIN_LENGTH + " characters long.";
    }
    if (password.length > MAX_LENGTH) {
      return "The password must be at most " + MAX_LENGTH + " characters long.";
    }
    boolean allSame = true;
    for (char c : password) {
      allSame &= c == password[0];
    }
    if (allSame) {
      return "The password must not be one character repeated.";
    }
    if (username != null && equalsIgnoreCase(password, username)) {
      return "The password must not be the username.";
    }
    return null;
  }

  // compares in place: a String made of the password would linger in the heap until collected
  private static boolean equalsIgnoreCase(char[] password, String s) {
    if (password.length != s.length()) {
      return false;
    }
    for (int i = 0; i < password.length; i++) {
      if (Character.toLowerCase(password[i]) != Character.toLowerCase(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      // only the JDK's own problem, never the input's: the message cannot contain the password or the hash
      throw new IllegalStateException("the JDK cannot compute " + ALGORITHM + ": " + e.getClass().getSimpleName(), e);
    } finally {
      spec.clearPassword();
    }
  }
}
