package org.apotheca.node.tests;

import org.apotheca.node.api.NodeService;
import org.apotheca.node.remote.RemoteNodeService;
import org.apotheca.sync.LocalNodeService;
import org.apotheca.sync.PharmacyNode;

/** The contract against a till on the pharmacy LAN: the till protocol to the node's till endpoint, over TCP. */
class RemoteNodeServiceTest extends NodeServiceContractTest {

  @Override
  protected NodeService open(PharmacyNode node, LocalNodeService local) {
    node.serveTills(local);
    return new RemoteNodeService(node.config().tills().host() + ":" + node.config().tills().port());
  }
}
