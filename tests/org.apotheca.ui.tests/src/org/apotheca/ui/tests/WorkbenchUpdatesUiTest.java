package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apotheca.core.sample.SampleCatalogue;
import org.apotheca.node.api.NodeException;
import org.apotheca.ui.Node;
import org.apotheca.ui.updates.UpdateSettings;
import org.eclipse.equinox.p2.core.IProvisioningAgent;
import org.eclipse.equinox.p2.metadata.IInstallableUnit;
import org.eclipse.equinox.p2.metadata.IProvidedCapability;
import org.eclipse.equinox.p2.metadata.MetadataFactory;
import org.eclipse.equinox.p2.metadata.MetadataFactory.InstallableUnitDescription;
import org.eclipse.equinox.p2.metadata.Version;
import org.eclipse.equinox.p2.metadata.VersionRange;
import org.eclipse.equinox.p2.repository.IRepositoryManager;
import org.eclipse.equinox.p2.repository.artifact.IArtifactRepositoryManager;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepository;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepositoryManager;
import org.eclipse.equinox.p2.ui.ProvisioningUI;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The admin's Updates window at the real workbench (after the other stories or alone): only an admin sees its key,
 * the update site comes from the file an admin deploys and reaches p2's repository managers, p2's own Install wizard
 * lists the categories of a real p2 repository (made here with p2's API: an "Optional plugins" category holding a
 * feature group), and nothing is checked or installed while a sale is open. The test runtime is not a p2 profile,
 * so "Check for updates" must say that this workbench cannot update itself; updating a real installation is shown
 * on the built product (docs/admin-guide.md).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchUpdatesUiTest {

  private static final Robot R = new Robot();
  private static final TestCentral CENTRAL = new TestCentral();
  private static final String OPTIONAL_FEATURE = "org.apotheca.labels.feature.feature.group";

  private static URI site;

  @org.junit.jupiter.api.extension.RegisterExtension
  static final Story STORY = new Story(R, "failed-updates-");

  @BeforeAll
  static void centralASiteAndAnAdmin() throws Exception {
    Robot.waitFor("the workbench window", () -> PlatformUI.isWorkbenchRunning()
        && R.ui(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null));
    CENTRAL.start();
    R.waitForText("status.connection", "online", "Online"::equals);
    Robot.waitFor("sample stock at the node", () -> !Node.get().service().batches(SampleCatalogue.barcode(19)).isEmpty());
    if (!CENTRAL.console("user", "list", "--site", TestCentral.SITE).contains("name=ada ")) {
      CENTRAL.console("user", "add", "ada", "--site", TestCentral.SITE, "--role", "pharmacist,admin", "--password",
          "ada-demo", "--name", "Ada Pharmacist-Admin", "--by", "qa");
    }
    for (String[] who : new String[][] { { "admin", "admin-demo" }, { "ada", "ada-demo" } }) {
      Robot.waitFor("the node lets " + who[0] + " log in", () -> {
        try {
          Node.get().service().logout(Node.get().service().login("till-9", who[0], who[1].toCharArray()).token());
          return true;
        } catch (NodeException e) {
          return false;
        }
      });
    }
    // beside central's data: the build empties target/ui-test before every run
    site = optionalPluginsSite(TestCentral.dataDir().resolveSibling("update-site"));
    Path config = Files.createTempDirectory("apotheca-updates").resolve(UpdateSettings.FILE);
    Files.writeString(config, "# what an admin deploys as configuration/" + UpdateSettings.FILE + "\nrepository="
        + Path.of(site).toString() + "\ncheck.hours=6\n");
    System.setProperty("apotheca.updates.config", config.toString());
    lock();
  }

  @AfterAll
  static void stopCentral() {
    System.clearProperty("apotheca.updates.config");
    lock();
    CENTRAL.stop();
  }

  @Test
  @Order(1)
  void aPharmacistHasNoUpdatesKey() {
    login("alice", "alice-demo", "Alice");
    assertFalse(R.text("till.keys").contains("Ctrl+U"), R.text("till.keys"));
    R.keys(SWT.CTRL, 'u');
    R.key(SWT.F8); // a window the pharmacist does have: once it is up, Ctrl+U has had its chance to open another
    Robot.waitFor("the day's sales", () -> R.ui(() -> PlatformUI.getWorkbench().getDisplay().getActiveShell() != shell()));
    assertFalse(R.showing("updates.site"), "no Updates window for a pharmacist");
    R.key(SWT.ESC);
    Robot.waitFor("back at the till", () -> R.ui(() -> PlatformUI.getWorkbench().getDisplay().getActiveShell() == shell()));
    lock();
  }

  @Test
  @Order(2)
  void theAdminSeesTheSiteAndP2ListsItsCategories() throws Exception {
    login("admin", "admin-demo", "Demo Administrator");
    assertTrue(R.text("till.keys").endsWith("\u00b7 Ctrl+U updates"), R.text("till.keys"));
    R.keys(SWT.CTRL, 'u');
    String shown = R.waitForText("updates.site", "the site", t -> !t.isEmpty());
    assertTrue(shown.startsWith(site.toString()), shown);
    assertTrue(shown.contains("checked every 6 hours"), shown);
    assertTrue(R.text("updates.installed").contains("not installed from an update site"), R.text("updates.installed"));

    R.click("updates.install");
    IProvisioningAgent agent = ProvisioningUI.getDefaultUI().getSession().getProvisioningAgent();
    Robot.waitFor("the site known to p2", () -> agent.getService(IMetadataRepositoryManager.class).contains(site)
        && agent.getService(IArtifactRepositoryManager.class).contains(site));
    Shell wizard = Robot.waitFor("p2's Install wizard", () -> R.ui(WorkbenchUpdatesUiTest::installWizard));
    List<String> categories = Robot.waitFor("the site's categories", () -> {
      List<String> names = R.ui(() -> treeItems(wizard));
      return names.contains("Optional plugins") ? names : null;
    });
    assertTrue(categories.contains("Apotheca"), categories.toString());
    R.failureScreenshot("updates-install-wizard.png"); // target/ only: docs show the built product's wizard
    R.run(wizard::close);
    Robot.waitFor("the wizard closed", () -> R.ui(wizard::isDisposed));
    assertEquals("Installing from " + site + ": optional plugins are in the category \"Optional plugins\".",
        R.text("updates.message"));

    R.click("updates.check");
    String answer = R.waitForText("updates.message", "the check's answer", t -> !t.startsWith("Checking"));
    assertEquals("This workbench was not installed from an update site, so it cannot update itself.", answer);
    assertTrue(R.text("updates.last").endsWith(answer), R.text("updates.last"));
    R.failureScreenshot("updates-window.png"); // target/ only: docs show the window of a real installation
    R.key(SWT.ESC);
    Robot.waitFor("Updates closed", () -> !R.showing("updates.site"));
    lock();
  }

  @Test
  @Order(3)
  void nothingIsInstalledDuringASale() {
    login("ada", "ada-demo", "Ada");
    R.typeInto("till.scan", SampleCatalogue.barcode(19));
    R.key(SWT.CR);
    Robot.waitFor("one line", () -> R.rows("till.basket").size() == 1);
    R.keys(SWT.CTRL, 'u');
    R.widget("updates.site");
    for (String button : new String[] { "updates.install", "updates.check" }) {
      R.click(button);
      assertEquals("A sale is open on this till: finish or clear it first. Nothing was checked, installed or restarted.",
          R.waitForText("updates.message", "the refusal", t -> t.startsWith("A sale")));
      R.run(() -> R.<org.eclipse.swt.widgets.Label>widget("updates.message").setText(""));
    }
    assertTrue(R.ui(() -> installWizard() == null), "no wizard opened");
    R.key(SWT.ESC);
    Robot.waitFor("Updates closed", () -> !R.showing("updates.site"));
    R.focus("till.scan");
    R.key(SWT.DEL);
    Robot.waitFor("basket empty", () -> R.rows("till.basket").isEmpty());
    lock();
  }

  // ---- helpers ----

  /** A real p2 repository as the build's site has it: a category "Optional plugins" with a feature group in it. */
  private static URI optionalPluginsSite(Path dir) throws Exception {
    URI uri = Files.createDirectories(dir).toUri();
    IProvisioningAgent agent = ProvisioningUI.getDefaultUI().getSession().getProvisioningAgent();
    IMetadataRepositoryManager metadata = agent.getService(IMetadataRepositoryManager.class);
    IArtifactRepositoryManager artifacts = agent.getService(IArtifactRepositoryManager.class);
    IMetadataRepository repo = metadata.createRepository(uri, "Apotheca test site",
        IMetadataRepositoryManager.TYPE_SIMPLE_REPOSITORY, Map.of());
    artifacts.createRepository(uri, "Apotheca test site", IArtifactRepositoryManager.TYPE_SIMPLE_REPOSITORY, Map.of());
    IInstallableUnit labels = group(OPTIONAL_FEATURE, "Shelf label printer");
    IInstallableUnit client = group("org.apotheca.client.feature.feature.group", "Apotheca Workbench");
    repo.addInstallableUnits(List.of(labels, client, category("optional", "Optional plugins", labels),
        category("apotheca", "Apotheca", client)));
    // known to p2 now only because it was made here: the workbench must add it from the admin's file
    metadata.removeRepository(uri);
    artifacts.removeRepository(uri);
    return uri;
  }

  private static IInstallableUnit group(String id, String name) {
    InstallableUnitDescription d = new InstallableUnitDescription();
    d.setId(id);
    d.setVersion(Version.create("1.0.0.v20261201"));
    d.setProperty(IInstallableUnit.PROP_NAME, name);
    d.setProperty(InstallableUnitDescription.PROP_TYPE_GROUP, "true");
    d.setCapabilities(new IProvidedCapability[] {
        MetadataFactory.createProvidedCapability(IInstallableUnit.NAMESPACE_IU_ID, id, d.getVersion()) });
    return MetadataFactory.createInstallableUnit(d);
  }

  private static IInstallableUnit category(String id, String name, IInstallableUnit member) {
    InstallableUnitDescription d = new InstallableUnitDescription();
    d.setId(id);
    d.setVersion(Version.create("1.0.0.v20261201"));
    d.setProperty(IInstallableUnit.PROP_NAME, name);
    d.setProperty(InstallableUnitDescription.PROP_TYPE_CATEGORY, "true");
    d.setCapabilities(new IProvidedCapability[] {
        MetadataFactory.createProvidedCapability(IInstallableUnit.NAMESPACE_IU_ID, id, d.getVersion()) });
    d.setRequirements(new org.eclipse.equinox.p2.metadata.IRequirement[] { MetadataFactory.createRequirement(
        IInstallableUnit.NAMESPACE_IU_ID, member.getId(), new VersionRange(member.getVersion(), true, member.getVersion(), true),
        null, false, false) });
    return MetadataFactory.createInstallableUnit(d);
  }

  private static Shell shell() {
    return PlatformUI.getWorkbench().getActiveWorkbenchWindow() == null ? null
        : PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
  }

  /** p2's wizard: a shell titled "Install" over the Updates window. */
  private static Shell installWizard() {
    for (Shell s : PlatformUI.getWorkbench().getDisplay().getShells()) {
      if (!s.isDisposed() && s.isVisible() && "Install".equals(s.getText())) {
        return s;
      }
    }
    return null;
  }

  private static List<String> treeItems(Control c) {
    List<String> names = new ArrayList<>();
    if (c instanceof Tree t) {
      for (TreeItem i : t.getItems()) {
        names.add(i.getText());
      }
    }
    if (c instanceof org.eclipse.swt.widgets.Composite k) {
      for (Control child : k.getChildren()) {
        names.addAll(treeItems(child));
      }
    }
    return names;
  }

  private static void lock() {
    R.run(() -> { // a failed step may leave a window open over the till
      for (Shell s : PlatformUI.getWorkbench().getDisplay().getShells()) {
        if (s != shell() && !s.isDisposed() && s.isVisible() && s.getParent() != null) {
          s.close();
        }
      }
    });
    String user = R.ui(() -> R.findNow("till.user") == null ? null : Robot.textOf(R.findNow("till.user")));
    if (user != null && !user.equals("Locked") && !user.isEmpty()) {
      R.focus("till.scan");
      R.keys(SWT.CTRL, 'l');
      R.waitForText("login.message", "logged out", t -> t.startsWith("Logged out"));
    }
  }

  private static void login(String user, String password, String shownAs) {
    Robot.waitFor("the login screen", () -> R.showing("login.user"));
    R.retype("login.user", user);
    R.retype("login.password", password);
    R.key(SWT.CR);
    R.waitForText("till.user", "logged in", s -> s.startsWith(shownAs));
    R.focus("till.scan");
  }
}
