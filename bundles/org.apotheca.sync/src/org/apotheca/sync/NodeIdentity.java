package org.apotheca.sync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.apotheca.security.pki.Enrollment;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.security.pki.SecretFiles;
import org.apotheca.security.tls.TlsContexts;

/**
 * Who this pharmacy node is to central: the key and certificate from its enrollment bundle, kept in the node's
 * owner-only secrets directory under a random keystore password (a file beside it, also owner-only). Written once
 * by {@code ./apotheca site --enroll}, replaced when the node renews its certificate.
 */
public final class NodeIdentity {

  static final String KEYSTORE = "identity.p12";
  static final String PASSWORD = "identity.pass";

  private NodeIdentity() {
  }

  /** Installs an enrollment bundle for {@code siteId}; refuses, changing nothing, a bundle of another pharmacy. */
  public static KeyMaterial enroll(Path secretsDir, String siteId, Path bundle, String oneTimePassword) {
    KeyMaterial material = Enrollment.read(bundle, oneTimePassword);
    MachineIdentity who = material.identity();
    if (who.kind() != MachineIdentity.Kind.SITE) {
      throw new IllegalArgumentException(bundle.getFileName() + " is not a pharmacy enrollment (it is for " + who + ")");
    }
    if (!who.id().equals(siteId)) {
      throw new IllegalArgumentException(bundle.getFileName() + " enrolls pharmacy " + who.id()
          + ", but this node is configured as pharmacy " + siteId + " (site.id in its config): nothing was installed");
    }
    install(secretsDir, material);
    return material;
  }

  /** Stores key material as this node's identity (tests and the demo hand it over directly). */
  public static void install(Path secretsDir, KeyMaterial material) {
    SecretFiles.createOwnerOnlyDirectories(secretsDir);
    material.save(secretsDir.resolve(KEYSTORE), password(secretsDir));
  }

  public static Optional<KeyMaterial> load(Path secretsDir) {
    if (!Files.exists(secretsDir.resolve(KEYSTORE))) {
      return Optional.empty();
    }
    return Optional.of(KeyMaterial.load(secretsDir.resolve(KEYSTORE), password(secretsDir)));
  }

  /** This node's identity for {@code siteId}, or why it cannot connect to central at all. */
  static KeyMaterial require(Path secretsDir, String siteId) {
    KeyMaterial m = load(secretsDir).orElseThrow(() -> new IllegalStateException("this computer is not enrolled as pharmacy "
        + siteId + ": ask central for an enrollment bundle, then run ./apotheca site --enroll <bundle> (docs/security.md)"));
    MachineIdentity who = m.identity();
    if (who.kind() != MachineIdentity.Kind.SITE || !who.id().equals(siteId)) {
      throw new IllegalStateException("this computer is enrolled as " + who + " but configured as pharmacy " + siteId
          + ": fix site.id in the node's config or enroll it again");
    }
    return m;
  }

  static SSLContext clientContext(Path secretsDir, KeyMaterial m) {
    char[] pw = password(secretsDir);
    X509Certificate ca = m.trustAnchor();
    return TlsContexts.create(m.keyStore(pw), pw, ca, (chain, peerIsClient) -> {
      TlsContexts.signedBy(ca).check(chain, peerIsClient);
      MachineIdentity server;
      try {
        server = MachineIdentity.of(chain[0]);
      } catch (IllegalArgumentException e) {
        throw new CertificateException("the server's certificate does not name Apotheca central");
      }
      if (server.kind() != MachineIdentity.Kind.CENTRAL) {
        throw new CertificateException("the server presents a certificate of " + server + ", not of central");
      }
    });
  }

  /** Changes when the identity is installed or replaced (0 when there is none): a new enrollment is worth a new try. */
  static long stamp(Path secretsDir) {
    try {
      Path p = secretsDir.resolve(KEYSTORE);
      return Files.exists(p) ? Files.getLastModifiedTime(p).toMillis() ^ Files.size(p) : 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  static Instant expiry(KeyMaterial m) {
    return m.chain()[0].getNotAfter().toInstant();
  }

  private static char[] password(Path secretsDir) {
    return SecretFiles.passwordIn(secretsDir.resolve(PASSWORD));
  }
}
