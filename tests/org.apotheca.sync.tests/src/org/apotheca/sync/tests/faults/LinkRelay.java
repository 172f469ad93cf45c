package org.apotheca.sync.tests.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apotheca.core.net.Endpoint;

/**
 * A TCP relay on 127.0.0.1 standing for the pharmacy's internet link: the node connects to the relay, the relay
 * to central. {@link #setUp(boolean) down} closes every relayed connection at once and closes new ones as soon as
 * they are accepted (the port stays bound, as a dead ISP line still answers at the router); up forwards again.
 */
public final class LinkRelay implements AutoCloseable {

  private final ServerSocket listener;
  private final Endpoint target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean up = true;
  private volatile boolean repliesLost;
  /** Bytes per second central's side may send (a slow line); 0: as fast as loopback. */
  private volatile int replyRate;
  private volatile boolean closed;

  public LinkRelay(Endpoint target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "link-relay-" + listener.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  /** Where the node should connect instead of central. */
  public Endpoint endpoint() {
    return new Endpoint("127.0.0.1", listener.getLocalPort());
  }

  public boolean isUp() {
    return up;
  }

  public void setUp(boolean up) {
    this.up = up;
    if (!up) {
      for (Socket s : open) {
        closeQuietly(s);
      }
      open.clear();
    }
  }

  /** While set, what central sends is dropped: requests reach central, their answers never reach the node. */
  public void loseReplies(boolean lost) {
    this.repliesLost = lost;
  }

  /** A slow line: what central sends reaches the node at about {@code bytesPerSecond} (0: unlimited). */
  public void throttleReplies(int bytesPerSecond) {
    this.replyRate = bytesPerSecond;
  }

  public int connectionsAccepted() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      if (!up) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket server = new Socket();
        server.connect(new InetSocketAddress(target.host(), target.port()), 2_000);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        open.add(client);
        open.add(server);
        if (!up) {
          // cut while this connection was being set up: setUp(false) may have missed it
          closeQuietly(client);
          closeQuietly(server);
          open.remove(client);
          open.remove(server);
          continue;
        }
        pump(client, server, false);
        pump(server, client, true);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to, boolean replies) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buf)) >= 0;) {
          if (replies && repliesLost) {
            continue;
          }
          int rate = replies ? replyRate : 0;
          for (int off = 0; off < n;) {
            int chunk = rate > 0 ? Math.min(n - off, Math.max(1, rate / 20)) : n - off;
            out.write(buf, off, chunk);
            out.flush();
            off += chunk;
            if (rate > 0) {
              Thread.sleep(Math.max(1, chunk * 1000L / rate));
            }
          }
        }
      } catch (IOException e) {
        // link cut or peer closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "link-relay-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    setUp(false);
    try {
      listener.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
