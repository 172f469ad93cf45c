package org.apotheca.security.tests.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.apotheca.security.pki.CertificateAuthority;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that JSSE takes our certificates: real TLS 1.3 handshakes on 127.0.0.1, both sides authenticated, with
 * the JDK's default key and trust managers fed from {@link KeyMaterial#keyStore} and {@link KeyMaterial#trustStore}.
 */
class TlsHandshakeTest {

  private static final char[] PASSWORD = "in-memory".toCharArray();
  private static final int TIMEOUT_MS = 5000;

  @TempDir
  Path tmp;

  private final ExecutorService server = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopServer() {
    server.shutdownNow();
  }

  @Test
  void centralAndASiteShakeHandsWithTls13AndSeeEachOther() throws Exception {
    CertificateAuthority ca = CertificateAuthority.createOrOpen(tmp.resolve("ca"), "Apotheca CA");
    KeyMaterial central = ca.issueKeyMaterial(MachineIdentity.central("central"), Duration.ofDays(1));
    KeyMaterial site = ca.issueKeyMaterial(MachineIdentity.site("0001"), Duration.ofDays(1));

    try (SSLServerSocket listener = listen(central)) {
      Future<MachineIdentity> seenByServer = server.submit(() -> {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
          s.setSoTimeout(TIMEOUT_MS);
          s.startHandshake();
          s.getOutputStream().write(s.getInputStream().read() + 1);
          s.getOutputStream().flush();
          return MachineIdentity.of((X509Certificate) s.getSession().getPeerCertificates()[0]);
        }
      });
      try (SSLSocket client = connect(site, listener.getLocalPort())) {
        client.startHandshake();
        assertEquals("TLSv1.3", client.getSession().getProtocol());
        assertEquals(MachineIdentity.central("central"),
            MachineIdentity.of((X509Certificate) client.getSession().getPeerCertificates()[0]));
        client.getOutputStream().write(41);
        client.getOutputStream().flush();
        assertEquals(42, client.getInputStream().read(), "the server accepted our certificate and answered");
      }
      assertEquals(MachineIdentity.site("0001"), seenByServer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  void aServerRefusesAClientWhoseCertificateAnotherCaIssued() throws Exception {
    CertificateAuthority ca = CertificateAuthority.createOrOpen(tmp.resolve("ca"), "Apotheca CA");
    CertificateAuthority impostor = CertificateAuthority.createOrOpen(tmp.resolve("impostor"), "Apotheca CA");
    KeyMaterial central = ca.issueKeyMaterial(MachineIdentity.central("central"), Duration.ofDays(1));
    KeyMaterial forged = impostor.issueKeyMaterial(MachineIdentity.site("0001"), Duration.ofDays(1));
    // the impostor trusts the real CA, so only the server's check can stop it
    KeyMaterial forgedTrustingCentral = new KeyMaterial(forged.key(), forged.chain(), ca.certificate());

    try (SSLServerSocket listener = listen(central)) {
      Future<?> handshake = server.submit(() -> {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
          s.setSoTimeout(TIMEOUT_MS);
          s.startHandshake();
          return null;
        }
      });
      int answer;
      try (SSLSocket client = connect(forgedTrustingCentral, listener.getLocalPort())) {
        // in TLS 1.3 the client finishes its side before the server has judged its certificate: the verdict comes
        // with the first read
        client.startHandshake();
        answer = client.getInputStream().read();
      } catch (IOException refused) {
        // an alert, or a reset or broken pipe when the server has already closed: timing decides which
        answer = -1;
      }
      assertEquals(-1, answer, "no data for a refused client");
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> handshake.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
      assertTrue(e.getCause() instanceof SSLHandshakeException, e.getCause().toString());
    }
  }

  private static SSLServerSocket listen(KeyMaterial m) throws Exception {
    SSLServerSocket listener = (SSLServerSocket) context(m).getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    listener.setNeedClientAuth(true);
    listener.setEnabledProtocols(new String[] {"TLSv1.3"});
    listener.setSoTimeout(TIMEOUT_MS);
    return listener;
  }

  private static SSLSocket connect(KeyMaterial m, int port) throws Exception {
    SSLSocket socket = (SSLSocket) context(m).getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
    socket.setEnabledProtocols(new String[] {"TLSv1.3"});
    socket.setSoTimeout(TIMEOUT_MS);
    return socket;
  }

  private static SSLContext context(KeyMaterial m) throws Exception {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(m.keyStore(PASSWORD), PASSWORD);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(m.trustStore());
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }
}
