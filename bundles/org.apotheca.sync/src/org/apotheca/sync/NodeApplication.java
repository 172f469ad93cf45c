package org.apotheca.sync;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apotheca.core.ConsoleFunction;
import org.apotheca.core.store.ModelSchemaGuard;
import org.apotheca.core.store.ModelSchemaMismatch;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * The headless pharmacy node for a back-office machine (application id {@code org.apotheca.sync.node}, started
 * by {@code ./apotheca site}). Reads {@code -config <site.properties>}, serves the clones to the pharmacy's tills,
 * registers the {@code apotheca} console commands ({@link NodeCommands}) and runs until stopped or SIGTERM.
 */
public class NodeApplication implements IApplication {


  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private PharmacyNode node;
  private ServiceRegistration<?> commands;

  @Override
  public Object start(IApplicationContext context) throws Exception {
    String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
    String file = System.getProperty(NodeSettings.FILE_PROPERTY);
    for (int i = 0; args != null && i < args.length - 1; i++) {
      if ("-config".equals(args[i])) {
        file = args[i + 1];
      }
    }
    if (file == null) {
      throw new IllegalArgumentException("No site config: pass -config <file> or -D" + NodeSettings.FILE_PROPERTY + "=<file>");
    }
    NodeSettings settings = NodeSettings.load(Path.of(file));
    try {
      node = new PharmacyNode(settings.node()).start();
    } catch (ModelSchemaMismatch e) {
      // the admin's sentence once, not a stack trace: the scripts show the console, and the exit code says why
      System.err.println("Apotheca pharmacy node " + settings.node().siteId() + " refused to start: " + e.getMessage());
      return ModelSchemaGuard.EXIT_CODE;
    }
    BundleContext bc = FrameworkUtil.getBundle(getClass()).getBundleContext();
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("osgi.command.scope", "apotheca");
    props.put("osgi.command.function", new String[] { "apotheca" });
    commands = bc.registerService(ConsoleFunction.class, new ConsoleFunction(new NodeCommands(node)::apotheca), props);
    Thread hook = new Thread(this::shutdownFromSignal, "apotheca-node-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    context.applicationRunning();
    System.out.println("Apotheca pharmacy node " + settings.node().siteId() + " started: central=" + settings.node().central()
        + " tills=" + settings.node().tills() + " data=" + settings.node().dataDir() + " console=127.0.0.1:" + settings.consolePort());
    node.serveTills(new LocalNodeService(node, false));
    NodeHosting.receiveSampleStockWhenReady(node, settings.sampleStock());
    stopped.await();
    close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running and waits for close()
    }
    return EXIT_OK;
  }

  private void shutdownFromSignal() {
    stopped.countDown();
    close();
  }

  private synchronized void close() {
    if (closed.getCount() == 0) {
      return;
    }
    try {
      if (commands != null) {
        commands.unregister();
      }
    } catch (IllegalStateException alreadyGone) {
      // the framework is stopping too
    }
    if (node != null) {
      node.stop();
    }
    System.out.println("Apotheca pharmacy node stopped cleanly");
    closed.countDown();
  }

  @Override
  public void stop() {
    stopped.countDown();
    try {
      closed.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
