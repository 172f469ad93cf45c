package org.apotheca.node.remote;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apotheca.security.pki.Enrollment;
import org.apotheca.security.pki.MachineIdentity;

/**
 * {@code ./apotheca client --node ... --pair <bundle>}: installs the pairing bundle the node issued to this till
 * ({@code apotheca till pair <name>} on the node). The one-time password is asked for on the terminal, or read from
 * {@code APOTHECA_PAIR_PASSWORD} for scripted installs; it is never echoed or logged.
 */
public final class PairMain {

  private PairMain() {
  }

  public static void main(String[] args) {
    String dir = null;
    String bundle = null;
    for (int i = 0; i + 1 < args.length; i++) {
      switch (args[i]) {
        case "--identity" -> dir = args[++i];
        case "--bundle" -> bundle = args[++i];
        default -> { }
      }
    }
    if (dir == null || bundle == null) {
      System.err.println("usage: PairMain --identity <till pairing dir> --bundle <pairing bundle>");
      System.exit(2);
    }
    try {
      Path file = Path.of(bundle);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("there is no file " + file.toAbsolutePath());
      }
      String password = Enrollment.typedPassword("APOTHECA_PAIR_PASSWORD", "Pairing password (as the node showed it): ");
      MachineIdentity who = TillPairing.install(Path.of(dir), file, password.trim());
      System.out.println("paired " + who + " identity=" + Path.of(dir).toAbsolutePath());
    } catch (RuntimeException e) {
      System.err.println("Pairing failed: " + e.getMessage());
      System.exit(1);
    }
  }
}
