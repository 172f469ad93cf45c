package org.apotheca.net4j.db.derby.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apotheca.net4j.db.derby.DerbyAdapter;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.eclipse.emf.cdo.common.branch.CDOBranch;
import org.eclipse.emf.cdo.common.commit.CDOCommitInfo;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.net4j.CDONet4jSessionConfiguration;
import org.eclipse.emf.cdo.net4j.CDONet4jUtil;
import org.eclipse.emf.cdo.server.CDOServerUtil;
import org.eclipse.emf.cdo.server.IRepository;
import org.eclipse.emf.cdo.server.db.CDODBUtil;
import org.eclipse.emf.cdo.server.db.IDBStore;
import org.eclipse.emf.cdo.server.db.mapping.IMappingStrategy;
import org.eclipse.emf.cdo.server.net4j.CDONet4jServerUtil;
import org.eclipse.emf.cdo.spi.server.InternalRepository;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.emf.common.util.EList;
import org.eclipse.emf.ecore.EAttribute;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EEnum;
import org.eclipse.emf.ecore.EEnumLiteral;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.EcoreFactory;
import org.eclipse.emf.ecore.EcorePackage;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.eclipse.net4j.Net4jUtil;
import org.eclipse.net4j.acceptor.IAcceptor;
import org.eclipse.net4j.db.DBType;
import org.eclipse.net4j.tcp.TCPUtil;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CDO repository on DBStore over the adapter on embedded Derby, with the settings offline clones need from their
 * master (audits, branches, client-side UUIDs, eager tables), reached through Net4j TCP on the loopback interface.
 */
class DerbyCDORoundTripTest {

  private static final String NS_URI = "http://apotheca.org/test/derby-roundtrip";

  private static final String REPOSITORY = "roundtrip";

  private static final String RESOURCE = "/catalogue";

  private static final long EXPIRES = 1_795_400_000_123L;

  private static final String LEAFLET = "Take one tablet. \u00c4\u00df\u20ac ".repeat(5_000); // ~105k chars

  @TempDir
  Path dir;

  @BeforeAll
  static void keepDerbyLogOutOfTheWorkingDirectory(@TempDir Path logDir) {
    DerbyTestSupport.redirectDerbyLog(logDir);
  }

  @Test
  void commitsOverTcpAndReadsEverythingBackAfterDerbyWasShutDownAndReopened() throws Exception {
    Path db = dir.resolve(REPOSITORY);
    int port = freeLoopbackPort();
    long firstCommit;
    long start = System.nanoTime();

    try (Server server = new Server(db, port); Client client = new Client(server.container, port)) {
      EPackage model = client.session.getPackageRegistry().getEPackage(NS_URI);
      assertNotNull(model, "the repository's initial package reaches the client");
      EClass product = (EClass) model.getEClassifier("Product");
      EClass batch = (EClass) model.getEClassifier("Batch");

      CDOTransaction tx = client.session.openTransaction();
      CDOResource resource = tx.createResource(RESOURCE);
      EObject paracetamol = EcoreUtil.create(product);
      set(paracetamol, "name", "Paracetamol 500 mg \u00e4\u00df\u20ac");
      set(paracetamol, "priceCents", 123_456_789_012L);
      set(paracetamol, "quantity", 42);
      set(paracetamol, "controlled", true);
      set(paracetamol, "expires", new Date(EXPIRES));
      set(paracetamol, "form", literal(model, "TABLET"));
      set(paracetamol, "leaflet", LEAFLET);
      set(paracetamol, "image", image());
      for (String lot : List.of("L-1", "L-2", "L-3")) {
        EObject b = EcoreUtil.create(batch);
        set(b, "lot", lot);
        batches(paracetamol).add(b);
      }
      resource.getContents().add(paracetamol);
      firstCommit = tx.commit().getTimeStamp();

      set(paracetamol, "quantity", 41);
      batches(paracetamol).remove(0);
      tx.commit();

      CDOBranch pharmacy = client.session.getBranchManager().getMainBranch().createBranch("pharmacy1");
      CDOTransaction onBranch = client.session.openTransaction(pharmacy);
      set(onBranch.getResource(RESOURCE).getContents().get(0), "quantity", 7);
      onBranch.commit();
    }
    assertTrue(DerbyDatabase.shutdown(db), "nothing kept the database booted");
    long firstRun = System.nanoTime() - start;

    start = System.nanoTime();
    try (Server server = new Server(db, port); Client client = new Client(server.container, port)) {
      CDOView head = client.session.openView();
      EObject p = head.getResource(RESOURCE).getContents().get(0);
      assertEquals("Paracetamol 500 mg \u00e4\u00df\u20ac", get(p, "name"));
      assertEquals(123_456_789_012L, get(p, "priceCents"));
      assertEquals(41, get(p, "quantity"));
      assertEquals(true, get(p, "controlled"));
      assertEquals(new Date(EXPIRES), get(p, "expires"));
      assertEquals("TABLET", ((EEnumLiteral) get(p, "form")).getName());
      assertEquals(LEAFLET, get(p, "leaflet"));
      assertArrayEquals(image(), (byte[]) get(p, "image"));
      assertEquals(List.of("L-2", "L-3"), batches(p).stream().map(b -> get(b, "lot")).toList());

      CDOView past = client.session.openView(firstCommit);
      EObject old = past.getResource(RESOURCE).getContents().get(0);
      assertEquals(42, get(old, "quantity"), "audit: the state of the first commit");
      assertEquals(List.of("L-1", "L-2", "L-3"), batches(old).stream().map(b -> get(b, "lot")).toList());

      CDOBranch pharmacy = client.session.getBranchManager().getMainBranch().getBranch("pharmacy1");
      assertNotNull(pharmacy, "branch survives the restart");
      EObject onBranch = client.session.openView(pharmacy).getResource(RESOURCE).getContents().get(0);
      assertEquals(7, get(onBranch, "quantity"));

      // The reopened store keeps committing: commit times, ids and list indexes continue where they were.
      CDOTransaction tx = client.session.openTransaction();
      EObject again = tx.getObject(p);
      EObject b = EcoreUtil.create((EClass) p.eClass().getEPackage().getEClassifier("Batch"));
      set(b, "lot", "L-4");
      batches(again).add(b);
      CDOCommitInfo info = tx.commit();
      assertTrue(info.getTimeStamp() > firstCommit);
      assertEquals(3, batches(again).size());
    }
    assertTrue(DerbyDatabase.shutdown(db));
    long secondRun = System.nanoTime() - start;
    System.out.printf("CDO on Derby: create + 3 commits + shutdown %d ms, reopen + reads + commit + shutdown %d ms%n",
        firstRun / 1_000_000, secondRun / 1_000_000);
  }

  /** Built anew for every server start, as a separate server process would. */
  static EPackage createModel() {
    EcoreFactory f = EcoreFactory.eINSTANCE;
    EcorePackage ecore = EcorePackage.eINSTANCE;
    EPackage model = f.createEPackage();
    model.setName("roundtrip");
    model.setNsPrefix("roundtrip");
    model.setNsURI(NS_URI);

    EEnum form = f.createEEnum();
    form.setName("DosageForm");
    for (String name : List.of("CAPSULE", "TABLET", "SYRUP")) {
      EEnumLiteral literal = f.createEEnumLiteral();
      literal.setName(name);
      literal.setValue(form.getELiterals().size());
      form.getELiterals().add(literal);
    }
    model.getEClassifiers().add(form);

    EClass batch = f.createEClass();
    batch.setName("Batch");
    batch.getEStructuralFeatures().add(attribute("lot", ecore.getEString()));
    model.getEClassifiers().add(batch);

    EClass product = f.createEClass();
    product.setName("Product");
    product.getEStructuralFeatures().add(attribute("name", ecore.getEString()));
    product.getEStructuralFeatures().add(attribute("priceCents", ecore.getELong()));
    product.getEStructuralFeatures().add(attribute("quantity", ecore.getEInt()));
    product.getEStructuralFeatures().add(attribute("controlled", ecore.getEBoolean()));
    product.getEStructuralFeatures().add(attribute("expires", ecore.getEDate()));
    product.getEStructuralFeatures().add(attribute("form", form));
    EAttribute leaflet = attribute("leaflet", ecore.getEString());
    // CDO's DBStore annotation: the column becomes DBType.LONGVARCHAR, which the adapter maps to CLOB.
    EcoreUtil.setAnnotation(leaflet, "http://www.eclipse.org/CDO/DBStore", "columnType", DBType.LONGVARCHAR.getKeyword());
    product.getEStructuralFeatures().add(leaflet);
    product.getEStructuralFeatures().add(attribute("image", ecore.getEByteArray()));
    EReference batches = f.createEReference();
    batches.setName("batches");
    batches.setEType(batch);
    batches.setContainment(true);
    batches.setUpperBound(-1);
    product.getEStructuralFeatures().add(batches);
    model.getEClassifiers().add(product);
    return model;
  }

  private static EAttribute attribute(String name, org.eclipse.emf.ecore.EClassifier type) {
    EAttribute attribute = EcoreFactory.eINSTANCE.createEAttribute();
    attribute.setName(name);
    attribute.setEType(type);
    return attribute;
  }

  private static byte[] image() {
    byte[] bytes = new byte[2_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 7);
    }
    return bytes;
  }

  private static EEnumLiteral literal(EPackage model, String name) {
    return ((EEnum) model.getEClassifier("DosageForm")).getEEnumLiteral(name);
  }

  private static void set(EObject object, String feature, Object value) {
    object.eSet(object.eClass().getEStructuralFeature(feature), value);
  }

  private static Object get(EObject object, String feature) {
    return object.eGet(object.eClass().getEStructuralFeature(feature));
  }

  @SuppressWarnings("unchecked")
  private static EList<EObject> batches(EObject product) {
    return (EList<EObject>) get(product, "batches");
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Repository + TCP acceptor in a container of its own: nothing in CDO 4.7 from Central registers factories. */
  private static final class Server implements AutoCloseable {

    final IManagedContainer container = ContainerUtil.createContainer();

    final IRepository repository;

    final IAcceptor acceptor;

    Server(Path db, int port) {
      Net4jUtil.prepareContainer(container);
      TCPUtil.prepareContainer(container);
      CDONet4jUtil.prepareContainer(container);
      CDONet4jServerUtil.prepareContainer(container);
      container.activate();

      IMappingStrategy mapping = CDODBUtil.createHorizontalMappingStrategy(true, true, true);
      Map<String, String> mappingProps = new HashMap<>();
      mappingProps.put(IMappingStrategy.Props.EAGER_TABLE_CREATION, "true");
      mapping.setProperties(mappingProps);
      IDBStore store = CDODBUtil.createStore(mapping, new DerbyAdapter(), DerbyDatabase.connectionProvider(db));

      Map<String, String> props = new HashMap<>();
      props.put(IRepository.Props.OVERRIDE_UUID, REPOSITORY);
      props.put(IRepository.Props.SUPPORTING_AUDITS, "true");
      props.put(IRepository.Props.SUPPORTING_BRANCHES, "true");
      props.put(IRepository.Props.ID_GENERATION_LOCATION, "CLIENT");
      repository = CDOServerUtil.createRepository(REPOSITORY, store, props);
      ((InternalRepository) repository).setInitialPackages(createModel());
      CDOServerUtil.addRepository(container, repository);
      acceptor = TCPUtil.getAcceptor(container, "127.0.0.1:" + port);
    }

    @Override
    public void close() {
      LifecycleUtil.deactivate(acceptor);
      LifecycleUtil.deactivate(repository);
      container.deactivate();
    }
  }

  private static final class Client implements AutoCloseable {

    final CDONet4jSession session;

    Client(IManagedContainer container, int port) {
      CDONet4jSessionConfiguration configuration = CDONet4jUtil.createNet4jSessionConfiguration();
      configuration.setConnector(TCPUtil.getConnector(container, "127.0.0.1:" + port));
      configuration.setRepositoryName(REPOSITORY);
      session = configuration.openNet4jSession();
    }

    @Override
    public void close() {
      session.close();
    }
  }
}
