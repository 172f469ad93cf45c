package org.apotheca.node.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.apotheca.security.pki.Enrollment;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.security.pki.SecretFiles;

/**
 * A till's pairing with its pharmacy node: the key and certificate the node issued to it ({@code apotheca till pair}
 * on the node), kept in an owner-only directory on the till under a random keystore password.
 */
public final class TillPairing {

  static final String KEYSTORE = "till.p12";
  static final String PASSWORD = "till.pass";

  private TillPairing() {
  }

  /** Installs a pairing bundle; refuses, changing nothing, anything that is not a till's. */
  public static MachineIdentity install(Path dir, Path bundle, String oneTimePassword) {
    KeyMaterial m = Enrollment.read(bundle, oneTimePassword);
    if (m.identity().kind() != MachineIdentity.Kind.TILL) {
      throw new IllegalArgumentException(bundle.getFileName() + " is not a till's pairing bundle (it is for " + m.identity() + ")");
    }
    SecretFiles.createOwnerOnlyDirectories(dir);
    m.save(dir.resolve(KEYSTORE), password(dir));
    return m.identity();
  }

  public static Optional<KeyMaterial> load(Path dir) {
    if (dir == null || !Files.exists(dir.resolve(KEYSTORE))) {
      return Optional.empty();
    }
    return Optional.of(KeyMaterial.load(dir.resolve(KEYSTORE), password(dir)));
  }

  private static char[] password(Path dir) {
    return SecretFiles.passwordIn(dir.resolve(PASSWORD));
  }
}
