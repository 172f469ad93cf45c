package org.apotheca.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The line protocol of the plain-Java mains (central's {@code ServerMain}, the node's {@code NodeMain}) that the
 * fault-injection tests drive: one command per line (an optional leading "apotheca" is dropped, double quotes group
 * words), answered by the reply and a line {@code OK}, or by one line {@code ERROR <message>}. Returns on EOF or
 * {@code quit}.
 */
public final class LineCommands {

  /** A console command set: the words after "apotheca" → the reply. */
  public interface Handler {
    String apotheca(String... args) throws Exception;
  }

  private LineCommands() {
  }

  public static void serve(InputStream input, PrintStream out, Handler handler, Function<Exception, String> message)
      throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null;) {
      line = line.strip();
      if (line.equals("quit")) {
        return;
      }
      if (line.isEmpty()) {
        continue;
      }
      try {
        String[] words = CommandArgs.split(line);
        int from = words.length > 0 && words[0].equals("apotheca") ? 1 : 0;
        out.println(handler.apotheca(Arrays.copyOfRange(words, from, words.length)));
        out.println("OK");
      } catch (Exception e) {
        out.println("ERROR " + message.apply(e));
      }
      out.flush();
    }
  }
}
