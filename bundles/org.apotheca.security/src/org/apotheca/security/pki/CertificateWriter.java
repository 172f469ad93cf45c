package org.apotheca.security.pki;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.security.auth.x500.X500Principal;

/**
 * Writes X.509 v3 certificates (RFC 5280) signed with ECDSA over SHA-256, the JDK having no public API for it. The
 * DER is built here and handed to {@code CertificateFactory}, whose parse is the proof it is a certificate.
 */
final class CertificateWriter {

  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
  private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
  private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  /* KeyUsage bit numbers, RFC 5280 4.2.1.3 */
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Who signs: the issuer's name and key pair; for a self-signed certificate the subject's own. */
  record Issuer(X500Principal name, PrivateKey key, PublicKey publicKey) {
  }

  private CertificateWriter() {
  }

  /**
   * A certificate authority's certificate: may sign certificates (keyCertSign, cRLSign) but no CA below it
   * (pathLenConstraint 0), because this CA issues only to machines.
   */
  static X509Certificate authority(Issuer self, Instant notBefore, Instant notAfter) {
    List<byte[]> extensions = List.of(
        extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true), Der.integer(BigInteger.ZERO))),
        extension(KEY_USAGE, true, Der.namedBits(KEY_CERT_SIGN, CRL_SIGN)),
        extension(SUBJECT_KEY_IDENTIFIER, false, Der.octetString(keyIdentifier(self.publicKey()))));
    return write(self, self.name(), self.publicKey(), notBefore, notAfter, extensions);
  }

  /**
   * A machine's certificate for TLS on either end of a link: not a CA, digitalSignature (all an ECDSA key does in
   * TLS 1.3, whose key exchange is ephemeral), serverAuth and clientAuth.
   */
  static X509Certificate machine(Issuer issuer, X500Principal subject, PublicKey key, Instant notBefore,
      Instant notAfter) {
    List<byte[]> extensions = List.of(
        // an empty SEQUENCE is cA FALSE: DER leaves out a DEFAULT value
        extension(BASIC_CONSTRAINTS, true, Der.sequence()),
        extension(KEY_USAGE, true, Der.namedBits(DIGITAL_SIGNATURE)),
        extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH), Der.oid(CLIENT_AUTH))),
        extension(SUBJECT_KEY_IDENTIFIER, false, Der.octetString(keyIdentifier(key))),
        extension(AUTHORITY_KEY_IDENTIFIER, false, Der.sequence(Der.implicit(0, keyIdentifier(issuer.publicKey())))));
    return write(issuer, subject, key, notBefore, notAfter, extensions);
  }

  private static X509Certificate write(Issuer issuer, X500Principal subject, PublicKey key, Instant notBefore,
      Instant notAfter, List<byte[]> extensions) {
    byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
    byte[] tbs = Der.sequence(
        Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
        Der.integer(serial()),
        algorithm,
        issuer.name().getEncoded(),
        Der.sequence(Der.time(notBefore), Der.time(notAfter)),
        subject.getEncoded(),
        key.getEncoded(),
        Der.explicit(3, Der.sequence(extensions.toArray(byte[][]::new))));
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(issuer.key());
      signer.update(tbs);
      byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      certificate.verify(issuer.publicKey());
      return certificate;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate for " + subject.getName(), e);
    }
  }

  /**
   * RFC 5280 4.2.1.2 method 1: SHA-1 over the subjectPublicKey bits (the BIT STRING's contents after its
   * unused-bits byte).
   */
  static byte[] keyIdentifier(PublicKey key) {
    byte[][] info = Der.contents(key.getEncoded(), Der.SEQUENCE);
    byte[] bits = Der.value(info[1]);
    try {
      return MessageDigest.getInstance("SHA-1").digest(Arrays.copyOfRange(bits, 1, bits.length));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no SHA-1", e);
    }
  }

  /** A random positive 128-bit serial: unguessable, and within RFC 5280's 20 octets. */
  private static BigInteger serial() {
    byte[] bytes = new byte[16];
    BigInteger serial;
    do {
      RANDOM.nextBytes(bytes);
      serial = new BigInteger(1, bytes);
    } while (serial.signum() == 0);
    return serial;
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    List<byte[]> parts = new ArrayList<>();
    parts.add(Der.oid(oid));
    if (critical) {
      // DEFAULT FALSE: DER writes the flag only when it is true
      parts.add(Der.bool(true));
    }
    parts.add(Der.octetString(value));
    return Der.sequence(parts.toArray(byte[][]::new));
  }
}
