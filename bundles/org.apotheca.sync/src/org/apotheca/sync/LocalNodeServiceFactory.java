package org.apotheca.sync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.logging.Logger;

import org.apotheca.core.ConsoleFunction;
import org.apotheca.core.store.ModelSchemaMismatch;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.NodeServiceFactory;
import org.apotheca.node.api.Refusal;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Starts the pharmacy node in the workbench's own process (the back-office PC) from its site.properties and hands
 * out the {@link LocalNodeService} on it. Registered by Declarative Services (OSGI-INF/local-node-factory.xml). The
 * node also serves the pharmacy's other tills and, when the workbench was started with a console, the node's
 * {@code apotheca ...} console commands.
 */
public final class LocalNodeServiceFactory implements NodeServiceFactory {

  private static final Logger LOG = Logger.getLogger(LocalNodeServiceFactory.class.getName());

  private BundleContext context;

  void activate(BundleContext bundleContext) {
    this.context = bundleContext;
  }

  @Override
  public String kind() {
    return LOCAL;
  }

  @Override
  public NodeService open(Map<String, String> settings) {
    String file = settings.get(SITE_CONFIG);
    if (file == null || file.isBlank()) {
      throw new NodeException(Refusal.BAD_INPUT, "No pharmacy node configured: start the workbench with -config <site.properties> "
          + "or -node <host:port> of the pharmacy's node.");
    }
    Path path = Path.of(file).toAbsolutePath();
    if (!Files.isReadable(path)) {
      throw new NodeException(Refusal.BAD_INPUT, "Cannot read the node's settings file " + path + ".");
    }
    NodeSettings nodeSettings;
    try {
      nodeSettings = NodeSettings.load(path);
    } catch (RuntimeException e) {
      throw new NodeException(Refusal.BAD_INPUT, e.getMessage());
    }
    java.time.Clock clock = AdjustableClock.of(nodeSettings);
    PharmacyNode node;
    try {
      node = new PharmacyNode(nodeSettings.node(), ReplicatorSessions.Fix.ALL, clock).start();
    } catch (ModelSchemaMismatch e) {
      // the workbench shows this sentence where the login would be: the admin's next step is in it
      throw new NodeException(Refusal.NODE_NOT_READY, e.getMessage());
    }
    LocalNodeService service = new LocalNodeService(node, true, clock);
    ServiceRegistration<?> commands = registerCommands(node);
    node.serveTills(service);
    NodeHosting.receiveSampleStockWhenReady(node, nodeSettings.sampleStock());
    LOG.info(() -> "Pharmacy node " + nodeSettings.node().siteId() + " started in the workbench: central=" + nodeSettings.node().central()
        + " tills=" + nodeSettings.node().tills());
    service.onClose(() -> {
      if (commands != null) {
        try {
          commands.unregister();
        } catch (IllegalStateException alreadyGone) {
          // the framework is stopping too
        }
      }
    });
    return service;
  }

  private ServiceRegistration<?> registerCommands(PharmacyNode node) {
    if (context == null) {
      return null;
    }
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("osgi.command.scope", "apotheca");
    props.put("osgi.command.function", new String[] { "apotheca" });
    return context.registerService(ConsoleFunction.class, new ConsoleFunction(new NodeCommands(node)::apotheca), props);
  }
}
