package org.apotheca.ui;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.apotheca.node.api.NodeServiceFactory;

/**
 * Which pharmacy node this workbench talks to, from its command line or system properties: {@code -node host:port}
 * ({@value #NODE_PROPERTY}) for a till on the LAN, else {@code -config site.properties} ({@value #CONFIG_PROPERTY})
 * to run the node in this process; {@code -till id} ({@value #TILL_PROPERTY}) names the till.
 *
 * @param kind {@link NodeServiceFactory#LOCAL} or {@link NodeServiceFactory#REMOTE}; null when nothing was given
 * @param problem why no node can be opened (nothing configured), else null
 */
public record NodeChoice(String kind, Map<String, String> settings, String tillId, String problem) {

  public static final String NODE_PROPERTY = "apotheca.node";
  public static final String CONFIG_PROPERTY = "apotheca.site.config";
  public static final String TILL_PROPERTY = "apotheca.till";
  /** The directory of this till's pairing with its node (docs/security.md). */
  public static final String IDENTITY_PROPERTY = "apotheca.till.identity";
  /** "true": plain TCP to a node running with the development flag dev.plain.tcp=true. */
  public static final String PLAIN_PROPERTY = "apotheca.dev.plain.tcp";
  public static final String DEFAULT_TILL = "till-1";

  public NodeChoice {
    settings = Map.copyOf(settings);
  }

  public static NodeChoice from(String[] args, UnaryOperator<String> systemProperty) {
    String node = arg(args, "-node", systemProperty.apply(NODE_PROPERTY));
    String config = arg(args, "-config", systemProperty.apply(CONFIG_PROPERTY));
    String till = arg(args, "-till", systemProperty.apply(TILL_PROPERTY));
    till = till == null || till.isBlank() ? DEFAULT_TILL : till.trim();
    if (node != null && !node.isBlank()) {
      String identity = arg(args, "-identity", systemProperty.apply(IDENTITY_PROPERTY));
      if (identity == null || identity.isBlank()) {
        identity = Path.of(System.getProperty("user.home"), ".apotheca", till + "-pairing").toString();
      }
      String plain = String.valueOf("true".equals(systemProperty.apply(PLAIN_PROPERTY)));
      return new NodeChoice(NodeServiceFactory.REMOTE, Map.of(NodeServiceFactory.NODE_ADDRESS, node.trim(), "identity",
          Path.of(identity.trim()).toAbsolutePath().normalize().toString(), "plain", plain), till, null);
    }
    if (config != null && !config.isBlank()) {
      String file = Path.of(config.trim()).toAbsolutePath().normalize().toString();
      return new NodeChoice(NodeServiceFactory.LOCAL, Map.of(NodeServiceFactory.SITE_CONFIG, file), till, null);
    }
    return new NodeChoice(null, Map.of(), till,
        "No pharmacy node is set up for this till: start it with -node host:port or -config site.properties.");
  }

  public boolean local() {
    return NodeServiceFactory.LOCAL.equals(kind);
  }

  /** Where the node is, for people: "the pharmacy node at 10.0.0.5:2046" or "the pharmacy node on this computer". */
  public String where() {
    if (NodeServiceFactory.REMOTE.equals(kind)) {
      return "the pharmacy node at " + settings.get(NodeServiceFactory.NODE_ADDRESS);
    }
    return "the pharmacy node on this computer";
  }

  private static String arg(String[] args, String name, String fallback) {
    if (args != null) {
      for (int i = 0; i + 1 < args.length; i++) {
        if (name.equals(args[i])) {
          return args[i + 1];
        }
      }
    }
    return fallback;
  }
}
