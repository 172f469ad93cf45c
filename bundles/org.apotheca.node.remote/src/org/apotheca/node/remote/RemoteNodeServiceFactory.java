package org.apotheca.node.remote;

import java.nio.file.Path;
import java.util.Map;

import org.apotheca.security.pki.KeyMaterial;

import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.NodeServiceFactory;
import org.apotheca.node.api.Refusal;

/**
 * Opens a {@link RemoteNodeService} from the workbench's settings: {@value NodeServiceFactory#NODE_ADDRESS} =
 * host:port of the node's till endpoint. Registered as an OSGi service with kind "remote" by Declarative Services
 * (OSGI-INF/remote-factory.xml), so it needs a public no-argument constructor and no activator.
 */
public final class RemoteNodeServiceFactory implements NodeServiceFactory {

  /** Setting: the directory holding this till's pairing ({@link TillPairing}). */
  public static final String IDENTITY = "identity";
  /** Setting: "true" for plain TCP to a node running with the development flag {@code dev.plain.tcp=true}. */
  public static final String PLAIN = "plain";

  public RemoteNodeServiceFactory() {
  }

  @Override
  public String kind() {
    return REMOTE;
  }

  /**
   * Nothing connects here: a till whose node is down still opens, and its first call says so.
   *
   * @throws NodeException {@link Refusal#BAD_INPUT} when the address is missing or not host:port
   */
  @Override
  public NodeService open(Map<String, String> settings) {
    String address = settings == null ? null : settings.get(NODE_ADDRESS);
    if (address == null || address.isBlank()) {
      throw new NodeException(Refusal.BAD_INPUT, "No pharmacy node address is set: give the node's till endpoint as "
          + NODE_ADDRESS + "=host:port, for example " + NODE_ADDRESS + "=192.168.1.10:2046.");
    }
    RemoteNodeService.parse(address); // a typo in the address is said first, pairing or not
    if ("true".equals(settings.get(PLAIN))) {
      return new RemoteNodeService(address); // development only: the node must run with dev.plain.tcp=true too
    }
    String dir = settings.get(IDENTITY);
    KeyMaterial till = dir == null ? null : TillPairing.load(Path.of(dir)).orElse(null);
    if (till == null) {
      throw new NodeException(Refusal.BAD_INPUT, "This till is not paired with its pharmacy node yet. On the node run "
          + "'apotheca till pair <name>', then start this till with --pair <bundle> (docs/security.md).");
    }
    return new RemoteNodeService(address, TillTransport.tls(till));
  }
}
