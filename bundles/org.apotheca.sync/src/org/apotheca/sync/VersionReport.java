package org.apotheca.sync;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * What {@code apotheca version} prints on central and on the node (docs/console.md), one fact per line, key first:
 *
 * <pre>
 * product=apotheca-server 1.0.0.202612010520
 * bundle org.apotheca.core 1.0.0.202612010520
 * optional org.apotheca.ui.labels 1.0.0.202612010533
 * model-schema=1
 * </pre>
 *
 * The product is the installed product unit of the p2 profile the installation runs (what an update or a rollback
 * changes), {@code unknown} outside an installed product (tests, plain-Java runs). Bundles are every installed
 * {@code org.apotheca.*} bundle, by name; those whose manifest says {@value #OPTIONAL_HEADER}{@code : true} (installed
 * from the update site's optional plugins) are {@code optional} lines. The model schema is the model bundle's
 * {@value #SCHEMA_HEADER} header, {@code unknown} when it has none.
 */
public final class VersionReport {

  public static final String OPTIONAL_HEADER = "Apotheca-Optional";
  public static final String SCHEMA_HEADER = org.apotheca.model.schema.ModelSchema.HEADER;
  static final String MODEL = "org.apotheca.model";
  private static final String PREFIX = "org.apotheca.";
  private static final Pattern UNIT = Pattern.compile("<unit id=['\"]([^'\"]+)['\"] version=['\"]([^'\"]+)['\"].*?</unit>",
      Pattern.DOTALL);
  private static final Pattern PRODUCT = Pattern.compile("name=['\"]org\\.eclipse\\.equinox\\.p2\\.type\\.product['\"] value=['\"]true['\"]");
  private static final Pattern PROFILE_FILE = Pattern.compile("(\\d+)\\.profile(\\.gz)?");

  /** One bundle as the report lists it. */
  public record Part(String name, String version, boolean optional, String schema) {
  }

  private VersionReport() {
  }

  /** The report of this process. */
  public static String report() {
    BundleContext bc = context();
    Path profile = profileFolder(bc);
    String product = null;
    try {
      product = profile == null ? null : product(profile);
    } catch (IOException e) {
      // a profile being rewritten by an update this instant: the product is unknown, the bundles still say it
    }
    return format(product, bc != null ? parts(bc) : classpathParts());
  }

  /** The lines, in the documented order: product, bundles by name, optional bundles by name, model schema. */
  public static String format(String product, List<Part> parts) {
    List<Part> sorted = parts.stream().filter(p -> p.name().startsWith(PREFIX))
        .sorted(Comparator.comparing(Part::name).thenComparing(Part::version)).toList();
    StringBuilder b = new StringBuilder("product=").append(product == null ? "unknown" : product);
    for (Part p : sorted) {
      if (!p.optional()) {
        b.append("\nbundle ").append(p.name()).append(' ').append(p.version());
      }
    }
    for (Part p : sorted) {
      if (p.optional()) {
        b.append("\noptional ").append(p.name()).append(' ').append(p.version());
      }
    }
    String schema = sorted.stream().filter(p -> p.name().equals(MODEL) && p.schema() != null && !p.schema().isBlank())
        .map(p -> p.schema().strip()).findFirst().orElse("unknown");
    return b.append("\nmodel-schema=").append(schema).toString();
  }

  /**
   * "apotheca-client 1.0.0.202612010520": the product unit of the newest state in a p2 profile folder
   * ({@code .../profileRegistry/DefaultProfile.profile}), named as its archive is ({@code org.apotheca.client.product}
   * is {@code apotheca-client}); null when the folder holds no state with a product.
   */
  public static String product(Path profileFolder) throws IOException {
    if (!Files.isDirectory(profileFolder)) {
      return null;
    }
    Path newest = null;
    long newestAt = -1;
    try (Stream<Path> files = Files.list(profileFolder)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Matcher m = PROFILE_FILE.matcher(f.getFileName().toString());
        if (m.matches() && Long.parseLong(m.group(1)) > newestAt) {
          newestAt = Long.parseLong(m.group(1));
          newest = f;
        }
      }
    }
    if (newest == null) {
      return null;
    }
    String xml;
    try (InputStream in = newest.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(newest))
        : Files.newInputStream(newest)) {
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher unit = UNIT.matcher(xml);
    while (unit.find()) {
      if (PRODUCT.matcher(unit.group()).find()) {
        return shortName(unit.group(1)) + " " + unit.group(2);
      }
    }
    return null;
  }

  static String shortName(String productId) {
    return productId.startsWith("org.") && productId.endsWith(".product")
        ? productId.substring(4, productId.length() - ".product".length()).replace('.', '-') : productId;
  }

  private static BundleContext context() {
    try {
      Bundle b = FrameworkUtil.getBundle(VersionReport.class);
      return b == null ? null : b.getBundleContext();
    } catch (LinkageError e) {
      return null; // plain Java without the OSGi classes
    }
  }

  private static String property(BundleContext bc, String key) {
    String v = bc == null ? null : bc.getProperty(key);
    return v != null ? v : System.getProperty(key);
  }

  /** Where p2 keeps this installation's profile: config.ini's eclipse.p2.data.area, else p2/ under the install area. */
  static Path profileFolder(BundleContext bc) {
    String profile = property(bc, "eclipse.p2.profile");
    String area = property(bc, "eclipse.p2.data.area");
    Path data;
    if (area != null && area.startsWith("@config.dir")) {
      Path config = path(property(bc, "osgi.configuration.area"));
      data = config == null ? null : config.resolve(area.substring("@config.dir".length()).replaceFirst("^/", "")).normalize();
    } else if (area != null) {
      data = path(area);
    } else {
      Path install = path(property(bc, "osgi.install.area"));
      data = install == null ? null : install.resolve("p2");
    }
    return data == null ? null
        : data.resolve("org.eclipse.equinox.p2.engine").resolve("profileRegistry")
            .resolve((profile == null || profile.isBlank() ? "DefaultProfile" : profile) + ".profile");
  }

  /** A location property ("file:/opt/apotheca/" or a plain path) as a path; null for anything else. */
  static Path path(String location) {
    if (location == null || location.isBlank()) {
      return null;
    }
    try {
      if (location.startsWith("file:")) {
        // Equinox writes file: URLs with unescaped spaces
        return Path.of(new URI("file", null, new URL(location).getPath(), null));
      }
      return Path.of(location);
    } catch (URISyntaxException | IOException | IllegalArgumentException e) {
      return null;
    }
  }

  private static List<Part> parts(BundleContext bc) {
    List<Part> parts = new ArrayList<>();
    for (Bundle b : bc.getBundles()) {
      String name = b.getSymbolicName();
      if (name != null && name.startsWith(PREFIX)) {
        // raw headers: no localization lookup
        parts.add(new Part(name, b.getVersion().toString(), "true".equalsIgnoreCase(trim(b.getHeaders("").get(OPTIONAL_HEADER))),
            b.getHeaders("").get(SCHEMA_HEADER)));
      }
    }
    return parts;
  }

  /** Outside OSGi: the manifests of the class path's Apotheca jars. */
  private static List<Part> classpathParts() {
    List<Part> parts = new ArrayList<>();
    try {
      Enumeration<URL> manifests = VersionReport.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
      while (manifests.hasMoreElements()) {
        try (InputStream in = manifests.nextElement().openStream()) {
          var main = new Manifest(in).getMainAttributes();
          String name = trim(main.getValue("Bundle-SymbolicName"));
          if (name != null && name.startsWith(PREFIX)) {
            parts.add(new Part(name.split(";")[0].strip(), String.valueOf(main.getValue("Bundle-Version")),
                "true".equalsIgnoreCase(trim(main.getValue(OPTIONAL_HEADER))), main.getValue(SCHEMA_HEADER)));
          }
        }
      }
    } catch (IOException e) {
      // what was read is reported
    }
    return parts;
  }

  private static String trim(String s) {
    return s == null ? null : s.strip();
  }
}
