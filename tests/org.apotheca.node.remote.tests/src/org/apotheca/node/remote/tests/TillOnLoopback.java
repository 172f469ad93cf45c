package org.apotheca.node.remote.tests;

import org.apotheca.node.remote.RemoteNodeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A node (the transport test double behind a real till endpoint) and one till connected to it, fresh per test. */
abstract class TillOnLoopback {

  protected TransportTestDouble node;
  protected TestNode server;
  protected RemoteNodeService till;

  @BeforeEach
  void start() {
    node = new TransportTestDouble();
    server = new TestNode(node);
    till = new RemoteNodeService(server.address());
  }

  @AfterEach
  void stop() {
    till.close();
    server.close();
  }
}
