import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import com.sun.net.httpserver.SimpleFileServer;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A static https file server for the p2 round trip (releng/scripts/p2-roundtrip.sh): serves an update site the way a
 * web server with a certificate of the pharmacy chain's own CA would. The JDK's jwebserver speaks only http.
 * Args: keystore.p12 password port folder. Logs one line per request on stdout.
 */
public final class HttpsSiteServer {
  public static void main(String[] args) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = new FileInputStream(args[0])) {
      keys.load(in, args[1].toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, args[1].toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[2])), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", SimpleFileServer.createFileHandler(Path.of(args[3]).toAbsolutePath()))
        .getFilters().add(SimpleFileServer.createOutputFilter(System.out, SimpleFileServer.OutputLevel.INFO));
    server.start();
  }
}
