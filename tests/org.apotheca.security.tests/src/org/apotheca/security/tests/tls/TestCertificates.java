package org.apotheca.security.tests.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.apotheca.security.tls.TlsContexts;

/**
 * Test certificates made by the JDK's keytool (not by our own authority, which is tested on its own): two
 * authorities, ours and a foreign one, and EC leaf certificates for servers and clients, some expired.
 */
final class TestCertificates {

  static final char[] PASSWORD = "test-only-password".toCharArray();
  private static final String PASS = new String(PASSWORD);

  final X509Certificate ca;
  final X509Certificate foreignCa;
  private final Map<String, KeyStore> leaves = new ConcurrentHashMap<>();

  private final Path dir;

  private TestCertificates(Path dir) throws Exception {
    this.dir = dir;
    ExecutorService parallel = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> authorities = List.of(parallel.submit(() -> authority("ca", "CN=Apotheca Test CA")),
          parallel.submit(() -> authority("foreign-ca", "CN=Someone Else's CA")));
      for (Future<?> f : authorities) {
        f.get();
      }
      List<Future<?>> all = new ArrayList<>();
      all.add(parallel.submit(() -> leaf("central", "CN=central,O=Apotheca Test", "ca", null, 365)));
      all.add(parallel.submit(() -> leaf("till-1", "CN=till-1,O=Apotheca Test", "ca", null, 365)));
      all.add(parallel.submit(() -> leaf("till-revoked", "CN=till-revoked,O=Apotheca Test", "ca", null, 365)));
      // started 30 days ago for 10 days: expired 20 days ago
      all.add(parallel.submit(() -> leaf("expired", "CN=expired,O=Apotheca Test", "ca", "-30d", 10)));
      all.add(parallel.submit(() -> leaf("foreign", "CN=foreign,O=Someone Else", "foreign-ca", null, 365)));
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      parallel.shutdown();
      parallel.awaitTermination(1, TimeUnit.MINUTES);
    }
    ca = certificate(dir.resolve("ca.p12"), "ca");
    foreignCa = certificate(dir.resolve("foreign-ca.p12"), "foreign-ca");
  }

  static TestCertificates make(Path dir) throws Exception {
    return new TestCertificates(dir);
  }

  /** A key entry (chain [leaf, its authority]) for one of: central, till-1, till-revoked, expired, foreign. */
  KeyStore keyStore(String leaf) {
    KeyStore ks = leaves.get(leaf);
    if (ks == null) {
      throw new IllegalArgumentException("no test certificate " + leaf);
    }
    return ks;
  }

  /** A context presenting {@code leaf} and trusting our authority with the standard check. */
  SSLContext context(String leaf) {
    return TlsContexts.create(keyStore(leaf), PASSWORD, ca, TlsContexts.signedBy(ca));
  }

  /** A context with no certificate of its own. */
  SSLContext contextWithoutCertificate() throws Exception {
    KeyStore empty = KeyStore.getInstance("PKCS12");
    empty.load(null, null);
    return TlsContexts.create(empty, PASSWORD, ca, TlsContexts.signedBy(ca));
  }

  static String commonName(X509Certificate certificate) {
    for (String part : certificate.getSubjectX500Principal().getName().split(",")) {
      if (part.startsWith("CN=")) {
        return part.substring(3);
      }
    }
    return certificate.getSubjectX500Principal().getName();
  }

  private Void authority(String file, String dname) throws Exception {
    keytool("-genkeypair", "-alias", file, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-ext",
        "bc:c", "-validity", "3650", "-keystore", dir.resolve(file + ".p12").toString());
    return null;
  }

  private Void leaf(String name, String dname, String authority, String startDate, int days) throws Exception {
    String store = dir.resolve(name + ".p12").toString();
    keytool("-genkeypair", "-alias", "me", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-keystore",
        store);
    keytool("-certreq", "-alias", "me", "-keystore", store, "-file", dir.resolve(name + ".csr").toString());
    List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", authority, "-keystore",
        dir.resolve(authority + ".p12").toString(), "-infile", dir.resolve(name + ".csr").toString(), "-outfile",
        dir.resolve(name + ".cer").toString(), "-ext", "EKU=serverAuth,clientAuth", "-validity",
        Integer.toString(days)));
    if (startDate != null) {
      gencert.addAll(List.of("-startdate", startDate));
    }
    keytool(gencert.toArray(String[]::new));

    KeyStore generated = load(Path.of(store));
    PrivateKey key = (PrivateKey) generated.getKey("me", PASSWORD);
    X509Certificate issued;
    try (InputStream in = Files.newInputStream(dir.resolve(name + ".cer"))) {
      issued = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("me", key, PASSWORD,
        new Certificate[] { issued, certificate(dir.resolve(authority + ".p12"), authority) });
    leaves.put(name, ks);
    return null;
  }

  private static KeyStore load(Path file) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, PASSWORD);
    }
    return ks;
  }

  private static X509Certificate certificate(Path store, String alias) throws Exception {
    return (X509Certificate) load(store).getCertificate(alias);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // a short-lived JVM: the quick compiler and a small collector start it in about half the time
    command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASS, "-keypass", PASS, "-noprompt"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
