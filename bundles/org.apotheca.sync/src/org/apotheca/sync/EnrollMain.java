package org.apotheca.sync;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apotheca.security.pki.Enrollment;
import org.apotheca.security.pki.KeyMaterial;

/**
 * {@code ./apotheca site --enroll <bundle>}: installs the enrollment bundle central gave this pharmacy into the
 * node's secrets directory. The one-time password is asked for on the terminal (or read from the environment
 * variable {@code APOTHECA_ENROLL_PASSWORD}, for scripted installs); it is never echoed or logged.
 */
public final class EnrollMain {

  private EnrollMain() {
  }

  public static void main(String[] args) {
    String config = null;
    String bundle = null;
    for (int i = 0; i + 1 < args.length; i++) {
      switch (args[i]) {
        case "--config" -> config = args[++i];
        case "--bundle" -> bundle = args[++i];
        default -> { }
      }
    }
    if (config == null || bundle == null) {
      System.err.println("usage: EnrollMain --config <site.properties> --bundle <enrollment bundle>");
      System.exit(2);
    }
    try {
      NodeSettings settings = NodeSettings.load(Path.of(config));
      Path file = Path.of(bundle);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("there is no file " + file.toAbsolutePath());
      }
      String password = Enrollment.typedPassword("APOTHECA_ENROLL_PASSWORD", "Enrollment password (as central gave it): ");
      KeyMaterial m = NodeIdentity.enroll(settings.node().secretsDir(), settings.node().siteId(), file, password);
      System.out.println("enrolled site=" + m.identity().id() + " valid-until="
          + m.chain()[0].getNotAfter().toInstant().toString().substring(0, 10) + " secrets=" + settings.node().secretsDir());
      System.out.println("You may delete " + file.toAbsolutePath() + " now: this computer keeps its own copy.");
    } catch (RuntimeException e) {
      System.err.println("Enrollment failed: " + e.getMessage());
      System.exit(1);
    }
  }
}
