package org.apotheca.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import org.apotheca.core.ConsoleFunction;
import org.apotheca.core.store.ModelSchemaGuard;
import org.apotheca.core.store.ModelSchemaMismatch;
import org.eclipse.emf.cdo.internal.server.bundle.CDOCommandProvider;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.net4j.util.container.IPluginContainer;
import org.eclipse.osgi.framework.console.CommandProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * The headless central server (application id {@code org.apotheca.server.central}). Reads the config file
 * named by {@code -config <file>} or the system property {@value ServerConfig#FILE_PROPERTY}, serves until the
 * application is stopped or the JVM receives SIGTERM, then closes the repositories and Derby cleanly.
 * <p>
 * Uses the platform's {@link IPluginContainer} so that CDO's own {@code cdo ...} console commands, which
 * look there, see our repositories.
 */
public class ServerApplication implements IApplication {

  private static final Logger LOG = Logger.getLogger(ServerApplication.class.getName());

  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<ServiceRegistration<?>> services = new ArrayList<>();
  private CentralServer server;

  @Override
  public Object start(IApplicationContext context) throws Exception {
    String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
    ServerConfig config = loadConfig(args);
    server = new CentralServer(config, IPluginContainer.INSTANCE);
    Duration seedEvery = seedRefresh(args);
    if (seedEvery != null) {
      server.withCatalogueSeeds(seedEvery, org.apotheca.sync.CatalogueSeedMaker.DEFAULT_CHUNK_SIZE);
    }
    try {
      server.start();
    } catch (ModelSchemaMismatch e) {
      // the admin's sentence once, not a stack trace: the scripts show the console, and the exit code says why
      System.err.println("Apotheca central server refused to start: " + e.getMessage());
      return ModelSchemaGuard.EXIT_CODE;
    }
    registerConsoleCommands();
    Thread hook = new Thread(this::shutdownFromSignal, "apotheca-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    context.applicationRunning();
    System.out.println("Apotheca central server ready on " + config.endpoint() + " repositories=" + config.repositoryNames()
        + " data=" + config.dataDir() + " console=127.0.0.1:" + config.consolePort());
    stopped.await();
    closeServer();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running: it waits for closeServer() above
    }
    return EXIT_OK;
  }

  private void shutdownFromSignal() {
    LOG.info("Shutdown requested (signal): closing repositories");
    stopped.countDown();
    closeServer();
  }

  private synchronized void closeServer() {
    if (closed.getCount() == 0) {
      return;
    }
    for (ServiceRegistration<?> s : services) {
      try {
        s.unregister();
      } catch (IllegalStateException alreadyGone) {
        // the framework is stopping too
      }
    }
    services.clear();
    if (server != null) {
      server.stop();
    }
    System.out.println("Apotheca central server stopped cleanly");
    closed.countDown();
  }

  private void registerConsoleCommands() {
    BundleContext bc = FrameworkUtil.getBundle(getClass()).getBundleContext();
    services.add(bc.registerService(CommandProvider.class, new CDOCommandProvider(bc), null));
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("osgi.command.scope", "apotheca");
    props.put("osgi.command.function", new String[] { "apotheca" });
    services.add(bc.registerService(ConsoleFunction.class, new ConsoleFunction(new ServerCommands(server)::apotheca), props));
  }

  /**
   * {@code seed.refresh.minutes} in the server's config: how often central refreshes the catalogue seed new pharmacies
   * start from (default 60; 0: only on {@code apotheca catalogue-seed refresh}; -1: no seed at all).
   */
  static Duration seedRefresh(String[] args) {
    Path file = Path.of(configFile(args));
    Properties p = new Properties();
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      p.load(in);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("Cannot read server config " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    String v = p.getProperty("seed.refresh.minutes", "60").trim();
    long minutes;
    try {
      minutes = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Bad value in " + file.toAbsolutePath() + ": seed.refresh.minutes must be a whole"
          + " number of minutes (0: on request only, -1: no catalogue seed), not '" + v + "'");
    }
    return minutes < 0 ? null : Duration.ofMinutes(minutes);
  }

  private static String configFile(String[] args) {
    String file = System.getProperty(ServerConfig.FILE_PROPERTY);
    for (int i = 0; args != null && i < args.length - 1; i++) {
      if ("-config".equals(args[i])) {
        file = args[i + 1];
      }
    }
    if (file == null) {
      throw new IllegalArgumentException("No server config: pass -config <file> or -D" + ServerConfig.FILE_PROPERTY + "=<file>");
    }
    return file;
  }

  static ServerConfig loadConfig(String[] args) {
    String file = System.getProperty(ServerConfig.FILE_PROPERTY);
    for (int i = 0; args != null && i < args.length - 1; i++) {
      if ("-config".equals(args[i])) {
        file = args[i + 1];
      }
    }
    if (file == null) {
      throw new IllegalArgumentException("No server config: pass -config <file> or -D" + ServerConfig.FILE_PROPERTY + "=<file>");
    }
    return ServerConfig.load(Path.of(file));
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
