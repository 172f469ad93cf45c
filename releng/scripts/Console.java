import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One-shot client for the Equinox/Gogo telnet console: sends one command, prints the reply, exits non-zero
 * when the command failed. Run by {@code ./apotheca console --port N "CMD"} as a single-file Java program so
 * that it needs nothing but the JDK.
 */
public final class Console {

  private static final int IAC = 255, DONT = 254, DO = 253, WONT = 252, WILL = 251, SB = 250, SE = 240;
  private static final int TERMINAL_TYPE = 24;
  // Equinox's console runs Felix Gogo, whose prompt is "g! "; the legacy Equinox shell says "osgi> ".
  private static final String[] PROMPTS = { "g! ", "osgi> " };

  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    int port = -1;
    int timeoutSeconds = 60;
    StringBuilder command = new StringBuilder();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--host" -> host = args[++i];
        case "--timeout" -> timeoutSeconds = Integer.parseInt(args[++i]);
        default -> command.append(command.length() == 0 ? "" : " ").append(args[i]);
      }
    }
    if (port < 0 || command.length() == 0) {
      System.err.println("usage: ./apotheca console --port N \"COMMAND\"");
      System.exit(2);
    }
    try (Socket socket = new Socket()) {
      try {
        socket.connect(new InetSocketAddress(host, port), 5000);
      } catch (IOException e) {
        System.err.println("Cannot reach the console at " + host + ":" + port + " (" + e.getMessage() + "). Is the server or node running?");
        System.exit(3);
      }
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(timeoutSeconds * 1000);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      readUntilPrompt(in, out);
      out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      String reply = readUntilPrompt(in, out);
      // Just close: Gogo's "disconnect" makes the Equinox console print an InterruptedException trace.
      String text = clean(reply, command.toString());
      boolean failed = text.lines().anyMatch(l -> l.startsWith("gogo: ") || l.startsWith("Error: ") || l.startsWith("error: "));
      if (!text.isEmpty()) {
        (failed ? System.err : System.out).println(text);
      }
      System.exit(failed ? 1 : 0);
    } catch (SocketTimeoutException e) {
      System.err.println("No reply from the console within " + timeoutSeconds + " s");
      System.exit(4);
    }
  }

  /** Reads console output until the next prompt, answering telnet option negotiation with "no". */
  private static String readUntilPrompt(InputStream in, OutputStream out) throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      if (b == IAC) {
        int verb = in.read();
        if (verb == DO || verb == DONT || verb == WILL || verb == WONT) {
          int option = in.read();
          // The console does not show a prompt until it knows the terminal type: offer one, refuse the rest.
          if (verb == DO) {
            out.write(new byte[] { (byte) IAC, (byte) (option == TERMINAL_TYPE ? WILL : WONT), (byte) option });
            out.flush();
          } else if (verb == WILL) {
            out.write(new byte[] { (byte) IAC, (byte) DO, (byte) option });
            out.flush();
          }
        } else if (verb == SB) {
          int option = in.read();
          int prev = 0, c;
          while ((c = in.read()) >= 0 && !(prev == IAC && c == SE)) {
            prev = c;
          }
          if (option == TERMINAL_TYPE) {
            out.write(new byte[] { (byte) IAC, (byte) SB, (byte) TERMINAL_TYPE, 0 });
            out.write("VT100".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] { (byte) IAC, (byte) SE });
            out.flush();
          }
        }
        continue;
      }
      text.write(b);
      String s = text.toString(StandardCharsets.UTF_8);
      for (String prompt : PROMPTS) {
        if (s.endsWith("\n" + prompt) || s.equals(prompt)) {
          return s.substring(0, s.length() - prompt.length());
        }
      }
    }
    return text.toString(StandardCharsets.UTF_8);
  }

  private static String clean(String reply, String command) {
    String s = reply.replace("\r", "");
    // The console echoes the command line back first.
    int nl = s.indexOf('\n');
    if (nl >= 0 && s.substring(0, nl).trim().equals(command.trim())) {
      s = s.substring(nl + 1);
    }
    return s.strip();
  }
}
