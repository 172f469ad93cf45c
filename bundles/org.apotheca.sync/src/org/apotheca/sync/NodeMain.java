package org.apotheca.sync;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import org.apotheca.core.CommandArgs;
import org.apotheca.core.net.CdoClient;

/**
 * The pharmacy node as a plain Java process (no OSGi): {@code NodeMain --config site.properties}. Prints
 * {@code READY node <site>} once serving, then runs {@link NodeCommands} read line by line from stdin, answering
 * each with the reply and a line {@code OK}, or {@code ERROR <message>}. EOF or {@code quit} stops the node.
 * The fault-injection tests run it as a child process they can SIGKILL; staff use the OSGi product instead
 * ({@code ./apotheca site}, {@link NodeApplication}).
 */
public final class NodeMain {

  private NodeMain() {
  }

  /** A refusal's own words for the till; otherwise the root cause in one line. */
  static String message(Exception e) {
    return e instanceof IllegalArgumentException || e instanceof org.apotheca.core.ledger.LedgerException
        ? e.getMessage().lines().findFirst().orElse("") : CdoClient.rootMessage(e);
  }

  public static void main(String[] args) throws Exception {
    String file = null;
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--config")) {
        file = args[i + 1];
      }
    }
    if (file == null) {
      System.err.println("usage: NodeMain --config <site.properties>");
      System.exit(2);
    }
    NodeSettings settings = NodeSettings.load(Path.of(file));
    PharmacyNode node = new PharmacyNode(settings.node()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "apotheca-node-shutdown"));
    // a node that has its clones is ready at once; a new one needs central once (bounded wait, then say so)
    boolean ready = node.awaitReady(120_000);
    if (ready && settings.sampleStock() > 0) {
      SampleStock.receiveIfEmpty(node, settings.sampleStock());
    }
    NodeCommands commands = new NodeCommands(node);
    System.out.println("READY node " + settings.node().siteId() + " ready=" + (ready ? "yes" : "no"));
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null;) {
      line = line.strip();
      if (line.equals("quit")) {
        break;
      }
      if (line.isEmpty()) {
        continue;
      }
      try {
        String[] words = CommandArgs.split(line);
        int from = words.length > 0 && words[0].equals("apotheca") ? 1 : 0;
        String reply = commands.apotheca(Arrays.copyOfRange(words, from, words.length));
        System.out.println(reply);
        System.out.println("OK");
      } catch (Exception e) {
        System.out.println("ERROR " + message(e));
      }
      System.out.flush();
    }
    node.stop();
    System.exit(0);
  }
}
