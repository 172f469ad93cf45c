package org.apotheca.security.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports on 127.0.0.1 for a listener that binds later (Net4j does not report the port it bound to) or that stops
 * and listens again on the same port (a node restarted in a test).
 * <p>
 * The kernel's own choice (port 0) comes from the ephemeral range (32768-60999 on Linux), the same range every
 * outgoing connection takes its local port from: in the moment between choosing and binding, or while a restarted
 * node is down, one of our own client sockets could take it ("Address already in use", seen in CI). Ports are
 * therefore picked below that range, and never handed out twice by one JVM.
 */
public final class LoopbackPorts {

  private static final int FROM = 20_000;
  private static final int TO = 32_000;
  private static final Set<Integer> GIVEN = new HashSet<>();

  private LoopbackPorts() {
  }

  /** A port nothing listens on now, below the ephemeral range; falls back to the kernel's choice if none is found. */
  public static synchronized int free() {
    for (int attempt = 0; attempt < 500; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FROM, TO);
      if (!GIVEN.contains(port) && bindable(port)) {
        GIVEN.add(port);
        return port;
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      GIVEN.add(s.getLocalPort());
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
