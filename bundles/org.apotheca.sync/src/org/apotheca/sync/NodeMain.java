package org.apotheca.sync;

import java.nio.file.Path;

import org.apotheca.core.LineCommands;
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
    PharmacyNode node;
    try {
      node = new PharmacyNode(settings.node()).start();
    } catch (org.apotheca.core.store.ModelSchemaMismatch e) {
      System.err.println("REFUSED " + e.getMessage());
      System.exit(org.apotheca.core.store.ModelSchemaGuard.EXIT_CODE);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "apotheca-node-shutdown"));
    // a node that has its clones is ready at once; a new one needs central once (bounded wait, then say so)
    boolean ready = node.awaitReady(120_000);
    if (ready && settings.sampleStock() > 0) {
      SampleStock.receiveIfEmpty(node, settings.sampleStock());
    }
    NodeCommands commands = new NodeCommands(node);
    System.out.println("READY node " + settings.node().siteId() + " ready=" + (ready ? "yes" : "no"));
    System.out.flush();
    LineCommands.serve(System.in, System.out, commands::apotheca, NodeMain::message);
    node.stop();
    System.exit(0);
  }
}
