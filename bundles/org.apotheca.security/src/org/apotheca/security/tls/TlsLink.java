package org.apotheca.security.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The client end of a {@link TlsGate}: a Net4j TCP connector connects to {@link Forwarder#localPort()} on
 * 127.0.0.1 and the forwarder carries its bytes over TLS to the gate. Failures come back as {@link LinkException}
 * with a sentence a person can act on ("central at central.example:2036 does not answer").
 */
public final class TlsLink {

  private static final Logger LOG = Logger.getLogger(TlsLink.class.getName());
  static final Duration LOCAL_ACCEPT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration LINGER = Duration.ofMillis(500);

  /** A local end of one tunnel: 127.0.0.1:{@link #localPort()} takes exactly one connection. */
  public interface Forwarder extends AutoCloseable {

    int localPort();

    /** False once either side closed, or nothing connected locally within 10 s. */
    boolean isOpen();

    /** Bytes the far end has sent through this tunnel so far (what progress of a download can be told from). */
    default long bytesReceived() {
      return 0;
    }

    @Override
    void close();
  }

  private final String name;
  private final SSLContext context;
  private final InetSocketAddress remote;
  private final Duration connectTimeout;
  private final Duration handshakeTimeout;
  private final String where;

  /**
   * @param name how sentences name the far end, e.g. "central" or "the pharmacy node"
   * @param context from {@link TlsContexts#create}
   */
  public TlsLink(String name, SSLContext context, InetSocketAddress remote, Duration connectTimeout,
      Duration handshakeTimeout) {
    this.name = Objects.requireNonNull(name, "name");
    this.context = Objects.requireNonNull(context, "context");
    this.remote = Objects.requireNonNull(remote, "remote");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    this.where = name + " at " + remote.getHostString() + ":" + remote.getPort();
  }

  /**
   * Connects, completes the TLS handshake and asks for a tunnel.
   *
   * @return a forwarder on 127.0.0.1 that takes exactly one local connection within 10 s
   * @throws LinkRefusedException if the gate said REFUSED (its code and sentence)
   * @throws LinkException with a plain sentence for any other failure
   */
  public Forwarder open() throws IOException {
    Session session = handshake();
    try {
      String answer = session.ask(Wire.CONNECT, null);
      if (!Wire.OK.equals(answer)) {
        throw new LinkException(where + " answered something this program does not understand");
      }
      return new LocalForwarder(session);
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /**
   * One request other than CONNECT (e.g. {@code RENEW <key>}) on a connection of its own.
   *
   * @return the gate's one-line answer
   * @throws LinkRefusedException if the gate said REFUSED
   */
  public String request(String verb, String argument) throws IOException {
    if (!Wire.isVerb(verb) || Wire.CONNECT.equals(verb)) {
      throw new IllegalArgumentException("not a request verb: " + verb + (Wire.CONNECT.equals(verb) ? " (use open())" : ""));
    }
    if (argument != null && (argument.indexOf('\n') >= 0 || argument.indexOf('\r') >= 0
        || Wire.request(verb, argument).length() > Wire.MAX_LINE)) {
      throw new IllegalArgumentException("a request's argument is one line of at most 16 KB");
    }
    Session session = handshake();
    try {
      return session.ask(verb, argument);
    } finally {
      session.close();
    }
  }

  /** Reads the body that follows an answer line (see {@link Gatekeeper.Reply}). */
  public interface BodyReader<T> {
    /**
     * @param line the gate's answer line, which says how many bytes follow
     * @param body the connection after that line: read exactly what the line announced
     */
    T read(String line, InputStream body) throws IOException;
  }

  /**
   * One request whose answer line is followed by a body (a chunk of a download), on a connection of its own. Reads
   * time out after the handshake timeout of silence, so a cut link ends the request instead of hanging it.
   *
   * @throws LinkRefusedException if the gate said REFUSED
   */
  public <T> T request(String verb, String argument, BodyReader<T> reader) throws IOException {
    if (!Wire.isVerb(verb) || Wire.CONNECT.equals(verb)) {
      throw new IllegalArgumentException("not a request verb: " + verb);
    }
    if (argument != null && (argument.indexOf('\n') >= 0 || argument.indexOf('\r') >= 0
        || Wire.request(verb, argument).length() > Wire.MAX_LINE)) {
      throw new IllegalArgumentException("a request's argument is one line of at most 16 KB");
    }
    Session session = handshake();
    try {
      String line = session.ask(verb, argument);
      return reader.read(line, session.tls.getInputStream());
    } finally {
      session.close();
    }
  }

  @Override
  public String toString() {
    return where;
  }

  private Session handshake() throws LinkException {
    Socket raw = new Socket();
    try {
      raw.setTcpNoDelay(true);
      raw.setKeepAlive(true);
      raw.connect(remote, (int) connectTimeout.toMillis());
    } catch (IOException e) {
      Wire.closeQuietly(raw);
      throw new LinkException(where + " does not answer", e);
    }
    SSLSocket tls = null;
    try {
      raw.setSoTimeout((int) handshakeTimeout.toMillis());
      // autoClose false, as at the gate: JSSE would close the TCP connection right after an alert saying why this
      // side gives up, and the reset of the gate's unread records can overtake the alert, so the gate could only
      // log "closed during the handshake".
      tls = (SSLSocket) context.getSocketFactory().createSocket(raw, remote.getHostString(), remote.getPort(),
          false);
      tls.setUseClientMode(true);
      tls.startHandshake();
      return new Session(raw, tls);
    } catch (IOException | RuntimeException e) {
      if (Why.timedOut(e)) {
        Wire.closeTls(tls, raw);
      } else {
        Wire.lingerAndClose(raw, LINGER);
      }
      throw handshakeFailure(e);
    }
  }

  private LinkException handshakeFailure(Exception e) {
    CertificateProblem problem = Why.find(e, CertificateProblem.class);
    if (problem != null) {
      return new LinkException(switch (problem.kind()) {
        case EXPIRED -> name + "'s certificate expired on " + CertificateProblem.date(problem.date());
        case NOT_YET_VALID -> name + "'s certificate is not valid before " + CertificateProblem.date(problem.date())
            + " (is this computer's clock right?)";
        case WRONG_PURPOSE -> name + "'s certificate is not meant for a server";
        case FOREIGN, NONE -> name + "'s certificate is not from our certificate authority";
      }, e);
    }
    java.security.cert.CertificateException other = Why.find(e, java.security.cert.CertificateException.class);
    if (other != null) {
      return new LinkException(name + "'s certificate was not accepted: " + other.getMessage(), e);
    }
    if (Why.timedOut(e)) {
      return new LinkException(where + " is not speaking TLS (no answer to the TLS handshake within "
          + Wire.duration(handshakeTimeout) + ")", e);
    }
    if (Why.notTls13(e)) {
      return new LinkException(where + " does not speak TLS 1.3", e);
    }
    if (Why.certificateAlert(e) || "certificate_required".equals(Why.alert(e))) {
      return greetingFailure(e);
    }
    if (Why.alert(e) != null) {
      return new LinkException(where + " refused the TLS handshake (" + Why.alert(e) + ")", e);
    }
    if (Why.notTls(e)) {
      return new LinkException(where + " is not speaking TLS", e);
    }
    if (Why.closedByPeer(e)) {
      return new LinkException(where + " closed the connection during the TLS handshake (it may be too busy, "
          + "or not speaking TLS)", e);
    }
    return new LinkException(where + ": the TLS handshake failed (" + e.getMessage() + ")", e);
  }

  /**
   * After TLS 1.3's handshake "completes" on this side the server still checks this computer's certificate; its
   * verdict arrives as an alert or a close on the first read, which is reading the answer to the greeting.
   */
  private LinkException greetingFailure(Exception e) {
    String alert = Why.alert(e);
    if ("certificate_required".equals(alert)) {
      return new LinkException(name + " asked for this computer's certificate and it has none", e);
    }
    if (Why.certificateAlert(e)) {
      return new LinkException(name + " does not accept this computer's certificate (it may be from another "
          + "certificate authority)", e);
    }
    if (e == null || Why.closedByPeer(e)) {
      return new LinkException(name + " closed the connection during the handshake (this computer's certificate "
          + "may be unknown there)", e);
    }
    if (Why.timedOut(e)) {
      return new LinkException(where + " did not answer within " + Wire.duration(handshakeTimeout), e);
    }
    if (alert != null) {
      return new LinkException(where + " ended the connection (" + alert + ")", e);
    }
    return new LinkException(where + ": the connection failed (" + e.getMessage() + ")", e);
  }

  /** One TLS connection after its handshake. */
  private final class Session {

    final Socket raw;
    final SSLSocket tls;

    Session(Socket raw, SSLSocket tls) {
      this.raw = raw;
      this.tls = tls;
    }

    /** @return the answer line; REFUSED becomes {@link LinkRefusedException} */
    String ask(String verb, String argument) throws LinkException {
      String answer;
      try {
        Wire.writeLine(tls.getOutputStream(), Wire.request(verb, argument));
        answer = Wire.readLine(tls.getInputStream());
      } catch (IOException e) {
        throw greetingFailure(e);
      }
      if (answer == null) {
        throw greetingFailure(null);
      }
      if (answer.startsWith(Wire.REFUSED + " ")) {
        String rest = answer.substring(Wire.REFUSED.length() + 1);
        int space = rest.indexOf(' ');
        String code = space < 0 ? rest : rest.substring(0, space);
        String sentence = space < 0 ? name + " refused without saying why" : rest.substring(space + 1);
        throw new LinkRefusedException(code, sentence);
      }
      return answer;
    }

    void close() {
      Wire.closeTls(tls, raw);
    }
  }

  private final class LocalForwarder implements Forwarder {

    private final Session session;
    private final ServerSocket local;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong up = new AtomicLong();
    private final AtomicLong down = new AtomicLong();
    private final Instant since = Instant.now();
    private volatile Socket accepted;

    LocalForwarder(Session session) throws IOException {
      this.session = session;
      // A tunnel may idle between sales; TCP keepalive finds a dead gate.
      session.raw.setSoTimeout(0);
      local = new ServerSocket();
      try {
        local.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        local.setSoTimeout((int) LOCAL_ACCEPT_TIMEOUT.toMillis());
      } catch (IOException e) {
        Wire.closeQuietly(local);
        throw new LinkException("cannot open a local port for the link to " + where + ": " + e.getMessage(), e);
      }
      Thread.ofVirtual().name(name + " forwarder").start(this::run);
    }

    private void run() {
      Socket s;
      try {
        s = local.accept();
      } catch (SocketTimeoutException e) {
        LOG.warning("link to " + where + ": nothing connected to local port " + local.getLocalPort() + " within "
            + Wire.duration(LOCAL_ACCEPT_TIMEOUT) + "; closed");
        close();
        return;
      } catch (IOException e) {
        close();
        return;
      }
      // Exactly one: nothing else on this machine gets to ride the tunnel.
      Wire.closeQuietly(local);
      accepted = s;
      if (closed.get()) {
        Wire.closeQuietly(s);
        return;
      }
      try {
        s.setTcpNoDelay(true);
      } catch (IOException e) {
        close();
        return;
      }
      LOG.info("link to " + where + " open on local port " + s.getLocalPort());
      Thread.ofVirtual().name(name + " forwarder down").start(() -> pump(false, s));
      pump(true, s);
    }

    private void pump(boolean upwards, Socket s) {
      String why;
      try {
        if (upwards) {
          Wire.pump(s.getInputStream(), session.tls.getOutputStream(), up);
          why = "the local side closed";
        } else {
          Wire.pump(session.tls.getInputStream(), s.getOutputStream(), down);
          why = name + " closed";
        }
      } catch (IOException | RuntimeException e) {
        why = closed.get() ? "closed" : "the connection failed: " + e.getMessage();
      }
      end(why);
    }

    private void end(String why) {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      Wire.closeQuietly(local);
      Wire.closeQuietly(accepted);
      session.close();
      if (accepted != null) {
        LOG.info("link to " + where + " closed after " + Duration.between(since, Instant.now()).toSeconds() + " s ("
            + up.get() + " bytes up, " + down.get() + " bytes down): " + why);
      }
    }

    @Override
    public int localPort() {
      return local.getLocalPort();
    }

    @Override
    public boolean isOpen() {
      return !closed.get();
    }

    @Override
    public long bytesReceived() {
      return down.get();
    }

    @Override
    public void close() {
      end("closed on this side");
    }
  }
}
