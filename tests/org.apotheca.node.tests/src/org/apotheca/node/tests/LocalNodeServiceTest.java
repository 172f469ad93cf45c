package org.apotheca.node.tests;

import org.apotheca.node.api.NodeService;
import org.apotheca.sync.LocalNodeService;
import org.apotheca.sync.PharmacyNode;

/** The contract against the node in the till's own process (the back-office workbench). */
class LocalNodeServiceTest extends NodeServiceContractTest {

  @Override
  protected NodeService open(PharmacyNode node, LocalNodeService local) {
    return local;
  }
}
