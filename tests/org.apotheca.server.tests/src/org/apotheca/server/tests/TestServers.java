package org.apotheca.server.tests;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.apotheca.core.net.CdoConnection;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.server.access.CentralClient;
import org.apotheca.server.access.CentralSecurity;
import org.apotheca.core.net.Endpoint;
import org.apotheca.server.CentralServer;
import org.apotheca.server.ServerConfig;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/** Starts real central servers and clients, each with its own Net4j container, on loopback ports. */
final class TestServers {

  private TestServers() {
  }

  static int freePort() {
    return org.apotheca.security.tls.LoopbackPorts.free();
  }

  static ServerConfig config(Path dataDir, int port, int sampleProducts, String... sites) {
    return ServerConfig.defaults(dataDir).withEndpoint(new Endpoint("127.0.0.1", port)).withSites(List.of(sites))
        .withSampleProducts(sampleProducts);
  }

  static CentralServer start(ServerConfig config) {
    IManagedContainer container = ContainerUtil.createContainer();
    container.activate();
    return new CentralServer(config, container).start();
  }

  static void stop(CentralServer server) {
    if (server != null) {
      server.stop();
      LifecycleUtil.deactivate(server.container());
    }
  }

  /**
   * A client as one of central's staff tools: its own container, a TCP connection through central's TLS gate, with a
   * staff-tool certificate issued from central's authority (its directory is on this machine's disk).
   */
  static CdoConnection client(ServerConfig config, String repository) {
    KeyMaterial staff = new CentralSecurity(config.securityDir(), site -> true, Clock.systemUTC()).issueStaffTool("tests");
    return CentralClient.open(staff, config.endpoint(), repository);
  }
}
