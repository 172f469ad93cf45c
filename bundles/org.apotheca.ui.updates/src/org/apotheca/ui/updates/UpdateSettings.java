package org.apotheca.ui.updates;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;

import org.eclipse.core.runtime.Platform;

/**
 * Where this workbench looks for updates and how often, read fresh each time so a file an admin deploys takes effect
 * at the next check. First {@code <install>/configuration/apotheca-updates.properties}:
 * <pre>
 * repository=https://updates.example/apotheca/  (or a directory: /srv/apotheca/site)
 * check.hours=6                                 (0: no background check)
 * allow.http=true                               (only for an http:// site on a network the admin trusts)
 * </pre>
 * otherwise the preferences {@code org.apotheca.ui.updates/repository} and {@code check.hours} (plugin_customization.ini
 * or the workbench's own preferences). {@code problem} is one sentence for the admin when the setting is unusable.
 */
public record UpdateSettings(URI repository, int checkHours, String source, String problem) {

  public static final String FILE = "apotheca-updates.properties";
  public static final String PLUGIN = "org.apotheca.ui.updates";
  static final int DEFAULT_HOURS = 6;

  /** The file's path in this installation, or null when the configuration area is not a local directory. */
  public static Path file() {
    String override = System.getProperty("apotheca.updates.config");
    if (override != null && !override.isBlank()) {
      return Paths.get(override);
    }
    try {
      URL config = Platform.getConfigurationLocation() == null ? null : Platform.getConfigurationLocation().getURL();
      return config == null || !"file".equals(config.getProtocol()) ? null : Paths.get(config.getPath(), FILE);
    } catch (RuntimeException e) {
      return null;
    }
  }

  public static UpdateSettings load() {
    Path f = file();
    if (f != null && Files.isRegularFile(f)) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(f)) {
        p.load(in);
      } catch (IOException e) {
        return new UpdateSettings(null, 0, f.toString(), "Cannot read " + f + ": " + e.getMessage() + ".");
      }
      return of(p.getProperty("repository"), p.getProperty("check.hours"), p.getProperty("allow.http"), f.toString());
    }
    var prefs = Platform.getPreferencesService();
    String repo = prefs == null ? null : prefs.getString(PLUGIN, "repository", null, null);
    String hours = prefs == null ? null : prefs.getString(PLUGIN, "check.hours", null, null);
    String http = prefs == null ? null : prefs.getString(PLUGIN, "allow.http", null, null);
    return of(repo, hours, http, "preference " + PLUGIN + "/repository");
  }

  static UpdateSettings of(String repository, String hours, String allowHttp, String source) {
    int h = DEFAULT_HOURS;
    if (hours != null && !hours.isBlank()) {
      try {
        h = Integer.parseInt(hours.trim());
        if (h < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        return new UpdateSettings(null, 0, source,
            "check.hours in " + source + " must be a whole number of hours (0 for no background check), not \"" + hours.trim() + "\".");
      }
    }
    if (repository == null || repository.isBlank()) {
      return new UpdateSettings(null, h, source, null);
    }
    try {
      URI u = uri(repository.trim());
      if ("http".equalsIgnoreCase(u.getScheme())) {
        if (allowHttp == null || !allowHttp.trim().equalsIgnoreCase("true")) {
          return new UpdateSettings(null, h, source, "The update site " + u + " in " + source + " is plain http, which p2 "
              + "fetches as https: serve it over https, or add allow.http=true if the network between them is trusted.");
        }
        allowPlainHttp();
      }
      return new UpdateSettings(u, h, source, null);
    } catch (URISyntaxException | IllegalArgumentException e) {
      return new UpdateSettings(null, h, source,
          "The update site \"" + repository.trim() + "\" in " + source + " is neither a web address nor a directory.");
    }
  }

  /**
   * p2 turns http:// into https:// (a plain-http site can be altered on the way) unless the JVM says otherwise, and reads
   * that once, when its transport is first used: an admin's allow.http=true must be in place before the first check.
   */
  private static void allowPlainHttp() {
    if (System.getProperty(HTTP_RULE) == null) {
      System.setProperty(HTTP_RULE, "allow");
    }
  }

  private static final String HTTP_RULE = "p2.httpRule";

  /** http(s) and file URIs as they are; a plain path (absolute) as a directory. */
  static URI uri(String text) throws URISyntaxException {
    if (text.startsWith("/")) {
      return Paths.get(text).toUri();
    }
    URI u = new URI(text);
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file") || !u.isAbsolute()) {
      throw new URISyntaxException(text, "not an http, https or file address");
    }
    if (scheme.equals("file") && u.getPath() == null) {
      throw new URISyntaxException(text, "a file address needs an absolute path");
    }
    return u;
  }
}
