package org.apotheca.net4j.db.derby.tests;

import java.nio.file.Path;

final class DerbyTestSupport {

  private DerbyTestSupport() {
  }

  /**
   * Derby writes derby.log into the working directory, i.e. into the test bundle's folder under Tycho. The property
   * is read once, when the engine boots, so only the first test class to run decides where it goes.
   */
  static void redirectDerbyLog(Path directory) {
    if (System.getProperty("derby.stream.error.file") == null) {
      System.setProperty("derby.stream.error.file", directory.resolve("derby.log").toString());
    }
  }
}
