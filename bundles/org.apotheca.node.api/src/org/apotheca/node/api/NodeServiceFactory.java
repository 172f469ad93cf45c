package org.apotheca.node.api;

import java.util.Map;

/**
 * Opens a {@link NodeService}. Registered as an OSGi service by each implementation with the service property
 * {@value #KIND} = {@value #LOCAL} (the node in this process, {@code org.apotheca.sync}) or {@value #REMOTE}
 * (a node across the LAN, {@code org.apotheca.node.remote}); the workbench picks one from its command line.
 */
public interface NodeServiceFactory {

  String KIND = "apotheca.node.kind";
  String LOCAL = "local";
  String REMOTE = "remote";

  /** Setting of the remote kind: the node's till endpoint, "host:port". */
  String NODE_ADDRESS = "node";
  /** Setting of the local kind: path of the node's site.properties. */
  String SITE_CONFIG = "config";

  /** {@value #LOCAL} or {@value #REMOTE}. */
  String kind();

  /**
   * Opens the service. A local node is started (and stopped again by {@link NodeService#close()}); a remote one is
   * connected lazily, so a till whose node is down still opens and says so.
   *
   * @throws NodeException with a message for the person who configured it (bad file, bad address)
   */
  NodeService open(Map<String, String> settings);
}
