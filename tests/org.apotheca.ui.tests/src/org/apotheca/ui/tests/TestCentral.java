package org.apotheca.ui.tests;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apotheca.core.Repositories;
import org.apotheca.core.catalogue.CatalogueEditor;
import org.apotheca.core.net.Endpoint;
import org.apotheca.core.sales.SalesReader;
import org.apotheca.node.remote.TillTransport;
import org.apotheca.security.pki.CertificateAuthority;
import org.apotheca.security.pki.KeyMaterial;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.server.CentralServer;
import org.apotheca.sync.NodeIdentity;
import org.apotheca.sync.NodeSettings;
import org.apotheca.server.ServerCommands;
import org.apotheca.server.ServerConfig;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.eresource.CDOResourceFolder;
import org.eclipse.emf.cdo.eresource.CDOResourceNode;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/**
 * The real central server in the test JVM, on the port and data folder the test pom gives (the workbench's node is
 * configured against the same port), with the sample catalogue and the demo staff (demo.users) of site 0001.
 */
final class TestCentral {

  static final String SITE = "0001";
  static final int PRODUCTS = 50;

  private CentralServer server;
  private IManagedContainer container;

  static Endpoint endpoint() {
    return Endpoint.parse(System.getProperty("apotheca.test.central"));
  }

  static Path dataDir() {
    return Path.of(System.getProperty("apotheca.test.central.data"));
  }

  /** Starts central on the same port and data as before (a restart after an outage keeps everything). */
  synchronized TestCentral start() {
    container = ContainerUtil.createContainer();
    container.activate();
    ServerConfig config = ServerConfig.defaults(dataDir()).withEndpoint(endpoint()).withSites(List.of(SITE))
        .withSampleProducts(PRODUCTS).withDemoUsers(true);
    server = new CentralServer(config, container).start();
    // the workbench's node was enrolled with this central, as ./apotheca site --enroll would; it connects at its next retry
    Path secrets = nodeSettings().node().secretsDir();
    if (NodeIdentity.load(secrets).isEmpty()) {
      NodeIdentity.install(secrets, server.security().issueSite(SITE));
    }
    return this;
  }

  static NodeSettings nodeSettings() {
    return NodeSettings.load(Path.of(System.getProperty(NodeSettings.FILE_PROPERTY)));
  }

  /**
   * A till of the LAN paired with the workbench's node, as {@code apotheca till pair} on the node's console would pair
   * it: the node's till authority is in its secrets directory on this disk.
   */
  static TillTransport pairedTill(String name) {
    Path secrets = nodeSettings().node().secretsDir();
    CertificateAuthority tills = CertificateAuthority.createOrOpen(secrets.resolve("tills-ca"), "Apotheca tills of pharmacy " + SITE);
    KeyPair pair = KeyMaterial.newKeyPair();
    X509Certificate cert = tills.issue(new MachineIdentity(MachineIdentity.Kind.TILL, SITE + "/" + name), pair.getPublic(),
        Duration.ofDays(30));
    return TillTransport.tls(new KeyMaterial(pair.getPrivate(), new X509Certificate[] { cert, tills.certificate() }, tills.certificate()));
  }

  synchronized void stop() {
    if (server != null) {
      server.stop();
      server = null;
    }
    LifecycleUtil.deactivate(container);
    container = null;
  }

  synchronized boolean running() {
    return server != null;
  }

  /** How many sales of the site central holds. */
  synchronized int salesCount() {
    CDONet4jSession session = server.openLocalSession(Repositories.siteRepository(SITE));
    try {
      CDOView view = session.openView();
      return SalesReader.summary(view, SITE).count();
    } finally {
      session.close();
    }
  }

  /** Disables a user with central's own console command. */
  synchronized String disableUser(String username) throws Exception {
    return new ServerCommands(server).apotheca("user", "disable", username, "--reason", "left the pharmacy", "--by", "qa");
  }

  /** Issues a recall of some lots of a product, as central's console does. */
  synchronized String recall(String barcode, List<String> lots, String why) {
    CDONet4jSession session = server.openLocalSession(Repositories.CATALOGUE);
    try {
      return new CatalogueEditor(session).recall(barcode, lots, "qa", why).number();
    } finally {
      session.close();
    }
  }

  /** One of central's own console commands ({@code apotheca user enable maria}, {@code apotheca report ...}): its reply. */
  synchronized String console(String... args) throws Exception {
    return new ServerCommands(server).apotheca(args);
  }

  /** Units central holds of one batch (by barcode and lot), or -1 when central has no such batch. */
  synchronized int batchQuantity(String barcode, String lot) {
    CDONet4jSession session = server.openLocalSession(Repositories.siteRepository(SITE));
    try {
      CDOView view = session.openView();
      for (int b = 0; view.hasResource(Repositories.stockBucket(SITE, b)); b++) {
        for (org.eclipse.emf.ecore.EObject root : view.getResource(Repositories.stockBucket(SITE, b)).getContents()) {
          if (root instanceof org.apotheca.model.StockBucket bucket) {
            for (org.apotheca.model.StockBatch batch : bucket.getBatches()) {
              if (barcode.equals(batch.getBarcode()) && lot.equals(batch.getLotNumber())) {
                return batch.getQuantity();
              }
            }
          }
        }
      }
      return -1;
    } finally {
      session.close();
    }
  }

  /** The cash-ups central holds, as "till difference note closedBy" lines. */
  synchronized List<String> cashUps() {
    CDONet4jSession session = server.openLocalSession(Repositories.siteRepository(SITE));
    try {
      CDOView view = session.openView();
      List<String> out = new java.util.ArrayList<>();
      for (org.apotheca.model.SalesDay day : SalesReader.journals(view, SITE)) {
        for (org.apotheca.model.CashUp c : day.getCashUps()) {
          out.add(day.getTillId() + " " + c.getDifferenceMinor() + " " + c.getNote() + " " + c.getClosingUserName());
        }
      }
      return out;
    } finally {
      session.close();
    }
  }

  /**
   * What {@code read} says of every object of {@code type} in the site's repository at central, wherever the node keeps
   * it (read while central's view is open).
   */
  synchronized <T, R> List<R> siteObjects(Class<T> type, Function<T, R> read) {
    CDONet4jSession session = server.openLocalSession(Repositories.siteRepository(SITE));
    try {
      CDOView view = session.openView();
      List<R> out = new ArrayList<>();
      for (EObject node : view.getRootResource().getContents()) {
        collect(node, type, read, out);
      }
      return out;
    } finally {
      session.close();
    }
  }

  private static <T, R> void collect(EObject node, Class<T> type, Function<T, R> read, List<R> out) {
    if (node instanceof CDOResourceFolder f) {
      for (CDOResourceNode n : f.getNodes()) {
        collect(n, type, read, out);
      }
    } else if (node instanceof CDOResource r) {
      r.getAllContents().forEachRemaining(o -> {
        if (type.isInstance(o)) {
          out.add(read.apply(type.cast(o)));
        }
      });
    }
  }
}
