package org.apotheca.security.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.apotheca.security.tls.Wire.Greeting;

/**
 * TLS 1.3 with client certificates in front of a TCP acceptor that listens on loopback only (a Net4j acceptor):
 * a peer completes the handshake, says what it wants in one line, the {@link Gatekeeper} decides, and for CONNECT
 * the gate carries bytes between the peer and the target until either closes. The target never knows about TLS;
 * it can ask {@link #identityOfTargetConnection} who is behind a connection.
 *
 * <p>Threads: one platform thread accepts and never waits on a peer; each connection's handshake and greeting run
 * on a virtual thread under one deadline (the handshake timeout, from accept to the greeting line), each tunnel
 * pumps on two virtual threads, so a central can hold thousands of links and hundreds of half-open connections
 * delay nobody. At most {@code maxPending} connections may be in their handshake at once; more are closed at
 * once.
 *
 * <p>Logging (logger {@code org.apotheca.security.tls.TlsGate}): every refused connection is one WARNING line with
 * the gate, the peer address and the reason in plain words (repeats of the same reason from the same host within
 * 10 s are counted into one line); every tunnel is one INFO line when it opens and one when it closes. Key
 * material and request arguments are never logged.
 */
public final class TlsGate implements AutoCloseable {

  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_PENDING = 512;

  private static final Logger LOG = Logger.getLogger(TlsGate.class.getName());
  private static final Duration LOG_WINDOW = Duration.ofSeconds(10);
  /** The target is on this machine: if it does not take a connection in this time, it is not taking any. */
  private static final int TARGET_CONNECT_TIMEOUT_MS = 2000;
  /** How long a refused handshake waits for the client's last records, so that it reads the alert saying why. */
  private static final Duration LINGER = Duration.ofMillis(500);

  /**
   * A live tunnel.
   *
   * @param identity what the gatekeeper admitted
   * @param from the peer's address
   * @param bytesIn bytes from the peer to the target so far
   * @param bytesOut bytes from the target to the peer so far
   */
  public record TunnelInfo(Object identity, InetSocketAddress from, Instant since, long bytesIn, long bytesOut) {
  }

  /** Events for a site board; called on the gate's threads, so return quickly; failures are ignored. */
  public interface Listener {

    default void opened(TunnelInfo tunnel) {
    }

    /** @param why plain words: "the client closed", "the target closed", "closed by this server" ... */
    default void closed(TunnelInfo tunnel, String why) {
    }

    /** @param reason the same plain words as the log line */
    default void refused(InetSocketAddress from, String reason) {
    }
  }

  private final String name;
  private final SSLSocketFactory tlsFactory;
  private final InetSocketAddress listen;
  private final InetSocketAddress target;
  private final Gatekeeper gatekeeper;
  private final Duration handshakeTimeout;
  private final int maxPending;
  private final LogLimiter refusals;

  private final AtomicInteger pending = new AtomicInteger();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<Integer, Tunnel> tunnelsByTargetPort = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  private ServerSocket server;
  private ScheduledThreadPoolExecutor timer;
  private volatile boolean closed;

  public TlsGate(String name, SSLContext context, InetSocketAddress listen, InetSocketAddress target,
      Gatekeeper gatekeeper) {
    this(name, context, listen, target, gatekeeper, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_MAX_PENDING);
  }

  /**
   * @param name how log lines name this gate, e.g. "central gate"
   * @param context from {@link TlsContexts#create}
   * @param listen where peers connect (port 0: any free port, see {@link #port()})
   * @param target the loopback acceptor tunnels lead to
   * @param handshakeTimeout from accept to the greeting line; null for {@link #DEFAULT_HANDSHAKE_TIMEOUT}
   * @param maxPending connections in their handshake at once; 0 or less for {@link #DEFAULT_MAX_PENDING}
   */
  public TlsGate(String name, SSLContext context, InetSocketAddress listen, InetSocketAddress target,
      Gatekeeper gatekeeper, Duration handshakeTimeout, int maxPending) {
    this.name = Objects.requireNonNull(name, "name");
    this.tlsFactory = Objects.requireNonNull(context, "context").getSocketFactory();
    this.listen = Objects.requireNonNull(listen, "listen");
    this.target = Objects.requireNonNull(target, "target");
    this.gatekeeper = Objects.requireNonNull(gatekeeper, "gatekeeper");
    this.handshakeTimeout = handshakeTimeout == null ? DEFAULT_HANDSHAKE_TIMEOUT : handshakeTimeout;
    if (this.handshakeTimeout.isNegative() || this.handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("the handshake timeout must be positive");
    }
    this.maxPending = maxPending <= 0 ? DEFAULT_MAX_PENDING : maxPending;
    this.refusals = new LogLimiter(LOG, name, LOG_WINDOW);
  }

  /** Binds and starts accepting. */
  public synchronized TlsGate start() throws IOException {
    if (server != null || closed) {
      throw new IllegalStateException(name + " was started already");
    }
    ServerSocket s = new ServerSocket();
    try {
      s.setReuseAddress(true);
      // The kernel's queue holds connections the accept thread has not reached yet; a burst should wait there.
      s.bind(listen, Math.max(50, maxPending));
    } catch (IOException e) {
      Wire.closeQuietly(s);
      throw new IOException(name + " cannot listen on " + Wire.address(listen) + ": " + e.getMessage(), e);
    }
    server = s;
    timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name(name + " timer").factory());
    timer.setRemoveOnCancelPolicy(true);
    timer.scheduleAtFixedRate(() -> refusals.flush(false), LOG_WINDOW.toMillis(), LOG_WINDOW.toMillis(),
        TimeUnit.MILLISECONDS);
    Thread.ofPlatform().daemon().name(name + " accept").start(this::acceptLoop);
    LOG.info(name + ": listening on " + Wire.address((InetSocketAddress) s.getLocalSocketAddress())
        + " in front of " + Wire.address(target));
    return this;
  }

  /** The port peers connect to. */
  public int port() {
    ServerSocket s = server;
    if (s == null) {
      throw new IllegalStateException(name + " is not started");
    }
    return s.getLocalPort();
  }

  /**
   * Who is behind a connection the target accepted: {@code localPort} is the gate's end of it, which is what the
   * target sees as the remote port. Registered before the gate connects to the target, so a target may ask as
   * soon as it accepts; empty for a connection that did not come through this gate.
   */
  public Optional<Object> identityOfTargetConnection(int localPort) {
    Tunnel t = tunnelsByTargetPort.get(localPort);
    return t == null ? Optional.empty() : Optional.of(t.identity);
  }

  public List<TunnelInfo> tunnels() {
    List<TunnelInfo> all = new ArrayList<>();
    for (Tunnel t : tunnelsByTargetPort.values()) {
      if (t.open) {
        all.add(t.info());
      }
    }
    return all;
  }

  /**
   * Closes the live tunnels whose identity matches, at once (e.g. on revocation).
   *
   * @return how many
   */
  public int closeTunnels(Predicate<Object> which) {
    int count = 0;
    for (Tunnel t : tunnelsByTargetPort.values()) {
      if (t.open && which.test(t.identity) && t.end("closed by this server")) {
        count++;
      }
    }
    return count;
  }

  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Stops accepting and closes every connection and tunnel. */
  @Override
  public void close() {
    ServerSocket s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = server;
    }
    Wire.closeQuietly(s);
    for (Connection c : connections) {
      c.abandon();
    }
    for (Tunnel t : tunnelsByTargetPort.values()) {
      t.end("the gate closed");
    }
    if (timer != null) {
      timer.shutdownNow();
    }
    refusals.flush(true);
    if (s != null) {
      LOG.info(name + ": closed");
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket raw;
      try {
        raw = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        // e.g. out of file descriptors: say so once in a while instead of spinning
        LOG.warning(name + ": cannot accept connections just now: " + e.getMessage());
        sleepQuietly(200);
        continue;
      }
      InetSocketAddress from = (InetSocketAddress) raw.getRemoteSocketAddress();
      if (pending.incrementAndGet() > maxPending) {
        pending.decrementAndGet();
        Wire.closeQuietly(raw);
        refuse(from, "too many connections still in their handshake (" + maxPending + "); closed at once", null);
        continue;
      }
      Connection c = new Connection(raw, from);
      try {
        raw.setTcpNoDelay(true);
        raw.setKeepAlive(true);
        raw.setSoTimeout((int) handshakeTimeout.toMillis());
        connections.add(c);
        Thread.ofVirtual().name(name + " " + Wire.address(from)).start(c::run);
      } catch (IOException | RuntimeException | OutOfMemoryError e) {
        c.finish();
        Wire.closeQuietly(raw);
        refuse(from, "could not be taken on (" + e + ")", null);
      }
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void refuse(InetSocketAddress from, String reason, Throwable thrown) {
    if (closed) {
      LOG.fine(name + ": closed " + Wire.address(from) + " while stopping: " + reason);
      return;
    }
    String host = from == null || from.getAddress() == null ? "?" : from.getAddress().getHostAddress();
    refusals.warn(host, reason, name + ": refused " + Wire.address(from) + ": " + reason, thrown);
    for (Listener l : listeners) {
      try {
        l.refused(from, reason);
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, name + ": a listener failed", e);
      }
    }
  }

  private enum Phase {
    WAITING, HANDSHAKE, GREETING, DECIDING
  }

  /** One accepted connection, from accept until it is refused, answered or becomes a tunnel. */
  private final class Connection {

    private final Socket raw;
    private final InetSocketAddress from;
    /** Set by whoever comes first: the deadline, or the greeting line. */
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean timedOut;
    private volatile Phase phase = Phase.WAITING;
    private volatile SSLSocket tls;

    Connection(Socket raw, InetSocketAddress from) {
      this.raw = raw;
      this.from = from;
    }

    /** Leaves the pending count, once. */
    void finish() {
      if (finished.compareAndSet(false, true)) {
        pending.decrementAndGet();
        connections.remove(this);
      }
    }

    /** The gate is closing. */
    void abandon() {
      Wire.closeQuietly(raw);
    }

    private void expire() {
      if (settled.compareAndSet(false, true)) {
        timedOut = true;
        Wire.closeQuietly(raw);
      }
    }

    void run() {
      boolean tunnel = false;
      boolean handshakeFailed = false;
      ScheduledFuture<?> deadline = null;
      String subject = null;
      try {
        try {
          // SO_TIMEOUT bounds each read; the deadline bounds them all, against a peer that drips a byte a second.
          deadline = timer.schedule(this::expire, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          return; // the gate is closing
        }
        InputStream in = raw.getInputStream();
        int first = in.read();
        if (first == -1) {
          refuse(from, "closed the connection without sending anything", null);
          return;
        }
        if (first != Wire.TLS_HANDSHAKE_RECORD) {
          refuse(from, "plain TCP, not TLS", null);
          return;
        }
        phase = Phase.HANDSHAKE;
        // autoClose false: on a failed handshake JSSE would otherwise close the TCP connection right after its
        // alert, while the client's last handshake records are still arriving; the reset that causes makes the
        // client fail with "broken pipe" before it reads the alert, and it could not say why it was refused.
        tls = (SSLSocket) tlsFactory.createSocket(raw, new ByteArrayInputStream(new byte[] { (byte) first }), false);
        tls.startHandshake();
        phase = Phase.GREETING;
        Certificate[] chain = tls.getSession().getPeerCertificates();
        X509Certificate peer = (X509Certificate) chain[0];
        subject = peer.getSubjectX500Principal().getName();
        String line = Wire.readLine(tls.getInputStream());
        if (!settled.compareAndSet(false, true)) {
          throw new IOException("deadline passed");
        }
        deadline.cancel(false);
        phase = Phase.DECIDING;
        finish();
        if (line == null) {
          refuse(from, "closed the connection before its greeting (" + subject + ")", null);
          return;
        }
        tunnel = decide(peer, subject, line);
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return;
        }
        refuse(from, reason(e, subject), e instanceof RuntimeException ? e : null);
        if (phase == Phase.HANDSHAKE && !timedOut && !Why.timedOut(e)) {
          handshakeFailed = true;
        }
      } finally {
        if (deadline != null) {
          deadline.cancel(false);
        }
        finish();
        if (handshakeFailed) {
          Wire.lingerAndClose(raw, LINGER);
        } else if (!tunnel) {
          Wire.closeTls(tls, raw);
        }
      }
    }

    private String reason(Throwable e, String subject) {
      String within = " within " + Wire.duration(handshakeTimeout);
      boolean late = timedOut || Why.timedOut(e);
      String who = subject == null ? "" : " (" + subject + ")";
      return switch (phase) {
        case WAITING -> late ? "sent nothing" + within : "the connection failed before TLS (" + e.getMessage() + ")";
        case HANDSHAKE -> late ? "did not finish the TLS handshake" + within : Why.clientHandshake(e);
        case GREETING -> late ? "no greeting" + within + who
            : e instanceof Wire.LineTooLong ? "sent a greeting longer than 16 KB" + who
                : Why.closedByPeer(e) ? "closed the connection before its greeting" + who
                    : "the greeting failed (" + e.getMessage() + ")" + who;
        case DECIDING -> "the connection failed while it was being admitted (" + e.getMessage() + ")" + who;
      };
    }

    /** @return whether a tunnel now owns the sockets */
    private boolean decide(X509Certificate peer, String subject, String line) throws IOException {
      String verb = "?";
      try {
        Greeting greeting = Wire.parse(line);
        verb = greeting.verb();
        Object identity = gatekeeper.admit(peer, from, verb);
        if (identity == null) {
          identity = subject;
        }
        if (Wire.CONNECT.equals(verb)) {
          return openTunnel(identity, subject);
        }
        Gatekeeper.Reply reply = gatekeeper.reply(identity, verb, greeting.argument());
        String answer = reply == null ? null : reply.line();
        if (answer == null || answer.indexOf('\n') >= 0 || answer.indexOf('\r') >= 0
            || answer.startsWith(Wire.REFUSED + " ")) {
          throw new IllegalStateException("the gatekeeper's answer to " + verb + " is not one line");
        }
        if (reply.body() == null) {
          Wire.writeLine(tls.getOutputStream(), answer);
        } else {
          // a download: the line says how long the body is; a body that runs short ends the connection unfinished
          raw.setSoTimeout(0);
          Wire.writeLineAndBody(tls.getOutputStream(), answer, reply.body(), reply.length());
        }
        // one line per renewal; downloads (once per chunk) and heartbeats (routine verbs) only on request
        String what = name + ": answered " + verb + " for " + identity + " from " + Wire.address(from);
        LOG.log(reply.body() == null && !gatekeeper.routine(verb) ? Level.INFO : Level.FINE, what);
        return false;
      } catch (Refusal r) {
        refuseWithLine(r.code(), r.getMessage(), verb, subject, null, null);
        return false;
      } catch (RuntimeException e) {
        refuseWithLine("UNAVAILABLE", "the server could not decide about this computer just now; please try again",
            verb, subject, "the gatekeeper failed: " + e, e);
        return false;
      }
    }

    /**
     * @param detail for the log only (what the peer should not be told), or null
     */
    private void refuseWithLine(String code, String sentence, String verb, String subject, String detail,
        Throwable thrown) {
      refuse(from, code + ": " + sentence + (detail == null ? "" : "; " + detail) + " (" + subject + ", asked for "
          + verb + ")", thrown);
      try {
        Wire.writeLine(tls.getOutputStream(), Wire.REFUSED + " " + code + " " + Refusal.oneLine(sentence));
      } catch (IOException e) {
        // the peer left first; the refusal is logged
      }
    }

    private boolean openTunnel(Object identity, String subject) throws IOException {
      Socket toTarget = new Socket();
      Tunnel t = null;
      try {
        toTarget.setTcpNoDelay(true);
        InetAddress local = target.getAddress() != null && target.getAddress().isLoopbackAddress()
            ? target.getAddress() : null;
        // Bound before connecting, so the identity is registered under its port before the target can accept it.
        toTarget.bind(new InetSocketAddress(local, 0));
        t = new Tunnel(identity, from, tls, raw, toTarget);
        tunnelsByTargetPort.put(t.targetPort, t);
        toTarget.connect(target, TARGET_CONNECT_TIMEOUT_MS);
      } catch (IOException e) {
        if (t != null) {
          tunnelsByTargetPort.remove(t.targetPort, t);
        }
        Wire.closeQuietly(toTarget);
        refuseWithLine("UNAVAILABLE", "the server is starting or stopping", Wire.CONNECT, subject,
            "the target " + Wire.address(target) + " did not take the connection (" + e.getMessage() + ")", null);
        return false;
      }
      try {
        raw.setSoTimeout(0); // a tunnel may idle between sales; TCP keepalive finds dead peers
        Wire.writeLine(tls.getOutputStream(), Wire.OK);
      } catch (IOException e) {
        t.end("the client left before the tunnel opened");
        refuse(from, "left before the tunnel opened (" + subject + ")", null);
        return true;
      }
      if (closed) {
        t.end("the gate closed");
        return true;
      }
      t.open = true;
      LOG.info(name + ": tunnel open for " + identity + " from " + Wire.address(from) + " (" + subject
          + ", target port " + t.targetPort + ")");
      TunnelInfo info = t.info();
      for (Listener l : listeners) {
        try {
          l.opened(info);
        } catch (RuntimeException e) {
          LOG.log(Level.FINE, name + ": a listener failed", e);
        }
      }
      t.pumpBothWays();
      return true;
    }
  }

  private final class Tunnel {

    final Object identity;
    final InetSocketAddress from;
    final Instant since = Instant.now();
    final SSLSocket tls;
    final Socket raw;
    final Socket target;
    final int targetPort;
    final AtomicLong in = new AtomicLong();
    final AtomicLong out = new AtomicLong();
    final AtomicReference<String> why = new AtomicReference<>();
    final AtomicBoolean ended = new AtomicBoolean();
    volatile boolean open;

    Tunnel(Object identity, InetSocketAddress from, SSLSocket tls, Socket raw, Socket target) {
      this.identity = identity;
      this.from = from;
      this.tls = tls;
      this.raw = raw;
      this.target = target;
      this.targetPort = target.getLocalPort();
    }

    TunnelInfo info() {
      return new TunnelInfo(identity, from, since, in.get(), out.get());
    }

    /** Runs on the connection's virtual thread: the peer-to-target half here, the other half on a new one. */
    void pumpBothWays() {
      Thread.ofVirtual().name(name + " tunnel " + Wire.address(from) + " out").start(() -> pump(false));
      pump(true);
    }

    private void pump(boolean peerToTarget) {
      try {
        if (peerToTarget) {
          Wire.pump(tls.getInputStream(), target.getOutputStream(), in);
          end("the client closed");
        } else {
          Wire.pump(target.getInputStream(), tls.getOutputStream(), out);
          end("the target closed");
        }
      } catch (IOException | RuntimeException e) {
        end((peerToTarget ? "the connection from the client failed: " : "the connection to the client failed: ")
            + e.getMessage());
      }
    }

    /** @return whether this call ended it */
    boolean end(String reason) {
      if (!ended.compareAndSet(false, true)) {
        return false;
      }
      why.set(reason);
      tunnelsByTargetPort.remove(targetPort, this);
      Wire.closeQuietly(target);
      Wire.closeTls(tls, raw);
      if (open) {
        open = false;
        TunnelInfo info = info();
        long seconds = Duration.between(since, Instant.now()).toSeconds();
        LOG.info(name + ": tunnel closed for " + identity + " from " + Wire.address(from) + " after " + seconds
            + " s (" + info.bytesIn() + " bytes in, " + info.bytesOut() + " bytes out): " + reason);
        for (Listener l : listeners) {
          try {
            l.closed(info, reason);
          } catch (RuntimeException e) {
            LOG.log(Level.FINE, name + ": a listener failed", e);
          }
        }
      }
      return true;
    }
  }
}
