package org.apotheca.server;

import java.nio.file.Path;

import org.apotheca.core.LineCommands;
import org.apotheca.core.net.CdoClient;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * The central server as a plain Java process (no OSGi): {@code ServerMain --config server.properties}. Prints
 * {@code READY central <host:port>} once it accepts connections, then runs {@link ServerCommands} read line by line
 * from stdin, answering each with the reply and {@code OK}, or {@code ERROR <message>}. EOF or {@code quit} stops
 * it cleanly. The fault-injection tests run it as a child process they can SIGKILL; staff use the OSGi product
 * ({@code ./apotheca server}, {@link ServerApplication}).
 */
public final class ServerMain {

  private ServerMain() {
  }

  public static void main(String[] args) throws Exception {
    String file = null;
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--config")) {
        file = args[i + 1];
      }
    }
    if (file == null) {
      System.err.println("usage: ServerMain --config <server.properties>");
      System.exit(2);
    }
    ServerConfig config = ServerConfig.load(Path.of(file));
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    CentralServer server;
    try {
      server = new CentralServer(config, container).start();
    } catch (org.apotheca.core.store.ModelSchemaMismatch e) {
      System.err.println("REFUSED " + e.getMessage());
      System.exit(org.apotheca.core.store.ModelSchemaGuard.EXIT_CODE);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "apotheca-central-shutdown"));
    ServerCommands commands = new ServerCommands(server);
    System.out.println("READY central " + config.endpoint());
    System.out.flush();
    LineCommands.serve(System.in, System.out, commands::apotheca,
        e -> e instanceof IllegalArgumentException ? e.getMessage() : CdoClient.rootMessage(e));
    server.stop();
    LifecycleUtil.deactivate(container);
    System.exit(0);
  }
}
