package org.apotheca.node.tests;

import org.apotheca.node.api.NodeService;
import org.apotheca.node.remote.RemoteNodeService;
import org.apotheca.node.remote.TillTransport;
import org.apotheca.security.pki.Enrollment;
import org.apotheca.sync.LocalNodeService;
import org.apotheca.sync.PharmacyNode;
import org.apotheca.sync.TillAccess;

/**
 * The contract against a till on the pharmacy LAN: the till protocol to the node's till endpoint, over TLS with a
 * till paired with the node as staff would pair one.
 */
class RemoteNodeServiceTest extends NodeServiceContractTest {

  @Override
  protected NodeService open(PharmacyNode node, LocalNodeService local) {
    node.serveTills(local);
    TillAccess.Pairing pairing = node.tillAccess().pair("till-lan");
    TillTransport tls = TillTransport.tls(Enrollment.read(pairing.bundle(), pairing.oneTimePassword()));
    return new RemoteNodeService(node.config().tills().host() + ":" + node.config().tills().port(), tls);
  }
}
