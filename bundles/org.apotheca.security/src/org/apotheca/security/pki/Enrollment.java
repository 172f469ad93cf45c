package org.apotheca.security.pki;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The file central hands to a new pharmacy (or a pharmacy node to a new till): its {@link KeyMaterial} as PKCS12,
 * under a one-time password shown once to the operator, who reads it out or types it in on the new machine.
 * <p>
 * One-time passwords are 20 characters from an alphabet without look-alikes (no 0, O, 1, I or L), written in 5 groups
 * of 4 ({@code 7KQ2-M9XD-...}), about 99 bits. When read, hyphens and spaces are ignored and case does not matter.
 */
public final class Enrollment {

  /* 8 digits and 23 letters: 31 symbols, log2(31) = 4.95 bits each */
  private static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  private static final int GROUPS = 5;
  private static final int GROUP_LENGTH = 4;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Enrollment() {
  }

  /**
   * The one-time password as the person installing a bundle gives it: from the environment variable (scripted
   * installs) or typed on the terminal without echo; never logged.
   *
   * @throws IllegalArgumentException with a sentence when there is neither
   */
  public static String typedPassword(String environmentVariable, String prompt) {
    String given = System.getenv(environmentVariable);
    if (given != null && !given.isBlank()) {
      return given.trim();
    }
    java.io.Console console = System.console();
    if (console == null) {
      throw new IllegalArgumentException("no terminal to ask for the password: set " + environmentVariable);
    }
    char[] typed = console.readPassword("%s", prompt);
    if (typed == null || typed.length == 0) {
      throw new IllegalArgumentException("no password was typed");
    }
    return new String(typed).trim();
  }

  public static String newOneTimePassword() {
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < GROUPS * GROUP_LENGTH; i++) {
      if (i > 0 && i % GROUP_LENGTH == 0) {
        password.append('-');
      }
      password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return password.toString();
  }

  /**
   * Writes {@code material} to {@code bundle} (owner-only, atomically) under {@code oneTimePassword}.
   *
   * @throws IllegalArgumentException when {@code oneTimePassword} is not one {@link #newOneTimePassword} makes: a
   *           weaker one would be the weakest part of the enrollment
   */
  public static void write(Path bundle, KeyMaterial material, String oneTimePassword) {
    char[] password = normalized(oneTimePassword);
    boolean wellFormed = password.length == GROUPS * GROUP_LENGTH;
    for (char c : password) {
      wellFormed &= ALPHABET.indexOf(c) >= 0;
    }
    if (!wellFormed) {
      throw new IllegalArgumentException("An enrollment password must be one made by Enrollment.newOneTimePassword.");
    }
    material.save(bundle, password);
  }

  public static KeyMaterial read(Path bundle, String typedPassword) {
    return read(bundle, typedPassword, Clock.systemUTC());
  }

  /**
   * Reads a bundle {@link #write} wrote, with the password as typed.
   *
   * @throws WrongPasswordException {@code the enrollment password is wrong}
   * @throws IllegalArgumentException {@code <file> is not an Apotheca enrollment bundle}, {@code this bundle's
   *           certificate expired on <date>}, or one that is not valid yet (a wrong clock, most likely)
   * @throws java.io.UncheckedIOException when the file cannot be read
   */
  public static KeyMaterial read(Path bundle, String typedPassword, Clock clock) {
    KeyMaterial material;
    try {
      material = KeyMaterial.fromPkcs12(SecretFiles.read(bundle), normalized(typedPassword), bundle.toString());
      material.identity();
    } catch (WrongPasswordException e) {
      throw new WrongPasswordException("the enrollment password is wrong");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(bundle + " is not an Apotheca enrollment bundle", e);
    }
    X509Certificate certificate = material.certificate();
    Instant now = clock.instant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (now.isAfter(notAfter)) {
      throw new IllegalArgumentException("this bundle's certificate expired on "
          + notAfter.atZone(ZoneOffset.UTC).toLocalDate());
    }
    Instant notBefore = certificate.getNotBefore().toInstant();
    if (now.isBefore(notBefore)) {
      throw new IllegalArgumentException("this bundle's certificate is valid only from "
          + notBefore.truncatedTo(ChronoUnit.MINUTES) + ": check this computer's date and time");
    }
    return material;
  }

  private static char[] normalized(String typed) {
    return typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT).toCharArray();
  }
}
