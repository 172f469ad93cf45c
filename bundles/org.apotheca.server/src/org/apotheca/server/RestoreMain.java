package org.apotheca.server;

import java.nio.file.Path;

/**
 * {@code ./apotheca server --restore <backup> [--config FILE]}: rebuilds central's data and security directories from
 * a backup made with {@code apotheca backup <dir>} (see {@link CentralRestore}); {@code --verify-backup <backup>} only
 * checks a backup against its manifest. Plain Java on the product's jars: the server must not run on the data being
 * restored, so no OSGi framework and no repository is started.
 */
public final class RestoreMain {

  private RestoreMain() {
  }

  public static void main(String[] args) {
    String config = null;
    String backup = null;
    boolean verifyOnly = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> config = i + 1 < args.length ? args[++i] : null;
        case "--backup" -> backup = i + 1 < args.length ? args[++i] : null;
        case "--verify" -> verifyOnly = true;
        default -> {
          System.err.println("Restore refused: unknown argument " + args[i]);
          System.exit(2);
        }
      }
    }
    if (backup == null || (config == null && !verifyOnly)) {
      System.err.println("usage: RestoreMain --backup <dir> --config <server.properties> | RestoreMain --backup <dir> --verify");
      System.exit(2);
    }
    try {
      if (verifyOnly) {
        CentralRestore.verify(Path.of(backup), System.out::println);
        return;
      }
      ServerConfig settings = ServerConfig.load(Path.of(config));
      CentralRestore.Result r = CentralRestore.restore(Path.of(backup), settings, System.out::println);
      System.out.println(r.line());
      System.out.println("Start central on it: ./apotheca server --config " + Path.of(config).toAbsolutePath()
          + ". Pharmacies that synced after " + r.taken() + " hold work this central does not have: docs/server.md,"
          + " \"Backup and restore\", says what to do.");
    } catch (IllegalArgumentException e) {
      System.err.println((verifyOnly ? "Verification failed: " : "Restore refused: ") + e.getMessage());
      System.exit(1);
    } catch (RuntimeException e) {
      System.err.println(e.getMessage() != null ? e.getMessage() : "Restore failed: " + e);
      System.exit(1);
    }
  }
}
