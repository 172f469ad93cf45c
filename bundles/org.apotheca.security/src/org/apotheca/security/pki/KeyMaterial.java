package org.apotheca.security.pki;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * A private key with its certificate chain ({@code chain[0]} is the key's own certificate, then its CA) and the CA
 * certificate to trust, as stored in a PKCS12 file: a key entry {@value #KEY_ALIAS} (key and chain) and a trusted
 * certificate entry {@value #CA_ALIAS}. Files are read and written with the JDK's PKCS12 (AES-256 and HMAC-SHA256 with
 * PBKDF2 since JDK 12), and the key entry shares the file's password.
 */
public record KeyMaterial(PrivateKey key, X509Certificate[] chain, X509Certificate trustAnchor) {

  public static final String KEY_ALIAS = "apotheca";
  public static final String CA_ALIAS = "apotheca-ca";

  /** @throws IllegalArgumentException when the key is not the one {@code chain[0]} certifies */
  public KeyMaterial {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(trustAnchor, "trustAnchor");
    chain = chain.clone();
    if (chain.length == 0 || Arrays.asList(chain).contains(null)) {
      throw new IllegalArgumentException("A certificate chain needs the key's own certificate and no empty places.");
    }
    requireMatch(key, chain[0]);
  }

  /** A new EC P-256 key pair, the kind every Apotheca certificate certifies. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
    }
  }

  /**
   * Reads a PKCS12 file written by {@link #save}.
   *
   * @throws WrongPasswordException {@code wrong password for <file>}
   * @throws IllegalArgumentException {@code <file> is not a PKCS12 keystore}, {@code <file> has no Apotheca key},
   *           {@code <file> has no Apotheca CA certificate}
   * @throws UncheckedIOException when the file cannot be read
   */
  public static KeyMaterial load(Path p12, char[] password) {
    return fromPkcs12(SecretFiles.read(p12), password, p12.toString());
  }

  static KeyMaterial fromPkcs12(byte[] pkcs12, char[] password, String name) {
    KeyStore store;
    try {
      store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(pkcs12), password);
    } catch (IOException e) {
      // the JDK reports a failed MAC or a failed decryption as an IOException caused by UnrecoverableKeyException
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new WrongPasswordException("wrong password for " + name);
      }
      throw new IllegalArgumentException(name + " is not a PKCS12 keystore", e);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(name + " is not a PKCS12 keystore", e);
    }
    try {
      if (!store.isKeyEntry(KEY_ALIAS) || !(store.getKey(KEY_ALIAS, password) instanceof PrivateKey key)) {
        throw new IllegalArgumentException(name + " has no Apotheca key");
      }
      if (!store.isCertificateEntry(CA_ALIAS)
          || !(store.getCertificate(CA_ALIAS) instanceof X509Certificate trustAnchor)) {
        throw new IllegalArgumentException(name + " has no Apotheca CA certificate");
      }
      Certificate[] chain = store.getCertificateChain(KEY_ALIAS);
      if (chain == null || !Arrays.stream(chain).allMatch(X509Certificate.class::isInstance)) {
        throw new IllegalArgumentException(name + " has no X.509 certificate chain for its Apotheca key");
      }
      return new KeyMaterial(key, Arrays.copyOf(chain, chain.length, X509Certificate[].class), trustAnchor);
    } catch (UnrecoverableKeyException e) {
      throw new WrongPasswordException("wrong password for the key in " + name);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(name + " has no readable Apotheca key", e);
    }
  }

  /** The PKCS12 bytes: the key entry and the trusted CA entry, both under {@code password}. */
  public byte[] toPkcs12(char[] password) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      keyStore(password).store(out, password);
      return out.toByteArray();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write PKCS12", e);
    }
  }

  /** Writes {@link #toPkcs12} owner-only and atomically (see {@link SecretFiles#write}). */
  public void save(Path p12, char[] password) {
    SecretFiles.write(p12, toPkcs12(password));
  }

  /** Whom {@code chain[0]} was issued to. */
  public MachineIdentity identity() {
    return MachineIdentity.of(chain[0]);
  }

  /** The key's own certificate, {@code chain[0]}. */
  public X509Certificate certificate() {
    return chain[0];
  }

  @Override
  public X509Certificate[] chain() {
    return chain.clone();
  }

  /** An in-memory keystore with the key entry under {@code password}, for a {@code KeyManagerFactory}. */
  public KeyStore keyStore(char[] password) {
    try {
      KeyStore store = trustStore();
      store.setKeyEntry(KEY_ALIAS, key, password, chain);
      return store;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot put the key into a PKCS12 keystore", e);
    }
  }

  /** An in-memory keystore holding only the CA certificate, for a {@code TrustManagerFactory}. */
  public KeyStore trustStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry(CA_ALIAS, trustAnchor);
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make an in-memory PKCS12 keystore", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyMaterial other && key.equals(other.key) && Arrays.equals(chain, other.chain)
        && trustAnchor.equals(other.trustAnchor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(chain), trustAnchor);
  }

  /** Never the key: names the certificate only. */
  @Override
  public String toString() {
    return "key material for " + chain[0].getSubjectX500Principal().getName() + ", valid until "
        + chain[0].getNotAfter().toInstant();
  }

  private static void requireMatch(PrivateKey key, X509Certificate certificate) {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new IllegalArgumentException("Only EC and RSA keys are supported, not " + key.getAlgorithm() + ".");
    };
    byte[] probe = "apotheca key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException mismatched) {
      // a key of another algorithm than the certificate's: the same answer as a wrong key
    }
    throw new IllegalArgumentException("The private key is not the one the certificate for "
        + certificate.getSubjectX500Principal().getName() + " certifies.");
  }
}
