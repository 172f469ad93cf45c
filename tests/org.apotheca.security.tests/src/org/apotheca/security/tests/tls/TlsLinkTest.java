package org.apotheca.security.tests.tls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.apotheca.security.tls.Gatekeeper;
import org.apotheca.security.tls.LinkException;
import org.apotheca.security.tls.LinkRefusedException;
import org.apotheca.security.tls.Refusal;
import org.apotheca.security.tls.TlsContexts;
import org.apotheca.security.tls.TlsGate;
import org.apotheca.security.tls.TlsGate.TunnelInfo;
import org.apotheca.security.tls.TlsLink;
import org.apotheca.security.tls.TlsLink.Forwarder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS links through a gate on real loopback sockets, and peers the gate must refuse, each with one log line. */
class TlsLinkTest {

  private static final String GATE = "test gate";
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir
  static Path dir;
  private static TestCertificates certs;

  private EchoServer echo;
  private LogCapture log;
  private TlsGate gate;
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  /** Admits our tills by common name; till-revoked is revoked; dates are checked as a real gatekeeper would. */
  private final Gatekeeper gatekeeper = new Gatekeeper() {
    @Override
    public Object admit(X509Certificate peer, InetSocketAddress from, String verb) throws Refusal {
      String name = TestCertificates.commonName(peer);
      if (name.equals("till-revoked")) {
        throw new Refusal("REVOKED", "this till's certificate was withdrawn; ask the pharmacy's administrator");
      }
      Gatekeeper.checkDates(peer, Instant.now());
      return name;
    }

    @Override
    public String answer(Object identity, String verb, String argument) throws Refusal {
      if (verb.equals("RENEW")) {
        return "CERT " + Base64.getEncoder().encodeToString((identity + "/" + argument).getBytes(UTF_8));
      }
      return Gatekeeper.super.answer(identity, verb, argument);
    }
  };

  @BeforeAll
  static void certificates() throws Exception {
    long start = System.nanoTime();
    certs = TestCertificates.make(dir);
    System.out.printf("test certificates made with keytool in %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  @BeforeEach
  void start() throws IOException {
    echo = new EchoServer();
    log = new LogCapture(TlsGate.class.getName());
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : cleanup) {
      c.close();
    }
    if (gate != null) {
      gate.close();
    }
    echo.close();
    log.close();
  }

  private TlsGate gate(SSLContext context, Duration handshakeTimeout, int maxPending, InetSocketAddress target)
      throws IOException {
    gate = new TlsGate(GATE, context, new InetSocketAddress(LOOPBACK, 0), target, gatekeeper, handshakeTimeout,
        maxPending).start();
    return gate;
  }

  private TlsGate gate() throws IOException {
    return gate(certs.context("central"), Duration.ofSeconds(5), 0, echo.address());
  }

  private TlsLink link(SSLContext context) {
    return new TlsLink("central", context, new InetSocketAddress("127.0.0.1", gate.port()), Duration.ofSeconds(2),
        Duration.ofSeconds(5));
  }

  private Socket local(Forwarder forwarder) throws IOException {
    Socket s = new Socket(LOOPBACK, forwarder.localPort());
    s.setTcpNoDelay(true);
    s.setSoTimeout(10_000);
    cleanup.add(s);
    return s;
  }

  private static void roundTrip(Socket s, String text) throws IOException {
    byte[] sent = text.getBytes(UTF_8);
    s.getOutputStream().write(sent);
    assertArrayEquals(sent, s.getInputStream().readNBytes(sent.length), "echoed through the tunnel");
  }

  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        fail("not within 10 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Exactly one WARNING line, naming the gate and the peer, containing every piece. */
  private String assertOneWarning(String... pieces) throws InterruptedException {
    eventually("a warning", () -> !log.lines(Level.WARNING).isEmpty());
    Thread.sleep(300); // a second line, if there were one, would come from the same thread by now
    List<String> warnings = log.lines(Level.WARNING);
    assertEquals(1, warnings.size(), log.text());
    String line = warnings.get(0);
    assertTrue(line.startsWith(GATE + ": refused 127.0.0.1:"), line);
    for (String piece : pieces) {
      assertTrue(line.contains(piece), "'" + piece + "' in: " + line);
    }
    return line;
  }

  private static void assertPlain(String message) {
    for (String jargon : new String[] { "Exception", "javax", "sun.", "SSL", "null" }) {
      assertFalse(message.contains(jargon), "'" + jargon + "' in: " + message);
    }
  }

  /** The peer's socket ends (EOF or reset) within {@code limit}; returns how long it took. */
  private static Duration closedWithin(Socket s, Duration limit) throws IOException {
    long start = System.nanoTime();
    s.setSoTimeout((int) limit.toMillis());
    try {
      InputStream in = s.getInputStream();
      while (in.read() != -1) {
        // drain
      }
    } catch (java.net.SocketTimeoutException e) {
      fail("still open after " + limit.toMillis() + " ms");
    } catch (IOException e) {
      // reset: closed all the same
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void aTunnelEchoesKnowsWhoIsBehindItAndClosesOnRevocation() throws Exception {
    gate();
    List<String> events = new CopyOnWriteArrayList<>();
    gate.addListener(new TlsGate.Listener() {
      @Override
      public void opened(TunnelInfo tunnel) {
        events.add("opened " + tunnel.identity());
      }

      @Override
      public void closed(TunnelInfo tunnel, String why) {
        events.add("closed " + tunnel.identity() + ": " + why);
      }
    });
    Forwarder forwarder = link(certs.context("till-1")).open();
    cleanup.add(forwarder);
    assertTrue(forwarder.isOpen());
    Socket s = local(forwarder);
    roundTrip(s, "sale 1: 2 x paracetamol\n");
    roundTrip(s, "é€ and more\n");

    int seenByTarget = echo.remotePorts.poll(5, TimeUnit.SECONDS);
    assertEquals(Optional.of("till-1"), gate.identityOfTargetConnection(seenByTarget));
    assertEquals(Optional.empty(), gate.identityOfTargetConnection(s.getLocalPort()), "not a target connection");
    List<TunnelInfo> tunnels = gate.tunnels();
    assertEquals(1, tunnels.size());
    TunnelInfo info = tunnels.get(0);
    assertEquals("till-1", info.identity());
    assertEquals("127.0.0.1", info.from().getAddress().getHostAddress());
    int bytes = "sale 1: 2 x paracetamol\n".length() + "é€ and more\n".getBytes(UTF_8).length;
    eventually("byte counts", () -> gate.tunnels().get(0).bytesOut() == bytes);
    assertEquals(bytes, gate.tunnels().get(0).bytesIn());

    assertEquals(0, gate.closeTunnels(identity -> identity.equals("till-2")));
    assertEquals(1, gate.closeTunnels(identity -> identity.equals("till-1")));
    assertTrue(gate.tunnels().isEmpty());
    assertEquals(Optional.empty(), gate.identityOfTargetConnection(seenByTarget));
    assertEquals(-1, s.getInputStream().read(), "the till sees the end of the stream");
    eventually("the forwarder closed", () -> !forwarder.isOpen());
    eventually("the target's connection closed", () -> echo.openConnections() == 0);

    assertEquals(List.of("opened till-1", "closed till-1: closed by this server"), events);
    List<String> info2 = log.lines(Level.INFO).stream().filter(l -> l.contains("tunnel")).toList();
    assertEquals(2, info2.size(), log.text());
    assertTrue(info2.get(0).startsWith(GATE + ": tunnel open for till-1 from 127.0.0.1:"), info2.get(0));
    assertTrue(info2.get(1).contains("tunnel closed for till-1") && info2.get(1).contains("closed by this server")
        && info2.get(1).contains(bytes + " bytes in"), info2.get(1));
    assertTrue(log.lines(Level.WARNING).isEmpty(), log.text());
  }

  @Test
  void aTillWithoutCertificateIsRefused() throws Exception {
    gate();
    LinkException e = assertThrows(LinkException.class, () -> link(certs.contextWithoutCertificate()).open());
    assertFalse(e instanceof LinkRefusedException);
    // TLS 1.3: the till's side of the handshake is over before the gate looks at its certificate; the gate's alert
    // arrives on the first read, and only if the gate does not reset the connection under it
    assertEquals("central asked for this computer's certificate and it has none", e.getMessage());
    assertPlain(e.getMessage());
    assertOneWarning("no client certificate");
  }

  @Test
  void aClientCertificateFromAnotherAuthorityIsRefused() throws Exception {
    gate();
    // it trusts our authority, so the handshake gets as far as the gate's check of its own certificate
    SSLContext foreign = TlsContexts.create(certs.keyStore("foreign"),
        TestCertificates.PASSWORD, certs.ca, TlsContexts.signedBy(certs.ca));
    LinkException e = assertThrows(LinkException.class, () -> link(foreign).open());
    assertEquals("central does not accept this computer's certificate (it may be from another certificate "
        + "authority)", e.getMessage());
    assertPlain(e.getMessage());
    assertOneWarning("certificate not issued by this authority");
  }

  @Test
  void aServerCertificateFromAnotherAuthorityIsNamedPlainly() throws Exception {
    gate(certs.context("foreign"), Duration.ofSeconds(5), 0, echo.address());
    LinkException e = assertThrows(LinkException.class, () -> link(certs.context("till-1")).open());
    assertEquals("central's certificate is not from our certificate authority", e.getMessage());
    assertOneWarning("the client does not accept this server's certificate");
  }

  @Test
  void anExpiredServerCertificateIsNamedPlainly() throws Exception {
    gate(certs.context("expired"), Duration.ofSeconds(5), 0, echo.address());
    LinkException e = assertThrows(LinkException.class, () -> link(certs.context("till-1")).open());
    assertTrue(e.getMessage().matches("central's certificate expired on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC"),
        e.getMessage());
  }

  @Test
  void aRevokedTillGetsTheGatekeepersSentence() throws Exception {
    gate();
    List<String> refused = new CopyOnWriteArrayList<>();
    gate.addListener(new TlsGate.Listener() {
      @Override
      public void refused(InetSocketAddress from, String reason) {
        refused.add(reason);
      }
    });
    LinkRefusedException e = assertThrows(LinkRefusedException.class,
        () -> link(certs.context("till-revoked")).open());
    assertEquals("REVOKED", e.code());
    assertEquals("this till's certificate was withdrawn; ask the pharmacy's administrator", e.getMessage());
    String line = assertOneWarning("REVOKED", "withdrawn", "CN=till-revoked");
    assertEquals(1, refused.size());
    assertTrue(line.endsWith(refused.get(0)), line);
    assertTrue(gate.tunnels().isEmpty());
    assertEquals(0, echo.openConnections());
  }

  @Test
  void aTillWithAnExpiredCertificateIsToldSoInASentence() throws Exception {
    gate();
    LinkRefusedException e = assertThrows(LinkRefusedException.class, () -> link(certs.context("expired")).open());
    assertEquals("EXPIRED", e.code());
    assertTrue(e.getMessage().matches("this computer's certificate expired on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC"),
        e.getMessage());
    assertOneWarning("EXPIRED", "CN=expired");
  }

  @Test
  void plainTcpIsClosed() throws Exception {
    gate();
    try (Socket s = new Socket(LOOPBACK, gate.port())) {
      s.getOutputStream().write("hello\n".getBytes(UTF_8));
      Duration took = closedWithin(s, Duration.ofSeconds(2));
      assertTrue(took.toMillis() < 1000, took.toString());
    }
    assertOneWarning("plain TCP, not TLS");
  }

  @Test
  void threeBytesAndSilenceAreClosedWithinTheHandshakeTimeout() throws Exception {
    gate(certs.context("central"), Duration.ofSeconds(1), 0, echo.address());
    try (Socket s = new Socket(LOOPBACK, gate.port())) {
      s.getOutputStream().write(new byte[] { 0x16, 0x03, 0x01 });
      Duration took = closedWithin(s, Duration.ofSeconds(5));
      System.out.println("3 bytes and silence: closed after " + took.toMillis() + " ms (timeout 1 s)");
      assertTrue(took.toMillis() >= 900 && took.toMillis() < 2500, took.toString());
    }
    assertOneWarning("did not finish the TLS handshake within 1 s");
  }

  /** A byte every 200 ms never trips a read timeout: only the deadline over the whole handshake ends it. */
  @Test
  void aDrippingClientIsClosedAtTheDeadline() throws Exception {
    gate(certs.context("central"), Duration.ofSeconds(1), 0, echo.address());
    try (Socket s = new Socket(LOOPBACK, gate.port())) {
      OutputStream out = s.getOutputStream();
      out.write(new byte[] { 0x16, 0x03, 0x01, 0x01, 0x00 }); // a handshake record of 256 bytes, coming slowly
      Thread drip = Thread.ofVirtual().start(() -> {
        try {
          for (int i = 0; i < 50; i++) {
            Thread.sleep(200);
            out.write(0);
          }
        } catch (IOException | InterruptedException e) {
          // closed by the gate
        }
      });
      Duration took = closedWithin(s, Duration.ofSeconds(5));
      drip.interrupt();
      assertTrue(took.toMillis() >= 900 && took.toMillis() < 2500, took.toString());
    }
    assertOneWarning("did not finish the TLS handshake within 1 s");
  }

  @Test
  void aHandshakeWithoutGreetingIsClosedWithinTheHandshakeTimeout() throws Exception {
    gate(certs.context("central"), Duration.ofSeconds(1), 0, echo.address());
    try (SSLSocket s = (SSLSocket) certs.context("till-1").getSocketFactory().createSocket(LOOPBACK, gate.port())) {
      long start = System.nanoTime();
      s.startHandshake();
      Duration took = closedWithin(s, Duration.ofSeconds(5));
      long total = (System.nanoTime() - start) / 1_000_000;
      assertTrue(total >= 900 && took.toMillis() < 2500, total + " ms");
    }
    assertOneWarning("no greeting within 1 s", "CN=till-1");
  }

  @Test
  void aTls12ClientIsRefused() throws Exception {
    gate();
    try (SSLSocket s = (SSLSocket) certs.context("till-1").getSocketFactory().createSocket(LOOPBACK, gate.port())) {
      s.setEnabledProtocols(new String[] { "TLSv1.2" });
      assertThrows(SSLException.class, () -> {
        s.startHandshake();
        s.getInputStream().read();
      });
    }
    assertOneWarning("does not speak TLS 1.3");
  }

  @Test
  void contextsAreTls13OnlyAndServersRequireClientCertificates() throws Exception {
    SSLContext context = certs.context("central");
    try (SSLSocket client = (SSLSocket) context.getSocketFactory().createSocket();
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket()) {
      assertArrayEquals(new String[] { "TLSv1.3" }, client.getEnabledProtocols());
      assertArrayEquals(new String[] { "TLSv1.3" }, server.getEnabledProtocols());
      assertTrue(server.getNeedClientAuth());
    }
    SSLParameters defaults = context.getDefaultSSLParameters();
    assertArrayEquals(new String[] { "TLSv1.3" }, defaults.getProtocols());
    assertArrayEquals(new String[] { "TLSv1.3" }, context.createSSLEngine().getEnabledProtocols());
    // a second init would replace the pinned trust decision
    assertThrows(java.security.KeyManagementException.class, () -> context.init(null, null, null));
  }

  @Test
  void twoHundredHalfOpenConnectionsDoNotHoldUpATill() throws Exception {
    gate(certs.context("central"), Duration.ofSeconds(3), 0, echo.address());
    TlsLink till = link(certs.context("till-1"));
    long baseline = 0;
    for (int i = 0; i < 3; i++) { // the first handshake in a JVM loads and compiles a lot
      long start = System.nanoTime();
      try (Forwarder f = till.open(); Socket s = local(f)) {
        roundTrip(s, "ping\n");
      }
      baseline = (System.nanoTime() - start) / 1_000_000;
    }
    // The deadline closes a socket first and the connection's thread logs the refusal after it: count the refusals
    // themselves, so that the gate is not closed (when refusals are no longer warnings) between the two.
    AtomicInteger refused = new AtomicInteger();
    gate.addListener(new TlsGate.Listener() {
      @Override
      public void refused(InetSocketAddress from, String reason) {
        refused.incrementAndGet();
      }
    });
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        Socket s = new Socket(LOOPBACK, gate.port());
        if (i % 2 == 1) {
          s.getOutputStream().write(new byte[] { 0x16, 0x03, 0x01 }); // and nothing more
        }
        idle.add(s);
      }
      long start = System.nanoTime();
      try (Forwarder f = till.open(); Socket s = local(f)) {
        roundTrip(s, "ping\n");
      }
      long loaded = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("till: open + echo in %d ms alone, %d ms beside 200 half-open connections%n", baseline,
          loaded);
      assertTrue(loaded < 3000, loaded + " ms");
      for (Socket s : idle) {
        closedWithin(s, Duration.ofSeconds(10));
      }
      eventually("the gate refused all 200", () -> refused.get() >= 200);
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
    gate.close(); // writes the counts of repeated lines
    List<String> warnings = log.lines(Level.WARNING);
    System.out.println(String.join("\n", warnings));
    assertEquals(4, warnings.size(), log.text());
    assertEquals(1, warnings.stream().filter(w -> w.contains("refused 127.0.0.1:")
        && w.endsWith("sent nothing within 3 s")).count(), log.text());
    assertEquals(1, warnings.stream().filter(w -> w.contains("refused 127.0.0.1:")
        && w.endsWith("did not finish the TLS handshake within 3 s")).count(), log.text());
    assertEquals(1, warnings.stream().filter(w -> w.startsWith(GATE + ": ...and 99 more like it from 127.0.0.1 "
        + "in the last 10 s: sent nothing within 3 s")).count(), log.text());
    assertEquals(1, warnings.stream().filter(w -> w.startsWith(GATE + ": ...and 99 more like it from 127.0.0.1 "
        + "in the last 10 s: did not finish the TLS handshake within 3 s")).count(), log.text());
  }

  @Test
  void beyondMaxPendingNewConnectionsAreClosedAtOnce() throws Exception {
    gate(certs.context("central"), Duration.ofSeconds(5), 5, echo.address());
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        idle.add(new Socket(LOOPBACK, gate.port()));
      }
      Thread.sleep(300); // accepted by now
      try (Socket sixth = new Socket(LOOPBACK, gate.port())) {
        Duration took = closedWithin(sixth, Duration.ofSeconds(2));
        assertTrue(took.toMillis() < 1000, took.toString());
      }
      assertOneWarning("too many connections still in their handshake (5)");
      for (Socket s : idle) {
        assertThrows(java.net.SocketTimeoutException.class, () -> {
          s.setSoTimeout(50);
          s.getInputStream().read();
        }, "the first five are still waiting for their handshake");
      }
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  @Test
  void aRequestGetsTheGatekeepersAnswer() throws Exception {
    gate();
    TlsLink till = link(certs.context("till-1"));
    String answer = till.request("RENEW", "key material stays out of logs");
    assertEquals("CERT " + Base64.getEncoder().encodeToString("till-1/key material stays out of logs".getBytes(UTF_8)),
        answer);
    LinkRefusedException e = assertThrows(LinkRefusedException.class, () -> till.request("FROBNICATE", null));
    assertEquals("BAD_REQUEST", e.code());
    assertEquals("unknown request", e.getMessage());
    assertOneWarning("BAD_REQUEST", "FROBNICATE");
    assertEquals(1, log.lines(Level.INFO).stream().filter(l -> l.contains("answered RENEW for till-1")).count());
    assertFalse(log.text().contains("key material"), log.text());
    assertThrows(IllegalArgumentException.class, () -> till.request("CONNECT", null));
  }

  @Test
  void aTargetThatIsDownMeansUnavailable() throws Exception {
    InetSocketAddress nobody;
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      nobody = new InetSocketAddress(LOOPBACK, s.getLocalPort());
    }
    gate(certs.context("central"), Duration.ofSeconds(5), 0, nobody);
    LinkRefusedException e = assertThrows(LinkRefusedException.class, () -> link(certs.context("till-1")).open());
    assertEquals("UNAVAILABLE", e.code());
    assertEquals("the server is starting or stopping", e.getMessage());
    assertOneWarning("UNAVAILABLE", "did not take the connection");
    assertTrue(gate.tunnels().isEmpty());
  }

  @Test
  void aServerThatIsNotThereOrNotTlsIsNamedPlainly() throws Exception {
    InetSocketAddress nobody;
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      nobody = new InetSocketAddress("127.0.0.1", s.getLocalPort());
    }
    TlsLink link = new TlsLink("central", certs.context("till-1"), nobody, Duration.ofSeconds(2),
        Duration.ofSeconds(1));
    LinkException e = assertThrows(LinkException.class, link::open);
    assertEquals("central at 127.0.0.1:" + nobody.getPort() + " does not answer", e.getMessage());

    // a plain TCP server that answers the handshake with text, like a web server
    try (ServerSocket text = new ServerSocket(0, 1, LOOPBACK)) {
      Thread.ofVirtual().start(() -> {
        try (Socket s = text.accept()) {
          s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(UTF_8));
          s.getInputStream().read();
        } catch (IOException ignored) {
          // the client left
        }
      });
      TlsLink toText = new TlsLink("central", certs.context("till-1"),
          new InetSocketAddress("127.0.0.1", text.getLocalPort()), Duration.ofSeconds(2), Duration.ofSeconds(1));
      LinkException notTls = assertThrows(LinkException.class, toText::open);
      assertEquals("central at 127.0.0.1:" + text.getLocalPort() + " is not speaking TLS", notTls.getMessage());
    }
  }

  @Test
  void theForwarderTakesExactlyOneLocalConnection() throws Exception {
    gate();
    try (Forwarder f = link(certs.context("till-1")).open()) {
      Socket first = local(f);
      roundTrip(first, "first\n");
      assertThrows(IOException.class, () -> local(f), "a second local connection");
      roundTrip(first, "still fine\n");
      f.close();
      assertFalse(f.isOpen());
      assertEquals(-1, first.getInputStream().read());
    }
    eventually("the tunnel closed at the gate", () -> gate.tunnels().isEmpty());
  }

  @Test
  void tenMegabytesComeBackIntact() throws Exception {
    gate();
    byte[] data = new byte[10 * 1024 * 1024];
    new Random(42).nextBytes(data);
    try (Forwarder f = link(certs.context("till-1")).open()) {
      Socket s = local(f);
      long start = System.nanoTime();
      Thread writer = Thread.ofVirtual().start(() -> {
        try {
          OutputStream out = s.getOutputStream();
          for (int off = 0; off < data.length; off += 64 * 1024) {
            out.write(data, off, Math.min(64 * 1024, data.length - off));
          }
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      byte[] back = s.getInputStream().readNBytes(data.length);
      long ms = (System.nanoTime() - start) / 1_000_000;
      writer.join();
      assertArrayEquals(data, back);
      System.out.printf("10 MB echoed through the tunnel in %d ms (%.1f MB/s each way)%n", ms,
          10.0 * 1000 / Math.max(1, ms));
      assertEquals(data.length, gate.tunnels().get(0).bytesIn());
    }
  }

  /** Guards the test's own premise: the gatekeeper's answer for a verb it does not know. */
  @Test
  void theDefaultAnswerIsBadRequest() {
    Gatekeeper admitAll = (peer, from, verb) -> "anyone";
    Refusal r = assertThrows(Refusal.class, () -> admitAll.answer("anyone", "RENEW", null));
    assertEquals("BAD_REQUEST", r.code());
    assertThrows(IllegalArgumentException.class, () -> new Refusal("not a code", "sentence"));
  }
}
