package org.apotheca.ui;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

import org.eclipse.core.runtime.Platform;
import org.eclipse.osgi.service.datalocation.Location;

/**
 * Where the workbench writes what it prints (receipts, dispensing labels, the register): a folder named by a system
 * property, else by a preference, else {@code <name>} in the workbench's -data folder, else {@code ~/Apotheca/<name>}.
 */
public final class Printouts {

  private Printouts() {
  }

  /**
   * @param property system property naming the folder ({@code apotheca.receipts.dir})
   * @param preferenceNode the bundle whose preference {@code preferenceKey} may name it
   * @param name the folder's name under -data or ~/Apotheca
   */
  public static Path folder(String property, String preferenceNode, String preferenceKey, String name) {
    String p = System.getProperty(property);
    if (p == null || p.isBlank()) {
      p = Platform.getPreferencesService().getString(preferenceNode, preferenceKey, null, null);
    }
    if (p != null && !p.isBlank()) {
      return Path.of(p.trim());
    }
    Location data = Platform.getInstanceLocation();
    if (data != null && data.isSet()) {
      try {
        URL url = data.getURL();
        return Path.of(url.toURI()).resolve(name);
      } catch (URISyntaxException | IllegalArgumentException e) {
        // a -data URL with spaces or of another scheme: fall back to the home folder
      }
    }
    return Path.of(System.getProperty("user.home"), "Apotheca", name);
  }

  /** A file name made of the letters, digits, dots, dashes and underscores of {@code s}; the rest become '_'. */
  public static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
