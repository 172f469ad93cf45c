package org.apotheca.security.tls;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import javax.net.ssl.SSLSocket;

/** The greeting lines both ends speak after the TLS handshake, and the byte pump of a tunnel. */
final class Wire {

  static final String VERSION = "APOTHECA/1";
  static final String CONNECT = "CONNECT";
  static final String OK = "OK";
  static final String REFUSED = "REFUSED";
  static final int MAX_LINE = 16 * 1024;
  /** A TLS record carries at most 16 KB of data: a bigger buffer would still be filled one record at a time. */
  static final int BUFFER = 16 * 1024;
  /** How long a close may try to send TLS's close_notify before the TCP connection is closed under it. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(1);
  static final int TLS_HANDSHAKE_RECORD = 0x16;

  private static final Pattern VERB = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

  private Wire() {
  }

  record Greeting(String verb, String argument) {
  }

  static final class LineTooLong extends IOException {
    private static final long serialVersionUID = 1L;

    LineTooLong() {
      super("a line longer than " + MAX_LINE / 1024 + " KB");
    }
  }

  /**
   * One line, read a byte at a time so that nothing after it is taken from the stream: what follows belongs to
   * the tunnel.
   *
   * @return the line without its line break, or null if the stream ended before its first byte
   */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    while (true) {
      int c = in.read();
      if (c == -1) {
        if (line.size() == 0) {
          return null;
        }
        throw new EOFException("the connection ended in the middle of a line");
      }
      if (c == '\n') {
        break;
      }
      if (line.size() >= MAX_LINE) {
        throw new LineTooLong();
      }
      line.write(c);
    }
    String text = line.toString(UTF_8);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  static void writeLine(OutputStream out, String line) throws IOException {
    out.write((line + "\n").getBytes(UTF_8));
    out.flush();
  }

  /**
   * One line, then exactly {@code length} bytes of {@code body}, then one flush.
   *
   * @throws java.io.EOFException if the body has fewer bytes than {@code length}
   */
  static void writeLineAndBody(OutputStream out, String line, Gatekeeper.Body body, long length) throws IOException {
    out.write((line + "\n").getBytes(UTF_8));
    try (InputStream in = body.open()) {
      byte[] buffer = new byte[BUFFER];
      long left = length;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new EOFException("the body ended " + left + " bytes early");
        }
        out.write(buffer, 0, n);
        left -= n;
      }
    }
    out.flush();
  }

  static boolean isVerb(String verb) {
    return verb != null && VERB.matcher(verb).matches();
  }

  static String request(String verb, String argument) {
    return VERSION + " " + verb + (argument == null ? "" : " " + argument);
  }

  /** @throws Refusal BAD_REQUEST with a sentence the client can show, if the line is not a greeting */
  static Greeting parse(String line) throws Refusal {
    int space = line.indexOf(' ');
    String version = space < 0 ? line : line.substring(0, space);
    if (!version.equals(VERSION)) {
      if (version.startsWith("APOTHECA/")) {
        throw new Refusal("BAD_REQUEST", "this server speaks version 1 of the Apotheca link, this program version "
            + version.substring("APOTHECA/".length()) + "; one of them needs updating");
      }
      throw new Refusal("BAD_REQUEST", "this is an Apotheca server and the request was not understood");
    }
    String rest = space < 0 ? "" : line.substring(space + 1);
    int next = rest.indexOf(' ');
    String verb = next < 0 ? rest : rest.substring(0, next);
    if (!isVerb(verb)) {
      throw new Refusal("BAD_REQUEST", "the request names nothing this server does");
    }
    return new Greeting(verb, next < 0 ? null : rest.substring(next + 1));
  }

  /** Copies until {@code in} ends, flushing every chunk at once: a sale is a few small round trips. */
  static void pump(InputStream in, OutputStream out, AtomicLong counter) throws IOException {
    byte[] buffer = new byte[BUFFER];
    for (int n; (n = in.read(buffer)) != -1;) {
      // counted as read, before it is passed on: an answer to these bytes can then never be counted before them
      counter.addAndGet(n);
      out.write(buffer, 0, n);
      out.flush();
    }
  }

  static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        // closing is all that is left to do with it
      }
    }
  }

  /**
   * Closes a TLS socket and the TCP connection under it without ever hanging the caller: a graceful close sends
   * close_notify and needs the lock of a writer that may be stuck on a peer that stopped reading, so the TCP
   * connection is closed when the graceful close is done or after {@link #CLOSE_GRACE}, whichever is first, which
   * frees such a writer.
   */
  static void closeTls(SSLSocket tls, Socket raw) {
    if (tls == null) {
      closeQuietly(raw);
      return;
    }
    Thread graceful = Thread.ofVirtual().name("tls close").start(() -> closeQuietly(tls));
    Thread.ofVirtual().name("tls close guard").start(() -> {
      try {
        graceful.join(CLOSE_GRACE);
      } catch (InterruptedException e) {
        // close it now then
      } finally {
        closeQuietly(raw);
      }
    });
  }

  /**
   * Closes a TCP connection whose peer may still be sending, without a reset: a reset can overtake the last thing
   * we sent (a TLS alert saying why) and the peer would never read it. Sends FIN, reads and drops what still comes
   * for a short while, then closes.
   */
  static void lingerAndClose(Socket raw, Duration linger) {
    try {
      raw.shutdownOutput();
      raw.setSoTimeout((int) Math.max(1, linger.toMillis()));
      InputStream in = raw.getInputStream();
      byte[] drop = new byte[4096];
      long deadline = System.nanoTime() + linger.toNanos();
      int total = 0;
      while (total < 64 * 1024 && System.nanoTime() < deadline) {
        int n = in.read(drop);
        if (n < 0) {
          break;
        }
        total += n;
      }
    } catch (IOException e) {
      // closed, reset or quiet: close it all the same
    } finally {
      closeQuietly(raw);
    }
  }

  static String address(InetSocketAddress address) {
    if (address == null) {
      return "an unknown address";
    }
    String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) {
      return ms / 1000 + " s";
    }
    return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
